"""A facilitator's own question and rating statement with Markdown's characters in them, on a
phone in a real Chromium against a real `streamlit run`: each is shown as written, and the
box or the row of numbers it labels is named by it as written (its accessible name, the
aria-label screen readers read), with no escaping backslash. Before, the label was
backslash-escaped Markdown, and Streamlit gives a label unchanged to aria-label: a screen
reader read "Our \\*main\\* aim". Nothing of the text loads anything (a Markdown image in it
stays text, even in the widget's own label kept out of sight). Screenshots go to
tests/screenshots/phone/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.browser import TIMEOUT, axe_findings, context, join, mobile, settle
from harness.server import Server, free_port
from workbook.lessons import LessonSet
from workbook.live import SELF_PACED
from workbook.models import WorkshopCreate
from workbook.plans import Plan, PlanStep
from workbook.store import Store

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "phone"
expect.set_options(timeout=TIMEOUT)

MAIN = "Our *main* aim"
HOSTILE = "![x](http://127.0.0.2:9/x.png) # [site](http://evil.example) _under_ $x$ :smile: www.a.b"
STATEMENT = "We *share* the_work [fairly]"
ANSWER = "Fewer evictions on our street"


@pytest.fixture(scope="module")
def own_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A self-paced workshop whose first step holds the facilitator's own question, a hostile
    one and an own rating statement; a server on it. Its join code."""
    db = tmp_path_factory.mktemp("own") / "workbook.duckdb"
    store = Store(db)
    workshop, _key = store.create_workshop(
        workshop=WorkshopCreate(title="Own words", cause="Housing")
    )
    plan = Plan(
        id="own",
        title="Own",
        session_minutes=30,
        steps=[
            PlanStep(
                lesson="early-actions",
                minutes=20,
                own_prompts=[
                    {"id": "own-main", "text": MAIN},
                    {"id": "own-hostile", "text": HOSTILE},
                ],
                own_ratings=[
                    {"id": "own-share", "text": STATEMENT, "low": "*No*", "high": "[Yes]"}
                ],
            )
        ],
    )
    store.set_workshop_plan(workshop_id=workshop.id, plan=plan)
    store.set_pacing(workshop_id=workshop.id, pacing=SELF_PACED)
    code = workshop.join_code
    store.close()
    running = Server(db, free_port())
    yield running, code
    running.stop()


def shot(page: Page, name: str, *, label: int = 0) -> None:
    """The page scrolled to one of the labels drawn as text (0: the first)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.locator(".wb-widget-label").nth(label).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def outside_requests(page: Page, server: Server) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.context.on("request", lambda request: requests.append(request.url))
    return requests


def check_labels(page: Page) -> None:
    # Found by the name a screen reader reads, exactly as written.
    box = page.get_by_role("textbox", name=MAIN, exact=True)
    expect(box).to_be_visible()
    expect(box).to_have_attribute("aria-label", MAIN)
    # An image's "!" is followed by a word joiner (U+2060, never read out) in the name: the
    # widget's own label, out of sight, is still Markdown, where an image would be loaded.
    hostile = page.get_by_role("textbox", name=HOSTILE.replace("![", "!\u2060["), exact=True)
    expect(hostile).to_be_visible()
    # Shown as written, above each box, and never as Markdown.
    expect(page.locator(".wb-widget-label").filter(has_text=MAIN)).to_have_text(MAIN)
    expect(page.locator(".wb-widget-label").get_by_text(HOSTILE, exact=True)).to_be_visible()
    statement = page.locator(f'[data-testid="stButtonGroup"] [aria-label="{STATEMENT}"]')
    expect(statement).to_be_visible()
    expect(page.get_by_text(STATEMENT, exact=True)).to_be_visible()
    # No text box or row of numbers on the page is named with a backslash.
    names = page.locator("textarea, [data-testid='stButtonGroup'] [aria-label]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert names and not [name for name in names if "\\" in (name or "")], names
    # Nothing of the text became an image, or a link anyone can see or reach.
    assert page.locator("img[src*='127.0.0.2']").count() == 0
    assert (
        page.locator("a[href*='127.0.0.2'], a[href*='evil.example']").filter(visible=True).count()
        == 0
    )


def test_own_question_and_statement_are_shown_and_named_as_written(
    browser: Browser, own_room: tuple[Server, str], lessons: LessonSet
) -> None:
    server, code = own_room
    phone = mobile(browser).new_page()
    requests = outside_requests(phone, server)
    join(phone, server, code, "Table 1", touch=True)
    check_labels(phone)
    # A lesson's question without Markdown's characters keeps Streamlit's own label.
    plain = next(p.text for p in lessons.by_id("early-actions").prompts)
    expect(phone.get_by_role("textbox", name=plain, exact=True)).to_be_visible()
    # The box works as before: typed into by its name, saved.
    phone.get_by_role("textbox", name=MAIN, exact=True).fill(ANSWER)
    statement = phone.locator(f'[data-testid="stButtonGroup"] [aria-label="{STATEMENT}"]')
    statement.get_by_role("radio", name="4").or_(statement.get_by_role("button", name="4")).tap()
    phone.get_by_role("button", name="Save answers").first.tap()
    expect(phone.get_by_text("Saved", exact=False).first).to_be_visible()
    settle(phone)
    expect(phone.get_by_role("textbox", name=MAIN, exact=True)).to_have_value(ANSWER)
    shot(phone, "own-labels")
    shot(phone, "own-rating-label", label=-1)
    findings = axe_findings(phone, "phone-own-labels")
    assert findings == [], findings
    outside = [url for url in requests if not url.startswith((server.url, "data:", "blob:"))]
    assert outside == [], outside

    wide = context(browser, 1920, 1080).new_page()
    join(wide, server, code, "Table 2")
    check_labels(wide)
    shot(wide, "own-labels-wide")
