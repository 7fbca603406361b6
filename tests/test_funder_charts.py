"""The funder charts and tables on plain figures: every shown value carries its margin as an
error bar, a figure with too few groups keeps its row as a labelled slot, values reach the
browser rounded as shown, and tables keep numbers apart from words."""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import load_workbook

from workbook.charts import funders as charts
from workbook.charts.funders import Bar
from workbook.models import KeyFinding
from workbook.release import tables
from workbook.release.view import TOO_FEW, Change, Estimate


def texts(figure: object) -> list[str]:
    return [a.text for a in figure.layout.annotations]  # type: ignore[attr-defined]


def test_every_shown_mean_has_its_margin_and_a_hidden_one_keeps_a_labelled_slot() -> None:
    figure = charts.means_chart(
        [
            Bar("First statement", 3.14159, 0.23456, groups=(812.4, 137.9)),
            Bar("Second statement", None, math.inf, groups=(None, 70.0)),
            Bar("Third statement", 4.9, 0.4),
        ]
    )
    [dots] = [t for t in figure.data if t.x and any(v is not None for v in t.x)]
    assert list(dots.x) == [3.14, 4.9]  # rounded to what is shown; the hidden row has no dot
    assert list(dots.error_x.array) == [0.23, 0.1]  # the second clipped at 5, the top of the scale
    assert list(dots.error_x.arrayminus) == [0.23, 0.4]
    # Every row stays on the axis, in order.
    assert list(figure.layout.yaxis.categoryarray) == ["0", "1", "2"]
    shown = texts(figure)
    assert "First statement" in shown and "Second statement" in shown
    assert "mean 3.1 ± 0.2<br>812 ± 138 group ratings" in shown  # names and figures apart
    assert shown.count(TOO_FEW) == 1 and len(figure.layout.shapes) == 1
    assert figure.layout.shapes[0].y0 < 1 < figure.layout.shapes[0].y1  # the second row's slot


def test_a_chart_with_every_figure_hidden_is_not_empty() -> None:
    figure = charts.change_chart([Bar("Early actions", None), Bar("Diverse voices", None)])
    assert texts(figure).count(TOO_FEW) == 2
    assert len(figure.layout.shapes) == 2
    assert figure.layout.height > 150


def test_changes_diverge_from_zero_with_their_margins() -> None:
    figure = charts.change_chart(
        [Bar("Rise", 0.314, 0.2, groups=(400.0, 50.0)), Bar("Fall", -0.2, 0.15)]
    )
    [bars] = [t for t in figure.data if t.type == "bar"]
    assert list(bars.x) == [0.31, -0.2]
    assert list(bars.error_x.array) == [0.2, 0.15]
    assert bars.marker.color[0] != bars.marker.color[1]
    low, high = figure.layout.xaxis.range
    assert low == -high and high >= 0.51
    assert "0" in figure.layout.xaxis.ticktext


def test_shares_are_whole_percentages_clipped_to_0_100() -> None:
    figure = charts.distribution_chart([2.4, 97.6, None, 50.0, 0.0], [8.2, 8.2, 30.0, 5.0, 4.0])
    [bars] = [t for t in figure.data if t.type == "bar"]
    assert list(bars.x) == [2, 98, 50, 0]
    assert list(bars.error_x.arrayminus) == [2, 8, 5, 0]
    assert list(bars.error_x.array) == [8, 2, 5, 4]
    assert texts(figure).count(TOO_FEW) == 1


def test_a_shares_axis_ends_just_past_the_longest_bar_and_its_margin() -> None:
    # Typical shares (none past 45%) fill the width instead of the left half of a 0-100% axis.
    figure = charts.distribution_chart([11.0, 34.0, 36.0, 18.0, 0.0], [6.0] * 5)
    assert tuple(figure.layout.xaxis.range) == (0, 50)
    [bars] = [t for t in figure.data if t.type == "bar"]
    assert list(bars.error_x.array) == [6, 6, 6, 6, 6]  # no margin cut by the shorter axis
    small = charts.distribution_chart([5.0, 3.0, 1.0, None, 0.0], [2.0] * 5)
    assert tuple(small.layout.xaxis.range) == (0, 20)
    assert charts.share_top([Bar("All", 97.6, 8.2)]) == 100  # never past 100%
    assert charts.share_top([Bar("Hidden", None)]) == 20


def test_tables_keep_numbers_as_numbers_and_words_in_the_note() -> None:
    changes = [
        Change(KeyFinding.learning, Estimate(120.4, 49.6), Estimate(0.3149, 0.21)),
        Change(KeyFinding.early_actions, Estimate(None, 60.0), Estimate(None, math.inf)),
    ]
    frame = tables.change_frame(changes)
    assert str(frame["Returning groups"].dtype) == "Int64"
    assert frame["Mean change (1-5 scale)"].dtype == "float64"
    assert frame["Returning groups"].tolist()[0] == 120
    assert frame["Returning groups margin"].tolist()[0] == 50
    assert frame["Mean change (1-5 scale)"].tolist()[0] == 0.31
    assert pd.isna(frame["Mean change (1-5 scale)"].iloc[1])
    assert pd.isna(frame["Mean change margin"].iloc[1])  # never inf
    assert frame["Note"].tolist() == ["", f"{TOO_FEW}: returning groups, mean change"]
    csv = tables.to_csv(
        tables.with_filters(frame, period="2024", cause="=HYPERLINK(1)", region="All regions")
    ).decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("Period,Cause or movement,Region,Key finding,Returning groups")
    assert lines[1].startswith("2024,'=HYPERLINK(1),All regions,")  # a formula stays text
    assert ",120,50,0.31,0.21," in lines[1]
    assert lines[2].endswith(f',,,,,"{TOO_FEW}: returning groups, mean change"')


def test_xlsx_keeps_numbers_as_numbers_and_formulas_as_text() -> None:
    frame = tables.with_filters(
        tables.phrase_frame([("long term allies", Estimate(140.4, 21.7))]),
        period="All years",
        cause="=HYPERLINK(1)",
        region="All regions",
    )
    book = load_workbook(io.BytesIO(tables.to_xlsx(frame, sheet="phrases", note="About it")))
    rows = list(book.worksheets[0].iter_rows())
    assert [c.value for c in rows[0]] == [
        "Period",
        "Cause or movement",
        "Region",
        "Phrase",
        "Groups using it",
        "Groups margin",
    ]
    cause, count, margin = rows[1][1], rows[1][4], rows[1][5]
    assert cause.value == "=HYPERLINK(1)" and cause.data_type == "s"  # text, not a formula
    assert (count.value, margin.value) == (140, 22) and type(count.value) is int
    assert book["About"]["A1"].value == "About it"
