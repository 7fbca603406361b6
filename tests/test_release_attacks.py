"""The attacker's tests of the funder releases: "How to test it" in the project's shared
PRIVACY.md (outside this repository; the README's "Funder releases" says what it promises), run.

The adversary holds the funder key: every published figure of every release under every
filter (read here from the release tables, a superset of what the page draws), all saved, and
side facts (which workshops exist, where). The target is one cause x region cell of one period
holding two groups (fewer than K = 5) among 127 others, in a database that also holds three
earlier periods of demo data. Its secret is the two groups' rating bars: for each of the 30
rating statements and each bar 1-5, how many of the two rated it there (150 numbers, each a
published figure of the fine cell with its own independent noise).

1. Differences of views: every published figure holding the target (a cell, a cause or region
   margin, a total, a sum over periods) minus a figure, or the figures tiling the rest of it.
2. Least squares over every published number of the rating measure at once, in one view and
   stacked over two releases of the period.
3. Before/after: a release, one small workshop added, the release again.
4. Quotes: the quote sets under every filter of every release, intersected.

1-3 pass when the attacker's error is what the published margin says (RMSE at least 0.6 of
the published standard deviation, over 20 releases x 150 secrets: see POOLED_BOUND); each is
also run on a release made with ExactNoise, where it recovers the secret exactly, so each can
fail. 4 passes when every quote's narrowest possible cell holds at least K groups and no quote
holds a name the app knows.
"""

from __future__ import annotations

import inspect
import math
import re
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from workbook.demo.generator import generate
from workbook.lessons import LessonSet
from workbook.models import JoinRequest, RatingIn, ReflectionIn, StakeholderIn, WorkshopCreate
from workbook.records import Workshop
from workbook.release.budget import Budget
from workbook.release.make import make_release, statement_ids
from workbook.release.marginals import ALL
from workbook.release.mechanisms import ExactNoise, Noise
from workbook.release.view import FunderView, Selection, load_view
from workbook.stakeholders.saved import StakeholderChanges
from workbook.store import Store
from workbook.store.releases import PublishedRelease

K = 5
RELEASES = 20  # OpenDP releases per attack (its noise takes no seed, so these are the trials)
BUDGET = Budget(lifetime_rho=50.0)  # the default rho per release, room for every release here

# The pass bounds. A linear attack's error on one secret is Gaussian with (at least) the
# published sd, independently per secret, so over n errors (RMSE/sd)^2 ~ chi2_n / n:
# - pooled, over one release's 150 secrets already: P(RMSE/sd < 0.6) = P(chi2_150 < 54)
#   = 3e-14, over 20 releases (n = 3,000) 4e-251. (One secret over N = 40 releases alone
#   would fail 6e-5 of the time; hence the 150 secrets per release.)
# - every single secret over 20 releases: P(RMSE/sd < 0.2) = P(chi2_20 < 0.8) = 2e-11, so an
#   exact figure cannot hide among 149 noisy ones (x 150 secrets x a few attacks: < 1e-7).
POOLED_BOUND = 0.6
SINGLE_BOUND = 0.2
EXACT = 1e-9

# --- the world: one period written through the app's own writes, three periods of demo data --

TARGET = ("Housing justice", "West Africa")
# Groups per cause x region in the period attacked. The target's cause and region are each
# common (listed by the noisy threshold, about 27 groups at this rho), their cell is not.
CELLS: dict[tuple[str, str], int] = {
    TARGET: 2,
    ("Rare disease", "East Africa"): 2,  # with the next, 5 groups in Other causes x East Africa
    ("Food sovereignty", "East Africa"): 3,
    ("Community radio", "West Africa"): 6,  # too rare to be listed: under "Other causes"
    ("Housing justice", "East Africa"): 25,
    ("Housing justice", "Europe"): 25,
    ("Climate action", "West Africa"): 25,
    ("Climate action", "East Africa"): 8,
    ("Migrant rights", "West Africa"): 25,
    ("Migrant rights", "Europe"): 8,
}
PER_WORKSHOP = 5
DEMO_WORKSHOPS = 60
PLACES = ("Tamale", "Kumasi", "Bolgatanga", "Mombasa", "Kisumu", "Eldoret", "Leuven", "Nakuru")
GROUP_WORDS = ("Baobab", "Harmattan", "Sankofa", "Adinkra", "Kente")
NOUNS = ("Circle", "Collective", "Caucus", "Crew", "Assembly", "Brigade", "Chorus")
PEOPLE = ("Kwame Mensah", "Ama Owusu", "Yaw Boateng", "Efua Asante", "Wanjiru Kamau")
STAKEHOLDERS = ("Nana Yeboah Trust", "Adwoa Pokuaa")
REF = re.compile(r"\bref (\d{3})\b")  # each group's answer carries its own number

