"""Figures of the funder view: suppressed figures in, plotly figures out.

Every row is a horizontal bar (or two dots) with its name and its figures written above it,
so long statements stay readable on a phone, like the group results chart. A suppressed
figure is never plotted: its row says "fewer than K groups" instead, so a chart never says
more than its table. Titles are left to the page (they wrap there). Only trusted text goes
into labels: lesson statements, finding and kind names, and phrases, which are made of words
only (letters, digits, apostrophes), so no user text reaches plotly's label markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from workbook.aggregate import (
    BUCKETS,
    ChangeRow,
    Figure,
    MapFigures,
    RatingRow,
    suppressed_text,
)
from workbook.charts.theme import PALETTE, SPECTRUM_COLOURS, styled

# Low ratings warm, high ratings blue: the spectrum scale, colour-blind safe.
BAR_COLOURS = dict(zip(BUCKETS, SPECTRUM_COLOURS, strict=True))
FONT = 16
LINE = 21  # px per line of label text
BAR = 26  # px of bar thickness
WRAP = 38  # characters per label line: fits a 390 px phone


def wrap(text: str, width: int = WRAP) -> str:
    """Break a long label into lines (trusted text only)."""
    return "<br>".join(textwrap.wrap(text, width=width)) or text


def _rows(
    fig: go.Figure,
    keys: Sequence[str],
    names: Sequence[str],
    details: Sequence[str],
    *,
    legend: bool,
) -> None:
    """Write each row's name (and, in grey, its figures) above its bar; size the figure so
    every row has room for the longest name."""
    names = [wrap(name) for name in names]
    details = [wrap(detail) for detail in details]
    lines = max(
        (a.count("<br>") + b.count("<br>") + 2 for a, b in zip(names, details, strict=True)),
        default=2,
    )
    row = lines * LINE + BAR + 16
    grey = PALETTE["grey"]
    for key, name, detail in zip(keys, names, details, strict=True):
        shaded = "<br>".join(
            f"<span style='color:{grey}'>{part}</span>" for part in detail.split("<br>")
        )
        fig.add_annotation(
            x=0,
            xref="paper",
            y=key,
            text=f"{name}<br>{shaded}",
            xanchor="left",
            yanchor="bottom",
            align="left",
            yshift=BAR // 2 + 2,
            showarrow=False,
            font={"size": FONT},
        )
    top = 56 if legend else 16
    fig.update_yaxes(
        autorange="reversed",
        showticklabels=False,
        ticks="",
        showgrid=False,
        categoryorder="array",
        categoryarray=list(keys),
        range=[len(keys) - 0.5, -0.5 - (lines * LINE) / row],
    )
    fig.update_layout(
        bargap=1 - BAR / row,
        height=top + 70 + row * max(1, len(keys)) + lines * LINE,
        margin={"l": 24, "r": 30, "t": top, "b": 60},
        font={"size": FONT},
        showlegend=legend,
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "xanchor": "left",
            "traceorder": "normal",
        },
    )


def distribution_chart(rows: Sequence[RatingRow], k: int) -> go.Figure:
    """One 100% bar per statement or finding: the share of groups at each rating, 1 to 5."""
    fig = go.Figure()
    keys = [row.measure.key for row in rows]
    for position, bucket in enumerate(BUCKETS):
        values = []
        for row in rows:
            share = row.shares[position]
            values.append(None if share.suppressed or share.value is None else share.value * 100)
        fig.add_trace(
            go.Bar(
                y=keys,
                x=values,
                orientation="h",
                name=str(bucket),
                marker_color=BAR_COLOURS[bucket],
                hovertemplate=f"rated {bucket}: %{{x:.0f}}% of groups<extra></extra>",
            )
        )
    details = []
    for row in rows:
        if row.groups.suppressed:
            details.append(suppressed_text(k))
        elif row.groups.value is None:
            details.append("no ratings yet")
        else:
            detail = f"mean {row.mean.value:.1f} · {row.groups.value:,.0f} groups"
            if row.shares[0].one_filter_only:
                detail += " · bars: one filter at a time"
            elif row.shares[0].suppressed:
                detail += f" · bars hidden: one would hold {suppressed_text(k)}"
            details.append(detail)
    _rows(fig, keys, [row.measure.label for row in rows], details, legend=True)
    fig.update_layout(barmode="stack", legend_title_text="Rated")
    fig.update_xaxes(range=[0, 100], ticksuffix="%", title="Share of groups", fixedrange=True)
    return styled(fig)


def change_chart(rows: Sequence[ChangeRow], k: int) -> go.Figure:
    """For groups that rated themselves twice: the mean at the first look and at the latest
    follow-up, joined by a line."""
    fig = go.Figure()
    keys = [row.measure.key for row in rows]
    shown = [row for row in rows if not row.groups.suppressed and row.groups.value]
    for row in shown:
        fig.add_trace(
            go.Scatter(
                x=[row.first_look.value, row.follow_up.value],
                y=[row.measure.key] * 2,
                mode="lines",
                line={"color": PALETTE["grey"], "width": 3},
                showlegend=False,
                hoverinfo="skip",
            )
        )
    for name, colour, pick in (
        ("First look", PALETTE["orange"], lambda r: r.first_look),
        ("Follow-up", PALETTE["blue"], lambda r: r.follow_up),
    ):
        fig.add_trace(
            go.Scatter(
                x=[pick(row).value for row in shown],
                y=[row.measure.key for row in shown],
                mode="markers",
                name=name,
                marker={"color": colour, "size": 16, "line": {"width": 1, "color": "#FFFFFF"}},
                hovertemplate=f"{name}: %{{x:.2f}}<extra></extra>",
            )
        )
    # Invisible points keep every row on the axis, even when all of them are hidden.
    fig.add_trace(go.Scatter(x=[None] * len(keys), y=keys, mode="markers", showlegend=False))
    details = []
    for row in rows:
        if row.groups.suppressed:
            details.append(suppressed_text(k))
        elif not row.groups.value:
            details.append("no group has rated itself twice yet")
        else:
            details.append(
                f"{row.first_look.value:.1f} → {row.follow_up.value:.1f} "
                f"({row.change.value:+.1f}) · {row.groups.value:,.0f} groups"
            )
    _rows(fig, keys, [row.measure.label for row in rows], details, legend=True)
    fig.update_xaxes(
        range=[0.9, 5.1], tickvals=[1, 2, 3, 4, 5], title="Mean rating (1-5)", fixedrange=True
    )
    return styled(fig)


def kinds_chart(figures: MapFigures, k: int) -> go.Figure:
    """Share of maps that include each stakeholder kind, the kinds most often lacking first.
    Hidden kinds come last, with the suppression words."""
    known = sorted(
        (row for row in figures.kinds if row.with_kind.value is not None),
        key=lambda row: row.with_kind.value or 0,
    )
    ordered = known + [row for row in figures.kinds if row.with_kind.value is None]
    keys = [row.kind for row in ordered]
    fig = go.Figure(
        go.Bar(
            y=keys,
            x=[None if r.with_kind.value is None else r.with_kind.value * 100 for r in ordered],
            orientation="h",
            marker_color=PALETTE["blue"],
            hovertemplate="%{x:.0f}% of maps include %{y}<extra></extra>",
        )
    )
    details = []
    for row in ordered:
        if row.with_kind.suppressed:
            details.append(suppressed_text(k))
        elif row.with_kind.value is None:
            details.append("no stakeholder maps yet")
        else:
            have, lack = row.with_kind.value, row.without_kind.value or 0
            details.append(f"in {have:.0%} of maps · lacking in {lack:.0%}")
    _rows(fig, keys, keys, details, legend=False)
    fig.update_xaxes(
        range=[0, 100], ticksuffix="%", title="Share of maps that include it", fixedrange=True
    )
    return styled(fig)


def phrases_chart(phrases: Sequence[tuple[str, Figure]]) -> go.Figure:
    """How many groups used each phrase, most used first."""
    keys = [phrase for phrase, _ in phrases]
    values = [figure.value or 0 for _, figure in phrases]
    fig = go.Figure(
        go.Bar(
            y=keys,
            x=values,
            orientation="h",
            marker_color=PALETTE["green"],
            hovertemplate="%{y}: used by %{x:,} groups<extra></extra>",
        )
    )
    _rows(fig, keys, keys, [f"used by {v:,.0f} groups" for v in values], legend=False)
    fig.update_xaxes(
        range=[0, max(values, default=1) * 1.05], title="Groups using it", fixedrange=True
    )
    return styled(fig)
