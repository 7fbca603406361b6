"""The map as a list of cards, for phones: one card per stakeholder and per tie, each with its
own edit form, and a form to add one. Everything the worksheets do (add, edit every field,
remove), one at a time with big touch targets.

The checks are the worksheets' own: a card's fields go through the same row parser
(`map_worksheet.parse_worksheet`, `parse_tie_rows`) and the same store calls
(`save_stakeholder_changes`, `save_tie_changes`), so a card refuses exactly what a grid row
would, in the same sentences. A form left incomplete says what is missing and keeps what was
typed; nothing is dropped without a word. The sentences name each field as the form labels
it (`in_form_words`), never a table's row. Cards edit the map as this browser opened it
(`map_editor.base_map`), so someone saving on another device does not reset a form.

A choice that must be made (influence, our tie, a tie's strength) cannot be tapped empty
again once made. The add forms keep their own key, changed only when they add something, so
saving another card never empties what is half typed in them; and every save runs in its
button's callback, before the page is drawn, so no save stops a run half way (a rerun from
the middle of the page forgets what was typed in the forms below it). The add form's name and
note are also kept in the browser tab as a draft (`lesson_drafts.kept_note`), so a reload
does not lose them, until they are added. What a save or a
refusal says shows just above the button that was tapped, where a phone's screen is; a
removal's, in the removed card's place (`map_gone`).

Which view opens: Streamlit does not tell the server how wide the window is (st.context has
no width), so the list opens for everyone, and "Table view" switches to the worksheets; the
choice holds for the visit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import streamlit as st

from workbook import map_worksheet
from workbook.i18n import N_
from workbook.map_rows import field_title
from workbook.models import (
    INFLUENCE_MAX,
    INFLUENCE_MIN,
    MAX_ENERGY_HOURS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    STAKEHOLDER_KINDS,
    SpectrumBand,
    Stakeholder,
    TieStrength,
)
from workbook.records import Seat
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import short_number
from workbook.stakeholders.saved import (
    StakeholderChanges,
    StakeholderUpdate,
    TieChanges,
)
from workbook.store import Store, StoreError
from workbook.ui import lesson_drafts, map_editor, map_gone
from workbook.ui.i18n import language, translations, translator
from workbook.ui.text import isolate, user_text
from workbook.ui.widgets import show_errors, up_to

LIST_VIEW: Final = N_("List view")
TABLE_VIEW: Final = N_("Table view")
EDITING: Final = "map_cards_editing_{where}"
_SAID: Final = "map_cards_said_{where}_{place}"  # a refusal, shown beside its form
_ADDED: Final = "map_cards_added_{where}_{what}"  # how many this browser added: the add form's key
_REMOVING: Final = "map_cards_removing_{where}"
_NEW_HOURS: Final = 1.0  # what the worksheet's new row starts with
# The worksheets' and files' field names, as the card forms label those fields.
_FORM_LABELS: Final = {
    field_title("band"): "Where they stand",
    field_title("energy_hours"): "Hours a month",
}
NO_STRENGTH: Final = N_("Choose a strength: weak or strong.")
ADD_DRAFT: Final = N_("Draft, not saved yet: press Add this stakeholder to keep it.")


def required(label: str) -> str:
    """A form field's label marked as one that must be filled in ("Name (required)")."""
    _ = translator()
    return _("{label} (required)").format(label=label)


# Every control in the cards at least 44 px tall (WCAG 2.5.5), checkboxes' whole rows too.
_CSS: Final = """
<style>
[class*="st-key-mapcards_"] button { min-height: 44px; min-width: 44px; }
[class*="st-key-mapcards_"] [data-baseweb="select"] > div { min-height: 44px; }
[class*="st-key-mapcards_"] [data-baseweb="input"] { min-height: 44px; }
[class*="st-key-mapcards_"] label:has(input[type="checkbox"]) { min-height: 44px;
  align-items: center; }
.st-key-map_view_choice button { min-height: 44px; }
[class*="_gone_"] [data-testid="stElementContainer"]:has(.stHtml):not(:has(.wb-caption)) {
  display: none; }
</style>
"""