Atom = tuple[int, str, str]  # (period, cause key, region key): the finest thing a figure adds up
OTHER = "(unlisted)"  # the atom of the causes (regions) a release does not list
AXES = ("cause", "region")


def key(spelling: str) -> str:
    """A cause or region as a release keys it: spaces collapsed, trimmed, case-folded."""
    return " ".join(spelling.split()).casefold()


@dataclass(frozen=True)
class Planted:
    """A group this file wrote, and what the test knows of it."""

    ref: int  # the number its answer carries
    cause: str
    region: str
    bars: np.ndarray  # (statements, 5): 1 where it rated a statement at a bar


@dataclass(frozen=True)
class World:
    path: Path  # the database, closed: each attack works on a copy
    lessons: LessonSet
    period: int
    measures: list[str]  # "lesson/statement" of every rating statement
    planted: list[Planted]
    cells: Counter[Atom]  # shared groups per (period, cause key, region key), every period
    rooms: dict[Atom, set[str]]  # the shared workshops of each (period, cause, region)
    names: list[str]  # every name a person typed that some answer mentions, and the demo's

    @property
    def target(self) -> Atom:
        return (self.period, key(TARGET[0]), key(TARGET[1]))

    @property
    def secret(self) -> np.ndarray:
        return sum(g.bars for g in self.planted if (g.cause, g.region) == TARGET)


def answer(
    store: Store,
    context: tuple[LessonSet, list[str]],
    where: Workshop,
    group: str,
    person: str,
    values: dict[str, int],
    text: str | None = None,
) -> np.ndarray:
    """Seat one consenting person in a new group; rate `values` ("lesson/statement" ->
    1-5) lesson by lesson, answer the first lesson's first prompt; the group's bars."""
    lessons, measures = context
    seat, _ = store.join(
        workshop_id=where.id,
        request=JoinRequest(group_name=group, display_name=person, quote_consent=True),
    )
    bars = np.zeros((len(measures), 5))
    for index, lesson in enumerate(lessons.lessons):
        ratings = [
            RatingIn(
                lesson_id=lesson.id,
                statement_id=statement.id,
                key_finding=lesson.finding_of(statement),
                value=values[f"{lesson.id}/{statement.id}"],
            )
            for statement in lesson.ratings
            if f"{lesson.id}/{statement.id}" in values
        ]
        reflections = []
        if index == 0 and text is not None:
            reflections = [
                ReflectionIn(lesson_id=lesson.id, prompt_id=lesson.prompts[0].id, text=text)
            ]
        if ratings or reflections:
            store.save_answers(
                seat=seat, lesson_id=lesson.id, round=1, ratings=ratings, reflections=reflections
            )
    for measure, value in values.items():
        bars[measures.index(measure), value - 1] = 1
    return bars


def shared_workshop(store: Store, cause: str, region: str, title: str) -> Workshop:
    created, _ = store.create_workshop(
        workshop=WorkshopCreate(title=title, cause=cause, region=region, shares_with_funders=True)
    )
    return created


