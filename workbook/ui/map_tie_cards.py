"""The ties as a list of cards, for phones: one card per tie between two stakeholders, with its
own edit form, and a form to add one (the stakeholders' cards and what both share are in
`workbook.ui.map_cards`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from workbook import map_worksheet
from workbook.models import (
    Tie,
    TieStrength,
)
from workbook.records import Seat
from workbook.stakeholders import words as word
from workbook.stakeholders.saved import (
    StakeholderMap,
    TieChanges,
    choice_label,
)
from workbook.store import Store
from workbook.ui import map_editor, map_gone
from workbook.ui.i18n import translations, translator
from workbook.ui.map_cards import (
    EDITING,
    NO_STRENGTH,
    added_round,
    card_actions,
    next_round,
    open_card,
    outcome,
    refuse,
    required,
    required_note,
    save_ties,
    unchanged,
)
from workbook.ui.text import user_text

# --- ties ---------------------------------------------------------------------------------------


def _pair(tie: Tie) -> tuple[int, int]:
    return min(tie.source_id, tie.target_id), max(tie.source_id, tie.target_id)


def _tie_fields(
    prefix: str, options: list[int], labels: Mapping[int, str], start: Tie | None
) -> dict[str, Any]:
    _ = translator()
    st.selectbox(
        required(_("From")),
        options,
        index=options.index(start.source_id) if start and start.source_id in options else None,
        format_func=lambda i: labels[i],
        placeholder=_("Choose a stakeholder"),
        key=f"{prefix}_source",
    )
    st.selectbox(
        required(_("To")),
        options,
        index=options.index(start.target_id) if start and start.target_id in options else None,
        format_func=lambda i: labels[i],
        placeholder=_("Choose a stakeholder"),
        key=f"{prefix}_target",
    )
    st.segmented_control(
        required(_("Strength")),
        [TieStrength.weak, TieStrength.strong],
        default=start.strength if start else TieStrength.weak,
        required=True,  # a second tap on the chosen strength keeps it chosen
        format_func=lambda t: word.tie(t, _),
        key=f"{prefix}_strength",
        help=_("Strong means trust, weak means contact."),
    )


def _tie_row(prefix: str) -> dict[str, Any]:
    """The tie form's fields as a row of the ties table."""
    strength = st.session_state.get(f"{prefix}_strength")
    return {
        "source": st.session_state.get(f"{prefix}_source"),
        "target": st.session_state.get(f"{prefix}_target"),
        "strength": strength.value if strength is not None else None,
    }


def _checked_tie(
    base: StakeholderMap,
    labels: Mapping[int, str],
    row: Mapping[str, object],
    old: tuple[int, int] | None,
    *,
    where: str,
    place: str,
) -> TieChanges | None:
    """The tie table's own checks on one tie, and no second tie between the same two."""
    _ = translator()
    parsed = map_worksheet.parse_tie_rows(
        [row], names=labels, where=_("This tie"), no_strength=_(NO_STRENGTH), t=translations()
    )
    if parsed.problems:
        refuse(where, place, list(parsed.problems[0].problems))
        return None
    if not parsed.ties:
        refuse(where, place, [_("Choose who the tie is from and who it is to.")])
        return None
    tie = parsed.ties[0]
    others = [t for t in base.ties if _pair(t) != old]
    if any(_pair(t) == _pair(tie) for t in others):
        refuse(where, place, [_("These two stakeholders are already tied: edit that tie instead.")])
        return None
    changes = map_worksheet.tie_changes(base.ties, [*others, tie])
    if changes.empty:
        unchanged(where, place)
        return None
    return changes


def _add_tie(
    store: Store,
    seat: Seat,
    base: StakeholderMap,
    labels: Mapping[int, str],
    prefix: str,
    where: str,
) -> None:
    _ = translator()
    place = "cards_add_tie"
    changes = _checked_tie(base, labels, _tie_row(prefix), None, where=where, place=place)
    if changes is not None and save_ties(
        store, seat, changes, _("Added the tie."), where=where, place=place
    ):
        next_round(where, "tie")


