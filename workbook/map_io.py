"""A map's rows in and out: the worksheet's tables, CSV and JSON files, checked row by row.

Pure: rows (dicts, as a table or a file gives them) become models, or plain sentences saying
which row is wrong and why; a stored map becomes CSV or JSON bytes. Nothing here touches the
store or the screen. Sentences never contain user text: where a problem belongs to a named
row, the name travels beside the sentence (`RowProblem.name`), so a page can show it as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, TypeVar

from pydantic import ValidationError

from workbook.models import (
    STAKEHOLDER_FIELDS,
    STAKEHOLDER_KINDS,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    Tie,
    TieStrength,
    plain_errors,
)
from workbook.stakeholders import (
    MAX_ENERGY_BUDGET,
    StakeholderChanges,
    StakeholderMap,
    StakeholderUpdate,
    TieChanges,
)

# The stakeholder fields, in worksheet and file order.
FIELDS: Final = STAKEHOLDER_FIELDS
_TEXT_FIELDS: Final = ("name", "note")
_FLAGS: Final = ("not_our_battle", "must_invest")

FILE_FORMAT: Final = "movement-workbook/stakeholder-map"
FILE_VERSION: Final = 1
MAX_FILE_BYTES: Final = 1_000_000
MAX_STAKEHOLDER_ROWS: Final = 500
MAX_TIE_ROWS: Final = 5_000


# --- problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row. `where` and `problems` are ours; `name` is as typed."""

    where: str  # "Row 3", or "Ties, row 2": as the person sees the table or the file
    name: str
    problems: tuple[str, ...]

    @property
    def sentence(self) -> str:
        return f"{self.where}: {' '.join(self.problems)}"


def _field_title(name: str) -> str:
    return StakeholderIn.model_fields[name].title or name


# --- reading one value ------------------------------------------------------------------------

E = TypeVar("E", bound=StrEnum)


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values, without pandas
        return True
    return isinstance(value, str) and not value.strip()


def _token(value: object) -> str:
    # "Passive ally", "passive-ally" and "PASSIVE_ALLY" all read as passive_ally.
    return re.sub(r"[\s_\-]+", "_", str(value).strip().casefold())


def _choice(value: object, enum: type[E]) -> E | None:
    wanted = _token(value)
    for member in enum:
        label = getattr(member, "label", member.value)
        if wanted in (_token(member.value), _token(label)):
            return member
    return None


_KIND_TOKENS: Final = {_token(kind): kind for kind in STAKEHOLDER_KINDS}
_TRUE: Final = {"true", "yes", "y", "1", "x", "✓", "✔", "on"}
_FALSE: Final = {"false", "no", "n", "0", "off"}
_FORMULA_START: Final = ("=", "+", "-", "@")


