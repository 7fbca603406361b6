"""The influence x position grid: each stakeholder by how much influence they have and
where they stand, in four quadrants."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Final

import plotly.graph_objects as go

from workbook.charts.stakeholders.look import (
    BAND_TICKS,
    BANDS,
    GRID_EMPTY_TEXT,
    HALO,
    NUMBER_POINT,
    OUTLINE,
    Screen,
    band_colour,
    empty_state,
    finish,
    number_font,
    short_band,
    sizes_for,
    two_line_band,
    wrapped,
)
from workbook.charts.theme import PALETTE, plain_text
from workbook.models import Stakeholder
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import (
    GROUP_LABEL,
    reading_numbers,
    unique_stakeholders,
)
from workbook.stakeholders.measures import HIGH_INFLUENCE, Quadrant, grid_quadrant
from workbook.stakeholders.words import Translate, same

# --- influence x position grid --------------------------------------------------------------

_QUADRANT_FILL: Final = {
    Quadrant.engage_closely: "rgba(0,114,178,0.13)",
    Quadrant.keep_satisfied: "rgba(213,94,0,0.10)",
    Quadrant.keep_informed: "rgba(0,114,178,0.05)",
    Quadrant.monitor: "rgba(0,0,0,0.035)",
}
_GRID_X: Final = (-2.5, 3.4)  # past active ally there is room for the group itself
_GRID_Y: Final = (0.4, 5.9)  # above 5.5 and below 0.6 there is room for the quadrant names
# On a phone the quadrant names take two lines: more room above 5 and below 1.
_PHONE_GRID_Y: Final = (0.05, 6.25)
_GROUP_AT: Final = (2.95, 3.0)
_ALLY_EDGE: Final = 0.5  # between neutral (0) and passive ally (1)
_HIGH_EDGE: Final = HIGH_INFLUENCE - 0.5


def _cell_positions(
    count: int, *, laptop: bool = False
) -> tuple[list[tuple[float, float]], int, int]:
    """Offsets from a cell's centre for `count` stakeholders sharing it, the characters a
    label line may take, and how many lines it may use.

    Up to three share a cell with names over two lines; up to five as a list of one line
    each; more go in two columns with shorter names. On a laptop a cell is narrower, so
    lines are shorter and a name alone in its cell may take three. The hover always has the
    full name.
    """
    columns = 1 if count <= 5 else 2
    rows = math.ceil(count / columns)
    lines = (3 if laptop and count == 1 else 2) if count <= 3 else 1
    most = 0.4 if lines == 2 else 0.3
    step_y = 0.0 if rows == 1 else min(most, 0.8 / (rows - 1) if lines == 2 else 0.72 / (rows - 1))
    top = step_y * (rows - 1) / 2
    offsets = []
    for index in range(count):
        column, row = divmod(index, rows)
        offsets.append((-0.42 + column * 0.46, top - row * step_y))
    if laptop:
        return offsets, (11 if columns == 1 else 7), lines
    return offsets, (16 if columns == 1 else 10), lines


def _phone_cell_positions(count: int) -> list[tuple[float, float]]:
    """Offsets from a cell's centre for `count` numbered points sharing it on a phone: rows
    of up to two (three from five on), the last row centred, far enough apart (a cell is
    about 50 pixels a side) that up to four points and their numbers stay apart."""
    columns = min(count, 2 if count <= 4 else 3)
    rows = math.ceil(count / columns)
    step = min(0.52, 0.96 / max(columns, rows))
    offsets = []
    for index in range(count):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        offsets.append(((column - (in_row - 1) / 2) * step, ((rows - 1) / 2 - row) * step))
    return offsets


def influence_position_grid(
    stakeholders: Iterable[Stakeholder],
    *,
    height: int | None = None,
    screen: Screen = Screen.projector,
    tr: Translate = same,
) -> go.Figure:
    """Influence (up) by position on the spectrum of allies (across), in labelled quadrants."""
    _ = tr
    compact = screen is Screen.phone
    people = unique_stakeholders(stakeholders)
    look = sizes_for(screen)
    fig = go.Figure()
    x0 = _GRID_X[0]
    y0, y1 = _PHONE_GRID_Y if compact else _GRID_Y
    quadrant_boxes = {
        Quadrant.keep_satisfied: (x0, _ALLY_EDGE, _HIGH_EDGE, y1),
        Quadrant.engage_closely: (_ALLY_EDGE, 2.5, _HIGH_EDGE, y1),
        Quadrant.monitor: (x0, _ALLY_EDGE, y0, _HIGH_EDGE),
        Quadrant.keep_informed: (_ALLY_EDGE, 2.5, y0, _HIGH_EDGE),
    }
    shapes: list[dict[str, object]] = []
    labels: list[dict[str, object]] = []
    for quadrant, (left, right, bottom, top) in quadrant_boxes.items():
        shapes.append(
            {
                "type": "rect",
                "x0": left,
                "x1": right,
                "y0": bottom,
                "y1": top,
                "layer": "below",
                "line": {"width": 0},
                "fillcolor": _QUADRANT_FILL[quadrant],
            }
        )
        at_top = top == y1
        at_right = right == 2.5
        labels.append(
            {
                "name": f"quadrant:{quadrant.value}",
                # On a phone over two lines, so a name stays inside its quadrant.
                "text": "<b>"
                + (_(quadrant.label).replace(" ", "<br>", 1) if compact else _(quadrant.label))
                + "</b>",
                "x": right - 0.04 if at_right else left + 0.04,
                "y": top - 0.04 if at_top else bottom + 0.04,
                "xanchor": "right" if at_right else "left",
                "align": "right" if at_right else "left",
                "yanchor": "top" if at_top else "bottom",
                "showarrow": False,
                "font": {
                    "size": 14 if compact else 18 if screen is Screen.laptop else 22,
                    "color": "#222222",
                },
            }
        )
    divider = {
        "type": "line",
        "layer": "below",
        "line": {"color": "#777777", "width": 2, "dash": "dot"},
    }
    shapes.append({**divider, "x0": _ALLY_EDGE, "x1": _ALLY_EDGE, "y0": y0, "y1": y1})
    shapes.append({**divider, "x0": x0, "x1": 2.5, "y0": _HIGH_EDGE, "y1": _HIGH_EDGE})
    fig.update_layout(shapes=shapes, annotations=labels)

    # On a phone each point's number is the one before its name in the list under the grid.
    numbers = reading_numbers(people)
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in people:
        cells[(s.band.score, s.influence)].append(s)
    xs, ys, texts, colours, custom = [], [], [], [], []
    for (score, influence), members in sorted(cells.items()):
        members.sort(key=lambda s: (s.name.casefold(), s.id))
        offsets, width, lines = _cell_positions(len(members), laptop=screen is Screen.laptop)
        if compact:  # on a phone the points carry their numbers, not names
            offsets = _phone_cell_positions(len(members))
        for s, (dx, dy) in zip(members, offsets, strict=True):
            xs.append(score + dx)
            ys.append(influence + dy)
            texts.append(str(numbers[s.id]) if compact else wrapped(s.name, width, lines=lines))
            colours.append(band_colour(s.band))
            custom.append(
                [
                    plain_text(s.name),
                    plain_text(word.kind(s.kind, _)),
                    word.band(s.band, _),
                    s.influence,
                    _(grid_quadrant(s).label),
                ]
            )
    if people:
        fig.add_trace(
            go.Scatter(
                name=_("Stakeholders"),
                x=xs,
                y=ys,
                mode="markers+text",
                text=texts,
                textposition="middle center" if compact else "middle right",
                textfont=number_font(colours) if compact else {"size": look.label, "shadow": HALO},
                marker={
                    "size": NUMBER_POINT if compact else 16,
                    "color": colours,
                    "line": {"color": OUTLINE, "width": 1.5},
                },
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}, "
                    + _("influence {n}").format(n="%{customdata[3]}")
                    + "<br>%{customdata[4]}<extra></extra>"
                ),
                showlegend=False,
            )
        )
    group_x, group_y = _GROUP_AT
    fig.add_trace(
        go.Scatter(
            name=_(GROUP_LABEL),
            x=[group_x],
            y=[group_y],
            mode="markers+text",
            # Over two lines off a projector, so the name fits right of the quadrants.
            text=[
                "<b>"
                + (
                    _("Us")
                    if compact
                    else _(GROUP_LABEL)
                    if screen is Screen.projector
                    else _(GROUP_LABEL).replace(" ", "<br>", 1)
                )
                + "</b>"
            ],
            textposition="bottom center",
            textfont={"size": 14 if compact else 20 if screen is Screen.projector else 17},
            cliponaxis=False,  # a label may reach into the margin rather than be cut
            marker={"symbol": "star", "size": 22 if compact else 38, "color": PALETTE["black"]},
            hovertemplate=_("{group}: the group making this map").format(group=_(GROUP_LABEL))
            + "<extra></extra>",
            showlegend=False,
        )
    )
    if not people:
        empty_state(fig, _(GRID_EMPTY_TEXT), compact=compact)
    fig.update_xaxes(
        range=list(_GRID_X),
        ticktext=[
            short_band(b, _)
            if compact
            else two_line_band(b, _)
            if screen is Screen.laptop
            else word.band(b, _)
            for b in BANDS
        ],
        showgrid=False,
        zeroline=False,
        fixedrange=compact,  # a phone scrolls the page, not the chart
        title={"text": _("Position on the spectrum of allies"), "font": {"size": look.axis}},
        # Level names: at 14 px on a phone plotly would turn them on their side.
        tickangle=0,
        **BAND_TICKS,
    )
    fig.update_yaxes(
        range=[y0, y1],
        tickmode="array",
        tickvals=[1, 2, 3, 4, 5],
        showgrid=False,
        zeroline=False,
        fixedrange=compact,
        title={"text": _("Influence"), "font": {"size": look.axis}},
    )
    return finish(
        fig,
        title=_("Who matters, and where they stand"),
        height=height if height is not None else (460 if compact else 760),
        screen=screen,
    )
