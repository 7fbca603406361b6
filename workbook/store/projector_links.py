"""View-only links for the projector window: a random token per link, only its SHA-256
stored, current for 24 hours until revoked. The table (`projector_links`) is made by
workbook/store/live.py's migration 3."""

from __future__ import annotations

import datetime as dt
import secrets

from workbook.keys import token_hash
from workbook.store.database import Database, utc_now

PROJECTOR_LINK_LIFETIME = dt.timedelta(hours=24)


class ProjectorLinkQueries(Database):
    """Making, opening and revoking projector links."""

    def new_projector_link(self, *, workshop_id: int, now: dt.datetime | None = None) -> str:
        """A random view-only token for the projector window; only its SHA-256 is stored."""
        token = secrets.token_urlsafe(18)
        created = now or utc_now()
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO projector_links VALUES (?, ?, ?, false)",
                [token_hash(token), workshop_id, created],
            )
        )
        return token

    def projector_workshop(self, token: str, *, now: dt.datetime | None = None) -> int | None:
        """The workshop a projector token opens, if it is current (not revoked, < 24 h old)."""
        if not token or len(token) > 100:
            return None
        oldest = (now or utc_now()) - PROJECTOR_LINK_LIFETIME
        row = self._one(
            "SELECT workshop_id FROM projector_links WHERE token_hash = ? AND NOT revoked"
            " AND created_at > ?",
            [token_hash(token), oldest],
        )
        return int(row[0]) if row else None

    def revoke_projector_links(self, *, workshop_id: int) -> None:
        self._write(
            lambda cur: cur.execute(
                "UPDATE projector_links SET revoked = true WHERE workshop_id = ?", [workshop_id]
            )
        )
