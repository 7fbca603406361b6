"""How every stakeholder-map figure looks: the screen it is drawn for (projector, laptop,
phone), sizes, colours, empty states and the words of its labels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import plotly.graph_objects as go

from workbook.charts.theme import SPECTRUM_COLOURS, plain_text, styled
from workbook.i18n import N_
from workbook.models import SpectrumBand
from workbook.stakeholders.words import Translate, band

EMPTY_STATE: Final = "empty-state"  # the `name` of the annotation an empty figure carries

# The figures' words are marked for the catalog; each figure takes the session's `_` (tr).
GRID_EMPTY_TEXT: Final = N_(
    "No stakeholders yet.<br>Add the people and organisations around your cause<br>"
    "and each one appears here by influence and position."
)
SPECTRUM_EMPTY_TEXT: Final = N_(
    "No stakeholders yet.<br>Add some, and each appears in the band where they stand today."
)
NETWORK_EMPTY_TEXT: Final = N_(
    "Only your group is on the map so far.<br>"
    "Add stakeholders and ties to see who connects to whom."
)
EFFORT_EMPTY_TEXT: Final = N_(
    "No stakeholders yet, so there is nothing to weigh.<br>"
    "Add stakeholders with the hours they would take."
)

LABEL_FONT_SIZE: Final = 16
OUTLINE: Final = "#333333"  # dark rim so the light spectrum colours stand out on white
LAYOUT_SEED: Final = 7  # the network layout is the same on every rerun and every screen
# A light halo behind names, so a name stays readable where it crosses a line or a colour.
HALO: Final = "1px 1px 2px #fff, -1px -1px 2px #fff, 1px -1px 2px #fff, -1px 1px 2px #fff"


class Screen(StrEnum):
    """Which screen a figure is drawn for; the page shows the one that fits the window."""

    projector = "projector"  # a window 1500 pixels wide or more: names beside the points
    laptop = "laptop"  # 1000 to 1500: names beside the points, over more, shorter lines
    phone = "phone"  # narrower: points only (tap for a name); the page lists names as text


@dataclass(frozen=True)
class _Sizes:
    """Type sizes and room for one screen."""

    title: int
    label: int
    axis: int
    legend: int
    plot_width: int  # roughly, in pixels: used only to keep labels from overlapping
    margin: Mapping[str, int]


_LOOKS: Final = {
    Screen.projector: _Sizes(
        26, LABEL_FONT_SIZE + 1, 20, 18, 1400, {"l": 40, "r": 24, "t": 64, "b": 40}
    ),
    Screen.laptop: _Sizes(21, 15, 16, 15, 480, {"l": 32, "r": 16, "t": 56, "b": 32}),
    Screen.phone: _Sizes(18, 14, 14, 14, 330, {"l": 8, "r": 8, "t": 48, "b": 8}),
}


def sizes_for(screen: Screen) -> _Sizes:
    return _LOOKS[screen]


def finish(
    fig: go.Figure,
    *,
    title: str,
    height: int,
    screen: Screen,
    phone_margin: Mapping[str, int] | None = None,
    phone_title: str | None = None,
    top: int | None = None,
) -> go.Figure:
    """The figure's title, height and the sizes of its screen. `top`: the top margin off a
    phone, for a figure with labels above its plot (under the title)."""
    phone = screen is Screen.phone
    styled(fig, title=phone_title if phone and phone_title else title, height=height)
    # The title sits at the top left, clear of the tool bar (top right), and pushes the plot
    # and any labels above it (the spectrum's band names) down rather than lying over them.
    fig.update_layout(
        title={
            "x": 0.02 if phone else 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 0.995,
            "yanchor": "top",
            "automargin": True,
            "pad": {"t": 6, "b": 10},
        }
    )
    if screen is not Screen.projector:
        look = sizes_for(screen)
        fig.update_layout(
            font={"size": look.axis},
            title={"font": {"size": look.title}},
            legend={"font": {"size": look.legend}},
            margin={**look.margin, **((phone_margin or {}) if phone else {})},
            hoverlabel={"font": {"size": 14 if phone else 16}},
        )
    if top is not None and not phone:
        fig.update_layout(margin={"t": top})
    return fig


def _label(name: str, limit: int) -> str:
    # Cut before escaping, so an escape sequence is never cut in half.
    short = name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
    return plain_text(short)


def wrapped(name: str, width: int, *, lines: int = 2) -> str:
    """A name over at most `lines` lines of at most `width` characters, escaped line by line.

    Broken between words where it can (a word longer than a line is split); a name that
    does not fit ends in "…" (the hover has it all). Cut before escaping, so an escape
    sequence is never cut in half.
    """
    rows: list[str] = []
    for word in name.split():
        while len(word) > width:  # a word longer than a line goes over several
            room = width - len(rows[-1]) - 1 if rows and rows[-1] else 0
            if room >= 4:
                rows[-1] += " " + word[:room]
                word = word[room:]
            else:
                rows.append(word[:width])
                word = word[width:]
        if rows and len(rows[-1]) + 1 + len(word) <= width:
            rows[-1] += " " + word
        elif word:
            rows.append(word)
    if not rows:
        return plain_text(name)
    if len(rows) > lines:
        rows = rows[:lines]
        last = rows[-1]
        if len(last) >= width:  # make room for the "…", at a word break where there is one
            last = last.rsplit(" ", 1)[0] if " " in last else last[: width - 1]
        rows[-1] = last.rstrip() + "…"
    return "<br>".join(plain_text(row) for row in rows)


def band_colour(band: SpectrumBand) -> str:
    return SPECTRUM_COLOURS[band.score + 2]


# On a phone each point carries its number in the list under the figure, not a name.
NUMBER_POINT: Final = 24  # pixels across: two digits fit inside a point this size
_NUMBER_SIZE: Final = 14  # the least any text on a phone is drawn at
_DARK: Final = "#111111"


def _luminance(colour: str) -> float:
    """The relative luminance (WCAG) of a colour written #RRGGBB."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def number_colour(fill: str) -> str:
    """Near-black or white, whichever contrasts more with a point of colour `fill`."""
    light = _luminance(fill)
    on_dark = 1.05 / (light + 0.05)
    on_light = (light + 0.05) / (_luminance(_DARK) + 0.05)
    return "#FFFFFF" if on_dark > on_light else _DARK


