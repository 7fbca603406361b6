"""Funder releases on a demo mixing plans and languages (issue 18): each rating statement's
figures come only from the groups of workshops whose plan asked it, by the statement's id
whatever the workshop's language, and a facilitator's own items never reach funders.

A release made without noise (`ExactNoise`) is checked against figures computed here from the
raw tables and each workshop's stored plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.test_release import _published, _without_group
from workbook.demo.generator import generate
from workbook.lessons import OWN_PREFIX, LessonSet
from workbook.plans import Plan, apply_plan
from workbook.release.budget import Budget
from workbook.release.make import make_release
from workbook.release.mechanisms import ExactNoise
from workbook.release.view import FunderView, Selection, load_view
from workbook.store import Store
from workbook.text_analysis import DANISH_STOP_WORDS, STOP_WORDS, phrases_of

WORKSHOPS = 150
SEED = 18
RAW_COLUMNS = ["workshop", "group", "lesson", "statement", "round", "value", "plan", "language"]


@pytest.fixture(scope="module")
def mixed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mixed") / "mixed.duckdb"
    store = Store(path)
    store.bulk_load(generate(WORKSHOPS, seed=SEED).tables)
    store.close()
    return path


@pytest.fixture(scope="module")
def exact(mixed_file: Path, lessons: LessonSet) -> tuple[FunderView, pd.DataFrame]:
    """The mixed demo released without noise, every period, and its raw ratings (of shared
    workshops) with each workshop's plan and language."""
    path = mixed_file.with_name("exact.duckdb")
    shutil.copy(mixed_file, path)
    store = Store(path)
    try:
        for period, _ in store.release_periods():
            make_release(store, lessons, period=period, budget=Budget(), noise=ExactNoise())
        view = load_view(store, {}, Budget().lifetime_rho)
        raw = pd.DataFrame(
            store._all(
                "SELECT r.workshop_id, r.group_id, r.lesson_id, r.statement_id, r.round, r.value,"
                " p.plan_json, l.language"
                " FROM ratings r JOIN workshops w ON w.id = r.workshop_id"
                " JOIN workshop_plans p ON p.workshop_id = r.workshop_id"
                " JOIN workshop_languages l ON l.workshop_id = r.workshop_id"
                " WHERE w.shares_with_funders"
            ),
            columns=RAW_COLUMNS,
        )
    finally:
        store.close()
    return view, raw


def _asked(plan_json: str, lessons: LessonSet) -> set[tuple[str, str]]:
    applied = apply_plan(lessons, Plan.model_validate_json(plan_json))
    return {(lesson.id, s.id) for lesson in applied.lessons for s in lesson.ratings}


def _expected(raw: pd.DataFrame, lessons: LessonSet) -> pd.DataFrame:
    """Per lesson statement and group: the group's rounded first look, counting only
    workshops whose plan asked the statement (own statements are left to their own test)."""
    asked = {text: _asked(text, lessons) for text in raw["plan"].unique()}
    first = raw[(raw["round"] == 1) & ~raw["statement"].str.startswith(OWN_PREFIX)]
    keep = [
        (lesson, statement) in asked[plan]
        for lesson, statement, plan in zip(
            first["lesson"], first["statement"], first["plan"], strict=True
        )
    ]
    per_group = (
        first[keep].groupby(["lesson", "statement", "group", "language"])["value"].mean()
    ).reset_index()
    per_group["rounded"] = np.clip(np.floor(per_group["value"] + 0.5), 1, 5)
    per_group["measure"] = per_group["lesson"] + "/" + per_group["statement"]
    return per_group


def test_each_statement_is_the_mean_of_the_workshops_whose_plan_asked_it(
    exact: tuple[FunderView, pd.DataFrame], lessons: LessonSet
) -> None:
    view, raw = exact
    plans = {Plan.model_validate_json(text).id for text in raw["plan"].unique()}
    assert {"introduction-90", "full-day"} <= plans and any(p.startswith("demo-") for p in plans)
    expected = _expected(raw, lessons)
    published = {r.measure: r for r in view.statement_ratings(Selection())}
    statements = {f"{lesson.id}/{s.id}" for lesson in lessons.lessons for s in lesson.ratings}
    assert set(published) == statements and set(expected["measure"]) <= statements
    checked = 0
    for measure, rating in published.items():
        mine = expected[expected["measure"] == measure]
        if mine.empty:
            assert rating.groups.value is None or round(rating.groups.value) == 0
            continue
        assert rating.groups.value == pytest.approx(len(mine)), measure
        assert rating.mean.value == pytest.approx(mine["rounded"].mean()), measure
        shares = [(mine["rounded"] == b).mean() for b in range(1, 6)]
        assert [b.value for b in rating.bars] == pytest.approx(shares), measure
        checked += 1
    assert checked >= 20

    # Statements the 90-minute introduction leaves out: each one's count is the groups of
    # the workshops that asked it, and none of the introduction's groups is among them.
    intro = next(
        t for t in raw["plan"].unique() if Plan.model_validate_json(t).id == "introduction-90"
    )
    left_out = sorted(statements - {f"{a}/{b}" for a, b in _asked(intro, lessons)})
    intro_groups = set(raw.loc[raw["plan"] == intro, "group"])
    assert left_out and intro_groups
    for measure in left_out:
        lesson, statement = measure.split("/")
        rated = raw[
            (raw["lesson"] == lesson) & (raw["statement"] == statement) & (raw["round"] == 1)
        ]
        assert not set(rated["group"]) & intro_groups, measure
        value = published[measure].groups.value or 0
        assert round(value) == rated["group"].nunique(), measure


