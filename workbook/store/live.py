"""The live room: pacing, prompt states, timers, facilitator sign-in attempts, projector
links, and the workshop-wide reads the console, projector and exports need. Moderation of
answers (hiding, approving, supporting, the room's reads of answers) is in
workbook/store/moderation.py."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

import duckdb

from workbook.keys import JOIN_CODE_LENGTH, key_matches, normalise_join_code, token_hash
from workbook.live import (
    JOIN_SCREEN,
    PACINGS,
    PROMPT,
    RATING,
    SIGN_IN_FAILURE_WINDOW,
    STEP_SCREEN,
    Distribution,
    Focus,
    GroupCount,
    GroupMean,
    ItemKind,
    ItemState,
    Room,
    RoomGroup,
    RoomSignal,
    SignIn,
    Timer,
    distribution,
    natural_key,
    sign_in_delay,
    waiting_sentence,
    workshop_door,
    wrong_key_sentence,
)
from workbook.store.database import (
    Database,
    Migration,
    NotFoundError,
    StoreError,
    WrongJoinCodeError,
    utc_now,
)
from workbook.store.moderation import ANSWER_STATUS, MODERATION_JOINS

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
)

_LOGGER = logging.getLogger(__name__)

PROJECTOR_LINK_LIFETIME = dt.timedelta(hours=24)

# How old a shared room signal may be (seconds). Changes made through this store are seen at
# once (they drop the workshop's cached signal); the age only bounds anything else.
ROOM_SIGNAL_MAX_AGE = 1.0

# The round each group is on now: the live room shows the answers of that round.
_CURRENT_ROUND = "JOIN groups g ON g.id = {table}.group_id AND {table}.round = g.current_round"


class RoomMovedError(StoreError):
    """A change made from a console that showed an older step of the room: refused, because
    another tab or device moved the room since (applying it would move the room backwards or
    change a step nobody is on)."""

    def __init__(self, current_step: int) -> None:
        self.current_step = current_step
        super().__init__(
            f"The room had already moved to Step {current_step + 1} (from another tab or "
            "device); nothing was changed."
        )


# A change made from a console carries the step that console showed (`at_step`); it applies
# only while the room is still on that step, checked in the statement that makes it.
_STILL_ON_STEP = "EXISTS (SELECT 1 FROM workshops w WHERE w.id = ? AND w.current_step = ?)"


class _ItemStates:
    """Open/closed and revealed states of a workshop's questions, per lesson, kept between
    changes. Only `set_item_state` changes them, in this process (one process per file). A
    generation number per lesson, bumped after each change is committed, tells a stale copy
    from a fresh one: a read that began before a change may return what it read, but never
    leaves it behind for the next reader."""

    MAX_LESSONS = 4096  # (workshop, lesson) pairs kept; all are dropped when it fills

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generations: dict[tuple[int, str], int] = {}
        self._states: dict[tuple[int, str], tuple[int, dict[tuple[str, str], ItemState]]] = {}

    def get(self, key: tuple[int, str]) -> tuple[int, dict[tuple[str, str], ItemState] | None]:
        """(the generation to store a fresh read under, the kept states if still current)."""
        with self._lock:
            generation = self._generations.get(key, 0)
            kept = self._states.get(key)
        if kept is not None and kept[0] == generation:
            return generation, kept[1]
        return generation, None

    def put(
        self, key: tuple[int, str], generation: int, states: dict[tuple[str, str], ItemState]
    ) -> None:
        with self._lock:
            if len(self._states) >= self.MAX_LESSONS:
                self._states.clear()
            self._states[key] = (generation, states)

    def changed(self, key: tuple[int, str]) -> None:
        with self._lock:
            self._generations[key] = self._generations.get(key, 0) + 1


class LiveQueries(Database):
    """Reads and writes of the live room (see the module docstring)."""

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
            raise NotFoundError("This workshop no longer exists.")
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

    def on_room_change(self, listener: Callable[[int], object]) -> None:
        """Call `listener(workshop_id)` after every change a room's screens must redraw for:
        a move, a change of pacing, answers opened or closed (`workbook.server.room_push` wakes
        the phones with it)."""
        self._room_listeners.append(listener)

    @cached_property
    def _room_listeners(self) -> list[Callable[[int], object]]:
        return []

    def _room_changed(self, workshop_id: int) -> None:
        self._room_signals.pop(workshop_id, None)
        for listener in self._room_listeners:
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
            condition, condition_params = f" AND {_STILL_ON_STEP}", [workshop_id, at_step]
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
            raise NotFoundError("This workshop no longer exists.")
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

    # -- prompts and statements: open or closed, revealed or hidden --

    def item_states(self, *, workshop_id: int, lesson_id: str) -> dict[tuple[str, str], ItemState]:
        """Stored states by (kind, item id); an item without a row is open and hidden.
        Kept in memory between changes (see _ItemStates): every save of a lesson form checks
        which questions are closed, 200 at once in a full room."""
        cache = self._item_states_cache
        generation, states = cache.get((workshop_id, lesson_id))
        if states is None:
            rows = self._all(
                "SELECT coalesce(i.item_kind, v.item_kind), coalesce(i.item_id, v.item_id),"
                " coalesce(i.answers_open, true), coalesce(i.revealed, false),"
                " coalesce(v.on_phones, true), coalesce(v.by_support, false),"
                " coalesce(v.approve_first, false)"
                " FROM (SELECT * FROM live_items WHERE workshop_id = ? AND lesson_id = ?) i"
                " FULL JOIN (SELECT * FROM live_item_views WHERE workshop_id = ?"
                "   AND lesson_id = ?) v ON v.item_kind = i.item_kind AND v.item_id = i.item_id",
                [workshop_id, lesson_id, workshop_id, lesson_id],
            )
            states = {
                (kind, item): ItemState(bool(o), bool(r), bool(phones), bool(support), bool(first))
                for kind, item, o, r, phones, support, first in rows
            }
            cache.put((workshop_id, lesson_id), generation, states)
        return dict(states)

    @property
    def _item_states_cache(self) -> _ItemStates:
        # setdefault: one cache per store even if two threads ask at once.
        return self.__dict__.setdefault("_item_states", _ItemStates())

    def item_state(
        self, *, workshop_id: int, lesson_id: str, kind: ItemKind, item_id: str
    ) -> ItemState:
        return self.item_states(workshop_id=workshop_id, lesson_id=lesson_id).get(
            (kind, item_id), ItemState()
        )

    def set_item_state(
        self,
        *,
        workshop_id: int,
        lesson_id: str,
        kind: ItemKind,
        item_id: str,
        open: bool | None = None,
        revealed: bool | None = None,
        at_step: int | None = None,
    ) -> ItemState:
        """Open or close answers, reveal or hide results, for one prompt or statement. With
        `at_step` (the step the console showed), only while the room is on that step: else
        RoomMovedError, and nothing changed."""
        if kind not in (PROMPT, RATING):
            raise ValueError(f"unknown item kind {kind!r}")
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> ItemState:
            row = cur.execute(
                "SELECT answers_open, revealed FROM live_items WHERE workshop_id = ?"
                " AND lesson_id = ? AND item_kind = ? AND item_id = ?",
                [workshop_id, lesson_id, kind, item_id],
            ).fetchone()
            before = ItemState(bool(row[0]), bool(row[1])) if row else ItemState()
            after = ItemState(
                before.open if open is None else open,
                before.revealed if revealed is None else revealed,
            )
            condition, condition_params = "", []
            if at_step is not None:
                condition, condition_params = f" WHERE {_STILL_ON_STEP}", [workshop_id, at_step]
            written = cur.execute(
                "INSERT INTO live_items SELECT ?, ?, ?, ?, ?, ?, ?"
                f"{condition}"
                " ON CONFLICT (workshop_id, lesson_id, item_kind, item_id) DO UPDATE SET"
                " answers_open = excluded.answers_open, revealed = excluded.revealed,"
                " updated_at = excluded.updated_at RETURNING workshop_id",
                [
                    workshop_id,
                    lesson_id,
                    kind,
                    item_id,
                    after.open,
                    after.revealed,
                    now,
                    *condition_params,
                ],
            ).fetchone()
            if written is None:
                self._refuse_stale(cur, workshop_id)
            if after != before:  # opened, closed, revealed or hidden: phones show it
                self._update_room(cur, workshop_id, "answers_version = answers_version + 1", [])
            return before, after

        before, after = self._write(work)
        self._item_states_cache.changed((workshop_id, lesson_id))
        if after != before:  # phones redraw: their form (open/closed) or results changed
            self._room_changed(workshop_id)
        return self.item_state(
            workshop_id=workshop_id, lesson_id=lesson_id, kind=kind, item_id=item_id
        )

    def set_item_view(
        self,
        *,
        workshop_id: int,
        lesson_id: str,
        kind: ItemKind,
        item_id: str,
        on_phones: bool | None = None,
        by_support: bool | None = None,
        approve_first: bool | None = None,
    ) -> ItemState:
        """Whether phones show an item's results once revealed, whether the projector and
        console order its answers by support, and whether its answers wait for approval (see
        `set_approve_first` in workbook/store/moderation.py, which keeps answers the room has
        seen shown). Phones redraw when what they may show changes."""
        if kind not in (PROMPT, RATING):
            raise ValueError(f"unknown item kind {kind!r}")

        def work(cur: duckdb.DuckDBPyConnection) -> bool:
            row = cur.execute(
                "SELECT on_phones, by_support, approve_first FROM live_item_views"
                " WHERE workshop_id = ? AND lesson_id = ? AND item_kind = ? AND item_id = ?",
                [workshop_id, lesson_id, kind, item_id],
            ).fetchone()
            before = (bool(row[0]), bool(row[1]), bool(row[2])) if row else (True, False, False)
            after = tuple(
                was if chosen is None else chosen
                for was, chosen in zip(before, (on_phones, by_support, approve_first), strict=True)
            )
            cur.execute(
                "INSERT INTO live_item_views (workshop_id, lesson_id, item_kind, item_id,"
                " on_phones, by_support, approve_first, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (workshop_id, lesson_id, item_kind, item_id) DO UPDATE SET"
                " on_phones = excluded.on_phones, by_support = excluded.by_support,"
                " approve_first = excluded.approve_first, updated_at = excluded.updated_at",
                [workshop_id, lesson_id, kind, item_id, *after, utc_now()],
            )
            shown_changed = after[0] != before[0] or after[2] != before[2]
            if shown_changed:
                self._update_room(cur, workshop_id, "answers_version = answers_version + 1", [])
            return shown_changed

        shown_changed = self._write(work)
        self._item_states_cache.changed((workshop_id, lesson_id))
        if shown_changed:
            self._room_changed(workshop_id)
        return self.item_state(
            workshop_id=workshop_id, lesson_id=lesson_id, kind=kind, item_id=item_id
        )

    def closed_items(self, *, workshop_id: int, lesson_id: str) -> set[tuple[str, str]]:
        return {
            key
            for key, state in self.item_states(workshop_id=workshop_id, lesson_id=lesson_id).items()
            if not state.open
        }

    def answer_counts(
        self, *, workshop_id: int, lesson_id: str, kind: ItemKind, item_id: str
    ) -> list[GroupCount]:
        """How many answered one prompt or statement, per group (every group, zero included).
        Hidden answers still count: they were given."""
        table, column = (
            ("reflections", "prompt_id") if kind == PROMPT else ("ratings", "statement_id")
        )
        rows = self._all(
            "SELECT g.id, g.name, count(a.id) FROM groups g"
            f" LEFT JOIN {table} a ON a.group_id = g.id AND a.round = g.current_round"
            f" AND a.lesson_id = ? AND a.{column} = ?"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.name, g.name_key ORDER BY g.name_key",
            [lesson_id, item_id, workshop_id],
        )
        return sorted(
            (GroupCount(int(i), name, int(n)) for i, name, n in rows),
            key=lambda g: natural_key(g.group_name),
        )

    def rating_distribution(
        self, *, workshop_id: int, lesson_id: str, statement_id: str
    ) -> Distribution:
        rows = self._all(
            f"SELECT r.value, count(*) FROM ratings r {_CURRENT_ROUND.format(table='r')}"
            " WHERE r.workshop_id = ? AND r.lesson_id = ? AND r.statement_id = ?"
            " GROUP BY r.value",
            [workshop_id, lesson_id, statement_id],
        )
        return distribution((int(v), int(n)) for v, n in rows)

    def rating_distributions(self, *, workshop_id: int, lesson_id: str) -> dict[str, Distribution]:
        """Every statement of a lesson that has ratings, by statement id."""
        rows = self._all(
            f"SELECT r.statement_id, r.value, count(*) FROM ratings r"
            f" {_CURRENT_ROUND.format(table='r')}"
            " WHERE r.workshop_id = ? AND r.lesson_id = ? GROUP BY r.statement_id, r.value",
            [workshop_id, lesson_id],
        )
        pairs: dict[str, list[tuple[int, int]]] = {}
        for statement_id, value, count in rows:
            pairs.setdefault(statement_id, []).append((int(value), int(count)))
        return {key: distribution(value) for key, value in pairs.items()}

    def group_means(
        self, *, workshop_id: int, lesson_id: str, statement_id: str
    ) -> list[GroupMean]:
        """Mean rating of one statement per group (every group; None where nobody rated)."""
        rows = self._all(
            "SELECT g.id, g.name, avg(r.value), count(r.value) FROM groups g"
            " LEFT JOIN ratings r ON r.group_id = g.id AND r.round = g.current_round"
            " AND r.lesson_id = ? AND r.statement_id = ?"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.name, g.name_key ORDER BY g.name_key",
            [lesson_id, statement_id, workshop_id],
        )
        return sorted(
            (
                GroupMean(int(i), name, float(mean) if mean is not None else None, int(n))
                for i, name, mean, n in rows
            ),
            key=lambda g: natural_key(g.group_name),
        )

    def room_groups(self, workshop_id: int) -> list[RoomGroup]:
        """Who has joined, per group, and how many of them are on the room's step now."""
        rows = self._all(
            "SELECT g.id, g.name, count(p.id),"
            " coalesce(list(p.display_name ORDER BY p.created_at, p.id)"
            "   FILTER (WHERE p.display_name <> ''), []),"
            " count(p.id) FILTER (WHERE coalesce(s.step, 0) = w.current_step)"
            " FROM groups g JOIN workshops w ON w.id = g.workshop_id"
            " LEFT JOIN participants p ON p.group_id = g.id"
            " LEFT JOIN participant_steps s ON s.participant_id = p.id"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.name, g.name_key ORDER BY g.name_key",
            [workshop_id],
        )
        return sorted(
            (
                RoomGroup(int(i), name, int(members), tuple(names), int(on_step))
                for i, name, members, names, on_step in rows
            ),
            key=lambda g: natural_key(g.name),
        )

    def people_joined(self, workshop_id: int) -> int:
        row = self._one("SELECT count(*) FROM participants WHERE workshop_id = ?", [workshop_id])
        return int(row[0]) if row else 0

    # -- signing in with a key: slowing down repeated wrong keys, per door --
    # A door is what a key opens: a workshop's console (workbook.live.workshop_door) or the
    # funder view (FUNDER_DOOR). Both sign-ins share this one mechanism.

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

    # -- projector links --

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

    # -- the whole workshop, for exports --

    def export_reflections(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT g.name AS group_name, p.display_name AS author, r.lesson_id, r.prompt_id,"
            " r.round, r.text, h.reflection_id IS NOT NULL AS hidden_on_screen,"
            f" {ANSWER_STATUS} AS on_screen,"
            " (SELECT count(*) FROM answer_supports s WHERE s.reflection_id = r.id) AS supporters,"
            " r.created_at, r.updated_at"
            " FROM reflections r JOIN groups g ON g.id = r.group_id"
            " JOIN participants p ON p.id = r.participant_id"
            f"{MODERATION_JOINS}"
            " WHERE r.workshop_id = ? ORDER BY g.name_key, r.round, r.lesson_id, r.prompt_id,"
            " r.created_at, r.id",
            [workshop_id],
        )

    def export_ratings(self, workshop_id: int) -> list[dict[str, Any]]:
        # Ratings are listed without names: a per-workshop participant number shows which
        # ratings came from one person without saying who.
        return self._dicts(
            "SELECT g.name AS group_name,"
            " dense_rank() OVER (ORDER BY r.participant_id) AS participant,"
            " r.lesson_id, r.statement_id, r.key_finding, r.round, r.value, r.updated_at"
            " FROM ratings r JOIN groups g ON g.id = r.group_id"
            " WHERE r.workshop_id = ? ORDER BY g.name_key, r.round, r.lesson_id,"
            " r.statement_id, participant",
            [workshop_id],
        )

    def export_stakeholders(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT g.name AS group_name, s.name, s.kind, s.influence, s.band, s.target_band,"
            " s.tie, s.energy_hours, s.note, s.not_our_battle, s.must_invest, s.updated_at"
            " FROM stakeholders s JOIN groups g ON g.id = s.group_id"
            " WHERE s.workshop_id = ? ORDER BY g.name_key, s.id",
            [workshop_id],
        )

    def export_ties(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT g.name AS group_name, a.name AS source, b.name AS target, t.strength"
            " FROM stakeholder_ties t JOIN groups g ON g.id = t.group_id"
            " JOIN stakeholders a ON a.id = t.source_id JOIN stakeholders b ON b.id = t.target_id"
            " WHERE g.workshop_id = ? ORDER BY g.name_key, a.name, b.name",
            [workshop_id],
        )

    def _dicts(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self._reader() as cur:
            result = cur.execute(sql, list(params))
            names = [column[0] for column in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
