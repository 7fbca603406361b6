"""The funder releases (differential privacy): utility, accuracy, speed and memory.

    .venv/bin/python bench/bench_release.py [--workshops 200 10000] [--repeats 5]

On demo databases of each size (seed 1, built here in a temporary folder):
1. Utility: the share of rating statements (and of key findings) whose mean shows a figure
   (not "too few groups to say"), with no filter, one filter (every cause, region and year),
   two filters (every cause x region, cause x year and region x year) and three (every cause
   x region x year), on the first releases (default Budget, as `python -m workbook.release
   make` makes them).
2. Accuracy: the published statement means against the exact mean of the same quantity (each
   group's first-look member mean rounded half up to 1..5), computed here from the raw tables
   with DuckDB and pandas, for selections of about 20, 50 and 200 groups (one, two or three
   filters), over `--repeats` releases of every year: the share shown, the error of shown
   means and of every noisy mean (the "too few" rule off), the median margin, and how often
   the exact mean lies inside the published 90% margin.
3. Speed (largest demo): one release of one year, where its time goes (cProfile), load_view,
   and the figures one page view computes (cold: the view's per-selection cache emptied
   before each run); the whole page in Streamlit's AppTest, signed in.
4. Memory: peak RSS of a process that only makes the releases (like the release command).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import math
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imports after the path line on purpose: `python bench/bench_release.py` puts bench/, not the
# repo root, on sys.path.
import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench.common import (  # noqa: E402
    cpu_times,
    load_average,
    machine,
    percentile,
    steal_share,
)
from workbook.config import PROJECT_ROOT, get_settings  # noqa: E402
from workbook.demo.generator import generate  # noqa: E402
from workbook.lessons import LessonSet, load_lessons  # noqa: E402
from workbook.release import tables  # noqa: E402
from workbook.release import view as view_module  # noqa: E402
from workbook.release.budget import Budget  # noqa: E402
from workbook.release.make import make_release  # noqa: E402
from workbook.release.mechanisms import ExactNoise  # noqa: E402
from workbook.release.view import FunderView, Selection, load_view  # noqa: E402
from workbook.store import Store  # noqa: E402

SEED = 1
LARGE_LIFETIME = 50.0  # the most Budget allows: room for every repeat of a period
BINS = ((15, 25), (40, 60), (150, 250))  # groups in a selection: "about 20, 50, 200"
PAGE_RUNS = 20
APPTEST_RUNS = 5
BENCH_KEY = "bench funder key"


def lessons_here() -> LessonSet:
    return load_lessons(PROJECT_ROOT / "lessons")


def statement_labels(lessons: LessonSet) -> dict[str, str]:
    return {
        f"{lesson.id}/{statement.id}": statement.text
        for lesson in lessons.lessons
        for statement in lesson.ratings
    }


def rss_now_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def ms(values: list[float]) -> str:
    """median / p95 in ms."""
    shown = [v * 1000 for v in values]
    return f"{statistics.median(shown):8.1f} / {percentile(shown, 0.95):8.1f} ms (n={len(shown)})"


# --- the child: make the first releases of every year, as the command does ---------------------


def child_release(db: Path) -> None:
    """Make one release (default Budget) of every period with shared workshops; print JSON
    with each release's seconds and this process's peak RSS."""
    lessons = lessons_here()
    store = Store(db)
    before = rss_now_kb()
    out: dict[str, object] = {"rss_before_kb": before, "releases": []}
    try:
        for period, _ in store.release_periods():
            started = time.perf_counter()
            made = make_release(store, lessons, period=period, budget=Budget())
            seconds = time.perf_counter() - started
            out["releases"].append(  # type: ignore[union-attr]
                {"period": period, "seconds": seconds, "groups": made.groups}
            )
    finally:
        store.close()
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))


def run_child(db: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child-release", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the release child failed:\n{done.stderr[-4000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


# --- the truth, from the raw tables ------------------------------------------------------------


@dataclass
class Truth:
    groups: pd.DataFrame  # group_id, period, cause, region (spellings as the release reads them)
    rounded: pd.DataFrame  # index group_id (all of `groups`), one column per statement, NaN
    #                        where the group gave no first-look rating


def read_truth(db: Path, measures: list[str]) -> Truth:
    """Every shared group and its first-look member mean per statement, rounded half up."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        groups = con.execute(
            r"""
            SELECT g.id AS group_id, year(w.created_at)::INTEGER AS period,
                trim(regexp_replace(w.cause, '\s+', ' ', 'g')) AS cause,
                trim(regexp_replace(w.region, '\s+', ' ', 'g')) AS region
            FROM groups g JOIN workshops w ON w.id = g.workshop_id
            WHERE w.shares_with_funders
            ORDER BY g.id
            """
        ).df()
        first = con.execute(
            """
            SELECT r.group_id, r.lesson_id || '/' || r.statement_id AS measure,
                avg(r.value) AS mean
            FROM ratings r JOIN groups g ON g.id = r.group_id
            JOIN workshops w ON w.id = g.workshop_id
            WHERE w.shares_with_funders AND r.round = 1
            GROUP BY ALL
            """
        ).df()
    finally:
        con.close()
    first = first[first["measure"].isin(measures)]
    first["rounded"] = np.clip(np.floor(first["mean"] + 0.5), 1, 5)
    rounded = (
        first.pivot(index="group_id", columns="measure", values="rounded")
        .reindex(index=groups["group_id"], columns=measures)
        .astype("float64")
    )
    groups["cause"] = groups["cause"].map(str.casefold)
    groups["region"] = groups["region"].map(str.casefold)
    return Truth(groups=groups.reset_index(drop=True), rounded=rounded)


