"""A workshop's lessons: the lesson files under the workshop's plan (workbook/plans). Every
screen of a workshop (phones, console, projector, exports, results) reads its lessons here,
so all of them follow the same plan."""

from __future__ import annotations

import threading
from dataclasses import replace

from workbook.lessons import LessonProblem, LessonSet
from workbook.plans import Plan, apply_plan, keep_own_items
from workbook.records import Seat
from workbook.store import Store

# Applied plans, by the lesson set and the plan object (both kept while the files and the
# stored plan are unchanged: resources.lessons and Store.workshop_plan return the same
# objects), so the hundreds of runs a room makes each minute apply each plan once.
_MAX_KEPT = 256
_applied: dict[tuple[int, int], tuple[LessonSet, Plan, LessonSet]] = {}
_applied_lock = threading.Lock()
# The same, with the own items of the workshop's earlier plans added (by the applied set and
# the store's kept OwnItems object).
_with_own: dict[tuple[int, int], tuple[LessonSet, object, LessonSet]] = {}


def _apply(lessons: LessonSet, plan: Plan) -> LessonSet:
    key = (id(lessons), id(plan))
    with _applied_lock:
        kept = _applied.get(key)
    if kept is not None and kept[0] is lessons and kept[1] is plan:
        return kept[2]
    made = apply_plan(lessons, plan)
    with _applied_lock:
        if len(_applied) >= _MAX_KEPT:
            _applied.clear()
        _applied[key] = (lessons, plan, made)
    return made


def _keep_own(store: Store, workshop_id: int, applied: LessonSet) -> LessonSet:
    own = store.workshop_own_items(workshop_id)
    if not own:
        return applied
    key = (id(applied), id(own))
    with _applied_lock:
        kept = _with_own.get(key)
    if kept is not None and kept[0] is applied and kept[1] is own:
        return kept[2]
    made = keep_own_items(applied, own.prompts, own.ratings)
    with _applied_lock:
        if len(_with_own) >= _MAX_KEPT:
            _with_own.clear()
        _with_own[key] = (applied, own, made)
    return made


def workshop_lessons(store: Store, workshop_id: int, lessons: LessonSet) -> LessonSet:
    """`lessons` under the workshop's plan, with the words of the own items of every plan
    the workshop has used (`_under_plan`)."""
    return _keep_own(store, workshop_id, _under_plan(store, workshop_id, lessons))


def _under_plan(store: Store, workshop_id: int, lessons: LessonSet) -> LessonSet:
    """`lessons` (all the lesson files, in the workshop's language once there are several)
    under the workshop's plan; with no plan, all of them in file order. A stored plan that
    cannot be read is said as a problem and every lesson runs."""
    stored = store.workshop_plan(workshop_id)
    if stored is None:
        return lessons
    if stored.plan is None:
        problem = LessonProblem("this workshop's plan", "", f"{stored.problem}; every lesson runs")
        return replace(lessons, problems=(*lessons.problems, problem))
    return _apply(lessons, stored.plan)


def seat_lessons(store: Store, seat: Seat | None, lessons: LessonSet) -> LessonSet:
    """The lessons of the workshop this person is seated in; all of them when not seated."""
    if seat is None:
        return lessons
    return workshop_lessons(store, seat.workshop.id, lessons)
