"""Kinds of stakeholder: how diverse the voices on the map are."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from workbook.charts.stakeholders.look import LABEL_FONT_SIZE, Screen, finish
from workbook.charts.theme import PALETTE, plain_text
from workbook.stakeholders import words as word
from workbook.stakeholders.words import Translate, same

# --- kinds of stakeholder (diverse voices) --------------------------------------------------


def kinds_of_stakeholder(
    counts: Mapping[str, int],
    *,
    height: int | None = None,
    screen: Screen = Screen.projector,
    tr: Translate = same,
) -> go.Figure:
    """How many stakeholders of each kind, in list order, with missing kinds marked.

    `counts` is KindDiversity.counts: every kind on the list, zeros included.
    """
    _ = tr
    compact = screen is Screen.phone
    kinds = list(counts)
    values = [counts[kind] for kind in kinds]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name=_("Stakeholders"),
            x=values,
            y=[plain_text(word.kind(kind, _)) for kind in kinds],
            orientation="h",
            marker={"color": PALETTE["blue"]},
            text=[str(v) if v else "" for v in values],
            textposition="outside",
            textfont={"size": 14 if compact else LABEL_FONT_SIZE + 2},
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
            showlegend=False,
        )
    )
    top = max(values, default=0)
    fig.update_layout(
        annotations=[
            {
                "name": f"missing:{kind}",
                "text": "<b>" + _("missing") + "</b>",
                "x": 0,
                "y": plain_text(word.kind(kind, _)),
                "xref": "x",
                "yref": "y",
                "xanchor": "left",
                "showarrow": False,
                "font": {
                    "size": 14 if compact else LABEL_FONT_SIZE + 2,
                    "color": PALETTE["vermillion"],
                },
            }
            for kind, value in zip(kinds, values, strict=True)
            if value == 0
        ]
    )
    fig.update_xaxes(
        title={"text": _("Stakeholders on our map")},
        range=[0, max(top, 1) * 1.2 + 0.5],
        dtick=1 if top <= 10 else None,
        rangemode="tozero",
    )
    fig.update_yaxes(
        autorange="reversed",
        tickfont={"size": {Screen.phone: 14, Screen.laptop: 15}.get(screen, 18)},
    )
    if compact:
        # The bars' plot is narrow beside the kinds' names: a short axis title fits it.
        fig.update_xaxes(fixedrange=True, title={"text": _("Stakeholders"), "font": {"size": 14}})
        fig.update_yaxes(fixedrange=True)
    return finish(
        fig,
        title=_("Which voices are on our map"),
        height=height
        if height is not None
        else (100 + 34 * len(kinds) if compact else 160 + 52 * len(kinds)),
        screen=screen,
    )
