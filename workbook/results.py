"""A group's results: ratings per key finding and statement by round, and what is unanswered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from workbook.lessons import OWN_PREFIX, LessonSet
from workbook.models import KeyFinding
from workbook.progress import round_label
from workbook.records import Rating, Reflection


def finding_scores(ratings: Sequence[Rating], _: Callable[[str], str] = str) -> pd.DataFrame:
    """Mean rating per key finding and round (over statements and members), in report order;
    the findings' and rounds' names in the language of `_`."""
    columns = ["key_finding", "finding", "round", "round_label", "mean", "ratings"]
    if not ratings:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "key_finding": [r.key_finding.value for r in ratings],
            "round": [r.round for r in ratings],
            "value": [r.value for r in ratings],
        }
    )
    table = frame.groupby(["key_finding", "round"], as_index=False).agg(
        mean=("value", "mean"), ratings=("value", "size")
    )
    order = {finding.value: index for index, finding in enumerate(KeyFinding)}
    table["finding"] = table["key_finding"].map(lambda v: _(KeyFinding(v).label))
    table["round_label"] = table["round"].map(lambda r: round_label(r, _))
    table["order"] = table["key_finding"].map(order)
    return table.sort_values(["round", "order"])[columns].reset_index(drop=True)


def split_own(ratings: Sequence[Rating]) -> tuple[list[Rating], list[Rating]]:
    """Ratings of the lessons' statements, and of the facilitator's own: own statements are
    counted apart, never averaged into a key finding or its change."""
    own = [r for r in ratings if r.statement_id.startswith(OWN_PREFIX)]
    return [r for r in ratings if not r.statement_id.startswith(OWN_PREFIX)], own


def planned_findings(lessons: LessonSet) -> list[KeyFinding]:
    """The key findings the workshop's steps rate (the lessons' statements, own ones apart),
    in report order."""
    found = {
        statement.key_finding or lesson.key_finding
        for lesson in lessons.lessons
        for statement in lesson.ratings
        if not statement.id.startswith(OWN_PREFIX)
    }
    return [finding for finding in KeyFinding if finding in found]


def finding_changes(scores: pd.DataFrame) -> pd.DataFrame:
    """Per finding: first-look mean, latest follow-up mean and the change, where both exist."""
    columns = ["finding", "first_look", "latest", "change"]
    if scores.empty or scores["round"].max() <= 1:
        return pd.DataFrame(columns=columns)
    first = scores[scores["round"] == 1].set_index("finding")["mean"]
    latest_round = scores.groupby("finding")["round"].max()
    latest = scores.set_index(["finding", "round"])["mean"]
    rows = []
    for finding, first_mean in first.items():
        last = int(latest_round[finding])
        if last > 1:
            latest_mean = float(latest[(finding, last)])
            rows.append((finding, float(first_mean), latest_mean, latest_mean - float(first_mean)))
    return pd.DataFrame(rows, columns=columns)


def statement_table(
    ratings: Sequence[Rating], lessons: LessonSet, _: Callable[[str], str] = str
) -> pd.DataFrame:
    """One row per rated statement: lesson, statement, the group's mean per round (the
    rounds' names in the language of `_`). Lessons in the workshop's order, each lesson's
    statements in the lesson's own order (then any it no longer has, by id)."""
    if not ratings:
        return pd.DataFrame(columns=["Lesson", "Statement"])
    frame = pd.DataFrame(
        {
            "lesson_id": [r.lesson_id for r in ratings],
            "statement_id": [r.statement_id for r in ratings],
            "round": [round_label(r.round, _) for r in ratings],
            "value": [r.value for r in ratings],
        }
    )
    table = frame.pivot_table(
        index=["lesson_id", "statement_id"], columns="round", values="value", aggfunc="mean"
    ).reset_index()
    table.columns.name = None

    def statement_text(row: pd.Series) -> str:
        return lessons.statement_text(row["lesson_id"], row["statement_id"])

    table.insert(0, "Statement", table.apply(statement_text, axis=1))
    table.insert(0, "Lesson", table["lesson_id"].map(lessons.title_of))
    order = {lesson.id: i for i, lesson in enumerate([*lessons.lessons, *lessons.outside()])}
    place = {
        (lesson_id, statement.id): i
        for lesson_id in set(table["lesson_id"])
        for i, statement in enumerate(lessons.statements_of(lesson_id))
    }
    table["_lesson"] = table["lesson_id"].map(lambda v: order.get(v, len(order)))
    table["_statement"] = [
        place.get(key, len(place))
        for key in zip(table["lesson_id"], table["statement_id"], strict=True)
    ]
    table = table.sort_values(["_lesson", "lesson_id", "_statement", "statement_id"])
    return table.drop(columns=["lesson_id", "statement_id", "_lesson", "_statement"]).reset_index(
        drop=True
    )


def missing_lessons(lessons: LessonSet, keys: Sequence[tuple[str, str]]) -> list[str]:
    """Lesson ids that answers or ratings are stored for but no loaded lesson has, in order."""
    loaded = {lesson.id for lesson in [*lessons.lessons, *lessons.whole]}
    return sorted({lesson_id for lesson_id, _ in keys if lesson_id not in loaded})


def missing_lesson_sentence(lesson_id: str, _: Callable[[str], str] = str) -> str:
    return _(
        "The lesson file for {lesson_id} is missing or broken, so its questions are shown by "
        "their ids."
    ).format(lesson_id=lesson_id)


@dataclass(frozen=True)
class Unanswered:
    lesson_title: str
    prompts: tuple[str, ...]
    statements: tuple[str, ...]


def unanswered(
    lessons: LessonSet,
    reflections: Sequence[Reflection],
    ratings: Sequence[Rating],
    *,
    round_: int,
) -> list[Unanswered]:
    """Prompts and statements nobody in the group has answered in this round, lesson by lesson."""
    answered_prompts = {(r.lesson_id, r.prompt_id) for r in reflections if r.round == round_}
    rated = {(r.lesson_id, r.statement_id) for r in ratings if r.round == round_}
    missing = []
    for lesson in lessons.lessons:
        prompts = tuple(p.text for p in lesson.prompts if (lesson.id, p.id) not in answered_prompts)
        statements = tuple(s.text for s in lesson.ratings if (lesson.id, s.id) not in rated)
        if prompts or statements:
            missing.append(Unanswered(lesson.title, prompts, statements))
    return missing


def follow_up_unrated(lessons: LessonSet, ratings: Sequence[Rating], *, round_: int) -> int:
    """How many of the plan's rating statements the group has not rated yet in its current
    follow-up round (0 on the first look): another follow-up round starts only once this one
    is done, so "Start a follow-up round" is not offered again right after one started."""
    if round_ <= 1:
        return 0
    rated = {(r.lesson_id, r.statement_id) for r in ratings if r.round == round_}
    return sum(
        1 for lesson in lessons.lessons for s in lesson.ratings if (lesson.id, s.id) not in rated
    )
