"""Numerical checks of the report's derivations (Question 1, Question 2.1 and Question 3.2a).

The report derives eight results by hand. This module checks each one numerically, over many
random cases plus a fixed set of extreme ones (logits up to ``|z| = 1e3``), in two independent
ways:

* **autograd oracle**: PyTorch differentiates *torch's own* implementation of the function
  (``torch.sigmoid``, ``torch.log_softmax``, ...), which shares no code with the formula under test;
* **central finite differences**, a second opinion: ``(f(x + h) - f(x - h)) / 2h`` of the project's
  own numpy function for first derivatives, and of the autograd gradient for second derivatives
  (as ``torch.autograd.gradgradcheck`` does).

Properties that are not derivatives (symmetry, diagonal dominance, positive semidefiniteness,
Jensen's inequality, a non-convexity counterexample, the collapse of linear layers) are checked
directly on the same cases.

**Errors.** Unless said otherwise an error is the *mixed* error
``max |actual - reference| / max(1, max |reference|)`` of one case: an absolute error when the
reference is at most 1 in size, a relative one beyond. A claim's ``worst_error`` is the largest
error over all its cases and methods (the per-method worst errors are in ``detail``); the claim
passes when ``worst_error <= tolerance``. Claim 6 is the exception: it looks for a violation of
convexity, its ``worst_error`` is the largest convexity gap found and it passes when that gap
is *above* the tolerance. A check that meets a non-finite value, a floating-point warning, or a
formula that raises, fails.

Every ``check_*`` function takes the formula under test as an argument (default: the report's
formula), so a test can hand it a wrong formula and watch it fail.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cached_property, partial
from typing import Any

import numpy as np
import torch

from dlbasics.errors import ConfigError
from dlbasics.results.io import to_jsonable

Array = np.ndarray

#: Agreement demanded of every comparison (mixed error, see the module docstring): six digits.
TOLERANCE = 1e-6
#: Smallest convexity gap that counts as a counterexample in claim 6 (rounding is ~1e-15).
COUNTEREXAMPLE_GAP = 1e-6
#: Largest logit magnitude in the test cases; the stable functions must stay finite up to here.
Z_MAX = 1e3
#: Step of the central differences. Absolute, not relative to |z|: softmax only sees the
#: *differences* between logits, which stay small when the logits themselves are large.
FD_STEP = 1e-5


# ---------------------------------------------------------------------------------------------
# The project's numerically stable functions (numpy, float64)
# ---------------------------------------------------------------------------------------------


def sigmoid(z: Any) -> Array:
    """sigma(z) = 1 / (1 + exp(-z)), computed without overflow for any finite z.

    With ``e = exp(-|z|)``, which lies in (0, 1] and cannot overflow:
    ``sigma(z) = 1 / (1 + e)`` for z >= 0 and ``e / (1 + e)`` for z < 0 (multiply the top and
    bottom of the definition by ``exp(z)``).
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(z: Any) -> Array:
    """log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|)), without overflow."""
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def log_sigmoid(z: Any) -> Array:
    """log sigma(z) = -log(1 + exp(-z)) = -softplus(-z); finite where sigma(z) underflows to 0."""
    return -softplus(-np.asarray(z, dtype=np.float64))


def binary_logistic_loss(z: Any, y: Any) -> Array:
    """L(z; y) = -(1+y)/2 log sigma(z) - (1-y)/2 log(1 - sigma(z)) for labels y in {-1, +1}.

    Uses ``1 - sigma(z) = sigma(-z)`` and :func:`log_sigmoid`, so the loss stays finite (it is
    about |z|) where ``log(1 - sigma(z))`` computed naively would be ``log(0)``.
    """
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("binary labels must be -1 or +1")
    return -(1 + y) / 2 * log_sigmoid(z) - (1 - y) / 2 * log_sigmoid(-z)


def softmax(z: Any) -> Array:
    """softmax(z)_i = exp(z_i) / sum_k exp(z_k) over the last axis.

    Subtracting max(z) first changes nothing mathematically (it cancels between top and bottom)
    but keeps every exponent <= 0: no overflow, and the largest term is exactly 1 so the sum
    never underflows to 0.
    """
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def log_softmax(z: Any) -> Array:
    """log softmax(z) = (z - max z) - log sum_k exp(z_k - max z), finite for finite z."""
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def multinomial_logistic_loss(z: Any, a: int) -> float:
    """L(z; y = a) = -log softmax(z)_a for one logit vector z and class index a."""
    return float(-log_softmax(z)[a])