OTHER = "\x00other"


def cells_of(truth: Truth, view: FunderView) -> pd.DataFrame:
    """Each group's period, cause key and region key as the view's releases place it (a
    spelling its period's release does not list counts under "other")."""
    listed: dict[tuple[int, str], set[str]] = {}
    for release in view.releases:
        rows = release.categories
        for axis in ("cause", "region"):
            keys = set(rows.loc[rows["axis"] == axis, "key"].astype(str))
            # The last position is the "other" bucket (key ""); a released "" spelling (a
            # region not given) keeps its own cell but is never offered as a filter.
            listed[(release.record.period, axis)] = keys
    frame = truth.groups[["group_id", "period"]].copy()
    for axis in ("cause", "region"):
        frame[axis] = [
            spelling if spelling in listed.get((int(period), axis), set()) else OTHER
            for period, spelling in zip(truth.groups["period"], truth.groups[axis], strict=True)
        ]
    return frame


# --- selections --------------------------------------------------------------------------------


def selections(view: FunderView) -> dict[str, list[Selection]]:
    causes = [k for k, _ in view.causes]
    regions = [k for k, _ in view.regions]
    periods = list(view.periods)
    return {
        "none": [Selection()],
        "cause": [Selection(cause=c) for c in causes],
        "region": [Selection(region=r) for r in regions],
        "year": [Selection(period=p) for p in periods],
        "cause x region": [Selection(cause=c, region=r) for c in causes for r in regions],
        "cause x year": [Selection(period=p, cause=c) for c in causes for p in periods],
        "region x year": [Selection(period=p, region=r) for r in regions for p in periods],
        "cause x region x year": [
            Selection(period=p, cause=c, region=r) for c in causes for r in regions for p in periods
        ],
    }


def mask_of(cells: pd.DataFrame, selection: Selection) -> np.ndarray:
    mask = np.ones(len(cells), dtype=bool)
    if selection.period is not None:
        mask &= cells["period"].to_numpy() == selection.period
    if selection.cause is not None:
        mask &= cells["cause"].to_numpy() == selection.cause
    if selection.region is not None:
        mask &= cells["region"].to_numpy() == selection.region
    return mask


# --- 1. utility --------------------------------------------------------------------------------


def shown_value(view: FunderView, selection: Selection) -> str:
    """The one filter's value as the page labels it."""
    if selection.cause is not None:
        return dict(view.causes).get(selection.cause, selection.cause)
    if selection.region is not None:
        return dict(view.regions).get(selection.region, selection.region)
    return str(selection.period)


