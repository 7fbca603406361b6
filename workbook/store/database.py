"""The DuckDB database: one connection per process, one writer thread, numbered migrations.

Shape (after datasette's database.py): the process opens ONE DuckDB connection. Reads take a
fresh cursor from it per call, so each Streamlit session thread reads on its own cursor and
never waits for writers. Writes are tasks handed to ONE writer thread that owns the only
write cursor; it drains its queue and commits tasks in batches, so a burst of saves costs a
few commits instead of hundreds of conflicting ones. A caller's write returns only after its
task is committed (DuckDB syncs its write-ahead log at each commit, so an acknowledged write
survives the process being killed); if a batch fails, each task is retried alone so one bad
task cannot sink the others. All SQL lives in the `workbook.store` package and is parameterised.

Row changes (`RowUpsert`, `RowDelete`, written with `_write_rows`) are merged across the tasks
of a batch into one set-based statement per table: DuckDB spends about 2 ms planning each
upsert however small, so 200 forms of 7 answers cost 2 statements instead of 1,400.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import queue
import re
import secrets
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from workbook.keys import JOIN_CODE_LENGTH

T = TypeVar("T")

WRITE_BATCH_LIMIT = 256
_LOG = logging.getLogger(__name__)

# Idle read cursors kept for reuse (Database._reader); beyond this many, a returned one closes.
_MAX_IDLE_READERS = 16


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
    """No workshop has the code. The sentence never holds what was typed (it is user text and
    the page's message boxes read Markdown): the page shows `typed` beside it, as text."""

    def __init__(self, typed: str) -> None:
        self.typed = typed
        looks = f"a code is {JOIN_CODE_LENGTH} letters and digits, like ABC-234"
        if not typed.strip():
            sentence = f"No workshop has the code you typed: nothing was typed, and {looks}."
        else:
            sentence = (
                f"No workshop has the code you typed (shown below as typed): {looks}. "
                "Check it with your facilitator."
            )
        super().__init__(sentence)


class NotFoundError(StoreError):
    pass


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# A zero-width space separates words without showing a space: compared as a space.
_ZERO_WIDTH_SPACE = "\u200b"


def name_key(name: str) -> str:
    """How two group names are compared: ignoring case, spaces around and between words, and
    invisible format characters (zero-width joiners, bidi marks and controls, byte order
    marks; a zero-width space counts as a space). Names themselves keep them as typed (an
    emoji or a Persian name needs its joiners); only the comparison folds them, so
    "b group", " B group " and "B\u200bgroup" all name the group "B group"."""
    text = unicodedata.normalize("NFC", name).replace(_ZERO_WIDTH_SPACE, " ")
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.casefold().split())


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


# --- row changes, merged across a batch -----------------------------------------------------

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _identifiers(*names: str) -> None:
    # Table and column names are written into SQL (values never are): accept only plain ones.
    for name in names:
        if not _IDENTIFIER.fullmatch(name):
            raise ValueError(f"not a plain SQL identifier: {name!r}")


