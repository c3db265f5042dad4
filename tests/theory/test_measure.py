"""How a check judges: a formula that raises, returns NaN or overflows FAILs instead of crashing;
the mixed error."""

from __future__ import annotations

import math

import numpy as np

from dlbasics import theory
from tests.theory.helpers import fails


def test_a_formula_that_raises_or_returns_nan_fails_instead_of_crashing():
    def raises(z):
        raise IndexError("bad index")

    crashed = theory.check_sigmoid_derivative(raises, cases=5)
    assert fails(crashed) and "IndexError" in crashed.detail and math.isinf(crashed.worst_error)
    nan = theory.check_sigmoid_derivative(lambda z: np.full_like(z, np.nan), cases=5)
    assert fails(nan) and math.isinf(nan.worst_error)


def test_an_overflowing_formula_fails_as_numerical():
    result = theory.check_sigmoid_derivative(lambda z: np.exp(z) / (1 + np.exp(z)) ** 2, cases=5)
    assert fails(result) and "numerical" in result.detail


def test_mixed_error_is_absolute_below_one_relative_above_and_inf_when_not_comparable():
    assert theory.mixed_error([0.5], [0.25]) == 0.25
    assert theory.mixed_error([1100.0], [1000.0]) == 0.1
    assert math.isinf(theory.mixed_error([1.0, 2.0], [1.0]))
    assert math.isinf(theory.mixed_error([np.nan], [1.0]))
    errors = theory.elementwise_mixed_error(np.array([0.5, 1100.0]), np.array([0.25, 1000.0]))
    np.testing.assert_array_equal(errors, [0.25, 0.1])
