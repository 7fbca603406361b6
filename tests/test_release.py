"""Funder releases: the sensitivity each measurement declares holds on real data, the noise is
OpenDP's and costs what it says, margins reconcile, the budget is kept per group, and the
command works with and without a running app holding the file."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from workbook import backup
from workbook.demo.generator import generate
from workbook.lessons import LessonSet
from workbook.release import command
from workbook.release.budget import Budget, statement_rhos
from workbook.release.make import ReleaseRefused, make_release
from workbook.release.marginals import ALL, Marginals
from workbook.release.mechanisms import ExactNoise, OpenDPNoise, epsilon_at, scale_for
from workbook.release.view import FunderView, Selection, load_view
from workbook.store import Store
from workbook.store.releases import PublishedRelease, ReleaseRecord

GROUP_TABLES = ("ratings", "reflections", "participants", "map_measures", "stakeholders", "groups")


def demo_store(path: Path | str, workshops: int = 40, seed: int = 3) -> Store:
    store = Store(path)
    store.bulk_load(generate(workshops, seed=seed).tables)
    return store


# --- least squares over the four tables --------------------------------------------------------


def test_reconciled_tables_add_up_and_keep_exact_figures() -> None:
    marginals = Marginals(3, 4)
    rng = np.random.default_rng(5)
    fine = rng.integers(0, 20, size=(2, 3, 4)).astype(float)
    exact = marginals.measure(fine)
    assert np.allclose(marginals.reconcile(exact), exact)  # nothing to fix in exact figures

    noisy = exact + rng.normal(0, 5, size=exact.shape)
    fixed = marginals.reconcile(noisy)
    cells = marginals.cells
    for m in range(2):
        value = dict(zip(cells, fixed[m], strict=True))
        fine_sum = sum(value[(c, r)] for c in range(3) for r in range(4))
        assert math.isclose(value[(ALL, ALL)], fine_sum)
        for c in range(3):
            assert math.isclose(value[(c, ALL)], sum(value[(c, r)] for r in range(4)))
        for r in range(4):
            assert math.isclose(value[(ALL, r)], sum(value[(c, r)] for c in range(3)))
    # Each figure is measured once and again as sums in the other tables: least squares
    # makes every one more precise than its own measurement (3x4: variance x 0.6 each).
    assert np.allclose(marginals.variance_factor, 0.6)
    empirical = np.var(marginals.reconcile(rng.normal(0, 1, size=(20_000, len(cells)))), axis=0)
    assert np.allclose(empirical, marginals.variance_factor, rtol=0.05)


# --- OpenDP's noise ----------------------------------------------------------------------------


def test_gaussian_costs_what_opendp_says_and_has_the_stated_scale() -> None:
    noise = OpenDPNoise()
    values = np.zeros(20_000)
    noisy, scale, spent = noise.gaussian_vector(values, sensitivity=3.0, rho=0.25)
    assert math.isclose(scale, scale_for(3.0, 0.25))
    assert math.isclose(spent.rho, 0.25, rel_tol=1e-9)
    assert 0.95 * scale < float(np.std(noisy)) < 1.05 * scale
    counts, _, _ = noise.gaussian_vector(np.arange(10, dtype=np.int64), sensitivity=2, rho=0.5)
    assert counts.dtype == np.int64 and not np.array_equal(counts, np.arange(10))


def test_threshold_releases_common_keys_and_drops_rare_ones() -> None:
    released, spent = OpenDPNoise().threshold_keys(
        {"common": 5_000, "rare": 1, "gone": 0}, keys_per_group=1, rho=0.05, delta=1e-8
    )
    assert set(released) == {"common"}
    assert abs(released["common"] - 5_000) < 100
    assert spent.rho == pytest.approx(0.05) and 0 < spent.delta <= 1e-8


def test_epsilon_grows_with_rho() -> None:
    small, large = epsilon_at(0.1, 1e-6), epsilon_at(1.0, 1e-6)
    assert 0 < small < large
    # Tighter than the textbook bound rho + 2 sqrt(rho ln(1/delta)).
    assert large < 1.0 + 2 * math.sqrt(math.log(1e6))


# --- what one group can move -------------------------------------------------------------------


def _published(store: Store, release_id: int) -> dict[str, pd.DataFrame]:
    published = store.published_release(release_id)
    keys = published.categories.set_index(["axis", "position"])["key"].to_dict()
    figures = published.figures.copy()
    figures["cause"] = [keys.get(("cause", c), "*") if c != ALL else "*" for c in figures["cause"]]
    figures["region"] = [
        keys.get(("region", r), "*") if r != ALL else "*" for r in figures["region"]
    ]
    return {
        family: frame.set_index(["measure", "part", "cause", "region"])["value"]
        for family, frame in figures.groupby("family")
    } | {"phrases": published.phrases.set_index(["lesson_id", "phrase"])["groups"]}


def _without_group(source: Path, target: Path, group_id: int) -> None:
    shutil.copy(source, target)
    con = duckdb.connect(str(target))
    for table in GROUP_TABLES:
        column = "id" if table == "groups" else "group_id"
        con.execute(f"DELETE FROM {table} WHERE {column} = ?", [group_id])
    con.close()


def test_one_group_moves_each_measurement_no_more_than_its_declared_sensitivity(
    tmp_path: Path, lessons: LessonSet
) -> None:
    full_path = tmp_path / "full.duckdb"
    store = demo_store(full_path)
    period = store.release_periods()[0][0]
    groups = store.release_groups(period=period)
    # Groups whose cause and region others share (so the filters stay the same), the
    # busiest first: a follow-up, a map, many answers.
    shared = groups[
        groups.groupby("cause")["group_id"].transform("size").gt(1)
        & groups.groupby("region")["group_id"].transform("size").gt(1)
    ]
    maps = set(store.release_maps(period=period)["group_id"])
    candidates = [g for g in shared["group_id"] if g in maps][:3] + list(shared["group_id"][:2])
    assert len(candidates) >= 3
    store.close()

    budget = Budget(rho=1.0, lifetime_rho=50)
    for group_id in candidates:
        with_path, without_path = tmp_path / "with.duckdb", tmp_path / "without.duckdb"
        shutil.copy(full_path, with_path)
        _without_group(full_path, without_path, int(group_id))
        figures, raters = [], []
        for path in (with_path, without_path):
            opened = Store(path)
            made = make_release(opened, lessons, period=period, budget=budget, noise=ExactNoise())
            figures.append(_published(opened, made.release_id))
            parameters = opened.release_records()[-1].parameters
            raters.append(pd.Series(parameters["raters"]))
            opened.close()
        with_group, without = figures
        for family, sensitivity in parameters["sensitivities"].items():
            a, b = with_group[family].align(without[family], fill_value=0.0)
            moved = float(np.sqrt(((a - b) ** 2).sum()))
            assert moved <= sensitivity + 1e-9, (family, group_id, moved, sensitivity)
        # Families measured a measure at a time (each rating statement its own noise): one
        # group moves each measure's figures no more than that measure's declared bound.
        for family, sensitivity in parameters["measure_sensitivities"].items():
            a, b = with_group[family].align(without[family], fill_value=0.0)
            moved_each = ((a - b) ** 2).groupby(level="measure").sum() ** 0.5
            assert float(moved_each.max()) <= sensitivity + 1e-9, (family, group_id)
        # The raters' counts that split the ratings' budget between statements.
        moved = float(np.sqrt(((raters[0] - raters[1]) ** 2).sum()))
        assert 0 < moved <= parameters["raters_sensitivity"] + 1e-9
        a, b = with_group["phrases"].align(without["phrases"], fill_value=0.0)
        changed = (a - b).abs()
        per_group = budget.phrases_per_lesson * sum(1 for x in lessons.lessons if x.prompts)
        assert float(changed.max()) <= 1 and int((changed > 0).sum()) <= per_group


# --- splitting the ratings' budget between statements -------------------------------------------


def _split(raters: list[float], rho: float = 0.3) -> np.ndarray:
    # As a release of about 10 causes and regions plans it (variance of a cause's figures).
    variance = float(Marginals(11, 11).variance_factor[Marginals(11, 11).index(0, ALL)])
    return statement_rhos(np.array(raters), rho, sensitivity=2.0, variance=variance, share=1 / 11)


def test_statements_rated_by_fewer_groups_get_less_noise_and_the_parts_add_up() -> None:
    rhos = _split([6000, 6000, 3000, 1000])
    assert rhos.sum() == pytest.approx(0.3)
    # Noise in proportion to the raters' count: the same margin at the same share of them.
    scales = [scale_for(2.0, r) for r in rhos]
    assert scales[0] == pytest.approx(scales[1])
    assert scales[0] / scales[2] == pytest.approx(2.0) and scales[0] / scales[3] == pytest.approx(
        6.0
    )


def test_a_statement_few_groups_rated_cannot_take_the_budget() -> None:
    # Issue 18's statements asked in a few workshops only: 30 raters against thousands.
    many = [6000.0] * 29
    rhos = _split([*many, 30.0])
    assert rhos.sum() == pytest.approx(0.3)
    # Too few to show under one filter whatever it gets: split as if rated like the others.
    assert rhos[-1] == pytest.approx(rhos[0])
    # A noisy count below zero, and no statements at all, still split the whole budget.
    assert _split([-40.0, 6000.0]).sum() == pytest.approx(0.3)
    assert _split([]).size == 0


def test_when_no_statement_can_show_under_one_filter_all_get_the_same_noise() -> None:
    rhos = _split([120.0, 60.0, 14.0])  # about 200 workshops a year
    assert np.allclose(rhos, 0.1)


# --- making releases ---------------------------------------------------------------------------


def test_release_spends_the_budget_per_group_and_stops_at_the_lifetime_cap(
    db_location: str, lessons: LessonSet
) -> None:
    store = demo_store(db_location, workshops=30)
    period = store.release_periods()[0][0]
    budget = Budget(rho=0.4, lifetime_rho=1.0)
    first = make_release(store, lessons, period=period, budget=budget)
    assert first.spent.rho == pytest.approx(0.4) and first.left_out == 0
    second = make_release(store, lessons, period=period, budget=budget)
    assert store.most_spent()[0] == pytest.approx(0.8)
    with pytest.raises(ReleaseRefused, match="already spent its privacy budget"):
        make_release(store, lessons, period=period, budget=budget)
    assert second.groups == first.groups
    # The view reads the latest release of the period only.
    view = load_view(store, {}, budget.lifetime_rho)
    assert [r.record.id for r in view.releases] == [second.release_id]
    store.close()


def test_a_period_without_shared_workshops_is_refused_plainly(
    db_location: str, lessons: LessonSet
) -> None:
    store = Store(db_location)
    with pytest.raises(ReleaseRefused, match="No workshop that shares with funders started in"):
        make_release(store, lessons, period=2024, budget=Budget())
    store.close()


def test_figures_are_noisy_but_near_the_truth_with_honest_margins(
    tmp_path: Path, lessons: LessonSet
) -> None:
    store = demo_store(tmp_path / "db.duckdb", workshops=60)
    periods = [year for year, _ in store.release_periods()]
    truth = sum(len(store.release_groups(period=p)) for p in periods)
    for period in periods:
        make_release(store, lessons, period=period, budget=Budget())
    view = load_view(store, {}, 1.0)
    groups = view.headline(Selection())["Groups"]
    assert groups.value is not None and groups.value != truth
    # A 90% margin: a miss of more than three margins would be a one-in-10^9 event.
    assert abs(groups.value - truth) < 3 * groups.margin
    store.close()


def test_the_command_makes_every_new_period_and_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cmd.duckdb"
    demo_store(db, workshops=20).close()
    monkeypatch.setenv("WORKBOOK_DB", str(db))
    from workbook.config import get_settings

    get_settings.cache_clear()
    try:
        assert command.main(["make"]) == 0
        made = capsys.readouterr().out
        assert made.count("Release ") >= 1 and "rho 0.5 per group" in made
        assert command.main(["make"]) == 0
        assert "already has a release" in capsys.readouterr().out
        assert command.main(["list"]) == 0
        listed = capsys.readouterr().out
        assert "Most any group has spent: rho 0.5 of 1." in listed
        # Exact group counts are for the operator only, and say so.
        assert "groups (exact)" in listed and "do not share them" in listed
        # A budget one release cannot spend: one plain sentence, exit code 2, nothing made.
        for rho in ("5", "0", "-1"):
            assert command.main(["make", "--rho", rho]) == 2
            said = capsys.readouterr()
            assert said.err.startswith(f"--rho {float(rho):g} is ") and "at most 1." in said.err
            assert "Traceback" not in said.err and "validation error" not in said.err
            assert said.err.count("\n") == 1
        # A year with nothing shared is refused by name, and the command says it failed.
        assert command.main(["make", "--period", "1999"]) == 1
        assert "nothing to release for it" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


def test_the_command_on_a_deployment_with_nothing_shared_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "empty.duckdb"
    Store(db).close()
    monkeypatch.setenv("WORKBOOK_DB", str(db))
    from workbook.config import get_settings

    get_settings.cache_clear()
    try:
        assert command.main(["list"]) == 0
        assert "No releases yet" in capsys.readouterr().out
        assert command.main(["make"]) == 0
        out = capsys.readouterr().out
        assert "No workshop shares its answers with the funder view yet" in out
        assert "already has a release" not in out
    finally:
        get_settings.cache_clear()


def test_a_running_app_makes_the_release_for_the_command(
    tmp_path: Path, lessons: LessonSet
) -> None:
    """The command leaves a request; the app's watcher (which holds the file) serves it."""
    store = demo_store(tmp_path / "app.duckdb", workshops=20)
    handlers = command.request_handlers(store, Path("lessons"))
    watcher = backup.BackupWatcher(store, tmp_path / "backups", handlers=handlers)
    folder = backup.requests_folder(tmp_path / "backups")
    folder.mkdir(parents=True)
    request = {"kind": "release", "db": str(store.path), "periods": [], "rho": None}
    (folder / "r1.json").write_text(json.dumps(request), encoding="utf-8")
    assert watcher.serve_pending() == 1
    answer = json.loads((folder / "r1.answer.json").read_text(encoding="utf-8"))
    assert answer["ok"] and answer["done"]
    assert any("Release " in line for line in answer["lines"])
    assert store.release_records()
    # Listing is served the same way, so it works while the app holds the file.
    listing = {"kind": "release_list", "db": str(store.path)}
    (folder / "r2.json").write_text(json.dumps(listing), encoding="utf-8")
    assert watcher.serve_pending() == 1
    listed = json.loads((folder / "r2.answer.json").read_text(encoding="utf-8"))
    assert listed["ok"] and listed["lines"][0].startswith("release\tyear")
    assert len(listed["lines"]) == len(store.release_records()) + 3  # header, note, spent
    store.close()


