"""The privacy budget of a release: how much each group may lose, and where it is spent."""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbook.release.mechanisms import epsilon_at

# Where one release's rho goes, as shares of it. Ratings get most: they are what funders
# read first. Change between rounds is measured on its own (paired differences).
DEFAULT_SHARES: dict[str, float] = {
    "causes": 0.04,
    "regions": 0.04,
    "groups": 0.04,
    "participants": 0.02,
    "ratings": 0.64,
    "change": 0.10,
    "maps": 0.06,
    "phrases": 0.06,
}

Z90 = 1.6448536269514722  # a 90% interval is the estimate +/- Z90 standard deviations
MEAN_LIMIT = 0.5  # a mean (1-5 scale) or change whose margin is wider says "too few"

# Of the ratings' rho, the part spent first on counting each statement's raters (noisily);
# the counts then decide how the rest is split between the statements (`statement_rhos`).
RATERS_SHARE = 0.05
# A statement counted below this share of the most rated one's count is split as if it had
# this share: one statement asked of few groups cannot take most of the budget.
STATEMENT_FLOOR = 0.1
# Planning a mean's margin: sum over the five bars of (bar - mean)^2 at a mean of 3.
PLANNED_SPREAD = 10.0

EPSILON_DELTA = 1e-6  # the delta at which epsilon is quoted
MAX_RELEASE_RHO = 10.0  # the most one release may spend, whatever the lifetime budget


class Budget(BaseModel):
    """One release's parameters. `rho` is zCDP per group for this release."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rho: float = Field(default=0.5, gt=0, le=MAX_RELEASE_RHO)
    lifetime_rho: float = Field(default=1.0, gt=0, le=50)
    shares: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_SHARES))
    threshold_delta: float = Field(default=1e-8, gt=0, lt=1e-3)
    participants_cap: int = Field(default=15, ge=1, le=200)
    phrases_per_lesson: int = Field(default=2, ge=1, le=20)
    quotes_per_lesson: int = Field(default=12, ge=0, le=100)
    min_groups: int = Field(default=5, ge=3)
    # A quote's cause x region x year also spans this many workshops, so it cannot be
    # narrowed to one or two rooms someone knows of (3 keeps 153 of 311 quotes on 200 demo
    # workshops, still six per lesson; K workshops kept none).
    quote_workshops: int = Field(default=3, ge=1)

    @model_validator(mode="after")
    def _shares_add_up(self) -> Budget:
        if set(self.shares) != set(DEFAULT_SHARES):
            raise ValueError(f"shares must name exactly {sorted(DEFAULT_SHARES)}")
        if any(v <= 0 for v in self.shares.values()):
            raise ValueError("every share must be positive")
        if abs(sum(self.shares.values()) - 1.0) > 1e-9:
            raise ValueError("the shares must add up to 1")
        if self.rho > self.lifetime_rho:
            raise ValueError("one release cannot spend more than a group's lifetime budget")
        return self

    def rho_of(self, family: str) -> float:
        return self.rho * self.shares[family]


def statement_rhos(
    raters: np.ndarray, rho: float, *, sensitivity: float, variance: float, share: float
) -> np.ndarray:
    """Split `rho` between rating statements from their noisy raters' counts.

    Each statement's noise is in proportion to its raters' count, so every statement's mean
    has about the same margin when a filter keeps the same share of its raters (rho_s in
    proportion to 1 / count_s^2, since rho = sensitivity^2 / (2 scale^2)). Statements too
    few groups rated are not chased: counts are raised to a floor, the larger of
    `STATEMENT_FLOOR` of the most rated statement's and the lowest count at which every
    statement (counted at least that) still gets a margin within `MEAN_LIMIT` under one
    filter, planned as a selection holding `share` of its raters, whose figures have
    `variance` per unit of noise variance (least squares). When not even the most rated
    statement can get there, all get the same noise. `sensitivity`: one statement's L2
    bound. The parts add up to `rho` whatever the counts, so the split is post-processing
    of the counts and the release's cost does not depend on them."""
    counts = np.maximum(np.asarray(raters, dtype=np.float64), 1.0)
    if counts.size == 0:
        return counts

    # A mean's planned margin is Z90 sqrt(spread variance) scale / (share count), and
    # scale = sensitivity / sqrt(2 rho).
    per_scale = Z90 * math.sqrt(PLANNED_SPREAD * variance) / share

    def needed(count: np.ndarray | float) -> np.ndarray:
        # The rho at which a statement counted `count` has a planned margin of MEAN_LIMIT.
        return np.asarray((per_scale * sensitivity / (MEAN_LIMIT * np.asarray(count))) ** 2 / 2)

    ranked = np.sort(counts)[::-1]
    floor = ranked[0]
    for k, count in enumerate(ranked, start=1):
        if needed(ranked[:k]).sum() + (counts.size - k) * needed(count) > rho:
            break
        floor = count
    floor = max(floor, ranked[0] * STATEMENT_FLOOR)
    weights = np.maximum(counts, floor) ** -2.0
    return rho * weights / weights.sum()


def epsilon_text(rho: float, delta_spent: float = 0.0) -> str:
    """'epsilon = 4.2 at delta = 1e-6' for a zCDP rho (plus any delta already spent)."""
    epsilon = epsilon_at(rho, EPSILON_DELTA)
    return f"ε = {epsilon:.1f} at δ = {EPSILON_DELTA + delta_spent:.0e}"
