"""The console's questions of the room's step: each prompt and rating statement with its
controls (on the projector, answers open or closed, results revealed or hidden) and how its
results are shown (on phones, approval first, order of answers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from workbook.i18n import N_
from workbook.lessons import Lesson
from workbook.live import PROMPT, RATING, STEP_SCREEN, Focus, ItemKind, ItemState, Room, valid_focus
from workbook.records import Workshop
from workbook.store import RoomMovedError, Store, StoreError
from workbook.ui.i18n import ngettext, translations, translator


def render(
    store: Store,
    workshop: Workshop,
    room: Room,
    lesson: Lesson,
    *,
    on_refused: Callable[[RoomMovedError], None],
) -> None:
    """This step's questions, each with its controls (the console's left column)."""
    _ = translator()
    st.subheader(_("This step's questions"))
    prompt_ids = [p.id for p in lesson.prompts]
    statement_ids = [s.id for s in lesson.ratings]
    focus = valid_focus(room.focus, prompt_ids, statement_ids)
    if focus is None:
        st.caption(_("This step has an exercise only: nothing to collect on the projector."))
        return
    states = store.item_states(workshop_id=workshop.id, lesson_id=lesson.id)
    items: list[tuple[ItemKind, str, str]] = [(PROMPT, p.id, p.text) for p in lesson.prompts]
    items += [(RATING, s.id, s.text) for s in lesson.ratings]
    shown = [states.get((kind, item_id)) for kind, item_id, _text in items]
    st.caption(
        _state_sentence(
            revealed=sum(1 for state in shown if state is not None and state.revealed),
            closed=sum(1 for state in shown if state is not None and not state.open),
            total=len(items),
        )
    )
    for kind, item_id, text in items:
        state = states.get((kind, item_id))
        is_open = state.open if state else True
        revealed = state.revealed if state else False
        on_screen = focus == Focus(kind, item_id) and room.screen == STEP_SCREEN
        key = f"{kind}_{item_id}"
        with st.container(border=True, key=f"facilitator_item_{key}"):
            label = _("Question") if kind == PROMPT else _("Rating statement")
            badges = [label, _("answers open") if is_open else _("answers closed")]
            badges.append(_("results shown") if revealed else _("results hidden"))
            if state is not None and state.approve_first:
                badges.append(_("you approve answers first"))
            if on_screen:
                badges.insert(0, _("ON THE PROJECTOR"))
            st.caption(" · ".join(badges))
            st.text(text)
            # Side by side, wrapping on a narrower window, so no label is ever cut short.
            buttons = st.container(horizontal=True, key=f"facilitator_item_buttons_{key}")
            buttons.button(
                _("On the projector") if on_screen else _("Show on projector"),
                key=f"facilitator_show_{key}",
                icon=":material/tv:",
                disabled=on_screen,
                on_click=_show,
                args=(store, workshop.id, room.current_step, Focus(kind, item_id), on_refused),
                width="content",
            )
            buttons.button(
                _("Close answers") if is_open else _("Open answers"),
                key=f"facilitator_open_{key}",
                icon=":material/lock:" if is_open else ":material/lock_open:",
                on_click=_set_item,
                args=(store, workshop.id, room.current_step, lesson.id, kind, item_id, on_refused),
                kwargs={"open": not is_open},
                width="content",
            )
            buttons.button(
                _("Hide results") if revealed else _("Reveal results"),
                key=f"facilitator_reveal_{key}",
                icon=":material/visibility_off:" if revealed else ":material/visibility:",
                type="secondary" if revealed else "primary",
                on_click=_set_item,
                args=(store, workshop.id, room.current_step, lesson.id, kind, item_id, on_refused),
                kwargs={"revealed": not revealed},
                width="content",
            )
            _item_view(store, workshop.id, lesson.id, kind, item_id, state or ItemState())


_ON_PHONES = {True: N_("After reveal"), False: N_("Never")}
_ORDER = {False: N_("Newest first"), True: N_("Most supported")}
_APPROVE_FIRST = {False: N_("Show answers as they come"), True: N_("I approve answers first")}
# Per question turned to "I approve answers first": how many answers given so far that took
# off the screen, said under the control while any of them still waits.
_MOVED_TO_QUEUE = "facilitator_moved_to_queue"


def _state_sentence(*, revealed: int, closed: int, total: int) -> str:
    """The line above the questions, saying what the room sees now (it follows each reveal)."""
    _ = translator()
    if revealed == 0:
        if closed == 0:
            return _(
                "Answers are open and results hidden until you change them, so early answers "
                "do not steer the rest. Reveal when the room is ready."
            )
        return _(
            "Results are hidden until you reveal them, so early answers do not steer the rest."
        )
    if revealed >= total:
        return _("The results of every question here are shown to the room.")
    return (
        translations()
        .ngettext(
            "The results of {n} of {total} questions here are shown; the others stay hidden "
            "until you reveal them.",
            "The results of {n} of {total} questions here are shown; the others stay hidden "
            "until you reveal them.",
            revealed,
        )
        .format(n=revealed, total=total)
    )


def _item_view(
    store: Store, workshop_id: int, lesson_id: str, kind: ItemKind, item_id: str, state: ItemState
) -> None:
    """Per question: whether phones show its results once revealed, and (for a question with
    open answers) whether its answers wait for approval and their order on the projector and
    here."""
    _ = translator()
    key = f"{kind}_{item_id}"
    # Side by side, wrapping on a narrower window (in columns their labels were cut).
    row = st.container(horizontal=True, key=f"facilitator_item_view_{kind}_{item_id}")
    view = (store, workshop_id, lesson_id, kind, item_id)
    stored_choice(
        row,
        _("Results on phones"),
        [True, False],
        state.on_phones,
        name=f"facilitator_phones_{key}",
        format_func=lambda chosen: _(_ON_PHONES[chosen]),
        on_change=lambda chosen: _set_view(*view, "on_phones", chosen),
        help=_(
            "After reveal: once you reveal the results, phones show them too (hidden answers "
            "never). Never: they stay on the projector."
        ),
    )
    if kind != PROMPT:
        return
    stored_choice(
        st.container(),
        _("New answers"),
        [False, True],
        state.approve_first,
        name=f"facilitator_approve_first_{key}",
        format_func=lambda chosen: _(_APPROVE_FIRST[chosen]),
        on_change=lambda chosen: _set_approve_first(store, workshop_id, lesson_id, item_id, chosen),
        help=_(
            "Show answers as they come: the room sees each answer once results are revealed. "
            "I approve answers first: new answers wait on this console until you approve them; "
            "the room sees none before."
        ),
    )
    _moved_note(store, workshop_id, lesson_id, item_id, state)
    stored_choice(
        row,
        _("Order of answers"),
        [False, True],
        state.by_support,
        name=f"facilitator_by_support_{key}",
        format_func=lambda chosen: _(_ORDER[chosen]),
        on_change=lambda chosen: _set_view(*view, "by_support", chosen),
        help=_(
            "On the projector and in the answers here. People support answers on their "
            "phones once the results are revealed."
        ),
    )


def stored_choice(
    where: DeltaGenerator,
    label: str,
    options: list[Any],
    stored: Any,
    *,
    name: str,
    format_func: Callable[[Any], str | None],
    on_change: Callable[[Any], None],
    help: str | None = None,
) -> None:
    """A segmented control showing a value kept in the store. Its key names the stored value,
    so a change in the store (a move, another console) draws a fresh control; a control set
    through session state on every run instead sent stale choices back on a full redraw and
    disturbed the console's other widgets (the projector left the step; typed minutes reset)."""
    key = f"{name}_{stored}"
    where.segmented_control(
        label,
        options,
        default=stored,
        required=True,
        format_func=format_func,
        key=key,
        on_change=lambda: on_change(st.session_state[key]),
        help=help,
    )


