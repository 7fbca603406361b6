"""The nastiest names and answers of the hostile corpus (tests/hostile_strings.py) in a real
Chromium against a real `streamlit run`: shown as text everywhere, fetching nothing. (Apart
from tests/test_hostile_input.py, whose tests need no browser: browser tests live in files
named *_browser.py, which run one after another in one process; see tests/conftest.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from workbook.bidi import isolate
from workbook.lessons import LessonSet
from workbook.live import PROMPT, Focus, clip
from workbook.models import CommitmentIn, JoinRequest, ReflectionIn, WorkshopCreate
from workbook.store import Store
from workbook.ui import projector

from .hostile_strings import EVIL_HOST, by_text
from .test_hostile_input import TITLE

# --- the room ----------------------------------------------------------------------------

# A handful of the nastiest strings, each from the corpus: a name that is an image link, one
# that is an image with a script in it, one that turns the text around; names that are a
# link, LaTeX and Arabic; answers that are a bare link, a frame, a code fence and a shortcode.
BROWSER_TITLE = TITLE
BROWSER_CAUSE = by_text(":red[danger]").text
BROWSER_GROUPS = [
    by_text(f"![x](http://{EVIL_HOST}/pixel.png)").text,
    by_text("<img src=x onerror=alert(1)>").text,
    by_text("\u202eevil.exe\u202c").text,
]
BROWSER_PEOPLE = [
    by_text(f"[click me](http://{EVIL_HOST}/phish)").text,
    by_text("$x^2$").text,
    by_text("مجموعة العمل").text,
]
BROWSER_ANSWERS = [
    by_text(f"http://{EVIL_HOST}/bare").text,
    by_text(f'<iframe src="http://{EVIL_HOST}/frame"></iframe>').text,
    by_text("```\nfenced code\n```").text,
]
BROWSER_WHAT = by_text(":material/home:").text


@dataclass(frozen=True)
class _Room:
    server: Any
    code: str
    key: str
    projector_token: str
    resume: str  # the first participant's link to their seat


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, lessons: LessonSet) -> Iterator[_Room]:
    """A server on a database holding a workshop whose every name and answer is hostile,
    with the first prompt on the projector and its answers revealed."""
    from harness.server import Server, free_port

    db = tmp_path_factory.mktemp("hostile") / "workbook.duckdb"
    store = Store(db)
    workshop, key = store.create_workshop(
        workshop=WorkshopCreate(title=BROWSER_TITLE, cause=BROWSER_CAUSE)
    )
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    tokens = []
    for group, name, answer in zip(BROWSER_GROUPS, BROWSER_PEOPLE, BROWSER_ANSWERS, strict=True):
        seat, token = store.join(
            workshop_id=workshop.id, request=JoinRequest(group_name=group, display_name=name)
        )
        tokens.append((seat, token))
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=answer)],
        )
    first, token = tokens[0]
    store.add_commitment(
        seat=first,
        commitment=CommitmentIn(what=BROWSER_WHAT, who=BROWSER_PEOPLE[1], key_finding="learning"),
        round=1,
    )
    store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, prompt.id))
    store.set_item_state(
        workshop_id=workshop.id,
        lesson_id=lesson.id,
        kind=PROMPT,
        item_id=prompt.id,
        revealed=True,
    )
    projector_token = store.new_projector_link(workshop_id=workshop.id)
    store.close()
    running = Server(db, free_port())
    try:
        yield _Room(
            running,
            workshop.display_code,
            key,
            projector_token,
            f"w={workshop.join_code}&t={token}",
        )
    finally:
        running.stop()


_FROM_USER_TEXT = """(host) => {
  const bad = [];
  for (const el of document.querySelectorAll('img, a, iframe, object, embed, link, source')) {
    const where = el.getAttribute('src') || el.getAttribute('href') || el.getAttribute('data')
      || '';
    if (where.includes(host) || el.tagName === 'IFRAME' || el.tagName === 'OBJECT') {
      bad.push(el.outerHTML.slice(0, 200));
    }
    if (el.tagName === 'IMG' && !where.startsWith('data:')) bad.push(el.outerHTML.slice(0, 200));
  }
  for (const el of document.querySelectorAll('script')) {
    if (el.textContent.includes('alert(')) bad.push(el.outerHTML.slice(0, 200));
  }
  return bad;
}"""


@pytest.mark.browser
def test_a_real_browser_shows_the_nastiest_names_as_text_and_fetches_nothing_else(
    browser: Any, hostile_server: _Room, lessons: LessonSet
) -> None:
    from playwright.sync_api import Page, expect

    from harness.browser import settle

    room = hostile_server
    server = room.server
    requests: list[str] = []
    contexts = []

    def open_page(width: int, height: int) -> Page:
        made = browser.new_context(viewport={"width": width, "height": height})
        made.set_default_timeout(30_000)
        made.on("request", lambda request: requests.append(request.url))
        contexts.append(made)
        return made.new_page()

    def shows_verbatim(page: Page, texts: Iterable[str]) -> None:
        """Each text is in what the page shows (innerText: what a person can read and copy),
        character for character: waited for, as a person waits for the screen to settle."""
        settle(page)
        for text in texts:
            expect(page.locator("body")).to_contain_text(
                re.compile(re.escape(text)), use_inner_text=True
            )

    def nothing_from_user_text(page: Page, where: str) -> None:
        assert page.evaluate(_FROM_USER_TEXT, EVIL_HOST) == [], where
        assert page.evaluate("typeof window.__wbAlerted") == "undefined", where

    try:
        # The facilitator console: the answers, with each group's and person's name.
        console = open_page(1440, 900)
        console.add_init_script("window.alert = () => { window.__wbAlerted = true; };")
        console.goto(server.url + "/facilitator")
        console.get_by_role("textbox", name="Workshop code").fill(room.code)
        console.get_by_label("Facilitator key").fill(room.key)
        console.get_by_role("button", name="Sign in").click()
        expect(console.get_by_text("Answers on the projector")).to_be_visible()
        shows_verbatim(
            console,
            [
                BROWSER_TITLE,
                f"{isolate(BROWSER_CAUSE)} · join code {room.code}",
                *BROWSER_ANSWERS,
                # each name isolated from the other and from the app's words (workbook/bidi.py)
                *(
                    f"{isolate(g)} · {isolate(n)}"
                    for g, n in zip(BROWSER_GROUPS, BROWSER_PEOPLE, strict=True)
                ),
            ],
        )
        nothing_from_user_text(console, "console")

        # The projector, on the revealed prompt: answer cards with their groups' names.
        screen_page = open_page(1920, 1080)
        screen_page.add_init_script("window.alert = () => { window.__wbAlerted = true; };")
        screen_page.goto(f"{server.url}/projector?p={room.projector_token}")
        expect(screen_page.get_by_test_id("wbp-card").first).to_be_visible()
        shows_verbatim(
            screen_page,
            [*(clip(answer, projector.CARD_CHARS) for answer in BROWSER_ANSWERS), *BROWSER_GROUPS],
        )
        nothing_from_user_text(screen_page, "projector")

        # The first group's results: its answer, its author, its commitment.
        results = open_page(390, 844)
        results.add_init_script("window.alert = () => { window.__wbAlerted = true; };")
        results.goto(f"{server.url}/results?{room.resume}")
        expect(results.get_by_role("heading", name="Our results")).to_be_visible()
        settle(results)
        for summary in results.locator("details > summary").all():
            summary.click()
        shows_verbatim(
            results,
            [
                BROWSER_TITLE,
                f"{isolate(BROWSER_GROUPS[0])} · {isolate(BROWSER_PEOPLE[0])}",
                BROWSER_ANSWERS[0],
                f"First look · {isolate(BROWSER_PEOPLE[0])}",
                BROWSER_WHAT,
            ],
        )
        nothing_from_user_text(results, "results")
    finally:
        for made in contexts:
            made.close()
    outside = [url for url in requests if not url.startswith((server.url, "data:", "blob:"))]
    assert outside == [], outside
    assert "Traceback" not in server.log()
