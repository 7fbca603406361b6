"""What walk-throughs of the stakeholder map on a phone (390x844) found, each checked in a real
Chromium against a real `streamlit run`: a removal said where the person tapped, the score's
formula read in full without a sideways scroll (and still one line on a projector), and the
map's own controls at least 44x44 px on a phone (the tabs' scroll arrows, the tabs, the file
uploader's buttons, the help icons). Screenshots under screenshots/map-walk/ to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import SCREENSHOTS, TIMEOUT, TOUCH, axe_findings, context, mobile, settle
from harness.server import Server

from .test_phone_map_browser import seated_self_guided

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT)
SHOTS = SCREENSHOTS / "map-walk"
NAMES = ("Council", "Tenants", "Press", "Church", "Union", "School", "Clinic", "Mosque")


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def on_map(page: Page, server: Server, group: str) -> None:
    seated_self_guided(page, server, group)
    page.locator(".st-key-role_nav").get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    settle(page)


def import_without_hours(page: Page, tmp_path: Path) -> None:
    """Eight stakeholders from a CSV with no hours column, added to the map."""
    upload = tmp_path / "people.csv"
    rows = "".join(
        f"{name},Community group,{1 + i % 5},neutral,weak\n" for i, name in enumerate(NAMES)
    )
    upload.write_text("name,kind,influence,band,tie\n" + rows, encoding="utf-8")
    tab(page, "Files")
    page.locator("input[type=file]").first.set_input_files(str(upload))
    expect(page.get_by_text("Ready to import 8 stakeholders.")).to_be_visible()
    page.get_by_role("button", name="Add them to our map").click()
    expect(page.get_by_text("Added 8 stakeholders.")).to_be_visible()
    settle(page)


def test_a_removal_is_said_where_the_person_tapped(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    page = mobile(browser).new_page()
    on_map(page, server, "Removal team")
    import_without_hours(page, tmp_path)
    warning = page.get_by_text("8 of them had no hours in the file", exact=False)
    expect(warning).to_be_visible()
    warning.scroll_into_view_if_needed()
    shoot(page, "import-no-hours-390.png")

    tab(page, "Worksheet")
    people = page.locator(".st-key-mapcards_map_people")
    card = people.locator("[class*='st-key-map_person_']").filter(has_text="Clinic")
    card.get_by_role("button", name=re.compile(r"^Edit #\d+$")).click()
    settle(page)
    card.get_by_role("button", name="Remove…").click()
    settle(page)
    card.get_by_role("button", name="Yes, remove").click()
    said = page.get_by_text("Saved: 1 stakeholder removed.")
    expect(said).to_be_visible()
    settle(page)
    expect(people.locator("[class*='st-key-map_person_']").filter(has_text="Clinic")).to_have_count(
        0
    )
    # On the screen without a scroll of the person's own, in the removed card's place, and
    # the focus on it (a status: a screen reader reads it out).
    expect(said).to_be_in_viewport()
    gone = page.locator(".st-key-map_gone_person")
    expect(gone.get_by_role("status")).to_be_focused()
    # ... naming who went (a removal of someone else must not read the same).
    expect(gone.get_by_text(re.compile(r"^Removed from the map: .*Clinic"))).to_be_visible()
    before = page.locator(".st-key-mapcards_map_people [class*='st-key-map_person_']")
    order = before.evaluate_all(
        """(cards, gone) => cards.map(c => c.compareDocumentPosition(gone)
             & Node.DOCUMENT_POSITION_FOLLOWING ? 'before' : 'after')""",
        gone.element_handle(),
    )
    assert order == ["before"] * 6 + ["after"], order  # after School, before Mosque
    shoot(page, "removed-390.png")
    assert not axe_findings(page, "map-walk-removed")
    assert "Traceback" not in server.log()


def _formula(page: Page) -> dict[str, float]:
    tab(page, "Trade-off")
    page.get_by_text("How the score works (and how to disagree with it)").click()
    formula = "gain = tie factor x (influence x bands to move + access)"
    code = page.locator("[data-testid='stCode']").filter(has_text=formula)
    expect(code).to_be_visible()
    code.scroll_into_view_if_needed()
    return code.evaluate(
        """box => { const pre = box.querySelector('pre'), code = box.querySelector('code');
          const line = parseFloat(getComputedStyle(code).lineHeight);
          return { scroll: pre.scrollWidth, width: pre.clientWidth,
                   right: box.getBoundingClientRect().right, window: window.innerWidth,
                   lines: Math.round(code.getBoundingClientRect().height / line) }; }"""
    )


def test_the_score_formula_reads_in_full_on_a_phone_and_a_projector(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    page = mobile(browser).new_page()
    on_map(page, server, "Formula team")
    import_without_hours(page, tmp_path)
    phone = _formula(page)
    # Before: 565 px of formula in a 316 px box, the rest behind a sideways scroll.
    assert phone["scroll"] <= phone["width"], phone
    assert phone["right"] <= phone["window"], phone
    assert phone["lines"] >= 2, phone  # wrapped, not shrunk
    shoot(page, "formula-390.png")

    wide = context(browser, 1920, 1080).new_page()
    wide.goto(page.url)
    expect(wide.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(wide)
    projector = _formula(wide)
    assert projector["scroll"] <= projector["width"], projector
    assert projector["lines"] == 1, projector
    shoot(wide, "formula-1920.png")


SMALL_JS = """(root, size) => {
  const found = [], seen = {};
  const kinds = {
    arrow: '[data-testid="stTabsScrollLeft"], [data-testid="stTabsScrollRight"]',
    tab: '[role="tab"]',
    uploader: '[data-testid="stFileUploader"] button',
    help: '[data-testid="stTooltipIcon"] button',
  };
  for (const [kind, selector] of Object.entries(kinds)) {
    for (const el of root.querySelectorAll(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;  // not shown
      seen[kind] = (seen[kind] || 0) + 1;
      if (box.width < size || box.height < size)
        found.push(`${kind} "${el.getAttribute('aria-label') || el.innerText.trim()}" ` +
                   `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return { found, seen };
}"""


def test_the_maps_own_controls_are_at_least_44_px_on_a_phone(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    page = mobile(browser).new_page()
    on_map(page, server, "Touch team")
    root = page.locator("[data-testid='stMain']")
    first = root.evaluate(SMALL_JS, TOUCH)  # the tabs scrolled to the start: the right arrow
    assert not first["found"], first
    assert first["seen"].get("arrow") and first["seen"].get("tab", 0) >= 7, first

    # Each tab as wide as its label: none runs into the next (the row scrolls instead).
    overflowing = root.locator("[role='tablist']").first.evaluate(
        """list => [...list.querySelectorAll('[role="tab"]')]
             .filter(t => t.scrollWidth > t.clientWidth + 1).map(t => t.innerText)"""
    )
    assert not overflowing, overflowing
    tab(page, "Files")  # the tabs scrolled to the end: the left arrow; an empty uploader
    empty = root.evaluate(SMALL_JS, TOUCH)
    assert not empty["found"], empty
    assert empty["seen"].get("arrow") and empty["seen"].get("uploader"), empty

    upload = tmp_path / "people.csv"
    upload.write_text("name,kind,influence,band\nAna,Media,3,neutral\n", encoding="utf-8")
    page.locator("input[type=file]").first.set_input_files(str(upload))
    expect(page.get_by_text("Ready to import 1 stakeholder.")).to_be_visible()
    settle(page)
    chosen = root.evaluate(SMALL_JS, TOUCH)  # a file chosen: remove it, add more
    assert not chosen["found"], chosen
    assert chosen["seen"].get("uploader", 0) >= 2 and chosen["seen"].get("help"), chosen
    page.locator("[data-testid='stFileUploader']").scroll_into_view_if_needed()
    shoot(page, "files-390.png")
    assert not axe_findings(page, "map-walk-files")
    no_wider = page.evaluate("document.scrollingElement.scrollWidth")
    assert no_wider <= 390, no_wider
