"""A map file imported on a Danish phone (390x844, touch) in a real Chromium against a real
`streamlit run`: the import's summary, notes and refusals read in Danish, numbers the Danish
way, and nothing is cut off. Screenshots under tests/screenshots/language/
(map-da-phone-import-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from harness.browser import TIMEOUT, context, settle, sign_in, start_workshop
from harness.server import Server

from .test_language_browser import join_danish_room
from .test_map_language_browser import cut_off

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "language"
expect.set_options(timeout=TIMEOUT)


def shot(page: Page, name: str, top: Locator) -> None:
    """The phone's window with `top` scrolled to the top of it (the page scrolls inside)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    top.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / name))


def files_tab(page: Page) -> None:
    page.locator(".st-key-role_nav").get_by_role("link", name="Kort").tap()
    expect(page.get_by_role("heading", name="Vores interessentkort")).to_be_visible()
    page.get_by_role("tab", name="Filer", exact=True).tap()
    settle(page)


def upload(page: Page, path: Path) -> None:
    page.locator("input[type=file]").first.set_input_files(str(path))
    settle(page)


def test_a_map_file_imported_on_a_danish_phone_is_answered_in_danish(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    console = context(browser, 1920, 1080).new_page()
    code, key = start_workshop(console, server, "Forårsdag for naboer", "Boligret")
    sign_in(console, server, code, key)
    console.locator("[class*='st-key-facilitator_language_']").get_by_role(
        "radio", name="Dansk"
    ).click()
    expect(console.get_by_role("heading", name="Facilitatorkonsol")).to_be_visible()

    phone = join_danish_room(browser, server, code, "Bord 1")
    files_tab(phone)

    refused = tmp_path / "folk.csv"
    refused.write_text("name,kind,influence,band\nAna,Media,3,neutral,ekstra\n", "utf-8")
    upload(phone, refused)
    expect(phone.get_by_text("Denne fil kan ikke importeres; intet blev ændret.")).to_be_visible()
    expect(phone.get_by_text("folk.csv: række 2 har 5 celler", exact=False)).to_be_visible()
    assert cut_off(phone) == []
    shot(phone, "map-da-phone-import-refused.png", phone.get_by_role("heading", name="Import"))

    good = tmp_path / "interessenter.csv"
    good.write_bytes(
        (
            "name;kind;influence;band;tie;energy_hours;Farve\n"
            "Lejerforeningen Solgården ;Community group;3;passive_ally;strong;2;grøn\n"
            ";;;;;;\n"
            "Kommunen;Media;4;neutral;weak;;blå\n"
        ).encode("cp1252")
    )
    phone.reload()  # a new session on the same seat: an empty uploader
    files_tab(phone)
    upload(phone, good)
    expect(phone.get_by_text("Klar til at importere 2 interessenter.")).to_be_visible()
    expect(phone.get_by_text("1 tom række sprunget over.")).to_be_visible()
    expect(
        phone.get_by_text(
            "interessenter.csv: læst som Windows-1252, celler adskilt af semikoloner."
        )
    ).to_be_visible()
    assert cut_off(phone) == []
    shot(phone, "map-da-phone-import-notes.png", phone.get_by_role("heading", name="Import"))
