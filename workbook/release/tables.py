"""The funder view's tables and exports: a pandas frame behind every chart, and CSV/XLSX files.

Numbers stay numbers, rounded to what the page shows: counts as whole numbers, means and
changes to 2 decimals (1-5 scale), shares as whole percentages. Each figure's 90% margin is a
column of its own beside it. A figure with too few groups behind it leaves its value and
margin cells empty, and the row's "Note" (text) says which figures are missing and why; no
numeric column ever holds a word. Text is never run as a spreadsheet formula: CSV text cells
go through `workbook.export.spreadsheet_safe`, XLSX text is stored as text cells.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from workbook.export import spreadsheet_safe
from workbook.i18n import DEFAULT, N_, format_decimal, gettext_for
from workbook.release.view import (
    BARS,
    MEAN_LIMIT,
    SHARE_LIMIT,
    TOO_FEW,
    Change,
    Estimate,
    Guarantee,
    Maps,
    Rating,
)

NOTE = N_("Note")
COUNT = "Int64"  # whole numbers; empty where too few groups


# --- one figure as table cells -----------------------------------------------------------------


def count_cells(estimate: Estimate) -> tuple[int | None, int | None]:
    """A count and its margin as shown: whole numbers, the margin at least 1."""
    if estimate.value is None:
        return None, None
    return round(estimate.value), max(1, round(estimate.margin))


def mean_cells(estimate: Estimate) -> tuple[float | None, float | None]:
    """A mean or change (1-5 scale) and its margin, to 2 decimals."""
    if estimate.value is None:
        return None, None
    return round(estimate.value, 2), round(estimate.margin, 2)


def share_cells(estimate: Estimate) -> tuple[int | None, int | None]:
    """A share as a whole percentage, its margin in whole percentage points."""
    if estimate.value is None:
        return None, None
    return round(estimate.value * 100), round(estimate.margin * 100)


def _note(missing: Sequence[str], code: str = DEFAULT) -> str:
    if not missing:
        return ""
    return f"{gettext_for(code)(TOO_FEW)}: " + ", ".join(missing)


def _frame(
    records: list[dict[str, object]],
    columns: Sequence[str],
    *,
    counts: Sequence[str] = (),
    decimals: Sequence[str] = (),
) -> pd.DataFrame:
    """Records as a frame: `counts` as whole numbers (nullable), `decimals` as floats (NaN
    where missing), every other column text."""
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    for column in counts:
        frame[column] = pd.array(frame[column].astype(object), dtype=COUNT)
    for column in decimals:
        frame[column] = pd.to_numeric(frame[column].astype(object), errors="raise").astype(
            "float64"
        )
    return frame


# --- the frames behind the charts ----------------------------------------------------------------
# Column headers and notes in the reader's language (`code`): the page's tables and the CSV
# and XLSX downloads of the same figures.


def _rated(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    _ = gettext_for(code)
    return (
        tuple(
            _("Rated {rating} ({percent} of group ratings)").format(rating=b, percent="%")
            for b in BARS
        ),
        tuple(_("Rated {rating} margin (pts)").format(rating=b) for b in BARS),
    )


def rating_frame(
    ratings: Sequence[Rating],
    lesson_titles: Mapping[str, str] | None = None,
    code: str = DEFAULT,
) -> pd.DataFrame:
    """One row per key finding (or per statement, with its lesson): group ratings, mean and
    the share of group ratings at 1..5, each with its margin."""
    _ = gettext_for(code)
    rated, rated_margin = _rated(code)
    lesson, statement, finding = _("Lesson"), _("Statement"), _("Key finding")
    groups, groups_margin = _("Group ratings"), _("Group ratings margin")
    mean, mean_margin = _("Mean (1-5)"), _("Mean margin")
    note = _(NOTE)
    statements = any(not r.is_finding for r in ratings)
    labels = [lesson, statement, finding] if statements else [finding]
    columns = [
        *labels,
        groups,
        groups_margin,
        mean,
        mean_margin,
        *(c for pair in zip(rated, rated_margin, strict=True) for c in pair),
        note,
    ]
    counts = [groups, groups_margin, *rated, *rated_margin]
    records = []
    for rating in ratings:
        record: dict[str, object] = {}
        if statements:
            lesson_id = rating.measure.split("/", 1)[0]
            record[lesson] = (lesson_titles or {}).get(lesson_id, lesson_id)
            record[statement] = rating.label
        record[finding] = _(rating.finding.label)
        missing = []
        record[groups], record[groups_margin] = count_cells(rating.groups)
        if rating.groups.value is None:
            missing.append(_("group ratings"))
        record[mean], record[mean_margin] = mean_cells(rating.mean)
        if rating.mean.value is None:
            missing.append(_("mean"))
        for b, share, column, margin in zip(BARS, rating.bars, rated, rated_margin, strict=True):
            record[column], record[margin] = share_cells(share)
            if share.value is None:
                missing.append(_("rated {rating}").format(rating=b))
        record[note] = _note(missing, code)
        records.append(record)
    return _frame(records, columns, counts=counts, decimals=[mean, mean_margin])


def distribution_frame(rating: Rating, code: str = DEFAULT) -> pd.DataFrame:
    """One finding's or statement's five bars: the share of group ratings at each rating."""
    _ = gettext_for(code)
    columns = [_("Rating"), _("Share of group ratings (%)"), _("Margin (pts)"), _(NOTE)]
    records = []
    for b, share in zip(BARS, rating.bars, strict=True):
        value, margin = share_cells(share)
        records.append(
            dict(
                zip(
                    columns,
                    [b, value, margin, "" if share.value is not None else _(TOO_FEW)],
                    strict=True,
                )
            )
        )
    return _frame(records, columns, counts=columns[:3])


def change_frame(changes: Sequence[Change], code: str = DEFAULT) -> pd.DataFrame:
    """Per key finding: the groups that rated themselves twice and their mean change."""
    _ = gettext_for(code)
    columns = [
        _("Key finding"),
        _("Returning groups"),
        _("Returning groups margin"),
        _("Mean change (1-5 scale)"),
        _("Mean change margin"),
        _(NOTE),
    ]
    records = []
    for change in changes:
        missing = []
        groups, groups_margin = count_cells(change.groups)
        if change.groups.value is None:
            missing.append(_("returning groups"))
        value, margin = mean_cells(change.change)
        if change.change.value is None:
            missing.append(_("mean change"))
        cells = [_(change.finding.label), groups, groups_margin, value, margin]
        records.append(dict(zip(columns, [*cells, _note(missing, code)], strict=True)))
    return _frame(records, columns, counts=columns[1:3], decimals=columns[3:5])


def kinds_frame(maps: Maps, code: str = DEFAULT) -> pd.DataFrame:
    """Per stakeholder kind: the share of maps that include it, the kinds most often lacking
    first (a kind with too few groups to say last)."""
    _ = gettext_for(code)
    columns = [_("Stakeholder kind"), _("Maps that include it (%)"), _("Margin (pts)"), _(NOTE)]
    records = []
    for kind, share in kinds_in_order(maps):
        value, margin = share_cells(share)
        note = "" if share.value is not None else _(TOO_FEW)
        records.append(dict(zip(columns, [_(kind), value, margin, note], strict=True)))
    return _frame(records, columns, counts=columns[1:3])


def kinds_in_order(maps: Maps) -> list[tuple[str, Estimate]]:
    known = sorted((k for k in maps.kinds if k[1].value is not None), key=lambda k: k[1].value)
    return known + [k for k in maps.kinds if k[1].value is None]


def phrase_frame(phrases: Sequence[tuple[str, Estimate]], code: str = DEFAULT) -> pd.DataFrame:
    """How many groups used each phrase (noisy), with its margin."""
    _ = gettext_for(code)
    columns = [_("Phrase"), _("Groups using it"), _("Groups margin")]
    records = []
    for phrase, estimate in phrases:
        records.append(dict(zip(columns, [phrase, *count_cells(estimate)], strict=True)))
    return _frame(records, columns, counts=columns[1:])


# --- exports ------------------------------------------------------------------------------------

FILTER_COLUMNS = (N_("Period"), N_("Cause or movement"), N_("Region"))


def with_filters(
    frame: pd.DataFrame, *, period: str, cause: str, region: str, code: str = DEFAULT
) -> pd.DataFrame:
    """An export's rows, each saying which period, cause and region it covers."""
    _ = gettext_for(code)
    out = frame.copy()
    for name, value in reversed(list(zip(FILTER_COLUMNS, (period, cause, region), strict=True))):
        out.insert(0, _(name), value)
    return out


