"""Two tabs (or devices) of one participant saving the same answer: a save made from a form
that saw an older answer never overwrites a newer one (workbook/store/answers.py), on a
real DuckDB file; and the lesson form says so and lets the person choose (AppTest, two
sessions on one database)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.lessons import LessonSet
from workbook.models import JoinRequest, RatingIn, ReflectionIn, WorkshopCreate
from workbook.records import Seat
from workbook.store import Store
from workbook.ui import lesson_form
from workbook.ui.resources import _open_store


def _seat(store: Store) -> Seat:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    return seat


def _stored(store: Store, seat: Seat, lesson_id: str) -> dict[str, str]:
    return store.saved_answers(
        participant_id=seat.participant.id, lesson_id=lesson_id, round=1
    ).reflections


def test_a_save_from_a_form_that_saw_an_older_answer_keeps_the_newer_one(
    store: Store, lessons: LessonSet
) -> None:
    seat = _seat(store)
    lesson = lessons.lessons[0]
    first, second = lesson.prompts[0].id, lesson.prompts[1].id
    statement = lesson.ratings[0]
    long_answer = ("A long answer saved in tab one. " * 20).strip()
    # Tab one saves; tab two was opened before, when both answers were empty.
    result = store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=first, text=long_answer)],
        seen={first: None},
    )
    assert result.conflicts == {}
    result = store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[
            ReflectionIn(lesson_id=lesson.id, prompt_id=first, text="short"),
            ReflectionIn(lesson_id=lesson.id, prompt_id=second, text="Only tab two wrote this"),
        ],
        ratings=[
            RatingIn(
                lesson_id=lesson.id,
                statement_id=statement.id,
                key_finding=lesson.finding_of(statement),
                value=3,
            )
        ],
        seen={first: None, second: None},
    )
    assert result.conflicts == {first: long_answer}
    assert _stored(store, seat, lesson.id) == {
        first: long_answer,  # not overwritten
        second: "Only tab two wrote this",  # the answer that did not conflict is saved
    }
    saved = store.saved_answers(participant_id=seat.participant.id, lesson_id=lesson.id, round=1)
    assert saved.ratings == {statement.id: 3}
    # Saving theirs anyway: against what they have now seen stored.
    result = store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=first, text="short")],
        seen={first: long_answer},
    )
    assert result.conflicts == {}
    assert _stored(store, seat, lesson.id)[first] == "short"


def test_clearing_an_answer_changed_elsewhere_is_a_conflict_and_the_same_text_is_not(
    store: Store, lessons: LessonSet
) -> None:
    seat = _seat(store)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0].id
    answer = ReflectionIn(lesson_id=lesson.id, prompt_id=prompt, text="Tab one")
    store.save_answers(seat=seat, lesson_id=lesson.id, round=1, reflections=[answer])
    result = store.save_answers(
        seat=seat, lesson_id=lesson.id, round=1, cleared_prompts=[prompt], seen={prompt: "old"}
    )
    assert result.conflicts == {prompt: "Tab one"}
    assert _stored(store, seat, lesson.id) == {prompt: "Tab one"}
    # Both tabs typed the same words: nothing is lost, so nothing to ask.
    result = store.save_answers(
        seat=seat, lesson_id=lesson.id, round=1, reflections=[answer], seen={prompt: None}
    )
    assert result.conflicts == {}
    # Removed elsewhere since this form saw it: a conflict naming no stored text.
    store.save_answers(seat=seat, lesson_id=lesson.id, round=1, cleared_prompts=[prompt])
    result = store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt, text="new")],
        seen={prompt: "Tab one"},
    )
    assert result.conflicts == {prompt: None}
    assert _stored(store, seat, lesson.id) == {}


# --- the page: two tabs of one person -------------------------------------------------------


def _tab(app_db: Path, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("pages/workbook.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, [b.label for b in at.button]
    return matches[0]


def _press(at: AppTest, label: str) -> AppTest:
    _button(at, label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def _two_tabs(app_db: Path, lessons: LessonSet) -> tuple[AppTest, AppTest, Store, Seat]:
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Day", cause="Housing", self_guided=True)
    )
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    query = {"w": workshop.join_code, "t": token}
    return _tab(app_db, query), _tab(app_db, query), store, seat


def test_an_older_tab_is_told_and_shown_both_and_can_keep_either(
    app_db: Path, lessons: LessonSet
) -> None:
    one, two, store, seat = _two_tabs(app_db, lessons)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0].id
    long_answer = ("Tab one's long answer. " * 30).strip()
    one.text_area[0].input(long_answer)
    _press(one, "Save answers")
    assert one.success and one.success[0].value.startswith("Saved 1 answer")

    # Tab two still shows the box empty; it types a short answer and one for the second prompt.
    assert two.text_area[0].value == ""
    two.text_area[0].input("short")
    two.text_area[1].input("Second answer from tab two")
    _press(two, "Save answers")
    warnings = [w.value for w in two.warning]
    assert warnings == [lesson_form.CONFLICT], warnings
    assert two.text_area[0].value == "short"  # theirs stays in the box
    texts = [t.value for t in two.text]
    assert long_answer in texts and "short" in texts  # the stored one beside theirs
    stored = _stored(store, seat, lesson.id)
    assert stored[prompt] == long_answer  # not overwritten
    assert stored[lesson.prompts[1].id] == "Second answer from tab two"  # the other is saved

    # "Take the stored one": the box now holds the stored answer; nothing is written.
    _press(two, "Take the stored one")
    assert two.text_area[0].value == long_answer
    assert not two.warning
    assert _stored(store, seat, lesson.id)[prompt] == long_answer

    # Again from a stale tab, then "Save mine anyway".
    one.text_area[0].input("Tab one changed its mind")
    _press(one, "Save answers")
    two.text_area[0].input("Tab two's final word")
    _press(two, "Save answers")
    assert [w.value for w in two.warning] == [lesson_form.CONFLICT]
    _press(two, "Save mine anyway")
    assert not two.warning
    assert two.success and "Saved" in two.success[0].value
    assert _stored(store, seat, lesson.id)[prompt] == "Tab two's final word"
    assert two.text_area[0].value == "Tab two's final word"
