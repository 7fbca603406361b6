"""The action-plan exercise: commitments (what, who, by when, which finding if any) and how
they went.

Each commitment's card can be edited (every field, with the add form's checks: a refused
edit keeps what was typed) and removed. A removal happens at once and says so in the removed
card's place, "Removed “...”." with Undo beside it, which brings the commitment back exactly
(its place, its reviews): the pattern of a mail app's "Conversation deleted · Undo", rather
than asking first, as removing is rarely a mistake and always undoable. What a tap did is
said where it was tapped (the card, the removed card's place, the add form), as a status a
screen reader reads out, with the focus moved there when the button tapped went away.

A date already past is kept and said ("has already passed"), not refused: a group may
record what it committed to at an earlier meeting, or set a date to review by at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import streamlit as st
from pydantic import ValidationError

from workbook import i18n
from workbook.i18n import N_
from workbook.models import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    CommitmentIn,
    CommitmentStatus,
    KeyFinding,
    plain_errors,
)
from workbook.records import Commitment, Seat
from workbook.store import Store, StoreError
from workbook.store.errors import NotFoundError
from workbook.ui.i18n import language, translator
from workbook.ui.text import escaped, isolate, user_html, user_text
from workbook.ui.widgets import focus_on_said, show_errors, up_to

_ADD: Final = "action_plan"  # the add form's fields: action_plan_what, _who, _when, _finding
_FIELDS = ("action_plan_what", "action_plan_who", "action_plan_when", "action_plan_finding")
ALREADY_LISTED = N_("This commitment is already in the list above, so it was not added again.")
NO_FINDING: Final = N_("None in particular")
_NONE: Final = ""  # the finding box's "None in particular": stored as no finding (NULL)
_EDITING: Final = "action_plan_editing"  # ids of the cards whose edit form is open
_REMOVED: Final = "action_plan_removed"  # the last removal, for Undo: (group, id, place, what)
_SAID: Final = "action_plan_said_{place}"  # what a tap at `place` said: [(kind, sentence)]
_FOCUS: Final = "action_plan_focus"  # the container to bring into view on the next run
_SHORT: Final = 80  # characters of a removed commitment quoted in "Removed “...”."
_CSS: Final = """<style>
[class*="st-key-action_plan_"] button { min-height: 44px; min-width: 44px; }
.wb-status { margin: 0; padding: .75rem 1rem; border-radius: .5rem; color: rgb(0, 66, 128);
  background: rgba(28, 131, 225, .1); white-space: pre-wrap; overflow-wrap: anywhere; }
[class*="st-key-action_plan_"] [data-testid="stElementContainer"]:has(.stHtml > style:only-child),
[class*="st-key-action_plan_"] [data-testid="stElementContainer"]:has(.stHtml > script) {
  display: none; }
</style>"""


def past_date(by_when: dt.date | None, today: dt.date) -> str | None:
    """The sentence for a date that has already passed (kept as given), or None."""
    if by_when is None or by_when >= today:
        return None
    _ = translator()
    return _(
        "The date, {date}, has already passed. It was saved as you gave it: change it if you "
        "meant a later one."
    ).format(date=i18n.format_date(by_when, language()))


def render(store: Store, seat: Seat) -> None:
    _ = translator()
    round_ = seat.group.current_round
    st.subheader(_("Our commitments"))
    st.html(_CSS)
    commitments = store.commitments(seat.group.id)
    removed = st.session_state.get(_REMOVED)
    if removed is not None and removed[0] != seat.group.id:
        removed = None  # another group's (this browser joined another since)
    elif removed is not None and removed[1] in {c.id for c in commitments}:
        removed = None  # back already (added again, or undone on another device)
        st.session_state.pop(_REMOVED, None)
    if not commitments and removed is None:
        st.caption(_("No commitments yet. Add your first one below."))
    for position, commitment in enumerate(commitments):
        if removed is not None and removed[2] == position:
            _removed_notice(store, seat, removed)
        _card(store, seat, commitment, position, round_)
    if removed is not None and removed[2] >= len(commitments):
        _removed_notice(store, seat, removed)
    _add_form(store, seat, round_)


# --- one commitment ----------------------------------------------------------------------------


def _card(store: Store, seat: Seat, commitment: Commitment, position: int, round_: int) -> None:
    _ = translator()
    key = f"action_plan_item_{commitment.id}"
    editable = round_ <= commitment.round  # a past round's commitment is reviewed, not rewritten
    with st.container(border=True, key=key):
        if editable and commitment.id in st.session_state.get(_EDITING, set()):
            _edit_form(store, seat, commitment)
            return
        user_text(commitment.what)
        details = []
        if commitment.who:
            details.append(_("Who: {who}").format(who=isolate(commitment.who)))
        if commitment.key_finding is not None:
            details.append(_("Finding: {finding}").format(finding=_(commitment.key_finding.label)))
        if commitment.by_when:
            by = i18n.format_date(commitment.by_when, language())
            details.append(_("By {date}").format(date=by))
        if details:
            st.text(" · ".join(details))
        _outcome(f"item_{commitment.id}", key)
        if not editable:
            _review(store, seat, commitment, round_)
            return
        with st.container(horizontal=True, key=f"action_plan_buttons_{commitment.id}"):
            st.button(
                _("Edit"),
                key=f"action_plan_edit_{commitment.id}",
                icon=":material/edit:",
                on_click=_open,
                args=(commitment.id,),
            )
            st.button(
                _("Remove"),
                key=f"action_plan_remove_{commitment.id}",
                icon=":material/delete:",
                on_click=_remove,
                args=(store, seat, commitment, position),
            )


def _review(store: Store, seat: Seat, commitment: Commitment, round_: int) -> None:
    """How a past round's commitment went, marked in this round."""
    _ = translator()
    statuses = list(CommitmentStatus)
    current = commitment.status if commitment.status_round == round_ else None
    status = st.segmented_control(
        _("How did it go?"),
        statuses,
        default=current,
        format_func=lambda s: _(CommitmentStatus(s).label),
        key=f"action_plan_status_{commitment.id}_{round_}",
    )
    if status is not None and status != current:
        try:
            store.review_commitment(
                group_id=seat.group.id, commitment_id=commitment.id, round=round_, status=status
            )
        except StoreError as error:
            st.error(error.shown(translator()))
        else:
            st.caption(_("Marked: {status}.").format(status=_(status.label)))


