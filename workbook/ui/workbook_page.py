"""The workbook page: the walk-through, one lesson at a time, with its text, prompts, ratings
and exercise. In a facilitated workshop that follows the facilitator, the step moves with the
room."""

from __future__ import annotations

import zlib

import streamlit as st

from workbook.i18n import N_
from workbook.lessons import Lesson
from workbook.progress import clamp_step, step_label
from workbook.records import Seat
from workbook.server.admission import admitted
from workbook.store import Store
from workbook.ui import context, exercises, lesson_form, pacing, room_results
from workbook.ui.author_text import literal
from workbook.ui.i18n import language, picker, translator
from workbook.ui.widgets import seat_header

JUMP_LABEL = N_("Jump to a step")


def render() -> None:
    """The whole page: the step this person is on, its lesson, questions, results and exercise."""
    if not context.handed_to_page():
        context.load()  # a page run without app.py: it runs again through app.py
        return
    _walkthrough()


# The language the page around the walk-through (app.py's tabs and links) was last drawn in.
_DRAWN_IN = "workbook_page_drawn_in"


@st.fragment
@admitted
def _walkthrough() -> None:
    """The page's body, as a fragment: when the room moves, each following phone is woken to
    rerun this, not the whole app (workbook.server.room_push), so app.py's page set-up,
    navigation and links are not drawn again 200 times (bench/RESULTS.md, "Profiled").
    Inside a page run it uses the context app.py read; on its own run it reads its own."""
    own_run = not context.handed_to_page()
    ctx = context.load_in_fragment()
    if own_run and st.session_state.get(_DRAWN_IN) != language():
        st.rerun(scope="app")  # a new language: the tabs and links around it change too
    st.session_state[_DRAWN_IN] = language()
    _ = translator()
    seat = ctx.seat
    lessons = ctx.lessons.lessons
    if seat is None:  # navigation offers this page to seated visitors only; a stale tab lands here
        st.switch_page("pages/start.py")
        return
    if not lessons:
        st.error(
            _("No lessons could be loaded. Ask whoever runs the app to check the lessons folder.")
        )
        st.stop()
    store = ctx.store
    step = pacing.step_now(store, seat, len(lessons))
    lesson = lessons[step]
    total = len(lessons)

    follows = pacing.follows_a_room(seat)
    # Fixed slots: the body's fragments (the room's poll, the form, the room's results) are
    # each at the same place in every run of the body, whatever notices are shown above them.
    # Streamlit names a fragment by its place, so one that moved would be a second fragment,
    # and one drawn by a page run would live on beside it (two result blocks, one stale).
    with st.container():
        if follows:
            revealed = room_results.reveal_news(store, seat, lesson)
            pacing.room_notice([each.title for each in lessons], step, results_revealed=revealed)
        seat_header(seat)
        picker()
        lesson_form.page_assets(seat, lesson, [each.id for each in lessons], step)
        lesson_form.carried_note()
        if follows:
            pacing.waiting_card(
                store, seat, step, len(lesson.prompts) + len(lesson.ratings), lesson.id
            )
    # In a block of its own, so whatever the polling fragment draws on its own runs, the
    # elements after it keep their places. (Empty, and not shown, when the room is self-paced.)
    with st.container(key="pacing_block" if follows else None):
        if follows:
            pacing.watchdog(step)
            pacing.follow_the_room(store, seat, step, total)
    st.progress((step + 1) / total, text=step_label(step, total, literal(lesson.title), _))
    _step_buttons(store, seat, step, total, "top")
    with st.container():
        _lesson_text(lesson, english=lesson.id in ctx.lessons.untranslated)
    # Then the form's fragment and the results' (a lesson without questions has neither).
    lesson_form.render(store, seat, lesson, next_step=step + 1 if step < total - 1 else None)
    room_results.render(store, seat, lesson)  # once revealed: workbook/ui/room_results.py
    exercises.render(store, seat, lesson)

    st.divider()
    _step_buttons(store, seat, step, total, "bottom")
    _jump(store, seat, step, [each.title for each in lessons], [each.id for each in lessons])
    if step == total - 1:
        st.page_link("pages/results.py", label=_("See our results"), icon=":material/insights:")


def _lesson_text(lesson: Lesson, *, english: bool = False) -> None:
    _ = translator()
    st.title(literal(lesson.title))  # plain text: workbook/ui/author_text.py
    if english:
        st.caption(_("This lesson is not translated yet: it is shown in English."))
    st.caption(
        _("Key finding: {finding} · suggested time {minutes} minutes").format(
            finding=_(lesson.key_finding.label), minutes=lesson.timer_minutes
        )
    )
    with st.container(key="lesson_body"):
        st.markdown(lesson.body)
    with st.expander(_("Where this comes from")):
        for source in lesson.sources:
            st.text(source.title)  # its human title; the stored file name means nothing here


def _jump(store: Store, seat: Seat, step: int, titles: list[str], ids: list[str]) -> None:
    """Any step, from the end of the page (participants have no sidebar: on a phone it was a
    menu behind a 32 px icon). Keyed by the step and the plan's steps: after a plan change
    it is a new box, never the old plan's choice shown over the new plan's steps."""
    _ = translator()
    plan = zlib.crc32("\n".join(ids).encode("utf-8"))
    jump = st.selectbox(
        _(JUMP_LABEL),
        range(len(titles)),
        index=step,
        format_func=lambda i: f"{i + 1}. {titles[i]}",  # options are shown as text
        key=f"workbook_jump_{step}_{plan:08x}",
    )
    if jump != step:
        _go_to(store, seat, jump, len(titles))


def _go_to(store: Store, seat: Seat, new_step: int, total: int) -> None:
    store.set_participant_step(participant_id=seat.participant.id, step=clamp_step(new_step, total))
    st.rerun()


def _step_buttons(store: Store, seat: Seat, step: int, total: int, where: str) -> None:
    _ = translator()
    back, _gap, forward = st.columns([1, 2, 1])
    if step > 0 and back.button(
        _("Previous"), key=f"workbook_prev_{where}", icon=":material/arrow_back:", width="stretch"
    ):
        _go_to(store, seat, step - 1, total)
    if step < total - 1 and forward.button(
        _("Next"),
        key=f"workbook_next_{where}",
        icon=":material/arrow_forward:",
        type="primary",
        width="stretch",
    ):
        _go_to(store, seat, step + 1, total)
