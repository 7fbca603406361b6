"""The projector's bars, drawn in HTML: one bar per group (answers given, or its average
rating) and a statement's 1-5 distribution. Read from 6 m: every label is text sized by the
screen's width times the facilitator's text size (CSS variable --wbp-scale, set by
workbook/ui/projector.py), a group's name and its number are separate elements with the bar
between them ("Table 1" ... "0", never "Table 1 0"), and a long name ends in an ellipsis with
the whole name in its title. Names are user text: escaped, in <bdi> (workbook/bidi.py).

(Plotly sized its labels in fixed pixels, so they neither followed the screen's size nor the
facilitator's text size; workbook/charts/live.py keeps the distribution for the summary.)
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from workbook import i18n
from workbook.bidi import bdi
from workbook.live import Distribution, clip
from workbook.models import RATING_MAX, RATING_MIN

SCALE_LABEL_CHARS = 24

CSS = """
<style>
/* Bars, one row per group: name | bar | number, each its own element. */
.wbp-bars { display: grid; grid-template-columns: minmax(0, 38%) minmax(0, 1fr) max-content;
            column-gap: 1vw; row-gap: 0.7vw; align-items: center; margin-top: 0.4vw; }
.wbp-name { font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.6vw, 64px)); font-weight: 700;
            color: #111; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
            min-width: 0; }
.wbp-track { height: calc(var(--wbp-scale, 1) * 1.9vw); background: #E4E7EB;
             border-radius: 0.3vw; min-width: 0; }
.wbp-fill { height: 100%; background: #0072B2; border-radius: 0.3vw; }
.wbp-value { font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.7vw, 68px)); font-weight: 800;
             color: #111; white-space: nowrap; text-align: right;
             font-variant-numeric: tabular-nums; }
.wbp-value.wbp-none { font-weight: 700; color: #333; }
/* A statement's distribution: a column per rating, its count above, its number below. */
.wbp-dist { display: flex; flex-direction: column; }
.wbp-avg-row { position: relative; height: calc(var(--wbp-scale, 1) * 2.4vw); }
.wbp-avg { position: absolute; transform: translateX(-50%); white-space: nowrap;
           font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.7vw, 68px)); font-weight: 800;
           color: #A33B00; }
.wbp-cols { position: relative; display: grid; grid-template-columns: repeat(5, minmax(0, 1fr));
            column-gap: 1.2vw; height: 38vh; align-items: end; }
.wbp-col { display: flex; flex-direction: column; justify-content: flex-end; align-items: center;
           height: 100%; min-width: 0; }
/* Counts sit in front of the average's line, on white, so the line never crosses them. */
.wbp-col .wbp-value { text-align: center; margin-bottom: 0.3vw; position: relative;
                      z-index: 1; background: #fff; padding: 0 0.3em; line-height: 1.2; }
.wbp-col-bar { width: 100%; background: #0072B2; border-radius: 0.3vw 0.3vw 0 0; }
.wbp-col-bar.wbp-zero { background: #BBBBBB; height: 0.3vw; }
.wbp-mean-line { position: absolute; top: 0; bottom: 0; width: 0;
                 border-left: 0.3vw dashed #A33B00; }
.wbp-ticks { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); column-gap: 1.2vw;
             border-top: 0.2vw solid #333; padding-top: 0.4vw; }
.wbp-tick { text-align: center; min-width: 0; }
.wbp-tick b { display: block; font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.8vw, 72px));
              font-weight: 800; line-height: 1.3; }
.wbp-words { display: flex; justify-content: space-between; gap: 2vw; margin-top: 0.2vw; }
.wbp-words span { max-width: 45%; color: #222; font-weight: 700; line-height: 1.3;
                  font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.5vw, 60px)); }
.wbp-words span:last-child { text-align: right; }
</style>
"""


@dataclass(frozen=True)
class Bar:
    """One group's row: its name, how full its bar is (0 to 1) and the number shown."""

    name: str
    share: float
    value: str
    empty: bool = False  # nothing to show yet ("not yet"): said in a quieter style


