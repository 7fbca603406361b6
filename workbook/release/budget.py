"""The privacy budget of a release: how much each group may lose, and where it is spent."""

from __future__ import annotations

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

EPSILON_DELTA = 1e-6  # the delta at which epsilon is quoted


class Budget(BaseModel):
    """One release's parameters. `rho` is zCDP per group for this release."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rho: float = Field(default=0.5, gt=0, le=10)
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


def epsilon_text(rho: float, delta_spent: float = 0.0) -> str:
    """'epsilon = 4.2 at delta = 1e-6' for a zCDP rho (plus any delta already spent)."""
    epsilon = epsilon_at(rho, EPSILON_DELTA)
    return f"ε = {epsilon:.1f} at δ = {EPSILON_DELTA + delta_spent:.0e}"
