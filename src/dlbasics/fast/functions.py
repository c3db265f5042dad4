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

from dlbasics.fast.common import JIT, RELU


@njit(inline="always", **JIT)
def dot_row(w, j, v, acc):
    """``sum_k w[j, k] * v[k]``, deterministic, in a form the compiler can vectorise.

    Without fastmath a running sum cannot be vectorised (that would reorder additions), so
    the order is chosen explicitly: ``acc`` holds LANES partial sums (lane c sums the
    elements k = c mod LANES, in order), then the lanes are folded pairwise. Updating the
    lanes is an elementwise loop, which vectorises. Rows shorter than LANES use a plain
    running sum. LANES is ``acc.shape[0]``, a power of two. (Rows are indexed as ``w[j, k]``
    rather than through a view ``w[j]``: a view costs a reference-count update.)
    """
    n = w.shape[1]
    lanes = acc.shape[0]
    if n < lanes:
        s = acc[0] * 0
        for k in range(n):
            s += w[j, k] * v[k]
        return s
    acc[:] = 0
    base = 0
    while base + lanes <= n:
        for c in range(lanes):
            acc[c] += w[j, base + c] * v[base + c]
        base += lanes
    for c in range(n - base):
        acc[c] += w[j, base + c] * v[base + c]
    width = lanes
    while width > 1:
        width //= 2
        for c in range(width):
            acc[c] += acc[c + width]
    return acc[0]


@njit(inline="always", **JIT)
def add_scaled_row(dst, a, wt, j):
    """``dst += a * wt[j]`` (elementwise)."""
    for k in range(dst.shape[0]):
        dst[k] += a * wt[j, k]


@njit(inline="always", **JIT)
def sgd_row(wt, j, step, hj):
    """``wt[j] -= step * hj``: row j of ``W^T -= outer(h, step)``, ``step = lr * g``."""
    for k in range(wt.shape[1]):
        wt[j, k] -= step[k] * hj


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
    """``h = act(z)``: relu ``max(z, 0)`` or ``tanh``."""
    if activation == RELU:
        for k in range(z.shape[0]):
            if z[k] > 0:
                h[k] = z[k]
            else:
                h[k] = 0
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
def fold_lanes(acc, z):
    """``z[k] = sum_c acc[k, c]``, the lanes folded pairwise (a fixed order)."""
    for k in range(acc.shape[0]):
        width = acc.shape[1]
        while width > 1:
            width //= 2
            for c in range(width):
                acc[k, c] += acc[k, c + width]
        z[k] = acc[k, 0]


@njit(inline="always", **JIT)
def scores(W, x, acc, z):
    """``z = W x`` for all rows at once: row k is summed in LANES partial sums (lane c takes
    the entries j = c mod LANES, in order) then folded, as in :func:`dot_row`; doing all rows
    block by block reads each block of x once."""
    n_rows, n = W.shape
    lanes = acc.shape[1]
    acc[:, :] = 0
    base = 0
    while base + lanes <= n:
        for k in range(n_rows):
            for c in range(lanes):
                acc[k, c] += W[k, base + c] * x[base + c]
        base += lanes
    for k in range(n_rows):
        for c in range(n - base):
            acc[k, c] += W[k, base + c] * x[base + c]
    fold_lanes(acc, z)


__all__ = [
    "activate",
    "add_scaled_row",
    "dense_forward",
    "dot_row",
    "fold_lanes",
    "scores",
    "sgd_row",
    "softmax_gradient",
]
