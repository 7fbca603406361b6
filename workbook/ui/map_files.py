"""The map as files: download it as CSV or JSON, and import one back (checked row by row)."""

from __future__ import annotations

import datetime as dt
from typing import Final

import streamlit as st

from workbook import map_repeats
from workbook.i18n import format_datetime, format_decimal
from workbook.map_csv import stakeholders_csv, template_csv, ties_csv
from workbook.map_file import MapFile, export_name
from workbook.map_import import read_map_files
from workbook.map_json import map_json
from workbook.messages import Message
from workbook.records import Seat
from workbook.stakeholders.graph import join_names
from workbook.stakeholders.saved import StakeholderMap
from workbook.store import Store, StoreError
from workbook.ui import map_editor
from workbook.ui.i18n import language, ngettext, translations, translator
from workbook.ui.text import user_text

_UPLOADS: Final = "map_uploads_{group}"  # bumped after an import, so the uploader empties
_NO_HOURS: Final = "map_import_no_hours_{where}"  # how many came in without hours, said once
_SKIP: Final = "skip"
_ANYWAY: Final = "anyway"


def export(current: StakeholderMap, seat: Seat, *, where: str) -> None:
    """Three downloads: the stakeholders and the ties as CSV (for spreadsheets), all as JSON."""
    _ = translator()
    if current.is_empty:
        st.caption(_("Nothing to download yet: the map is empty."))
        _template(where)
        return
    stem = seat.group.name
    first, second, third = st.columns(3)
    first.download_button(
        _("Stakeholders (CSV)"),
        stakeholders_csv(current),
        file_name=export_name(stem, "-stakeholders.csv"),
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
        key=f"{where}_csv",
    )
    second.download_button(
        _("Ties (CSV)"),
        ties_csv(current),
        file_name=export_name(stem, "-ties.csv"),
        mime="text/csv",
        on_click="ignore",
        icon=":material/share:",
        key=f"{where}_ties_csv",
    )
    third.download_button(
        _("Whole map (JSON)"),
        map_json(current),
        file_name=export_name(stem, ".json"),
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key=f"{where}_json",
    )
    st.caption(
        _(
            "The CSV files open in any spreadsheet; their ref column links the two. The JSON "
            "file holds the whole map, energy budget included, and imports back in one go. "
            "Their column names and values are the same in every language, so a file from a "
            "workshop in one language imports into a workshop in another."
        )
    )


def _template(where: str) -> None:
    """For a map begun in a spreadsheet: a file with the columns and two example rows."""
    _ = translator()
    st.download_button(
        _("Template to fill in (CSV)"),
        template_csv(),
        file_name="stakeholders-template.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
        key=f"{where}_template_csv",
    )
    st.caption(
        _(
            "One row per stakeholder. Name, kind, influence (1 to 5) and band (where they "
            "stand) are needed; the other columns may stay empty. Write kinds, bands and ties "
            "as the example rows do, replace the examples, save as CSV and import it below."
        )
    )


def said(message: Message) -> str:
    """A sentence about an imported file in this session's language, its numbers written as
    the language writes them (1.234 in Danish)."""
    code = language()

    def number(value: float) -> str:
        return format_decimal(value, code, digits=0 if float(value).is_integer() else 1)

    return message.text(translator(), number)


def _show_refusal(result: MapFile) -> None:
    _ = translator()
    if result.refusals:
        st.error(_("This file cannot be imported; nothing was changed."), icon=":material/block:")
        for sentence in result.refusals:
            user_text(said(sentence))
        return
    rows = len(result.row_problems)
    st.error(
        ngettext(
            "{n} row needs fixing in the file, so nothing was imported. Fix it in your "
            "spreadsheet and upload it again.",
            "{n} rows need fixing in the file, so nothing was imported. Fix them in your "
            "spreadsheet and upload it again.",
            rows,
        ),
        icon=":material/error:",
    )
    map_editor.problem_lines(result.row_problems)


def _no_hours_warning(where: str) -> None:
    """After an import: how many of those imported had no hours in the file (read as 0 hours,
    they would look free in the trade-off), and where to set them. Walk-through finding: a CSV
    without an hours column gave every stakeholder 0 hours without a word after the import."""
    count = st.session_state.pop(_NO_HOURS.format(where=where), 0)
    if not count:
        return
    st.warning(
        ngettext(
            "{n} of them had no hours in the file, so it counts as 0 hours a month: the "
            "energy trade-off sees it as free until you set its hours, on its card in the "
            "Worksheet tab.",
            "{n} of them had no hours in the file, so they count as 0 hours a month: the "
            "energy trade-off sees them as free until you set their hours, on their cards in the "
            "Worksheet tab.",
            count,
        ),
        icon=":material/schedule:",
    )


