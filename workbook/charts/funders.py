"""Figures of the funder view: published figures with their margins in, plotly figures out.

Every row is a bar (or a dot) with its 90% margin drawn as an error bar. Above it, its name,
and under the name, in grey and as a separate piece of text, its figure ("3.1 ± 0.2"), so long
statements stay readable on a phone and a name is never glued to a number. A figure with too
few groups behind it keeps its row: an empty, outlined slot saying "too few groups to say",
so a chart never comes out empty because a filter is on, and never says more than its table.
Values sent to the browser are rounded to what is shown. Titles are left to the page (they
wrap there). Labels are lesson statements, finding and kind names, rating numbers, and
phrases (made of words only); each is escaped all the same, so nothing in one, a stray "<"
or "&" included, is ever read as plotly's label markup.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from workbook.charts.theme import PALETTE, SPECTRUM_COLOURS, plain_text, styled
from workbook.i18n import DEFAULT, decimal_sign, gettext_for
from workbook.release.view import TOO_FEW, count_text, mean_text

FONT = 16
LINE = 21  # px per line of label text
BAR = 24  # px of bar thickness
WRAP = 38  # characters per label line: fits a 390 px phone
SHORT = 34  # characters of figures on one line (smaller grey type, but digits are wide)
LABEL_BACK = "rgba(255,255,255,0.92)"  # behind names and figures: gridlines pass under them
SLOT_FILL = "#F3F3F3"
SLOT_LINE = "#B8B8B8"
ERROR = "#333333"
# Low ratings warm, high ratings blue: the spectrum scale, colour-blind safe.
RATING_COLOURS = dict(zip((1, 2, 3, 4, 5), SPECTRUM_COLOURS, strict=True))


@dataclass(frozen=True)
class Bar:
    """One row of a chart: its name, its value (None: too few groups to say) and 90% margin,
    in the chart's unit (1-5 scale, percent, or groups)."""

    label: str
    value: float | None
    margin: float = 0.0
    colour: str | None = None
    # How many groups stand behind it (a count and its margin; None: too few to say).
    groups: tuple[float | None, float] | None = None


def wrap(text: str, width: int = WRAP) -> str:
    """Break a long label into lines, each escaped for plotly (which reads <b>, <a href>,
    <br> and entities in labels): cut first, so an escape is never cut in half."""
    lines = textwrap.wrap(text, width=width) or [text]
    return "<br>".join(plain_text(line) for line in lines)


def _rounded(rows: Sequence[Bar], digits: int) -> list[Bar]:
    out = []
    for row in rows:
        groups = row.groups
        if groups is not None:
            count, spread = groups
            groups = (None, 0.0) if count is None else (round(count), max(1, round(spread)))
        if row.value is None or not math.isfinite(row.value):
            out.append(Bar(row.label, None, 0.0, row.colour, groups))
        else:
            margin = row.margin if math.isfinite(row.margin) else 0.0
            out.append(
                Bar(row.label, round(row.value, digits), round(margin, digits), row.colour, groups)
            )
    return out


def _detail(
    row: Bar, text: Callable[[float, float], str], groups_word: str, code: str = DEFAULT
) -> str:
    """The row's figure and how many groups are behind it, in one or two lines (a figure with
    too few groups says so in its slot instead; the count may still be known)."""
    parts = [] if row.value is None else [text(row.value, row.margin)]
    if row.groups is not None:
        count, spread = row.groups
        if count is not None:
            parts.append(f"{count_text(count, spread, code)} {groups_word}")
        elif row.value is not None:
            parts.append(f"{groups_word}: {gettext_for(code)(TOO_FEW)}")
    joiner = " · " if sum(len(p) for p in parts) + 3 * (len(parts) - 1) <= SHORT else "<br>"
    return joiner.join(parts)


def _lines(text: str) -> int:
    return 0 if not text else text.count("<br>") + 1


