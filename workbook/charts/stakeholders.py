"""Stakeholder-map figures: influence x position grid, spectrum of allies, network, effort.

Every builder draws for a projector by default; `compact=True` draws the same figure for a
phone (about 360 pixels wide), where names do not fit beside the points: points stay, tapped
for their name, and the page lists the names beneath as text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final

import networkx as nx
import plotly.graph_objects as go

from workbook.charts.theme import PALETTE, SPECTRUM_COLOURS, plain_text, styled
from workbook.models import SpectrumBand, Stakeholder, Tie, TieStrength
from workbook.stakeholders.graph import (
    GROUP_LABEL,
    GROUP_NODE,
    Node,
    build_graph,
    unique_stakeholders,
)
from workbook.stakeholders.measures import HIGH_INFLUENCE, Quadrant, grid_quadrant

EMPTY_STATE: Final = "empty-state"  # the `name` of the annotation an empty figure carries

GRID_EMPTY_TEXT: Final = (
    "No stakeholders yet.<br>Add the people and organisations around your cause<br>"
    "and each one appears here by influence and position."
)
SPECTRUM_EMPTY_TEXT: Final = (
    "No stakeholders yet.<br>Add some, and each appears in the band where they stand today."
)
NETWORK_EMPTY_TEXT: Final = (
    "Only your group is on the map so far.<br>"
    "Add stakeholders and ties to see who connects to whom."
)
EFFORT_EMPTY_TEXT: Final = (
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


def _look(screen: Screen) -> _Sizes:
    return _LOOKS[screen]


def _finish(
    fig: go.Figure,
    *,
    title: str,
    height: int,
    screen: Screen,
    phone_margin: Mapping[str, int] | None = None,
    phone_title: str | None = None,
) -> go.Figure:
    phone = screen is Screen.phone
    styled(fig, title=phone_title if phone and phone_title else title, height=height)
    if screen is not Screen.projector:
        look = _look(screen)
        fig.update_layout(
            font={"size": look.axis},
            title={"font": {"size": look.title}},
            legend={"font": {"size": look.legend}},
            margin={**look.margin, **((phone_margin or {}) if phone else {})},
            hoverlabel={"font": {"size": 14 if phone else 16}},
        )
        if phone:
            fig.update_layout(title={"x": 0.02, "xanchor": "left"})
    return fig


def _label(name: str, limit: int) -> str:
    # Cut before escaping, so an escape sequence is never cut in half.
    short = name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
    return plain_text(short)


def _wrapped(name: str, width: int, *, lines: int = 2) -> str:
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


def _band_colour(band: SpectrumBand) -> str:
    return SPECTRUM_COLOURS[band.score + 2]


def _empty_state(fig: go.Figure, text: str, *, y: float = 0.5, compact: bool = False) -> None:
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


def _hide_axes(fig: go.Figure) -> None:
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_xaxes(**hidden)
    fig.update_yaxes(**hidden)


_BANDS: Final = list(SpectrumBand)
_BAND_TICKS: Final = {"tickmode": "array", "tickvals": [b.score for b in _BANDS]}
_TWO_LINE_BANDS: Final = {band: band.label.replace(" ", "<br>", 1) for band in SpectrumBand}
_SHORT_BANDS: Final = {
    SpectrumBand.active_opposition: "Active<br>opp.",
    SpectrumBand.passive_opposition: "Passive<br>opp.",
    SpectrumBand.neutral: "Neutral",
    SpectrumBand.passive_ally: "Passive<br>ally",
    SpectrumBand.active_ally: "Active<br>ally",
}


# --- keeping labels apart -------------------------------------------------------------------

_PLACES: Final = (
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "bottom right",
    "top left",
    "bottom left",
)
# Covering a point hides someone; an overlap of two labels only makes them harder to read.
_POINT_WEIGHT: Final = 8.0


def _label_box(
    x: float, y: float, radius: float, width: float, height: float, place: str
) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top), in pixels with y up, a label takes at a place."""
    gap = radius + 3
    if place == "middle right":
        return x + gap, y - height / 2, x + gap + width, y + height / 2
    if place == "middle left":
        return x - gap - width, y - height / 2, x - gap, y + height / 2
    if place == "top center":
        return x - width / 2, y + gap, x + width / 2, y + gap + height
    if place == "bottom center":
        return x - width / 2, y - gap - height, x + width / 2, y - gap
    corner = radius * 0.7
    left = x + corner if place.endswith("right") else x - corner - width
    bottom = y + corner if place.startswith("top") else y - corner - height
    return left, bottom, left + width, bottom + height


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _place_labels(
    points: Sequence[tuple[float, float]],
    radii: Sequence[float],
    texts: Sequence[str],
    preferences: Sequence[Sequence[str]],
    *,
    font: int,
    bounds: tuple[float, float],
    obstacles: Sequence[tuple[float, float, float]] = (),
    crowded: list[int] | None = None,
) -> list[str]:
    """A text position for each label, chosen one by one so labels overlap the fewest points
    and earlier labels (a greedy choice: good enough to read, not a perfect packing).

    `points` and `radii` are in pixels (y up), as are `obstacles` (x, y, radius: points that
    carry no label but must not be covered); `bounds` is the plot's width and height.
    `crowded`, when given, receives the index of every label that found no free place (a
    phone leaves those unwritten: the page names them in text) and keeps no room for it.
    """
    marks: list[tuple[float, ...]] = [
        (x - r, y - r, x + r, y + r) for (x, y), r in zip(points, radii, strict=True)
    ]
    marks += [(x - r, y - r, x + r, y + r) for x, y, r in obstacles]
    taken: list[tuple[float, ...]] = []  # the labels placed so far
    places = []
    for (x, y), radius, text, preferred in zip(points, radii, texts, preferences, strict=True):
        lines = text.split("<br>")
        # Generous estimates: a label a little smaller than its box is fine, one clipped is not.
        width = max(len(line) for line in lines) * font * 0.58
        height = len(lines) * font * 1.4
        best, best_cost = preferred[0], math.inf
        for rank, place in enumerate(preferred):
            box = _label_box(x, y, radius, width, height, place)
            margin = 6  # plotly clips text at the plot's edge
            outside = max(0.0, margin - box[0]) + max(0.0, box[2] - bounds[0] + margin)
            outside += max(0.0, margin - box[1]) + max(0.0, box[3] - bounds[1] + margin)
            cost = (
                _POINT_WEIGHT * sum(_overlap(box, mark) for mark in marks)
                + sum(_overlap(box, other) for other in taken)
                + _POINT_WEIGHT * outside * height  # plotly cuts text off at the edge
                + rank
            )
            if cost < best_cost:
                best, best_cost = place, cost
            if cost <= rank:  # free and in bounds: the most preferred such place wins
                break
        if crowded is not None and best_cost > len(preferred):
            crowded.append(len(places))
        else:
            taken.append(_label_box(x, y, radius, width, height, best))
        places.append(best)
    return places


