"""The console's timer for the room's step: start it with the step's minutes (or typed ones),
pause, resume, add a minute, stop. The projector and the phones show it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from workbook.lessons import Lesson
from workbook.live import (
    Room,
    Timer,
    add_time,
    clock,
    pause_timer,
    plural,
    resume_timer,
    start_timer,
)
from workbook.records import Workshop
from workbook.store import RoomMovedError, Store
from workbook.store.database import utc_now


def render(
    store: Store,
    workshop: Workshop,
    room: Room,
    lesson: Lesson,
    *,
    on_refused: Callable[[RoomMovedError], None],
) -> None:
    """The timer's state and controls for the room's step; `on_refused` says a change made
    after another tab or device moved the room."""
    st.subheader("Timer")
    shown = room.current_step
    now = utc_now()
    timer = room.timer
    left = timer.left(now)
    if left is None:
        st.caption("No timer running. It shows on the projector once started.")
    elif timer.is_paused:
        st.markdown(f"**Paused at {clock(left)}**")
    elif left == 0:
        st.markdown("**Time is up** (the projector says so).")
    else:
        _running_line(timer)
    minutes_col, start_col = st.columns([1, 1], vertical_alignment="bottom")
    minutes_col.number_input(
        "Minutes for this step",
        min_value=1,
        max_value=120,
        value=lesson.timer_minutes,
        step=1,
        key=f"facilitator_minutes_{lesson.id}",
        help="The lesson suggests " + plural(lesson.timer_minutes, "minute") + ".",
    )
    start_col.button(
        "Start timer" if left is None else "Restart timer",
        key="facilitator_timer_start",
        icon=":material/timer:",
        on_click=_start_timer,
        args=(store, workshop.id, shown, f"facilitator_minutes_{lesson.id}", on_refused),
        width="stretch",
    )
    if left is None:
        return
    pause, more, stop = st.columns(3)
    if timer.is_paused:
        pause.button(
            "Resume",
            key="facilitator_timer_resume",
            icon=":material/play_arrow:",
            on_click=lambda: _save_timer(
                store, workshop.id, shown, resume_timer(timer, utc_now()), on_refused
            ),
            width="stretch",
        )
    else:
        pause.button(
            "Pause",
            key="facilitator_timer_pause",
            icon=":material/pause:",
            disabled=left == 0,
            on_click=lambda: _save_timer(
                store, workshop.id, shown, pause_timer(timer, utc_now()), on_refused
            ),
            width="stretch",
        )
    more.button(
        "+1 minute",
        key="facilitator_timer_more",
        on_click=lambda: _save_timer(
            store, workshop.id, shown, add_time(timer, 60, utc_now()), on_refused
        ),
        width="stretch",
    )
    stop.button(
        "Stop timer",
        key="facilitator_timer_stop",
        on_click=lambda: _save_timer(store, workshop.id, shown, Timer(), on_refused),
        width="stretch",
    )


@st.fragment(run_every=1.0)
def _running_line(timer: Timer) -> None:
    """The running timer's time left, counted down each second as on the projector (only
    this line is redrawn; a change to the timer redraws the whole console)."""
    left = timer.left(utc_now())
    if left:
        st.markdown(f"**Running: {clock(left)} left**")
    else:
        st.markdown("**Time is up** (the projector says so).")


def _save_timer(
    store: Store,
    workshop_id: int,
    shown: int,
    timer: Timer,
    on_refused: Callable[[RoomMovedError], None],
) -> None:
    try:
        store.set_timer(workshop_id=workshop_id, timer=timer, at_step=shown)
    except RoomMovedError as error:
        on_refused(error)


def _start_timer(
    store: Store,
    workshop_id: int,
    shown: int,
    minutes_key: str,
    on_refused: Callable[[RoomMovedError], None],
) -> None:
    # Read the box now, not when the button was drawn: a just-typed value counts.
    _save_timer(
        store, workshop_id, shown, start_timer(st.session_state[minutes_key], utc_now()), on_refused
    )
