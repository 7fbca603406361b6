"""A map as CSV files, for spreadsheets: one file of stakeholders and one of ties, out and in.

In: the text comes from `file_text` (encoding found and named); the cells are read under a
fixed set of dialects (commas, semicolons or tabs between cells, double quotes around a cell
that holds one of them), never guessed from a sample, so a valid file is never changed: the
dialect taken is the one under which the first row names the map's columns and no row has
more cells than that first row. Quotes that are not closed properly are refused, naming the
line, rather than read some way. Out: every text cell goes through the one spreadsheet guard
(`workbook.spreadsheet`), and import applies its exact inverse to every cell.
"""

from __future__ import annotations

import csv
import gettext
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from workbook.file_text import FileText, read_text
from workbook.i18n import N_
from workbook.map_file import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    STAKEHOLDER_COLUMNS,
    MapFile,
    header,
    is_ties_table,
    map_from_rows,
    refuse,
    repeated_column,
    stakeholder_column,
    tie_column,
    unused_columns,
)
from workbook.map_rows import FIELDS, MAX_STAKEHOLDER_ROWS, MAX_TIE_ROWS
from workbook.messages import Message, say
from workbook.models import SpectrumBand, Stakeholder, TieStrength
from workbook.spreadsheet import cell_text, safe_cell
from workbook.stakeholders.saved import StakeholderMap

DELIMITERS: Final = {",": N_("commas"), ";": N_("semicolons"), "\t": N_("tabs")}
_ONE: Final = {",": N_("a comma"), ";": N_("a semicolon"), "\t": N_("a tab")}
MAP_FILE: Final = say(N_("map file"))
# A file of ties may hold MAX_TIE_ROWS of them, under a header, with a few blank rows.
MAX_CSV_ROWS: Final = MAX_TIE_ROWS + 100


@dataclass(frozen=True)
class Table:
    """The cells of one CSV file, under its first row's column names."""

    name: str  # the file's name, as uploaded
    headers: list[str]  # as tokens: "Energy (hours)" -> "energy_hours"
    rows: list[dict[str, str]]
    first: int  # the spreadsheet row number of rows[0]
    delimiter: str
    encoding: str
    notes: tuple[Message, ...] = ()
    typed_headers: tuple[str, ...] = ()  # the first row's cells as typed

    @property
    def is_ties(self) -> bool:
        return is_ties_table(self.headers)

    @property
    def read_as(self) -> Message:
        """A sentence saying how the file was read (the success message shows it)."""
        return say(
            N_("{name}: read as {encoding}, cells separated by {separator}."),
            name=self.name,
            encoding=say(self.encoding),
            separator=say(DELIMITERS[self.delimiter]),
        )


def _known_header(cells: Sequence[str]) -> bool:
    return "name" in {stakeholder_column(c) for c in cells} or is_ties_table(cells)


def _plain_csv_error(name: str, error: csv.Error, line: int) -> Message:
    text = str(error)
    if "field larger than field limit" in text:
        return say(
            N_(
                "{name}: a cell at line {line} is longer than {limit} characters; a cell of a "
                "map file is at most {limit}."
            ),
            name=name,
            line=line,
            limit=MAX_CELL_CHARS,
        )
    if "unexpected end of data" in text or "EOF" in text:
        return say(
            N_('{name}: a quote (") opened at or before line {line} is never closed.'),
            name=name,
            line=line,
        )
    return say(
        N_(
            '{name}: line {line} has a quote (") where a cell cannot hold one; put the whole '
            'cell in quotes and write each quote inside it twice ("").'
        ),
        name=name,
        line=line,
    )


