"""Stakeholder-map figures: influence x position grid, spectrum of allies, network, effort."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Final

import networkx as nx
import plotly.graph_objects as go

from workbook.charts.theme import PALETTE, SPECTRUM_COLOURS, styled
from workbook.models import SpectrumBand, Stakeholder, Tie, TieStrength
from workbook.stakeholders import (
    GROUP_LABEL,
    GROUP_NODE,
    HIGH_INFLUENCE,
    Quadrant,
    build_graph,
    grid_quadrant,
    unique_stakeholders,
)

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


def plain_text(value: object) -> str:
    """User text made safe for a plotly label: plotly reads a few HTML tags, so escape them."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label(name: str, limit: int) -> str:
    # Cut before escaping, so an escape sequence is never cut in half.
    short = name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
    return plain_text(short)


def _band_colour(band: SpectrumBand) -> str:
    return SPECTRUM_COLOURS[band.score + 2]


def _empty_state(fig: go.Figure, text: str, *, y: float = 0.5) -> None:
    fig.add_annotation(
        name=EMPTY_STATE,
        text=text,
        x=0.5,
        y=y,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 24, "color": "#333333"},
        bgcolor="rgba(255,255,255,0.92)",
        borderpad=12,
    )


def _hide_axes(fig: go.Figure) -> None:
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_xaxes(**hidden)
    fig.update_yaxes(**hidden)


_BANDS: Final = list(SpectrumBand)
_BAND_TICKS: Final = {"tickmode": "array", "tickvals": [b.score for b in _BANDS]}


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


def _cell_positions(count: int) -> tuple[list[tuple[float, float]], int]:
    """Offsets from a cell's centre for `count` stakeholders sharing it, and the label length.

    Up to five share a cell as a list (full-ish labels right of each marker); more go in two
    columns with shorter labels. The hover always carries the full name.
    """
    columns = 1 if count <= 5 else 2
    rows = math.ceil(count / columns)
    step_y = 0.0 if rows == 1 else min(0.3, 0.72 / (rows - 1))
    top = step_y * (rows - 1) / 2
    offsets = []
    for index in range(count):
        column, row = divmod(index, rows)
        offsets.append((-0.42 + column * 0.46, top - row * step_y))
    return offsets, (20 if columns == 1 else 10)


def influence_position_grid(stakeholders: Iterable[Stakeholder], *, height: int = 760) -> go.Figure:
    """Influence (up) by position on the spectrum of allies (across), in labelled quadrants."""
    people = unique_stakeholders(stakeholders)
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
                "font": {"size": 22, "color": "#222222"},
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
        offsets, limit = _cell_positions(len(members))
        for s, (dx, dy) in zip(members, offsets, strict=True):
            xs.append(score + dx)
            ys.append(influence + dy)
            texts.append(_label(s.name, limit))
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
                mode="markers+text",
                text=texts,
                textposition="middle right",
                textfont={"size": LABEL_FONT_SIZE},
                marker={"size": 16, "color": colours, "line": {"color": OUTLINE, "width": 1.5}},
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
            text=[f"<b>{GROUP_LABEL}</b>"],
            textposition="bottom center",
            textfont={"size": 20},
            marker={"symbol": "star", "size": 38, "color": PALETTE["black"]},
            hovertemplate=f"{GROUP_LABEL}: the group making this map<extra></extra>",
            showlegend=False,
        )
    )
    if not people:
        _empty_state(fig, GRID_EMPTY_TEXT)
    fig.update_xaxes(
        range=list(_GRID_X),
        ticktext=[b.label for b in _BANDS],
        showgrid=False,
        zeroline=False,
        title={"text": "Position on the spectrum of allies"},
        **_BAND_TICKS,
    )
    fig.update_yaxes(
        range=list(_GRID_Y),
        tickmode="array",
        tickvals=[1, 2, 3, 4, 5],
        showgrid=False,
        zeroline=False,
        title={"text": "Influence"},
    )
    return styled(fig, title="Who matters, and where they stand", height=height)


# --- spectrum of allies ---------------------------------------------------------------------

_MARKER_DX: Final = -0.42  # markers sit at the left of their band; names run to the right


