"""Projector figures (workbook.charts.live): plain data in, readable figure out."""

from __future__ import annotations

from workbook.charts import live as charts
from workbook.live import Distribution, GroupCount, GroupMean


def test_rating_distribution_has_one_bar_per_rating_and_marks_the_average() -> None:
    fig = charts.rating_distribution(
        Distribution((1, 0, 2, 0, 3)), low="Never", high="<b>Always</b>"
    )
    bar = fig.data[0]
    assert list(bar.x) == [1, 2, 3, 4, 5] and list(bar.y) == [1, 0, 2, 0, 3]
    assert [a.text for a in fig.layout.annotations] == ["average 3.7"]
    assert fig.layout.shapes[0].x0 == fig.layout.shapes[0].x1 == 22 / 6
    ticks = fig.layout.xaxis.ticktext
    assert ticks[0] == "1<br>Never" and "&lt;b&gt;Always&lt;/b&gt;" in ticks[-1]
    assert fig.layout.font.size >= 28 and fig.layout.uniformtext.minsize >= 24


def test_an_empty_distribution_says_so() -> None:
    fig = charts.rating_distribution(Distribution((0, 0, 0, 0, 0)), low="a", high="b")
    assert not fig.data and fig.layout.annotations[0].text == "No ratings yet"


def test_group_bars_escape_names_and_show_groups_without_ratings() -> None:
    means = [GroupMean(1, "<i>Table</i> 1", 3.25, 4), GroupMean(2, "Table 2", None, 0)]
    fig = charts.group_means(means)
    assert list(fig.data[0].y) == ["&lt;i&gt;Table&lt;/i&gt; 1", "Table 2"]
    assert list(fig.data[0].text) == ["3.2", "not yet"]
    counts = charts.answers_per_group([GroupCount(1, "A" * 80, 3), GroupCount(2, "B", 0)])
    assert list(counts.data[0].x) == [3, 0] and len(counts.data[0].y[0]) <= 22
    assert charts.group_means([]).layout.annotations[0].text == "No groups yet"
