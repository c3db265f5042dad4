"""Claims 1-4: the checks pass with the report's formulas on random seeds, and FAIL when handed
a wrong formula (a check that cannot fail proves nothing)."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from dlbasics import theory
from dlbasics.scratch.functions import sigmoid, softmax
from tests.theory.helpers import SEEDS, fails, seed


@SEEDS
@given(seed)
def test_scalar_claims_pass_on_random_seeds(draw_seed):
    for check in (theory.check_sigmoid_derivative, theory.check_binary_logistic_loss):
        result = check(cases=50, seed=draw_seed)
        assert result.status == "PASS", result.detail


def test_claim1_fails_for_wrong_derivatives():
    s = sigmoid
    assert fails(theory.check_sigmoid_derivative(lambda z: -s(z) * (1 - s(z)), cases=20))
    assert fails(theory.check_sigmoid_derivative(lambda z: s(z) * (1 + s(z)), cases=20))
    assert fails(theory.check_sigmoid_derivative(lambda z: s(z) - s(z) ** 3, cases=20))


def test_claim2_fails_for_wrong_derivatives():
    s = sigmoid

    def swapped_labels(z, y):
        return theory.binary_loss_first_derivative(z, -y)

    assert fails(theory.check_binary_logistic_loss(swapped_labels, cases=20))
    flipped = theory.check_binary_logistic_loss(
        second_derivative=lambda z, y: -s(z) * (1 - s(z)), cases=20
    )
    assert fails(flipped) and "L''>=0" in flipped.detail.split("worst case:")[1]


def test_claim3_fails_for_a_sign_flipped_or_incomplete_jacobian():
    assert fails(theory.check_softmax_jacobian(lambda z: -theory.softmax_jacobian(z), cases=10))
    no_diagonal = theory.check_softmax_jacobian(
        lambda z: -np.outer(softmax(z), softmax(z)), cases=10
    )
    assert fails(no_diagonal) and "autograd" in no_diagonal.detail


def test_claim4_fails_for_wrong_gradient_or_hessian():
    def flipped_gradient(z, a):
        return -theory.multinomial_loss_gradient(z, a)

    assert fails(theory.check_multinomial_logistic_loss(flipped_gradient, cases=10))
    flipped = theory.check_multinomial_logistic_loss(
        hessian=lambda z, a: -theory.multinomial_loss_hessian(z, a), cases=10
    )
    assert fails(flipped) and "PSD" in flipped.detail.split("worst case:")[1]
    diagonal_only = theory.check_multinomial_logistic_loss(
        hessian=lambda z, a: np.diag(softmax(z)), cases=10
    )
    assert fails(diagonal_only) and "H1=0" in diagonal_only.detail.split("worst case:")[1]
