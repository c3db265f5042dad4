"""The multi-class perceptron, with its epoch compiled (the fast engine).

W (n_classes, n_features) is row-major, as the model stores it: ten long rows, each scored in
vector registers (:func:`dlbasics.fast.functions.scores`), while the next examples' rows are
fetched from memory (:func:`dlbasics.fast.functions.prefetch_row`). W does not fit in L1, so
reading it is the kernel's cost: each pass over W scores two examples (the next one with the
weights as they are). A mistake on the first changes two rows only: they are updated and
rescored on the second example in one pass (:func:`dlbasics.fast.lanes.lane_sgd_dot`), so the
second example's scores are exactly those the next step would compute either way.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics import scratch
from dlbasics.fast.common import AHEAD, JIT, prepare
from dlbasics.fast.functions import prefetch_row, scores, scores2
from dlbasics.fast.lanes import lane_sgd_dot
from dlbasics.fast.layers import aligned_rows
from dlbasics.fast.predict import predict_linear
from dlbasics.scratch.functions import check_finite


@njit(**JIT)
def perceptron_epoch(W, X, y, order):
    """One perceptron pass; returns the number of mistakes. ``W`` is updated in place.

    For each example i: ``yhat = argmax_k (W x_i)_k`` (first maximum on ties); on a mistake
    ``W[y_i] += x_i`` and ``W[yhat] -= x_i``.
    """
    n_classes, n_features = W.shape
    W_out, W = W, aligned_rows(n_classes, n_features, W)  # rows on cache-line boundaries
    W[:, :n_features] = W_out
    stride = W.shape[1]
    one = np.ones(1, dtype=W.dtype)[0]
    z = np.zeros(n_classes, dtype=W.dtype)
    z_next = np.zeros(n_classes, dtype=W.dtype)
    ready = False  # z_next holds example t's scores under the current W
    mistakes = 0
    n = order.shape[0]
    for t in range(n):
        prefetch_row(X, order, t + AHEAD)
        i = order[t]
        x = X[i]
        pending = False  # z_next holds example t+1's scores under the current W
        if ready:
            z[:] = z_next
            ready = False
        elif t + 1 < n:
            scores2(W, x, X[order[t + 1]], z, z_next)
            pending = True
        else:
            scores(W, x, z)
        best = 0
        for k in range(1, n_classes):
            if z[k] > z[best]:
                best = k
        label = y[i]
        if best != label:
            mistakes += 1
            if pending:
                # only rows label and best change: update them and rescore them on the next
                # example in the same pass (w - 1 * (-1 * x) is w + x exactly, as lane_dot)
                x_next = X[order[t + 1]]
                z_next[label] = lane_sgd_dot(
                    W, label * stride, one, -one, x, 0, x_next, 0, n_features
                )
                z_next[best] = lane_sgd_dot(W, best * stride, one, one, x, 0, x_next, 0, n_features)
            else:
                for j in range(n_features):
                    W[label, j] += x[j]
                for j in range(n_features):
                    W[best, j] -= x[j]
        ready = pending
    W_out[:, :] = W[:, :n_features]
    return mistakes


class Perceptron(scratch.Perceptron):
    __doc__ = scratch.Perceptron.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One pass over the examples ``order`` (compiled); returns the mistake rate."""
        X, y, order = prepare(X, y, order, self.n_features, labels=self.n_classes)
        self.weights_ = np.ascontiguousarray(self.weights_, dtype=X.dtype)
        mistakes = perceptron_epoch(self.weights_, X, y, order)
        return mistakes / max(len(order), 1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """``argmax_k (W x)_k`` per row (compiled; always the reference engine's labels)."""
        check_finite("X", X)
        return predict_linear(X, self.weights_, super().predict)
