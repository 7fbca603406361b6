"""The projector read from the back of a room (6 m), in a real Chromium: a crowded workshop
(40 answers from 14 groups, one with a very long name, one with markup in its name) on a
projector at 1920x1080 and another at 1280x720, each measured through computed style over
every visible text element of the screen.

Proves, at 1920x1080: answer and bar text at least 28 px, headings at least 48 px; at
1280x720 the same screen scaled with the width (2/3 of those: 18.6 px and 32 px, the same
share of the wall) with nothing cut off or scrolling; no two labels overlap at either size;
at most 10 answers (6 at normal size) and 8 bars on a screen, with "Answers 1-6 of 40" and
"Groups 1-8 of 14", pages the facilitator turns from the console; a group's name and number
are separate elements; the console's text size changes the projector's measured size.
Screenshots go to tests/screenshots/projector/ (looked at by a person).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import SCROLL_SIZE_JS, TIMEOUT, context, settle, sign_in
from harness.server import Server, free_port
from harness.workshop import revealed_room
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser

LIVE = 3_000
SHOTS = Path(__file__).parent / "screenshots" / "projector"
LONG_NAME = "The tenants' union of the north-east estates and the allotment society, together"
GROUPS = [f"Table {i}" for i in range(1, 13)] + ["<b>Kitchen</b> table", LONG_NAME]
ANSWERS = 40
SIZES = {1920: (28.0, 48.0), 1280: (28.0 * 2 / 3, 48.0 * 2 / 3)}  # text, headings (px)

expect.set_options(timeout=TIMEOUT)

# Every visible piece of text on the screen (inside the projector's own .wbp blocks): its
# computed font size, whether it is a heading, and its box, clipped by any ancestor that
# hides overflow (a long name cut with an ellipsis is only as wide as what shows), up to the
# box the page scrolls in (text scrolled out of sight counts as cut off).
MEASURE = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el.closest('.wbp') || el.closest('style')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    let box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/auto|scroll/.test(s.overflowX + s.overflowY)) break;  // the box the page scrolls in
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      box = {left: Math.max(box.left, c.left), top: Math.max(box.top, c.top),
             right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom)};
    }
    if (box.right - box.left < 1 || box.bottom - box.top < 1) continue;
    found.push({text: node.textContent.trim().slice(0, 50), size: parseFloat(style.fontSize),
                heading: !!el.closest('.wbp-prompt, .wbp-h'), box});
  }
  return found;
}"""


def _measure(page: Page) -> list[dict]:
    page.wait_for_timeout(300)  # one layout after the last redraw
    texts = page.evaluate(MEASURE)
    assert texts, "no text measured on the projector"
    return texts


def _overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap by more than a glyph's edge (2 px each way: the
    box of a line's letters reaches a little past its line)."""
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            wide = min(a["box"]["right"], b["box"]["right"]) - max(
                a["box"]["left"], b["box"]["left"]
            )
            high = min(a["box"]["bottom"], b["box"]["bottom"]) - max(
                a["box"]["top"], b["box"]["top"]
            )
            if wide > 2 and high > 2:
                found.append((a["text"], b["text"]))
    return found


def assert_readable(page: Page, width: int) -> list[dict]:
    """Smallest text and headings at least the minimums for this width; no label on another;
    nothing off the screen or scrolling. The measured texts, for more checks."""
    text_min, heading_min = SIZES[width]
    texts = _measure(page)
    small = [t for t in texts if t["size"] < (heading_min if t["heading"] else text_min) - 0.05]
    assert not small, f"too small at {width}px: {[(t['text'], t['size']) for t in small]}"
    assert not _overlaps(texts), f"labels overlap at {width}px: {_overlaps(texts)}"
    viewport = page.viewport_size
    assert viewport is not None
    cut = [
        t["text"]
        for t in texts
        if t["box"]["right"] > viewport["width"] + 1 or t["box"]["bottom"] > viewport["height"] + 1
    ]
    assert not cut, f"cut off at {width}px: {cut}"
    scroll = page.locator(".wbp").first.evaluate(SCROLL_SIZE_JS)
    assert scroll[0] <= viewport["width"] and scroll[1] <= viewport["height"], scroll
    return texts


def smallest(page: Page) -> float:
    return min(t["size"] for t in _measure(page))


@pytest.fixture(scope="module")
def packed(
    tmp_path_factory: pytest.TempPathFactory, lessons: LessonSet
) -> Iterator[tuple[Server, str, str, str]]:
    """A server on a database filled before it starts: 40 answers and ratings, 14 groups."""
    db = tmp_path_factory.mktemp("packed") / "workbook.duckdb"
    actions = [
        "Ask tenants to sign the rent petition at the Saturday market",
        "Invite young people to run the next open meeting and ask them what they need from us",
        "Ask local councillors for a meeting about disabled access",
        "Get people with lived experience on local radio",
        "Run a stall at the community centre with a simple pledge card, and follow up",
    ]
    token, code, key = revealed_room(
        db,
        lessons,
        people=ANSWERS,
        group_of=lambda i: GROUPS[i % len(GROUPS)],
        name_of=lambda i: f"P{i}",
        answer_of=lambda i: f"{actions[i % 5]} ({i + 1})",
        rating_of=lambda i: 1 + (i * 7) % 5,
    )
    running = Server(db, free_port())
    yield running, token, code, key
    running.stop()


