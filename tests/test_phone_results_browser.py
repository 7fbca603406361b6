"""Results on phones after reveal, and support for open answers, in a real Chromium against a
real `streamlit run`: a console, a projector at 1920x1080 and three phones emulated at 390x844
with touch (workbook/ui/room_results.py).

Proves: once the facilitator reveals a question, the phones show its answers and a revealed
rating's results, with the person's own group marked; supports tapped on two phones change
the counts on both, and a second tap takes one back; the projector orders the answers by
support when the console says so; a reveal is said at the phone's top (read out) with a link
that scrolls to the results; an answer hidden by the facilitator leaves the phones and its
author alone is told so; a phone that changes its rating sees the change in the results on
that same redraw; axe finds no serious or critical problem on the phone's results. Screenshots go to
tests/screenshots/phone/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from harness.browser import (
    axe_findings,
    context,
    join_on_phone,
    settle,
    sign_in,
    start_workshop,
)
from harness.server import Server
from workbook.lessons import LessonSet
from workbook.ui.pacing import RESULTS_REVEALED
from workbook.ui.room_results import HIDDEN_OWN

pytestmark = pytest.mark.browser

PHONE_SHOTS = Path(__file__).parent / "screenshots" / "phone"


def answer(phone: Page, prompt: str, statement: str, text: str, rating: str) -> None:
    box = phone.get_by_role("textbox", name=prompt)
    form = phone.get_by_test_id("stForm").filter(has=box)
    box.fill(text)
    form.get_by_role("radiogroup", name=statement).get_by_role(
        "radio", name=rating, exact=True
    ).tap()
    form.get_by_role("button", name="Save answers").tap()
    expect(phone.get_by_text(re.compile(r"^Saved 1 answer and 1 rating"))).to_be_visible()


def card(phone: Page, text: str) -> Locator:
    """An answer on the phone's results, by the app's own key (st-key-room_answer_<id>)."""
    return phone.locator(".st-key-room_results [class*='st-key-room_answer_']").filter(
        has_text=text
    )


def shoot(page: Page, name: str, target: Locator) -> None:
    PHONE_SHOTS.mkdir(parents=True, exist_ok=True)
    target.scroll_into_view_if_needed()
    # Clear of the app's header bar: scroll whatever scrolls around it back a little.
    target.evaluate(
        """node => { for (let box = node.parentElement; box; box = box.parentElement) {
          box.scrollTop -= 90; } }"""
    )
    page.wait_for_timeout(300)  # let the scroll finish before the picture, not a check
    page.screenshot(path=str(PHONE_SHOTS / name))


def test_phones_show_revealed_results_with_their_group_and_count_supports(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    lesson = lessons.lessons[0]
    prompt, statement = lesson.prompts[0], lesson.ratings[0]
    console = context(browser, 1440, 900).new_page()
    code, key = start_workshop(console, server, "Results day", "Clean air")
    projector_url = sign_in(console, server, code, key)
    projector = context(browser, 1920, 1080).new_page()
    projector.goto(projector_url)

    green = join_on_phone(browser, server, code, "Green table")
    red = join_on_phone(browser, server, code, "Red table")
    blue = join_on_phone(browser, server, code, "Blue table")
    liked = "Ask the school run parents to map the worst junctions"
    mine, theirs = "Pollution diaries for a month", "A petition to the council"
    # Oldest first: newest first puts the answer everyone supports last.
    answer(green, prompt.text, statement.text, liked, "5")
    answer(red, prompt.text, statement.text, mine, "4")
    answer(blue, prompt.text, statement.text, theirs, "2")
    assert red.locator(".st-key-room_results").count() == 0  # nothing before the reveal

    # Reveal the question: every phone shows the answers, with its own group marked, and
    # says so at its top (read out), with a link down to them.
    console.locator(f".st-key-facilitator_reveal_prompt_{prompt.id} button").click()
    results = red.locator(".st-key-room_results")
    expect(results).to_be_visible()
    told = red.locator(".st-key-room_notice .wb-results-shown")
    expect(told).to_contain_text(RESULTS_REVEALED)
    expect(red.locator("#wb-room-live")).to_contain_text(RESULTS_REVEALED)
    told.scroll_into_view_if_needed()
    shoot(red, "results-revealed-notice-390.png", told)
    heading = red.get_by_role("heading", name="Results from the room")
    expect(heading).not_to_be_in_viewport()
    told.get_by_role("link", name="See the results").tap()
    expect(heading).to_be_in_viewport()
    expect(card(red, liked)).to_be_visible()
    expect(card(red, theirs)).to_be_visible()
    own = card(red, mine)
    expect(own).to_contain_text("your group")
    expect(own).to_contain_text("Your answer · 0 supports")
    expect(own.get_by_role("button")).to_have_count(0)  # one's own answer: nothing to tap
    expect(card(red, liked)).not_to_contain_text("your group")
    expect(card(blue, theirs)).to_contain_text("your group")
    expect(card(blue, mine)).not_to_contain_text("your group")
    shoot(red, "results-answers-390.png", results)
    assert not axe_findings(red, "phone-results")

    # Two phones support the same answer: each tap counts, both phones see both.
    card(red, liked).get_by_role("button", name="Support · 0").tap()
    expect(card(red, liked).get_by_role("button", name="Supported · 1")).to_be_visible()
    expect(card(blue, liked).get_by_role("button", name="Support · 1")).to_be_visible()
    card(blue, liked).get_by_role("button", name="Support · 1").tap()
    expect(card(blue, liked).get_by_role("button", name="Supported · 2")).to_be_visible()
    expect(card(red, liked).get_by_role("button", name="Supported · 2")).to_be_visible()
    expect(card(green, liked)).to_contain_text("Your answer · 2 supports")
    card(red, theirs).get_by_role("button", name="Support · 0").tap()
    expect(card(red, theirs).get_by_role("button", name="Supported · 1")).to_be_visible()
    shoot(red, "results-supported-390.png", card(red, liked))
    # A second tap takes a support back.
    card(red, theirs).get_by_role("button", name="Supported · 1").tap()
    expect(card(red, theirs).get_by_role("button", name="Support · 0")).to_be_visible()
    expect(card(blue, theirs)).to_contain_text("Your answer · 0 supports")

    # The projector: newest first, then most supported first once the console says so.
    cards = projector.get_by_test_id("wbp-card")
    expect(cards.first).to_contain_text(theirs)
    expect(cards.filter(has_text=liked)).to_contain_text("2 supporters")
    console.locator(f"[class*='st-key-facilitator_by_support_prompt_{prompt.id}_']").get_by_role(
        "radio", name="Most supported"
    ).click()
    expect(cards.first).to_contain_text(liked)
    expect(cards.nth(1)).not_to_contain_text(liked)
    projector.screenshot(path=str(PHONE_SHOTS / "projector-by-support-1920.png"))

    # Moderation: an answer the facilitator hides leaves the phones.
    hide = console.locator("[class*='st-key-facilitator_answer_']").filter(has_text=theirs)
    hide.get_by_role("button", name="Hide").click()
    expect(card(red, theirs)).to_have_count(0)
    expect(card(red, liked)).to_be_visible()
    # Its author is told, calmly, where it was; nobody else sees anything of it.
    kept_off = blue.locator(f".st-key-room_hidden_own_{prompt.id}")
    expect(kept_off).to_contain_text(HIDDEN_OWN)
    expect(card(blue, theirs)).to_have_count(0)
    shoot(blue, "results-own-answer-hidden-390.png", kept_off)
    expect(red.get_by_text(HIDDEN_OWN)).to_have_count(0)
    expect(green.get_by_text(HIDDEN_OWN)).to_have_count(0)

    # "Never": this question's results leave the phones, and stay on the projector.
    console.locator(f"[class*='st-key-facilitator_phones_prompt_{prompt.id}_']").get_by_role(
        "radio", name="Never"
    ).click()
    expect(card(red, liked)).to_have_count(0)
    expect(cards.first).to_contain_text(liked)

    # A revealed rating: how many gave each value, the average per group, own group marked.
    console.locator(f".st-key-facilitator_reveal_rating_{statement.id} button").click()
    rating = red.locator(f".st-key-room_results_rating_{statement.id}")
    expect(rating).to_contain_text("3 ratings, average 3.7 of 5")
    expect(rating.locator(".wb-rr-own")).to_have_count(1)
    expect(rating.locator(".wb-rr-own")).to_contain_text("Red table")
    expect(rating.locator(".wb-rr-own")).to_contain_text("your group")
    expect(rating.locator(".wb-rr-own")).to_contain_text("4.0 (1 rating)")
    shoot(red, "results-rating-390.png", rating)
    assert not axe_findings(red, "phone-results-rating")
    # The phone that changes its rating sees it in the results on that same redraw (the
    # room's shared read may be a few seconds older; the saver reads its own).
    form = red.get_by_test_id("stForm")
    form.get_by_role("radiogroup", name=statement.text).get_by_role(
        "radio", name="1", exact=True
    ).tap()
    form.get_by_role("button", name="Save answers").tap()
    expect(red.get_by_text(re.compile(r"^Saved 1 rating"))).to_be_visible()
    settle(red)
    assert "3 ratings, average 2.7 of 5" in rating.inner_text()  # no wait: already there
    assert "1.0 (1 rating)" in rating.locator(".wb-rr-own").inner_text()
    # Nothing on the phone is wider than the phone.
    assert red.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert "Traceback" not in server.log()