def test_a_period_released_again_shows_the_same_quotes(
    db_location: str, lessons: LessonSet
) -> None:
    store = demo_store(db_location, workshops=200)
    period = store.release_periods()[0][0]
    budget = Budget(rho=0.5, lifetime_rho=5, min_groups=3)
    samples = []
    for _ in range(2):
        made = make_release(store, lessons, period=period, budget=budget)
        samples.append(store.published_release(made.release_id).quotes)
    assert len(samples[0]) > 0
    assert samples[0]["text"].tolist() == samples[1]["text"].tolist()
    store.close()


def test_region_not_given_is_a_filter_of_its_own_not_other(
    tmp_path: Path, lessons: LessonSet
) -> None:
    store = demo_store(tmp_path / "db.duckdb", workshops=60)
    period = store.release_periods()[0][0]
    groups = store.release_groups(period=period)
    assert (groups["region"] == "").any()
    make_release(store, lessons, period=period, budget=Budget(), noise=ExactNoise())
    view = load_view(store, {}, 1.0)
    regions = dict(view.regions)
    assert regions[""] == "Region not given"
    truth = int((groups["region"] == "").sum())
    assert view.headline(Selection(region=""))["Groups"].value == pytest.approx(truth)
    store.close()


def _quoting_workshops(store: Store, lessons: LessonSet, *, workshops: int, groups: int) -> None:
    """`groups` consenting groups of one new cause, spread over `workshops` workshops."""
    from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate

    lesson = next(lesson for lesson in lessons.lessons if lesson.prompts)
    rooms = [
        store.create_workshop(
            workshop=WorkshopCreate(title=f"Room {n}", cause="Seed banks", shares_with_funders=True)
        )[0]
        for n in range(workshops)
    ]
    for index in range(groups):
        seat, _ = store.join(
            workshop_id=rooms[index % workshops].id,
            request=JoinRequest(group_name=f"Table {index}", quote_consent=True),
        )
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[
                ReflectionIn(
                    lesson_id=lesson.id,
                    prompt_id=lesson.prompts[0].id,
                    text=f"Seed banks taught us patience with allies, table {index}.",
                )
            ],
        )


