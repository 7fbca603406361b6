"""The room's questions: each prompt or rating statement open or closed for answers,
results revealed or hidden, shown on phones or not, answers ordered by support or waiting for
approval; kept in memory between changes, because every save of a lesson form asks which
questions are closed."""

from __future__ import annotations

import threading

import duckdb

from workbook.live import PROMPT, RATING, ItemKind, ItemState
from workbook.store.database import utc_now
from workbook.store.live import STILL_ON_STEP, LiveQueries


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

    def changed_workshop(self, workshop_id: int) -> None:
        """Every lesson of a workshop changed (another process changed its questions)."""
        with self._lock:
            for key in {*self._states, *self._generations}:
                if key[0] != workshop_id:
                    continue
                self._generations[key] = self._generations.get(key, 0) + 1


class ItemQueries(LiveQueries):
    """Reads and writes of the questions' states; a change that phones must show bumps the
    room's answers version and wakes them (LiveQueries)."""

    def _forget_room(self, workshop_id: int) -> None:
        self._item_states_cache.changed_workshop(workshop_id)
        super()._forget_room(workshop_id)

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
                condition, condition_params = f" WHERE {STILL_ON_STEP}", [workshop_id, at_step]
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
