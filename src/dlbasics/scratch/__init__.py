"""The reference engine: the report's models written from scratch in NumPy.

Each model states its math in its docstring and implements the per-example update exactly as
written there. All share one interface (see docs/models.md)::

    model = Model(n_features=..., n_classes=... | n_outputs=..., <hyperparameters>, seed=...)
    model.train_epoch(X, y, order) -> mean training loss over the examples ``order``
    model.predict(X)               -> labels or values, vectorised
    model.evaluate(X, y)           -> accuracy (classification) or RMSE (regression)

Learned state lives in attributes with a trailing underscore (``weights_``, ``biases_``, ...).
"""

from dlbasics.scratch.linear import LinearRegression
from dlbasics.scratch.logistic import LogisticRegression
from dlbasics.scratch.mlp import MLP
from dlbasics.scratch.perceptron import Perceptron

__all__ = ["MLP", "LinearRegression", "LogisticRegression", "Perceptron"]
