"""Multinomial logistic regression trained by per-example stochastic gradient descent."""

from __future__ import annotations

import numpy as np

from dlbasics.scratch.functions import (
    accuracy,
    check_count,
    check_finite,
    check_positive,
    float_dtype,
    logsumexp,
    softmax_cross_entropy,
)


class LogisticRegression:
    """Multinomial logistic regression with the bias folded into the weights.

    The data carries a column of ones (the last feature); ``W`` has shape
    (n_classes, n_features) and starts at zero.

    Model: ``p(y = k | x) = softmax(W x)_k``. Loss of one example, from the scores ``z = W x``:
    ``L = -log p(y | x) = logsumexp(z) - z_y``. Its gradient with respect to ``W`` is
    ``outer(softmax(z) - e_y, x)``, so each stochastic gradient step, one example at a time, is::

        W -= learning_rate * outer(softmax(W x_i) - e_{y_i}, x_i)

    ``train_epoch`` returns the mean loss of the epoch, each example's loss taken before its update.
    ``seed`` is accepted for a uniform interface; zero initialisation needs no randomness.

    Learned state: ``weights_``.
    """

    def __init__(
        self, n_features: int, n_classes: int, *, learning_rate: float = 0.001, seed: int = 0
    ) -> None:
        check_count("n_features", n_features)
        check_count("n_classes", n_classes, minimum=2)
        check_positive("learning_rate", learning_rate)
        self.n_features = int(n_features)
        self.n_classes = int(n_classes)
        self.learning_rate = float(learning_rate)
        self.seed = seed
        self.weights_ = np.zeros((self.n_classes, self.n_features))

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One SGD pass over the examples ``order``; returns their mean loss."""
        check_finite("X", X)
        self.weights_ = self.weights_.astype(float_dtype(X), copy=False)
        W = self.weights_
        lr = self.learning_rate
        total_loss = 0.0
        for i in order:
            x = X[i]
            loss, score_gradient = softmax_cross_entropy(W @ x, y[i])
            total_loss += loss
            W -= np.multiply.outer(lr * score_gradient, x)  # lr * outer(p - e_y, x)
        return total_loss / max(len(order), 1)

    def scores(self, X: np.ndarray) -> np.ndarray:
        """``X W^T``: one row of class scores per example."""
        check_finite("X", X)
        return X @ self.weights_.T

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = self.scores(X)
        return np.exp(z - logsumexp(z)[:, None])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmax(self.scores(X), axis=1)

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean cross-entropy ``mean_i(logsumexp(W x_i) - (W x_i)_{y_i})`` at the current ``W``."""
        z = self.scores(X)
        return float(np.mean(logsumexp(z) - z[np.arange(len(y)), y]))

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> float:
        """Accuracy on ``(X, y)``."""
        return accuracy(self.predict(X), y)
