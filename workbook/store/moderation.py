"""Moderation of open answers: what of them the room sees, and supporting them.

An answer to a prompt is, for the room, one of three (`workbook.live` SHOWN, WAITING, HIDDEN):
- hidden: the facilitator hid it (`hidden_answers`); it stays stored and can be restored;
- waiting: its prompt has "I approve answers first" on (`live_item_views.approve_first`) and
  the facilitator has not approved it as it reads now (`approved_answers` keeps the answer's
  `updated_at` when approved, so an answer changed after approval waits again);
- shown: everything else.
Only shown answers reach the projector, the phones' results, supports, the summary meant
for the room and the funder release (`ANSWER_STATUS`, used by workbook/store/releases.py
too). Every write is checked against the workshop it claims.

The phones of a room share one read of each question's results (`shared_results`); every
moderation and support through this store drops the workshop's shared reads at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from workbook.i18n import N_
from workbook.live import (
    HIDDEN,
    PROMPT,
    RATING,
    SHOWN,
    WAITING,
    AnswerCard,
    AnswerTally,
    GroupCount,
    natural_key,
)
from workbook.store.database import Database, Migration, utc_now
from workbook.store.errors import NotFoundError, StoreError

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        9,
        "approving answers before the room sees them",
        """
        -- Per open-answer prompt: answers wait for the facilitator's approval (off: shown
        -- as they come, as before).
        ALTER TABLE live_item_views ADD COLUMN approve_first BOOLEAN NOT NULL DEFAULT false;
        -- Answers the facilitator approved, as they read when approved (`answer_updated_at`
        -- is the answer's `updated_at` then: a changed answer waits again).
        CREATE TABLE approved_answers (
            reflection_id BIGINT PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            answer_updated_at TIMESTAMP NOT NULL,
            approved_at TIMESTAMP NOT NULL
        );
        """,
    ),
)

# How old the results a phone shows may be (seconds): every phone showing revealed results
# refreshes them (workbook/ui/room_results.py), and they share one read per question per this
# age. A support or a moderation through this store drops the workshop's shared results.
ROOM_RESULTS_MAX_AGE = 2.0

# The answers of each group's current round: the live room shows those.
_CURRENT_ROUND = " JOIN groups g ON g.id = r.group_id AND r.round = g.current_round"

# Joins that tell how the room sees a reflection `r` (see the module docstring) ...
MODERATION_JOINS = (
    " LEFT JOIN hidden_answers h ON h.reflection_id = r.id"
    " LEFT JOIN approved_answers a ON a.reflection_id = r.id"
    "   AND a.answer_updated_at = r.updated_at"
    " LEFT JOIN live_item_views v ON v.workshop_id = r.workshop_id"
    f"   AND v.lesson_id = r.lesson_id AND v.item_kind = '{PROMPT}' AND v.item_id = r.prompt_id"
)
# ... and the words for it.
ANSWER_STATUS = (
    f"CASE WHEN h.reflection_id IS NOT NULL THEN '{HIDDEN}'"
    f" WHEN coalesce(v.approve_first, false) AND a.reflection_id IS NULL THEN '{WAITING}'"
    f" ELSE '{SHOWN}' END"
)


class SupportRefusedError(StoreError):
    """A support that cannot be given or taken back: the sentence says why."""


class ModerationQueries(Database):
    """Hiding, approving and supporting answers, and the reads of them (module docstring)."""

    # -- hiding --

    def hide_answer(self, *, workshop_id: int, reflection_id: int) -> None:
        """Keep an answer off every screen of the room. It stays stored; `restore_answer`
        brings it back (waiting again if its prompt needs approval and it had none)."""
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            self._owned(cur, workshop_id, reflection_id)
            cur.execute(
                "INSERT INTO hidden_answers VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [reflection_id, workshop_id, now],
            )

        self._write(work)
        self._forget_shared(workshop_id)

    def restore_answer(self, *, workshop_id: int, reflection_id: int) -> None:
        """Show a hidden answer again; an answer of another workshop is left as it is."""
        self._write(
            lambda cur: cur.execute(
                "DELETE FROM hidden_answers WHERE reflection_id = ? AND workshop_id = ?",
                [reflection_id, workshop_id],
            )
        )
        self._forget_shared(workshop_id)

    @staticmethod
    def _owned(cur: duckdb.DuckDBPyConnection, workshop_id: int, reflection_id: int) -> None:
        owned = cur.execute(
            "SELECT 1 FROM reflections WHERE id = ? AND workshop_id = ?",
            [reflection_id, workshop_id],
        ).fetchone()
        if owned is None:
            raise NotFoundError(N_("That answer is not in this workshop."))

    # -- approving --

    def approve_answer(self, *, workshop_id: int, reflection_id: int) -> None:
        """Let the room see an answer as it reads now (a hidden one stays hidden)."""
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            self._owned(cur, workshop_id, reflection_id)
            self._approve(cur, now, "r.id = ? AND r.workshop_id = ?", [reflection_id, workshop_id])

        self._write(work)
        self._forget_shared(workshop_id)

    def approve_all(self, *, workshop_id: int, lesson_id: str, prompt_id: str) -> int:
        """Approve every answer of one prompt that waits (hidden ones stay hidden); return how
        many were approved."""
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            return self._approve(
                cur,
                now,
                f"r.workshop_id = ? AND r.lesson_id = ? AND r.prompt_id = ?"
                f" AND {ANSWER_STATUS} = '{WAITING}'",
                [workshop_id, lesson_id, prompt_id],
            )

        approved = self._write(work)
        self._forget_shared(workshop_id)
        return approved

    def set_approve_first(
        self, *, workshop_id: int, lesson_id: str, prompt_id: str, approve_first: bool
    ) -> int:
        """Turn "I approve answers first" on or off for one prompt; return how many answers
        given so far (each group's current round) this made wait for approval, so the console
        can say why they left the screen (0 when turned off or already on). Turned on after
        its results were revealed, the answers the room has seen already stay shown (they are
        approved now); before the reveal, every answer given so far waits."""
        turned_on = False
        if approve_first:
            state = self.item_state(  # type: ignore[attr-defined]  # ItemQueries, in Store
                workshop_id=workshop_id, lesson_id=lesson_id, kind=PROMPT, item_id=prompt_id
            )
            turned_on = not state.approve_first
            if state.revealed and not state.approve_first:
                now = utc_now()
                self._write(
                    lambda cur: self._approve(
                        cur,
                        now,
                        "r.workshop_id = ? AND r.lesson_id = ? AND r.prompt_id = ?",
                        [workshop_id, lesson_id, prompt_id],
                    )
                )
        self.set_item_view(  # type: ignore[attr-defined]  # ItemQueries, in Store
            workshop_id=workshop_id,
            lesson_id=lesson_id,
            kind=PROMPT,
            item_id=prompt_id,
            approve_first=approve_first,
        )
        self._forget_shared(workshop_id)
        if not turned_on:
            return 0
        return self.answer_tally(
            workshop_id=workshop_id, lesson_id=lesson_id, prompt_id=prompt_id
        ).waiting

    @staticmethod
    def _approve(
        cur: duckdb.DuckDBPyConnection, now: Any, where: str, params: Sequence[Any]
    ) -> int:
        approved = cur.execute(
            "INSERT INTO approved_answers"
            f" SELECT r.id, r.workshop_id, r.updated_at, ? FROM reflections r{MODERATION_JOINS}"
            f" WHERE {where}"
            " ON CONFLICT (reflection_id) DO UPDATE SET"
            " answer_updated_at = excluded.answer_updated_at, approved_at = excluded.approved_at"
            " RETURNING reflection_id",
            [now, *params],
        ).fetchall()
        return len(approved)

    # -- what the room answered --

    def answer_cards(
        self,
        *,
        workshop_id: int,
        lesson_id: str,
        prompt_id: str,
        include_hidden: bool = False,
        include_waiting: bool = False,
    ) -> list[AnswerCard]:
        """Answers to one prompt in each group's current round, newest first: those the room
        sees, and with the flags the hidden and the waiting ones too (the console's)."""
        left_out = [
            status
            for status, included in ((HIDDEN, include_hidden), (WAITING, include_waiting))
            if not included
        ]
        rows = self._all(
            "SELECT r.id, r.group_id, g.name, p.display_name, r.text, r.updated_at,"
            f" {ANSWER_STATUS},"
            " (SELECT count(*) FROM answer_supports s WHERE s.reflection_id = r.id),"
            " r.participant_id"
            f" FROM reflections r{_CURRENT_ROUND}"
            " JOIN participants p ON p.id = r.participant_id"
            f"{MODERATION_JOINS}"
            " WHERE r.workshop_id = ? AND r.lesson_id = ? AND r.prompt_id = ?"
            + "".join(f" AND {ANSWER_STATUS} <> '{status}'" for status in left_out)
            + " ORDER BY r.updated_at DESC, r.id DESC",
            [workshop_id, lesson_id, prompt_id],
        )
        return [
            AnswerCard(
                *row[:6],
                hidden=row[6] == HIDDEN,
                waiting=row[6] == WAITING,
                supports=int(row[7]),
                participant_id=int(row[8]),
            )
            for row in rows
        ]

    def answer_tally(self, *, workshop_id: int, lesson_id: str, prompt_id: str) -> AnswerTally:
        """How many answers to one prompt (current rounds) are shown, waiting and hidden."""
        rows = self._all(
            f"SELECT {ANSWER_STATUS} AS status, count(*)"
            f" FROM reflections r{_CURRENT_ROUND}{MODERATION_JOINS}"
            " WHERE r.workshop_id = ? AND r.lesson_id = ? AND r.prompt_id = ? GROUP BY status",
            [workshop_id, lesson_id, prompt_id],
        )
        found = {str(status): int(n) for status, n in rows}
        return AnswerTally(found.get(SHOWN, 0), found.get(WAITING, 0), found.get(HIDDEN, 0))

    def shown_answer_counts(
        self, *, workshop_id: int, lesson_id: str, prompt_id: str
    ) -> list[GroupCount]:
        """How many answers to one prompt the room sees, per group (every group, zero
        included): the projector's counts."""
        rows = self._all(
            f"SELECT g.id, g.name, count(r.id) FILTER (WHERE {ANSWER_STATUS} = '{SHOWN}')"
            " FROM groups g"
            " LEFT JOIN reflections r ON r.group_id = g.id AND r.round = g.current_round"
            " AND r.lesson_id = ? AND r.prompt_id = ?"
            f"{MODERATION_JOINS}"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.name, g.name_key ORDER BY g.name_key",
            [lesson_id, prompt_id, workshop_id],
        )
        return sorted(
            (GroupCount(int(i), name, int(n)) for i, name, n in rows),
            key=lambda g: natural_key(g.group_name),
        )

    # -- results as phones read them: shared between the phones of a room --

    def shared_results(
        self,
        kind: str,
        workshop_id: int,
        lesson_id: str,
        item_id: str,
        *,
        now: float | None = None,
        fresh: bool = False,
    ) -> Any:
        """What every phone of a room shows for one revealed question, read at most once per
        ROOM_RESULTS_MAX_AGE however many phones refresh: for a prompt its answer cards
        (shown ones only), for a rating statement (distribution, means per group). `now`:
        seconds on `time.monotonic`'s clock (tests pass it, so they never wait or race).
        `fresh`: read now whatever the shared read's age (the phone that has just saved sees
        its own save), and share this newer read with the others."""
        if kind == PROMPT:
            read: Callable[[], Any] = lambda: self.answer_cards(  # noqa: E731
                workshop_id=workshop_id, lesson_id=lesson_id, prompt_id=item_id
            )
        elif kind == RATING:
            read = lambda: (  # noqa: E731
                self.rating_distribution(  # type: ignore[attr-defined]  # CountQueries
                    workshop_id=workshop_id, lesson_id=lesson_id, statement_id=item_id
                ),
                self.group_means(  # type: ignore[attr-defined]  # CountQueries
                    workshop_id=workshop_id, lesson_id=lesson_id, statement_id=item_id
                ),
            )
        else:
            raise ValueError(f"unknown item kind {kind!r}")
        return self._shared_read((kind, workshop_id, lesson_id, item_id), read, now, fresh=fresh)

    def shared_tally(
        self, workshop_id: int, lesson_id: str, prompt_id: str, *, now: float | None = None
    ) -> AnswerTally:
        """`answer_tally`, shared between the phones of a room like `shared_results`."""
        return self._shared_read(
            ("tally", workshop_id, lesson_id, prompt_id),
            lambda: self.answer_tally(
                workshop_id=workshop_id, lesson_id=lesson_id, prompt_id=prompt_id
            ),
            now,
        )

    def _shared_read(
        self,
        key: tuple[str, int, str, str],
        read: Callable[[], Any],
        now: float | None,
        *,
        fresh: bool = False,
    ) -> Any:
        now = time.monotonic() if now is None else now
        with self._shared_lock:
            cached = self._shared.get(key)
        if not fresh and cached is not None and now - cached[0] < ROOM_RESULTS_MAX_AGE:
            return cached[1]
        value = read()
        with self._shared_lock:
            if len(self._shared) >= 4096:
                self._shared.clear()
            self._shared[key] = (now, value)
        return value

    def _forget_room(self, workshop_id: int) -> None:
        self._forget_shared(workshop_id)
        super()._forget_room(workshop_id)

    def _forget_shared(self, workshop_id: int) -> None:
        with self._shared_lock:
            for key in [key for key in self._shared if key[1] == workshop_id]:
                self._shared.pop(key, None)

    @property
    def _shared(self) -> dict[tuple[str, int, str, str], tuple[float, Any]]:
        # setdefault: one cache per store even if two threads ask at once.
        return self.__dict__.setdefault("_shared_results", {})

    @property
    def _shared_lock(self) -> threading.Lock:
        return self.__dict__.setdefault("_shared_results_lock", threading.Lock())

    # -- an author's own answers kept off the shared screen --

    def own_answer_statuses(self, *, participant_id: int, lesson_id: str) -> dict[str, str]:
        """How the room sees each of this person's answers to one lesson (current round), by
        prompt: shown, waiting for the facilitator's approval, or hidden."""
        rows = self._all(
            f"SELECT r.prompt_id, {ANSWER_STATUS} FROM reflections r{_CURRENT_ROUND}"
            f"{MODERATION_JOINS} WHERE r.participant_id = ? AND r.lesson_id = ?",
            [participant_id, lesson_id],
        )
        return {str(row[0]): str(row[1]) for row in rows}

    # -- supporting answers, once revealed on phones --

    def supported_answers(self, *, participant_id: int, reflection_ids: Sequence[int]) -> set[int]:
        """Which of these answers this person supports."""
        if not reflection_ids:
            return set()
        marks = ", ".join("?" for _ in reflection_ids)
        rows = self._all(
            "SELECT reflection_id FROM answer_supports WHERE participant_id = ?"
            f" AND reflection_id IN ({marks})",
            [participant_id, *reflection_ids],
        )
        return {int(row[0]) for row in rows}

    def support_answer(
        self, *, workshop_id: int, participant_id: int, reflection_id: int, support: bool = True
    ) -> int:
        """Support an answer (or, with support=False, take the support back); return how many
        support it now. Once per person per answer. Refused, with a sentence saying why, for
        an answer that is not this workshop's, is hidden or waits for approval, is the
        person's own, or whose question's results are not shown on phones now (not revealed,
        or kept off phones)."""
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            row = cur.execute(
                "SELECT r.participant_id, r.lesson_id, r.prompt_id,"
                f" {ANSWER_STATUS}, r.round = g.current_round"
                f" FROM reflections r JOIN groups g ON g.id = r.group_id{MODERATION_JOINS}"
                " WHERE r.id = ? AND r.workshop_id = ?",
                [reflection_id, workshop_id],
            ).fetchone()
            if row is None or row[3] != SHOWN or not bool(row[4]):
                raise SupportRefusedError(N_("That answer is no longer shown."))
            if int(row[0]) == participant_id:
                raise SupportRefusedError(N_("Your own answer counts already: support others'."))
            state = cur.execute(
                "SELECT coalesce(i.revealed, false), coalesce(v.on_phones, true)"
                " FROM (SELECT 1) one LEFT JOIN live_items i ON i.workshop_id = ?"
                "   AND i.lesson_id = ? AND i.item_kind = ? AND i.item_id = ?"
                " LEFT JOIN live_item_views v ON v.workshop_id = ? AND v.lesson_id = ?"
                "   AND v.item_kind = ? AND v.item_id = ?",
                [workshop_id, row[1], PROMPT, row[2]] * 2,
            ).fetchone()
            if state is None or not (bool(state[0]) and bool(state[1])):
                raise SupportRefusedError(
                    N_("The facilitator has not shown this question's answers on phones now.")
                )
            if support:
                cur.execute(
                    "INSERT INTO answer_supports VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [reflection_id, participant_id, workshop_id, now],
                )
            else:
                cur.execute(
                    "DELETE FROM answer_supports WHERE reflection_id = ? AND participant_id = ?",
                    [reflection_id, participant_id],
                )
            counted = cur.execute(
                "SELECT count(*) FROM answer_supports WHERE reflection_id = ?", [reflection_id]
            ).fetchone()
            return int(counted[0]) if counted else 0

        counted = self._write(work)
        self._forget_shared(workshop_id)
        return counted
