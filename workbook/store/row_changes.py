"""Row changes: rows to upsert or delete, merged across the tasks of a write batch into one
set-based statement per table. DuckDB spends about 2 ms planning each upsert however small, so
200 forms of 7 answers cost 2 statements instead of 1,400. Values go in as an Arrow table and
never touch the SQL text; table and column names must be plain identifiers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

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


def apply_row_changes(cur: Any, changes: Sequence[RowChange]) -> None:
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


def as_arrow_table(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> Any:
    import pyarrow  # comes with streamlit; imported here to keep `import workbook` light

    return pyarrow.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})


def _upsert_rows(cur: Any, shape: RowUpsert, rows: Sequence[tuple[Any, ...]]) -> None:
    # On DuckDB the rows go in as one Arrow table, so 1 row or 1,000 cost about the same
    # (~5 ms); on PostgreSQL as one multi-row VALUES list per chunk (its planning is cheap, and
    # each value takes its column's type). Values never touch the SQL text.
    target = list(shape.columns)
    selected = list(shape.columns)
    if shape.id_column and shape.id_sequence:
        target.insert(0, shape.id_column)
        selected.insert(0, f"nextval('{shape.id_sequence}')")
    action = _conflict_action(shape)
    if not isinstance(cur, duckdb.DuckDBPyConnection):
        placeholders = ", ".join(["?"] * len(shape.columns))
        with_id = len(selected) > len(shape.columns)
        row_sql = f"({selected[0]}, {placeholders})" if with_id else f"({placeholders})"
        for chunk in _chunks(rows, len(shape.columns)):
            cur.execute(
                f"INSERT INTO {shape.table} ({', '.join(target)}) VALUES "
                + ", ".join([row_sql] * len(chunk))
                + f" ON CONFLICT ({', '.join(shape.key)}) {action}",
                [value for row in chunk for value in row],
            )
        return
    alias = "incoming_" + secrets.token_hex(4)
    cur.register(alias, as_arrow_table(shape.columns, rows))
    try:
        cur.execute(
            f"INSERT INTO {shape.table} ({', '.join(target)}) SELECT {', '.join(selected)}"
            f" FROM {alias} ON CONFLICT ({', '.join(shape.key)}) {action}"
        )
    finally:
        cur.unregister(alias)


def _chunks(rows: Sequence[tuple[Any, ...]], width: int) -> list[Sequence[tuple[Any, ...]]]:
    # PostgreSQL takes at most 65,535 values in one statement.
    size = max(1, 30_000 // max(1, width))
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def _conflict_action(shape: RowUpsert) -> str:
    if shape.update:
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in shape.update)
        if shape.changed_when:
            action += " WHERE " + " OR ".join(
                f"{shape.table}.{c} IS DISTINCT FROM excluded.{c}" for c in shape.changed_when
            )
    else:
        action = "DO NOTHING"
    return action


def _delete_rows(
    cur: Any,
    table: str,
    key_columns: tuple[str, ...],
    keys: Sequence[tuple[Any, ...]],
) -> None:
    if not isinstance(cur, duckdb.DuckDBPyConnection):
        row_sql = "(" + ", ".join(["?"] * len(key_columns)) + ")"
        for chunk in _chunks(keys, len(key_columns)):
            cur.execute(
                f"DELETE FROM {table} WHERE ({', '.join(key_columns)}) IN (VALUES "
                + ", ".join([row_sql] * len(chunk))
                + ")",
                [value for key in chunk for value in key],
            )
        return
    alias = "gone_" + secrets.token_hex(4)
    cur.register(alias, as_arrow_table(key_columns, keys))
    try:
        match = " AND ".join(f"{table}.{c} = {alias}.{c}" for c in key_columns)
        cur.execute(f"DELETE FROM {table} USING {alias} WHERE {match}")
    finally:
        cur.unregister(alias)
