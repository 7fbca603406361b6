"""What a person does in a real Chromium against a real server: open a screen at a size,
start a workshop, sign in as its facilitator, join on a phone, wait for the screen to settle,
and ask axe-core what it finds. Shared by the browser tests and bench/browser_room.py."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from harness.server import Server
from workbook.config import PROJECT_ROOT

TIMEOUT = 20_000  # ms: how long a step may take on a loaded 2-core machine
SCREENSHOTS = PROJECT_ROOT / "screenshots"
PHONE = {"width": 390, "height": 844}
TOUCH = 44  # px, the smallest touch target (WCAG 2.5.5)
# How far the page around an element scrolls: the largest scroll size of any box around it
# (Streamlit scrolls inside its own main section, which no key or label of the app names).
SCROLL_SIZE_JS = """node => { let width = 0, height = 0;
  for (let box = node; box; box = box.parentElement) {
    width = Math.max(width, box.scrollWidth); height = Math.max(height, box.scrollHeight); }
  return [width, height]; }"""

AXE = Path(
    os.environ.get("WORKBOOK_AXE")
    or PROJECT_ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
)
# Streamlit's own sectioned sidebar navigation (st.navigation with sections, built in app.py)
# puts section <div>s directly inside its <ul>: axe's "list"/"listitem" findings there are
# Streamlit's markup, not ours. They are recorded in the JSON report and listed in the README;
# every other serious or critical finding counts.
STREAMLIT_NAV = "[data-testid='stSidebarNavItems']"


class MissingAxe(RuntimeError):
    pass


def context(browser: Browser, width: int, height: int) -> BrowserContext:
    """A desktop-like browser window (a laptop, a projector)."""
    made = browser.new_context(viewport={"width": width, "height": height})
    made.set_default_timeout(TIMEOUT)
    return made


def mobile(browser: Browser) -> BrowserContext:
    """A phone: 390x844, touch, a phone's pixel density."""
    made = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    made.set_default_timeout(TIMEOUT)
    return made


def settle(page: Page) -> None:
    """Wait until the page's script run has finished and no element of the last run is still
    shown (stale), as a person waits for the screen to stop changing before typing. Filling a
    box while the previous step's form is still on screen types into the wrong form."""
    finished = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
    expect(finished).to_be_attached(timeout=TIMEOUT)
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=TIMEOUT)


def press_until(page: Page, button: str, shows: Locator, *, touch: bool = False) -> None:
    """Press a button until what it leads to shows, as a person presses again when nothing
    happened: on a loaded machine a press that lands while the page is being redrawn can be
    lost (the button it pressed is replaced). Never presses again once it has shown."""
    tries = 3
    for attempt in range(1, tries + 1):
        settle(page)
        if attempt > 1 and shows.is_visible():
            return
        pressed = page.get_by_role("button", name=button, exact=True)
        if touch:
            pressed.tap()
        else:
            pressed.click()
        try:
            expect(shows).to_be_visible(timeout=TIMEOUT if attempt == tries else TIMEOUT // 3)
            return
        except AssertionError:
            if attempt == tries:
                raise


def start_workshop(console: Page, server: Server, title: str, cause: str) -> tuple[str, str]:
    """Start a facilitated workshop on the start page; its join code and facilitator key."""
    console.goto(server.url + "/")
    console.get_by_role("tab", name="Start a workshop").click()
    console.get_by_role("textbox", name="Workshop title").fill(title)
    console.get_by_role("textbox", name="Cause or movement").fill(cause)
    console.get_by_role("button", name="Create workshop").click()
    code = console.locator(".wb-code").inner_text()
    key = console.locator("pre code").first.inner_text()  # the key, shown as code
    return code, key


def sign_in(console: Page, server: Server, code: str, key: str) -> str:
    """Sign in on the facilitator console; the projector link it offers."""
    console.goto(server.url + "/facilitator")
    console.get_by_role("textbox", name="Workshop code").fill(code)
    console.get_by_label("Facilitator key").fill(key)
    console.get_by_role("button", name="Sign in").click()
    link = console.get_by_role("link", name=re.compile("Open the projector screen"))
    expect(link).to_be_visible(timeout=TIMEOUT)
    href = link.get_attribute("href")
    assert href and "/projector?p=" in href and key not in href
    return href


def join(page: Page, server: Server, code: str, group: str, *, touch: bool = False) -> Page:
    """Open the join link on this page, find the workshop and join it as a new group; the
    page ends on the workbook's first step, settled."""
    page.goto(f"{server.url}/?w={code.replace('-', '')}")
    new_group = page.get_by_role("textbox", name="New group's name")
    press_until(page, "Find workshop", new_group, touch=touch)
    new_group.fill(group)
    press_until(page, "Join", page.get_by_text(re.compile(r"^Step 1 of")), touch=touch)
    settle(page)
    return page


def join_on_phone(browser: Browser, server: Server, code: str, group: str) -> Page:
    """A new phone that joins the workshop as a new group."""
    return join(mobile(browser).new_page(), server, code, group, touch=True)


def axe_findings(page: Page, where: str) -> list[dict]:
    """Serious and critical axe-core violations on the page; the full report is written to
    screenshots/axe-<where>.json."""
    if not AXE.is_file():
        raise MissingAxe(
            f"axe-core is missing ({AXE}). Run `bash scripts/test.sh`, which installs it with "
            "npm, or: npm install --no-save --prefix .venv/axe axe-core@4.14.1"
        )
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (nav) => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map(n => ({target: n.target.join(' '),
            inStreamlitNav: !!document.querySelector(n.target[0])?.closest(nav)}))}))""",
        STREAMLIT_NAV,
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"axe-{where}.json").write_text(json.dumps(result, indent=2) + "\n")
    return [
        v
        for v in result
        if v["impact"] in ("serious", "critical")
        and not all(node["inStreamlitNav"] for node in v["nodes"])
    ]