def _draw(
    fig: go.Figure,
    rows: Sequence[Bar],
    *,
    kind: str,
    colour: str,
    low: float,
    high: float,
    text: Callable[[float, float], str],
    hover: str,
    clip: tuple[float, float] | None = None,
    groups_word: str,
    code: str = DEFAULT,
) -> None:
    """The rows as bars (kind "bar", from 0) or dots (kind "dot"), each with its margin as an
    error bar clipped to the axis [low, high]; its name above it, its figure under the name,
    and an outlined slot where a figure has too few groups behind it. `clip` is the range a
    true value can take (a margin never reaches past it); default the axis."""
    floor, ceiling = clip or (low, high)
    keys = [str(i) for i in range(len(rows))]
    names = [wrap(row.label) for row in rows]
    details = [_detail(row, text, groups_word, code) for row in rows]
    lines = max(
        (_lines(n) + _lines(d) for n, d in zip(names, details, strict=True)),
        default=1,
    )
    row_px = lines * LINE + BAR + 16
    known = [(key, row) for key, row in zip(keys, rows, strict=True) if row.value is not None]
    xs = [row.value for _, row in known]
    plus = [round(max(0.0, min(row.margin, ceiling - (row.value or 0))), 2) for _, row in known]
    minus = [round(max(0.0, min(row.margin, (row.value or 0) - floor)), 2) for _, row in known]
    colours = [row.colour or colour for _, row in known]
    error = {
        "type": "data",
        "symmetric": False,
        "array": plus,
        "arrayminus": minus,
        "color": ERROR,
        "thickness": 2,
        "width": 7,
    }
    custom = [[row.margin] for _, row in known]
    if kind == "bar":
        fig.add_trace(
            go.Bar(
                y=[key for key, _ in known],
                x=xs,
                base=0,
                orientation="h",
                marker_color=colours,
                error_x=error,
                customdata=custom,
                hovertemplate=hover,
                showlegend=False,
            )
        )
    else:
        fig.add_trace(
            go.Scatter(
                y=[key for key, _ in known],
                x=xs,
                mode="markers",
                marker={
                    "color": colours,
                    "size": 18,
                    "line": {"width": 1.5, "color": "#FFFFFF"},
                },
                error_x=error,
                customdata=custom,
                hovertemplate=hover,
                showlegend=False,
            )
        )
    # Keep every row on the axis, even when all of them have too few groups.
    fig.add_trace(
        go.Scatter(y=keys, x=[None] * len(keys), mode="markers", showlegend=False, hoverinfo="skip")
    )
    grey = PALETTE["grey"]
    half = BAR / row_px / 2
    for index, (key, name, detail, row) in enumerate(zip(keys, names, details, rows, strict=True)):
        fig.add_annotation(
            x=0,
            xref="paper",
            y=key,
            text=name,
            xanchor="left",
            yanchor="bottom",
            align="left",
            yshift=BAR // 2 + 4 + LINE * _lines(detail),
            showarrow=False,
            font={"size": FONT},
            bgcolor=LABEL_BACK,
        )
        if detail:
            fig.add_annotation(
                x=0,
                xref="paper",
                y=key,
                text=detail,
                xanchor="left",
                yanchor="bottom",
                align="left",
                yshift=BAR // 2 + 4,
                showarrow=False,
                font={"size": FONT - 1, "color": grey},
                bgcolor=LABEL_BACK,
            )
        if row.value is None:
            fig.add_annotation(
                x=0.5,
                xref="paper",
                y=key,
                text=gettext_for(code)(TOO_FEW),
                xanchor="center",
                yanchor="middle",
                showarrow=False,
                font={"size": FONT - 1, "color": grey},
                bgcolor=SLOT_FILL,
            )
            fig.add_shape(
                type="rect",
                xref="paper",
                x0=0,
                x1=1,
                yref="y",
                y0=index - half,
                y1=index + half,
                fillcolor=SLOT_FILL,
                line={"color": SLOT_LINE, "width": 1, "dash": "dot"},
                layer="below",
            )
    fig.update_yaxes(
        type="category",
        autorange="reversed",
        showticklabels=False,
        ticks="",
        showgrid=False,
        zeroline=False,
        categoryorder="array",
        categoryarray=keys,
        range=[len(keys) - 0.5, -0.5 - (lines * LINE) / row_px],
    )
    fig.update_xaxes(range=[low, high], fixedrange=True)
    fig.update_layout(
        bargap=1 - BAR / row_px,
        height=16 + 80 + row_px * max(1, len(keys)) + lines * LINE,
        margin={"l": 24, "r": 30, "t": 16, "b": 64},
        font={"size": FONT},
        showlegend=False,
        # Axis ticks and hover figures with the language's decimal and thousands signs.
        separators=decimal_sign(code) + ("." if decimal_sign(code) == "," else ","),
    )


def means_chart(
    rows: Sequence[Bar],
    *,
    axis_title: str | None = None,
    groups_word: str | None = None,
    code: str = DEFAULT,
) -> go.Figure:
    """Mean ratings on the 1-5 scale: a dot per row with its 90% margin (words in the
    language `code`; the page passes its own axis title and groups word already in it)."""
    _ = gettext_for(code)
    rows = _rounded(rows, 2)
    fig = go.Figure()
    _draw(
        fig,
        rows,
        kind="dot",
        colour=PALETTE["blue"],
        low=0.8,
        high=5.2,
        text=lambda v, m: _("mean {figure}").format(figure=mean_text(v, m, code=code)),
        hover=_("mean {figure}").format(figure="%{x:.2f} ± %{customdata[0]:.2f}")
        + "<extra></extra>",
        clip=(1, 5),
        groups_word=groups_word or _("group ratings"),
        code=code,
    )
    fig.update_xaxes(tickvals=[1, 2, 3, 4, 5], title=axis_title or _("Mean rating (1-5)"))
    return styled(fig)


