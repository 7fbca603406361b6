"""A room of real browsers: N phones in headless Chromium follow the facilitator.

    .venv/bin/python bench/browser_room.py [--phones 20] [--moves 4]

Starts `streamlit run app.py` on a fresh database, creates a facilitated workshop and signs in
on the console in one Chromium context, then joins N phones (390x844, each its own context).
For each move, every phone saves an answer (typed, rated, "Save answers", until "Saved"
shows), then the facilitator presses "Next step" and the script times how long each phone
takes to show the new step without being touched. Prints p50/p95/max of both, how many
phones the watchdog reloaded on the way, and how many did not follow within 60 s. This is the
real-browser check of what `bench/load_room.py` does over the protocol for 200 sessions;
Chromium costs about 60-100 MB and some CPU per context, so a 2-core machine holds a few
dozen.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from bench.common import machine, spread  # noqa: E402
from harness.browser import settle, sign_in, start_workshop  # noqa: E402
from harness.server import CHROMIUM_ARGS, Server, free_port  # noqa: E402
from workbook.lessons import load_lessons  # noqa: E402

FOLLOW_SECONDS = 60.0
expect.set_options(timeout=60_000)


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/browser_room.py")
    parser.add_argument("--phones", type=int, default=20)
    parser.add_argument("--moves", type=int, default=4)
    options = parser.parse_args()
    chromium = os.environ.get("WORKBOOK_CHROMIUM", "/usr/bin/chromium")
    print(f"{machine()}; {options.phones} phones, {options.moves} moves")
    folder = Path(tempfile.mkdtemp(prefix="browser-room-"))
    server = Server(folder / "room.duckdb", free_port())
    saves: list[float] = []
    follows: list[float] = []
    missed: list[str] = []
    reloaded: list[str] = []
    no_progress: list[str] = []
    lessons = load_lessons(ROOT / "lessons").lessons
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                headless=True, args=CHROMIUM_ARGS, executable_path=chromium
            )
            console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            console.set_default_timeout(60_000)
            code, key = start_workshop(console, server, "Browser room", "Bench")
            sign_in(console, server, code, key)
            expect(console.get_by_role("button", name="Next step")).to_be_visible()

            phones: list[Page] = []
            started = time.monotonic()
            for i in range(options.phones):
                phone = browser.new_context(
                    viewport={"width": 390, "height": 844}, has_touch=True
                ).new_page()
                phone.set_default_timeout(60_000)
                phone.goto(f"{server.url}/?w={code.replace('-', '')}")
                phone.get_by_role("button", name="Find workshop").click()
                phone.get_by_role("textbox", name="New group's name").fill(f"Table {i % 8}")
                phone.get_by_role("button", name="Join", exact=True).click()
                expect(phone.get_by_text(re.compile(r"^Step 1 of"))).to_be_visible()
                phones.append(phone)
            print(f"joined:     {len(phones)} phones in {time.monotonic() - started:.1f} s")

            for move in range(options.moves):
                step = move + 1
                for index, phone in enumerate(phones):
                    settle(phone)
                    phone.locator("textarea").first.fill(f"Phone {index}, step {step}")
                    phone.get_by_role("radiogroup").first.get_by_role(
                        "radio", name="3", exact=True
                    ).click()
                    pressed = time.monotonic()
                    phone.get_by_role("button", name="Save answers").click()
                    expect(phone.get_by_text(re.compile(r"^Saved 1 answer"))).to_be_visible()
                    saves.append(time.monotonic() - pressed)
                for phone in phones:  # gone after a reload: tells who the watchdog reloaded
                    phone.evaluate("() => { window.__wbBench = true; }")
                console.get_by_role("button", name="Next step").click()
                room_line = console.get_by_text(re.compile(rf"^Room is on Step {step + 1} of"))
                expect(room_line).to_be_visible()
                moved = time.monotonic()
                arrived: dict[int, float] = {}
                title = lessons[step].title  # the lesson the room moved to
                # Look at every phone in turn, again and again, until all show the new step.
                while len(arrived) < len(phones) and time.monotonic() - moved < FOLLOW_SECONDS:
                    for index, phone in enumerate(phones):
                        heading = phone.get_by_role("heading", name=title, level=1)
                        if index not in arrived and heading.count():
                            arrived[index] = time.monotonic() - moved
                    time.sleep(0.05)
                for index, phone in enumerate(phones):
                    if index not in arrived:
                        picture = folder / f"missed-phone{index}-step{step + 1}.png"
                        phone.screenshot(path=str(picture), full_page=True)
                        shows = " / ".join(
                            phone.locator("[data-testid='stProgress']").all_inner_texts()
                            + phone.locator("h1").all_inner_texts()
                            + [
                                str(
                                    phone.locator(".wb-page-step").first.get_attribute("data-step")
                                ),
                                str(
                                    phone.locator(".wb-room-beat").first.get_attribute("data-step")
                                ),
                                str(phone.locator("[data-stale='true']").count()),
                            ]
                        )
                        missed.append(
                            f"phone {index} did not reach step {step + 1}: it shows"
                            f" {shows!r}, reloaded: "
                            f"{phone.evaluate('() => window.__wbBench === undefined')}"
                            f" ({picture})"
                        )
                    else:
                        # Looked at once the page has finished drawing, as a person reads it
                        # (mid-run, Streamlit may not have drawn every element yet).
                        settle(phone)
                        if not phone.locator("[data-testid='stProgress']").count():
                            no_progress.append(f"phone {index} at step {step + 1}")
                        if phone.evaluate("() => window.__wbBench === undefined"):
                            why = phone.evaluate("() => sessionStorage.getItem('wb-watchdog-why')")
                            reloaded.append(
                                f"phone {index} at step {step + 1} after {arrived[index]:.1f} s"
                                f" ({why})"
                            )
                follows.extend(arrived.values())
            browser.close()
    finally:
        server.stop()
    print(f"save to 'Saved':   {spread(saves, 's')}")
    print(f"move to screen:    {spread(follows, 's')}")
    print(f"reloaded by the watchdog on the way: {len(reloaded)}")
    for line in reloaded[:20]:
        print("  ", line)
    print(f"on the new step without its progress bar (a Streamlit redraw glitch): {no_progress}")
    print(f"did not follow within {FOLLOW_SECONDS:.0f} s: {len(missed)}")
    for line in missed[:10]:
        print("  ", line)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