def export_note(
    guarantee: Guarantee, showing: str, releases: Sequence[str], code: str = DEFAULT
) -> str:
    """The "About" sheet of an XLSX export."""
    _ = gettext_for(code)
    return "\n".join(
        [
            _(
                "Movement Workbook: funder figures, from workshops that chose to share with "
                "funders."
            ),
            _("Filters: {showing}.").format(showing=showing),
            _("Releases: {releases}.").format(releases="; ".join(releases)),
            _(
                "Every figure carries random noise (differential privacy, made with OpenDP) so "
                "that no one can be sure from the figures what one group answered or whether it "
                "took part. A release that replaces an earlier one of the same year measures "
                "again: its figures differ from the earlier ones by their noise."
            ),
            _(
                "Each 'margin' column is the half-width of the figure's 90% interval: the "
                "figure without noise lies within value ± margin 9 times out of 10."
            ),
            _(
                "An empty value with '{too_few}' in the {note} column: its margin was wider "
                "than ± {mean_limit} (means and changes, 1-5 scale) or ± {share_limit} points "
                "(shares), or a count was smaller than its margin."
            ).format(
                too_few=_(TOO_FEW),
                note=_(NOTE),
                mean_limit=format_decimal(MEAN_LIMIT, code, digits=1),
                share_limit=f"{SHARE_LIMIT * 100:.0f}",
            ),
            _(
                "Counts are whole numbers; means and changes are on the 1-5 rating scale; "
                "shares are percentages."
            ),
            _(
                "Privacy budget: zCDP rho {per_release} per group per release, at most "
                "{lifetime} per group over all releases (epsilon {epsilon} at delta {delta})."
            ).format(
                per_release=f"{guarantee.rho_per_release:.3g}",
                lifetime=f"{guarantee.lifetime_rho:.3g}",
                epsilon=format_decimal(guarantee.epsilon, code, digits=1),
                delta=f"{guarantee.epsilon_delta:.0e}",
            ),
        ]
    )