def build(path: Path, lessons: LessonSet) -> World:
    measures = [f"{lesson}/{statement}" for lesson, statement, _ in statement_ids(lessons)]
    first = [m for m in measures if m.startswith(f"{lessons.lessons[0].id}/")]
    context = (lessons, measures)

    def group_name(workshop: int, seat: int) -> str:
        return f"{GROUP_WORDS[seat]} {NOUNS[workshop % len(NOUNS)]}"

    planted: list[Planted] = []
    planted_rooms: dict[tuple[str, str], set[str]] = {}
    names = [*PEOPLE, *(p.split()[0] for p in PEOPLE), *STAKEHOLDERS, *PLACES]
    store = Store(path)
    try:
        workshop = 0
        for (cause, region), count in CELLS.items():
            for start in range(0, count, PER_WORKSHOP):
                title = f"Spring gathering in {PLACES[workshop % len(PLACES)]}"
                where = shared_workshop(store, cause, region, title)
                names.append(title)
                planted_rooms.setdefault((cause, region), set()).add(str(where.id))
                for seat in range(min(PER_WORKSHOP, count - start)):
                    ref = len(planted)
                    own = group_name(workshop, seat)
                    names.append(own)
                    # Names of other groups, people, stakeholders and places, some lower-case.
                    text = (
                        f"We came as {own} (ref {ref:03d}) and met "
                        f"{group_name(workshop + 1, (seat + 2) % PER_WORKSHOP).lower()} there; "
                        f"{PEOPLE[(ref + 3) % len(PEOPLE)].split()[0].lower()} and "
                        f"{STAKEHOLDERS[ref % 2]} from {PLACES[(workshop + 1) % len(PLACES)]} "
                        "showed us how slowly trust grows between allies."
                    )
                    if (cause, region) == TARGET:  # the target rates everything, variously
                        values = {m: 1 + (3 * s + 2 * ref) % 5 for s, m in enumerate(measures)}
                    else:
                        values = {m: 1 + (s + ref) % 5 for s, m in enumerate(first)}
                    bars = answer(
                        store, context, where, own, PEOPLE[ref % len(PEOPLE)], values, text
                    )
                    planted.append(Planted(ref, cause, region, bars))
                    if seat == 0 and workshop % 3 == 0:
                        [group] = [g for g in store.groups(where.id) if g.name == own]
                        added = tuple(
                            StakeholderIn(
                                name=name, kind="Ally organisation", influence=3, band="neutral"
                            )
                            for name in STAKEHOLDERS
                        )
                        store.save_stakeholder_changes(
                            group_id=group.id, changes=StakeholderChanges(added=added)
                        )
                workshop += 1
        period = where.created_at.year
        data = generate(DEMO_WORKSHOPS, seed=3, lessons=lessons)
        store.bulk_load(data.tables)
    finally:
        store.close()

    cells: Counter[Atom] = Counter((period, key(g.cause), key(g.region)) for g in planted)
    rooms: dict[Atom, set[str]] = {
        (period, key(cause), key(region)): set(ids)
        for (cause, region), ids in planted_rooms.items()
    }
    tables = {t.table: t.frame for t in data.tables}
    workshops = tables["workshops"].set_index("id")
    for workshop_id in tables["groups"]["workshop_id"]:
        row = workshops.loc[workshop_id]
        if row["shares_with_funders"]:
            atom = (row["created_at"].year, key(row["cause"]), key(row["region"]))
            cells[atom] += 1
            rooms.setdefault(atom, set()).add(f"demo {workshop_id}")
    assert all(p < period for p, _, _ in cells if p != period), "a demo year is this year"
    names += [*tables["groups"]["name"], *tables["workshops"]["title"]]
    names += [n for n in tables["participants"]["display_name"] if n]
    return World(path, lessons, period, measures, planted, cells, rooms, sorted(set(names)))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, lessons: LessonSet) -> World:
    return build(tmp_path_factory.mktemp("world") / "workbook.duckdb", lessons)


def copied(world: World, to: Path) -> Store:
    shutil.copy(world.path, to)
    return Store(to)


def released(
    store: Store, world: World, noise: Noise | None = None, budget: Budget = BUDGET
) -> FunderView:
    """Release the period once; the funder view as it reads right after."""
    made = make_release(store, world.lessons, period=world.period, budget=budget, noise=noise)
    assert made.left_out == 0
    return load_view(store, {}, BUDGET.lifetime_rho)


@dataclass(frozen=True)
class History:
    views: list[FunderView]  # the funder view after each OpenDP release of the period
    exact: FunderView  # after one more release, made with ExactNoise
    spent: dict[int, float]  # rho spent per group of the period before the exact release
    rho: float  # the rho the period's OpenDP releases recorded, added up
    loose: FunderView  # elsewhere: an exact release that quotes cells of any size


