"""Least-squares linear regression, with its SGD epoch compiled (the fast engine)."""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics import scratch
from dlbasics.fast.common import JIT, prepare
from dlbasics.fast.functions import dot_row


@njit(**JIT)
def linear_regression_epoch(w, X, y, order, lr):
    """One SGD pass of least squares; returns the summed loss ``0.5 * err^2``.

    ``err = w . x - y`` (as a float64); ``w -= (lr * err) * x``. ``w`` is (n_features,), updated
    in place; ``lr`` is a float64.
    """
    w2 = w.reshape((1, w.shape[0]))  # a one-row matrix view, for dot_row
    step = np.zeros(1, dtype=w.dtype)  # lr * err, rounded to w's dtype like a NumPy scalar
    total = 0.0
    for i in order:
        x = X[i]
        err = float(dot_row(w2, 0, x) - y[i])
        total += 0.5 * err * err
        step[0] = lr * err
        for j in range(w.shape[0]):
            w[j] -= step[0] * x[j]
    return total


class LinearRegression(scratch.LinearRegression):
    __doc__ = scratch.LinearRegression.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One SGD pass over the examples ``order`` (compiled); returns their mean loss."""
        X, y, order = prepare(X, y, order, self.n_features, labels=None)
        self.weights_ = np.ascontiguousarray(self.weights_, dtype=X.dtype)
        total = linear_regression_epoch(self.weights_, X, y, order, self.learning_rate)
        return total / max(len(order), 1)
