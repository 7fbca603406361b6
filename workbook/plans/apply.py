"""A plan applied to the lessons: the workshop's lessons as the rest of the app reads them.

The console, projector, phones, progress, exports and follow-up rounds all take a LessonSet;
`apply_plan` makes the workshop's one: the plan's steps in order, each lesson cut to the
chosen prompts, ratings and exercise, its timer the step's minutes, the facilitator's own
items after the lesson's. A step whose lesson, prompt or statement is no longer in the
lesson files is reported as a problem (by plan and step) and left out; nothing crashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pydantic import ValidationError

from workbook.i18n import N_
from workbook.lessons import Lesson, LessonProblem, LessonSet, PromptSpec, RatingStatement, problem
from workbook.messages import say
from workbook.plans.model import MIN_SESSION_MINUTES, Plan, PlanStep


def _where(plan: Plan) -> str:
    return f"plan '{plan.id}'"


def _chosen(
    plan: Plan,
    number: int,
    label: str,
    lesson: Lesson,
    wanted: list[str] | None,
    have: list[str],
) -> tuple[list[str], list[LessonProblem]]:
    """The lesson's ids the step keeps, in the lesson's order, and a problem for each id the
    step names that the lesson no longer has."""
    if wanted is None:
        return have, []
    problems = [
        problem(
            _where(plan),
            f"steps.{number}.{label}",
            say(
                N_("'{item}' is no longer in the lesson '{lesson}' ({file}); left out"),
                item=item,
                lesson=lesson.id,
                file=lesson.file_name,
            ),
        )
        for item in wanted
        if item not in have
    ]
    return [item for item in have if item in wanted], problems


def step_lesson(
    plan: Plan, number: int, step: PlanStep, lesson: Lesson
) -> tuple[Lesson | None, list[LessonProblem]]:
    """One step's lesson as the room does it, or None (with the reason) when nothing is left
    of it or the facilitator's items break a lesson's rule."""
    prompt_ids, problems = _chosen(
        plan, number, "prompts", lesson, step.prompts, [p.id for p in lesson.prompts]
    )
    rating_ids, more = _chosen(
        plan, number, "ratings", lesson, step.ratings, [s.id for s in lesson.ratings]
    )
    problems += more
    data = lesson.model_dump()
    data.update(
        prompts=[
            *(p.model_dump() for p in lesson.prompts if p.id in prompt_ids),
            *(p.model_dump() for p in step.own_prompts),
        ],
        ratings=[
            *(s.model_dump() for s in lesson.ratings if s.id in rating_ids),
            *(s.model_dump() for s in step.own_ratings),
        ],
        exercise=lesson.exercise if step.exercise else None,
        timer_minutes=step.minutes,
        order=number,
        planned=True,
    )
    try:
        return Lesson.model_validate(data), problems
    except ValidationError as error:
        # The lesson rules' own sentences (workbook/lessons.py), in English.
        reasons = "; ".join(item["msg"].removeprefix("Value error, ") for item in error.errors())
        problems.append(
            problem(
                _where(plan),
                f"steps.{number}",
                say(N_("'{lesson}' left out: {reasons}"), lesson=lesson.id, reasons=reasons),
            )
        )
        return None, problems


def apply_plan(lessons: LessonSet, plan: Plan | None) -> LessonSet:
    """The workshop's lessons under its plan; with no plan, every lesson in file order (as
    workshops made before plans existed run). The lesson files' own problems are kept."""
    if plan is None:
        return lessons
    chosen: list[Lesson] = []
    problems = list(lessons.problems)
    for number, step in enumerate(plan.steps, start=1):
        lesson = lessons.by_id(step.lesson)
        if lesson is None:
            problems.append(
                problem(
                    _where(plan),
                    f"steps.{number}.lesson",
                    say(
                        N_("the lesson '{lesson}' is not in the lesson files; step left out"),
                        lesson=step.lesson,
                    ),
                )
            )
            continue
        made, found = step_lesson(plan, number, step, lesson)
        problems += found
        if made is not None:
            chosen.append(made)
    # Keeps what the set says of its language (which lessons stand in English, say).
    return replace(lessons, lessons=tuple(chosen), problems=tuple(problems), whole=lessons.lessons)


def keep_own_items(
    lessons: LessonSet,
    prompts: Sequence[tuple[str, PromptSpec]],
    ratings: Sequence[tuple[str, RatingStatement]],
) -> LessonSet:
    """`lessons` with the facilitator's own items of earlier plans (by lesson id) added to
    the lessons as the files have them (`whole`): answers given to an own item that the plan
    now leaves out still read with its words, in exports, the summary and the results. The
    steps the room runs are unchanged."""
    if not prompts and not ratings:
        return lessons
    whole = []
    for lesson in lessons.whole or lessons.lessons:
        have_prompts = {p.id for p in lesson.prompts}
        have_ratings = {s.id for s in lesson.ratings}
        more_prompts = [p for lid, p in prompts if lid == lesson.id and p.id not in have_prompts]
        more_ratings = [s for lid, s in ratings if lid == lesson.id and s.id not in have_ratings]
        if more_prompts or more_ratings:
            # Copied without validation: an own item may make a lesson hold more items than
            # a lesson file may; these words are only read, never run.
            lesson = lesson.model_copy(
                update={
                    "prompts": [*lesson.prompts, *more_prompts],
                    "ratings": [*lesson.ratings, *more_ratings],
                }
            )
        whole.append(lesson)
    return replace(lessons, whole=tuple(whole))


def step_moves(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Where each step of the old plan (by index, its lesson id in `old`) lands in the new
    one (`new`, lesson ids): the same lesson's new step when the new plan has it, else the
    new step of the nearest following lesson it has, else the first step."""
    where = {lesson_id: index for index, lesson_id in enumerate(new)}
    moves = {}
    for index in range(len(old)):
        following = (where[lesson] for lesson in old[index:] if lesson in where)
        moves[index] = next(following, 0)
    return moves


def plan_problems(lessons: LessonSet, plan: Plan) -> list[LessonProblem]:
    """What is wrong with a plan against these lessons (empty: it applies whole)."""
    applied = apply_plan(LessonSet(lessons.lessons), plan)
    return list(applied.problems)


def everything(lessons: LessonSet, session_minutes: int = 0) -> Plan:
    """The plan of a workshop without one: every lesson, all of it, at its own minutes; a
    start for building one's own."""
    steps = [PlanStep(lesson=lesson.id, minutes=lesson.timer_minutes) for lesson in lessons.lessons]
    total = sum(step.minutes for step in steps)
    return Plan(
        id="all-lessons",
        title="Every lesson",
        description="All the lessons in order, each in full, at its suggested minutes.",
        session_minutes=max(MIN_SESSION_MINUTES, session_minutes or total),
        steps=steps,
    )
