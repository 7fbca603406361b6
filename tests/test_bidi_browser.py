"""In a real Chromium: a group named with a right-to-left override it never closes does not
turn the app's own words after it (the join code reads left to right, measured on screen); a
workshop title ending in a right-to-left word keeps what follows the word after it in every
heading, and a right-to-left title reads right to left; and a paste longer than a box's limit
stays in the box and is refused on save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import SCREENSHOTS, join, settle, sign_in
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


# Each character of an element's text (across its text nodes) with its left edge on screen.
_CHARACTERS = """(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.textContent.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      out.push([node.textContent[i], box.left, box.top]);
    }
  }
  return out;
}"""
# Titles with digits and punctuation after a right-to-left word: by the bidirectional
# algorithm alone, " - 2" joined the word and was shown before it ("Spring day 2 - םולש").
LTR_TITLE = "Spring day שלום - 2"
RTL_TITLE = "שלום עולם - 2"


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Server, dict[str, tuple[str, str]]]:
    db = tmp_path_factory.mktemp("titles") / "workbook.duckdb"
    store = Store(db)
    made = {}
    for title in (LTR_TITLE, RTL_TITLE):
        workshop, key = store.create_workshop(workshop=WorkshopCreate(title=title, cause="Housing"))
        made[title] = (workshop.display_code, key)
    store.close()
    running = Server(db, free_port())
    yield running, made
    running.stop()


def _placed_words(page: Page, selector: str, title: str) -> list[tuple[int, float]]:
    """Where each word of the title stands on screen in the first element `selector` finds:
    its line (0, 1, ... from the top: the projector's title wraps on a phone) and its left
    edge. Checks on the way that each right-to-left word reads right to left."""
    heading = page.locator(selector).first
    expect(heading).to_have_text(title)
    characters = heading.evaluate(_CHARACTERS)
    assert "".join(c for c, _left, _top in characters) == title
    tops: list[float] = []
    for top in sorted(top for _c, _left, top in characters):
        if not tops or top - tops[-1] > 10:  # a new line (scripts differ by a pixel or two)
            tops.append(top)
    placed = []
    for match in re.finditer(r"\S+", title):
        letters = characters[match.start() : match.end()]
        lefts = [left for _c, left, _top in letters]
        if not match.group().isascii():  # a right-to-left word: its first letter rightmost
            assert lefts == sorted(lefts, reverse=True), (match.group(), lefts)
        line = max(i for i, top in enumerate(tops) if letters[0][2] >= top - 10)
        placed.append((line, min(lefts)))
    return placed


def _reads_in_order(placed: list[tuple[int, float]], title: str) -> None:
    """A left-to-right title's words stand line by line left to right as typed; a
    right-to-left one's right to left (its first word rightmost)."""
    if title[0].isascii():
        assert placed == sorted(placed), placed
    else:
        assert placed == sorted(placed, key=lambda p: (p[0], -p[1])), placed


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (390, 844)])
@pytest.mark.parametrize("title", [LTR_TITLE, RTL_TITLE])
def test_a_title_with_a_right_to_left_word_keeps_its_order_in_every_heading(
    browser: Browser,
    titled: tuple[Server, dict[str, tuple[str, str]]],
    title: str,
    width: int,
    height: int,
) -> None:
    server, made = titled
    code, key = made[title]
    context = browser.new_context(viewport={"width": width, "height": height})
    console = context.new_page()
    console.set_default_timeout(TIMEOUT)
    projector_url = sign_in(console, server, code, key)
    settle(console)
    _reads_in_order(_placed_words(console, ".wb-heading", title), title)
    projector = context.new_page()
    projector.set_default_timeout(TIMEOUT)
    projector.goto(projector_url)
    _reads_in_order(_placed_words(projector, ".wbp-title", title), title)
    phone = join(context.new_page(), server, code, f"Table {width}")
    _reads_in_order(_placed_words(phone, ".wb-heading", title), title)
    SCREENSHOTS.mkdir(exist_ok=True)
    kind = "ltr" if title[0].isascii() else "rtl"
    for name, page in (("console", console), ("projector", projector), ("workbook", phone)):
        page.screenshot(path=str(SCREENSHOTS / f"bidi-title-{kind}-{name}-{width}.png"))
    context.close()
    assert "Traceback" not in server.log()


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
