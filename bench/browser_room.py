"""A room of real browsers: N phones in headless Chromium follow the facilitator.

    .venv/bin/python bench/browser_room.py [--phones 20] [--moves 4]

Starts `streamlit run app.py` on a fresh database, creates a facilitated workshop and signs in
on the console in one Chromium context, then joins N phones (390x844, each its own context).
For each move, every phone saves an answer (typed, rated, "Save answers", until "Saved"
shows), then the facilitator presses "Next step" and the script times how long each phone
takes to show the new step without being touched. Prints p50/p95/max of both, how many
phones did not follow within 30 s, and what every stored answer count says. This is the
real-browser check of what `bench/load_room.py` does over the protocol for 200 sessions;
Chromium costs about 60-100 MB and some CPU per context, so a 2-core machine holds a few
dozen.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.conftest import CHROMIUM_ARGS, Server, free_port, settle  # noqa: E402

FOLLOW_TIMEOUT_MS = 30_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"p50 {statistics.median(values):6.2f} s  p95 {percentile(values, 0.95):6.2f} s"
        f"  max {max(values):6.2f} s  (n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/browser_room.py")
    parser.add_argument("--phones", type=int, default=20)
    parser.add_argument("--moves", type=int, default=4)
    options = parser.parse_args()
    chromium = os.environ.get("WORKBOOK_CHROMIUM", "/usr/bin/chromium")
    print(
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()};"
        f" {options.phones} phones, {options.moves} moves"
    )
    folder = Path(tempfile.mkdtemp(prefix="browser-room-"))
    server = Server(folder / "room.duckdb", free_port())
    saves: list[float] = []
    follows: list[float] = []
    missed: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                headless=True, args=CHROMIUM_ARGS, executable_path=chromium
            )
            console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            console.set_default_timeout(60_000)
            console.goto(server.url + "/")
            console.get_by_role("tab", name="Start a workshop").click()
            console.get_by_role("textbox", name="Workshop title").fill("Browser room")
            console.get_by_role("textbox", name="Cause or movement").fill("Bench")
            console.get_by_role("button", name="Create workshop").click()
            code = console.locator(".wb-code").inner_text()
            key = console.locator("[data-testid='stCode'] code").first.inner_text()
            console.goto(server.url + "/facilitator")
            console.get_by_role("textbox", name="Workshop code").fill(code)
            console.get_by_label("Facilitator key").fill(key)
            console.get_by_role("button", name="Sign in").click()
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
                console.get_by_role("button", name="Next step").click()
                expect(console.get_by_text(f"The room moved to step {step + 1}")).to_be_visible()
                moved = time.monotonic()
                arrived: dict[int, float] = {}
                for index, phone in enumerate(phones):
                    new_step = phone.get_by_text(re.compile(rf"^Step {step + 1} of"))
                    try:
                        expect(new_step).to_be_visible(timeout=FOLLOW_TIMEOUT_MS)
                        arrived[index] = time.monotonic() - moved
                    except AssertionError:
                        shows = phone.locator("[data-testid='stProgress']").first.inner_text()
                        status = phone.locator(".st-key-pacing_status").all_inner_texts()
                        missed.append(
                            f"phone {index} did not reach step {step + 1}: it shows"
                            f" {shows.strip()!r}, pacing line {status}"
                        )
                # Phones are checked one after another: a phone's time is when it was seen
                # on the new step, an upper bound on when it got there.
                follows.extend(arrived.values())
            browser.close()
    finally:
        server.stop()
    print(f"save to 'Saved':   {spread(saves)}")
    print(f"move to screen:    {spread(follows)}  (upper bounds: phones are looked at in turn)")
    print(f"did not follow within {FOLLOW_TIMEOUT_MS / 1000:.0f} s: {len(missed)}")
    for line in missed[:10]:
        print("  ", line)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
