"""A group's commitments (what, who, by when, which key finding if any) and how each went,
round by round. A removed commitment is only marked removed, so Undo brings it back as it was
(its place in the list, its reviews)."""

from __future__ import annotations

import hashlib

import duckdb

from workbook.i18n import N_
from workbook.models import CommitmentIn, CommitmentStatus, KeyFinding
from workbook.records import Commitment, Seat
from workbook.store.database import Database, Migration, NotFoundError, utc_now
from workbook.store.errors import StoreError

MIGRATIONS: tuple[Migration, ...] = (
    # A commitment need not act on one key finding: none is stored as NULL, never as the first
    # finding of the list (which the form used to choose for whoever left it alone).
    Migration(
        16,
        "commitments without a key finding",
        "ALTER TABLE commitments ALTER COLUMN key_finding DROP NOT NULL;",
    ),
)


class SameCommitmentError(StoreError):
    """An edit would make a commitment the same as another one in the list."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "Another commitment in the list already says exactly this (the same words, "
                "who, date and key finding), so this one was not changed."
            )
        )


def _request_key(group_id: int, round: int, commitment: CommitmentIn) -> str:
    """What makes a commitment the same one: its group, round, words, who, date and finding."""
    return hashlib.sha256(
        "\x1f".join(
            [
                str(group_id),
                str(round),
                commitment.what,
                commitment.who,
                commitment.by_when.isoformat() if commitment.by_when else "",
                commitment.key_finding.value if commitment.key_finding else "",
            ]
        ).encode()
    ).hexdigest()


class CommitmentQueries(Database):
    """Reads and writes of a group's commitments and their reviews."""

    def add_commitment(self, *, seat: Seat, commitment: CommitmentIn, round: int) -> int:
        """Record a commitment for the seat's group. The same commitment (same words, who, date
        and finding, same round) is stored once, so a double submit cannot add it twice; adding
        back one that was removed brings it back."""
        now = utc_now()
        request_key = _request_key(seat.group.id, round, commitment)

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
                    commitment.key_finding.value if commitment.key_finding else None,
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

    def restore_commitment(self, *, group_id: int, commitment_id: int) -> None:
        """Undo a removal: the commitment comes back exactly as it was (id, words, date,
        finding, when it was made, so its place in the list, and its reviews)."""

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            owned = cur.execute(
                "UPDATE commitments SET deleted = false WHERE id = ? AND group_id = ? RETURNING id",
                [commitment_id, group_id],
            ).fetchall()
            if not owned:
                raise NotFoundError(N_("That commitment is not your group's."))

        self._write(work)

    def edit_commitment(
        self, *, group_id: int, commitment_id: int, commitment: CommitmentIn
    ) -> bool:
        """Change a commitment's words, who, date and key finding; False if nothing changed.
        Its round, reviews and place in the list stay. An edit that would make it the same as
        another listed commitment is refused (SameCommitmentError): the list never holds one
        commitment twice, as adding one cannot either."""

        def work(cur: duckdb.DuckDBPyConnection) -> bool:
            row = cur.execute(
                "SELECT round, request_id FROM commitments"
                " WHERE id = ? AND group_id = ? AND NOT deleted",
                [commitment_id, group_id],
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    N_("That commitment is no longer in your group's list, so it was not changed.")
                )
            round, old_key = int(row[0]), str(row[1])
            key = _request_key(group_id, round, commitment)
            if key == old_key:
                return False
            other = cur.execute(
                "SELECT id, deleted FROM commitments WHERE request_id = ?", [key]
            ).fetchone()
            if other is not None:
                if not other[1]:
                    raise SameCommitmentError()
                # A removed one with these very fields: it keeps its own Undo, under a key of
                # its own (adding these fields again now finds the edited one).
                cur.execute(
                    "UPDATE commitments SET request_id = ? WHERE id = ?",
                    [f"{key}#{other[0]}", other[0]],
                )
            cur.execute(
                "UPDATE commitments SET request_id = ?, what = ?, who = ?, by_when = ?,"
                " key_finding = ? WHERE id = ?",
                [
                    key,
                    commitment.what,
                    commitment.who,
                    commitment.by_when,
                    commitment.key_finding.value if commitment.key_finding else None,
                    commitment_id,
                ],
            )
            return True

        return self._write(work)

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
                raise NotFoundError(N_("That commitment is not your group's."))
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
            " LEFT JOIN (SELECT DISTINCT ON (commitment_id) * FROM commitment_reviews"
            "   ORDER BY commitment_id, round DESC) r"
            " ON r.commitment_id = c.id"
            " WHERE c.group_id = ? AND NOT c.deleted ORDER BY c.created_at, c.id",
            [group_id],
        )
        return [
            Commitment(
                *row[:5],
                KeyFinding(row[5]) if row[5] else None,
                *row[6:8],
                CommitmentStatus(row[8]) if row[8] else None,
                row[9],
            )
            for row in rows
        ]
