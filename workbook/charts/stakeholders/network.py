"""The network: the group, its stakeholders and the ties between them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

import networkx as nx
import plotly.graph_objects as go

from workbook.charts.stakeholders.labels import place_labels
from workbook.charts.stakeholders.look import (
    BANDS,
    HALO,
    LAYOUT_SEED,
    NETWORK_EMPTY_TEXT,
    NUMBER_POINT,
    OUTLINE,
    Screen,
    band_colour,
    empty_state,
    finish,
    hide_axes,
    number_font,
    sizes_for,
    wrapped,
)
from workbook.charts.theme import PALETTE, plain_text
from workbook.i18n import N_
from workbook.models import Stakeholder, Tie, TieStrength
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import (
    GROUP_LABEL,
    GROUP_NODE,
    Node,
    build_graph,
    reading_numbers,
)
from workbook.stakeholders.words import Translate, same

# --- network --------------------------------------------------------------------------------

_EDGE_STYLE: Final = {
    TieStrength.weak: {"width": 2, "color": "#9A9A9A", "name": N_("Weak tie")},
    TieStrength.strong: {"width": 6, "color": "#4D4D4D", "name": N_("Strong tie")},
}
_NETWORK_RANGE: Final = ((-1.3, 1.3), (-1.3, 1.3))
_APART_Y: Final = -1.45  # on a phone, the row of stakeholders with no route to the group
# On a phone: lines a thumb's width apart can be told apart, and points big enough to tap.
_COMPACT_WIDTH: Final = {TieStrength.weak: 2, TieStrength.strong: 4.5}


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


def _filling(
    graph: nx.Graph, position: dict[Node, tuple[float, float]]
) -> dict[Node, tuple[float, float]]:
    """The layout stretched to fill a phone's plot: the group's part of the network spans the
    whole box (one far-off stakeholder squeezed everyone else into a blob 60 px wide), and
    stakeholders with no route to the group sit in a row below it."""
    main = nx.node_connected_component(graph, GROUP_NODE)
    xs = [position[n][0] for n in main]
    ys = [position[n][1] for n in main]

    def stretch(value: float, low: float, high: float) -> float:
        return 0.0 if high - low < 1e-9 else -1 + 2 * (value - low) / (high - low)

    filled = {
        n: (stretch(position[n][0], min(xs), max(xs)), stretch(position[n][1], min(ys), max(ys)))
        for n in main
    }
    apart = sorted((n for n in graph.nodes if n not in main), key=str)
    for i, node in enumerate(apart):
        x = 0.0 if len(apart) == 1 else -1 + 2 * i / (len(apart) - 1)
        filled[node] = (x, _APART_Y)
    return filled


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
    tr: Translate = same,
) -> go.Figure:
    """The group, its stakeholders and the ties between them, laid out by strength of tie.

    Node size is influence, colour is the band on the spectrum of allies, edge width is tie
    strength. The layout is seeded, so the same map always looks the same; each name sits on
    the side of its node facing away from the group, where it crosses the fewest others.
    """
    _ = tr
    compact = screen is Screen.phone
    graph = build_graph(stakeholders, ties)
    look = sizes_for(screen)
    height = height if height is not None else (440 if compact else 820)
    fig = go.Figure()
    if graph.number_of_nodes() == 1:
        position = {GROUP_NODE: (0.0, 0.0)}
    else:
        position = _layout(
            tuple(graph.nodes),
            tuple((a, b, float(w)) for a, b, w in graph.edges(data="strength")),
        )
        if compact:
            position = _filling(graph, position)
    for strength, style in _EDGE_STYLE.items():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b, tie in graph.edges(data="tie"):
            if tie == strength:
                xs += [position[a][0], position[b][0], None]
                ys += [position[a][1], position[b][1], None]
        if xs:
            shown = str(style["name"])
            fig.add_trace(
                go.Scatter(
                    name=_(shown),
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={
                        "width": _COMPACT_WIDTH[strength] if compact else style["width"],
                        "color": style["color"],
                    },
                    hoverinfo="skip",
                )
            )
    nodes = [node for node in graph.nodes if node != GROUP_NODE]
    (x0, x1), (y0, y1) = _NETWORK_RANGE
    if compact and any(y == _APART_Y for _, y in position.values()):
        y0 = _APART_Y - 0.3
    if nodes:
        people = [graph.nodes[node]["stakeholder"] for node in nodes]
        # On a phone a point is big enough for its number (two digits on a map of ten or more).
        sizes = [
            (NUMBER_POINT - 4 + 4 * s.influence) if compact else (12 + 7 * s.influence)
            for s in people
        ]
        if compact:
            # No room for names on a phone: each point carries its number in the list of
            # who is tied to whom printed under the figure.
            numbers = reading_numbers(people)
            texts = [str(numbers[s.id]) for s in people]
        else:
            texts = [wrapped(s.name, 16) for s in people]
        plot_w = look.plot_width
        plot_h = height - look.margin["t"] - look.margin["b"] - 60
        group_x, group_y = position[GROUP_NODE]

        def pixels(node: Node) -> tuple[float, float]:
            x, y = position[node]
            return (x - x0) / (x1 - x0) * plot_w, (y - y0) / (y1 - y0) * plot_h

        places = place_labels(
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
                name=_("Stakeholders"),
                x=[position[node][0] for node in nodes],
                y=[position[node][1] for node in nodes],
                mode="markers+text",
                text=texts,
                textposition="middle center" if compact else places,
                textfont=(
                    number_font([band_colour(s.band) for s in people])
                    if compact
                    else {"size": look.label, "shadow": HALO}
                ),
                marker={
                    "size": sizes,
                    "color": [band_colour(s.band) for s in people],
                    "line": {"color": OUTLINE, "width": 1.5},
                    "opacity": 1,
                },
                customdata=[
                    [
                        plain_text(s.name),
                        plain_text(word.kind(s.kind, _)),
                        s.influence,
                        word.band(s.band, _),
                        word.our_tie(s.tie, _, capital=True),
                    ]
                    for s in people
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}, "
                    + _("influence {n}").format(n="%{customdata[2]}")
                    + "<br>%{customdata[3]}<br>"
                    + "%{customdata[4]}"
                    + "<extra></extra>"
                ),
                showlegend=False,
            )
        )
        # Colour key: one legend entry per band on the map (the points carry no legend).
        for band in BANDS:
            if any(s.band == band for s in people):
                fig.add_trace(
                    go.Scatter(
                        name=word.band(band, _),
                        x=[None],
                        y=[None],
                        mode="markers",
                        marker={
                            "size": 12 if compact else 18,
                            "color": band_colour(band),
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
            name=_(GROUP_LABEL),
            x=[group_x],
            y=[group_y],
            mode="markers+text",
            text=["<b>" + (_("Us") if compact else _(GROUP_LABEL)) + "</b>"],
            textposition=_clearest_side(directions),
            textfont={"size": 14 if compact else 20, "shadow": HALO},
            marker={
                "symbol": "star",
                "size": 26 if compact else 48,
                "color": PALETTE["black"],
                "line": {"color": "#FFFFFF", "width": 2},
            },
            hovertemplate=_(GROUP_LABEL) + "<extra></extra>",
            showlegend=False,
        )
    )
    hide_axes(fig)
    if compact:
        fig.update_xaxes(fixedrange=True)
        fig.update_yaxes(fixedrange=True)
    if not nodes:
        empty_state(fig, _(NETWORK_EMPTY_TEXT), y=0.2, compact=compact)
        fig.update_xaxes(range=[-1, 1])
        fig.update_yaxes(range=[-1, 1])
    else:
        # Room around the layout (which spans -1..1) for labels and the largest nodes.
        fig.update_xaxes(range=[x0, x1])
        fig.update_yaxes(range=[y0, y1])
    fig.update_layout(
        legend={"orientation": "h", "y": 0, "yanchor": "top", "x": 0.5, "xanchor": "center"}
    )
    return finish(fig, title=_("Who is connected to whom"), height=height, screen=screen)
