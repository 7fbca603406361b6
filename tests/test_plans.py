"""Workshop plans (workbook/plans): the model's rules, a plan applied to the lessons, the
ready plan files, plan files read and written, the editor's changes, and the check command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from workbook.config import PROJECT_ROOT
from workbook.lessons import Lesson, LessonSet, main
from workbook.plans import (
    Plan,
    PlanStep,
    apply_plan,
    everything,
    load_plans,
    minutes_line,
    plan_problems,
    plan_yaml,
    plans_folder,
    read_plan,
)
from workbook.plans import edit as plan_edit

PLANS = plans_folder(PROJECT_ROOT / "lessons")


def three_step(lessons: LessonSet) -> Plan:
    """A 3-lesson custom plan with an own prompt, out of file order."""
    return Plan(
        id="our-evening",
        title="Our evening",
        session_minutes=60,
        steps=[
            PlanStep(lesson="early-actions", minutes=25, prompts=["the-ask"], ratings=[]),
            PlanStep(
                lesson="learning-from-movements",
                minutes=15,
                ratings=["learn-from-others"],
                own_prompts=[{"id": "own-our-river", "text": "What did the river teach us?"}],
            ),
            PlanStep(lesson="diverse-voices", minutes=30, exercise=False),
        ],
    )


def test_a_plan_applied_gives_its_steps_in_order_with_the_chosen_parts(lessons: LessonSet) -> None:
    applied = apply_plan(lessons, three_step(lessons))
    assert applied.problems == ()
    assert [lesson.id for lesson in applied.lessons] == [
        "early-actions",
        "learning-from-movements",
        "diverse-voices",
    ]
    first, second, third = applied.lessons
    assert [p.id for p in first.prompts] == ["the-ask"] and first.ratings == []
    assert first.timer_minutes == 25
    # The lesson's prompts all kept (none listed), its ratings cut, the own prompt last.
    assert [p.id for p in second.prompts] == ["closest", "applicable", "hopes", "own-our-river"]
    assert [s.id for s in second.ratings] == ["learn-from-others"]
    assert third.exercise is None and lessons.by_id("diverse-voices").exercise is not None
    assert [lesson.order for lesson in applied.lessons] == [1, 2, 3]


def test_no_plan_is_every_lesson_in_file_order(lessons: LessonSet) -> None:
    assert apply_plan(lessons, None) is lessons
    whole = apply_plan(lessons, everything(lessons))
    assert [lesson.id for lesson in whole.lessons] == [lesson.id for lesson in lessons.lessons]
    assert [len(lesson.prompts) for lesson in whole.lessons] == [
        len(lesson.prompts) for lesson in lessons.lessons
    ]


def test_a_step_whose_lesson_or_prompt_is_gone_is_a_problem_not_a_crash(
    lessons: LessonSet,
) -> None:
    plan = Plan(
        id="old",
        title="Old plan",
        session_minutes=60,
        steps=[
            PlanStep(lesson="no-such-lesson", minutes=10),
            PlanStep(lesson="early-actions", minutes=10, prompts=["the-ask", "gone-prompt"]),
            PlanStep(
                lesson="action-plan", minutes=10, prompts=["gone"], ratings=[], exercise=False
            ),
        ],
    )
    applied = apply_plan(lessons, plan)
    assert [lesson.id for lesson in applied.lessons] == ["early-actions"]
    assert [p.id for p in applied.lessons[0].prompts] == ["the-ask"]
    said = [str(problem) for problem in applied.problems]
    assert any("steps.1.lesson" in s and "no-such-lesson" in s for s in said)
    assert any("steps.2.prompts" in s and "gone-prompt" in s for s in said)
    # Nothing left of a step (its only prompt gone, no ratings, no exercise): left out, said.
    assert any("steps.3" in s and "action-plan" in s for s in said)
    assert plan_problems(lessons, plan) == list(applied.problems)


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        ({"lesson": "early-actions", "minutes": 0}, "greater than or equal to 1"),
        ({"lesson": "early-actions", "minutes": 121}, "less than or equal to 120"),
        (
            {"lesson": "early-actions", "minutes": 5, "own_prompts": [{"id": "mine", "text": "x"}]},
            "must start with 'own-'",
        ),
        (
            {"lesson": "early-actions", "minutes": 5, "own_prompts": [{"id": "own-x", "text": ""}]},
            "at least 1 character",
        ),
        (
            {
                "lesson": "early-actions",
                "minutes": 5,
                "own_ratings": [{"id": "own-x", "text": "We do", "low": "No", "high": "y" * 41}],
            },
            "at most 40 characters",
        ),
    ],
)
def test_a_step_is_checked_by_the_lesson_files_rules(step: dict[str, object], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Plan.model_validate({"id": "p", "title": "P", "session_minutes": 60, "steps": [step]})


def test_a_lesson_may_be_in_a_plan_once_and_a_lesson_file_may_not_use_own_ids(
    lessons: LessonSet,
) -> None:
    step = {"lesson": "early-actions", "minutes": 5}
    with pytest.raises(ValidationError, match="a lesson may be in a plan once"):
        Plan.model_validate({"id": "p", "title": "P", "session_minutes": 60, "steps": [step] * 2})
    data = lessons.by_id("early-actions").model_dump()
    data["prompts"][0]["id"] = "own-the-ask"
    with pytest.raises(ValidationError, match="kept for a facilitator's own items"):
        Lesson.model_validate(data)


def test_the_total_against_the_session_is_said_plainly(lessons: LessonSet) -> None:
    plan = three_step(lessons)
    assert minutes_line(plan) == "Total 70 of 60 minutes: 10 minutes over the session's length"
    longer = plan_edit.set_details(plan, title="Our evening", session_minutes=90)
    assert minutes_line(longer) == "Total 70 of 90 minutes"


def test_the_three_ready_plans_load_and_apply_whole(lessons: LessonSet) -> None:
    ready = load_plans(PLANS, lessons)
    assert ready.problems == ()
    assert [plan.id for plan in ready.plans] == ["introduction-90", "full-day", "follow-up"]
    for plan in ready.plans:
        assert plan.title and plan.description
        assert plan.over_by == 0, minutes_line(plan)
        assert len(apply_plan(lessons, plan).lessons) == len(plan.steps)
    assert ready.by_id("introduction-90").session_minutes == 90


def test_a_plan_file_round_trips_with_own_items(lessons: LessonSet) -> None:
    plan = three_step(lessons)
    plan = plan_edit.add_own_rating(
        plan, 0, lessons.by_id("early-actions"), text="We ask clearly.", low="No", high="Yes"
    )
    text = plan_yaml(plan)
    assert "own-our-river" in text and "We ask clearly." in text
    again, problems = read_plan(text.encode(), "our-evening.yaml")
    assert problems == [] and again == plan


def test_a_broken_plan_file_is_refused_by_name_and_the_rest_load(
    tmp_path: Path, lessons: LessonSet, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in sorted((PROJECT_ROOT / "lessons").glob("*.md")):
        shutil.copy(path, tmp_path / path.name)
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    (folder / "40-broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    (folder / "50-unknown.yaml").write_text(
        "id: unknown\ntitle: Unknown ids\nsession_minutes: 60\nsteps:\n"
        "  - lesson: early-actions\n    minutes: 10\n    ratings: [no-such-statement]\n",
        encoding="utf-8",
    )
    (folder / "60-anchor.yaml").write_text("a: &x 1\nb: *x\n", encoding="utf-8")
    loaded = load_plans(folder, lessons)
    assert [plan.id for plan in loaded.plans] == ["introduction-90", "full-day", "follow-up"]
    said = [str(problem) for problem in loaded.problems]
    assert any(s.startswith("40-broken.yaml") and "is not valid YAML (line 3)" in s for s in said)
    assert any(s.startswith("50-unknown.yaml") and "no-such-statement" in s for s in said)
    assert any(s.startswith("60-anchor.yaml") and "anchor" in s for s in said)
    # The check command fails by file and id.
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "plans/50-unknown.yaml: steps.1.ratings" in err and "no-such-statement" in err
    assert main(["check", str(PROJECT_ROOT / "lessons")]) == 0
    assert "3 plans ok, 0 problems" in capsys.readouterr().out


def test_the_editors_changes_and_refusals(lessons: LessonSet) -> None:
    plan = three_step(lessons)
    voices = lessons.by_id("diverse-voices")
    moved = plan_edit.move_step(plan, 2, -1)
    assert [s.lesson for s in moved.steps] == [
        "early-actions",
        "diverse-voices",
        "learning-from-movements",
    ]
    assert plan_edit.move_step(plan, 0, -1) == plan  # at the top already
    with pytest.raises(plan_edit.PlanEditError, match="already in the plan"):
        plan_edit.add_step(plan, voices)
    with pytest.raises(plan_edit.PlanEditError, match="The prompt is needed"):
        plan_edit.add_own_prompt(plan, 2, voices, text="   ")
    with pytest.raises(plan_edit.PlanEditError, match="at most 300 characters"):
        plan_edit.add_own_prompt(plan, 2, voices, text="x" * 301)
    # A step shows at most 6 prompts, as a lesson may hold: diverse-voices has 4 of its own.
    fuller = plan_edit.add_own_prompt(plan, 2, voices, text="First of ours?")
    fuller = plan_edit.add_own_prompt(fuller, 2, voices, text="Second of ours?")
    with pytest.raises(plan_edit.PlanEditError, match="already shows 6 prompts"):
        plan_edit.add_own_prompt(fuller, 2, voices, text="Third of ours?")
    own = fuller.steps[2].own_prompts[0].id
    assert own.startswith("own-first-of-ours-")
    assert len(plan_edit.remove_own(fuller, 2, own).steps[2].own_prompts) == 1
    with pytest.raises(plan_edit.PlanEditError, match="at least one step"):
        plan_edit.remove_step(plan_edit.remove_step(plan_edit.remove_step(plan, 0), 0), 0)
    copy = plan_edit.as_own_copy(plan)
    assert copy.id != plan.id and copy.steps == plan.steps


def test_own_ids_and_plan_ids_spell_out_danish_letters_and_accents() -> None:

    made = plan_edit.own_id("Hvilke fællesskaber støtter os på én måde?")
    assert made.startswith("own-hvilke-faellesskaber-stoetter-")
    assert made.startswith("own-") and "--" not in made
    assert plan_edit.own_id("Café résumé").startswith("own-cafe-resume-")


def test_a_renamed_plan_takes_its_id_and_file_name_from_the_new_title(
    lessons: LessonSet,
) -> None:

    from workbook.plans.files import plan_file_name

    ready = plan_edit.as_own_copy(everything(lessons))
    assert ready.id.startswith("every-lesson-")
    renamed = plan_edit.set_details(ready, title="Vores forår", session_minutes=90)
    assert renamed.id.startswith("vores-foraar-")
    assert plan_file_name(renamed).startswith("vores-foraar-")
    same = plan_edit.set_details(renamed, title="Vores forår", session_minutes=60)
    assert same.id == renamed.id  # only the length changed


def test_a_plans_description_can_be_changed_and_its_other_languages_drop_the_old_one() -> None:
    from workbook.plans.files import load_plans

    plans = load_plans(PROJECT_ROOT / "lessons" / "plans").plans
    intro = next(plan for plan in plans if plan.id == "introduction-90")
    assert intro.translations["da"].description  # the ready plan describes itself in Danish

    kept = plan_edit.set_details(intro, title=intro.title, session_minutes=60)
    assert kept.description == intro.description  # no description given: as it was
    assert kept.translations == intro.translations

    ours = plan_edit.set_details(
        intro, title=intro.title, session_minutes=90, description="  For our   spring meeting "
    )
    assert ours.description == "For our spring meeting"  # one line, as plan files keep it
    assert ours.id == intro.id  # the title did not change
    # Danish keeps its title but not the description of the plan as it was.
    assert ours.translations["da"].title == intro.translations["da"].title
    assert ours.translations["da"].description == ""
    assert ours.in_language("da").description == ""

    with pytest.raises(plan_edit.PlanEditError, match="description"):
        plan_edit.set_details(intro, title=intro.title, session_minutes=90, description="x" * 201)
