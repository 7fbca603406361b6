"""Effort versus influence: the hours each relationship takes against what it could gain,
and which the energy portfolio picks."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Final

import plotly.graph_objects as go

from workbook.charts.stakeholders.labels import PLACES, place_labels
from workbook.charts.stakeholders.look import (
    EFFORT_EMPTY_TEXT,
    HALO,
    NUMBER_POINT,
    Screen,
    empty_state,
    finish,
    hide_axes,
    number_font,
    sizes_for,
    wrapped,
)
from workbook.charts.theme import PALETTE, plain_text
from workbook.models import Stakeholder
from workbook.stakeholders.graph import (
    reading_numbers,
    unique_stakeholders,
)
from workbook.stakeholders.words import Translate, same

# --- effort versus influence ----------------------------------------------------------------


_EFFORT_WIDTH: Final = {Screen.projector: 24, Screen.laptop: 18}
_PHONE_PLOT_WIDTH: Final = 290
# The groups of the chart's points (and of the list under it on a phone), in this order.
EFFORT_GROUPS: Final = ("Proposed", "Not proposed", "Not our battle")


def effort_groups(
    stakeholders: Iterable[Stakeholder], chosen_ids: Iterable[int]
) -> list[tuple[str, list[Stakeholder]]]:
    """Each group of `EFFORT_GROUPS` with its stakeholders: the proposed, the rest, and those
    left out as "not our battle" (in the order given)."""
    people = unique_stakeholders(stakeholders)
    chosen = set(chosen_ids)
    return [
        ("Proposed", [s for s in people if s.id in chosen]),
        ("Not proposed", [s for s in people if s.id not in chosen and not s.not_our_battle]),
        ("Not our battle", [s for s in people if s.id not in chosen and s.not_our_battle]),
    ]


def _apart(
    people: list[Stakeholder],
    value: Callable[[Stakeholder], float],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    plot: tuple[float, float],
) -> dict[int, tuple[float, float]]:
    """Where each numbered point is drawn on a phone (by id, as hours and value): at its own
    place, or the nearest place a point's width from every point already placed (the
    highest values first), on rings around it, inside the plot. The hover gives the exact
    numbers."""
    per_x = plot[0] / (x_range[1] - x_range[0])
    per_y = plot[1] / (y_range[1] - y_range[0])
    half = NUMBER_POINT / 2
    offsets = [(0.0, 0.0)]
    for ring in range(1, len(people) + 1):
        count = 8 * ring
        offsets += [
            (
                ring * NUMBER_POINT * math.sin(2 * math.pi * k / count),
                ring * NUMBER_POINT * math.cos(2 * math.pi * k / count),
            )
            for k in range(count)
        ]
    placed: list[tuple[float, float]] = []
    shown: dict[int, tuple[float, float]] = {}
    for s in sorted(people, key=lambda s: (-value(s), s.energy_hours, s.id)):
        home = ((s.energy_hours - x_range[0]) * per_x, (value(s) - y_range[0]) * per_y)
        for dx, dy in offsets:
            x, y = home[0] + dx, home[1] + dy
            inside = half <= x <= plot[0] - half and half <= y <= plot[1] - half
            if (dx or dy) and not inside:
                continue  # a point moved stays in the plot, never below the axis's foot
            if all(math.hypot(x - px, y - py) >= NUMBER_POINT for px, py in placed):
                break
        placed.append((x, y))
        shown[s.id] = (x / per_x + x_range[0], y / per_y + y_range[0])
    return shown


def effort_vs_influence(
    stakeholders: Iterable[Stakeholder],
    chosen_ids: Iterable[int],
    *,
    gains: Mapping[int, float] | None = None,
    energy_budget: float | None = None,
    height: int | None = None,
    screen: Screen = Screen.projector,
    tr: Translate = same,
) -> go.Figure:
    """Energy each relationship takes (across) against what it gains (up), proposal highlighted.

    With `gains` (e.g. Portfolio.gains) the vertical axis is the score's gain; without, it is
    influence. With `energy_budget`, a line marks the budget: anything right of it cannot fit.
    The proposed and the "not our battle" points are named on the chart; the rest are named
    on hover (and the page explains each of them in a sentence). On a phone every point
    carries its stakeholder's number instead (`reading_numbers`, as on the other views) and
    the page lists the numbered names under the figure.
    """
    _ = tr
    compact = screen is Screen.phone
    people = unique_stakeholders(stakeholders)
    chosen = set(chosen_ids)
    look = sizes_for(screen)
    height = height if height is not None else (440 if compact else 720)
    fig = go.Figure()
    if not people:
        empty_state(fig, _(EFFORT_EMPTY_TEXT), compact=compact)
        hide_axes(fig)
        return finish(fig, title=_("Effort and gain"), height=height, screen=screen)

    def value(s: Stakeholder) -> float:
        return gains.get(s.id, 0.0) if gains is not None else float(s.influence)

    # Stakeholders at the same point are spread a little up and down so each stays visible
    # (on a phone, points that would hide each other's numbers are moved apart); the hover
    # gives the exact numbers.
    top = max(max(value(s) for s in people), 1.0)
    y_range = (-0.08 * top, top * 1.12)
    plot_w = look.plot_width
    plot_h = height - look.margin["t"] - look.margin["b"] - 130
    widest = max([s.energy_hours for s in people] + [energy_budget or 0.0])
    x_range = (-0.05 * max(widest, 1), max(widest, 1) * 1.25)
    shown_y: dict[int, float] = {}
    shown_x = {s.id: s.energy_hours for s in people}
    if compact:
        # The plot as a 390-pixel phone draws it: about 290 pixels across, and the figure's
        # height less its title, its key and its axis (as `finish` sets the margins).
        drawn = (_PHONE_PLOT_WIDTH, height + 40 - look.margin["t"] - 120 - 20)
        at = _apart(people, value, x_range, y_range, drawn)
        shown_x = {sid: x for sid, (x, _y) in at.items()}
        shown_y = {sid: y for sid, (_x, y) in at.items()}
    else:
        spread = top * 0.035
        at_point: dict[tuple[float, float], list[Stakeholder]] = defaultdict(list)
        for s in people:
            at_point[(s.energy_hours, value(s))].append(s)
        for (_hours, y), together in at_point.items():
            for index, s in enumerate(together):
                shown_y[s.id] = y + (index - (len(together) - 1) / 2) * spread

    groups = effort_groups(people, chosen)
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
    if compact:
        # On a phone every point carries its number (the list under the figure names it),
        # in a point big enough for two digits and filled, so the number stands out.
        fills = {
            "Proposed": PALETTE["blue"],
            "Not proposed": "#FFFFFF",
            "Not our battle": "#FFFFFF",
        }
        styles["Proposed"]["marker"]["size"] = NUMBER_POINT + 8  # a diamond's middle is narrow
        styles["Not proposed"]["marker"].update(size=NUMBER_POINT, color=fills["Not proposed"])
        styles["Not our battle"]["marker"].update(
            size=NUMBER_POINT - 2, symbol="square", color=fills["Not our battle"]
        )
        for name, members in groups:
            styles[name]["textfont"] = number_font([fills[name] for _s in members])
    named = set(EFFORT_GROUPS) if compact else {"Proposed", "Not our battle"}
    gain_line = "<br>" + _("gain {n}").format(n="%{customdata[2]}")
    shown_as = {
        "Proposed": _("Proposed"),
        "Not proposed": _("Not proposed"),
        "Not our battle": _("Not our battle"),
    }

    def pixels(s: Stakeholder) -> tuple[float, float]:
        return (
            (s.energy_hours - x_range[0]) / (x_range[1] - x_range[0]) * plot_w,
            (shown_y[s.id] - y_range[0]) / (y_range[1] - y_range[0]) * plot_h,
        )

    places: dict[int, str] = {}
    if compact:
        numbers = reading_numbers(people)
        texts = {s.id: str(numbers[s.id]) for s in people}
    else:
        labelled = [s for name, members in groups if name in named for s in members]
        unlabelled = [s for s in people if s not in labelled]
        texts = {s.id: wrapped(s.name, _EFFORT_WIDTH[screen], lines=1) for s in people}
        places = dict(
            zip(
                [s.id for s in labelled],
                place_labels(
                    [pixels(s) for s in labelled],
                    [12 for _ in labelled],
                    [texts[s.id] for s in labelled],
                    [list(PLACES) for _ in labelled],
                    font=label + 2,
                    bounds=(plot_w, plot_h),
                    obstacles=[(*pixels(s), 9) for s in unlabelled],
                ),
                strict=True,
            )
        )
    for name, members in groups:
        if not members:
            continue
        fig.add_trace(
            go.Scatter(
                name=shown_as[name],
                x=[shown_x[s.id] for s in members],
                y=[shown_y[s.id] for s in members],
                mode="markers+text" if name in named else "markers",
                text=[texts[s.id] for s in members],
                textposition=(
                    "middle center"
                    if compact
                    else [places.get(s.id, "middle right") for s in members]
                ),
                customdata=[
                    [plain_text(s.name), s.energy_hours, value(s), s.influence] for s in members
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>"
                    + _("{hours} hours a month").format(hours="%{customdata[1]}")
                    + (gain_line if gains is not None else "")
                    + "<br>"
                    + _("influence {n}").format(n="%{customdata[3]}")
                    + "<extra>"
                    + shown_as[name]
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
                "text": _("Budget: {hours} hours").format(hours=f"{energy_budget:g}"),
                "font": {"size": 14 if compact else 18},
                "bgcolor": "rgba(255,255,255,0.85)",
            },
            # Written on the side of the line with more room, so it is never cut at the edge.
            annotation_position="top left"
            if energy_budget > x_range[0] + 0.6 * (x_range[1] - x_range[0])
            else "top right",
        )
    fig.update_xaxes(
        title={"text": _("Energy it takes (hours a month)"), "font": {"size": look.axis}},
        range=list(x_range),
        fixedrange=compact,
    )
    fig.update_yaxes(
        title={
            "text": _("Gain (the score)") if gains is not None else _("Influence"),
            "font": {"size": look.axis},
        },
        range=list(y_range),
        fixedrange=compact,
    )
    fig.update_layout(
        # The key under the chart, where it cannot run into the title on a narrower screen;
        # on a phone further down, clear of the axis title (they overlapped at 390 px).
        legend={
            "orientation": "h",
            "y": -0.26 if compact else -0.14,
            "yanchor": "top",
            "x": 0.5,
            "xanchor": "center",
        }
    )
    return finish(
        fig,
        title=_("Effort and gain: the proposed investments"),
        height=height + (40 if compact else 0),
        screen=screen,
        phone_title=_("Effort and gain"),
        phone_margin={"b": 120},
    )
