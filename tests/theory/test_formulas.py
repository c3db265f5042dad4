"""Claim by claim: the report's formula (dlbasics.theory.formulas) against torch (property tests)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from dlbasics import theory
from tests.theory.helpers import FAST, label, logit, logit_vector, seed


def torch_derivatives(function, z):
    """First and second derivative of an elementwise torch function at the numbers z."""
    zt = torch.tensor(np.atleast_1d(z), dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(function(zt).sum(), zt, create_graph=True)
    (second,) = torch.autograd.grad(first.sum(), zt)
    return first.detach().numpy(), second.numpy()


@FAST
@given(logit)
def test_claim1_sigmoid_derivative_matches_autograd(z):
    first, _ = torch_derivatives(torch.sigmoid, z)
    assert float(theory.sigmoid_derivative(z)) == pytest.approx(first[0], abs=1e-15)


@FAST
@given(logit, label)
def test_claim2_binary_loss_derivatives_match_autograd(z, y):
    def loss(zt):
        logsig = torch.nn.functional.logsigmoid
        return -(1 + y) / 2 * logsig(zt) - (1 - y) / 2 * logsig(-zt)

    first, second = torch_derivatives(loss, z)
    assert float(theory.binary_loss_first_derivative(z, y)) == pytest.approx(first[0], abs=1e-14)
    claimed_second = float(theory.binary_loss_second_derivative(z, y))
    assert claimed_second == pytest.approx(second[0], abs=1e-14)
    assert claimed_second >= 0.0  # hence convex in z


@FAST
@given(logit_vector)
def test_claim3_softmax_jacobian_matches_autograd(z):
    zt = torch.tensor(z, dtype=torch.float64)
    oracle = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, 0), zt).numpy()
    np.testing.assert_allclose(theory.softmax_jacobian(z), oracle, atol=1e-14)


@FAST
@given(logit_vector, st.data())
def test_claim4_gradient_and_hessian_properties(z, data):
    a = data.draw(st.integers(0, z.size - 1))
    zt = torch.tensor(z, dtype=torch.float64)

    def loss(v):
        return -torch.log_softmax(v, 0)[a]

    grad = torch.autograd.functional.jacobian(loss, zt).numpy()
    hessian = torch.autograd.functional.hessian(loss, zt).numpy()
    np.testing.assert_allclose(theory.multinomial_loss_gradient(z, a), grad, atol=1e-14)
    h = theory.multinomial_loss_hessian(z, a)
    np.testing.assert_allclose(h, hessian, atol=1e-14)
    np.testing.assert_array_equal(h, h.T)
    diagonal = np.diag(h)
    assert np.all(diagonal >= 0)
    assert np.all(np.abs(h).sum(axis=1) - np.abs(diagonal) <= np.abs(diagonal) + 1e-15)
    assert np.linalg.eigvalsh(h)[0] >= -1e-15
    np.testing.assert_allclose(h @ np.ones(z.size), 0.0, atol=1e-15)


@FAST
@given(
    st.integers(2, 4),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["logistic", "squared"]),
)
def test_claims5_and_7_affine_hessian_is_kronecker_and_psd(classes, features, draw_seed, kind):
    rng = np.random.default_rng(draw_seed)
    phi = rng.normal(0.0, 3.0, features)
    matrix = rng.normal(0.0, 3.0, (classes, features + 1))  # [W | b]
    u = np.append(phi, 1.0)
    if kind == "logistic":
        a = int(rng.integers(0, classes))
        hessian_z = theory.multinomial_loss_hessian(matrix @ u, a)

        def loss(theta):
            return -torch.log_softmax(theta.reshape(classes, -1) @ torch.tensor(u), 0)[a]
    else:
        y = rng.normal(0.0, 3.0, classes)
        hessian_z = theory.squared_loss_hessian(matrix @ u, y)
        np.testing.assert_array_equal(hessian_z, np.eye(classes))

        def loss(theta):
            diff = theta.reshape(classes, -1) @ torch.tensor(u) - torch.tensor(y)
            return 0.5 * (diff * diff).sum()

    theta = torch.tensor(matrix.ravel())
    oracle = torch.autograd.functional.hessian(loss, theta).numpy()
    claimed = theory.affine_param_hessian(phi, hessian_z)
    np.testing.assert_allclose(claimed, oracle, atol=1e-12 * max(1.0, np.abs(oracle).max()))
    assert np.linalg.eigvalsh(claimed)[0] >= -1e-12 * max(1.0, np.abs(claimed).max())


@FAST
@given(st.lists(st.integers(1, 5), min_size=2, max_size=6), seed)
def test_claim8_composed_map_equals_the_linear_network(widths, draw_seed):
    rng = np.random.default_rng(draw_seed)
    layers = [
        (rng.normal(size=(fan_out, fan_in)), rng.normal(size=fan_out))
        for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True)
    ]
    x = rng.normal(0.0, 10.0, widths[0])
    net = torch.nn.Sequential(
        *[torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64) for w, _ in layers]
    )
    with torch.no_grad():
        for module, (w, b) in zip(net, layers, strict=True):
            module.weight.copy_(torch.tensor(w))
            module.bias.copy_(torch.tensor(b))
        output = net(torch.tensor(x)).numpy()
    weight, bias = theory.compose_affine_layers(layers)
    assert weight.shape == (widths[-1], widths[0])
    np.testing.assert_allclose(weight @ x + bias, output, rtol=1e-10, atol=1e-10)
