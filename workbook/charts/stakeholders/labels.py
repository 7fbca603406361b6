"""Keeping names apart: where each point's name goes so that names cover no point and
overlap each other as little as possible."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

# --- keeping labels apart -------------------------------------------------------------------

PLACES: Final = (
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


def place_labels(
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
