"""The walk-through's console table in a real browser: at 1440 px a long Danish group name
is not cut (a plain table that wraps, not a grid of fixed columns)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from harness.browser import context, join_on_phone, settle, sign_in, start_workshop
from harness.server import Server

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots"


def test_the_consoles_who_has_joined_table_gives_group_names_room(
    browser: Browser, server: Server
) -> None:
    console = context(browser, 1440, 900).new_page()
    code, key = start_workshop(console, server, "Forårsmøde for Ådalens", "Bolig")
    sign_in(console, server, code, key)
    for group in ("Bord Æble", "Bord Øresund ved vandet"):
        join_on_phone(browser, server, code, group).close()
    # The console's own refresh brings them in (a reload would sign it out).
    expect(console.get_by_text("2 people in 2 groups")).to_be_visible(timeout=30_000)
    settle(console)
    table = console.locator("table.wb-who").first
    expect(table).to_be_visible()
    # Each name whole, wrapped if needed, inside the table's box (never cut).
    box = table.bounding_box()
    name = table.get_by_text("Bord Øresund ved vandet", exact=True)
    expect(name).to_be_visible()
    cell = name.bounding_box()
    assert box and cell and cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, (box, cell)
    SHOTS.mkdir(exist_ok=True)
    table.screenshot(path=str(SHOTS / "console_who_has_joined_1440.png"))
