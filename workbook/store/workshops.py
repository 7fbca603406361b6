"""Workshops, their groups and participants (who is seated where, and on which step).

A group's answers are in `answers.py`, its commitments in `commitments.py`; this module's
migration made the tables of all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from workbook.i18n import N_
from workbook.keys import (
    JOIN_CODE_LENGTH,
    hash_key,
    key_matches,
    name_key,
    new_facilitator_key,
    new_join_code,
    new_resume_token,
    normalise_join_code,
    token_hash,
)
from workbook.messages import say
from workbook.models import FIRST_ROUND, JoinRequest, WorkshopCreate
from workbook.records import Group, Participant, Seat, Workshop
from workbook.store.database import (
    Database,
    Migration,
    NotFoundError,
    WriteFailedError,
    WrongJoinCodeError,
    utc_now,
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
                raise WriteFailedError(say(N_("no free join code was found")))
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
                raise NotFoundError(N_("This workshop no longer exists."))
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
        # The seat's group carries no member count (`members` stays 0): no screen of a seated
        # person shows it, and counting took a third of this read, made on every page run.
        return Seat(Workshop(*row[:10]), Group(*row[10:14]), Participant(*row[14:20]))

    def set_participant_step(self, *, participant_id: int, step: int) -> None:
        now = utc_now()
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO participant_steps VALUES (?, ?, ?) ON CONFLICT (participant_id)"
                " DO UPDATE SET step = excluded.step, updated_at = excluded.updated_at",
                [participant_id, max(0, step), now],
            )
        )

    def set_quote_consent(self, *, participant_id: int, consent: bool) -> None:
        """Whether funders may read this person's answers as anonymous quotes, from now on: a
        quote already released leaves the funder view once consent is taken back
        (`ReleaseQueries.withdrawn_quotes`)."""
        self._write(
            lambda cur: cur.execute(
                "UPDATE participants SET quote_consent = ? WHERE id = ?", [consent, participant_id]
            )
        )

    def group_round(self, group_id: int) -> int | None:
        """The group's round now (a member may have started a follow-up round since a page
        was drawn); None for a group that no longer exists."""
        row = self._one("SELECT current_round FROM groups WHERE id = ?", [group_id])
        return int(row[0]) if row else None

    def start_follow_up(self, *, group_id: int) -> int:
        """Open the group's next round of self-assessment; earlier rounds are kept as they are."""

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            row = cur.execute(
                "UPDATE groups SET current_round = current_round + 1 WHERE id = ?"
                " RETURNING current_round",
                [group_id],
            ).fetchone()
            if row is None:
                raise NotFoundError(N_("This group no longer exists."))
            return int(row[0])

        return self._write(work)
