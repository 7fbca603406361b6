"""Backups of the workbook's database, made while the app runs, and restoring one.

    python -m workbook.backup create [--to FILE] [--wait SECONDS]
    python -m workbook.backup restore FILE [--yes]
    python -m workbook.backup list

DuckDB lets one process open the file, and a running app holds it, so `create` cannot simply
open it. Instead it leaves a request in `<WORKBOOK_BACKUP_DIR>/requests/`, and the app's backup
watcher (a thread started with the app's store, see `start_watcher`) makes the copy from inside
the app: one `COPY FROM DATABASE` in a read transaction, a consistent snapshot of every table,
while participants keep saving. The command waits for the app's answer and prints where the
copy is. When no app holds the file, the command opens it itself and copies it the same way.

`restore` replaces the database file with a backup. It refuses while an app holds the file
(stop the app first), checks the backup is a workbook database, keeps the current file in the
backup folder, and opens the restored file once to prove it works.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from pydantic import ValidationError

from workbook.config import get_settings, is_database_url, setting_problems
from workbook.store import MIGRATIONS, Store, StoreError, StoreLockedError
from workbook.store.file_copy import SUMMARY_TABLES, copy_database, describe_database

_LOG = logging.getLogger(__name__)

REQUESTS = "requests"
WATCH_SECONDS = 0.5
DEFAULT_WAIT_SECONDS = 60.0
# The tables a backup is checked for; a file without them is not a workbook database.
REQUIRED_TABLES = SUMMARY_TABLES[:3]


RequestHandler = Callable[[dict[str, object]], dict[str, object]]


class BackupError(Exception):
    """A backup or restore that could not be done, said plainly."""


class AppRunningError(BackupError):
    """A restore refused because a running app holds the database file."""


def backup_name(now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"workbook-{stamp}-{secrets.token_hex(2)}.duckdb"


def requests_folder(backup_dir: Path) -> Path:
    return backup_dir / REQUESTS


def _write_json(path: Path, content: dict[str, object]) -> None:
    # Write then rename: the reader never sees half a file.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(content), encoding="utf-8")
    os.replace(partial, path)


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


# --- inside the app: the watcher -------------------------------------------------------------


class BackupWatcher:
    """A thread in the app that serves backup requests for its own database file.

    Every `WATCH_SECONDS` it looks for `<id>.json` in the requests folder; for a request naming
    this store's file it makes the copy and answers in `<id>.answer.json`. Requests for another
    file are left for the app that has that file open."""

    def __init__(
        self,
        store: Store,
        backup_dir: Path,
        *,
        every: float = WATCH_SECONDS,
        handlers: dict[str, RequestHandler] | None = None,
    ) -> None:
        self.store = store
        # Other commands that need the running app's file (e.g. `python -m workbook.release`)
        # leave requests with a "kind"; a backup request has none.
        self.handlers = dict(handlers or {})
        self.folder = requests_folder(Path(backup_dir))
        self.every = every
        self.served = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="workbook-backups", daemon=True)

    def start(self) -> BackupWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.serve_pending()
            except Exception:  # noqa: BLE001 - the watcher must outlive any one bad request
                _LOG.exception("backup watcher: a request failed")

    def serve_pending(self) -> int:
        """Serve every pending request for this store's file; return how many."""
        if not self.folder.is_dir() or self.store.path is None:
            return 0  # (on PostgreSQL every command reaches the server itself)
        served = 0
        for request_path in sorted(self.folder.glob("*.json")):
            if request_path.name.endswith(".answer.json"):
                continue
            try:
                request = json.loads(request_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being written, or not ours to read: look again next time
            if not isinstance(request, dict) or not _same_file(
                str(request.get("db", "")), self.store.path
            ):
                continue
            answer_path = request_path.with_name(request_path.stem + ".answer.json")
            kind = str(request.get("kind", "backup"))
            if kind == "backup":
                answer = self._copy(Path(str(request.get("destination", ""))))
            elif kind in self.handlers:
                try:
                    answer = self.handlers[kind](request)
                except Exception as error:  # noqa: BLE001 - answer the command, keep watching
                    _LOG.exception("request %s failed", kind)
                    answer = {"ok": False, "message": f"The app could not do it: {error}"}
            else:
                answer = {"ok": False, "message": f"This app does not serve {kind!r} requests."}
            _write_json(answer_path, answer)
            request_path.unlink(missing_ok=True)
            served += 1
        self.served += served
        return served

    def _copy(self, destination: Path) -> dict[str, object]:
        if not destination.is_absolute():
            return {"ok": False, "message": "The request did not name a full path to copy to."}
        started = time.perf_counter()
        try:
            path = self.store.backup(destination)
        except (StoreError, duckdb.Error, OSError) as error:
            return {"ok": False, "message": f"The app could not make the copy: {error}"}
        return {
            "ok": True,
            "path": str(path),
            "seconds": round(time.perf_counter() - started, 3),
            "bytes": path.stat().st_size,
        }


def start_watcher(
    store: Store, backup_dir: Path, handlers: dict[str, RequestHandler] | None = None
) -> BackupWatcher:
    """Start serving backup (and `handlers`') requests for this store, once per process."""
    return BackupWatcher(store, backup_dir, handlers=handlers).start()


def ask_the_app(
    *, db: Path, backup_dir: Path, request: dict[str, object], wait: float
) -> dict[str, object]:
    """Leave `request` for the app that holds `db` and return its answer (a dict with "ok").
    Raises BackupError when no app answers within `wait` seconds."""
    folder = requests_folder(backup_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"The folder {folder} cannot be written to: {error}") from error
    request_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)
    request_path = folder / f"{request_id}.json"
    answer_path = folder / f"{request_id}.answer.json"
    _write_json(
        request_path,
        {**request, "db": str(db.resolve()), "requested_at": dt.datetime.now().isoformat()},
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if answer_path.exists():
            try:
                content = json.loads(answer_path.read_text(encoding="utf-8"))
            except ValueError:
                content = {"ok": False, "message": "The app's answer could not be read."}
            answer_path.unlink(missing_ok=True)
            return content
        time.sleep(0.1)
    request_path.unlink(missing_ok=True)
    raise BackupError(
        f"The database {db.name} is open in a running app, but the app did not answer "
        f"within {wait:.0f} s. Check that the app runs with the same WORKBOOK_DB and "
        f"WORKBOOK_BACKUP_DIR ({backup_dir}) as this command, and that it has been opened in a "
        "browser at least once since it started (the app opens its database on the first visit)."
    )


# --- the command ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    path: Path
    made_by: str  # "the running app" or "this command"


def create(
    *,
    db: Path,
    backup_dir: Path,
    destination: Path | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
) -> Backup:
    """Copy the database to `destination` (default: a dated file in the backup folder)."""
    db = db.resolve()
    target = (destination or (backup_dir / backup_name())).resolve()
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    if not db.exists():
        raise BackupError(f"There is no database at {db}, so there is nothing to back up.")
    try:
        con = duckdb.connect(str(db))
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise BackupError(f"The database at {db} could not be opened: {error}") from error
        return Backup(_ask_the_app(db=db, backup_dir=backup_dir, target=target, wait=wait), "app")
    try:
        copy_database(con.cursor(), target)
    except (StoreError, duckdb.Error, OSError) as error:
        raise BackupError(f"The copy could not be made: {error}") from error
    finally:
        con.close()
    return Backup(target, "command")


def _ask_the_app(*, db: Path, backup_dir: Path, target: Path, wait: float) -> Path:
    content = ask_the_app(
        db=db, backup_dir=backup_dir, request={"destination": str(target)}, wait=wait
    )
    if not content.get("ok"):
        raise BackupError(str(content.get("message", "The app could not make the copy.")))
    return Path(str(content["path"]))


@dataclass(frozen=True)
class Restored:
    path: Path
    kept: Path | None
    workshops: int
    answers: int


def check_backup(path: Path) -> dict[str, int]:
    """Row counts of a backup's main tables, or BackupError if it is not a workbook database."""
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise BackupError(f"{path} is not a DuckDB database file ({error}).") from error
    try:
        summary = describe_database(con)
        missing = [name for name in REQUIRED_TABLES if name not in summary]
        if missing:
            raise BackupError(
                f"{path} is not a workbook database: it has no {', '.join(missing)} table."
            )
        newest = max(m.version for m in MIGRATIONS)
        if summary["schema"] > newest:
            raise BackupError(
                f"{path} was made by a newer version of the app (schema {summary['schema']}; "
                f"this one knows up to {newest}). Restore it with that version."
            )
        return summary
    except duckdb.Error as error:
        raise BackupError(f"{path} could not be read as a workbook database ({error}).") from error
    finally:
        con.close()


def restore(*, backup: Path, db: Path, backup_dir: Path) -> Restored:
    """Replace the database file with `backup`; the current file is kept in `backup_dir`."""
    backup, db = backup.resolve(), db.resolve()
    if _same_file(backup, db):
        raise BackupError("That file is the database itself; choose a backup to restore.")
    check_backup(backup)
    kept: Path | None = None
    if db.exists():
        try:
            con = duckdb.connect(str(db))
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise AppRunningError(
                    f"The app is running and has {db} open, so it cannot be replaced now. "
                    "Stop the app (Ctrl+C where it runs), run this command again, then start "
                    "the app. Nothing was changed."
                ) from error
            raise BackupError(f"The current database {db} could not be opened: {error}") from error
        try:
            kept = copy_database(
                con.cursor(), backup_dir / f"before-restore-{backup_name()[len('workbook-') :]}"
            )
        except (StoreError, duckdb.Error, OSError) as error:
            raise BackupError(
                f"The current database could not be kept aside first ({error}); nothing was "
                "changed."
            ) from error
        finally:
            con.close()  # also checkpoints: the file no longer needs its write-ahead log
    db.parent.mkdir(parents=True, exist_ok=True)
    incoming = db.with_name(db.name + ".restoring")
    try:
        with backup.open("rb") as source, incoming.open("wb") as copy:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
            copy.flush()
            os.fsync(copy.fileno())
        # A log left beside the old file must never be replayed onto the restored one.
        db.with_name(db.name + ".wal").unlink(missing_ok=True)
        os.replace(incoming, db)
    except OSError as error:
        incoming.unlink(missing_ok=True)
        raise BackupError(f"The backup could not be copied into place: {error}") from error
    try:
        opened = Store(db)
    except StoreLockedError as error:
        raise BackupError(
            "The backup is in place, but an app opened the database while it was being "
            "restored. Stop every copy of the app and run this command again."
        ) from error
    try:
        summary = opened.summary()
    finally:
        opened.close()
    return Restored(
        db,
        kept,
        summary.get("workshops", 0),
        summary.get("reflections", 0) + summary.get("ratings", 0),
    )


def list_backups(backup_dir: Path) -> list[Path]:
    """DuckDB copies and pg_dump files in the backup folder, oldest name first."""
    if not backup_dir.is_dir():
        return []
    return sorted(
        p for pattern in ("*.duckdb", "*.dump") for p in backup_dir.glob(pattern) if p.is_file()
    )


def _print_backups(backup_dir: Path) -> None:
    found = list_backups(backup_dir)
    if not found:
        print(f"No backups in {backup_dir}.")
    for path in found:
        stat = path.stat()
        when = dt.datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        print(f"{when}  {stat.st_size / 1e6:8.1f} MB  {path}")


def _postgres_command(options: argparse.Namespace, url: str, backup_dir: Path) -> int:
    """On PostgreSQL every process reaches the server, so the command does the work itself:
    `create` runs pg_dump (one consistent snapshot while the app serves), `restore` says how
    with pg_restore (it never replaces a live database by itself)."""
    from workbook.store.postgres import dump_database

    if options.command == "create":
        target = options.to or backup_dir / backup_name().replace(".duckdb", ".dump")
        try:
            made = dump_database(url, Path(target))
        except (StoreError, OSError) as error:
            print(str(error), file=sys.stderr)
            return 1
        print(f"Backup written to {made} by pg_dump (restore it with pg_restore).")
        return 0
    if options.command == "restore":
        print(
            "On PostgreSQL, restore a backup with pg_restore into a new, empty database, then "
            "point WORKBOOK_DB at it and restart the app: createdb workbook_restored && "
            f"pg_restore --no-owner --dbname=workbook_restored {options.file} "
            "(the README, 'Where data lives, and backups'). Nothing was changed.",
            file=sys.stderr,
        )
        return 2
    _print_backups(backup_dir)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.backup",
        description="Back up the workbook's database while the app runs, or restore a backup.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="copy a consistent snapshot of the database")
    make.add_argument("--to", type=Path, help="file to write (default: a dated file)")
    make.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        help="seconds to wait for a running app to make the copy",
    )
    back = commands.add_parser("restore", help="replace the database with a backup")
    back.add_argument("file", type=Path)
    back.add_argument("--yes", action="store_true", help="do not ask before replacing")
    commands.add_parser("list", help="list the backups in the backup folder")
    options = parser.parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as error:
        print("\n".join(setting_problems(error)), file=sys.stderr)
        return 2
    backup_dir = Path(settings.backup_dir)
    if is_database_url(settings.db):
        return _postgres_command(options, settings.db, backup_dir)
    db = Path(settings.db)
    try:
        if options.command == "create":
            made = create(db=db, backup_dir=backup_dir, destination=options.to, wait=options.wait)
            who = (
                "the running app" if made.made_by == "app" else "this command (no app was running)"
            )
            print(f"Backup written to {made.path} by {who}.")
        elif options.command == "restore":
            counts = check_backup(options.file)
            if not options.yes:
                if not sys.stdin.isatty():
                    print("Add --yes to restore without being asked.", file=sys.stderr)
                    return 2
                reply = input(
                    f"Replace {db} with {options.file} ({counts.get('workshops', 0)} workshops)? "
                    "The current file is kept in the backup folder. [y/N] "
                )
                if reply.strip().lower() not in ("y", "yes"):
                    print("Nothing was changed.")
                    return 1
            done = restore(backup=options.file, db=db, backup_dir=backup_dir)
            print(
                f"Restored {done.path} from {options.file}: {done.workshops} workshops, "
                f"{done.answers} answers."
            )
            if done.kept:
                print(f"The database it replaced is kept as {done.kept}.")
        else:
            _print_backups(backup_dir)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 2 if isinstance(error, AppRunningError) else 1
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        raise SystemExit(main())
