"""The live room: pacing, prompt states, moderation, timers, facilitator sign-in attempts."""

from __future__ import annotations

from workbook.store.database import Database, Migration

MIGRATIONS: tuple[Migration, ...] = ()


class LiveQueries(Database):
    """Reads and writes of this concept (see the module docstring)."""