def squared_loss(z: Any, y: Any) -> float:
    """L(z; y) = 1/2 ||z - y||^2."""
    diff = np.asarray(z, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return float(0.5 * diff @ diff)


# ---------------------------------------------------------------------------------------------
# The report's formulas: the defaults that the checks test
# ---------------------------------------------------------------------------------------------


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
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


def multinomial_loss_gradient(z: Any, a: int) -> Array:
    """Claim 4: grad_z -log softmax(z)_a = s - e_a (e_a the one-hot vector of class a)."""
    grad = softmax(z).copy()
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


#: Claim 6's fixed case: tanh is odd, so flipping the sign of everything that touches the hidden
#: unit (w1, b1, v0, v1) leaves the network, hence the loss, unchanged. The midpoint of a network
#: and its mirror image switches the hidden unit off (tanh(0) = 0), which is worse on (x=1, a=0):
#: L(theta1) = L(theta2) = log(1 + exp(-2 tanh 1)) = 0.1972 < L(midpoint) = log 2 = 0.6931.
MIRROR_PAIRS: tuple[tuple[Array, Array, float, int], ...] = (
    (np.array([1.0, 0.0, 1.0, -1.0, 0.0, 0.0]), np.array([-1.0, 0.0, -1.0, 1.0, 0.0, 0.0]), 1.0, 0),
)

# Claim 6's network: one input, one tanh hidden unit, two classes. theta has 6 entries:
# (w1, b1, v0, v1, c0, c1) for z = [v0, v1] * tanh(w1 x + b1) + [c0, c1].
HIDDEN_NET_PARAMETERS = ("w1", "b1", "v0", "v1", "c0", "c1")


def hidden_layer_loss(theta: Any, x: float, a: int) -> float:
    """Claim 6: L(theta) = -log softmax(v tanh(w1 x + b1) + c)_a, a one-hidden-unit network."""
    w1, b1, v0, v1, c0, c1 = np.asarray(theta, dtype=np.float64)
    hidden = np.tanh(w1 * x + b1)
    return multinomial_logistic_loss(np.array([v0 * hidden + c0, v1 * hidden + c1]), a)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class ClaimResult:
    """One claim's verdict.

    ``worst_error``: largest error found (claim 6: largest convexity gap found); ``status``:
    ``"PASS"`` when ``worst_error <= tolerance`` (claim 6: ``> tolerance``), else ``"FAIL"``;
    ``detail``: the worst error of each method, a counterexample, or what went wrong;
    ``passes_above``: True for the claim that passes when its number exceeds the tolerance.
    """

    name: str
    method: str
    cases: int
    worst_error: float
    tolerance: float
    status: str
    detail: str = ""
    passes_above: bool = False


class _NumericalProblem(Exception):
    """A non-finite value or a floating-point warning where the math says finite."""


@contextmanager
def _strict_floats() -> Iterator[None]:
    """Turn numpy overflow, division by zero and invalid operations (and RuntimeWarnings) into
    errors; underflow to 0 is expected (exp(-1000)) and stays silent."""
    with (
        np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("error", RuntimeWarning)
        yield


class _WorstErrors:
    """The worst error of each method of one claim, and the case where it happened."""

    def __init__(self) -> None:
        self.by_method: dict[str, float] = {}
        self.where: dict[str, str] = {}

    def record(self, method: str, errors: Any, describe: Callable[[int], str]) -> None:
        """Record ``errors`` (a number or an array, one per case); ``describe(i)`` names case i."""
        errors = np.atleast_1d(np.asarray(errors, dtype=np.float64))
        errors = np.where(np.isnan(errors), math.inf, errors)
        if errors.size == 0:
            return
        index = int(np.argmax(errors))
        error = float(errors[index])
        if method not in self.by_method or error > self.by_method[method]:
            self.by_method[method] = error
            self.where[method] = describe(index)

    @property
    def worst(self) -> float:
        return max(self.by_method.values(), default=0.0)

    def summary(self, tolerance: float) -> str:
        parts = [f"{method} {error:.1e}" for method, error in self.by_method.items()]
        failed = [m for m, e in self.by_method.items() if not e <= tolerance]
        text = "; ".join(parts)
        if failed:
            text += " | worst case: " + "; ".join(f"{m} at {self.where[m]}" for m in failed)
        return text


def mixed_error(actual: Any, reference: Any) -> float:
    """max |actual - reference| / max(1, max |reference|) for one case; inf if not comparable.

    Shapes that differ, or non-finite values, count as an infinite error.
    """
    actual = np.asarray(actual, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if actual.shape != reference.shape:
        return math.inf
    if not (np.all(np.isfinite(actual)) and np.all(np.isfinite(reference))):
        return math.inf
    if actual.size == 0:
        return 0.0
    scale = max(1.0, float(np.max(np.abs(reference))))
    return float(np.max(np.abs(actual - reference))) / scale


def elementwise_mixed_error(actual: Any, reference: Any) -> Array:
    """The mixed error of each entry, for checks where every entry is its own case."""
    actual = np.asarray(actual, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if actual.shape != reference.shape:
        return np.full(reference.shape, math.inf)
    with np.errstate(invalid="ignore", over="ignore"):
        errors = np.abs(actual - reference) / np.maximum(1.0, np.abs(reference))
    return np.where(np.isfinite(errors), errors, math.inf)


def _finish(
    name: str,
    method: str,
    cases: int,
    body: Callable[[_WorstErrors], str],
    tolerance: float,
) -> ClaimResult:
    """Run one claim's ``body`` (which records errors and may return extra detail) safely."""
    worst = _WorstErrors()
    try:
        with _strict_floats(), _single_thread():
            extra = body(worst)
    except (_NumericalProblem, FloatingPointError, RuntimeWarning) as problem:
        return ClaimResult(
            name, method, cases, math.inf, tolerance, "FAIL", f"numerical: {problem}"
        )
    except Exception as problem:  # a wrong formula may raise (bad shape, bad index): that fails
        message = f"{type(problem).__name__}: {problem}"
        return ClaimResult(name, method, cases, math.inf, tolerance, "FAIL", message)
    status = "PASS" if worst.worst <= tolerance else "FAIL"
    detail = worst.summary(tolerance)
    if extra:
        detail = f"{detail} | {extra}" if detail else extra
    return ClaimResult(name, method, cases, worst.worst, tolerance, status, detail)


def _require_finite(what: str, values: Any, where: str) -> None:
    if not np.all(np.isfinite(np.asarray(values, dtype=np.float64))):
        raise _NumericalProblem(f"{what} is not finite at {where}")


# ---------------------------------------------------------------------------------------------
# Cases: random ones plus fixed extremes
# ---------------------------------------------------------------------------------------------

#: Scalar logits every scalar check tries: 0, tiny, moderate, where exp overflows (709.8),
#: where it underflows (-745), and the extremes +-1e3.
EXTREME_SCALARS = np.array(
    [0.0, 1e-8, 0.5, 1.0, 5.0, 20.0, 36.8, 50.0, 100.0, 500.0, 709.0, 710.0, 745.0, 800.0, 1e3]
)
EXTREME_SCALARS = np.concatenate([EXTREME_SCALARS, -EXTREME_SCALARS[1:]])

#: Logit vectors every vector check tries: saturated, tied, nearly tied at +-1e3, all equal.
EXTREME_LOGITS: tuple[Array, ...] = tuple(
    np.array(v, dtype=np.float64)
    for v in (
        [1e3, -1e3],
        [-1e3, 1e3],
        [1e3, 1e3, 1e3],
        [-1e3, -1e3, -1e3, 1e3],
        [0.0, 0.0],
        [1e3, 1e3 - 1e-3, -1e3],
        [709.0, 710.0, -745.0],
        [-1e3, -1e3 + 1.0, -1e3 + 2.0],
        [0.0] * 10,
        list(np.linspace(-1e3, 1e3, 9)),
    )
)


def _rng(seed: int, claim: int) -> np.random.Generator:
    """Each claim has its own stream, so one claim's cases do not depend on another's."""
    return np.random.default_rng([seed, claim])


def _random_scalars(rng: np.random.Generator, n: int) -> Array:
    """Half of the cases near 0 (where sigma bends), half log-uniform in magnitude 1e-3..1e3."""
    n_near = n // 2
    near = rng.normal(0.0, 4.0, n_near)
    magnitudes = 10.0 ** rng.uniform(-3.0, 3.0, n - n_near)
    signs = rng.choice([-1.0, 1.0], n - n_near)
    return np.clip(np.concatenate([near, signs * magnitudes]), -Z_MAX, Z_MAX)


def _random_logits(rng: np.random.Generator, max_classes: int = 8) -> Array:
    """A logit vector of 2..max_classes entries, spread 1e-3..1e3, sometimes shifted far away."""
    classes = int(rng.integers(2, max_classes + 1))
    z = rng.normal(0.0, 10.0 ** rng.uniform(-3.0, 3.0), classes)
    if rng.random() < 0.25:  # softmax depends only on differences: a far shift must not matter
        z = z + rng.uniform(-Z_MAX, Z_MAX)
    return np.clip(z, -Z_MAX, Z_MAX)


def _logit_cases(rng: np.random.Generator, n: int) -> list[Array]:
    return list(EXTREME_LOGITS) + [_random_logits(rng) for _ in range(n)]


def _fmt(values: Any) -> str:
    """Numbers with up to 6 significant digits and no padding: [-0.2, 1.2, 2], 3.5."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    return "[" + ", ".join(f"{value:.6g}" for value in array.ravel()) + "]"


# ---------------------------------------------------------------------------------------------
# Finite differences and autograd helpers
# ---------------------------------------------------------------------------------------------


def _central_difference_scalar(f: Callable[[Array], Array], z: Array) -> Array:
    """Elementwise (f(z + h) - f(z - h)) / (z+h - (z-h)): the step actually taken, after rounding."""
    upper, lower = z + FD_STEP, z - FD_STEP
    return (f(upper) - f(lower)) / (upper - lower)


def _central_difference_jacobian(f_batch: Callable[[Array], Array], x: Array) -> Array:
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


def _tensor(values: Any, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


# The autograd helpers take *batched* torch functions: f maps points stacked along the first
# axis, shape (m, n), to one value per point, shape (m,) (or (m, k) for vector functions), the
# way torch's own functions broadcast. Points never interact, so one forward and one backward
# pass serve all of them; that keeps thousands of small cases fast.
BatchedTorchFunction = Callable[[torch.Tensor], torch.Tensor]


def _grad_or_zeros(output: torch.Tensor, inputs: torch.Tensor, create_graph: bool) -> torch.Tensor:
    """d output / d inputs; zeros where ``output`` does not depend on ``inputs`` at all."""
    (grad,) = torch.autograd.grad(output, inputs, create_graph=create_graph, allow_unused=True)
    return torch.zeros_like(inputs) if grad is None else grad


def _autograd_gradients(f: BatchedTorchFunction, points: Array) -> Array:
    """The gradient of the scalar function f at each row of ``points``.

    Row i of the gradient of sum_i f(row_i) is the gradient of f at row i.
    """
    rows = _tensor(np.atleast_2d(points), requires_grad=True)
    return _grad_or_zeros(f(rows).sum(), rows, create_graph=False).numpy()


def _autograd_gradient(f: BatchedTorchFunction, x: Array) -> Array:
    return _autograd_gradients(f, x[None, :])[0]


def _autograd_jacobian(f: BatchedTorchFunction, x: Array) -> Array:
    """Jacobian of f: R^n -> R^m at x by reverse-mode autograd.

    Row k is the gradient of output k. Evaluating f on m copies of x and summing output k of
    copy k, one backward pass yields all m rows at once.
    """
    outputs = f(_tensor(x[None, :])).shape[-1]
    copies = _tensor(np.tile(x, (outputs, 1)), requires_grad=True)
    return _grad_or_zeros(f(copies).diagonal().sum(), copies, create_graph=False).numpy()


def _autograd_hessian(f: BatchedTorchFunction, x: Array) -> Array:
    """Hessian of the scalar function f at x: autograd applied twice.

    On n copies of x, the first backward pass gives the gradient on every copy (keeping its
    graph); the second differentiates gradient entry i of copy i, so row i is grad (df/dx_i).
    """
    copies = _tensor(np.tile(x, (x.size, 1)), requires_grad=True)
    gradients = _grad_or_zeros(f(copies).sum(), copies, create_graph=True)
    if not gradients.requires_grad:  # f is affine: its Hessian is zero
        return np.zeros((x.size, x.size))
    return _grad_or_zeros(gradients.diagonal().sum(), copies, create_graph=False).numpy()


def _torch_values(f: BatchedTorchFunction, points: Array) -> Array:
    with torch.no_grad():
        return f(_tensor(np.atleast_2d(points))).numpy()


def _min_eigenvalue_error(matrix: Array) -> float:
    """How far the matrix is from PSD: max(0, -lambda_min) / max(1, lambda_max)."""
    eigenvalues = np.linalg.eigvalsh((matrix + matrix.T) / 2)
    return max(0.0, -float(eigenvalues[0])) / max(1.0, float(eigenvalues[-1]))


def _jensen_violation(left: float, right: float) -> float:
    """How much L(midpoint) exceeds the chord: max(0, left - right) / max(1, |right|)."""
    if not (math.isfinite(left) and math.isfinite(right)):
        return math.inf
    return max(0.0, left - right) / max(1.0, abs(right))


# ---------------------------------------------------------------------------------------------
# Claims 1-8
# ---------------------------------------------------------------------------------------------

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


def check_sigmoid_derivative(
    derivative: Callable[[Array], Array] = sigmoid_derivative,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 1: sigma'(z) = sigma(z)(1 - sigma(z)); and the project's sigmoid is finite for
    |z| <= 1e3 (no warnings)."""
    z = np.concatenate([EXTREME_SCALARS, _random_scalars(_rng(seed, 1), cases)])

    def body(worst: _WorstErrors) -> str:
        def where(i: int) -> str:
            return f"z={z[i]:.6g}"

        values = sigmoid(z)
        _require_finite("sigmoid(z)", values, "some |z| <= 1e3")
        if np.any((values < 0) | (values > 1)):
            raise _NumericalProblem("sigmoid(z) left [0, 1]")
        claimed = derivative(z)
        zt = _tensor(z, requires_grad=True)
        (oracle,) = torch.autograd.grad(torch.sigmoid(zt).sum(), zt)
        worst.record("autograd", elementwise_mixed_error(claimed, oracle.numpy()), where)
        finite_diff = _central_difference_scalar(sigmoid, z)
        worst.record("central FD", elementwise_mixed_error(claimed, finite_diff), where)
        return ""

    return _finish(NAMES[1], "autograd + central FD", z.size, body, tolerance)


def _torch_binary_loss(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The oracle's L(z; y), straight from the definition, with torch's logsigmoid."""
    logsig = torch.nn.functional.logsigmoid
    return -(1 + y) / 2 * logsig(z) - (1 - y) / 2 * logsig(-z)


def check_binary_logistic_loss(
    first_derivative: Callable[[Array, Array], Array] = binary_loss_first_derivative,
    second_derivative: Callable[[Array, Array], Array] = binary_loss_second_derivative,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 2: L'(z; y) and L''(z; y) = sigma(z)(1 - sigma(z)) >= 0, hence L convex in z.

    Convexity is also checked directly: Jensen's inequality L(t z1 + (1-t) z2) <= t L(z1) +
    (1-t) L(z2) on random segments.
    """
    rng = _rng(seed, 2)
    random_z = _random_scalars(rng, cases)
    z = np.concatenate([EXTREME_SCALARS, EXTREME_SCALARS, random_z])
    y = np.concatenate(
        [
            np.ones(EXTREME_SCALARS.size),
            -np.ones(EXTREME_SCALARS.size),
            rng.choice([-1.0, 1.0], cases),
        ]
    )
    other_end = rng.permutation(z)
    t = rng.uniform(0.0, 1.0, z.size)

    def body(worst: _WorstErrors) -> str:
        def where(i: int) -> str:
            return f"z={z[i]:.6g}, y={y[i]:+.0f}"

        _require_finite("binary_logistic_loss", binary_logistic_loss(z, y), "some |z| <= 1e3")
        claimed_first = first_derivative(z, y)
        claimed_second = second_derivative(z, y)

        zt = _tensor(z, requires_grad=True)
        yt = _tensor(y)
        (oracle_first,) = torch.autograd.grad(
            _torch_binary_loss(zt, yt).sum(), zt, create_graph=True
        )
        (oracle_second,) = torch.autograd.grad(oracle_first.sum(), zt)
        worst.record(
            "autograd L'", elementwise_mixed_error(claimed_first, oracle_first.detach()), where
        )
        worst.record("autograd L''", elementwise_mixed_error(claimed_second, oracle_second), where)

        fd_first = _central_difference_scalar(lambda v: binary_logistic_loss(v, y), z)
        worst.record("central FD L'", elementwise_mixed_error(claimed_first, fd_first), where)

        def oracle_gradient(v: Array) -> Array:
            vt = _tensor(v, requires_grad=True)
            (grad,) = torch.autograd.grad(_torch_binary_loss(vt, yt).sum(), vt)
            return grad.numpy()

        fd_second = _central_difference_scalar(oracle_gradient, z)
        worst.record("central FD L''", elementwise_mixed_error(claimed_second, fd_second), where)

        negative_part = np.maximum(0.0, -np.asarray(claimed_second, dtype=np.float64))
        worst.record("L''>=0", negative_part, where)

        middle = t * z + (1 - t) * other_end
        chord = t * binary_logistic_loss(z, y) + (1 - t) * binary_logistic_loss(other_end, y)
        left = binary_logistic_loss(middle, y)
        violation = np.maximum(0.0, left - chord) / np.maximum(1.0, np.abs(chord))
        worst.record("Jensen", violation, lambda i: f"z1={z[i]:.6g}, z2={other_end[i]:.6g}")
        return ""

    method = "autograd + central FD + sign + Jensen"
    return _finish(NAMES[2], method, z.size, body, tolerance)


def check_softmax_jacobian(
    jacobian: Callable[[Array], Array] = softmax_jacobian,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 3: d softmax(z)_i / d z_j = s_i (delta_ij - s_j), i.e. diag(s) - s s^T; and the
    project's softmax is finite and sums to 1 for |z| <= 1e3."""
    logits = _logit_cases(_rng(seed, 3), cases)

    def softmax_torch(v: torch.Tensor) -> torch.Tensor:
        return torch.softmax(v, -1)

    def body(worst: _WorstErrors) -> str:
        for z in logits:
            where = _describe(f"z={_fmt(z)}")
            s = softmax(z)
            _require_finite("softmax(z)", s, where(0))
            if abs(float(s.sum()) - 1.0) > 1e-12:
                raise _NumericalProblem(f"softmax(z) sums to {s.sum()!r} at {where(0)}")
            claimed = jacobian(z)
            oracle = _autograd_jacobian(softmax_torch, z)
            worst.record("autograd", mixed_error(claimed, oracle), where)
            finite_diff = _central_difference_jacobian(softmax, z)
            worst.record("central FD", mixed_error(claimed, finite_diff), where)
        return ""

    return _finish(NAMES[3], "autograd + central FD", len(logits), body, tolerance)


def _describe(text: str) -> Callable[[int], str]:
    """A ``describe`` for :meth:`_WorstErrors.record` when one call records one case."""
    return lambda _index: text


def _torch_multinomial_loss(z: torch.Tensor, a: Any) -> torch.Tensor:
    """The oracle's -log softmax(z)_a, with torch's log_softmax (z batched on leading axes)."""
    return -torch.log_softmax(z, -1)[..., int(a)]


def _torch_squared_loss(z: torch.Tensor, y: Any) -> torch.Tensor:
    """The oracle's 1/2 ||z - y||^2 (z batched on leading axes)."""
    diff = z - torch.as_tensor(y, dtype=torch.float64)
    return 0.5 * (diff * diff).sum(-1)


def _multinomial_case(
    worst: _WorstErrors,
    z: Array,
    a: int,
    gradient: Callable[[Array, int], Array],
    hessian: Callable[[Array, int], Array],
) -> None:
    """Claim 4 on one logit vector z and class a."""
    where = _describe(f"z={_fmt(z)}, a={a}")
    oracle_loss = partial(_torch_multinomial_loss, a=a)

    claimed_grad = gradient(z, a)
    worst.record(
        "autograd grad", mixed_error(claimed_grad, _autograd_gradient(oracle_loss, z)), where
    )
    fd_grad = _central_difference_jacobian(lambda points: -log_softmax(points)[:, a], z)
    worst.record("central FD grad", mixed_error(claimed_grad, fd_grad), where)

    h = np.asarray(hessian(z, a), dtype=np.float64)
    worst.record("autograd Hessian", mixed_error(h, _autograd_hessian(oracle_loss, z)), where)
    fd_hessian = _central_difference_jacobian(partial(_autograd_gradients, oracle_loss), z)
    worst.record("central FD Hessian", mixed_error(h, fd_hessian), where)

    # The report's argument, property by property, on the formula's matrix.
    if h.shape != (z.size, z.size) or not np.all(np.isfinite(h)):
        raise _NumericalProblem(f"the Hessian formula gave shape {h.shape} at {where(0)}")
    worst.record("symmetric", mixed_error(h, h.T), where)
    diagonal = np.abs(np.diag(h))
    worst.record("diag>=0", max(0.0, -float(np.diag(h).min())), where)
    off_diagonal = np.abs(h).sum(axis=1) - diagonal
    worst.record("dominant", max(0.0, float(np.max(off_diagonal - diagonal))), where)
    worst.record("PSD", _min_eigenvalue_error(h), where)
    worst.record("H1=0", mixed_error(h @ np.ones(z.size), np.zeros(z.size)), where)


def check_multinomial_logistic_loss(
    gradient: Callable[[Array, int], Array] = multinomial_loss_gradient,
    hessian: Callable[[Array, int], Array] = multinomial_loss_hessian,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 4: for L(z; a) = -log softmax(z)_a the gradient is s - e_a and the Hessian
    H = diag(s) - s s^T is symmetric, has a non-negative diagonal, is (weakly) diagonally
    dominant in every row, is positive semidefinite and has the all-ones vector in its null
    space (H 1 = s - s (s^T 1) = 0)."""
    rng = _rng(seed, 4)
    logits = _logit_cases(rng, cases)
    labels = [int(rng.integers(0, z.size)) for z in logits]

    def body(worst: _WorstErrors) -> str:
        for z, a in zip(logits, labels, strict=True):
            _multinomial_case(worst, z, a, gradient, hessian)
        return ""

    method = "autograd + central FD + eigenvalues"
    return _finish(NAMES[4], method, len(logits), body, tolerance)


@dataclass
class _AffineCase:
    """One case of claims 5 and 7: input phi, target, parameters theta and a second point
    ``other`` (both vec([W | b]) row by row), and t in (0, 1) for Jensen's inequality."""

    phi: Array
    target: Any
    theta: Array
    other: Array
    t: float

    @cached_property
    def u(self) -> Array:
        return np.append(self.phi, 1.0)

    @cached_property
    def u_tensor(self) -> torch.Tensor:
        return _tensor(self.u)

    def logits(self, theta: Array) -> Array:
        return theta.reshape(-1, self.u.size) @ self.u

    def describe(self, _index: int = 0) -> str:
        return f"phi={_fmt(self.phi)}, y={_fmt(self.target)}, theta={_fmt(self.theta)}"


def _loss_of_theta(
    theta: torch.Tensor, case: _AffineCase, loss: Callable[[torch.Tensor, Any], torch.Tensor]
) -> torch.Tensor:
    """L(V u; target) for each row theta = vec(V) of a batch, shape (m, K (D + 1)) -> (m,)."""
    matrices = theta.reshape(*theta.shape[:-1], -1, case.u.size)
    return loss(matrices @ case.u_tensor, case.target)


def _loss_of_z(
    z: torch.Tensor, case: _AffineCase, loss: Callable[[torch.Tensor, Any], torch.Tensor]
) -> torch.Tensor:
    return loss(z, case.target)


def _convexity_checks(
    worst: _WorstErrors,
    label: str,
    f: Callable[[torch.Tensor], torch.Tensor],
    point: Array,
    other: Array,
    t: float,
    claimed_hessian: Array,
    where: Callable[[int], str],
) -> None:
    """Hessian of f at ``point``: the formula against autograd and against central differences
    of the autograd gradient; PSD of the autograd Hessian; Jensen on the segment to ``other``."""
    oracle = _autograd_hessian(f, point)
    worst.record(f"autograd H_{label}", mixed_error(claimed_hessian, oracle), where)
    fd = _central_difference_jacobian(partial(_autograd_gradients, f), point)
    worst.record(f"central FD H_{label}", mixed_error(claimed_hessian, fd), where)
    worst.record(f"PSD in {label}", _min_eigenvalue_error(oracle), where)
    middle, at_point, at_other = _torch_values(
        f, np.stack([t * point + (1 - t) * other, point, other])
    )
    left, right = float(middle), t * float(at_point) + (1 - t) * float(at_other)
    worst.record(f"Jensen in {label}", _jensen_violation(left, right), where)


def _check_affine_convexity(
    claim: int,
    loss: Callable[[torch.Tensor, Any], torch.Tensor],
    hessian_z: Callable[[Array, Any], Array],
    param_hessian: Callable[[Array, Array], Array],
    make_target: Callable[[np.random.Generator, int], Any],
    check_in_z: bool,
    cases: int,
    seed: int,
    tolerance: float,
) -> ClaimResult:
    """Convexity of L(W phi + b; target) in theta = vec([W | b]) (see :func:`affine_param_hessian`).

    Per case (2-5 classes, 1-4 features, weights from 1e-2 to 1e2 in scale): the Hessian in
    theta from ``param_hessian(phi, hessian_z(z, target))`` against autograd and against central
    differences of the autograd gradient, the smallest eigenvalue of the autograd Hessian (PSD),
    and Jensen's inequality on a random segment in theta. With ``check_in_z``, the same in z.
    """
    rng = _rng(seed, claim)
    problems = []
    for _ in range(cases):
        classes, features = int(rng.integers(2, 6)), int(rng.integers(1, 5))
        phi = rng.normal(0.0, 10.0 ** rng.uniform(-2.0, 1.0), features)
        weight_scale = 10.0 ** rng.uniform(-2.0, 2.0)
        theta = rng.normal(0.0, weight_scale, classes * (features + 1))
        other = rng.normal(0.0, weight_scale, theta.size)
        target = make_target(rng, classes)
        problems.append(_AffineCase(phi, target, theta, other, float(rng.uniform(0.0, 1.0))))

    def body(worst: _WorstErrors) -> str:
        for case in problems:
            z = case.logits(case.theta)
            claimed_z = np.asarray(hessian_z(z, case.target), dtype=np.float64)
            if check_in_z:
                f_z = partial(_loss_of_z, case=case, loss=loss)
                other_z = case.logits(case.other)
                _convexity_checks(worst, "z", f_z, z, other_z, case.t, claimed_z, case.describe)
            f_theta = partial(_loss_of_theta, case=case, loss=loss)
            claimed = param_hessian(case.phi, claimed_z)
            _convexity_checks(
                worst, "theta", f_theta, case.theta, case.other, case.t, claimed, case.describe
            )
        return ""

    method = "autograd + central FD + eigenvalues + Jensen"
    return _finish(NAMES[claim], method, cases, body, tolerance)


def _class_target(rng: np.random.Generator, classes: int) -> int:
    return int(rng.integers(0, classes))


def _vector_target(rng: np.random.Generator, classes: int) -> Array:
    return rng.normal(0.0, 10.0 ** rng.uniform(-1.0, 2.0), classes)


def check_affine_logistic_convexity(
    param_hessian: Callable[[Array, Array], Array] = affine_param_hessian,
    *,
    hessian_z: Callable[[Array, Any], Array] = multinomial_loss_hessian,
    loss: Callable[[torch.Tensor, Any], torch.Tensor] = _torch_multinomial_loss,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 5: L(W phi + b; y = a), the multinomial logistic loss of an affine map, is convex in
    (W, b): its Hessian there is (diag(s) - s s^T) (Kronecker) u u^T with u = [phi; 1], PSD.

    ``loss`` is the torch loss L(z, a) the oracle differentiates (a wrong, concave one makes the
    PSD and Jensen checks fail)."""
    return _check_affine_convexity(
        5, loss, hessian_z, param_hessian, _class_target, False, cases, seed, tolerance
    )


def check_squared_loss_convexity(
    hessian_z: Callable[[Array, Any], Array] = squared_loss_hessian,
    *,
    param_hessian: Callable[[Array, Array], Array] = affine_param_hessian,
    loss: Callable[[torch.Tensor, Any], torch.Tensor] = _torch_squared_loss,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 7: L(z; y) = 1/2 ||z - y||^2 has Hessian I in z (convex), and in (W, b) of an
    affine map z = W phi + b the Hessian I (Kronecker) u u^T, PSD (convex)."""
    return _check_affine_convexity(
        7, loss, hessian_z, param_hessian, _vector_target, True, cases, seed, tolerance
    )


def check_hidden_layer_nonconvexity(
    loss: Callable[[Array, float, int], float] = hidden_layer_loss,
    *,
    parameters: int = len(HIDDEN_NET_PARAMETERS),
    cases: int = 200,
    seed: int = 0,
    tolerance: float = COUNTEREXAMPLE_GAP,
) -> ClaimResult:
    """Claim 6: with a hidden non-linear layer the loss is not convex in the parameters.

    Tries ``cases`` random pairs (theta1, theta2) with an input (x, a), plus the fixed
    :data:`MIRROR_PAIRS`, and keeps the largest convexity gap
    ``L((theta1 + theta2) / 2) - (L(theta1) + L(theta2)) / 2``. A convex function never has a
    positive gap, so one gap above ``tolerance`` (far above rounding) disproves convexity.
    Random parameters and inputs have one decimal, so the printed counterexample is exact.
    ``worst_error`` is that largest gap; PASS when it exceeds the tolerance.
    """
    rng = _rng(seed, 6)
    fixed = list(MIRROR_PAIRS) if parameters == len(HIDDEN_NET_PARAMETERS) else []
    draws = fixed + [
        (
            np.round(rng.normal(0.0, 2.0, parameters), 1),
            np.round(rng.normal(0.0, 2.0, parameters), 1),
            float(np.round(rng.normal(0.0, 2.0), 1)),
            int(rng.integers(0, 2)),
        )
        for _ in range(cases)
    ]
    name, method, cases = NAMES[6], "mirror pair + random search, midpoints", len(draws)
    best_gap, best = -math.inf, None
    try:
        with _strict_floats():
            for theta1, theta2, x, a in draws:
                middle = (theta1 + theta2) / 2
                losses = (loss(theta1, x, a), loss(theta2, x, a), loss(middle, x, a))
                if not all(math.isfinite(value) for value in losses):
                    raise _NumericalProblem(f"loss not finite at theta={_fmt(theta1)}")
                gap = losses[2] - (losses[0] + losses[1]) / 2
                if gap > best_gap:
                    best_gap, best = gap, (theta1, theta2, x, a, losses)
    except Exception as problem:
        message = f"{type(problem).__name__}: {problem}"
        return ClaimResult(name, method, cases, -math.inf, tolerance, "FAIL", message, True)
    if best is None:
        return ClaimResult(name, method, 0, -math.inf, tolerance, "FAIL", "no cases", True)
    theta1, theta2, x, a, (loss1, loss2, loss_mid) = best
    found = best_gap > tolerance
    if found:
        names = HIDDEN_NET_PARAMETERS if parameters == len(HIDDEN_NET_PARAMETERS) else ()
        layout = f"theta=({', '.join(names)}), " if names else ""
        detail = (
            f"counterexample at x={x:g}, class a={a}, {layout}"
            f"theta1={_fmt(theta1)}, theta2={_fmt(theta2)}: "
            f"L(theta1)={loss1:.6g}, L(theta2)={loss2:.6g}, average {(loss1 + loss2) / 2:.6g} "
            f"< L(midpoint)={loss_mid:.6g}; gap {best_gap:.6g}"
        )
    else:
        detail = f"no counterexample in {cases} tries: largest gap {best_gap:.3g}"
    status = "PASS" if found else "FAIL"
    return ClaimResult(name, method, cases, best_gap, tolerance, status, detail, True)


class _LinearNetwork:
    """The oracle network: layers ``h <- h W_i^T + b_i`` computed by torch (as ``nn.Linear``
    does), with the identity as activation between them; batched over leading axes."""

    def __init__(self, layers: Sequence[tuple[Array, Array]]) -> None:
        self.layers = [(_tensor(weight), _tensor(bias)) for weight, bias in layers]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        hidden = x
        for weight, bias in self.layers:
            hidden = torch.nn.functional.linear(hidden, weight, bias)  # activation: identity
        return hidden


def _linear_network_case(
    worst: _WorstErrors,
    layers: Sequence[tuple[Array, Array]],
    inputs: Array,
    compose: Callable[[Sequence[tuple[Array, Array]]], tuple[Array, Array]],
) -> None:
    """Claim 8 on one network and a few inputs."""
    sizes = [layers[0][0].shape[1]] + [weight.shape[0] for weight, _ in layers]
    where = _describe(f"layer widths {sizes}")
    network = _LinearNetwork(layers)
    weight, bias = (np.asarray(part, dtype=np.float64) for part in compose(layers))
    if weight.ndim != 2 or weight.shape[1:] != inputs.shape[1:] or bias.ndim != 1:
        worst.record("forward", math.inf, _describe(f"{where(0)}: W has shape {weight.shape}"))
        return
    outputs = _torch_values(network, inputs)  # one row per input
    worst.record("forward", mixed_error(inputs @ weight.T + bias, outputs), where)
    # The network's Jacobian (the same at every input, as for any affine map) must be W.
    x = inputs[0]
    worst.record("autograd Jacobian", mixed_error(weight, _autograd_jacobian(network, x)), where)
    finite_diff = _central_difference_jacobian(partial(_torch_values, network), x)
    worst.record("central FD Jacobian", mixed_error(weight, finite_diff), where)


def check_linear_layers_collapse(
    compose: Callable[[Sequence[tuple[Array, Array]]], tuple[Array, Array]] = compose_affine_layers,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 8 (Question 3.2a): layers with linear activations compute one affine map x -> W x + b.

    Per case: a random 2-5 layer network (widths 1-6) of torch linear layers with identity
    activations; ``compose(layers)`` must give (W, b) with network(x) = W x + b on three inputs
    (up to |x| = 1e3), and W must equal the network's Jacobian by autograd and by central
    differences.
    """
    rng = _rng(seed, 8)
    networks = []
    for _ in range(cases):
        widths = [int(w) for w in rng.integers(1, 7, int(rng.integers(3, 7)))]
        layers = [
            (
                rng.normal(0.0, 1.0 / math.sqrt(fan_in), (fan_out, fan_in)),
                rng.normal(0.0, 1.0, fan_out),
            )
            for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True)
        ]
        inputs = rng.normal(0.0, 1.0, (3, widths[0])) * 10.0 ** rng.uniform(-2.0, 3.0, (3, 1))
        networks.append((layers, inputs))

    def body(worst: _WorstErrors) -> str:
        for layers, inputs in networks:
            _linear_network_case(worst, layers, inputs, compose)
        return ""

    method = "forward + autograd + central FD"
    return _finish(NAMES[8], method, cases, body, tolerance)


#: Claim number -> its check, run with the default (the report's) formulas by :func:`verify_all`.
CHECKS: dict[int, Callable[..., ClaimResult]] = {
    1: check_sigmoid_derivative,
    2: check_binary_logistic_loss,
    3: check_softmax_jacobian,
    4: check_multinomial_logistic_loss,
    5: check_affine_logistic_convexity,
    6: check_hidden_layer_nonconvexity,
    7: check_squared_loss_convexity,
    8: check_linear_layers_collapse,
}


def verify_all(
    cases: int = 200, seed: int = 0, claims: Sequence[int] | None = None
) -> list[ClaimResult]:
    """Check the report's claims (all eight, or the numbers in ``claims``) with ``cases`` random
    cases each (plus the fixed extreme cases). Same ``seed``, same results."""
    if isinstance(cases, bool) or not isinstance(cases, int) or cases < 1:
        raise ConfigError(f"invalid --cases {cases!r}: must be an integer >= 1")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"invalid --seed {seed!r}: must be an integer >= 0")
    selected = sorted(set(claims)) if claims else sorted(CHECKS)
    unknown = [c for c in selected if c not in CHECKS]
    if unknown:
        raise ConfigError(f"invalid --claim {unknown[0]!r}: claims are numbered 1 to {len(CHECKS)}")
    with _single_thread():
        return [CHECKS[number](cases=cases, seed=seed) for number in selected]


@contextmanager
def _single_thread() -> Iterator[None]:
    """Thousands of tiny tensors: torch's thread pool only adds overhead (and shares CPUs)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def all_passed(results: Sequence[ClaimResult]) -> bool:
    return all(result.status == "PASS" for result in results)


def results_to_json(results: Sequence[ClaimResult]) -> dict[str, Any]:
    """``{"claims": [{"name", "method", "cases", "worst_error", "tolerance", "status", "detail"}]}``
    (a non-finite worst_error becomes null)."""
    keys = ("name", "method", "cases", "worst_error", "tolerance", "status", "detail")
    claims = []
    for result in results:
        record = asdict(result)
        claims.append(to_jsonable({key: record[key] for key in keys}))
    return {"claims": claims}


def format_table(results: Sequence[ClaimResult]) -> str:
    """The table the CLI prints: claim | method | cases | worst error | tolerance | status,
    then each claim's detail line (per-method worst errors, counterexample)."""
    header = ("claim", "method", "cases", "worst error", "tolerance", "status")
    rows = [
        (
            r.name,
            r.method,
            str(r.cases),
            f"{r.worst_error:.2e}",
            f"{'>' if r.passes_above else '<='} {r.tolerance:.0e}",
            r.status,
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right_aligned = {2, 3}

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(width) if i in right_aligned else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return " | ".join(cells).rstrip()

    out = [line(header), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    passed = sum(r.status == "PASS" for r in results)
    out.append("")
    out.append(f"{passed}/{len(results)} claims pass.")
    out.append("")
    out.append("Details (worst mixed error per method; see docs/theory.md):")
    for r in results:
        out.append(f"  {r.name}: {r.detail}")
    return "\n".join(out)