def utility(view: FunderView) -> list[str]:
    lines = []
    header = (
        f"  {'filters':<22}{'selections':>11}{'statements shown':>18}{'min over values':>17}"
        f"{'findings shown':>16}{'min over values':>17}  unlisted"
    )
    lines.append(header)
    missing: list[str] = []
    for family, chosen in selections(view).items():
        per_statement = []
        per_finding = []
        unlisted = 0
        for selection in chosen:
            statements = view.statement_ratings(selection)
            findings = view.finding_ratings(selection)
            per_statement.append([r.mean.known for r in statements])
            if family in ("cause", "region", "year"):
                missing += [
                    f"{family} {shown_value(view, selection)}:"
                    f" {r.measure} (groups {r.groups.text()}, margin +/-{r.mean.margin:.2f})"
                    for r in statements
                    if not r.mean.known
                ]
            per_finding.append([r.mean.known for r in findings])
            chosen_periods = view.periods if selection.period is None else [selection.period]
            if selection.filters and set(chosen_periods) <= set(view.missing_from(selection)):
                unlisted += 1

        def share(rows: list[list[bool]]) -> tuple[float, float]:
            flat = [x for row in rows for x in row]
            if not flat:
                return float("nan"), float("nan")
            return sum(flat) / len(flat), min(sum(row) / len(row) for row in rows if row)

        s_all, s_min = share(per_statement)
        f_all, f_min = share(per_finding)
        lines.append(
            f"  {family:<22}{len(chosen):>11}{s_all:>18.1%}{s_min:>17.1%}"
            f"{f_all:>16.1%}{f_min:>17.1%}  {unlisted}"
        )
    lines.append(
        "  (unlisted: selections whose cause or region no chosen year's release lists, so they"
        " have no figures at all)"
    )
    if missing and len(missing) <= 12:
        lines.append("  statement means not shown with one filter:")
        lines += [f"    {m}" for m in missing]
    elif missing:
        lines.append(f"  {len(missing)} statement means not shown with one filter")
    return lines


# --- 2. accuracy -------------------------------------------------------------------------------


@contextlib.contextmanager
def nothing_hidden() -> Iterator[None]:
    """The view's own arithmetic with its "too few groups to say" rule off (MEAN_LIMIT read at
    call time): the noisy mean it would have shown, to measure what the rule hides."""
    saved = view_module.MEAN_LIMIT
    view_module.MEAN_LIMIT = math.inf
    try:
        yield
    finally:
        view_module.MEAN_LIMIT = saved


def accuracy_rows(view: FunderView, truth: Truth, round_: int) -> list[dict]:
    """One row per (filtered selection in a bin, statement): truth and published."""
    cells = cells_of(truth, view)
    rounded = truth.rounded.to_numpy()
    measures = list(truth.rounded.columns)
    rows = []
    for family, chosen in selections(view).items():
        if family == "none":
            continue
        for selection in chosen:
            mask = mask_of(cells, selection)
            size = int(mask.sum())
            if not any(low <= size <= high for low, high in BINS):
                continue
            picked = rounded[mask]
            published = {r.measure: r.mean for r in view.statement_ratings(selection)}
            with nothing_hidden():
                raw = {r.measure: r.mean for r in view.statement_ratings(selection)}
            for j, measure in enumerate(measures):
                column = picked[:, j]
                rated = int(np.isfinite(column).sum())
                if rated == 0 or measure not in published:
                    continue
                rows.append(
                    {
                        "round": round_,
                        "selection": f"{family}: {selection}",
                        "groups": size,
                        "rated": rated,
                        "truth": float(np.nanmean(column)),
                        "value": published[measure].value,
                        "margin": published[measure].margin,
                        "raw": raw[measure].value,
                        "raw_margin": raw[measure].margin,
                    }
                )
    return rows


def check_truth(db: Path, truth: Truth, lessons: LessonSet, labels: dict[str, str]) -> str:
    """On a copy, releases made with no noise (ExactNoise) must publish exactly `truth`'s
    means: this checks the truth computed here, and how it maps groups to cells."""
    copy = db.with_name(db.stem + "-exact.duckdb")
    shutil.copy(db, copy)
    store = Store(copy)
    try:
        for period, _ in store.release_periods():
            make_release(
                store,
                lessons,
                period=period,
                budget=Budget(lifetime_rho=LARGE_LIFETIME),
                noise=ExactNoise(),
            )
        view = load_view(store, labels, LARGE_LIFETIME)
    finally:
        store.close()
        copy.unlink(missing_ok=True)
    cells = cells_of(truth, view)
    rounded = truth.rounded.to_numpy()
    measures = list(truth.rounded.columns)
    worst, figures = 0.0, 0
    for chosen in selections(view).values():
        for selection in chosen:
            picked = rounded[mask_of(cells, selection)]
            with nothing_hidden():
                published = {r.measure: r.mean for r in view.statement_ratings(selection)}
            for j, measure in enumerate(measures):
                column = picked[:, j]
                if not np.isfinite(column).any():
                    continue
                value = published[measure].value
                worst = max(worst, math.inf if value is None else abs(value - np.nanmean(column)))
                figures += 1
    return f"max |published - exact| = {worst:.2g} over {figures:,} statement means"


