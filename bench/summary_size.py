"""The one-file HTML summary's size for a generated workshop (default 6 groups x 5 people,
every prompt answered and every statement rated), and a screenshot of it opened from disk in
Chromium at 1280x900 with the network cut off.

    python bench/summary_size.py [--groups 6] [--people 5] [--out /tmp/summary.html]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.server import CHROMIUM_ARGS, chromium_executable  # noqa: E402
from harness.workshop import filled_workshop  # noqa: E402
from workbook import export, summary_html  # noqa: E402
from workbook.config import PROJECT_ROOT  # noqa: E402
from workbook.lessons import load_lessons  # noqa: E402
from workbook.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=6)
    parser.add_argument("--people", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("/tmp/summary.html"))
    parser.add_argument("--screenshot", type=Path, default=Path("/tmp/summary.png"))
    args = parser.parse_args()
    lessons = load_lessons(PROJECT_ROOT / "lessons")
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "summary.duckdb")
        try:
            workshop = filled_workshop(store, lessons, groups=args.groups, people=args.people)
            collected = export.collect(store, workshop_id=workshop.id, lessons=lessons)
        finally:
            store.close()
    page = summary_html.html_summary(collected)
    args.out.write_text(page, encoding="utf-8")
    people = args.groups * args.people
    print(
        f"{people} people, {len(collected.reflections.rows)} answers, "
        f"{len(collected.ratings.rows)} ratings: {len(page.encode()):,} bytes -> {args.out}"
    )

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        options: dict[str, object] = {"headless": True, "args": CHROMIUM_ARGS}
        if chromium_executable():
            options["executable_path"] = chromium_executable()
        browser = playwright.chromium.launch(**options)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        fetched: list[str] = []
        page_view = context.new_page()
        page_view.on("request", lambda r: fetched.append(r.url))
        page_view.goto(args.out.resolve().as_uri())
        page_view.screenshot(path=str(args.screenshot))
        browser.close()
    others = [url for url in fetched if not url.startswith("file:")]
    print(f"opened offline; requests other than the file: {others or 'none'} -> {args.screenshot}")


if __name__ == "__main__":
    main()