def list_view_chosen(*, where: str) -> bool:
    """The "List view / Table view" switch; True for the list (the default, see above)."""
    _ = translator()
    st.html(_CSS)
    with st.container(key="map_view_choice"):
        choice = st.segmented_control(
            _("Show the map as"),
            [LIST_VIEW, TABLE_VIEW],
            default=LIST_VIEW,
            required=True,
            format_func=_,
            key=f"{where}_view",
            help=_("The list suits a phone; the table shows every stakeholder's fields at once."),
        )
    return choice != TABLE_VIEW


def required_note() -> None:
    _ = translator()
    st.caption(_("Fields marked (required) must be filled in."))


def in_form_words(sentence: str) -> str:
    """A worksheet sentence with each field named as the card form labels it; a missing
    choice without the table's list of options (the form's control shows them)."""
    for title, label in _FORM_LABELS.items():
        if sentence.startswith(title):
            sentence = label + sentence[len(title) :]
            break
    if " is required: " in sentence:
        sentence = sentence.split(": ", 1)[0] + "."
    return sentence


# --- what a form's button said, shown beside the form ------------------------------------------


def _said(where: str, place: str) -> str:
    return _SAID.format(where=where, place=place)


def refuse(where: str, place: str, sentences: list[str]) -> None:
    """Kept for the run: what to fix, said above the form's button."""
    st.session_state[_said(where, place)] = ("error", [in_form_words(s) for s in sentences])


def unchanged(where: str, place: str) -> None:
    _ = translator()
    said = [_("Nothing has changed since you last saved.")]
    st.session_state[_said(where, place)] = ("info", said)


def outcome(where: str, place: str) -> None:
    """What the last tap at this place said (a refusal, or the save), once, just above the
    button tapped: a phone shows a small part of a long list, so it goes where the person is.
    (Not a toast: Streamlit's toast is a dialog without a name, which axe-core refuses.)"""
    said = st.session_state.pop(_said(where, place), None)
    if said is not None:
        kind, sentences = said
        if kind == "error":
            show_errors(sentences, kept=True)
        else:
            st.info(" ".join(sentences), icon=":material/check:")
    map_editor.show_flash(f"{where}_{place}")


def added_round(where: str, what: str) -> int:
    return int(st.session_state.get(_ADDED.format(where=where, what=what), 0))


def next_round(where: str, what: str) -> None:
    """Empty the add form (after it added something): its key moves on."""
    key = _ADDED.format(where=where, what=what)
    st.session_state[key] = int(st.session_state.get(key, 0)) + 1


def done(seat: Seat, message: str, *, where: str, place: str, close: bool, **said: Any) -> None:
    """After a save: its message for `place`, the map read afresh. `close`: the open card
    goes (it was removed, or moved); an edited card stays open, showing what was saved and
    the message above its button, so the page does not jump away from the person's thumb.
    `said`: more for the message (map_editor.flash: what was removed, a warning)."""
    map_editor.flash(f"{where}_{place}", message, **said)
    if close:
        _close(where)
    map_editor.reload(seat.group.id)


def open_card(where: str, what: object) -> None:
    st.session_state[EDITING.format(where=where)] = what
    st.session_state.pop(_REMOVING.format(where=where), None)


def _close(where: str) -> None:
    st.session_state.pop(EDITING.format(where=where), None)
    st.session_state.pop(_REMOVING.format(where=where), None)


def _ask_remove(where: str, what: object) -> None:
    st.session_state[_REMOVING.format(where=where)] = what


# --- stakeholders -------------------------------------------------------------------------------


def _save_stakeholders(
    store: Store,
    seat: Seat,
    changes: StakeholderChanges,
    *,
    where: str,
    place: str,
    close: bool = False,
    removed: str | None = None,
    position: int | None = None,
) -> bool:
    """`position`: the edited card's place in the list. Removed on another device meanwhile,
    its stakeholder comes back as a new card, so the card goes and the save says so there."""
    try:
        saved = store.save_stakeholder_changes(group_id=seat.group.id, changes=changes)
    except StoreError as error:
        refuse(where, place, [str(error)])
        return False
    message = changes.saved_sentence_in(translations())
    warning = map_editor.restored_warning(saved.restored)
    if saved.restored and position is not None:
        map_gone.remember(where, "person", position)
        place, close = map_gone.place("person"), True
    done(seat, message, where=where, place=place, close=close, removed=removed, warning=warning)
    return True