def test_danish_and_english_ratings_of_a_statement_are_one_figure(
    exact: tuple[FunderView, pd.DataFrame], lessons: LessonSet
) -> None:
    view, raw = exact
    expected = _expected(raw, lessons)
    published = {r.measure: r for r in view.statement_ratings(Selection())}
    both = 0
    for measure, mine in expected.groupby("measure"):
        groups = mine.groupby("language")["group"].nunique()
        if set(groups.index) != {"da", "en"}:
            continue
        both += 1
        # One figure per statement id, holding the Danish and the English groups alike.
        assert published[measure].groups.value == pytest.approx(groups["da"] + groups["en"])
        assert published[measure].mean.value == pytest.approx(mine["rounded"].mean())
    assert both >= 10
    # No statement is split by language: each id is measured once.
    measures = [r.measure for r in view.statement_ratings(Selection())]
    assert len(measures) == len(set(measures))


def test_own_statements_and_prompts_never_reach_the_funder_view(
    mixed_file: Path, lessons: LessonSet
) -> None:
    path = mixed_file.with_name("own.duckdb")
    shutil.copy(mixed_file, path)
    store = Store(path)
    try:
        own_ratings = store._all(
            f"SELECT count(*) FROM ratings WHERE statement_id LIKE '{OWN_PREFIX}%'"
        )[0][0]
        assert own_ratings > 0  # the demo has some to leak
        # Answers to own prompts made recognisable, long enough to be quoted.
        store._write(
            lambda cur: cur.execute(
                "UPDATE reflections SET text = 'Zorblat quillons answer our own question, '"
                f" || id::VARCHAR WHERE prompt_id LIKE '{OWN_PREFIX}%'"
            )
        )
        assert store._all("SELECT count(*) FROM reflections WHERE text LIKE 'Zorblat%'")[0][0]
        quotes: list[str] = []
        phrases: list[str] = []
        # Quotes from one workshop upwards, so the small demo has some for own prompts to leak
        # into (the three-workshop rule: tests/test_release.py).
        budget = Budget(quote_workshops=1)
        for period, _ in store.release_periods():
            made = make_release(store, lessons, period=period, budget=budget, noise=ExactNoise())
            published = store.published_release(made.release_id)
            record = store.release_records()[-1]
            assert not any(OWN_PREFIX in m for m in record.parameters["statements"])
            assert not published.figures["measure"].astype(str).str.contains(OWN_PREFIX).any()
            quotes.extend(published.quotes["text"])
            phrases.extend(published.phrases["phrase"])
        assert quotes and phrases
        assert not [q for q in quotes if "orblat" in q]
        assert not [p for p in phrases if "orblat" in p or "quillon" in p]
        view = load_view(store, {}, Budget().lifetime_rho)
        shown = [r.measure for r in view.statement_ratings(Selection())]
        assert shown and not any(OWN_PREFIX in m for m in shown)
    finally:
        store.close()


def _groups(store: Store, sql: str) -> set[int]:
    return {int(g) for (g,) in store._all(sql)}