def _open(commitment_id: int) -> None:
    st.session_state[_EDITING] = st.session_state.get(_EDITING, set()) | {commitment_id}


GONE_WHILE_EDITING: Final = N_(
    "That commitment was removed, perhaps on another device, so your changes were not saved. "
    "What you typed is in this form now: add it again to keep it."
)


def _close(commitment_id: int) -> None:
    st.session_state[_EDITING] = st.session_state.get(_EDITING, set()) - {commitment_id}


def _edit_form(store: Store, seat: Seat, commitment: Commitment) -> None:
    _ = translator()
    prefix = f"action_plan_edit_{commitment.id}"
    with st.form(f"{prefix}_form", enter_to_submit=False, border=False):
        st.markdown("**" + _("Edit this commitment") + "**")
        _fields(prefix, commitment)
        _outcome(f"edit_{commitment.id}", f"action_plan_item_{commitment.id}")
        with st.container(horizontal=True):
            st.form_submit_button(
                _("Save changes"),
                type="primary",
                icon=":material/check:",
                on_click=_save_edit,
                args=(store, seat, commitment, prefix),
            )
            st.form_submit_button(_("Cancel"), on_click=_close, args=(commitment.id,))


def _save_edit(store: Store, seat: Seat, commitment: Commitment, prefix: str) -> None:
    """The edit form's Save (a callback: saved before the page is drawn)."""
    _ = translator()
    place = f"edit_{commitment.id}"
    edited = _checked(prefix, place)
    if edited is None:
        return
    try:
        changed = store.edit_commitment(
            group_id=seat.group.id, commitment_id=commitment.id, commitment=edited
        )
    except NotFoundError:
        # Removed meanwhile (another tab or device): its card and this form are gone from the
        # page, so what was typed moves to the add form, with the reason said there.
        _close(commitment.id)
        for field, key in zip(("what", "who", "when", "finding"), _FIELDS, strict=True):
            st.session_state[key] = st.session_state.get(f"{prefix}_{field}")
        _say("add", [("error", _(GONE_WHILE_EDITING))])
        st.session_state[_FOCUS] = "action_plan_add"
        return
    except StoreError as error:
        _say(place, [("error", error.shown(translator()))])
        return
    _close(commitment.id)
    st.session_state.pop(_REMOVED, None)  # a newer action: the last removal's Undo goes
    said = [("success", _("Changes saved.") if changed else _("Nothing was changed."))]
    warning = past_date(edited.by_when, dt.date.today()) if changed else None
    if warning:
        said.append(("warning", warning))
    _say(f"item_{commitment.id}", said)
    st.session_state[_FOCUS] = f"action_plan_item_{commitment.id}"


# --- removing, and its Undo --------------------------------------------------------------------


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHORT else flat[: _SHORT - 1].rstrip() + "…"


def _remove(store: Store, seat: Seat, commitment: Commitment, position: int) -> None:
    try:
        store.remove_commitment(group_id=seat.group.id, commitment_id=commitment.id)
    except StoreError as error:
        _say(f"item_{commitment.id}", [("error", error.shown(translator()))])
        return
    _close(commitment.id)
    st.session_state[_REMOVED] = (seat.group.id, commitment.id, position, commitment.what)
    st.session_state[_FOCUS] = "action_plan_removed"


def _undo(store: Store, seat: Seat, commitment_id: int) -> None:
    _ = translator()
    try:
        store.restore_commitment(group_id=seat.group.id, commitment_id=commitment_id)
    except StoreError as error:
        _say("removed", [("error", error.shown(translator()))])
        return
    st.session_state.pop(_REMOVED, None)
    _say(f"item_{commitment_id}", [("success", _("Brought back."))])
    st.session_state[_FOCUS] = f"action_plan_item_{commitment_id}"