def number_font(fills: list[str]) -> dict[str, object]:
    """The text of numbered points: bold, sized to fit two digits in a `NUMBER_POINT`, each
    in the colour that stands out on its point's fill."""
    return {"size": _NUMBER_SIZE, "weight": "bold", "color": [number_colour(f) for f in fills]}


def empty_state(fig: go.Figure, text: str, *, y: float = 0.5, compact: bool = False) -> None:
    fig.add_annotation(
        name=EMPTY_STATE,
        text=text.replace("<br>", " ") if compact else text,
        x=0.5,
        y=y,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14 if compact else 24, "color": "#333333"},
        bgcolor="rgba(255,255,255,0.92)",
        borderpad=8 if compact else 12,
        width=300 if compact else None,
    )


def hide_axes(fig: go.Figure) -> None:
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_xaxes(**hidden)
    fig.update_yaxes(**hidden)


BANDS: Final = list(SpectrumBand)
BAND_TICKS: Final = {"tickmode": "array", "tickvals": [b.score for b in BANDS]}
SHORT_BANDS: Final = {
    SpectrumBand.active_opposition: N_("Active<br>opp."),
    SpectrumBand.passive_opposition: N_("Passive<br>opp."),
    SpectrumBand.neutral: N_("Neutral"),
    SpectrumBand.passive_ally: N_("Passive<br>ally"),
    SpectrumBand.active_ally: N_("Active<br>ally"),
}


def two_line_band(value: SpectrumBand, tr: Translate) -> str:
    """A band's name over two lines ("Passive<br>ally"), in the language of `tr`."""
    return band(value, tr).replace(" ", "<br>", 1)


def short_band(value: SpectrumBand, tr: Translate) -> str:
    """A band's short name for a phone's axis."""
    return tr(SHORT_BANDS[value])
