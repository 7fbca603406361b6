"""The stakeholder map on a phone, in a real Chromium emulating one (390x844, touch) against a
real `streamlit run`: a stakeholder and a tie added and edited in the list view, incomplete
ones refused with a message, every control in the cards at least 44 px, nothing wider than
the screen, and axe-core clean. Screenshots under tests/screenshots/phone/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from harness.browser import TIMEOUT, TOUCH, axe_findings, mobile, settle
from harness.server import Server

from .conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT)
PHONE_SHOTS = PROJECT_ROOT / "tests" / "screenshots" / "phone"


def phone(browser: Browser) -> Page:
    return mobile(browser).new_page()


def shoot(page: Page, name: str, *, full: bool = False) -> None:
    PHONE_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SHOTS / name), full_page=full)


def seated_self_guided(page: Page, server: Server, group: str) -> None:
    """Start a self-guided workshop on the phone: the person is seated in its group."""
    page.goto(server.url + "/")
    page.get_by_role("tab", name="Start a workshop").click()
    page.get_by_role("textbox", name="Workshop title").fill("Map on a phone")
    page.get_by_role("textbox", name="Cause or movement").fill("Housing justice")
    page.get_by_text("Self-guided: our group works through it alone").click()
    page.get_by_role("textbox", name="Your group's name (required for self-guided)").fill(group)
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("button", name="Open the workbook").click()
    expect(page.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()


def choose(scope: Locator, page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Pick an option of a select box by its label, as a thumb does: tap, then tap the option."""
    scope.get_by_role("combobox", name=label, exact=True).tap()
    if isinstance(option, str):
        page.get_by_role("option", name=option, exact=True).tap()
    else:  # a stakeholder's option: its name isolated (workbook/bidi.py) and its number
        page.get_by_role("option", name=option).tap()


def tap(scope: Locator, name: str) -> None:
    scope.get_by_role("button", name=name, exact=True).tap()


def pick(scope: Locator, name: str) -> None:
    """One option of a row of choices (influence 1-5, a tie's strength)."""
    scope.get_by_role("radio", name=name, exact=True).tap()


def too_small(scope: Locator) -> list[str]:
    """Controls (buttons, select boxes, text boxes, checkboxes' rows) under 44 px, visible."""
    return scope.evaluate(
        """(root, size) => {
          const found = [];
          const controls = root.querySelectorAll(
            'button, [data-baseweb="select"] > div, [data-baseweb="input"], ' +
            'label:has(input[type="checkbox"])');
          for (const el of controls) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;  // not shown
            if (box.height < size || box.width < size)
              found.push(`${el.tagName} "${el.innerText.trim().slice(0, 30)}" ` +
                         `${Math.round(box.width)}x${Math.round(box.height)}`);
          }
          return found;
        }""",
        TOUCH,
    )


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"


