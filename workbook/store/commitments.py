"""A group's commitments (what, who, by when) and how each went, round by round."""

from __future__ import annotations

import hashlib

import duckdb

from workbook.i18n import N_
from workbook.models import CommitmentIn, CommitmentStatus, KeyFinding
from workbook.records import Commitment, Seat
from workbook.store.database import Database, NotFoundError, utc_now


class CommitmentQueries(Database):
    """Reads and writes of a group's commitments and their reviews."""

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
                KeyFinding(row[5]),
                *row[6:8],
                CommitmentStatus(row[8]) if row[8] else None,
                row[9],
            )
            for row in rows
        ]
