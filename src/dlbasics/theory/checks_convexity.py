"""Claims 5-7 (Question 2.1): convexity in the parameters of an affine map (the logistic loss,
claim 5; the squared loss, claim 7) and its loss once a hidden non-linear layer comes in (claim 6)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import torch

from dlbasics.theory.cases import (
    AffineCase,
    affine_cases,
    class_target,
    parameter_pairs,
    vector_target,
)
from dlbasics.theory.formulas import (
    HIDDEN_NET_PARAMETERS,
    NAMES,
    affine_param_hessian,
    hidden_layer_loss,
    multinomial_loss_hessian,
    squared_loss_hessian,
)
from dlbasics.theory.measure import (
    COUNTEREXAMPLE_GAP,
    TOLERANCE,
    Array,
    ClaimResult,
    NumericalProblem,
    WorstErrors,
    fmt,
    jensen_violation,
    min_eigenvalue_error,
    mixed_error,
    run_claim,
    strict_floats,
)
from dlbasics.theory.oracles import (
    autograd_gradients,
    autograd_hessian,
    central_difference_jacobian,
    tensor,
    torch_multinomial_loss,
    torch_squared_loss,
    torch_values,
)

TorchLoss = Callable[[torch.Tensor, Any], torch.Tensor]


def _loss_of_theta(
    theta: torch.Tensor, u: torch.Tensor, target: Any, loss: TorchLoss
) -> torch.Tensor:
    """L(V u; target) for theta = vec(V), row by row (batched over leading axes)."""
    matrices = theta.reshape(*theta.shape[:-1], -1, u.numel())
    return loss(matrices @ u, target)


def _loss_of_z(z: torch.Tensor, target: Any, loss: TorchLoss) -> torch.Tensor:
    return loss(z, target)


def _convexity_checks(
    worst: WorstErrors,
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
    oracle = autograd_hessian(f, point)
    worst.record(f"autograd H_{label}", mixed_error(claimed_hessian, oracle), where)
    fd = central_difference_jacobian(partial(autograd_gradients, f), point)
    worst.record(f"central FD H_{label}", mixed_error(claimed_hessian, fd), where)
    worst.record(f"PSD in {label}", min_eigenvalue_error(oracle), where)
    middle, at_point, at_other = torch_values(
        f, np.stack([t * point + (1 - t) * other, point, other])
    )
    left, right = float(middle), t * float(at_point) + (1 - t) * float(at_other)
    worst.record(f"Jensen in {label}", jensen_violation(left, right), where)


def _affine_case(
    worst: WorstErrors,
    case: AffineCase,
    loss: TorchLoss,
    hessian_z: Callable[[Array, Any], Array],
    param_hessian: Callable[[Array, Array], Array],
    check_in_z: bool,
) -> None:
    """Claims 5 and 7 on one case: the checks in theta, and with ``check_in_z`` also in z."""
    z = case.logits(case.theta)
    claimed_z = np.asarray(hessian_z(z, case.target), dtype=np.float64)
    if check_in_z:
        f_z = partial(_loss_of_z, target=case.target, loss=loss)
        other_z = case.logits(case.other)
        _convexity_checks(worst, "z", f_z, z, other_z, case.t, claimed_z, case.describe)
    f_theta = partial(_loss_of_theta, u=tensor(case.u), target=case.target, loss=loss)
    claimed = param_hessian(case.phi, claimed_z)
    _convexity_checks(
        worst, "theta", f_theta, case.theta, case.other, case.t, claimed, case.describe
    )


def _check_affine_convexity(
    claim: int,
    loss: TorchLoss,
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
    problems = affine_cases(seed, claim, cases, make_target)

    def body(worst: WorstErrors) -> str:
        for case in problems:
            _affine_case(worst, case, loss, hessian_z, param_hessian, check_in_z)
        return ""

    method = "autograd + central FD + eigenvalues + Jensen"
    return run_claim(NAMES[claim], method, cases, body, tolerance)


def check_affine_logistic_convexity(
    param_hessian: Callable[[Array, Array], Array] = affine_param_hessian,
    *,
    hessian_z: Callable[[Array, Any], Array] = multinomial_loss_hessian,
    loss: TorchLoss = torch_multinomial_loss,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 5: L(W phi + b; y = a), the multinomial logistic loss of an affine map, is convex in
    (W, b): its Hessian there is (diag(s) - s s^T) (Kronecker) u u^T with u = [phi; 1], PSD.

    ``loss`` is the torch loss L(z, a) the oracle differentiates (a wrong, concave one makes the
    PSD and Jensen checks fail)."""
    return _check_affine_convexity(
        5, loss, hessian_z, param_hessian, class_target, False, cases, seed, tolerance
    )


def check_squared_loss_convexity(
    hessian_z: Callable[[Array, Any], Array] = squared_loss_hessian,
    *,
    param_hessian: Callable[[Array, Array], Array] = affine_param_hessian,
    loss: TorchLoss = torch_squared_loss,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 7: L(z; y) = 1/2 ||z - y||^2 has Hessian I in z (convex), and in (W, b) of an
    affine map z = W phi + b the Hessian I (Kronecker) u u^T, PSD (convex)."""
    return _check_affine_convexity(
        7, loss, hessian_z, param_hessian, vector_target, True, cases, seed, tolerance
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
    :data:`~dlbasics.theory.cases.MIRROR_PAIRS`, and keeps the largest convexity gap
    ``L((theta1 + theta2) / 2) - (L(theta1) + L(theta2)) / 2``. A convex function never has a
    positive gap, so one gap above ``tolerance`` (far above rounding) disproves convexity.
    Random parameters and inputs have one decimal, so the printed counterexample is exact.
    ``worst_error`` is that largest gap; PASS when it exceeds the tolerance.
    """
    draws = parameter_pairs(seed, cases, parameters)
    name, method, cases = NAMES[6], "mirror pair + random search, midpoints", len(draws)
    best_gap, best = -math.inf, None
    try:
        with strict_floats():
            for theta1, theta2, x, a in draws:
                middle = (theta1 + theta2) / 2
                losses = (loss(theta1, x, a), loss(theta2, x, a), loss(middle, x, a))
                if not all(math.isfinite(value) for value in losses):
                    raise NumericalProblem(f"loss not finite at theta={fmt(theta1)}")
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
            f"theta1={fmt(theta1)}, theta2={fmt(theta2)}: "
            f"L(theta1)={loss1:.6g}, L(theta2)={loss2:.6g}, average {(loss1 + loss2) / 2:.6g} "
            f"< L(midpoint)={loss_mid:.6g}; gap {best_gap:.6g}"
        )
    else:
        detail = f"no counterexample in {cases} tries: largest gap {best_gap:.3g}"
    status = "PASS" if found else "FAIL"
    return ClaimResult(name, method, cases, best_gap, tolerance, status, detail, True)
