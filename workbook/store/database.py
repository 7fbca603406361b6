"""The database: one connection per process, its readers, one writer, numbered migrations.

The embedded default is a DuckDB file; `WORKBOOK_DB=postgresql://...` puts PostgreSQL behind
the same functions (`workbook.store.postgres`: a pool of connections in place of the one
DuckDB connection, cursors that take the same calls, the same SQL).

Shape (after datasette's database.py): the process opens ONE DuckDB connection. Reads take a
cursor from it per call (from a small pool), so each Streamlit session thread reads on its own
cursor and never waits for writers. Writes are tasks handed to ONE writer thread
(`workbook.store.writer`) that commits them in batches; many small rows are written as row
changes (`workbook.store.row_changes`), merged across a batch. All SQL lives in the
`workbook.store` package and is parameterised.
"""

from __future__ import annotations

import datetime as dt
import queue
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from workbook.config import is_database_url as is_postgres_url
from workbook.store.errors import (
    NotFoundError,
    StoreError,
    StoreLockedError,
    StoreUnavailableError,
    WriteFailedError,
    WrongJoinCodeError,
    short_reason,
    storage_problem,
)
from workbook.store.file_copy import copy_database, describe_database
from workbook.store.row_changes import RowChange, RowDelete, RowUpsert
from workbook.store.writer import Writer

# Besides the base class, its migrations and its clock, this module re-exports what the
# concept modules have long imported from it; each lives in its own module (the errors in
# workbook.store.errors, row changes in workbook.store.row_changes).
__all__ = [
    "Database",
    "Migration",
    "NotFoundError",
    "RowDelete",
    "RowUpsert",
    "StoreError",
    "WriteFailedError",
    "WrongJoinCodeError",
    "utc_now",
]

T = TypeVar("T")


def _pg() -> Any:
    """workbook.store.postgres, imported on first use: a DuckDB deployment never loads
    psycopg (~50 ms of every start)."""
    from workbook.store import postgres

    return postgres


# Idle read cursors kept for reuse (Database._reader); beyond this many, a returned one closes.
_MAX_IDLE_READERS = 16