@pytest.mark.parametrize(("workshops", "quoted"), [(1, False), (2, False), (3, True)])
def test_a_quote_needs_three_workshops_in_its_cause_and_region(
    tmp_path: Path, lessons: LessonSet, workshops: int, quoted: bool
) -> None:
    """Twenty groups (K = 5) of one cause and region: quoted only when they sat in at least
    three workshops, so a quote can never be narrowed to one or two rooms someone knows of."""
    store = Store(tmp_path / "db.duckdb")
    try:
        _quoting_workshops(store, lessons, workshops=workshops, groups=20)
        [(period, _)] = store.release_periods()
        made = make_release(store, lessons, period=period, budget=Budget(), noise=ExactNoise())
        texts = store.published_release(made.release_id).quotes["text"].tolist()
        assert any("Seed banks taught us" in t for t in texts) is quoted, texts
    finally:
        store.close()


def test_quotes_of_all_years_take_each_year_in_turn(tmp_path: Path, lessons: LessonSet) -> None:
    store = demo_store(tmp_path / "db.duckdb", workshops=120)
    try:
        # Quotes from one workshop upwards: this is about how the view takes the years in
        # turn, and 120 demo workshops hold few cells where three workshops answered a
        # lesson in one language (the rule itself: the tests above).
        budget = Budget(rho=0.5, lifetime_rho=5, min_groups=3, quote_workshops=1)
        for period, _ in store.release_periods():
            make_release(store, lessons, period=period, budget=budget)
        view = load_view(store, {}, 5.0)
        lesson_id = next(lesson.id for lesson in lessons.lessons if lesson.prompts)
        per_year = {p: view.quotes(Selection(period=p), lesson_id, limit=50) for p in view.periods}
        years = [p for p in sorted(per_year, reverse=True) if per_year[p]]
        assert len(years) >= 2, "the test needs quotes in two years"
        shown = view.quotes(Selection(), lesson_id, limit=len(years))
        # One from each year, newest first: not only the first release's sample.
        assert shown == [per_year[p][0] for p in years]  # type: ignore[index]
    finally:
        store.close()


