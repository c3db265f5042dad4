"""Least-squares linear regression as a scikit-learn regressor (``scratch.LinearRegression``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.metaestimators import available_if

from dlbasics.estimators.base import PerExampleRegressor, split_bias
from dlbasics.estimators.validation import engine_model, max_squared_norm

SOLVERS = ("sgd", "closed_form")


def _solver_is_sgd(estimator: Any) -> bool:
    return bool(estimator.solver == "sgd")


class LinearRegression(PerExampleRegressor):
    """Linear regression ``yhat = w . x + b``, by per-example SGD or in closed form.

    Wraps :class:`dlbasics.scratch.LinearRegression` (or its compiled twin), with a ones column
    appended inside so that ``w`` holds the bias. ``solver="sgd"``: from ``w = 0``, each
    example makes the step ``w -= learning_rate * (w . x - y) x`` (q2.2a's SGD);
    ``solver="closed_form"``: ``w = argmin ||X w - y||^2`` by ``np.linalg.lstsq`` (q2.2a's
    analytic solution; the minimum-norm one when ``X^T X`` is singular).

    Parameters
    ----------
    solver : {"sgd", "closed_form"}, default="sgd"
        How the weights are found; ``partial_fit`` exists for ``"sgd"`` only.
    learning_rate : float or "auto", default="auto"
        SGD step size (> 0); the report's q2.2a uses 0.001 for 150 epochs. ``"auto"``:
        ``1 / max_i ||[x_i, 1]||^2`` (scikit-learn's SAG step for the squared loss), with which
        every step shrinks the error of its example (by the factor ``1 - lr ||x_i||^2``), so
        SGD cannot diverge whatever the scale of ``X``.
    epochs : int, default=10
        SGD passes over the data in ``fit`` (a fixed count: there is no stopping rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the per-epoch shuffling; an int is used as the experiments use ``--seed``.
    engine : {"reference", "fast"}, default="reference"
        ``"reference"``: the NumPy model; ``"fast"``: the numba-compiled SGD (same updates).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when fitted on a DataFrame with string column names
    loss_curve_ : list of float
        SGD: each epoch's mean ``0.5 (w . x - y)^2``, each taken before its update; closed
        form: that mean at the solution.
    n_iter_ : int
        SGD epochs run (1 for the closed form: one solve).
    learning_rate_ : float
        The SGD step size used.
    model_ : dlbasics.scratch.LinearRegression or dlbasics.fast.LinearRegression
        The model itself (``weights_`` from SGD, ``analytic_weights_`` from the closed form).

    Examples
    --------
    >>> import numpy as np
    >>> from dlbasics import LinearRegression
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> model = LinearRegression(solver="closed_form").fit(X, 3 * X[:, 0] + 1)
    >>> round(model.intercept_, 6), model.coef_.round(6).tolist()
    (1.0, [3.0])
    """

    def __init__(
        self,
        *,
        solver: str = "sgd",
        learning_rate: float | str = "auto",
        epochs: int = 10,
        random_state: Any = None,
        engine: str = "reference",
    ) -> None:
        self.solver = solver
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.random_state = random_state
        self.engine = engine

    def _auto_learning_rate(self, X: np.ndarray, y: np.ndarray) -> float:
        return 1.0 / (max_squared_norm(X) + 1.0)  # the ones column adds 1 to every ||x||^2

    def _new_model(self, n_inputs: int, n_outputs: int, seed: int) -> Any:
        if self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {self.solver!r}")
        model = engine_model(self.engine, "LinearRegression")
        return model(n_inputs, learning_rate=self.learning_rate_, seed=seed)

    def _fit_model(self, X: np.ndarray, y: np.ndarray) -> None:
        if self.solver == "sgd":
            super()._fit_model(X, y)
            return
        X1 = self._model_input(X)
        solution = self.model_.fit_analytic(X1, y)
        self.loss_curve_ = [float(np.mean(0.5 * (X1 @ solution - y) ** 2))]
        self.n_iter_ = 1
        self._publish()

    def _weights(self) -> np.ndarray:
        model = self.model_
        return model.weights_ if self.solver == "sgd" else model.analytic_weights_

    def _publish(self) -> None:
        coef, intercept = split_bias(self._weights())
        self.coef_, self.intercept_ = coef, float(intercept)

    def predict(self, X: Any) -> np.ndarray:
        """``X w + b`` (computed as the model does, ``[X, 1] w``).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        return np.asarray(self._model_input(self._validated(X)) @ self._weights())

    @available_if(_solver_is_sgd)
    def partial_fit(self, X: Any, y: Any) -> LinearRegression:
        """One more SGD epoch on ``(X, y)`` (``solver="sgd"`` only); see ``fit``."""
        super().partial_fit(X, y)
        return self
