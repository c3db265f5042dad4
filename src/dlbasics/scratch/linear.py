"""Linear regression: the closed-form least-squares solution and per-example SGD."""

from __future__ import annotations

import numpy as np

from dlbasics.scratch.functions import check_count, check_finite, check_positive, float_dtype, rmse


class LinearRegression:
    """Least-squares linear regression ``yhat = w . x`` with the bias folded in.

    The data carries a column of ones (the last feature), so ``w`` holds the bias too.

    Closed form (:meth:`fit_analytic`): ``w* = argmin_w ||X w - y||^2``, solved with
    ``np.linalg.lstsq`` (an SVD; sound even when ``X^T X`` is singular, as with one-hot features,
    where it returns the minimum-norm solution).

    SGD (:meth:`train_epoch`), from ``w = 0``, one example at a time::

        err = w . x_i - y_i,   loss_i = 0.5 err^2,   w -= learning_rate * err * x_i

    Evaluation is the root-mean-squared error ``sqrt(mean((X w - y)^2))``;
    :meth:`distance_to_analytic` is ``||w - w*||_2``.

    Learned state: ``weights_`` (SGD) and ``analytic_weights_`` (closed form, once fitted).
    """

    def __init__(self, n_features: int, *, learning_rate: float = 0.001, seed: int = 0) -> None:
        check_count("n_features", n_features)
        check_positive("learning_rate", learning_rate)
        self.n_features = int(n_features)
        self.learning_rate = float(learning_rate)
        self.seed = seed
        self.weights_ = np.zeros(self.n_features)
        self.analytic_weights_: np.ndarray | None = None

    def fit_analytic(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Set and return ``analytic_weights_ = argmin_w ||X w - y||^2`` (``np.linalg.lstsq``)."""
        check_finite("X", X)
        check_finite("y", y)
        solution, *_ = np.linalg.lstsq(X, y, rcond=None)
        self.analytic_weights_ = solution
        return solution

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One SGD pass over the examples ``order``; returns their mean loss ``0.5 err^2``."""
        check_finite("X", X)
        check_finite("y", y)
        self.weights_ = self.weights_.astype(float_dtype(X), copy=False)
        w = self.weights_
        lr = self.learning_rate
        total_loss = 0.0
        for i in order:
            x = X[i]
            err = float(w @ x - y[i])
            total_loss += 0.5 * err * err
            w -= (lr * err) * x
        return total_loss / max(len(order), 1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        check_finite("X", X)
        return X @ self.weights_

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> float:
        """RMSE of the SGD weights on ``(X, y)``."""
        check_finite("y", y)
        return rmse(self.predict(X), y)

    def evaluate_analytic(self, X: np.ndarray, y: np.ndarray) -> float:
        """RMSE of the closed-form weights on ``(X, y)``."""
        check_finite("X", X)
        check_finite("y", y)
        return rmse(X @ self._analytic(), y)

    def distance_to_analytic(self) -> float:
        """Euclidean distance ``||w - w*||_2`` between the SGD and the closed-form weights."""
        return float(np.linalg.norm(self.weights_ - self._analytic()))

    def _analytic(self) -> np.ndarray:
        if self.analytic_weights_ is None:
            raise RuntimeError("call fit_analytic(X, y) first")
        return self.analytic_weights_
