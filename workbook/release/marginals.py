"""Measure every margin a funder can ask for once, then make them agree (least squares).

Inside one release (one period) a group sits in one fine cell of cause x region. A funder
asks for a cause or "all", a region or "all": four tables (all; by cause; by region; by cause
and region). Each table is measured with the same Gaussian noise, then the fine cells are
estimated from all four at once by ordinary least squares, as the US Census's TopDown does
for its margins, and every published figure is a sum of those estimates. So the tables agree
with each other (a table's rows add up to its total), and no difference of two views says
more than the measurements did: whatever an attacker computes from the published figures is a
linear function of the four noisy tables, and least squares is already the most precise one
(Gauss-Markov); its variance is published with each figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

ALL = -1  # a cause or region index meaning "all"


@dataclass(frozen=True)
class Marginals:
    """The four tables over `causes` x `regions` fine cells."""

    causes: int
    regions: int

    @cached_property
    def cells(self) -> list[tuple[int, int]]:
        """(cause, region) of each published figure, ALL for "all", in measurement order:
        the total, each cause, each region, each fine cell."""
        out = [(ALL, ALL)]
        out += [(c, ALL) for c in range(self.causes)]
        out += [(ALL, r) for r in range(self.regions)]
        out += [(c, r) for c in range(self.causes) for r in range(self.regions)]
        return out

    @cached_property
    def design(self) -> np.ndarray:
        """0/1 matrix: published figure (row) x fine cell (column) it adds up."""
        fine = self.causes * self.regions
        matrix = np.zeros((len(self.cells), fine))
        for row, (c, r) in enumerate(self.cells):
            for f in range(fine):
                fc, fr = divmod(f, self.regions)
                if (c in (ALL, fc)) and (r in (ALL, fr)):
                    matrix[row, f] = 1.0
        return matrix

    @property
    def tables(self) -> int:
        """How many of the measured figures one group adds to (one per table)."""
        return 4

    def measure(self, fine: np.ndarray) -> np.ndarray:
        """Exact figures for every cell from fine values shaped (..., causes, regions)."""
        flat = fine.reshape(*fine.shape[:-2], self.causes * self.regions)
        return flat @ self.design.T

    @cached_property
    def _solve(self) -> np.ndarray:
        # (A^T A)^-1 A^T A-projection: maps noisy figures to consistent least-squares ones.
        gram_inv = np.linalg.inv(self.design.T @ self.design)
        return self.design @ gram_inv @ self.design.T

    def reconcile(self, noisy: np.ndarray) -> np.ndarray:
        """Least-squares figures for every cell from noisy ones shaped (..., cells)."""
        return noisy @ self._solve.T

    @cached_property
    def variance_factor(self) -> np.ndarray:
        """Per published cell: its least-squares variance over the measurement's variance."""
        return np.clip(np.diag(self._solve), 0.0, None)

    def index(self, cause: int, region: int) -> int:
        return self.cells.index((cause, region))
