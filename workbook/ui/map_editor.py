"""The map as worksheets: stakeholders, ties and energy overrides, edited like a spreadsheet.

Each table opens on the map as this browser last read it (the "base"), held in session state,
so edits in progress are never reset by someone saving on another device; a save sends only
what changed against the base (see map_worksheet.stakeholder_changes). A table with a bad row
saves nothing and keeps every edit on screen, with each bad row named: a map is read as a whole
(measures, proposal), so half a save would mislead, and the person fixes one row, not
retypes the rest.

The columns carry no limits, required marks or ranges for the browser to enforce: the grid
would cut a long name to its limit, ignore a cleared required cell, drop a new row with an
empty required cell and pull a number into range, all without a word. Every limit is checked
on save instead (from workbook.models), and a row past one is refused by its number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from workbook import map_rows, map_worksheet
from workbook.i18n import format_decimal
from workbook.map_rows import FIELDS, RowProblem
from workbook.models import (
    SpectrumBand,
    StakeholderIn,
    TieStrength,
    plain_errors,
)
from workbook.records import Seat
from workbook.stakeholders import words as word
from workbook.stakeholders.portfolio import Portfolio
from workbook.stakeholders.saved import (
    StakeholderChanges,
    StakeholderMap,
    StakeholderUpdate,
    choice_label,
)
from workbook.store import Store, StoreError
from workbook.ui import map_columns
from workbook.ui.i18n import language, ngettext, translations, translator
from workbook.ui.text import isolate, user_caption, user_text

_VERSION: Final = "map_version_{group}"
_BASE: Final = "map_base_{group}"
_FLASH: Final = "map_flash_{where}"

COMPACT_COLUMNS: Final = ("id", "name", "kind", "influence", "band", "target_band", "tie")
# The free-text note goes last, so the short columns fit on a projector without scrolling.
SHEET_COLUMNS: Final = (
    *COMPACT_COLUMNS,
    "energy_hours",
    "not_our_battle",
    "must_invest",
    "note",
)
_BAND_VALUES: Final = [band.value for band in SpectrumBand]
_TIE_VALUES: Final = [tie.value for tie in TieStrength]
# What a row added at the bottom of the worksheet starts with; a row left so is blank.
NEW_ROW: Final = {
    "influence": 3,
    "band": SpectrumBand.neutral.value,
    "tie": TieStrength.none.value,
    "energy_hours": 1.0,
    "not_our_battle": False,
    "must_invest": False,
}
_SHOWN_PROBLEMS: Final = 50
_SHOWN_NAME_CHARS: Final = 120  # a name beside its row's problem; the row keeps all of it


# --- the map this browser is editing ----------------------------------------------------------


def _version(group_id: int) -> int:
    return int(st.session_state.setdefault(_VERSION.format(group=group_id), 0))


def editing_version(group_id: int) -> int:
    """How many times this browser has opened the map afresh: part of every form's key, so a
    reload empties them."""
    return _version(group_id)


def base_map(
    store: Store, group_id: int, *, current: StakeholderMap | None = None
) -> StakeholderMap:
    """The map the worksheets show: read once per version, so it holds still while editing.

    `current`: the map this run has just read, used instead of reading it again."""
    version = _version(group_id)
    held = st.session_state.get(_BASE.format(group=group_id))
    if held is not None and held[0] == version:
        return held[1]
    fresh = current if current is not None else store.stakeholder_map(group_id=group_id)
    st.session_state[_BASE.format(group=group_id)] = (version, fresh)
    return fresh


def reload(group_id: int) -> None:
    """Open the worksheets afresh on the stored map (after a save here, or on request)."""
    key = _VERSION.format(group=group_id)
    st.session_state[key] = int(st.session_state.get(key, 0)) + 1


def stale_notice(store: Store, seat: Seat, current: StakeholderMap, *, where: str) -> None:
    """Say so when the map was changed on another device since the worksheets opened."""
    if base_map(store, seat.group.id, current=current).same_content(current):
        return
    _ = translator()
    with st.container(border=True):
        st.info(
            _(
                "Someone in your group changed the map on another device since you opened these "
                "tables. Saving here keeps their changes, except to the same cells; showing the "
                "latest map drops edits you have not saved yet."
            ),
            icon=":material/sync_problem:",
        )
        if st.button(_("Show the latest map"), key=f"{where}_reload", icon=":material/refresh:"):
            reload(seat.group.id)
            st.rerun()


def flash(
    where: str, message: str, *, removed: str | None = None, warning: str | None = None
) -> None:
    """What a save says, once, at `where`; `removed`: the name of what a removal took off the
    map, said under it (user text, so not in the Markdown of the message); `warning`: what
    the person must notice about the save, in amber under it."""
    st.session_state[_FLASH.format(where=where)] = (message, removed, warning)


def show_flash(where: str) -> None:
    message, removed, warning = st.session_state.pop(_FLASH.format(where=where), (None,) * 3)
    if message:
        st.success(message, icon=":material/check_circle:")
    if removed:
        _ = translator()
        user_caption(_("Removed from the map: {what}").format(what=isolate(removed)))
    if warning:
        st.warning(warning, icon=":material/undo:")


def restored_warning(restored: int) -> str | None:
    """What a save says when it brought back stakeholders removed on another device (the
    store adds an edited stakeholder back, as a new one, rather than lose the edit)."""
    if not restored:
        return None
    return ngettext(
        "{n} stakeholder you saved had been removed in another tab or on another device, so "
        "your save added it back as a new stakeholder, without its ties. Remove it again if it "
        "should go.",
        "{n} stakeholders you saved had been removed in another tab or on another device, so "
        "your save added them back as new stakeholders, without their ties. Remove them again "
        "if they should go.",
        restored,
    )


def show_row_problems(problems: Sequence[RowProblem]) -> None:
    """An error box (our words) and one line of text per bad row (its name is user text)."""
    rows = len(problems)
    st.error(
        ngettext(
            "{n} row needs fixing, so nothing was saved. Your edits are still in the table: fix "
            "the rows listed below and save again.",
            "{n} rows need fixing, so nothing was saved. Your edits are still in the table: fix "
            "the rows listed below and save again.",
            rows,
        ),
        icon=":material/error:",
    )
    problem_lines(problems)


def problem_lines(problems: Sequence[RowProblem]) -> None:
    """One line of text per bad row, the first 50 of them (a file can have thousands)."""
    _ = translator()
    for problem in problems[:_SHOWN_PROBLEMS]:
        user_text(problem_line(problem))
    if len(problems) > _SHOWN_PROBLEMS:
        more = len(problems) - _SHOWN_PROBLEMS
        user_text(
            _("… and {n} more rows like these.").format(
                n=format_decimal(more, language(), digits=0)
            )
        )


def problem_line(problem: RowProblem) -> str:
    """ "• Row 3 (Ana): ..." with the name as typed (a very long one shortened, with "…")."""
    name = problem.name
    if len(name) > _SHOWN_NAME_CHARS:
        name = name[: _SHOWN_NAME_CHARS - 1] + "…"
    named = f" ({isolate(name)})" if name else ""
    return f"• {problem.where}{named}: {' '.join(problem.problems)}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with None for every kind of missing value (NaN, NA, NaT)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [dict(row) for row in clean.to_dict("records")]


# --- the stakeholder worksheet ----------------------------------------------------------------


def _stakeholder_frame(stakeholder_map: StakeholderMap) -> pd.DataFrame:
    rows = [
        {
            "id": s.id,
            "name": s.name,
            "kind": s.kind,
            "influence": s.influence,
            "band": s.band.value,
            "target_band": s.target_band.value if s.target_band else None,
            "tie": s.tie.value,
            "energy_hours": s.energy_hours,
            "note": s.note,
            "not_our_battle": s.not_our_battle,
            "must_invest": s.must_invest,
        }
        for s in stakeholder_map.stakeholders
    ]
    frame = pd.DataFrame(rows, columns=["id", *FIELDS])
    # Typed columns, so an empty map still opens with the right editors in each column.
    return frame.astype(
        {
            "id": "Int64",
            "name": "object",
            "kind": "object",
            "influence": "Int64",
            "band": "object",
            "target_band": "object",
            "tie": "object",
            "energy_hours": "float64",
            "note": "object",
            "not_our_battle": "boolean",
            "must_invest": "boolean",
        }
    )


def stakeholder_sheet(store: Store, seat: Seat, *, where: str, compact: bool = False) -> None:
    """The stakeholder worksheet: add, edit and delete rows, then save them all at once."""
    _ = translator()
    group_id = seat.group.id
    base = base_map(store, group_id)
    show_flash(f"{where}_sheet")
    with st.form(f"{where}_sheet_form", border=False, enter_to_submit=False):
        edited = st.data_editor(
            _stakeholder_frame(base),
            key=f"{where}_sheet_{group_id}_{_version(group_id)}",
            num_rows="dynamic",
            hide_index=True,
            column_config=map_columns.stakeholder_columns(NEW_ROW),
            column_order=COMPACT_COLUMNS if compact else SHEET_COLUMNS,
            width="stretch",
            height=min(38 + 35 * (len(base.stakeholders) + 2), 560),
            placeholder="",
            alt=_("Worksheet of our stakeholders"),
        )
        st.caption(
            _(
                "Add a row at the bottom; select rows by their left edge and press Delete to "
                "remove them. Nothing is stored until you save."
            )
        )
        submitted = st.form_submit_button(
            _("Save the worksheet"), type="primary", icon=":material/save:"
        )
    if not submitted:
        return
    rows = _records(edited)
    too_many = map_worksheet.too_many_rows(len(rows), t=translations())
    if too_many:
        st.error(too_many, icon=":material/error:")
        return
    parsed = map_worksheet.parse_worksheet(rows, defaults=NEW_ROW, t=translations())
    if parsed.problems:
        show_row_problems(parsed.problems)
        return
    changes = map_worksheet.stakeholder_changes(base.stakeholders, parsed.rows)
    left_out = ""
    if parsed.blank_rows:
        left_out = " " + ngettext(
            "{n} new row left empty was not added.",
            "{n} new rows left empty were not added.",
            parsed.blank_rows,
        )
    if changes.empty:
        st.info(_("Nothing has changed since you last saved.") + left_out, icon=":material/check:")
        return
    try:
        saved = store.save_stakeholder_changes(group_id=group_id, changes=changes)
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        return
    message = changes.saved_sentence_in(translations()) + left_out
    repeated = map_rows.repeated_names(parsed.rows)
    if repeated:
        message += " " + _(
            "Some names appear more than once; that is fine for different people, and the "
            "ties table tells them apart by their number (#)."
        )
    flash(f"{where}_sheet", message, warning=restored_warning(saved.restored))
    reload(group_id)
    st.rerun()


# --- the ties worksheet -----------------------------------------------------------------------


def _ties_frame(stakeholder_map: StakeholderMap) -> pd.DataFrame:
    ids = {s.id for s in stakeholder_map.stakeholders}
    rows = [
        {"source": t.source_id, "target": t.target_id, "strength": t.strength.value}
        for t in stakeholder_map.ties
        if t.source_id in ids and t.target_id in ids
    ]
    frame = pd.DataFrame(rows, columns=["source", "target", "strength"])
    return frame.astype({"source": "Int64", "target": "Int64", "strength": "object"})


def ties_sheet(store: Store, seat: Seat, *, where: str) -> None:
    """Who knows or influences whom: each row a tie between two stakeholders, with strength."""
    _ = translator()
    group_id = seat.group.id
    base = base_map(store, group_id)
    show_flash(f"{where}_ties")
    if len(base.stakeholders) < 2:
        st.caption(_("Add at least two stakeholders (and save the worksheet) to record ties."))
        return
    labels = {s.id: choice_label(s) for s in base.stakeholders}
    options = list(labels)

    def label(value: object) -> str:
        return labels.get(int(value), f"#{value}") if value is not None else ""

    with st.form(f"{where}_ties_form", border=False, enter_to_submit=False):
        edited = st.data_editor(
            _ties_frame(base),
            key=f"{where}_ties_{group_id}_{_version(group_id)}",
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "source": st.column_config.SelectboxColumn(
                    _("From"), options=options, format_func=label, width="large"
                ),
                "target": st.column_config.SelectboxColumn(
                    _("To"), options=options, format_func=label, width="large"
                ),
                "strength": st.column_config.SelectboxColumn(
                    _("Strength"),
                    options=[TieStrength.weak.value, TieStrength.strong.value],
                    format_func=lambda value: word.tie(str(value), _, lower=True),
                    default=TieStrength.weak.value,
                ),
            },
            width="stretch",
            height=min(38 + 35 * (len(base.ties) + 2), 460),
            placeholder="",
            alt=_("Ties between our stakeholders"),
        )
        st.caption(
            _(
                "A tie says two stakeholders know or influence each other; strong means trust, "
                "weak means contact. Our group's own tie with each is in the worksheet. Names "
                "carry their number (#) so two people with the same name stay apart."
            )
        )
        submitted = st.form_submit_button(
            _("Save the ties"), type="primary", icon=":material/save:"
        )
    if not submitted:
        return
    rows = _records(edited)
    too_many = map_worksheet.too_many_rows(len(rows), ties=True, t=translations())
    if too_many:
        st.error(too_many, icon=":material/error:")
        return
    parsed = map_worksheet.parse_tie_rows(rows, names=labels, t=translations())
    if parsed.problems:
        show_row_problems(parsed.problems)
        return
    changes = map_worksheet.tie_changes(base.ties, parsed.ties)
    if changes.empty:
        st.info(_("Nothing has changed since you last saved."), icon=":material/check:")
        return
    try:
        saved = store.save_tie_changes(group_id=group_id, changes=changes)
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        return
    message = _("Saved the ties.")
    if saved.ties_dropped:
        message += " " + ngettext(
            "{n} tie was left out: a stakeholder in it had been deleted on another device.",
            "{n} ties were left out: a stakeholder in them had been deleted on another device.",
            saved.ties_dropped,
        )
    flash(f"{where}_ties", message)
    reload(group_id)
    st.rerun()


# --- energy overrides, beside the proposal ----------------------------------------------------


def overrides_sheet(store: Store, seat: Seat, portfolio: Portfolio, *, where: str) -> None:
    """Hours, "must invest" and "not our battle" per stakeholder, with the proposal beside."""
    _ = translator()
    group_id = seat.group.id
    base = base_map(store, group_id)
    show_flash(f"{where}_overrides")
    if base.is_empty:
        return
    chosen = set(portfolio.chosen_ids)
    gains: Mapping[int, float] = portfolio.gains
    frame = pd.DataFrame(
        [
            {
                "id": s.id,
                "name": s.name,
                "gain": gains.get(s.id, math.nan),
                "proposed": s.id in chosen,
                "energy_hours": s.energy_hours,
                "must_invest": s.must_invest,
                "not_our_battle": s.not_our_battle,
            }
            for s in base.stakeholders
        ],
        columns=[
            "id",
            "name",
            "gain",
            "proposed",
            "energy_hours",
            "must_invest",
            "not_our_battle",
        ],
    )
    with st.form(f"{where}_overrides_form", border=False, enter_to_submit=False):
        edited = st.data_editor(
            frame,
            key=f"{where}_overrides_{group_id}_{_version(group_id)}",
            num_rows="fixed",
            hide_index=True,
            disabled=("id", "name", "gain", "proposed"),
            column_config={
                "id": st.column_config.NumberColumn("#", format="%d", width=50),
                "name": st.column_config.TextColumn(_("Name"), width="medium"),
                "gain": st.column_config.NumberColumn(_("Gain"), format="%.2f"),
                "proposed": st.column_config.CheckboxColumn(_("Proposed")),
                "energy_hours": map_columns.hours_column(),
                "must_invest": st.column_config.CheckboxColumn(
                    _("Must invest"), help=_("Always include in the proposal.")
                ),
                "not_our_battle": st.column_config.CheckboxColumn(
                    _("Not our battle"), help=_("Never propose investing here.")
                ),
            },
            width="stretch",
            height=min(38 + 35 * len(base.stakeholders), 460),
            alt=_("Energy, must invest and not our battle for each stakeholder"),
        )
        submitted = st.form_submit_button(
            _("Save and update the proposal"), type="primary", icon=":material/calculate:"
        )
    if not submitted:
        return
    by_id = {s.id: s for s in base.stakeholders}
    updates: list[StakeholderUpdate] = []
    problems: list[RowProblem] = []
    for number, row in enumerate(_records(edited), start=1):
        before = by_id[int(row["id"])]
        if row["energy_hours"] is None:  # an emptied cell is not 0 hours: say so
            problems.append(
                RowProblem(
                    _("Row {n}").format(n=number),
                    before.name,
                    (_("Hours a month is empty: type 0 if they take none of your time."),),
                )
            )
            continue
        wanted = {
            "energy_hours": row["energy_hours"],
            "must_invest": bool(row["must_invest"]),
            "not_our_battle": bool(row["not_our_battle"]),
        }
        try:
            after = StakeholderIn(**{**before.model_dump(exclude={"id"}), **wanted})
        except ValidationError as error:
            problems.append(
                RowProblem(
                    _("Row {n}").format(n=number),
                    before.name,
                    tuple(plain_errors(error, StakeholderIn)),
                )
            )
            continue
        fields = {k: getattr(after, k) for k in wanted if getattr(after, k) != getattr(before, k)}
        if fields:
            updates.append(StakeholderUpdate(before.id, fields, after))
    if problems:
        show_row_problems(problems)
        return
    if not updates:
        st.info(_("Nothing has changed since you last saved."), icon=":material/check:")
        return
    changes = StakeholderChanges(updated=tuple(updates))
    try:
        saved = store.save_stakeholder_changes(group_id=group_id, changes=changes)
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        return
    flash(
        f"{where}_overrides",
        changes.saved_sentence_in(translations()) + " " + _("The proposal is updated."),
        warning=restored_warning(saved.restored),
    )
    reload(group_id)
    st.rerun()
