"""A too-long answer on a phone, in a real Chromium against a real `streamlit run`: the save
at the foot of the form keeps the rest of the step, and brings the person to the refused
answer's box, where the sentence says why it is not saved (outside walk-through: the refusal
sat below the buttons, out of view, naming no question, and nothing else was saved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from harness.browser import TIMEOUT, mobile, settle
from harness.server import Server
from tests.test_step_arrival_browser import seated
from workbook.lessons import LessonSet

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
    # Under the buttons: what was saved, and which question was not.
    expect(page.get_by_text("Saved 1 answer and 1 rating.", exact=False)).to_be_attached()
    expect(page.get_by_text(f"Your answer to “{lesson.prompts[1].text}”")).to_be_attached()
    page.screenshot(path=str(SHOTS / "answer-refused-390.png"))