def _errors(part: pd.DataFrame, value: str, margin: str) -> str:
    known = part[part[value].notna() & np.isfinite(part[margin])]
    if known.empty:
        return f"{'-':>7}{'-':>8}{'-':>7}{'-':>8}{'-':>8}"
    error = (known[value] - known["truth"]).abs()
    inside = (error <= known[margin]).mean()
    return (
        f"{error.mean():>7.3f}{error.median():>8.3f}{percentile(list(error), 0.95):>7.3f}"
        f"{known[margin].median():>8.3f}{inside:>8.1%}"
    )


def accuracy_table(rows: list[dict]) -> list[str]:
    frame = pd.DataFrame(rows)
    head = f"{'MAE':>7}{'median':>8}{'p95':>7}{'margin':>8}{'inside':>8}"
    lines = [
        f"  {'':<9}{'':>11}{'':>9}{'':>7}{'':>7}{'':>7}  {'shown figures':<38}  every noisy mean"
        " (too-few rule off)",
        f"  {'groups':<9}{'selections':>11}{'figures':>9}{'rated':>7}{'shown':>7}{'share':>7}"
        f"  {head}  {head}",
    ]
    for low, high in BINS:
        part = frame[(frame["groups"] >= low) & (frame["groups"] <= high)] if rows else frame
        if part.empty:
            lines.append(f"  {f'{low}-{high}':<9}{'none in this bin':>30}")
            continue
        chosen = part.drop_duplicates(["round", "selection"]).shape[0]
        shown = int(part["value"].notna().sum())
        lines.append(
            f"  {f'{low}-{high}':<9}{chosen:>11}{len(part):>9}"
            f"{part['rated'].median():>7.0f}{shown:>7}{shown / len(part):>7.1%}"
            f"  {_errors(part, 'value', 'margin')}  {_errors(part, 'raw', 'raw_margin')}"
        )
    lines.append(
        "  (figures: selection x statement x release; shown: how many of them showed a mean;"
        " share: shown / figures; rated: median groups with a first-look rating of the"
        " statement; MAE, median and p95"
        " absolute error on the 1-5 scale; margin: median published 90% half-width; inside:"
        " share of exact means inside value +/- margin)"
    )
    return lines


# --- 3. speed ----------------------------------------------------------------------------------


def page_figures(view: FunderView, selection: Selection, lesson_id: str) -> None:
    """What the funder page computes for one selection (its figures and their tables)."""
    headline = view.headline(selection)
    findings = view.finding_ratings(selection)
    every = view.statement_ratings(selection)
    one = view.statement_ratings(selection, findings[0].finding) if findings else []
    changes = view.changes(selection)
    maps = view.maps(selection)
    phrases = view.phrases(selection, lesson_id)
    view.quotes(selection, lesson_id)
    del headline
    tables.rating_frame(findings)
    tables.rating_frame(one)
    tables.rating_frame(every)
    if findings:
        tables.distribution_frame(findings[0])
    tables.change_frame(changes)
    tables.kinds_frame(maps)
    tables.phrase_frame(phrases)


def time_page(view: FunderView, chosen: list[Selection], lesson_id: str, *, cold: bool) -> list:
    times = []
    for i in range(PAGE_RUNS):
        selection = chosen[i % len(chosen)]
        if cold:
            view._sums.clear()  # the view caches each selection's sums; a new choice misses
        started = time.perf_counter()
        page_figures(view, selection, lesson_id)
        times.append(time.perf_counter() - started)
    return times


