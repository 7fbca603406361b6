"""PostgreSQL behind the store's seam, chosen by `WORKBOOK_DB=postgresql://...`.

The concept modules keep their SQL, written once for both databases: `?` placeholders (and
`$name` ones with a dict of values), portable functions (`= ANY(?::INTEGER[])`,
`generate_series`, `array_agg`, `DISTINCT ON`). A `PgCursor` takes the few calls of a DuckDB
cursor the store makes (execute, fetch, begin/commit/rollback, register a frame) and turns the
placeholders into psycopg's (`%s`, `%(name)s`, a literal `%` doubled). Migrations name DuckDB's
types; `postgres_ddl` swaps the two PostgreSQL lacks. Connections come from a psycopg pool in
autocommit mode, so a plain read is its own transaction, as on DuckDB; the one writer thread
keeps its own connection and opens its transactions with `begin()`.

Errors: a connection that cannot be made or is lost becomes one plain sentence
(`connection_reason`), never a traceback."""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.numeric import FloatLoader
from psycopg_pool import ConnectionPool, PoolTimeout

_LOG = logging.getLogger(__name__)
POOL_SIZE = 12  # connections per process: readers at once, the writer, a backup
CONNECT_SECONDS = 5
# One lock key for migrations, so processes starting together migrate one at a time.
MIGRATION_LOCK = 4_212_019


def shown_url(url: str) -> str:
    """The address without its password, for sentences and logs."""
    try:
        parts = urlsplit(url.strip())
        query = re.sub(r"(?i)(password=)[^&]*", r"\1***", parts.query)
        if parts.password is None:
            return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the postgresql:// address in WORKBOOK_DB"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, query, ""))


def connection_reason(error: BaseException) -> str:
    """Why a connection failed or was lost, as a plain reason (psycopg's first line else)."""
    message = str(error)
    lowered = message.lower()
    database = re.search(r'database "([^"]*)" does not exist', message)
    role = re.search(r'role "([^"]*)" does not exist', message)
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return "the server refused the user name or password"
    if database:
        return f"the server has no database named {database.group(1)}"
    if role:
        return f"the server has no user named {role.group(1)}"
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return "no computer has that host name"
    if "timeout expired" in lowered or isinstance(error, PoolTimeout):
        return "the server did not answer in time"
    if any(
        sign in lowered
        for sign in ("connection refused", "no such file or directory", "is the server running")
    ):
        return "nothing answers at that address: is the PostgreSQL server running?"
    if any(
        sign in lowered
        for sign in ("invalid connection option", "invalid uri", 'missing "="', "invalid dsn")
    ):
        return "WORKBOOK_DB is not a valid postgresql:// address"
    if any(
        sign in lowered
        for sign in ("server closed the connection", "terminating connection", "connection is lost")
    ):
        return "the connection to the server was lost; it may have been restarted"
    if "too many" in lowered and "connection" in lowered:
        return "the server has no more connections to give"
    first = message.splitlines()[0] if message else type(error).__name__
    return first[:200]


def is_connection_error(error: BaseException) -> bool:
    """A failure of the server or the way to it, not of the statement."""
    return isinstance(error, (psycopg.OperationalError, PoolTimeout)) and not isinstance(
        error, psycopg.errors.QueryCanceled
    )


def is_postgres_error(error: BaseException) -> bool:
    return isinstance(error, psycopg.Error)


# --- SQL: placeholders and types ---------------------------------------------------------------

# Quoted text, quoted names and comments are copied as they are (only `%` doubled in them);
# `?` and `$name` outside them are placeholders.
_TOKENS = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|%|\$[A-Za-z_][A-Za-z0-9_]*|::"
)


