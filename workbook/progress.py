"""Where a group is in the walk-through: step numbers and how they read."""

from __future__ import annotations


def clamp_step(step: int, total: int) -> int:
    """A step index that exists (0-based), whatever was stored or asked for."""
    if total <= 0:
        return 0
    return max(0, min(int(step), total - 1))


def step_label(step: int, total: int, title: str) -> str:
    return f"Step {step + 1} of {total}: {title}"


def round_label(round_: int) -> str:
    return "First look" if round_ <= 1 else f"Follow-up {round_ - 1}"
