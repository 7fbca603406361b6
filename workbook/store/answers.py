"""A group's answers: reflections and ratings, saved a lesson form at a time, per round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from workbook.models import KeyFinding, RatingIn, ReflectionIn
from workbook.records import Rating, Reflection, SavedAnswers, Seat
from workbook.store.database import Database, RowDelete, RowUpsert, utc_now


@dataclass(frozen=True)
class SaveResult:
    """What a save of a lesson form came to. `conflicts`: answers not written because they
    were stored as something else since the form was drawn (prompt id -> the text stored now,
    None when it was removed)."""

    conflicts: dict[str, str | None] = field(default_factory=dict)


# The columns of an answer row as `save_answers` writes them (the id comes from its sequence),
# and the key an answer is upserted on: one per participant, lesson, item and round.
REFLECTION_KEY = ("participant_id", "lesson_id", "prompt_id", "round")
REFLECTION_COLUMNS = (
    "workshop_id",
    "group_id",
    "participant_id",
    "lesson_id",
    "prompt_id",
    "round",
    "text",
    "created_at",
    "updated_at",
)
RATING_KEY = ("participant_id", "lesson_id", "statement_id", "round")
RATING_COLUMNS = (
    "workshop_id",
    "group_id",
    "participant_id",
    "lesson_id",
    "statement_id",
    "key_finding",
    "round",
    "value",
    "created_at",
    "updated_at",
)


def _rating_upsert(
    base: tuple[object, ...], round: int, ratings: Sequence[RatingIn], now: dt.datetime
) -> RowUpsert:
    """A form's ratings as one row change (`base`: workshop, group, participant, lesson); an
    existing rating is updated only when its value changed."""
    return RowUpsert(
        table="ratings",
        key=RATING_KEY,
        columns=RATING_COLUMNS,
        rows=tuple(
            (*base, r.statement_id, r.key_finding.value, round, r.value, now, now) for r in ratings
        ),
        update=("value", "updated_at"),
        changed_when=("value",),
        id_column="id",
        id_sequence="answer_ids",
    )


class AnswerQueries(Database):
    """Reads and writes of the reflections and ratings a group gives."""

    def save_answers(
        self,
        *,
        seat: Seat,
        lesson_id: str,
        round: int,
        reflections: Sequence[ReflectionIn] = (),
        cleared_prompts: Sequence[str] = (),
        ratings: Sequence[RatingIn] = (),
        cleared_statements: Sequence[str] = (),
        seen: Mapping[str, str | None] | None = None,
    ) -> SaveResult:
        """Save one form of a lesson in one transaction: upsert answers, remove cleared ones.

        Saving the same answers twice changes nothing (an upsert on participant, lesson, item
        and round), so a double click or a resent form cannot duplicate anything.

        `seen`: what the form last showed for each written or cleared answer (prompt id ->
        text, None for no answer). An answer stored since as something else (saved from
        another tab or device) is not overwritten: it comes back in the result's `conflicts`
        with what is stored now, and the form's other answers and ratings are saved.
        """
        if seen is not None:
            return self._save_answers_checked(
                seat=seat,
                lesson_id=lesson_id,
                round=round,
                reflections=reflections,
                cleared_prompts=cleared_prompts,
                ratings=ratings,
                cleared_statements=cleared_statements,
                seen=seen,
            )
        # Written as row changes, which the writer merges with every other form saved in the
        # same batch into one upsert per table: a burst of 200 forms costs a few statements,
        # not 1,400 (bench/bench_writes.py, "rows"). An existing row is updated only when its
        # text or value changed, so resaving leaves `updated_at` alone.
        participant_id = seat.participant.id
        now = utc_now()
        base = (seat.workshop.id, seat.group.id, participant_id, lesson_id)
        self._write_rows(
            RowUpsert(
                table="reflections",
                key=REFLECTION_KEY,
                columns=REFLECTION_COLUMNS,
                rows=tuple((*base, r.prompt_id, round, r.text, now, now) for r in reflections),
                update=("text", "updated_at"),
                changed_when=("text",),
                id_column="id",
                id_sequence="answer_ids",
            ),
            _rating_upsert(base, round, ratings, now),
            RowDelete(
                table="reflections",
                key=REFLECTION_KEY,
                keys=tuple((participant_id, lesson_id, p, round) for p in cleared_prompts),
            ),
            RowDelete(
                table="ratings",
                key=RATING_KEY,
                keys=tuple((participant_id, lesson_id, s, round) for s in cleared_statements),
            ),
        )
        return SaveResult()

    def _save_answers_checked(
        self,
        *,
        seat: Seat,
        lesson_id: str,
        round: int,
        reflections: Sequence[ReflectionIn],
        cleared_prompts: Sequence[str],
        ratings: Sequence[RatingIn],
        cleared_statements: Sequence[str],
        seen: Mapping[str, str | None],
    ) -> SaveResult:
        """`save_answers` comparing each answer with what is stored, on the writer, in the
        same transaction as the writes: no save can slip in between the check and the write."""
        participant_id = seat.participant.id
        now = utc_now()
        wanted: dict[str, str | None] = {r.prompt_id: r.text for r in reflections}
        wanted.update({prompt_id: None for prompt_id in cleared_prompts})
        key = (participant_id, lesson_id, round)

        def work(cur: duckdb.DuckDBPyConnection) -> SaveResult:
            stored: dict[str, str] = {}
            if wanted:
                marks = ", ".join("?" for _ in wanted)
                rows = cur.execute(
                    "SELECT prompt_id, text FROM reflections WHERE participant_id = ?"
                    f" AND lesson_id = ? AND round = ? AND prompt_id IN ({marks})",
                    [*key, *wanted],
                ).fetchall()
                stored = {prompt_id: text for prompt_id, text in rows}
            conflicts: dict[str, str | None] = {}
            for prompt_id, text in wanted.items():
                now_stored = stored.get(prompt_id)
                if now_stored == text:
                    continue  # already as wanted: nothing to write, nothing lost
                if prompt_id in seen and now_stored != seen[prompt_id]:
                    conflicts[prompt_id] = now_stored
                    continue
                if text is None:
                    cur.execute(
                        "DELETE FROM reflections WHERE participant_id = ? AND lesson_id = ?"
                        " AND round = ? AND prompt_id = ?",
                        [*key, prompt_id],
                    )
                elif prompt_id in stored:
                    cur.execute(
                        "UPDATE reflections SET text = ?, updated_at = ? WHERE"
                        " participant_id = ? AND lesson_id = ? AND round = ? AND prompt_id = ?",
                        [text, now, *key, prompt_id],
                    )
                else:
                    cur.execute(
                        "INSERT INTO reflections (id, workshop_id, group_id, participant_id,"
                        " lesson_id, prompt_id, round, text, created_at, updated_at)"
                        " VALUES (nextval('answer_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            seat.workshop.id,
                            seat.group.id,
                            participant_id,
                            lesson_id,
                            prompt_id,
                            round,
                            text,
                            now,
                            now,
                        ],
                    )
            return SaveResult(conflicts=conflicts)

        base = (seat.workshop.id, seat.group.id, participant_id, lesson_id)
        return self._submit(
            work,
            (
                _rating_upsert(base, round, ratings, now),
                RowDelete(
                    table="ratings",
                    key=RATING_KEY,
                    keys=tuple((participant_id, lesson_id, s, round) for s in cleared_statements),
                ),
            ),
        )

    def saved_answers(self, *, participant_id: int, lesson_id: str, round: int) -> SavedAnswers:
        # One query for both tables: every redraw of a lesson form reads this.
        key = [participant_id, lesson_id, round]
        rows = self._all(
            "SELECT 'reflection', prompt_id, text, NULL FROM reflections"
            " WHERE participant_id = ? AND lesson_id = ? AND round = ?"
            " UNION ALL SELECT 'rating', statement_id, NULL, value FROM ratings"
            " WHERE participant_id = ? AND lesson_id = ? AND round = ?",
            key + key,
        )
        return SavedAnswers(
            {item: text for kind, item, text, _ in rows if kind == "reflection"},
            {item: int(value) for kind, item, _, value in rows if kind == "rating"},
        )

    def group_reflections(self, group_id: int) -> list[Reflection]:
        rows = self._all(
            "SELECT r.id, r.group_id, r.participant_id, p.display_name, r.lesson_id, r.prompt_id,"
            " r.round, r.text, r.updated_at FROM reflections r"
            " JOIN participants p ON p.id = r.participant_id"
            " WHERE r.group_id = ? ORDER BY r.round, r.lesson_id, r.prompt_id, r.updated_at",
            [group_id],
        )
        return [Reflection(*row) for row in rows]

    def group_ratings(self, group_id: int) -> list[Rating]:
        rows = self._all(
            "SELECT group_id, participant_id, lesson_id, statement_id, key_finding, round, value"
            " FROM ratings WHERE group_id = ? ORDER BY round, lesson_id, statement_id",
            [group_id],
        )
        return [Rating(*row[:4], KeyFinding(row[4]), *row[5:]) for row in rows]
