"""The shared base of the estimators: one from-scratch model, trained through the one loop.

An estimator keeps its hyperparameters as given (scikit-learn's rule) and builds its model at
the first ``fit``/``partial_fit``: the class of the chosen engine (``dlbasics.scratch`` or
``dlbasics.fast``), fed the data with a ones column appended where the model folds its bias in,
and labels encoded ``0..k-1``. It trains through
:func:`dlbasics.training.per_example.fit_per_example`, the function the report's experiments
train with, so ``fit`` with ``epochs=k`` and ``random_state=s`` makes the updates of an
experiment run with ``--epochs k --seed s``; ``partial_fit`` makes one more epoch, its order
drawn from the same stream.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import _check_partial_fit_first_call, check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from dlbasics.errors import DivergedError
from dlbasics.estimators.validation import (
    FLOATS,
    check_epochs,
    check_two_classes,
    encode_labels,
    resolve_seed,
    with_ones,
)
from dlbasics.scratch.functions import log_softmax, softmax
from dlbasics.training.per_example import fit_per_example


def split_bias(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(coef_, intercept_)`` of weights whose last column multiplies the ones column."""
    return np.array(weights[..., :-1]), np.array(weights[..., -1])


def binary_or_all(scores: np.ndarray) -> np.ndarray:
    """scikit-learn's ``decision_function`` shape: ``z_1 - z_0`` for two classes, else ``z``."""
    return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores


class TrainingDivergedError(DivergedError, ValueError):
    """Training produced a non-finite loss or weight (the learning rate is too large)."""


class PerExampleEstimator(BaseEstimator):
    """What every estimator shares: building the model, training it, publishing its weights.

    Subclasses set ``_bias_column`` (whether the model wants the ones column) and implement
    ``_new_model(n_inputs, n_outputs, seed)`` and ``_publish()`` (the public learned
    attributes, ``coef_`` and the like, refreshed after each training call).
    """

    _bias_column = True

    def _new_model(self, n_inputs: int, n_outputs: int, seed: int) -> Any:
        raise NotImplementedError

    def _publish(self) -> None:
        raise NotImplementedError

    def _auto_learning_rate(self, X: np.ndarray, y: np.ndarray) -> float:
        """The step size ``learning_rate="auto"`` stands for on the training data ``(X, y)``."""
        raise ValueError(f"{type(self).__name__} has no automatic learning_rate")

    def _learning_rate(self, X: np.ndarray, y: np.ndarray) -> float | None:
        """The step size of this fit: the ``learning_rate`` given, or the automatic one.

        The squared loss's gradient grows with the error, so a fixed step that suits
        standardised data diverges on raw data; ``"auto"`` picks one from the scale of the
        data (each estimator says how). None for a model without a step size (the perceptron).
        """
        rate = getattr(self, "learning_rate", None)
        if isinstance(rate, str):
            if rate != "auto":
                raise ValueError(f"learning_rate must be a positive number or 'auto'; got {rate!r}")
            return self._auto_learning_rate(X, y)
        return rate

    def _model_input(self, X: np.ndarray) -> np.ndarray:
        return with_ones(X) if self._bias_column else X

    def _start(self, X: np.ndarray, y: np.ndarray, n_outputs: int) -> None:
        """A fresh model and shuffling stream, both from the seed of ``random_state``.

        ``learning_rate_`` is the step size used (see :meth:`_learning_rate`); ``(X, y)`` the
        training data of this first call.
        """
        check_epochs(self.epochs)
        rate = self._learning_rate(X, y)
        if rate is not None:
            self.learning_rate_ = rate
        seed = resolve_seed(self.random_state)
        n_inputs = self.n_features_in_ + (1 if self._bias_column else 0)
        self.model_ = self._new_model(n_inputs, n_outputs, seed)
        self._orders = np.random.default_rng(seed)
        self.loss_curve_: list[float] = []
        self.n_iter_ = 0

    def _train(self, X: np.ndarray, y: np.ndarray, epochs: int) -> None:
        """``epochs`` epochs of per-example updates on ``(X, y)`` (``y`` already encoded)."""
        outcome = fit_per_example(
            self.model_,
            self._model_input(X),
            y,
            epochs=epochs,
            seed=self._orders,
            desc=type(self).__name__,
        )
        self.loss_curve_ += [record["train_loss"] for record in outcome.history]
        self.n_iter_ += len(outcome.history)
        if not outcome.ok:
            rate = getattr(self.model_, "learning_rate", None)
            used = "" if rate is None else f" (this fit used {rate:g})"
            raise TrainingDivergedError(
                f"{type(self).__name__} diverged in epoch {self.n_iter_ + 1}: a non-finite "
                f"loss or weight; try a smaller learning_rate{used}"
            )
        self._publish()

    def _validated(self, X: Any) -> np.ndarray:
        """``X`` checked as the fitted model expects it (features, finite, float)."""
        check_is_fitted(self)
        return np.asarray(validate_data(self, X, dtype=FLOATS, reset=False))


