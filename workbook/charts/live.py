"""A statement's rating distribution and average as a figure, for the one-file summary
(workbook/export.py). The projector draws its bars in HTML (workbook/ui/projector_bars.py),
sized by the screen and the facilitator's text size."""

from __future__ import annotations

import plotly.graph_objects as go

from workbook.charts.theme import FONT_FAMILY, PALETTE, plain_text, styled
from workbook.live import Distribution, clip
from workbook.models import RATING_MAX, RATING_MIN

# Sizes in pixels for a 1920x1080 screen read from 10 m away.
TICK_FONT = 30
VALUE_FONT = 36
BAR = PALETTE["blue"]
MEAN = PALETTE["vermillion"]
EMPTY_BAR = "#BBBBBB"
INK = "#111111"
# The page's own typeface (Streamlit serves Source Sans), so charts and text match.
PROJECTOR_FONT = f"'Source Sans', 'Source Sans Pro', {FONT_FAMILY}"


def _empty(fig: go.Figure, text: str) -> go.Figure:
    fig.add_annotation(
        name="empty-state",
        text=text,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": VALUE_FONT, "color": "#333333"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _big(fig: go.Figure, height: int) -> go.Figure:
    styled(fig, height=height)
    fig.update_layout(
        font={"size": TICK_FONT, "color": INK, "family": PROJECTOR_FONT},
        margin={"l": 16, "r": 24, "t": 24, "b": 16},
        showlegend=False,
        hovermode=False,
        bargap=0.25,
        # Plotly shrinks bar labels to fit thin rows; on a projector they must stay readable.
        uniformtext={"minsize": 26, "mode": "show"},
    )
    return fig


def rating_distribution(
    result: Distribution, *, low: str, high: str, height: int = 560
) -> go.Figure:
    """How many gave 1, 2, 3, 4 and 5 (one bar each, count on top), with the average marked."""
    fig = go.Figure()
    values = list(range(RATING_MIN, RATING_MAX + 1))
    if not result.total:
        return _big(_empty(fig, "No ratings yet"), height)
    ticks = [str(v) for v in values]
    ticks[0] = f"1<br>{plain_text(clip(low, 18))}"
    ticks[-1] = f"{RATING_MAX}<br>{plain_text(clip(high, 18))}"
    fig.add_trace(
        go.Bar(
            x=values,
            y=list(result.counts),
            marker_color=[BAR if n else EMPTY_BAR for n in result.counts],
            text=[str(n) for n in result.counts],
            textposition="outside",
            textfont={"size": VALUE_FONT, "color": INK},
            cliponaxis=False,
            name="ratings",
        )
    )
    mean = result.mean
    assert mean is not None
    top = max(result.counts)
    fig.add_shape(
        type="line",
        x0=mean,
        x1=mean,
        y0=0,
        y1=top * 1.32,
        line={"color": MEAN, "width": 6, "dash": "dash"},
        name="mean",
    )
    fig.add_annotation(
        x=mean,
        y=top * 1.32,
        text=f"average {mean:.1f}",
        showarrow=False,
        yanchor="bottom",
        font={"size": VALUE_FONT, "color": MEAN},
        bgcolor="rgba(255,255,255,0.9)",
        name="mean-label",
    )
    fig.update_xaxes(
        tickvals=values, ticktext=ticks, range=[0.4, RATING_MAX + 0.6], tickfont={"size": TICK_FONT}
    )
    fig.update_yaxes(visible=False, range=[0, top * 1.55])
    return _big(fig, height)
