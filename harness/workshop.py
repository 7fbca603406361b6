"""A filled workshop made through the store as people make it: groups of people who each
answer every prompt and rate every statement of every lesson, and one commitment per group.
Used by the summary's tests and bench/summary_size.py."""

from __future__ import annotations

from workbook.lessons import LessonSet
from workbook.models import (
    CommitmentIn,
    JoinRequest,
    KeyFinding,
    RatingIn,
    ReflectionIn,
    WorkshopCreate,
)
from workbook.records import Workshop
from workbook.store import Store

HOSTILE = "<script>alert(1)</script>"


def answer(group: int, person: int, lesson: int, prompt: int) -> str:
    """A realistic answer (a few sentences), unique so each one can be found in a page. The
    first person's first answer is hostile markup instead."""
    if (group, person, lesson, prompt) == (0, 0, 0, 0):
        return HOSTILE
    return (
        f"Answer g{group}p{person}l{lesson}q{prompt}: we learned that organising around the "
        "people most affected, sharing stories in public and building coalitions early made "
        "the difference; we would start with the clinics and the tenants' unions next time."
    )


def rating(group: int, person: int, statement: int) -> int:
    return 1 + (group * 2 + person * person + statement) % 5


def filled_workshop(store: Store, lessons: LessonSet, *, groups: int, people: int) -> Workshop:
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Thirty <people>", cause="Housing", region="North")
    )
    for g in range(groups):
        for p in range(people):
            seat, _ = store.join(
                workshop_id=workshop.id,
                request=JoinRequest(group_name=f"Table {g + 1}", display_name=f"P{g}{p}"),
            )
            for n, lesson in enumerate(lessons.lessons):
                store.save_answers(
                    seat=seat,
                    lesson_id=lesson.id,
                    round=1,
                    reflections=[
                        ReflectionIn(
                            lesson_id=lesson.id, prompt_id=prompt.id, text=answer(g, p, n, q)
                        )
                        for q, prompt in enumerate(lesson.prompts)
                    ],
                    ratings=[
                        RatingIn(
                            lesson_id=lesson.id,
                            statement_id=statement.id,
                            key_finding=lesson.finding_of(statement),
                            value=rating(g, p, s),
                        )
                        for s, statement in enumerate(lesson.ratings)
                    ],
                )
            if p == 0:
                store.add_commitment(
                    seat=seat,
                    commitment=CommitmentIn(
                        what=f"Table {g + 1} calls the council",
                        key_finding=KeyFinding.right_people,
                    ),
                    round=1,
                )
    return workshop
