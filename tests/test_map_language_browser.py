"""The stakeholder map of a Danish workshop in a real Chromium against a real `streamlit run`:
a phone (390x844, touch) adds stakeholders through the Danish cards, and the same group's
link on a projector-sized window (1920x1080) shows the Danish views, measures and trade-off.
Danish words are longer: nothing may be wider than the window, and no tab, button or card
line may be cut off. Screenshots under tests/screenshots/language/ (map-da-*.png)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from harness.browser import TIMEOUT, axe_findings, context, settle, sign_in, start_workshop
from harness.server import Server

from .test_language_browser import join_danish_room

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "language"
expect.set_options(timeout=TIMEOUT)


def shot(page: Page, name: str, *, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / name), full_page=full)


def cut_off(page: Page) -> list[str]:
    """The page wider than the window, or a visible tab, button, label or text line whose
    words run past its own box (cut off, or spilling over what is beside it)."""
    return page.evaluate(
        """() => {
          const found = [];
          const page = document.scrollingElement;
          if (page.scrollWidth > window.innerWidth)
            found.push(`page ${page.scrollWidth} px in a ${window.innerWidth} px window`);
          const items = document.querySelectorAll(
            'button, [role="tab"], label, [data-testid="stCaptionContainer"], ' +
            '[data-testid="stText"], [data-testid="stMarkdownContainer"] p');
          for (const el of items) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            if (el.scrollWidth > el.clientWidth + 1)
              found.push(`${el.tagName} "${el.innerText.trim().slice(0, 40)}" ` +
                         `${el.scrollWidth} > ${el.clientWidth}`);
          }
          return found;
        }"""
    )


def choose(scope: Locator, page: Page, label: str, option: str) -> None:
    scope.get_by_role("combobox", name=label, exact=True).tap()
    page.keyboard.type(option[:8])  # a long list shows only what fits above the keyboard
    page.get_by_role("option", name=option, exact=True).tap()


def add_person(page: Page, name: str, kind: str, influence: str, stand: str) -> None:
    add = page.locator(".st-key-map_add_person")
    add.get_by_role("textbox", name="Navn (påkrævet)").fill(name)
    choose(add, page, "Type (påkrævet)", kind)
    add.get_by_role("radio", name=influence, exact=True).tap()
    choose(add, page, "Hvor de står (påkrævet)", stand)
    add.get_by_role("button", name="Tilføj denne interessent", exact=True).tap()
    expect(add.get_by_text("Gemt: 1 interessent tilføjet.")).to_be_visible()
    settle(page)


def test_a_danish_map_on_a_phone_and_a_projector(browser: Browser, server: Server) -> None:
    console = context(browser, 1920, 1080).new_page()
    code, key = start_workshop(console, server, "Forårsdag for naboer", "Boligret")
    sign_in(console, server, code, key)
    language = console.locator("[class*='st-key-facilitator_language_']")
    language.get_by_role("radio", name="Dansk").click()
    expect(console.get_by_role("heading", name="Facilitatorkonsol")).to_be_visible()

    phone = join_danish_room(browser, server, code, "Bord 1")
    phone.locator(".st-key-role_nav").get_by_role("link", name="Kort").tap()
    expect(phone.get_by_role("heading", name="Vores interessentkort")).to_be_visible()
    choice = phone.locator(".st-key-map_view_choice")
    expect(choice.get_by_role("radio", name="Liste")).to_be_checked()
    add_person(phone, "Kommunalbestyrelsen", "Institution eller beslutningstager", "5", "Neutral")
    add_person(phone, "Lejerforeningen Solgården", "Lokal gruppe", "3", "Aktiv allieret")
    add_person(phone, "Naboskabet Nord", "Allieret organisation", "2", "Passiv modstand")
    card = phone.locator("[class*='st-key-map_person_']").filter(has_text="Kommunalbestyrelsen")
    expect(
        card.get_by_text("Institution eller beslutningstager · indflydelse 5 · Neutral")
    ).to_be_visible()
    shot(phone, "map-da-phone-form.png")
    card.scroll_into_view_if_needed()
    shot(phone, "map-da-phone-list.png")
    assert cut_off(phone) == []
    assert not axe_findings(phone, "map-da-phone")

    for tab, name in (("Visninger", "views"), ("Målinger", "measures"), ("Afvejning", "trade")):
        phone.get_by_role("tab", name=tab, exact=True).tap()
        settle(phone)
        phone.get_by_role("tab", name=tab, exact=True).scroll_into_view_if_needed()
        assert cut_off(phone) == [], tab
        shot(phone, f"map-da-phone-{name}.png", full=True)
    expect(phone.get_by_text(re.compile(r"^Forslag: \d relation"))).to_be_visible()

    # The same group's link on a projector-sized window: the wide views and tables.
    wide = context(browser, 1920, 1080).new_page()
    wide.goto(phone.url)
    expect(wide.get_by_role("heading", name="Vores interessentkort")).to_be_visible()
    wide.locator(".st-key-map_view_choice").get_by_role("radio", name="Tabel").click()
    settle(wide)
    shot(wide, "map-da-wide-worksheet.png")
    assert cut_off(wide) == []
    for tab, name in (("Visninger", "views"), ("Målinger", "measures"), ("Afvejning", "trade")):
        wide.get_by_role("tab", name=tab, exact=True).click()
        settle(wide)
        assert cut_off(wide) == [], tab
        shot(wide, f"map-da-wide-{name}.png", full=True)
    expect(wide.get_by_role("heading", name="Hvorfor disse")).to_be_visible()
