"""One answer the store cannot take (too long) no longer holds back the rest of the step.

Outside walk-through: a pasted 7,080-character answer gave "Answer is too long: 7,079
characters, the limit is 5,000. Nothing was saved yet." below the Save button, without
saying which question, and the step's other answers and ratings were not saved either. Now
the valid ones are saved, the refused one stays in its box (a draft, not saved), the sentence
under that box says why, and the line under the buttons names the question and says what
was saved. "Save and go to the next step" stays on the step while one is refused."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import first_rating
from tests.test_pages import button, create_workshop, fresh
from workbook.lessons import LessonSet
from workbook.records import SavedAnswers
from workbook.ui.resources import _open_store


def _saved(at: AppTest, app_db: Path, lesson_id: str) -> SavedAnswers:
    store = _open_store(str(app_db))
    seat = store.resume(join_code=at.query_params["w"], token=at.query_params["t"])
    assert seat is not None
    return store.saved_answers(participant_id=seat.participant.id, lesson_id=lesson_id, round=1)


def _html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_a_too_long_answer_is_named_and_the_rest_of_the_step_is_saved(
    app_db: Path, lessons: LessonSet
) -> None:
    lesson = lessons.lessons[0]
    first, second = lesson.prompts[:2]
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    long_text = "We have nobody in the schools. " * 229  # 7,099 characters, 7,098 once trimmed
    at.text_area[0].input("The disability rights movement, for its self-advocacy.")
    at.text_area[1].input(long_text)
    first_rating(at).set_value(4)
    button(at, "Save and go to the next step").click()
    at.run()
    assert not at.exception

    # The valid answer and the rating are saved; the long one is not, and stays in its box.
    saved = _saved(at, app_db, lesson.id)
    assert saved.reflections == {first.id: "The disability rights movement, for its self-advocacy."}
    assert saved.ratings == {lesson.ratings[0].id: 4}
    assert at.text_area[1].value == long_text
    # It stayed on the step (one answer is not saved), and says what was saved.
    assert [t.value for t in at.title] == [lesson.title]
    assert at.success and at.success[0].value.startswith("Saved 1 answer and 1 rating.")
    # Under the buttons: which question, what is wrong, where the text is.
    errors = " ".join(e.value for e in at.error)
    assert second.text in errors, errors
    assert "too long: 7,098 characters, the limit is 5,000" in errors
    assert "still in its box" in errors
    # At the box itself: the same reason, where the person is brought to.
    html = _html(at)
    assert 'class="wb-refused"' in html
    assert "too long: 7,098 characters, the limit is 5,000" in html
    assert "Nothing was saved yet" not in errors + html

    # Shortened: saved, and the sentences are gone.
    at.text_area[1].input("Nobody in the schools, nor at the GP surgery.")
    button(at, "Save answers").click()
    at.run()
    assert not at.error
    assert 'class="wb-refused"' not in _html(at)
    assert at.success and at.success[0].value.startswith("Saved 1 answer.")
    saved = _saved(at, app_db, lesson.id)
    assert saved.reflections[second.id] == "Nobody in the schools, nor at the GP surgery."