def test_the_projector_reads_from_the_back_of_the_room_at_both_sizes(
    browser: Browser, packed: tuple[Server, str, str, str], lessons: LessonSet
) -> None:
    server, token, code, key = packed
    SHOTS.mkdir(parents=True, exist_ok=True)
    screens = {}
    for width, height in ((1920, 1080), (1280, 720)):
        screen = context(browser, width, height).new_page()
        screen.goto(f"{server.url}/projector?p={token}")
        screens[width] = screen

    # Answers: one page of them, saying which.
    for width, screen in screens.items():
        expect(screen.get_by_test_id("wbp-page")).to_have_text(f"Answers 1-6 of {ANSWERS}")
        expect(screen.get_by_test_id("wbp-card")).to_have_count(6)
        screen.screenshot(path=str(SHOTS / f"answers-{width}.png"))
        assert_readable(screen, width)

    # The facilitator turns the page from the console.
    console = context(browser, 1440, 900).new_page()
    sign_in(console, server, code, key)
    settle(console)
    expect(console.get_by_text(f"Answers 1-6 of {ANSWERS}")).to_be_visible()
    console.get_by_role("button", name="Next page").click()
    for screen in screens.values():
        expect(screen.get_by_test_id("wbp-page")).to_have_text(
            f"Answers 7-12 of {ANSWERS}", timeout=LIVE
        )
        expect(screen.get_by_test_id("wbp-card")).to_have_count(6)

    # A statement: the distribution and one page of groups' averages, names apart from numbers.
    statement = lessons.lessons[2].ratings[0]
    console.locator(f".st-key-facilitator_show_rating_{statement.id} button").click()
    for width, screen in screens.items():
        expect(screen.get_by_test_id("wbp-prompt")).to_have_text(statement.text, timeout=LIVE)
        expect(screen.get_by_test_id("wbp-page")).to_have_text(f"Groups 1-8 of {len(GROUPS)}")
        names = screen.get_by_test_id("wbp-bar-name")
        expect(names).to_have_count(8)
        # Each name alone (never "Table 1 3.4"), its number in an element of its own.
        assert set(names.all_inner_texts()) <= {*GROUPS, LONG_NAME}
        values = screen.get_by_test_id("wbp-bar-value").all_inner_texts()
        assert len(values) == 8 and all(re.fullmatch(r"\d\.\d", v) for v in values), values
        # Markup in a name is shown as typed, not read.
        expect(names.filter(has_text="<b>Kitchen</b> table")).to_have_count(1)
        assert screen.locator(".wbp-bars b").count() == 0
        screen.screenshot(path=str(SHOTS / f"ratings-{width}.png"))
        assert_readable(screen, width)

    # The last page: the long name ends in an ellipsis, whole in its title; markup stays text.
    settle(console)
    console.get_by_role("button", name="Next page").click()
    big = screens[1920]
    expect(big.get_by_test_id("wbp-page")).to_have_text(
        f"Groups 9-{len(GROUPS)} of {len(GROUPS)}", timeout=LIVE
    )
    long_name = big.get_by_test_id("wbp-bar-name").filter(has_text="tenants")
    expect(long_name).to_have_attribute("title", LONG_NAME)
    assert long_name.evaluate("n => n.scrollWidth > n.clientWidth")  # cut, with an ellipsis
    for width, screen in screens.items():
        assert_readable(screen, width)
    big.screenshot(path=str(SHOTS / "ratings-last-page-1920.png"))

    # The facilitator makes the text bigger for the room: the projector's text grows with it.
    before = smallest(big)
    settle(console)
    console.locator(".st-key-facilitator_text_size_normal").get_by_role(
        "radio", name="Largest"
    ).click()
    expect(console.locator(".st-key-facilitator_text_size_largest")).to_be_visible()
    big.wait_for_function(
        "() => getComputedStyle(document.documentElement)"
        ".getPropertyValue('--wbp-scale').trim() === '1.40'",
        timeout=LIVE,
    )
    after = smallest(big)
    assert after >= before * 1.35, (before, after)
    # Bigger text, fewer groups to a page: the screen still holds what it shows.
    expect(big.get_by_test_id("wbp-bar-name")).to_have_count(5, timeout=LIVE)
    big.screenshot(path=str(SHOTS / "ratings-largest-1920.png"))
    for screen in screens.values():
        texts = _measure(screen)
        assert not _overlaps(texts), _overlaps(texts)
    console.locator(".st-key-facilitator_text_size_largest").get_by_role(
        "radio", name="Smaller"
    ).click()
    big.wait_for_function(
        "() => getComputedStyle(document.documentElement)"
        ".getPropertyValue('--wbp-scale').trim() === '0.85'",
        timeout=LIVE,
    )
    assert smallest(big) < before
    assert re.search(r"Groups \d", big.get_by_test_id("wbp-page").inner_text())
    assert "Traceback" not in server.log()