def share_top(rows: Sequence[Bar]) -> int:
    """Where a shares axis ends: the next ten past the furthest reach of a bar and its margin
    (with room for the margin's cap), at least 20 and at most 100. A fixed 0-100% axis left
    typical shares (none past 45%) in the left half of a phone's width."""
    reach = max(
        (min(100.0, row.value + row.margin) for row in rows if row.value is not None),
        default=0.0,
    )
    return int(min(100, max(20, math.ceil((reach + 2) / 10) * 10)))


def shares_chart(
    rows: Sequence[Bar], *, axis_title: str, colour: str = PALETTE["blue"], code: str = DEFAULT
) -> go.Figure:
    """Shares in percent: a bar per row with its 90% margin in points, on an axis from 0 to
    just past the longest bar with its margin (`share_top`), so the bars fill the width."""
    _ = gettext_for(code)
    rows = _rounded(rows, 0)
    top = share_top(rows)
    percent = "\u00a0%" if code == "da" else "%"  # Danish writes 42 %
    fig = go.Figure()
    _draw(
        fig,
        rows,
        kind="bar",
        colour=colour,
        low=0,
        high=top,
        clip=(0, 100),
        text=lambda v, m: _("{share} ± {points} pts").format(
            share=f"{v:.0f}{percent}", points=f"{max(1.0, m):.0f}"
        ),
        hover=_("{share} ± {points} pts").format(
            share="%{x:.0f}" + percent, points="%{customdata[0]:.0f}"
        )
        + "<extra></extra>",
        groups_word=_("groups"),
        code=code,
    )
    fig.update_xaxes(ticksuffix=percent, title=axis_title)
    return styled(fig)


def distribution_chart(
    shares: Sequence[float | None], margins: Sequence[float], code: str = DEFAULT
) -> go.Figure:
    """The share of group ratings at each rating, 1 to 5, in the spectrum's colours."""
    _ = gettext_for(code)
    rows = [
        Bar(_("Rated {rating}").format(rating=b), share, margin, RATING_COLOURS[b])
        for b, share, margin in zip((1, 2, 3, 4, 5), shares, margins, strict=True)
    ]
    return shares_chart(rows, axis_title=_("Share of group ratings"), code=code)


def change_chart(rows: Sequence[Bar], code: str = DEFAULT) -> go.Figure:
    """Mean change (follow-up minus first look, 1-5 scale): bars diverging from zero, blue
    for a rise and vermillion for a fall, each with its 90% margin."""
    _ = gettext_for(code)
    rows = _rounded(rows, 2)
    coloured = [
        Bar(
            r.label,
            r.value,
            r.margin,
            None
            if r.value is None
            else (PALETTE["blue"] if r.value >= 0 else PALETTE["vermillion"]),
            r.groups,
        )
        for r in rows
    ]
    reach = max([0.5, *(abs(r.value) + r.margin for r in rows if r.value is not None)], default=0.5)
    limit = round(reach * 1.15 + 0.05, 1)
    # At most seven ticks: they must not tilt on a phone.
    step = next((step for step in (0.25, 0.5, 1.0) if limit / step <= 3.01), 2.0)
    ticks = [round(i * step, 2) for i in range(-int(limit / step), int(limit / step) + 1)]
    fig = go.Figure()
    _draw(
        fig,
        coloured,
        kind="bar",
        colour=PALETTE["blue"],
        low=-limit,
        high=limit,
        text=lambda v, m: mean_text(v, m, signed=True, code=code),
        hover="%{x:+.2f} ± %{customdata[0]:.2f}<extra></extra>",
        clip=(-4, 4),
        groups_word=_("returning groups"),
        code=code,
    )
    fig.update_xaxes(
        title=_("Mean change (1-5 scale)"),
        zeroline=True,
        zerolinecolor="#555555",
        zerolinewidth=2,
        tickvals=ticks,
        ticktext=["0" if t == 0 else f"{t:+g}".replace(".", decimal_sign(code)) for t in ticks],
    )
    return styled(fig)


def counts_chart(rows: Sequence[Bar], *, axis_title: str, code: str = DEFAULT) -> go.Figure:
    """Counts of groups: a bar per row with its 90% margin."""
    _ = gettext_for(code)
    rows = _rounded(rows, 0)
    high = max([1.0, *(r.value + r.margin for r in rows if r.value is not None)])
    fig = go.Figure()
    _draw(
        fig,
        rows,
        kind="bar",
        colour=PALETTE["green"],
        low=0,
        high=high * 1.05,
        text=lambda v, m: _("{figure} groups").format(figure=count_text(v, m, code)),
        hover=_("{figure} groups").format(figure="%{x:,.0f} ± %{customdata[0]:,.0f}")
        + "<extra></extra>",
        groups_word=_("groups"),
        code=code,
    )
    fig.update_xaxes(title=axis_title)
    return styled(fig)