def test_a_stakeholder_and_a_tie_added_and_edited_on_a_phone(
    browser: Browser, server: Server
) -> None:
    page = phone(browser)
    seated_self_guided(page, server, "Phone map team")
    page.locator(".st-key-role_nav").get_by_role("link", name="Map").tap()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)

    # The list view opens; the grid is one tap away.
    choice = page.locator(".st-key-map_view_choice")
    expect(choice.get_by_role("radio", name="List view")).to_be_checked()
    expect(page.locator(".stDataFrameGlideDataEditor")).to_have_count(0)
    people = page.locator(".st-key-mapcards_map_people")
    add = page.locator(".st-key-map_add_person")
    expect(add.get_by_role("textbox", name="Name (required)")).to_be_visible()
    shoot(page, "map-list-empty.png")
    assert not axe_findings(page, "phone-map-list-empty")

    # Half filled: refused, with what is missing, and the name kept.
    add.get_by_role("textbox", name="Name (required)").fill("City council")
    tap(add, "Add this stakeholder")
    expect(page.get_by_text("Kind is required", exact=False)).to_be_visible()
    expect(page.get_by_text("Influence is required", exact=False)).to_be_visible()
    expect(add.get_by_role("textbox", name="Name (required)")).to_have_value("City council")
    shoot(page, "map-add-incomplete.png")

    choose(add, page, "Kind (required)", "Institution or decision-maker")
    pick(add, "5")
    choose(add, page, "Where they stand (required)", "Passive opposition")
    tap(add, "Add this stakeholder")
    expect(add.get_by_text("Saved: 1 stakeholder added.")).to_be_visible()
    settle(page)
    card = people.locator("[class*='st-key-map_person_']").filter(has_text="City council")
    expect(card).to_have_count(1)
    expect(card.get_by_text("influence 5 · Passive opposition", exact=False)).to_be_visible()

    add.get_by_role("textbox", name="Name (required)").fill("Tenants' union")
    choose(add, page, "Kind (required)", "Community group")
    pick(add, "3")
    choose(add, page, "Where they stand (required)", "Active ally")
    tap(add, "Add this stakeholder")
    expect(add.get_by_text("Saved: 1 stakeholder added.")).to_be_visible()
    settle(page)

    # Edit the first: its name and where they stand.
    card.get_by_role("button", name=re.compile(r"^Edit #\d+$")).tap()
    form = people.locator("[class*='st-key-map_person_']").filter(
        has=page.get_by_role("button", name="Save changes")
    )
    expect(form.get_by_role("textbox", name="Name (required)")).to_have_value("City council")
    form.get_by_role("textbox", name="Name (required)").fill("Mayor's office")
    choose(form, page, "Where they stand (required)", "Neutral")
    form.get_by_text("Must invest: always include in the proposal").tap()
    expect(form.get_by_role("checkbox", name="Must invest: always include")).to_be_checked()
    shoot(page, "map-edit-card.png")
    assert not too_small(people), too_small(people)
    assert not axe_findings(page, "phone-map-edit-card")
    tap(form, "Save changes")
    expect(people.get_by_text("Saved: 1 stakeholder changed.")).to_be_visible()
    settle(page)
    edited = people.locator("[class*='st-key-map_person_']").filter(has_text="Mayor's office")
    expect(edited.get_by_text("· Neutral ·", exact=False)).to_be_visible()
    expect(edited.get_by_text("· must invest", exact=False)).to_be_visible()
    tap(edited, "Close")  # the card stayed open after the save, showing what was saved
    no_sideways_scroll(page)
    shoot(page, "map-list.png", full=True)

    # Ties: an incomplete one refused, then added, then made strong.
    page.get_by_role("tab", name="Ties", exact=True).tap()
    ties = page.locator(".st-key-mapcards_map_ties")
    add_tie = page.locator(".st-key-map_add_tie")
    expect(add_tie.get_by_role("combobox", name="From (required)")).to_be_visible()
    choose(add_tie, page, "From (required)", re.compile("Mayor's office"))
    tap(add_tie, "Add this tie")
    expect(page.get_by_text("Choose who the tie is to.", exact=False)).to_be_visible()
    shoot(page, "map-tie-incomplete.png")
    choose(add_tie, page, "To (required)", re.compile("Tenants' union"))
    tap(add_tie, "Add this tie")
    expect(add_tie.get_by_text("Added the tie.")).to_be_visible()
    settle(page)
    tie_card = ties.locator("[class*='st-key-map_tie_']")
    expect(tie_card).to_have_count(1)
    expect(tie_card.get_by_text("Weak tie", exact=True)).to_be_visible()
    tie_card.get_by_role("button", name=re.compile(r"^Edit tie")).tap()
    pick(tie_card, "Strong")
    assert not too_small(ties), too_small(ties)
    shoot(page, "map-tie-edit.png")
    assert not axe_findings(page, "phone-map-tie-edit")
    tap(tie_card, "Save changes")
    expect(ties.get_by_text("Saved the tie.")).to_be_visible()
    settle(page)
    expect(ties.locator("[class*='st-key-map_tie_']").get_by_text("Strong tie")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "map-ties.png", full=True)
    assert "Traceback" not in server.log()


# --- charts at 390 px ---------------------------------------------------------------------------

