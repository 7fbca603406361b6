"""The console's moderation panel: the answers to the question on the projector (or to
another question of the plan the facilitator chooses, to review its waiting answers without
putting it on the screen), with how many the room sees, how many wait for the facilitator and
how many are hidden.

With "I approve answers first" on for the question (the console's per-question control), new
answers wait in a queue here, newest first, each with Approve and Hide, and "Approve all"
for the lot; the room sees none of them until approved (workbook/store/moderation.py). Every
answer the room sees can be hidden, and every hidden one restored. Answers are user text:
shown through workbook/ui/text.py, never as Markdown.

The facilitator console draws it inside its refreshing panel: `panel(store, workshop_id,
lesson, room, plan)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from workbook.lessons import Lesson
from workbook.live import (
    PROMPT,
    AnswerCard,
    AnswerTally,
    Room,
    by_support,
    valid_focus,
)
from workbook.store import Store, StoreError
from workbook.ui import console_items
from workbook.ui.author_text import literal
from workbook.ui.i18n import ngettext, translations, translator
from workbook.ui.text import isolate, user_caption, user_text

MODERATION_LIMIT = 30
_SHOW_ALL = "facilitator_show_all_answers"
_REVIEWED = "facilitator_reviewed"  # an answer was approved, hidden or restored here


def panel(
    store: Store,
    workshop_id: int,
    lesson: Lesson,
    room: Room,
    plan: Sequence[Lesson] = (),
) -> None:
    """`lesson`: the room's step; `plan`: every step of the workshop's plan (any of whose
    questions can be reviewed here; the room's step alone without it)."""
    if st.session_state.pop(_REVIEWED, False) and console_items.waiting_note_shown():
        # An answer was approved or hidden here, in the refreshing panel, while the note on
        # answers now waiting (under "New answers", outside it) shows: draw the console again
        # so that note follows at once.
        st.rerun(scope="app")
    _ = translator()
    st.subheader(_("Answers on the projector"))
    steps = list(plan) or [lesson]
    focus = valid_focus(room.focus, [p.id for p in lesson.prompts], [s.id for s in lesson.ratings])
    on_screen = (lesson.id, focus.item_id) if focus is not None and focus.kind == PROMPT else None
    chosen = _choice(steps, on_screen)
    _waiting_elsewhere(store, workshop_id, steps, chosen)
    if chosen is None:
        st.caption(
            _(
                "Put a question on the projector, or choose one above, to see its answers "
                "here, newest first, and hide any that should not be shown."
            )
        )
        return
    lesson_id, prompt_id = chosen
    if chosen != on_screen:
        st.caption(_("This question is not on the projector now."))
    cards = store.answer_cards(
        workshop_id=workshop_id,
        lesson_id=lesson_id,
        prompt_id=prompt_id,
        include_hidden=True,
        include_waiting=True,
    )
    state = store.item_state(
        workshop_id=workshop_id, lesson_id=lesson_id, kind=PROMPT, item_id=prompt_id
    )
    # Counted from the cards drawn below, so the sentence and the cards always agree.
    waiting = [card for card in cards if card.waiting]
    tally = AnswerTally(
        shown=sum(card.shown for card in cards),
        waiting=len(waiting),
        hidden=sum(card.hidden for card in cards),
    )
    with st.container(key="facilitator_answer_counts"):
        st.markdown(f"**{tally.console_sentence(translations())}**")
    notes = [_("Order: most supported first.") if state.by_support else _("Order: newest first.")]
    if state.approve_first:
        notes.append(_("You approve answers first: the room sees none until you approve it."))
    notes.append(_("Hidden answers stay stored and are left out of the summary; restore any time."))
    st.caption(" ".join(notes))
    if waiting:
        _queue(store, workshop_id, lesson_id, prompt_id, waiting)
    rest = [card for card in cards if not card.waiting]
    if state.by_support:
        rest = by_support(rest)
    if waiting and rest:
        st.markdown("**" + _("Shown or hidden") + "**")
    show_all = st.session_state.get(_SHOW_ALL, False)
    for card in rest if show_all else rest[:MODERATION_LIMIT]:
        _card(store, workshop_id, card)
    if len(rest) > MODERATION_LIMIT:
        st.toggle(
            _("Show all {n} answers (the newest {limit} are shown)").format(
                n=len(rest), limit=MODERATION_LIMIT
            ),
            key=_SHOW_ALL,
        )


def _short(text: str, limit: int = 70) -> str:
    """A question on one line, cut to `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _choice(steps: Sequence[Lesson], on_screen: tuple[str, str] | None) -> tuple[str, str] | None:
    """Which question's answers the panel shows: the one on the projector unless the
    facilitator chooses another of the plan's (to review its waiting answers without putting
    it on the screen). The choice is the projector's again whenever that changes: the box is
    keyed by what the projector shows."""
    _ = translator()
    options = [(step.id, prompt.id) for step in steps for prompt in step.prompts]
    if len(options) < 2 and on_screen in options:
        return on_screen
    numbers = {step.id: n for n, step in enumerate(steps, start=1)}
    texts = {(step.id, p.id): p.text for step in steps for p in step.prompts}

    def label(option: tuple[str, str]) -> str:
        # Plain text: Streamlit shows a select box's options as written, never as Markdown.
        said = _("Step {number}: {title}").format(
            number=numbers[option[0]], title=_short(texts[option])
        )
        # The marker first: a long option is cut at the box's end.
        return (_("On the projector") + " · " if option == on_screen else "") + said

    return st.selectbox(
        _("Review answers to"),
        options,
        index=options.index(on_screen) if on_screen in options else None,
        placeholder=_("Choose a question"),
        format_func=label,
        key="facilitator_review_" + ("_".join(on_screen) if on_screen else "none"),
    )


def _waiting_elsewhere(
    store: Store, workshop_id: int, steps: Sequence[Lesson], chosen: tuple[str, str] | None
) -> None:
    """Answers waiting for approval on the plan's other questions: said here, where the
    facilitator looks, with how to review them (only approved answers reach the projector,
    so putting the question there shows none of them)."""
    _ = translator()
    lines = []
    for number, step in enumerate(steps, start=1):
        states = store.item_states(workshop_id=workshop_id, lesson_id=step.id)
        for prompt in step.prompts:
            state = states.get((PROMPT, prompt.id))
            if state is None or not state.approve_first or chosen == (step.id, prompt.id):
                continue
            tally = store.answer_tally(
                workshop_id=workshop_id, lesson_id=step.id, prompt_id=prompt.id
            )
            if tally.waiting:
                waiting = ngettext(
                    "{n} answer waiting for you", "{n} answers waiting for you", tally.waiting
                )
                question = f"“{literal(_short(prompt.text))}”"
                said = _("Step {number}: {title}").format(number=number, title=question)
                lines.append(f"{said}: {waiting}")
    if lines:
        with st.container(key="facilitator_waiting_elsewhere"):
            st.warning(
                "; ".join(lines)
                + ". "
                + _(
                    "Choose that question under “Review answers to” to review them here: the "
                    "room sees none of them until you approve it."
                ),
                icon=":material/pending:",
            )


def _queue(
    store: Store, workshop_id: int, lesson_id: str, prompt_id: str, waiting: Sequence[AnswerCard]
) -> None:
    """Answers waiting for approval, newest first, with Approve all."""
    _ = translator()
    # One line each: the console's live column is narrow, and the button's words must fit.
    heading = _("Waiting for you: {n}").format(n=len(waiting))
    st.markdown(f"**{heading}** " + _("(newest first)"))
    st.button(
        _("Approve all"),
        key="facilitator_approve_all",
        icon=":material/done_all:",
        type="primary",
        on_click=_approve_all,
        args=(store, workshop_id, lesson_id, prompt_id),
        width="stretch",
    )
    for card in waiting[:MODERATION_LIMIT]:
        _card(store, workshop_id, card)
    if len(waiting) > MODERATION_LIMIT:
        st.caption(
            ngettext(
                "and {n} older answer waiting: approve or hide these first.",
                "and {n} older answers waiting: approve or hide these first.",
                len(waiting) - MODERATION_LIMIT,
            )
        )


def _card(store: Store, workshop_id: int, card: AnswerCard) -> None:
    _ = translator()
    with st.container(border=True, key=f"facilitator_answer_{card.id}"):
        user_text(card.text)
        if card.hidden:
            st.caption(_("HIDDEN from the screen"))
        elif card.waiting:
            st.caption(_("WAITING for your approval: not shown yet"))
        # Group and participant names are user text: escaped, never Markdown (a name that
        # is an image link would load a remote image on this screen).
        user_caption(
            isolate(card.group_name)
            + (f" · {isolate(card.author)}" if card.author else "")
            + " · "
            + ngettext("{n} support", "{n} supports", card.supports)
        )
        if card.hidden:
            st.button(
                _("Restore"),
                key=f"facilitator_restore_{card.id}",
                icon=":material/undo:",
                on_click=_moderate(store.restore_answer, workshop_id, card.id),
            )
            return
        approve = hide = st
        if card.waiting:
            approve, hide = st.columns(2)
            approve.button(
                _("Approve"),
                key=f"facilitator_approve_{card.id}",
                icon=":material/check:",
                type="primary",
                on_click=_moderate(store.approve_answer, workshop_id, card.id),
                width="stretch",
            )
        hide.button(
            _("Hide"),
            key=f"facilitator_hide_{card.id}",
            icon=":material/visibility_off:",
            on_click=_moderate(store.hide_answer, workshop_id, card.id),
            width="stretch" if card.waiting else "content",
        )


def _approve_all(store: Store, workshop_id: int, lesson_id: str, prompt_id: str) -> None:
    st.session_state[_REVIEWED] = True
    try:
        approved = store.approve_all(
            workshop_id=workshop_id, lesson_id=lesson_id, prompt_id=prompt_id
        )
    except StoreError as error:
        st.toast(error.shown(translator()))
        return
    st.toast(
        ngettext(
            "{n} answer approved: the room sees it now.",
            "{n} answers approved: the room sees them now.",
            approved,
        )
    )


def _moderate(
    action: Callable[..., None], workshop_id: int, reflection_id: int
) -> Callable[[], None]:
    def run() -> None:
        st.session_state[_REVIEWED] = True
        try:
            action(workshop_id=workshop_id, reflection_id=reflection_id)
        except StoreError as error:
            st.toast(error.shown(translator()))

    return run
