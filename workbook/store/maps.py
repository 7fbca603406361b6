"""Stakeholder maps: each group's stakeholders, ties between them, energy budget, snapshots,
and the per-map measures the funder view aggregates."""

from __future__ import annotations

from workbook.store.database import Database, Migration

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
        -- Measures of each group's current map, rewritten whenever the map is saved, so the
        -- funder view can aggregate them in SQL without rebuilding thousands of graphs.
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
    """Reads and writes of stakeholder maps."""
