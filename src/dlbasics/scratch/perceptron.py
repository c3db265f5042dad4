"""The multi-class perceptron, trained one example at a time on its mistakes."""

from __future__ import annotations

import numpy as np

from dlbasics.scratch.functions import accuracy, check_count, check_finite, float_dtype


class Perceptron:
    """Multi-class perceptron with the bias folded into the weights.

    The data carries a column of ones (the last feature), so one weight matrix
    ``W`` of shape (n_classes, n_features) holds the weights and the biases.

    Prediction: ``yhat = argmax_k (W x)_k`` (the first maximum on ties, like ``np.argmax``).

    Training, one example ``(x_i, y_i)`` at a time in the given order, starting from ``W = 0``:
    if ``yhat != y_i``, move the true class towards ``x_i`` and the predicted class away::

        W[y_i]  += x_i
        W[yhat] -= x_i

    ``train_epoch`` returns the epoch's mistake rate (the perceptron's "loss").
    ``seed`` is accepted for a uniform interface; the perceptron has no randomness.

    Learned state: ``weights_``.
    """

    def __init__(self, n_features: int, n_classes: int, *, seed: int = 0) -> None:
        check_count("n_features", n_features)
        check_count("n_classes", n_classes, minimum=2)
        self.n_features = int(n_features)
        self.n_classes = int(n_classes)
        self.seed = seed
        self.weights_ = np.zeros((self.n_classes, self.n_features))

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One pass over the examples ``order``; returns the fraction of them mispredicted."""
        check_finite("X", X)
        self.weights_ = self.weights_.astype(float_dtype(X), copy=False)
        W = self.weights_
        mistakes = 0
        for i in order:
            x, label = X[i], y[i]
            predicted = (W @ x).argmax()  # the first maximum on ties
            if predicted != label:
                W[label] += x
                W[predicted] -= x
                mistakes += 1
        return mistakes / max(len(order), 1)

    def scores(self, X: np.ndarray) -> np.ndarray:
        """``X W^T``: one row of class scores per example."""
        check_finite("X", X)
        return X @ self.weights_.T

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmax(self.scores(X), axis=1)

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> float:
        """Accuracy on ``(X, y)``."""
        return accuracy(self.predict(X), y)