def _row(bar: Bar) -> str:
    share = max(0.0, min(1.0, bar.share))
    quiet = " wbp-none" if bar.empty else ""
    return (
        f'<span class="wbp-name" data-testid="wbp-bar-name" '
        f'title="{html.escape(bar.name, quote=True)}">{bdi(bar.name)}</span>'
        f'<span class="wbp-track"><span class="wbp-fill" style="display:block; '
        f'width:{share * 100:.1f}%"></span></span>'
        f'<span class="wbp-value{quiet}" data-testid="wbp-bar-value">'
        f"{html.escape(bar.value)}</span>"
    )


def bars_html(bars: Sequence[Bar], *, label: str) -> str:
    """Rows of bars; `label` names the chart for a screen reader."""
    rows = "".join(_row(bar) for bar in bars)
    return (
        f'<div class="wbp-bars" role="img" aria-label="{html.escape(label, quote=True)}" '
        f'data-testid="wbp-bars">{rows}</div>'
    )


def count_bars(counts: Sequence[tuple[str, int]], *, top: int, code: str) -> list[Bar]:
    """Answers per group, against the most any group gave (`top`, over every page); numbers
    written in the language `code` (the room's)."""
    return [
        Bar(name, count / max(1, top), i18n.format_decimal(count, code, 0))
        for name, count in counts
    ]


def mean_bars(means: Sequence[tuple[str, float | None]], *, code: str) -> list[Bar]:
    """Average rating per group, on the 1-5 scale, in the language `code` (3,5 in Danish);
    a group that has not rated says so."""
    _ = i18n.gettext_for(code)
    return [
        Bar(name, mean / RATING_MAX, i18n.format_decimal(mean, code))
        if mean is not None
        else Bar(name, 0.0, _("not yet"), empty=True)
        for name, mean in means
    ]


def distribution_html(result: Distribution, *, low: str, high: str, code: str) -> str:
    """How many gave 1, 2, 3, 4 and 5: a column each, its count above it, the scale's words
    under 1 and 5, the average marked by a dashed line with its number in a row of its own.
    Words and numbers in the language `code` (the room's)."""
    _ = i18n.gettext_for(code)
    top = max(result.counts, default=0)
    columns = []
    for count in result.counts:
        bar = (
            f'<span class="wbp-col-bar" style="height:{count / top * 100:.1f}%"></span>'
            if count and top
            else '<span class="wbp-col-bar wbp-zero"></span>'
        )
        columns.append(
            f'<div class="wbp-col"><span class="wbp-value" data-testid="wbp-dist-value">'
            f"{i18n.format_decimal(count, code, 0)}</span>{bar}</div>"
        )
    average = ""
    line = ""
    if result.mean is not None:
        # Columns share the width equally (gaps are small): rating r's centre is at
        # (r - 0.5) / 5 of it. The label stays inside the chart at 1 and 5.
        at = (result.mean - RATING_MIN + 0.5) / (RATING_MAX - RATING_MIN + 1) * 100
        label_at = min(88.0, max(12.0, at))
        said = _("average {mean}").format(mean=i18n.format_decimal(result.mean, code))
        average = (
            f'<span class="wbp-avg" data-testid="wbp-average" style="left:{label_at:.1f}%">'
            f"{html.escape(said)}</span>"
        )
        line = f'<span class="wbp-mean-line" style="left:{at:.1f}%"></span>'
    ticks = "".join(
        f'<div class="wbp-tick"><b>{value}</b></div>' for value in range(RATING_MIN, RATING_MAX + 1)
    )
    # The scale's words under its ends, each across two columns: whole words at any size.
    words = "".join(
        f"<span>{bdi(clip(word, SCALE_LABEL_CHARS))}</span>" if word else "<span></span>"
        for word in (low, high)
    )
    described = _("Ratings from {low} to {high}: {counts}").format(
        low=RATING_MIN, high=RATING_MAX, counts=", ".join(str(c) for c in result.counts)
    )
    return (
        '<div class="wbp wbp-dist" role="img" data-testid="wbp-distribution" '
        f'aria-label="{html.escape(described, quote=True)}">'
        f'<div class="wbp-avg-row">{average}</div>'
        f'<div class="wbp-cols">{"".join(columns)}{line}</div>'
        f'<div class="wbp-ticks">{ticks}</div><div class="wbp-words">{words}</div></div>'
    )
