"""'Must invest' and 'Not our battle' beside the proposal, at the width of the screen.

A wide screen gets the overrides grid (`map_editor.overrides_sheet`: hours and both ticks per
stakeholder, with the proposal beside). The grid is about 790 px wide, so on a phone it sat in
a 352 px box to be swiped; a narrow screen instead gets one row per stakeholder: the name, and
the two ticks as checkboxes. Streamlit cannot tell the server how wide the window is, so both
are drawn and the browser shows the one that fits (as the views do, `map_views.figure`).
Hours are changed on the stakeholder's card in the list view.
"""

from __future__ import annotations

from typing import Final

import streamlit as st
from pydantic import ValidationError

from workbook.i18n import N_
from workbook.models import Stakeholder, StakeholderIn, plain_errors
from workbook.records import Seat
from workbook.stakeholders.graph import short_number
from workbook.stakeholders.portfolio import Portfolio
from workbook.stakeholders.saved import StakeholderChanges, StakeholderUpdate
from workbook.store import Store, StoreError
from workbook.ui import map_editor
from workbook.ui.i18n import language, translations, translator
from workbook.ui.text import isolate, user_text

MUST_INVEST: Final = N_("Must invest: always include in the proposal")
NOT_OUR_BATTLE: Final = N_("Not our battle: never propose investing here")
NARROW_MAX: Final = 640  # px: the widest window that gets the rows instead of the grid
_CSS: Final = f"""
<style>
@media (max-width: {NARROW_MAX}px) {{ [class*="st-key-overrides_wide_"] {{ display: none; }} }}
@media (min-width: {NARROW_MAX + 1}px) {{
  [class*="st-key-overrides_narrow_"] {{ display: none; }}
}}
[class*="st-key-overrides_narrow_"] label:has(input[type="checkbox"]) {{ min-height: 44px;
  align-items: center; }}
[class*="st-key-overrides_narrow_"] button {{ min-height: 44px; }}
</style>
"""
_PROBLEMS: Final = "map_overrides_problems_{where}"


def overrides(store: Store, seat: Seat, portfolio: Portfolio, *, where: str) -> None:
    """The grid on a wide screen, the rows on a narrow one."""
    st.html(_CSS)
    with st.container(key=f"overrides_wide_{where}"):
        map_editor.overrides_sheet(store, seat, portfolio, where=where)
    with st.container(key=f"overrides_narrow_{where}"):
        _rows(store, seat, portfolio, where=where)


def _key(where: str, version: int, sid: int, flag: str) -> str:
    return f"{where}_overrides_row_{version}_{sid}_{flag}"


def _rows(store: Store, seat: Seat, portfolio: Portfolio, *, where: str) -> None:
    _ = translator()
    group_id = seat.group.id
    base = map_editor.base_map(store, group_id)
    if base.is_empty:
        return
    version = map_editor.editing_version(group_id)
    chosen = set(portfolio.chosen_ids)
    st.caption(_("Change a stakeholder's hours on their card, in the Worksheet tab."))
    with st.form(f"{where}_overrides_rows_{version}", enter_to_submit=False):
        for person in base.stakeholders:
            with st.container(border=True):
                user_text(f"{isolate(person.name)} (#{person.id})")
                hours = person.energy_hours
                shown = short_number(hours, language())
                st.text(
                    (_("Proposed") if person.id in chosen else _("Not proposed"))
                    + " · "
                    + _("{hours} h a month").format(hours=shown)
                )
                st.checkbox(  # worded as on the stakeholder's card
                    _(MUST_INVEST),
                    value=person.must_invest,
                    key=_key(where, version, person.id, "must"),
                )
                st.checkbox(
                    _(NOT_OUR_BATTLE),
                    value=person.not_our_battle,
                    key=_key(where, version, person.id, "nob"),
                )
        problems = st.session_state.pop(_PROBLEMS.format(where=where), None)
        if problems:  # one line per stakeholder, its name as typed: user text
            st.error(_("Nothing was saved: fix what is listed below."), icon=":material/error:")
            for line in problems:
                user_text(line)
        map_editor.show_flash(f"{where}_overrides_rows")
        st.form_submit_button(
            _("Save and update the proposal"),
            type="primary",
            icon=":material/calculate:",
            on_click=_save,
            args=(store, seat, base.stakeholders, version, where),
        )


def _save(
    store: Store, seat: Seat, people: tuple[Stakeholder, ...], version: int, where: str
) -> None:
    """The rows' button (a callback, so the page is drawn once, after the save)."""
    _ = translator()
    updates: list[StakeholderUpdate] = []
    problems: list[str] = []
    for before in people:
        wanted = {
            "must_invest": bool(st.session_state.get(_key(where, version, before.id, "must"))),
            "not_our_battle": bool(st.session_state.get(_key(where, version, before.id, "nob"))),
        }
        try:
            after = StakeholderIn(**{**before.model_dump(exclude={"id"}), **wanted})
        except ValidationError as error:
            sentences = " ".join(plain_errors(error, StakeholderIn))
            problems.append(f"• {isolate(before.name)}: {sentences}")
            continue
        fields = {k: v for k, v in wanted.items() if getattr(before, k) != v}
        if fields:
            updates.append(StakeholderUpdate(before.id, fields, after))
    if problems:
        st.session_state[_PROBLEMS.format(where=where)] = problems
        return
    if not updates:
        map_editor.flash(f"{where}_overrides_rows", _("Nothing has changed since you last saved."))
        return
    changes = StakeholderChanges(updated=tuple(updates))
    try:
        store.save_stakeholder_changes(group_id=seat.group.id, changes=changes)
    except StoreError as error:
        st.session_state[_PROBLEMS.format(where=where)] = [f"• {error}"]
        return
    map_editor.flash(
        f"{where}_overrides_rows",
        changes.saved_sentence_in(translations()) + " " + _("The proposal is updated."),
    )
    map_editor.reload(seat.group.id)