def test_the_noisy_release_on_the_mixed_demo_keeps_its_declared_sensitivity(
    tmp_path: Path, mixed_file: Path, lessons: LessonSet
) -> None:
    budget = Budget(rho=1.0, lifetime_rho=50)
    full = tmp_path / "full.duckdb"
    shutil.copy(mixed_file, full)
    opened = Store(full)
    try:
        own = _groups(
            opened, f"SELECT group_id FROM ratings WHERE statement_id LIKE '{OWN_PREFIX}%'"
        )
        danish = _groups(
            opened,
            "SELECT g.id FROM groups g JOIN workshop_languages l USING (workshop_id)"
            " WHERE l.language = 'da'",
        )
        returning = _groups(opened, "SELECT group_id FROM ratings WHERE round = 2")
        # A period with a group of a facilitator's own plan, a Danish one and a returning
        # one, each sharing its cause and region with others (so the filters stay the same).
        candidates: list[int | None] = []
        for period, _ in opened.release_periods():
            groups = opened.release_groups(period=period)
            shared = groups[
                groups.groupby("cause")["group_id"].transform("size").gt(1)
                & groups.groupby("region")["group_id"].transform("size").gt(1)
            ]["group_id"].tolist()
            candidates = [
                next((int(g) for g in shared if g in pool), None)
                for pool in (own, danish, returning)
            ]
            if None not in candidates:
                break
        assert candidates and None not in candidates
        # The normal release, with OpenDP's noise, as the command makes it.
        noisy = make_release(opened, lessons, period=period, budget=budget)
        declared = opened.release_records()[-1].parameters
        assert noisy.spent.rho == pytest.approx(budget.rho)
    finally:
        opened.close()

    for group_id in candidates:
        with_path, without_path = tmp_path / "with.duckdb", tmp_path / "without.duckdb"
        shutil.copy(mixed_file, with_path)
        _without_group(mixed_file, without_path, int(group_id or 0))
        figures = []
        for path in (with_path, without_path):
            opened = Store(path)
            made = make_release(opened, lessons, period=period, budget=budget, noise=ExactNoise())
            figures.append(_published(opened, made.release_id))
            parameters = opened.release_records()[-1].parameters
            opened.close()
        # The noisy release declared the bounds that hold without noise.
        assert parameters["sensitivities"] == declared["sensitivities"]
        assert parameters["measure_sensitivities"] == declared["measure_sensitivities"]
        with_group, without = figures
        for family, sensitivity in declared["sensitivities"].items():
            a, b = with_group[family].align(without[family], fill_value=0.0)
            moved = float(np.sqrt(((a - b) ** 2).sum()))
            assert moved <= sensitivity + 1e-9, (family, group_id, moved, sensitivity)
        for family, sensitivity in declared["measure_sensitivities"].items():
            a, b = with_group[family].align(without[family], fill_value=0.0)
            moved_each = ((a - b) ** 2).groupby(level="measure").sum() ** 0.5
            assert float(moved_each.max()) <= sensitivity + 1e-9, (family, group_id)


@pytest.fixture(scope="module")
def released_phrases(mixed_file: Path, lessons: LessonSet) -> tuple[set[str], pd.DataFrame]:
    """Every phrase the mixed demo's exact releases publish, and its consented answers with
    their workshop's language."""
    path = mixed_file.with_name("phrases.duckdb")
    shutil.copy(mixed_file, path)
    store = Store(path)
    try:
        phrases: set[str] = set()
        answers = []
        for period, _ in store.release_periods():
            made = make_release(store, lessons, period=period, budget=Budget(), noise=ExactNoise())
            phrases.update(store.published_release(made.release_id).phrases["phrase"])
            answers.append(store.release_reflections(period=period))
    finally:
        store.close()
    return phrases, pd.concat(answers, ignore_index=True)


def test_danish_filler_words_are_not_published_as_phrases(
    released_phrases: tuple[set[str], pd.DataFrame],
) -> None:
    phrases, answers = released_phrases
    # The store gives each answer its workshop's language: both are in the release.
    assert set(answers["language"]) == {"da", "en"}
    danish_text = " ".join(answers.loc[answers["language"] == "da", "text"]).casefold()
    english_text = " ".join(answers.loc[answers["language"] == "en", "text"]).casefold()
    # Read with English stop words only, the Danish answers would give filler phrases such as
    # "om det" and "til det" (what the release published before).
    filler = {"om det", "til det", "det og", "vi er", "vi vil", "med flere"}
    english_only = {p for text in set(answers["text"]) for p in phrases_of(text, language="en")}
    assert filler & english_only
    assert not filler & phrases
    # No published phrase starts or ends with a stop word of either language...
    for phrase in phrases:
        words = phrase.split()
        for word in (words[0], words[-1]):
            assert word not in DANISH_STOP_WORDS and word not in STOP_WORDS, phrase
    # ... while the Danish answers' content words still make phrases ("vende tilbage",
    # "første møde"), and the English answers' too.
    danish_phrases = {p for p in phrases if p in danish_text and p not in english_text}
    english_phrases = {p for p in phrases if p in english_text and p not in danish_text}
    assert danish_phrases and english_phrases