@lru_cache(maxsize=4096)
def postgres_sql(sql: str, named: bool) -> str:
    """The statement with psycopg's placeholders: `?` -> `%s`, `$name` -> `%(name)s` when the
    values come as a dict, and every literal `%` doubled."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith("$"):
            return f"%({token[1:]})s" if named else token
        return token.replace("%", "%%")

    return _TOKENS.sub(swap, sql)


_DDL_TYPES = (
    (re.compile(r"\bTINYINT\b", re.IGNORECASE), "SMALLINT"),
    (re.compile(r"\bDOUBLE\b(?!\s+PRECISION)", re.IGNORECASE), "DOUBLE PRECISION"),
)


def postgres_ddl(sql: str) -> str:
    """A migration's DuckDB types in PostgreSQL's words (the rest of the DDL reads the same)."""
    for pattern, replacement in _DDL_TYPES:
        sql = pattern.sub(replacement, sql)
    return sql


# --- connections and cursors -------------------------------------------------------------------


def _configure(conn: psycopg.Connection[Any]) -> None:
    # avg() and sums of integers come back as numeric: read them as float, as DuckDB's do.
    conn.adapters.register_loader("numeric", FloatLoader)


def connect(url: str) -> psycopg.Connection[Any]:
    """One connection in autocommit mode (the store opens transactions itself)."""
    conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS)
    _configure(conn)
    return conn


def open_pool(url: str) -> ConnectionPool:
    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=POOL_SIZE,
        kwargs={"autocommit": True, "connect_timeout": CONNECT_SECONDS},
        configure=_configure,
        check=ConnectionPool.check_connection,
        timeout=30,
        name="workbook",
        open=False,
    )
    pool.open(wait=True, timeout=CONNECT_SECONDS * 2)
    return pool


class PgCursor:
    """The calls of a DuckDB cursor the store makes, on one PostgreSQL connection."""

    dialect = "postgres"

    def __init__(self, pool: ConnectionPool, conn: psycopg.Connection[Any] | None = None) -> None:
        self._pool = pool
        self._conn = conn if conn is not None else pool.getconn()
        self._cur = self._conn.cursor()

    # -- statements --

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> PgCursor:
        if params is None:
            self._cur.execute(sql)  # type: ignore[arg-type] - our own SQL text
        else:
            named = isinstance(params, dict)
            self._cur.execute(postgres_sql(sql, named), params)  # type: ignore[arg-type]
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cur.fetchall() if self._cur.description is not None else []

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cur.fetchone() if self._cur.description is not None else None

    @property
    def description(self) -> list[tuple[Any, ...]] | None:
        found = self._cur.description
        return None if found is None else [(c.name, c.type_code) for c in found]

    def df(self) -> Any:
        import pandas as pd

        names = [name for name, _ in self.description or []]
        return pd.DataFrame(self.fetchall(), columns=names)

    # -- transactions --

    def begin(self) -> None:
        if self._conn.broken or self._conn.closed:  # lost since the last one: take a fresh one
            self._renew()
        self._cur.execute("BEGIN")

    def commit(self) -> None:
        self._cur.execute("COMMIT")

    def rollback(self) -> None:
        if self._conn.broken or self._conn.closed:
            return  # the server rolled it back when the connection went
        self._cur.execute("ROLLBACK")

    def _renew(self) -> None:
        with contextlib.suppress(Exception):
            self._pool.putconn(self._conn)
        self._conn = self._pool.getconn()
        self._cur = self._conn.cursor()

    # -- frames as tables, like DuckDB's register --

    def register(self, name: str, frame: Any) -> None:
        """Make `frame` (pandas or Arrow) readable as table `name` until `unregister`: a
        temporary table filled through COPY (dropped at the latest when the transaction
        ends)."""
        import pyarrow as pa

        table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame)
        table = table.select([c for c in table.column_names if not c.startswith("__")])
        columns = ", ".join(
            f'"{c}" {_pg_type(table.schema.field(c).type)}' for c in table.column_names
        )
        self._cur.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")  # type: ignore[arg-type]
        listed = ", ".join(f'"{c}"' for c in table.column_names)
        with self._cur.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:  # type: ignore[arg-type]
            for row in zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True):
                copy.write_row(row)

    def unregister(self, name: str) -> None:
        if not (self._conn.broken or self._conn.closed):
            self._cur.execute(f"DROP TABLE IF EXISTS {name}")  # type: ignore[arg-type]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._cur.close()
        self._pool.putconn(self._conn)


def _pg_type(kind: Any) -> str:
    import pyarrow as pa

    if pa.types.is_boolean(kind):
        return "BOOLEAN"
    if pa.types.is_integer(kind):
        return "BIGINT"
    if pa.types.is_floating(kind):
        return "DOUBLE PRECISION"
    if pa.types.is_timestamp(kind):
        return "TIMESTAMP"
    if pa.types.is_date(kind):
        return "DATE"
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _pg_type(kind.value_type) + "[]"
    return "TEXT"


class Listener:
    """One thread per process on a connection of its own, LISTENing on one channel: each
    notification's payload goes to `deliver` (a notification only wakes; whoever is woken
    re-reads the database). A lost connection is made again, after a pause that grows to a
    few seconds; notifications sent meanwhile are lost, which the pages' slow poll covers."""

    def __init__(self, url: str, channel: str, deliver: Callable[[str], object]) -> None:
        self.url = url
        self.channel = channel
        self.deliver = deliver
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="workbook-listener", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pause = 0.2
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {self.channel}")  # type: ignore[arg-type]
                    self.listening.set()
                    pause = 0.2
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.25):
                            try:
                                self.deliver(note.payload)
                            except Exception:  # noqa: BLE001 - one bad listener must not stop it
                                _LOG.exception("a notification's listener failed")
            except psycopg.Error as error:
                self.listening.clear()
                if not self._stop.is_set():
                    _LOG.warning("room wake-ups: %s; listening again", connection_reason(error))
                    self._stop.wait(pause)
                    pause = min(pause * 2, 5.0)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class PgConnection:
    """The process's pool, shaped like the DuckDB connection the store holds, and its
    listeners."""

    def __init__(self, url: str) -> None:
        self.url = url
        # One connection first: its error says what is wrong (the pool only logs them).
        connect(url).close()
        self.pool = open_pool(url)
        self.listeners: list[Listener] = []

    def listen(self, channel: str, deliver: Callable[[str], object]) -> Listener:
        listener = Listener(self.url, channel, deliver)
        self.listeners.append(listener)
        return listener

    def notify(self, channel: str, payload: str) -> None:
        """Send a notification (delivered to every listener of every process, this one too)."""
        with self.pool.connection() as conn:
            conn.execute("SELECT pg_notify(%s, %s)", [channel, payload])

    def cursor(self) -> PgCursor:
        return PgCursor(self.pool)

    @contextmanager
    def migration_lock(self, cur: PgCursor) -> Iterator[None]:
        cur.execute("SELECT pg_advisory_lock(?)", [MIGRATION_LOCK]).fetchall()
        try:
            yield
        finally:
            cur.execute("SELECT pg_advisory_unlock(?)", [MIGRATION_LOCK]).fetchall()

    def close(self) -> None:
        for listener in self.listeners:
            listener.stop()
        self.pool.close()


