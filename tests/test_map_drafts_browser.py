"""The map's "Add a stakeholder" form keeps what is half typed in it (its name and note) as a
draft in the browser tab, as the lesson form does: a reload (a phone's browser waking a tab it
put to sleep, the app's own watchdog) brings the text back into the boxes, as text, with a
line saying it is a draft not saved yet; once the stakeholder is added, the draft goes and a
reload shows the form empty. In a real Chromium at 390x844 against a real `streamlit run`;
screenshots under tests/screenshots/phone/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import SCREENSHOTS, TIMEOUT, axe_findings, context, mobile, settle
from harness.server import Server

from .test_phone_map_browser import choose, pick, seated_self_guided, shoot, tap

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT)
DRAFT = "Draft, not saved yet: press Add this stakeholder to keep it."
NAME = "Tenants' union <b>not bold</b> שלום"
NOTE = "Meets on Tuesdays.\n*Not a list*, <i>not italic</i>"


def reloaded(page: Page) -> None:
    """The tab reloaded, as a phone's browser does with a tab it put to sleep: a new session
    on the same seat (its link), the script's late second look at the boxes given time."""
    page.reload()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)
    page.wait_for_timeout(1500)


def stored(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(sessionStorage)
             .filter((k) => k.includes(":add_person:")).map((k) => [k, sessionStorage[k]]))"""
    )


def test_the_add_form_keeps_a_draft_over_a_reload_until_it_is_added(
    browser: Browser, server: Server
) -> None:
    page = mobile(browser).new_page()
    seated_self_guided(page, server, "Draft map team")
    page.locator(".st-key-role_nav").get_by_role("link", name="Map").tap()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)
    add = page.locator(".st-key-map_add_person")
    name = add.get_by_role("textbox", name="Name (required)")
    note = add.get_by_role("textbox", name="Note")
    drafts = add.get_by_text(DRAFT, exact=True)
    expect(name).to_have_value("")
    expect(drafts).to_have_count(2)
    expect(drafts.first).to_be_hidden()
    expect(drafts.last).to_be_hidden()

    name.fill(NAME)
    note.fill(NOTE)
    expect(drafts.first).to_be_visible()
    expect(drafts.last).to_be_visible()
    assert sorted(stored(page).values()) == sorted([NAME, NOTE])

    # A reload: the text is back in its boxes, as their values, marked as a draft.
    reloaded(page)
    expect(name).to_have_value(NAME)
    expect(note).to_have_value(NOTE)
    expect(drafts.first).to_be_visible()
    expect(drafts.last).to_be_visible()
    assert page.locator(".st-key-map_add_person b, .st-key-map_add_person i").count() == 0
    name.scroll_into_view_if_needed()
    shoot(page, "map-add-draft-back.png")
    note.scroll_into_view_if_needed()
    shoot(page, "map-add-draft-note-back.png")
    assert not axe_findings(page, "phone-map-add-draft")

    # Refused (no kind yet): the draft stays, in its boxes and in the tab.
    tap(add, "Add this stakeholder")
    expect(page.get_by_text("Kind is required", exact=False)).to_be_visible()
    settle(page)
    expect(name).to_have_value(NAME)
    assert sorted(stored(page).values()) == sorted([NAME, NOTE])

    # Added: what was brought back is what Streamlit saves; the form empties, the draft goes.
    choose(add, page, "Kind (required)", "Community group")
    pick(add, "3")
    choose(add, page, "Where they stand (required)", "Active ally")
    tap(add, "Add this stakeholder")
    expect(add.get_by_text("Saved: 1 stakeholder added.")).to_be_visible()
    settle(page)
    people = page.locator(".st-key-mapcards_map_people")
    card = people.locator("[class*='st-key-map_person_']").filter(has_text=re.compile("Tenants"))
    expect(card).to_have_count(1)
    expect(card.get_by_text(re.compile(r"Tenants' union <b>not bold</b>"))).to_be_visible()
    expect(name).to_have_value("")
    expect(note).to_have_value("")
    expect(drafts.first).to_be_hidden()
    assert stored(page) == {}
    card.get_by_role("button", name=re.compile(r"^Edit #\d+$")).tap()
    expect(card.get_by_role("textbox", name="Note")).to_have_value(NOTE)  # saved as brought back

    reloaded(page)
    expect(card).to_have_count(1)
    expect(name).to_have_value("")
    expect(note).to_have_value("")
    expect(drafts.first).to_be_hidden()
    expect(drafts.last).to_be_hidden()
    assert stored(page) == {}
    name.scroll_into_view_if_needed()
    shoot(page, "map-add-after-added-reload.png")

    # A new draft after an add is kept too (the form's key moved on, the draft's did not).
    name.fill("Press office")
    reloaded(page)
    expect(name).to_have_value("Press office")
    expect(drafts.first).to_be_visible()
    assert "Traceback" not in server.log()


def test_a_draft_comes_back_on_a_wide_screen_too(browser: Browser, server: Server) -> None:
    page = context(browser, 1920, 1080).new_page()
    seated_self_guided(page, server, "Wide draft team")
    page.locator(".st-key-role_nav").get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)
    add = page.locator(".st-key-map_add_person")
    add.get_by_role("textbox", name="Name (required)").fill(NAME)
    add.get_by_role("textbox", name="Note").fill(NOTE)
    reloaded(page)
    expect(add.get_by_role("textbox", name="Name (required)")).to_have_value(NAME)
    expect(add.get_by_role("textbox", name="Note")).to_have_value(NOTE)
    expect(add.get_by_text(DRAFT, exact=True)).to_have_count(2)
    add.get_by_role("textbox", name="Name (required)").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map-add-draft-back-1920.png"))
