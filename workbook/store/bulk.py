"""Loading many rows at once (the demo data generator): frames in, one transaction, ids drawn
from the tables' sequences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from workbook.store.database import Database, Migration

# No schema of its own: it fills the tables the workshop and map modules create.
MIGRATIONS: tuple[Migration, ...] = ()

# Tables a bulk load may fill, with the sequence their `id` column draws from (None: no id).
BULK_TABLES: dict[str, str | None] = {
    "workshops": "workshop_ids",
    "groups": "group_ids",
    "participants": "participant_ids",
    "reflections": "answer_ids",
    "ratings": "answer_ids",
    "stakeholders": "stakeholder_ids",
    "stakeholder_ties": None,
    "map_measures": None,
    "workshop_plans": None,  # plans.py: the plan each workshop runs (JSON)
    "workshop_languages": None,  # languages.py: a workshop without a row speaks English
}


@dataclass(frozen=True)
class BulkTable:
    """Rows for one table, numbered locally from 0: `id` and every column in `references`
    hold local numbers, which the load turns into real ids drawn from the table's sequence."""

    table: str
    frame: pd.DataFrame
    references: Mapping[str, str] = field(default_factory=dict)  # column -> referenced table


class BulkQueries(Database):
    """Bulk loading of many rows at once (demo data), and the workshop count it reports."""

    def bulk_load(self, tables: Sequence[BulkTable]) -> dict[str, int]:
        """Append many rows in ONE transaction on the writer thread: each frame is scanned by
        DuckDB directly (INSERT ... SELECT), never inserted row by row. Returns the rows added
        per table. Tables must come after the tables they reference."""
        for item in tables:
            if item.table not in BULK_TABLES:
                raise ValueError(f"bulk_load cannot fill {item.table!r}")
            for target in item.references.values():
                if BULK_TABLES.get(target) is None:
                    raise ValueError(f"{item.table} cannot reference {target!r} by local number")

        def work(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
            drawn: dict[str, np.ndarray] = {}  # table -> the ids its local numbers stand for
            added: dict[str, int] = {}
            for item in tables:
                rows = len(item.frame)
                sequence = BULK_TABLES[item.table]
                if sequence is not None and rows:
                    # As many values as rows, in whatever order and with whatever gaps other
                    # writers leave (on PostgreSQL, other app processes draw from the same
                    # sequences): local number i stands for the i-th value drawn.
                    values = cur.execute(
                        f"SELECT nextval('{sequence}') AS id FROM generate_series(1, ?)", [rows]
                    ).df()
                    drawn[item.table] = values["id"].to_numpy(dtype=np.int64)
                frame = item.frame.copy(deep=False)
                for column in frame.columns:
                    target = item.table if column == "id" and sequence else None
                    target = item.references.get(str(column), target)
                    if target is not None and target in drawn:
                        frame[column] = drawn[target][frame[column].to_numpy(dtype=np.int64)]
                columns = [str(c) for c in frame.columns]
                quoted = ", ".join(f'"{c}"' for c in columns)
                view = f"bulk_{item.table}"
                cur.register(view, frame)
                try:
                    cur.execute(
                        f"INSERT INTO {item.table} ({', '.join(columns)})"
                        f" SELECT {quoted} FROM {view}"
                    ).fetchall()
                finally:
                    cur.unregister(view)
                added[item.table] = added.get(item.table, 0) + rows
            return added

        added = self._write(work)
        # Plans and languages are kept in memory once read (plans.py, languages.py): a
        # workshop read before this load must be read again.
        for table, kept in (
            ("workshop_plans", "_plans_cache"),
            ("workshop_languages", "_languages"),
        ):
            cache = getattr(self, kept, None) if table in added else None
            if cache is not None:
                cache.clear()
        return added

    def workshop_count(self) -> int:
        row = self._one("SELECT count(*) FROM workshops")
        return int(row[0]) if row else 0