def _summary(person: Stakeholder) -> str:
    _ = translator()
    parts = [
        word.kind(person.kind, _),
        _("influence {n}").format(n=person.influence),
        word.band(person.band, _),
    ]
    if person.target_band is not None and person.target_band != person.band:
        parts.append(_("aim: {band}").format(band=word.band(person.target_band, _, lower=True)))
    parts.append(word.our_tie(person.tie, _))
    hours = short_number(person.energy_hours, language())
    parts.append(_("{hours} h a month").format(hours=hours))
    if person.must_invest:
        parts.append(_("must invest"))
    if person.not_our_battle:
        parts.append(_("not our battle"))
    return " · ".join(parts)


def _stakeholder_fields(
    prefix: str, start: Stakeholder | None, drafts: tuple[str, int] | None = None
) -> None:
    """Every field of a stakeholder; `_person_row(prefix)` reads them as a worksheet row.
    `drafts`: the add form's draft key and round (its name and note are kept as drafts)."""
    _ = translator()
    kinds = list(STAKEHOLDER_KINDS)
    bands = list(SpectrumBand)
    st.text_input(
        required(_("Name")),
        value=start.name if start else "",
        key=f"{prefix}_name",
        help=up_to(MAX_NAME_CHARS, _("Who they are: a person or an organisation.")),
    )
    if drafts:
        lesson_drafts.kept_note(f"{prefix}_name", f"{drafts[0]}:name", drafts[1], _(ADD_DRAFT))
    st.selectbox(
        required(_("Kind")),
        kinds,
        index=kinds.index(start.kind) if start and start.kind in kinds else None,
        format_func=lambda k: word.kind(k, _),
        placeholder=_("Choose a kind"),
        key=f"{prefix}_kind",
    )
    st.segmented_control(
        required(
            _("Influence, {low} a little to {high} a great deal").format(
                low=INFLUENCE_MIN, high=INFLUENCE_MAX
            )
        ),
        list(range(INFLUENCE_MIN, INFLUENCE_MAX + 1)),
        default=start.influence if start else None,
        required=True,  # once chosen, a second tap keeps it (it cannot be emptied by mistake)
        key=f"{prefix}_influence",
    )
    st.selectbox(
        required(_("Where they stand")),
        bands,
        index=bands.index(start.band) if start else None,
        format_func=lambda b: word.band(b, _),
        placeholder=_("Choose where they stand"),
        key=f"{prefix}_band",
        help=_("The spectrum of allies: from active opposition to active ally."),
    )
    targets: list[SpectrumBand | None] = [None, *bands]
    st.selectbox(
        _("Where we want them"),
        targets,
        index=targets.index(start.target_band) if start else 0,
        format_func=lambda b: _("Not set") if b is None else word.band(b, _),
        key=f"{prefix}_target",
        help=_("Optional: the band you aim to move them to."),
    )
    st.segmented_control(
        required(_("Our tie with them")),
        list(TieStrength),
        default=start.tie if start else TieStrength.none,
        required=True,
        format_func=lambda t: word.tie(t, _),
        key=f"{prefix}_tie",
    )
    st.number_input(
        required(_("Hours a month")),
        value=float(start.energy_hours) if start else _NEW_HOURS,
        step=0.25,
        format="%g",
        key=f"{prefix}_hours",
        help=_("The energy this relationship would take: 0 to {hours} hours a month.").format(
            hours=MAX_ENERGY_HOURS
        ),
    )
    st.text_area(
        _("Note"),
        value=start.note if start else "",
        key=f"{prefix}_note",
        help=up_to(MAX_NOTE_CHARS, _("Anything to remember.")),
    )
    if drafts:
        lesson_drafts.kept_note(f"{prefix}_note", f"{drafts[0]}:note", drafts[1], _(ADD_DRAFT))
    st.checkbox(
        _("Not our battle: never propose investing here"),
        value=start.not_our_battle if start else False,
        key=f"{prefix}_nob",
    )
    st.checkbox(
        _("Must invest: always include in the proposal"),
        value=start.must_invest if start else False,
        key=f"{prefix}_must",
    )


