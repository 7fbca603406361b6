"""A workshop's exports: reflections, ratings, stakeholder maps and commitments, collected
once (`collect`), as CSV (zip) and XLSX. The one-file HTML summary made from the same
collection is workbook/summary_html.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from workbook import i18n
from workbook.i18n import N_
from workbook.keys import slug
from workbook.lessons import LessonSet
from workbook.live import HIDDEN, SHOWN, WAITING
from workbook.models import KeyFinding
from workbook.progress import round_label
from workbook.records import Commitment, Group, Workshop
from workbook.spreadsheet import safe_cell as spreadsheet_safe  # the release tables import it
from workbook.spreadsheet import text_cell
from workbook.stakeholders import words


class ExportSource(Protocol):
    """What an export reads (the store provides it)."""

    def workshop_by_id(self, workshop_id: int) -> Workshop | None: ...
    def groups(self, workshop_id: int) -> list[Group]: ...
    def commitments(self, group_id: int) -> list[Commitment]: ...
    def export_reflections(self, workshop_id: int) -> list[dict[str, Any]]: ...
    def export_ratings(self, workshop_id: int) -> list[dict[str, Any]]: ...
    def export_stakeholders(self, workshop_id: int) -> list[dict[str, Any]]: ...
    def export_ties(self, workshop_id: int) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Table:
    """One sheet (XLSX) or file (CSV): a name, column headings and rows of plain values.

    `name` and `columns` are as shown, in the workshop's language; `keys` are the English
    column names the code finds columns by (the summary), and `file` the CSV's file name, the
    same in every language."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    # Columns holding what people typed (keys): guarded against spreadsheet formulas in CSV.
    user_columns: frozenset[str] = frozenset()
    keys: tuple[str, ...] = ()
    file: str = ""

    def index(self) -> dict[str, int]:
        """Each column's position, by its English key."""
        return {key: i for i, key in enumerate(self.keys or self.columns)}


def _table(
    _: Callable[[str], str],
    name: str,
    keys: tuple[str, ...],
    rows: tuple[tuple[Any, ...], ...],
    user_columns: frozenset[str] = frozenset(),
) -> Table:
    """A table with its name and headings in the language of `_` (keys: N_-marked English)."""
    return Table(
        _(name), tuple(_(k) for k in keys), rows, user_columns, keys=keys, file=name.lower()
    )


@dataclass(frozen=True)
class WorkshopExport:
    workshop: Workshop
    groups: tuple[Group, ...]
    reflections: Table
    ratings: Table
    stakeholders: Table
    ties: Table
    commitments: Table
    lessons: LessonSet
    made_at: dt.datetime
    # (lesson id, prompt id) of each reflection row and (lesson id, statement id) of each
    # rating row, in the rows' order: the summary groups answers by these, not by the titles
    # and texts shown (which are the ids when a lesson file is missing or broken).
    reflection_keys: tuple[tuple[str, str], ...] = ()
    rating_keys: tuple[tuple[str, str], ...] = ()
    # The workshop's plan's title ("" when it runs every lesson in order, with no plan).
    plan_title: str = ""
    language: str = i18n.DEFAULT  # of the tables' names, headings and the app's own words

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.reflections, self.ratings, self.stakeholders, self.ties, self.commitments)

    @property
    def file_stem(self) -> str:
        name = slug(self.workshop.title)
        return f"workshop-{self.workshop.join_code}" + (f"-{name}" if name else "")


NOT_IN_PLAN = N_("not in the plan now")