# --- influence x position grid --------------------------------------------------------------

_QUADRANT_FILL: Final = {
    Quadrant.engage_closely: "rgba(0,114,178,0.13)",
    Quadrant.keep_satisfied: "rgba(213,94,0,0.10)",
    Quadrant.keep_informed: "rgba(0,114,178,0.05)",
    Quadrant.monitor: "rgba(0,0,0,0.035)",
}
_GRID_X: Final = (-2.5, 3.4)  # past active ally there is room for the group itself
_GRID_Y: Final = (0.4, 5.9)  # above 5.5 and below 0.6 there is room for the quadrant names
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


def influence_position_grid(
    stakeholders: Iterable[Stakeholder],
    *,
    height: int | None = None,
    screen: Screen = Screen.projector,
) -> go.Figure:
    """Influence (up) by position on the spectrum of allies (across), in labelled quadrants."""
    compact = screen is Screen.phone
    people = unique_stakeholders(stakeholders)
    look = _look(screen)
    fig = go.Figure()
    x0, _ = _GRID_X
    y0, y1 = _GRID_Y
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
                "text": f"<b>{quadrant.value}</b>",
                "x": right - 0.04 if at_right else left + 0.04,
                "y": top - 0.04 if at_top else bottom + 0.04,
                "xanchor": "right" if at_right else "left",
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

    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in people:
        cells[(s.band.score, s.influence)].append(s)
    xs, ys, texts, colours, custom = [], [], [], [], []
    for (score, influence), members in sorted(cells.items()):
        members.sort(key=lambda s: (s.name.casefold(), s.id))
        offsets, width, lines = _cell_positions(len(members), laptop=screen is Screen.laptop)
        if compact:  # on a phone the points spread more and carry no names
            offsets = [(dx * 0.6, dy) for dx, dy in offsets]
        for s, (dx, dy) in zip(members, offsets, strict=True):
            xs.append(score + dx)
            ys.append(influence + dy)
            texts.append(_wrapped(s.name, width, lines=lines))
            colours.append(_band_colour(s.band))
            custom.append(
                [
                    plain_text(s.name),
                    plain_text(s.kind),
                    s.band.label,
                    s.influence,
                    grid_quadrant(s).value,
                ]
            )
    if people:
        fig.add_trace(
            go.Scatter(
                name="Stakeholders",
                x=xs,
                y=ys,
                mode="markers" if compact else "markers+text",
                text=texts,
                textposition="middle right",
                textfont={
                    "size": look.label,
                    "shadow": HALO,
                },
                marker={
                    "size": 11 if compact else 16,
                    "color": colours,
                    "line": {"color": OUTLINE, "width": 1.5},
                },
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}, "
                    "influence %{customdata[3]}<br>%{customdata[4]}<extra></extra>"
                ),
                showlegend=False,
            )
        )
    group_x, group_y = _GROUP_AT
    fig.add_trace(
        go.Scatter(
            name=GROUP_LABEL,
            x=[group_x],
            y=[group_y],
            mode="markers+text",
            text=["<b>Us</b>" if compact else f"<b>{GROUP_LABEL}</b>"],
            textposition="bottom center",
            textfont={"size": 14 if compact else 20},
            marker={"symbol": "star", "size": 22 if compact else 38, "color": PALETTE["black"]},
            hovertemplate=f"{GROUP_LABEL}: the group making this map<extra></extra>",
            showlegend=False,
        )
    )
    if not people:
        _empty_state(fig, GRID_EMPTY_TEXT, compact=compact)
    fig.update_xaxes(
        range=list(_GRID_X),
        ticktext=[
            _SHORT_BANDS[b]
            if compact
            else _TWO_LINE_BANDS[b]
            if screen is Screen.laptop
            else b.label
            for b in _BANDS
        ],
        showgrid=False,
        zeroline=False,
        fixedrange=compact,  # a phone scrolls the page, not the chart
        title={"text": "Position on the spectrum of allies", "font": {"size": look.axis}},
        # Level names: at 14 px on a phone plotly would turn them on their side.
        tickangle=0,
        **_BAND_TICKS,
    )
    fig.update_yaxes(
        range=list(_GRID_Y),
        tickmode="array",
        tickvals=[1, 2, 3, 4, 5],
        showgrid=False,
        zeroline=False,
        fixedrange=compact,
        title={"text": "Influence", "font": {"size": look.axis}},
    )
    return _finish(
        fig,
        title="Who matters, and where they stand",
        height=height if height is not None else (460 if compact else 760),
        screen=screen,
    )


