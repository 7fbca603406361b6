"""The workshop's language: the one its projector speaks and its participants start in
(each may switch their own phone; that choice stays in their session, not here). A workshop
without a row speaks English, so every workshop made before languages keeps working."""

from __future__ import annotations

import threading
from functools import cached_property

from workbook.i18n import DEFAULT, supported
from workbook.store.database import Database, Migration

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        13,
        "workshop languages",
        """
        -- One row per workshop whose language was set (ISO 639-1: 'da'); none: English.
        -- No foreign key, like the other tables: DuckDB refuses updates of a referenced row.
        CREATE TABLE workshop_languages (
            workshop_id INTEGER PRIMARY KEY,
            language VARCHAR NOT NULL
        );
        """,
    ),
)


class LanguageQueries(Database):
    """Every run of every phone asks for its workshop's language: the answers are kept in
    memory by this store; a change made by another process (PostgreSQL) is forgotten when its
    notification arrives."""

    @cached_property
    def _languages(self) -> dict[int, str]:
        return {}

    @cached_property
    def _languages_lock(self) -> threading.Lock:
        return threading.Lock()

    def workshop_language(self, workshop_id: int) -> str:
        with self._languages_lock:
            known = self._languages.get(workshop_id)
        if known is not None:
            return known
        row = self._one(
            "SELECT language FROM workshop_languages WHERE workshop_id = ?", [workshop_id]
        )
        language = supported(row[0]) if row else DEFAULT
        with self._languages_lock:
            self._languages[workshop_id] = language
        return language

    def set_workshop_language(self, *, workshop_id: int, language: str) -> None:
        if supported(language) != language:
            raise ValueError(f"unknown language {language!r}")
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO workshop_languages VALUES (?, ?)"
                " ON CONFLICT (workshop_id) DO UPDATE SET language = excluded.language",
                [workshop_id, language],
            )
        )
        with self._languages_lock:
            self._languages[workshop_id] = language
        # The room's screens redraw in the new language; on PostgreSQL the other processes
        # are told too, and forget the language they kept (`_forget_room`).
        room_changed = getattr(self, "_room_changed", None)  # the live room, in Store
        if room_changed is not None:
            room_changed(workshop_id)

    def _forget_room(self, workshop_id: int) -> None:
        # Another process changed the room (PostgreSQL), perhaps its language: read it afresh.
        with self._languages_lock:
            self._languages.pop(workshop_id, None)
        super()._forget_room(workshop_id)
