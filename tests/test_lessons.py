"""Lesson files: the shipped set is valid and true to its sources; broken files are reported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import LessonSet, load_lessons, main
from workbook.models import ExerciseKind

from .conftest import SEEDS, jump_box

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


# --- hostile lesson files: each refused by name, the rest keep serving -----------------------

FRONT, BODY = GOOD.split("---\n")[1:]
FIFTY_MB = 50 * 1024 * 1024


def with_front(front: str, body: str = "Body.") -> bytes:
    return f"---\n{front}\n---\n{body}\n".encode()


def block_nesting(levels: int) -> str:
    """`levels` block sequences inside each other, each on its own line and indented."""
    return "x:\n" + "".join(" " * (i + 1) + "-\n" for i in range(levels)) + " " * levels + " y"


# (file name, its bytes, the field reported, words the message must hold). Every kind of broken
# file the issue lists, and a few more.
BROKEN: list[tuple[str, bytes, str, str]] = [
    (
        "deep-flow-list.md",
        with_front("x: " + "[" * 5000),
        "front matter",
        "more than 10 deep (line 2)",
    ),
    (
        "deep-flow-map.md",
        with_front("x: " + "{a: " * 5000),
        "front matter",
        "more than 10 deep (line 2)",
    ),
    ("deep-dashes.md", with_front("- " * 5000 + "x"), "front matter", "more than 10 deep (line 2)"),
    (
        "deep-indented.md",
        with_front(block_nesting(150)),
        "front matter",
        "more than 10 deep (line 12)",
    ),
    (
        "huge-number.md",
        with_front(FRONT.replace("order: 95", "order: " + "9" * 5000)),
        "front matter",
        "5,000 characters long (line 4); the limit is 1,000",
    ),
    (
        "huge-front-matter.md",
        with_front("order: " + "9" * 100_000),
        "front matter",
        "100,007 characters long; the limit is 32,000",
    ),
    (
        "big-order.md",
        with_front(FRONT.replace("order: 95", "order: 99999")),
        "order",
        "less than or equal to 9999",
    ),
    (
        "alias-bomb.md",
        with_front(
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]"
        ),
        "front matter",
        "anchor or alias (& or *) (line 2)",
    ),
    (
        "many-values.md",
        with_front("x: [" + "1, " * 5000 + "]"),
        "front matter",
        "more than 1,000 values",
    ),
    (
        "python-tag.md",
        with_front(FRONT.replace("order: 95", "order: !!python/object/apply:os.system [echo hi]")),
        "front matter",
        "the YAML tag !!python/object/apply:os.system (line 4)",
    ),
    (
        "binary-tag.md",
        with_front(FRONT + "x: !!binary aGVsbG8="),
        "front matter",
        "the YAML tag !!binary",
    ),
    (
        "twice.md",
        with_front(FRONT.replace("order: 95", "order: 95\norder: 1")),
        "front matter",
        "the key 'order' is given twice",
    ),
    (
        "escaped-bell.md",
        with_front(FRONT.replace("title: An extra lesson", 'title: "An \\a lesson"')),
        "front matter",
        "invisible character U+0007 (line 3)",
    ),
    ("binary.md", bytes(range(256)) * 40, "", "binary data (a zero byte on line 1)"),
    (
        "nul-in-body.md",
        with_front(FRONT, "Some\ntext\x00here"),
        "",
        "binary data (a zero byte on line 22)",
    ),
    (
        "bell-in-body.md",
        with_front(FRONT, "Some\ntext\x07here"),
        "",
        "line 22 holds the invisible character U+0007",
    ),
    ("non-character.md", with_front(FRONT, "Some text\uffff"), "", "U+FFFF"),
    ("utf-16.md", GOOD.encode("utf-16"), "", "saved as UTF-16 little-endian"),
    ("utf-16-be.md", b"\xfe\xff" + GOOD.encode("utf-16-be"), "", "saved as UTF-16 big-endian"),
    ("utf-32.md", GOOD.encode("utf-32"), "", "saved as UTF-32 little-endian"),
    (
        "utf-16-no-bom.md",
        GOOD.encode("utf-16-le"),
        "",
        "looks like UTF-16 without a byte-order mark",
    ),
    (
        "latin-1.md",
        GOOD.replace("An extra", "Un café").encode("latin-1"),
        "",
        "byte 0xE9 on line 3 is not valid UTF-8 (the file may be Latin-1",
    ),
    ("empty.md", b"", "", "the file is empty"),
    ("blank.md", b" \n\n\t\n", "", "the file is empty"),
    ("no-front-matter.md", b"Just a body.\n", "front matter", "must start with a '---' line"),
    ("unclosed.md", b"---\nid: x\n", "front matter", "not closed by a second '---' line"),
    (
        "front-matter-a-list.md",
        with_front("- a\n- b"),
        "front matter",
        "must be a set of 'field: value' lines",
    ),
    (
        "front-matter-a-sentence.md",
        with_front("just a sentence"),
        "front matter",
        "must be a set of 'field: value' lines",
    ),
    (
        "front-matter-empty.md",
        with_front(""),
        "front matter",
        "must be a set of 'field: value' lines",
    ),
    ("bad-yaml.md", with_front("id: [unclosed"), "front matter", "is not valid YAML (line"),
]


def write_broken(folder: Path) -> None:
    for name, data, _, _ in BROKEN:
        (folder / name).write_bytes(data)
    with (folder / "fifty-mb.md").open("wb") as big:
        big.write(b"---\nid: big\n---\n")
        big.write(b"word " * (FIFTY_MB // 5))


@pytest.mark.parametrize(
    ("name", "data", "field", "words"), BROKEN, ids=[name for name, *_ in BROKEN]
)
def test_each_kind_of_broken_file_is_refused_by_name(
    tmp_path: Path, name: str, data: bytes, field: str, words: str
) -> None:
    write(tmp_path, "10-good.md", GOOD.replace("extra-lesson", "good-lesson"))
    (tmp_path / name).write_bytes(data)
    result = load_lessons(tmp_path)
    assert [lesson.id for lesson in result.lessons] == ["good-lesson"]
    [problem] = result.problems
    assert problem.file_name == name
    assert problem.field == field
    assert words in problem.message, str(problem)
    assert str(problem).startswith(f"{name}: ")


def test_a_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    write(tmp_path, "10-good.md", GOOD)
    write_broken_big = tmp_path / "20-big.md"
    write_broken_big.write_bytes(b"---\nid: big\n---\n" + b"word " * (FIFTY_MB // 5))
    result = load_lessons(tmp_path)
    assert [lesson.id for lesson in result.lessons] == ["extra-lesson"]
    assert [str(p) for p in result.problems] == [
        "20-big.md: the file is 52,428,816 bytes; a lesson file may be at most 262,144 bytes"
    ]


def test_special_files_named_like_lessons_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "10-good.md", GOOD)
    os.mkfifo(tmp_path / "20-pipe.md")  # reading it would wait for ever
    (tmp_path / "30-folder.md").mkdir()
    (tmp_path / "40-device.md").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "50-dangling.md").symlink_to(tmp_path / "nowhere")
    result = load_lessons(tmp_path)
    assert [lesson.id for lesson in result.lessons] == ["extra-lesson"]
    assert [str(p) for p in result.problems] == [
        f"{name}: is not a regular file"
        for name in ("20-pipe.md", "30-folder.md", "40-device.md", "50-dangling.md")
    ]


def test_a_file_name_that_is_not_text_is_shown_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/20-\xff\x1b[31m.md"
    with open(raw, "wb") as file:
        file.write(b"")
    [problem] = load_lessons(tmp_path).problems
    assert problem.file_name == "20-\\udcff\\x1b[31m.md"
    assert str(problem).isprintable()


@pytest.mark.parametrize(
    ("how", "encode"),
    [
        ("a UTF-8 byte-order mark", lambda text: b"\xef\xbb\xbf" + text.encode()),
        ("Windows line ends", lambda text: text.replace("\n", "\r\n").encode()),
        ("old Mac line ends", lambda text: text.replace("\n", "\r").encode()),
    ],
)
def test_a_lesson_with_a_bom_or_other_line_ends_loads_unchanged(
    tmp_path: Path, how: str, encode: Callable[[str], bytes]
) -> None:
    text = GOOD.replace("Some **text** for the group.", "First line.\n\nSecond line.")
    (tmp_path / "10-a.md").write_bytes(encode(text))
    result = load_lessons(tmp_path)
    assert result.problems == (), how
    [lesson] = result.lessons
    assert lesson.title == "An extra lesson"
    assert lesson.body == "First line.\n\nSecond line."


def test_unicode_line_separators_stay_in_the_body(tmp_path: Path) -> None:
    write(tmp_path, "10-a.md", GOOD.replace("Some **text**", "Some\u2028**text**\u2029"))
    result = load_lessons(tmp_path)
    assert result.problems == ()
    assert result.lessons[0].body == "Some\u2028**text**\u2029 for the group."


YAML_PIECES = ["[", "]", "{", "}", "- ", ": ", "&a ", "*a", "!!", "? ", "'", '"', "\n", "  ", "#"]


@settings(max_examples=150, deadline=None)
@given(
    front=st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=8), max_size=400).map("".join),
    raw=st.binary(max_size=600),
)
def test_any_file_at_all_gives_a_lesson_or_named_problems(front: str, raw: bytes) -> None:
    """Whatever the bytes, loading never raises: each file is a lesson or named problems."""
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), "10-good.md", GOOD.replace("extra-lesson", "good-lesson"))
        (Path(folder) / "20-front.md").write_bytes(
            b"---\n" + front.encode("utf-8", "surrogatepass") + b"\n---\nBody."
        )
        (Path(folder) / "30-raw.md").write_bytes(raw)
        result = load_lessons(Path(folder))
    assert result.lessons[0].id == "good-lesson"
    assert {p.file_name for p in result.problems} == {"20-front.md", "30-raw.md"}
    assert all(str(p).isprintable() for p in result.problems)


def test_check_command_names_every_broken_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "lessons", tmp_path / "lessons")
    write_broken(tmp_path / "lessons")
    done = subprocess.run(
        [sys.executable, "-m", "workbook.lessons", "check", str(tmp_path / "lessons")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    shipped = len(list((PROJECT_ROOT / "lessons").glob("*.md")))
    assert f"{shipped} lessons ok, {len(BROKEN) + 1} problems" in done.stdout
    errors = done.stderr.splitlines()
    for name, _, field, words in BROKEN:
        where = f"{name}: {field}: " if field else f"{name}: "
        assert any(line.startswith(f"ERROR {where}") and words in line for line in errors), name
    assert (
        "ERROR fifty-mb.md: the file is 52,428,816 bytes; a lesson file may be at most "
        "262,144 bytes" in errors
    )


def test_the_app_keeps_serving_with_every_kind_of_broken_lesson(
    app_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_pages import button, create_workshop, fresh

    folder = tmp_path / "lessons"
    shutil.copytree(PROJECT_ROOT / "lessons", folder)
    write_broken(folder)
    monkeypatch.setenv("WORKBOOK_LESSONS_DIR", str(folder))
    get_settings.cache_clear()
    try:
        at = fresh().run()
        assert not at.exception
        problems = len(BROKEN) + 1
        [notice] = at.expander
        assert notice.label.endswith(
            f"{problems} problem(s) in the lesson files: those lessons are left out until fixed"
        )
        assert not notice.proto.expanded  # folded away for participants

        # The facilitator's console names each broken file, as plain text, in the open.
        at.switch_page("pages/facilitator.py").run()
        assert not at.exception
        [notice] = at.expander
        assert notice.proto.expanded
        shown = [t.value for t in notice.text]
        assert len(shown) == problems
        for name, *_ in BROKEN:
            assert sum(line.startswith(f"{name}: ") for line in shown) == 1, name
        assert not any(name in m.value for m in at.markdown for name, *_ in BROKEN)

        # The workshop runs with the good lessons, all of them.
        at.switch_page("pages/start.py").run()
        create_workshop(at, self_guided=True)
        button(at, "Open the workbook").click()
        at.run()
        assert not at.exception
        assert at.title[0].value == "Learning from other movements"
        shipped = len(list((PROJECT_ROOT / "lessons").glob("*.md")))
        assert len(jump_box(at).options) == shipped
        for page in ("pages/results.py", "pages/map.py", "pages/projector.py"):
            at.switch_page(page).run()
            assert not at.exception, page
    finally:
        get_settings.cache_clear()
