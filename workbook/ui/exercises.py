"""Draws a lesson's exercise by its kind; each kind has its own component."""

from __future__ import annotations

import streamlit as st

from workbook.lessons import Lesson
from workbook.models import ExerciseKind
from workbook.records import Seat
from workbook.store import Store
from workbook.ui import action_plan


def render(store: Store, seat: Seat, lesson: Lesson) -> None:
    if lesson.exercise is None:
        return
    if lesson.exercise is ExerciseKind.action_plan:
        action_plan.render(store, seat)
        return
    # stakeholder_map, trade_offs and voices are drawn by the stakeholder-map components.
    st.info(
        "This lesson's exercise (stakeholder map, trade-offs or voices) opens on the "
        "stakeholder map screen.",
        icon=":material/hub:",
    )
