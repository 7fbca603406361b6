"""Funder releases: what a release reads (one period's shared groups, as bounded per-group
rows) and what it stores (the noisy figures, the quote sample, each group's spent budget).

The funder view reads only the `release_*` tables; the raw tables are read here, by the
release command, and nowhere else on the funder side.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from workbook.i18n import DEFAULT
from workbook.live import SHOWN
from workbook.store.database import Database, Migration, utc_now
from workbook.store.moderation import ANSWER_STATUS, MODERATION_JOINS

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        5,
        "funder releases",
        """
        CREATE SEQUENCE release_ids START 1;
        CREATE TABLE releases (
            id INTEGER PRIMARY KEY,
            period INTEGER NOT NULL,
            made_at TIMESTAMP NOT NULL,
            groups_in INTEGER NOT NULL,
            rho DOUBLE NOT NULL,
            delta DOUBLE NOT NULL,
            parameters VARCHAR NOT NULL
        );
        CREATE TABLE release_categories (
            release_id INTEGER NOT NULL,
            axis VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            key VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            PRIMARY KEY (release_id, axis, position)
        );
        CREATE TABLE release_figures (
            release_id INTEGER NOT NULL,
            family VARCHAR NOT NULL,
            measure VARCHAR NOT NULL,
            part VARCHAR NOT NULL,
            cause INTEGER NOT NULL,
            region INTEGER NOT NULL,
            value DOUBLE NOT NULL,
            variance DOUBLE NOT NULL
        );
        CREATE TABLE release_phrases (
            release_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            phrase VARCHAR NOT NULL,
            groups DOUBLE NOT NULL,
            variance DOUBLE NOT NULL
        );
        CREATE TABLE release_quotes (
            release_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            cause INTEGER NOT NULL,
            region INTEGER NOT NULL,
            text VARCHAR NOT NULL
        );
        CREATE TABLE privacy_spent (
            group_id INTEGER NOT NULL,
            release_id INTEGER NOT NULL,
            rho DOUBLE NOT NULL,
            delta DOUBLE NOT NULL,
            PRIMARY KEY (group_id, release_id)
        );
        """,
    ),
    Migration(
        6,
        "quote keys",
        """
        -- A random key per consented answer, drawn once (OpenDP's sampler): the quote sample
        -- takes the lowest keys, so releasing a period again shows the same quotes.
        CREATE TABLE quote_keys (
            reflection_id BIGINT PRIMARY KEY,
            key DOUBLE NOT NULL
        );
        """,
    ),
    Migration(
        17,
        "quotes know their answer",
        """
        -- The answer a published quote came from (never shown): a quote whose answer a
        -- facilitator hides later, whose writer withdraws consent, or that is deleted, is
        -- taken out of the funder view at once. Quotes released before this have none.
        ALTER TABLE release_quotes ADD COLUMN reflection_id BIGINT;
        """,
    ),
)

# Causes and regions are typed freely: one spelling per run of spaces, case kept.
_SPELLING = "trim(regexp_replace({column}, '\\s+', ' ', 'g'))"

_PERIOD_GROUPS = """
period_groups AS (
    SELECT g.id AS group_id, g.workshop_id
    FROM groups g JOIN workshops w ON w.id = g.workshop_id
    WHERE w.shares_with_funders AND CAST(EXTRACT(YEAR FROM w.created_at) AS INTEGER) = $period
)"""


@dataclass(frozen=True)
class ReleaseRecord:
    id: int
    period: int
    made_at: dt.datetime
    groups_in: int
    rho: float
    delta: float
    parameters: dict[str, Any]


@dataclass(frozen=True)
class PublishedRelease:
    """Everything one release published, as the funder view reads it."""

    record: ReleaseRecord
    categories: pd.DataFrame  # axis, position, key, label
    figures: pd.DataFrame  # family, measure, part, cause, region, value, variance
    phrases: pd.DataFrame  # lesson_id, phrase, groups, variance
    quotes: pd.DataFrame  # lesson_id, position, cause, region, text


class ReleaseQueries(Database):
    """Reads for making a release, and the release tables."""

    def _frame(self, sql: str, params: dict[str, Any], tables: Sequence[str] = ()) -> pd.DataFrame:
        """The statement's rows as a frame; run in DuckDB over `tables` when it names them
        (on PostgreSQL, a copy of them: `Database._analytics`)."""
        if tables:
            with self._analytics(tables) as cur:
                return cur.execute(sql, params).df()
        with self._reader() as cur:
            return cur.execute(sql, params).df()

    # -- what a release reads ---------------------------------------------------------------

    def release_periods(self) -> list[tuple[int, int]]:
        """(year, shared workshops) for every year with a workshop that shares with funders."""
        return [
            (int(year), int(n))
            for year, n in self._all(
                "SELECT CAST(EXTRACT(YEAR FROM created_at) AS INTEGER), count(*) FROM workshops"
                " WHERE shares_with_funders GROUP BY 1 ORDER BY 1"
            )
        ]

    def release_groups(self, *, period: int) -> pd.DataFrame:
        """One row per shared group of the period: its workshop, cause and region spellings,
        participants, and whether it is its workshop's first group (counts the workshop)."""
        sql = f"""
        WITH {_PERIOD_GROUPS},
        people AS (SELECT group_id, count(*) AS n FROM participants GROUP BY group_id)
        SELECT p.group_id, p.workshop_id,
            {_SPELLING.format(column="w.cause")} AS cause,
            {_SPELLING.format(column="w.region")} AS region,
            coalesce(people.n, 0)::INTEGER AS participants,
            p.group_id = min(p.group_id) OVER (PARTITION BY p.workshop_id) AS counts_workshop
        FROM period_groups p JOIN workshops w ON w.id = p.workshop_id
        LEFT JOIN people USING (group_id)
        ORDER BY p.group_id
        """
        return self._frame(sql, {"period": period}, ("workshops", "groups", "participants"))

    def release_ratings(
        self, *, period: int, statements: Sequence[tuple[str, str]]
    ) -> pd.DataFrame:
        """Per group and statement (position in `statements`): its members' mean at the first
        look (round 1) and at its latest follow-up (round 2 or later), either may be null."""
        sql = f"""
        WITH {_PERIOD_GROUPS},
        known AS (
            SELECT unnest($lessons::VARCHAR[]) AS lesson_id,
                unnest($statements::VARCHAR[]) AS statement_id,
                generate_subscripts($lessons::VARCHAR[], 1) - 1 AS measure
        ),
        per_round AS (
            SELECT r.group_id, k.measure, r.round, avg(r.value) AS score
            FROM ratings r JOIN known k USING (lesson_id, statement_id)
            WHERE r.group_id IN (SELECT group_id FROM period_groups)
            GROUP BY r.group_id, k.measure, r.round
        )
        SELECT group_id, measure,
            max(score) FILTER (WHERE round = 1) AS first,
            (array_agg(score ORDER BY round DESC) FILTER (WHERE round >= 2))[1] AS latest
        FROM per_round GROUP BY group_id, measure ORDER BY group_id, measure
        """
        params = {
            "period": period,
            "lessons": [lesson for lesson, _ in statements],
            "statements": [statement for _, statement in statements],
        }
        return self._frame(sql, params, ("workshops", "groups", "ratings"))

    def release_maps(self, *, period: int) -> pd.DataFrame:
        """Per group of the period with a stakeholder map: the map's measures."""
        sql = f"""
        WITH {_PERIOD_GROUPS}
        SELECT m.group_id, m.kinds_present, m.single_points_of_failure > 0 AS spof,
            m.ties > 0 AS tied, m.strong_tie_share
        FROM map_measures m JOIN period_groups p USING (group_id)
        WHERE m.stakeholders > 0
        ORDER BY m.group_id
        """
        return self._frame(sql, {"period": period}, ("workshops", "groups", "map_measures"))

    def release_reflections(self, *, period: int) -> pd.DataFrame:
        """Consented answers of the period's groups that the room was shown: none a facilitator
        hid, none still waiting for the facilitator's approval (workbook/store/moderation.py).
        Each with its workshop's language (workbook/store/languages.py; none set: English),
        the language its words are read in."""
        sql = f"""
        WITH {_PERIOD_GROUPS}
        SELECT r.id, r.group_id, r.lesson_id, r.prompt_id, r.text,
            COALESCE(wl.language, $default_language) AS language
        FROM reflections r
        JOIN participants x ON x.id = r.participant_id
        LEFT JOIN workshop_languages wl ON wl.workshop_id = r.workshop_id
        {MODERATION_JOINS}
        WHERE x.quote_consent AND r.group_id IN (SELECT group_id FROM period_groups)
            AND {ANSWER_STATUS} = '{SHOWN}'
        ORDER BY r.group_id, r.id
        """
        tables = ("workshops", "groups", "participants", "reflections", "workshop_languages")
        moderation = ("hidden_answers", "approved_answers", "live_item_views")
        params = {"period": period, "default_language": DEFAULT}
        return self._frame(sql, params, (*tables, *moderation))

    def release_answerers(self, *, period: int) -> pd.DataFrame:
        """Which of the period's groups answered which lesson (any answer, consented or not,
        shown or not: who could have written a quote, as a reader can tell), with their
        workshop's language."""
        sql = f"""
        WITH {_PERIOD_GROUPS}
        SELECT DISTINCT r.group_id, r.lesson_id,
            COALESCE(wl.language, $default_language) AS language
        FROM reflections r
        LEFT JOIN workshop_languages wl ON wl.workshop_id = r.workshop_id
        WHERE r.group_id IN (SELECT group_id FROM period_groups)
        ORDER BY r.group_id, r.lesson_id
        """
        tables = ("workshops", "groups", "reflections", "workshop_languages")
        params = {"period": period, "default_language": DEFAULT}
        return self._frame(sql, params, tables)

    def known_names(self) -> list[str]:
        """Every name a person typed anywhere in the deployment: people, groups, stakeholders,
        workshop titles. Quotes are cleaned of all of them, not only the quoting group's."""
        rows = self._all(
            """
            SELECT display_name FROM participants WHERE display_name <> ''
            UNION SELECT name FROM groups
            UNION SELECT name FROM stakeholders
            UNION SELECT title FROM workshops
            """
        )
        return [str(row[0]) for row in rows]

    def quote_keys(self, reflection_ids: Sequence[int]) -> dict[int, float]:
        """The stored random key of each answer that has one."""
        if not reflection_ids:
            return {}
        rows = self._all(
            "SELECT reflection_id, key FROM quote_keys WHERE reflection_id = ANY(?::BIGINT[])",
            [list(reflection_ids)],
        )
        return {int(r): float(k) for r, k in rows}

    def add_quote_keys(self, keys: dict[int, float]) -> None:
        if not keys:
            return
        frame = pd.DataFrame({"reflection_id": list(keys), "key": list(keys.values())})

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            cur.register("new_quote_keys", frame)
            try:
                cur.execute(
                    "INSERT INTO quote_keys SELECT reflection_id, key FROM new_quote_keys"
                    " ON CONFLICT DO NOTHING"
                ).fetchall()
            finally:
                cur.unregister("new_quote_keys")

        self._write(work)

    def privacy_spent(self, group_ids: Sequence[int]) -> dict[int, float]:
        """rho each group has spent in earlier releases."""
        if not group_ids:
            return {}
        rows = self._all(
            "SELECT group_id, sum(rho) FROM privacy_spent"
            " WHERE group_id = ANY(?::INTEGER[]) GROUP BY group_id",
            [list(group_ids)],
        )
        return {int(g): float(r) for g, r in rows}

    # -- writing a release --------------------------------------------------------------------

    def save_release(
        self,
        *,
        period: int,
        rho: float,
        delta: float,
        parameters: dict[str, Any],
        categories: pd.DataFrame,
        figures: pd.DataFrame,
        phrases: pd.DataFrame,
        quotes: pd.DataFrame,
        spent: pd.DataFrame,
    ) -> int:
        """Store one release in one transaction; returns its id."""

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            (release_id,) = cur.execute("SELECT nextval('release_ids')").fetchall()[0]
            cur.execute(
                "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    release_id,
                    period,
                    utc_now(),
                    len(spent),
                    rho,
                    delta,
                    json.dumps(parameters, sort_keys=True),
                ],
            )
            for table, frame in (
                ("release_categories", categories),
                ("release_figures", figures),
                ("release_phrases", phrases),
                ("release_quotes", quotes),
                ("privacy_spent", spent),
            ):
                if frame.empty:
                    continue
                view = f"new_{table}"
                cur.register(view, frame.assign(release_id=release_id))
                try:
                    columns = ", ".join(f'"{c}"' for c in [*frame.columns, "release_id"])
                    cur.execute(
                        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}"
                    ).fetchall()
                finally:
                    cur.unregister(view)
            return int(release_id)

        return self._write(work)

    # -- what the funder view reads -----------------------------------------------------------

    def release_records(self) -> list[ReleaseRecord]:
        return [
            ReleaseRecord(int(i), int(p), made, int(g), float(r), float(d), json.loads(str(params)))
            for i, p, made, g, r, d, params in self._all(
                "SELECT id, period, made_at, groups_in, rho, delta, parameters"
                " FROM releases ORDER BY id"
            )
        ]

    def published_release(
        self, release_id: int, *, record: ReleaseRecord | None = None
    ) -> PublishedRelease:
        """Everything release `release_id` published (its `record`, if the caller has it)."""
        if record is None:
            record = next(r for r in self.release_records() if r.id == release_id)
        params = {"id": release_id}
        return PublishedRelease(
            record=record,
            categories=self._frame(
                "SELECT axis, position, key, label FROM release_categories"
                " WHERE release_id = $id ORDER BY axis, position",
                params,
            ),
            figures=self._frame(
                "SELECT family, measure, part, cause, region, value, variance"
                " FROM release_figures WHERE release_id = $id",
                params,
            ),
            phrases=self._frame(
                "SELECT lesson_id, phrase, groups, variance FROM release_phrases"
                " WHERE release_id = $id ORDER BY groups DESC, phrase",
                params,
            ),
            quotes=self._frame(
                "SELECT lesson_id, position, cause, region, text FROM release_quotes"
                " WHERE release_id = $id ORDER BY lesson_id, position",
                params,
            ),
        )

    def withdrawn_quotes(self) -> frozenset[tuple[int, str, int]]:
        """(release, lesson, position) of every published quote whose answer may no longer be
        quoted: a facilitator hid it (or it waits for approval), its writer no longer
        consents, or it is gone. The funder view leaves them out (`load_view`)."""
        rows = self._all(
            f"""
            SELECT q.release_id, q.lesson_id, q.position
            FROM release_quotes q
            LEFT JOIN reflections r ON r.id = q.reflection_id
            LEFT JOIN participants x ON x.id = r.participant_id
            {MODERATION_JOINS}
            WHERE q.reflection_id IS NOT NULL
                AND (r.id IS NULL OR NOT coalesce(x.quote_consent, false)
                    OR {ANSWER_STATUS} <> '{SHOWN}')
            """
        )
        return frozenset((int(r), str(lesson), int(position)) for r, lesson, position in rows)

    def most_spent(self) -> tuple[float, float]:
        """The largest rho and delta any one group has spent over all releases."""
        row = self._one(
            "SELECT coalesce(max(r), 0), coalesce(max(d), 0) FROM ("
            " SELECT sum(rho) AS r, sum(delta) AS d FROM privacy_spent GROUP BY group_id) per_group"
        )
        return (float(row[0]), float(row[1])) if row else (0.0, 0.0)