def _records(text: str, delimiter: str, name: str) -> list[list[str]] | Message:
    """Every record of the file under one dialect, or the sentence saying why it cannot be."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > MAX_CSV_ROWS:
                return say(
                    N_(
                        "{name} has more than {n} rows; a map file holds at most {people} "
                        "stakeholders or {ties} ties."
                    ),
                    name=name,
                    n=MAX_CSV_ROWS,
                    people=MAX_STAKEHOLDER_ROWS,
                    ties=MAX_TIE_ROWS,
                )
    except csv.Error as error:
        return _plain_csv_error(name, error, reader.line_num)
    return records


def _first_record(text: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(text[:65_536], newline=""), delimiter=delimiter)
    try:
        return next((r for r in reader if any(c.strip() for c in r)), [])
    except csv.Error:
        return []


def read_table(name: str, source: FileText) -> Table | Message:
    """The table in a CSV file, or one sentence naming the file and what is wrong."""
    text = source.text
    if not text.strip():
        return say(N_("{name} is empty."), name=name)
    firsts = {d: _first_record(text, d) for d in DELIMITERS}
    candidates = [d for d in DELIMITERS if _known_header(firsts[d])]
    widest = max(len(cells) for cells in firsts.values())
    if not candidates and widest > MAX_COLUMNS:  # the bound first, as for a file too big
        return _too_wide(name, widest)
    if not candidates:
        return say(
            N_(
                "{name}: the first row should name the columns: at least name for a file of "
                "stakeholders (all of them: {columns}), or source and target for a file of "
                "ties."
            ),
            name=name,
            columns=", ".join(STAKEHOLDER_COLUMNS),
        )
    parsed: dict[str, list[list[str]]] = {}
    first_problem = None
    for delimiter in candidates:
        records = _records(text, delimiter, name)
        if isinstance(records, Message):
            first_problem = first_problem or records
        else:
            parsed[delimiter] = records
    if not parsed:
        return first_problem or say(N_("{name} cannot be read as CSV."), name=name)

    def fits(delimiter: str) -> bool:
        records = parsed[delimiter]
        start = next(i for i, r in enumerate(records) if any(c.strip() for c in r))
        return all(len(r) <= len(records[start]) for r in records[start + 1 :])

    delimiter = next((d for d in parsed if fits(d)), next(iter(parsed)))
    return _table(name, parsed[delimiter], delimiter, source.encoding)


def _too_wide(name: str, columns: int) -> Message:
    return say(
        N_("{name} has {n} columns; a map file has at most {limit}."),
        name=name,
        n=columns,
        limit=MAX_COLUMNS,
    )


def _table(name: str, records: list[list[str]], delimiter: str, encoding: str) -> Table | Message:
    # Blank rows stay (and are skipped later), so "Row 7" is row 7 in the spreadsheet.
    start = next(i for i, line in enumerate(records) if any(c.strip() for c in line))
    cells = records[start]
    if len(cells) > MAX_COLUMNS:
        return _too_wide(name, len(cells))
    headers = [header(cell) for cell in cells]
    rows: list[dict[str, str]] = []
    unnamed: set[int] = set()
    for number, line in enumerate(records[start + 1 :], start=start + 2):
        if len(line) > len(headers):
            return say(
                N_(
                    "{name}: row {row} has {cells} cells but the first row names {columns} "
                    "columns; put quotes around a cell that holds {one}, or give the extra "
                    "column a name."
                ),
                name=name,
                row=number,
                cells=len(line),
                columns=len(headers),
                one=say(_ONE[delimiter]),
            )
        row: dict[str, str] = {}
        for position, cell in enumerate(line):
            if len(cell) > MAX_CELL_CHARS:
                return say(
                    N_(
                        "{name}: the cell in row {row}, column {column} is {n} characters "
                        "long; a cell of a map file is at most {limit}."
                    ),
                    name=name,
                    row=number,
                    column=position + 1,
                    n=len(cell),
                    limit=MAX_CELL_CHARS,
                )
            if headers[position]:
                row[headers[position]] = cell_text(cell)
            elif cell.strip():
                unnamed.add(position + 1)
        rows.append(row)
    notes: list[Message] = []
    if unnamed:
        *others, last = [str(c) for c in sorted(unnamed)]
        if others:
            notes.append(
                say(
                    N_(
                        "{name}: columns {columns} and {last} have no name in the first row, "
                        "so they were left out."
                    ),
                    name=name,
                    columns=", ".join(others),
                    last=last,
                )
            )
        else:
            notes.append(
                say(
                    N_("{name}: column {last} has no name in the first row, so it was left out."),
                    name=name,
                    last=last,
                )
            )
    return Table(name, headers, rows, start + 2, delimiter, encoding, tuple(notes), tuple(cells))


def read_csv(name: str, data: bytes) -> Table | Message:
    """A CSV file's table: decoded within bounds, then read."""
    source = read_text(name, data, max_bytes=MAX_FILE_BYTES, what=MAP_FILE)
    return source if isinstance(source, Message) else read_table(name, source)


