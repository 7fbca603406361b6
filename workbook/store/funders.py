"""Aggregates for the funder view, computed in DuckDB, with small groups suppressed."""

from __future__ import annotations

from workbook.store.database import Database, Migration

MIGRATIONS: tuple[Migration, ...] = ()


class FunderQueries(Database):
    """Reads and writes of this concept (see the module docstring)."""