def _person_row(prefix: str) -> dict[str, Any]:
    """The stakeholder form's fields as a worksheet row (a dict keyed like its columns)."""

    def value(field: str) -> Any:
        return st.session_state.get(f"{prefix}_{field}")

    band, target, tie = value("band"), value("target"), value("tie")
    return {
        "name": value("name"),
        "kind": value("kind"),
        "influence": value("influence"),
        "band": band.value if band is not None else None,
        "target_band": target.value if target is not None else None,
        "tie": (tie or TieStrength.none).value,  # a required choice: never empty
        "energy_hours": value("hours"),
        "note": value("note"),
        "not_our_battle": bool(value("nob")),
        "must_invest": bool(value("must")),
    }


def _checked(row: Mapping[str, object], *, where: str, place: str) -> Any | None:
    """The form as a stakeholder (the worksheet's own checks), or None after saying why."""
    _ = translator()
    titles = {  # as the form labels them
        "name": _("Name"),
        "kind": _("Kind"),
        "influence": _("Influence"),
        "band": _("Where they stand"),
        "target_band": _("Where we want them"),
        "tie": _("Our tie with them"),
        "energy_hours": _("Hours a month"),
        "note": _("Note"),
        "not_our_battle": _("Not our battle"),
        "must_invest": _("Must invest"),
    }
    parsed = map_worksheet.parse_worksheet(
        [row], defaults={}, t=translations(), titles=titles, brief=True
    )
    if parsed.problems:
        refuse(where, place, list(parsed.problems[0].problems))
        return None
    if not parsed.rows:  # every field left empty: say so, never drop it silently
        refuse(
            where,
            place,
            [
                _(
                    "Nothing was filled in: a stakeholder needs a name, a kind, an influence and "
                    "where they stand."
                )
            ],
        )
        return None
    return parsed.rows[0].stakeholder


def _add_person(store: Store, seat: Seat, prefix: str, where: str) -> None:
    """The add form's button (a callback: the save happens before the page is drawn)."""
    place = "cards_add_person"
    stakeholder = _checked(_person_row(prefix), where=where, place=place)
    if stakeholder is not None and _save_stakeholders(
        store, seat, StakeholderChanges(added=(stakeholder,)), where=where, place=place
    ):
        next_round(where, "person")


def _update_person(
    store: Store, seat: Seat, person: Stakeholder, prefix: str, where: str, position: int
) -> None:
    place = f"cards_person_{person.id}"
    stakeholder = _checked(_person_row(prefix), where=where, place=place)
    if stakeholder is None:
        return
    fields = {
        key: getattr(stakeholder, key)
        for key in map_worksheet.FIELDS
        if getattr(stakeholder, key) != getattr(person, key)
    }
    if not fields:
        unchanged(where, place)
        return
    update = StakeholderUpdate(person.id, fields, stakeholder)
    changes = StakeholderChanges(updated=(update,))
    _save_stakeholders(store, seat, changes, where=where, place=place, position=position)


def stakeholder_list(store: Store, seat: Seat, *, where: str) -> None:
    """One card per stakeholder (with its edit form when opened), then the form to add one."""
    _ = translator()
    group_id = seat.group.id
    base = map_editor.base_map(store, group_id)
    version = map_editor.editing_version(group_id)
    gone = map_gone.position(where, "person")
    editing = st.session_state.get(EDITING.format(where=where))
    with st.container(key=f"mapcards_{where}_people"):
        if base.is_empty:
            st.caption(_("No stakeholders yet: add the first one below."))
        for position, person in enumerate(base.stakeholders):
            if position == gone:
                map_gone.notice(where, "person", outcome)
            with st.container(border=True, key=f"{where}_person_{person.id}"):
                user_text(f"{isolate(person.name)} (#{person.id})")
                st.text(_summary(person))
                if editing == ("person", person.id):
                    _edit_stakeholder(
                        store, seat, person, where=where, version=version, position=position
                    )
                else:
                    outcome(where, f"cards_person_{person.id}")
                    st.button(
                        _("Edit #{id}").format(id=person.id),
                        key=f"{where}_edit_person_{person.id}",
                        icon=":material/edit:",
                        on_click=open_card,
                        args=(where, ("person", person.id)),
                    )
        if gone is not None and gone >= len(base.stakeholders):  # the last card went
            map_gone.notice(where, "person", outcome)
        st.subheader(_("Add a stakeholder"))
        required_note()
        # Keyed by what this browser added, not by the map's version: saving another card
        # must not empty what is half typed here. Its drafts' key stays (a reload starts over).
        lesson_drafts.script()
        added = added_round(where, "person")
        drafts = (f"w{seat.workshop.id}-p{seat.participant.id}:{where}:add_person", added)
        prefix = f"{where}_new_{added}"
        with (
            st.container(key=f"{where}_add_person"),
            st.form(f"{prefix}_form", enter_to_submit=False),
        ):
            _stakeholder_fields(prefix, None, drafts)
            outcome(where, "cards_add_person")
            st.form_submit_button(
                _("Add this stakeholder"),
                type="primary",
                icon=":material/person_add:",
                on_click=_add_person,
                args=(store, seat, prefix, where),
            )