@pytest.fixture(scope="module")
def history(world: World, tmp_path_factory: pytest.TempPathFactory) -> History:
    """Every demo period released once, then the attacked period RELEASES times, each saved."""
    store = copied(world, tmp_path_factory.mktemp("history") / "workbook.duckdb")
    try:
        for year, _ in store.release_periods():
            if year != world.period:
                make_release(store, world.lessons, period=year, budget=BUDGET)
        views = [released(store, world) for _ in range(RELEASES)]
        ids = [int(i) for i in store.release_groups(period=world.period)["group_id"]]
        spent = store.privacy_spent(ids)
        rho = sum(r.rho for r in store.release_records() if r.period == world.period)
        exact = released(store, world, ExactNoise())
    finally:
        store.close()
    store = copied(world, tmp_path_factory.mktemp("loose") / "workbook.duckdb")
    try:
        # Exact (sampled in written order), with the quote rule off: K of 1 group, below
        # what Budget accepts, so the test shows the intersection would catch small cells.
        off = {"min_groups": 1, "quote_workshops": 1}
        lowered = Budget(lifetime_rho=50.0).model_copy(update=off)
        loose = released(store, world, ExactNoise(), lowered)
    finally:
        store.close()
    return History(views, exact, spent, rho, loose)


# --- the published figures, as the attacker collects them -----------------------------------


@dataclass(frozen=True)
class Figure:
    """One published figure of the rating measure, for every statement and bar at once."""

    name: str
    cover: frozenset[Atom]  # what it adds up
    value: np.ndarray  # (statements, 5): groups at each bar of each statement
    variance: float  # published, the same for every statement and bar
    release: int | None  # the release it is a cell of; None for a sum over periods


def axis_keys(release: PublishedRelease, axis: str) -> list[str]:
    """The keys of a release's causes (regions) by position; the last is always "other"."""
    rows = release.categories[release.categories["axis"] == axis].sort_values("position")
    return [*(str(k) for k in rows["key"].iloc[:-1]), OTHER]


def position(keys: Sequence[str], wanted: str | None) -> int | None:
    """Where a view finds a cause (region) in a release with these keys; None: not listed."""
    if wanted is None:
        return ALL
    return keys.index(wanted) if wanted in keys[:-1] else None


def ratings_of(
    release: PublishedRelease, measures: Sequence[str]
) -> dict[tuple[int, int], tuple[np.ndarray, float]]:
    """(cause, region) position -> the rating bars published there and their variance."""
    f = release.figures[release.figures["family"] == "ratings"]
    cells = list(zip(f["cause"].astype(int), f["region"].astype(int), strict=True))
    row_of = {cell: i for i, cell in enumerate(dict.fromkeys(cells))}
    rows = np.array([row_of[c] for c in cells])
    values = np.zeros((len(row_of), len(measures), 5))
    variances = np.zeros(len(row_of))
    column = f["measure"].map({m: i for i, m in enumerate(measures)}).to_numpy(int)
    values[rows, column, f["part"].astype(int).to_numpy() - 1] = f["value"].to_numpy()
    variances[rows] = f["variance"].to_numpy()
    return {cell: (values[i], float(variances[i])) for cell, i in row_of.items()}


def figures(views: Sequence[FunderView], measures: Sequence[str]) -> list[Figure]:
    """Every figure the views' releases publish (each cell of each release, "other" cells
    too), and every sum over periods the views offer (one filter on cause and/or region)."""
    releases = {r.record.id: r for view in views for r in view.releases}
    keys = {(i, axis): axis_keys(r, axis) for i, r in releases.items() for axis in AXES}
    listed: dict[tuple[int, str], set[str]] = {}
    for (i, axis), known in keys.items():
        listed.setdefault((releases[i].record.period, axis), set()).update(known[:-1])

    def atoms(r: PublishedRelease, axis: str, at: int) -> set[str]:
        every = listed[(r.record.period, axis)] | {OTHER}
        known = keys[(r.record.id, axis)]
        if at == ALL:
            return every
        return {known[at]} if known[at] != OTHER else every - set(known[:-1])

    def label(r: PublishedRelease, axis: str, at: int) -> str:
        return "all" if at == ALL else keys[(r.record.id, axis)][at]

    published = {i: ratings_of(r, measures) for i, r in releases.items()}
    covers: dict[tuple[int, int, int], frozenset[Atom]] = {}
    out = []
    for i, r in releases.items():
        period = r.record.period
        for (c, g), (value, variance) in published[i].items():
            cover = frozenset(
                (period, a, b) for a in atoms(r, "cause", c) for b in atoms(r, "region", g)
            )
            covers[(i, c, g)] = cover
            name = f"{period} {label(r, 'cause', c)} x {label(r, 'region', g)}"
            out.append(Figure(name, cover, value, variance, i))
    for n, view in enumerate(views):
        for cause in [None, *(k for k, _ in view.causes)]:
            for region in [None, *(k for k, _ in view.regions)]:
                parts = [
                    (
                        r.record.id,
                        position(keys[(r.record.id, "cause")], cause),
                        position(keys[(r.record.id, "region")], region),
                    )
                    for r in view.releases
                ]
                parts = [(i, c, g) for i, c, g in parts if c is not None and g is not None]
                if not parts:
                    continue
                name = f"all periods {cause or 'all'} x {region or 'all'}"
                out.append(
                    Figure(
                        name + (f" (view {n})" if len(views) > 1 else ""),
                        frozenset().union(*(covers[p] for p in parts)),
                        sum(published[i][(c, g)][0] for i, c, g in parts),
                        sum(published[i][(c, g)][1] for i, c, g in parts),
                        None,
                    )
                )
    return out


