"""The one palette (colour-blind safe) and the projector template every figure uses."""

from __future__ import annotations

import plotly.graph_objects as go

from workbook.bidi import isolate

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6B6B6B",
}
SEQUENCE = [
    PALETTE["blue"],
    PALETTE["orange"],
    PALETTE["green"],
    PALETTE["vermillion"],
    PALETTE["purple"],
    PALETTE["sky"],
    PALETTE["yellow"],
    PALETTE["black"],
]
# Spectrum of allies, active opposition -> active ally: a diverging scale that survives
# red-green colour blindness (vermillion ... grey ... blue).
SPECTRUM_COLOURS = ["#D55E00", "#F4A582", "#9E9E9E", "#92C5DE", "#0072B2"]

FONT_FAMILY = "Inter, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif"

PROJECTOR = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 20, "color": "#111111"},
        title={"font": {"size": 26}},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        colorway=SEQUENCE,
        xaxis={"gridcolor": "#DDDDDD", "zerolinecolor": "#999999", "automargin": True},
        yaxis={"gridcolor": "#DDDDDD", "zerolinecolor": "#999999", "automargin": True},
        legend={"font": {"size": 18}},
        margin={"l": 40, "r": 24, "t": 64, "b": 40},
        hoverlabel={"font": {"size": 18}},
    )
)


def plain_text(value: object) -> str:
    """Text made safe for a plotly label, title or hover: plotly reads a few HTML tags
    (<b>, <a href>, <br>) and entities there, so escape them; and isolated (workbook/bidi.py),
    so a direction control in a name cannot turn the label's other words. Every figure builder
    passes user text (and any text it did not write itself) through this, one line at a time."""
    text = isolate(str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def styled(fig: go.Figure, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the projector template (and optional title and height) to a figure."""
    fig.update_layout(template=PROJECTOR)
    if title is not None:
        fig.update_layout(title={"text": title})
    if height is not None:
        fig.update_layout(height=height)
    return fig