def import_files(store: Store, seat: Seat, current: StakeholderMap, *, where: str) -> None:
    """Upload a JSON file, or a stakeholders CSV with an optional ties CSV; add or replace."""
    _ = translator()
    group_id = seat.group.id
    map_editor.show_flash(f"{where}_import")
    _no_hours_warning(where)
    uploads_key = _UPLOADS.format(group=group_id)
    uploads = int(st.session_state.setdefault(uploads_key, 0))
    files = st.file_uploader(
        _(
            "Import a map: one JSON file, or a CSV of stakeholders (with a CSV of ties if you "
            "have one)"
        ),
        type=None,  # any file: a wrong one gets our sentence, not a bare refusal
        accept_multiple_files=True,
        key=f"{where}_upload_{group_id}_{uploads}",
        help=_(
            "Columns: ref, name, kind, influence, band, target_band, tie, energy_hours, note, "
            "not_our_battle, must_invest. Only name, kind, influence and band are needed."
        ),
    )
    if not files:
        return
    result = read_map_files([(f.name, f.getvalue()) for f in files], t=translations())
    if not result.ok:
        _show_refusal(result)
        return
    st.info(
        _("Ready to import {what}.").format(what=said(result.summary)),
        icon=":material/upload_file:",
    )
    # The names as read: where to check the letters a note may ask about (é, €, ø).
    names = join_names([s.name for s in result.stakeholders], limit=12, t=translations())
    user_text(_("Names as read: {names}").format(names=names))
    for note in result.remarks:
        user_text(said(note))
    # Added to a map that has them already, they would be there twice: say so first.
    repeats = map_repeats.already_on_map(
        result.stakeholders, (s.name for s in current.stakeholders)
    )
    skip = False
    if repeats:
        st.warning(
            _(
                "Some of these are already on your map (the same name). Adding them would list "
                "them twice."
            ),
            icon=":material/content_copy:",
        )
        user_text(map_repeats.sentence(result.stakeholders, repeats, translations()))
        everyone = len(repeats) == len(result.stakeholders)
        skip = (
            st.radio(
                _("When adding them to our map"),
                [_SKIP, _ANYWAY],
                format_func=lambda choice: (
                    _("Skip the {n} already on the map").format(n=len(repeats))
                    if choice == _SKIP
                    else _("Add them anyway, as well")
                ),
                key=f"{where}_import_repeats_{group_id}_{uploads}",
                help=_("Replacing the map is not affected: it takes the place of everyone."),
            )
            == _SKIP
        )
        if skip and everyone:
            st.caption(_("Every stakeholder in the file is already on the map: nothing to add."))
    add, replace = st.columns(2)
    adding = add.button(
        _("Add them to our map"),
        key=f"{where}_import_add",
        icon=":material/add:",
        width="stretch",
    )
    replacing = replace.button(
        _("Replace our map with them"),
        key=f"{where}_import_replace",
        icon=":material/swap_horiz:",
        type="primary" if current.is_empty else "secondary",
        width="stretch",
    )
    if not current.is_empty:
        st.caption(
            ngettext(
                "Replacing takes the place of the {n} stakeholder on your map now; a snapshot "
                "of it is saved first (see Over time).",
                "Replacing takes the place of the {n} stakeholders on your map now; a snapshot "
                "of them is saved first (see Over time).",
                len(current.stakeholders),
            )
        )
    if not (adding or replacing):
        return
    skipped_ties = 0
    added = result
    if adding and skip:
        added, skipped_ties = map_repeats.without(result, repeats)
        if not added.stakeholders:
            st.info(
                _("Nothing was added: every stakeholder in the file is already on the map."),
                icon=":material/check:",
            )
            return
    label = _("Before import, {when}").format(when=format_datetime(dt.datetime.now(), language()))
    try:
        store.import_map(
            group_id=group_id,
            stakeholders=added.stakeholders,
            ties=[(t.source, t.target, t.strength) for t in added.ties],
            replace=replacing,
            energy_budget=result.energy_budget if replacing else None,
            snapshot_label=label if replacing else None,
        )
    except StoreError as error:
        st.error(error.shown(_), icon=":material/error:")
        return
    if replacing:
        message = _("Replaced the map with {what}.").format(what=said(result.summary))
    else:
        message = _("Added {what}.").format(what=said(added.summary))
        if adding and skip and skipped_ties:
            message += " " + translations().ngettext(
                "Skipped {skipped} already on the map, and {n} tie of theirs in the file.",
                "Skipped {skipped} already on the map, and {n} ties of theirs in the file.",
                skipped_ties,
            ).format(skipped=len(repeats), n=skipped_ties)
        elif adding and skip:
            message += " " + _("Skipped {n} already on the map.").format(n=len(repeats))
    map_editor.flash(f"{where}_import", message)
    st.session_state[_NO_HOURS.format(where=where)] = len(added.no_hours)
    st.session_state[uploads_key] = uploads + 1
    map_editor.reload(group_id)
    st.rerun()
