"""Navigation by role on a phone, in a real Chromium emulating one (390x844, touch) against a
real `streamlit run`: a participant sees only their pages (workbook, results, map) as big
labelled tabs at the top, never the facilitator's or funders' entries; those pages still open
by their address; a visitor who is not seated keeps the menu with joining, facilitators and
funders. axe-core clean on each phone screen. Screenshots under tests/screenshots/phone/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import TIMEOUT, TOUCH, axe_findings, settle, start_workshop
from harness.browser import join as harness_join
from harness.server import Server

from .test_phone_map_browser import no_sideways_scroll, phone, shoot

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT)
TABS = ("Workbook", "Results", "Map")
NOT_FOR_PARTICIPANTS = ("Facilitator console", "Projector screen", "For funders", "Join or start")


def join(page: Page, server: Server, code: str, group: str) -> None:
    harness_join(page, server, code, group, touch=True)


def only_the_participants_tabs(page: Page) -> None:
    nav = page.locator(".st-key-role_nav")
    links = nav.get_by_role("link")
    expect(links).to_have_count(len(TABS))
    boxes = []
    for name in TABS:
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        assert box["height"] >= TOUCH and box["width"] >= TOUCH, (name, box)
        # The whole label shows: nothing cut off at the tab's edge.
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth + 1"), name
        boxes.append(box)
    # One row across the top of the screen, not a menu.
    assert len({round(box["y"]) for box in boxes}) == 1, boxes
    assert boxes[0]["y"] < 200
    for name in NOT_FOR_PARTICIPANTS:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    no_sideways_scroll(page)


def test_a_participant_sees_only_their_pages_as_big_tabs(browser: Browser, server: Server) -> None:
    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    code, key = start_workshop(console, server, "Phone nav day", "Housing justice")

    page = phone(browser)
    join(page, server, code, "Table 4")
    only_the_participants_tabs(page)
    shoot(page, "nav-workbook.png")
    assert not axe_findings(page, "phone-nav-workbook")

    page.locator(".st-key-role_nav").get_by_role("link", name="Results").tap()
    expect(page.get_by_role("heading", name="Our results")).to_be_visible()
    settle(page)
    only_the_participants_tabs(page)
    shoot(page, "nav-results.png")
    assert not axe_findings(page, "phone-nav-results")

    page.locator(".st-key-role_nav").get_by_role("link", name="Map").tap()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)
    only_the_participants_tabs(page)
    shoot(page, "nav-map.png")
    assert not axe_findings(page, "phone-nav-map")

    # The way out stays, at the foot of the page.
    expect(page.get_by_role("link", name="Leave this workshop or join another")).to_be_attached()

    page.locator(".st-key-role_nav").get_by_role("link", name="Workbook").tap()
    expect(page.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()
    expect(page.get_by_role("link", name="Leave this workshop or join another")).to_be_attached()

    # A participant who also facilitates opens the console by its address.
    query = page.url.split("?", 1)[1]
    page.goto(f"{server.url}/facilitator?{query}")
    expect(page.get_by_role("heading", name="Facilitator console")).to_be_visible()
    expect(page.get_by_role("textbox", name="Workshop code")).to_be_visible()
    # Signed in there, this browser gets a fourth tab back to the console.
    page.get_by_role("textbox", name="Workshop code").fill(code)
    page.get_by_label("Facilitator key").fill(key)
    page.get_by_role("button", name="Sign in").tap()
    expect(page.get_by_role("link", name=re.compile("Open the projector screen"))).to_be_visible()
    page.locator(".st-key-role_nav").get_by_role("link", name="Map").tap()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    console_tab = page.locator(".st-key-role_nav").get_by_role("link", name="Console")
    expect(console_tab).to_be_visible()
    assert console_tab.evaluate("a => a.scrollWidth <= a.clientWidth + 1")  # "Console" whole
    shoot(page, "nav-with-console.png")
    console_tab.tap()
    expect(page.get_by_role("link", name=re.compile("Open the projector screen"))).to_be_visible()
    assert "Traceback" not in server.log()


def test_a_visitor_not_seated_keeps_the_menu_of_joining_facilitators_and_funders(
    browser: Browser, server: Server
) -> None:
    page = phone(browser)
    page.goto(server.url + "/")
    expect(page.get_by_role("tab", name="Join a workshop")).to_be_visible()
    settle(page)
    expect(page.locator(".st-key-role_nav")).to_have_count(0)
    for name in ("Join or start", "Facilitator console", "For funders"):
        expect(page.get_by_role("link", name=name)).to_have_count(1)
    shoot(page, "nav-start.png")
    assert not axe_findings(page, "phone-nav-start")
