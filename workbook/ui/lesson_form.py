"""The answer form of one lesson: its prompts and rating statements, saved together."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workbook.answers import prepare_answers
from workbook.lessons import Lesson
from workbook.models import RATING_MAX, RATING_MIN
from workbook.records import Seat
from workbook.store import Store, StoreError
from workbook.ui.widgets import show_errors

RATING_OPTIONS = list(range(RATING_MIN, RATING_MAX + 1))


def render(store: Store, seat: Seat, lesson: Lesson) -> None:
    if not lesson.prompts and not lesson.ratings:
        return
    round_ = seat.group.current_round
    saved = store.saved_answers(
        participant_id=seat.participant.id, lesson_id=lesson.id, round=round_
    )
    earlier = (
        store.saved_answers(
            participant_id=seat.participant.id, lesson_id=lesson.id, round=round_ - 1
        )
        if round_ > 1
        else None
    )
    prefix = f"answer_{lesson.id}_{round_}"
    texts: dict[str, str | None] = {}
    ratings: dict[str, int | None] = {}
    with st.form(f"{prefix}_form", enter_to_submit=False):
        if lesson.prompts:
            st.subheader("Talk it through, then write it down")
        for prompt in lesson.prompts:
            texts[prompt.id] = st.text_area(
                prompt.text,
                value=saved.reflections.get(prompt.id, ""),
                key=f"{prefix}_prompt_{prompt.id}",
                help=prompt.help or None,
                height=140,
                placeholder="Your answer, in your own words",
            )
        if lesson.ratings:
            st.subheader("Rate yourselves")
            st.caption("Tap a number from 1 to 5; tap it again to clear. Leave it if unsure.")
        for statement in lesson.ratings:
            ratings[statement.id] = st.segmented_control(
                statement.text,
                RATING_OPTIONS,
                default=saved.ratings.get(statement.id),
                key=f"{prefix}_rating_{statement.id}",
                width="stretch",
            )
            scale = f"1 = {statement.low} · 5 = {statement.high}"
            if earlier and statement.id in earlier.ratings:
                scale += f" · in your first look: {earlier.ratings[statement.id]}"
            st.caption(scale)
        submitted = st.form_submit_button("Save answers", type="primary", icon=":material/save:")
    if saved.reflections or saved.ratings:
        st.caption("Your saved answers are shown above; change them and save again to update.")
    if not submitted:
        return
    prepared = prepare_answers(lesson=lesson, texts=texts, ratings=ratings, saved=saved)
    if not prepared.ok:
        show_errors([sentence for sentences in prepared.errors.values() for sentence in sentences])
        st.caption("Nothing was saved yet. Your text is still in the boxes above.")
        return
    if prepared.changes == 0:
        st.info("Nothing has changed since you last saved.", icon=":material/check:")
        return
    try:
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=round_,
            reflections=prepared.reflections,
            cleared_prompts=prepared.cleared_prompts,
            ratings=prepared.ratings,
            cleared_statements=prepared.cleared_statements,
        )
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        return
    st.success(
        f"{prepared.confirmation()} ({dt.datetime.now():%H:%M})", icon=":material/check_circle:"
    )