def _plan_order(
    records: list[dict[str, Any]], lessons: LessonSet, item: str, items_of: Any
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Records in the plan's order within each group and round (as the store gives them):
    the step's number, then the lesson's order of prompts or statements; parts the plan no
    longer has after its steps. Also each lesson's step number."""
    steps = {lesson.id: n for n, lesson in enumerate(lessons.lessons, start=1)}
    groups: dict[str, int] = {}
    for record in records:
        groups.setdefault(record["group_name"], len(groups))
    positions: dict[str, dict[str, int]] = {}

    def position(lesson_id: str, item_id: str) -> int:
        if lesson_id not in positions:
            positions[lesson_id] = {x.id: i for i, x in enumerate(items_of(lesson_id))}
        return positions[lesson_id].get(item_id, len(positions[lesson_id]))

    def key(record: dict[str, Any]) -> tuple[Any, ...]:
        lesson_id = record["lesson_id"]
        return (
            groups[record["group_name"]],
            record["round"],
            steps.get(lesson_id, len(steps) + 1),
            lesson_id if lesson_id not in steps else "",
            position(lesson_id, record[item]),
            record[item],
        )

    return sorted(records, key=key), steps


def collect(
    source: ExportSource,
    *,
    workshop_id: int,
    lessons: LessonSet,
    now: dt.datetime | None = None,
    plan_title: str = "",
    language: str = i18n.DEFAULT,
) -> WorkshopExport:
    """Read everything a workshop's groups gave, with lesson, prompt and statement texts, in
    the plan's order (its step numbers in a column of their own). Sheet names, column
    headings and the app's own words in the cells (rounds, yes and no, key findings) are in
    `language`, the workshop's; what people typed and the lessons' words are as they are."""
    _ = i18n.gettext_for(language)
    workshop = source.workshop_by_id(workshop_id)
    if workshop is None:
        raise LookupError("This workshop no longer exists.")
    groups = tuple(source.groups(workshop_id))
    reflection_records, steps = _plan_order(
        source.export_reflections(workshop_id), lessons, "prompt_id", lessons.prompts_of
    )
    rating_records, _steps = _plan_order(
        source.export_ratings(workshop_id), lessons, "statement_id", lessons.statements_of
    )

    def step_of(lesson_id: str) -> int | str:
        return steps.get(lesson_id, _(NOT_IN_PLAN))

    # Words from the workshop's steps, or from the lesson files for a part its plan has
    # since left out (LessonSet.known); ids only when neither has it.
    lesson_title = lessons.title_of
    prompt_text = lessons.prompt_text
    statement_text = lessons.statement_text

    reflections = _table(
        _,
        N_("Reflections"),
        (
            N_("Group"),
            N_("Name"),
            N_("Step"),
            N_("Lesson"),
            N_("Question"),
            N_("Round"),
            N_("Answer"),
            N_("On screen"),
            N_("Supporters"),
            N_("Written (UTC)"),
            N_("Last changed (UTC)"),
        ),
        tuple(
            (
                r["group_name"],
                r["author"],
                step_of(r["lesson_id"]),
                lesson_title(r["lesson_id"]),
                prompt_text(r["lesson_id"], r["prompt_id"]),
                round_label(r["round"], _),
                r["text"],
                _(ON_SCREEN_WORDS[_on_screen(r)]),
                int(r.get("supporters") or 0),
                _utc(r["created_at"]),
                _utc(r["updated_at"]),
            )
            for r in reflection_records
        ),
        frozenset({"Group", "Name", "Answer"}),
    )
    ratings = _table(
        _,
        N_("Ratings"),
        (
            N_("Group"),
            N_("Participant"),
            N_("Step"),
            N_("Lesson"),
            N_("Statement"),
            N_("Key finding"),
            N_("Round"),
            N_("Rating (1-5)"),
            N_("Last changed (UTC)"),
        ),
        tuple(
            (
                r["group_name"],
                f"P{r['participant']}",
                step_of(r["lesson_id"]),
                lesson_title(r["lesson_id"]),
                statement_text(r["lesson_id"], r["statement_id"]),
                _(_finding_label(r["key_finding"])),
                round_label(r["round"], _),
                int(r["value"]),
                _utc(r["updated_at"]),
            )
            for r in rating_records
        ),
        frozenset({"Group"}),
    )
    stakeholders = _table(
        _,
        N_("Stakeholders"),
        (
            N_("Group"),
            N_("Stakeholder"),
            N_("Kind"),
            N_("Influence (1-5)"),
            N_("Position today"),
            N_("Where we want them"),
            N_("Our tie"),
            N_("Energy (hours a month)"),
            N_("Note"),
            N_("Not our battle"),
            N_("Must invest"),
        ),
        tuple(
            (
                s["group_name"],
                s["name"],
                words.kind(s["kind"], _),
                int(s["influence"]),
                _band(s["band"], _),
                _band(s["target_band"], _),
                _tie(s["tie"], _),
                float(s["energy_hours"]),
                s["note"],
                _("yes") if s["not_our_battle"] else _("no"),
                _("yes") if s["must_invest"] else _("no"),
            )
            for s in source.export_stakeholders(workshop_id)
        ),
        frozenset({"Group", "Stakeholder", "Note"}),
    )
    ties = _table(
        _,
        N_("Ties"),
        (N_("Group"), N_("From"), N_("To"), N_("Strength")),
        tuple(
            (t["group_name"], t["source"], t["target"], _tie(t["strength"], _))
            for t in source.export_ties(workshop_id)
        ),
        frozenset({"Group", "From", "To"}),
    )
    commitment_rows = []
    for group in groups:
        for c in source.commitments(group.id):
            commitment_rows.append(
                (
                    group.name,
                    c.what,
                    c.who,
                    c.by_when or "",
                    _(c.key_finding.label) if c.key_finding else "",
                    round_label(c.round, _),
                    _(c.status.label) if c.status else "",
                )
            )
    commitments = _table(
        _,
        N_("Commitments"),
        (
            N_("Group"),
            N_("What"),
            N_("Who"),
            N_("By when"),
            N_("Key finding"),
            N_("Round"),
            N_("How it went"),
        ),
        tuple(commitment_rows),
        frozenset({"Group", "What", "Who"}),
    )
    return WorkshopExport(
        workshop=workshop,
        groups=groups,
        reflections=reflections,
        ratings=ratings,
        stakeholders=stakeholders,
        ties=ties,
        commitments=commitments,
        lessons=lessons,
        made_at=now or dt.datetime.now(dt.UTC).replace(tzinfo=None),
        reflection_keys=tuple((r["lesson_id"], r["prompt_id"]) for r in reflection_records),
        rating_keys=tuple((r["lesson_id"], r["statement_id"]) for r in rating_records),
        plan_title=plan_title,
        language=i18n.supported(language),
    )


# How the room saw an answer, as the export's cells say it (the status itself is English).
ON_SCREEN_WORDS = {SHOWN: N_("shown"), WAITING: N_("waiting"), HIDDEN: N_("hidden")}


def _on_screen(record: dict[str, Any]) -> str:
    """How the room saw an answer: shown, waiting (for the facilitator's approval) or hidden."""
    status = record.get("on_screen")
    if status in (SHOWN, WAITING, HIDDEN):
        return str(status)
    return HIDDEN if record.get("hidden_on_screen") else SHOWN


def on_screen_status(word: str, _: Callable[[str], str]) -> str:
    """The status an export's "On screen" cell says, from its word in that export's language."""
    return next((s for s, w in ON_SCREEN_WORDS.items() if _(w) == word), word)


def _utc(value: dt.datetime | None) -> dt.datetime | str:
    """A stored time as a naive UTC time (what the "(UTC)" headings say; Excel cells hold no
    time zone), to the second; none as an empty cell."""
    if not value:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


# How XLSX cells show times (UTC) and dates: real date cells, sortable and filterable.
TIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def plain(value: Any) -> Any:
    """A cell as text where a file has no dates (CSV, the HTML summary): times as
    "2026-12-05 00:33" (UTC), dates as "2026-12-05"; every other value as it is."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _band(value: str | None, _: Callable[[str], str]) -> str:
    """A band in the export's language ("Passiv allieret"); a value no longer known as
    stored (the store keeps only known ones) and none as an empty cell."""
    if not value:
        return ""
    try:
        return words.band(value, _)
    except ValueError:
        return value


def _tie(value: str, _: Callable[[str], str]) -> str:
    try:
        return words.tie(value, _)
    except ValueError:
        return value


def _finding_label(value: str) -> str:
    try:
        return KeyFinding(value).label
    except ValueError:
        return value


# --- CSV ------------------------------------------------------------------------------------


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    guarded = [name in table.user_columns for name in table.keys or table.columns]
    for row in table.rows:
        writer.writerow(
            [
                spreadsheet_safe(plain(v)) if g else plain(v)
                for v, g in zip(row, guarded, strict=True)
            ]
        )
    return out.getvalue()


def csv_zip(export: WorkshopExport) -> bytes:
    """One CSV per table (UTF-8 with a byte-order mark, so spreadsheets read accents), zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # The workshop, its plan and its counts, as the XLSX's About sheet.
        _ = i18n.gettext_for(export.language)
        about = _table(
            _,
            N_("About"),
            (N_("About"), N_("Value")),
            tuple(_about_rows(export)),
            frozenset({"Value"}),
        )
        for table in (about, *export.tables):
            archive.writestr(
                f"{export.file_stem}/{table.file or table.name.lower()}.csv",
                ("\ufeff" + table_csv(table)).encode("utf-8"),
            )
    return buffer.getvalue()


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_cell(cell: Cell, value: Any) -> None:
    """A value in an XLSX cell: text as text (never a formula), times and dates as date cells
    with a date format."""
    text_cell(cell, value)
    if isinstance(value, dt.datetime):
        cell.number_format = TIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


def xlsx(export: WorkshopExport) -> bytes:
    """One sheet per table; text cells are stored as text, never as formulas; times (UTC) and
    dates are date cells, so a spreadsheet sorts and filters by them."""
    book = Workbook()
    book.remove(book.active)
    about = book.create_sheet(i18n.gettext_for(export.language)(N_("About")))
    for row in _about_rows(export):
        about.append([None] * len(row))
        for column, value in enumerate(row, start=1):
            _xlsx_cell(about.cell(row=about.max_row, column=column), value)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80
    for table in export.tables:
        sheet = book.create_sheet(table.name)
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                _xlsx_cell(cell, value)
                if isinstance(value, str) and len(value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for index, name in enumerate(table.columns, start=1):
            shown = (len(str(plain(r[index - 1]))) for r in table.rows[:200])
            longest = max([len(name), *shown])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_name(export: WorkshopExport) -> str:
    """The plan's title, or what runs without one (in the export's language)."""
    _ = i18n.gettext_for(export.language)
    return export.plan_title or _("Every lesson, in order (no plan)")


def _about_rows(export: WorkshopExport) -> list[tuple[str, str | int | dt.datetime]]:
    _ = i18n.gettext_for(export.language)
    w = export.workshop
    people = sum(g.members for g in export.groups)
    return [
        (_("Workshop"), w.title),
        (_("Cause or movement"), w.cause),
        (_("Region"), w.region),
        (_("Join code"), w.display_code),
        (_("Plan"), plan_name(export)),
        (_("Groups"), len(export.groups)),  # numbers as numbers
        (_("People who joined"), people),
        (_("Exported (UTC)"), _utc(export.made_at)),
    ]