# --- spectrum of allies ---------------------------------------------------------------------

_MARKER_DX: Final = -0.42  # markers sit at the left of their band; names run to the right
_SPECTRUM_WIDTH: Final = 16  # characters a name's line may take in a band


def _band_tint(band: SpectrumBand) -> str:
    hex_colour = _band_colour(band).lstrip("#")
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},0.16)"


def spectrum_of_allies(
    stakeholders: Iterable[Stakeholder],
    *,
    height: int | None = None,
    screen: Screen = Screen.projector,
) -> go.Figure:
    """Five bands, opposition to ally, each listing its stakeholders; arrows to target bands."""
    compact = screen is Screen.phone
    people = unique_stakeholders(stakeholders)
    columns: dict[SpectrumBand, list[Stakeholder]] = {band: [] for band in _BANDS}
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
    # On a phone the points sit in the middle of their band (there are no names beside them).
    marker_dx = 0.0 if compact else _MARKER_DX

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
        for band in _BANDS
    ]
    # Collected and set once: adding annotations one by one costs plotly ~3 ms each.
    moves: list[dict[str, object]] = []
    xs, ys, texts, colours, sizes, custom = [], [], [], [], [], []
    for band, members in columns.items():
        for row, s in enumerate(members):
            x, y = band.score + marker_dx, -row
            xs.append(x)
            ys.append(y)
            texts.append(_wrapped(s.name, line_width, lines=name_lines))
            colours.append(_band_colour(band))
            sizes.append((6 + 2 * s.influence) if compact else (10 + 3 * s.influence))
            target = s.target_band
            custom.append(
                [
                    plain_text(s.name),
                    plain_text(s.kind),
                    s.influence,
                    band.label,
                    target.label if target is not None else "no target set",
                ]
            )
            if target is None or target == band:
                continue
            # Arrows run just under the names, at a height that differs by band, so two
            # arrows from different bands never lie on top of each other.
            arrow_y = y - {1: 0.3, 2: 0.42, 3: 0.5}[name_lines] - 0.05 * (band.score + 2)
            moves.append(
                {
                    "name": f"move:{s.id}",
                    "x": target.score + marker_dx,
                    "y": arrow_y,
                    "ax": x,
                    "ay": arrow_y,
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "text": "",
                    "showarrow": True,
                    "arrowhead": 2,
                    "arrowsize": 1.0 if compact else 1.4,
                    "arrowwidth": 1.5 if compact else 2.5,
                    "arrowcolor": "#222222",
                }
            )
    fig.update_layout(shapes=band_backgrounds, annotations=moves)
    if people:
        fig.add_trace(
            go.Scatter(
                name="Stakeholders",
                x=xs,
                y=ys,
                mode="markers" if compact else "markers+text",
                text=texts,
                textposition="middle right",
                textfont={
                    "size": LABEL_FONT_SIZE - 1 if laptop else LABEL_FONT_SIZE + 2,
                    "shadow": HALO,
                },
                marker={"size": sizes, "color": colours, "line": {"color": OUTLINE, "width": 1.5}},
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}, influence %{customdata[2]}"
                    "<br>Now: %{customdata[3]}<br>Aim: %{customdata[4]}<extra></extra>"
                ),
                showlegend=False,
            )
        )
    else:
        _empty_state(fig, SPECTRUM_EMPTY_TEXT, y=0.45, compact=compact)
    if compact:
        ticktext = [f"{_SHORT_BANDS[b]}<br>({len(columns[b])})" for b in _BANDS]
    elif laptop:
        ticktext = [f"<b>{_TWO_LINE_BANDS[b]}</b><br>({len(columns[b])})" for b in _BANDS]
    else:
        ticktext = [f"<b>{b.label}</b> ({len(columns[b])})" for b in _BANDS]
    fig.update_xaxes(
        range=[-2.5, 2.5],
        ticktext=ticktext,
        side="bottom" if compact else "top",  # on a phone the title needs the top
        tickangle=0,  # band names stay level (plotly would tilt them onto the title)
        tickfont={"size": 16} if laptop else {},
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        **_BAND_TICKS,
    )
    fig.update_yaxes(range=[bottom, 0.8], visible=False, fixedrange=True)
    fig.update_layout(margin={"t": 150 if laptop else 120})
    if height is None:
        if compact:
            height = max(300, 150 + 26 * rows)
        else:
            height = max(560, 170 + {1: 46, 2: 64, 3: 84}[name_lines] * rows)
    return _finish(
        fig,
        title="Spectrum of allies: arrows point to where we want them",
        height=height,
        screen=screen,
        phone_margin={"b": 64},
        phone_title="Spectrum of allies",
    )


