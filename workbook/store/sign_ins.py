"""Signing in with a key: slowing down repeated wrong keys, per door, and checking a
facilitator's key for a workshop. A door is what a key opens: a workshop's console
(workbook.live.workshop_door) or the funder view (FUNDER_DOOR); both share this one mechanism.
The table (`sign_in_waits`) is made by workbook/store/live.py's migration 7."""

from __future__ import annotations

import datetime as dt

import duckdb

from workbook.keys import JOIN_CODE_LENGTH, key_matches, normalise_join_code
from workbook.live import (
    SIGN_IN_FAILURE_WINDOW,
    SignIn,
    sign_in_delay,
    waiting_sentence,
    workshop_door,
    wrong_key_sentence,
)
from workbook.store.database import Database, utc_now
from workbook.store.errors import WrongJoinCodeError


class SignInQueries(Database):
    """Waits after wrong keys, per door, and the facilitator's sign-in."""

    def door_wait(self, door: str, *, now: dt.datetime | None = None) -> int:
        """Whole seconds before this door accepts another key (0: try now)."""
        now = now or utc_now()
        row = self._one("SELECT blocked_until FROM sign_in_waits WHERE door = ?", [door])
        if row is None or row[0] <= now:
            return 0
        return max(1, int((row[0] - now).total_seconds() + 0.999))

    def record_wrong_key(self, door: str, *, now: dt.datetime | None = None) -> int:
        """Count a wrong key at a door; return the seconds the next try must wait."""
        now = now or utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            row = cur.execute(
                "SELECT failures, last_failure_at FROM sign_in_waits WHERE door = ?", [door]
            ).fetchone()
            failures = 0
            if row is not None and now - row[1] <= SIGN_IN_FAILURE_WINDOW:
                failures = int(row[0])
            failures += 1
            delay = sign_in_delay(failures)
            cur.execute(
                "INSERT INTO sign_in_waits VALUES (?, ?, ?, ?) ON CONFLICT (door)"
                " DO UPDATE SET failures = excluded.failures,"
                " last_failure_at = excluded.last_failure_at,"
                " blocked_until = excluded.blocked_until",
                [door, failures, now, now + dt.timedelta(seconds=delay)],
            )
            return delay

        return self._write(work)

    def clear_wrong_keys(self, door: str) -> None:
        self._write(lambda cur: cur.execute("DELETE FROM sign_in_waits WHERE door = ?", [door]))

    def sign_in_wait(self, *, workshop_id: int, now: dt.datetime | None = None) -> int:
        return self.door_wait(workshop_door(workshop_id), now=now)

    def record_sign_in_failure(self, *, workshop_id: int, now: dt.datetime | None = None) -> int:
        return self.record_wrong_key(workshop_door(workshop_id), now=now)

    def clear_sign_in_failures(self, *, workshop_id: int) -> None:
        self.clear_wrong_keys(workshop_door(workshop_id))

    def facilitator_sign_in(
        self, *, join_code: str, key: str, now: dt.datetime | None = None
    ) -> SignIn:
        """Check a facilitator key for a workshop: constant-time against its scrypt hash, and
        refused without checking while the workshop is waiting after repeated wrong keys."""
        code = normalise_join_code(join_code)
        row = None
        if len(code) == JOIN_CODE_LENGTH:
            row = self._one(
                "SELECT id, facilitator_key_hash FROM workshops WHERE join_code = ?", [code]
            )
        if row is None:
            wrong = WrongJoinCodeError((join_code or "")[:40])
            return SignIn(None, str(wrong), typed_code=wrong.typed)
        workshop_id, stored = int(row[0]), str(row[1])
        wait = self.sign_in_wait(workshop_id=workshop_id, now=now)
        if wait:
            return SignIn(None, waiting_sentence(wait), wait)
        if not key_matches(key or "", stored):
            wait = self.record_sign_in_failure(workshop_id=workshop_id, now=now)
            return SignIn(None, wrong_key_sentence(wait), wait)
        self.clear_sign_in_failures(workshop_id=workshop_id)
        return SignIn(workshop_id)
