"""Numbers over seeds: the mean, a Student-t confidence interval, and a verdict on a claim.

For values ``x_1..x_n`` (one per seed) the interval is::

    mean ± t_{n-1, (1 + confidence) / 2} * s / sqrt(n),     s = the sample standard deviation

Two configurations measured on the same seeds are compared *paired*: the interval is that of
the per-seed differences ``a_i - b_i``, which removes the noise the seeds share.

A claim "``quantity`` > 0" gets one of three verdicts from its interval:

* ``holds``: the interval excludes the opposite (``ci_low > 0``);
* ``does not hold``: the interval excludes the claim (``ci_high < 0``);
* ``cannot be told apart``: the interval covers zero (and always with fewer than two seeds,
  where no interval exists).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

HOLDS = "holds"
DOES_NOT_HOLD = "does not hold"
UNDECIDED = "cannot be told apart"
VERDICTS = (HOLDS, DOES_NOT_HOLD, UNDECIDED)

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    """The mean of ``values`` and its confidence interval (NaN bounds below two values)."""

    mean: float
    low: float
    high: float
    values: tuple[float, ...]
    confidence: float = CONFIDENCE

    @property
    def n(self) -> int:
        return len(self.values)

    def to_json(self) -> dict[str, Any]:
        """``mean``, ``ci_low``, ``ci_high``, ``n_seeds`` and ``per_seed`` (None for NaN)."""
        return {
            "mean": _finite_or_none(self.mean),
            "ci_low": _finite_or_none(self.low),
            "ci_high": _finite_or_none(self.high),
            "n_seeds": self.n,
            "per_seed": [_finite_or_none(v) for v in self.values],
        }


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> Interval:
    """The mean of ``values`` with its two-sided Student-t ``confidence`` interval."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    data = tuple(float(v) for v in values)
    if not data:
        raise ValueError("mean_interval needs at least one value")
    n = len(data)
    mean = math.fsum(data) / n
    if n < 2 or not all(math.isfinite(v) for v in data):
        return Interval(mean, math.nan, math.nan, data, confidence)
    from scipy import stats

    spread = math.sqrt(math.fsum((v - mean) ** 2 for v in data) / (n - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * spread / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, data, confidence)


def paired_difference(
    a: Sequence[float], b: Sequence[float], confidence: float = CONFIDENCE
) -> Interval:
    """The interval of the per-seed differences ``a_i - b_i`` (same seeds, same order)."""
    if len(a) != len(b):
        raise ValueError(f"paired values need the same seeds: {len(a)} against {len(b)}")
    return mean_interval([float(x) - float(y) for x, y in zip(a, b, strict=True)], confidence)


def verdict(interval: Interval) -> str:
    """The verdict on the claim "the quantity is above zero" (see the module docstring)."""
    if interval.n < 2 or math.isnan(interval.low) or math.isnan(interval.high):
        return UNDECIDED
    if interval.low > 0:
        return HOLDS
    if interval.high < 0:
        return DOES_NOT_HOLD
    return UNDECIDED


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
