"""Figures of self-ratings: a group's mean per key finding, one bar per round."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from workbook import i18n
from workbook.charts.theme import SEQUENCE, styled
from workbook.models import KeyFinding

BAR_GAP = 0.55
SCALE_LOW = 1  # ratings run 1 to 5: bars start at 1
# A finding's name wraps at this many characters: at 17 px, a line this long fits the width a
# 390 px phone gives the chart ("De rette mennesker, de rette steder, det rette tidspunkt" was
# cut after "det").
LABEL_LINE = 30
LINE_PX = 24  # the room each further line of a name takes above its bars


def findings_chart(
    scores: pd.DataFrame,
    *,
    title: str | None = None,
    findings: Sequence[KeyFinding] | None = None,
    _: Callable[[str], str] = str,
    code: str = i18n.DEFAULT,
) -> go.Figure:
    """Bars of the mean 1-5 rating per key finding; one colour per round (first look, follow-ups).

    `scores` has the columns of `workbook.results.finding_scores`, made with the same `_`:
    words in the language of `_`, numbers written as the language `code` writes them.
    `findings`: the findings the workshop's plan rates (all of them when None): only those are
    listed, plus any rated anyway (a statement the plan has since left out), so a finding the
    plan never asks about is never "not rated yet" forever.
    """
    fig = go.Figure()
    title = title if title is not None else _("Our ratings by key finding")
    rated_now = set(scores["finding"]) if not scores.empty else set()
    labels = [
        _(finding.label)
        for finding in KeyFinding
        if findings is None or finding in findings or _(finding.label) in rated_now
    ]
    if scores.empty:
        fig.add_annotation(
            # Short lines: on a 390 px phone one long line ran off both edges.
            text=_("No ratings yet:<br>rate yourselves in the lessons<br>and they appear here."),
            showarrow=False,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            font={"size": 18},
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _clear_title(styled(fig, title=title, height=420))
    # Horizontal bars: the findings' names stay readable on a phone and from the back of a room.
    rounds = list(scores.groupby("round", sort=True))
    for index, (_round, part) in enumerate(rounds):
        by_finding = part.set_index("finding")
        values = [by_finding["mean"].get(label) for label in labels]
        counts = [by_finding["ratings"].get(label) for label in labels]
        hovers = [
            _("{finding}<br>mean {mean} from {n} ratings").format(
                finding=label, mean=i18n.format_decimal(v, code, 2), n=n
            )
            if v is not None and v == v
            else label
            for label, v, n in zip(labels, values, counts, strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=labels,
                # Each bar starts at 1, the scale's lowest rating: drawn from 0, a mean of 2.5
                # looked like half the scale rather than the middle of 1 to 5.
                x=[v - SCALE_LOW if v is not None and v == v else None for v in values],
                base=SCALE_LOW,
                orientation="h",
                name=str(part["round_label"].iloc[0]),
                marker_color=SEQUENCE[index % len(SEQUENCE)],
                text=[
                    i18n.format_decimal(v, code) if v is not None and v == v else "" for v in values
                ],
                textposition="outside",
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        legend={"orientation": "h", "y": -0.15, "x": 0},
        showlegend=len(rounds) > 1,
    )
    # The axis title a little smaller than the ticks, so the longest (Danish) one fits a phone.
    fig.update_xaxes(
        range=[SCALE_LOW - 0.05, 5.6],
        tickvals=[1, 2, 3, 4, 5],
        title={"text": _("Mean rating (1-5)"), "font": {"size": 15}},
    )
    # Each finding's name sits above its bars, so long names never squeeze a phone chart.
    fig.update_yaxes(autorange="reversed", showticklabels=False, ticks="")
    rated = set(scores["finding"])
    wrapped = {label: "<br>".join(textwrap.wrap(label, LABEL_LINE)) or label for label in labels}
    lines = max(text.count("<br>") + 1 for text in wrapped.values())
    # Pixels a finding's bars and name take (a name on more lines takes more).
    per_finding = 60 + 30 * len(rounds) + LINE_PX * (lines - 1)
    for label in labels:
        if label not in rated:  # where its bars would be: a phone cannot fit it after the name
            fig.add_annotation(
                x=SCALE_LOW,
                y=label,
                text=_("not rated yet"),
                xanchor="left",
                yanchor="middle",
                showarrow=False,
                font={"size": 16, "color": "#595959"},
            )
        fig.add_annotation(
            x=SCALE_LOW,
            y=label,
            text=wrapped[label],
            xanchor="left",
            yanchor="bottom",
            align="left",
            # Clear of its bars: half their thickness (1 - bargap of the finding's row) and a
            # little air, so the name never sits on a bar on a phone.
            yshift=round(per_finding * (1 - BAR_GAP) / 2) + 4,
            showarrow=False,
            font={"size": 17},
        )
    fig.update_layout(bargap=BAR_GAP, margin={"l": 8, "r": 8})
    return _clear_title(styled(fig, title=title, height=180 + len(labels) * per_finding))


def _clear_title(fig: go.Figure) -> go.Figure:
    """A title that fits a 390 px phone (20 px, from the left edge), with room under it."""
    fig.update_layout(
        title={"font": {"size": 20}, "x": 0.01, "xanchor": "left", "y": 0.99, "yanchor": "top"},
        margin={"t": 72},
    )
    return fig
