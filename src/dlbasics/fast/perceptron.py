"""The multi-class perceptron, with its epoch compiled (the fast engine).

W (n_classes, n_features) is row-major, as the model stores it: ten long rows, each scored in
vector registers (:func:`dlbasics.fast.functions.scores`), while the next examples' rows are
fetched from memory (:func:`dlbasics.fast.functions.prefetch_row`). W does not fit in L1, so
reading it is the kernel's cost: each pass over W scores three examples (the next two with the
weights as they are). A mistake changes two rows only: they are updated and rescored on the
examples already scored (:func:`dlbasics.fast.lanes.lane_sgd_dot`, the update and the first
rescoring in one pass), so those scores are exactly the ones the next steps would compute.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics import scratch
from dlbasics.fast.common import AHEAD, JIT, prepare
from dlbasics.fast.functions import prefetch_row, scores, scores2, scores3
from dlbasics.fast.lanes import lane_dot, lane_sgd_dot
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
    z1 = np.zeros(n_classes, dtype=W.dtype)  # example t+1's scores, when pending >= 1
    z2 = np.zeros(n_classes, dtype=W.dtype)  # example t+2's scores, when pending == 2
    pending = 0  # how many of the next examples are scored under the current W
    mistakes = 0
    n = order.shape[0]
    for t in range(n):
        prefetch_row(X, order, t + AHEAD)
        i = order[t]
        x = X[i]
        if pending > 0:
            z, z1, z2 = z1, z2, z  # the next example's scores become this one's
            pending -= 1
        elif t + 2 < n:
            scores3(W, x, X[order[t + 1]], X[order[t + 2]], z, z1, z2)
            pending = 2
        elif t + 1 < n:
            scores2(W, x, X[order[t + 1]], z, z1)
            pending = 1
        else:
            scores(W, x, z)
        best = 0
        for k in range(1, n_classes):
            if z[k] > z[best]:
                best = k
        label = y[i]
        if best != label:
            mistakes += 1
            if pending > 0:
                # only rows label and best change: update them and rescore them on the pending
                # examples (w - 1 * (-1 * x) is w + x exactly; the sums are lane_dot's)
                x1 = X[order[t + 1]]
                for k, sign in ((label, -one), (best, one)):
                    z1[k] = lane_sgd_dot(W, k * stride, one, sign, x, 0, x1, 0, n_features)
                    if pending == 2:
                        z2[k] = lane_dot(W, k * stride, X[order[t + 2]], 0, n_features)
            else:
                for j in range(n_features):
                    W[label, j] += x[j]
                for j in range(n_features):
                    W[best, j] -= x[j]
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