def _removed_notice(store: Store, seat: Seat, removed: tuple[int, int, int, str]) -> None:
    """In the removed card's place: what was removed, and Undo."""
    _ = translator()
    _group, commitment_id, _position, what = removed
    key = "action_plan_removed"
    with st.container(border=True, key=key):
        sentence = escaped(_("Removed “{what}”.")).format(what=user_html(_short(what)))
        st.html(f'<p class="wb-status" role="status">{sentence}</p>')
        _outcome("removed", key)
        st.button(
            _("Undo"),
            key="action_plan_undo",
            icon=":material/undo:",
            on_click=_undo,
            args=(store, seat, commitment_id),
            help=_("Brings the commitment back as it was, in its place in the list."),
        )


# --- what a tap said, where it was tapped ------------------------------------------------------


def _say(place: str, said: list[tuple[str, str]]) -> None:
    st.session_state[_SAID.format(place=place)] = said


def _outcome(place: str, container: str) -> None:
    """What the last tap at `place` said (once); brought into view with the focus on it when
    the button tapped has gone (`_FOCUS`)."""
    said = st.session_state.pop(_SAID.format(place=place), None)
    for kind, sentence in said or []:
        if kind == "error":
            show_errors([sentence], kept=place.startswith(("edit_", "add")))
        elif kind == "warning":
            st.warning(sentence, icon=":material/event_busy:")
        else:
            st.success(sentence, icon=":material/check_circle:")
    if st.session_state.get(_FOCUS) == container:
        st.session_state.pop(_FOCUS)
        focus_on_said(container)


# --- the form's fields, and adding -------------------------------------------------------------


def _fields(prefix: str, start: Commitment | None) -> None:
    """What, who, by when and which finding; the add form's start empty (no finding chosen)."""
    _ = translator()
    st.text_area(
        _("What will we do?"),
        value=start.what if start else "",
        key=f"{prefix}_what",
        height=100,
        help=up_to(MAX_NOTE_CHARS),
    )
    left, middle, right = st.columns(3)
    left.text_input(
        _("Who will do it?"),
        value=start.who if start else "",
        key=f"{prefix}_who",
        help=up_to(MAX_NAME_CHARS),
    )
    middle.date_input(
        _("By when?"),
        value=start.by_when if start else None,
        key=f"{prefix}_when",
        format="DD/MM/YYYY",
        min_value=dt.date(2000, 1, 1),
        help=_("Optional. A date already past is kept, and said."),
    )
    # "None in particular" is a choice of its own, shown as one (Streamlit shows a None
    # option as its empty placeholder), and the one a new commitment starts on.
    findings: list[str] = [_NONE, *KeyFinding]
    right.selectbox(
        _("Which key finding does it act on? (optional)"),
        findings,
        index=findings.index(start.key_finding or _NONE) if start else 0,
        format_func=lambda f: _(NO_FINDING) if f == _NONE else _(KeyFinding(f).label),
        key=f"{prefix}_finding",
    )


def _checked(prefix: str, place: str) -> CommitmentIn | None:
    """The form's fields as a commitment (its checks), or None after saying what to fix."""

    def value(field: str) -> Any:
        return st.session_state.get(f"{prefix}_{field}")

    try:
        return CommitmentIn(
            what=value("what") or "",
            who=value("who") or "",
            by_when=value("when"),
            key_finding=value("finding") or None,
        )
    except ValidationError as error:
        problems = plain_errors(error, CommitmentIn, language())
        _say(place, [("error", sentence) for sentence in problems])
        return None


def _add_form(store: Store, seat: Seat, round_: int) -> None:
    _ = translator()
    with st.form("action_plan_add", enter_to_submit=False):
        st.markdown("**" + _("Add a commitment") + "**")
        _fields(_ADD, None)
        _outcome("add", "action_plan_add")
        st.form_submit_button(
            _("Add commitment"),
            type="primary",
            icon=":material/add:",
            on_click=_add,
            args=(store, seat, round_),
        )


def _add(store: Store, seat: Seat, round_: int) -> None:
    """The add form's button (a callback: saved before the page is drawn, so what it says
    shows just above the button, and the emptied form is drawn empty)."""
    _ = translator()
    commitment = _checked(_ADD, "add")
    if commitment is None:
        return
    listed = {c.id for c in store.commitments(seat.group.id)}
    try:
        added = store.add_commitment(seat=seat, commitment=commitment, round=round_)
    except StoreError as error:
        _say("add", [("error", error.shown(translator()))])
        return
    for key, empty in zip(_FIELDS, ("", "", None, _NONE), strict=True):
        st.session_state[key] = empty
    st.session_state.pop(_REMOVED, None)  # a newer action: the last removal's Undo goes
    said = [("success", _(ALREADY_LISTED) if added in listed else _("Commitment added."))]
    warning = past_date(commitment.by_when, dt.date.today())
    if warning and added not in listed:
        said.append(("warning", warning))
    _say("add", said)
