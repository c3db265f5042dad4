"""``adam_row`` is :func:`adam_element` on every element of a row, bit for bit, including the
subnormal moments and gradients that make up much of a real run (and the rare lanes its
float32 division hands to float64)."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from dlbasics.fast.torch_equivalent.adam_rows import adam_row
from dlbasics.fast.torch_equivalent.optim import adam_element

TINY = np.finfo(np.float32).tiny


@njit
def by_element(w, m, v, g, hj, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps):
    for k in range(w.shape[1]):
        w[0, k] = adam_element(
            w[0, k], g[k] * hj, m, v, 0, k, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps
        )


@njit
def by_row(w, m, v, g, hj, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps):
    n = w.shape[1]
    adam_row(w, m, v, 0, n, g, hj, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps)


def awkward_state(rng, n, dtype):
    """Weights, moments and a gradient mixing normal numbers, subnormals, zeros and the
    corner the row's division treats apart (a subnormal step on a tiny weight)."""
    tiny = float(np.finfo(dtype).tiny)

    def mix(scale, size):
        values = rng.normal(0, scale, size)
        kind = rng.integers(0, 4, size)
        values[kind == 1] = rng.normal(0, tiny, (kind == 1).sum()) * rng.random((kind == 1).sum())
        values[kind == 2] = 0.0
        return values

    w = mix(0.05, (1, n))
    w[0, rng.random(n) < 0.1] = rng.normal(0, 2e-31, 1)  # below 2^-100
    m = mix(1e-4, (1, n))
    v = np.abs(mix(1e-8, (1, n)))
    g = mix(1e-3, n)
    return [a.astype(dtype) for a in (w, m, v, g)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 7, 8, 9, 16, 200])
@pytest.mark.parametrize("wd", [0.0, 1e-3])
def test_adam_row_is_adam_element_on_every_element(dtype, n, wd):
    rng = np.random.default_rng(n)
    scalars = [dtype(s) for s in (wd, 0.1, 0.999, 1e-3, -1e-3, 0.73, 1e-8)]
    first = awkward_state(rng, n, dtype)
    for _ in range(30):  # thirty steps from the same state, both ways
        second = [a.copy() for a in first]
        hj = dtype(rng.choice([0.0, 0.5, 3e-39, 1.0]))
        by_element(*first, hj, *scalars)
        by_row(*second, hj, *scalars)
        for a, b in zip(first, second, strict=True):
            np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))  # every bit
        first = second


def test_the_state_does_reach_subnormals():
    # the point of the row code: moments decaying through the subnormal range
    rng = np.random.default_rng(0)
    w, m, v, g = awkward_state(rng, 64, np.float32)
    assert ((np.abs(m) < TINY) & (m != 0)).any() and ((np.abs(g) < TINY) & (g != 0)).any()


def test_a_subnormal_step_on_a_tiny_weight_is_rounded_exactly():
    # the lanes the float32 division hands to float64: step below 2^-125, weight below 2^-100
    f = np.float32
    w = np.array([[1e-35, -3e-38, 0.0, 1e-40, 0.5, 1e-35, 2e-45, 7e-31, 1e-35]], dtype=f)
    m = np.array([[1e-40, -7e-41, 3e-42, 1e-44, 1e-40, 5e-39, 1e-45, 2e-40, 1e-38]], dtype=f)
    v = np.full((1, 9), 1.0, dtype=f)
    g = np.zeros(9, dtype=f)
    scalars = [f(s) for s in (0.0, 0.1, 0.999, 1e-3, -1e-3, 0.73, 1e-8)]
    first = [w, m, v, g]
    second = [a.copy() for a in first]
    by_element(*first, f(0.0), *scalars)
    by_row(*second, f(0.0), *scalars)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))
