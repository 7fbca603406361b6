"""Languages in a real Chromium against a real `streamlit run`: one room, one phone in Danish
(the workshop's language) and one switched to English, the projector and the console in the
workshop's language. Each phone keeps its own language as the room moves. Screenshots go to
tests/screenshots/language/ (phones at 390x844, the projector and console at 1920x1080)."""

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
from workbook.config import PROJECT_ROOT
from workbook.lesson_languages import load_in

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "language"
expect.set_options(timeout=TIMEOUT)
DANISH = load_in(PROJECT_ROOT / "lessons", "da")
ENGLISH = load_in(PROJECT_ROOT / "lessons", "en")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def join_danish_room(browser: Browser, server: Server, code: str, group: str) -> Page:
    """A phone joining by the join link: the join page and the workbook open in the
    workshop's language."""
    phone = mobile(browser).new_page()
    phone.goto(f"{server.url}/?w={code.replace('-', '')}")
    new_group = phone.get_by_role("textbox", name="Den nye gruppes navn")
    press_until(phone, "Find workshop", new_group, touch=True)
    new_group.fill(group)
    press_until(phone, "Deltag", phone.get_by_text(re.compile(r"^Trin 1 af 9")), touch=True)
    settle(phone)
    return phone


def test_one_room_two_phones_in_two_languages_and_the_projector_in_the_workshops(
    browser: Browser, server: Server
) -> None:
    console = context(browser, 1920, 1080).new_page()
    code, key = start_workshop(console, server, "Forårsdag for naboer", "Boligret")
    projector_link = sign_in(console, server, code, key)
    # The facilitator makes it a Danish workshop on the console; the console follows.
    language = console.locator("[class*='st-key-facilitator_language_']")
    language.get_by_role("radio", name="Dansk").click()
    expect(console.get_by_role("button", name="Næste trin")).to_be_visible()
    expect(console.get_by_role("heading", name="Facilitatorkonsol")).to_be_visible()

    projector = context(browser, 1920, 1080).new_page()
    projector.goto(projector_link)
    expect(projector.get_by_test_id("wbp-joined")).to_have_text("Deltagere: ingen endnu")
    expect(projector.get_by_text("Deltag på din telefon på")).to_be_visible()

    danish = join_danish_room(browser, server, code, "Bord 1")
    english = join_danish_room(browser, server, code, "Bord 2")
    title = DANISH.lessons[0].title
    expect(danish.get_by_role("heading", name=title)).to_be_visible()
    expect(danish.get_by_role("button", name="Gem svar")).to_be_visible()

    # The second phone switches to English: only it changes.
    english.locator(".st-key-i18n_picker").get_by_role("radio", name="English").tap()
    expect(english.get_by_role("heading", name=ENGLISH.lessons[0].title)).to_be_visible()
    expect(english.get_by_role("button", name="Save answers")).to_be_visible()
    # A plain reload (or a phone waking from sleep) keeps the person's own choice.
    english.reload()
    settle(english)
    expect(english.get_by_role("heading", name=ENGLISH.lessons[0].title)).to_be_visible()
    expect(english.get_by_role("button", name="Save answers")).to_be_visible()
    assert "lang=en" in english.url, english.url
    danish.reload()
    settle(danish)
    expect(danish.get_by_role("heading", name=title)).to_be_visible()
    expect(danish.get_by_role("button", name="Gem svar")).to_be_visible()
    picker = english.locator(".st-key-i18n_picker button").first.bounding_box()
    assert picker is not None and picker["height"] >= 44, picker

    # The room moves: each phone is told in its own language; the projector in the room's.
    console.get_by_role("button", name="Næste trin").click()
    expect(danish.locator(".st-key-room_notice .wb-room-moved")).to_have_text(
        f"Facilitatoren gik videre til: {DANISH.lessons[1].title}"
    )
    expect(english.locator(".st-key-room_notice .wb-room-moved")).to_have_text(
        f"The facilitator moved to: {ENGLISH.lessons[1].title}"
    )
    expect(projector.get_by_text(f"Trin 2 af 9 · {DANISH.lessons[1].title}")).to_be_visible()
    expect(projector.get_by_test_id("wbp-status")).to_contain_text("resultater skjult")
    expect(english.get_by_text(re.compile(r"^Step 2 of 9"))).to_be_visible()

    # The room has started: each phone's waiting card goes at its next poll.
    expect(danish.locator(".st-key-room_waiting")).to_have_count(0)
    expect(english.locator(".st-key-room_waiting")).to_have_count(0)
    expect(console.get_by_role("heading", name="Genoptagelseslink")).to_be_visible()
    danish.evaluate("window.scrollTo(0, 0)")
    english.evaluate("window.scrollTo(0, 0)")
    shot(danish, "phone-danish-390")
    shot(english, "phone-english-390")
    shot(projector, "projector-danish-1920")
    shot(console, "console-danish-1920")
    for page, where in ((danish, "phone-danish"), (english, "phone-english")):
        assert axe_findings(page, f"language-{where}") == []
