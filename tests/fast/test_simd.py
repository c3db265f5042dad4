"""The vector intrinsics: bit for bit the documented order of the 64-lane sums, for every row
length (full blocks, a partial last block, rows shorter than one block, the empty row)."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from numba.core.errors import TypingError

from dlbasics.fast.common import LANES
from dlbasics.fast.lanes import lane_dot, lane_dot2, lane_dot3, lane_sgd_dot
from dlbasics.fast.simd import prefetch

LENGTHS = [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 200, 784, 785]


def lane_sum(terms: np.ndarray) -> np.generic:
    """The documented order, literally: lane c sums terms c, c + 64, ... in order; then
    ``acc[c] += acc[c + width]`` for width 32, 16, ..., 1."""
    acc = np.zeros(LANES, dtype=terms.dtype)
    for q, term in enumerate(terms):
        acc[q % LANES] = acc[q % LANES] + term
    width = LANES
    while width > 1:
        width //= 2
        for c in range(width):
            acc[c] = acc[c] + acc[c + width]
    return acc[0]


@njit
def _dot(w, w_offset, x, n):
    return lane_dot(w, w_offset, x, 0, n)


@njit
def _dot2(w, w_offset, x, x2, n):
    return lane_dot2(w, w_offset, x, 0, x2, 0, n)


@njit
def _dot3(w, w_offset, x, x2, x3, n):
    return lane_dot3(w, w_offset, x, 0, x2, 0, x3, 0, n)


@njit
def _sgd_dot(w, w_offset, lr, gk, x, x_next, n):
    return lane_sgd_dot(w, w_offset, lr, gk, x, 0, x_next, 0, n)


@njit
def _touch(x):
    for k in range(x.shape[0]):
        prefetch(x, k)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", LENGTHS)
def test_lane_dot_lane_dot2_and_lane_dot3_are_the_documented_order(dtype, n):
    rng = np.random.default_rng(n)
    w = rng.normal(size=(3, n + 5)).astype(dtype)  # a row inside a larger matrix
    x, x2, x3 = rng.normal(size=(3, n)).astype(dtype)
    x[rng.random(n) < 0.3] = 0
    want = lane_sum(w[1, 2 : 2 + n] * x)
    assert np.array_equal(np.asarray(_dot(w, w.shape[1] + 2, x, n), dtype=dtype), want)
    pair = _dot2(w, w.shape[1] + 2, x, x2, n)
    both = (want, lane_sum(w[1, 2 : 2 + n] * x2))
    assert np.array_equal(np.asarray(pair, dtype=dtype), np.asarray(both, dtype=dtype))
    triple = _dot3(w, w.shape[1] + 2, x, x2, x3, n)
    all3 = (*both, lane_sum(w[1, 2 : 2 + n] * x3))
    assert np.array_equal(np.asarray(triple, dtype=dtype), np.asarray(all3, dtype=dtype))


def test_float32_products_with_subnormals_round_as_float32_does():
    # lane_dot forms float32 products in float64 and rounds once: the same bits
    rng = np.random.default_rng(3)
    w = (rng.normal(size=(1, 130)) * 1e-20).astype(np.float32)
    x = (rng.normal(size=130) * 1e-20).astype(np.float32)  # products in the subnormal range
    assert ((np.abs(w[0] * x) < np.finfo(np.float32).tiny) & (w[0] * x != 0)).any()
    assert np.array_equal(np.float32(_dot(w, 0, x, 130)), lane_sum(w[0] * x))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", LENGTHS)
def test_lane_sgd_dot_updates_the_row_then_scores_it(dtype, n):
    rng = np.random.default_rng(n + 1)
    w = rng.normal(size=(2, n + 3)).astype(dtype)
    x, x_next = rng.normal(size=(2, n)).astype(dtype)
    lr, gk = dtype(0.01), dtype(-0.7)
    want_w = w.copy()
    want_w[1, 1 : 1 + n] = w[1, 1 : 1 + n] - lr * (gk * x)
    got = _sgd_dot(w, w.shape[1] + 1, lr, gk, x, x_next, n)
    np.testing.assert_array_equal(w, want_w)  # the rest of the matrix untouched
    assert np.array_equal(np.asarray(got, dtype=dtype), lane_sum(want_w[1, 1 : 1 + n] * x_next))


def test_a_scalar_of_another_dtype_is_refused():
    w = np.ones(70, dtype=np.float32)
    with pytest.raises(TypingError, match="cast it first"):
        _sgd_dot(w, 0, 0.01, np.float32(1), w, w, 70)  # a float64 learning rate


def test_prefetch_changes_nothing():
    x = np.arange(100.0)
    _touch(x)
    np.testing.assert_array_equal(x, np.arange(100.0))