def profile_release(store: Store, lessons: LessonSet, period: int) -> tuple[float, list[str]]:
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(
        make_release, store, lessons, period=period, budget=Budget(lifetime_rho=LARGE_LIFETIME)
    )
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in stats.values())

    def name(key: tuple[str, int, str]) -> str:
        path, line, func = key
        short = path.replace(str(ROOT) + "/", "")
        if "site-packages/" in short:
            short = short.split("site-packages/", 1)[1]
        if "/lib/python3" in short:
            short = "stdlib:" + short.rsplit("/", 1)[-1]
        return f"{func} ({short}:{line})" if line else func

    lines = [f"  profiled release: {seconds:.1f} s under cProfile"]
    lines.append("  top 5 by cumulative time (below make_release itself):")
    ranked = sorted(stats.items(), key=lambda kv: -kv[1][3])
    shown = 0
    for key, (_, calls, tottime, cumtime, _) in ranked:
        if key[2] in ("make_release", "<built-in method builtins.exec>") or cumtime >= total:
            continue
        lines.append(
            f"    {cumtime:6.2f} s {cumtime / total:5.0%}  self {tottime:5.2f} s"
            f"  x{calls:<7} {name(key)}"
        )
        shown += 1
        if shown == 5:
            break
    lines.append("  top 5 by own time:")
    for key, (_, calls, tottime, cumtime, _) in sorted(stats.items(), key=lambda kv: -kv[1][2])[:5]:
        lines.append(
            f"    {tottime:6.2f} s {tottime / total:5.0%}  cum {cumtime:5.2f} s"
            f"  x{calls:<7} {name(key)}"
        )

    # Where make_release's own time goes: its direct callees, then inside the biggest two.
    def callees(parent: tuple[str, int, str]) -> list[tuple[tuple[str, int, str], float]]:
        found = [
            (key, callers[parent][3])
            for key, (_, _, _, _, callers) in stats.items()
            if parent in callers
        ]
        return sorted(found, key=lambda kv: -kv[1])

    [root] = [key for key in stats if key[2] == "make_release"]
    lines.append("  make_release's direct calls (cumulative time under it):")
    direct = callees(root)
    for key, spent in direct[:8]:
        lines.append(f"    {spent:6.2f} s {spent / total:5.0%}  {name(key)}")
    for key, spent in direct[:2]:
        inner = callees(key)[:4]
        lines.append(f"  inside {key[2]} ({spent:.2f} s):")
        for inner_key, inner_spent in inner:
            lines.append(f"    {inner_spent:6.2f} s {inner_spent / total:5.0%}  {name(inner_key)}")
    return seconds, lines


