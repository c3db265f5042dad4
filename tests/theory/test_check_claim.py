"""check_claim with a user's function: the same record as the built-in check; extreme cases can
be switched off, and an overflow is told apart from a wrong value."""

from __future__ import annotations

import numpy as np
import pytest

from dlbasics import theory
from dlbasics.scratch.functions import sigmoid
from tests.theory.helpers import fails


def naive_sigmoid_derivative(z):
    """Correct, but exp(-z) overflows for z < -709."""
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)


def wrong_sigmoid_derivative(z):
    """A sign slip, sigma (1 + sigma), written with the stable sigmoid (so it never overflows)."""
    s = sigmoid(z)
    return s * (1 + s)


def naive_softmax_jacobian(z):
    e = np.exp(z)
    s = e / e.sum()
    return np.diag(s) - np.outer(s, s)


def test_the_report_formula_by_name_or_number_gives_the_built_in_record():
    by_name = theory.check_claim("sigmoid-derivative", cases=10, seed=4)
    assert by_name == theory.check_sigmoid_derivative(cases=10, seed=4)
    assert theory.check_claim(1, cases=10, seed=4) == by_name
    assert theory.check_claim("1", theory.sigmoid_derivative, cases=10, seed=4) == by_name
    assert by_name.status == "PASS"


def test_a_naive_formula_overflows_with_extreme_cases_and_passes_without():
    with_extremes = theory.check_claim("sigmoid-derivative", naive_sigmoid_derivative, cases=20)
    assert fails(with_extremes)
    assert with_extremes.detail.startswith("numerical: overflow at z=-7")
    without = theory.check_claim(
        "sigmoid-derivative", naive_sigmoid_derivative, cases=200, extreme=False
    )
    assert without.status == "PASS", without.detail
    assert without.cases == 200  # the random cases only


def test_a_wrong_formula_fails_with_a_wrong_value_message_either_way():
    for extreme in (True, False):
        result = theory.check_claim(
            "sigmoid-derivative", wrong_sigmoid_derivative, cases=20, extreme=extreme
        )
        assert fails(result) and "overflow" not in result.detail
        assert "worst case: wrong value at z=" in result.detail, result.detail


def test_a_non_finite_value_where_the_reference_is_finite_is_an_overflow():
    def infinite_far_out(z):
        return np.where(np.abs(z) > 100, np.inf, theory.sigmoid_derivative(z))

    result = theory.check_claim(1, infinite_far_out, cases=5)
    assert (
        fails(result)
        and "overflow at z=" in result.detail
        and "the formula gave inf" in result.detail
    )


def test_vector_claims_name_the_logits_of_an_overflow():
    result = theory.check_claim("softmax-jacobian", naive_softmax_jacobian, cases=20)
    assert fails(result) and result.detail.startswith("numerical: overflow at z=[")
    moderate = theory.check_claim("softmax-jacobian", naive_softmax_jacobian, extreme=False)
    assert moderate.status == "PASS", moderate.detail


def test_moderate_cases_stay_within_their_bound_and_are_seeded():
    z = theory.cases.scalar_cases(3, 500, extreme=False)
    assert z.size == 500 and np.abs(z).max() <= theory.MODERATE_Z_MAX
    assert np.array_equal(z, theory.cases.scalar_cases(3, 500, extreme=False))
    logits = theory.cases.logit_cases(np.random.default_rng(0), 100, extreme=False)
    assert max(np.abs(v).max() for v in logits) <= theory.MODERATE_Z_MAX


def test_named_functions_and_the_claims_without_extreme_cases():
    result = theory.check_claim(
        "multinomial-logistic-loss", hessian=theory.multinomial_loss_hessian, cases=5
    )
    assert result.status == "PASS"
    # Claim 8 has no extreme logits: extreme=False changes nothing there.
    assert theory.check_claim(8, cases=3, extreme=False) == theory.check_claim(8, cases=3)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("no-such-claim",), {}, "unknown claim 'no-such-claim'"),
        ((9,), {}, "unknown claim 9"),
        (("sigmoid-derivative", np.tanh, np.tanh), {}, "takes 1 function"),
        (("sigmoid-derivative",), {"jacobian": np.tanh}, "takes 1 function"),
        (("sigmoid-derivative",), {"cases": 0}, "--cases"),
    ],
)
def test_bad_calls_are_value_errors(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        theory.check_claim(*args, **kwargs)