def _edit_stakeholder(
    store: Store, seat: Seat, person: Stakeholder, *, where: str, version: int, position: int
) -> None:
    _ = translator()
    required_note()
    prefix = f"{where}_p{person.id}_{version}"
    with st.form(f"{where}_person_form_{person.id}_{version}", enter_to_submit=False):
        _stakeholder_fields(prefix, person)
        outcome(where, f"cards_person_{person.id}")
        st.form_submit_button(
            _("Save changes"),
            type="primary",
            icon=":material/save:",
            on_click=_update_person,
            args=(store, seat, person, prefix, where, position),
        )
    what = ("person", person.id)
    card_actions(store, seat, what, where=where, position=position, label=person.name)


def _remove(
    store: Store, seat: Seat, what: tuple[Any, ...], where: str, position: int, label: str
) -> None:
    _ = translator()
    map_gone.remember(where, what[0], position)
    if what[0] == "person":
        _save_stakeholders(
            store,
            seat,
            StakeholderChanges(deleted_ids=(what[1],)),
            where=where,
            place=map_gone.place("person"),
            close=True,
            removed=label,
        )
    else:
        save_ties(
            store,
            seat,
            TieChanges(removed=(what[1],)),
            _("Removed the tie."),
            where=where,
            place=map_gone.place("tie"),
            close=True,
            removed=label,
        )


def card_actions(
    store: Store, seat: Seat, what: tuple[Any, ...], *, where: str, position: int, label: str
) -> None:
    """Close the card, or remove what it holds (asked once more first); `position`: the
    card's place in its list, where the removal will be said; `label`: what the card holds
    (a stakeholder's name, a tie's two names), named when it is removed."""
    _ = translator()
    if st.session_state.get(_REMOVING.format(where=where)) == what:
        question = (
            _("Remove this stakeholder and its ties from the map?")
            if what[0] == "person"
            else _("Remove this tie from the map?")
        )
        st.warning(question, icon=":material/delete:")
        with st.container(horizontal=True):
            st.button(
                _("Yes, remove"),
                key=f"{where}_remove_yes",
                type="primary",
                on_click=_remove,
                args=(store, seat, what, where, position, label),
            )
            st.button(
                _("Keep it"), key=f"{where}_remove_no", on_click=open_card, args=(where, what)
            )
        return
    with st.container(horizontal=True):
        st.button(
            _("Close"),
            key=f"{where}_close",
            icon=":material/close:",
            on_click=_close,
            args=(where,),
        )
        st.button(
            _("Remove…"),
            key=f"{where}_remove",
            icon=":material/delete:",
            on_click=_ask_remove,
            args=(where, what),
        )


def save_ties(
    store: Store,
    seat: Seat,
    changes: TieChanges,
    message: str,
    *,
    where: str,
    place: str,
    close: bool = False,
    removed: str | None = None,
) -> bool:
    _ = translator()
    try:
        saved = store.save_tie_changes(group_id=seat.group.id, changes=changes)
    except StoreError as error:
        refuse(where, place, [str(error)])
        return False
    if saved.ties_dropped:
        message += " " + _(
            "It was left out: a stakeholder in it had been deleted on another device."
        )
    done(seat, message, where=where, place=place, close=close, removed=removed)
    return True
