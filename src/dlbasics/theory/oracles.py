"""The two independent references a formula is compared with: autograd and central differences.

* **Autograd** differentiates torch's *own* implementation of each function (``torch.sigmoid``,
  ``logsigmoid``, ``torch.softmax``, ``torch.log_softmax``, a chain of ``linear`` layers), through
  ``torch.func``: ``grad`` and ``vmap`` for derivatives at many points at once, ``jacrev`` for
  Jacobians and ``jacrev(grad)`` for Hessians. The torch functions here take one point (a scalar or a
  vector) and also broadcast over leading axes, so they serve both the transforms and plain
  batched forward passes.
* **Central differences** ``(f(x + h) - f(x - h)) / ((x + h) - (x - h))``, dividing by the step
  actually taken after rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch.func import grad, jacrev, vmap

from dlbasics.theory.measure import Array

#: Step of the central differences. Absolute, not relative to |z|: softmax only sees the
#: *differences* between logits, which stay small when the logits themselves are large.
FD_STEP = 1e-5

TorchFunction = Callable[..., torch.Tensor]


# --- central differences --------------------------------------------------------------------


def central_difference_scalar(f: Callable[[Array], Array], z: Array) -> Array:
    """Elementwise (f(z + h) - f(z - h)) / (z+h - (z-h)): the step actually taken, after rounding."""
    upper, lower = z + FD_STEP, z - FD_STEP
    return (f(upper) - f(lower)) / (upper - lower)


def central_difference_jacobian(f_batch: Callable[[Array], Array], x: Array) -> Array:
    """Jacobian of f at the point x by central differences, all 2n points in one call.

    ``f_batch`` maps a stack of points, shape (m, n), to their values, shape (m, ...). Column j
    of the result is ``(f(x + h e_j) - f(x - h e_j)) / step_j`` with ``step_j`` the step actually
    taken after rounding (``(x_j + h) - (x_j - h)``, computed exactly).
    """
    n = x.size
    upper = x + FD_STEP * np.eye(n)
    lower = x - FD_STEP * np.eye(n)
    steps = np.diag(upper) - np.diag(lower)
    values = np.asarray(f_batch(np.concatenate([upper, lower])), dtype=np.float64)
    derivatives = (values[:n] - values[n:]) / steps.reshape((n,) + (1,) * (values.ndim - 1))
    return np.moveaxis(derivatives, 0, -1)


# --- autograd (torch.func) ------------------------------------------------------------------


def tensor(values: Any) -> torch.Tensor:
    """``values`` as a float64 tensor."""
    return torch.tensor(np.asarray(values, dtype=np.float64))


def torch_values(f: TorchFunction, points: Array) -> Array:
    """f at each row of ``points`` (one plain forward pass over the whole stack)."""
    with torch.no_grad():
        return f(tensor(np.atleast_2d(points))).numpy()


def elementwise_derivative(f: TorchFunction, z: Array, *args: Array, order: int = 1) -> Array:
    """The first or second derivative of the scalar function ``f(z, *args)`` in z, at every
    entry of z (``args`` hold one value per entry, e.g. the labels)."""
    derivative = f
    for _ in range(order):
        derivative = grad(derivative)
    return vmap(derivative)(tensor(z), *(tensor(arg) for arg in args)).numpy()


def autograd_gradients(f: TorchFunction, points: Array) -> Array:
    """The gradient of the scalar function f at each row of ``points``."""
    return vmap(grad(f))(tensor(np.atleast_2d(points))).numpy()


def autograd_gradient(f: TorchFunction, x: Array) -> Array:
    return grad(f)(tensor(x)).numpy()


def autograd_jacobian(f: TorchFunction, x: Array) -> Array:
    """Jacobian of f: R^n -> R^m at x by reverse mode: row k is the gradient of output k."""
    return jacrev(f)(tensor(x)).numpy()


def autograd_hessian(f: TorchFunction, x: Array) -> Array:
    """Hessian of the scalar function f at x: the reverse-mode Jacobian of its gradient (zero
    where f is affine). ``torch.func.hessian`` (forward over reverse) gives the same matrix to
    rounding, at several times the cost on these small problems."""
    return jacrev(grad(f))(tensor(x)).numpy()


# --- torch's own functions, differentiated by the oracle ------------------------------------


def torch_softmax(z: torch.Tensor) -> torch.Tensor:
    return torch.softmax(z, -1)


def torch_binary_loss(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """L(z; y) straight from the definition, with torch's logsigmoid."""
    logsig = torch.nn.functional.logsigmoid
    return -(1 + y) / 2 * logsig(z) - (1 - y) / 2 * logsig(-z)


def torch_multinomial_loss(z: torch.Tensor, a: Any) -> torch.Tensor:
    """-log softmax(z)_a, with torch's log_softmax (z batched on leading axes)."""
    return -torch.log_softmax(z, -1)[..., int(a)]


def torch_squared_loss(z: torch.Tensor, y: Any) -> torch.Tensor:
    """1/2 ||z - y||^2 (z batched on leading axes)."""
    diff = z - torch.as_tensor(y, dtype=torch.float64)
    return 0.5 * (diff * diff).sum(-1)


class LinearNetwork:
    """Layers ``h <- h W_i^T + b_i`` computed by torch (as ``nn.Linear`` does), with the identity
    as activation between them; batched over leading axes."""

    def __init__(self, layers: Sequence[tuple[Array, Array]]) -> None:
        self.layers = [(tensor(weight), tensor(bias)) for weight, bias in layers]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        hidden = x
        for weight, bias in self.layers:
            hidden = torch.nn.functional.linear(hidden, weight, bias)  # activation: identity
        return hidden