def test_a_rating_with_too_few_groups_for_its_mean_shows_no_bars(
    tmp_path: Path, lessons: LessonSet
) -> None:
    store = demo_store(tmp_path / "db.duckdb", workshops=150)
    try:
        for period, _ in store.release_periods():
            make_release(store, lessons, period=period, budget=Budget())
        view = load_view(store, {}, 1.0)
        selections = [Selection(), *(Selection(period=p) for p in view.periods)]
        ratings = [r for s in selections for r in view.statement_ratings(s)]
        unknown = [r for r in ratings if r.mean.value is None]
        assert unknown, "the test needs a rating too small for its mean"
        for rating in unknown:
            assert all(bar.value is None for bar in rating.bars), rating.label
        assert any(bar.value is not None for r in ratings if r.mean.known for bar in r.bars)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("value", "margin", "signed", "shown"),
    [
        (3.4123, 0.21, False, "3.4 ± 0.2"),
        (3.4123, 0.031, False, "3.41 ± 0.03"),
        (3.4123, 0.002, False, "3.41 ± 0.01"),
        (0.25, 0.04, True, "+0.25 ± 0.04"),
        (-0.5, 0.3, True, "-0.5 ± 0.3"),
    ],
)
def test_a_mean_never_reads_plus_or_minus_zero(
    value: float, margin: float, signed: bool, shown: str
) -> None:
    from workbook.release.view import mean_text

    assert mean_text(value, margin, signed=signed) == shown


