"""In a real Chromium: a group named with a right-to-left override it never closes does not
turn the app's own words after it (the join code reads left to right, measured on screen),
and a paste longer than a box's limit stays in the box and is refused on save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import SCREENSHOTS, settle
from harness.server import Server, free_port
from workbook.models import MAX_REFLECTION_CHARS, WorkshopCreate
from workbook.store import Store

from .hostile_strings import by_text

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
expect.set_options(timeout=TIMEOUT)
GROUP = by_text("<img src=x onerror=alert(1)> **G** =1+1 \u202eRTL").text
PERSON = by_text("pop\u2069\u202eRTL").text

# The left edge on screen of each character of `needle` in the first text node holding it.
_EDGES = """(needle) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const at = node.textContent.indexOf(needle);
    if (at < 0) continue;
    const edges = [];
    for (let i = 0; i < needle.length; i++) {
      const range = document.createRange();
      range.setStart(node, at + i);
      range.setEnd(node, at + i + 1);
      edges.push(range.getBoundingClientRect().left);
    }
    return edges;
  }
  return null;
}"""


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Server, str]:
    db = tmp_path_factory.mktemp("bidi") / "workbook.duckdb"
    store = Store(db)
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Spring day", cause="Housing")
    )
    store.close()
    running = Server(db, free_port())
    yield running, workshop.display_code
    running.stop()


def _joined(browser: Browser, server: Server, code: str, *, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(server.url)
    page.get_by_role("textbox", name="Workshop code").fill(code)
    page.get_by_role("button", name="Find workshop").click()
    page.get_by_role("textbox", name="New group's name").fill(f"{GROUP} {width}")
    page.get_by_role("textbox", name="Your name (optional)").fill(PERSON)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()
    settle(page)
    return page


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1920, 1080)])
def test_the_join_code_reads_in_order_after_a_reversing_group_name(
    browser: Browser, room: tuple[Server, str], width: int, height: int
) -> None:
    server, code = room
    page = _joined(browser, server, code, width=width, height=height)
    caption = page.locator(".wb-caption").first
    expect(caption).to_contain_text(f"code {code}")
    # Each character of "code ABC-DEF" stands to the right of the one before it.
    edges = page.evaluate(_EDGES, f"code {code}")
    assert edges is not None
    assert edges == sorted(edges) and len(set(edges)) == len(edges), edges
    # and the group's and person's names are isolated in the DOM, shown as typed
    assert caption.evaluate("el => el.textContent").count("\u2068") >= 2
    assert page.locator(".wb-heading bdi").count() == 1
    assert page.locator("img[src='x']").count() == 0
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"bidi-workbook-{width}.png"))
    page.context.close()
    assert "Traceback" not in server.log()


def test_a_paste_longer_than_the_limit_stays_in_the_box_and_is_refused_on_save(
    browser: Browser, room: tuple[Server, str]
) -> None:
    server, code = room
    page = _joined(browser, server, code, width=1280, height=900)
    box = page.locator("textarea").first
    box.click()
    pasted = "p" * (MAX_REFLECTION_CHARS + 200)
    page.keyboard.insert_text(pasted)  # as a paste arrives: one input of all of it
    expect(box).to_have_value(pasted)
    page.get_by_role("button", name="Save answers").click()
    # Said under the box itself (and, naming the question, under the buttons).
    expect(
        page.locator(".wb-refused").get_by_text(
            "Answer is too long: 5,200 characters, the limit is 5,000."
        )
    ).to_be_visible()
    settle(page)
    expect(page.locator("textarea").first).to_have_value(pasted)
    page.context.close()
