"""The map over time: save a labelled snapshot, pick two and read what changed."""

from __future__ import annotations

import datetime as dt
from typing import Final

import streamlit as st
from pydantic import TypeAdapter, ValidationError

from workbook.i18n import format_date, format_datetime
from workbook.models import MAX_NAME_CHARS, Name, plain_errors
from workbook.records import Seat
from workbook.stakeholders.saved import MapSnapshotInfo, StakeholderMap
from workbook.stakeholders.snapshots import diff_snapshots
from workbook.store import Store, StoreError
from workbook.ui import map_editor
from workbook.ui.i18n import language, ngettext, translations, translator
from workbook.ui.text import isolate, user_text
from workbook.ui.widgets import show_errors, up_to

NOW: Final = 0  # the option standing for the map as it is now
_LABEL: Final = TypeAdapter(Name)


def _label(info: MapSnapshotInfo) -> str:
    return f"{isolate(info.label)} · {format_date(info.taken_at, language())}"


def snapshots(store: Store, seat: Seat, current: StakeholderMap, *, where: str) -> None:
    _ = translator()
    group_id = seat.group.id
    map_editor.show_flash(f"{where}_snapshot")
    if st.session_state.pop(f"{where}_snapshot_clear", False):
        # Emptied by assignment: a popped key would leave the typed name in the browser's box.
        st.session_state[f"{where}_snapshot_label"] = ""
    with st.form(f"{where}_snapshot_form", enter_to_submit=False):
        typed = st.text_input(
            _("Name this snapshot"),
            placeholder=_("e.g. First workshop"),
            help=up_to(MAX_NAME_CHARS),
            key=f"{where}_snapshot_label",
        )
        if st.form_submit_button(_("Save a snapshot of the map"), icon=":material/photo_camera:"):
            today = format_date(dt.date.today(), language())
            label = typed.strip() or _("Snapshot of {date}").format(date=today)
            try:
                label = _LABEL.validate_python(label)
            except ValidationError as error:
                show_errors(
                    [s.replace("Value", _("The snapshot's name"), 1) for s in plain_errors(error)],
                    kept=True,
                )
            else:
                try:
                    store.save_snapshot(group_id=group_id, label=label)
                except StoreError as error:
                    st.error(str(error), icon=":material/error:")
                else:
                    map_editor.flash(
                        f"{where}_snapshot",
                        ngettext(
                            "Snapshot saved with {n} stakeholder.",
                            "Snapshot saved with {n} stakeholders.",
                            len(current.stakeholders),
                        ),
                    )
                    st.session_state[f"{where}_snapshot_clear"] = True
                    st.rerun()

    saved = store.map_snapshots(group_id=group_id)
    if not saved:
        st.caption(
            _(
                "No snapshots yet. Save one now (say, at your first workshop) and another at a "
                "follow-up, then compare them here: who moved band, whose tie grew, who is new."
            )
        )
        return
    st.dataframe(
        [
            {
                _("Snapshot"): info.label,
                _("Saved"): format_datetime(info.taken_at, language()),
                _("Round"): info.round,
                _("Stakeholders"): info.stakeholders,
            }
            for info in reversed(saved)
        ],
        hide_index=True,
        width="stretch",
    )
    by_id = {info.id: info for info in saved}
    options = [info.id for info in saved]
    earlier_col, later_col = st.columns(2)
    earlier = earlier_col.selectbox(
        _("Compare"),
        options,
        index=len(options) - 1,
        format_func=lambda i: _label(by_id[i]),
        key=f"{where}_compare_before",
    )
    later = later_col.selectbox(
        _("with"),
        [NOW, *reversed(options)],
        format_func=lambda i: _("The map as it is now") if i == NOW else _label(by_id[i]),
        key=f"{where}_compare_after",
    )
    before = store.map_snapshot(group_id=group_id, snapshot_id=earlier)
    if before is None:
        return
    if later == NOW:
        after_people, after_ties = current.stakeholders, current.ties
    else:
        after = store.map_snapshot(group_id=group_id, snapshot_id=later)
        if after is None:
            return
        after_people, after_ties = after.stakeholders, after.ties
    st.subheader(_("What changed"))
    if later == earlier:
        st.caption(_("That is the same snapshot twice: choose another one to compare it with."))
        return
    changes = diff_snapshots(
        before.stakeholders,
        after_people,
        translations(),
        before_ties=before.ties,
        after_ties=after_ties,
        against_now=later == NOW,
    )
    for sentence in changes.sentences:
        user_text(f"• {sentence}")
