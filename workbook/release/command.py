"""The release command's work: make and list releases, here or through the running app."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from pydantic import ValidationError

from workbook.backup import BackupError, RequestHandler, ask_the_app
from workbook.config import get_settings, is_database_url, setting_problems
from workbook.lessons import LessonSet, load_lessons
from workbook.release.budget import MAX_RELEASE_RHO, Budget, epsilon_text
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


def rho_problem(rho: float | None) -> str | None:
    """One plain sentence when a --rho cannot be spent by one release, else None."""
    if rho is None:
        return None
    lifetime = get_settings().privacy_lifetime_rho
    most = min(lifetime, MAX_RELEASE_RHO)
    if 0 < rho <= most:
        return None
    why = (
        f"more than a group may spend over all its releases (WORKBOOK_PRIVACY_LIFETIME_RHO is "
        f"{lifetime:g})"
        if rho > lifetime
        else "not a budget one release can spend"
    )
    return f"--rho {rho:g} is {why}: give a rho above 0 and at most {most:g}."


@dataclass(frozen=True)
class Outcome:
    """What a command did, as the lines it prints and whether it did all that was asked."""

    lines: tuple[str, ...]
    ok: bool = True

    def answer(self) -> dict[str, object]:
        return {"ok": True, "done": self.ok, "lines": list(self.lines)}


def make_periods(
    store: Store, lessons: LessonSet, *, periods: Sequence[int] | None, rho: float | None
) -> Outcome:
    """Make one release per period (default: every period with shared workshops and no
    release yet); one line per period saying what happened. Not ok when a period named was
    refused (nothing shared in it, or every group's budget spent)."""
    problem = rho_problem(rho)
    if problem is not None:
        return Outcome((problem,), ok=False)
    budget = budget_from_settings(rho)
    released = {r.period for r in store.release_records()}
    shared = [year for year, _ in store.release_periods()]
    chosen = list(periods) if periods else [year for year in shared if year not in released]
    if not chosen:
        if not shared:
            return Outcome(
                (
                    "No workshop shares its answers with the funder view yet, so there is "
                    "nothing to release. A facilitator chooses this when creating a workshop.",
                )
            )
        return Outcome(
            (
                f"Every year with shared workshops ({_years(shared)}) already has a release; "
                "name one with --period to release it again (its groups spend their "
                "budget again).",
            )
        )
    lines = []
    ok = True
    for period in chosen:
        try:
            made = make_release(store, lessons, period=period, budget=budget)
        except ReleaseRefused as error:
            lines.append(str(error))
            ok = False
            continue
        note = f"; {made.left_out} groups left out (budget spent)" if made.left_out else ""
        lines.append(
            f"Release {made.release_id} of {period}: rho {made.spent.rho:.3g} per group "
            f"({epsilon_text(made.spent.rho, made.spent.delta)}){note}."
        )
    return Outcome(tuple(lines), ok)


def _years(years: Sequence[int]) -> str:
    return ", ".join(str(year) for year in sorted(years))


def list_releases(store: Store) -> Outcome:
    records = store.release_records()
    if not records:
        return Outcome(("No releases yet. Make them with: python -m workbook.release make",))
    lines = ["release\tyear\tmade (UTC)\trho\tgroups (exact)"]
    for record in records:
        lines.append(
            f"{record.id}\t{record.period}\t{record.made_at:%Y-%m-%d %H:%M}\t"
            f"{record.rho:.3g}\t{record.groups_in}"
        )
    most, _ = store.most_spent()
    lines.append(
        "groups (exact): how many groups each release measured, exactly, for whoever runs this "
        "server: do not share them (the funder page shows only noisy counts)."
    )
    lines.append(
        f"Most any group has spent: rho {most:.3g} of {get_settings().privacy_lifetime_rho:g}."
    )
    return Outcome(tuple(lines))


def request_handlers(store: Store, lessons_dir: Path) -> dict[str, RequestHandler]:
    """The handlers the app's watcher serves for this command (the app holds the file)."""

    def make(request: dict[str, object]) -> dict[str, object]:
        periods = [int(p) for p in request.get("periods", []) or []]  # type: ignore[union-attr]
        rho = request.get("rho")
        return make_periods(
            store,
            load_lessons(lessons_dir),
            periods=periods,
            rho=float(rho) if rho is not None else None,  # type: ignore[arg-type]
        ).answer()

    def listed(request: dict[str, object]) -> dict[str, object]:
        del request
        return list_releases(store).answer()

    return {"release": make, "release_list": listed}


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
    listing = commands.add_parser("list", help="the releases made so far")
    listing.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS)
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as error:
        print("\n".join(setting_problems(error)), file=sys.stderr)
        return 2
    problem = rho_problem(getattr(args, "rho", None))
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    db = settings.db if is_database_url(settings.db) else Path(settings.db)
    if isinstance(db, Path) and not db.exists():
        print(f"There is no database at {db}: nothing to release yet.", file=sys.stderr)
        return 1
    try:
        store = Store(db)  # on PostgreSQL always: every process may open it
    except StoreLockedError:
        # The app holds the file: its watcher does the work and answers.
        request: dict[str, object] = (
            {"kind": "release", "periods": args.period or [], "rho": args.rho}
            if args.command == "make"
            else {"kind": "release_list"}
        )
        try:
            answer = ask_the_app(
                db=db, backup_dir=settings.backup_dir, wait=args.wait, request=request
            )
        except BackupError as ask_error:
            print(str(ask_error), file=sys.stderr)
            return 1
        if not answer.get("ok"):
            print(str(answer.get("message")), file=sys.stderr)
            return 1
        print("\n".join(str(line) for line in answer.get("lines", [])))  # type: ignore[union-attr]
        return 0 if answer.get("done", True) else 1
    except StoreError as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        if args.command == "list":
            outcome = list_releases(store)
        else:
            started = dt.datetime.now()
            lessons = load_lessons(settings.lessons_dir)
            outcome = make_periods(store, lessons, periods=args.period, rho=args.rho)
            seconds = (dt.datetime.now() - started).total_seconds()
            outcome = Outcome((*outcome.lines, f"({seconds:.1f} s)"), outcome.ok)
    except (ValueError, StoreError, duckdb.Error, *_postgres_errors()) as error:
        print(f"The release could not be made: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print("\n".join(outcome.lines))
    return 0 if outcome.ok else 1


def _postgres_errors() -> tuple[type[Exception], ...]:
    psycopg = sys.modules.get("psycopg")  # loaded only when the store is on PostgreSQL
    return (psycopg.Error,) if psycopg is not None else ()
