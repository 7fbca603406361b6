"""A too-long answer on a phone, in a real Chromium against a real `streamlit run`: the save
at the foot of the form keeps the rest of the step, and brings the person to the refused
answer's box, where the sentence says why it is not saved (outside walk-through: the refusal
sat below the buttons, out of view, naming no question, and nothing else was saved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from harness.browser import TIMEOUT, context, mobile, settle
from harness.server import Server
from tests.test_step_arrival_browser import seated
from workbook.lessons import LessonSet
from workbook.ui.lesson_form import DRAFT_FIELD

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots"
expect.set_options(timeout=TIMEOUT)


def test_a_too_long_answer_is_said_at_its_box_and_the_rest_is_saved_on_a_phone(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = mobile(browser).new_page()
    seated(page, server, "Long answers")
    lesson = lessons.lessons[0]
    prefix = f".st-key-answer_{lesson.id}_1"
    first = page.locator(f"{prefix}_prompt_{lesson.prompts[0].id} textarea")
    first.fill("The disability rights movement.")
    long_text = "We have nobody in the schools. " * 229
    second = page.locator(f"{prefix}_prompt_{lesson.prompts[1].id} textarea")
    second.fill(long_text)
    page.locator(f"{prefix}_rating_{lesson.ratings[0].id}").get_by_text("4", exact=True).tap()
    save = page.get_by_role("button", name="Save answers", exact=True)
    save.scroll_into_view_if_needed()
    save.tap()

    note = page.locator(".wb-refused")
    expect(note).to_contain_text("This answer is not saved yet.")
    expect(note).to_contain_text("Answer is too long: 7,098 characters, the limit is 5,000.")
    expect(note).to_contain_text("Your other changes are saved.")
    settle(page)
    page.wait_for_timeout(300)
    expect(note).to_be_in_viewport()  # brought to it, from the foot of the form
    expect(second).to_have_value(long_text)
    # Under it, while it is shortened: how much is still too much.
    counter = page.locator(
        f".wb-draft-note[data-field='answer_{lesson.id}_1_prompt_{lesson.prompts[1].id}']"
    )
    expect(counter).to_have_text(
        "Too long to save: 7,098 characters, 2,098 more than the limit of 5,000."
    )
    expect(counter).to_be_visible()
    # Under the buttons: what was saved, and which question was not.
    expect(page.get_by_text("Saved 1 answer and 1 rating.", exact=False)).to_be_attached()
    expect(page.get_by_text(f"Your answer to “{lesson.prompts[1].text}”")).to_be_attached()
    page.screenshot(path=str(SHOTS / "answer-refused-390.png"))


def test_a_box_over_the_limit_says_so_while_typing(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    page = context(browser, 1440, 900).new_page()
    seated(page, server, "Counting table")
    lesson = lessons.lessons[0]
    field = f"answer_{lesson.id}_1_prompt_{lesson.prompts[0].id}"
    box = page.locator(f".st-key-{field} textarea")
    note = page.locator(f".wb-draft-note[data-field='{field}']")
    box.fill("x" * 5_100)
    expect(note).to_have_text(
        "Too long to save: 5,100 characters, 100 more than the limit of 5,000."
    )
    expect(note).to_be_visible()
    box.press("End")
    for _ in range(3):
        box.press("Backspace")
    expect(note).to_have_text(
        "Too long to save: 5,097 characters, 97 more than the limit of 5,000."
    )
    box.fill("Short now.")
    expect(note).to_have_text(DRAFT_FIELD)
    page.screenshot(path=str(SHOTS / "answer-counter-1440.png"))