CHART_TEXT = """(chart) => {
  // Every piece of text plotly drew in this chart: its size and its box on the screen.
  const frame = chart.getBoundingClientRect();
  const texts = [];
  for (const t of chart.querySelectorAll('text')) {
    const content = t.textContent.trim();
    const box = t.getBoundingClientRect();
    const style = getComputedStyle(t);
    if (!content || box.width === 0 || style.display === 'none' || style.visibility === 'hidden'
        || parseFloat(style.opacity || '1') === 0) continue;
    if (t.closest('.modebar, .hoverlayer')) continue;
    texts.push({text: content.slice(0, 40), size: parseFloat(style.fontSize),
                l: box.left, r: box.right, t: box.top, b: box.bottom});
  }
  return {frame: {l: frame.left, r: frame.right, t: frame.top, b: frame.bottom}, texts};
}"""


def chart_problems(page: Page, title: str) -> list[str]:
    """Text under 14 px, text cut at the chart's edge, and texts drawn over each other."""
    chart = page.locator(".js-plotly-plot:visible").filter(has_text=title).first
    expect(chart).to_be_visible()
    chart.evaluate("el => { el.style.scrollMarginTop = '70px'; el.scrollIntoView(); }")
    page.wait_for_timeout(300)  # plotly's resize after a tab switch
    drawn = chart.evaluate(CHART_TEXT)
    frame, texts = drawn["frame"], drawn["texts"]
    problems = [f"{t['text']!r} is {t['size']} px" for t in texts if t["size"] < 14]
    problems += [
        f"{t['text']!r} is cut at the chart's edge"
        for t in texts
        if t["l"] < frame["l"] - 1
        or t["r"] > frame["r"] + 1
        or t["t"] < frame["t"] - 1
        or t["b"] > frame["b"] + 1
    ]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            width = min(a["r"], b["r"]) - max(a["l"], b["l"])
            height = min(a["b"], b["b"]) - max(a["t"], b["t"])
            if width > 2 and height > 2:
                problems.append(f"{a['text']!r} overlaps {b['text']!r}")
    return problems


def network_reads_on_a_phone(page: Page) -> None:
    """The network uses the phone's width (it drew a blob 60 px wide), and under it a text
    list says who is tied to whom, as the other views list their names."""
    chart = page.locator(".js-plotly-plot:visible").filter(has_text="Who is connected to whom")
    spread = chart.evaluate(
        """(el) => {
          const boxes = [...el.querySelectorAll('.scatterlayer .point')]
            .map(p => p.getBoundingClientRect()).filter(b => b.width > 0);
          return {width: Math.max(...boxes.map(b => b.right)) - Math.min(...boxes.map(b => b.left)),
                  plot: el.getBoundingClientRect().width};
        }"""
    )
    assert spread["width"] > 0.6 * spread["plot"], spread
    notes = page.locator("[class*='st-key-vw_phone_map_network']")
    expect(notes.get_by_text("Who is tied to whom")).to_be_visible()
    expect(notes.get_by_text("Tenants' union", exact=False).first).to_be_visible()
    expect(notes.get_by_text(re.compile(r"(strong|weak) tie with"))).not_to_have_count(0)
    # The points carry numbers, not names: the list says which number is whom.
    expect(notes.get_by_text(re.compile(r"^1\. "))).to_have_count(1)
    numbers = chart.locator(".scatterlayer .textpoint").all_text_contents()
    assert "1" in numbers and all(n.isdigit() or n == "Us" for n in numbers), numbers
    notes.get_by_text("Who is tied to whom").scroll_into_view_if_needed()
    shoot(page, "chart-network-list.png")


NUMBERED_POINTS = """(chart) => {
  // Each stakeholder's number and whether it sits inside its point (the star has a word).
  const points = [...chart.querySelectorAll('.scatterlayer .trace')].flatMap(trace => {
    const marks = [...trace.querySelectorAll('.points .point')];
    const texts = [...trace.querySelectorAll('.text .textpoint')];
    return texts.map((t, i) => {
      const text = t.textContent.trim();
      const box = t.getBoundingClientRect();
      const mark = marks[i] ? marks[i].getBoundingClientRect() : null;
      const x = (box.left + box.right) / 2, y = (box.top + box.bottom) / 2;
      const inside = !!mark && box.width <= mark.width && x > mark.left && x < mark.right
        && y > mark.top && y < mark.bottom;
      return {text, inside};
    });
  });
  return points.filter(p => p.text !== 'Us');
}"""