def apptest_page(db: Path, view: FunderView) -> list[str]:
    from streamlit import logger as streamlit_logger
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    streamlit_logger.set_log_level("error")  # "missing ScriptRunContext" warnings, not ours
    # Run as a long-running server does (tests/conftest.py's navigation_mode): AppTest resets
    # `PagesManager.uses_pages_directory` before every run, so each run would execute
    # pages/funders.py alone; the page then reruns itself through app.py (st.navigation), and
    # that rerun drops the "Open the funder view" click, leaving the sign-in box. A server
    # flips the flag once, at its first run, for good.
    original_init = PagesManager.__init__

    def navigation_mode(self: PagesManager, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = navigation_mode  # type: ignore[method-assign]

    os.environ["WORKBOOK_DB"] = str(db)
    os.environ["WORKBOOK_FUNDER_KEY"] = BENCH_KEY
    get_settings.cache_clear()
    app = str(PROJECT_ROOT / "app.py")

    def session() -> tuple[AppTest, float]:
        """A new session: the start page, the funder page, sign in. Returns the app and the
        seconds of the signed-in run alone."""
        at = AppTest.from_file(app, default_timeout=180)
        at.run()
        at.switch_page("pages/funders.py").run()
        [box] = [t for t in at.text_input if t.label == "Funder key"]
        box.input(BENCH_KEY)
        [button] = [b for b in at.button if b.label == "Open the funder view"]
        button.click()
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"the funder page failed: {at.exception}")
        if not at.metric:
            raise RuntimeError("the funder page showed no figures after signing in")
        return at, seconds

    lines = []
    first_started = time.perf_counter()
    at, first = session()
    first_whole = time.perf_counter() - first_started
    lines.append(
        f"  first signed-in run (reads the releases): {first * 1000:8.0f} ms; whole new"
        f" session (start page, switch, sign in) {first_whole:.1f} s"
    )
    reruns = []
    for _ in range(APPTEST_RUNS):
        started = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - started)
    lines.append(f"  signed-in rerun, no filter:               {ms(reruns)}")
    causes = [k for k, _ in view.causes]
    regions = [k for k, _ in view.regions]
    filtered = []
    for i in range(APPTEST_RUNS):
        at.selectbox(key="funders_cause").set_value(None)
        at.selectbox(key="funders_region").set_value(None)
        if i % 2 == 0 and causes:
            at.selectbox(key="funders_cause").set_value(causes[(i // 2) % len(causes)])
        elif regions:
            at.selectbox(key="funders_region").set_value(regions[(i // 2) % len(regions)])
        started = time.perf_counter()
        at.run()
        filtered.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"the funder page failed: {at.exception}")
    lines.append(f"  signed-in run, one new filter each time:  {ms(filtered)}")
    sessions = []
    for _ in range(APPTEST_RUNS):
        started = time.perf_counter()
        session()
        sessions.append(time.perf_counter() - started)
    lines.append(f"  new session to signed-in page (whole):    {ms(sessions)}")
    PagesManager.__init__ = original_init  # type: ignore[method-assign]
    return lines


# --- the run -----------------------------------------------------------------------------------


def build_demo(path: Path, workshops: int, lessons: LessonSet) -> str:
    started = time.perf_counter()
    data = generate(workshops, seed=SEED, lessons=lessons)
    store = Store(path)
    try:
        store.bulk_load(data.tables)
    finally:
        store.close()
    return (
        f"{data.rows('workshops'):,} workshops, {data.rows('groups'):,} groups, "
        f"{data.rows('ratings'):,} ratings, {data.rows('reflections'):,} reflections"
        f" (built and stored in {time.perf_counter() - started:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, nargs="+", default=[200, 10000])
    parser.add_argument("--repeats", type=int, default=5, help="releases of every year")
    parser.add_argument("--no-apptest", action="store_true", help="skip the AppTest page runs")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--child-release", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_release:
        child_release(args.child_release)
        return

    began = time.perf_counter()
    cpu_before = cpu_times()
    lessons = lessons_here()
    labels = statement_labels(lessons)
    lesson_id = next(lesson.id for lesson in lessons.lessons if lesson.prompts)
    opendp_version = SimpleNamespace(__name__="opendp", __version__=metadata.version("opendp"))
    print(f"Machine: {machine(duckdb, pd, np, opendp_version)}")  # type: ignore[arg-type]
    print(f"{dt.date.today()}, {load_average()}")
    print(f"Budget(): {Budget().model_dump(exclude={'shares'})}")
    folder = Path(tempfile.mkdtemp(prefix="bench_release_"))
    sizes = sorted(args.workshops)
    largest = sizes[-1]
    release_seconds: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    views: dict[int, FunderView] = {}
    dbs: dict[int, Path] = {}
    try:
        for size in sizes:
            db = folder / f"demo{size}.duckdb"
            dbs[size] = db
            print(f"\n== {size:,} workshops (seed {SEED}) ==")
            print(f"  demo: {build_demo(db, size, lessons)}")

            # Round 1: the release command's work, alone in a process (peak RSS).
            child = run_child(db)
            for made in child["releases"]:
                release_seconds[size][made["period"]].append(made["seconds"])
            made_text = ", ".join(
                f"{m['period']}: {m['groups']:,} groups {m['seconds']:.1f} s"
                for m in child["releases"]
            )
            print(f"  first releases (default Budget, own process): {made_text}")
            print(
                f"  peak RSS of that process: {child['maxrss_kb'] / 1024:.0f} MB"
                f" ({child['rss_before_kb'] / 1024:.0f} MB after imports and opening the file)"
            )

            measures = list(labels)
            truth = read_truth(db, measures)
            if size == sizes[0]:
                print(
                    "  truth check, releases with no noise (ExactNoise) on a copy: "
                    + check_truth(db, truth, lessons, labels)
                )
            store = Store(db)
            try:
                view = load_view(store, labels, Budget().lifetime_rho)
                print(
                    f"  view: {len(view.periods)} years, {len(view.causes)} causes, "
                    f"{len(view.regions)} regions offered; "
                    f"{len(view.statement_ratings(Selection()))} statements, "
                    f"{len(view.findings)} key findings"
                )
                for release in view.releases:
                    scales = release.record.parameters.get("measure_scales", {}).get("ratings")
                    if scales:
                        low, high = min(scales, key=scales.get), max(scales, key=scales.get)
                        print(
                            f"  {release.record.period}: rating noise scale per statement"
                            f" {scales[low]:.1f} ({low}) to {scales[high]:.1f} ({high})"
                        )
                offered = {key for key, _ in (*view.causes, *view.regions)}
                hidden = [
                    f"{r.record.period}: {label}"
                    for r in view.releases
                    for key, label, position, last in zip(
                        r.categories["key"],
                        r.categories["label"],
                        r.categories["position"],
                        r.categories.groupby("axis")["position"].transform("max"),
                        strict=True,
                    )
                    if position < last and key not in offered
                ]
                if hidden:
                    print(f"  released categories never offered as a filter: {hidden}")
                print("\n  1. Utility: share of means shown (first releases, default Budget)")
                for line in utility(view):
                    print(line)

                rows = accuracy_rows(view, truth, 1)
                for round_ in range(2, args.repeats + 1):
                    for period, _ in store.release_periods():
                        started = time.perf_counter()
                        make_release(
                            store,
                            lessons,
                            period=period,
                            budget=Budget(lifetime_rho=LARGE_LIFETIME),
                        )
                        release_seconds[size][period].append(time.perf_counter() - started)
                    view = load_view(store, labels, Budget().lifetime_rho)
                    rows += accuracy_rows(view, truth, round_)
                views[size] = view
                print(
                    f"\n  2. Accuracy of statement means over {args.repeats} releases of every"
                    " year (selections with filters, by groups in the selection)"
                )
                for line in accuracy_table(rows):
                    print(line)
            finally:
                store.close()

        # --- 3. speed on the largest demo ---
        print(f"\n== 3. Speed on {largest:,} workshops ==")
        per_year = release_seconds[largest]
        store = Store(dbs[largest])
        try:
            # The year with the most shared workshops: the slowest release.
            sizes_by_year = dict(store.release_periods())
            timed_year = max(sizes_by_year, key=sizes_by_year.__getitem__)
            while len(per_year[timed_year]) < 3:
                started = time.perf_counter()
                make_release(
                    store, lessons, period=timed_year, budget=Budget(lifetime_rho=LARGE_LIFETIME)
                )
                per_year[timed_year].append(time.perf_counter() - started)
            for period in sorted(per_year):
                times = per_year[period]
                print(
                    f"  release of {period} ({sizes_by_year[period]:,} shared workshops): median"
                    f" {statistics.median(times):.1f} s of {len(times)}"
                    f" (first three {statistics.median(times[:3]):.1f} s;"
                    f" min {min(times):.1f}, max {max(times):.1f})"
                )
            loads = []
            for _ in range(PAGE_RUNS):
                started = time.perf_counter()
                view = load_view(store, labels, Budget().lifetime_rho)
                loads.append(time.perf_counter() - started)
            print(f"  load_view (3 releases):                    {ms(loads)}")
            none = [Selection()]
            one = [
                *(Selection(cause=k) for k, _ in view.causes),
                *(Selection(region=k) for k, _ in view.regions),
                *(Selection(period=p) for p in view.periods),
            ]
            two = [
                *(Selection(cause=c, region=r) for c, _ in view.causes for r, _ in view.regions),
            ]
            for label, chosen in (("no filter", none), ("one filter", one), ("two filters", two)):
                cold = time_page(view, chosen, lesson_id, cold=True)
                warm = time_page(view, chosen[:1], lesson_id, cold=False)
                print(f"  page figures + tables, {label:<11} cold: {ms(cold)}")
                print(f"  page figures + tables, {label:<11} warm: {ms(warm)}")
            print()
            _, lines = profile_release(store, lessons, timed_year)
            print(f"  cProfile of one release of {timed_year}:")
            for line in lines:
                print(line)
        finally:
            store.close()

        page_module = PROJECT_ROOT / "workbook" / "ui" / "funders_page.py"
        if args.no_apptest:
            print("\n  AppTest: skipped (--no-apptest)")
        elif not page_module.exists():
            print("\n  AppTest: workbook/ui/funders_page.py does not exist yet; skipped")
        else:
            print(f"\n  AppTest of pages/funders.py on {largest:,} workshops, signed in:")
            try:
                for line in apptest_page(dbs[largest], views[largest]):
                    print(line)
            except Exception as error:  # noqa: BLE001 (report it; keep the other figures)
                print(f"  AppTest failed: {type(error).__name__}: {error}")

        print("\n== 4. Memory ==")
        print(
            "  peak RSS of this whole benchmark process:"
            f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
            " (the release-only processes are above, per demo)"
        )
    finally:
        if args.keep:
            print(f"\nkept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{load_average()}; {steal_share(cpu_before, cpu_times())}")
    print(f"Total runtime: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