def _band_tint(band: SpectrumBand) -> str:
    hex_colour = _band_colour(band).lstrip("#")
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},0.16)"


def spectrum_of_allies(
    stakeholders: Iterable[Stakeholder], *, height: int | None = None
) -> go.Figure:
    """Five bands, opposition to ally, each listing its stakeholders; arrows to target bands."""
    people = unique_stakeholders(stakeholders)
    columns: dict[SpectrumBand, list[Stakeholder]] = {band: [] for band in _BANDS}
    for s in people:
        columns[s.band].append(s)
    for members in columns.values():
        members.sort(key=lambda s: (-s.influence, s.name.casefold(), s.id))
    rows = max((len(m) for m in columns.values()), default=0)
    bottom = -max(rows - 1, 2) - 0.8  # at least three rows tall, so an empty map has columns

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
            x, y = band.score + _MARKER_DX, -row
            xs.append(x)
            ys.append(y)
            texts.append(_label(s.name, 22))
            colours.append(_band_colour(band))
            sizes.append(10 + 3 * s.influence)
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
            arrow_y = y - 0.3 - 0.05 * (band.score + 2)
            moves.append(
                {
                    "name": f"move:{s.id}",
                    "x": target.score + _MARKER_DX,
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
                    "arrowsize": 1.4,
                    "arrowwidth": 2.5,
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
                mode="markers+text",
                text=texts,
                textposition="middle right",
                textfont={"size": LABEL_FONT_SIZE + 2},
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
        _empty_state(fig, SPECTRUM_EMPTY_TEXT, y=0.45)
    fig.update_xaxes(
        range=[-2.5, 2.5],
        ticktext=[f"<b>{b.label}</b> ({len(columns[b])})" for b in _BANDS],
        side="top",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        **_BAND_TICKS,
    )
    fig.update_yaxes(range=[bottom, 0.8], visible=False, fixedrange=True)
    fig.update_layout(margin={"t": 120})
    return styled(
        fig,
        title="Spectrum of allies: arrows point to where we want them",
        height=height if height is not None else max(560, 170 + 46 * rows),
    )


# --- network --------------------------------------------------------------------------------

_EDGE_STYLE: Final = {
    TieStrength.weak: {"width": 2, "color": "#9A9A9A", "name": "Weak tie"},
    TieStrength.strong: {"width": 6, "color": "#4D4D4D", "name": "Strong tie"},
}


def network(
    stakeholders: Iterable[Stakeholder], ties: Iterable[Tie], *, height: int = 820
) -> go.Figure:
    """The group, its stakeholders and the ties between them, laid out by strength of tie.

    Node size is influence, colour is the band on the spectrum of allies, edge width is tie
    strength. The layout is seeded, so the same map always looks the same.
    """
    graph = build_graph(stakeholders, ties)
    fig = go.Figure()
    if graph.number_of_nodes() == 1:
        position = {GROUP_NODE: (0.0, 0.0)}
    else:
        # Twice the default spacing leaves room for the labels.
        spacing = 2 / math.sqrt(graph.number_of_nodes())
        position = nx.spring_layout(
            graph, seed=LAYOUT_SEED, weight="strength", k=spacing, iterations=100
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
                    line={"width": style["width"], "color": style["color"]},
                    hoverinfo="skip",
                )
            )
    nodes = [node for node in graph.nodes if node != GROUP_NODE]
    if nodes:
        people = [graph.nodes[node]["stakeholder"] for node in nodes]
        fig.add_trace(
            go.Scatter(
                name="Stakeholders",
                x=[position[node][0] for node in nodes],
                y=[position[node][1] for node in nodes],
                mode="markers+text",
                text=[_label(s.name, 18) for s in people],
                textposition="top center",
                textfont={"size": LABEL_FONT_SIZE},
                marker={
                    "size": [12 + 7 * s.influence for s in people],
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
                            "size": 18,
                            "color": _band_colour(band),
                            "line": {"color": OUTLINE, "width": 1.5},
                        },
                        hoverinfo="skip",
                    )
                )
    group_x, group_y = position[GROUP_NODE]
    fig.add_trace(
        go.Scatter(
            name=GROUP_LABEL,
            x=[group_x],
            y=[group_y],
            mode="markers+text",
            text=[f"<b>{GROUP_LABEL}</b>"],
            textposition="bottom center",
            textfont={"size": 20},
            marker={
                "symbol": "star",
                "size": 48,
                "color": PALETTE["black"],
                "line": {"color": "#FFFFFF", "width": 2},
            },
            hovertemplate=f"{GROUP_LABEL}<extra></extra>",
            showlegend=False,
        )
    )
    _hide_axes(fig)
    if not nodes:
        _empty_state(fig, NETWORK_EMPTY_TEXT, y=0.2)
        fig.update_xaxes(range=[-1, 1])
        fig.update_yaxes(range=[-1, 1])
    else:
        # Room around the layout (which spans -1..1) for labels and the largest nodes.
        fig.update_xaxes(range=[-1.25, 1.25])
        fig.update_yaxes(range=[-1.2, 1.25])
    fig.update_layout(
        legend={"orientation": "h", "y": 0, "yanchor": "top", "x": 0.5, "xanchor": "center"}
    )
    return styled(fig, title="Who is connected to whom", height=height)


# --- effort versus influence ----------------------------------------------------------------


def effort_vs_influence(
    stakeholders: Iterable[Stakeholder],
    chosen_ids: Iterable[int],
    *,
    gains: Mapping[int, float] | None = None,
    energy_budget: float | None = None,
    height: int = 720,
) -> go.Figure:
    """Energy each relationship takes (across) against what it gains (up), proposal highlighted.

    With `gains` (e.g. Portfolio.gains) the vertical axis is the score's gain; without, it is
    influence. With `energy_budget`, a line marks the budget: anything right of it cannot fit.
    """
    people = unique_stakeholders(stakeholders)
    chosen = set(chosen_ids)
    fig = go.Figure()
    if not people:
        _empty_state(fig, EFFORT_EMPTY_TEXT)
        _hide_axes(fig)
        return styled(fig, title="Effort and gain", height=height)

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

    groups = [
        ("Proposed", [s for s in people if s.id in chosen]),
        (
            "Not proposed",
            [s for s in people if s.id not in chosen and not s.not_our_battle],
        ),
        ("Not our battle", [s for s in people if s.id not in chosen and s.not_our_battle]),
    ]
    styles = {
        "Proposed": {
            "marker": {
                "size": 24,
                "symbol": "diamond",
                "color": PALETTE["blue"],
                "line": {"color": PALETTE["black"], "width": 2},
            },
            "textfont": {"size": LABEL_FONT_SIZE + 2, "color": PALETTE["black"]},
        },
        "Not proposed": {
            "marker": {
                "size": 16,
                "color": "rgba(255,255,255,0)",
                "line": {"color": PALETTE["grey"], "width": 2.5},
            },
            "textfont": {"size": LABEL_FONT_SIZE, "color": PALETTE["grey"]},
        },
        "Not our battle": {
            "marker": {
                "size": 16,
                "symbol": "x-thin",
                "line": {"color": PALETTE["vermillion"], "width": 3},
            },
            "textfont": {"size": LABEL_FONT_SIZE, "color": PALETTE["vermillion"]},
        },
    }
    label_everyone = len(people) <= 25  # past that, only the proposal is named on the chart
    for name, members in groups:
        if not members:
            continue
        show_text = name == "Proposed" or label_everyone
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[s.energy_hours for s in members],
                y=[shown_y[s.id] for s in members],
                mode="markers+text" if show_text else "markers",
                text=[_label(s.name, 18) for s in members],
                textposition="middle right",
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
            annotation={"text": f"Budget: {energy_budget:g} hours", "font": {"size": 18}},
            annotation_position="top right",
        )
    widest = max([s.energy_hours for s in people] + [energy_budget or 0.0])
    fig.update_xaxes(
        title={"text": "Energy it takes (hours a month)"},
        range=[-0.05 * max(widest, 1), max(widest, 1) * 1.25],
    )
    fig.update_yaxes(
        title={"text": "Gain (the score)" if gains is not None else "Influence"},
        range=[-0.08 * top, top * 1.12],
    )
    fig.update_layout(
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"}
    )
    return styled(fig, title="Effort and gain: the proposed investments", height=height)
