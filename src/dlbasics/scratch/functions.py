"""Small numerical building blocks shared by the from-scratch models.

Everything here works on a single vector ``z`` (one example) or on a matrix whose last axis
holds the scores of each example, and stays finite for large scores:

* ``logsumexp(z) = m + log(sum_k exp(z_k - m))`` with ``m = max_k z_k``, so no ``exp`` overflows;
* ``softmax(z)_k = exp(z_k - m) / sum_j exp(z_j - m)`` (the shift by ``m`` cancels);
* the softmax cross-entropy of one example, ``L = logsumexp(z) - z_y``, whose gradient with respect
  to the scores is ``softmax(z) - e_y``;
* the activations ``relu(z) = max(z, 0)`` (derivative 1 where ``z > 0``, else 0),
  ``tanh`` (derivative ``1 - tanh(z)^2``) and ``identity(z) = z`` (derivative 1: the network
  without a non-linearity, a product of affine maps, of the report's Q3.2a);
* the pieces of the report's derivations (Question 1), checked by ``dlbasics.theory``: the sigmoid,
  softplus and log-sigmoid, the binary logistic loss, log-softmax and the multinomial logistic
  loss ``-log softmax(z)_a``, all finite for ``|z|`` up to 1e3 and beyond.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from dlbasics.errors import ConfigError


def logsumexp(z: np.ndarray) -> np.ndarray:
    """``log(sum_k exp(z_k))`` over the last axis, computed as ``m + log(sum_k exp(z_k - m))``."""
    z_max = np.max(z, axis=-1, keepdims=True)
    return (z_max + np.log(np.sum(np.exp(z - z_max), axis=-1, keepdims=True)))[..., 0]


def softmax(z: np.ndarray) -> np.ndarray:
    """``exp(z_k - m) / sum_j exp(z_j - m)`` over the last axis (``m`` = the row maximum)."""
    exp_shifted = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exp_shifted / np.sum(exp_shifted, axis=-1, keepdims=True)


def softmax_cross_entropy(z: np.ndarray, label: int) -> tuple[float, np.ndarray]:
    """Loss and score gradient of one example: ``L = logsumexp(z) - z[label]``,
    ``dL/dz = softmax(z) - e_label``.

    Both come from the same shifted exponentials ``exp(z - max z)``, computed once. (Array
    methods and ``math.log`` rather than ``np.max``/``np.log``: this runs once per example, where
    per-call overhead outweighs the arithmetic on ten numbers.)
    """
    shifted = z - z.max()
    exp_shifted = np.exp(shifted)
    total = exp_shifted.sum()
    loss = math.log(total) - float(shifted[label])  # = logsumexp(z) - z[label]
    gradient = exp_shifted / total  # softmax(z)
    gradient[label] -= 1.0  # - e_label
    return loss, gradient


def sigmoid(z: npt.ArrayLike) -> np.ndarray:
    """``sigma(z) = 1 / (1 + exp(-z))`` elementwise, computed without overflow for any finite z.

    With ``e = exp(-|z|)``, which lies in (0, 1] and cannot overflow:
    ``sigma(z) = 1 / (1 + e)`` for ``z >= 0`` and ``e / (1 + e)`` for ``z < 0`` (multiply the
    top and bottom of the definition by ``exp(z)``).
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(z: npt.ArrayLike) -> np.ndarray:
    """``log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))`` elementwise, without overflow."""
    z = np.asarray(z)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def log_sigmoid(z: npt.ArrayLike) -> np.ndarray:
    """``log sigma(z) = -log(1 + exp(-z)) = -softplus(-z)``; finite where sigma(z) underflows to 0."""
    return -softplus(-np.asarray(z))


