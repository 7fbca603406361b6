"""The map as a list of cards, for phones: one card per stakeholder and per tie, each with its
own edit form, and a form to add one. Everything the worksheets do (add, edit every field,
remove), one at a time with big touch targets.

The checks are the worksheets' own: a card's fields go through the same row parser
(`map_worksheet.parse_worksheet`, `parse_tie_rows`) and the same store calls
(`save_stakeholder_changes`, `save_tie_changes`), so a card refuses exactly what a grid row
would, in the same sentences. A form left incomplete says what is missing and keeps what was
typed; nothing is dropped without a word. Cards edit the map as this browser opened it
(`map_editor.base_map`), so someone saving on another device does not reset a form.

Which view opens: Streamlit does not tell the server how wide the window is (st.context has
no width), so the list opens for everyone, and "Table view" switches to the worksheets; the
choice holds for the visit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import streamlit as st

from workbook import map_worksheet
from workbook.models import (
    INFLUENCE_MAX,
    INFLUENCE_MIN,
    MAX_ENERGY_HOURS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    STAKEHOLDER_KINDS,
    SpectrumBand,
    Stakeholder,
    Tie,
    TieStrength,
)
from workbook.records import Seat
from workbook.stakeholders.saved import (
    StakeholderChanges,
    StakeholderMap,
    StakeholderUpdate,
    TieChanges,
    choice_label,
)
from workbook.store import Store, StoreError
from workbook.ui import map_editor
from workbook.ui.text import isolate, user_text
from workbook.ui.widgets import show_errors, up_to

LIST_VIEW: Final = "List view"
TABLE_VIEW: Final = "Table view"
REQUIRED: Final = " (required)"
_EDITING: Final = "map_cards_editing_{where}"
_REMOVING: Final = "map_cards_removing_{where}"
_NEW_HOURS: Final = 1.0  # what the worksheet's new row starts with
_TIE_WORDS: Final = {
    TieStrength.none: "No tie",
    TieStrength.weak: "Weak",
    TieStrength.strong: "Strong",
}

# Every control in the cards at least 44 px tall (WCAG 2.5.5), checkboxes' whole rows too.
_CSS: Final = """
<style>
[class*="st-key-mapcards_"] button { min-height: 44px; min-width: 44px; }
[class*="st-key-mapcards_"] [data-baseweb="select"] > div { min-height: 44px; }
[class*="st-key-mapcards_"] [data-baseweb="input"] { min-height: 44px; }
[class*="st-key-mapcards_"] label:has(input[type="checkbox"]) { min-height: 44px;
  align-items: center; }
