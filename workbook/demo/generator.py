"""The demo's workshops, groups, people and answers, built as columns with numpy: the same
seed always gives the same rows (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.config import PROJECT_ROOT
from workbook.demo.maps import map_frames
from workbook.demo.plans import DANISH_SHARE, demo_plans, plan_frames, reached_steps
from workbook.demo.words import (
    CAUSES,
    DANISH_TEMPLATES,
    GENERIC_TEMPLATES,
    REGIONS,
    TEMPLATES,
    WORKSHOP_KINDS,
    fill,
)
from workbook.keys import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, hash_key
from workbook.lessons import LessonSet, load_lessons
from workbook.models import KeyFinding
from workbook.store.bulk import BulkTable

DEMO_LABEL = "[demo]"
START = dt.datetime(2023, 1, 9, 9, 0)
END = dt.datetime(2025, 10, 31, 17, 0)


@dataclass(frozen=True)
class DemoData:
    """The generated rows, ready for `Store.bulk_load`, and what they add up to."""

    tables: tuple[BulkTable, ...]
    facilitator_key: str

    def rows(self, table: str) -> int:
        return sum(len(t.frame) for t in self.tables if t.table == table)


def _weights(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], np.ndarray]:
    names = [name for name, _ in pairs]
    weights = np.array([weight for _, weight in pairs], dtype=float)
    return names, weights / weights.sum()


def _join_codes(rng: np.random.Generator, count: int) -> list[str]:
    base = len(JOIN_CODE_ALPHABET)
    space = base**JOIN_CODE_LENGTH
    numbers = np.unique(rng.integers(0, space, size=count + count // 10 + 16))
    numbers = rng.permutation(numbers)[:count]
    codes = []
    for number in numbers.tolist():
        chars = []
        for _ in range(JOIN_CODE_LENGTH):
            number, digit = divmod(number, base)
            chars.append(JOIN_CODE_ALPHABET[digit])
        codes.append("".join(chars))
    return codes


def generate(workshops: int, *, seed: int = 1, lessons: LessonSet | None = None) -> DemoData:
    """Build `workshops` demo workshops with everything in them. Deterministic per seed."""
    if workshops < 1:
        raise ValueError("--workshops must be at least 1")
    lessons = lessons if lessons is not None else load_lessons(PROJECT_ROOT / "lessons")
    if not lessons.lessons:
        raise ValueError("no lessons could be loaded, so there is nothing to answer")
    rng = np.random.default_rng(seed)
    words = random.Random(seed)  # filling templates: much faster per call than numpy
    findings = list(KeyFinding)

    # --- workshops ---
    cause_names, cause_p = _weights(CAUSES)
    region_names, region_p = _weights(REGIONS)
    cause_of = rng.choice(len(cause_names), size=workshops, p=cause_p)
    region_of = rng.choice(len(region_names), size=workshops, p=region_p)
    self_guided = rng.random(workshops) < 0.25
    shares = rng.random(workshops) < 0.85
    span = (END - START).total_seconds()
    offsets = np.sort(rng.random(workshops)) * span
    created = pd.to_datetime(START) + pd.to_timedelta(offsets.round(), unit="s")
    facilitator_key = "-".join(
        "".join(JOIN_CODE_ALPHABET[int(i)] for i in rng.integers(0, 31, size=4)) for _ in range(4)
    )
    key_hash = hash_key(facilitator_key, salt=hashlib.sha256(f"demo{seed}".encode()).digest()[:16])
    kinds = rng.integers(0, len(WORKSHOP_KINDS), size=workshops)
    # Each workshop's plan (workbook/demo/plans.py) and language.
    plans = demo_plans(rng, lessons)
    plan_of = rng.choice(len(plans.plans), size=workshops, p=plans.share)
    danish = rng.random(workshops) < DANISH_SHARE
    titles = [
        f"{DEMO_LABEL} {cause_names[c].strip()} {WORKSHOP_KINDS[k]} {i + 1}"
        for i, (c, k) in enumerate(zip(cause_of.tolist(), kinds.tolist(), strict=True))
    ]
    workshop_frame = pd.DataFrame(
        {
            "id": np.arange(workshops, dtype=np.int64),
            "join_code": _join_codes(rng, workshops),
            "title": titles,
            "cause": [cause_names[c] for c in cause_of.tolist()],
            "region": [region_names[r] for r in region_of.tolist()],
            "facilitator_key_hash": key_hash,
            "self_guided": self_guided,
            "shares_with_funders": shares,
            "pacing": np.where(self_guided, "self", "follow"),
            "current_step": rng.integers(0, plans.steps[plan_of]),
            "created_at": created,
        }
    )

    # --- groups: one for a self-guided workshop, two to eight at a facilitated one ---
    group_counts = np.where(self_guided, 1, np.minimum(2 + rng.poisson(1.6, workshops), 8))
    group_workshop = np.repeat(np.arange(workshops), group_counts)
    groups = len(group_workshop)
    first_of = np.repeat(np.cumsum(group_counts) - group_counts, group_counts)
    table_number = np.arange(groups) - first_of + 1
    follow_up = rng.random(groups) < 0.25
    group_frame = pd.DataFrame(
        {
            "id": np.arange(groups, dtype=np.int64),
            "workshop_id": group_workshop,
            "name": [f"Table {n}" for n in table_number.tolist()],
            "name_key": [f"table {n}" for n in table_number.tolist()],
            "current_round": np.where(follow_up, 2, 1),
            "created_at": created[group_workshop],
        }
    )

    # --- participants: one at a shared laptop, up to eight on phones ---
    member_counts = np.minimum(1 + rng.poisson(1.8, groups), 8)
    member_group = np.repeat(np.arange(groups), member_counts)
    people = len(member_group)
    named = rng.random(people) < 0.3
    participant_frame = pd.DataFrame(
        {
            "id": np.arange(people, dtype=np.int64),
            "workshop_id": group_workshop[member_group],
            "group_id": member_group,
            "display_name": np.where(named, [f"Demo person {i + 1}" for i in range(people)], ""),
            "token_hash": [
                hashlib.sha256(f"demo-token:{seed}:{i}".encode()).hexdigest() for i in range(people)
            ],
            "quote_consent": rng.random(people) < 0.55,
            "created_at": created[group_workshop[member_group]],
        }
    )

    # --- which lessons each person answered: groups get through 1 to all of their plan's ---
    lesson_list = list(lessons.lessons)
    n_lessons = len(lesson_list)
    group_plan = plan_of[group_workshop]
    reached = reached_steps(rng, plans.steps[group_plan])
    answers = (rng.random((people, n_lessons)) < 0.45) & (
        plans.position[group_plan[member_group]] < reached[member_group][:, None]
    )
    pair_person, pair_lesson = np.nonzero(answers)
    pair_group = member_group[pair_person]
    pair_workshop = group_workshop[pair_group]
    pair_plan = group_plan[pair_group]
    lesson_index = {lesson.id: i for i, lesson in enumerate(lesson_list)}

    # --- ratings: group level by cause, region and finding, plus person and statement noise ---
    cause_effect = rng.normal(0, 0.3, size=(len(cause_names), len(findings)))
    region_effect = rng.normal(0, 0.2, size=len(region_names))
    group_level = rng.normal(3.0, 0.55, size=(groups, len(findings)))
    group_level += (
        cause_effect[cause_of[group_workshop]] + region_effect[region_of[group_workshop]][:, None]
    )
    improvement = rng.normal(0.35, 0.3, size=groups)
    # Only what the workshop's plan asks: at the first look its plan's statements, at the
    # later round those the follow-up plan rates again.
    rating_parts = []
    for s, item in enumerate(plans.statements):
        mine = np.nonzero(
            (pair_lesson == lesson_index[item.lesson_id]) & plans.asks_statement[pair_plan, s]
        )[0]
        finding = item.finding
        assert finding is not None
        offset = rng.normal(0, 0.3)
        chosen = mine[rng.random(len(mine)) < 0.8]
        base = group_level[pair_group[chosen], findings.index(finding)] + offset
        for round_ in (1, 2):
            rows = chosen
            level = base
            if round_ == 2:
                again = (
                    follow_up[pair_group[chosen]]
                    & plans.again_statement[pair_plan[chosen], s]
                    & (rng.random(len(chosen)) < 0.8)
                )
                rows, level = (
                    chosen[again],
                    base[again] + improvement[pair_group[chosen[again]]],
                )
            noise = rng.normal(0, 0.7, size=len(rows))
            value = np.clip(np.rint(level + noise), 1, 5).astype(np.int8)
            rating_parts.append(
                pd.DataFrame(
                    {
                        "workshop_id": pair_workshop[rows],
                        "group_id": pair_group[rows],
                        "participant_id": pair_person[rows],
                        "lesson_id": item.lesson_id,
                        "statement_id": item.item_id,
                        "key_finding": finding.value,
                        "round": round_,
                        "value": value,
                        "when": pair_workshop[rows],
                        "later": round_ == 2,
                    }
                )
            )
    rating_frame = pd.concat(rating_parts, ignore_index=True)

    # --- reflections: a prompt or two per answered lesson, from the templates ---
    reflection_parts = []
    for q, item in enumerate(plans.prompts):
        mine = np.nonzero(
            (pair_lesson == lesson_index[item.lesson_id]) & plans.asks_prompt[pair_plan, q]
        )[0]
        for round_ in (1, 2):
            chance = 0.35 if round_ == 1 else 0.1
            rows = mine[rng.random(len(mine)) < chance]
            if round_ == 2:
                rows = rows[follow_up[pair_group[rows]] & plans.again_prompt[pair_plan[rows], q]]
            templates = TEMPLATES.get((item.lesson_id, item.item_id), GENERIC_TEMPLATES)
            texts = [
                words.choice(DANISH_TEMPLATES)
                if danish[workshop]
                else fill(words.choice(templates), words)
                for workshop in pair_workshop[rows].tolist()
            ]
            reflection_parts.append(
                pd.DataFrame(
                    {
                        "workshop_id": pair_workshop[rows],
                        "group_id": pair_group[rows],
                        "participant_id": pair_person[rows],
                        "lesson_id": item.lesson_id,
                        "prompt_id": item.item_id,
                        "round": round_,
                        "text": texts,
                        "when": pair_workshop[rows],
                        "later": round_ == 2,
                    }
                )
            )
    reflection_frame = pd.concat(reflection_parts, ignore_index=True)

    def answered_at(frame: pd.DataFrame) -> pd.Series:
        minutes = rng.integers(20, 240, size=len(frame))
        days = np.where(frame["later"], rng.integers(30, 120, size=len(frame)), 0)
        return pd.Series(
            created[frame["when"].to_numpy()]
            + pd.to_timedelta(minutes, unit="m")
            + pd.to_timedelta(days, unit="D")
        )

    for frame in (rating_frame, reflection_frame):
        frame["created_at"] = answered_at(frame).to_numpy()
        frame["updated_at"] = frame["created_at"]
        frame.insert(0, "id", np.arange(len(frame), dtype=np.int64))
    rating_frame = rating_frame.drop(columns=["when", "later"])
    reflection_frame = reflection_frame.drop(columns=["when", "later"])

    # --- stakeholder maps: most groups that reached the networks lesson drew one ---
    stakeholder_frame, tie_frame, measure_frame = map_frames(
        rng,
        drew=plans.map_step[group_plan] < reached,
        group_workshop=group_workshop,
        created=created,
    )
    plan_frame, language_frame = plan_frames(plans, plan_of, danish, created)

    answer_refs = {
        "workshop_id": "workshops",
        "group_id": "groups",
        "participant_id": "participants",
    }
    tables = (
        BulkTable("workshops", workshop_frame),
        BulkTable("groups", group_frame, {"workshop_id": "workshops"}),
        BulkTable(
            "participants", participant_frame, {"workshop_id": "workshops", "group_id": "groups"}
        ),
        BulkTable("reflections", reflection_frame, answer_refs),
        BulkTable("ratings", rating_frame, answer_refs),
        BulkTable(
            "stakeholders", stakeholder_frame, {"workshop_id": "workshops", "group_id": "groups"}
        ),
        BulkTable(
            "stakeholder_ties",
            tie_frame,
            {"group_id": "groups", "source_id": "stakeholders", "target_id": "stakeholders"},
        ),
        BulkTable(
            "map_measures", measure_frame, {"group_id": "groups", "workshop_id": "workshops"}
        ),
        BulkTable("workshop_plans", plan_frame, {"workshop_id": "workshops"}),
        BulkTable("workshop_languages", language_frame, {"workshop_id": "workshops"}),
    )
    return DemoData(tables=tables, facilitator_key=facilitator_key)
