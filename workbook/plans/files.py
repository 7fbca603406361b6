"""Plan files (lessons/plans/*.yaml): reading one within the lesson files' bounds, loading a
folder of them (a broken one refused by name, the rest load), writing one, and checking them
against the lessons.

A plan file is plain YAML: id, title, description, session_minutes and steps (see
workbook/plans/model.py). It is read exactly as a lesson's front matter is (same size, depth,
count and length limits, no anchors or tags, no key given twice), so an uploaded plan is as
safe to read as a lesson file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from workbook.i18n import N_
from workbook.lessons import (
    MAX_FILE_BYTES,
    LessonFileError,
    LessonProblem,
    LessonSet,
    _read_bytes,
    decode_lesson,
    problem,
    read_front_matter,
    shown_name,
)
from workbook.messages import Invalid, Untranslated, say
from workbook.plans.apply import plan_problems
from workbook.plans.model import Plan

PLANS_FOLDER = "plans"  # inside the lessons folder
PLAN_SUFFIX = ".yaml"


@dataclass(frozen=True)
class PlanSet:
    """The plan files that loaded, by file name, and the problems found on the way."""

    plans: tuple[Plan, ...]
    problems: tuple[LessonProblem, ...] = field(default_factory=tuple)
    file_names: tuple[str, ...] = ()

    def by_id(self, plan_id: str) -> Plan | None:
        return next((plan for plan in self.plans if plan.id == plan_id), None)


def plans_folder(lessons_dir: Path) -> Path:
    return lessons_dir / PLANS_FOLDER


def _validation_problems(name: str, error: ValidationError) -> list[LessonProblem]:
    problems = []
    for item in error.errors():
        location = ".".join(shown_name(str(part)) for part in item["loc"]) or "plan"
        found = (item.get("ctx") or {}).get("error")
        english = item["msg"].removeprefix("Value error, ")
        # Our own checks' sentences in the session's language; pydantic's own English where
        # no sentence of ours fits ("is not valid" in another language, messages.Untranslated).
        said = found.message if isinstance(found, Invalid) else Untranslated(english)
        problems.append(LessonProblem(name, location, english, said))
    return problems


def read_plan(data: bytes, name: str) -> tuple[Plan | None, list[LessonProblem]]:
    """A plan from a file's bytes (a file in the folder or one uploaded), or why not."""
    name = shown_name(name)
    if len(data) > MAX_FILE_BYTES:
        return None, [
            problem(
                name,
                "",
                say(N_("the file is over {n} bytes, the most allowed"), n=MAX_FILE_BYTES),
            )
        ]
    try:
        parsed = read_front_matter(decode_lesson(data), first_line=1)
    except LessonFileError as error:
        return None, [problem(name, error.field if error.field else "", error.said)]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = say(N_(" (line {n})"), n=mark.line + 1) if mark is not None else say("")
        found = getattr(error, "problem", None)
        # PyYAML's own words ("mapping values are not allowed here") stay as it says them.
        detail = f": {shown_name(str(found))}" if found else ""
        return None, [
            problem(name, "", say(N_("is not valid YAML{line}{detail}"), line=line, detail=detail))
        ]
    if not isinstance(parsed, dict):
        return None, [problem(name, "", say(N_("must be a set of 'field: value' lines")))]
    try:
        return Plan.model_validate(parsed), []
    except ValidationError as error:
        return None, _validation_problems(name, error)


def parse_plan_file(path: Path) -> tuple[Plan | None, list[LessonProblem]]:
    name = shown_name(path.name)
    try:
        data = _read_bytes(path)
    except LessonFileError as error:
        return None, [LessonProblem(name, error.field, str(error))]
    except OSError as error:
        return None, [LessonProblem(name, "", f"cannot be read ({error.strerror or error})")]
    return read_plan(data, path.name)


def load_plans(folder: Path, lessons: LessonSet | None = None) -> PlanSet:
    """Every `*.yaml` plan in `folder`, in file-name order; a broken one (or, given the
    lessons, one naming a lesson, prompt or statement they lack) is refused by name and the
    rest load. A missing folder is no plans and no problem."""
    if not folder.is_dir():
        return PlanSet(())
    plans: list[Plan] = []
    names: list[str] = []
    problems: list[LessonProblem] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob(f"*{PLAN_SUFFIX}")):
        try:
            plan, found = parse_plan_file(path)
        except Exception as error:  # noqa: BLE001 - one file, however broken, never stops the rest
            plan, found = (
                None,
                [
                    LessonProblem(
                        shown_name(path.name), "", f"cannot be read ({type(error).__name__})"
                    )
                ],
            )
        if plan is not None and lessons is not None:
            found = [
                LessonProblem(shown_name(path.name), p.field, p.message, p.said)
                for p in plan_problems(lessons, plan)
            ]
            if found:
                plan = None
        problems.extend(found)
        if plan is None:
            continue
        if plan.id in seen:
            problems.append(
                LessonProblem(path.name, "id", f"'{plan.id}' is already used by {seen[plan.id]}")
            )
            continue
        seen[plan.id] = path.name
        plans.append(plan)
        names.append(shown_name(path.name))
    return PlanSet(tuple(plans), tuple(problems), tuple(names))


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as a file holds it: every step's choices written out, empty parts left off."""
    data = plan.model_dump(mode="json")
    for step in data["steps"]:
        for key in ("own_prompts", "own_ratings"):
            if not step[key]:
                del step[key]
            else:
                for item in step[key]:
                    for optional in ("help", "key_finding"):
                        if item.get(optional) in ("", None):
                            item.pop(optional, None)
        for key in ("prompts", "ratings"):
            if step[key] is None:
                del step[key]
        if step["exercise"]:
            del step["exercise"]
    return data


def plan_yaml(plan: Plan) -> str:
    """The plan as a YAML file that `read_plan` reads back as the same plan."""
    return yaml.safe_dump(plan_data(plan), sort_keys=False, allow_unicode=True, width=100)


def plan_file_name(plan: Plan) -> str:
    return f"{plan.id}{PLAN_SUFFIX}"
