"""The report's eight claims: their names and the formulas it derives (the defaults the checks test).

The formulas are written with the functions the models train with, from
:mod:`dlbasics.scratch.functions` (sigmoid, softmax, the multinomial logistic loss).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dlbasics.scratch.functions import multinomial_logistic_loss, sigmoid, softmax
from dlbasics.theory.measure import Array

#: Claim number -> the name its results carry.
NAMES = {
    1: "1 sigmoid derivative",
    2: "2 binary logistic loss",
    3: "3 softmax Jacobian",
    4: "4 multinomial logistic loss",
    5: "5 logistic convex in (W,b)",
    6: "6 hidden layer non-convex",
    7: "7 squared loss convex",
    8: "8 linear layers collapse",
}

#: Claim number -> the name ``check_claim`` and ``verify-math --claim`` also accept.
SLUGS = {
    1: "sigmoid-derivative",
    2: "binary-logistic-loss",
    3: "softmax-jacobian",
    4: "multinomial-logistic-loss",
    5: "logistic-convexity",
    6: "hidden-layer-nonconvexity",
    7: "squared-loss-convexity",
    8: "linear-layers-collapse",
}


def sigmoid_derivative(z: Any) -> Array:
    """Claim 1: sigma'(z) = sigma(z) (1 - sigma(z))."""
    s = sigmoid(z)
    return s * (1 - s)


def binary_loss_first_derivative(z: Any, y: Any) -> Array:
    """Claim 2: L'(z; y) = (1+y)/2 (sigma(z) - 1) + (1-y)/2 sigma(z), i.e. sigma(z) - (1+y)/2."""
    s = sigmoid(z)
    y = np.asarray(y, dtype=np.float64)
    return (1 + y) / 2 * (s - 1) + (1 - y) / 2 * s


def binary_loss_second_derivative(z: Any, y: Any) -> Array:
    """Claim 2: L''(z; y) = sigma(z) (1 - sigma(z)): the same for y = +1 and y = -1."""
    z, _ = np.broadcast_arrays(np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64))
    return sigmoid_derivative(z)


def softmax_jacobian(z: Any) -> Array:
    """Claim 3: d softmax(z)_i / d z_j = s_i (delta_ij - s_j), i.e. diag(s) - s s^T."""
    s = softmax(np.asarray(z, dtype=np.float64))
    return np.diag(s) - np.outer(s, s)


def multinomial_loss_gradient(z: Any, a: int) -> Array:
    """Claim 4: grad_z -log softmax(z)_a = s - e_a (e_a the one-hot vector of class a)."""
    grad = softmax(np.asarray(z, dtype=np.float64))  # a fresh array: safe to change
    grad[a] -= 1.0
    return grad


def multinomial_loss_hessian(z: Any, a: int) -> Array:
    """Claim 4: the Hessian of -log softmax(z)_a is diag(s) - s s^T, whatever the class a."""
    return softmax_jacobian(z)


def squared_loss_hessian(z: Any, y: Any) -> Array:
    """Claim 7: the Hessian of 1/2 ||z - y||^2 in z is the identity."""
    return np.eye(np.asarray(z).shape[-1])


def affine_param_hessian(phi: Any, hessian_z: Array) -> Array:
    """Claims 5 and 7: the Hessian of L(W phi + b) in the parameters (W, b).

    Write the parameters as one matrix ``V = [W | b]`` (K rows, D + 1 columns) and the input as
    ``u = [phi; 1]``, so ``z = V u``; flatten V row by row into theta. Each z_k is linear in
    theta, so the chain rule has no second-derivative term and
    ``d^2 L / dV_kd dV_lc = (d^2 L / dz_k dz_l) u_d u_c``, i.e. ``hessian_z (Kronecker) u u^T``.
    A Kronecker product of two PSD matrices is PSD, hence L is convex in (W, b) when it is in z.
    """
    u = np.append(np.asarray(phi, dtype=np.float64), 1.0)
    return np.kron(np.asarray(hessian_z, dtype=np.float64), np.outer(u, u))


def compose_affine_layers(layers: Sequence[tuple[Array, Array]]) -> tuple[Array, Array]:
    """Claim 8: the single affine map computed by layers ``h <- W_i h + b_i`` with no activation.

    Applying ``x -> A x + c`` and then ``W h + b`` gives ``(W A) x + (W c + b)``, so folding the
    layers in order starting from the identity map yields ``x -> W x + b`` with
    ``W = W_L ... W_1`` and ``b = W_L (... (W_2 b_1 + b_2) ...) + b_L``.
    """
    first_weight = np.asarray(layers[0][0], dtype=np.float64)
    weight = np.eye(first_weight.shape[1])
    bias = np.zeros(first_weight.shape[1])
    for layer_weight, layer_bias in layers:
        weight = layer_weight @ weight
        bias = layer_weight @ bias + layer_bias
    return weight, bias


# Claim 6's network: one input, one tanh hidden unit, two classes. theta has 6 entries:
# (w1, b1, v0, v1, c0, c1) for z = [v0, v1] * tanh(w1 x + b1) + [c0, c1].
HIDDEN_NET_PARAMETERS = ("w1", "b1", "v0", "v1", "c0", "c1")


def hidden_layer_loss(theta: Any, x: float, a: int) -> float:
    """Claim 6: L(theta) = -log softmax(v tanh(w1 x + b1) + c)_a, a one-hidden-unit network."""
    w1, b1, v0, v1, c0, c1 = np.asarray(theta, dtype=np.float64)
    hidden = np.tanh(w1 * x + b1)
    return float(multinomial_logistic_loss(np.array([v0 * hidden + c0, v1 * hidden + c1]), a))
