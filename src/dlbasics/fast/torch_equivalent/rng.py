"""The dropout of Question 4's network, as torch.nn.Dropout does it, from a seedable generator.

Inverted dropout with nn.Dropout's semantics: in training, each unit is kept with probability
``1 - p`` and the survivors are multiplied by ``1/(1-p)`` (computed in the weights' dtype, as
torch computes it); p = 0 draws nothing. The draws come from SplitMix64 seeded with the run's
seed, one per unit in order, so the masks are reproducible but not torch's own.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics.fast.common import JIT

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


@njit(inline="always", **JIT)
def next_uniform(state):
    """A uniform float64 in [0, 1) from the SplitMix64 generator whose state is ``state[0]``.

    SplitMix64 (Steele, Lea & Flood 2014): add a constant, then scramble the 64 bits; the top
    53 bits make the float. Small, fast, and seedable with any integer.
    """
    state[0] += _GOLDEN
    z = state[0]
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    z = z ^ (z >> _S31)
    return float(z >> _S11) * (1.0 / 9007199254740992.0)


@njit(**JIT)
def uniforms(state, n):
    """``n`` draws of :func:`next_uniform`, advancing ``state`` (used by the tests)."""
    out = np.empty(n)
    for i in range(n):
        out[i] = next_uniform(state)
    return out


@njit(inline="always", **JIT)
def apply_dropout(a, h, m, keep, scale, rng):
    """Inverted dropout: ``h = a * m`` with ``m[k] = scale`` if ``u_k < keep`` else 0.

    One uniform draw ``u_k`` per unit, in order. ``keep`` = 1 - p draws nothing (m = 1, h = a).
    """
    if keep < 1.0:
        for k in range(a.shape[0]):
            if next_uniform(rng) < keep:
                m[k] = scale
                h[k] = a[k] * scale
            else:
                m[k] = 0
                h[k] = 0
    else:
        m[:] = 1
        h[:] = a


@njit(**JIT)
def dropout(a, keep, scale, rng):
    """``(h, m)`` of :func:`apply_dropout` for one activation vector (used by the tests)."""
    h = np.zeros_like(a)
    m = np.zeros_like(a)
    apply_dropout(a, h, m, keep, scale, rng)
    return h, m
