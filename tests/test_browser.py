"""In a real Chromium against a real `streamlit run`: start a workshop in one browser, join it
from a second, answer every lesson, reload, and find every answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import SCREENSHOTS, context, settle, start_workshop
from harness.server import Server

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
expect.set_options(timeout=TIMEOUT)


def open_app(browser: Browser, server: Server, *, width: int, height: int, path: str = "/") -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(server.url + path)
    expect(page.get_by_text("Movement Workbook").first).to_be_visible()
    return page


def test_start_join_answer_every_lesson_reload_and_find_it_all(
    browser: Browser, server: Server
) -> None:
    facilitator = open_app(browser, server, width=1920, height=1080)
    facilitator.get_by_role("tab", name="Start a workshop").click()
    facilitator.get_by_role("textbox", name="Workshop title").fill("Browser day")
    facilitator.get_by_role("textbox", name="Cause or movement").fill("Disability rights")
    facilitator.get_by_role("button", name="Create workshop").click()
    code_element = facilitator.locator(".wb-code")
    expect(code_element).to_have_text(re.compile(r"^[A-Z2-9]{3}-[A-Z2-9]{3}$"))
    code = code_element.inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    facilitator.screenshot(path=str(SCREENSHOTS / "created-1920.png"))

    phone = open_app(browser, server, width=390, height=844)
    phone.get_by_role("textbox", name="Workshop code").fill(code.lower())
    phone.get_by_role("button", name="Find workshop").click()
    expect(phone.get_by_text("Browser day")).to_be_visible()
    phone.get_by_role("textbox", name="New group's name").fill("Table <b>7</b> 🌱")
    phone.get_by_role("button", name="Join", exact=True).click()
    expect(phone.get_by_text("Step 1 of")).to_be_visible()
    assert "t=" in phone.url and "w=" in phone.url

    answers: list[str] = []
    step = 1
    while True:  # every shipped lesson has at least one prompt and one rating statement
        expect(phone.get_by_text(re.compile(rf"^Step {step} of \d+"))).to_be_visible()
        settle(phone)
        save = phone.get_by_role("button", name="Save answers")
        expect(save).to_be_visible()
        answer = f"Answer for step {step}: שלום <i>not italic</i> 👋🏽"
        phone.locator("textarea").first.fill(answer)
        phone.get_by_test_id("stForm").get_by_role("radiogroup").first.get_by_role(
            "radio", name="4", exact=True
        ).click()
        save.click()
        expect(phone.get_by_text(re.compile(r"^Saved 1 answer and 1 rating"))).to_be_visible()
        answers.append(answer)
        if step == 1:
            phone.screenshot(path=str(SCREENSHOTS / "workbook-390.png"), full_page=True)
        next_button = phone.get_by_role("button", name="Next").first
        if not next_button.count():
            break
        next_button.click()
        step += 1
        expect(phone.get_by_text(re.compile(rf"^Step {step} of \d+"))).to_be_visible()
    assert step >= 9 and len(answers) == step

    phone.reload()
    expect(phone.get_by_text(re.compile(rf"^Step {step} of {step}"))).to_be_visible()
    settle(phone)
    expect(phone.locator("textarea").first).to_have_value(answers[-1])

    phone.goto(f"{server.url}/results?{phone.url.split('?', 1)[1]}")
    expect(phone.get_by_role("heading", name="Our results")).to_be_visible()
    expect(phone.get_by_role("heading", name="Coming back later?")).to_be_visible()
    settle(phone)
    for expander in phone.locator("details > summary").all():
        expander.click()
    for answer in answers:
        expect(phone.get_by_text(answer, exact=True).first).to_be_visible()
    assert phone.locator("i", has_text="not italic").count() == 0  # shown as text, not HTML
    phone.screenshot(path=str(SCREENSHOTS / "results-390.png"), full_page=True)
    assert "Traceback" not in server.log()
    # One person on an idle server: every run's output arrived, so the check that redraws a
    # run Streamlit dropped (workbook.server.room_push) never fired; it is on (no "is off" line).
    assert "dropped a run's output" not in server.log()
    assert "Checking for dropped redraws is off" not in server.log()


def test_a_fresh_server_opened_straight_at_a_page_shows_the_app_navigation(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Before anyone opened the root URL, Streamlit ran a page file alone (its pages/-folder
    mode): raw file names in the sidebar and none of app.py. The first request here is a
    deep link."""
    fresh = Server(tmp_path_factory.mktemp("fresh") / "workbook.duckdb")
    try:
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.goto(fresh.url + "/funders")
        expect(page.get_by_role("heading", name="For funders")).to_be_visible()
        sidebar = page.get_by_role("navigation")
        expect(sidebar.get_by_role("link", name="For funders")).to_be_visible()
        expect(sidebar.get_by_role("link", name="Facilitator console")).to_be_visible()
        for raw in ("app", "funders", "facilitator", "workbook"):
            expect(sidebar.get_by_role("link", name=raw, exact=True)).to_have_count(0)
        assert page.url.rstrip("/").endswith("/funders")
        page.close()
    finally:
        fresh.stop()
    assert "Traceback" not in fresh.log()


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_a_new_workshops_join_code_is_in_view_once_it_is_created(
    browser: Browser, server: Server, width: int, height: int
) -> None:
    """The create form sits below the tabs; the panel with the join code and key appears
    above them. The page brings the panel into view: the code is on screen, below the header
    bar, not scrolled off the top (it was, on a phone, entirely)."""
    page = context(browser, width, height).new_page()
    start_workshop(page, server, "Spring day", "Housing")
    settle(page)
    code = page.locator(".wb-code")
    expect(code).to_be_visible()
    box = code.bounding_box()
    assert box is not None and box["y"] >= 56 and box["y"] + box["height"] <= height, box
