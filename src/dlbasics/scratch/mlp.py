"""A multi-layer perceptron with explicit forward and backward passes and per-example SGD."""

from __future__ import annotations

import numpy as np

from dlbasics.errors import ConfigError
from dlbasics.scratch.functions import (
    accuracy,
    check_count,
    check_finite,
    check_positive,
    float_dtype,
    lookup_activation,
    rmse,
    softmax_cross_entropy,
    squared_error,
)

HEADS = ("classification", "regression")
INITS = ("homework", "he", "xavier")

# Rows per matrix product when predicting, so that memory stays small on big datasets.
_PREDICT_BATCH = 8192


def initial_weights(sizes: list[int], init: str, seed: int) -> list[np.ndarray]:
    """One weight matrix of shape (out, in) per layer, drawn layer by layer from one generator.

    ``homework``: ``N(0.1, 0.1^2)``, as the homework did; ``he``: ``N(0, 2 / in)``;
    ``xavier``: ``N(0, 2 / (in + out))``. All use ``np.random.default_rng(seed)``, in layer order.
    """
    if init not in INITS:
        raise ConfigError(f"unknown init {init!r}; choose one of: {', '.join(INITS)}")
    rng = np.random.default_rng(seed)
    weights = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        if init == "homework":
            mean, std = 0.1, 0.1
        elif init == "he":
            mean, std = 0.0, np.sqrt(2.0 / n_in)
        else:  # xavier
            mean, std = 0.0, np.sqrt(2.0 / (n_in + n_out))
        weights.append(rng.normal(mean, std, size=(n_out, n_in)))
    return weights


class MLP:
    """Feed-forward network: ``layers`` hidden layers of ``hidden_size`` units, then the output.

    Layer sizes ``[n_features, h, ..., h, n_outputs]``; ``weights_[l]`` has shape (out_l, in_l) and
    ``biases_[l]`` shape (out_l,), for ``l = 0..L`` (``L = layers``). Biases start at zero; weights
    follow ``init`` (see :func:`initial_weights`). The input has no bias column: layers have biases.

    Forward pass of one example::

        h_0 = x
        z_l = W_l h_l + b_l,   h_{l+1} = act(z_l)      for l = 0..L-1
        z_L = W_L h_L + b_L                            (the output scores)

    Heads, giving the loss and its gradient ``g = dL/dz_L``:

    * ``classification``: ``L = logsumexp(z_L) - z_L[y]``, ``g = softmax(z_L) - e_y``;
    * ``regression`` (``n_outputs = 1``): ``L = 0.5 (z_L[0] - y)^2``, ``g = z_L - y``.

    Backward pass and SGD update, from the top layer down, for ``l = L..0``::

        dL/dW_l = outer(g, h_l),   dL/db_l = g
        g_prev  = (W_l^T g) * act'(z_{l-1})     (if l > 0, with W_l before its update)
        W_l -= learning_rate * dL/dW_l,   b_l -= learning_rate * dL/db_l,   g = g_prev

    ``train_epoch`` returns the mean loss of the epoch, each example's loss taken before its update.

    Learned state: ``weights_``, ``biases_``.
    """

    def __init__(
        self,
        n_features: int,
        n_outputs: int,
        *,
        hidden_size: int = 200,
        layers: int = 1,
        activation: str = "relu",
        learning_rate: float = 0.001,
        head: str = "classification",
        init: str = "homework",
        seed: int = 0,
    ) -> None:
        check_count("n_features", n_features)
        check_count("n_outputs", n_outputs)
        check_count("hidden_size", hidden_size)
        check_count("layers", layers)
        check_positive("learning_rate", learning_rate)
        if head not in HEADS:
            raise ConfigError(f"unknown head {head!r}; choose one of: {', '.join(HEADS)}")
        if head == "classification" and n_outputs < 2:
            raise ConfigError("a classification head needs n_outputs >= 2 classes")
        if head == "regression" and n_outputs != 1:
            raise ConfigError("the regression head predicts one value: n_outputs must be 1")
        self.n_features = int(n_features)
        self.n_outputs = int(n_outputs)
        self.hidden_size = int(hidden_size)
        self.layers = int(layers)
        self.activation = activation
        self._act, self._act_derivative = lookup_activation(activation)
        self.learning_rate = float(learning_rate)
        self.head = head
        self._head_loss = softmax_cross_entropy if head == "classification" else squared_error
        self.init = init
        self.seed = seed
        sizes = [self.n_features] + [self.hidden_size] * self.layers + [self.n_outputs]
        self.weights_ = initial_weights(sizes, init, seed)
        self.biases_ = [np.zeros(n_out) for n_out in sizes[1:]]

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One SGD pass over the examples ``order``; returns their mean loss."""
        check_finite("X", X)
        check_finite("y", y)
        self._cast_parameters(float_dtype(X))
        weights, biases = self.weights_, self.biases_
        top = len(weights) - 1
        lr = self.learning_rate
        act, act_derivative = self._act, self._act_derivative
        # The step lr * outer(g, h_l) goes into a reused buffer: allocating a fresh (out, in)
        # matrix for every example costs more than the arithmetic on it.
        step_buffers = [np.empty_like(W) for W in weights]
        total_loss = 0.0
        for i in order:
            # Forward: keep the inputs h_l of every layer and the pre-activations z_l.
            inputs = [X[i]]
            pre_activations = []
            for W, b in zip(weights[:top], biases[:top], strict=True):
                z = W @ inputs[-1] + b
                pre_activations.append(z)
                inputs.append(act(z))
            loss, g = self._head_loss(weights[top] @ inputs[top] + biases[top], y[i])
            total_loss += loss
            # Backward and update, top layer first.
            for layer in range(top, -1, -1):
                W = weights[layer]
                if layer > 0:
                    g_prev = (W.T @ g) * act_derivative(pre_activations[layer - 1])
                step = np.outer(g, inputs[layer], out=step_buffers[layer])  # dL/dW_l
                step *= lr
                W -= step
                biases[layer] -= lr * g
                if layer > 0:
                    g = g_prev
        return total_loss / max(len(order), 1)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output scores ``z_L`` for every row of ``X`` (vectorised over examples)."""
        h = X
        top = len(self.weights_) - 1
        for layer, (W, b) in enumerate(zip(self.weights_, self.biases_, strict=True)):
            z = h @ W.T + b
            h = self._act(z) if layer < top else z
        return h

    def _batched_forward(self, X: np.ndarray) -> np.ndarray:
        parts = [self.forward(X[s : s + _PREDICT_BATCH]) for s in range(0, len(X), _PREDICT_BATCH)]
        return np.concatenate(parts) if parts else np.empty((0, self.n_outputs))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels (classification) or predicted values (regression)."""
        check_finite("X", X)
        scores = self._batched_forward(X)
        if self.head == "classification":
            return np.argmax(scores, axis=1)
        return scores[:, 0]

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> float:
        """Accuracy (classification) or RMSE (regression) on ``(X, y)``."""
        check_finite("y", y)
        if self.head == "classification":
            return accuracy(self.predict(X), y)
        return rmse(self.predict(X), y)

    def _cast_parameters(self, dtype: np.dtype) -> None:
        """Parameters follow the data's float type (float32 data trains in float32)."""
        self.weights_ = [W.astype(dtype, copy=False) for W in self.weights_]
        self.biases_ = [b.astype(dtype, copy=False) for b in self.biases_]
