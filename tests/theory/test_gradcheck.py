"""dlbasics.gradcheck: right gradients pass, wrong ones fail with a report that names the entry."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import dlbasics
from dlbasics.scratch.functions import softmax
from dlbasics.theory import GradcheckResult, gradcheck

LABEL = 2


def torch_cross_entropy(z):
    return torch.logsumexp(z, 0) - z[LABEL]


def numpy_cross_entropy(z):
    return float(np.log(np.exp(z - z.max()).sum()) + z.max() - z[LABEL])


def cross_entropy_gradient(z):
    gradient = softmax(z)
    gradient[LABEL] -= 1.0
    return gradient


X = np.random.default_rng(3).normal(size=3)
TARGET = 1


def net_loss(W1, W2):
    z = W2 @ torch.tanh(W1 @ torch.from_numpy(X))
    return torch.logsumexp(z, 0) - z[TARGET]


def net_backward(W1, W2):
    h = np.tanh(W1 @ X)
    dz = softmax(W2 @ h)
    dz[TARGET] -= 1.0
    dh = W2.T @ dz
    return np.outer(dh * (1 - h**2), X), np.outer(dz, h)


def test_the_public_name_is_the_function():
    assert dlbasics.gradcheck is gradcheck
    with pytest.raises(AttributeError):
        _ = dlbasics.no_such_name


def test_a_correct_softmax_cross_entropy_gradient_passes_both_references():
    result = gradcheck(torch_cross_entropy, cross_entropy_gradient, shapes=[(5,)], trials=4)
    assert result and result.passed
    assert result.method == "autograd + central differences"
    assert set(result.errors) == {"autograd", "central differences"}
    assert result.errors["autograd"][0] < 1e-14  # the same math, to rounding
    assert 0 < result.max_abs_error <= 1e-6 and result.note == ""
    assert "PASS" in repr(result) and isinstance(result, GradcheckResult)


def test_a_gradient_off_by_a_factor_fails_with_a_report():
    result = gradcheck(torch_cross_entropy, lambda z: 2 * cross_entropy_gradient(z), shapes=[(5,)])
    assert not result
    assert result.max_abs_error > 0.1 and result.max_rel_error == pytest.approx(1.0)
    assert result.worst_input.startswith("z[") and "(trial " in result.worst_input
    assert "claimed" in result.detail and "FAIL" in repr(result)
    with pytest.raises(ValueError, match=r"gradcheck failed .*wrong at z\[\d\] \(trial \d\)"):
        gradcheck(
            torch_cross_entropy,
            lambda z: 2 * cross_entropy_gradient(z),
            shapes=[(5,)],
            raise_exception=True,
        )


def test_a_numpy_function_is_checked_by_central_differences_only():
    z = np.array([0.5, -1.0, 2.0, 0.0])
    result = gradcheck(numpy_cross_entropy, cross_entropy_gradient, z)
    assert result.passed and result.method == "central differences"
    assert "central differences only" in result.note
    assert not gradcheck(numpy_cross_entropy, lambda v: -cross_entropy_gradient(v), z)
    with pytest.raises(ValueError, match="autograd=True"):
        gradcheck(numpy_cross_entropy, cross_entropy_gradient, z, autograd=True)


def test_autograd_can_be_switched_off():
    result = gradcheck(torch_cross_entropy, cross_entropy_gradient, shapes=[(3,)], autograd=False)
    assert result.passed and result.method == "central differences"


def test_a_two_layer_backward_pass_passes_and_a_transposed_term_fails():
    shapes = [(4, 3), (2, 4)]
    result = gradcheck(net_loss, net_backward, shapes=shapes, trials=3, seed=1)
    assert result.passed and result.method == "autograd + central differences"

    def wrong(W1, W2):  # dW1 built from W2 instead of W2^T: same count of numbers, wrong entries
        h = np.tanh(W1 @ X)
        dz = softmax(W2 @ h)
        dz[TARGET] -= 1.0
        dh = (W2.T @ dz)[::-1]
        return np.outer(dh * (1 - h**2), X), np.outer(dz, h)

    failed = gradcheck(net_loss, wrong, shapes=shapes, trials=3, seed=1)
    assert not failed.passed and failed.worst_input.startswith("W1[")


def test_a_gradient_of_the_wrong_shape_is_named():
    def transposed(W1, W2):
        dW1, dW2 = net_backward(W1, W2)
        return dW1.T, dW2

    result = gradcheck(net_loss, transposed, shapes=[(4, 3), (2, 4)])
    assert not result.passed and result.max_abs_error == np.inf
    assert result.worst_input.startswith("d/dW1") and "(transposed?)" in result.detail
    missing = gradcheck(net_loss, lambda W1, W2: net_backward(W1, W2)[0], shapes=[(4, 3), (2, 4)])
    assert not missing.passed and "for 2 input(s)" in missing.detail


def test_a_claimed_jacobian_of_a_vector_function():
    def jacobian(z):
        s = softmax(z)
        return np.diag(s) - np.outer(s, s)

    def softmax_t(z):
        return torch.softmax(z, 0)

    assert gradcheck(softmax_t, jacobian, shapes=[(4,)]).passed
    result = gradcheck(softmax_t, lambda z: jacobian(z).T * 1.5, shapes=[(4,)])
    assert not result.passed and result.worst_input.startswith("output[")


def test_a_gradient_given_as_arrays_and_bad_calls():
    z = np.array([1.0, 2.0, 3.0])
    assert gradcheck(torch_cross_entropy, cross_entropy_gradient(z), z).passed
    with pytest.raises(ValueError, match="either inputs"):
        gradcheck(torch_cross_entropy, cross_entropy_gradient)
    with pytest.raises(ValueError, match="needs the inputs"):
        gradcheck(torch_cross_entropy, cross_entropy_gradient(z), shapes=[(3,)])
    with pytest.raises(ValueError, match="not finite"):
        gradcheck(lambda v: torch.log(v - 10).sum(), lambda v: 1 / (v - 10), z)


def test_same_seed_same_inputs():
    first = gradcheck(torch_cross_entropy, cross_entropy_gradient, shapes=[(4,)], seed=7)
    again = gradcheck(torch_cross_entropy, cross_entropy_gradient, shapes=[(4,)], seed=7)
    assert repr(first) == repr(again)


def test_the_documented_examples_run():
    """docs/gradcheck.md's Python blocks and the docstrings' Examples run as written."""
    import doctest
    import re
    from pathlib import Path

    from dlbasics.theory import claims, gradient_check

    page = Path(__file__).resolve().parents[2] / "docs" / "gradcheck.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL)
    assert len(blocks) == 3
    for block in blocks:
        exec(compile(block, str(page), "exec"), {})
    for module in (gradient_check, claims):
        assert doctest.testmod(module).failed == 0