def _flag(value: object) -> bool | None:
    if _missing(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    token = _token(value)
    if token in _TRUE:
        return True
    if token in _FALSE:
        return False
    return None


def _number(value: object) -> object:
    """A number typed with a decimal comma ("2,5") reads as 2.5; anything else is left as is."""
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+,\d+", text):
            return text.replace(",", ".")
        return text
    return value


def _unescape_formula(value: object) -> object:
    # Our CSV export puts ' before text that a spreadsheet would run as a formula; take it off.
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def _as_text(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


# --- stakeholder rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    where: str
    stakeholder: StakeholderIn
    stakeholder_id: int | None = None  # the worksheet's "#" column: None for a new row
    ref: str | None = None  # a file's own reference for its ties


@dataclass(frozen=True)
class ParsedRows:
    rows: tuple[ParsedRow, ...]
    problems: tuple[RowProblem, ...]
    blank_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _is_blank(row: Mapping[str, object]) -> bool:
    # A row someone added and left empty (flags and defaults aside) is not a stakeholder.
    meaningful = ("name", "kind", "influence", "band", "target_band", "note")
    return all(_missing(row.get(key)) for key in meaningful)


def parse_stakeholder_row(row: Mapping[str, object]) -> tuple[StakeholderIn | None, list[str]]:
    """One row (a dict keyed by FIELDS) as a stakeholder, or the sentences saying what to fix."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    placeholders: set[str] = set()

    name = row.get("name")
    values["name"] = "" if _missing(name) else _unescape_formula(_as_text(name))

    kind = row.get("kind")
    if _missing(kind):
        problems.append(f"Kind is required: choose one of {', '.join(STAKEHOLDER_KINDS)}.")
        placeholders.add("kind")
    else:
        values["kind"] = _KIND_TOKENS.get(_token(kind), str(kind))

    influence = row.get("influence")
    if _missing(influence):
        problems.append("Influence is required: a whole number from 1 to 5.")
        placeholders.add("influence")
    else:
        influence = _number(influence)
        if isinstance(influence, float) and influence.is_integer():
            influence = int(influence)
        values["influence"] = influence

    for key, required in (("band", True), ("target_band", False), ("tie", False)):
        raw = row.get(key)
        enum: type[StrEnum] = TieStrength if key == "tie" else SpectrumBand
        if _missing(raw):
            if required:
                problems.append(f"{_field_title(key)} is required: {_options(enum)}.")
                placeholders.add(key)
            continue
        member = _choice(raw, enum)
        if member is None:
            problems.append(f"{_field_title(key)} must be one of: {_options(enum)}.")
            placeholders.add(key)
        else:
            values[key] = member

    hours = row.get("energy_hours")
    if not _missing(hours):
        values["energy_hours"] = _number(hours)

    note = row.get("note")
    if not _missing(note):
        values["note"] = _unescape_formula(_as_text(note))

    for key in _FLAGS:
        flag = _flag(row.get(key))
        if flag is None:
            problems.append(f"{_flag_title(key)} must be yes or no.")
        else:
            values[key] = flag

    # Stand-ins for the fields already reported, so pydantic reports only the others.
    stand_ins = {
        "kind": STAKEHOLDER_KINDS[0],
        "influence": 1,
        "band": SpectrumBand.neutral,
        "target_band": None,
        "tie": TieStrength.none,
    }
    for key in placeholders:
        values[key] = stand_ins[key]
    try:
        stakeholder = StakeholderIn(**values)
    except ValidationError as error:
        problems = plain_errors(error, StakeholderIn) + problems
        return None, problems
    if problems:
        return None, problems
    return stakeholder, []


def _options(enum: type[StrEnum]) -> str:
    return ", ".join(getattr(member, "label", member.value) for member in enum)


def _flag_title(key: str) -> str:
    return {"not_our_battle": "Not our battle", "must_invest": "Must invest"}[key]


def _row_id(value: object) -> int | None:
    if _missing(value):
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def parse_stakeholder_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    where: str = "Row {n}",
    first: int = 1,
    id_key: str | None = None,
    ref_key: str | None = None,
) -> ParsedRows:
    """Check every row; blank rows are skipped (and counted), not reported.

    `where` names a row for the person ("Row {n}", n counting from `first`); `id_key` reads
    the worksheet's stakeholder id, `ref_key` a file's reference for its ties.
    """
    parsed: list[ParsedRow] = []
    problems: list[RowProblem] = []
    blank = 0
    for number, row in enumerate(rows, start=first):
        if _is_blank(row):
            blank += 1
            continue
        label = where.format(n=number)
        stakeholder, sentences = parse_stakeholder_row(row)
        name = row.get("name")
        shown_name = "" if _missing(name) else str(_as_text(name))
        if stakeholder is None:
            problems.append(RowProblem(label, shown_name, tuple(sentences)))
            continue
        ref = None
        if ref_key is not None and not _missing(row.get(ref_key)):
            ref = str(_as_text(row.get(ref_key))).strip()
        sid = _row_id(row.get(id_key)) if id_key is not None else None
        parsed.append(ParsedRow(label, stakeholder, sid, ref))
    return ParsedRows(tuple(parsed), tuple(problems), blank)


def repeated_names(rows: Sequence[ParsedRow]) -> list[list[str]]:
    """Groups of rows (by `where`) that share a name, compared as the diff does (case, spaces)."""
    seen: dict[str, list[str]] = {}
    for row in rows:
        key = " ".join(row.stakeholder.name.casefold().split())
        seen.setdefault(key, []).append(row.where)
    return [wheres for wheres in seen.values() if len(wheres) > 1]


# --- the worksheet: what changed against the map it was opened with ---------------------------


def stakeholder_changes(
    base: Sequence[Stakeholder], rows: Sequence[ParsedRow]
) -> StakeholderChanges:
    """The edits a worksheet holds, as changes to the map it was opened with (`base`).

    A row with a known id is an update of only the fields that differ; a row without one (or
    with an id seen before in the table) is new; a stakeholder of `base` with no row left is
    deleted. Applying only what changed means two people editing different rows or fields of
    the same map on two devices do not undo each other's work.
    """
    by_id = {s.id: s for s in base}
    seen: set[int] = set()
    added: list[StakeholderIn] = []
    updated: list[StakeholderUpdate] = []
    for row in rows:
        sid = row.stakeholder_id
        if sid is None or sid not in by_id or sid in seen:
            added.append(row.stakeholder)
            continue
        seen.add(sid)
        before = by_id[sid]
        fields = {
            key: getattr(row.stakeholder, key)
            for key in FIELDS
            if getattr(row.stakeholder, key) != getattr(before, key)
        }
        if fields:
            updated.append(StakeholderUpdate(sid, fields, row.stakeholder))
    deleted = tuple(s.id for s in base if s.id not in seen)
    return StakeholderChanges(tuple(added), tuple(updated), deleted)


@dataclass(frozen=True)
class ParsedTies:
    ties: tuple[Tie, ...]  # each pair once, (lower id, higher id)
    problems: tuple[RowProblem, ...]
    blank_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_tie_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    names: Mapping[int, str],
    where: str = "Row {n}",
    first: int = 1,
) -> ParsedTies:
    """The ties table: `source` and `target` are stakeholder ids among `names` (id -> name)."""
    ties: list[Tie] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[int, int], str] = {}
    blank = 0
    for number, row in enumerate(rows, start=first):
        source, target = _row_id(row.get("source")), _row_id(row.get("target"))
        raw_strength = row.get("strength")
        if source is None and target is None:
            blank += 1
            continue
        label = where.format(n=number)
        sentences = []
        if source is None:
            sentences.append("Choose who the tie is from.")
        elif source not in names:
            sentences.append(f"From: #{source} is no longer on the map.")
        if target is None:
            sentences.append("Choose who the tie is to.")
        elif target not in names:
            sentences.append(f"To: #{target} is no longer on the map.")
        strength = _strength(raw_strength)
        if strength is None or strength == TieStrength.none:
            sentences.append("Strength must be weak or strong (to remove a tie, delete its row).")
        if source is not None and source == target:
            sentences.append("A tie needs two different stakeholders.")
        shown = " → ".join(names.get(i, "?") if i is not None else "?" for i in (source, target))
        if not sentences and source is not None and target is not None and strength is not None:
            pair = (min(source, target), max(source, target))
            if pair in seen:
                sentences.append(f"The same two stakeholders are already tied in {seen[pair]}.")
            else:
                seen[pair] = label.lower() if label.startswith("Row") else label
                ties.append(Tie(source_id=pair[0], target_id=pair[1], strength=strength))
        if sentences:
            problems.append(RowProblem(label, shown, tuple(sentences)))
    return ParsedTies(tuple(ties), tuple(problems), blank)


def _pair(tie: Tie) -> tuple[int, int]:
    return min(tie.source_id, tie.target_id), max(tie.source_id, tie.target_id)


def tie_changes(base: Sequence[Tie], ties: Sequence[Tie]) -> TieChanges:
    """Ties to add or re-weigh, and pairs to remove, to turn `base` into `ties`."""
    before = {_pair(t): t.strength for t in base}
    after = {_pair(t): t.strength for t in ties}
    upserted = tuple(
        Tie(source_id=a, target_id=b, strength=strength)
        for (a, b), strength in after.items()
        if before.get((a, b)) != strength
    )
    removed = tuple(pair for pair in before if pair not in after)
    return TieChanges(upserted, removed)


# --- files in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileTie:
    """A tie read from a file, between two of the file's stakeholders (by position)."""

    source: int
    target: int
    strength: TieStrength


@dataclass(frozen=True)
class MapFile:
    """What an uploaded file holds, or why it cannot be used. Sentences hold no user text."""

    stakeholders: tuple[StakeholderIn, ...] = ()
    ties: tuple[FileTie, ...] = ()
    energy_budget: float | None = None
    problems: tuple[str, ...] = ()  # about the file as a whole
    row_problems: tuple[RowProblem, ...] = ()
    notes: tuple[str, ...] = ()  # worth knowing, not in the way (may name a column: user text)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.row_problems and bool(self.stakeholders)

    @property
    def sentence(self) -> str:
        """A one-line summary of what would be imported."""
        text = _count(len(self.stakeholders), "stakeholder")
        return text + (f" and {_count(len(self.ties), 'tie')}" if self.ties else "")


def _refuse(*sentences: str) -> MapFile:
    return MapFile(problems=tuple(sentences))


_SPREADSHEET_HINT: Final = (
    "In your spreadsheet, use Save as (or Download as) and choose CSV, UTF-8 if offered."
)


def _decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """(text, note, problem): UTF-8 (with or without a BOM), else Excel's Windows-1252."""
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
        return None, None, f"This is not a text file (it may be a spreadsheet). {_SPREADSHEET_HINT}"
    try:
        return data.decode("utf-8-sig"), None, None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None, None, f"The file's text encoding is not one the app reads. {_SPREADSHEET_HINT}"
    return (
        text,
        "The file was not UTF-8; it was read as Windows-1252. Check accented letters.",
        None,
    )


_HEADER_ALIASES: Final = {
    "id": "ref",
    "#": "ref",
    "position": "band",
    "spectrum": "band",
    "position_on_the_spectrum_of_allies": "band",
    "target": "target_band",
    "where_we_want_them": "target_band",
    "our_tie": "tie",
    "our_tie_with_them": "tie",
    "energy": "energy_hours",
    "hours": "energy_hours",
    "energy_per_month_hours": "energy_hours",
    "energy_per_month": "energy_hours",
}
_TIE_ALIASES: Final = {"from": "source", "to": "target"}


def _header(name: str) -> str:
    """A column name as a token: "Energy (hours)" -> "energy_hours"."""
    return re.sub(r"[^0-9a-z#]+", "_", name.strip().casefold()).strip("_")


def _stakeholder_columns(row: Mapping[str, object]) -> dict[str, object]:
    return {_HEADER_ALIASES.get(_header(k), _header(k)): v for k, v in row.items()}


def _tie_columns(row: Mapping[str, object]) -> dict[str, object]:
    return {_TIE_ALIASES.get(_header(k), _header(k)): v for k, v in row.items()}


@dataclass(frozen=True)
class _Table:
    headers: list[str]
    rows: list[dict[str, str]]
    first: int  # the spreadsheet row number of rows[0]


def _read_csv(text: str) -> _Table | str:
    """The table in a CSV, or a sentence saying why it cannot be read."""
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        lines = [line for line in reader]
    except csv.Error as error:
        return f"The CSV file cannot be read ({error})."
    # Blank rows stay (and are skipped later), so "Row 7" is row 7 in the spreadsheet.
    start = next((i for i, line in enumerate(lines) if any(c.strip() for c in line)), None)
    if start is None:
        return "The file is empty."
    headers = [_header(cell) for cell in lines[start]]
    rows = [
        {headers[i]: cell for i, cell in enumerate(line) if i < len(headers) and headers[i]}
        for line in lines[start + 1 :]
    ]
    return _Table(headers, rows, start + 2)


def _is_ties_table(headers: Sequence[str]) -> bool:
    named = {_TIE_ALIASES.get(h, h) for h in headers}
    return {"source", "target"} <= named and "name" not in named


def _file_ties(
    rows: Sequence[Mapping[str, object]],
    parsed: ParsedRows,
    *,
    where: str,
    first: int,
) -> tuple[list[FileTie], list[RowProblem], int]:
    """Ties of a file, each end found by the file's ref, or else by a name used only once."""
    by_ref: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for position, row in enumerate(parsed.rows):
        if row.ref is not None:
            by_ref.setdefault(row.ref.casefold(), position)
        by_name.setdefault(" ".join(row.stakeholder.name.casefold().split()), []).append(position)

    def find(value: object) -> tuple[int | None, str | None]:
        key = str(_as_text(value)).strip()
        if key.casefold() in by_ref:
            return by_ref[key.casefold()], None
        found = by_name.get(" ".join(key.casefold().split()), [])
        if len(found) == 1:
            return found[0], None
        if len(found) > 1:
            return None, "names more than one stakeholder: use their ref instead."
        return None, "matches no stakeholder's ref or name in the file."

    ties: list[FileTie] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[int, int], str] = {}
    blank = 0
    for number, row in enumerate(rows, start=first):
        row = _tie_columns(row)
        source_raw, target_raw = row.get("source"), row.get("target")
        if _missing(source_raw) and _missing(target_raw):
            blank += 1
            continue
        label = where.format(n=number)
        sentences: list[str] = []
        ends: list[int | None] = []
        for title, raw in (("From", source_raw), ("To", target_raw)):
            if _missing(raw):
                sentences.append(f"{title} is required.")
                ends.append(None)
                continue
            position, problem = find(raw)
            if problem:
                sentences.append(f"{title} {problem}")
            ends.append(position)
        raw_strength = row.get("strength")
        strength = _strength(raw_strength)
        if strength is None or strength == TieStrength.none:
            sentences.append("Strength must be weak or strong.")
        source, target = ends
        if source is not None and source == target:
            sentences.append("A tie needs two different stakeholders.")
        if not sentences and source is not None and target is not None and strength is not None:
            pair = (min(source, target), max(source, target))
            if pair in seen:
                sentences.append(f"The same two stakeholders are already tied in {seen[pair]}.")
            else:
                seen[pair] = label[0].lower() + label[1:]
                ties.append(FileTie(pair[0], pair[1], strength))
        if sentences:
            shown = " → ".join("" if _missing(v) else str(v) for v in (source_raw, target_raw))
            problems.append(RowProblem(label, shown, tuple(sentences)))
    return ties, problems, blank


def _count(count: int, one: str) -> str:
    return f"{count} {one}{'' if count == 1 else 's'}"


def _strength(raw: object) -> TieStrength | None:
    return TieStrength.weak if _missing(raw) else _choice(raw, TieStrength)


def _looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _blank_note(count: int) -> list[str]:
    return [f"{_count(count, 'empty row')} skipped."] if count else []


def _from_stakeholder_rows(
    rows: Sequence[Mapping[str, object]],
    tie_rows: Sequence[Mapping[str, object]] | None,
    *,
    csv_rows: bool,
    first: int = 1,
    tie_first: int = 1,
    energy_budget: float | None = None,
    notes: Sequence[str] = (),
) -> MapFile:
    """A map from rows of stakeholders and of ties; `first` and `tie_first` number the first
    row of each as the person sees it (a CSV's first row under its header is row 2)."""
    if len(rows) > MAX_STAKEHOLDER_ROWS:
        return _refuse(
            f"The file has {len(rows):,} stakeholder rows; the app takes up to "
            f"{MAX_STAKEHOLDER_ROWS} in one map."
        )
    if tie_rows is not None and len(tie_rows) > MAX_TIE_ROWS:
        return _refuse(
            f"The file has {len(tie_rows):,} ties; the app takes up to {MAX_TIE_ROWS:,}."
        )
    word = "Row {n}" if csv_rows else "Stakeholder {n}"
    parsed = parse_stakeholder_rows(rows, where=word, first=first, ref_key="ref")
    all_notes = list(notes) + _blank_note(parsed.blank_rows)
    problems = list(parsed.problems)
    refs: dict[str, str] = {}
    for row in parsed.rows:
        if row.ref is None:
            continue
        if row.ref.casefold() in refs:
            problems.append(
                RowProblem(
                    row.where,
                    row.stakeholder.name,
                    (
                        f"Its ref is also used by {refs[row.ref.casefold()].lower()}: each ref "
                        "must be unique.",
                    ),
                )
            )
        else:
            refs[row.ref.casefold()] = row.where
    ties: list[FileTie] = []
    if tie_rows:
        tie_word = "Ties, row {n}" if csv_rows else "Tie {n}"
        ties, tie_problems, blank = _file_ties(tie_rows, parsed, where=tie_word, first=tie_first)
        problems += tie_problems
        if blank:
            all_notes.append(f"{_count(blank, 'empty tie row')} skipped.")
    if not parsed.rows and not problems:
        return MapFile(problems=("The file has no stakeholders in it.",), notes=tuple(all_notes))
    return MapFile(
        stakeholders=tuple(row.stakeholder for row in parsed.rows) if not problems else (),
        ties=tuple(ties) if not problems else (),
        energy_budget=energy_budget,
        row_problems=tuple(problems),
        notes=tuple(all_notes),
    )


def _unused_columns(headers: Iterable[str], known: Iterable[str]) -> list[str]:
    unused = [h for h in headers if h and h not in set(known)]
    if not unused:
        return []
    return [f"Columns the app does not use were left out: {', '.join(unused)}."]


def read_csv_files(stakeholders_csv: bytes, ties_csv: bytes | None = None) -> MapFile:
    """A map from a stakeholders CSV (one row each) and, optionally, a ties CSV."""
    tables: list[_Table | None] = []
    notes: list[str] = []
    for data in (stakeholders_csv, ties_csv):
        if data is None:
            tables.append(None)
            continue
        text, note, problem = _decode(data)
        if problem or text is None:
            return _refuse(problem or "The file cannot be read.")
        if note:
            notes.append(note)
        table = _read_csv(text)
        if isinstance(table, str):
            return _refuse(table)
        tables.append(table)
    first = tables[0]
    assert first is not None
    headers = [_HEADER_ALIASES.get(h, h) for h in first.headers]
    rows = [_stakeholder_columns(row) for row in first.rows]
    if "name" not in headers:
        return _refuse(
            "The CSV file of stakeholders needs a header row with at least a name column "
            f"(the full set: ref, {', '.join(FIELDS)})."
        )
    notes += _unused_columns(headers, ("ref", *FIELDS))
    tie_table = tables[1]
    if tie_table is not None and not _is_ties_table(tie_table.headers):
        return _refuse("The CSV file of ties needs a header row with source and target columns.")
    return _from_stakeholder_rows(
        rows,
        tie_table.rows if tie_table else None,
        csv_rows=True,
        first=first.first,
        tie_first=tie_table.first if tie_table else 2,
        notes=notes,
    )


def read_json_file(data: bytes) -> MapFile:
    """A map from the app's JSON export (or a plain list of stakeholders)."""
    text, _, problem = _decode(data)
    if problem or text is None:
        return _refuse(problem or "The file cannot be read.")
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        return _refuse(
            f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        )
    if isinstance(content, list):
        content = {"stakeholders": content}
    if not isinstance(content, dict):
        return _refuse("The JSON file should hold an object with a list of stakeholders.")
    version = content.get("version", FILE_VERSION)
    if content.get("format", FILE_FORMAT) != FILE_FORMAT:
        return _refuse("This JSON file is not a stakeholder map from Movement Workbook.")
    if not isinstance(version, int) or version > FILE_VERSION:
        return _refuse(
            "This map was saved by a newer version of the app; update the app to import it."
        )
    stakeholders, ties = content.get("stakeholders"), content.get("ties", [])
    if not isinstance(stakeholders, list) or not all(isinstance(s, dict) for s in stakeholders):
        return _refuse(
            'The JSON file needs "stakeholders": a list of objects, one per stakeholder.'
        )
    if not isinstance(ties, list) or not all(isinstance(t, dict) for t in ties):
        return _refuse('In the JSON file, "ties" must be a list of objects with source and target.')
    budget = content.get("energy_budget")
    if budget is not None:
        if isinstance(budget, bool) or not isinstance(budget, int | float):
            return _refuse('In the JSON file, "energy_budget" must be a number of hours a month.')
        if not 0 <= budget <= MAX_ENERGY_BUDGET:
            return _refuse(
                'In the JSON file, "energy_budget" must be from 0 to '
                f"{MAX_ENERGY_BUDGET:,.0f} hours."
            )
    rows = [_stakeholder_columns({str(k): v for k, v in s.items()}) for s in stakeholders]
    headers = {key for row in rows for key in row}
    notes = _unused_columns(sorted(headers), ("ref", *FIELDS))
    notes = [n.replace("Columns", "Fields") for n in notes]
    return _from_stakeholder_rows(
        rows,
        ties,
        csv_rows=False,
        energy_budget=None if budget is None else float(budget),
        notes=notes,
    )


def read_map_files(files: Sequence[tuple[str, bytes]]) -> MapFile:
    """One JSON file, or a stakeholders CSV with an optional ties CSV, as (file name, bytes).

    The kind of each file is told by its content (JSON starts with { or [; a CSV of ties has
    source and target columns), so a file with the wrong ending still reads.
    """
    if not files:
        return _refuse("Choose a file to import.")
    for _, data in files:
        if len(data) > MAX_FILE_BYTES:
            return _refuse(
                f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB; a map is far smaller. "
                "Is it the right file?"
            )
    json_files = [data for _, data in files if _looks_like_json(data)]
    if json_files:
        if len(files) > 1:
            return _refuse("Import one JSON file on its own (it holds the whole map).")
        return read_json_file(json_files[0])
    if len(files) > 2:
        return _refuse("Import at most two CSV files: one of stakeholders and one of ties.")
    stakeholders_csv: bytes | None = None
    ties_csv: bytes | None = None
    for _, data in files:
        text, _, problem = _decode(data)
        if problem or text is None:
            return _refuse(problem or "The file cannot be read.")
        table = _read_csv(text)
        if isinstance(table, str):
            return _refuse(table)
        if _is_ties_table(table.headers):
            if ties_csv is not None:
                return _refuse("Both files are ties; add the CSV file of stakeholders.")
            ties_csv = data
        else:
            if stakeholders_csv is not None:
                return _refuse("Both files are stakeholders; import them one at a time.")
            stakeholders_csv = data
    if stakeholders_csv is None:
        return _refuse(
            "This is a file of ties only. Import it together with the CSV file of stakeholders."
        )
    return read_csv_files(stakeholders_csv, ties_csv)


# --- files out --------------------------------------------------------------------------------


def _safe_cell(value: str) -> str:
    # A spreadsheet runs a cell starting with = + - or @ as a formula; a leading ' stops that
    # (and read_map_files takes it off again).
    return "'" + value if value.startswith(_FORMULA_START) else value


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _hours(value: float) -> str:
    return f"{value:g}"


def stakeholders_csv(stakeholder_map: StakeholderMap) -> bytes:
    """One row per stakeholder, labels as the worksheet shows them; `ref` is the id."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ref", *FIELDS])
    for s in stakeholder_map.stakeholders:
        writer.writerow(
            [
                s.id,
                _safe_cell(s.name),
                s.kind,
                s.influence,
                s.band.label,
                s.target_band.label if s.target_band else "",
                s.tie.value,
                _hours(s.energy_hours),
                _safe_cell(s.note),
                _yes_no(s.not_our_battle),
                _yes_no(s.must_invest),
            ]
        )
    # A BOM so Excel reads the file as UTF-8 (names in any script survive).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ties_csv(stakeholder_map: StakeholderMap) -> bytes:
    """One row per tie: the two refs, their names (for people; the refs decide) and strength."""
    names = {s.id: s.name for s in stakeholder_map.stakeholders}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["source", "target", "strength", "source_name", "target_name"])
    for tie in stakeholder_map.ties:
        if tie.source_id in names and tie.target_id in names:
            writer.writerow(
                [
                    tie.source_id,
                    tie.target_id,
                    tie.strength.value,
                    _safe_cell(names[tie.source_id]),
                    _safe_cell(names[tie.target_id]),
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def map_json(stakeholder_map: StakeholderMap, *, exported_at: dt.datetime | None = None) -> bytes:
    """The whole map (stakeholders, ties, energy budget) as the app's JSON file."""
    ids = {s.id for s in stakeholder_map.stakeholders}
    content: dict[str, Any] = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "exported_at": (exported_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "energy_budget": stakeholder_map.energy_budget,
        "stakeholders": [
            {"ref": s.id, **s.model_dump(mode="json", exclude={"id"})}
            for s in stakeholder_map.stakeholders
        ],
        "ties": [
            {"source": t.source_id, "target": t.target_id, "strength": t.strength.value}
            for t in stakeholder_map.ties
            if t.source_id in ids and t.target_id in ids
        ],
    }
    return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")


def export_name(title: str, suffix: str) -> str:
    """A file name from a group's name: letters, digits and dashes only, never empty."""
    stem = re.sub(r"[^0-9A-Za-z]+", "-", title).strip("-").lower()[:40] or "our"
    return f"{stem}-stakeholder-map{suffix}"