def test_the_funder_phrase_list_drops_a_phrase_inside_a_longer_one_used_as_much() -> None:
    """The walk-through saw "people who refused" beside "who refused" and "refused to stay";
    near-repeats are dropped after noise, from what was published (never anything added)."""
    record = ReleaseRecord(
        id=1,
        period=2026,
        made_at=dt.datetime(2026, 12, 1),
        groups_in=40,
        rho=0.5,
        delta=1e-6,
        parameters={},
    )
    phrases = pd.DataFrame(
        {
            "lesson_id": ["l1"] * 4,
            "phrase": ["people who refused", "who refused", "refused to stay", "rent strike"],
            "groups": [30.0, 30.0, 30.0, 12.0],
            "variance": [1.0] * 4,
        }
    )
    empty = pd.DataFrame()
    release = PublishedRelease(record, empty, empty, phrases, empty)
    view = FunderView(releases=[release], statement_labels={})
    shown = [phrase for phrase, _ in view.phrases(Selection(), "l1")]
    assert shown == ["people who refused", "rent strike"]
    assert [p for p, _ in view.phrases(Selection(), "l1", limit=1)] == ["people who refused"]


def _room_answers(
    store: Store, lessons: LessonSet, *, rooms: list[tuple[str, int, bool]], text: str
) -> None:
    """Workshops of one cause and region, each (language, groups, answers the first lesson):
    every group consents; those of a room that answers give `text` and their table's number."""
    from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate

    lesson = next(lesson for lesson in lessons.lessons if lesson.prompts)
    other = next(x for x in lessons.lessons if x.prompts and x.id != lesson.id)
    table = 0
    for language, groups, answers_it in rooms:
        room, _ = store.create_workshop(
            workshop=WorkshopCreate(title="Room", cause="Seed banks", shares_with_funders=True)
        )
        store.set_workshop_language(workshop_id=room.id, language=language)
        for _ in range(groups):
            table += 1
            seat, _ = store.join(
                workshop_id=room.id,
                request=JoinRequest(group_name=f"Table {table}", quote_consent=True),
            )
            chosen = lesson if answers_it else other
            store.save_answers(
                seat=seat,
                lesson_id=chosen.id,
                round=1,
                reflections=[
                    ReflectionIn(
                        lesson_id=chosen.id,
                        prompt_id=chosen.prompts[0].id,
                        text=f"{text} We planted {table} rows.",
                    )
                ],
            )