# --- network --------------------------------------------------------------------------------

_EDGE_STYLE: Final = {
    TieStrength.weak: {"width": 2, "color": "#9A9A9A", "name": "Weak tie"},
    TieStrength.strong: {"width": 6, "color": "#4D4D4D", "name": "Strong tie"},
}
_NETWORK_RANGE: Final = ((-1.3, 1.3), (-1.3, 1.3))


@lru_cache(maxsize=64)
def _layout(
    nodes: tuple[Node, ...], edges: tuple[tuple[Node, Node, float], ...]
) -> dict[Node, tuple[float, float]]:
    """The seeded spring layout of a graph, kept for maps seen recently (it is the slow part)."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(edges, weight="strength")
    # Twice the default spacing leaves room for the labels.
    spacing = 2 / math.sqrt(graph.number_of_nodes())
    found = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="strength", k=spacing, iterations=100)
    return {node: (float(x), float(y)) for node, (x, y) in found.items()}


def _outward(angle: float) -> list[str]:
    """Text positions for a node at this angle from the group, the outward one first."""
    degrees = math.degrees(angle) % 360
    if degrees < 45 or degrees >= 315:
        sides = ["middle right", "top center", "bottom center", "middle left"]
    elif degrees < 135:
        sides = ["top center", "middle right", "middle left", "bottom center"]
    elif degrees < 225:
        sides = ["middle left", "top center", "bottom center", "middle right"]
    else:
        sides = ["bottom center", "middle right", "middle left", "top center"]
    return [*sides, "top right", "bottom right", "top left", "bottom left"]


_SIDES: Final = {
    "bottom center": -90.0,
    "middle right": 0.0,
    "top center": 90.0,
    "middle left": 180.0,
}


def _clearest_side(directions: Sequence[float]) -> str:
    """The side of a node (below, right, above, left) furthest from any of its ties, whose
    directions are angles in radians; below when nothing is in the way."""

    def gap(side: float) -> float:
        return min(
            (abs((math.degrees(d) - side + 180) % 360 - 180) for d in directions), default=180.0
        )

    return max(_SIDES, key=lambda side: (gap(_SIDES[side]), side == "bottom center"))


def network(
    stakeholders: Iterable[Stakeholder],
    ties: Iterable[Tie],
    *,
    height: int | None = None,
    screen: Screen = Screen.projector,
) -> go.Figure:
    """The group, its stakeholders and the ties between them, laid out by strength of tie.

    Node size is influence, colour is the band on the spectrum of allies, edge width is tie
    strength. The layout is seeded, so the same map always looks the same; each name sits on
    the side of its node facing away from the group, where it crosses the fewest others.
    """
    compact = screen is Screen.phone
    graph = build_graph(stakeholders, ties)
    look = _look(screen)
    height = height if height is not None else (440 if compact else 820)
    fig = go.Figure()
    if graph.number_of_nodes() == 1:
        position = {GROUP_NODE: (0.0, 0.0)}
    else:
        position = _layout(
            tuple(graph.nodes),
            tuple((a, b, float(w)) for a, b, w in graph.edges(data="strength")),
        )
    for strength, style in _EDGE_STYLE.items():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b, tie in graph.edges(data="tie"):
            if tie == strength:
                xs += [position[a][0], position[b][0], None]
                ys += [position[a][1], position[b][1], None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    name=style["name"],
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={
                        "width": style["width"] / (2 if compact else 1),
                        "color": style["color"],
                    },
                    hoverinfo="skip",
                )
            )
    nodes = [node for node in graph.nodes if node != GROUP_NODE]
    (x0, x1), (y0, y1) = _NETWORK_RANGE
    if nodes:
        people = [graph.nodes[node]["stakeholder"] for node in nodes]
        sizes = [(7 + 4 * s.influence) if compact else (12 + 7 * s.influence) for s in people]
        texts = [_wrapped(s.name, 16) for s in people]
        plot_w = look.plot_width
        plot_h = height - look.margin["t"] - look.margin["b"] - 60
        group_x, group_y = position[GROUP_NODE]

        def pixels(node: Node) -> tuple[float, float]:
            x, y = position[node]
            return (x - x0) / (x1 - x0) * plot_w, (y - y0) / (y1 - y0) * plot_h

        places = _place_labels(
            [pixels(node) for node in nodes],
            [size / 2 for size in sizes],
            texts,
            [
                _outward(math.atan2(position[n][1] - group_y, position[n][0] - group_x))
                for n in nodes
            ],
            font=look.label,
            bounds=(plot_w, plot_h),
        )
        fig.add_trace(
            go.Scatter(
                name="Stakeholders",
                x=[position[node][0] for node in nodes],
                y=[position[node][1] for node in nodes],
                mode="markers" if compact else "markers+text",
                text=texts,
                textposition=places,
                textfont={"size": look.label, "shadow": HALO},
                marker={
                    "size": sizes,
                    "color": [_band_colour(s.band) for s in people],
                    "line": {"color": OUTLINE, "width": 1.5},
                    "opacity": 1,
                },
                customdata=[
                    [
                        plain_text(s.name),
                        plain_text(s.kind),
                        s.influence,
                        s.band.label,
                        s.tie.value if s.tie.weight else "no",
                    ]
                    for s in people
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}, influence %{customdata[2]}"
                    "<br>%{customdata[3]}<br>%{customdata[4]} tie with us<extra></extra>"
                ),
                showlegend=False,
            )
        )
        # Colour key: one legend entry per band on the map (the points carry no legend).
        for band in _BANDS:
            if any(s.band == band for s in people):
                fig.add_trace(
                    go.Scatter(
                        name=band.label,
                        x=[None],
                        y=[None],
                        mode="markers",
                        marker={
                            "size": 12 if compact else 18,
                            "color": _band_colour(band),
                            "line": {"color": OUTLINE, "width": 1.5},
                        },
                        hoverinfo="skip",
                    )
                )
    group_x, group_y = position[GROUP_NODE]
    directions = [
        math.atan2(position[other][1] - group_y, position[other][0] - group_x)
        for other in graph.neighbors(GROUP_NODE)
    ]
    fig.add_trace(
        go.Scatter(
            name=GROUP_LABEL,
            x=[group_x],
            y=[group_y],
            mode="markers+text",
            text=["<b>Us</b>" if compact else f"<b>{GROUP_LABEL}</b>"],
            textposition=_clearest_side(directions),
            textfont={"size": 14 if compact else 20, "shadow": HALO},
            marker={
                "symbol": "star",
                "size": 26 if compact else 48,
                "color": PALETTE["black"],
                "line": {"color": "#FFFFFF", "width": 2},
            },
            hovertemplate=f"{GROUP_LABEL}<extra></extra>",
            showlegend=False,
        )
    )
    _hide_axes(fig)
    if compact:
        fig.update_xaxes(fixedrange=True)
        fig.update_yaxes(fixedrange=True)
    if not nodes:
        _empty_state(fig, NETWORK_EMPTY_TEXT, y=0.2, compact=compact)
        fig.update_xaxes(range=[-1, 1])
        fig.update_yaxes(range=[-1, 1])
    else:
        # Room around the layout (which spans -1..1) for labels and the largest nodes.
        fig.update_xaxes(range=[x0, x1])
        fig.update_yaxes(range=[y0, y1])
    fig.update_layout(
        legend={"orientation": "h", "y": 0, "yanchor": "top", "x": 0.5, "xanchor": "center"}
    )
    return _finish(fig, title="Who is connected to whom", height=height, screen=screen)


# --- effort versus influence ----------------------------------------------------------------


_EFFORT_WIDTH: Final = {Screen.projector: 24, Screen.laptop: 18, Screen.phone: 12}


def effort_vs_influence(
    stakeholders: Iterable[Stakeholder],
    chosen_ids: Iterable[int],
    *,
    gains: Mapping[int, float] | None = None,
    energy_budget: float | None = None,
    height: int | None = None,
    screen: Screen = Screen.projector,
) -> go.Figure:
    """Energy each relationship takes (across) against what it gains (up), proposal highlighted.

    With `gains` (e.g. Portfolio.gains) the vertical axis is the score's gain; without, it is
    influence. With `energy_budget`, a line marks the budget: anything right of it cannot fit.
    The proposed and the "not our battle" points are named on the chart; the rest are named
    on hover (and the page explains each of them in a sentence).
    """
    compact = screen is Screen.phone
    people = unique_stakeholders(stakeholders)
    chosen = set(chosen_ids)
    look = _look(screen)
    height = height if height is not None else (440 if compact else 720)
    fig = go.Figure()
    if not people:
        _empty_state(fig, EFFORT_EMPTY_TEXT, compact=compact)
        _hide_axes(fig)
        return _finish(fig, title="Effort and gain", height=height, screen=screen)

    def value(s: Stakeholder) -> float:
        return gains.get(s.id, 0.0) if gains is not None else float(s.influence)

    # Stakeholders at the same point are spread a little up and down so each stays visible;
    # the hover gives the exact numbers.
    top = max(max(value(s) for s in people), 1.0)
    spread = top * 0.035
    at_point: dict[tuple[float, float], list[Stakeholder]] = defaultdict(list)
    for s in people:
        at_point[(s.energy_hours, value(s))].append(s)
    shown_y: dict[int, float] = {}
    for (_, y), together in at_point.items():
        for index, s in enumerate(together):
            shown_y[s.id] = y + (index - (len(together) - 1) / 2) * spread
    widest = max([s.energy_hours for s in people] + [energy_budget or 0.0])
    x_range = (-0.05 * max(widest, 1), max(widest, 1) * 1.25)
    y_range = (-0.08 * top, top * 1.12)

    groups = [
        ("Proposed", [s for s in people if s.id in chosen]),
        (
            "Not proposed",
            [s for s in people if s.id not in chosen and not s.not_our_battle],
        ),
        ("Not our battle", [s for s in people if s.id not in chosen and s.not_our_battle]),
    ]
    label = look.label
    styles = {
        "Proposed": {
            "marker": {
                "size": 16 if compact else 24,
                "symbol": "diamond",
                "color": PALETTE["blue"],
                "line": {"color": PALETTE["black"], "width": 2},
            },
            "textfont": {"size": label + 2, "color": PALETTE["black"], "shadow": HALO},
        },
        "Not proposed": {
            "marker": {
                "size": 11 if compact else 16,
                "color": "rgba(255,255,255,0)",
                "line": {"color": PALETTE["grey"], "width": 2.5},
            },
            "textfont": {"size": label, "color": PALETTE["grey"], "shadow": HALO},
        },
        "Not our battle": {
            "marker": {
                "size": 11 if compact else 16,
                "symbol": "x-thin",
                "line": {"color": PALETTE["vermillion"], "width": 3},
            },
            "textfont": {"size": label, "color": PALETTE["vermillion"], "shadow": HALO},
        },
    }
    named = {"Proposed"} if compact else {"Proposed", "Not our battle"}
    plot_w = look.plot_width
    plot_h = height - look.margin["t"] - look.margin["b"] - 130

    def pixels(s: Stakeholder) -> tuple[float, float]:
        return (
            (s.energy_hours - x_range[0]) / (x_range[1] - x_range[0]) * plot_w,
            (shown_y[s.id] - y_range[0]) / (y_range[1] - y_range[0]) * plot_h,
        )

    labelled = [s for name, members in groups if name in named for s in members]
    unlabelled = [s for s in people if s not in labelled]
    texts = {s.id: _wrapped(s.name, _EFFORT_WIDTH[screen], lines=1) for s in people}
    # On a phone a name with no free place is left off the chart rather than written over
    # another (the page gives every proposal in a sentence under the chart).
    crowded: list[int] | None = [] if compact else None
    places = dict(
        zip(
            [s.id for s in labelled],
            _place_labels(
                [pixels(s) for s in labelled],
                [12 for _ in labelled],
                [texts[s.id] for s in labelled],
                [list(_PLACES) for _ in labelled],
                font=label + 2,
                bounds=(plot_w, plot_h),
                obstacles=[(*pixels(s), 9) for s in unlabelled],
                crowded=crowded,
            ),
            strict=True,
        )
    )
    for index in crowded or []:
        texts[labelled[index].id] = ""
    for name, members in groups:
        if not members:
            continue
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[s.energy_hours for s in members],
                y=[shown_y[s.id] for s in members],
                mode="markers+text" if name in named else "markers",
                text=[texts[s.id] for s in members],
                textposition=[places.get(s.id, "middle right") for s in members],
                customdata=[
                    [plain_text(s.name), s.energy_hours, value(s), s.influence] for s in members
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]} hours a month"
                    + ("<br>gain %{customdata[2]}" if gains is not None else "")
                    + "<br>influence %{customdata[3]}<extra>"
                    + name
                    + "</extra>"
                ),
                **styles[name],
            )
        )
    if energy_budget is not None and math.isfinite(energy_budget):
        fig.add_vline(
            x=energy_budget,
            line={"color": PALETTE["black"], "width": 2, "dash": "dash"},
            annotation={
                "text": f"Budget: {energy_budget:g} hours",
                "font": {"size": 14 if compact else 18},
                "bgcolor": "rgba(255,255,255,0.85)",
            },
            # Written on the side of the line with more room, so it is never cut at the edge.
            annotation_position="top left"
            if energy_budget > x_range[0] + 0.6 * (x_range[1] - x_range[0])
            else "top right",
        )
    fig.update_xaxes(
        title={"text": "Energy it takes (hours a month)", "font": {"size": look.axis}},
        range=list(x_range),
        fixedrange=compact,
    )
    fig.update_yaxes(
        title={
            "text": "Gain (the score)" if gains is not None else "Influence",
            "font": {"size": look.axis},
        },
        range=list(y_range),
        fixedrange=compact,
    )
    fig.update_layout(
        # The key under the chart, where it cannot run into the title on a narrower screen.
        legend={"orientation": "h", "y": -0.14, "yanchor": "top", "x": 0.5, "xanchor": "center"}
    )
    return _finish(
        fig,
        title="Effort and gain: the proposed investments",
        height=height,
        screen=screen,
        phone_title="Effort and gain",
    )


# --- kinds of stakeholder (diverse voices) --------------------------------------------------


def kinds_of_stakeholder(
    counts: Mapping[str, int], *, height: int | None = None, screen: Screen = Screen.projector
) -> go.Figure:
    """How many stakeholders of each kind, in list order, with missing kinds marked.

    `counts` is KindDiversity.counts: every kind on the list, zeros included.
    """
    compact = screen is Screen.phone
    kinds = list(counts)
    values = [counts[kind] for kind in kinds]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="Stakeholders",
            x=values,
            y=[plain_text(kind) for kind in kinds],
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
                "text": "<b>missing</b>",
                "x": 0,
                "y": plain_text(kind),
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
        title={"text": "Stakeholders on our map"},
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
        fig.update_xaxes(fixedrange=True, title={"text": "Stakeholders", "font": {"size": 14}})
        fig.update_yaxes(fixedrange=True)
    return _finish(
        fig,
        title="Which voices are on our map",
        height=height
        if height is not None
        else (100 + 34 * len(kinds) if compact else 160 + 52 * len(kinds)),
        screen=screen,
    )
