"""Claims 1-4 (Question 1): the derivatives of the sigmoid, the binary logistic loss, the softmax
and the multinomial logistic loss, and the properties of the last one's Hessian."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import torch

from dlbasics.scratch.functions import (
    binary_logistic_loss,
    multinomial_logistic_loss,
    sigmoid,
    softmax,
)
from dlbasics.theory.cases import (
    claim_rng,
    labelled_logit_cases,
    labelled_scalar_cases,
    logit_cases,
    scalar_cases,
)
from dlbasics.theory.formulas import (
    NAMES,
    binary_loss_first_derivative,
    binary_loss_second_derivative,
    multinomial_loss_gradient,
    multinomial_loss_hessian,
    sigmoid_derivative,
    softmax_jacobian,
)
from dlbasics.theory.measure import (
    TOLERANCE,
    Array,
    ClaimResult,
    NumericalProblem,
    WorstErrors,
    claimed_error,
    describe,
    evaluate_formula,
    fmt,
    min_eigenvalue_error,
    mixed_error,
    require_finite,
    run_claim,
)
from dlbasics.theory.oracles import (
    autograd_gradient,
    autograd_gradients,
    autograd_hessian,
    autograd_jacobian,
    central_difference_jacobian,
    central_difference_scalar,
    elementwise_derivative,
    torch_binary_loss,
    torch_multinomial_loss,
    torch_softmax,
)


def check_sigmoid_derivative(
    derivative: Callable[[Array], Array] = sigmoid_derivative,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
    extreme: bool = True,
) -> ClaimResult:
    """Claim 1: sigma'(z) = sigma(z)(1 - sigma(z)); and the project's sigmoid is finite for
    |z| <= 1e3 (no warnings). ``extreme=False``: no extreme cases, random |z| <= 30."""
    z = scalar_cases(seed, cases, extreme)

    def body(worst: WorstErrors) -> str:
        def where(i: int) -> str:
            return f"z={z[i]:.6g}"

        values = sigmoid(z)
        require_finite("sigmoid(z)", values, "some |z| <= 1e3")
        if np.any((values < 0) | (values > 1)):
            raise NumericalProblem("sigmoid(z) left [0, 1]")
        claimed = evaluate_formula(derivative, (z,), where, elementwise=True)
        oracle = elementwise_derivative(torch.sigmoid, z)
        worst.record("autograd", claimed_error(claimed, oracle, where, True), where)
        finite_diff = central_difference_scalar(sigmoid, z)
        worst.record("central FD", claimed_error(claimed, finite_diff, where, True), where)
        return ""

    return run_claim(NAMES[1], "autograd + central FD", z.size, body, tolerance)


def check_binary_logistic_loss(
    first_derivative: Callable[[Array, Array], Array] = binary_loss_first_derivative,
    second_derivative: Callable[[Array, Array], Array] = binary_loss_second_derivative,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
    extreme: bool = True,
) -> ClaimResult:
    """Claim 2: L'(z; y) and L''(z; y) = sigma(z)(1 - sigma(z)) >= 0, hence L convex in z.

    Convexity is also checked directly: Jensen's inequality L(t z1 + (1-t) z2) <= t L(z1) +
    (1-t) L(z2) on random segments. ``extreme=False``: no extreme cases, random |z| <= 30.
    """
    problem = labelled_scalar_cases(seed, cases, extreme)
    z, y, other_end, t = problem.z, problem.y, problem.other, problem.t

    def body(worst: WorstErrors) -> str:
        def where(i: int) -> str:
            return f"z={z[i]:.6g}, y={y[i]:+.0f}"

        require_finite("binary_logistic_loss", binary_logistic_loss(z, y), "some |z| <= 1e3")
        claimed_first = evaluate_formula(first_derivative, (z, y), where, elementwise=True)
        claimed_second = evaluate_formula(second_derivative, (z, y), where, elementwise=True)

        oracle_first = elementwise_derivative(torch_binary_loss, z, y)
        oracle_second = elementwise_derivative(torch_binary_loss, z, y, order=2)
        worst.record("autograd L'", claimed_error(claimed_first, oracle_first, where, True), where)
        worst.record(
            "autograd L''", claimed_error(claimed_second, oracle_second, where, True), where
        )

        fd_first = central_difference_scalar(lambda v: binary_logistic_loss(v, y), z)
        worst.record("central FD L'", claimed_error(claimed_first, fd_first, where, True), where)
        fd_second = central_difference_scalar(
            lambda v: elementwise_derivative(torch_binary_loss, v, y), z
        )
        worst.record("central FD L''", claimed_error(claimed_second, fd_second, where, True), where)

        negative_part = np.maximum(0.0, -np.asarray(claimed_second, dtype=np.float64))
        worst.record("L''>=0", negative_part, where)

        middle = t * z + (1 - t) * other_end
        chord = t * binary_logistic_loss(z, y) + (1 - t) * binary_logistic_loss(other_end, y)
        left = binary_logistic_loss(middle, y)
        violation = np.maximum(0.0, left - chord) / np.maximum(1.0, np.abs(chord))
        worst.record("Jensen", violation, lambda i: f"z1={z[i]:.6g}, z2={other_end[i]:.6g}")
        return ""

    method = "autograd + central FD + sign + Jensen"
    return run_claim(NAMES[2], method, z.size, body, tolerance)


def check_softmax_jacobian(
    jacobian: Callable[[Array], Array] = softmax_jacobian,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
    extreme: bool = True,
) -> ClaimResult:
    """Claim 3: d softmax(z)_i / d z_j = s_i (delta_ij - s_j), i.e. diag(s) - s s^T; and the
    project's softmax is finite and sums to 1 for |z| <= 1e3. ``extreme=False``: no extreme
    cases, random |z| <= 30."""
    logits = logit_cases(claim_rng(seed, 3), cases, extreme)

    def body(worst: WorstErrors) -> str:
        for z in logits:
            where = describe(f"z={fmt(z)}")
            s = softmax(z)
            require_finite("softmax(z)", s, where(0))
            if abs(float(s.sum()) - 1.0) > 1e-12:
                raise NumericalProblem(f"softmax(z) sums to {s.sum()!r} at {where(0)}")
            claimed = evaluate_formula(jacobian, (z,), where)
            oracle = autograd_jacobian(torch_softmax, z)
            worst.record("autograd", claimed_error(claimed, oracle, where), where)
            finite_diff = central_difference_jacobian(softmax, z)
            worst.record("central FD", claimed_error(claimed, finite_diff, where), where)
        return ""

    return run_claim(NAMES[3], "autograd + central FD", len(logits), body, tolerance)


def _multinomial_case(
    worst: WorstErrors,
    z: Array,
    a: int,
    gradient: Callable[[Array, int], Array],
    hessian: Callable[[Array, int], Array],
) -> None:
    """Claim 4 on one logit vector z and class a."""
    where = describe(f"z={fmt(z)}, a={a}")
    oracle_loss = partial(torch_multinomial_loss, a=a)

    claimed_grad = evaluate_formula(gradient, (z, a), where)
    oracle_grad = autograd_gradient(oracle_loss, z)
    worst.record("autograd grad", claimed_error(claimed_grad, oracle_grad, where), where)
    fd_grad = central_difference_jacobian(partial(multinomial_logistic_loss, label=a), z)
    worst.record("central FD grad", claimed_error(claimed_grad, fd_grad, where), where)

    h = np.asarray(evaluate_formula(hessian, (z, a), where), dtype=np.float64)
    oracle_hessian = autograd_hessian(oracle_loss, z)
    worst.record("autograd Hessian", claimed_error(h, oracle_hessian, where), where)
    fd_hessian = central_difference_jacobian(partial(autograd_gradients, oracle_loss), z)
    worst.record("central FD Hessian", claimed_error(h, fd_hessian, where), where)

    # The report's argument, property by property, on the formula's matrix.
    if h.shape != (z.size, z.size) or not np.all(np.isfinite(h)):
        raise NumericalProblem(f"the Hessian formula gave shape {h.shape} at {where(0)}")
    worst.record("symmetric", mixed_error(h, h.T), where)
    diagonal = np.abs(np.diag(h))
    worst.record("diag>=0", max(0.0, -float(np.diag(h).min())), where)
    off_diagonal = np.abs(h).sum(axis=1) - diagonal
    worst.record("dominant", max(0.0, float(np.max(off_diagonal - diagonal))), where)
    worst.record("PSD", min_eigenvalue_error(h), where)
    worst.record("H1=0", mixed_error(h @ np.ones(z.size), np.zeros(z.size)), where)


def check_multinomial_logistic_loss(
    gradient: Callable[[Array, int], Array] = multinomial_loss_gradient,
    hessian: Callable[[Array, int], Array] = multinomial_loss_hessian,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
    extreme: bool = True,
) -> ClaimResult:
    """Claim 4: for L(z; a) = -log softmax(z)_a the gradient is s - e_a and the Hessian
    H = diag(s) - s s^T is symmetric, has a non-negative diagonal, is (weakly) diagonally
    dominant in every row, is positive semidefinite and has the all-ones vector in its null
    space (H 1 = s - s (s^T 1) = 0). ``extreme=False``: no extreme cases, random |z| <= 30."""
    problems = labelled_logit_cases(seed, cases, extreme)

    def body(worst: WorstErrors) -> str:
        for z, a in problems:
            _multinomial_case(worst, z, a, gradient, hessian)
        return ""

    method = "autograd + central FD + eigenvalues"
    return run_claim(NAMES[4], method, len(problems), body, tolerance)
