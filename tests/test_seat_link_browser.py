"""The link to come back in a real Chromium against a real `streamlit run`: its copy button
copies the seat's own address (what only a browser shows), the link opens the same seat in
another browser and on a phone, it fits a 390 px phone without its QR code (a phone cannot
scan itself), and joining an existing group says first that it adds a member. axe-core clean.
Screenshots under tests/screenshots/seat_link/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from harness.browser import PHONE, TIMEOUT, TOUCH, axe_findings, settle
from harness.server import Server
from workbook.config import PROJECT_ROOT

from .test_phone_map_browser import no_sideways_scroll

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT)
SHOTS = PROJECT_ROOT / "tests" / "screenshots" / "seat_link"
GROUP = "Kitchen table three"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def window(browser: Browser, server: Server, *, phone: bool = False) -> BrowserContext:
    if phone:
        made = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
        )
    else:
        made = browser.new_context(viewport={"width": 1440, "height": 900})
    made.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    made.set_default_timeout(TIMEOUT)
    return made


def copy_works(page: Page, *, touch: bool = False) -> str:
    """Press the first copy button; the link it copied, checked against the one shown."""
    box = page.get_by_test_id("wb-seat-link").first
    shown = box.get_by_test_id("wb-seat-link-url").inner_text()
    button = box.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    size = button.bounding_box()
    assert size and size["height"] >= TOUCH and size["width"] >= TOUCH, size
    if touch:
        button.tap()
    else:
        button.click()
    expect(box.get_by_role("status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == shown
    return shown


def test_the_link_to_come_back_copies_and_opens_the_same_seat_anywhere(
    browser: Browser, server: Server
) -> None:
    laptop = window(browser, server).new_page()
    laptop.goto(server.url + "/")
    laptop.get_by_role("tab", name="Start a workshop").click()
    laptop.get_by_role("textbox", name="Workshop title").fill("Eastside tenants")
    laptop.get_by_role("textbox", name="Cause or movement").fill("housing justice")
    laptop.get_by_text("Self-guided: our group works through it alone").click()
    laptop.get_by_role("textbox", name="Your group's name (required for self-guided)").fill(GROUP)
    laptop.get_by_role("button", name="Create workshop").click()
    expect(laptop.get_by_text("Your workshop is ready.")).to_be_visible()
    settle(laptop)
    link = copy_works(laptop)
    query = laptop.url.split("?", 1)[1]
    assert link == f"{server.url}/?{query}", (link, laptop.url)
    # Above the fold on a laptop: the link, its copy button and the way into the workbook
    # fit in one screen from the panel's top (measured from it: where the page is scrolled
    # to after the clipboard's fallback is not the point).
    expect(laptop.get_by_test_id("wb-seat-link-qr")).to_be_visible()
    ready = laptop.get_by_text("Your workshop is ready.").bounding_box()
    button = laptop.get_by_role("button", name="Open the workbook").bounding_box()
    assert ready and button and button["y"] + button["height"] - ready["y"] < 900 - 40
    shoot(laptop, "ready-1440.png")
    assert not axe_findings(laptop, "seat-link-ready")

    # Another browser opens the kept link: the same seat, the same group.
    elsewhere = window(browser, server).new_page()
    elsewhere.goto(link)
    expect(elsewhere.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()
    expect(elsewhere.get_by_text(f"{GROUP} · code", exact=False)).to_be_visible()

    # And a phone: the link fits, without a QR code, and copies on a tap, on the page
    # people go to when they leave.
    phone = window(browser, server, phone=True).new_page()
    phone.goto(link)
    expect(phone.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()
    phone.get_by_role("link", name="Leave this workshop or join another").tap()
    expect(phone.get_by_role("button", name="Leave this workshop on this device")).to_be_visible()
    settle(phone)
    assert copy_works(phone, touch=True) == link
    expect(phone.get_by_test_id("wb-seat-link-qr")).to_be_hidden()
    no_sideways_scroll(phone)
    phone.get_by_test_id("wb-seat-link").scroll_into_view_if_needed()
    shoot(phone, "leave-phone.png")
    assert not axe_findings(phone, "seat-link-leave-phone")
    assert "Traceback" not in server.log()


def test_joining_an_existing_group_says_first_that_it_adds_a_member(
    browser: Browser, server: Server
) -> None:
    laptop = window(browser, server).new_page()
    laptop.goto(server.url + "/")
    laptop.get_by_role("tab", name="Start a workshop").click()
    laptop.get_by_role("textbox", name="Workshop title").fill("Westside tenants")
    laptop.get_by_role("textbox", name="Cause or movement").fill("housing justice")
    laptop.get_by_text("Self-guided: our group works through it alone").click()
    laptop.get_by_role("textbox", name="Your group's name (required for self-guided)").fill(GROUP)
    laptop.get_by_role("button", name="Create workshop").click()
    expect(laptop.get_by_text("Your workshop is ready.")).to_be_visible()
    code = laptop.url.split("w=", 1)[1].split("&", 1)[0]

    other = window(browser, server).new_page()
    other.goto(f"{server.url}/?w={code}")
    group_box = other.get_by_role("combobox", name="Your group (your table or team)")
    expect(group_box).to_be_visible()
    settle(other)
    said = other.get_by_text("Joining adds you to this group as a new member.")
    expect(said).to_have_count(0)
    group_box.click()
    other.get_by_role("option", name=GROUP).click()
    expect(said).to_be_visible()
    settle(other)
    other.get_by_role("button", name="Join", exact=True).scroll_into_view_if_needed()
    shoot(other, "join-existing-1440.png")
    assert not axe_findings(other, "seat-link-join-existing")
    assert "t=" not in other.url  # said before joining: nothing done yet


def test_without_the_clipboard_api_the_link_is_selected_and_copied_the_old_way(
    browser: Browser, server: Server
) -> None:
    """On a plain http:// network address (a laptop's app opened from another device) the
    browser offers no clipboard API: the button still copies, by selecting the link."""
    made = window(browser, server)
    made.add_init_script("delete Navigator.prototype.clipboard;")
    laptop = made.new_page()
    laptop.goto(server.url + "/")
    laptop.get_by_role("tab", name="Start a workshop").click()
    laptop.get_by_role("textbox", name="Workshop title").fill("No clipboard evening")
    laptop.get_by_role("textbox", name="Cause or movement").fill("housing justice")
    laptop.get_by_text("Self-guided: our group works through it alone").click()
    laptop.get_by_role("textbox", name="Your group's name (required for self-guided)").fill(GROUP)
    laptop.get_by_role("button", name="Create workshop").click()
    expect(laptop.get_by_text("Your workshop is ready.")).to_be_visible()
    settle(laptop)
    assert laptop.evaluate("typeof navigator.clipboard") == "undefined"
    box = laptop.get_by_test_id("wb-seat-link").first
    box.get_by_role("button", name="Copy link").click()
    expect(box.get_by_role("status")).to_have_text(
        re.compile("^(Copied|Could not copy: the link is selected, copy it yourself.)$")
    )
    shown = box.get_by_test_id("wb-seat-link-url").inner_text()
    assert laptop.evaluate("window.getSelection().toString()") == shown