class PerExampleClassifier(ClassifierMixin, PerExampleEstimator):
    """A classifier: any hashable labels, encoded in ``classes_`` order for the model."""

    def _scores(self, X: np.ndarray) -> np.ndarray:
        """One row of class scores per row of the validated ``X``."""
        raise NotImplementedError

    def fit(self, X: Any, y: Any) -> PerExampleClassifier:
        """Train a fresh model for ``epochs`` epochs on ``(X, y)``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Labels: at least two distinct values of any hashable kind.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For malformed input (scikit-learn's messages), one class only, or divergence.
        """
        X, y = validate_data(self, X, y, dtype=FLOATS)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        check_two_classes(type(self).__name__, self.classes_)
        self._start(X, y, len(self.classes_))
        self._train(X, encode_labels(self.classes_, y), self.epochs)
        return self

    def partial_fit(self, X: Any, y: Any, classes: Any = None) -> PerExampleClassifier:
        """One more epoch on ``(X, y)``; the first call builds the model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Labels, each one of ``classes``.
        classes : array-like, optional
            Every label the model will see; required on the first call.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For malformed input, ``classes`` missing on the first call, a label outside
            ``classes``, or divergence.
        """
        first = _check_partial_fit_first_call(self, classes)
        try:
            X, y = validate_data(self, X, y, dtype=FLOATS, reset=first)
            check_classification_targets(y)
            labels = encode_labels(self.classes_, y)
            if first:
                check_two_classes(type(self).__name__, self.classes_)
                self._start(X, y, len(self.classes_))
        except ValueError:
            if first:  # nothing was built: the next call is a first call again
                del self.classes_
            raise
        self._train(X, labels, 1)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The label of highest score for each row of ``X``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        scores = self._scores(self._validated(X))
        return self.classes_[np.argmax(scores, axis=1)]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy on ``(X, y)`` (``ClassifierMixin.score``); labels unseen in fit refused.

        Raises
        ------
        ValueError
            ``y contains previously unseen labels: [...]`` for a label not in ``classes_``,
            which an accuracy would otherwise count as a silent mistake.
        """
        check_is_fitted(self)
        encode_labels(self.classes_, y)
        return float(super().score(X, y, sample_weight))


class PerExampleRegressor(RegressorMixin, PerExampleEstimator):
    """A regressor of one numeric target."""

    def fit(self, X: Any, y: Any) -> PerExampleRegressor:
        """Train a fresh model on ``(X, y)``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Numeric targets.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For malformed input (scikit-learn's messages) or divergence.
        """
        X, y = validate_data(self, X, y, dtype=FLOATS, y_numeric=True)
        y = np.asarray(y, dtype=np.float64)
        self._start(X, y, 1)
        self._fit_model(X, y)
        return self

    def _fit_model(self, X: np.ndarray, y: np.ndarray) -> None:
        self._train(X, y, self.epochs)

    def partial_fit(self, X: Any, y: Any) -> PerExampleRegressor:
        """One more epoch of per-example updates on ``(X, y)``; the first call builds the model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Numeric targets.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For malformed input, a feature count other than the first call's, or divergence.
        """
        first = not hasattr(self, "model_")
        X, y = validate_data(self, X, y, dtype=FLOATS, y_numeric=True, reset=first)
        y = np.asarray(y, dtype=np.float64)
        if first:
            self._start(X, y, 1)
        self._train(X, y, 1)
        return self


class SoftmaxClassifier(PerExampleClassifier):
    """A classifier whose scores are logits: ``predict_proba`` and ``predict_log_proba``."""

    def predict_proba(self, X: Any) -> np.ndarray:
        """``softmax(z)``: one row of class probabilities per row of ``X``, in ``classes_``
        order.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        return softmax(self._scores(self._validated(X)))

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """``log softmax(z)``, computed without overflow of the scores ``z``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        return log_softmax(self._scores(self._validated(X)))