.st-key-map_view_choice button { min-height: 44px; }
</style>
"""


def list_view_chosen(*, where: str) -> bool:
    """The "List view / Table view" switch; True for the list (the default, see above)."""
    st.html(_CSS)
    with st.container(key="map_view_choice"):
        choice = st.segmented_control(
            "Show the map as",
            [LIST_VIEW, TABLE_VIEW],
            default=LIST_VIEW,
            required=True,
            key=f"{where}_view",
            help="The list suits a phone; the table shows every stakeholder's fields at once.",
        )
    return choice != TABLE_VIEW


def _required_note() -> None:
    st.caption("Fields marked (required) must be filled in.")


def _save_stakeholders(
    store: Store, seat: Seat, changes: StakeholderChanges, *, where: str
) -> bool:
    try:
        saved = store.save_stakeholder_changes(group_id=seat.group.id, changes=changes)
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        return False
    message = f"Saved. {changes.sentence}"
    if saved.restored:
        message += " It had been deleted on another device, so it was added back."
    _done(seat, message, where=where, flash="cards_people")
    return True


def _done(seat: Seat, message: str, *, where: str, flash: str) -> None:
    map_editor.flash(f"{where}_{flash}", message)
    st.session_state.pop(_EDITING.format(where=where), None)
    st.session_state.pop(_REMOVING.format(where=where), None)
    map_editor.reload(seat.group.id)
    st.rerun()


def _open(where: str, what: object) -> None:
    st.session_state[_EDITING.format(where=where)] = what
    st.session_state.pop(_REMOVING.format(where=where), None)


def _close(where: str) -> None:
    st.session_state.pop(_EDITING.format(where=where), None)
    st.session_state.pop(_REMOVING.format(where=where), None)


def _ask_remove(where: str, what: object) -> None:
    st.session_state[_REMOVING.format(where=where)] = what


# --- stakeholders -------------------------------------------------------------------------------


def _summary(person: Stakeholder) -> str:
    parts = [person.kind, f"influence {person.influence}", person.band.label]
    if person.target_band is not None and person.target_band != person.band:
        parts.append(f"aim: {person.target_band.label.lower()}")
    parts.append(f"our tie: {_TIE_WORDS[person.tie].lower()}")
    parts.append(f"{person.energy_hours:g} h a month")
    if person.must_invest:
        parts.append("must invest")
    if person.not_our_battle:
        parts.append("not our battle")
    return " · ".join(parts)


def _stakeholder_fields(prefix: str, start: Stakeholder | None) -> dict[str, Any]:
    """Every field of a stakeholder, as a worksheet row (a dict keyed like its columns)."""
    kinds = list(STAKEHOLDER_KINDS)
    bands = list(SpectrumBand)
    name = st.text_input(
        "Name" + REQUIRED,
        value=start.name if start else "",
        key=f"{prefix}_name",
        help=up_to(MAX_NAME_CHARS, "Who they are: a person or an organisation."),
    )
    kind = st.selectbox(
        "Kind" + REQUIRED,
        kinds,
        index=kinds.index(start.kind) if start and start.kind in kinds else None,
        placeholder="Choose a kind",
        key=f"{prefix}_kind",
    )
    influence = st.segmented_control(
        f"Influence, {INFLUENCE_MIN} a little to {INFLUENCE_MAX} a great deal" + REQUIRED,
        list(range(INFLUENCE_MIN, INFLUENCE_MAX + 1)),
        default=start.influence if start else None,
        key=f"{prefix}_influence",
    )
    band = st.selectbox(
        "Where they stand" + REQUIRED,
        bands,
        index=bands.index(start.band) if start else None,
        format_func=lambda b: b.label,
        placeholder="Choose where they stand",
        key=f"{prefix}_band",
        help="The spectrum of allies: from active opposition to active ally.",
    )
    targets: list[SpectrumBand | None] = [None, *bands]
    target_band = st.selectbox(
        "Where we want them",
        targets,
        index=targets.index(start.target_band) if start else 0,
        format_func=lambda b: "Not set" if b is None else b.label,
        key=f"{prefix}_target",
        help="Optional: the band you aim to move them to.",
    )
    tie = st.segmented_control(
        "Our tie with them" + REQUIRED,
        list(TieStrength),
        default=start.tie if start else TieStrength.none,
        format_func=lambda t: _TIE_WORDS[t],
        key=f"{prefix}_tie",
    )
    hours = st.number_input(
        "Hours a month" + REQUIRED,
        value=float(start.energy_hours) if start else _NEW_HOURS,
        step=0.25,
        format="%g",
        key=f"{prefix}_hours",
        help=f"The energy this relationship would take: 0 to {MAX_ENERGY_HOURS} hours a month.",
    )
    note = st.text_area(
        "Note",
        value=start.note if start else "",
        key=f"{prefix}_note",
        help=up_to(MAX_NOTE_CHARS, "Anything to remember."),
    )
    not_our_battle = st.checkbox(
        "Not our battle: never propose investing here",
        value=start.not_our_battle if start else False,
        key=f"{prefix}_nob",
    )
    must_invest = st.checkbox(
        "Must invest: always include in the proposal",
        value=start.must_invest if start else False,
        key=f"{prefix}_must",
    )
    return {
        "name": name,
        "kind": kind,
        "influence": influence,
        "band": band.value if band is not None else None,
        "target_band": target_band.value if target_band is not None else None,
        "tie": tie.value if tie is not None else None,
        "energy_hours": hours,
        "note": note,
        "not_our_battle": not_our_battle,
        "must_invest": must_invest,
    }


def _checked(row: Mapping[str, object]) -> Any | None:
    """The row as a stakeholder (the worksheet's own checks), or None after saying why."""
    parsed = map_worksheet.parse_worksheet([row], defaults={})
    if parsed.problems:
        show_errors(list(parsed.problems[0].problems), kept=True)
        return None
    if not parsed.rows:  # every field left empty: say so, never drop it silently
        show_errors(
            [
                "Nothing was filled in: a stakeholder needs a name, a kind, an influence and "
                "where they stand."
            ],
            kept=True,
        )
        return None
    return parsed.rows[0].stakeholder


def stakeholder_list(store: Store, seat: Seat, *, where: str) -> None:
    """One card per stakeholder (with its edit form when opened), then the form to add one."""
    group_id = seat.group.id
    base = map_editor.base_map(store, group_id)
    version = map_editor.editing_version(group_id)
    map_editor.show_flash(f"{where}_cards_people")
    editing = st.session_state.get(_EDITING.format(where=where))
    with st.container(key=f"mapcards_{where}_people"):
        if base.is_empty:
            st.caption("No stakeholders yet: add the first one below.")
        for person in base.stakeholders:
            with st.container(border=True, key=f"{where}_person_{person.id}"):
                user_text(f"{isolate(person.name)} (#{person.id})")
                st.text(_summary(person))
                if editing == ("person", person.id):
                    _edit_stakeholder(store, seat, person, where=where, version=version)
                else:
                    st.button(
                        f"Edit #{person.id}",
                        key=f"{where}_edit_person_{person.id}",
                        icon=":material/edit:",
                        on_click=_open,
                        args=(where, ("person", person.id)),
                    )
        st.subheader("Add a stakeholder")
        _required_note()
        with (
            st.container(key=f"{where}_add_person"),
            st.form(f"{where}_add_person_{version}", enter_to_submit=False),
        ):
            row = _stakeholder_fields(f"{where}_new_{version}", None)
            added = st.form_submit_button(
                "Add this stakeholder", type="primary", icon=":material/person_add:"
            )
        if added:
            stakeholder = _checked(row)
            if stakeholder is not None:
                _save_stakeholders(
                    store, seat, StakeholderChanges(added=(stakeholder,)), where=where
                )


def _edit_stakeholder(
    store: Store, seat: Seat, person: Stakeholder, *, where: str, version: int
) -> None:
    _required_note()
    with st.form(f"{where}_person_form_{person.id}_{version}", enter_to_submit=False):
        row = _stakeholder_fields(f"{where}_p{person.id}_{version}", person)
        saved = st.form_submit_button("Save changes", type="primary", icon=":material/save:")
    if saved:
        stakeholder = _checked(row)
        if stakeholder is not None:
            fields = {
                key: getattr(stakeholder, key)
                for key in map_worksheet.FIELDS
                if getattr(stakeholder, key) != getattr(person, key)
            }
            if not fields:
                st.info("Nothing has changed since you last saved.", icon=":material/check:")
            else:
                update = StakeholderUpdate(person.id, fields, stakeholder)
                _save_stakeholders(store, seat, StakeholderChanges(updated=(update,)), where=where)
    _card_actions(store, seat, ("person", person.id), where=where)


def _card_actions(store: Store, seat: Seat, what: tuple[Any, ...], *, where: str) -> None:
    """Close the card, or remove what it holds (asked once more first)."""
    thing = "stakeholder and its ties" if what[0] == "person" else "tie"
    if st.session_state.get(_REMOVING.format(where=where)) == what:
        st.warning(f"Remove this {thing} from the map?", icon=":material/delete:")
        with st.container(horizontal=True):
            if st.button("Yes, remove", key=f"{where}_remove_yes", type="primary"):
                if what[0] == "person":
                    _save_stakeholders(
                        store, seat, StakeholderChanges(deleted_ids=(what[1],)), where=where
                    )
                else:
                    _save_ties(
                        store, seat, TieChanges(removed=(what[1],)), "Removed the tie.", where=where
                    )
            st.button("Keep it", key=f"{where}_remove_no", on_click=_open, args=(where, what))
        return
    with st.container(horizontal=True):
        st.button(
            "Close", key=f"{where}_close", icon=":material/close:", on_click=_close, args=(where,)
        )
        st.button(
            "Remove…",
            key=f"{where}_remove",
            icon=":material/delete:",
            on_click=_ask_remove,
            args=(where, what),
        )


# --- ties ---------------------------------------------------------------------------------------


def _pair(tie: Tie) -> tuple[int, int]:
    return min(tie.source_id, tie.target_id), max(tie.source_id, tie.target_id)


def _save_ties(store: Store, seat: Seat, changes: TieChanges, message: str, *, where: str) -> None:
    try:
        saved = store.save_tie_changes(group_id=seat.group.id, changes=changes)
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        return
    if saved.ties_dropped:
        message += " It was left out: a stakeholder in it had been deleted on another device."
    _done(seat, message, where=where, flash="cards_ties")


def _tie_fields(
    prefix: str, options: list[int], labels: Mapping[int, str], start: Tie | None
) -> dict[str, Any]:
    source = st.selectbox(
        "From" + REQUIRED,
        options,
        index=options.index(start.source_id) if start and start.source_id in options else None,
        format_func=lambda i: labels[i],
        placeholder="Choose a stakeholder",
        key=f"{prefix}_source",
    )
    target = st.selectbox(
        "To" + REQUIRED,
        options,
        index=options.index(start.target_id) if start and start.target_id in options else None,
        format_func=lambda i: labels[i],
        placeholder="Choose a stakeholder",
        key=f"{prefix}_target",
    )
    strength = st.segmented_control(
        "Strength" + REQUIRED,
        [TieStrength.weak, TieStrength.strong],
        default=start.strength if start else TieStrength.weak,
        format_func=lambda t: _TIE_WORDS[t],
        key=f"{prefix}_strength",
        help="Strong means trust, weak means contact.",
    )
    return {"source": source, "target": target, "strength": strength.value if strength else None}


def _checked_tie(
    base: StakeholderMap,
    labels: Mapping[int, str],
    row: Mapping[str, object],
    old: tuple[int, int] | None,
) -> TieChanges | None:
    """The tie table's own checks on one tie, and no second tie between the same two."""
    parsed = map_worksheet.parse_tie_rows([row], names=labels, where="This tie")
    if parsed.problems:
        show_errors(list(parsed.problems[0].problems), kept=True)
        return None
    if not parsed.ties:
        show_errors(["Choose who the tie is from and who it is to."], kept=True)
        return None
    tie = parsed.ties[0]
    others = [t for t in base.ties if _pair(t) != old]
    if any(_pair(t) == _pair(tie) for t in others):
        show_errors(["These two stakeholders are already tied: edit that tie instead."], kept=True)
        return None
    changes = map_worksheet.tie_changes(base.ties, [*others, tie])
    if changes.empty:
        st.info("Nothing has changed since you last saved.", icon=":material/check:")
        return None
    return changes


def tie_list(store: Store, seat: Seat, *, where: str) -> None:
    """One card per tie (with its edit form when opened), then the form to add one."""
    group_id = seat.group.id
    base = map_editor.base_map(store, group_id)
    version = map_editor.editing_version(group_id)
    map_editor.show_flash(f"{where}_cards_ties")
    if len(base.stakeholders) < 2:
        st.caption("Add at least two stakeholders to record ties between them.")
        return
    labels = {s.id: choice_label(s) for s in base.stakeholders}
    options = list(labels)
    editing = st.session_state.get(_EDITING.format(where=where))
    ties = [t for t in base.ties if t.source_id in labels and t.target_id in labels]
    with st.container(key=f"mapcards_{where}_ties"):
        st.caption(
            "A tie says two stakeholders know or influence each other; strong means trust, "
            "weak means contact. Our group's own tie with each is on their card."
        )
        if not ties:
            st.caption("No ties yet: add the first one below.")
        for tie in ties:
            pair = _pair(tie)
            with st.container(border=True, key=f"{where}_tie_{pair[0]}_{pair[1]}"):
                user_text(f"{labels[tie.source_id]} ↔ {labels[tie.target_id]}")
                st.text(f"{_TIE_WORDS[tie.strength]} tie")
                if editing == ("tie", pair):
                    _required_note()
                    with st.form(
                        f"{where}_tie_form_{pair[0]}_{pair[1]}_{version}", enter_to_submit=False
                    ):
                        row = _tie_fields(
                            f"{where}_t{pair[0]}_{pair[1]}_{version}", options, labels, tie
                        )
                        saved = st.form_submit_button(
                            "Save changes", type="primary", icon=":material/save:"
                        )
                    if saved:
                        changes = _checked_tie(base, labels, row, pair)
                        if changes is not None:
                            _save_ties(store, seat, changes, "Saved the tie.", where=where)
                    _card_actions(store, seat, ("tie", pair), where=where)
                else:
                    st.button(
                        f"Edit tie #{pair[0]}–#{pair[1]}",
                        key=f"{where}_edit_tie_{pair[0]}_{pair[1]}",
                        icon=":material/edit:",
                        on_click=_open,
                        args=(where, ("tie", pair)),
                    )
        st.subheader("Add a tie")
        _required_note()
        with (
            st.container(key=f"{where}_add_tie"),
            st.form(f"{where}_add_tie_{version}", enter_to_submit=False),
        ):
            row = _tie_fields(f"{where}_newtie_{version}", options, labels, None)
            added = st.form_submit_button("Add this tie", type="primary", icon=":material/link:")
        if added:
            changes = _checked_tie(base, labels, row, None)
            if changes is not None:
                _save_ties(store, seat, changes, "Added the tie.", where=where)
