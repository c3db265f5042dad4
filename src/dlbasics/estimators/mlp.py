"""The multi-layer perceptron as a scikit-learn classifier and regressor (``scratch.MLP``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbasics.estimators.base import PerExampleEstimator, PerExampleRegressor, SoftmaxClassifier
from dlbasics.estimators.validation import engine_model, max_squared_norm

_PARAMETERS = """    hidden_size : int, default=100
        Units per hidden layer.
    layers : int, default=1
        Number of hidden layers.
    activation : {"relu", "tanh"}, default="relu"
        Hidden activation.
    init : {"he", "xavier", "homework"}, default="he"
        Initial weights (biases start at 0): ``he`` ``N(0, 2 / in)``, ``xavier``
        ``N(0, 2 / (in + out))``, ``homework`` ``N(0.1, 0.1^2)`` (q3.2b's), drawn from
        ``random_state``'s seed.
    learning_rate : float or "auto", default="auto"
        SGD step size (> 0); the report's q2.2b and q3.2b use 0.001. ``"auto"``:
        ``1 / (1 + hidden_size * max_i ||x_i||^2 / n_features)``, one over the largest
        squared norm of the last layer's input ``[h, 1]`` at a He initialisation (where
        ``E h_j^2 = ||x||^2 / n_features``): a step the output layer takes without blowing up
        whatever the scale of ``X`` (about 0.01 for 100 units on standardised data). The
        regressor divides it by the targets' root mean square when above 1: fitting larger
        targets grows the weights, and with them each layer's curvature.
    epochs : int, default=20
        Passes over the data in ``fit`` (a fixed count: there is no stopping rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights and the per-epoch shuffling; an int is used as the
        experiments use ``--seed`` (one seed for both).
    engine : {"reference", "fast"}, default="reference"
        ``"reference"``: the NumPy model; ``"fast"``: the numba-compiled one (same updates)."""

_ATTRIBUTES = """    coefs_ : list of ndarray
        ``coefs_[l]`` of shape (n_in, n_out): layer ``l``'s weights, transposed from the
        model's (out, in) as in scikit-learn's MLPs.
    intercepts_ : list of ndarray
        ``intercepts_[l]`` of shape (n_out,).
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when fitted on a DataFrame with string column names
    n_iter_ : int
        Epochs run.
    learning_rate_ : float
        The step size used.
    model_ : dlbasics.scratch.MLP or dlbasics.fast.MLP
        The trained network itself (``weights_``, ``biases_``)."""


class _MLPParameters(PerExampleEstimator):
    """The hyperparameters both MLP estimators take, and the network they build."""

    _head = "classification"

    def __init__(
        self,
        *,
        hidden_size: int = 100,
        layers: int = 1,
        activation: str = "relu",
        init: str = "he",
        learning_rate: float | str = "auto",
        epochs: int = 20,
        random_state: Any = None,
        engine: str = "reference",
    ) -> None:
        self.hidden_size = hidden_size
        self.layers = layers
        self.activation = activation
        self.init = init
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.random_state = random_state
        self.engine = engine

    def _new_model(self, n_inputs: int, n_outputs: int, seed: int) -> Any:
        return engine_model(self.engine, "MLP")(
            n_inputs,
            n_outputs,
            hidden_size=self.hidden_size,
            layers=self.layers,
            activation=self.activation,
            learning_rate=self.learning_rate_,
            head=self._head,
            init=self.init,
            seed=seed,
        )

    def _auto_learning_rate(self, X: np.ndarray, y: np.ndarray) -> float:
        rate = 1.0 / (1.0 + self.hidden_size * max_squared_norm(X) / X.shape[1])
        if self._head == "regression":  # the weights grow with the targets, and the curvature
            rate /= max(1.0, float(np.sqrt(np.mean(np.square(y)))))
        return rate

    def _publish(self) -> None:
        self.coefs_ = [np.array(W.T) for W in self.model_.weights_]
        self.intercepts_ = [np.array(b) for b in self.model_.biases_]


class MLPClassifier(_MLPParameters, SoftmaxClassifier):
    __doc__ = f"""Feed-forward classifier with a softmax cross-entropy head, per-example SGD.

    Wraps :class:`dlbasics.scratch.MLP` with ``head="classification"`` (or its compiled twin):
    ``z_l = W_l h_l + b_l``, ``h_{{l+1}} = act(z_l)``, loss ``logsumexp(z_L) - z_L[y]``,
    backpropagation and one SGD step per example. The input gets no ones column: the layers
    have biases.

    Parameters
    ----------
{_PARAMETERS}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    loss_curve_ : list of float
        Each epoch's mean cross-entropy, each example's loss taken before its update.
{_ATTRIBUTES}

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from dlbasics import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> MLPClassifier(hidden_size=16, random_state=0).fit(X, y).score(X, y) > 0.9
    True
    """

    _bias_column = False

    def _scores(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.model_.forward(X))


class MLPRegressor(_MLPParameters, PerExampleRegressor):
    __doc__ = f"""Feed-forward regressor with a squared-error head, per-example SGD.

    Wraps :class:`dlbasics.scratch.MLP` with ``head="regression"`` (or its compiled twin), as
    q2.2b: one output ``z_L``, loss ``0.5 (z_L - y)^2``, backpropagation and one SGD step per
    example. The input gets no ones column: the layers have biases. One target only.

    Parameters
    ----------
{_PARAMETERS}

    Attributes
    ----------
    loss_curve_ : list of float
        Each epoch's mean ``0.5 (yhat - y)^2``, each taken before its update.
{_ATTRIBUTES}

    Examples
    --------
    >>> import numpy as np
    >>> from dlbasics import MLPRegressor
    >>> X = np.linspace(-1, 1, 50).reshape(-1, 1)
    >>> MLPRegressor(hidden_size=16, random_state=0).fit(X, X[:, 0] ** 2).predict(X).shape
    (50,)
    """

    _bias_column = False
    _head = "regression"

    def predict(self, X: Any) -> np.ndarray:
        """The network's output for each row of ``X``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        X = self._validated(X)
        return np.asarray(self.model_.predict(X))
