"""The spectrum of allies: each stakeholder in the band where they stand today, and where
the group wants to move them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import plotly.graph_objects as go

from workbook.charts.stakeholders.look import (
    BAND_TICKS,
    BANDS,
    HALO,
    LABEL_FONT_SIZE,
    NUMBER_POINT,
    OUTLINE,
    SPECTRUM_EMPTY_TEXT,
    Screen,
    band_colour,
    empty_state,
    finish,
    number_font,
    short_band,
    two_line_band,
    wrapped,
)
from workbook.charts.theme import plain_text
from workbook.models import SpectrumBand, Stakeholder
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import (
    reading_numbers,
    unique_stakeholders,
)
from workbook.stakeholders.words import Translate, same

# --- spectrum of allies ---------------------------------------------------------------------

_HEAD_IN: Final = 0.45  # how far from a band's middle an arrow into it ends
_MARKER_DX: Final = -0.42  # markers sit at the left of their band; names run to the right
_SPECTRUM_WIDTH: Final = 16  # characters a name's line may take in a band
# By the lines a name takes: how far under its point the first band's arrows run, and how
# much lower each next band's (rows are one unit apart; a name takes about a third of one).
_ARROW_ROWS: Final = {1: (0.27, 0.1), 2: (0.33, 0.08), 3: (0.34, 0.09)}
_ROW_PIXELS: Final = {1: 46, 2: 64, 3: 100}  # the height of a row, by the lines of a name
# On a phone a row is a numbered point (no name beside it), about 44 pixels tall: the arrows
# run between a point's bottom edge and the next row's top one.
_PHONE_ARROW_ROWS: Final = (0.34, 0.06)
_PHONE_ROW_PIXELS: Final = 44


def _band_tint(band: SpectrumBand) -> str:
    hex_colour = band_colour(band).lstrip("#")
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},0.16)"


def spectrum_of_allies(
    stakeholders: Iterable[Stakeholder],
    *,
    height: int | None = None,
    screen: Screen = Screen.projector,
    tr: Translate = same,
) -> go.Figure:
    """Five bands, opposition to ally, each listing its stakeholders; arrows to target bands."""
    _ = tr
    compact = screen is Screen.phone
    people = unique_stakeholders(stakeholders)
    columns: dict[SpectrumBand, list[Stakeholder]] = {band: [] for band in BANDS}
    for s in people:
        columns[s.band].append(s)
    for members in columns.values():
        members.sort(key=lambda s: (-s.influence, s.name.casefold(), s.id))
    rows = max((len(m) for m in columns.values()), default=0)
    bottom = -max(rows - 1, 2) - 0.8  # at least three rows tall, so an empty map has columns
    laptop = screen is Screen.laptop
    line_width = 11 if laptop else _SPECTRUM_WIDTH
    name_lines = 1
    if not compact and any(len(s.name) > line_width for s in people):
        name_lines = 3 if laptop else 2
    # On a phone the points sit in the middle of their band and carry their numbers (those
    # before the names in the list under the figure) instead of names beside them.
    marker_dx = 0.0 if compact else _MARKER_DX
    numbers = reading_numbers(people)

    fig = go.Figure()
    band_backgrounds = [
        {
            "type": "rect",
            "x0": band.score - 0.48,
            "x1": band.score + 0.48,
            "y0": bottom,
            "y1": 0.8,
            "layer": "below",
            "line": {"width": 0},
            "fillcolor": _band_tint(band),
        }
        for band in BANDS
    ]
    # Collected and set once: adding annotations one by one costs plotly ~3 ms each.
    moves: list[dict[str, object]] = []
    stubs: list[dict[str, object]] = []
    xs, ys, texts, colours, sizes, custom = [], [], [], [], [], []
    for band, members in columns.items():
        for row, s in enumerate(members):
            x, y = band.score + marker_dx, -row
            xs.append(x)
            ys.append(y)
            texts.append(
                str(numbers[s.id]) if compact else wrapped(s.name, line_width, lines=name_lines)
            )
            colours.append(band_colour(band))
            # On a phone the smallest point still fits two digits.
            sizes.append((NUMBER_POINT - 1 + s.influence) if compact else (10 + 3 * s.influence))
            target = s.target_band
            custom.append(
                [
                    plain_text(s.name),
                    plain_text(word.kind(s.kind, _)),
                    s.influence,
                    word.band(band, _),
                    word.band(target, _) if target is not None else _("no target set"),
                ]
            )
            if target is None or target == band:
                continue
            # Arrows run just under the names, at a height that differs by band, so two
            # arrows from different bands never lie on top of each other; each starts with a
            # short line down from its stakeholder's point, so it is plain whose arrow it is.
            first, step = _PHONE_ARROW_ROWS if compact else _ARROW_ROWS[name_lines]
            arrow_y = y - first - step * (band.score + 2)
            stubs.append(
                {
                    "type": "line",
                    "name": f"stub:{s.id}",
                    "x0": x,
                    "x1": x,
                    "y0": y,
                    "y1": arrow_y,
                    "xref": "x",
                    "yref": "y",
                    "line": {"color": "#222222", "width": 1.5 if compact else 2.5},
                    "layer": "below",  # under the point it starts from
                }
            )
            moves.append(
                {
                    "name": f"move:{s.id}",
                    # The head stops inside the target band's edge, short of the lines
                    # coming down from that band's own points.
                    "x": target.score + (-_HEAD_IN if target.score > band.score else _HEAD_IN),
                    "y": arrow_y,
                    "ax": x,
                    "ay": arrow_y,
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "text": "",
                    "hovertext": _("{name}: from {now} to {aim}").format(
                        name=plain_text(s.name),
                        now=word.band(band, _, lower=True),
                        aim=word.band(target, _, lower=True),
                    ),
                    "showarrow": True,
                    "arrowhead": 2,
                    "arrowsize": 1.0 if compact else 1.4,
                    "arrowwidth": 1.5 if compact else 2.5,
                    "arrowcolor": "#222222",
                }
            )
    fig.update_layout(shapes=band_backgrounds + stubs, annotations=moves)
    if people:
        fig.add_trace(
            go.Scatter(
                name=_("Stakeholders"),
                x=xs,
                y=ys,
                mode="markers+text",
                text=texts,
                textposition="middle center" if compact else "middle right",
                textfont=number_font(colours)
                if compact
                else {
                    "size": LABEL_FONT_SIZE - 1 if laptop else LABEL_FONT_SIZE + 2,
                    "shadow": HALO,
                },
                marker={
                    "size": sizes,
                    "color": colours,
                    "line": {"color": OUTLINE, "width": 1.5},
                    "opacity": 1,  # solid, over the line its arrow starts with
                },
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}, "
                    + _("influence {n}").format(n="%{customdata[2]}")
                    + "<br>"
                    + _("Now: {band}").format(band="%{customdata[3]}")
                    + "<br>"
                    + _("Aim: {band}").format(band="%{customdata[4]}")
                    + "<extra></extra>"
                ),
                showlegend=False,
            )
        )
    else:
        empty_state(fig, _(SPECTRUM_EMPTY_TEXT), y=0.45, compact=compact)
    if compact:
        ticktext = [f"{short_band(b, _)}<br>({len(columns[b])})" for b in BANDS]
    elif laptop:
        ticktext = [f"<b>{two_line_band(b, _)}</b><br>({len(columns[b])})" for b in BANDS]
    else:
        ticktext = [f"<b>{word.band(b, _)}</b> ({len(columns[b])})" for b in BANDS]
    fig.update_xaxes(
        range=[-2.5, 2.5],
        ticktext=ticktext,
        side="bottom" if compact else "top",  # on a phone the title needs the top
        tickangle=0,  # band names stay level (plotly would tilt them onto the title)
        tickfont={"size": 16} if laptop else {},
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        **BAND_TICKS,
    )
    fig.update_yaxes(range=[bottom, 0.8], visible=False, fixedrange=True)
    if height is None:
        if compact:
            height = max(300, 150 + _PHONE_ROW_PIXELS * rows)
        else:
            height = max(560, 170 + _ROW_PIXELS[name_lines] * rows)
    return finish(
        fig,
        title=_("Spectrum of allies: arrows point to where we want them"),
        height=height,
        screen=screen,
        phone_margin={"b": 64},
        phone_title=_("Spectrum of allies"),
        top=150 if laptop else 120,  # the title, then the band names above the plot
    )
