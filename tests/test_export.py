"""Exports of a workshop (workbook.export): CSV zip, XLSX and the one-file HTML summary."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from workbook import export, i18n, summary_html
from workbook.lessons import LessonSet
from workbook.models import (
    CommitmentIn,
    JoinRequest,
    KeyFinding,
    RatingIn,
    ReflectionIn,
    WorkshopCreate,
)
from workbook.spreadsheet import FORMULA_START, cell_text
from workbook.store import Store
from workbook.store.database import utc_now

TRICKY = "<script>alert(1)</script> **bold** שלום 👋🏽"
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def filled(store: Store, lessons: LessonSet) -> tuple[Store, int]:
    """A workshop with two groups: answers (one hidden), ratings, a map and a commitment."""
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Spring <day>", cause="Housing", region="North")
    )
    lesson = lessons.lessons[0]
    prompt, statement = lesson.prompts[0], lesson.ratings[0]
    ana, _ = store.join(
        workshop_id=workshop.id, request=JoinRequest(group_name="A <table>", display_name="Ana")
    )
    bo, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 2"))
    for who, text, value in ((ana, TRICKY, 4), (bo, FORMULA, 2)):
        store.save_answers(
            seat=who,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=text)],
            ratings=[
                RatingIn(
                    lesson_id=lesson.id,
                    statement_id=statement.id,
                    key_finding=lesson.finding_of(statement),
                    value=value,
                )
            ],
        )
    store.save_answers(
        seat=bo,
        lesson_id=lesson.id,
        round=1,
        reflections=[
            ReflectionIn(lesson_id=lesson.id, prompt_id=lesson.prompts[1].id, text="Unkind remark")
        ],
    )
    unkind = store.answer_cards(
        workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=lesson.prompts[1].id
    )[0]
    store.hide_answer(workshop_id=workshop.id, reflection_id=unkind.id)
    now = utc_now()
    with store._cursor() as cur:  # the map is written by its own queries; rows are enough here
        cur.execute(
            "INSERT INTO stakeholders VALUES (1, ?, ?, 'City <council>', 'Institution or "
            "decision-maker', 5, 'neutral', 'active_ally', 'weak', 4.5, '=1+1', false, true, ?, ?)",
            [workshop.id, ana.group.id, now, now],
        )
        cur.execute(
            "INSERT INTO stakeholders VALUES (2, ?, ?, 'Tenants union', 'Community group', 3,"
            " 'active_ally', NULL, 'strong', 2, '', false, false, ?, ?)",
            [workshop.id, ana.group.id, now, now],
        )
        cur.execute("INSERT INTO stakeholder_ties VALUES (?, 1, 2, 'weak', ?)", [ana.group.id, now])
    store.add_commitment(
        seat=ana,
        commitment=CommitmentIn(
            what="Meet the <council>",
            who="Ana",
            by_when=dt.date(2025, 6, 1),
            key_finding=KeyFinding.right_people,
        ),
        round=1,
    )
    return store, workshop.id


def test_collect_reads_every_table_with_lesson_texts(
    filled: tuple[Store, int], lessons: LessonSet
) -> None:
    store, workshop_id = filled
    data = export.collect(store, workshop_id=workshop_id, lessons=lessons)
    lesson = lessons.lessons[0]
    assert len(data.reflections.rows) == 3
    first = data.reflections.rows[0]
    assert first[0] == "A <table>" and first[1] == "Ana" and first[3] == lesson.title
    assert first[2] == 1  # the step's number
    assert first[4] == lesson.prompts[0].text and first[6] == TRICKY
    assert sorted(r[7] for r in data.reflections.rows) == ["hidden", "shown", "shown"]
    assert [r[7] for r in data.ratings.rows] == [4, 2]
    assert data.ratings.rows[0][1] == "P1" and "Ana" not in data.ratings.rows[0]
    assert [r[1] for r in data.stakeholders.rows] == ["City <council>", "Tenants union"]
    assert data.ties.rows == (("A <table>", "City <council>", "Tenants union", "Weak"),)
    assert data.commitments.rows[0][1] == "Meet the <council>"
    assert data.file_stem.startswith("workshop-") and "<" not in data.file_stem
    with pytest.raises(LookupError):
        export.collect(store, workshop_id=999, lessons=lessons)


def test_csv_zip_has_one_file_per_table_and_defuses_formulas(
    filled: tuple[Store, int], lessons: LessonSet
) -> None:
    store, workshop_id = filled
    data = export.collect(store, workshop_id=workshop_id, lessons=lessons)
    archive = zipfile.ZipFile(io.BytesIO(export.csv_zip(data)))
    names = sorted(name.rsplit("/", 1)[1] for name in archive.namelist())
    assert names == [
        "about.csv",
        "commitments.csv",
        "ratings.csv",
        "reflections.csv",
        "stakeholders.csv",
        "ties.csv",
    ]
    reflections = next(n for n in archive.namelist() if n.endswith("reflections.csv"))
    raw = archive.read(reflections)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    answers = {row["Answer"] for row in rows}
    assert TRICKY in answers  # text comes out exactly as typed
    assert "'" + FORMULA in answers and FORMULA not in answers
    stakeholders = next(n for n in archive.namelist() if n.endswith("stakeholders.csv"))
    notes = [
        r["Note"]
        for r in csv.DictReader(io.StringIO(archive.read(stakeholders).decode("utf-8-sig")))
    ]
    assert notes == ["'=1+1", ""]


def test_xlsx_keeps_text_as_text(filled: tuple[Store, int], lessons: LessonSet) -> None:
    store, workshop_id = filled
    data = export.collect(store, workshop_id=workshop_id, lessons=lessons)
    book = load_workbook(io.BytesIO(export.xlsx(data)))
    assert book.sheetnames == [
        "About",
        "Reflections",
        "Ratings",
        "Stakeholders",
        "Ties",
        "Commitments",
    ]
    sheet = book["Reflections"]
    header = [c.value for c in sheet[1]]
    answers = [row[header.index("Answer")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert FORMULA in answers and TRICKY in answers  # unchanged, and...
    formula_cell = next(
        row[header.index("Answer")]
        for row in sheet.iter_rows(min_row=2)
        if row[header.index("Answer")].value == FORMULA
    )
    assert formula_cell.data_type == "s"  # ...stored as text, not a formula
    ratings = book["Ratings"]
    assert [r[7] for r in ratings.iter_rows(min_row=2, values_only=True)] == [4, 2]
    assert book["About"]["B1"].value == "Spring <day>"


def test_html_summary_is_one_escaped_file_with_charts_and_no_hidden_answers(
    filled: tuple[Store, int], lessons: LessonSet
) -> None:
    store, workshop_id = filled
    page = summary_html.html_summary(
        export.collect(store, workshop_id=workshop_id, lessons=lessons)
    )
    assert page.startswith("<!DOCTYPE html>") and 'lang="en"' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** שלום 👋🏽" in page
    assert "Spring &lt;day&gt;" in page and "City &lt;council&gt;" in page
    assert "Unkind remark" not in page
    assert "1 answer hidden from the screen by the facilitator is not included" in page
    assert "Average 3.0 from 2 ratings" in page
    # A bar chart drawn in HTML per rated statement: no script at all, no network needed.
    assert page.count('<figure class="bars">') == 1
    assert "1 person (50%)" in page
    assert "<script" not in page


def test_an_empty_workshop_exports_cleanly(store: Store, lessons: LessonSet) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Quiet", cause="Rare"))
    data = export.collect(store, workshop_id=workshop.id, lessons=lessons)
    assert all(not table.rows for table in data.tables)
    page = summary_html.html_summary(data)
    assert "No answers or ratings were given" in page and "<figure" not in page
    assert export.xlsx(data) and export.csv_zip(data)
    rows = list(csv.reader(io.StringIO(export.table_csv(data.reflections))))
    assert rows == [list(data.reflections.columns)]


def test_a_title_or_answer_that_looks_like_a_formula_is_text_in_every_export(
    store: Store, lessons: LessonSet
) -> None:
    title, cause = "=1+1 day", "'=already quoted"
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title=title, cause=cause))
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="@group"))
    lesson = lessons.lessons[0]
    answers = ["-2 votes", "'+1 from us", "''=x", "'tis so"]
    store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[
            ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=text)
            for prompt, text in zip(lesson.prompts, answers, strict=False)
        ],
    )
    data = export.collect(store, workshop_id=workshop.id, lessons=lessons)
    written = answers[: len(lesson.prompts)]

    # XLSX: the About sheet's title and cause, and every answer, are string cells.
    book = load_workbook(io.BytesIO(export.xlsx(data)))
    about = {row[0].value: row[1] for row in book["About"].iter_rows()}
    assert (about["Workshop"].value, about["Workshop"].data_type) == (title, "s")
    assert (about["Cause or movement"].value, about["Cause or movement"].data_type) == (cause, "s")
    sheet = book["Reflections"]
    column = [c.value for c in sheet[1]].index("Answer")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(written)
    assert all(c.data_type == "s" for c in cells)

    # CSV: guarded so no cell starts a formula, and the inverse gives back every text.
    archive = zipfile.ZipFile(io.BytesIO(export.csv_zip(data)))
    name = next(n for n in archive.namelist() if n.endswith("reflections.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert not any(r["Answer"].startswith(FORMULA_START) for r in rows)
    assert not any(r["Group"].startswith(FORMULA_START) for r in rows)
    assert sorted(cell_text(r["Answer"]) for r in rows) == sorted(written)
    assert {cell_text(r["Group"]) for r in rows} == {"@group"}


def test_a_danish_summary_says_the_rooms_words_dates_and_numbers_in_danish(
    filled: tuple[Store, int], lessons: LessonSet
) -> None:
    """The walk-through found English "shown"/"hidden", "3.0" hours and an ISO date in a
    Danish workshop's files: each is now in the workshop's language, and the summary still
    leaves out the hidden answer (it reads the status back from the Danish word)."""
    store, workshop_id = filled
    made = dt.datetime(2026, 12, 5, 0, 33)
    data = export.collect(store, workshop_id=workshop_id, lessons=lessons, language="da", now=made)
    assert sorted(r[7] for r in data.reflections.rows) == ["skjult", "vist", "vist"]
    page = summary_html.html_summary(data, language="da")
    assert "Unkind remark" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # a shown answer is listed
    assert "5. dec. 2026 00:33" in page
    assert "<td>4,5</td>" in page and "<td>2</td>" in page  # hours as Danish writes them
    assert "4.5" not in page
    # The map's wide table scrolls in its own box on a phone rather than widening the page.
    assert '<div class="scroll"><table class="data">' in page


@pytest.mark.parametrize("language", ["en", "da"])
def test_xlsx_times_and_dates_are_date_cells_and_csv_keeps_them_as_text(
    filled: tuple[Store, int], lessons: LessonSet, language: str
) -> None:
    """A facilitator sorts and filters by date in Excel or LibreOffice: times (UTC, as the
    headings say) and dates are date cells with a date format, in either language; the CSV
    files keep them as text ("2025-06-01", "2026-12-05 00:33")."""
    store, workshop_id = filled
    made = dt.datetime(2026, 12, 5, 0, 33, 17)
    data = export.collect(
        store, workshop_id=workshop_id, lessons=lessons, language=language, now=made
    )
    _ = i18n.gettext_for(language)
    book = load_workbook(io.BytesIO(export.xlsx(data)))

    def column(sheet_name: str, heading: str) -> list[Cell]:
        sheet = book[_(sheet_name)]
        index = [c.value for c in sheet[1]].index(_(heading))
        return [row[index] for row in sheet.iter_rows(min_row=2)]

    written = column("Reflections", "Written (UTC)")
    changed = column("Ratings", "Last changed (UTC)")
    assert len(written) == 3 and len(changed) == 2
    for cell in (*written, *changed):
        assert isinstance(cell.value, dt.datetime) and cell.is_date, cell.value
        assert cell.number_format == "yyyy-mm-dd hh:mm"
    [by_when] = column("Commitments", "By when")
    assert by_when.is_date and by_when.value == dt.datetime(2025, 6, 1)
    assert by_when.number_format == "yyyy-mm-dd"
    about = {row[0].value: row[1] for row in book[_("About")].iter_rows()}
    exported = about[_("Exported (UTC)")]
    assert exported.value == made and exported.number_format == "yyyy-mm-dd hh:mm"

    archive = zipfile.ZipFile(io.BytesIO(export.csv_zip(data)))

    def csv_rows(file: str) -> list[dict[str, str]]:
        name = next(n for n in archive.namelist() if n.endswith(f"/{file}.csv"))
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    texts = sorted(r[_("Written (UTC)")] for r in csv_rows("reflections"))
    assert texts == sorted(f"{c.value:%Y-%m-%d %H:%M}" for c in written)
    assert [r[_("By when")] for r in csv_rows("commitments")] == ["2025-06-01"]
    assert {r[_("About")]: r[_("Value")] for r in csv_rows("about")}[
        _("Exported (UTC)")
    ] == "2026-12-05 00:33"
