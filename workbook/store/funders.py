"""The funder view's reads (counts and sums per cell of cause x region x year, over workshops
that share with funders, computed in DuckDB) and the bulk load of demo data.

Every read returns "fine" cells only: one row per (measure, cause, region, year, part), where
cause, region and year are positions in the lists the caller passes (a value not in the list
is pooled at the position after the last). Each group belongs to exactly one fine cell, so
the caller adds cells up into totals; `workbook.aggregate` then decides what may be shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from workbook.store.database import Database, Migration

# No schema of its own: the funder view reads what the workshop and map modules store.
MIGRATIONS: tuple[Migration, ...] = ()

# Causes and regions are typed freely: compare them ignoring case and runs of spaces.
_KEY = "lower(trim(regexp_replace({column}, '\\s+', ' ', 'g')))"

# Shared workshops with their fine cell, and each of their groups with its cell.
_CELLS = f"""
shared AS (
    SELECT id AS workshop_id,
        coalesce(list_position($causes::VARCHAR[], {_KEY.format(column="cause")}),
                 len($causes::VARCHAR[]) + 1) - 1 AS ci,
        coalesce(list_position($regions::VARCHAR[], {_KEY.format(column="region")}),
                 len($regions::VARCHAR[]) + 1) - 1 AS ri,
        coalesce(list_position($years::INTEGER[], year(created_at)::INTEGER),
                 len($years::INTEGER[]) + 1) - 1 AS yi
    FROM workshops WHERE shares_with_funders
),
cells AS (
    SELECT g.id AS group_id, s.workshop_id, s.ci, s.ri, s.yi
    FROM groups g JOIN shared s ON s.workshop_id = g.workshop_id
)"""

# A group's score on a statement or finding: its members' mean; its bar: that mean rounded
# half up, so 2.5 counts as 3.
_BAR = "least(greatest(floor(score + 0.5), 1), 5)::INTEGER - 1"


@dataclass(frozen=True)
class CellKeys:
    """The filter values offered to funders, as the store matches them."""

    causes: list[str]
    regions: list[str]
    years: list[int]

    def params(self) -> dict[str, Any]:
        return {"causes": self.causes, "regions": self.regions, "years": self.years}


@dataclass(frozen=True)
class CellRows:
    """Fine cells as columns: measure, ci, ri, yi, part and named values, one entry a row."""

    measure: np.ndarray
    ci: np.ndarray
    ri: np.ndarray
    yi: np.ndarray
    part: np.ndarray
    values: dict[str, np.ndarray]

    @classmethod
    def of(cls, result: Mapping[str, Any], names: Sequence[str]) -> CellRows:
        def column(name: str, dtype: Any) -> np.ndarray:
            data = result[name]
            if isinstance(data, np.ma.MaskedArray):
                data = data.filled(0)
            return np.asarray(data, dtype=dtype)

        return cls(
            measure=column("measure", np.int64),
            ci=column("ci", np.int64),
            ri=column("ri", np.int64),
            yi=column("yi", np.int64),
            part=column("part", np.int64),
            values={name: column(name, np.float64) for name in names},
        )

    def __len__(self) -> int:
        return len(self.measure)


@dataclass(frozen=True)
class QuoteCandidate:
    text: str
    names: tuple[str, ...]  # group name, workshop title and people's names: to blank out


# Tables a bulk load may fill, with the sequence their `id` column draws from (None: no id).
BULK_TABLES: dict[str, str | None] = {
    "workshops": "workshop_ids",
    "groups": "group_ids",
    "participants": "participant_ids",
    "reflections": "answer_ids",
    "ratings": "answer_ids",
    "stakeholders": "stakeholder_ids",
    "stakeholder_ties": None,
    "map_measures": None,
}


@dataclass(frozen=True)
class BulkTable:
    """Rows for one table, numbered locally from 0: `id` and every column in `references`
    hold local numbers, which the load turns into real ids drawn from the table's sequence."""

    table: str
    frame: pd.DataFrame
    references: Mapping[str, str] = field(default_factory=dict)  # column -> referenced table


