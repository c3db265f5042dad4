"""Multinomial logistic regression as a scikit-learn classifier (``scratch.LogisticRegression``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbasics.estimators.base import SoftmaxClassifier, binary_or_all, split_bias
from dlbasics.estimators.validation import engine_model


class LogisticRegression(SoftmaxClassifier):
    """Multinomial logistic regression trained by per-example SGD from zero weights.

    Wraps :class:`dlbasics.scratch.LogisticRegression` (or its compiled twin): a ones column is
    appended inside, ``p(y = k | x) = softmax(W x)_k``, and each example makes the step
    ``W -= learning_rate * outer(softmax(W x) - e_y, x)``. No regularisation. Two classes are
    two rows of ``W`` (multinomial), so ``coef_`` has a row per class.

    Parameters
    ----------
    learning_rate : float, default=0.01
        SGD step size (> 0). The report's q3.1b uses 0.001 on 50,000 examples; the default is
        larger because small data sets get fewer steps.
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
        Each epoch's mean cross-entropy, each example's loss taken before its update.
    n_iter_ : int
        Epochs run.
    learning_rate_ : float
        The step size used.
    model_ : dlbasics.scratch.LogisticRegression or dlbasics.fast.LogisticRegression
        The trained model itself.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from dlbasics import LogisticRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> LogisticRegression(random_state=0).fit(X, y).predict_proba(X[:1]).sum().round(6)
    np.float64(1.0)
    """

    def __init__(
        self,
        *,
        learning_rate: float = 0.01,
        epochs: int = 10,
        random_state: Any = None,
        engine: str = "reference",
    ) -> None:
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.random_state = random_state
        self.engine = engine

    def _new_model(self, n_inputs: int, n_outputs: int, seed: int) -> Any:
        model = engine_model(self.engine, "LogisticRegression")
        return model(n_inputs, n_outputs, learning_rate=self.learning_rate_, seed=seed)

    def _publish(self) -> None:
        self.coef_, self.intercept_ = split_bias(self.model_.weights_)

    def _scores(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.model_.scores(self._model_input(X)))

    def decision_function(self, X: Any) -> np.ndarray:
        """Class scores ``W x``: shape (n_samples,) (the log-odds ``z_1 - z_0``) for two
        classes, else (n_samples, n_classes).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray
        """
        return binary_or_all(self._scores(self._validated(X)))
