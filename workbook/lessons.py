"""Lesson files (lessons/*.md): their schema, loading, validation and the `check` command.

A lesson is one Markdown file. YAML front matter between two `---` lines holds the structured
parts (prompts, rating statements, exercise, timer); the body is the text a group reads.
A broken file, in any way, never stops the app or the other lessons: it is read within bounds
(size, nesting, number and length of values; see MAX_*), and whatever is wrong is reported with
its file name, the line or field where known and the limit it passed; the good lessons load.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbook.i18n import N_
from workbook.messages import Message, Translate, english_number, say
from workbook.models import ExerciseKind, KeyFinding, Slug

SEED_FILE_PATTERN = r"^\d{3}_[0-9a-f]{16}\.txt$"
# Facilitators' own prompts and rating statements (workbook/plans) have ids starting with
# this; a lesson file's never do, so figures by statement id never mix the two.
OWN_PREFIX = "own-"


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
    order: Annotated[int, Field(ge=0, le=9_999)]
    key_finding: KeyFinding
    summary: Annotated[str, Field(min_length=1, max_length=200)]
    sources: Annotated[list[LessonSource], Field(min_length=1)]
    prompts: Annotated[list[PromptSpec], Field(max_length=6)] = []
    ratings: Annotated[list[RatingStatement], Field(max_length=6)] = []
    exercise: ExerciseKind | None = None
    timer_minutes: Annotated[int, Field(ge=1, le=120)]
    body: Text
    file_name: str = ""
    # True for a lesson as a workshop's plan made it (workbook/plans/apply.py), which may
    # hold the facilitator's own items; never set by a lesson file.
    planned: bool = False

    @model_validator(mode="after")
    def _ids_unique_within_lesson(self) -> Lesson:
        for label, items in (("prompts", self.prompts), ("ratings", self.ratings)):
            ids = [item.id for item in items]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"{label} has a repeated id: {', '.join(duplicates)}")
            own = sorted(i for i in ids if i.startswith(OWN_PREFIX) and not self.planned)
            if own:
                raise ValueError(
                    f"{label} has an id starting with '{OWN_PREFIX}', kept for a facilitator's "
                    f"own items: {', '.join(own)}"
                )
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
    """A problem in a lesson or plan file: the file's name, the YAML field it is in (the
    file's own words, never translated) and the sentence, in English (`message`, for the
    check command and logs) and, where the screens show it, as a Message (`said`)."""

    file_name: str
    field: str
    message: str
    said: Message | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.shown()

    def shown(
        self, _: Translate | None = None, number: Callable[[float], str] | None = None
    ) -> str:
        """ "name: field: sentence", the sentence in the language of `_` when it has one."""
        where = f"{self.file_name}: {self.field}" if self.field else self.file_name
        sentence = self.said.text(_, number) if self.said is not None else self.message
        return f"{where}: {sentence}"


def problem(file_name: str, field: str, said: Message) -> LessonProblem:
    """A LessonProblem from a Message: its English sentence written out for the check command."""
    return LessonProblem(file_name, field, said.text(number=english_number), said)


@dataclass(frozen=True)
class LessonSet:
    """The lessons that loaded, in order, and the problems found on the way."""

    lessons: tuple[Lesson, ...]
    problems: tuple[LessonProblem, ...] = field(default_factory=tuple)
    # The language the lessons were asked in, and the ids of lessons shown in English
    # because their translation is missing or departs from the original (lesson_languages).
    language: str = "en"
    untranslated: tuple[str, ...] = ()
    # Under a workshop's plan (workbook/plans/apply.py): every lesson as its file has it, so
    # answers given to a part the plan has since left out still read with their words.
    whole: tuple[Lesson, ...] = ()

    def by_id(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def outside(self) -> tuple[Lesson, ...]:
        """Lessons in the files that the plan leaves out (none without a plan)."""
        steps = {lesson.id for lesson in self.lessons}
        return tuple(lesson for lesson in self.whole if lesson.id not in steps)

    def known(self, lesson_id: str) -> list[Lesson]:
        """Where a lesson's words may be found: the step (with the facilitator's own items),
        then the lesson as its file has it."""
        found = [self.by_id(lesson_id)]
        found.append(next((lesson for lesson in self.whole if lesson.id == lesson_id), None))
        return [lesson for lesson in found if lesson is not None]

    def title_of(self, lesson_id: str) -> str:
        return next((lesson.title for lesson in self.known(lesson_id)), lesson_id)

    def prompt_text(self, lesson_id: str, prompt_id: str) -> str:
        prompts = (lesson.prompt(prompt_id) for lesson in self.known(lesson_id))
        return next((prompt.text for prompt in prompts if prompt), prompt_id)

    def statement_text(self, lesson_id: str, statement_id: str) -> str:
        statements = (lesson.statement(statement_id) for lesson in self.known(lesson_id))
        return next((statement.text for statement in statements if statement), statement_id)

    def statements_of(self, lesson_id: str) -> list[RatingStatement]:
        """Every rating statement known for a lesson: the step's, then those its plan left
        out (the file's, and the facilitator's own of earlier plans), each once."""
        found: dict[str, RatingStatement] = {}
        for lesson in self.known(lesson_id):
            for statement in lesson.ratings:
                found.setdefault(statement.id, statement)
        return list(found.values())

    def prompts_of(self, lesson_id: str) -> list[PromptSpec]:
        """Every prompt known for a lesson, as `statements_of`."""
        found: dict[str, PromptSpec] = {}
        for lesson in self.known(lesson_id):
            for prompt in lesson.prompts:
                found.setdefault(prompt.id, prompt)
        return list(found.values())

    def __len__(self) -> int:
        return len(self.lessons)


class LessonFileError(ValueError):
    """A lesson file cannot be read as front matter plus body. `field` says where: "" for the
    file as a whole, "front matter" or "body"."""

    def __init__(self, message: Message | str, field: str = "front matter") -> None:
        self.said = message if isinstance(message, Message) else say(message)
        super().__init__(self.said.text(number=english_number))
        self.field = field


# Bounds on what a lesson file may be, checked before the work they bound is done. Each is
# far above what a real lesson needs (the shipped ones: 2-3.5 KB, front matter under 2 KB,
# nesting 3 levels, about 100 values, the longest text field 300 characters), and far below
# what would make reading a file slow or deep enough to crash the parser.
MAX_FILE_BYTES = 256 * 1024  # checked on the file's size before it is read
MAX_FRONT_MATTER_CHARS = 32_000  # the YAML parser's worst cases grow with the square of this
MAX_DEPTH = 10  # lists and mappings inside each other
MAX_VALUES = 1_000  # keys, values, lists and mappings, all counted
MAX_VALUE_CHARS = 1_000  # any one key or value (so also a number's digits)

# Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like 16 LE).
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 little-endian"),
    (b"\x00\x00\xfe\xff", "UTF-32 big-endian"),
    (b"\xff\xfe", "UTF-16 little-endian"),
    (b"\xfe\xff", "UTF-16 big-endian"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
# Control characters other than tab and line ends, and Unicode's non-characters: never in a
# lesson's text (YAML refuses most of them; the body would show them).
_NON_CHARACTERS = "".join(
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
)
_NOT_TEXT = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufdd0-\\ufdef" + _NON_CHARACTERS + "]"
)


def shown_name(name: str) -> str:
    """A file name as it may be printed or put on screen: characters that are invisible or
    cannot be encoded (a name that is not UTF-8 on disk) are written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def decode_lesson(data: bytes) -> str:
    """The text of a lesson file's bytes: UTF-8 (a UTF-8 byte-order mark is dropped), with
    Windows or old Mac line ends made plain; a file in any other encoding, or holding binary
    data or invisible control characters, is refused naming what was found and where."""
    if not data.strip():
        raise LessonFileError(say(N_("the file is empty")), "")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise LessonFileError(
                say(
                    N_(
                        "the file is saved as {encoding} (it starts with that byte-order mark); "
                        "save it as UTF-8"
                    ),
                    encoding=encoding,
                ),
                "",
            )
    data = data.removeprefix(_UTF8_BOM)
    if b"\x00" in data:
        head = data[:200]
        if head.count(b"\x00") * 3 >= len(head):  # every other byte: ASCII text in UTF-16
            raise LessonFileError(
                say(N_("the file looks like UTF-16 without a byte-order mark; save it as UTF-8")),
                "",
            )
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise LessonFileError(
            say(N_("the file holds binary data (a zero byte on line {line}), not text"), line=line),
            "",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise LessonFileError(
            say(
                N_(
                    "the file is not UTF-8: byte {byte} on line {line} is not valid UTF-8 (the "
                    "file may be Latin-1 or Windows-1252); save it as UTF-8"
                ),
                byte=f"0x{data[error.start]:02X}",
                line=line,
            ),
            "",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        raise LessonFileError(
            say(
                N_(
                    "line {line} holds the invisible character {char}; only tabs and line ends "
                    "may be in a lesson's text"
                ),
                line=_line_of(text, bad.start()),
                char=f"U+{ord(bad.group()):04X}",
            ),
            "",
        )
    return text


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter, body) of a lesson file's text (line ends already made plain)."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise LessonFileError("the file must start with a '---' line opening the front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]).strip()
    raise LessonFileError("the front matter is not closed by a second '---' line")


def _file_line(mark: yaml.Mark | None, first_line: int = 2) -> Message:
    """ " (line N)" of the lesson file for a mark in its front matter, which starts on line 2
    (a plan file's YAML starts on line 1)."""
    return say(N_(" (line {n})"), n=mark.line + first_line) if mark is not None else say("")


def _tag(tag: str) -> str:
    """A YAML tag as it is usually written: !!binary, not tag:yaml.org,2002:binary."""
    return shown_name(tag.replace("tag:yaml.org,2002:", "!!", 1))


def _check_bounds(front: str, first_line: int = 2) -> None:
    """Walk the front matter's YAML events, stopping at the first one past a bound: the
    parser that makes events works in a loop, so a file nested thousands deep is refused here
    before the recursive steps that build values from them ever see it."""
    if len(front) > MAX_FRONT_MATTER_CHARS:
        raise LessonFileError(
            say(
                N_("is {n} characters long; the limit is {limit}"),
                n=len(front),
                limit=MAX_FRONT_MATTER_CHARS,
            )
        )
    depth = values = 0
    for event in yaml.parse(front, Loader=yaml.SafeLoader):
        where = _file_line(event.start_mark, first_line)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise LessonFileError(
                say(
                    N_("uses a YAML anchor or alias (& or *){where}; lessons do not allow them"),
                    where=where,
                )
            )
        if getattr(event, "tag", None) is not None:
            raise LessonFileError(
                say(
                    N_("uses the YAML tag {tag}{where}; lessons do not allow tags"),
                    tag=_tag(event.tag),
                    where=where,
                )
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise LessonFileError(
                    say(
                        N_("nests lists or mappings more than {n} deep{where}"),
                        n=MAX_DEPTH,
                        where=where,
                    )
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            values += 1
            if values > MAX_VALUES:
                raise LessonFileError(
                    say(N_("holds more than {n} values{where}"), n=MAX_VALUES, where=where)
                )
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_VALUE_CHARS:
                raise LessonFileError(
                    say(
                        N_("has a value {n} characters long{where}; the limit is {limit}"),
                        n=len(event.value),
                        where=where,
                        limit=MAX_VALUE_CHARS,
                    )
                )
            bad = _NOT_TEXT.search(event.value)  # written as an escape in a quoted string
            if bad is not None:
                raise LessonFileError(
                    say(
                        N_(
                            "has a value holding the invisible character {char}{where}; only "
                            "tabs and line ends may be in a lesson's text"
                        ),
                        char=f"U+{ord(bad.group()):04X}",
                        where=where,
                    )
                )


class _LessonLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (instead of keeping the
    last silently). Only used on front matter that passed `_check_bounds`."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key '{shown_name(key_node.value)}' is given twice",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def read_front_matter(front: str, first_line: int = 2) -> object:
    """The front matter's YAML, within the bounds above. Raises LessonFileError."""
    _check_bounds(front, first_line)
    return yaml.load(front, Loader=_LessonLoader)  # a SafeLoader subclass


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing one too large before reading it (and a special file: a pipe
    or device named *.md would never end)."""
    if not path.is_file():
        raise LessonFileError("is not a regular file", "")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LessonFileError(
            f"the file is {size:,} bytes; a lesson file may be at most {MAX_FILE_BYTES:,} bytes",
            "",
        )
    with path.open("rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since
    if len(data) > MAX_FILE_BYTES:
        raise LessonFileError(
            f"the file is over {MAX_FILE_BYTES:,} bytes, the most a lesson file may be", ""
        )
    return data


def parse_lesson(path: Path) -> tuple[Lesson | None, list[LessonProblem]]:
    name = shown_name(path.name)
    try:
        text = decode_lesson(_read_bytes(path))
        front, body = split_front_matter(text)
        data = read_front_matter(front)
    except LessonFileError as error:
        return None, [LessonProblem(name, error.field, str(error))]
    except OSError as error:
        return None, [LessonProblem(name, "", f"cannot be read ({error.strerror or error})")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None)
        detail = f": {shown_name(str(problem))}" if problem else ""
        return None, [
            LessonProblem(name, "front matter", f"is not valid YAML{_file_line(mark)}{detail}")
        ]
    if not isinstance(data, dict):
        return None, [LessonProblem(name, "front matter", "must be a set of 'field: value' lines")]
    if "body" in data or "file_name" in data:
        return None, [
            LessonProblem(name, "body", "is the text after the front matter, not a field")
        ]
    if "planned" in data:
        return None, [LessonProblem(name, "planned", "is set by a workshop's plan, not a field")]
    try:
        lesson = Lesson.model_validate({**data, "body": body, "file_name": name})
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = ".".join(shown_name(str(part)) for part in item["loc"]) or "lesson"
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
        try:
            lesson, found = parse_lesson(path)
        except Exception as error:  # noqa: BLE001 - one file, however broken, never stops the rest
            lesson = None
            found = [
                LessonProblem(shown_name(path.name), "", f"cannot be read ({type(error).__name__})")
            ]
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
    check = commands.add_parser(
        "check", help="validate a lesson folder; exit 1 on any problem, 2 on a wrong setting"
    )
    check.add_argument("folder", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)

    from workbook.config import get_settings, setting_problems

    try:
        settings = get_settings()
    except ValidationError as error:
        print("\n".join(setting_problems(error)), file=sys.stderr)
        return 2
    folder = args.folder or settings.lessons_dir
    result = load_lessons(folder)
    for lesson in result.lessons:
        print(f"ok    {lesson.file_name}: {lesson.id} ({lesson.title})")
    for problem in result.problems:
        print(f"ERROR {problem}", file=sys.stderr)
    if not result.lessons and not result.problems:
        print(f"ERROR {folder}: no lesson files (*.md) found", file=sys.stderr)
        return 1
    problems = len(result.problems)
    # Each translation (lessons/<code>/) against its original, by file and id.
    from workbook.lesson_languages import check_language, translated_languages

    for language in translated_languages(folder):
        translated, found = check_language(folder, language)
        for lesson in translated.lessons:
            if not any(p.file_name == f"{language}/{lesson.file_name}" for p in found):
                print(f"ok    {language}/{lesson.file_name}: {lesson.id} ({lesson.title})")
        for problem in found:
            print(f"ERROR {problem}", file=sys.stderr)
        problems += len(found)
    print(f"{len(result.lessons)} lessons ok, {problems} problems")
    plans_ok = _check_plans(folder, result)
    return 1 if problems or not plans_ok else 0


def _check_plans(folder: Path, lessons: LessonSet) -> bool:
    """The ready plans beside the lessons (plans/*.yaml), each against the lessons."""
    from workbook.plans.files import PLANS_FOLDER, load_plans

    plans = load_plans(folder / PLANS_FOLDER, lessons)
    for name, plan in zip(plans.file_names, plans.plans, strict=True):
        print(f"ok    {PLANS_FOLDER}/{name}: {plan.id} ({plan.title})")
    for problem in plans.problems:
        print(f"ERROR {PLANS_FOLDER}/{problem}", file=sys.stderr)
    print(f"{len(plans.plans)} plans ok, {len(plans.problems)} problems")
    return not plans.problems


if __name__ == "__main__":
    raise SystemExit(main())
