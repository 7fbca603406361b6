"""The walk-through: one lesson at a time, with its text, prompts, ratings and exercise.
In a facilitated workshop that follows the facilitator, the step moves with the room."""

import streamlit as st

from workbook.progress import clamp_step, step_label
from workbook.ui import context, exercises, lesson_form, pacing
from workbook.ui.author_text import literal
from workbook.ui.room_results import render as room_results
from workbook.ui.widgets import seat_header

ctx = context.load()
seat = ctx.seat
lessons = ctx.lessons.lessons
if seat is None:  # navigation only offers this page to seated visitors; a stale tab lands here
    st.switch_page("pages/start.py")
if not lessons:
    st.error("No lessons could be loaded. Ask whoever runs the app to check the lessons folder.")
    st.stop()

step = pacing.step_now(ctx.store, seat, len(lessons))
lesson = lessons[step]


def go_to(new_step: int) -> None:
    ctx.store.set_participant_step(
        participant_id=seat.participant.id, step=clamp_step(new_step, len(lessons))
    )
    st.rerun()


def step_buttons(where: str) -> None:
    back, _, forward = st.columns([1, 2, 1])
    if step > 0 and back.button(
        "Previous", key=f"workbook_prev_{where}", icon=":material/arrow_back:", width="stretch"
    ):
        go_to(step - 1)
    if step < len(lessons) - 1 and forward.button(
        "Next",
        key=f"workbook_next_{where}",
        icon=":material/arrow_forward:",
        type="primary",
        width="stretch",
    ):
        go_to(step + 1)


if pacing.follows_a_room(seat):
    pacing.room_notice([each.title for each in lessons])
seat_header(seat)
lesson_form.page_assets(seat, lesson)
lesson_form.carried_note()
if pacing.follows_a_room(seat):
    pacing.waiting_card(ctx.store, seat, step, len(lesson.prompts) + len(lesson.ratings), lesson.id)
    # In a block of its own, so whatever the polling fragment draws on its own runs, the
    # elements after it keep their places.
    with st.container(key="pacing_block"):
        pacing.watchdog(step)
        pacing.follow_the_room(ctx.store, seat, step, len(lessons))
st.progress((step + 1) / len(lessons), text=step_label(step, len(lessons), literal(lesson.title)))
with st.sidebar:
    jump = st.selectbox(
        "Jump to a lesson",
        range(len(lessons)),
        index=step,
        format_func=lambda i: f"{i + 1}. {lessons[i].title}",
        key=f"workbook_jump_{step}",
    )
    if jump != step:
        go_to(jump)
step_buttons("top")

st.title(literal(lesson.title))  # plain text: workbook/ui/author_text.py
st.caption(
    f"Key finding: {lesson.key_finding.label} · suggested time {lesson.timer_minutes} minutes"
)
st.markdown(lesson.body)
with st.expander("Where this comes from"):
    for source in lesson.sources:
        st.text(f"{source.title} ({source.file})")

lesson_form.render(ctx.store, seat, lesson, next_step=step + 1 if step < len(lessons) - 1 else None)
room_results(ctx.store, seat, lesson)  # once revealed: workbook/ui/room_results.py

exercises.render(ctx.store, seat, lesson)

st.divider()
step_buttons("bottom")
if step == len(lessons) - 1:
    st.page_link("pages/results.py", label="See our results", icon=":material/insights:")
