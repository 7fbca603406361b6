"""The lesson form on a phone (390x844, touch), in a real Chromium against a real
`streamlit run`: its rating buttons and save button are big enough to hit with a thumb and
the save button spans the form (workbook/ui/lesson_drafts.py finds them by the form's own
widget keys, not Streamlit's test ids; a form itself has no key class in Streamlit 1.67)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from harness.browser import SCREENSHOTS, TIMEOUT, TOUCH, join_on_phone, start_workshop
from harness.server import Server
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT)


def test_the_form_s_ratings_and_save_button_are_thumb_sized_on_a_phone(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    code, _ = start_workshop(console, server, "Thumb day", "Housing justice")
    phone = join_on_phone(browser, server, code, "Table by the stairs")
    lesson = lessons.lessons[0]
    assert lesson.prompts and lesson.ratings  # the first step has both

    prefix = f".st-key-answer_{lesson.id}_1"
    save = phone.locator(f"{prefix}_save_answers").get_by_role("button", name="Save answers")
    expect(save).to_be_visible()
    box = save.bounding_box()
    assert box is not None
    assert box["height"] >= 48, box
    assert box["width"] >= 390 * 0.75, box  # the form's width, less its margins
    rating = phone.locator(f"{prefix}_rating_{lesson.ratings[0].id}")
    for button in rating.get_by_role("button").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= max(TOUCH, 48), box
    SCREENSHOTS.mkdir(exist_ok=True)
    save.scroll_into_view_if_needed()
    phone.screenshot(path=str(SCREENSHOTS / "phone-form-390.png"))
