"""Hostile input, as someone trying to break the app would type it (walk-through 5).

The corpus of tests/hostile_strings.py goes through the models, every form (the start
page's, the join form, the lesson form, the action plan, snapshots), the store, the map's
files and the workshop's exports; then a workshop whose every name, answer and note is
hostile is shown on every page: the start page, the workbook, the results, the map, the
facilitator console, the projector and, after a release, the funder view. Each string a
person typed must come out exactly as stored (verbatim, in an element that shows text), never
in an element that reads Markdown, never as HTML, and a refused string gets one plain
sentence while nothing else typed is lost. The last test does the same in a real Chromium:
the text on screen, no image, link or script made of user text, and no request to any other
host.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from openpyxl import load_workbook
from pydantic import BaseModel, TypeAdapter, ValidationError
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from tests.conftest import first_rating
from workbook import export, summary_html
from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import LessonSet
from workbook.live import PROMPT, STEP_SCREEN, Focus, clip
from workbook.map_csv import stakeholders_csv, ties_csv
from workbook.map_import import read_map_files
from workbook.map_json import map_json
from workbook.models import (
    MAX_CODE_CHARS,
    MAX_KEY_CHARS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_TITLE_CHARS,
    CommitmentIn,
    JoinRequest,
    KeyFinding,
    Name,
    ReflectionIn,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    WorkshopCreate,
    plain_errors,
)
from workbook.projector_pages import ANSWERS_PER_PAGE
from workbook.release.budget import Budget
from workbook.release.make import make_release
from workbook.spreadsheet import cell_text
from workbook.stakeholders.saved import StakeholderMap
from workbook.store import Store
from workbook.ui import lesson_form, lesson_refusals, projector
from workbook.ui.resources import _open_store

from .hostile_strings import (
    CORPUS,
    EVIL_HOST,
    Field,
    Hostile,
    accepted,
    by_text,
    refused,
    verdict,
)

APP = str(PROJECT_ROOT / "app.py")


# --- the corpus and the policy ----------------------------------------------------------------


def test_the_corpus_has_over_a_hundred_strings_of_every_kind() -> None:
    assert len(CORPUS) >= 100
    assert len({entry.text for entry in CORPUS}) == len(CORPUS)
    assert all(entry.probes for entry in CORPUS)
    families = {entry.family for entry in CORPUS}
    assert families >= {
        "markdown",
        "html",
        "latex",
        "shortcode",
        "invisible",
        "script",
        "emoji",
        "combining",
        "long",
        "spreadsheet",
        "sql",
        "path",
        "url",
        "whitespace",
        "control",
        "surrogate",
    }
    for entry in CORPUS:
        if entry.json is not None:
            assert "\\u" in entry.json and json.loads(entry.json) == entry.text
    # Each kind of field keeps most of the corpus and refuses some of it.
    for kind in Field:
        assert len(accepted(kind)) > 100 and refused(kind)


# Every free-text field of the models: (model, field, kind of field, the other fields it needs).
_STAKEHOLDER = {"kind": "Media", "influence": 3, "band": SpectrumBand.neutral}
MODEL_FIELDS: list[tuple[type[BaseModel], str, Field, dict[str, Any]]] = [
    (WorkshopCreate, "title", Field.title, {"cause": "Housing"}),
    (WorkshopCreate, "cause", Field.title, {"title": "Spring day"}),
    (WorkshopCreate, "region", Field.optional_name, {"title": "Spring day", "cause": "Housing"}),
    (JoinRequest, "group_name", Field.name, {}),
    (JoinRequest, "display_name", Field.optional_name, {"group_name": "Table 1"}),
    (ReflectionIn, "text", Field.answer, {"lesson_id": "a-lesson", "prompt_id": "a-prompt"}),
    (CommitmentIn, "what", Field.commitment, {"key_finding": KeyFinding.learning}),
    (CommitmentIn, "who", Field.optional_name, {"what": "Call", "key_finding": "learning"}),
    (StakeholderIn, "name", Field.name, _STAKEHOLDER),
    (StakeholderIn, "note", Field.note, {"name": "Ana", **_STAKEHOLDER}),
]


@pytest.mark.parametrize(
    ("model", "name", "kind", "others"),
    MODEL_FIELDS,
    ids=[f"{model.__name__}.{name}" for model, name, _, _ in MODEL_FIELDS],
)
def test_the_models_keep_or_refuse_each_string_as_the_policy_says(
    model: type[BaseModel], name: str, kind: Field, others: dict[str, Any]
) -> None:
    label = model.model_fields[name].title
    assert label
    for entry in CORPUS:
        expected = verdict(entry.text, kind)
        try:
            made = model(**others, **{name: entry.text})
        except ValidationError as error:
            assert not expected.accepted, (entry.probes, plain_errors(error, model))
            assert plain_errors(error, model) == [expected.sentence(label)], entry.probes
        else:
            assert expected.accepted, (entry.probes, expected.problem)
            assert getattr(made, name) == expected.stored, entry.probes


def test_a_snapshot_name_follows_the_name_policy() -> None:
    adapter = TypeAdapter(Name)
    for entry in CORPUS:
        expected = verdict(entry.text, Field.name)
        try:
            assert adapter.validate_python(entry.text) == expected.stored, entry.probes
        except ValidationError as error:
            assert plain_errors(error) == [expected.sentence("Value")], entry.probes


# --- the store, the map's files and the workshop's exports ------------------------------------


def _stored(entry: Hostile, kind: Field) -> str | None:
    shown = verdict(entry.text, kind)
    return shown.stored if shown.accepted else None


def _distinct(entries: Iterable[Hostile], kind: Field) -> list[str]:
    """The stored forms of the entries this kind keeps, each once (names match any case)."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        stored = _stored(entry, kind)
        if stored and stored.casefold() not in seen:
            seen.add(stored.casefold())
            out.append(stored)
    return out


