"""The release command's work: make and list releases, here or through the running app."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb
from pydantic import ValidationError

from workbook.backup import BackupError, RequestHandler, ask_the_app
from workbook.config import get_settings, setting_problems
from workbook.lessons import LessonSet, load_lessons
from workbook.release.budget import Budget, epsilon_text
from workbook.release.make import ReleaseRefused, make_release
from workbook.store import Store, StoreError, StoreLockedError

DEFAULT_WAIT_SECONDS = 300.0


def budget_from_settings(rho: float | None = None) -> Budget:
    settings = get_settings()
    return Budget(
        rho=rho if rho is not None else settings.release_rho,
        lifetime_rho=settings.privacy_lifetime_rho,
        min_groups=settings.min_group_size,
    )


def make_periods(
    store: Store, lessons: LessonSet, *, periods: Sequence[int] | None, rho: float | None
) -> list[str]:
    """Make one release per period (default: every period with shared workshops and no
    release yet); return one line per period saying what happened."""
    budget = budget_from_settings(rho)
    released = {r.period for r in store.release_records()}
    chosen = (
        list(periods)
        if periods
        else [year for year, _ in store.release_periods() if year not in released]
    )
    if not chosen:
        return [
            "Every period with shared workshops already has a release; name one with "
            "--period to release it again (its groups spend their budget again)."
        ]
    lines = []
    for period in chosen:
        try:
            made = make_release(store, lessons, period=period, budget=budget)
        except ReleaseRefused as error:
            lines.append(str(error))
            continue
        note = f"; {made.left_out} groups left out (budget spent)" if made.left_out else ""
        lines.append(
            f"Release {made.release_id} of {period}: rho {made.spent.rho:.3g} per group "
            f"({epsilon_text(made.spent.rho, made.spent.delta)}){note}."
        )
    return lines


def list_releases(store: Store) -> list[str]:
    lines = []
    for record in store.release_records():
        lines.append(
            f"{record.id}\t{record.period}\t{record.made_at:%Y-%m-%d %H:%M}\t"
            f"rho {record.rho:.3g}\t{record.groups_in} groups"
        )
    most, _ = store.most_spent()
    lines.append(
        f"Most any group has spent: rho {most:.3g} of {get_settings().privacy_lifetime_rho:g}."
    )
    return lines


def _request_handler(store: Store, lessons_dir: Path) -> RequestHandler:
    def handle(request: dict[str, object]) -> dict[str, object]:
        periods = [int(p) for p in request.get("periods", []) or []]  # type: ignore[union-attr]
        rho = request.get("rho")
        lines = make_periods(
            store,
            load_lessons(lessons_dir),
            periods=periods,
            rho=float(rho) if rho is not None else None,  # type: ignore[arg-type]
        )
        return {"ok": True, "lines": lines}

    return handle


def request_handlers(store: Store, lessons_dir: Path) -> dict[str, RequestHandler]:
    """The handlers the app's watcher serves for this command."""
    return {"release": _request_handler(store, lessons_dir)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.release",
        description="Make or list the funder view's differentially private releases.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("make", help="measure one period (or every new one) and store it")
    make.add_argument("--period", type=int, action="append", help="a year (repeatable)")
    make.add_argument("--rho", type=float, help="zCDP rho per group for this release")
    make.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS)
    commands.add_parser("list", help="the releases made so far")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as error:
        print("\n".join(setting_problems(error)), file=sys.stderr)
        return 2
    db = Path(settings.db)
    if not db.exists():
        print(f"There is no database at {db}: nothing to release yet.", file=sys.stderr)
        return 1
    try:
        store = Store(db)
    except StoreLockedError as error:
        if args.command != "make":
            print(str(error), file=sys.stderr)
            return 1
        try:
            answer = ask_the_app(
                db=db,
                backup_dir=settings.backup_dir,
                wait=args.wait,
                request={"kind": "release", "periods": args.period or [], "rho": args.rho},
            )
        except BackupError as ask_error:
            print(str(ask_error), file=sys.stderr)
            return 1
        if not answer.get("ok"):
            print(str(answer.get("message")), file=sys.stderr)
            return 1
        print("\n".join(str(line) for line in answer.get("lines", [])))  # type: ignore[union-attr]
        return 0
    except StoreError as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        if args.command == "list":
            print("\n".join(list_releases(store)))
        else:
            started = dt.datetime.now()
            lessons = load_lessons(settings.lessons_dir)
            print("\n".join(make_periods(store, lessons, periods=args.period, rho=args.rho)))
            print(f"({(dt.datetime.now() - started).total_seconds():.1f} s)")
    except (ValueError, duckdb.Error) as error:
        print(f"The release could not be made: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0
