"""Workshops, groups, participants, their answers, rounds and commitments."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from workbook.keys import (
    JOIN_CODE_LENGTH,
    hash_key,
    key_matches,
    new_facilitator_key,
    new_join_code,
    new_resume_token,
    normalise_join_code,
    token_hash,
)
from workbook.models import (
    FIRST_ROUND,
    CommitmentIn,
    CommitmentStatus,
    JoinRequest,
    KeyFinding,
    RatingIn,
    ReflectionIn,
    WorkshopCreate,
)
from workbook.records import (
    Commitment,
    Group,
    Participant,
    Rating,
    Reflection,
    SavedAnswers,
    Seat,
    Workshop,
)
from workbook.store.database import (
    Database,
    Migration,
    NotFoundError,
    RowDelete,
    RowUpsert,
    WriteFailedError,
    WrongJoinCodeError,
    name_key,
    utc_now,
)


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

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "workshops, groups, participants, answers, commitments",
        """
        CREATE SEQUENCE workshop_ids START 1;
        CREATE SEQUENCE group_ids START 1;
        CREATE SEQUENCE participant_ids START 1;
        CREATE SEQUENCE answer_ids START 1;
        CREATE SEQUENCE commitment_ids START 1;
        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            join_code VARCHAR NOT NULL UNIQUE,
            title VARCHAR NOT NULL,
            cause VARCHAR NOT NULL,
            region VARCHAR NOT NULL,
            facilitator_key_hash VARCHAR NOT NULL,
            self_guided BOOLEAN NOT NULL,
            shares_with_funders BOOLEAN NOT NULL,
            pacing VARCHAR NOT NULL,
            current_step INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            name VARCHAR NOT NULL,
            name_key VARCHAR NOT NULL,
            current_round INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL,
            UNIQUE (workshop_id, name_key)
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            display_name VARCHAR NOT NULL,
            token_hash VARCHAR NOT NULL UNIQUE,
            quote_consent BOOLEAN NOT NULL,
            created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE participant_steps (
            participant_id INTEGER PRIMARY KEY,
            step INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE reflections (
            id BIGINT PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            prompt_id VARCHAR NOT NULL,
            round INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            UNIQUE (participant_id, lesson_id, prompt_id, round)
        );
        CREATE TABLE ratings (
            id BIGINT PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            statement_id VARCHAR NOT NULL,
            key_finding VARCHAR NOT NULL,
            round INTEGER NOT NULL,
            value TINYINT NOT NULL CHECK (value BETWEEN 1 AND 5),
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            UNIQUE (participant_id, lesson_id, statement_id, round)
        );
        CREATE TABLE commitments (
            id INTEGER PRIMARY KEY,
            request_id VARCHAR NOT NULL UNIQUE,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            what VARCHAR NOT NULL,
            who VARCHAR NOT NULL,
            by_when DATE,
            key_finding VARCHAR NOT NULL,
            round INTEGER NOT NULL,
            deleted BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE commitment_reviews (
            commitment_id INTEGER NOT NULL,
            round INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            reviewed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (commitment_id, round)
        );
        """,
    ),
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


class WorkshopQueries(Database):
    """Reads and writes of workshops and everything a group answers."""

    def create_workshop(self, *, workshop: WorkshopCreate) -> tuple[Workshop, str]:
        """Create a workshop; return it and its facilitator key (shown once, stored hashed)."""
        key = new_facilitator_key()
        key_hash = hash_key(key)
        created = utc_now()
        pacing = "self" if workshop.self_guided else "follow"

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            for _ in range(20):
                code = new_join_code()
                taken = cur.execute(
                    "SELECT 1 FROM workshops WHERE join_code = ?", [code]
                ).fetchone()
                if not taken:
                    break
            else:  # pragma: no cover - 887 million codes; only reached if nearly all are used
                raise WriteFailedError("no free join code was found")
            row = cur.execute(
                "INSERT INTO workshops VALUES (nextval('workshop_ids'), ?, ?, ?, ?, ?, ?, ?, ?,"
                " 0, ?) RETURNING id",
                [
                    code,
                    workshop.title,
                    workshop.cause,
                    workshop.region,
                    key_hash,
                    workshop.self_guided,
                    workshop.shares_with_funders,
                    pacing,
                    created,
                ],
            ).fetchone()
            assert row is not None
            return int(row[0])

        workshop_id = self._write(work)
        found = self.workshop_by_id(workshop_id)
        assert found is not None
        return found, key

    _WORKSHOP_COLUMNS = (
        "id, join_code, title, cause, region, self_guided, shares_with_funders, pacing,"
        " current_step, created_at"
    )

    def workshop_by_id(self, workshop_id: int) -> Workshop | None:
        row = self._one(
            f"SELECT {self._WORKSHOP_COLUMNS} FROM workshops WHERE id = ?", [workshop_id]
        )
        return Workshop(*row) if row else None

    def find_workshop(self, join_code: str) -> Workshop:
        """The workshop with this join code (typed any way), or WrongJoinCodeError."""
        code = normalise_join_code(join_code)
        row = None
        if len(code) == JOIN_CODE_LENGTH:
            row = self._one(
                f"SELECT {self._WORKSHOP_COLUMNS} FROM workshops WHERE join_code = ?", [code]
            )
        if row is None:
            raise WrongJoinCodeError(join_code[:40])
        return Workshop(*row)

    def facilitator_key_matches(self, *, workshop_id: int, key: str) -> bool:
        row = self._one("SELECT facilitator_key_hash FROM workshops WHERE id = ?", [workshop_id])
        if row is None:
            # Spend the same time as a real check so a missing workshop is not revealed.
            key_matches(key, hash_key("-"))
            return False
        return key_matches(key, row[0])

    # -- groups and participants --

    def groups(self, workshop_id: int) -> list[Group]:
        rows = self._all(
            "SELECT g.id, g.workshop_id, g.name, g.current_round, count(p.id)"
            " FROM groups g LEFT JOIN participants p ON p.group_id = g.id"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.workshop_id, g.name, g.current_round,"
            " g.name_key ORDER BY g.name_key",
            [workshop_id],
        )
        return [Group(*row) for row in rows]

    def group_named(self, *, workshop_id: int, name: str) -> Group | None:
        """The workshop's group a typed name would join (see name_key), if there is one."""
        key = name_key(name)
        return next((g for g in self.groups(workshop_id) if name_key(g.name) == key), None)

    def join(self, *, workshop_id: int, request: JoinRequest) -> tuple[Seat, str]:
        """Seat a participant in a group (created if new; names match as `name_key` compares).

        Returns the seat and the participant's resume token (kept in the URL, stored hashed).
        """
        token = new_resume_token()
        hashed = token_hash(token)
        key = name_key(request.group_name)
        created = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            if (
                cur.execute("SELECT 1 FROM workshops WHERE id = ?", [workshop_id]).fetchone()
                is None
            ):
                raise NotFoundError("This workshop no longer exists.")
            # Compared by name_key in Python, not by the stored key: a group stored before
            # name_key folded invisible characters still matches.
            row = next(
                (
                    (group_id,)
                    for group_id, name in cur.execute(
                        "SELECT id, name FROM groups WHERE workshop_id = ? ORDER BY id",
                        [workshop_id],
                    ).fetchall()
                    if name_key(name) == key
                ),
                None,
            )
            if row is None:
                row = cur.execute(
                    "INSERT INTO groups VALUES (nextval('group_ids'), ?, ?, ?, ?, ?) RETURNING id",
                    [workshop_id, request.group_name, key, FIRST_ROUND, created],
                ).fetchone()
            assert row is not None
            group_id = int(row[0])
            participant = cur.execute(
                "INSERT INTO participants VALUES (nextval('participant_ids'), ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                [
                    workshop_id,
                    group_id,
                    request.display_name,
                    hashed,
                    request.quote_consent,
                    created,
                ],
            ).fetchone()
            assert participant is not None
            return int(participant[0])

        participant_id = self._write(work)
        seat = self._seat_where("p.id = ?", [participant_id])
        assert seat is not None
        return seat, token

    def resume(self, *, join_code: str, token: str) -> Seat | None:
        """The seat a resume token belongs to, if it belongs to this workshop; else None."""
        if not token or len(token) > 100:
            return None
        code = normalise_join_code(join_code)
        return self._seat_where("p.token_hash = ? AND w.join_code = ?", [token_hash(token), code])

    def seat(self, participant_id: int) -> Seat | None:
        return self._seat_where("p.id = ?", [participant_id])

    def _seat_where(self, condition: str, params: Sequence[Any]) -> Seat | None:
        row = self._one(
            f"SELECT {', '.join('w.' + c.strip() for c in self._WORKSHOP_COLUMNS.split(','))},"
            " g.id, g.workshop_id, g.name, g.current_round,"
            " (SELECT count(*) FROM participants x WHERE x.group_id = g.id),"
            " p.id, p.workshop_id, p.group_id, p.display_name, p.quote_consent,"
            " coalesce(s.step, 0)"
            " FROM participants p JOIN groups g ON g.id = p.group_id"
            " JOIN workshops w ON w.id = p.workshop_id"
            " LEFT JOIN participant_steps s ON s.participant_id = p.id"
            f" WHERE {condition}",
            params,
        )
        if row is None:
            return None
        return Seat(Workshop(*row[:10]), Group(*row[10:15]), Participant(*row[15:21]))

    def set_participant_step(self, *, participant_id: int, step: int) -> None:
        now = utc_now()
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO participant_steps VALUES (?, ?, ?) ON CONFLICT (participant_id)"
                " DO UPDATE SET step = excluded.step, updated_at = excluded.updated_at",
                [participant_id, max(0, step), now],
            )
        )

    def start_follow_up(self, *, group_id: int) -> int:
        """Open the group's next round of self-assessment; earlier rounds are kept as they are."""

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            row = cur.execute(
                "UPDATE groups SET current_round = current_round + 1 WHERE id = ?"
                " RETURNING current_round",
                [group_id],
            ).fetchone()
            if row is None:
                raise NotFoundError("This group no longer exists.")
            return int(row[0])

        return self._write(work)

    # -- answers --

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

    # -- commitments --

    def add_commitment(self, *, seat: Seat, commitment: CommitmentIn, round: int) -> int:
        """Record a commitment for the seat's group. The same commitment (same words, who, date
        and finding, same round) is stored once, so a double submit cannot add it twice; adding
        back one that was removed brings it back."""
        now = utc_now()
        request_key = hashlib.sha256(
            "\x1f".join(
                [
                    str(seat.group.id),
                    str(round),
                    commitment.what,
                    commitment.who,
                    commitment.by_when.isoformat() if commitment.by_when else "",
                    commitment.key_finding.value,
                ]
            ).encode()
        ).hexdigest()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            existing = cur.execute(
                "UPDATE commitments SET deleted = false WHERE request_id = ? RETURNING id",
                [request_key],
            ).fetchone()
            if existing:
                return int(existing[0])
            row = cur.execute(
                "INSERT INTO commitments VALUES (nextval('commitment_ids'), ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, false, ?) RETURNING id",
                [
                    request_key,
                    seat.workshop.id,
                    seat.group.id,
                    seat.participant.id,
                    commitment.what,
                    commitment.who,
                    commitment.by_when,
                    commitment.key_finding.value,
                    round,
                    now,
                ],
            ).fetchone()
            assert row is not None
            return int(row[0])

        return self._write(work)

    def remove_commitment(self, *, group_id: int, commitment_id: int) -> None:
        self._write(
            lambda cur: cur.execute(
                "UPDATE commitments SET deleted = true WHERE id = ? AND group_id = ?",
                [commitment_id, group_id],
            )
        )

    def review_commitment(
        self, *, group_id: int, commitment_id: int, round: int, status: CommitmentStatus
    ) -> None:
        """Mark how a commitment went, as seen in `round`; each round's review is kept."""
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            owned = cur.execute(
                "SELECT 1 FROM commitments WHERE id = ? AND group_id = ?", [commitment_id, group_id]
            ).fetchone()
            if owned is None:
                raise NotFoundError("That commitment is not your group's.")
            cur.execute(
                "INSERT INTO commitment_reviews VALUES (?, ?, ?, ?) ON CONFLICT"
                " (commitment_id, round) DO UPDATE SET status = excluded.status,"
                " reviewed_at = excluded.reviewed_at",
                [commitment_id, round, status.value, now],
            )

        self._write(work)

    def commitments(self, group_id: int) -> list[Commitment]:
        rows = self._all(
            "SELECT c.id, c.group_id, c.what, c.who, c.by_when, c.key_finding, c.round,"
            " c.created_at, r.status, r.round FROM commitments c"
            " LEFT JOIN (SELECT * FROM commitment_reviews"
            "   QUALIFY row_number() OVER (PARTITION BY commitment_id ORDER BY round DESC) = 1) r"
            " ON r.commitment_id = c.id"
            " WHERE c.group_id = ? AND NOT c.deleted ORDER BY c.created_at, c.id",
            [group_id],
        )
        return [
            Commitment(
                *row[:5],
                KeyFinding(row[5]),
                *row[6:8],
                CommitmentStatus(row[8]) if row[8] else None,
                row[9],
            )
            for row in rows
        ]

    # -- maintenance --
