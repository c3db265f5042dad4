"""scikit-learn estimators around the from-scratch models (docs/estimators.md).

``Perceptron``, ``LogisticRegression``, ``LinearRegression`` (``solver="sgd"`` or
``"closed_form"``), ``MLPClassifier`` and ``MLPRegressor`` follow scikit-learn's conventions
(``fit``, ``partial_fit``, ``predict``, ``score``, ``get_params``; learned attributes with a
trailing underscore after ``fit``) and pass its ``check_estimator`` suite. Each takes
``engine="reference"`` (:mod:`dlbasics.scratch`, NumPy) or ``"fast"`` (:mod:`dlbasics.fast`,
numba), and trains through :func:`dlbasics.training.per_example.fit_per_example`, the function
the report's experiments train with.

Examples
--------
>>> from sklearn.datasets import load_iris
>>> from dlbasics.estimators import LogisticRegression
>>> X, y = load_iris(return_X_y=True)
>>> LogisticRegression(random_state=0).fit(X, y).score(X, y) > 0.8
True
"""

from dlbasics.estimators.base import TrainingDivergedError
from dlbasics.estimators.linear import LinearRegression
from dlbasics.estimators.logistic import LogisticRegression
from dlbasics.estimators.mlp import MLPClassifier, MLPRegressor
from dlbasics.estimators.perceptron import Perceptron

__all__ = [
    "LinearRegression",
    "LogisticRegression",
    "MLPClassifier",
    "MLPRegressor",
    "Perceptron",
    "TrainingDivergedError",
]
