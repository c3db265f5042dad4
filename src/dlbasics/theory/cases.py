"""The cases every check tries: fixed extreme ones plus random ones from a seeded stream per claim.

Each claim draws from its own stream ``default_rng([seed, claim])``, so one claim's cases do not
depend on another's, and the same seed always gives the same cases.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from dlbasics.theory.measure import Array, fmt

#: Largest logit magnitude in the test cases; the stable functions must stay finite up to here.
Z_MAX = 1e3
#: Largest logit magnitude with the extreme cases switched off (``extreme=False``): far from
#: where exp overflows (709.8) or 1 - sigma(z) rounds to 0 (36.7), so a correct but naive
#: formula such as 1 / (1 + exp(-z)) passes and only a wrong one fails.
MODERATE_Z_MAX = 30.0

#: Scalar logits every scalar check tries: 0, tiny, moderate, where exp overflows (709.8),
#: where it underflows (-745), and the extremes +-1e3.
EXTREME_SCALARS = np.array(
    [0.0, 1e-8, 0.5, 1.0, 5.0, 20.0, 36.8, 50.0, 100.0, 500.0, 709.0, 710.0, 745.0, 800.0, 1e3]
)
EXTREME_SCALARS = np.concatenate([EXTREME_SCALARS, -EXTREME_SCALARS[1:]])

#: Logit vectors every vector check tries: saturated, tied, nearly tied at +-1e3, all equal.
EXTREME_LOGITS: tuple[Array, ...] = tuple(
    np.array(v, dtype=np.float64)
    for v in (
        [1e3, -1e3],
        [-1e3, 1e3],
        [1e3, 1e3, 1e3],
        [-1e3, -1e3, -1e3, 1e3],
        [0.0, 0.0],
        [1e3, 1e3 - 1e-3, -1e3],
        [709.0, 710.0, -745.0],
        [-1e3, -1e3 + 1.0, -1e3 + 2.0],
        [0.0] * 10,
        list(np.linspace(-1e3, 1e3, 9)),
    )
)

#: Claim 6's fixed case: tanh is odd, so flipping the sign of everything that touches the hidden
#: unit (w1, b1, v0, v1) leaves the network, hence the loss, unchanged. The midpoint of a network
#: and its mirror image switches the hidden unit off (tanh(0) = 0), which is worse on (x=1, a=0):
#: L(theta1) = L(theta2) = log(1 + exp(-2 tanh 1)) = 0.1972 < L(midpoint) = log 2 = 0.6931.
MIRROR_PAIRS: tuple[tuple[Array, Array, float, int], ...] = (
    (np.array([1.0, 0.0, 1.0, -1.0, 0.0, 0.0]), np.array([-1.0, 0.0, -1.0, 1.0, 0.0, 0.0]), 1.0, 0),
)


def claim_rng(seed: int, claim: int) -> np.random.Generator:
    """Claim ``claim``'s own random stream for ``seed``."""
    return np.random.default_rng([seed, claim])


def z_max(extreme: bool) -> float:
    """The largest logit magnitude of the random cases: :data:`Z_MAX`, or
    :data:`MODERATE_Z_MAX` with the extreme cases switched off."""
    return Z_MAX if extreme else MODERATE_Z_MAX


def random_scalars(rng: np.random.Generator, n: int, extreme: bool = True) -> Array:
    """Half of the cases near 0 (where sigma bends), half log-uniform in magnitude 1e-3..1e3
    (1e-3..30 with ``extreme=False``)."""
    largest = z_max(extreme)
    n_near = n // 2
    near = rng.normal(0.0, 4.0, n_near)
    magnitudes = 10.0 ** rng.uniform(-3.0, math.log10(largest), n - n_near)
    signs = rng.choice([-1.0, 1.0], n - n_near)
    return np.clip(np.concatenate([near, signs * magnitudes]), -largest, largest)


def random_logits(rng: np.random.Generator, max_classes: int = 8, extreme: bool = True) -> Array:
    """A logit vector of 2..max_classes entries, spread 1e-3..1e3, sometimes shifted far away
    (spread and shift up to 30 with ``extreme=False``)."""
    largest = z_max(extreme)
    classes = int(rng.integers(2, max_classes + 1))
    z = rng.normal(0.0, 10.0 ** rng.uniform(-3.0, math.log10(largest)), classes)
    if rng.random() < 0.25:  # softmax depends only on differences: a far shift must not matter
        z = z + rng.uniform(-largest, largest)
    return np.clip(z, -largest, largest)


def logit_cases(rng: np.random.Generator, n: int, extreme: bool = True) -> list[Array]:
    """The extreme logit vectors (unless ``extreme=False``), then ``n`` random ones."""
    fixed = list(EXTREME_LOGITS) if extreme else []
    return fixed + [random_logits(rng, extreme=extreme) for _ in range(n)]


def scalar_cases(seed: int, cases: int, extreme: bool = True) -> Array:
    """Claim 1: the extreme scalars (unless ``extreme=False``), then ``cases`` random ones."""
    fixed = EXTREME_SCALARS if extreme else EXTREME_SCALARS[:0]
    return np.concatenate([fixed, random_scalars(claim_rng(seed, 1), cases, extreme)])