def _set_view(
    store: Store,
    workshop_id: int,
    lesson_id: str,
    kind: ItemKind,
    item_id: str,
    what: str,
    value: object,
) -> None:
    try:
        store.set_item_view(
            workshop_id=workshop_id,
            lesson_id=lesson_id,
            kind=kind,
            item_id=item_id,
            **{what: bool(value)},
        )
    except StoreError as error:
        st.toast(error.shown(translator()))


def _set_approve_first(
    store: Store, workshop_id: int, lesson_id: str, prompt_id: str, value: object
) -> None:
    try:
        moved = store.set_approve_first(
            workshop_id=workshop_id,
            lesson_id=lesson_id,
            prompt_id=prompt_id,
            approve_first=bool(value),
        )
    except StoreError as error:
        st.toast(error.shown(translator()))
        return
    notes = st.session_state.setdefault(_MOVED_TO_QUEUE, {})
    if moved:
        notes[(workshop_id, lesson_id, prompt_id)] = moved
    elif not value:
        notes.pop((workshop_id, lesson_id, prompt_id), None)


def waiting_note_shown() -> bool:
    """Whether a note on answers now waiting (`_moved_note`) may be on this console."""
    return bool(st.session_state.get(_MOVED_TO_QUEUE))


def _moved_note(
    store: Store, workshop_id: int, lesson_id: str, prompt_id: str, state: ItemState
) -> None:
    """Right after "I approve answers first" took answers already given off the screen: say
    so, while any answer of the question still waits (answers do not vanish unexplained).
    Its count follows what waits: never more than wait now, never more than it said before
    (approving in the moderation panel draws the console again while this note shows,
    `waiting_note_shown`)."""
    notes = st.session_state.get(_MOVED_TO_QUEUE) or {}
    moved = notes.get((workshop_id, lesson_id, prompt_id))
    if not moved:
        return
    waiting = (
        state.approve_first
        and store.answer_tally(
            workshop_id=workshop_id, lesson_id=lesson_id, prompt_id=prompt_id
        ).waiting
    )
    if not waiting:
        notes.pop((workshop_id, lesson_id, prompt_id), None)
        return
    moved = notes[(workshop_id, lesson_id, prompt_id)] = min(moved, waiting)
    st.info(
        ngettext(
            "{n} answer already given now waits for your approval: approve it under "
            "“Answers on the projector” to put it back on the screen.",
            "{n} answers already given now wait for your approval: approve them under "
            "“Answers on the projector” to put them back on the screen.",
            moved,
        ),
        icon=":material/pending:",
    )


def _show(
    store: Store,
    workshop_id: int,
    shown: int,
    focus: Focus,
    on_refused: Callable[[RoomMovedError], None],
) -> None:
    try:
        store.set_focus(workshop_id=workshop_id, focus=focus, at_step=shown)
    except RoomMovedError as error:
        on_refused(error)


def _set_item(
    store: Store,
    workshop_id: int,
    shown: int,
    lesson_id: str,
    kind: ItemKind,
    item_id: str,
    on_refused: Callable[[RoomMovedError], None],
    **change: bool,
) -> None:
    try:
        store.set_item_state(
            workshop_id=workshop_id,
            lesson_id=lesson_id,
            kind=kind,
            item_id=item_id,
            at_step=shown,
            **change,
        )
        # Revealing a question also puts it on the projector: that is what was meant.
        if change.get("revealed"):
            store.set_focus(workshop_id=workshop_id, focus=Focus(kind, item_id), at_step=shown)
    except RoomMovedError as error:
        on_refused(error)
