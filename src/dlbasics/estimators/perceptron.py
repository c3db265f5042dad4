"""The multi-class perceptron as a scikit-learn classifier (the math: ``scratch.Perceptron``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbasics.estimators.base import PerExampleClassifier, binary_or_all, split_bias
from dlbasics.estimators.validation import engine_model


class Perceptron(PerExampleClassifier):
    """Multi-class perceptron trained on its mistakes, one example at a time.

    Wraps :class:`dlbasics.scratch.Perceptron` (or its compiled twin in ``dlbasics.fast``): a
    bias column of ones is appended inside, ``W`` (n_classes, n_features + 1) starts at zero,
    ``yhat = argmax_k (W x)_k``, and on a mistake ``W[y] += x``, ``W[yhat] -= x``.

    Parameters
    ----------
    epochs : int, default=10
        Passes over the data in ``fit`` (a fixed count: there is no stopping rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the per-epoch shuffling; an int is used as the experiments use ``--seed``.
    engine : {"reference", "fast"}, default="reference"
        ``"reference"``: the NumPy model; ``"fast"``: the numba-compiled one (same updates).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (n_classes, n_features)
    intercept_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when fitted on a DataFrame with string column names
    loss_curve_ : list of float
        Each epoch's mistake rate.
    n_iter_ : int
        Epochs run.
    model_ : dlbasics.scratch.Perceptron or dlbasics.fast.Perceptron
        The trained model itself.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from dlbasics import Perceptron
    >>> X, y = load_iris(return_X_y=True)
    >>> Perceptron(random_state=0).fit(X, y).score(X, y) > 0.6
    True
    """

    def __init__(
        self, *, epochs: int = 10, random_state: Any = None, engine: str = "reference"
    ) -> None:
        self.epochs = epochs
        self.random_state = random_state
        self.engine = engine

    def _new_model(self, n_inputs: int, n_outputs: int, seed: int) -> Any:
        return engine_model(self.engine, "Perceptron")(n_inputs, n_outputs, seed=seed)

    def _publish(self) -> None:
        self.coef_, self.intercept_ = split_bias(self.model_.weights_)

    def _scores(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.model_.scores(self._model_input(X)))

    def decision_function(self, X: Any) -> np.ndarray:
        """Class scores ``W x``: shape (n_samples,) (``z_1 - z_0``) for two classes, else
        (n_samples, n_classes).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray
        """
        return binary_or_all(self._scores(self._validated(X)))
