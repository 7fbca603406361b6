"""Times every query behind the funder page, its suppression steps and a whole page
computation, on a demo database of 10,000 workshops (about a million reflections and
ratings), beside the same aggregates done in pandas on the same data.

    .venv/bin/python bench/bench_funders.py [--workshops 10000] [--runs 15] [--db PATH]

Prints the median and 95th percentile of each (milliseconds), the pandas time and the ratio
pandas / DuckDB, and the machine. The database is built in a temporary folder unless --db
names an existing demo file.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imports after the path line on purpose: `python bench/bench_funders.py` puts bench/, not
# the repo root, on sys.path.
import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench.common import load_average, machine  # noqa: E402
from workbook import aggregate, demo  # noqa: E402
from workbook.lessons import LessonSet, load_lessons  # noqa: E402
from workbook.models import STAKEHOLDER_KINDS  # noqa: E402
from workbook.store import Store  # noqa: E402
from workbook.store.funders import CellRows  # noqa: E402

K = 5


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile of `runs` calls in milliseconds, after one warm-up call."""
    action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


# --- the same aggregates in pandas ----------------------------------------------------------


def _key(series: pd.Series) -> pd.Series:
    return series.str.replace(r"\s+", " ", regex=True).str.strip().str.lower()


class PandasFunder:
    """The funder aggregates done the pandas way: raw rows pulled out, then grouped."""

    def __init__(self, store: Store, dims: aggregate.Dimensions) -> None:
        # The store's own connection: DuckDB allows one configuration per file per process.
        with store._cursor() as con:
            self.workshops = con.execute("SELECT * FROM workshops").df()
            self.groups = con.execute("SELECT id, workshop_id, name FROM groups").df()
            self.participants = con.execute(
                "SELECT id, workshop_id, group_id, display_name, quote_consent FROM participants"
            ).df()
            self.ratings = con.execute(
                "SELECT group_id, lesson_id, statement_id, key_finding, round, value FROM ratings"
            ).df()
            self.reflections = con.execute(
                "SELECT id, group_id, participant_id, lesson_id, text FROM reflections"
            ).df()
            self.maps = con.execute("SELECT * FROM map_measures").df()
        self.dims = dims

    def cells(self) -> pd.DataFrame:
        shared = self.workshops[self.workshops["shares_with_funders"]].copy()

        def position(values: pd.Series, keys: tuple[object, ...]) -> pd.Series:
            index = {key: i for i, key in enumerate(keys)}
            return values.map(index).fillna(len(keys)).astype(int)

        shared["ci"] = position(_key(shared["cause"]), self.dims.cause.keys)
        shared["ri"] = position(_key(shared["region"]), self.dims.region.keys)
        shared["yi"] = position(shared["created_at"].dt.year, self.dims.year.keys)
        groups = self.groups.merge(
            shared[["id", "ci", "ri", "yi"]], left_on="workshop_id", right_on="id"
        )
        return groups.rename(columns={"id_x": "group_id"})[["group_id", "ci", "ri", "yi"]]

    def dimension_values(self) -> pd.DataFrame:
        shared = self.workshops[self.workshops["shares_with_funders"]]
        per = self.groups.groupby("workshop_id").size().rename("n").reset_index()
        joined = shared.merge(per, left_on="id", right_on="workshop_id")
        joined["cause_key"] = _key(joined["cause"])
        return joined.groupby("cause_key")["n"].sum().reset_index()

    def headline(self) -> pd.DataFrame:
        cells = self.cells()
        people = self.participants.groupby("group_id").size().rename("people")
        answers = pd.concat([self.ratings["group_id"], self.reflections["group_id"]])
        answers = answers.value_counts().rename("answers")
        joined = cells.join(people, on="group_id").join(answers, on="group_id").fillna(0)
        return joined.groupby(["ci", "ri", "yi"]).agg(
            groups=("group_id", "size"), people=("people", "sum"), answers=("answers", "sum")
        )

    def ratings_and_change(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        cells = self.cells()
        scores = (
            self.ratings.groupby(["group_id", "lesson_id", "statement_id", "round"])["value"]
            .mean()
            .rename("score")
            .reset_index()
        )
        first = scores[scores["round"] == 1].merge(cells, on="group_id")
        first["bar"] = np.clip(np.floor(first["score"] + 0.5), 1, 5)
        table = first.groupby(["lesson_id", "statement_id", "ci", "ri", "yi", "bar"]).agg(
            groups=("score", "size"), total=("score", "sum")
        )
        came_back = scores[scores["round"] >= 2]
        latest = (
            came_back.sort_values("round")
            .groupby(["group_id", "lesson_id", "statement_id"])["score"]
            .last()
        )
        pairs = (
            scores[scores["round"] == 1]
            .set_index(["group_id", "lesson_id", "statement_id"])["score"]
            .to_frame("first")
            .join(latest.rename("latest"), how="inner")
            .reset_index()
            .merge(cells, on="group_id")
        )
        change = pairs.groupby(["lesson_id", "statement_id", "ci", "ri", "yi"]).agg(
            groups=("first", "size"), first=("first", "sum"), latest=("latest", "sum")
        )
        return table, change

    def maps_table(self) -> tuple[pd.DataFrame, pd.Series]:
        maps = self.maps[self.maps["stakeholders"] > 0].merge(self.cells(), on="group_id")
        kinds = maps[["ci", "ri", "yi", "kinds_present"]].explode("kinds_present")
        per_kind = kinds.groupby(["ci", "ri", "yi", "kinds_present"]).size()
        maps["spof"] = maps["single_points_of_failure"] > 0
        overall = maps.groupby(["ci", "ri", "yi"]).agg(
            maps=("group_id", "size"),
            spof=("spof", "sum"),
            tied=("strong_tie_share", "count"),
            share=("strong_tie_share", "sum"),
        )
        return overall, per_kind

    def phrases(self, lesson_id: str) -> pd.Series:
        consented = self.participants.loc[self.participants["quote_consent"], "id"]
        texts = self.reflections[
            (self.reflections["lesson_id"] == lesson_id)
            & self.reflections["participant_id"].isin(consented)
        ]
        stop = set(aggregate.STOPWORDS)
        words = texts["text"].str.lower().str.split(r"[^\w']+", regex=True)
        rows = []
        for group, tokens in zip(texts["group_id"], words, strict=True):
            tokens = [t for t in tokens if t]
            for a, b in itertools.pairwise(tokens):
                if a not in stop and b not in stop:
                    rows.append((group, f"{a} {b}"))
        used = pd.DataFrame(rows, columns=["group_id", "phrase"]).drop_duplicates()
        return used.merge(self.cells(), on="group_id").groupby(["phrase", "ci", "ri", "yi"]).size()


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/bench_funders.py")
    parser.add_argument("--workshops", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path, default=None, help="an existing demo database")
    args = parser.parse_args()
    lessons = load_lessons(ROOT / "lessons")
    print(f"Machine: {machine(duckdb, np, pd)}, {load_average()}")

    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.duckdb"
        if args.db is None:
            started = time.perf_counter()
            store = Store(path)
            data = demo.generate(args.workshops, seed=1, lessons=lessons)
            store.bulk_load(data.tables)
            print(
                f"Demo database: {args.workshops:,} workshops, {data.rows('ratings'):,} ratings, "
                f"{data.rows('reflections'):,} reflections, built in "
                f"{time.perf_counter() - started:.1f} s"
            )
        else:
            store = Store(path)
        try:
            return run(store, lessons, args.runs)
        finally:
            store.close()


def run(store: Store, lessons: LessonSet, runs: int) -> int:
    dims = aggregate.dimensions(store.funder_dimension_values(), K)
    keys = dims.cell_keys
    statements, findings = aggregate.rating_measures(lessons)
    statement_keys = aggregate.statement_keys(statements)
    finding_keys = [m.finding.value for m in findings]
    lesson_id = next(lesson.id for lesson in lessons.lessons if lesson.prompts)
    everything = aggregate.Selection()

    def ratings_sql() -> tuple[CellRows, CellRows]:
        return store.funder_rating_cells(keys, statements=statement_keys, findings=finding_keys)

    rating_rows, change_rows = ratings_sql()
    headline_rows = store.funder_headline_cells(keys)
    map_rows = store.funder_map_cells(keys, kinds=STAKEHOLDER_KINDS)
    phrases, phrase_rows = store.funder_phrase_cells(
        keys, lesson_id=lesson_id, stopwords=aggregate.STOPWORDS, candidates=40
    )
    measures = [*statements, *findings]
    figures = aggregate.build_figures(store, lessons, K)
    themes = aggregate.build_themes(store, dims, lesson_id, K)

    def whole_page() -> None:
        built = aggregate.build_figures(store, lessons, K)
        cell = everything.cell(built.dims)
        lesson_themes = aggregate.build_themes(store, built.dims, lesson_id, K)
        aggregate.quotes_at(store, built.dims, lesson_themes, everything, K)
        aggregate.rating_frame(built.ratings.rows(cell), K)
        aggregate.change_frame(built.change.rows(cell), K)
        aggregate.kind_frame(built.maps.at(cell), K)
        built.headline.at(cell)
        lesson_themes.phrases_at(cell)

    pandas_side = PandasFunder(store, dims)
    load_ms, _ = timed(lambda: PandasFunder(store, dims), 1)
    print(f"pandas: pulling the raw rows out once takes {load_ms:,.0f} ms (not counted below)")

    queries: list[tuple[str, Callable[[], object], Callable[[], object] | None]] = [
        (
            "filters (causes, regions, years)",
            store.funder_dimension_values,
            pandas_side.dimension_values,
        ),
        ("headline numbers", lambda: store.funder_headline_cells(keys), pandas_side.headline),
        ("ratings and change (one pass)", ratings_sql, pandas_side.ratings_and_change),
        (
            "stakeholder maps",
            lambda: store.funder_map_cells(keys, kinds=STAKEHOLDER_KINDS),
            pandas_side.maps_table,
        ),
        (
            "phrases of one lesson",
            lambda: store.funder_phrase_cells(
                keys, lesson_id=lesson_id, stopwords=aggregate.STOPWORDS, candidates=40
            ),
            lambda: pandas_side.phrases(lesson_id),
        ),
        (
            "consented answers per cell (quotes)",
            lambda: store.funder_reflection_pool(keys, lesson_id=lesson_id),
            None,
        ),
        (
            "quote candidates",
            lambda: store.funder_quote_candidates(
                keys, cell=(None, None, None), lesson_id=lesson_id, limit=20
            ),
            None,
        ),
    ]
    suppression: list[tuple[str, Callable[[], object]]] = [
        ("headline", lambda: aggregate.headline_table(headline_rows, dims, K)),
        (
            "ratings: counts and bars",
            lambda: aggregate.rating_table(rating_rows, measures, dims, K),
        ),
        ("change", lambda: aggregate.change_table(change_rows, measures, dims, K)),
        ("stakeholder maps", lambda: aggregate.map_table(map_rows, dims, K)),
        ("phrases", lambda: aggregate.phrase_table(phrase_rows, phrases, dims, K)),
    ]
    width = 40
    print(f"\nQueries behind the funder page (DuckDB), {runs} runs each, milliseconds:")
    print(f"{'query':<{width}} {'median':>8} {'p95':>8} {'pandas':>8} {'pandas/DuckDB':>14}")
    for name, action, in_pandas in queries:
        median, p95 = timed(action, runs)
        if in_pandas is None:
            print(f"{name:<{width}} {median:>8.1f} {p95:>8.1f} {'-':>8} {'-':>14}")
            continue
        pandas_median, _ = timed(in_pandas, max(3, runs // 3))
        ratio = pandas_median / median if median else float("nan")
        print(f"{name:<{width}} {median:>8.1f} {p95:>8.1f} {pandas_median:>8.1f} {ratio:>13.1f}x")
    print(f"\nSuppression (rules 1-3, numpy), {runs} runs each, milliseconds:")
    print(f"{'table':<{width}} {'median':>8} {'p95':>8}")
    for name, action in suppression:
        median, p95 = timed(action, runs)
        print(f"{name:<{width}} {median:>8.1f} {p95:>8.1f}")
    page_runs = max(5, runs // 2)
    median, p95 = timed(whole_page, page_runs)
    print(
        f"\nWhole page computation, uncached (all queries + suppression + tables), "
        f"{page_runs} runs: median {median:,.0f} ms, p95 {p95:,.0f} ms"
    )
    cell = everything.cell(dims)
    median, p95 = timed(
        lambda: (
            figures.ratings.rows(cell),
            figures.change.rows(cell),
            figures.maps.at(cell),
            themes.phrases_at(cell),
        ),
        runs,
    )
    print(
        f"Page rerun with the figures cached (filters changed): median {median:.1f} ms, "
        f"p95 {p95:.1f} ms"
    )
    print(f"\nMachine at the end: {machine(duckdb, np, pd)}, {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
