"""A workshop's exports: reflections, ratings, stakeholder maps and commitments as CSV (zip)
and XLSX, and a one-file HTML summary with charts to send to the group afterwards."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from workbook.bidi import bdi, isolate
from workbook.charts.live import rating_distribution
from workbook.lessons import Lesson, LessonSet
from workbook.live import HIDDEN, SHOWN, WAITING, distribution, plural
from workbook.models import KeyFinding
from workbook.progress import round_label
from workbook.records import Commitment, Group, Workshop
from workbook.results import missing_lesson_sentence, missing_lessons
from workbook.spreadsheet import safe_cell as spreadsheet_safe  # the release tables import it
from workbook.spreadsheet import text_cell


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
    """One sheet (XLSX) or file (CSV): a name, column headings and rows of plain values."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    # Columns holding what people typed: guarded against spreadsheet formulas in CSV.
    user_columns: frozenset[str] = frozenset()


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

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.reflections, self.ratings, self.stakeholders, self.ties, self.commitments)

    @property
    def file_stem(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.workshop.title.casefold()).strip("-")[:40]
        return f"workshop-{self.workshop.join_code}" + (f"-{slug}" if slug else "")


def collect(
    source: ExportSource, *, workshop_id: int, lessons: LessonSet, now: dt.datetime | None = None
) -> WorkshopExport:
    """Read everything a workshop's groups gave, with lesson, prompt and statement texts."""
    workshop = source.workshop_by_id(workshop_id)
    if workshop is None:
        raise LookupError("This workshop no longer exists.")
    groups = tuple(source.groups(workshop_id))
    reflection_records = source.export_reflections(workshop_id)
    rating_records = source.export_ratings(workshop_id)

    def lesson_title(lesson_id: str) -> str:
        lesson = lessons.by_id(lesson_id)
        return lesson.title if lesson else lesson_id

    def prompt_text(lesson_id: str, prompt_id: str) -> str:
        lesson = lessons.by_id(lesson_id)
        prompt = lesson.prompt(prompt_id) if lesson else None
        return prompt.text if prompt else prompt_id

    def statement_text(lesson_id: str, statement_id: str) -> str:
        lesson = lessons.by_id(lesson_id)
        statement = lesson.statement(statement_id) if lesson else None
        return statement.text if statement else statement_id

    reflections = Table(
        "Reflections",
        (
            "Group",
            "Name",
            "Lesson",
            "Question",
            "Round",
            "Answer",
            "On screen",
            "Supporters",
            "Written (UTC)",
            "Last changed (UTC)",
        ),
        tuple(
            (
                r["group_name"],
                r["author"],
                lesson_title(r["lesson_id"]),
                prompt_text(r["lesson_id"], r["prompt_id"]),
                round_label(r["round"]),
                r["text"],
                _on_screen(r),
                int(r.get("supporters") or 0),
                _stamp(r["created_at"]),
                _stamp(r["updated_at"]),
            )
            for r in reflection_records
        ),
        frozenset({"Group", "Name", "Answer"}),
    )
    ratings = Table(
        "Ratings",
        (
            "Group",
            "Participant",
            "Lesson",
            "Statement",
            "Key finding",
            "Round",
            "Rating (1-5)",
            "Last changed (UTC)",
        ),
        tuple(
            (
                r["group_name"],
                f"P{r['participant']}",
                lesson_title(r["lesson_id"]),
                statement_text(r["lesson_id"], r["statement_id"]),
                _finding_label(r["key_finding"]),
                round_label(r["round"]),
                int(r["value"]),
                _stamp(r["updated_at"]),
            )
            for r in rating_records
        ),
        frozenset({"Group"}),
    )
    stakeholders = Table(
        "Stakeholders",
        (
            "Group",
            "Stakeholder",
            "Kind",
            "Influence (1-5)",
            "Position today",
            "Where we want them",
            "Our tie",
            "Energy (hours a month)",
            "Note",
            "Not our battle",
            "Must invest",
        ),
        tuple(
            (
                s["group_name"],
                s["name"],
                s["kind"],
                int(s["influence"]),
                _words(s["band"]),
                _words(s["target_band"] or ""),
                _words(s["tie"]),
                float(s["energy_hours"]),
                s["note"],
                "yes" if s["not_our_battle"] else "no",
                "yes" if s["must_invest"] else "no",
            )
            for s in source.export_stakeholders(workshop_id)
        ),
        frozenset({"Group", "Stakeholder", "Note"}),
    )
    ties = Table(
        "Ties",
        ("Group", "From", "To", "Strength"),
        tuple(
            (t["group_name"], t["source"], t["target"], _words(t["strength"]))
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
                    c.by_when.isoformat() if c.by_when else "",
                    c.key_finding.label,
                    round_label(c.round),
                    c.status.label if c.status else "",
                )
            )
    commitments = Table(
        "Commitments",
        ("Group", "What", "Who", "By when", "Key finding", "Round", "How it went"),
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
    )


