"""Claims 5-7: convexity in (W, b), and the counterexample of claim 6; each check FAILs when
handed a wrong formula or a model that is convex after all."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given

from dlbasics import theory
from dlbasics.scratch.functions import multinomial_logistic_loss
from tests.theory.helpers import SEEDS, fails, seed


@SEEDS
@given(seed)
def test_claim6_prints_a_counterexample_that_really_is_one(draw_seed):
    result = theory.check_hidden_layer_nonconvexity(cases=30, seed=draw_seed)
    assert result.status == "PASS" and result.worst_error > result.tolerance
    # Re-read the printed numbers and check the counterexample from them alone.
    x = float(re.search(r"x=(\S+),", result.detail).group(1))
    a = int(re.search(r"class a=(\d+)", result.detail).group(1))
    theta1, theta2 = (
        np.array(
            [float(v) for v in re.search(rf"{name}=\[([^\]]*)\]", result.detail)[1].split(",")]
        )
        for name in ("theta1", "theta2")
    )
    loss1 = theory.hidden_layer_loss(theta1, x, a)
    loss2 = theory.hidden_layer_loss(theta2, x, a)
    midpoint = theory.hidden_layer_loss((theta1 + theta2) / 2, x, a)
    assert midpoint - (loss1 + loss2) / 2 == pytest.approx(result.worst_error, rel=1e-9)
    assert midpoint > (loss1 + loss2) / 2 + 1e-6


def test_claim5_fails_for_a_wrong_kronecker_order_or_a_concave_loss():
    def swapped_order(phi, hessian_z):
        u = np.append(phi, 1.0)
        return np.kron(np.outer(u, u), hessian_z)

    assert fails(theory.check_affine_logistic_convexity(swapped_order, cases=15))

    def concave_loss(z, a):
        return torch.log_softmax(z, -1)[..., int(a)]

    concave = theory.check_affine_logistic_convexity(
        hessian_z=lambda z, a: -theory.multinomial_loss_hessian(z, a),
        loss=concave_loss,
        cases=15,
    )
    worst_case = concave.detail.split("worst case:")[1]
    assert fails(concave) and "PSD in theta" in worst_case and "Jensen in theta" in worst_case
    assert "autograd H_theta" not in worst_case  # the formulas matched: convexity is what failed


def test_claim6_fails_when_the_model_is_convex():
    def affine_model_loss(theta, x, a):  # no hidden layer: convex, so no counterexample exists
        return multinomial_logistic_loss(theta[:2] * x + theta[2:4], a)  # theta[4:] unused

    result = theory.check_hidden_layer_nonconvexity(affine_model_loss, cases=200)
    assert fails(result) and result.worst_error <= result.tolerance
    assert "no counterexample" in result.detail


def test_claim6_mirror_pair_alone_is_a_counterexample():
    theta1, theta2, x, a = theory.MIRROR_PAIRS[0]
    assert theory.hidden_layer_loss(theta1, x, a) == pytest.approx(
        theory.hidden_layer_loss(theta2, x, a)
    )
    midpoint = theory.hidden_layer_loss((theta1 + theta2) / 2, x, a)
    assert midpoint == pytest.approx(math.log(2.0))
    assert midpoint - theory.hidden_layer_loss(theta1, x, a) == pytest.approx(0.4959, abs=1e-4)
    # With a single random try the fixed mirror pair still makes the claim pass.
    assert theory.check_hidden_layer_nonconvexity(cases=1, seed=5).status == "PASS"


def test_claim7_fails_for_a_wrong_hessian_or_a_concave_loss():
    assert fails(theory.check_squared_loss_convexity(lambda z, y: 2 * np.eye(z.size), cases=10))

    def negative_squared(z, y):
        diff = z - torch.as_tensor(y, dtype=torch.float64)
        return -0.5 * (diff * diff).sum(-1)

    concave = theory.check_squared_loss_convexity(
        lambda z, y: -np.eye(z.size), loss=negative_squared, cases=10
    )
    worst_case = concave.detail.split("worst case:")[1]
    assert fails(concave) and "PSD in z" in worst_case and "Jensen in z" in worst_case
