"""Approving answers before the room sees them, in a real Chromium against a real
`streamlit run`: a console, a projector at 1920x1080 and two phones at 390x844
(workbook/ui/moderation.py, workbook/store/moderation.py).

Proves: with "I approve answers first" on, an answer saved on a phone reaches neither the
projector nor another phone's results (both say one answer waits) until the facilitator
approves it on the console; then it is on both. Hiding it and restoring it change the
projector's count and the console's counts. Screenshots go to tests/screenshots/moderation/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from harness.browser import context, join_on_phone, settle, sign_in, start_workshop
from harness.server import Server
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "moderation"


def save_answer(phone: Page, prompt: str, text: str) -> None:
    box = phone.get_by_role("textbox", name=prompt)
    form = phone.get_by_test_id("stForm").filter(has=box)
    box.fill(text)
    form.get_by_role("button", name="Save answers").tap()
    expect(phone.get_by_text(re.compile(r"^Saved 1 answer"))).to_be_visible()


def phone_card(phone: Page, text: str) -> Locator:
    return phone.locator(".st-key-room_results [class*='st-key-room_answer_']").filter(
        has_text=text
    )


def test_an_answer_waits_for_approval_before_the_projector_and_phones_show_it(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    prompt = lessons.lessons[0].prompts[0]
    console = context(browser, 1440, 900).new_page()
    code, key = start_workshop(console, server, "Vetting day", "Tenants' rights")
    projector_url = sign_in(console, server, code, key)
    projector = context(browser, 1920, 1080).new_page()
    projector.goto(projector_url)
    writer = join_on_phone(browser, server, code, "Red table")
    reader = join_on_phone(browser, server, code, "Blue table")

    # Approval on, then the question revealed: the room would see answers as they come.
    console.locator(f"[class*='st-key-facilitator_approve_first_prompt_{prompt.id}_']").get_by_role(
        "radio", name="I approve answers first"
    ).click()
    expect(console.get_by_text(re.compile("you approve answers first"))).to_be_visible()
    settle(console)
    console.locator(f".st-key-facilitator_reveal_prompt_{prompt.id} button").click()
    status = projector.get_by_test_id("wbp-status")
    expect(status).to_contain_text("answers open")
    expect(reader.locator(".st-key-room_results")).to_be_visible()

    answer = "Our landlord Mr Example at 12 Some Street"
    save_answer(writer, prompt.text, answer)
    # Both screens have read the new answer (they say it waits), and neither shows it.
    expect(status).to_contain_text("1 more waiting for the facilitator")
    expect(status).to_contain_text(re.compile(r"^0 answers"))
    expect(reader.locator(".st-key-room_results")).to_contain_text(
        "1 more waiting for the facilitator"
    )
    assert projector.get_by_text(answer).count() == 0
    assert phone_card(reader, answer).count() == 0
    counts = console.locator(".st-key-facilitator_answer_counts")
    expect(counts).to_have_text("1 answer: 0 shown, 1 waiting for you")
    queued = console.locator("[class*='st-key-facilitator_answer_']").filter(has_text=answer)
    expect(queued).to_contain_text("WAITING for your approval")
    SHOTS.mkdir(parents=True, exist_ok=True)
    counts.scroll_into_view_if_needed()
    console.screenshot(path=str(SHOTS / "console-waiting-1440.png"))

    # Approved: on the projector and the other phone.
    queued.get_by_role("button", name="Approve").click()
    expect(projector.get_by_test_id("wbp-card").filter(has_text=answer)).to_be_visible()
    expect(status).to_contain_text(re.compile(r"^1 answer from 1 group"))
    expect(status).not_to_contain_text("waiting")
    expect(phone_card(reader, answer)).to_be_visible()
    expect(counts).to_have_text("1 answer: 1 shown")

    # Hidden: every count drops; restored: every count is back.
    shown = console.locator("[class*='st-key-facilitator_answer_']").filter(has_text=answer)
    shown.get_by_role("button", name="Hide").click()
    expect(counts).to_have_text("1 answer: 0 shown, 1 hidden")
    expect(status).to_contain_text(re.compile(r"^0 answers"))
    expect(projector.get_by_test_id("wbp-card").filter(has_text=answer)).to_have_count(0)
    expect(phone_card(reader, answer)).to_have_count(0)
    shown.get_by_role("button", name="Restore").click()
    expect(counts).to_have_text("1 answer: 1 shown")
    expect(status).to_contain_text(re.compile(r"^1 answer from 1 group"))
    expect(phone_card(reader, answer)).to_be_visible()
    projector.screenshot(path=str(SHOTS / "projector-approved-1920.png"))
    assert "Traceback" not in server.log()


def test_approving_in_the_refreshing_panel_updates_the_note_on_answers_now_waiting(
    browser: Browser, server: Server, lessons: LessonSet
) -> None:
    """Turned on mid-question, "I approve answers first" says how many answers already given
    now wait, under the question (outside the console's refreshing panel). Approving them in
    the panel reran the panel alone: the note kept its count until the page was drawn again.
    It now follows each approval at once."""
    prompt = lessons.lessons[0].prompts[0]
    console = context(browser, 1920, 1080).new_page()
    code, key = start_workshop(console, server, "Vetting day", "Tenants' rights")
    sign_in(console, server, code, key)
    for n, group in enumerate(("Red table", "Blue table")):
        save_answer(join_on_phone(browser, server, code, group), prompt.text, f"Answer {n}")
    counts = console.locator(".st-key-facilitator_answer_counts")
    expect(counts).to_have_text("2 answers: 2 shown")  # the refreshing panel has read them
    settle(console)
    console.locator(f"[class*='st-key-facilitator_approve_first_prompt_{prompt.id}_']").get_by_role(
        "radio", name="I approve answers first"
    ).click()
    note = console.get_by_test_id("stAlert").filter(has_text="already given")
    expect(note).to_contain_text("2 answers already given now wait for your approval")
    settle(console)
    expect(counts).to_have_text("2 answers: 0 shown, 2 waiting for you")

    queued = console.locator("[class*='st-key-facilitator_answer_']").filter(has_text="Answer 1")
    queued.get_by_role("button", name="Approve").click()
    expect(counts).to_have_text("2 answers: 1 shown, 1 waiting for you")
    expect(note).to_contain_text("1 answer already given now waits for your approval")
    SHOTS.mkdir(parents=True, exist_ok=True)
    note.scroll_into_view_if_needed()
    console.screenshot(path=str(SHOTS / "console-note-follows-1920.png"))
    settle(console)
    console.get_by_role("button", name="Approve all").click()
    expect(counts).to_have_text("2 answers: 2 shown")
    expect(note).to_have_count(0)
    assert "Traceback" not in server.log()
