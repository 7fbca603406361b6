"""A rating statement reads as the main line and its scale as the note under it, in a real
Chromium against a real `streamlit run`: the scale ("1 = Rarely · 5 = All the time") was
drawn larger than the statement it belongs to (outside walk-through, screenshot 06). Laptop
(1440x900) and phone (390x844)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import TIMEOUT, context, mobile
from harness.server import Server
from tests.test_step_arrival_browser import seated
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots"
expect.set_options(timeout=TIMEOUT)

SIZE = "node => parseFloat(getComputedStyle(node).fontSize)"


def check(page: Page, lessons: LessonSet, where: str) -> None:
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    rating = page.locator(f".st-key-answer_{lesson.id}_1_rating_{statement.id}")
    label = rating.locator("[data-testid='stWidgetLabel']").get_by_text(statement.text)
    scale = page.locator(".wb-scale").filter(has_text=f"1 = {statement.low}").first
    expect(label).to_be_visible()
    expect(scale).to_be_visible()
    said, note = label.evaluate(SIZE), scale.evaluate(SIZE)
    body = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert said >= body, (said, body)  # the statement at the page's body size
    assert note < said, (said, note)  # the scale smaller than what it belongs to
    # A prompt (the other main line of the form) as large as a statement.
    prompt = page.locator(f".st-key-answer_{lesson.id}_1_prompt_{lesson.prompts[0].id}")
    asked = prompt.locator("[data-testid='stWidgetLabel']").get_by_text(lesson.prompts[0].text)
    assert asked.evaluate(SIZE) == said
    SHOTS.mkdir(exist_ok=True)
    rating.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"rating-scale-{where}.png"))


def test_a_statement_is_the_main_line_and_its_scale_the_note_under_it(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    laptop = context(browser, 1440, 900).new_page()
    seated(laptop, server, "Scale table")
    check(laptop, lessons, "1440")
    phone = mobile(browser).new_page()
    seated(phone, server, "Scale phone")
    check(phone, lessons, "390")
