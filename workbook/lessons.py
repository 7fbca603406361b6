"""Lesson files (lessons/*.md): their schema, loading, validation and the `check` command.

A lesson is one Markdown file. YAML front matter between two `---` lines holds the structured
parts (prompts, rating statements, exercise, timer); the body is the text a group reads.
A broken file never stops the app: it is reported with its file name and field, and the good
lessons load.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbook.models import ExerciseKind, KeyFinding, Slug

SEED_FILE_PATTERN = r"^\d{3}_[0-9a-f]{16}\.txt$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1)]


class LessonSource(_Strict):
    file: Annotated[str, Field(pattern=SEED_FILE_PATTERN)]
    title: Annotated[str, Field(min_length=1, max_length=200)]


class PromptSpec(_Strict):
    id: Slug
    text: Annotated[str, Field(min_length=1, max_length=300)]
    help: Annotated[str, Field(max_length=200)] = ""


class RatingStatement(_Strict):
    id: Slug
    text: Annotated[str, Field(min_length=1, max_length=200)]
    low: Annotated[str, Field(min_length=1, max_length=40)]
    high: Annotated[str, Field(min_length=1, max_length=40)]
    key_finding: KeyFinding | None = None


class Lesson(_Strict):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=80)]
    order: int
    key_finding: KeyFinding
    summary: Annotated[str, Field(min_length=1, max_length=200)]
    sources: Annotated[list[LessonSource], Field(min_length=1)]
    prompts: Annotated[list[PromptSpec], Field(max_length=6)] = []
    ratings: Annotated[list[RatingStatement], Field(max_length=6)] = []
    exercise: ExerciseKind | None = None
    timer_minutes: Annotated[int, Field(ge=1, le=120)]
    body: Text
    file_name: str = ""

    @model_validator(mode="after")
    def _ids_unique_within_lesson(self) -> Lesson:
        for label, items in (("prompts", self.prompts), ("ratings", self.ratings)):
            ids = [item.id for item in items]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"{label} has a repeated id: {', '.join(duplicates)}")
        if not self.prompts and not self.ratings and self.exercise is None:
            raise ValueError("a lesson needs at least one prompt, rating statement or exercise")
        return self

    def finding_of(self, statement: RatingStatement) -> KeyFinding:
        return statement.key_finding or self.key_finding

    def statement(self, statement_id: str) -> RatingStatement | None:
        return next((s for s in self.ratings if s.id == statement_id), None)

    def prompt(self, prompt_id: str) -> PromptSpec | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


@dataclass(frozen=True)
class LessonProblem:
    file_name: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file_name}: {self.field}" if self.field else self.file_name
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class LessonSet:
    """The lessons that loaded, in order, and the problems found on the way."""

    lessons: tuple[Lesson, ...]
    problems: tuple[LessonProblem, ...] = field(default_factory=tuple)

    def by_id(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def index_of(self, lesson_id: str) -> int | None:
        for index, lesson in enumerate(self.lessons):
            if lesson.id == lesson_id:
                return index
        return None

    def __len__(self) -> int:
        return len(self.lessons)


class LessonFileError(ValueError):
    """A lesson file cannot be read as front matter plus body."""


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter, body) of a lesson file's text."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise LessonFileError("the file must start with a '---' line opening the front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]).strip()
    raise LessonFileError("the front matter is not closed by a second '---' line")


def parse_lesson(path: Path) -> tuple[Lesson | None, list[LessonProblem]]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [LessonProblem(name, "", f"cannot be read ({error})")]
    try:
        front, body = split_front_matter(text)
        data = yaml.safe_load(front)
    except LessonFileError as error:
        return None, [LessonProblem(name, "front matter", str(error))]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return None, [LessonProblem(name, "front matter", f"is not valid YAML{where}")]
    if not isinstance(data, dict):
        return None, [LessonProblem(name, "front matter", "must be a set of 'field: value' lines")]
    if "body" in data or "file_name" in data:
        return None, [
            LessonProblem(name, "body", "is the text after the front matter, not a field")
        ]
    try:
        lesson = Lesson.model_validate({**data, "body": body, "file_name": name})
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = ".".join(str(part) for part in item["loc"]) or "lesson"
            problems.append(LessonProblem(name, location, item["msg"]))
        return None, problems
    return lesson, []


def load_lessons(folder: Path) -> LessonSet:
    """Load every `*.md` lesson in `folder`; skip (and report) broken ones and duplicate ids."""
    if not folder.is_dir():
        return LessonSet((), (LessonProblem(str(folder), "", "lesson folder not found"),))
    lessons: list[Lesson] = []
    problems: list[LessonProblem] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        lesson, found = parse_lesson(path)
        problems.extend(found)
        if lesson is None:
            continue
        if lesson.id in seen:
            problems.append(
                LessonProblem(
                    path.name, "id", f"'{lesson.id}' is already used by {seen[lesson.id]}"
                )
            )
            continue
        seen[lesson.id] = path.name
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
    return LessonSet(tuple(lessons), tuple(problems))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbook.lessons")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a lesson folder; exit 1 on any problem")
    check.add_argument("folder", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)

    from workbook.config import get_settings

    folder = args.folder or get_settings().lessons_dir
    result = load_lessons(folder)
    for lesson in result.lessons:
        print(f"ok    {lesson.file_name}: {lesson.id} ({lesson.title})")
    for problem in result.problems:
        print(f"ERROR {problem}", file=sys.stderr)
    if not result.lessons and not result.problems:
        print(f"ERROR {folder}: no lesson files (*.md) found", file=sys.stderr)
        return 1
    print(f"{len(result.lessons)} lessons ok, {len(result.problems)} problems")
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
