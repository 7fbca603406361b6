"""The noise: every random draw a release publishes comes from OpenDP's vetted samplers.

Three measurements, each built with OpenDP and asked (`.map`) what it costs:
- `gaussian_vector`: the Gaussian mechanism on a vector whose L2 sensitivity (how far one
  group can move it) the caller states; zCDP rho = sensitivity^2 / (2 scale^2).
- `threshold_keys`: OpenDP's Gaussian threshold (propose-test-release) on counts per key
  whose keys are not known in advance (causes, regions, phrases); it costs rho and a delta.
- `uniform_keys`: secure random keys (the quote sample's order), drawn as OpenDP Gaussian
  noise on zeros; they release nothing about the data, so they cost nothing.

`Noise` is the seam the attack tests use to prove they can fail: `ExactNoise` adds nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import opendp.prelude as dp

dp.enable_features("contrib")


@dataclass(frozen=True)
class Spent:
    """What one measurement cost: zCDP rho and, for thresholds, a delta."""

    rho: float
    delta: float = 0.0

    def __add__(self, other: Spent) -> Spent:
        return Spent(self.rho + other.rho, self.delta + other.delta)


def scale_for(sensitivity: float, rho: float) -> float:
    """The Gaussian scale that spends `rho` on a query of this L2 sensitivity."""
    if rho <= 0:
        raise ValueError("rho must be positive")
    return sensitivity / math.sqrt(2.0 * rho)


class Noise(Protocol):
    def gaussian_vector(
        self, values: np.ndarray, *, sensitivity: float, rho: float
    ) -> tuple[np.ndarray, float, Spent]: ...

    def threshold_keys(
        self, counts: Mapping[str, int], *, keys_per_group: int, rho: float, delta: float
    ) -> tuple[dict[str, int], Spent]: ...

    def uniform_keys(self, count: int) -> list[float]: ...


class OpenDPNoise:
    """The release's noise, from OpenDP."""

    def gaussian_vector(
        self, values: np.ndarray, *, sensitivity: float, rho: float
    ) -> tuple[np.ndarray, float, Spent]:
        """Noisy copy of `values` (any shape), the scale used and what it spent. Integer
        arrays get discrete Gaussian noise (integers out); float arrays continuous."""
        values = np.asarray(values)
        integer = np.issubdtype(values.dtype, np.integer)
        if integer:
            # The integer metric takes whole distances: spend what the rounded-up bound costs.
            space = dp.vector_domain(dp.atom_domain(T=int)), dp.l2_distance(T=int)
            d_in: float | int = math.ceil(sensitivity)
            flat = [int(v) for v in values.ravel().tolist()]
        else:
            space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l2_distance(T=float)
            d_in = float(sensitivity)
            flat = [float(v) for v in values.ravel().tolist()]
        scale = scale_for(d_in, rho)
        measurement = space >> dp.m.then_gaussian(scale=scale)
        spent = Spent(float(measurement.map(d_in)))
        if not flat:
            return values.copy(), scale, spent
        noisy = np.asarray(measurement(flat), dtype=values.dtype).reshape(values.shape)
        return noisy, scale, spent

    def threshold_keys(
        self, counts: Mapping[str, int], *, keys_per_group: int, rho: float, delta: float
    ) -> tuple[dict[str, int], Spent]:
        """Noisy counts of the keys whose noisy count clears a threshold set so that the
        chance of releasing a key only a few groups hold stays below `delta`. Each group adds
        1 to at most `keys_per_group` keys."""
        domain = dp.map_domain(dp.atom_domain(T=str), dp.atom_domain(T=int))
        metric = dp.l02inf_distance(dp.absolute_distance(T=int))
        d_in = (keys_per_group, math.ceil(math.sqrt(keys_per_group)), 1)
        scale = scale_for(math.sqrt(keys_per_group), rho)
        threshold = threshold_for(scale, keys_per_group, delta)
        measurement = dp.m.make_gaussian_threshold(domain, metric, scale=scale, threshold=threshold)
        used_rho, used_delta = measurement.map(d_in)
        released = measurement({str(k): int(v) for k, v in counts.items() if v > 0})
        return {str(k): int(v) for k, v in released.items()}, Spent(used_rho, used_delta)

    def uniform_keys(self, count: int) -> list[float]:
        """`count` independent random keys (standard normal draws from OpenDP's sampler on
        zeros; only their order is used)."""
        if count <= 0:
            return []
        space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l2_distance(T=float)
        return [float(x) for x in (space >> dp.m.then_gaussian(scale=1.0))([0.0] * count)]


def threshold_for(scale: float, keys_per_group: int, delta: float) -> int:
    """The smallest integer threshold at which OpenDP's Gaussian threshold spends at most
    `delta` (found by doubling then bisecting, asking OpenDP each time)."""
    domain = dp.map_domain(dp.atom_domain(T=str), dp.atom_domain(T=int))
    metric = dp.l02inf_distance(dp.absolute_distance(T=int))
    d_in = (keys_per_group, math.ceil(math.sqrt(keys_per_group)), 1)

    def delta_at(threshold: int) -> float:
        m = dp.m.make_gaussian_threshold(domain, metric, scale=scale, threshold=threshold)
        return float(m.map(d_in)[1])

    high = 2
    while delta_at(high) > delta:
        high *= 2
    low = high // 2
    while low + 1 < high:
        middle = (low + high) // 2
        if delta_at(middle) > delta:
            low = middle
        else:
            high = middle
    return high


class ExactNoise:
    """No noise at all. Only for tests that must show an attack succeeds without it."""

    def gaussian_vector(
        self, values: np.ndarray, *, sensitivity: float, rho: float
    ) -> tuple[np.ndarray, float, Spent]:
        return np.asarray(values).copy(), 1e-9, Spent(float("inf"))

    def threshold_keys(
        self, counts: Mapping[str, int], *, keys_per_group: int, rho: float, delta: float
    ) -> tuple[dict[str, int], Spent]:
        return {str(k): int(v) for k, v in counts.items() if v > 0}, Spent(float("inf"), 1.0)

    def uniform_keys(self, count: int) -> list[float]:
        return [float(i) for i in range(count)]


def epsilon_at(rho: float, delta: float) -> float:
    """The (epsilon, delta)-DP that zCDP rho implies, by OpenDP's conversion."""
    if rho <= 0:
        return 0.0
    if not math.isfinite(rho):
        return math.inf
    space = dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float)
    # A Gaussian with scale 1 and sensitivity sqrt(2 rho) spends exactly rho.
    gaussian = space >> dp.m.then_gaussian(scale=1.0)
    profile = dp.c.make_zCDP_to_approxDP(gaussian).map(math.sqrt(2.0 * rho))
    return float(profile.epsilon(delta))