def utc_now() -> dt.datetime:
    """The store's clock: timestamps are stored as naive UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- migrations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def _apply_migrations(
    cur: Any, migrations: Sequence[Migration], ddl: Callable[[str], str] = str
) -> list[int]:
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
            cur.execute(ddl(migration.sql))
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


# --- the database --------------------------------------------------------------------------


class Database:
    """One DuckDB file: open once per process, share between threads, close at exit.

    The concept modules of this package add their queries as subclasses; `Store` combines
    them and lists every migration in `migrations`."""

    migrations: ClassVar[tuple[Migration, ...]] = ()

    def __init__(self, location: Path | str) -> None:
        """Open `location`: a DuckDB file's path, or a postgresql:// address."""
        self.path: Path | None = None  # the DuckDB file; None on PostgreSQL
        self.url: str | None = None  # the PostgreSQL address; None on DuckDB
        if is_postgres_url(location):
            self._open_postgres(str(location).strip())
        else:
            self._open_duckdb(Path(location))
        self._writer = Writer(self._con)
        self._closed = False

    @property
    def address(self) -> str:
        """Where the data is, as shown to people: the file's path, or the address without
        its password."""
        return _pg().shown_url(self.url) if self.url else str(self.path)

    @property
    def on_postgres(self) -> bool:
        return self.url is not None

    def _open_duckdb(self, path: Path) -> None:
        self.path = path
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = storage_problem(str(error)) or error.strerror or str(error)
            raise StoreUnavailableError(self.path, reason) from error
        try:
            self._con: Any = duckdb.connect(str(self.path))
        except duckdb.IOException as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreLockedError(self.path) from error
            raise StoreUnavailableError(
                self.path, storage_problem(message) or short_reason(message)
            ) from error
        try:
            with self._cursor() as cur:
                self.applied_migrations = _apply_migrations(cur, self.migrations)
        except duckdb.Error as error:
            self._con.close()
            raise StoreUnavailableError(
                self.path, storage_problem(str(error)) or short_reason(str(error))
            ) from error

    def _open_postgres(self, url: str) -> None:
        import psycopg

        self.url = url
        try:
            self._con = _pg().PgConnection(url)
        except Exception as error:
            raise self._unavailable(error) from error
        try:
            with self._cursor() as cur, self._con.migration_lock(cur):
                self.applied_migrations = _apply_migrations(
                    cur, self.migrations, _pg().postgres_ddl
                )
        except psycopg.Error as error:
            self._con.close()
            raise self._unavailable(error) from error

    def _unavailable(self, error: BaseException) -> StoreUnavailableError:
        if self.url is not None:
            return StoreUnavailableError(self.address, _pg().connection_reason(error), server=True)
        assert self.path is not None
        return StoreUnavailableError(
            self.path, storage_problem(str(error)) or short_reason(str(error))
        )

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
    def _cursor(self) -> Iterator[Any]:
        try:
            cur = self._con.cursor()
        except Exception as error:
            raise self._lost(error) from error
        try:
            yield cur
        except Exception as error:
            raise self._lost(error) from error
        finally:
            cur.close()

    def _lost(self, error: Exception) -> Exception:
        """On PostgreSQL, a lost or refused connection as the store's plain sentence; any other
        error as it is."""
        if self.url is not None and _pg().is_connection_error(error):
            return self._unavailable(error)
        return error

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        """A cursor for one plain read, from a pool: opening a DuckDB cursor per query was a
        few per cent of a busy server's time. Only autocommit reads use it (no transaction
        is ever left open on a pooled cursor); a cursor whose query failed is closed, not
        pooled. Use `_cursor` for anything that begins a transaction or attaches a file.
        On PostgreSQL the connection pool does the pooling: a read borrows a connection."""
        if self.url is not None:
            with self._cursor() as cur:
                yield cur
            return
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
        except Exception as error:
            if self.url is not None:
                if _pg().is_connection_error(error):
                    raise self._unavailable(error) from error
                if _pg().is_postgres_error(error):
                    raise WriteFailedError(short_reason(str(error))) from error
                raise
            if not isinstance(error, duckdb.Error):
                raise
            storage = storage_problem(str(error))
            if storage or isinstance(error, (duckdb.IOException, duckdb.FatalException)):
                reason = storage or short_reason(str(error))
                raise StoreUnavailableError(self.path, reason) from error
            raise WriteFailedError(short_reason(str(error))) from error

    def _forget_room(self, workshop_id: int) -> None:
        """Drop what this process keeps in memory about a room that another process changed
        (PostgreSQL: its notification arrived). Concept modules that keep something extend it."""

    @contextmanager
    def _analytics(self, tables: Sequence[str]) -> Iterator[Any]:
        """A DuckDB cursor for analytical reads over `tables` (the funder releases): the
        store's own reader on DuckDB; on PostgreSQL an in-memory DuckDB holding one snapshot
        of those tables, pulled through COPY into Arrow (`copy_into_duckdb`)."""
        if self.url is None:
            with self._reader() as cur:
                yield cur
            return
        try:
            local = _pg().copy_into_duckdb(self._con.pool, tables)
        except Exception as error:
            raise self._lost(error) from error
        try:
            yield local
        finally:
            local.close()

    def summary(self) -> dict[str, int]:
        """The schema version and row counts of the main tables (see `describe_database`)."""
        with self._cursor() as cur:
            return describe_database(cur)

    def backup(self, destination: Path) -> Path:
        """Copy a consistent snapshot of the whole database to a new DuckDB file.

        Runs on its own cursor while the app keeps serving (see `copy_database`). On
        PostgreSQL: pg_dump's custom format instead (see `dump_database`)."""
        if self.url is not None:
            return _pg().dump_database(self.url, destination)
        with self._cursor() as cur:
            return copy_database(cur, destination)