def _read_as(table: Table) -> list[Message]:
    notes = [table.read_as]
    if table.encoding == "Windows-1252":
        notes.append(
            say(
                N_(
                    "{name} is not UTF-8, so it was read as Windows-1252 (what Excel on Windows "
                    "saves as CSV): check that accented letters such as é and € look right in "
                    "the names as read."
                ),
                name=table.name,
            )
        )
    return notes


def _named(name: str, problem: Message) -> Message:
    return say(N_("{name}: {problem}"), name=name, problem=problem)


def map_from_tables(
    people: Table, ties: Table | None = None, *, t: gettext.NullTranslations | None = None
) -> MapFile:
    """A map from a stakeholders table and, optionally, a ties table (row problems in the
    language of `t`)."""
    columns = [stakeholder_column(h) for h in people.headers]
    if "name" not in columns:
        return refuse(
            say(
                N_(
                    "{name}: the file of stakeholders needs a name column (all of them: {columns})."
                ),
                name=people.name,
                columns=", ".join(STAKEHOLDER_COLUMNS),
            )
        )
    repeated = repeated_column(columns)
    if repeated:
        return refuse(_named(people.name, repeated))
    if ties is not None:
        if not ties.is_ties:
            return refuse(
                say(
                    N_("{name}: the file of ties needs a source and a target column."),
                    name=ties.name,
                )
            )
        repeated = repeated_column(tie_column(h) for h in ties.headers)
        if repeated:
            return refuse(_named(ties.name, repeated))
    notes = _read_as(people) + (_read_as(ties) if ties else []) + list(people.notes)
    notes += list(ties.notes) if ties else []
    typed = people.typed_headers or tuple(people.headers)
    notes += unused_columns(zip(columns, typed, strict=True), STAKEHOLDER_COLUMNS)
    rows = [{stakeholder_column(k): v for k, v in row.items()} for row in people.rows]
    return map_from_rows(
        rows,
        ties.rows if ties else None,
        name=people.name,
        csv_rows=True,
        first=people.first,
        tie_first=ties.first if ties else 2,
        notes=notes,
        t=t,
    )


# --- files out --------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _hours(value: float) -> str:
    # The shortest text that reads back as the same number: 2, 2.25, 0.1 (never rounded).
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _csv_bytes(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
    # A byte-order mark so Excel reads the file as UTF-8 (names in any script survive).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def stakeholders_csv(stakeholder_map: StakeholderMap) -> bytes:
    """One row per stakeholder, labels as the worksheet shows them; `ref` is the id."""
    rows: list[list[object]] = [["ref", *FIELDS]]
    for s in stakeholder_map.stakeholders:
        rows.append(
            [
                s.id,
                s.name,
                s.kind,
                s.influence,
                s.band.label,
                s.target_band.label if s.target_band else "",
                s.tie.value,
                _hours(s.energy_hours),
                s.note,
                _yes_no(s.not_our_battle),
                _yes_no(s.must_invest),
            ]
        )
    return _csv_bytes(rows)


def template_csv() -> bytes:
    """A stakeholders file to fill in a spreadsheet: its columns, and two example rows
    written as an export writes them (so every value is spelled as the import reads it)."""
    examples = (
        Stakeholder(
            id=1,
            name="Example: city housing committee (replace this row)",
            kind="Institution or decision-maker",
            influence=4,
            band=SpectrumBand.neutral,
            target_band=SpectrumBand.passive_ally,
            tie=TieStrength.weak,
            energy_hours=2,
            note="Met them in May",
            must_invest=True,
        ),
        Stakeholder(
            id=2,
            name="Example: tenants' union (replace this row)",
            kind="Community group",
            influence=3,
            band=SpectrumBand.active_ally,
        ),
    )
    return stakeholders_csv(StakeholderMap(stakeholders=examples, ties=()))


def ties_csv(stakeholder_map: StakeholderMap) -> bytes:
    """One row per tie: the two refs, their names (for people; the refs decide) and strength."""
    names = {s.id: s.name for s in stakeholder_map.stakeholders}
    rows: list[list[object]] = [["source", "target", "strength", "source_name", "target_name"]]
    for tie in stakeholder_map.ties:
        if tie.source_id in names and tie.target_id in names:
            rows.append(
                [
                    tie.source_id,
                    tie.target_id,
                    tie.strength.value,
                    names[tie.source_id],
                    names[tie.target_id],
                ]
            )
    return _csv_bytes(rows)
