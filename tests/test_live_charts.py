"""The live room as figures and bars: the summary's figure (workbook.charts.live) and the
projector's HTML bars (workbook.ui.projector_bars): plain data in, readable output out."""

from __future__ import annotations

from workbook.charts import live as charts
from workbook.live import Distribution, GroupMean
from workbook.ui import projector_bars as bars


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


def test_projector_bars_keep_names_apart_from_numbers_and_escape_them() -> None:
    means = [GroupMean(1, "<i>Table</i> 1", 3.25, 4), GroupMean(2, "Table 2", None, 0)]
    page = bars.bars_html(
        bars.mean_bars([(m.group_name, m.mean) for m in means], code="en"), label="x"
    )
    assert "<i>Table" not in page and "&lt;i&gt;Table&lt;/i&gt; 1" in page
    # The name, its bar and its number are separate elements: never "Table 1 3.2" run together.
    assert 'data-testid="wbp-bar-name" title="&lt;i&gt;Table&lt;/i&gt; 1"' in page
    assert '<span class="wbp-value" data-testid="wbp-bar-value">3.2</span>' in page
    assert '<span class="wbp-value wbp-none" data-testid="wbp-bar-value">not yet</span>' in page
    counts = bars.bars_html(bars.count_bars([("A" * 80, 3), ("B", 0)], top=3, code="en"), label="x")
    assert 'title="' + "A" * 80 + '"' in counts  # the whole name, for a long one cut by CSS
    assert "width:100.0%" in counts and "width:0.0%" in counts


def test_the_projector_distribution_marks_the_average_in_a_row_of_its_own() -> None:
    page = bars.distribution_html(
        Distribution((0, 1, 2, 1, 0)), low="<b>No</b>", high="Yes", code="en"
    )
    assert page.count('data-testid="wbp-dist-value"') == 5
    assert "average 3.0" in page and "left:50.0%" in page
    assert "<b>No</b>" not in page and "&lt;b&gt;No&lt;/b&gt;" in page
