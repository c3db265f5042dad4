"""The compiled building blocks of the fast kernels, inlined into them.

The counterpart of :mod:`dlbasics.scratch.functions`: row operations on the layer matrices,
the dense forward pass, the activations, the softmax cross-entropy gradient and the scores of
the linear models, each an explicit loop whose order of operations is part of its contract.
Rows whose input is exactly 0 are skipped where that changes no bit of the result (they would
add ``0 * w``). ``zero``/``one`` are scalars of the weights' dtype: a bare 0.0 literal would be
float64 and silently promote float32 sums.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics.fast.common import IDENTITY, JIT, LANES, RELU
from dlbasics.fast.lanes import lane_dot, lane_dot2, lane_dot3
from dlbasics.fast.rows import row_axpy, row_sgd
from dlbasics.fast.simd import mul_exact, prefetch

TINY_STEP = 2.0**-100  # a step below this may make subnormal products (see tiny_entries)
TINY_INPUT = 2.0**-20


@njit(inline="always", **JIT)
def dot_row(w, j, v):
    """``sum_k w[j, k] * v[k]``, deterministic, in a form the compiler can vectorise.

    Without fastmath a running sum cannot be vectorised (that would reorder additions), so
    the order is chosen explicitly: LANES partial sums (lane c sums the elements
    k = c mod LANES, in order), then the lanes folded pairwise
    (:func:`dlbasics.fast.simd.lane_dot`, the lanes held in vector registers). Rows shorter
    than LANES use a plain running sum, accumulated in float64 whatever the dtype (as this
    function has always done; float32 callers round the result once, when they store it).
    ``w`` is C-contiguous.
    """
    n = w.shape[1]
    if n < LANES:
        s = 0.0
        for k in range(n):
            s += mul_exact(w[j, k], v[k])  # the dtype's product, added in float64
        return s
    return lane_dot(w, j * n, v, 0, n)


@njit(inline="always", **JIT)
def add_scaled_row(dst, a, wt, j):
    """``dst += a * wt[j]`` (elementwise; :func:`dlbasics.fast.rows.row_axpy`)."""
    row_axpy(dst, 0, a, wt, j * wt.shape[1], dst.shape[0])


@njit(inline="always", **JIT)
def sgd_row(wt, j, step, hj, tiny):
    """``wt[j] -= step * hj``: row j of ``W^T -= outer(h, step)``, ``step = lr * g``
    (:func:`dlbasics.fast.rows.row_sgd`). ``tiny``: :func:`tiny_entries` of ``step``."""
    n = wt.shape[1]
    row_sgd(wt, j * n, step, hj, n, tiny or abs(hj) < TINY_INPUT)


@njit(inline="always", **JIT)
def tiny_entries(step):
    """Whether a non-zero entry of ``step`` lies below 2^-100. If none does, its products with
    inputs of at least 2^-20 (:data:`TINY_INPUT`) are normal numbers, which the CPU multiplies
    at full speed; otherwise the row code forms them through float64 (the same bits either
    way: this only chooses the faster path)."""
    for k in range(step.shape[0]):
        a = abs(step[k])
        if a != 0 and a < TINY_STEP:
            return True
    return False


@njit(inline="always", **JIT)
def dense_forward(wt, b, src, dst):
    """``dst = W src + b`` with ``wt`` = W^T (n_in, n_out): ``dst = sum_j src[j] wt[j] + b``.

    Rows with a zero input are skipped (they would add exact zeros).
    """
    dst[:] = 0
    for j in range(wt.shape[0]):
        hj = src[j]
        if hj != 0:
            add_scaled_row(dst, hj, wt, j)
    for k in range(dst.shape[0]):
        dst[k] += b[k]


@njit(inline="always", **JIT)
def activate(z, h, activation):
    """``h = act(z)``: relu ``max(z, 0)``, ``tanh`` or the identity."""
    if activation == RELU:
        for k in range(z.shape[0]):
            if z[k] > 0:
                h[k] = z[k]
            else:
                h[k] = 0
    elif activation == IDENTITY:
        h[:] = z
    else:
        for k in range(z.shape[0]):
            h[k] = np.tanh(z[k])


@njit(inline="always", **JIT)
def softmax_gradient(z, label, g, zero, one):
    """Write ``softmax(z) - e_label`` into ``g``; return ``logsumexp(z) - z[label]``.

    Stable form: ``p = exp(z - max z) / sum``, ``logsumexp(z) = max z + log(sum)``.
    """
    n = z.shape[0]
    top = z[0]
    for k in range(1, n):
        if z[k] > top:
            top = z[k]
    norm = zero
    for k in range(n):
        e = np.exp(z[k] - top)
        g[k] = e
        norm += e
    for k in range(n):
        g[k] = g[k] / norm
    g[label] -= one
    return float(top) + np.log(float(norm)) - float(z[label])


@njit(inline="always", **JIT)
def scores(W, x, z):
    """``z = W x`` for all rows of the C-contiguous W (rows may be longer than x: padding):
    row k is summed in LANES partial sums (lane c takes the entries j = c mod LANES, in order)
    then folded pairwise, for any row length (:func:`dlbasics.fast.lanes.lane_dot`)."""
    n, stride = x.shape[0], W.shape[1]
    for k in range(W.shape[0]):
        z[k] = lane_dot(W, k * stride, x, 0, n)


@njit(inline="always", **JIT)
def scores2(W, x, x2, z, z2):
    """``z = W x`` and ``z2 = W x2`` in one pass over W, each exactly as :func:`scores`."""
    n, stride = x.shape[0], W.shape[1]
    for k in range(W.shape[0]):
        z[k], z2[k] = lane_dot2(W, k * stride, x, 0, x2, 0, n)


@njit(inline="always", **JIT)
def scores3(W, x, x2, x3, z, z2, z3):
    """``z = W x``, ``z2 = W x2`` and ``z3 = W x3`` in one pass over W, each as :func:`scores`."""
    n, stride = x.shape[0], W.shape[1]
    for k in range(W.shape[0]):
        z[k], z2[k], z3[k] = lane_dot3(W, k * stride, x, 0, x2, 0, x3, 0, n)


@njit(inline="always", **JIT)
def prefetch_row(X, order, t):
    """Start fetching row ``order[t]`` of the C-contiguous X into the cache (nothing if ``t``
    is past the end). Examples come in random order, so the hardware cannot guess the next
    row; asking a few examples ahead hides the memory latency. Changes no result."""
    if t < order.shape[0]:
        row = order[t]
        n = X.shape[1]
        step = max(64 // X.itemsize, 1)  # elements per cache line
        for k in range(0, n, step):
            prefetch(X, row * n + k)


__all__ = [
    "activate",
    "add_scaled_row",
    "dense_forward",
    "dot_row",
    "prefetch_row",
    "scores",
    "scores2",
    "scores3",
    "sgd_row",
    "softmax_gradient",
    "tiny_entries",
]