@dataclass(frozen=True)
class RowUpsert:
    """Rows to insert into `table`, or to update where a row with the same `key` exists.

    `columns` name the values of each row (the key columns among them). On a key conflict the
    `update` columns are overwritten, but only when one of `changed_when` differs (so resaving
    the same answer leaves its `updated_at` alone); with no `changed_when`, always. `id_column`
    is filled from `id_sequence` for new rows."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    update: tuple[str, ...] = ()
    changed_when: tuple[str, ...] = ()
    id_column: str | None = None
    id_sequence: str | None = None

    def __post_init__(self) -> None:
        _identifiers(self.table, *self.key, *self.columns, *self.update, *self.changed_when)
        _identifiers(*(name for name in (self.id_column, self.id_sequence) if name))
        if not set(self.key) <= set(self.columns) or not set(self.update) <= set(self.columns):
            raise ValueError("key and update columns must be among the row's columns")
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError("every row needs one value per column")

    @property
    def shape(self) -> tuple[Any, ...]:
        return (
            self.table,
            self.key,
            self.columns,
            self.update,
            self.changed_when,
            self.id_column,
            self.id_sequence,
        )

    def key_of(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(row[self.columns.index(name)] for name in self.key)


@dataclass(frozen=True)
class RowDelete:
    """Rows of `table` to delete, each named by its values of the `key` columns."""

    table: str
    key: tuple[str, ...]
    keys: tuple[tuple[Any, ...], ...]

    def __post_init__(self) -> None:
        _identifiers(self.table, *self.key)
        if any(len(values) != len(self.key) for values in self.keys):
            raise ValueError("every deleted row needs one value per key column")


RowChange = RowUpsert | RowDelete


def _apply_row_changes(cur: duckdb.DuckDBPyConnection, changes: Sequence[RowChange]) -> None:
    """Apply changes in order, as few statements as possible: per table and key, the last
    change to a row wins, then one upsert per row shape and one delete per table."""
    latest: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], Any]] = {}
    shapes: dict[tuple[Any, ...], RowUpsert] = {}
    for change in changes:
        rows_by_key = latest.setdefault((change.table, change.key), {})
        if isinstance(change, RowUpsert):
            shapes.setdefault(change.shape, change)
            for row in change.rows:
                key = change.key_of(row)
                rows_by_key.pop(key, None)  # re-insert so the dict keeps the latest order
                rows_by_key[key] = (change.shape, row)
        else:
            for key in change.keys:
                rows_by_key.pop(key, None)
                rows_by_key[key] = None
    for (table, key_columns), rows_by_key in latest.items():
        gone = [key for key, value in rows_by_key.items() if value is None]
        if gone:
            _delete_rows(cur, table, key_columns, gone)
        by_shape: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
        for value in rows_by_key.values():
            if value is not None:
                by_shape.setdefault(value[0], []).append(value[1])
        for shape, rows in by_shape.items():
            _upsert_rows(cur, shapes[shape], rows)


def _as_arrow_table(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> Any:
    import pyarrow  # comes with streamlit; imported here to keep `import workbook` light

    return pyarrow.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})


def _upsert_rows(
    cur: duckdb.DuckDBPyConnection, shape: RowUpsert, rows: Sequence[tuple[Any, ...]]
) -> None:
    # The rows go in as one Arrow table, so 1 row or 1,000 cost about the same (~5 ms);
    # values never touch the SQL text.
    alias = "incoming_" + secrets.token_hex(4)
    target = list(shape.columns)
    selected = list(shape.columns)
    if shape.id_column and shape.id_sequence:
        target.insert(0, shape.id_column)
        selected.insert(0, f"nextval('{shape.id_sequence}')")
    if shape.update:
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in shape.update)
        if shape.changed_when:
            action += " WHERE " + " OR ".join(
                f"{shape.table}.{c} IS DISTINCT FROM excluded.{c}" for c in shape.changed_when
            )
    else:
        action = "DO NOTHING"
    cur.register(alias, _as_arrow_table(shape.columns, rows))
    try:
        cur.execute(
            f"INSERT INTO {shape.table} ({', '.join(target)}) SELECT {', '.join(selected)}"
            f" FROM {alias} ON CONFLICT ({', '.join(shape.key)}) {action}"
        )
    finally:
        cur.unregister(alias)


def _delete_rows(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    key_columns: tuple[str, ...],
    keys: Sequence[tuple[Any, ...]],
) -> None:
    alias = "gone_" + secrets.token_hex(4)
    cur.register(alias, _as_arrow_table(key_columns, keys))
    try:
        match = " AND ".join(f"{table}.{c} = {alias}.{c}" for c in key_columns)
        cur.execute(f"DELETE FROM {table} USING {alias} WHERE {match}")
    finally:
        cur.unregister(alias)


# --- the single writer ----------------------------------------------------------------------


@dataclass
class _Task:
    work: Callable[[duckdb.DuckDBPyConnection], Any] | None
    future: Future[Any]
    changes: tuple[RowChange, ...] = field(default=())

    def run(self, cur: duckdb.DuckDBPyConnection) -> Any:
        if self.work is not None:
            return self.work(cur)
        _apply_row_changes(cur, self.changes)
        return None


class _Writer:
    """One thread owning the only write cursor; commits queued tasks in batches.

    A batch runs its tasks' work in queue order, then all their row changes merged, in one
    transaction. Any order of the tasks in one batch is a valid order: each caller waits for
    its own task, so no task in a batch can depend on another one of the same batch."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="workbook-writer", daemon=True)
        self.batches = 0
        self.tasks = 0
        self._thread.start()

    def submit(
        self,
        work: Callable[[duckdb.DuckDBPyConnection], T] | None,
        changes: tuple[RowChange, ...] = (),
    ) -> T:
        if not self._thread.is_alive():
            raise WriteFailedError("the database writer has stopped")
        task = _Task(work, Future(), changes)
        self._queue.put(task)
        return task.future.result()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._cursor.close()

    def _run(self) -> None:
        # Pay pyarrow's first-use cost (~0.3 s, once per process) now, not in the first burst.
        _as_arrow_table(("warm",), [(1,)])
        batch: list[_Task] = []
        try:
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
                batch = []
                if stopping:
                    return
        except BaseException as error:  # noqa: BLE001 - never leave a caller waiting forever
            _LOG.exception("the database writer stopped")
            self._fail_waiting(batch, error)
        finally:
            self._fail_waiting([], WriteFailedError("the database writer has stopped"))

    def _fail_waiting(self, batch: list[_Task], error: BaseException) -> None:
        waiting = list(batch)
        while True:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                waiting.append(task)
        for task in waiting:
            if not task.future.done():
                task.future.set_exception(
                    error if isinstance(error, Exception) else WriteFailedError(str(error))
                )

    def _commit(self, batch: list[_Task]) -> None:
        cur = self._cursor
        results: list[Any] = []
        try:
            cur.begin()
            for task in batch:
                results.append(task.work(cur) if task.work is not None else None)
            merged = [change for task in batch for change in task.changes]
            if merged:
                _apply_row_changes(cur, merged)
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
            result = task.run(cur)
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
            reason = _storage_problem(str(error)) or error.strerror or str(error)
            raise StoreUnavailableError(self.path, reason) from error
        try:
            self._con = duckdb.connect(str(self.path))
        except duckdb.IOException as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreLockedError(self.path) from error
            raise StoreUnavailableError(
                self.path, _storage_problem(message) or short_reason(message)
            ) from error
        try:
            with self._cursor() as cur:
                self.applied_migrations = _apply_migrations(cur, self.migrations)
        except duckdb.Error as error:
            self._con.close()
            raise StoreUnavailableError(
                self.path, _storage_problem(str(error)) or short_reason(str(error))
            ) from error
        self._writer = _Writer(self._con)
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._writer.stop()
            while not self._idle_readers.empty():
                self._idle_readers.get_nowait().close()
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

    @contextmanager
    def _reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one plain read, from a pool: opening a DuckDB cursor per query was a
        few per cent of a busy server's time. Only autocommit reads use it (no transaction
        is ever left open on a pooled cursor); a cursor whose query failed is closed, not
        pooled. Use `_cursor` for anything that begins a transaction or attaches a file."""
        try:
            cur = self._idle_readers.get_nowait()
        except queue.Empty:
            cur = self._con.cursor()
        try:
            yield cur
        except BaseException:
            cur.close()
            raise
        if self._closed or self._idle_readers.qsize() >= _MAX_IDLE_READERS:
            cur.close()
        else:
            self._idle_readers.put(cur)

    @cached_property
    def _idle_readers(self) -> queue.Queue[duckdb.DuckDBPyConnection]:
        return queue.Queue()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._reader() as cur:
            return cur.execute(sql, list(params)).fetchall()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._reader() as cur:
            return cur.execute(sql, list(params)).fetchone()

    def _write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run `work` on the writer's cursor in a transaction; return once it is committed."""
        return self._submit(work, ())

    def _write_rows(self, *changes: RowChange) -> None:
        """Apply row changes in one transaction, merged with other sessions' changes into
        set-based statements; return once committed. The way to write many small rows."""
        if changes:
            self._submit(None, changes)

    def _submit(
        self, work: Callable[[duckdb.DuckDBPyConnection], T] | None, changes: tuple[RowChange, ...]
    ) -> T:
        try:
            return self._writer.submit(work, changes)
        except StoreError:
            raise
        except duckdb.Error as error:
            storage = _storage_problem(str(error))
            if storage or isinstance(error, (duckdb.IOException, duckdb.FatalException)):
                reason = storage or short_reason(str(error))
                raise StoreUnavailableError(self.path, reason) from error
            raise WriteFailedError(short_reason(str(error))) from error

    def summary(self) -> dict[str, int]:
        """The schema version and row counts of the main tables (see `describe_database`)."""
        with self._cursor() as cur:
            return describe_database(cur)

    def backup(self, destination: Path) -> Path:
        """Copy a consistent snapshot of the whole database to a new DuckDB file.

        Runs on its own cursor while the app keeps serving (see `copy_database`)."""
        with self._cursor() as cur:
            return copy_database(cur, destination)


