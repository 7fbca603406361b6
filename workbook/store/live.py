"""The live room: where the facilitator has the room (its step, pacing, projector screen,
question in focus, timer), who follows it, and telling screens when it moves; and the live
room's tables (migrations 3, 7 and 8). Beside it: the questions' states
(workbook/store/live_items.py), the numbers the room sees (live_counts.py), sign-in waits
(sign_ins.py), projector links (projector_links.py), whole-workshop exports (exports.py), and
moderation of answers (moderation.py)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any

import duckdb

from workbook.i18n import N_
from workbook.live import (
    JOIN_SCREEN,
    PACINGS,
    PROMPT,
    RATING,
    STEP_SCREEN,
    Focus,
    Room,
    RoomSignal,
    Timer,
)
from workbook.store.database import Database, Migration, utc_now
from workbook.store.errors import NotFoundError, StoreError
from workbook.store.row_changes import RowUpsert

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        3,
        "live room",
        """
        -- One row per workshop once its facilitator has touched the room; no row means the
        -- defaults (join screen, first item in focus, no timer).
        CREATE TABLE live_rooms (
            workshop_id INTEGER PRIMARY KEY,
            screen VARCHAR NOT NULL,
            focus_kind VARCHAR,
            focus_id VARCHAR,
            timer_seconds INTEGER NOT NULL DEFAULT 0,
            timer_started_at TIMESTAMP,
            timer_paused_left INTEGER,
            -- Bumped when answers open or close, so participants' screens know to redraw.
            answers_version INTEGER NOT NULL DEFAULT 0,
            updated_at TIMESTAMP NOT NULL
        );
        -- Per prompt or rating statement of a lesson; no row means open and hidden.
        CREATE TABLE live_items (
            workshop_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            item_kind VARCHAR NOT NULL,
            item_id VARCHAR NOT NULL,
            answers_open BOOLEAN NOT NULL,
            revealed BOOLEAN NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (workshop_id, lesson_id, item_kind, item_id)
        );
        -- Moderation: answers kept out of the projector (and the summary). The answer itself
        -- stays stored; deleting the row restores it.
        CREATE TABLE hidden_answers (
            reflection_id BIGINT PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            hidden_at TIMESTAMP NOT NULL
        );
        -- Wrong facilitator keys in a row, per workshop, and until when the next try waits.
        CREATE TABLE facilitator_sign_ins (
            workshop_id INTEGER PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failure_at TIMESTAMP NOT NULL,
            blocked_until TIMESTAMP NOT NULL
        );
        -- The room step each participant's screen last followed (kept across reloads, so a
        -- reload does not pull someone back who looked ahead; a new room step does).
        CREATE TABLE room_followers (
            participant_id INTEGER PRIMARY KEY,
            seen_room_step INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        -- View-only links for the projector window, stored as SHA-256 of a random token.
        CREATE TABLE projector_links (
            token_hash VARCHAR PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL,
            revoked BOOLEAN NOT NULL
        );
        """,
    ),
    Migration(
        7,
        "sign-in waits per door",
        """
        -- Wrong keys in a row and until when the next try waits, per door: a workshop's
        -- console ('workshop:<id>') or the funder view ('funders'). Replaces the
        -- facilitator-only table, whose rows move over.
        CREATE TABLE sign_in_waits (
            door VARCHAR PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failure_at TIMESTAMP NOT NULL,
            blocked_until TIMESTAMP NOT NULL
        );
        INSERT INTO sign_in_waits
            SELECT 'workshop:' || workshop_id, failures, last_failure_at, blocked_until
            FROM facilitator_sign_ins;
        DROP TABLE facilitator_sign_ins;
        """,
    ),
    Migration(
        8,
        "results on phones and support for answers",
        """
        -- Per prompt or rating statement, how its results are shown; no row means on phones
        -- once revealed, answers newest first.
        CREATE TABLE live_item_views (
            workshop_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            item_kind VARCHAR NOT NULL,
            item_id VARCHAR NOT NULL,
            on_phones BOOLEAN NOT NULL,
            by_support BOOLEAN NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (workshop_id, lesson_id, item_kind, item_id)
        );
        -- One row per person supporting an answer (a second tap deletes it).
        CREATE TABLE answer_supports (
            reflection_id BIGINT NOT NULL,
            participant_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL,
            PRIMARY KEY (reflection_id, participant_id)
        );
        """,
    ),
    Migration(
        15,
        "a room the facilitator ended",
        """
        -- When the facilitator said the session is over (the console's "End the session");
        -- the room counts as ended while no change came after it (see room_ended).
        ALTER TABLE live_rooms ADD COLUMN ended_at TIMESTAMP;
        """,
    ),
)


_LOGGER = logging.getLogger(__name__)


# How old a shared room signal may be (seconds). Changes made through this store are seen at
# once (they drop the workshop's cached signal); the age only bounds anything else.
ROOM_SIGNAL_MAX_AGE = 1.0
# PostgreSQL: the channel on which room changes are announced to every app process.
ROOM_CHANNEL = "workbook_rooms"
_TIMER_ONLY = "timer"  # a notification's third word when only the room's timer changed


class RoomMovedError(StoreError):
    """A change made from a console that showed an older step of the room: refused, because
    another tab or device moved the room since (applying it would move the room backwards or
    change a step nobody is on)."""

    def __init__(self, current_step: int) -> None:
        self.current_step = current_step
        super().__init__(
            N_(
                "The room had already moved to Step {n} (from another tab or device); nothing "
                "was changed."
            ),
            n=current_step + 1,
        )


# A change made from a console carries the step that console showed (`at_step`); it applies
# only while the room is still on that step, checked in the statement that makes it.
STILL_ON_STEP = "EXISTS (SELECT 1 FROM workshops w WHERE w.id = ? AND w.current_step = ?)"


class LiveQueries(Database):
    """Reads and writes of the room itself (see the module docstring)."""

    # -- the room --

    def room(self, workshop_id: int) -> Room:
        row = self._one(
            "SELECT w.pacing, w.current_step, coalesce(r.screen, ?), r.focus_kind, r.focus_id,"
            " coalesce(r.timer_seconds, 0), r.timer_started_at, r.timer_paused_left,"
            " coalesce(r.answers_version, 0)"
            " FROM workshops w LEFT JOIN live_rooms r ON r.workshop_id = w.id WHERE w.id = ?",
            [JOIN_SCREEN, workshop_id],
        )
        if row is None:
            raise NotFoundError(N_("This workshop no longer exists."))
        focus = Focus(row[3], row[4]) if row[3] in (PROMPT, RATING) and row[4] else None
        return Room(
            workshop_id=workshop_id,
            pacing=row[0],
            current_step=int(row[1]),
            screen=row[2],
            focus=focus,
            timer=Timer(seconds=int(row[5]), started_at=row[6], paused_left=row[7]),
            answers_version=int(row[8]),
        )

    def room_changed_at(self, workshop_id: int) -> dt.datetime | None:
        """When the facilitator last changed the room (a move, a screen, a timer, a question
        opened or revealed); None if never."""
        row = self._one("SELECT updated_at FROM live_rooms WHERE workshop_id = ?", [workshop_id])
        return row[0] if row else None

    def room_ended(self, workshop_id: int) -> bool:
        """Whether the facilitator ended the session and has not changed the room since (a
        move, a screen, a timer or a question after the end starts it again)."""
        row = self._one(
            "SELECT ended_at IS NOT NULL AND ended_at >= updated_at FROM live_rooms"
            " WHERE workshop_id = ?",
            [workshop_id],
        )
        return bool(row and row[0])

    def end_room(self, *, workshop_id: int) -> None:
        """The facilitator says the session is over: groups may start a follow-up round at
        once (workbook/progress.py follow_up_refusal) instead of after the quiet hours."""
        now = utc_now()
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO live_rooms (workshop_id, screen, updated_at, ended_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id) DO UPDATE SET"
                " ended_at = excluded.ended_at, updated_at = excluded.updated_at",
                [workshop_id, JOIN_SCREEN, now, now],
            )
        )

    def room_signal(self, workshop_id: int) -> RoomSignal | None:
        """The one tiny read a participant's screen polls: pacing, step, answers version."""
        row = self._one(
            "SELECT w.pacing, w.current_step, coalesce(r.answers_version, 0)"
            " FROM workshops w LEFT JOIN live_rooms r ON r.workshop_id = w.id WHERE w.id = ?",
            [workshop_id],
        )
        return RoomSignal(row[0], int(row[1]), int(row[2])) if row else None

    def shared_room_signal(
        self, workshop_id: int, *, now: float | None = None
    ) -> RoomSignal | None:
        """The room signal as the screens of a live room poll it: at most one database read
        per workshop per ROOM_SIGNAL_MAX_AGE, however many screens poll (200 phones polling
        every 1.5 s would otherwise be 133 reads a second). The facilitator's moves go through
        this store and forget the cached signal, so they are seen on the next poll. `now`:
        seconds on `time.monotonic`'s clock (tests pass it, so they never wait or race)."""
        now = time.monotonic() if now is None else now
        cached = self._room_signals.get(workshop_id)
        if cached is not None and now - cached[0] < ROOM_SIGNAL_MAX_AGE:
            return cached[1]
        signal = self.room_signal(workshop_id)
        self._room_signals[workshop_id] = (now, signal)
        return signal

    @cached_property
    def _room_signals(self) -> dict[int, tuple[float, RoomSignal | None]]:
        return {}

    def on_room_change(
        self,
        listener: Callable[[int], object],
        timer_listener: Callable[[int], object] | None = None,
    ) -> None:
        """Call `listener(workshop_id)` after every change a room's screens must redraw for:
        a move, a change of pacing, answers opened or closed (`workbook.server.room_push` wakes
        the phones with it), and `timer_listener(workshop_id)` after a change of its timer
        alone (the phones redraw only their timer). On PostgreSQL also after such a change
        made by another process: each change is NOTIFYed on ROOM_CHANNEL, and one listener
        thread per process passes the workshop on (only a wake-up: the screens read the room
        afresh)."""
        self._room_listeners.append(listener)
        if timer_listener is not None:
            self._timer_listeners.append(timer_listener)
        if self.on_postgres and self._room_listener is None:
            self._room_listener = self._con.listen(ROOM_CHANNEL, self._room_notified)

    @cached_property
    def _room_listeners(self) -> list[Callable[[int], object]]:
        return []

    @cached_property
    def _timer_listeners(self) -> list[Callable[[int], object]]:
        return []

    _room_listener: Any = None

    @cached_property
    def _process_mark(self) -> str:
        return secrets.token_hex(6)  # tells this store's own notifications from others'

    def _room_notified(self, payload: str) -> None:
        workshop, sender, *kind = payload.split(" ")
        if sender != self._process_mark and workshop.isdigit():
            self._forget_room(int(workshop))
            self._wake_room(int(workshop), timer_only=kind == [_TIMER_ONLY])

    def _forget_room(self, workshop_id: int) -> None:
        self._room_signals.pop(workshop_id, None)
        super()._forget_room(workshop_id)

    def _room_changed(self, workshop_id: int, *, timer_only: bool = False) -> None:
        self._wake_room(workshop_id, timer_only=timer_only)
        if self.on_postgres:
            payload = f"{workshop_id} {self._process_mark}"
            try:
                self._con.notify(ROOM_CHANNEL, payload + (f" {_TIMER_ONLY}" if timer_only else ""))
            except Exception:
                _LOGGER.exception("the room change could not be announced to other processes")

    def _wake_room(self, workshop_id: int, *, timer_only: bool = False) -> None:
        # Read afresh, also for a timer: the phones' shared room read follows the signal's.
        self._room_signals.pop(workshop_id, None)
        for listener in self._timer_listeners if timer_only else self._room_listeners:
            try:
                listener(workshop_id)
            except Exception:  # the change is committed; a listener must not undo the page
                _LOGGER.exception("a room-change listener failed")

    def seen_room_step(self, participant_id: int) -> int | None:
        row = self._one(
            "SELECT seen_room_step FROM room_followers WHERE participant_id = ?", [participant_id]
        )
        return int(row[0]) if row else None

    def mark_room_seen(self, *, participant_id: int, room_step: int) -> None:
        now = utc_now()
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO room_followers VALUES (?, ?, ?) ON CONFLICT (participant_id)"
                " DO UPDATE SET seen_room_step = excluded.seen_room_step,"
                " updated_at = excluded.updated_at",
                [participant_id, room_step, now],
            )
        )

    def follow_room_step(
        self, *, participant_id: int, step: int | None, room_step: int | None
    ) -> None:
        """What a following phone records when it is brought along, in one write: the step it
        now shows (`step`, unless unchanged: None) and the room step it has seen (`room_step`,
        unless unchanged: None). When the room moves, 200 phones each made two writes, each
        its own wait for the writer's commit while the phone's run held a drawing place. As
        row changes, the phones that one batch of the writer holds cost one upsert per table
        together, not one each (DuckDB plans every upsert, however small: row_changes.py)."""
        now = utc_now()
        changes = []
        if step is not None:
            changes.append(_one_row("participant_steps", "step", participant_id, max(0, step), now))
        if room_step is not None:
            changes.append(
                _one_row("room_followers", "seen_room_step", participant_id, room_step, now)
            )
        self._write_rows(*changes)

    def forget_room_seen(self, *, participant_id: int) -> None:
        self._write(
            lambda cur: cur.execute(
                "DELETE FROM room_followers WHERE participant_id = ?", [participant_id]
            )
        )

    def _update_room(
        self,
        cur: duckdb.DuckDBPyConnection,
        workshop_id: int,
        assignments: str,
        params: list,
        *,
        at_step: int | None = None,
    ) -> None:
        """Change the room's row; with `at_step`, only while the room is on that step (else
        RoomMovedError, and nothing changed)."""
        cur.execute(
            "INSERT INTO live_rooms (workshop_id, screen, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (workshop_id) DO NOTHING",
            [workshop_id, JOIN_SCREEN, utc_now()],
        )
        condition, condition_params = "", []
        if at_step is not None:
            condition, condition_params = f" AND {STILL_ON_STEP}", [workshop_id, at_step]
        changed = cur.execute(
            f"UPDATE live_rooms SET {assignments}, updated_at = ? WHERE workshop_id = ?"
            f"{condition} RETURNING workshop_id",
            [*params, utc_now(), workshop_id, *condition_params],
        ).fetchone()
        if changed is None:
            self._refuse_stale(cur, workshop_id)

    @staticmethod
    def _refuse_stale(cur: duckdb.DuckDBPyConnection, workshop_id: int) -> None:
        """A conditional change found nothing to change: say why."""
        row = cur.execute(
            "SELECT current_step FROM workshops WHERE id = ?", [workshop_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(N_("This workshop no longer exists."))
        raise RoomMovedError(int(row[0]))

    def move_room(self, *, workshop_id: int, step: int, at_step: int | None = None) -> None:
        """Move the room to a step: participants who follow go there, the projector shows it,
        and the previous step's timer and focus are cleared. With `at_step` (the step the
        console showed), only if the room is still there: else RoomMovedError, nothing moved."""

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            condition, condition_params = "", []
            if at_step is not None:
                condition, condition_params = " AND current_step = ?", [at_step]
            found = cur.execute(
                f"UPDATE workshops SET current_step = ? WHERE id = ?{condition} RETURNING id",
                [max(0, step), workshop_id, *condition_params],
            ).fetchone()
            if found is None:
                self._refuse_stale(cur, workshop_id)
            self._update_room(
                cur,
                workshop_id,
                "screen = ?, focus_kind = NULL, focus_id = NULL, timer_seconds = 0,"
                " timer_started_at = NULL, timer_paused_left = NULL",
                [STEP_SCREEN],
            )

        self._write(work)
        self._room_changed(workshop_id)

    def set_screen(self, *, workshop_id: int, screen: str) -> None:
        if screen not in (JOIN_SCREEN, STEP_SCREEN):
            raise ValueError(f"unknown projector screen {screen!r}")
        self._write(lambda cur: self._update_room(cur, workshop_id, "screen = ?", [screen]))
        # The phones' "waiting to start" card comes or goes with it: wake them.
        self._room_changed(workshop_id)

    def set_focus(self, *, workshop_id: int, focus: Focus, at_step: int | None = None) -> None:
        self._write(
            lambda cur: self._update_room(
                cur,
                workshop_id,
                "screen = ?, focus_kind = ?, focus_id = ?",
                [STEP_SCREEN, focus.kind, focus.item_id],
                at_step=at_step,
            )
        )

    def set_pacing(self, *, workshop_id: int, pacing: str) -> None:
        if pacing not in PACINGS:
            raise ValueError(f"unknown pacing {pacing!r}")
        self._write(
            lambda cur: cur.execute(
                "UPDATE workshops SET pacing = ? WHERE id = ?", [pacing, workshop_id]
            )
        )
        self._room_changed(workshop_id)

    def set_timer(self, *, workshop_id: int, timer: Timer, at_step: int | None = None) -> None:
        """Store a timer worked out by `workbook.live` (start, pause, resume, add time, stop);
        with `at_step`, only while the room is on that step (else RoomMovedError)."""
        self._write(
            lambda cur: self._update_room(
                cur,
                workshop_id,
                "timer_seconds = ?, timer_started_at = ?, timer_paused_left = ?",
                [timer.seconds, timer.started_at, timer.paused_left],
                at_step=at_step,
            )
        )
        # The phones show the timer: wake their polls (not their pages) to draw it now.
        self._room_changed(workshop_id, timer_only=True)


def _one_row(
    table: str, column: str, participant_id: int, value: int, now: dt.datetime
) -> RowUpsert:
    """One participant's row of a (participant_id, <column>, updated_at) table, upserted."""
    return RowUpsert(
        table=table,
        key=("participant_id",),
        columns=("participant_id", column, "updated_at"),
        rows=((participant_id, value, now),),
        update=(column, "updated_at"),
    )
