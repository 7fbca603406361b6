"""How many quotes a funder release can publish under the quote rule (workbook/release/make.py
`_quote_sample`): demo workshops, every year released with the default budget, then the
quotes published over all years and the quotes each lesson shows with no filter.

    .venv/bin/python bench/quote_rule.py --workshops 200 2000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402
from workbook.config import PROJECT_ROOT  # noqa: E402
from workbook.demo.generator import generate  # noqa: E402
from workbook.lessons import load_lessons  # noqa: E402
from workbook.release.budget import Budget  # noqa: E402
from workbook.release.make import make_release  # noqa: E402
from workbook.release.view import Selection, load_view  # noqa: E402
from workbook.store import Store  # noqa: E402


def measure(workshops: int, seed: int) -> tuple[int, list[int]]:
    """(quotes published over all years, quotes shown per lesson with no filter)."""
    lessons = load_lessons(PROJECT_ROOT / "lessons")
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "quotes.duckdb")
        try:
            store.bulk_load(generate(workshops, seed=seed, lessons=lessons).tables)
            published = 0
            for period, _ in store.release_periods():
                made = make_release(store, lessons, period=period, budget=Budget())
                published += len(store.published_release(made.release_id).quotes)
            view = load_view(store, {}, Budget().lifetime_rho)
            shown = [
                len(view.quotes(Selection(), lesson.id) or [])
                for lesson in lessons.lessons
                if lesson.prompts
            ]
        finally:
            store.close()
    return published, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, nargs="+", default=[200])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(machine())
    print("| workshops | quotes published (all years) | shown per lesson, no filter |")
    print("| ---: | ---: | --- |")
    for workshops in args.workshops:
        published, shown = measure(workshops, args.seed)
        print(f"| {workshops:,} | {published} | {', '.join(str(n) for n in shown)} |", flush=True)


if __name__ == "__main__":
    main()