def _on_screen(record: dict[str, Any]) -> str:
    """How the room saw an answer: shown, waiting (for the facilitator's approval) or hidden."""
    status = record.get("on_screen")
    if status in (SHOWN, WAITING, HIDDEN):
        return str(status)
    return HIDDEN if record.get("hidden_on_screen") else SHOWN


def _stamp(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


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
    guarded = [name in table.user_columns for name in table.columns]
    for row in table.rows:
        writer.writerow(
            [spreadsheet_safe(v) if g else v for v, g in zip(row, guarded, strict=True)]
        )
    return out.getvalue()


def csv_zip(export: WorkshopExport) -> bytes:
    """One CSV per table (UTF-8 with a byte-order mark, so spreadsheets read accents), zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in export.tables:
            archive.writestr(
                f"{export.file_stem}/{table.name.lower()}.csv",
                ("\ufeff" + table_csv(table)).encode("utf-8"),
            )
    return buffer.getvalue()


# --- XLSX -----------------------------------------------------------------------------------


def xlsx(export: WorkshopExport) -> bytes:
    """One sheet per table; text cells are stored as text, never as formulas."""
    book = Workbook()
    book.remove(book.active)
    about = book.create_sheet("About")
    for row in _about_rows(export):
        about.append([None] * len(row))
        for column, value in enumerate(row, start=1):
            text_cell(about.cell(row=about.max_row, column=column), value)
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
                text_cell(cell, value)
                if isinstance(value, str) and len(value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for index, name in enumerate(table.columns, start=1):
            longest = max([len(name), *(len(str(r[index - 1])) for r in table.rows[:200])])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about_rows(export: WorkshopExport) -> list[tuple[str, str]]:
    w = export.workshop
    people = sum(g.members for g in export.groups)
    return [
        ("Workshop", w.title),
        ("Cause or movement", w.cause),
        ("Region", w.region),
        ("Join code", w.display_code),
        ("Groups", str(len(export.groups))),
        ("People who joined", str(people)),
        ("Exported (UTC)", _stamp(export.made_at)),
    ]


# --- HTML summary ---------------------------------------------------------------------------

_STYLE = """
body { font-family: Inter, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; color: #111;
       background: #fff; margin: 0; line-height: 1.5; font-size: 17px; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .5rem; border-bottom: 2px solid #0059A3; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.meta, .note { color: #444; }
ul.answers { list-style: none; padding: 0; }
ul.answers li { border-left: 4px solid #0059A3; background: #F1F3F6; margin: .5rem 0;
                padding: .5rem .75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.who { display: block; color: #444; font-size: .9rem; white-space: normal; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; border-bottom: 1px solid #ccc; padding: .3rem .5rem;
         vertical-align: top; overflow-wrap: anywhere; }
.chart { max-width: 40rem; }
"""


def html_summary(export: WorkshopExport) -> str:
    """A single self-contained HTML page (plotly.js inlined once): open it anywhere, offline.

    Everything people typed is escaped. Answers the facilitator hid from the screen are left
    out and counted."""
    w = export.workshop
    esc = html.escape
    parts: list[str] = []
    people = sum(g.members for g in export.groups)
    parts.append(f"<h1>{bdi(w.title)}</h1>")
    meta = " · ".join([*(bdi(x) for x in (w.cause, w.region) if x), f"code {w.display_code}"])
    parts.append(
        f'<p class="meta">{meta}<br>{plural(people, "person", "people")} in '
        f"{plural(len(export.groups), 'group')} · summary made {_stamp(export.made_at)} UTC</p>"
    )
    chart_count = 0

    def chart(fig: go.Figure) -> str:
        nonlocal chart_count
        chart_count += 1
        return (
            '<div class="chart">'
            + fig.to_html(
                full_html=False,
                include_plotlyjs=chart_count == 1,
                config={"displayModeBar": False, "responsive": True},
                div_id=f"chart-{chart_count}",
            )
            + "</div>"
        )

    reflections = export.reflections
    ratings = export.ratings
    col = {name: i for i, name in enumerate(reflections.columns)}
    rcol = {name: i for i, name in enumerate(ratings.columns)}
    answer_keys = export.reflection_keys or tuple(
        (r[col["Lesson"]], r[col["Question"]]) for r in reflections.rows
    )
    rating_keys = export.rating_keys or tuple(
        (r[rcol["Lesson"]], r[rcol["Statement"]]) for r in ratings.rows
    )
    left_out = {HIDDEN: 0, WAITING: 0}

    def answer_list(given: Sequence[tuple[Any, ...]]) -> None:
        # Only what the room was shown: hidden and waiting answers are counted, not listed.
        shown = [r for r in given if r[col["On screen"]] == SHOWN]
        for row in given:
            if row[col["On screen"]] in left_out:
                left_out[row[col["On screen"]]] += 1
        parts.append('<ul class="answers">')
        for row in shown:
            who = bdi(row[col["Group"]])
            if row[col["Name"]]:
                who = f"{who} · {bdi(row[col['Name']])}"
            if row[col["Round"]] != round_label(1):
                who = f"{who} · {esc(row[col['Round']])}"
            parts.append(f'<li>{bdi(row[col["Answer"]])}<span class="who">{who}</span></li>')
        parts.append("</ul>")

    def answers_to(lesson_id: str, prompt_id: str) -> list[tuple[Any, ...]]:
        return [
            row
            for row, key in zip(reflections.rows, answer_keys, strict=True)
            if key == (lesson_id, prompt_id)
        ]

    def unknown_prompts(lesson_id: str, known: set[str]) -> list[str]:
        """Prompt ids answered in a lesson that the lesson (as loaded now) does not have."""
        found = {p for lid, p in answer_keys if lid == lesson_id and p not in known}
        return sorted(found)

    for number, lesson in enumerate(export.lessons.lessons, start=1):
        answered = any(key[0] == lesson.id for key in answer_keys)
        rated = [r for r, key in zip(ratings.rows, rating_keys, strict=True) if key[0] == lesson.id]
        if not answered and not rated:
            continue
        parts.append(f"<section><h2>Step {number}: {esc(lesson.title)}</h2>")
        parts.extend(_statement_sections(lesson, rated, rcol, chart))
        prompt_ids = [p.id for p in lesson.prompts]
        texts = {p.id: p.text for p in lesson.prompts}
        for prompt_id in prompt_ids + unknown_prompts(lesson.id, set(prompt_ids)):
            given = answers_to(lesson.id, prompt_id)
            if not given:
                continue
            parts.append(f"<h3>{esc(texts.get(prompt_id, prompt_id))}</h3>")
            answer_list(given)
        parts.append("</section>")
    # Answers kept for a lesson that is not loaded now (its file missing or broken): still
    # here, under the lesson's id, its questions by their ids.
    for lesson_id in missing_lessons(export.lessons, [*answer_keys, *rating_keys]):
        parts.append(f"<section><h2>Lesson {esc(lesson_id)}</h2>")
        parts.append(f'<p class="note">{esc(missing_lesson_sentence(lesson_id))}</p>')
        statement_ids = sorted({s for lid, s in rating_keys if lid == lesson_id})
        for statement_id in statement_ids:
            values = [
                (int(r[rcol["Rating (1-5)"]]), r[rcol["Round"]])
                for r, key in zip(ratings.rows, rating_keys, strict=True)
                if key == (lesson_id, statement_id)
            ]
            for label in sorted({v[1] for v in values}, key=lambda x: (x != round_label(1), x)):
                result = distribution((v, 1) for v, r in values if r == label)
                parts.append(f"<h3>{esc(statement_id)} ({esc(label)})</h3>")
                parts.append(
                    f'<p class="note">Average {result.mean or 0:.1f} from '
                    f"{plural(result.total, 'rating')} (1 to 5).</p>"
                )
        for prompt_id in unknown_prompts(lesson_id, set()):
            parts.append(f"<h3>{esc(prompt_id)}</h3>")
            answer_list(answers_to(lesson_id, prompt_id))
        parts.append("</section>")
    if not reflections.rows and not ratings.rows:
        parts.append('<p class="note">No answers or ratings were given in this workshop yet.</p>')
    if left_out[HIDDEN]:
        parts.append(
            f'<p class="note">{plural(left_out[HIDDEN], "answer")} hidden from the screen by the '
            "facilitator "
            + ("is" if left_out[HIDDEN] == 1 else "are")
            + " not included here (the full exports have them).</p>"
        )
    if left_out[WAITING]:
        parts.append(
            f'<p class="note">{plural(left_out[WAITING], "answer")} waiting for the '
            "facilitator's approval "
            + ("is" if left_out[WAITING] == 1 else "are")
            + " not included here (the full exports have them).</p>"
        )
    parts.extend(_table_section("Stakeholder maps", export.stakeholders))
    parts.extend(_table_section("Ties between stakeholders", export.ties))
    parts.extend(_table_section("Commitments", export.commitments))
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(isolate(w.title))}: workshop summary</title><style>{_STYLE}</style></head>"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )


def _statement_sections(
    lesson: Lesson,
    rated: Sequence[tuple[Any, ...]],
    rcol: dict[str, int],
    chart: Callable[[go.Figure], str],
) -> list[str]:
    parts: list[str] = []
    for statement in lesson.ratings:
        rows = [r for r in rated if r[rcol["Statement"]] == statement.text]
        rounds = sorted(
            {r[rcol["Round"]] for r in rows}, key=lambda label: (label != "First look", label)
        )
        for label in rounds:
            values = [int(r[rcol["Rating (1-5)"]]) for r in rows if r[rcol["Round"]] == label]
            result = distribution((v, 1) for v in values)
            heading = statement.text + (f" ({label})" if len(rounds) > 1 else "")
            parts.append(f"<h3>{html.escape(heading)}</h3>")
            mean = result.mean or 0
            parts.append(
                f'<p class="note">Average {mean:.1f} from '
                f"{plural(result.total, 'rating')} (1 = {html.escape(statement.low)}, "
                f"5 = {html.escape(statement.high)}).</p>"
            )
            parts.append(
                chart(
                    _document_size(
                        rating_distribution(
                            result, low=statement.low, high=statement.high, height=300
                        )
                    )
                )
            )
    return parts


def _document_size(fig: go.Figure) -> go.Figure:
    """The projector figure at reading size for a document."""
    fig.update_layout(font={"size": 15}, margin={"l": 8, "r": 8, "t": 40, "b": 8})
    fig.update_traces(textfont={"size": 16})
    fig.update_annotations(font={"size": 16})
    fig.update_xaxes(tickfont={"size": 15})
    return fig


def _table_section(title: str, table: Table, *, drop: Sequence[str] = ()) -> list[str]:
    if not table.rows:
        return []
    keep = [i for i, name in enumerate(table.columns) if name not in drop]
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(table.columns[i])}</th>' for i in keep)
    rows = "".join(
        "<tr>" + "".join(f"<td>{bdi(str(row[i]))}</td>" for i in keep) + "</tr>"
        for row in table.rows
    )
    return [
        f"<section><h2>{esc(title)}</h2><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    ]
