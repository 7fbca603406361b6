"""The demo generator: deterministic per seed, clearly labelled, consistent with the schema,
loaded in bulk without breaking the app's own id sequences, and its command line."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from workbook.demo.command import DEFAULT_DB, main, open_command
from workbook.demo.generator import DemoData, generate
from workbook.lessons import LessonSet
from workbook.models import STAKEHOLDER_KINDS, JoinRequest, WorkshopCreate
from workbook.plans import Plan, apply_plan
from workbook.store import Store


def frames(data: DemoData) -> dict[str, pd.DataFrame]:
    return {table.table: table.frame for table in data.tables}


def test_the_same_seed_gives_the_same_data(lessons: LessonSet) -> None:
    first = frames(generate(40, seed=7, lessons=lessons))
    again = frames(generate(40, seed=7, lessons=lessons))
    other = frames(generate(40, seed=8, lessons=lessons))
    assert first.keys() == again.keys()
    for name, frame in first.items():
        pd.testing.assert_frame_equal(frame, again[name])
    assert not first["reflections"]["text"].equals(other["reflections"]["text"])


def test_demo_data_is_labelled_and_plausible(lessons: LessonSet) -> None:
    data = frames(generate(60, seed=3, lessons=lessons))
    workshops, ratings, reflections = data["workshops"], data["ratings"], data["reflections"]
    assert workshops["title"].str.startswith("[demo] ").all()
    names = data["participants"]["display_name"]
    assert names.map(lambda n: n == "" or re.fullmatch(r"Demo person \d+", n) is not None).all()
    assert data["groups"]["name"].str.fullmatch(r"Table \d+").all()
    # Templates filled in, plain sentences.
    assert not reflections["text"].str.contains(r"[{}]").any()
    assert reflections["text"].str.len().between(20, 400).all()
    known_prompts = {(lesson.id, p.id) for lesson in lessons.lessons for p in lesson.prompts}
    answered = set(zip(reflections["lesson_id"], reflections["prompt_id"], strict=True))
    # The lessons' prompts, and a few facilitators' own (ids own-...).
    assert answered - known_prompts
    assert all(prompt.startswith("own-") for _, prompt in answered - known_prompts)
    # Ratings vary, stay in 1..5, and some groups came back for a follow-up.
    assert set(ratings["value"].unique()) <= {1, 2, 3, 4, 5}
    assert ratings["value"].std() > 0.5
    assert (ratings["round"] == 2).any() and (ratings["round"] == 1).any()
    # Some workshops share with funders and some do not.
    assert workshops["shares_with_funders"].any() and not workshops["shares_with_funders"].all()
    # Maps use only the known kinds, and their measures are stored beside them.
    assert set(data["stakeholders"]["kind"]) <= set(STAKEHOLDER_KINDS)
    assert len(data["map_measures"]) == data["stakeholders"]["group_id"].nunique()
    # No duplicate answer for one person, item and round (the tables' unique keys).
    assert not ratings.duplicated(["participant_id", "lesson_id", "statement_id", "round"]).any()
    keys = ["participant_id", "lesson_id", "prompt_id", "round"]
    assert not reflections.duplicated(keys).any()


def asked_by_plan(data: dict[str, pd.DataFrame], lessons: LessonSet) -> dict[int, set]:
    """Per workshop (local number): the (lesson, item) pairs its plan asks, prompts and
    rating statements together, from the plan stored for it."""
    asked: dict[int, set] = {}
    for workshop, text in zip(
        data["workshop_plans"]["workshop_id"], data["workshop_plans"]["plan_json"], strict=True
    ):
        applied = apply_plan(lessons, Plan.model_validate_json(text))
        asked[int(workshop)] = {
            (lesson.id, item.id)
            for lesson in applied.lessons
            for item in (*lesson.prompts, *lesson.ratings)
        }
    return asked


def test_each_workshop_answers_only_what_its_plan_asks(lessons: LessonSet) -> None:
    data = frames(generate(80, seed=4, lessons=lessons))
    plans = data["workshop_plans"]
    assert len(plans) == 80
    ids = plans["plan_json"].map(lambda text: Plan.model_validate_json(text).id)
    # Mostly the ready plans, a few facilitators' own; never the follow-up as a first plan.
    assert {"introduction-90", "full-day"} <= set(ids)
    assert 0 < ids.str.startswith("demo-own-").sum() < 30
    assert "follow-up" not in set(ids)
    asked = asked_by_plan(data, lessons)
    for table, item in (("ratings", "statement_id"), ("reflections", "prompt_id")):
        frame = data[table]
        pairs = zip(frame["workshop_id"], frame["lesson_id"], frame[item], strict=True)
        assert all((lesson, x) in asked[int(w)] for w, lesson, x in pairs), table
    # The later round rates again only what the follow-up plan rates.
    later = data["ratings"][data["ratings"]["round"] == 2]
    assert not later.empty
    assert set(later["lesson_id"]) <= {
        "right-people",
        "early-actions",
        "networks-coalitions-allies",
        "keeping-momentum",
        "action-plan",
    }
    # About a quarter of the workshops speak Danish, and write in Danish.
    languages = data["workshop_languages"].set_index("workshop_id")["language"]
    assert set(languages) == {"en", "da"} and 0.1 < (languages == "da").mean() < 0.4
    danish = data["reflections"]["workshop_id"].map(languages) == "da"
    assert data["reflections"][danish]["text"].str.contains(r"\bvi\b|\bVi\b").all()


def test_bulk_load_keeps_ids_consistent_and_the_app_writing(
    store: Store, lessons: LessonSet
) -> None:
    data = generate(30, seed=5, lessons=lessons)
    added = store.bulk_load(data.tables)
    assert added["workshops"] == 30
    orphans = store._all(
        "SELECT count(*) FROM ratings r LEFT JOIN participants p ON p.id = r.participant_id"
        " WHERE p.id IS NULL OR p.group_id <> r.group_id OR p.workshop_id <> r.workshop_id"
    )
    assert orphans == [(0,)]
    orphans = store._all(
        "SELECT count(*) FROM stakeholder_ties t LEFT JOIN stakeholders s ON s.id = t.source_id"
        " WHERE s.id IS NULL OR s.group_id <> t.group_id"
    )
    assert orphans == [(0,)]
    # The sequences moved past the loaded ids: the app's own writes still work.
    created, _ = store.create_workshop(workshop=WorkshopCreate(title="Real day", cause="Housing"))
    seat, _ = store.join(workshop_id=created.id, request=JoinRequest(group_name="Table 1"))
    assert created.id == 31 and seat.participant.id == data.rows("participants") + 1
    assert store.workshop_by_id(1) is not None
    title = store.workshop_by_id(1)
    assert title is not None and title.title.startswith("[demo]")
    # Plans and languages stored for the workshops, as the app reads them.
    plans = frames(data)["workshop_plans"]["plan_json"].tolist()
    languages = frames(data)["workshop_languages"]["language"].tolist()
    for workshop in range(1, 31):
        stored = store.workshop_plan(workshop)
        assert stored is not None and stored.plan is not None
        assert stored.plan.model_dump_json() == plans[workshop - 1]
        assert store.workshop_language(workshop) == languages[workshop - 1]
    assert created.id == 31 and store.workshop_plan(31) is None


def test_the_command_fills_a_file_and_prints_how_to_open_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.duckdb"
    assert main(["--workshops", "12", "--db", str(path), "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "Wrote 12 demo workshops" in out
    assert re.search(r"Plans: .*full-day.*; \d+ workshops in Danish\.", out)
    assert f"WORKBOOK_DB={path} WORKBOOK_FUNDER_KEY=demo bash scripts/run_app.sh" in out
    opened = Store(path)
    try:
        assert opened.workshop_count() == 12
    finally:
        opened.close()
    # A second run refuses to add to a file that already holds workshops...
    assert main(["--workshops", "3", "--db", str(path)]) == 1
    assert "already holds 12 workshops" in capsys.readouterr().err
    # ...unless asked to start afresh.
    assert main(["--workshops", "3", "--db", str(path), "--replace"]) == 0
    assert open_command(DEFAULT_DB) == (
        "WORKBOOK_DB=data/demo.duckdb WORKBOOK_FUNDER_KEY=demo bash scripts/run_app.sh"
    )


def test_the_command_fills_a_postgresql_database_and_never_empties_one(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo for a deployment on PostgreSQL (several app processes): the address goes in
    --db; what is printed never shows its password; --replace is refused, not a DROP."""
    assert main(["--workshops", "5", "--db", postgres_url, "--no-release"]) == 0
    out = capsys.readouterr().out
    assert "Wrote 5 demo workshops to postgresql://" in out
    password = urlsplit(postgres_url).password
    if password:
        assert f":{password}@" not in out and ":***@" in out
    opened = Store(postgres_url)
    try:
        assert opened.workshop_count() == 5
    finally:
        opened.close()
    assert main(["--workshops", "3", "--db", postgres_url]) == 1
    assert "Give the demo an empty database of its own" in capsys.readouterr().err
    assert main(["--workshops", "3", "--db", postgres_url, "--replace"]) == 2
    assert "never empties a PostgreSQL database" in capsys.readouterr().err
