"""The demo's command line: fill a database with demo workshops, make the funder releases of
their years, and say how to open the funder view on it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbook.config import PROJECT_ROOT, is_database_url
from workbook.demo.generator import DemoData, generate
from workbook.lessons import load_lessons

if TYPE_CHECKING:
    from workbook.store import Store

DEFAULT_DB = PROJECT_ROOT / "data" / "demo.duckdb"
DEMO_FUNDER_KEY = "demo"


def _shown_path(path: Path | str) -> str:
    """A file by its path under the project (if it is there); a PostgreSQL address without
    its password."""
    if is_database_url(str(path)):
        from workbook.store.postgres import shown_url

        return shown_url(str(path))
    path = Path(path)
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def open_command(db: Path | str) -> str:
    """The one command that opens the funder view on a demo database."""
    return (
        f"WORKBOOK_DB={_shown_path(db)} WORKBOOK_FUNDER_KEY={DEMO_FUNDER_KEY} "
        "bash scripts/run_app.sh"
    )


def _release(store: Store) -> list[str]:
    """Make the funder releases of every demo year, as the server's operator would."""
    from workbook.config import get_settings
    from workbook.release.command import make_periods

    lessons = load_lessons(get_settings().lessons_dir)
    return list(make_periods(store, lessons, periods=None, rho=None).lines)


def _plans_line(data: DemoData) -> str:
    """'Plans: 90 introduction-90, 160 full-day, 50 own; 75 workshops in Danish.'"""
    frames = {t.table: t.frame for t in data.tables}
    ids = [json.loads(text)["id"] for text in frames["workshop_plans"]["plan_json"]]
    counts = Counter("own" if i.startswith("demo-own-") else i for i in ids)
    danish = int((frames["workshop_languages"]["language"] == "da").sum())
    shown = ", ".join(f"{n:,} {plan}" for plan, n in sorted(counts.items(), key=lambda x: -x[1]))
    return f"Plans: {shown}; {danish:,} workshops in Danish."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.demo",
        description="Fill a database with labelled synthetic workshops for the funder view.",
    )
    parser.add_argument("--workshops", type=int, required=True, help="how many workshops")
    parser.add_argument(
        "--db",
        default=str(DEFAULT_DB),
        help=f"DuckDB file, or a postgresql:// address (default {_shown_path(DEFAULT_DB)})",
    )
    parser.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    parser.add_argument(
        "--replace", action="store_true", help="delete the file first if it already exists"
    )
    parser.add_argument(
        "--no-release",
        action="store_true",
        help="do not make the funder releases (python -m workbook.release make does it later)",
    )
    args = parser.parse_args(argv)
    if args.workshops < 1:
        parser.error("--workshops must be at least 1")

    from pydantic import ValidationError

    from workbook.config import get_settings, setting_problems
    from workbook.store import Store, StoreError

    try:
        get_settings()  # the releases read them; a wrong one is told before anything is written
    except ValidationError as error:
        print("\n".join(setting_problems(error)), file=sys.stderr)
        return 2

    db: Path | str = args.db if is_database_url(args.db) else Path(args.db)
    if args.replace:
        if not isinstance(db, Path):
            print(
                "--replace starts a DuckDB file afresh; it never empties a PostgreSQL "
                "database. Give the demo an empty database of its own (createdb) instead.",
                file=sys.stderr,
            )
            return 2
        for path in (db, db.with_name(db.name + ".wal")):
            path.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        store = Store(db)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        existing = store.workshop_count()
        if existing:
            print(
                f"{_shown_path(db)} already holds {existing:,} workshops. "
                + (
                    "Add --replace to start it afresh, or choose another file with --db."
                    if isinstance(db, Path)
                    else "Give the demo an empty database of its own with --db."
                ),
                file=sys.stderr,
            )
            return 1
        data = generate(args.workshops, seed=args.seed)
        built = time.perf_counter()
        store.bulk_load(data.tables)
        loaded = time.perf_counter()
        released = [] if args.no_release else _release(store)
    finally:
        store.close()
    print(
        f"Wrote {data.rows('workshops'):,} demo workshops to {_shown_path(db)} "
        f"(seed {args.seed}): {data.rows('groups'):,} groups, "
        f"{data.rows('participants'):,} participants, {data.rows('ratings'):,} ratings, "
        f"{data.rows('reflections'):,} reflections, {data.rows('map_measures'):,}"
        f" stakeholder maps in {loaded - started:.1f} s (built {built - started:.1f} s, "
        f"stored {loaded - built:.1f} s)."
    )
    print(_plans_line(data))
    for line in released:
        print(line)
    print(f"The facilitator key of every demo workshop: {data.facilitator_key}")
    print("Open the funder view on it (funder key: demo) with:")
    print(f"  {open_command(db)}")
    if not isinstance(db, Path):
        print("(with the database's password in place of ***)")
    print("then go to http://localhost:8501/funders")
    return 0
