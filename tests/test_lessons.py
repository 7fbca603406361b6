"""Lesson files: the shipped set is valid and true to its sources; broken files are reported."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbook.config import PROJECT_ROOT
from workbook.lessons import LessonSet, load_lessons, main
from workbook.models import ExerciseKind

from .conftest import SEEDS

GOOD = """---
id: extra-lesson
title: An extra lesson
order: 95
key_finding: diverse_voices
summary: A lesson a facilitator dropped in.
sources:
  - file: 000_68edf5377af54e7d.txt
    title: Report summary
prompts:
  - id: q1
    text: Who is missing from the room?
ratings:
  - id: r1
    text: We hear from people unlike us.
    low: Rarely
    high: Always
timer_minutes: 10
---
Some **text** for the group.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_lessons_load_without_problems(lessons: LessonSet) -> None:
    assert lessons.problems == ()
    assert len(lessons) >= 9
    orders = [lesson.order for lesson in lessons.lessons]
    assert orders == sorted(orders)
    assert lessons.lessons[-1].exercise is ExerciseKind.action_plan


def test_shipped_lessons_cover_the_report(lessons: LessonSet) -> None:
    ids = {lesson.id for lesson in lessons.lessons}
    for needed in (
        "learning-from-movements",
        "right-people",
        "early-actions",
        "diverse-voices",
        "relationship-trade-offs",
        "networks-coalitions-allies",
        "organising-leadership-narrative",
        "keeping-momentum",
        "action-plan",
    ):
        assert needed in ids
    early = lessons.by_id("early-actions")
    assert early is not None
    assert [s.id for s in early.ratings] == [
        "mobilising-people",
        "experimenting",
        "deploying-assets",
    ]
    exercises = {lesson.exercise for lesson in lessons.lessons}
    assert set(ExerciseKind) <= exercises


def test_every_seed_is_cited_and_every_cited_seed_exists(lessons: LessonSet) -> None:
    cited = {source.file for lesson in lessons.lessons for source in lesson.sources}
    if SEEDS.is_dir():
        seeds = {path.name for path in SEEDS.glob("*.txt")}
        assert cited == seeds
    else:  # pragma: no cover - outside the workplace the seeds may not sit beside the repo
        assert len(cited) == 5


def _normalised(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"')
    return " ".join(text.split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents are not beside the repository")
def test_quotations_appear_verbatim_in_a_seed(lessons: LessonSet) -> None:
    corpus = _normalised(" ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")))
    quotes = 0
    for lesson in lessons.lessons:
        for line in lesson.body.splitlines():
            if line.startswith("> ") and not line.startswith("> —"):
                quote = _normalised(line[2:].strip().strip('"'))
                assert quote in corpus, f"{lesson.file_name}: quotation not in any seed: {quote}"
                quotes += 1
    assert quotes >= 1


def test_a_dropped_in_lesson_is_picked_up(tmp_path: Path) -> None:
    write(tmp_path, "95-extra.md", GOOD)
    result = load_lessons(tmp_path)
    assert [lesson.id for lesson in result.lessons] == ["extra-lesson"]
    assert result.lessons[0].body == "Some **text** for the group."


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GOOD.replace("title: An extra lesson\n", ""), "title"),
        (GOOD.replace("timer_minutes: 10", "timer_minutes: 500"), "timer_minutes"),
        (GOOD.replace("key_finding: diverse_voices", "key_finding: vibes"), "key_finding"),
        (GOOD.replace("  - id: q1", "  - id: Q 1"), "prompts.0.id"),
        (GOOD.replace("prompts:", "prompts: [oops\nnope:"), "front matter"),
        (GOOD.replace("---\nid", "id", 1), "front matter"),
        (GOOD.replace("timer_minutes: 10", "timer_minutes: 10\ncolour: blue"), "colour"),
    ],
)
def test_a_broken_lesson_is_reported_with_file_and_field(
    tmp_path: Path, text: str, field: str
) -> None:
    write(tmp_path, "10-good.md", GOOD.replace("extra-lesson", "good-lesson"))
    write(tmp_path, "20-broken.md", text)
    result = load_lessons(tmp_path)
    assert [lesson.id for lesson in result.lessons] == ["good-lesson"]
    assert result.problems, "the broken file must be reported"
    problem = result.problems[0]
    assert problem.file_name == "20-broken.md"
    assert problem.field.startswith(field)


def test_duplicate_ids_keep_the_first_file_and_report_the_second(tmp_path: Path) -> None:
    write(tmp_path, "10-a.md", GOOD)
    write(tmp_path, "20-b.md", GOOD)
    result = load_lessons(tmp_path)
    assert len(result.lessons) == 1
    assert str(result.problems[0]) == "20-b.md: id: 'extra-lesson' is already used by 10-a.md"


def test_check_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PROJECT_ROOT / "lessons")]) == 0
    write(tmp_path, "10-a.md", GOOD)
    assert main(["check", str(tmp_path)]) == 0
    write(tmp_path, "20-b.md", "no front matter here")
    assert main(["check", str(tmp_path)]) == 1
    assert "20-b.md: front matter" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 1


def test_check_command_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workbook.lessons", "check"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"\d+ lessons ok, 0 problems", done.stdout)
