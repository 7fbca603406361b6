"""Copying a whole database file while the app serves (a consistent snapshot, complete or
absent) and describing one (its schema version and the row counts of its main tables): what
`Database.backup`, `Database.summary` and `python -m workbook.backup` use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import duckdb

from workbook.store.errors import StoreError
from workbook.store.writer import rollback_quietly


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
            rollback_quietly(cur)
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
    tables = {
        row[0]
        for row in cur.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_catalog = current_database()"
        ).fetchall()
    }
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
