"""The action plan's commitments on a phone, in a real Chromium (390x844, touch) against a real
`streamlit run`: a removal said in the removed card's place, brought into view and given the
focus (the tapped button is gone), Undo bringing it back with the focus on what it says, the
edit form's buttons at least 44 px, nothing wider than the screen, axe-core clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import TIMEOUT, TOUCH, axe_findings, mobile, settle
from harness.server import Server

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT)


def on_action_plan(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    page.get_by_role("tab", name="Start a workshop").click()
    page.get_by_role("textbox", name="Workshop title").fill("Commitments on a phone")
    page.get_by_role("textbox", name="Cause or movement").fill("Housing justice")
    page.get_by_text("Self-guided: our group works through it alone").click()
    page.get_by_role("textbox", name="Your group's name (required for self-guided)").fill("Block C")
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("button", name="Open the workbook").click()
    expect(page.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()
    settle(page)
    page.get_by_role("combobox", name="Jump to a step").tap()
    # The list is filtered as it is typed into; Enter takes the one option left (a tap on
    # an option the filtering is still redrawing can miss it on a busy machine).
    page.keyboard.type("Action plan")
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Our commitments")).to_be_visible()
    settle(page)


CARDS = "[class*='st-key-action_plan_item_'] [data-testid='stText']"


def add(page: Page, what: str) -> None:
    box = page.get_by_role("textbox", name="What will we do?").last
    box.fill(what)
    page.get_by_role("button", name="Add commitment").tap()
    expect(page.locator(CARDS).filter(has_text=what)).to_be_visible()
    expect(box).to_have_value("")  # emptied for the next one
    settle(page)


def test_a_removal_is_said_in_place_with_the_focus_and_undo_brings_it_back(
    browser: Browser, server: Server
) -> None:
    page = mobile(browser).new_page()
    on_action_plan(page, server)
    for what in ("Phone the households", "Start the repairs petition", "Ask the Law Centre"):
        add(page, what)
    page.get_by_role("button", name="Remove").nth(1).tap()
    status = page.get_by_role("status").filter(has_text="Removed")
    expect(status).to_have_text("Removed “Start the repairs petition”.")
    settle(page)
    expect(status).to_be_focused()
    expect(status).to_be_in_viewport()
    expect(page.locator(CARDS).filter(has_text="Start the repairs petition")).to_have_count(0)
    assert axe_findings(page, "commitment-removed") == []

    page.get_by_role("button", name="Undo").tap()
    expect(page.locator(CARDS).filter(has_text="Start the repairs petition")).to_be_visible()
    settle(page)
    expect(page.get_by_text("Brought back.")).to_be_visible()
    # The focus moves once the page's script has placed it: waited for, not read once.
    page.wait_for_function(
        "(document.activeElement?.innerText || '').includes('Brought back.')", timeout=TIMEOUT
    )
    assert page.locator(CARDS).all_inner_texts() == [
        "Phone the households",
        "Start the repairs petition",
        "Ask the Law Centre",
    ]

    page.get_by_role("button", name="Edit").first.tap()
    expect(page.get_by_role("button", name="Save changes")).to_be_visible()
    settle(page)
    for name in ("Save changes", "Cancel", "Edit", "Remove"):
        for button in page.get_by_role("button", name=name, exact=True).all():
            box = button.bounding_box()
            assert box and box["height"] >= TOUCH, (name, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_findings(page, "commitment-edit") == []