def target_sd(found: Sequence[Figure], target: Atom) -> float:
    """The published sd of the target's finest figure; of their combination (inverse
    variance) when several releases publish it."""
    variances = [f.variance for f in found if f.cover == {target} and f.release is not None]
    assert variances, "the target's cell is not published: its cause or region was not listed"
    return 1 / math.sqrt(sum(1 / v for v in variances))


def no_better_than_published(errors: dict[str, list[np.ndarray]]) -> None:
    """Assert every estimator's errors (in published sds, one (statements, 5) array per
    trial) have RMSE >= POOLED_BOUND; and each single secret's >= SINGLE_BOUND, for
    estimators made in at least RELEASES trials."""
    for name, zs in errors.items():
        z = np.stack(zs)
        pooled = float(np.sqrt(np.mean(z**2)))
        assert pooled >= POOLED_BOUND, f"{name}: RMSE {pooled:.3f} x the published sd"
        if len(zs) >= RELEASES:
            single = float(np.sqrt(np.mean(z**2, axis=0)).min())
            assert single >= SINGLE_BOUND, f"{name}: one secret's RMSE {single:.3f} x its sd"


# --- 1. differences of views ------------------------------------------------------------------


def differences(found: Sequence[Figure], target: Atom) -> dict[str, np.ndarray]:
    """Every estimate of the target that a difference of published figures gives: a figure
    that is the target's cell; A - B for any B holding all of A but the target; A minus the
    fine cells of the rest of A; A minus the largest figures that tile the rest of A."""
    by_cover: dict[frozenset[Atom], list[Figure]] = {}
    for f in found:
        by_cover.setdefault(f.cover, []).append(f)
    fine = {next(iter(f.cover)): f for f in found if len(f.cover) == 1}
    largest_first = sorted(found, key=lambda f: -len(f.cover))
    out: dict[str, np.ndarray] = {}
    for a in found:
        if target not in a.cover:
            continue
        rest = a.cover - {target}
        if not rest:
            out[a.name] = a.value
            continue
        for b in by_cover.get(rest, []):
            out[f"{a.name} - {b.name}"] = a.value - b.value
        if rest <= fine.keys():
            out[f"{a.name} - its other fine cells"] = a.value - sum(fine[x].value for x in rest)
        tiles: list[Figure] = []
        covered: set[Atom] = set()
        for b in largest_first:
            if b.cover <= rest and not b.cover & covered:
                tiles.append(b)
                covered |= b.cover
        if covered == rest:
            out[f"{a.name} - the largest figures tiling the rest"] = a.value - sum(
                b.value for b in tiles
            )
    return out


def test_differences_of_every_pair_of_views(world: World, history: History) -> None:
    errors: dict[str, list[np.ndarray]] = {}
    for view in history.views:
        found = figures([view], world.measures)
        # These are the page's figures: the view's count of group-ratings over everything.
        total = next(f for f in found if f.name == "all periods all x all")
        for rating in view.statement_ratings(Selection()):
            if rating.groups.known:
                row = world.measures.index(rating.measure)
                assert rating.groups.value == pytest.approx(total.value[row].sum())
        sd = target_sd(found, world.target)
        for name, estimate in differences(found, world.target).items():
            errors.setdefault(name, []).append((estimate - world.secret) / sd)
    assert len(errors) >= 10
    assert any(name.startswith("all periods all x all - ") for name in errors)
    no_better_than_published(errors)

    exact = differences(figures([history.exact], world.measures), world.target)
    assert len(exact) >= 10
    for name, estimate in exact.items():
        assert np.abs(estimate - world.secret).max() < EXACT, name


