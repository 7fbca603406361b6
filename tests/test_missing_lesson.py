"""A lesson file that breaks mid-workshop: the answers and ratings stored for it stay in the
HTML summary and on "Our results", under the lesson's id, with one sentence saying why its
questions are shown by their ids. Real lesson files in a tmp folder, a real DuckDB file, and
the results page in AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbook import export, summary_html
from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import load_lessons
from workbook.models import JoinRequest, KeyFinding, RatingIn, ReflectionIn, WorkshopCreate
from workbook.records import Seat
from workbook.store import Store
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")
LESSON_FILE = "10-learning-from-other-movements.md"
LESSON_ID = "learning-from-movements"
ANSWER = "Rare disease: families organised research themselves."
OTHER_ANSWER = "Early actions answer, from a lesson that still loads."
SENTENCE = (
    f"The lesson file for {LESSON_ID} is missing or broken, so its questions are shown by "
    "their ids."
)


def answer_lessons(store: Store, folder: Path) -> tuple[Seat, str]:
    lessons = load_lessons(folder)
    broken_later = lessons.by_id(LESSON_ID)
    still_there = next(
        lesson for lesson in lessons.lessons if lesson.id != LESSON_ID and lesson.prompts
    )
    assert broken_later is not None and broken_later.ratings
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    seat, token = store.join(
        workshop_id=workshop.id, request=JoinRequest(group_name="Table 1", display_name="Ana")
    )
    store.save_answers(
        seat=seat,
        lesson_id=LESSON_ID,
        round=1,
        reflections=[
            ReflectionIn(lesson_id=LESSON_ID, prompt_id=broken_later.prompts[0].id, text=ANSWER)
        ],
        ratings=[
            RatingIn(
                lesson_id=LESSON_ID,
                statement_id=broken_later.ratings[0].id,
                key_finding=KeyFinding.learning,
                value=4,
            )
        ],
    )
    store.save_answers(
        seat=seat,
        lesson_id=still_there.id,
        round=1,
        reflections=[
            ReflectionIn(
                lesson_id=still_there.id, prompt_id=still_there.prompts[0].id, text=OTHER_ANSWER
            )
        ],
    )
    return seat, token


def break_lesson(folder: Path) -> None:
    (folder / LESSON_FILE).write_text("---\nid: [unclosed\n---\nBody\n", encoding="utf-8")


@pytest.fixture
def lesson_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(PROJECT_ROOT / "lessons", folder)
    return folder


def test_the_summary_keeps_the_answers_of_a_lesson_whose_file_broke(
    store: Store, lesson_folder: Path
) -> None:
    seat, _ = answer_lessons(store, lesson_folder)
    break_lesson(lesson_folder)
    lessons = load_lessons(lesson_folder)
    assert lessons.by_id(LESSON_ID) is None and lessons.problems
    collected = export.collect(store, workshop_id=seat.workshop.id, lessons=lessons)
    page = summary_html.html_summary(collected)
    assert ANSWER in page and OTHER_ANSWER in page
    assert f"<h2>Lesson {LESSON_ID}</h2>" in page
    assert SENTENCE in page
    assert "Average 4.0 from 1 rating" in page
    # The lessons that load are unchanged: titled and numbered as before, no sentence.
    assert page.count(SENTENCE) == 1
    # With every lesson loading, no sentence and no id heading.
    whole = summary_html.html_summary(
        export.collect(
            store, workshop_id=seat.workshop.id, lessons=load_lessons(PROJECT_ROOT / "lessons")
        )
    )
    assert ANSWER in whole and SENTENCE not in whole and f"Lesson {LESSON_ID}" not in whole


def test_our_results_keeps_the_answers_of_a_lesson_whose_file_broke(
    app_db: Path, lesson_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_LESSONS_DIR", str(lesson_folder))
    get_settings.cache_clear()
    seat, token = answer_lessons(_open_store(str(app_db)), lesson_folder)
    break_lesson(lesson_folder)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": seat.workshop.join_code, "t": token})
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    assert f"Lesson {LESSON_ID} (1)" in [e.label for e in at.expander]
    assert ANSWER in [t.value for t in at.text]
    assert SENTENCE in [c.value for c in at.caption]
    # "Every rating statement": the rating, under its lesson's id
    assert f"**{LESSON_ID}**" in [m.value for m in at.markdown]
