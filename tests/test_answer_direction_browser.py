"""Answer boxes follow the direction of what is typed in them, in a real Chromium against a
real `streamlit run`: an all-Arabic answer sat left-to-right in its box, its full stop on the
wrong side (outside walk-through, screenshot 71). Each paragraph of a box now takes the
direction of its own first letter (CSS unicode-bidi: plaintext, aligned to its start), so
Arabic reads from the right and an English answer with Arabic words in it from the left.
Measured on the screen itself: where a box's ink lies."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, expect

from harness.browser import TIMEOUT, mobile
from harness.server import Server
from tests.test_step_arrival_browser import seated
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots"
expect.set_options(timeout=TIMEOUT)

ARABIC = "نحتاج إلى متطوعين."
MIXED = "We met الجمعية الخيرية on Monday."


def ink(box: Locator) -> tuple[float, float]:
    """Where the text inside a box starts and ends, as shares of its width (0 left, 1 right)."""
    shot = Image.open(BytesIO(box.screenshot())).convert("L")
    width, height = shot.size
    margin = 6  # the box's border and its rounded corners
    rows = range(margin, height // 2)  # the first line, above the resize grip (bottom right)
    columns = [
        x for x in range(margin, width - margin) if any(shot.getpixel((x, y)) < 110 for y in rows)
    ]
    assert columns, "no text in the box"
    return columns[0] / width, columns[-1] / width


def test_an_arabic_answer_reads_from_the_right_and_mixed_text_from_the_left(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = mobile(browser).new_page()
    seated(page, server, "Direction table")
    lesson = lessons.lessons[0]
    prefix = f".st-key-answer_{lesson.id}_1_prompt_"
    arabic = page.locator(f"{prefix}{lesson.prompts[0].id} textarea")
    mixed = page.locator(f"{prefix}{lesson.prompts[1].id} textarea")
    arabic.fill(ARABIC)
    mixed.fill(MIXED)
    arabic.blur()
    page.wait_for_timeout(200)

    start, end = ink(arabic)
    assert start > 0.4 and end > 0.85, (start, end)  # against the right edge
    start, end = ink(mixed)
    assert start < 0.1 and end < 0.95, (start, end)  # against the left edge, as before
    arabic.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "answer-direction-390.png"))