def _update_tie(
    store: Store,
    seat: Seat,
    base: StakeholderMap,
    labels: Mapping[int, str],
    pair: tuple[int, int],
    prefix: str,
    where: str,
) -> None:
    _ = translator()
    place = f"cards_tie_{pair[0]}_{pair[1]}"
    changes = _checked_tie(base, labels, _tie_row(prefix), pair, where=where, place=place)
    if changes is None:
        return
    # A tie moved to another pair has that pair's card: the message goes there.
    moved = [t for t in changes.upserted if _pair(t) != pair]
    after = _pair(moved[0]) if moved else pair
    save_ties(
        store,
        seat,
        changes,
        _("Saved the tie."),
        where=where,
        place=f"cards_tie_{after[0]}_{after[1]}",
        close=after != pair,
    )


def tie_list(store: Store, seat: Seat, *, where: str) -> None:
    """One card per tie (with its edit form when opened), then the form to add one."""
    _ = translator()
    group_id = seat.group.id
    base = map_editor.base_map(store, group_id)
    version = map_editor.editing_version(group_id)
    gone = map_gone.position(where, "tie")
    if len(base.stakeholders) < 2:
        st.caption(_("Add at least two stakeholders to record ties between them."))
        return
    labels = {s.id: choice_label(s) for s in base.stakeholders}
    options = list(labels)
    editing = st.session_state.get(EDITING.format(where=where))
    ties = [t for t in base.ties if t.source_id in labels and t.target_id in labels]
    with st.container(key=f"mapcards_{where}_ties"):
        st.caption(
            _(
                "A tie says two stakeholders know or influence each other; strong means trust, "
                "weak means contact. Our group's own tie with each is on their card."
            )
        )
        if not ties:
            st.caption(_("No ties yet: add the first one below."))
        for position, tie in enumerate(ties):
            if position == gone:
                map_gone.notice(where, "tie", outcome)
            pair = _pair(tie)
            with st.container(border=True, key=f"{where}_tie_{pair[0]}_{pair[1]}"):
                user_text(f"{labels[tie.source_id]} ↔ {labels[tie.target_id]}")
                st.text(_("Strong tie") if tie.strength == TieStrength.strong else _("Weak tie"))
                if editing == ("tie", pair):
                    required_note()
                    prefix = f"{where}_t{pair[0]}_{pair[1]}_{version}"
                    with st.form(
                        f"{where}_tie_form_{pair[0]}_{pair[1]}_{version}", enter_to_submit=False
                    ):
                        _tie_fields(prefix, options, labels, tie)
                        outcome(where, f"cards_tie_{pair[0]}_{pair[1]}")
                        st.form_submit_button(
                            _("Save changes"),
                            type="primary",
                            icon=":material/save:",
                            on_click=_update_tie,
                            args=(store, seat, base, labels, pair, prefix, where),
                        )
                    card_actions(
                        store,
                        seat,
                        ("tie", pair),
                        where=where,
                        position=position,
                        label=f"{labels[tie.source_id]} ↔ {labels[tie.target_id]}",
                    )
                else:
                    outcome(where, f"cards_tie_{pair[0]}_{pair[1]}")
                    st.button(
                        _("Edit tie #{first}–#{second}").format(first=pair[0], second=pair[1]),
                        key=f"{where}_edit_tie_{pair[0]}_{pair[1]}",
                        icon=":material/edit:",
                        on_click=open_card,
                        args=(where, ("tie", pair)),
                    )
        if gone is not None and gone >= len(ties):  # the last card went
            map_gone.notice(where, "tie", outcome)
        st.subheader(_("Add a tie"))
        required_note()
        prefix = f"{where}_newtie_{added_round(where, 'tie')}"  # see stakeholder_list
        with (
            st.container(key=f"{where}_add_tie"),
            st.form(f"{prefix}_form", enter_to_submit=False),
        ):
            _tie_fields(prefix, options, labels, None)
            outcome(where, "cards_add_tie")
            st.form_submit_button(
                _("Add this tie"),
                type="primary",
                icon=":material/link:",
                on_click=_add_tie,
                args=(store, seat, base, labels, prefix, where),
            )
