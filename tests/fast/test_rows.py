"""The row intrinsics are their plain loops, element by element, subnormal products included."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from dlbasics.fast.rows import row_axpy, row_sgd, row_sgd_axpy, row_sgd_scaled
from dlbasics.fast.simd import mul_exact


@njit
def _rows(w, j, step, g, z, hj, hn, lr, exact):
    n = w.shape[1]
    row_sgd(w, j * n, step, hj, n, exact)
    row_sgd_axpy(w, (j + 1) * n, step, hj, z, hn, n, exact)
    row_axpy(z, 0, hn, w, (j + 2) * n, n)
    row_sgd_scaled(w, (j + 3) * n, lr, g, hj, n)


@njit
def _product(a, b):
    return mul_exact(a, b)


def plain(w, j, step, g, z, hj, hn, lr):
    w[j] = w[j] - step * hj
    w[j + 1] = w[j + 1] - step * hj
    z += hn * w[j + 1]
    z += hn * w[j + 2]
    w[j + 3] = w[j + 3] - lr * (g * hj)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 8, 10, 17, 200])
@pytest.mark.parametrize("exact", [True, False])  # products through float64, or native
def test_rows_equal_their_plain_loops(dtype, n, exact):
    rng = np.random.default_rng(n)
    tiny = np.finfo(dtype).tiny
    w = rng.normal(0, 0.1, (6, n)).astype(dtype)
    step = (rng.normal(0, 1, n) * rng.choice([1e-3, tiny], n)).astype(dtype)  # subnormal steps
    g = (rng.normal(0, 1, n) * rng.choice([1e-2, tiny], n)).astype(dtype)
    z = rng.normal(0, 1, n).astype(dtype)
    args = (1, step, g, dtype(0.37), dtype(-0.5), dtype(0.01))
    w2, z2 = w.copy(), z.copy()
    _rows(w, args[0], step, g, z, *args[3:], exact)
    plain(w2, args[0], step, g, z2, *args[3:])
    np.testing.assert_array_equal(w.view(np.uint8), w2.view(np.uint8))
    np.testing.assert_array_equal(z.view(np.uint8), z2.view(np.uint8))


def test_mul_exact_is_the_float32_product():
    f = np.float32
    for a, b in [(f(3e-39), f(0.7)), (f(1e-20), f(1e-20)), (f(-2.5), f(1e-44)), (f(3e38), f(10))]:
        with np.errstate(over="ignore"):
            assert np.float32(_product(a, b)).view(np.uint32) == (a * b).view(np.uint32)