class FunderQueries(Database):
    """Reads behind the funder view, and bulk loading (demo data)."""

    def _numpy(self, sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
        with self._reader() as cur:
            return cur.execute(sql, dict(params)).fetchnumpy()

    def funder_dimension_values(self) -> list[tuple[str, Any, str, int]]:
        """(axis, key, label, groups) for every cause, region and year of shared workshops.
        The label is the spelling used by most groups."""
        return [
            (str(axis), key, str(label), int(groups))
            for axis, key, label, groups in self._all(
                f"""
                WITH per_workshop AS (SELECT workshop_id, count(*) AS n FROM groups GROUP BY ALL),
                g AS (
                    SELECT {_KEY.format(column="w.cause")} AS cause_key, trim(w.cause) AS cause,
                        {_KEY.format(column="w.region")} AS region_key, trim(w.region) AS region,
                        year(w.created_at)::INTEGER AS year, p.n
                    FROM workshops w JOIN per_workshop p ON p.workshop_id = w.id
                    WHERE w.shares_with_funders
                ),
                causes AS (
                    SELECT cause_key, cause, sum(n) AS n FROM g GROUP BY ALL
                ),
                regions AS (
                    SELECT region_key, region, sum(n) AS n FROM g GROUP BY ALL
                )
                SELECT 'cause', cause_key, arg_max(cause, n), sum(n) FROM causes GROUP BY 2
                UNION ALL
                SELECT 'region', region_key, arg_max(region, n), sum(n) FROM regions GROUP BY 2
                UNION ALL
                SELECT 'year', year, year::VARCHAR, sum(n) FROM g GROUP BY 2
                """
            )
        ]

    def funder_headline_cells(self, keys: CellKeys) -> CellRows:
        """Per fine cell: shared workshops, their groups, participants and answers."""
        sql = f"""
        WITH {_CELLS},
        people AS (SELECT group_id, count(*) AS n FROM participants GROUP BY group_id),
        answered AS (
            SELECT group_id, count(*) AS n FROM (
                SELECT group_id FROM reflections UNION ALL SELECT group_id FROM ratings
            ) GROUP BY group_id
        ),
        per_cell AS (
            SELECT ci, ri, yi, count(*) AS groups, sum(coalesce(people.n, 0)) AS people,
                sum(coalesce(answered.n, 0)) AS answers
            FROM cells LEFT JOIN people USING (group_id) LEFT JOIN answered USING (group_id)
            GROUP BY ci, ri, yi
        ),
        workshops_per_cell AS (SELECT ci, ri, yi, count(*) AS workshops FROM shared GROUP BY ALL)
        SELECT 0 AS measure, w.ci, w.ri, w.yi, 0 AS part, w.workshops,
            coalesce(p.groups, 0) AS groups, coalesce(p.people, 0) AS people,
            coalesce(p.answers, 0) AS answers
        FROM workshops_per_cell w LEFT JOIN per_cell p USING (ci, ri, yi)
        """
        return CellRows.of(
            self._numpy(sql, keys.params()), ("workshops", "groups", "people", "answers")
        )

    def funder_rating_cells(
        self,
        keys: CellKeys,
        *,
        statements: Sequence[tuple[str, str, str]],
        findings: Sequence[str],
    ) -> tuple[CellRows, CellRows]:
        """Ratings per fine cell, for each statement (lesson, statement, its key finding:
        measure 0..S-1) and key finding (measure S..); a group's score is its members' mean
        (for a finding: over that finding's statements), in a round. Ratings of statements
        no longer in the lessons are left out.

        First look: the groups at each bar (part 0..4) and the sum of their scores. Change:
        the groups that rated it both at the first look and at a follow-up, with the sums of
        their first and latest scores. One pass over the ratings serves both."""
        sql = f"""
        WITH {_CELLS},
        known AS (
            SELECT unnest($lessons::VARCHAR[]) AS lesson_id,
                unnest($statements::VARCHAR[]) AS statement_id,
                unnest($finding_of::INTEGER[]) AS finding,
                generate_subscripts($lessons::VARCHAR[], 1) - 1 AS measure
        ),
        -- Integers from here on: grouping on them is several times faster than on names.
        per_round AS (
            SELECT r.group_id, k.measure, any_value(k.finding) AS finding, r.round,
                sum(r.value) AS total, count(*) AS n
            FROM ratings r JOIN known k USING (lesson_id, statement_id)
            GROUP BY r.group_id, k.measure, r.round
        ),
        scored AS (
            SELECT group_id, measure, round, total / n AS score FROM per_round
            UNION ALL
            SELECT group_id, finding, round, sum(total) / sum(n)
            FROM per_round GROUP BY group_id, finding, round
        ),
        first_look AS (
            SELECT 'first' AS kind, measure, ci, ri, yi, {_BAR} AS part, count(*) AS groups,
                sum(score) AS first, 0.0 AS latest
            FROM scored JOIN cells USING (group_id) WHERE round = 1
            GROUP BY ALL
        ),
        pairs AS (
            SELECT group_id, measure,
                max(score) FILTER (WHERE round = 1) AS first,
                arg_max(score, round) FILTER (WHERE round >= 2) AS latest
            FROM scored
            WHERE group_id IN (SELECT group_id FROM per_round WHERE round >= 2)
            GROUP BY ALL
        ),
        changed AS (
            SELECT 'change' AS kind, measure, ci, ri, yi, 0 AS part, count(*) AS groups,
                sum(first) AS first, sum(latest) AS latest
            FROM pairs JOIN cells USING (group_id)
            WHERE first IS NOT NULL AND latest IS NOT NULL
            GROUP BY ALL
        )
        SELECT * FROM first_look UNION ALL SELECT * FROM changed
        """
        params = {
            **keys.params(),
            "lessons": [lesson for lesson, _, _ in statements],
            "statements": [statement for _, statement, _ in statements],
            "finding_of": [len(statements) + findings.index(f) for _, _, f in statements],
        }
        result = self._numpy(sql, params)
        first = np.asarray(result["kind"]) == "first"
        first_look = CellRows.of({n: v[first] for n, v in result.items()}, ("groups", "first"))
        change = CellRows.of(
            {n: v[~first] for n, v in result.items()}, ("groups", "first", "latest")
        )
        return first_look, change

    def funder_map_cells(self, keys: CellKeys, *, kinds: Sequence[str]) -> CellRows:
        """Stakeholder maps (with at least one stakeholder) per fine cell. Measure i < len(kinds):
        maps that have kind i; measure len(kinds): all maps, those with a single point of
        failure, those with any tie, and the sum of their shares of strong ties."""
        sql = f"""
        WITH {_CELLS},
        maps AS (
            SELECT c.ci, c.ri, c.yi, m.single_points_of_failure, m.strong_tie_share,
                m.kinds_present
            FROM map_measures m JOIN cells c USING (group_id)
            WHERE m.stakeholders > 0
        ),
        kinds_present AS (
            SELECT ci, ri, yi, unnest(kinds_present) AS kind FROM maps
        )
        SELECT len($kinds::VARCHAR[]) AS measure, ci, ri, yi, 0 AS part, count(*) AS maps,
            count(*) FILTER (WHERE single_points_of_failure > 0) AS spof,
            count(strong_tie_share) AS tied, coalesce(sum(strong_tie_share), 0) AS share
        FROM maps GROUP BY ALL
        UNION ALL
        SELECT list_position($kinds::VARCHAR[], kind) - 1, ci, ri, yi, 0, count(*), 0, 0, 0
        FROM kinds_present WHERE list_contains($kinds::VARCHAR[], kind)
        GROUP BY ALL
        """
        params = {**keys.params(), "kinds": list(kinds)}
        return CellRows.of(self._numpy(sql, params), ("maps", "spof", "tied", "share"))

    def funder_reflection_pool(self, keys: CellKeys, *, lesson_id: str) -> CellRows:
        """Groups per fine cell with at least one consented reflection on the lesson."""
        sql = f"""
        WITH {_CELLS}
        SELECT 0 AS measure, c.ci, c.ri, c.yi, 0 AS part, count(DISTINCT r.group_id) AS groups
        FROM reflections r
        JOIN participants p ON p.id = r.participant_id
        JOIN cells c ON c.group_id = r.group_id
        WHERE r.lesson_id = $lesson AND p.quote_consent
        GROUP BY ALL
        """
        params = {**keys.params(), "lesson": lesson_id}
        return CellRows.of(self._numpy(sql, params), ("groups",))

    def funder_phrase_cells(
        self,
        keys: CellKeys,
        *,
        lesson_id: str,
        stopwords: Sequence[str],
        candidates: int,
    ) -> tuple[list[str], CellRows]:
        """The `candidates` phrases used by most groups in consented reflections on the
        lesson, and per fine cell how many groups used each (measure = position in the list).
        A phrase is two words that are not stop words ("lived experience"), or two such words
        joined by one stop word ("trust and commitment"); words of participants' names and of
        group names count as stop words."""
        sql = rf"""
        WITH {_CELLS},
        -- Words of people's and groups' names never make a phrase: a name is not a theme.
        names AS (
            SELECT lower(display_name) AS name FROM participants WHERE display_name <> ''
            UNION
            SELECT lower(name) FROM groups
        ),
        stop AS (
            SELECT unnest($stop::VARCHAR[]) AS word
            UNION
            SELECT unnest(regexp_split_to_array(name, '[^\p{{L}}\p{{N}}'']+')) FROM names
        ),
        words AS (
            SELECT r.id, r.group_id,
                regexp_split_to_array(lower(r.text), '[^\p{{L}}\p{{N}}'']+') AS w
            FROM reflections r JOIN participants p ON p.id = r.participant_id
            WHERE r.lesson_id = $lesson AND p.quote_consent
                AND r.group_id IN (SELECT group_id FROM cells)
        ),
        flat AS (
            SELECT id, group_id, unnest(w) AS word, generate_subscripts(w, 1) AS pos
            FROM words
        ),
        marked AS (
            SELECT f.id, f.group_id, f.pos, f.word,
                s.word IS NULL AND f.word <> '' AND NOT regexp_full_match(f.word, '[0-9]+')
                    AS content
            FROM flat f LEFT JOIN stop s USING (word)
        ),
        seq AS (
            SELECT group_id, word AS w1, content AS c1,
                lead(word) OVER line AS w2, lead(content) OVER line AS c2,
                lead(word, 2) OVER line AS w3, lead(content, 2) OVER line AS c3
            FROM marked WINDOW line AS (PARTITION BY id ORDER BY pos)
        ),
        used AS (
            SELECT DISTINCT group_id, phrase FROM (
                SELECT group_id, w1 || ' ' || w2 AS phrase FROM seq WHERE c1 AND c2
                UNION ALL
                SELECT group_id, w1 || ' ' || w2 || ' ' || w3 FROM seq
                WHERE c1 AND NOT c2 AND c3 AND w2 <> ''
            )
        ),
        ranked AS (
            -- Most groups first; at a tie, two words before three, then alphabetical.
            SELECT phrase, count(*) AS groups, len(string_split(phrase, ' ')) AS words
            FROM used GROUP BY phrase
        ),
        top AS (
            SELECT phrase,
                row_number() OVER (ORDER BY groups DESC, words, phrase) - 1 AS measure
            FROM ranked ORDER BY groups DESC, words, phrase LIMIT $top
        )
        SELECT t.measure, c.ci, c.ri, c.yi, 0 AS part, count(*) AS groups,
            any_value(t.phrase) AS phrase
        FROM used u JOIN top t USING (phrase) JOIN cells c USING (group_id)
        GROUP BY ALL
        """
        params = {**keys.params(), "lesson": lesson_id, "stop": list(stopwords), "top": candidates}
        result = self._numpy(sql, params)
        phrases: dict[int, str] = {}
        for measure, phrase in zip(
            result["measure"].tolist(), result["phrase"].tolist(), strict=True
        ):
            phrases[int(measure)] = str(phrase)
        # Renumber densely in order of use, so measure i is phrases[i].
        order = sorted(phrases)
        renumber = {old: new for new, old in enumerate(order)}
        rows = CellRows.of(result, ("groups",))
        measure = np.array([renumber[int(m)] for m in rows.measure.tolist()], dtype=np.int64)
        rows = CellRows(measure, rows.ci, rows.ri, rows.yi, rows.part, rows.values)
        return [phrases[m] for m in order], rows

    def funder_quote_candidates(
        self,
        keys: CellKeys,
        *,
        cell: tuple[int | None, int | None, int | None],
        lesson_id: str,
        limit: int,
    ) -> list[QuoteCandidate]:
        """Consented reflections on the lesson from the cell (None: any value on that axis),
        one per group, in a stable shuffled order, with the names to blank out of each."""
        ci, ri, yi = cell
        sql = f"""
        WITH {_CELLS},
        picked AS (
            SELECT r.id, r.text, r.group_id, c.workshop_id
            FROM reflections r
            JOIN participants p ON p.id = r.participant_id
            JOIN cells c ON c.group_id = r.group_id
            WHERE r.lesson_id = $lesson AND p.quote_consent
                AND length(r.text) BETWEEN 40 AND 400
                AND ($ci IS NULL OR c.ci = $ci) AND ($ri IS NULL OR c.ri = $ri)
                AND ($yi IS NULL OR c.yi = $yi)
            QUALIFY row_number() OVER (PARTITION BY r.group_id ORDER BY hash(r.id)) = 1
            ORDER BY hash(r.id * 7919 + r.group_id) LIMIT $limit
        )
        SELECT picked.text, g.name, w.title,
            (SELECT list(display_name) FROM participants x
             WHERE x.workshop_id = picked.workshop_id AND x.display_name <> '') AS people
        FROM picked JOIN groups g ON g.id = picked.group_id
        JOIN workshops w ON w.id = picked.workshop_id
        ORDER BY hash(picked.id * 7919 + picked.group_id)
        """
        params = {**keys.params(), "lesson": lesson_id, "ci": ci, "ri": ri, "yi": yi}
        params["limit"] = limit
        with self._cursor() as cur:
            rows = cur.execute(sql, params).fetchall()
        return [
            QuoteCandidate(str(text), (str(group), str(title), *(people or [])))
            for text, group, title, people in rows
        ]

    # -- bulk load (demo data) --

    def bulk_load(self, tables: Sequence[BulkTable]) -> dict[str, int]:
        """Append many rows in ONE transaction on the writer thread: each frame is scanned by
        DuckDB directly (INSERT ... SELECT), never inserted row by row. Returns the rows added
        per table. Tables must come after the tables they reference."""
        for item in tables:
            if item.table not in BULK_TABLES:
                raise ValueError(f"bulk_load cannot fill {item.table!r}")
            for target in item.references.values():
                if BULK_TABLES.get(target) is None:
                    raise ValueError(f"{item.table} cannot reference {target!r} by local number")

        def work(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
            first_id: dict[str, int] = {}
            added: dict[str, int] = {}
            for item in tables:
                rows = len(item.frame)
                sequence = BULK_TABLES[item.table]
                if sequence is not None and rows:
                    # Take `rows` consecutive values: the writer thread is the only one
                    # drawing from sequences, and the file is locked to this process.
                    (last,) = cur.execute(
                        f"SELECT max(nextval('{sequence}')) FROM range(?)", [rows]
                    ).fetchall()[0]
                    first_id[item.table] = int(last) - rows + 1
                columns = [str(c) for c in item.frame.columns]
                select = []
                for column in columns:
                    quoted = f'"{column}"'
                    if column == "id" and sequence is not None:
                        select.append(f"{quoted} + {first_id.get(item.table, 0)}")
                    elif column in item.references:
                        select.append(f"{quoted} + {first_id.get(item.references[column], 0)}")
                    else:
                        select.append(quoted)
                view = f"bulk_{item.table}"
                cur.register(view, item.frame)
                try:
                    cur.execute(
                        f"INSERT INTO {item.table} ({', '.join(columns)})"
                        f" SELECT {', '.join(select)} FROM {view}"
                    ).fetchall()
                finally:
                    cur.unregister(view)
                added[item.table] = added.get(item.table, 0) + rows
            return added

        return self._write(work)

    def workshop_count(self) -> int:
        row = self._one("SELECT count(*) FROM workshops")
        return int(row[0]) if row else 0