def numbered_as_the_list(page: Page, title: str, key: str) -> None:
    """A phone's grid, spectrum and effort chart carry each stakeholder's number on its
    point, and the list under the figure puts the same numbers before the names: 1 to n,
    each once."""
    chart = page.locator(".js-plotly-plot:visible").filter(has_text=title).first
    points = chart.evaluate(NUMBERED_POINTS)
    assert len(points) >= 10, points  # the housing map's stakeholders, each numbered
    numbers = sorted(int(p["text"]) for p in points)
    assert numbers == list(range(1, len(points) + 1)), points
    assert all(p["inside"] for p in points), [p for p in points if not p["inside"]]
    notes = page.locator(f"[class*='st-key-vw_phone_map_{key}'] [data-testid='stText']")
    listed = sorted(
        int(n) for n in re.findall(r"(?:^|, |: )(\d+)\.\s", "\n".join(notes.all_inner_texts()))
    )
    assert listed == numbers, listed
    notes.first.scroll_into_view_if_needed()
    shoot(page, f"chart-{key}-list.png")


@pytest.fixture(scope="module")
def rated_room(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A server on a database holding one group's ratings in every lesson and a full map (the
    housing map of tests/test_map_browser.py), written before the server opens it."""
    import random

    from harness.server import free_port
    from workbook.lessons import load_lessons
    from workbook.models import JoinRequest, RatingIn, StakeholderIn, TieStrength, WorkshopCreate
    from workbook.store import Store

    from .test_map_browser import MAP

    db = tmp_path_factory.mktemp("phone_charts") / "workbook.duckdb"
    store = Store(db)
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Charts on a phone", cause="Housing", self_guided=True)
    )
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Core"))
    chosen = random.Random(16)
    for lesson in load_lessons(PROJECT_ROOT / "lessons").lessons:
        ratings = [
            RatingIn(
                lesson_id=lesson.id,
                statement_id=statement.id,
                key_finding=lesson.finding_of(statement),
                value=chosen.randint(1, 5),
            )
            for statement in lesson.ratings
        ]
        if ratings:
            store.save_answers(seat=seat, lesson_id=lesson.id, round=1, ratings=ratings)
    people = [
        StakeholderIn(**{k: v for k, v in row.items() if k != "ref"}) for row in MAP["stakeholders"]
    ]
    ties = [(t["source"] - 1, t["target"] - 1, TieStrength(t["strength"])) for t in MAP["ties"]]
    store.import_map(group_id=seat.group.id, stakeholders=people, ties=ties, replace=True)
    store.close()
    running = Server(db, free_port())
    yield running, f"w={workshop.join_code}&t={token}"
    running.stop()


def test_results_and_map_charts_read_on_a_phone(browser: Browser, rated_room: object) -> None:
    server, query = rated_room  # type: ignore[misc]
    page = phone(browser)
    page.goto(f"{server.url}/results?{query}")
    expect(page.get_by_role("heading", name="Our results")).to_be_visible()
    settle(page)
    assert not chart_problems(page, "Our ratings by key finding")
    shoot(page, "results-chart.png")

    page.locator(".st-key-role_nav").get_by_role("link", name="Map").tap()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)
    for tab, title, shot in (
        ("Views", "Who matters, and where they stand", "chart-grid.png"),
        ("Spectrum of allies", "Spectrum of allies", "chart-spectrum.png"),
        ("Network", "Who is connected to whom", "chart-network.png"),
        ("Measures", "Which voices are on our map", "chart-voices.png"),
        ("Trade-off", "Effort and gain", "chart-effort.png"),
    ):
        page.get_by_role("tab", name=tab, exact=True).tap()
        problems = chart_problems(page, title)
        assert not problems, (title, problems)
        shoot(page, shot)
        if tab == "Network":
            network_reads_on_a_phone(page)
        elif tab in ("Views", "Spectrum of allies", "Trade-off"):
            key = {"Views": "grid", "Spectrum of allies": "spectrum"}.get(tab, "effort")
            numbered_as_the_list(page, title, key)
    # The overrides: a row per stakeholder with two checkboxes, not a grid to swipe.
    expect(page.locator(".st-key-overrides_wide_map")).to_be_hidden()
    rows = page.locator(".st-key-overrides_narrow_map")
    must = rows.get_by_role("checkbox", name="Must invest: always include").first
    expect(must).to_be_visible()
    must.scroll_into_view_if_needed()
    assert not too_small(rows), too_small(rows)
    shoot(page, "trade-off-overrides.png")
    no_sideways_scroll(page)
    assert "Traceback" not in server.log()


def test_phone_forms_keep_what_is_typed_and_say_it_where_the_thumb_is(
    browser: Browser, server: Server
) -> None:
    """Issue 16's walk-through: a chosen strength stays chosen when tapped again, half-typed
    text in "Add a stakeholder" survives saving another card, and what a tap said is on the
    screen (beside the button), not far above or below it."""
    page = phone(browser)
    seated_self_guided(page, server, "Phone thumbs")
    page.locator(".st-key-role_nav").get_by_role("link", name="Map").tap()
    expect(page.get_by_role("heading", name="Our stakeholder map")).to_be_visible()
    settle(page)
    people = page.locator(".st-key-mapcards_map_people")
    add = page.locator(".st-key-map_add_person")
    name = add.get_by_role("textbox", name="Name (required)")

    name.fill("Ana")
    tap(add, "Add this stakeholder")
    problem = add.get_by_text("Where they stand is required", exact=False)
    expect(problem).to_be_in_viewport()  # above the button just tapped
    expect(name).to_have_value("Ana")
    shoot(page, "map-add-refused-in-view.png")
    choose(add, page, "Kind (required)", "Media")
    pick(add, "3")
    pick(add, "3")  # a second tap keeps the choice
    expect(add.get_by_role("radio", name="3", exact=True)).to_be_checked()
    choose(add, page, "Where they stand (required)", "Neutral")
    tap(add, "Add this stakeholder")
    expect(add.get_by_text("Saved: 1 stakeholder added.")).to_be_in_viewport()
    shoot(page, "map-added-in-view.png")
    settle(page)
    expect(name).to_have_value("")
    name.fill("Bo")
    choose(add, page, "Kind (required)", "Media")
    pick(add, "2")
    choose(add, page, "Where they stand (required)", "Active ally")
    tap(add, "Add this stakeholder")
    expect(add.get_by_text("Saved: 1 stakeholder added.")).to_be_visible()
    settle(page)

    # Half typed in the add form, then another card edited and saved: the typing stays.
    name.fill("Half typed")
    add.get_by_role("textbox", name="Note").fill("Call back on Monday")
    card = people.locator("[class*='st-key-map_person_']").filter(has_text="Ana")
    card.get_by_role("button", name=re.compile(r"^Edit #\d+$")).tap()
    settle(page)
    expect(name).to_have_value("Half typed")
    pick(card, "5")
    tap(card, "Save changes")
    expect(card.get_by_text("Saved: 1 stakeholder changed.")).to_be_in_viewport()
    settle(page)
    expect(name).to_have_value("Half typed")
    expect(add.get_by_role("textbox", name="Note")).to_have_value("Call back on Monday")
    shoot(page, "map-add-kept-after-other-save.png")

    # A tie's strength: "Weak" is chosen, and tapping it again keeps it chosen.
    page.get_by_role("tab", name="Ties", exact=True).tap()
    add_tie = page.locator(".st-key-map_add_tie")
    choose(add_tie, page, "From (required)", re.compile("Ana"))
    choose(add_tie, page, "To (required)", re.compile("Bo"))
    weak = add_tie.get_by_role("radio", name="Weak", exact=True)
    expect(weak).to_be_checked()
    pick(add_tie, "Weak")
    expect(weak).to_be_checked()
    shoot(page, "map-tie-weak-tapped-again.png")
    tap(add_tie, "Add this tie")
    expect(add_tie.get_by_text("Added the tie.")).to_be_in_viewport()
    expect(page.get_by_text("delete its row", exact=False)).to_have_count(0)
    assert "Traceback" not in server.log()
