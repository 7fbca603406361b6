"""The stakeholder map in a real Chromium against a real `streamlit run`: start a self-guided
workshop, import a map, and photograph each view at 1920x1080 and on a phone (390x844)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import SCREENSHOTS, settle
from harness.server import Server

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
expect.set_options(timeout=TIMEOUT)
DECISION = "Institution or decision-maker"
TRICKY = "<b>Mayor</b> 👋🏽"


def _person(ref: int, name: str, kind: str, influence: int, band: str, **more: object) -> dict:
    return {"ref": ref, "name": name, "kind": kind, "influence": influence, "band": band, **more}


# A map a housing-justice group might draw: every band, most kinds, a few ties.
MAP = {
    "format": "movement-workbook/stakeholder-map",
    "version": 1,
    "energy_budget": 16,
    "stakeholders": [
        _person(
            1,
            TRICKY,
            DECISION,
            5,
            "passive_opposition",
            target_band="neutral",
            tie="weak",
            energy_hours=4,
        ),
        _person(
            2,
            "City housing committee",
            DECISION,
            4,
            "neutral",
            target_band="passive_ally",
            energy_hours=3,
        ),
        _person(
            3, "Tenants' union", "Community group", 3, "active_ally", tie="strong", energy_hours=2
        ),
        _person(
            4,
            "Renters with lived experience",
            "People with lived experience",
            3,
            "active_ally",
            tie="strong",
            energy_hours=1.5,
        ),
        _person(
            5,
            "Landlords' association",
            "Dissenter or critic",
            4,
            "active_opposition",
            energy_hours=6,
            not_our_battle=True,
        ),
        _person(
            6,
            "Local newspaper",
            "Media",
            3,
            "neutral",
            target_band="passive_ally",
            tie="weak",
            energy_hours=1,
        ),
        _person(
            7,
            "Community foundation",
            "Funder",
            3,
            "passive_ally",
            target_band="active_ally",
            energy_hours=2,
        ),
        _person(
            8,
            "Faith leaders' network",
            "Non-traditional ally",
            2,
            "passive_ally",
            tie="weak",
            energy_hours=1,
        ),
        _person(
            9, "Legal aid clinic", "Ally organisation", 2, "active_ally", tie="weak", energy_hours=1
        ),
        _person(10, "שלום Housing Co-op", "Community group", 1, "passive_ally", energy_hours=0.5),
        _person(
            11,
            "Regional planning board",
            DECISION,
            4,
            "passive_opposition",
            target_band="neutral",
            energy_hours=5,
        ),
        _person(
            12,
            "Student renters' group",
            "Community group",
            2,
            "neutral",
            target_band="passive_ally",
            energy_hours=1,
        ),
    ],
    "ties": [
        {"source": 1, "target": 2, "strength": "strong"},
        {"source": 2, "target": 6, "strength": "weak"},
        {"source": 3, "target": 4, "strength": "strong"},
        {"source": 3, "target": 9, "strength": "weak"},
        {"source": 7, "target": 3, "strength": "weak"},
        {"source": 8, "target": 10, "strength": "weak"},
        {"source": 11, "target": 1, "strength": "weak"},
        {"source": 12, "target": 3, "strength": "weak"},
        {"source": 5, "target": 11, "strength": "strong"},
    ],
}


def _open(browser: Browser, url: str, *, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    return page


def _tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def _table_view(page: Page) -> None:
    """The worksheets (grids) instead of the list of cards the map opens with."""
    page.locator(".st-key-map_view_choice").get_by_role("radio", name="Table view").click()
    expect(page.locator(".stDataFrameGlideDataEditor").first).to_be_visible()


def _shoot(page: Page, name: str, *, chart_title: str) -> None:
    """Bring the chart with this title to the top of the screen and photograph the screen."""
    chart = page.locator(".js-plotly-plot:visible").filter(has_text=chart_title).first
    expect(chart).to_be_visible()
    # Scroll the chart to the top, clear of Streamlit's header bar.
    chart.evaluate("el => { el.style.scrollMarginTop = '70px'; el.scrollIntoView(); }")
    page.wait_for_timeout(300)  # let plotly finish its resize after the tab switch
    page.screenshot(path=str(SCREENSHOTS / name))


def test_map_views_in_a_real_browser(browser: Browser, server: Server, tmp_path: Path) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page = _open(browser, server.url, width=1920, height=1080)
    page.get_by_role("tab", name="Start a workshop").click()
    page.get_by_role("textbox", name="Workshop title").fill("Map day")
    page.get_by_role("textbox", name="Cause or movement").fill("Housing justice")
    page.get_by_text("Self-guided: our group works through it alone").click()
    page.get_by_role("textbox", name="Your group's name (required for self-guided)").fill(
        "Core team"
    )
    page.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("button", name="Open the workbook")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]t="))
    query = page.url.split("?", 1)[1]

    page.goto(f"{server.url}/map?{query}")
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    _tab(page, "Files")
    upload = tmp_path / "housing-map.json"
    upload.write_text(json.dumps(MAP, ensure_ascii=False), encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(upload))
    expect(page.get_by_text("Ready to import 12 stakeholders and 9 ties.")).to_be_visible()
    page.get_by_role("button", name="Replace our map with them").click()
    expect(page.get_by_text("Replaced the map with 12 stakeholders and 9 ties.")).to_be_visible()

    _tab(page, "Worksheet")
    _table_view(page)
    expect(page.get_by_text("12 stakeholders, 9 ties between them")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "map-worksheet-1920.png"))

    _tab(page, "Views")
    _shoot(page, "map-grid-1920.png", chart_title="Who matters, and where they stand")
    _tab(page, "Spectrum of allies")
    _shoot(page, "map-spectrum-1920.png", chart_title="Spectrum of allies: arrows")
    _tab(page, "Network")
    _shoot(page, "map-network-1920.png", chart_title="Who is connected to whom")
    _tab(page, "Trade-off")
    _shoot(page, "map-effort-1920.png", chart_title="Effort and gain")
    _tab(page, "Measures")
    page.screenshot(path=str(SCREENSHOTS / "map-measures-1920.png"))
    _shoot(page, "map-voices-1920.png", chart_title="Which voices are on our map")
    assert page.locator("b", has_text="Mayor").count() == 0  # the name is text, not HTML

    phone = _open(browser, f"{server.url}/map?{query}", width=390, height=844)
    expect(phone.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    _tab(phone, "Views")
    _shoot(phone, "map-grid-390.png", chart_title="Who matters, and where they stand")

    # The same file again: the import says who is already on the map before adding anyone.
    _tab(page, "Files")
    page.locator("input[type=file]").set_input_files(str(upload))
    expect(
        page.get_by_text("12 of these have the same name as stakeholders already on the map:")
    ).to_be_visible()
    expect(page.get_by_role("radio", name="Skip the 12 already on the map")).to_be_checked()
    page.get_by_role("button", name="Add them to our map").click()
    expect(
        page.get_by_text("Nothing was added: every stakeholder in the file is already on the map.")
    ).to_be_visible()
    page.get_by_text("Add them anyway, as well").click()
    page.get_by_role("button", name="Add them to our map").click()
    expect(page.get_by_text("Added 12 stakeholders and 9 ties.")).to_be_visible()
    expect(page.get_by_text("24 stakeholders, 18 ties between them")).to_be_visible()
    assert "Traceback" not in server.log()


def test_the_worksheet_in_a_real_browser_never_cuts_or_ignores_a_name(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    """What AppTest cannot show: the grid itself. With max_chars it cut a long name to 80
    characters, and in a required column it ignored a name being cleared, without a word."""
    page = _open(browser, server.url, width=1920, height=1080)
    page.get_by_role("tab", name="Start a workshop").click()
    page.get_by_role("textbox", name="Workshop title").fill("Grid day")
    page.get_by_role("textbox", name="Cause or movement").fill("Housing justice")
    page.get_by_text("Self-guided: our group works through it alone").click()
    page.get_by_role("textbox", name="Your group's name (required for self-guided)").fill(
        "Grid team"
    )
    page.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("button", name="Open the workbook")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]t="))
    query = page.url.split("?", 1)[1]
    page.goto(f"{server.url}/map?{query}")
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    _tab(page, "Files")
    two = [
        {"name": "Ana", "kind": "Media", "influence": 3, "band": "neutral"},
        {"name": "Bo", "kind": "Media", "influence": 2, "band": "neutral"},
    ]
    upload = tmp_path / "two.json"
    upload.write_text(json.dumps(two), encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Replace our map with them").click()
    expect(page.get_by_text("Replaced the map with 2 stakeholders.")).to_be_visible()
    _tab(page, "Worksheet")
    _table_view(page)
    settle(page)  # a run still drawing the page would redraw the grid under the edits

    long_name = (
        "Neighbourhood association of the northern riverside estates and allotments, since 1990"
    )
    grid = page.locator(".stDataFrameGlideDataEditor").first  # the grid has no label of its own
    box = grid.bounding_box()
    assert box is not None
    # Row 1's Name cell: below the header (35 px a row), past the row marker and "#" columns.
    editor = page.locator("textarea.gdg-input")  # the grid's cell editor
    for _ in range(5):  # the canvas grid may still be laying out: click until the editor opens
        page.mouse.click(box["x"] + 132, box["y"] + 52)
        page.keyboard.press("Enter")  # open the cell's editor
        try:
            expect(editor).to_be_visible(timeout=3_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
            box = grid.bounding_box() or box
    expect(editor).to_have_value("Ana")
    editor.fill(long_name)
    editor.press("Enter")
    expect(editor).to_be_hidden()
    page.wait_for_timeout(1_000)  # the grid commits the edit on its next frame
    page.mouse.click(box["x"] + 132, box["y"] + 52 + 35)  # row 2's name: cleared
    page.keyboard.press("Delete")
    page.wait_for_timeout(2_500)  # the grid hands its edits to Streamlit after a short pause
    page.get_by_role("button", name="Save the worksheet").click()

    expect(
        page.get_by_text("2 rows need fixing, so nothing was saved.", exact=False)
    ).to_be_visible()
    expect(
        page.get_by_text(
            f"• Row 1 ({long_name}): Name is too long: {len(long_name)} characters, the limit "
            "is 80.",
            exact=True,
        )
    ).to_be_visible()
    expect(page.get_by_text("• Row 2: A stakeholder needs a name.", exact=True)).to_be_visible()
    assert "Traceback" not in server.log()
