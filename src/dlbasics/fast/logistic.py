"""Multinomial logistic regression, with its SGD epoch compiled (the fast engine).

W (n_classes, n_features) is row-major, as the model stores it; each example's update and the
next example's scores share one pass over W, row by row in vector registers, while the rows of
the examples after it are fetched from memory; W and the two input rows are kept in
cache-line-aligned rows.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics import scratch
from dlbasics.fast.common import AHEAD, JIT, prepare
from dlbasics.fast.functions import prefetch_row, scores, softmax_gradient
from dlbasics.fast.lanes import lane_sgd_dot
from dlbasics.fast.layers import aligned_rows
from dlbasics.fast.predict import predict_linear
from dlbasics.scratch.functions import check_finite


@njit(inline="always", **JIT)
def _sgd_then_scores(W, lr, g, x, x_next, z):
    """``W -= lr * outer(g, x)`` and, in the same pass over W, ``z = W_new x_next``.

    Element by element the same arithmetic as an update (``w - lr * (g_k * x_j)``) followed by
    :func:`scores` (:func:`dlbasics.fast.simd.lane_sgd_dot`, row by row).
    """
    n, stride = x.shape[0], W.shape[1]  # rows may be padded
    for k in range(W.shape[0]):
        z[k] = lane_sgd_dot(W, k * stride, lr, g[k], x, 0, x_next, 0, n)


@njit(**JIT)
def logistic_epoch(W, X, y, order, lr):
    """One SGD pass of multinomial logistic regression; returns the summed loss.

    ``z = W x``; ``loss = logsumexp(z) - z[y]``; ``p = softmax(z)``;
    ``W -= lr * outer(p - e_y, x)``. ``W`` is updated in place; ``lr`` has its dtype.
    Each example's update and the next example's scores share one pass over W.
    """
    n_classes, n_features = W.shape
    W_out, W = W, aligned_rows(n_classes, n_features, W)  # rows on cache-line boundaries
    W[:, :n_features] = W_out
    zero = np.zeros(1, dtype=W.dtype)[0]
    one = np.ones(1, dtype=W.dtype)[0]
    z = np.zeros(n_classes, dtype=W.dtype)
    g = np.zeros(n_classes, dtype=W.dtype)
    total = 0.0
    n = order.shape[0]
    if n == 0:
        return total
    rows = aligned_rows(2, n_features, X)  # example t's input, aligned, in rows[t % 2]
    rows[0, :n_features] = X[order[0]]
    scores(W, rows[0, :n_features], z)
    for t in range(n):
        prefetch_row(X, order, t + AHEAD)
        i = order[t]
        total += softmax_gradient(z, y[i], g, zero, one)
        following = order[t + 1] if t + 1 < n else i  # after the last: a score never used
        rows[(t + 1) % 2, :n_features] = X[following]
        x, x_next = rows[t % 2, :n_features], rows[(t + 1) % 2, :n_features]
        _sgd_then_scores(W, lr, g, x, x_next, z)
    W_out[:, :] = W[:, :n_features]
    return total


class LogisticRegression(scratch.LogisticRegression):
    __doc__ = scratch.LogisticRegression.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One SGD pass over the examples ``order`` (compiled); returns their mean loss."""
        X, y, order = prepare(X, y, order, self.n_features, labels=self.n_classes)
        self.weights_ = np.ascontiguousarray(self.weights_, dtype=X.dtype)
        lr = X.dtype.type(self.learning_rate)  # as NumPy rounds a Python float for float32 data
        total = logistic_epoch(self.weights_, X, y, order, lr)
        return total / max(len(order), 1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """``argmax_k (W x)_k`` per row (compiled; always the reference engine's labels)."""
        check_finite("X", X)
        return predict_linear(X, self.weights_, super().predict)