QUOTED = "Seed banks taught us patience with allies and with ourselves."


@pytest.mark.parametrize(
    ("rooms", "quoted"),
    [
        # A cell of 30 groups from 5 workshops; the lesson answered in Danish by one of them
        # only: its quote would be pinned to that workshop by its language.
        ([("da", 6, True), *[("en", 6, True)] * 4], {"en"}),
        # The lesson answered by two workshops only (the rest answered another lesson).
        ([("en", 6, True), ("en", 6, True), *[("en", 6, False)] * 3], set()),
        # Three workshops of each language answered it: both are quoted.
        ([*[("da", 2, True)] * 3, *[("en", 2, True)] * 3], {"da", "en"}),
    ],
)
def test_a_quote_needs_its_k_groups_among_those_that_answered_its_lesson_in_its_language(
    tmp_path: Path, lessons: LessonSet, rooms: list[tuple[str, int, bool]], quoted: set[str]
) -> None:
    """A quote shows its lesson and language as well as its cell: it is quoted only where at
    least K groups from three workshops answered that lesson in that language (walk-through
    4 pinned a Danish quote to the one Danish workshop of its cell)."""
    store = Store(tmp_path / "db.duckdb")
    try:
        _room_answers(store, lessons, rooms=rooms, text=QUOTED)
        [(period, _)] = store.release_periods()
        made = make_release(store, lessons, period=period, budget=Budget(), noise=ExactNoise())
        quotes = store.published_release(made.release_id).quotes
        first = next(lesson.id for lesson in lessons.lessons if lesson.prompts)
        texts = quotes[quotes["lesson_id"] == first]["text"].tolist()
        tables = {int(m) for t in texts for m in re.findall(r"planted (\d+) rows", t)}
        # Tables are numbered room by room, so a table's room (and language) is known.
        language_of, table = {}, 0
        for language, groups, _ in rooms:
            for _ in range(groups):
                table += 1
                language_of[table] = language
        assert {language_of[t] for t in tables} == quoted, texts
    finally:
        store.close()


def test_a_release_that_would_measure_fewer_groups_than_the_one_it_replaces_is_refused(
    tmp_path: Path, lessons: LessonSet
) -> None:
    """Walk-through 4: with every group's budget spent, one group joining late made a release
    of 1 group that replaced the year's release of many, and the page called the difference
    noise. It is refused with the counts, and the funder view keeps the fuller release."""
    store = Store(tmp_path / "db.duckdb")
    try:
        _room_answers(store, lessons, rooms=[("en", 4, True)] * 3, text=QUOTED)
        [(period, _)] = store.release_periods()
        budget = Budget(rho=0.5, lifetime_rho=0.5)  # one release spends every group's budget
        first = make_release(store, lessons, period=period, budget=budget)
        _room_answers(store, lessons, rooms=[("en", 1, True)], text=QUOTED)  # a late group
        with pytest.raises(ReleaseRefused) as refused:
            make_release(store, lessons, period=period, budget=budget)
        assert str(refused.value) == (
            f"12 of the 13 groups of {period} have spent their privacy budget, so a new "
            f"release would measure only 1 and replace release {first.release_id}, which "
            f"measured 12: not made. The funder view keeps release {first.release_id}."
        )
        assert [r.id for r in store.release_records()] == [first.release_id]
        # With room in the budget, the same period is released again, the late group in it.
        again = make_release(
            store, lessons, period=period, budget=Budget(rho=0.5, lifetime_rho=2.0)
        )
        assert again.left_out == 0 and again.groups == 13
    finally:
        store.close()
