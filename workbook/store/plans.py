"""Workshops' plans: the plan each workshop runs (JSON, checked when read) and the plans of
past workshops, to copy into a new one.

A workshop without a row here runs every lesson in file order, as workshops made before
plans existed do. Changing a plan never touches answers: they are stored by lesson and prompt
id, so a step taken out and put back finds its answers again.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
from pydantic import ValidationError

from workbook.i18n import N_
from workbook.lessons import PromptSpec, RatingStatement
from workbook.plans.model import Plan
from workbook.store.database import Database, Migration, NotFoundError, utc_now

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        12,
        "workshops' plans",
        """
        CREATE TABLE workshop_plans (
            workshop_id INTEGER PRIMARY KEY,
            plan_json VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        """,
    ),
    Migration(
        14,
        "own items of every plan a workshop used",
        """
        CREATE TABLE workshop_own_items (
            workshop_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            item_id VARCHAR NOT NULL,
            item_json VARCHAR NOT NULL,
            PRIMARY KEY (workshop_id, lesson_id, kind, item_id)
        );
        """,
    ),
)

# A stored plan is at most this long (a full plan of 30 steps with their own items is far
# under it); a longer one is never read as a plan.
MAX_PLAN_JSON_CHARS = 200_000


@dataclass(frozen=True)
class StoredPlan:
    """A workshop's plan as read: the plan, or (stored before a rule changed, or damaged)
    None and why. No row at all is not a StoredPlan: see `workshop_plan`."""

    plan: Plan | None
    problem: str = ""


@dataclass(frozen=True)
class PastPlan:
    """A plan a past workshop ran, offered to copy (its workshop's title is never shown to
    another facilitator: only the plan's own title and when it was last changed)."""

    workshop_id: int
    plan: Plan
    updated_at: dt.datetime


@dataclass(frozen=True)
class OwnItems:
    """The facilitator's own prompts and rating statements of every plan the workshop has
    used (the newest words of each), by lesson: answers to an own item a later plan left out
    still read with their words."""

    prompts: tuple[tuple[str, PromptSpec], ...] = ()
    ratings: tuple[tuple[str, RatingStatement], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.prompts or self.ratings)


def _own_rows(workshop_id: int, plan: Plan) -> list[list[object]]:
    rows: list[list[object]] = []
    for step in plan.steps:
        for prompt in step.own_prompts:
            rows.append([workshop_id, step.lesson, "prompt", prompt.id, prompt.model_dump_json()])
        for statement in step.own_ratings:
            rows.append(
                [workshop_id, step.lesson, "rating", statement.id, statement.model_dump_json()]
            )
    return rows


def _read(text: str) -> StoredPlan:
    if len(text) > MAX_PLAN_JSON_CHARS:
        return StoredPlan(None, "the stored plan is too long to read")
    try:
        return StoredPlan(Plan.model_validate_json(text))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "plan"
        return StoredPlan(None, f"the stored plan cannot be read ({where}: {first['msg']})")


def _redraw_room(cur: duckdb.DuckDBPyConnection, workshop_id: int, now: dt.datetime) -> None:
    """Tell the phones following the room to redraw (as opening or closing answers does): a
    room not started yet has no row, and no phone to tell."""
    cur.execute(
        "UPDATE live_rooms SET answers_version = answers_version + 1, updated_at = ?"
        " WHERE workshop_id = ?",
        [now, workshop_id],
    )


def _case(column: str, moves: Mapping[int, int]) -> tuple[str, list[int]]:
    """A SQL CASE mapping `column`'s old step to its new one (a step past the old plan's end
    goes to the first)."""
    if not moves:
        return "0", []
    whens = " ".join("WHEN ? THEN ?" for _ in moves)
    params = [value for pair in moves.items() for value in pair]
    return f"CASE {column} {whens} ELSE 0 END", params


def _move_steps(
    cur: duckdb.DuckDBPyConnection, workshop_id: int, moves: Mapping[int, int], now: dt.datetime
) -> None:
    """The room and each participant to their lesson's step under the new plan; phones that
    follow the room are marked as not having seen its step, so they go there and say so."""
    case, params = _case("current_step", moves)
    cur.execute(f"UPDATE workshops SET current_step = {case} WHERE id = ?", [*params, workshop_id])
    case, params = _case("step", moves)
    cur.execute(
        f"UPDATE participant_steps SET step = {case}, updated_at = ? WHERE participant_id IN"
        " (SELECT id FROM participants WHERE workshop_id = ?)",
        [*params, now, workshop_id],
    )
    cur.execute(
        "UPDATE room_followers SET seen_room_step = -1, updated_at = ? WHERE participant_id IN"
        " (SELECT id FROM participants WHERE workshop_id = ?)",
        [now, workshop_id],
    )


class PlanQueries(Database):
    """Reads and writes of workshops' plans. Every phone's run reads its workshop's plan, so
    each workshop's is kept in memory once read: this process is the file's only writer (the
    database is locked to it) and each write of a plan drops the kept one. On PostgreSQL a
    plan changed by another process arrives as a room change (`_forget_room`)."""

    def __init__(self, path: Path | str) -> None:
        self._plans_cache: dict[int, StoredPlan | None] = {}
        self._own_cache: dict[int, OwnItems] = {}
        self._plans_lock = threading.Lock()
        super().__init__(path)

    def _forget_plan(self, workshop_id: int) -> None:
        with self._plans_lock:
            self._plans_cache.pop(workshop_id, None)
            self._own_cache.pop(workshop_id, None)

    def _forget_room(self, workshop_id: int) -> None:
        # Another process changed the room (PostgreSQL), perhaps its plan: read it afresh.
        self._forget_plan(workshop_id)
        super()._forget_room(workshop_id)

    def _after_plan_change(self, workshop_id: int) -> None:
        """Drop the kept plan and wake the room's phones (workbook/store/live.py), which
        redraw on the steps of the new plan."""
        self._forget_plan(workshop_id)
        room_changed = getattr(self, "_room_changed", None)  # the live room, in Store
        if room_changed is not None:
            room_changed(workshop_id)

    def set_workshop_plan(
        self, *, workshop_id: int, plan: Plan, moves: Mapping[int, int] | None = None
    ) -> None:
        """Store the plan the workshop runs (replacing any before; answers are kept).

        `moves` (old step index -> new, plans.step_moves): the room and each participant
        stay on their lesson under the new plan, and phones following the room are told it
        moved (as a move of the room does)."""
        text = plan.model_dump_json()
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            if (
                cur.execute("SELECT 1 FROM workshops WHERE id = ?", [workshop_id]).fetchone()
                is None
            ):
                raise NotFoundError(N_("This workshop no longer exists."))
            cur.execute(
                "INSERT INTO workshop_plans VALUES (?, ?, ?) ON CONFLICT (workshop_id)"
                " DO UPDATE SET plan_json = excluded.plan_json, updated_at = excluded.updated_at",
                [workshop_id, text, now],
            )
            for row in _own_rows(workshop_id, plan):
                cur.execute(
                    "INSERT INTO workshop_own_items VALUES (?, ?, ?, ?, ?) ON CONFLICT"
                    " (workshop_id, lesson_id, kind, item_id)"
                    " DO UPDATE SET item_json = excluded.item_json",
                    row,
                )
            if moves is not None:
                _move_steps(cur, workshop_id, moves, now)
            _redraw_room(cur, workshop_id, now)

        self._write(work)
        self._after_plan_change(workshop_id)

    def clear_workshop_plan(
        self, *, workshop_id: int, moves: Mapping[int, int] | None = None
    ) -> None:
        """Back to every lesson in file order (`moves` as for set_workshop_plan)."""
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            cur.execute("DELETE FROM workshop_plans WHERE workshop_id = ?", [workshop_id])
            if moves is not None:
                _move_steps(cur, workshop_id, moves, now)
            _redraw_room(cur, workshop_id, now)

        self._write(work)
        self._after_plan_change(workshop_id)

    def workshop_plan(self, workshop_id: int) -> StoredPlan | None:
        """The workshop's plan, checked as it is read; None when it has none."""
        with self._plans_lock:
            if workshop_id in self._plans_cache:
                return self._plans_cache[workshop_id]
        row = self._one("SELECT plan_json FROM workshop_plans WHERE workshop_id = ?", [workshop_id])
        found = _read(str(row[0])) if row else None
        with self._plans_lock:
            self._plans_cache[workshop_id] = found
        return found

    def workshop_own_items(self, workshop_id: int) -> OwnItems:
        """The own items of every plan this workshop has used (kept when the plan changes or
        is cleared); an item that no longer reads by today's rules is left out."""
        with self._plans_lock:
            kept = self._own_cache.get(workshop_id)
        if kept is not None:
            return kept
        rows = self._all(
            "SELECT lesson_id, kind, item_json FROM workshop_own_items WHERE workshop_id = ?"
            " ORDER BY lesson_id, kind, item_id",
            [workshop_id],
        )
        prompts: list[tuple[str, PromptSpec]] = []
        ratings: list[tuple[str, RatingStatement]] = []
        for lesson_id, kind, text in rows:
            try:
                if kind == "prompt":
                    prompts.append((str(lesson_id), PromptSpec.model_validate_json(str(text))))
                else:
                    ratings.append((str(lesson_id), RatingStatement.model_validate_json(str(text))))
            except ValidationError:
                continue
        found = OwnItems(tuple(prompts), tuple(ratings))
        with self._plans_lock:
            self._own_cache[workshop_id] = found
        return found

    def past_plans(self, *, limit: int = 50) -> list[PastPlan]:
        """Plans past workshops on this deployment ran, newest first, each distinct plan once
        (the same plan used by several workshops is offered once); unreadable ones left out."""
        rows = self._all(
            "SELECT workshop_id, plan_json, updated_at FROM ("
            " SELECT DISTINCT ON (plan_json) workshop_id, plan_json, updated_at"
            " FROM workshop_plans ORDER BY plan_json, updated_at DESC, workshop_id DESC) latest"
            " ORDER BY updated_at DESC, workshop_id DESC LIMIT ?",
            [limit],
        )
        found = []
        for workshop_id, text, updated_at in rows:
            stored = _read(str(text))
            if stored.plan is not None:
                found.append(PastPlan(int(workshop_id), stored.plan, updated_at))
        return found