def binary_logistic_loss(z: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    """``L(z; y) = -(1+y)/2 log sigma(z) - (1-y)/2 log(1 - sigma(z))`` for labels y in {-1, +1}.

    Uses ``1 - sigma(z) = sigma(-z)`` and :func:`log_sigmoid`, so the loss stays finite (it is
    about ``|z|``) where ``log(1 - sigma(z))`` computed naively would be ``log(0)``. It equals
    ``softplus(-y z)``.
    """
    z = np.asarray(z)
    y = np.asarray(y)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("binary labels must be -1 or +1")
    return -(1 + y) / 2 * log_sigmoid(z) - (1 - y) / 2 * log_sigmoid(-z)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """``log softmax(z)_k = (z_k - m) - log(sum_j exp(z_j - m))`` over the last axis.

    ``m`` is the row maximum: every exponent is <= 0 and the largest term is exactly 1, so the
    sum neither overflows nor underflows to 0, and the result is finite for finite z.
    """
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def multinomial_logistic_loss(z: np.ndarray, label: int) -> np.ndarray:
    """``L(z; y = label) = -log softmax(z)_label`` over the last axis (one loss per row).

    This is the loss of :func:`softmax_cross_entropy`, ``logsumexp(z) - z_label``, as a plain
    function of the scores (for a whole batch of score vectors at once), computed through
    :func:`log_softmax`.
    """
    return -log_softmax(z)[..., label]


def squared_error(z: np.ndarray, target: float) -> tuple[float, np.ndarray]:
    """Loss and gradient of the regression head: ``L = 0.5 (z_0 - y)^2``, ``dL/dz = z - y``."""
    gradient = z - target
    return float(0.5 * gradient[0] ** 2), gradient  # numpy: overflow gives inf, not an error


def relu(z: np.ndarray) -> np.ndarray:
    """``max(z, 0)`` elementwise."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 where ``z > 0``, else 0 (the subgradient 0 is used at ``z = 0``)."""
    return (z > 0).astype(z.dtype)


def tanh(z: np.ndarray) -> np.ndarray:
    return np.tanh(z)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """``1 - tanh(z)^2``."""
    t = np.tanh(z)
    return 1.0 - t * t


def identity(z: np.ndarray) -> np.ndarray:
    """``z`` itself (no non-linearity)."""
    return z


def identity_derivative(z: np.ndarray) -> np.ndarray:
    """1 everywhere."""
    return np.ones_like(z)


Activation = tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]

# activation name -> (function, derivative with respect to its input)
ACTIVATIONS: dict[str, Activation] = {
    "relu": (relu, relu_derivative),
    "tanh": (tanh, tanh_derivative),
    "identity": (identity, identity_derivative),
}


def lookup_activation(name: str) -> Activation:
    """The ``(function, derivative)`` pair called ``name``; a clear error for an unknown one."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ConfigError(
            f"unknown activation {name!r}; choose one of: {', '.join(ACTIVATIONS)}"
        ) from None


def accuracy(predicted: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of examples whose predicted label equals the true one."""
    return float(np.mean(predicted == labels))


def rmse(predicted: np.ndarray, targets: np.ndarray) -> float:
    """Root-mean-squared error ``sqrt(mean((predicted - targets)^2))``."""
    return float(np.sqrt(np.mean((predicted - targets) ** 2)))


def float_dtype(X: np.ndarray) -> np.dtype:
    """The dtype a model computes in for data ``X``: float32 stays float32, all else float64."""
    return np.dtype(np.float32) if X.dtype == np.float32 else np.dtype(np.float64)


# The arrays already found finite, by identity. A model sees the same training array in every
# chunk of every epoch and the same evaluation arrays after every epoch, and one pass over an
# array costs about as much as a compiled epoch's updates on it; so each array is read once,
# the first time a model gets it. (An array changed in place after that is not read again.)
_FINITE: dict[int, weakref.ref[np.ndarray]] = {}


def check_finite(name: str, values: npt.ArrayLike) -> None:
    """Refuse a model's input ``values`` (``X`` or ``y``) holding NaN or infinity.

    The error (a :class:`ConfigError`, also a ``ValueError``) names the argument and the first
    bad row. Integer arrays are finite by type; an array found finite is remembered (see
    ``_FINITE``). Nothing is converted or copied, so no number changes.
    """
    array = np.asarray(values)
    if array.dtype.kind in "biu":
        return
    if array.dtype.kind not in "fc":
        raise ConfigError(f"{name} must hold numbers, got an array of {array.dtype}")
    key = id(array)
    known = _FINITE.get(key)
    if known is not None and known() is array:
        return
    if not np.isfinite(array).all():
        position = tuple(np.argwhere(~np.isfinite(array))[0])
        row = int(position[0]) if position else 0
        raise ConfigError(
            f"{name} holds a non-finite value ({array[position]}) in row {row}: "
            "models need finite numbers"
        )

    def forget(_: object) -> None:  # the entry goes with the array, before its id is reused
        _FINITE.pop(key, None)

    _FINITE[key] = weakref.ref(array, forget)


def check_positive(name: str, value: float) -> None:
    """Reject a learning rate (or similar) that is not a finite positive number."""
    if not (np.isfinite(value) and value > 0):
        raise ConfigError(f"{name} must be a positive number, got {value!r}")


def check_count(name: str, value: int, minimum: int = 1) -> None:
    """Reject a size that is not an integer >= ``minimum``."""
    if int(value) != value or value < minimum:
        raise ConfigError(f"{name} must be an integer >= {minimum}, got {value!r}")
