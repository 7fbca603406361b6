"""The demo's plans and languages: which plan each workshop runs and in which language, and
what each plan asks (lessons in order, prompts, rating statements, the map exercise).

Most workshops run one of the ready plans beside the lessons (lessons/plans/*.yaml: the
90-minute introduction or the full day); a few run a facilitator's own plan of three or four
lessons with one own prompt and one own rating statement (ids `own-demo-...`). Groups that
come back rate again what the follow-up plan rates and their first session asked, and answer
its prompts likewise; the store keeps one plan per workshop, so the demo stores the plan of
the first session. About a quarter of the workshops speak Danish: their answers are rated by
the same statement ids (lessons/da/ has the same ids) and their reflections are in Danish.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.config import PROJECT_ROOT
from workbook.lessons import Lesson, LessonSet, PromptSpec, RatingStatement
from workbook.models import KeyFinding
from workbook.plans import Plan, PlanStep, apply_plan, everything, load_plans, plans_folder

FOLLOW_UP_PLAN = "follow-up"
# Shares of the workshops: the ready plans by id, then the demo's own plans together.
READY_SHARES = {"introduction-90": 0.3, "full-day": 0.55}
OWN_SHARE = 0.15
OWN_PLANS = 3
DANISH_SHARE = 0.25

# A facilitator's own items: questions and statements about the room itself (no facts).
OWN_PROMPTS = (
    "What will we try first, before we meet again?",
    "Who else should be in the room next time?",
    "What did we leave unsaid today?",
)
OWN_STATEMENTS = (
    ("We know what we will do next.", "Not at all", "Completely"),
    ("Everyone here was heard today.", "Not at all", "Completely"),
    ("We agree on who to ask first.", "Not at all", "Completely"),
)


@dataclass(frozen=True)
class Item:
    """A rating statement or prompt as a lesson asks it: the lesson, the id, and for a
    statement its key finding."""

    lesson_id: str
    item_id: str
    finding: KeyFinding | None = None


@dataclass(frozen=True)
class DemoPlans:
    """Every plan the demo uses, what each asks, and the later round's part of each.

    `position[p, l]`: the step (from 0) at which plan p does lesson l of `lessons` (a large
    number when it leaves it out); `steps[p]`: its number of steps; `statements`/`prompts`:
    every item any plan asks; `asks_statement[p, s]`, `asks_prompt[p, q]`: whether plan p asks
    it at the first session; `again_statement`, `again_prompt`: at the later round."""

    plans: tuple[Plan, ...]
    lessons: tuple[Lesson, ...]
    position: np.ndarray
    steps: np.ndarray
    map_step: np.ndarray  # the step of the map exercise, or a large number
    statements: tuple[Item, ...]
    prompts: tuple[Item, ...]
    asks_statement: np.ndarray
    asks_prompt: np.ndarray
    again_statement: np.ndarray
    again_prompt: np.ndarray
    share: np.ndarray  # of the workshops, per plan


def _own_plan(number: int, rng: np.random.Generator, lessons: LessonSet) -> Plan:
    """A facilitator's own plan: three or four lessons in file order, a few of each lesson's
    prompts and statements, and one own prompt and own statement in the first step."""
    ids = [lesson.id for lesson in lessons.lessons]
    count = min(len(ids), 3 + int(rng.integers(0, 2)))
    chosen = sorted(rng.choice(len(ids), size=count, replace=False).tolist())
    steps = []
    for k, index in enumerate(chosen):
        lesson = lessons.lessons[index]
        prompts = [p.id for p in lesson.prompts if rng.random() < 0.7]
        ratings = [s.id for s in lesson.ratings if rng.random() < 0.7]
        own_prompts: list[PromptSpec] = []
        own_ratings: list[RatingStatement] = []
        if k == 0:
            text, low, high = OWN_STATEMENTS[number % len(OWN_STATEMENTS)]
            own_prompts = [
                PromptSpec(id=f"own-demo-{number + 1}-prompt", text=OWN_PROMPTS[number % 3])
            ]
            own_ratings = [
                RatingStatement(id=f"own-demo-{number + 1}-rating", text=text, low=low, high=high)
            ]
        steps.append(
            PlanStep(
                lesson=lesson.id,
                minutes=int(rng.integers(2, 7)) * 5,
                prompts=prompts,
                ratings=ratings,
                exercise=bool(rng.random() < 0.5),
                own_prompts=own_prompts,
                own_ratings=own_ratings,
            )
        )
    minutes = sum(step.minutes for step in steps)
    return Plan(
        id=f"demo-own-{number + 1}",
        title=f"[demo] A facilitator's own plan {number + 1}",
        session_minutes=max(60, minutes),
        steps=steps,
    )


def demo_plans(rng: np.random.Generator, lessons: LessonSet) -> DemoPlans:
    """The plans the demo's workshops run (deterministic for the generator's state)."""
    ready = load_plans(plans_folder(PROJECT_ROOT / "lessons"), lessons)
    chosen = [plan for plan in ready.plans if plan.id in READY_SHARES]
    shares = [READY_SHARES[plan.id] for plan in chosen]
    if not chosen:  # lessons the ready plans do not fit: every lesson, in full
        chosen, shares = [everything(lessons)], [1.0 - OWN_SHARE]
    own = [_own_plan(k, rng, lessons) for k in range(OWN_PLANS)]
    plans = (*chosen, *own)
    share = np.array([*shares, *([OWN_SHARE / OWN_PLANS] * OWN_PLANS)])
    follow_up = ready.by_id(FOLLOW_UP_PLAN)

    lesson_list = lessons.lessons
    big = len(lesson_list) + 1000
    applied = [apply_plan(LessonSet(lesson_list), plan).lessons for plan in plans]
    again = apply_plan(LessonSet(lesson_list), follow_up).lessons if follow_up else ()
    statements: dict[tuple[str, str], Item] = {}
    prompts: dict[tuple[str, str], Item] = {}
    for done in [*applied, again]:
        for lesson in done:
            for s in lesson.ratings:
                statements.setdefault(
                    (lesson.id, s.id), Item(lesson.id, s.id, lesson.finding_of(s))
                )
            for p in lesson.prompts:
                prompts.setdefault((lesson.id, p.id), Item(lesson.id, p.id))
    # Items in the lessons' file order (own ones after their lesson's).
    order = {lesson.id: i for i, lesson in enumerate(lesson_list)}
    statement_items = tuple(sorted(statements.values(), key=lambda i: order[i.lesson_id]))
    prompt_items = tuple(sorted(prompts.values(), key=lambda i: order[i.lesson_id]))

    def asks(done: tuple[Lesson, ...], items: tuple[Item, ...], kind: str) -> np.ndarray:
        have = {(lesson.id, x.id) for lesson in done for x in getattr(lesson, kind)}
        return np.array([(i.lesson_id, i.item_id) in have for i in items], dtype=bool)

    position = np.full((len(plans), len(lesson_list)), big, dtype=np.int64)
    map_step = np.full(len(plans), big, dtype=np.int64)
    for p, done in enumerate(applied):
        for step, lesson in enumerate(done):
            position[p, order[lesson.id]] = step
            if lesson.exercise == "stakeholder_map":
                map_step[p] = step
    asks_statement = np.stack([asks(done, statement_items, "ratings") for done in applied])
    asks_prompt = np.stack([asks(done, prompt_items, "prompts") for done in applied])
    again_statement = asks_statement & asks(again, statement_items, "ratings")[None, :]
    again_prompt = asks_prompt & asks(again, prompt_items, "prompts")[None, :]
    return DemoPlans(
        plans=plans,
        lessons=lesson_list,
        position=position,
        steps=np.array([len(done) for done in applied], dtype=np.int64),
        map_step=map_step,
        statements=statement_items,
        prompts=prompt_items,
        asks_statement=asks_statement,
        asks_prompt=asks_prompt,
        again_statement=again_statement,
        again_prompt=again_prompt,
        share=share / share.sum(),
    )


def reached_steps(rng: np.random.Generator, steps: np.ndarray) -> np.ndarray:
    """How many of its plan's steps each group got through: half of them all (the session
    was planned to fit), the others 1 to all, more often most."""
    out = np.empty(len(steps), dtype=np.int64)
    u = rng.random(len(steps))
    done = rng.random(len(steps)) < 0.5
    for n in np.unique(steps).tolist():
        mine = steps == n
        weights = np.linspace(1, 3, n)
        cdf = np.cumsum(weights / weights.sum())
        out[mine] = 1 + np.minimum(np.searchsorted(cdf, u[mine]), n - 1)
    return np.where(done, steps, out)


def plan_frames(
    plans: DemoPlans, plan_of: np.ndarray, danish: np.ndarray, created: pd.DatetimeIndex
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of workshop_plans (each workshop's plan as JSON) and workshop_languages."""
    texts = [plan.model_dump_json() for plan in plans.plans]
    workshops = np.arange(len(plan_of), dtype=np.int64)
    plan_frame = pd.DataFrame(
        {
            "workshop_id": workshops,
            "plan_json": [texts[p] for p in plan_of.tolist()],
            "updated_at": created,
        }
    )
    language_frame = pd.DataFrame(
        {"workshop_id": workshops, "language": np.where(danish, "da", "en")}
    )
    return plan_frame, language_frame
