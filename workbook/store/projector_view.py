"""How the projector shows the room, as the facilitator set it on the console: the text size
for the room and the page of the list on the screen (workbook/projector_pages.py). Kept on
the live room's row (live_rooms), read by the projector once a refresh."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from workbook.live import JOIN_SCREEN
from workbook.projector_pages import NORMAL, TEXT_SIZES
from workbook.store.database import Database, Migration, utc_now

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        10,
        "projector text size and pages",
        f"""
        -- The projector's text size for the room (smaller, normal, larger, largest) and the
        -- page of the list on its screen, with the step and question it was turned on
        -- ('<step>:<kind>:<item>'): another question or step starts on its first page.
        ALTER TABLE live_rooms ADD COLUMN projector_text_size VARCHAR NOT NULL
            DEFAULT '{NORMAL}';
        ALTER TABLE live_rooms ADD COLUMN projector_page INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE live_rooms ADD COLUMN projector_page_of VARCHAR;
        """,
    ),
)


@dataclass(frozen=True)
class ProjectorView:
    text_size: str = NORMAL
    page: int = 0
    page_of: str | None = None  # see workbook.projector_pages.page_key


class ProjectorViewQueries(Database):
    def projector_view(self, workshop_id: int) -> ProjectorView:
        row = self._one(
            "SELECT projector_text_size, projector_page, projector_page_of FROM live_rooms"
            " WHERE workshop_id = ?",
            [workshop_id],
        )
        if row is None:
            return ProjectorView()
        return ProjectorView(text_size=row[0], page=int(row[1]), page_of=row[2])

    def set_projector_text_size(self, *, workshop_id: int, size: str) -> None:
        if size not in TEXT_SIZES:
            raise ValueError(f"unknown projector text size {size!r}")
        self._write(lambda cur: self._set_view(cur, workshop_id, "projector_text_size = ?", [size]))

    def set_projector_page(self, *, workshop_id: int, page: int, page_of: str) -> None:
        """Turn the screen's list to `page` (0-based) for the screen named by `page_of`."""
        self._write(
            lambda cur: self._set_view(
                cur,
                workshop_id,
                "projector_page = ?, projector_page_of = ?",
                [max(0, page), page_of],
            )
        )

    @staticmethod
    def _set_view(
        cur: duckdb.DuckDBPyConnection, workshop_id: int, assignments: str, params: list
    ) -> None:
        cur.execute(
            "INSERT INTO live_rooms (workshop_id, screen, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (workshop_id) DO NOTHING",
            [workshop_id, JOIN_SCREEN, utc_now()],
        )
        cur.execute(
            f"UPDATE live_rooms SET {assignments}, updated_at = ? WHERE workshop_id = ?",
            [*params, utc_now(), workshop_id],
        )