def _person(name: str, note: str = "", **changes: Any) -> StakeholderIn:
    return StakeholderIn(name=name, note=note, **{**_STAKEHOLDER, **changes})


def test_the_store_keeps_every_accepted_string_exactly(store: Store, lessons: LessonSet) -> None:
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Hostile day", cause="Housing")
    )
    lesson = next(lesson for lesson in lessons.lessons if lesson.prompts)
    prompt = lesson.prompts[0]
    names = _distinct(CORPUS, Field.name)
    answers = [s for s in (_stored(e, Field.answer) for e in CORPUS) if s]
    whats = [s for s in (_stored(e, Field.commitment) for e in CORPUS) if s]
    optional = [_stored(e, Field.optional_name) for e in CORPUS]
    people = [s for s in optional if s is not None]
    for index, group_name in enumerate(names):
        display = people[index % len(people)]
        seat, _ = store.join(
            workshop_id=workshop.id,
            request=JoinRequest(group_name=group_name, display_name=display),
        )
        assert (seat.group.name, seat.participant.display_name) == (group_name, display)
        answer = answers[index % len(answers)]
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=answer)],
        )
        saved = store.saved_answers(
            participant_id=seat.participant.id, lesson_id=lesson.id, round=1
        )
        assert saved.reflections == {prompt.id: answer}
        what, who = whats[index % len(whats)], people[(index + 1) % len(people)]
        store.add_commitment(
            seat=seat,
            commitment=CommitmentIn(what=what, who=who, key_finding=KeyFinding.learning),
            round=1,
        )
        [kept] = store.commitments(seat.group.id)
        assert (kept.what, kept.who) == (what, who)
    assert sorted(g.name for g in store.groups(workshop.id)) == sorted(names)

    # One group's map holds every name and note; each snapshot is named by one of them.
    group_id = store.groups(workshop.id)[0].id
    notes = [s for s in (_stored(e, Field.note) for e in CORPUS) if s is not None]
    people_on_map = [_person(name, notes[index % len(notes)]) for index, name in enumerate(names)]
    store.import_map(group_id=group_id, stakeholders=people_on_map, ties=[], replace=True)
    on_map = store.stakeholder_map(group_id=group_id).stakeholders
    assert [(s.name, s.note) for s in on_map] == [(p.name, p.note) for p in people_on_map]
    for name in names:
        store.save_snapshot(group_id=group_id, label=name)
    assert [info.label for info in store.map_snapshots(group_id=group_id)] == names

    # The workshop's exports give every string back: CSV (through the spreadsheet guard's
    # inverse), XLSX (text cells, never formulas) and the HTML summary (escaped).
    collected = export.collect(store, workshop_id=workshop.id, lessons=lessons)
    wanted = {*names, *answers[: len(names)], *people, *whats[: len(names)]}
    wanted |= {p.name for p in people_on_map} | {p.note for p in people_on_map if p.note}
    in_csv: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(export.csv_zip(collected))) as archive:
        for member in archive.namelist():
            text = archive.read(member).decode("utf-8-sig")
            for row in csv.reader(io.StringIO(text, newline="")):
                in_csv.update(cell_text(cell) for cell in row)
    in_xlsx: set[str] = set()
    book = load_workbook(io.BytesIO(export.xlsx(collected)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    in_xlsx.add(cell.value)
    shown_in_summary = _html_text(summary_html.html_summary(collected))
    for text in wanted - {""}:
        assert text in in_csv, text
        # XML reads a carriage return in a cell as a line feed: the cell shows the same line
        # break, but "\r\n" comes back as "\n" (only a file import can bring a "\r" in).
        assert text.replace("\r\n", "\n").replace("\r", "\n") in in_xlsx, text
    for text in {*names, *answers[: len(names)]}:
        assert _found(text, shown_in_summary), text


def _map_of(people: Sequence[StakeholderIn]) -> StakeholderMap:
    return StakeholderMap(
        stakeholders=tuple(
            Stakeholder(id=index + 1, **person.model_dump()) for index, person in enumerate(people)
        ),
        ties=(),
        energy_budget=20.0,
    )


def test_map_files_keep_every_accepted_string_and_name_each_refused_row() -> None:
    names = _distinct(CORPUS, Field.name)
    notes = [s for s in (_stored(e, Field.note) for e in CORPUS) if s is not None]
    people = [_person(name, notes[i % len(notes)]) for i, name in enumerate(names)]
    original = _map_of(people)
    for files in (
        [("people.csv", stakeholders_csv(original)), ("ties.csv", ties_csv(original))],
        [("map.json", map_json(original))],
    ):
        read = read_map_files(files)
        assert read.ok, (read.problems, read.row_problems[:3])
        assert [(s.name, s.note) for s in read.stakeholders] == [(p.name, p.note) for p in people]

    # Every corpus string as typed, lone surrogates as the JSON escapes they arrive as: the
    # file is refused row by row, naming exactly the rows the policy refuses.
    # (A lone surrogate, or a text over 5,000 characters, refuses the whole file, naming
    # what it found: shown below.)
    in_file = [e for e in CORPUS if not e.json and len(e.text) <= MAX_REFLECTION_CHARS]
    rows = [
        {"name": entry.text, "kind": "Media", "influence": 3, "band": "neutral"}
        for entry in in_file
    ]
    content = json.dumps({"stakeholders": rows}, ensure_ascii=False)
    read = read_map_files([("hostile.json", content.encode("utf-8"))])
    assert not read.ok and not read.problems
    expected = []
    for number, entry in enumerate(in_file, start=1):
        shown = verdict(entry.text, Field.name)
        if not shown.accepted:
            sentence = (
                "A stakeholder needs a name."
                if shown.problem == "cannot be empty"
                else shown.sentence("Name")
            )
            expected.append((f"Stakeholder {number}", sentence))
    assert [(p.where, " ".join(p.problems)) for p in read.row_problems] == expected
    for entry in CORPUS:
        if not entry.json:
            continue
        row = '{"stakeholders": [{"name": %s, "kind": "Media", "influence": 3, "band": "neutral"}]}'
        read = read_map_files([("escaped.json", (row % entry.json).encode())])
        if verdict(entry.text, Field.name).accepted:
            assert [s.name for s in read.stakeholders] == [entry.text], entry.probes
        else:
            assert read.problems == (
                "escaped.json: a text at line 1 holds an unpaired surrogate escape (\\ud800 to "
                "\\udfff), which is half of a character; the file is damaged or was made by a "
                "faulty program.",
            ), entry.probes
    too_long = json.dumps({"stakeholders": [{"name": "a" * (MAX_REFLECTION_CHARS + 1)}]})
    read = read_map_files([("long.json", too_long.encode())])
    assert read.problems == (
        "long.json: a text at line 1 is 5,001 characters long; a text in a map file is at "
        "most 5,000 characters.",
    )


# --- what a page shows, and how -----------------------------------------------------------------


@dataclass
class Screen:
    """Every string a page hands the browser, by how the browser will show it."""

    plain: list[str] = field(default_factory=list)  # as text: what the person reads
    markup: list[str] = field(default_factory=list)  # read as Markdown (labels, captions...)
    html: list[str] = field(default_factory=list)  # st.html bodies, as sent
    plotly: list[str] = field(default_factory=list)  # strings in plotly figures, as sent

    def text(self) -> str:
        return "\n".join(self.plain)


# Fields of element messages that never reach the screen, or are numbers and keys.
_NOT_SHOWN = {"id", "form_id", "icon", "url", "arrow_data", "data", "spec", "element_type"}


def _strings(value: Any, name: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, name)


def _proto_strings(proto: Any) -> list[tuple[str, str]]:
    if proto is None:
        return []
    fields = MessageToDict(proto, preserving_proto_field_name=True)
    return [(name, text) for name, text in _strings(fields) if name not in _NOT_SHOWN]


class _HtmlText(HTMLParser):
    """The text an HTML body shows (character references read), and its tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _parse_html(body: str) -> _HtmlText:
    parser = _HtmlText()
    parser.feed(body)
    parser.close()
    return parser


def _html_text(body: str) -> str:
    return "".join(_parse_html(body).parts)


def _cells(frame: Any) -> list[str]:
    out = [str(column) for column in frame.columns]
    for column in frame.columns:
        out += [value for value in frame[column].tolist() if isinstance(value, str)]
    return out


def screen(at: AppTest) -> Screen:
    """Sort what the page sent into text, Markdown, HTML and plotly, element by element, by
    what Streamlit does with each (see workbook/ui/text.py)."""
    page = Screen()
    nodes = [*at.main, *at.sidebar, *at.toast]
    for node in nodes:
        kind = node.type
        if isinstance(node, Block):
            page.markup += [text for _, text in _proto_strings(node.proto)]  # tab, expander
        elif kind in ("text", "code"):
            page.plain.append(node.value)
        elif kind == "html":
            page.html.append(node.value)
            page.plain.append(_html_text(node.value))
        elif kind == "plotly_chart":
            page.plotly += [text for _, text in _strings(json.loads(node.proto.spec))]
        elif kind == "dataframe":
            page.plain += _cells(node.value)
            for name, text in _proto_strings(node.proto):
                # Column settings come as JSON: titles and select options are plain text
                # in the grid, help tooltips are Markdown.
                try:
                    settings = json.loads(text)
                except ValueError:
                    settings = None
                if isinstance(settings, dict | list):
                    for key, inner in _strings(settings, name):
                        (page.markup if key == "help" else page.plain).append(inner)
                else:
                    page.markup.append(text)
        elif kind in ("text_input", "text_area", "selectbox", "multiselect"):
            # The box's value and a select box's options are plain text; label and help
            # are Markdown.
            value = node.value
            values = value if isinstance(value, list) else [value]
            page.plain += [v for v in values if isinstance(v, str)]
            if kind in ("selectbox", "multiselect"):
                page.plain += [str(option) for option in node.options]
            for name, text in _proto_strings(node.proto):
                if name in ("label", "help"):
                    page.markup.append(text)
                else:
                    page.plain.append(text)
        else:
            page.markup += [text for _, text in _proto_strings(node.proto)]
    return page


# Characters that make a string mean something to Markdown, HTML, LaTeX or Streamlit.
_ACTIVE = set("<>[]()*_#$:&`|~!@=\\{}")


def _distinctive(text: str) -> bool:
    """Long or odd enough that finding it in an element cannot be chance."""
    return len(text) >= 6 or (len(text) >= 2 and bool(_ACTIVE & set(text)))


def _isolates_out(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def _found(text: str, shown: str) -> bool:
    """Verbatim, or verbatim but for the isolates (U+2068 ... U+2069) the app puts around
    user text next to its own words (tests/test_bidi.py checks those)."""
    return text in shown or _isolates_out(text) in _isolates_out(shown)


def assert_shown_as_text(
    page: Screen, *, expected: Iterable[str], typed: Iterable[str], where: str
) -> None:
    """Every expected string is on the page verbatim, as text; nothing anyone typed reaches
    Markdown, is sent as HTML unescaped or becomes plotly markup; no link, image or frame
    anywhere points at a host from user text."""
    shown = page.text()
    for text in expected:
        assert _found(text, shown), f"{where}: not shown as typed: {text!r}"
    typed = [text for text in typed if text and _distinctive(text)]
    for text in typed:
        for markup in page.markup:
            assert text not in markup, f"{where}: {text!r} handed to Markdown in {markup!r}"
        if set(text) & set("<>&\"'"):
            for body in page.html:
                assert text not in body, f"{where}: {text!r} unescaped in HTML"
        if "<" in text or "&" in text:
            for label in page.plotly:
                assert text not in label, f"{where}: {text!r} unescaped in a figure"
    for markup in page.markup:
        assert EVIL_HOST not in markup, f"{where}: user text in Markdown: {markup!r}"
    for body in page.html:
        for tag, attrs in _parse_html(body).tags:
            assert tag not in ("a", "iframe", "object", "embed", "link", "svg"), (where, tag)
            for _, value in attrs:
                assert EVIL_HOST not in (value or ""), f"{where}: <{tag}> from user text"
            if tag == "img":
                assert dict(attrs).get("src", "").startswith("data:image/svg+xml"), where


# --- driving the app ------------------------------------------------------------------------------


def fresh() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def button(at: AppTest, label: str) -> Any:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


_LIMIT = re.compile(r"[Uu]p to ([\d,]+) characters")


def box(at: AppTest, label: str) -> Any:
    matches = [t for t in [*at.text_input, *at.text_area] if t.label == label]
    assert matches, f"no box {label!r}"
    return matches[0]


def ran(at: AppTest) -> AppTest:
    """Run the page: no exception, and every text box on it shows its limit: a box for
    people's own words in its help ("Up to 5,000 characters.") or, for a lesson's answer
    boxes, in its placeholder ("... (up to 5,000 characters)"), with no max_chars, so a longer
    paste stays in the box (the browser drops it whole past max_chars); a code or key box by
    its max_chars."""
    at.run()
    assert not at.exception, at.exception
    for widget in [*at.text_input, *at.text_area]:
        limit = _LIMIT.search(f"{widget.help or ''} {widget.placeholder or ''}")
        assert widget.max_chars or limit, f"{widget.label!r} shows no limit"
        if limit:
            assert not widget.max_chars, f"{widget.label!r} would drop a long paste"
    return at


def type_into(widget: Any, text: str) -> bool:
    """Type or paste as a person would: a box for people's words takes it all; a box with a
    max_chars takes nothing past it (the browser ignores such an edit, and so does AppTest's
    input). True when the box took the text."""
    before = widget.value
    widget.input(text)
    took = not widget.max_chars or len(text) <= widget.max_chars
    assert (widget.value == text) if took else (widget.value == before)
    return took


def says_limit(widget: Any) -> int:
    """The limit a box for people's words names in its help or placeholder; it has no
    max_chars."""
    found = _LIMIT.search(f"{widget.help or ''} {widget.placeholder or ''}")
    assert found and not widget.max_chars, widget.label
    return int(found.group(1).replace(",", ""))


def errors(at: AppTest) -> list[str]:
    """The sentences of the error boxes, one per problem ("• " in front of each)."""
    return [line.removeprefix("• ") for e in at.error for line in e.value.split("\n")]


def app_store(app_db: Path) -> Store:
    return _open_store(str(app_db))


# --- every form: each string kept or refused in a sentence, nothing else lost --------------------


def test_the_start_form_keeps_or_refuses_each_string_and_loses_nothing(app_db: Path) -> None:
    store = app_store(app_db)
    at = ran(fresh())
    title, cause, region = (
        box(at, label) for label in ("Workshop title", "Cause or movement", "Region (optional)")
    )
    own = box(at, "Your group's name (required for self-guided)")
    assert (says_limit(title), says_limit(cause)) == (MAX_TITLE_CHARS, MAX_TITLE_CHARS)
    assert (says_limit(region), says_limit(own)) == (MAX_NAME_CHARS, MAX_NAME_CHARS)
    assert box(at, "Workshop code").max_chars == MAX_CODE_CHARS
    at.radio[0].set_value("Self-guided: our group works through it alone")
    made = 0
    # Every string that some field refuses, and a sample of those all four keep (creating a
    # workshop takes a while: its key is hashed with scrypt).
    chosen = {entry.text for entry in sample(Field.title)}
    for entry in CORPUS:
        if entry.json:
            continue  # a browser cannot send a lone surrogate; files can (see above)
        kept_everywhere = all(
            verdict(entry.text, kind).accepted
            for kind in (Field.title, Field.optional_name, Field.name)
        )
        if kept_everywhere and entry.text not in chosen:
            continue
        title, cause, region, own = (
            box(at, label)
            for label in (
                "Workshop title",
                "Cause or movement",
                "Region (optional)",
                "Your group's name (required for self-guided)",
            )
        )
        typed = {"title": "Spring day", "cause": "Housing", "region": "", "own": "Table 1"}
        if type_into(title, entry.text):
            typed["title"] = entry.text
        else:
            title.input("Spring day")
        if type_into(cause, entry.text):
            typed["cause"] = entry.text
        else:
            cause.input("Housing")
        if type_into(region, entry.text):
            typed["region"] = entry.text
        else:
            region.input("")
        if type_into(own, entry.text):
            typed["own"] = entry.text
        else:
            own.input("Table 1")
        button(at, "Create workshop").click()
        ran(at)
        verdicts = {
            "title": (verdict(typed["title"], Field.title), "Workshop title"),
            "cause": (verdict(typed["cause"], Field.title), "Cause or movement"),
            "region": (verdict(typed["region"], Field.optional_name), "Region"),
            "own": (verdict(typed["own"], Field.name), "Group name"),
        }
        problems = [v.sentence(label) for v, label in verdicts.values() if not v.accepted]
        if problems:
            assert errors(at) == problems, entry.probes
            # Nothing created, and every box still holds what was typed.
            assert "start_created" not in at.session_state
            assert box(at, "Workshop title").value == typed["title"]
            assert box(at, "Cause or movement").value == typed["cause"]
            assert box(at, "Region (optional)").value == typed["region"]
            assert box(at, "Your group's name (required for self-guided)").value == typed["own"]
            continue
        made += 1
        assert not at.error, entry.probes
        workshop = store.find_workshop(at.session_state["start_created"]["code"])
        assert (workshop.title, workshop.cause, workshop.region) == (
            verdicts["title"][0].stored,
            verdicts["cause"][0].stored,
            verdicts["region"][0].stored,
        ), entry.probes
        [group] = store.groups(workshop.id)
        assert group.name == verdicts["own"][0].stored
        button(at, "I have saved the key").click()
        ran(at)
        assert_shown_as_text(
            screen(at),
            expected=[workshop.title, f"Group: {group.name}"],
            typed=list(typed.values()),
            where=f"start page once created ({entry.probes})",
        )
    assert made >= 10


def test_the_join_form_refuses_each_bad_name_in_a_sentence_and_keeps_the_boxes(
    app_db: Path,
) -> None:
    store = app_store(app_db)
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Open day", cause="Housing"))
    at = ran(fresh())
    box(at, "Workshop code").input(workshop.display_code)
    button(at, "Find workshop").click()
    ran(at)
    assert says_limit(box(at, "New group's name")) == MAX_NAME_CHARS
    assert says_limit(box(at, "Your name (optional)")) == MAX_NAME_CHARS
    tried = 0
    for entry in CORPUS:
        group_verdict = verdict(entry.text, Field.name)
        name_verdict = verdict(entry.text, Field.optional_name)
        if entry.json or (group_verdict.accepted and name_verdict.accepted):
            continue  # accepted names join: see the walk below and the store test above
        group_box, name_box = box(at, "New group's name"), box(at, "Your name (optional)")
        if not type_into(group_box, entry.text):
            continue
        type_into(name_box, entry.text)
        button(at, "Join").click()
        ran(at)
        expected = [
            v.sentence(label)
            for v, label in ((group_verdict, "Group name"), (name_verdict, "Your name"))
            if not v.accepted
        ]
        assert errors(at) == expected, entry.probes
        assert box(at, "New group's name").value == entry.text
        assert box(at, "Your name (optional)").value == entry.text
        assert store.groups(workshop.id) == []
        tried += 1
    assert tried >= 20


def _problem_kind(problem: str) -> str:
    return re.sub(r"U\+[0-9A-F]+|[0-9][0-9,]*", "#", problem)


def sample(kind: Field) -> list[Hostile]:
    """For the slower forms: the first string of each family the field keeps, and the first
    of each kind of problem it refuses (empty, too long, control character, non-character,
    several lines). The whole corpus goes through the models and the quicker forms."""
    out: list[Hostile] = []
    families: set[str] = set()
    problems: set[str] = set()
    for entry in CORPUS:
        if entry.json:
            continue
        shown = verdict(entry.text, kind)
        if shown.accepted and entry.family not in families:
            families.add(entry.family)
            out.append(entry)
        elif not shown.accepted and _problem_kind(shown.problem or "") not in problems:
            problems.add(_problem_kind(shown.problem or ""))
            out.append(entry)
    return out


def _self_guided(at: AppTest, group: str = "Kitchen table") -> None:
    box(at, "Workshop title").input("Spring day")
    box(at, "Cause or movement").input("Housing justice")
    at.radio[0].set_value("Self-guided: our group works through it alone")
    box(at, "Your group's name (required for self-guided)").input(group)
    button(at, "Create workshop").click()
    ran(at)


def test_the_lesson_form_saves_or_refuses_each_answer_and_keeps_the_text(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    at = ran(fresh())
    _self_guided(at)
    button(at, "Open the workbook").click()
    ran(at)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    participant = store.resume(join_code=at.query_params["w"], token=at.query_params["t"])
    assert participant is not None

    def saved() -> str | None:
        answers = store.saved_answers(
            participant_id=participant.participant.id, lesson_id=lesson.id, round=1
        )
        return answers.reflections.get(prompt.id)

    assert says_limit(at.text_area[0]) == MAX_REFLECTION_CHARS
    # Pressing save on an empty form is told so, never "nothing has changed".
    button(at, "Save answers").click()
    ran(at)
    assert [i.value for i in at.info] == [lesson_form.NOTHING_TYPED]
    for entry in CORPUS:
        if entry.json:
            continue
        before = saved()
        if not type_into(at.text_area[0], entry.text):
            continue
        button(at, "Save answers").click()
        ran(at)
        expected = verdict(entry.text, Field.answer)
        told = " ".join(m.value for m in [*at.success, *at.info])
        if expected.accepted:
            assert saved() == expected.stored, entry.probes
            assert not at.error, entry.probes
            assert told, entry.probes
        elif expected.problem == "cannot be empty":
            # An empty box is no answer: a saved one is removed, and blanks are named.
            assert saved() is None, entry.probes
            if entry.text:
                assert "spaces or blank lines" in told, (entry.probes, told)
        else:
            # Named: which question, what is wrong, where the text is.
            assert errors(at) == [
                lesson_refusals.REFUSED_ANSWER.format(
                    question=prompt.text, problem=expected.sentence("Answer")
                )
                + " "
                + lesson_refusals.STILL_IN_ITS_BOX
            ], entry.probes
            assert at.text_area[0].value == entry.text  # still in the box
            assert saved() == before  # the stored answer is untouched
            assert "Your text is still in the boxes above" in " ".join(c.value for c in at.caption)


def test_commitments_and_snapshot_names_are_kept_or_refused_with_nothing_lost(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    at = ran(fresh())
    _self_guided(at)
    seat = store.resume(join_code=at.query_params["w"], token=at.query_params["t"])
    assert seat is not None
    store.set_participant_step(participant_id=seat.participant.id, step=len(lessons) - 1)
    at.switch_page("pages/workbook.py")
    ran(at)
    assert says_limit(box(at, "What will we do?")) == MAX_NOTE_CHARS
    assert says_limit(box(at, "Who will do it?")) == MAX_NAME_CHARS
    kept = 0
    for entry in sample(Field.commitment):
        what, who = box(at, "What will we do?"), box(at, "Who will do it?")
        if not type_into(what, entry.text):
            continue
        took_who = type_into(who, entry.text)
        typed_who = entry.text if took_who else ""
        if not took_who:
            who.input("")
        button(at, "Add commitment").click()
        ran(at)
        what_verdict = verdict(entry.text, Field.commitment)
        who_verdict = verdict(typed_who, Field.optional_name)
        problems = [
            v.sentence(label)
            for v, label in ((what_verdict, "What we will do"), (who_verdict, "Who"))
            if not v.accepted
        ]
        if problems:
            assert errors(at) == problems, entry.probes
            assert box(at, "What will we do?").value == entry.text
            assert box(at, "Who will do it?").value == typed_who
            assert store.commitments(seat.group.id) == []
            continue
        [latest] = store.commitments(seat.group.id)
        assert (latest.what, latest.who) == (what_verdict.stored, who_verdict.stored)
        assert [s.value for s in at.success] == ["Commitment added."]
        assert_shown_as_text(
            screen(at),
            expected=[latest.what] + ([f"Who: {latest.who}"] if latest.who else []),
            typed=[entry.text],
            where=f"action plan ({entry.probes})",
        )
        kept += 1
        store.remove_commitment(group_id=seat.group.id, commitment_id=latest.id)
    assert kept >= 15

    at.switch_page("pages/map.py")
    ran(at)
    label_box = box(at, "Name this snapshot")
    assert says_limit(label_box) == MAX_NAME_CHARS
    for entry in sample(Field.name):
        if not type_into(box(at, "Name this snapshot"), entry.text):
            continue
        before = store.map_snapshots(group_id=seat.group.id)
        button(at, "Save a snapshot of the map").click()
        ran(at)
        expected = verdict(entry.text, Field.name)
        after = store.map_snapshots(group_id=seat.group.id)
        if expected.accepted:
            assert after[-1].label == expected.stored, entry.probes
        elif expected.problem == "cannot be empty":
            assert after[-1].label.startswith("Snapshot of "), entry.probes  # named by date
        else:
            assert errors(at) == [expected.sentence("The snapshot's name")], entry.probes
            assert box(at, "Name this snapshot").value == entry.text
            assert after == before


# --- every page, with hostile text in every field -------------------------------------------------

# The walk's strings, each from the corpus (so each has its note there).
TITLE = by_text(f"![t](http://{EVIL_HOST}/t.png) <b>Spring</b> & :smile: $x$ day").text
CAUSE = by_text("<img src=x onerror=alert(1)>").text
REGION = by_text(":material/warning: Table 3").text
GROUPS = [
    by_text(f"![x](http://{EVIL_HOST}/pixel.png)").text,
    by_text("<script>alert(1)</script>").text,
    by_text(":red[danger]").text,
    by_text("\u202eevil.exe\u202c").text,
    by_text("Tenants 👩🏽‍🦱 union").text,
]
PEOPLE = [
    by_text(f"[click me](http://{EVIL_HOST}/phish)").text,
    by_text("$x^2$").text,
    by_text(f'=HYPERLINK("http://{EVIL_HOST}/x","click")').text,
    by_text("مجموعة العمل").text,
    by_text("' onmouseover='alert(1)").text,
]
ANSWERS = [
    by_text("```\nfenced code\n```").text,
    by_text("| a | b |\n|---|---|\n| 1 | 2 |").text,
    by_text(f'<iframe src="http://{EVIL_HOST}/frame"></iframe>').text,
    by_text("$$\\sum_{i=1}^n i$$").text,
    by_text(f"http://{EVIL_HOST}/bare").text,
]
WHAT = by_text("# Heading one").text
WHO = by_text(":smile:").text
SNAPSHOT = by_text("<b>bold</b> <i>italic</i>").text


def _join(at: AppTest, code: str, group: str, name: str, *, before: Sequence[str]) -> None:
    """Find the workshop by its code and join a new group, agreeing to be quoted; the groups
    `before` are offered by name, as typed."""
    box(at, "Workshop code").input(code)
    button(at, "Find workshop").click()
    ran(at)
    assert_shown_as_text(
        screen(at), expected=[TITLE, *before], typed=[*GROUPS, *PEOPLE], where="join form"
    )
    assert group not in at.selectbox[0].options
    assert type_into(box(at, "New group's name"), group)
    assert type_into(box(at, "Your name (optional)"), name)
    at.checkbox[0].check()  # you may quote me
    button(at, "Join").click()
    ran(at)
    assert at.query_params.get("t"), errors(at)


def _answer_first_prompt(at: AppTest, text: str) -> None:
    assert type_into(at.text_area[0], text)
    first_rating(at).set_value(4)
    button(at, "Save answers").click()
    ran(at)
    assert at.success and at.success[0].value.startswith("Saved 1 answer"), errors(at)


@pytest.fixture
def hostile_room(app_db: Path, lessons: LessonSet) -> Iterator[dict[str, Any]]:
    """A facilitated workshop whose title, cause and region are hostile; five people with
    hostile names in groups with hostile names answered the first prompt with hostile
    answers; one group made a commitment, a map and a snapshot with hostile names and notes;
    and every other name the corpus allows joined as a group of its own and answered."""
    store = app_store(app_db)
    facilitator = ran(fresh())
    for label, text in (
        ("Workshop title", TITLE),
        ("Cause or movement", CAUSE),
        ("Region (optional)", REGION),
    ):
        assert type_into(box(facilitator, label), text)
    facilitator.checkbox[0].check()  # shares with funders
    button(facilitator, "Create workshop").click()
    ran(facilitator)
    key = facilitator.code[0].value
    workshop = store.find_workshop(facilitator.session_state["start_created"]["code"])
    people = []
    for index, (group, name, answer) in enumerate(zip(GROUPS, PEOPLE, ANSWERS, strict=True)):
        phone = ran(fresh())
        _join(phone, workshop.display_code, group, name, before=GROUPS[:index])
        _answer_first_prompt(phone, answer)
        people.append(phone)
    first = people[0]
    seat = store.resume(join_code=first.query_params["w"], token=first.query_params["t"])
    assert seat is not None

    # A commitment, through the action plan of the last lesson.
    store.set_participant_step(participant_id=seat.participant.id, step=len(lessons) - 1)
    first.switch_page("pages/workbook.py")
    ran(first)
    assert type_into(box(first, "What will we do?"), WHAT)
    assert type_into(box(first, "Who will do it?"), WHO)
    button(first, "Add commitment").click()
    ran(first)
    assert [s.value for s in first.success] == ["Commitment added."]

    # A map with hostile names and notes (the worksheet, as the browser sends its edits),
    # two ties, and a snapshot with a hostile name. The worksheets: "Table view".
    first.session_state["map_view"] = "Table view"
    first.switch_page("pages/map.py")
    ran(first)
    map_names = [
        by_text(text).text
        for text in (
            f"www.{EVIL_HOST}",
            "<svg onload=alert(1)>",
            ":material/home:",
            "&lt;b&gt;already escaped&lt;/b&gt;",
            "Robert'); DROP TABLE groups;--",
            "../../etc/passwd",
            "שלום עליכם",
            "🏳️‍🌈 🏳️‍⚧️",
        )
    ]
    map_notes = [
        by_text(text).text
        for text in (
            "| a | b |\n|---|---|\n| 1 | 2 |",
            f'<a href="http://{EVIL_HOST}/a">a link</a>',
            "$x^2$",
            ":rainbow[pride]",
            "=1+1",
            "C:\\Windows\\System32",
            "> quoted",
        )
    ] + [""]
    editor = next(e for e in first.data_editor if e.key and e.key.startswith("map_sheet_"))
    first.session_state[editor.key] = {
        "edited_rows": {},
        "added_rows": [
            {
                "name": name,
                "note": note,
                "kind": kind,
                "influence": 1 + index % 5,
                "band": band.value,
                "tie": "weak" if index % 2 else "strong",
                "energy_hours": 2.0 + index,
            }
            for index, (name, note, kind, band) in enumerate(
                zip(
                    map_names,
                    map_notes,
                    [
                        "Media",
                        "Funder",
                        "Community group",
                        "Institution or decision-maker",
                        "Ally organisation",
                        "Dissenter or critic",
                        "People with lived experience",
                        "Non-traditional ally",
                    ],
                    [*SpectrumBand, *SpectrumBand][:8],
                    strict=True,
                )
            )
        ],
        "deleted_rows": [],
    }
    button(first, "Save the worksheet").click()
    ran(first)
    assert first.success and first.success[0].value == "Saved: 8 stakeholders added.", errors(first)
    ids = [s.id for s in store.stakeholder_map(group_id=seat.group.id).stakeholders]
    ties = next(e for e in first.data_editor if e.key and e.key.startswith("map_ties_"))
    first.session_state[ties.key] = {
        "edited_rows": {},
        "added_rows": [
            {"source": ids[0], "target": ids[1], "strength": "strong"},
            {"source": ids[1], "target": ids[2], "strength": "weak"},
        ],
        "deleted_rows": [],
    }
    button(first, "Save the ties").click()
    ran(first)
    assert type_into(box(first, "Name this snapshot"), SNAPSHOT)
    button(first, "Save a snapshot of the map").click()
    ran(first)

    # Every other group name the corpus allows, each answering with one of its answers.
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    more_groups = [
        g
        for g in _distinct(CORPUS, Field.name)
        if g.casefold() not in {x.casefold() for x in GROUPS}
    ]
    more_answers = [s for s in (_stored(e, Field.answer) for e in CORPUS) if s]
    more_people = [s for s in (_stored(e, Field.optional_name) for e in CORPUS) if s]
    for index, group in enumerate(more_groups):
        other, _ = store.join(
            workshop_id=workshop.id,
            request=JoinRequest(
                group_name=group, display_name=more_people[index % len(more_people)]
            ),
        )
        store.save_answers(
            seat=other,
            lesson_id=lesson.id,
            round=1,
            reflections=[
                ReflectionIn(
                    lesson_id=lesson.id,
                    prompt_id=prompt.id,
                    text=more_answers[index % len(more_answers)],
                )
            ],
        )
    yield {
        "store": store,
        "workshop": store.find_workshop(workshop.join_code),
        "key": key,
        "people": people,
        "seat": seat,
        "map_names": map_names,
        "map_notes": [n for n in map_notes if n],
        "more_groups": more_groups,
        "more_answers": [more_answers[i % len(more_answers)] for i in range(len(more_groups))],
        "more_people": [more_people[i % len(more_people)] for i in range(len(more_groups))],
    }


def _typed_in_the_room(room: dict[str, Any]) -> list[str]:
    return [
        TITLE,
        CAUSE,
        REGION,
        *GROUPS,
        *PEOPLE,
        *ANSWERS,
        WHAT,
        WHO,
        SNAPSHOT,
        *room["map_names"],
        *room["map_notes"],
        *room["more_groups"],
        *room["more_answers"],
        *room["more_people"],
    ]


def test_every_page_shows_hostile_text_as_typed_and_never_as_markup(
    hostile_room: dict[str, Any], lessons: LessonSet
) -> None:
    room = hostile_room
    store: Store = room["store"]
    workshop = room["workshop"]
    typed = _typed_in_the_room(room)
    assert (workshop.title, workshop.cause, workshop.region) == (TITLE, CAUSE, REGION)
    first: AppTest = room["people"][0]

    # The participant's pages.
    first.switch_page("pages/start.py")
    ran(first)
    assert_shown_as_text(
        screen(first), expected=[TITLE, f"Group: {GROUPS[0]}"], typed=typed, where="start"
    )
    store.set_participant_step(participant_id=room["seat"].participant.id, step=0)
    first.switch_page("pages/workbook.py")
    ran(first)
    assert_shown_as_text(
        screen(first),
        expected=[TITLE, f"{GROUPS[0]} · {PEOPLE[0]}", ANSWERS[0]],
        typed=typed,
        where="workbook",
    )
    first.switch_page("pages/results.py")
    ran(first)
    assert_shown_as_text(
        screen(first),
        expected=[TITLE, ANSWERS[0], f"First look · {PEOPLE[0]}", WHAT, WHO],
        typed=typed,
        where="results",
    )
    first.switch_page("pages/map.py")
    ran(first)
    page = screen(first)
    assert_shown_as_text(
        page,
        expected=[*room["map_names"], *room["map_notes"], SNAPSHOT],
        typed=typed,
        where="map",
    )
    # The figures carry each name escaped in their hover (all of it, never cut; a
    # right-to-left one inside its isolates: tests/test_bidi.py).
    hover = {_isolates_out(html.unescape(text)) for text in page.plotly}
    assert {_isolates_out(name) for name in room["map_names"]} <= hover

    # The facilitator console: every group and name in the table, every answer with who
    # wrote it (a name there was Markdown before: an image link loaded a remote image).
    console = ran(fresh())
    console.switch_page("pages/facilitator.py")
    ran(console)
    box(console, "Workshop code").input(workshop.display_code)
    box(console, "Facilitator key").input(room["key"])
    assert box(console, "Facilitator key").max_chars == MAX_KEY_CHARS
    button(console, "Sign in").click()
    ran(console)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    console.button(key=f"facilitator_show_prompt_{prompt.id}").click()
    ran(console)
    console.toggle(key="facilitator_show_all_answers").set_value(True)  # all, not the newest 30
    ran(console)
    cards = [
        f"{group} · {person}" if person else group
        for group, person in zip(
            [*GROUPS, *room["more_groups"]], [*PEOPLE, *room["more_people"]], strict=True
        )
    ]
    assert_shown_as_text(
        screen(console),
        expected=[
            TITLE,
            f"{CAUSE} · join code {workshop.display_code}",
            *GROUPS,
            *PEOPLE,
            *ANSWERS,
            *room["more_groups"],
            *room["more_answers"],
            *cards,
        ],
        typed=typed,
        where="facilitator console",
    )

    # The projector: the join screen, then the prompt with its answers revealed.
    token = store.new_projector_link(workshop_id=workshop.id)
    screen_at = AppTest.from_file(APP, default_timeout=60)
    screen_at.query_params[projector.TOKEN_PARAM] = token
    ran(screen_at)
    screen_at.switch_page("pages/projector.py")
    store.set_screen(workshop_id=workshop.id, screen="join")
    ran(screen_at)
    assert_shown_as_text(screen(screen_at), expected=[TITLE], typed=typed, where="projector join")
    store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, prompt.id))
    store.set_item_state(
        workshop_id=workshop.id,
        lesson_id=lesson.id,
        kind=PROMPT,
        item_id=prompt.id,
        revealed=True,
    )
    assert store.room(workshop.id).screen == STEP_SCREEN
    ran(screen_at)
    shown_cards = store.answer_cards(
        workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id
    )[:ANSWERS_PER_PAGE]
    assert_shown_as_text(
        screen(screen_at),
        expected=[clip(card.text, projector.CARD_CHARS) for card in shown_cards]
        + [clip(card.group_name, projector.GROUP_CHARS) for card in shown_cards],
        typed=typed,
        where="projector step",
    )


# --- the funder view, after a release with quotes ---------------------------------------------

# Quotes must be 40-400 characters and are cleaned of names (every word of three letters or
# more of any name typed in the deployment, and capitalised words): these hold hostile markup
# in words no name here uses, so they come out exactly as typed.
QUOTES = [
    "<script>alert(1)</script> we want allies beyond one grant, and we agreed on it",
    "![x](http://evil.example/q.png) **loud** claims about funding are not enough here",
    ":smile: :material/home: $x^2$ — slow work builds trust over many seasons",
    '=HYPERLINK("http://evil.example/q","go") our tenants want to be heard first',
    "<img src=q onerror=alert(2)> listening sessions changed how we plan each month",
]
FUNDER_GROUPS = [":red[uno]", "<b>dos</b>", "[tres](#t)", "`cuatro`", "$cinco$"]


def test_the_funder_view_shows_consented_quotes_as_typed(
    app_db: Path, lessons: LessonSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_FUNDER_KEY", "a long funder key for tests")
    get_settings.cache_clear()
    store = app_store(app_db)
    # A quote needs its cause and region to hold K groups from at least three workshops.
    workshops = [
        store.create_workshop(
            workshop=WorkshopCreate(
                title="<b>Shared</b>", cause=":blue-background[cause]", shares_with_funders=True
            )
        )[0]
        for _ in range(3)
    ]
    lesson = next(lesson for lesson in lessons.lessons if lesson.prompts)
    for index, (group, quote) in enumerate(zip(FUNDER_GROUPS, QUOTES, strict=True)):
        seat, _ = store.join(
            workshop_id=workshops[index % 3].id,
            request=JoinRequest(group_name=group, quote_consent=True),
        )
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[
                ReflectionIn(lesson_id=lesson.id, prompt_id=lesson.prompts[0].id, text=quote)
            ],
        )
    [(period, _)] = store.release_periods()  # the year the workshop started, as stored
    make_release(store, lessons, period=period, budget=Budget())
    at = ran(fresh())
    at.switch_page("pages/funders.py")
    ran(at)
    assert box(at, "Funder key").max_chars == MAX_KEY_CHARS
    box(at, "Funder key").input("a long funder key for tests")
    button(at, "Open the funder view").click()
    ran(at)
    at.selectbox(key="funders_lesson").set_value(lesson.id)
    ran(at)
    typed = [*QUOTES, *FUNDER_GROUPS, "<b>Shared</b>", ":blue-background[cause]"]
    assert_shown_as_text(screen(at), expected=QUOTES, typed=typed, where="funders")
