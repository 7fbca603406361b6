"""In a real Chromium against a real `streamlit run` on demo data: the funder page is shut
until the key is typed, then shows its figures; screenshots at desk and phone sizes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from workbook import demo
from workbook.store import Store

from .conftest import SCREENSHOTS, Server, free_port

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
KEY = "demo key for the browser test"
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("funders") / "demo.duckdb"
    filled = Store(db)
    try:
        filled.bulk_load(demo.generate(400, seed=1).tables)
    finally:
        filled.close()
    saved = os.environ.get("WORKBOOK_FUNDER_KEY")
    os.environ["WORKBOOK_FUNDER_KEY"] = KEY  # read by the server process at start
    try:
        running = Server(db, free_port())
    finally:
        if saved is None:
            del os.environ["WORKBOOK_FUNDER_KEY"]
        else:
            os.environ["WORKBOOK_FUNDER_KEY"] = saved
    yield running
    running.stop()


def open_funders(browser: Browser, server: Server, *, width: int, height: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(server.url + "/")  # the app's own navigation, as after any first visit
    expect(page.get_by_text("Movement Workbook").first).to_be_visible()
    page.goto(server.url + "/funders")
    expect(page.get_by_role("heading", name="For funders")).to_be_visible()
    return page


def sign_in(page: Page, key: str) -> None:
    page.get_by_label("Funder key").fill(key)
    page.get_by_role("button", name="Open the funder view").click()


def full_height(page: Page, path: Path) -> None:
    """Streamlit scrolls inside its main block, so grow the window to show it all."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('section, div')].map(e => e.scrollHeight))"
    )
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def test_the_funder_page_opens_only_with_the_key(browser: Browser, demo_server: Server) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    desk = open_funders(browser, demo_server, width=1920, height=1080)
    expect(desk.get_by_label("Funder key")).to_be_visible()
    expect(desk.get_by_text("Workshops")).to_have_count(0)
    desk.screenshot(path=str(SCREENSHOTS / "funders-sign-in-1920.png"))

    sign_in(desk, "not the key")
    expect(desk.get_by_text("That key does not open the funder view.")).to_be_visible()
    expect(desk.get_by_text("Workshops")).to_have_count(0)

    sign_in(desk, KEY)
    expect(desk.get_by_text("Workshops", exact=True)).to_be_visible()
    expect(desk.get_by_role("tab", name="What groups said")).to_be_visible()
    expect(desk.locator("[data-testid='stPlotlyChart']").first).to_be_visible()
    desk.wait_for_timeout(1500)  # let plotly finish drawing
    desk.screenshot(path=str(SCREENSHOTS / "funders-1920.png"))
    full_height(desk, SCREENSHOTS / "funders-1920-full.png")
    desk.get_by_role("tab", name="What groups said").click()
    expect(desk.get_by_role("heading", name="In their words")).to_be_visible()
    full_height(desk, SCREENSHOTS / "funders-words-1920-full.png")
    assert "[demo]" not in desk.content()  # no workshop title reaches the page

    phone = open_funders(browser, demo_server, width=390, height=844)
    sign_in(phone, KEY)
    expect(phone.get_by_text("Workshops", exact=True)).to_be_visible()
    phone.wait_for_timeout(1500)
    phone.screenshot(path=str(SCREENSHOTS / "funders-390.png"))
    full_height(phone, SCREENSHOTS / "funders-390-full.png")
    assert "Traceback" not in demo_server.log()
