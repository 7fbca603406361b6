"""Draws a lesson's exercise by its kind; each kind has its own component."""

from __future__ import annotations

from workbook.lessons import Lesson
from workbook.models import ExerciseKind
from workbook.records import Seat
from workbook.store import Store
from workbook.ui import action_plan, map_page

_EXERCISES = {
    ExerciseKind.action_plan: action_plan.render,
    ExerciseKind.stakeholder_map: map_page.stakeholder_map_exercise,
    ExerciseKind.trade_offs: map_page.trade_offs_exercise,
    ExerciseKind.voices: map_page.voices_exercise,
}


def render(store: Store, seat: Seat, lesson: Lesson) -> None:
    if lesson.exercise is None:
        return
    _EXERCISES[lesson.exercise](store, seat)