@dataclass
class LabelledScalars:
    """Claim 2: logits z with labels y in {-1, +1} (every extreme z with both labels, then
    random pairs), and for Jensen's inequality a second end ``other`` and a weight t per case."""

    z: Array
    y: Array
    other: Array
    t: Array


def labelled_scalar_cases(seed: int, cases: int, extreme: bool = True) -> LabelledScalars:
    rng = claim_rng(seed, 2)
    random_z = random_scalars(rng, cases, extreme)
    fixed = EXTREME_SCALARS if extreme else EXTREME_SCALARS[:0]
    z = np.concatenate([fixed, fixed, random_z])
    y = np.concatenate([np.ones(fixed.size), -np.ones(fixed.size), rng.choice([-1.0, 1.0], cases)])
    other = rng.permutation(z)
    t = rng.uniform(0.0, 1.0, z.size)
    return LabelledScalars(z, y, other, t)


def labelled_logit_cases(seed: int, cases: int, extreme: bool = True) -> list[tuple[Array, int]]:
    """Claim 4: every logit case with a random class index."""
    rng = claim_rng(seed, 4)
    logits = logit_cases(rng, cases, extreme)
    labels = [int(rng.integers(0, z.size)) for z in logits]
    return list(zip(logits, labels, strict=True))


@dataclass
class AffineCase:
    """One case of claims 5 and 7: input phi, target, parameters theta and a second point
    ``other`` (both vec([W | b]) row by row), and t in (0, 1) for Jensen's inequality."""

    phi: Array
    target: Any
    theta: Array
    other: Array
    t: float

    @cached_property
    def u(self) -> Array:
        """``[phi; 1]``, so that ``z = [W | b] u``."""
        return np.append(self.phi, 1.0)

    def logits(self, theta: Array) -> Array:
        return theta.reshape(-1, self.u.size) @ self.u

    def describe(self, _index: int = 0) -> str:
        return f"phi={fmt(self.phi)}, y={fmt(self.target)}, theta={fmt(self.theta)}"


def class_target(rng: np.random.Generator, classes: int) -> int:
    """A random class index (claim 5)."""
    return int(rng.integers(0, classes))


def vector_target(rng: np.random.Generator, classes: int) -> Array:
    """A random regression target, up to 1e2 in scale (claim 7)."""
    return rng.normal(0.0, 10.0 ** rng.uniform(-1.0, 2.0), classes)


def affine_cases(
    seed: int,
    claim: int,
    cases: int,
    make_target: Callable[[np.random.Generator, int], Any],
) -> list[AffineCase]:
    """Claims 5 and 7: 2-5 classes, 1-4 features, weights from 1e-2 to 1e2 in scale."""
    rng = claim_rng(seed, claim)
    problems = []
    for _ in range(cases):
        classes, features = int(rng.integers(2, 6)), int(rng.integers(1, 5))
        phi = rng.normal(0.0, 10.0 ** rng.uniform(-2.0, 1.0), features)
        weight_scale = 10.0 ** rng.uniform(-2.0, 2.0)
        theta = rng.normal(0.0, weight_scale, classes * (features + 1))
        other = rng.normal(0.0, weight_scale, theta.size)
        target = make_target(rng, classes)
        problems.append(AffineCase(phi, target, theta, other, float(rng.uniform(0.0, 1.0))))
    return problems


def parameter_pairs(
    seed: int, cases: int, parameters: int
) -> list[tuple[Array, Array, float, int]]:
    """Claim 6: ``cases`` random (theta1, theta2, x, a), every number with one decimal so that a
    printed counterexample is exact; preceded by :data:`MIRROR_PAIRS` when ``parameters`` fits."""
    rng = claim_rng(seed, 6)
    fixed = list(MIRROR_PAIRS) if parameters == MIRROR_PAIRS[0][0].size else []
    return fixed + [
        (
            np.round(rng.normal(0.0, 2.0, parameters), 1),
            np.round(rng.normal(0.0, 2.0, parameters), 1),
            float(np.round(rng.normal(0.0, 2.0), 1)),
            int(rng.integers(0, 2)),
        )
        for _ in range(cases)
    ]


Layers = list[tuple[Array, Array]]


def linear_networks(seed: int, cases: int) -> list[tuple[Layers, Array]]:
    """Claim 8: random 2-5 layer networks (widths 1-6), each with three inputs up to |x| = 1e3."""
    rng = claim_rng(seed, 8)
    networks = []
    for _ in range(cases):
        widths = [int(w) for w in rng.integers(1, 7, int(rng.integers(3, 7)))]
        layers = [
            (
                rng.normal(0.0, 1.0 / math.sqrt(fan_in), (fan_out, fan_in)),
                rng.normal(0.0, 1.0, fan_out),
            )
            for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True)
        ]
        inputs = rng.normal(0.0, 1.0, (3, widths[0])) * 10.0 ** rng.uniform(-2.0, 3.0, (3, 1))
        networks.append((layers, inputs))
    return networks
