"""Arriving at a step, in a real Chromium against a real `streamlit run`: Streamlit keeps the
scroll position across reruns, so a step reached from the foot of the last one (Next, "Save
and go to the next step", "Jump to a step") opened 2,000-3,000 px down, at its ratings or its
exercise (outside walk-through, screenshots 09, 17, 43). A new step opens at its top: its
heading in view, and the line saying the last step's answers were saved. A save that stays on
the step does not move the page. Laptop (1440x900) and phone (390x844, touch)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import TIMEOUT, context, mobile, settle
from harness.server import Server
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots"
expect.set_options(timeout=TIMEOUT)


def seated(page: Page, server: Server, group: str) -> None:
    """A self-guided group started on this page, on the workbook's first step."""
    page.goto(server.url + "/")
    page.get_by_role("tab", name="Start a workshop").click()
    page.get_by_role("textbox", name="Workshop title").fill("Arrival day")
    page.get_by_role("textbox", name="Cause or movement").fill("Housing justice")
    page.get_by_text("Self-guided: our group works through it alone").click()
    page.get_by_role("textbox", name="Your group's name (required for self-guided)").fill(group)
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("button", name="Open the workbook").click()
    expect(page.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()
    settle(page)


def scroll_top(page: Page) -> float:
    """How far the page is scrolled (Streamlit scrolls its main section, not the window)."""
    return page.evaluate(
        """() => Math.max(window.scrollY, ...Array.from(document.querySelectorAll('*'))
          .filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.scrollTop))"""
    )


def at_the_top_of(page: Page, title: str, step: int) -> None:
    heading = page.get_by_role("heading", name=title, exact=True)
    expect(heading).to_be_visible()
    settle(page)
    page.wait_for_timeout(400)  # the page's own scroll runs a moment after it is drawn
    expect(page.get_by_text(re.compile(rf"^Step {step} of"))).to_be_in_viewport()
    expect(heading).to_be_in_viewport()


def walk(page: Page, lessons: LessonSet, where: str, *, touch: bool) -> None:
    def press(name: str, scope: str = "") -> None:
        button = (page.locator(scope) if scope else page).get_by_role(
            "button", name=name, exact=True
        )
        button.scroll_into_view_if_needed()
        assert scroll_top(page) > 500  # from the foot of a long step
        button.tap() if touch else button.click()

    second, third = lessons.lessons[1:3]
    # Next, from the foot of step 1.
    press("Next", ".st-key-workbook_next_bottom")
    at_the_top_of(page, second.title, 2)

    # A save that stays on the step leaves the page where it is.
    box = page.locator(f".st-key-answer_{second.id}_1_prompt_{second.prompts[0].id} textarea")
    box.fill("Jo is in the Unite branch at the hospital.")
    save = page.get_by_role("button", name="Save answers", exact=True)
    save.scroll_into_view_if_needed()
    before = scroll_top(page)
    assert before > 300
    save.tap() if touch else save.click()
    expect(page.get_by_text(re.compile(r"^Saved 1 answer\."))).to_be_visible()
    settle(page)
    page.wait_for_timeout(400)
    assert abs(scroll_top(page) - before) < 250, (before, scroll_top(page))
    expect(save).to_be_in_viewport()

    # "Save and go to the next step": the next step's top, with the line saying it was saved.
    box.fill("Jo is in the Unite branch at the hospital, Dev runs the food bank rota.")
    press("Save and go to the next step")
    at_the_top_of(page, third.title, 3)
    expect(page.get_by_text(f"Your answers to {second.title} are saved.")).to_be_in_viewport()
    page.screenshot(path=str(SHOTS / f"step-arrival-saved-{where}.png"))

    # "Jump to a step", chosen at the foot of the page.
    jump = page.get_by_role("combobox", name="Jump to a step", exact=True)
    jump.scroll_into_view_if_needed()
    assert scroll_top(page) > 500
    jump.tap() if touch else jump.click()
    target = lessons.lessons[4]
    option = page.get_by_role("option", name=f"5. {target.title}", exact=True)
    option.tap() if touch else option.click()
    at_the_top_of(page, target.title, 5)
    page.screenshot(path=str(SHOTS / f"step-arrival-jump-{where}.png"))


def test_a_new_step_opens_at_its_top_on_a_laptop(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = context(browser, 1440, 900).new_page()
    seated(page, server, "Laptop table")
    walk(page, lessons, "1440", touch=False)


def test_a_new_step_opens_at_its_top_on_a_phone(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = mobile(browser).new_page()
    seated(page, server, "Phone table")
    walk(page, lessons, "390", touch=True)