# --- backups: pg_dump ----------------------------------------------------------------------------


def pg_dump_program() -> str | None:
    """pg_dump of the newest installed PostgreSQL (it must be at least the server's version)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_dump"),
        key=lambda p: int(re.search(r"/(\d+)/bin", p).group(1)),  # type: ignore[union-attr]
    )
    return found[-1] if found else shutil.which("pg_dump")


def dump_database(url: str, destination: Path) -> Path:
    """A consistent snapshot of the whole database in pg_dump's custom format (restore it with
    pg_restore), written under a temporary name and renamed when complete. pg_dump reads in
    one transaction while the app keeps serving. The password goes through the environment,
    never the command line."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from workbook.store.errors import StoreError

    program = pg_dump_program()
    if program is None:
        raise StoreError(
            "pg_dump is not installed on this machine; install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client) and try again."
        )
    destination = Path(destination).resolve()
    if destination.exists():
        raise StoreError(f"{destination} already exists; choose a new file name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    params = conninfo_to_dict(url)
    env = dict(os.environ)
    password = params.pop("password", None)
    if password:
        env["PGPASSWORD"] = str(password)
    done = subprocess.run(
        [program, "--format=custom", f"--file={partial}", f"--dbname={make_conninfo(**params)}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        reason = (done.stderr.strip().splitlines() or ["pg_dump failed"])[-1]
        raise StoreError(f"pg_dump could not copy the database: {reason[:300]}")
    os.replace(partial, destination)
    return destination


# --- analytics: PostgreSQL rows into DuckDB, through COPY and Arrow ---------------------------

_ARROW_TYPES = {
    "int2": "int16",
    "int4": "int32",
    "int8": "int64",
    "float8": "float64",
    "float4": "float32",
    "bool": "bool_",
    "varchar": "string",
    "text": "string",
    "timestamp": "timestamp",
    "_varchar": "list",
    "_text": "list",
}


def copy_into_duckdb(pool: ConnectionPool, tables: Sequence[str]) -> Any:
    """An in-memory DuckDB holding `tables` as they are in one snapshot of the PostgreSQL
    database (one REPEATABLE READ transaction): each pulled with COPY ... TO STDOUT in binary,
    turned into an Arrow table and stored in DuckDB, so analytical SQL (the funder releases)
    runs in DuckDB on both backends. Table names are the store's own, never input."""
    import duckdb
    import pyarrow as pa

    local = duckdb.connect()
    with pool.connection() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            for table in tables:
                columns = conn.execute(
                    "SELECT a.attname, a.atttypid::INTEGER, t.typname FROM pg_attribute a"
                    " JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = %s::regclass"
                    " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    [table],
                ).fetchall()
                names = [str(name) for name, _, _ in columns]
                kinds = [str(kind) for _, _, kind in columns]
                with conn.cursor().copy(
                    f"COPY {table} ({', '.join(names)}) TO STDOUT (FORMAT BINARY)"  # type: ignore[arg-type]
                ) as copy:
                    copy.set_types([int(oid) for _, oid, _ in columns])
                    rows = list(copy.rows())
                arrays = {
                    name: pa.array([row[i] for row in rows], type=_arrow_type(kinds[i]))
                    for i, name in enumerate(names)
                }
                local.register("incoming", pa.table(arrays))
                local.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming")
                local.unregister("incoming")
        finally:
            conn.execute("COMMIT")
    return local


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    name = _ARROW_TYPES.get(kind, "string")
    if name == "timestamp":
        return pa.timestamp("us")
    if name == "list":
        return pa.list_(pa.string())
    return getattr(pa, name)()