def _cell(value: object) -> object:
    """A plain Python value for a file: None for missing, numbers as int or float."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    return [[_cell(v) for v in row] for row in frame.astype(object).itertuples(index=False)]


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with a byte-order mark, so spreadsheets read accents right); missing values
    are empty cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(str(c)) for c in frame.columns])
    for row in _rows(frame):
        # Text a spreadsheet would run as a formula gets a leading apostrophe.
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, *, sheet: str, note: str = "") -> bytes:
    """An XLSX workbook of one sheet (numbers as numbers, text as text cells, which a
    spreadsheet never runs as formulas); `note` goes in a second sheet, "About"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Figures"
    page.append([str(c) for c in frame.columns])
    for cell in page[1]:
        cell.font = Font(bold=True)
    for row in _rows(frame):
        page.append(row)
        for cell in page[page.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
    page.freeze_panes = "A2"
    for column in page.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        page.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    if note:
        about = book.create_sheet("About")
        for line in note.splitlines():
            about.append([line])
            about.cell(row=about.max_row, column=1).data_type = "s"
        about.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The stakeholder kinds (workbook.models.STAKEHOLDER_KINDS, stored in English) for the catalog:
# the funder tables and charts show them in the reader's language.
KIND_WORDS = (
    N_("People with lived experience"),
    N_("Community group"),
    N_("Ally organisation"),
    N_("Non-traditional ally"),
    N_("Institution or decision-maker"),
    N_("Funder"),
    N_("Media"),
    N_("Dissenter or critic"),
)