# --- 2. least squares over every published number ---------------------------------------------


def least_squares(found: Sequence[Figure], target: Atom) -> np.ndarray:
    """The target's value from every figure at once: least squares over the 0/1 design of
    which atoms each figure adds up (the target is identified: its own cell is published)."""
    atoms = sorted(set().union(*(f.cover for f in found)))
    column = {atom: i for i, atom in enumerate(atoms)}
    design = np.zeros((len(found), len(atoms)))
    for row, f in enumerate(found):
        design[row, [column[a] for a in f.cover]] = 1.0
    values = np.stack([f.value.ravel() for f in found])
    solution, *_ = np.linalg.lstsq(design, values, rcond=None)
    return solution[column[target]].reshape(found[0].value.shape)


def test_least_squares_over_every_published_number(world: World, history: History) -> None:
    errors: dict[str, list[np.ndarray]] = {"one view": [], "two releases stacked": []}
    for view in history.views:
        found = figures([view], world.measures)
        estimate = least_squares(found, world.target)
        errors["one view"].append((estimate - world.secret) / target_sd(found, world.target))
    # Two releases of the period, every number of both and of both views at once: the
    # attacker gains what both margins together allow (the sd over sqrt 2), and no more.
    for before, after in zip(history.views[::2], history.views[1::2], strict=True):
        found = figures([before, after], world.measures)
        estimate = least_squares(found, world.target)
        errors["two releases stacked"].append(
            (estimate - world.secret) / target_sd(found, world.target)
        )
    no_better_than_published(errors)
    # ... and each release spent its rho on every group of the period: the stack is paid for.
    assert history.spent
    assert all(spent == pytest.approx(history.rho) for spent in history.spent.values())

    found = figures([history.exact], world.measures)
    assert np.abs(least_squares(found, world.target) - world.secret).max() < EXACT


# --- 3. before and after one small workshop ---------------------------------------------------


def add_small_workshop(store: Store, world: World, index: int) -> np.ndarray:
    """One or two new groups in the target's cause and region; their bars."""
    title = f"Evening session in {PLACES[index % len(PLACES)]}"
    where = shared_workshop(store, *TARGET, title)
    bars = np.zeros((len(world.measures), 5))
    for seat in range(1 + index % 2):
        values = {m: 1 + (s * (seat + 2) + index) % 5 for s, m in enumerate(world.measures[:7])}
        bars += answer(
            store, (world.lessons, world.measures), where, f"Newcomers {seat}", "", values
        )
    return bars


def before_after(before: FunderView, after: FunderView, world: World) -> dict[str, np.ndarray]:
    """after - before for every figure that holds the new workshop, published in both."""
    old = {f.name: f for f in figures([before], world.measures)}
    return {
        f.name: f.value - old[f.name].value
        for f in figures([after], world.measures)
        if world.target in f.cover and f.name in old
    }


def test_before_and_after_one_small_workshop(world: World, tmp_path: Path) -> None:
    errors: dict[str, list[np.ndarray]] = {}
    store = copied(world, tmp_path / "chain.duckdb")
    try:
        before = released(store, world)
        for index in range(RELEASES):
            added = add_small_workshop(store, world, index)
            after = released(store, world)
            total = next(
                f for f in figures([after], world.measures) if f.name == f"{world.period} all x all"
            )
            for name, estimate in before_after(before, after, world).items():
                errors.setdefault(name, []).append((estimate - added) / math.sqrt(total.variance))
            before = after
    finally:
        store.close()
    assert {f"{world.period} all x all", f"{world.period} {key(TARGET[0])} x all"} <= set(errors)
    no_better_than_published(errors)

    store = copied(world, tmp_path / "exact-before.duckdb")
    try:
        before = released(store, world, ExactNoise())
    finally:
        store.close()
    store = copied(world, tmp_path / "exact-after.duckdb")
    try:
        added = add_small_workshop(store, world, 1)
        after = released(store, world, ExactNoise())
    finally:
        store.close()
    exact = before_after(before, after, world)
    assert len(exact) >= 4
    for name, estimate in exact.items():
        assert np.abs(estimate - added).max() < EXACT, name


# --- 4. quotes under every filter, intersected ------------------------------------------------

SHOWN = inspect.signature(FunderView.quotes).parameters["limit"].default


