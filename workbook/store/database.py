"""The DuckDB database: one connection per process, one writer thread, numbered migrations.

Shape (after datasette's database.py): the process opens ONE DuckDB connection. Reads take a
fresh cursor from it per call, so each Streamlit session thread reads on its own cursor and
never waits for writers. Writes are tasks handed to ONE writer thread that owns the only
write cursor; it drains its queue and commits tasks in batches, so a burst of saves costs a
few commits instead of hundreds of conflicting ones. A caller's write returns only after its
task is committed; if a batch fails, each task is retried alone so one bad task cannot sink
the others. All SQL lives in the `workbook.store` package and is parameterised.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from workbook.keys import JOIN_CODE_LENGTH

T = TypeVar("T")

WRITE_BATCH_LIMIT = 128


# --- errors, with messages that say what to do next -----------------------------------------


class StoreError(Exception):
    """Something about the database that the person at the screen should be told plainly."""


class StoreLockedError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The workbook's database file ({path.name}) is already open in another copy of the "
            "app. Close that copy, or start this one with WORKBOOK_DB set to another file, "
            "then reload this page."
        )


class StoreUnavailableError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The workbook cannot use its database file ({path}): {reason}. Ask whoever runs "
            "the server to check the data folder is writable and the disk is not full. "
            "Nothing you typed has been lost: it is still on this page."
        )


class WriteFailedError(StoreError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            "Your answer was not saved: the database refused the write "
            f"({reason}). Nothing you typed has been lost: it is still on this page. "
            "Try again in a moment."
        )


class WrongJoinCodeError(StoreError):
    def __init__(self, code: str) -> None:
        shown = code if code else "(empty)"
        super().__init__(
            f"No workshop has the code {shown}. Check it with your facilitator: a code is "
            f"{JOIN_CODE_LENGTH} letters and digits, like ABC-234."
        )


class NotFoundError(StoreError):
    pass


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


# --- migrations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def _apply_migrations(cur: duckdb.DuckDBPyConnection, migrations: Sequence[Migration]) -> list[int]:
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = {row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()}
    done = []
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version in applied:
            continue
        cur.begin()
        try:
            cur.execute(migration.sql)
            cur.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, utc_now()],
            )
            cur.commit()
        except Exception:
            cur.rollback()
            raise
        done.append(migration.version)
    return done


# --- the single writer ----------------------------------------------------------------------


@dataclass
class _Task:
    work: Callable[[duckdb.DuckDBPyConnection], Any]
    future: Future[Any]


class _Writer:
    """One thread owning the only write cursor; commits queued tasks in batches."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="workbook-writer", daemon=True)
        self.batches = 0
        self.tasks = 0
        self._thread.start()

    def submit(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        if not self._thread.is_alive():
            raise WriteFailedError("the database writer has stopped")
        task = _Task(work, Future())
        self._queue.put(task)
        return task.future.result()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._cursor.close()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stopping = False
            while len(batch) < WRITE_BATCH_LIMIT:
                try:
                    task = self._queue.get_nowait()
                except queue.Empty:
                    break
                if task is None:
                    stopping = True
                    break
                batch.append(task)
            self._commit(batch)
            if stopping:
                return

    def _commit(self, batch: list[_Task]) -> None:
        cur = self._cursor
        results: list[Any] = []
        try:
            cur.begin()
            for task in batch:
                results.append(task.work(cur))
            cur.commit()
        except Exception:  # noqa: BLE001 - any failure: retry each task alone, below
            _rollback_quietly(cur)
            # Retry one by one, so one failing task cannot sink its neighbours.
            for task in batch:
                self._commit_alone(task)
            return
        self.batches += 1
        self.tasks += len(batch)
        for task, result in zip(batch, results, strict=True):
            task.future.set_result(result)

    def _commit_alone(self, task: _Task) -> None:
        cur = self._cursor
        try:
            cur.begin()
            result = task.work(cur)
            cur.commit()
        except Exception as error:  # noqa: BLE001 - every failure goes back to its caller
            _rollback_quietly(cur)
            task.future.set_exception(error)
            return
        self.batches += 1
        self.tasks += 1
        task.future.set_result(result)


def _rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # no transaction was open
        cur.rollback()


# --- the database --------------------------------------------------------------------------


class Database:
    """One DuckDB file: open once per process, share between threads, close at exit.

    The concept modules of this package add their queries as subclasses; `Store` combines
    them and lists every migration in `migrations`."""

    migrations: ClassVar[tuple[Migration, ...]] = ()

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailableError(self.path, error.strerror or str(error)) from error
        try:
            self._con = duckdb.connect(str(self.path))
        except duckdb.IOException as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreLockedError(self.path) from error
            raise StoreUnavailableError(self.path, short_reason(message)) from error
        try:
            with self._cursor() as cur:
                self.applied_migrations = _apply_migrations(cur, self.migrations)
        except duckdb.Error as error:
            self._con.close()
            raise StoreUnavailableError(self.path, short_reason(str(error))) from error
        self._writer = _Writer(self._con)
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._writer.stop()
            self._con.close()

    @property
    def schema_version(self) -> int:
        row = self._one("SELECT max(version) FROM schema_migrations")
        return int(row[0]) if row and row[0] is not None else 0

    # -- plumbing --

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchone()

    def _write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        try:
            return self._writer.submit(work)
        except StoreError:
            raise
        except duckdb.IOException as error:
            raise StoreUnavailableError(self.path, short_reason(str(error))) from error
        except duckdb.Error as error:
            raise WriteFailedError(short_reason(str(error))) from error

    def backup(self, destination: Path) -> Path:
        """Copy a consistent snapshot of the whole database to a new DuckDB file.

        Runs on its own cursor while the app keeps serving: the copy is one statement, so it
        sees one committed state of every table.
        """
        destination = Path(destination).resolve()
        if destination.exists():
            raise StoreError(f"{destination} already exists; choose a new file name.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        alias = "backup_" + secrets.token_hex(4)
        with self._cursor() as cur:
            source = _current_db(cur)
            cur.execute(f"ATTACH '{_sql_literal(str(destination))}' AS {alias}")
            try:
                cur.execute(f"COPY FROM DATABASE {source} TO {alias}")
            finally:
                cur.execute(f"DETACH {alias}")
        return destination


def _current_db(cur: duckdb.DuckDBPyConnection) -> str:
    row = cur.execute("SELECT current_database()").fetchone()
    assert row is not None
    return '"' + str(row[0]).replace('"', '""') + '"'


def _sql_literal(text: str) -> str:
    # ATTACH takes no parameters; the path is ours (not user input) but quote it anyway.
    return text.replace("'", "''")


def short_reason(message: str) -> str:
    first = message.splitlines()[0] if message else "unknown error"
    return first[:200]
