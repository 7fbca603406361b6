"""Stakeholder maps: each group's stakeholders, ties between them, energy budget, snapshots,
and the per-map measures the funder view aggregates."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import duckdb

from workbook.models import (
    STAKEHOLDER_FIELDS,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    Tie,
    TieStrength,
)
from workbook.stakeholders.measures import MapSummary, summarise_map
from workbook.stakeholders.saved import (
    DEFAULT_ENERGY_BUDGET,
    MAX_ENERGY_BUDGET,
    MapSnapshot,
    MapSnapshotInfo,
    SavedChanges,
    StakeholderChanges,
    StakeholderMap,
    TieChanges,
)
from workbook.store.database import Database, Migration, utc_now
from workbook.store.errors import NotFoundError, StoreError

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        2,
        "stakeholder maps",
        """
        CREATE SEQUENCE stakeholder_ids START 1;
        CREATE SEQUENCE map_snapshot_ids START 1;
        -- One row per stakeholder on a group's map. Ids only ever grow, so "earliest added"
        -- is "lowest id" (the portfolio solver breaks ties that way).
        CREATE TABLE stakeholders (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            name VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            influence TINYINT NOT NULL,
            band VARCHAR NOT NULL,
            target_band VARCHAR,
            tie VARCHAR NOT NULL,
            energy_hours DOUBLE NOT NULL,
            note VARCHAR NOT NULL,
            not_our_battle BOOLEAN NOT NULL,
            must_invest BOOLEAN NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        -- Ties between two stakeholders of the same map (the group's own tie is
        -- stakeholders.tie). Stored once per pair, source_id < target_id.
        CREATE TABLE stakeholder_ties (
            group_id INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            target_id INTEGER NOT NULL,
            strength VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            PRIMARY KEY (group_id, source_id, target_id)
        );
        CREATE TABLE map_settings (
            group_id INTEGER PRIMARY KEY,
            energy_budget DOUBLE NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        -- A saved copy of a map (e.g. at the first workshop and at a follow-up), as JSON
        -- {"stakeholders": [...], "ties": [...]} in the shapes of models.Stakeholder / Tie.
        CREATE TABLE map_snapshots (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            label VARCHAR NOT NULL,
            round INTEGER NOT NULL,
            content VARCHAR NOT NULL,
            taken_at TIMESTAMP NOT NULL
        );
        -- Measures of each group's current map, rewritten in the same transaction as every
        -- save of the map, so the funder view can aggregate them in SQL without rebuilding
        -- thousands of graphs (see stakeholders.summarise_map). A group whose map has been
        -- emptied keeps a row with stakeholders = 0 (filter on stakeholders > 0 for "maps").
        -- ties: every usable tie, the group's own (stakeholders.tie) and those between
        -- stakeholders; strong_tie_share: strong / ties, NULL without ties;
        -- single_points_of_failure: how many single ties are the group's only route to
        -- someone; kinds_present / kinds_missing: from models.STAKEHOLDER_KINDS, list order.
        CREATE TABLE map_measures (
            group_id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            stakeholders INTEGER NOT NULL,
            ties INTEGER NOT NULL,
            strong_tie_share DOUBLE,
            single_points_of_failure INTEGER NOT NULL,
            kinds_present VARCHAR[] NOT NULL,
            kinds_missing VARCHAR[] NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        """,
    ),
)


class MapQueries(Database):
    """Reads and writes of stakeholder maps. Every write is one transaction that also
    rewrites the map's row in map_measures, so the two can never disagree."""

    # -- reads --

    def stakeholder_map(self, *, group_id: int) -> StakeholderMap:
        """A group's map as one consistent read: stakeholders by id, ties, energy budget."""
        with self._cursor() as cur:
            cur.begin()
            try:
                return _read_map(cur, group_id)
            finally:
                cur.rollback()

    def map_snapshots(self, *, group_id: int) -> list[MapSnapshotInfo]:
        """A group's saved snapshots, oldest first."""
        rows = self._all(
            "SELECT id, label, round, taken_at, content FROM map_snapshots"
            " WHERE group_id = ? ORDER BY taken_at, id",
            [group_id],
        )
        return [
            MapSnapshotInfo(
                id=int(row[0]),
                label=row[1],
                round=int(row[2]),
                taken_at=row[3],
                stakeholders=len(json.loads(row[4]).get("stakeholders", [])),
            )
            for row in rows
        ]

    def map_snapshot(self, *, group_id: int, snapshot_id: int) -> MapSnapshot | None:
        """One snapshot of this group's map (None if it is not this group's)."""
        row = self._one(
            "SELECT id, label, round, taken_at, content FROM map_snapshots"
            " WHERE id = ? AND group_id = ?",
            [snapshot_id, group_id],
        )
        if row is None:
            return None
        content = json.loads(row[4])
        stakeholders = tuple(_stakeholder(s) for s in content.get("stakeholders", []))
        ties = tuple(_tie(t) for t in content.get("ties", []))
        info = MapSnapshotInfo(int(row[0]), row[1], int(row[2]), row[3], len(stakeholders))
        return MapSnapshot(info, stakeholders, ties)

    def map_summary(self, *, group_id: int) -> MapSummary | None:
        """The group's row of map_measures, as the funder view reads it."""
        row = self._one(
            "SELECT stakeholders, ties, strong_tie_share, single_points_of_failure,"
            " kinds_present, kinds_missing FROM map_measures WHERE group_id = ?",
            [group_id],
        )
        if row is None:
            return None
        return MapSummary(
            stakeholders=int(row[0]),
            ties=int(row[1]),
            strong_tie_share=row[2],
            single_points_of_failure=int(row[3]),
            kinds_present=tuple(row[4]),
            kinds_missing=tuple(row[5]),
        )

    # -- writes --

    def save_stakeholder_changes(
        self, *, group_id: int, changes: StakeholderChanges
    ) -> SavedChanges:
        """Apply a worksheet's edits to the group's map, in one transaction.

        Deleting a stakeholder deletes its ties. Only the fields an update names are written,
        so an edit on another device to other fields stays. An updated stakeholder that is no
        longer there (deleted on another device) is added back with a new id.
        """
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> SavedChanges:
            workshop_id = _workshop_of(cur, group_id)
            deleted = _delete_stakeholders(cur, group_id, changes.deleted_ids)
            updated = restored = 0
            for update in changes.updated:
                columns = [key for key in _COLUMNS if key in update.fields]
                if not columns:
                    continue
                assignments = ", ".join(f"{key} = ?" for key in columns)
                found = cur.execute(
                    f"UPDATE stakeholders SET {assignments}, updated_at = ?"
                    " WHERE id = ? AND group_id = ? RETURNING id",
                    [
                        *(_column_value(key, update.fields[key]) for key in columns),
                        now,
                        update.stakeholder_id,
                        group_id,
                    ],
                ).fetchall()
                if found:
                    updated += 1
                else:
                    _insert_stakeholders(cur, workshop_id, group_id, [update.row], now)
                    restored += 1
            _insert_stakeholders(cur, workshop_id, group_id, changes.added, now)
            _rewrite_measures(cur, workshop_id, group_id, now)
            return SavedChanges(len(changes.added), updated, deleted, restored)

        return self._write(work)

    def save_tie_changes(self, *, group_id: int, changes: TieChanges) -> SavedChanges:
        """Add, re-weigh and remove ties between the group's stakeholders, in one transaction.

        A tie to a stakeholder no longer on the map (deleted on another device) is dropped
        and counted in `ties_dropped`.
        """
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> SavedChanges:
            workshop_id = _workshop_of(cur, group_id)
            on_map = _stakeholder_ids(cur, group_id)
            for a, b in changes.removed:
                cur.execute(
                    "DELETE FROM stakeholder_ties WHERE group_id = ? AND source_id = ?"
                    " AND target_id = ?",
                    [group_id, min(a, b), max(a, b)],
                )
            kept = [t for t in changes.upserted if {t.source_id, t.target_id} <= on_map]
            _upsert_ties(cur, group_id, kept, now)
            _rewrite_measures(cur, workshop_id, group_id, now)
            dropped = len(changes.upserted) - len(kept)
            return SavedChanges(len(kept), 0, len(changes.removed), 0, ties_dropped=dropped)

        return self._write(work)

    def import_map(
        self,
        *,
        group_id: int,
        stakeholders: Sequence[StakeholderIn],
        ties: Sequence[tuple[int, int, TieStrength]],
        replace: bool,
        energy_budget: float | None = None,
        snapshot_label: str | None = None,
    ) -> list[Stakeholder]:
        """Add stakeholders (and ties between them, by position in `stakeholders`) to the
        group's map, or replace the map with them; one transaction.

        With `replace` and a `snapshot_label`, the map as it was is first kept as a snapshot
        (when it has anyone on it), so an import can always be undone by hand.
        """
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> list[Stakeholder]:
            workshop_id = _workshop_of(cur, group_id)
            if replace:
                if snapshot_label:
                    current = _read_map(cur, group_id)
                    if not current.is_empty:
                        _insert_snapshot(cur, workshop_id, group_id, snapshot_label, current, now)
                cur.execute("DELETE FROM stakeholder_ties WHERE group_id = ?", [group_id])
                cur.execute("DELETE FROM stakeholders WHERE group_id = ?", [group_id])
            ids = _insert_stakeholders(cur, workshop_id, group_id, stakeholders, now)
            new_ties = [
                Tie(source_id=min(ids[a], ids[b]), target_id=max(ids[a], ids[b]), strength=s)
                for a, b, s in ties
                if a != b and s != TieStrength.none
            ]
            _upsert_ties(cur, group_id, new_ties, now)
            if energy_budget is not None:
                _set_budget(cur, group_id, energy_budget, now)
            _rewrite_measures(cur, workshop_id, group_id, now)
            return [
                Stakeholder(id=sid, **s.model_dump())
                for sid, s in zip(ids, stakeholders, strict=True)
            ]

        return self._write(work)

    def set_energy_budget(self, *, group_id: int, hours: float) -> None:
        """The group's energy budget for relationships, in hours a month."""
        if not 0 <= hours <= MAX_ENERGY_BUDGET:
            raise StoreError(
                f"The energy budget must be from 0 to {MAX_ENERGY_BUDGET:,.0f} hours a month."
            )
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            _workshop_of(cur, group_id)
            _set_budget(cur, group_id, hours, now)

        self._write(work)

    def save_snapshot(self, *, group_id: int, label: str) -> int:
        """Keep a copy of the group's map as it is now, under a label; returns its id."""
        now = utc_now()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            workshop_id = _workshop_of(cur, group_id)
            return _insert_snapshot(
                cur, workshop_id, group_id, label, _read_map(cur, group_id), now
            )

        return self._write(work)


# --- inside a transaction -----------------------------------------------------------------------

# Stakeholder columns a save may write, in table order (each is a StakeholderIn field).
_COLUMNS: Final = STAKEHOLDER_FIELDS
_SELECT_STAKEHOLDER: Final = "SELECT id, " + ", ".join(_COLUMNS) + " FROM stakeholders"


def _column_value(key: str, value: object) -> object:
    # Enums go in as their value; everything else as it is.
    return value.value if isinstance(value, SpectrumBand | TieStrength) else value


def _stakeholder(values: Mapping[str, Any]) -> Stakeholder:
    """A stored stakeholder, read without re-validating: a kind since taken off the list, or
    a limit since tightened, must not make an old map or snapshot unreadable."""
    target = values.get("target_band")
    return Stakeholder.model_construct(
        id=int(values["id"]),
        name=values["name"],
        kind=values["kind"],
        influence=int(values["influence"]),
        band=SpectrumBand(values["band"]),
        target_band=SpectrumBand(target) if target else None,
        tie=TieStrength(values.get("tie") or "none"),
        energy_hours=float(values.get("energy_hours") or 0),
        note=values.get("note") or "",
        not_our_battle=bool(values.get("not_our_battle")),
        must_invest=bool(values.get("must_invest")),
    )


def _tie(values: Mapping[str, Any]) -> Tie:
    return Tie(
        source_id=int(values["source_id"]),
        target_id=int(values["target_id"]),
        strength=TieStrength(values["strength"]),
    )


def _workshop_of(cur: duckdb.DuckDBPyConnection, group_id: int) -> int:
    row = cur.execute("SELECT workshop_id FROM groups WHERE id = ?", [group_id]).fetchone()
    if row is None:
        raise NotFoundError("This group no longer exists, so its map cannot be saved.")
    return int(row[0])


def _read_map(cur: duckdb.DuckDBPyConnection, group_id: int) -> StakeholderMap:
    rows = cur.execute(
        f"{_SELECT_STAKEHOLDER} WHERE group_id = ? ORDER BY id", [group_id]
    ).fetchall()
    names = ("id", *_COLUMNS)
    stakeholders = tuple(_stakeholder(dict(zip(names, row, strict=True))) for row in rows)
    tie_rows = cur.execute(
        "SELECT source_id, target_id, strength FROM stakeholder_ties WHERE group_id = ?"
        " ORDER BY source_id, target_id",
        [group_id],
    ).fetchall()
    ties = tuple(
        Tie(source_id=int(a), target_id=int(b), strength=TieStrength(s)) for a, b, s in tie_rows
    )
    budget = cur.execute(
        "SELECT energy_budget FROM map_settings WHERE group_id = ?", [group_id]
    ).fetchone()
    return StakeholderMap(stakeholders, ties, float(budget[0]) if budget else DEFAULT_ENERGY_BUDGET)


def _stakeholder_ids(cur: duckdb.DuckDBPyConnection, group_id: int) -> set[int]:
    rows = cur.execute("SELECT id FROM stakeholders WHERE group_id = ?", [group_id]).fetchall()
    return {int(row[0]) for row in rows}


def _delete_stakeholders(cur: duckdb.DuckDBPyConnection, group_id: int, ids: Sequence[int]) -> int:
    if not ids:
        return 0
    wanted = [int(i) for i in ids]
    gone = cur.execute(
        "DELETE FROM stakeholders WHERE group_id = ? AND id = ANY(?::INTEGER[]) RETURNING id",
        [group_id, wanted],
    ).fetchall()
    cur.execute(
        "DELETE FROM stakeholder_ties WHERE group_id = ?"
        " AND (source_id = ANY(?::INTEGER[]) OR target_id = ANY(?::INTEGER[]))",
        [group_id, wanted, wanted],
    )
    return len(gone)


_CHUNK: Final = 200  # rows per INSERT: one statement per chunk, not one per row


def _insert_stakeholders(
    cur: duckdb.DuckDBPyConnection,
    workshop_id: int,
    group_id: int,
    stakeholders: Sequence[StakeholderIn],
    now: object,
) -> list[int]:
    """Insert stakeholders in order; returns their new ids, in the same order."""
    if not stakeholders:
        return []
    # Ids first (the sequence only grows, so sorted ids keep the order given), then rows in
    # a few multi-row statements: a row at a time costs a few milliseconds each.
    drawn = cur.execute(
        "SELECT nextval('stakeholder_ids') FROM generate_series(1, ?)", [len(stakeholders)]
    ).fetchall()
    ids = sorted(int(row[0]) for row in drawn)
    width = 2 + len(_COLUMNS) + 3
    for start in range(0, len(stakeholders), _CHUNK):
        chunk = list(zip(ids[start:], stakeholders[start : start + _CHUNK], strict=False))
        values = ", ".join(["(" + ", ".join(["?"] * width) + ")"] * len(chunk))
        params: list[object] = []
        for sid, s in chunk:
            params += [
                sid,
                workshop_id,
                group_id,
                *(_column_value(key, getattr(s, key)) for key in _COLUMNS),
                now,
                now,
            ]
        cur.execute(f"INSERT INTO stakeholders VALUES {values}", params)
    return ids


def _upsert_ties(
    cur: duckdb.DuckDBPyConnection, group_id: int, ties: Sequence[Tie], now: object
) -> None:
    """Add ties, or set the strength of ones already there; each pair once, lower id first."""
    pairs = {
        (min(t.source_id, t.target_id), max(t.source_id, t.target_id)): t.strength for t in ties
    }
    rows = list(pairs.items())
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        values = ", ".join(["(?, ?, ?, ?, ?)"] * len(chunk))
        params: list[object] = []
        for (a, b), strength in chunk:
            params += [group_id, a, b, strength.value, now]
        cur.execute(
            f"INSERT INTO stakeholder_ties VALUES {values}"
            " ON CONFLICT (group_id, source_id, target_id)"
            " DO UPDATE SET strength = excluded.strength",
            params,
        )


def _set_budget(cur: duckdb.DuckDBPyConnection, group_id: int, hours: float, now: object) -> None:
    cur.execute(
        "INSERT INTO map_settings VALUES (?, ?, ?) ON CONFLICT (group_id)"
        " DO UPDATE SET energy_budget = excluded.energy_budget, updated_at = excluded.updated_at",
        [group_id, float(hours), now],
    )


def _insert_snapshot(
    cur: duckdb.DuckDBPyConnection,
    workshop_id: int,
    group_id: int,
    label: str,
    stakeholder_map: StakeholderMap,
    now: object,
) -> int:
    round_row = cur.execute("SELECT current_round FROM groups WHERE id = ?", [group_id]).fetchone()
    content = {
        "stakeholders": [s.model_dump(mode="json") for s in stakeholder_map.stakeholders],
        "ties": [t.model_dump(mode="json") for t in stakeholder_map.ties],
    }
    row = cur.execute(
        "INSERT INTO map_snapshots VALUES (nextval('map_snapshot_ids'), ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        [
            workshop_id,
            group_id,
            label,
            int(round_row[0]) if round_row else 1,
            json.dumps(content, ensure_ascii=False),
            now,
        ],
    ).fetchone()
    assert row is not None
    return int(row[0])


def _rewrite_measures(
    cur: duckdb.DuckDBPyConnection, workshop_id: int, group_id: int, now: object
) -> None:
    current = _read_map(cur, group_id)
    summary = summarise_map(current.stakeholders, current.ties)
    cur.execute(
        "INSERT INTO map_measures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (group_id)"
        " DO UPDATE SET workshop_id = excluded.workshop_id, stakeholders = excluded.stakeholders,"
        " ties = excluded.ties, strong_tie_share = excluded.strong_tie_share,"
        " single_points_of_failure = excluded.single_points_of_failure,"
        " kinds_present = excluded.kinds_present, kinds_missing = excluded.kinds_missing,"
        " updated_at = excluded.updated_at",
        [
            group_id,
            workshop_id,
            summary.stakeholders,
            summary.ties,
            summary.strong_tie_share,
            summary.single_points_of_failure,
            list(summary.kinds_present),
            list(summary.kinds_missing),
            now,
        ],
    )