def narrow(possible: set, value: object, here: bool, complete: bool) -> None:
    """Shown under a filter: it is that value. Not shown where the list was not cut: it is not."""
    if here:
        possible.intersection_update({value})
    elif complete:
        possible.discard(value)


Cell = tuple[set[int], set[str], set[str]]  # the periods, causes and regions it may be in


def narrowest(views: Sequence[FunderView], world: World) -> dict[int, Cell]:
    """For each quote of the attacked period a view showed (by its ref), the cell it must be
    in, from the quotes of the first lesson shown under every selection of every view."""
    lesson_id = world.lessons.lessons[0].id
    possible: dict[int, Cell] = {}
    for view in views:
        selections = [
            Selection(),
            *(Selection(period=p) for p in view.periods),
            *(Selection(cause=k) for k, _ in view.causes),
            *(Selection(region=k) for k, _ in view.regions),
        ]
        shown = {}
        for selection in selections:
            quotes = view.quotes(selection, lesson_id)
            assert quotes is not None
            refs = {int(m) for q in quotes for m in REF.findall(q)}
            shown[selection] = (refs, len(quotes) < SHOWN)
        [release] = [r for r in view.releases if r.record.period == world.period]
        listed = {axis: set(axis_keys(release, axis)[:-1]) for axis in AXES}
        for ref in set().union(*(refs for refs, _ in shown.values())):
            if ref not in possible:
                possible[ref] = (
                    {p for p, _, _ in world.cells},
                    {c for _, c, _ in world.cells},
                    {r for _, _, r in world.cells},
                )
            p, c, r = possible[ref]
            p.intersection_update(view.periods)
            for selection, (refs, complete) in shown.items():
                here = ref in refs
                if selection.period is not None:
                    narrow(p, selection.period, here, complete)
                if selection.cause in listed["cause"]:
                    narrow(c, selection.cause, here, complete)
                if selection.region in listed["region"]:
                    narrow(r, selection.region, here, complete)
    return possible


def held(world: World, cell: Cell) -> int:
    """How many groups, in truth, the cell holds."""
    periods, causes, regions = cell
    return sum(
        n for (p, c, r), n in world.cells.items() if p in periods and c in causes and r in regions
    )


def held_rooms(world: World, cell: Cell) -> int:
    """How many workshops, in truth, the cell's groups came from."""
    periods, causes, regions = cell
    inside = [
        ids
        for (p, c, r), ids in world.rooms.items()
        if p in periods and c in causes and r in regions
    ]
    return len(set().union(*inside))


def test_quotes_cannot_be_narrowed_below_k_groups(world: World, history: History) -> None:
    lesson_id = world.lessons.lessons[0].id
    cause, region = key(TARGET[0]), key(TARGET[1])
    views = [*history.views, history.exact]
    for view in views:
        for two in (
            Selection(period=world.period, cause=cause),
            Selection(period=world.period, region=region),
            Selection(cause=cause, region=region),
            Selection(world.period, cause, region),
        ):
            assert view.quotes(two, lesson_id) is None

    possible = narrowest(views, world)
    planted = {g.ref: g for g in world.planted}
    assert possible, "no quote of the attacked period was shown"
    for ref, cell in possible.items():
        group = planted[ref]
        assert (group.cause, group.region) != TARGET
        periods, causes, regions = cell
        assert world.period in periods and key(group.cause) in causes
        assert key(group.region) in regions
        assert held(world, cell) >= K, f"ref {ref} narrowed to {cell}: {held(world, cell)} groups"
        # ... from at least 3 workshops, so it is not pinned to one or two rooms.
        assert held_rooms(world, cell) >= 3, f"ref {ref} narrowed to {cell}: too few workshops"
    # The intersection has teeth: some quotes are placed in a single cause x region cell ...
    assert any(len(c) == 1 and len(r) == 1 for _, c, r in possible.values())
    # ... and it catches a release that quotes small cells (the rule switched off).
    loose = narrowest([history.loose], world)
    assert min(held(world, cell) for cell in loose.values()) < K

    # No name the app knows, in any quote any release published (shown or not).
    texts = {t for view in views for r in view.releases for t in r.quotes["text"]}
    assert texts
    for text in texts:
        for name in world.names:
            pattern = r"(?<!\w)" + re.escape(name) + r"(?!\w)"
            assert not re.search(pattern, text, re.IGNORECASE), (name, text)
