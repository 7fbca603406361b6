"""Facilitators' resume links: a link that reopens one workshop's console on another visit or
device, without typing the facilitator key.

The link carries a random token (144 bits), never the key; only the token's SHA-256 is stored,
so a copied database or backup opens nothing. A workshop has at most one current resume link:
making a new one stops the old, and the facilitator can stop it from the console. A link
also stops after RESUME_LINK_LIFETIME.
"""

from __future__ import annotations

import datetime as dt
import secrets

import duckdb

from workbook.keys import token_hash
from workbook.store.database import Database, Migration, utc_now

RESUME_LINK_LIFETIME = dt.timedelta(days=30)
MAX_TOKEN_CHARS = 100

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        11,
        "facilitator resume links",
        """
        -- Links that reopen a workshop's console, stored as SHA-256 of a random token.
        CREATE TABLE resume_links (
            token_hash VARCHAR PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL,
            revoked BOOLEAN NOT NULL
        );
        """,
    ),
)


class ResumeQueries(Database):
    def new_resume_link(self, *, workshop_id: int, now: dt.datetime | None = None) -> str:
        """A new resume token for the workshop's console; any earlier one stops working."""
        token = secrets.token_urlsafe(18)
        created = now or utc_now()

        def write(cur: duckdb.DuckDBPyConnection) -> None:
            cur.execute(
                "UPDATE resume_links SET revoked = true WHERE workshop_id = ?", [workshop_id]
            )
            cur.execute(
                "INSERT INTO resume_links VALUES (?, ?, ?, false)",
                [token_hash(token), workshop_id, created],
            )

        self._write(write)
        return token

    def resume_workshop(self, token: str, *, now: dt.datetime | None = None) -> int | None:
        """The workshop a resume token opens, if it is current (not stopped, replaced or
        older than RESUME_LINK_LIFETIME), else None."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        oldest = (now or utc_now()) - RESUME_LINK_LIFETIME
        row = self._one(
            "SELECT r.workshop_id FROM resume_links r JOIN workshops w ON w.id = r.workshop_id"
            " WHERE r.token_hash = ? AND NOT r.revoked AND r.created_at > ?",
            [token_hash(token), oldest],
        )
        return int(row[0]) if row else None

    def revoke_resume_links(self, *, workshop_id: int) -> None:
        self._write(
            lambda cur: cur.execute(
                "UPDATE resume_links SET revoked = true WHERE workshop_id = ?", [workshop_id]
            )
        )
