"""A filled workshop made through the store as people make it: groups of people who each
answer every prompt and rate every statement of every lesson, and one commitment per group.
Used by the summary's tests and bench/summary_size.py; `revealed_room` fills a live room for
the projector's browser tests."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workbook.lessons import LessonSet
from workbook.live import PROMPT, RATING, Focus
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


def revealed_room(
    db: Path,
    lessons: LessonSet,
    *,
    people: int,
    group_of: Callable[[int], str],
    answer_of: Callable[[int], str],
    rating_of: Callable[[int], int],
    name_of: Callable[[int], str | None] = lambda i: None,
    lesson_index: int = 2,
    at_once: bool = False,
) -> tuple[str, str, str]:
    """A room in a fresh file, before a server opens it: `people` people join (person i at
    `group_of(i)`), each answers the lesson's first prompt and rates its first statement; the
    room is on that lesson with both revealed and the prompt on the projector. `at_once`:
    they arrive from 16 threads, as in a real room (the writer commits them in batches).
    Returns the projector's token, the join code and the facilitator key."""
    store = Store(db)
    try:
        workshop, key = store.create_workshop(
            workshop=WorkshopCreate(title="Regional assembly", cause="Disability rights")
        )
        lesson = lessons.lessons[lesson_index]
        prompt, statement = lesson.prompts[0], lesson.ratings[0]

        def arrive(i: int) -> None:
            seat, _ = store.join(
                workshop_id=workshop.id,
                request=JoinRequest(group_name=group_of(i), display_name=name_of(i)),
            )
            store.save_answers(
                seat=seat,
                lesson_id=lesson.id,
                round=1,
                reflections=[
                    ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=answer_of(i))
                ],
                ratings=[
                    RatingIn(
                        lesson_id=lesson.id,
                        statement_id=statement.id,
                        key_finding=lesson.finding_of(statement),
                        value=rating_of(i),
                    )
                ],
            )

        if at_once:
            with ThreadPoolExecutor(max_workers=16) as pool:
                list(pool.map(arrive, range(people)))
        else:
            for i in range(people):
                arrive(i)
        store.move_room(workshop_id=workshop.id, step=lesson_index)
        for kind, item in ((PROMPT, prompt.id), (RATING, statement.id)):
            store.set_item_state(
                workshop_id=workshop.id, lesson_id=lesson.id, kind=kind, item_id=item, revealed=True
            )
        store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, prompt.id))
        return store.new_projector_link(workshop_id=workshop.id), workshop.join_code, key
    finally:
        store.close()
