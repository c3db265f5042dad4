"""The fast engine's models: the reference models with a compiled ``train_epoch``.

Each class here subclasses its :mod:`dlbasics.scratch` counterpart and keeps everything but
``train_epoch``: the constructor (so hyperparameters, validation and *initial weights* are the
reference's own, identical by construction), ``predict``, ``evaluate`` and the learned
attributes (``weights_``, ``biases_``). ``train_epoch`` hands the same per-example updates to
a numba kernel in :mod:`dlbasics.fast.kernels`; the weights come back in the same attributes,
in the same shapes and dtype.
"""

from __future__ import annotations

import numpy as np

from dlbasics import scratch
from dlbasics.fast import kernels
from dlbasics.scratch.functions import float_dtype

_ACTIVATION_CODES = {"relu": kernels.RELU, "tanh": kernels.TANH}


def prepare(
    X: np.ndarray, y: np.ndarray, order: np.ndarray, n_features: int, *, labels: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check the inputs and give them the exact types the kernels are compiled for.

    The kernels index without bounds checks, so every index they will use is checked here:
    ``order`` within the rows of X, labels within ``0..labels-1``. X becomes C-contiguous in
    the model's float type (float32 stays float32, everything else float64), y int64 labels
    (``labels`` given) or float64 targets, ``order`` int64.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    order = np.asarray(order)
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"X must have shape (n, {n_features}), got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if order.ndim != 1 or (order.size and not np.issubdtype(order.dtype, np.integer)):
        raise ValueError("order must be a 1-d array of example indices")
    if order.size and (order.min() < 0 or order.max() >= X.shape[0]):
        raise ValueError(f"order holds indices outside 0..{X.shape[0] - 1}")
    X = np.ascontiguousarray(X, dtype=float_dtype(X))
    if labels is not None:
        if y.size and (y.min() < 0 or y.max() >= labels or not np.all(y == np.round(y))):
            raise ValueError(f"labels must be integers in 0..{labels - 1}")
        y = np.ascontiguousarray(y, dtype=np.int64)
    else:
        y = np.ascontiguousarray(y, dtype=np.float64)
    return X, y, np.ascontiguousarray(order, dtype=np.int64)


class Perceptron(scratch.Perceptron):
    __doc__ = scratch.Perceptron.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One pass over the examples ``order`` (compiled); returns the mistake rate."""
        X, y, order = prepare(X, y, order, self.n_features, labels=self.n_classes)
        self.weights_ = np.ascontiguousarray(self.weights_, dtype=X.dtype)
        mistakes = kernels.perceptron_epoch(self.weights_, X, y, order)
        return mistakes / max(len(order), 1)


class LogisticRegression(scratch.LogisticRegression):
    __doc__ = scratch.LogisticRegression.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One SGD pass over the examples ``order`` (compiled); returns their mean loss."""
        X, y, order = prepare(X, y, order, self.n_features, labels=self.n_classes)
        self.weights_ = np.ascontiguousarray(self.weights_, dtype=X.dtype)
        lr = X.dtype.type(self.learning_rate)  # as NumPy rounds a Python float for float32 data
        total = kernels.logistic_epoch(self.weights_, X, y, order, lr)
        return total / max(len(order), 1)


class LinearRegression(scratch.LinearRegression):
    __doc__ = scratch.LinearRegression.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One SGD pass over the examples ``order`` (compiled); returns their mean loss."""
        X, y, order = prepare(X, y, order, self.n_features, labels=None)
        self.weights_ = np.ascontiguousarray(self.weights_, dtype=X.dtype)
        total = kernels.linear_regression_epoch(self.weights_, X, y, order, self.learning_rate)
        return total / max(len(order), 1)


class MLP(scratch.MLP):
    __doc__ = scratch.MLP.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One per-example SGD pass over ``order`` (compiled); returns the mean loss.

        The layers are packed transposed into flat buffers for the kernel (see
        :mod:`dlbasics.fast.kernels`) and unpacked back into ``weights_``/``biases_``.
        """
        classes = self.n_outputs if self.head == "classification" else None
        X, y, order = prepare(X, y, order, self.n_features, labels=classes)
        wt, b, sizes = kernels.pack_layers(self.weights_, self.biases_, X.dtype)
        total = kernels.mlp_epoch(
            wt,
            b,
            sizes,
            X,
            y,
            order,
            X.dtype.type(self.learning_rate),
            _ACTIVATION_CODES[self.activation],
            self.head == "regression",
        )
        self.weights_, self.biases_ = kernels.unpack_layers(wt, b, sizes)
        return total / max(len(order), 1)


__all__ = ["MLP", "LinearRegression", "LogisticRegression", "Perceptron"]