def copy_database(cur: duckdb.DuckDBPyConnection, destination: Path) -> Path:
    """Copy the cursor's database to a new file: a consistent snapshot, complete or absent.

    The copy runs in one read transaction, so it sees one committed state of every table
    while writers go on. It is written under a temporary name and renamed when complete, so a
    file with the destination's name is always a whole backup."""
    destination = Path(destination).resolve()
    if destination.exists():
        raise StoreError(f"{destination} already exists; choose a new file name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    alias = "backup_" + secrets.token_hex(4)
    source = _current_db(cur)
    try:
        cur.execute(f"ATTACH '{_sql_literal(str(partial))}' AS {alias}")
        try:
            cur.begin()
            cur.execute(f"COPY FROM DATABASE {source} TO {alias}")
            cur.commit()
        except BaseException:
            _rollback_quietly(cur)
            raise
        finally:
            cur.execute(f"DETACH {alias}")
        os.replace(partial, destination)
    except BaseException:
        for leftover in (partial, partial.with_name(partial.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return destination


# Tables whose rows a summary counts; a file without the first three is not a workbook database.
SUMMARY_TABLES = ("schema_migrations", "workshops", "participants", "reflections", "ratings")


def describe_database(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """{"schema": version, table: rows, ...} for the SUMMARY_TABLES the file has; a table it
    lacks is left out, so a caller can tell a workbook database from any other file."""
    tables = {row[0] for row in cur.execute("SHOW TABLES").fetchall()}
    summary: dict[str, int] = {}
    if "schema_migrations" in tables:
        row = cur.execute("SELECT max(version) FROM schema_migrations").fetchone()
        summary["schema"] = int(row[0]) if row and row[0] is not None else 0
    for table in SUMMARY_TABLES:
        if table in tables:
            # The name comes from SUMMARY_TABLES above, never from input.
            found = cur.execute(f"SELECT count(*) FROM {table}").fetchone()
            summary[table] = int(found[0]) if found else 0
    return summary


def _current_db(cur: duckdb.DuckDBPyConnection) -> str:
    row = cur.execute("SELECT current_database()").fetchone()
    assert row is not None
    return '"' + str(row[0]).replace('"', '""') + '"'


def _sql_literal(text: str) -> str:
    # ATTACH takes no parameters; the path is ours (not user input) but quote it anyway.
    return text.replace("'", "''")


def _storage_problem(message: str) -> str:
    """A plain reason when a write failed because of the disk, not the data; else ''."""
    lowered = message.lower()
    if "no space left" in lowered or "disk is full" in lowered:
        return "the disk it is on is full"
    if "file too large" in lowered:
        return "it has reached the largest file size this server allows"
    if any(
        sign in lowered
        for sign in ("read-only file system", "permission denied", "cannot open file")
    ):
        return "its folder cannot be written to"
    if "database has been invalidated" in lowered:
        return "an earlier disk error stopped it; restart the app once the disk is fixed"
    return ""


def short_reason(message: str) -> str:
    first = message.splitlines()[0] if message else "unknown error"
    return first[:200]
