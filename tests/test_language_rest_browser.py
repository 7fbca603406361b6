"""The rest of a Danish workshop in a real Chromium against a real `streamlit run`: the
console's moderation, plan and export panels in Danish at 1920x1080, and the plan editor on a
Danish phone at 390x844 with its minutes line. Screenshots go to
tests/screenshots/language/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import (
    TIMEOUT,
    axe_findings,
    context,
    mobile,
    press_until,
    settle,
    sign_in,
    start_workshop,
)
from harness.server import Server

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "language"
expect.set_options(timeout=TIMEOUT)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_danish_consoles_panels_and_the_plan_editor_on_a_danish_phone(
    browser: Browser, server: Server
) -> None:
    console = context(browser, 1920, 1080).new_page()
    code, key = start_workshop(console, server, "Forårsdag for naboer", "Boligret")
    sign_in(console, server, code, key)
    language = console.locator("[class*='st-key-facilitator_language_']")
    language.get_by_role("radio", name="Dansk").click()
    expect(console.get_by_role("button", name="Næste trin")).to_be_visible()

    # A Danish phone answers the first question.
    phone = mobile(browser).new_page()
    phone.goto(f"{server.url}/?w={code.replace('-', '')}")
    new_group = phone.get_by_role("textbox", name="Den nye gruppes navn")
    press_until(phone, "Find workshop", new_group, touch=True)
    new_group.fill("Bord 1")
    press_until(phone, "Deltag", phone.get_by_text(re.compile(r"^Trin 1 af 9")), touch=True)
    phone.get_by_role("textbox").first.fill("Vi lærer af hiv/aids-bevægelsen.")
    phone.get_by_role("button", name="Gem svar").tap()
    expect(phone.get_by_text(re.compile(r"^Gemt: 1 svar"))).to_be_visible()

    # The console puts it on the projector: the moderation panel speaks Danish.
    console.get_by_role("button", name="Vis på projektor").first.click()
    expect(console.get_by_role("heading", name="Svar på projektoren")).to_be_visible()
    counts = console.locator(".st-key-facilitator_answer_counts")
    expect(counts).to_contain_text("1 svar: 1 vist")
    console.get_by_role("button", name="Lav eksportfilerne").click()
    expect(console.get_by_role("button", name="CSV-filer (zip)")).to_be_visible()
    console.get_by_role("heading", name="Svar på projektoren").scroll_into_view_if_needed()
    shot(console, "console-danish-moderation-1920")
    console.get_by_text("Vis og ændr planen").click()
    expect(console.get_by_text("Start fra")).to_be_visible()
    console.evaluate("window.scrollTo(0, 0)")
    shot(console, "console-danish-panels-1920")
    assert axe_findings(console, "language-console-panels") == []

    # The plan editor on a Danish phone: the start page in Danish, a ready plan, its total.
    editor = mobile(browser).new_page()
    editor.goto(f"{server.url}/?lang=da")
    settle(editor)
    editor.get_by_role("tab", name=re.compile("^Start en workshop")).tap()
    picker = editor.get_by_role("combobox", name=re.compile("Start fra"))
    picker.tap()
    editor.get_by_role("option").nth(1).tap()
    expect(editor.get_by_text("I alt 80 af 90 minutter")).to_be_visible()
    editor.get_by_role("button", name=re.compile("^Ret planen")).tap()
    expect(editor.get_by_role("button", name="Fjern").first).to_be_visible()
    editor.get_by_text("I alt 80 af 90 minutter").scroll_into_view_if_needed()
    shot(editor, "plan-editor-danish-390")
    assert axe_findings(editor, "language-plan-editor") == []
