"""Every backward pass against central finite differences (dlbasics.gradcheck) and torch.autograd.

The gradient under test is the one the model actually applies: with ``learning_rate = 1``,
one ``train_epoch`` on one example moves each parameter by exactly minus its gradient.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlbasics import gradcheck
from dlbasics.scratch import MLP, LinearRegression, LogisticRegression
from dlbasics.scratch.functions import logsumexp
from tests.scratch.one_step import gradient_from_one_step

SETTINGS = settings(max_examples=25, deadline=None)
RTOL_FD, ATOL_FD = 1e-5, 1e-7
RTOL_TORCH, ATOL_TORCH = 1e-10, 1e-12


def mlp_parameters(model: MLP) -> list[np.ndarray]:
    return [*model.weights_, *model.biases_]


def mlp_example_loss(model: MLP, x: np.ndarray, target) -> float:
    """The head's loss of one example, from the vectorised forward pass."""
    z = model.forward(x[None, :])[0]
    if model.head == "classification":
        return float(logsumexp(z) - z[target])
    return 0.5 * float(z[0] - target) ** 2


def torch_mlp_gradients(model: MLP, x: np.ndarray, target) -> tuple[float, list[np.ndarray]]:
    weights = [torch.tensor(W, requires_grad=True) for W in model.weights_]
    biases = [torch.tensor(b, requires_grad=True) for b in model.biases_]
    act = {"relu": torch.relu, "tanh": torch.tanh, "identity": lambda z: z}[model.activation]
    h = torch.tensor(x)
    for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z = W @ h + b
        h = act(z) if layer < len(weights) - 1 else z
    if model.head == "classification":
        loss = torch.logsumexp(h, dim=0) - h[target]
    else:
        loss = 0.5 * (h[0] - target) ** 2
    loss.backward()
    return loss.item(), [p.grad.numpy() for p in (*weights, *biases)]


mlp_cases = st.fixed_dictionaries(
    {
        "n_features": st.integers(1, 5),
        "hidden_size": st.integers(1, 5),
        "layers": st.integers(1, 3),
        "activation": st.sampled_from(["relu", "tanh", "identity"]),
        "head": st.sampled_from(["classification", "regression"]),
        "n_classes": st.integers(2, 4),
        "init": st.sampled_from(["homework", "he", "xavier"]),
        "seed": st.integers(0, 2**31 - 1),
    }
)


def make_mlp_case(case: dict) -> tuple[MLP, np.ndarray, object]:
    rng = np.random.default_rng(case["seed"] + 1)
    n_out = case["n_classes"] if case["head"] == "classification" else 1
    model = MLP(
        case["n_features"],
        n_out,
        hidden_size=case["hidden_size"],
        layers=case["layers"],
        activation=case["activation"],
        learning_rate=1.0,
        head=case["head"],
        init=case["init"],
        seed=case["seed"],
    )
    # Non-zero biases so that the bias gradients are exercised away from the initial point.
    model.biases_ = [rng.normal(0, 0.5, size=b.shape) for b in model.biases_]
    x = rng.normal(size=case["n_features"])
    target = int(rng.integers(n_out)) if case["head"] == "classification" else rng.normal()
    return model, x, target


def pre_activations(model: MLP, x: np.ndarray) -> np.ndarray:
    h, values = x, []
    for W, b in zip(model.weights_[:-1], model.biases_[:-1], strict=True):
        z = W @ h + b
        values.append(z)
        h = np.maximum(z, 0) if model.activation == "relu" else np.tanh(z)
    return np.concatenate(values)


@SETTINGS
@given(case=mlp_cases)
def test_mlp_backward_matches_finite_differences(case):
    model, x, target = make_mlp_case(case)
    if model.activation == "relu":  # finite differences are wrong across a kink
        assume(np.min(np.abs(pre_activations(model, x))) > 1e-3)
    before = [p.copy() for p in mlp_parameters(model)]
    applied = gradient_from_one_step(model, x, target, mlp_parameters)
    n_weights = len(model.weights_)

    def loss(*parameters):
        model.weights_, model.biases_ = list(parameters[:n_weights]), list(parameters[n_weights:])
        return mlp_example_loss(model, x, target)

    scale = max(1.0, *(float(np.abs(g).max()) for g in applied))
    result = gradcheck(loss, applied, before, autograd=False, rtol=RTOL_FD, atol=ATOL_FD * scale)
    assert result.passed, result


@SETTINGS
@given(case=mlp_cases)
def test_mlp_backward_matches_torch_autograd(case):
    model, x, target = make_mlp_case(case)
    want_loss, want = torch_mlp_gradients(model, x, target)
    X, y = x[None, :], np.asarray([target])
    before = [p.copy() for p in mlp_parameters(model)]
    got_loss = model.train_epoch(X, y, np.array([0]))
    applied = [b - a for b, a in zip(before, mlp_parameters(model), strict=True)]
    assert got_loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
    for got, expected in zip(applied, want, strict=True):
        scale = max(1.0, float(np.abs(expected).max()), float(np.abs(before[0]).max()))
        np.testing.assert_allclose(got, expected, rtol=RTOL_TORCH, atol=ATOL_TORCH * scale)


logistic_cases = st.fixed_dictionaries(
    {
        "n_features": st.integers(1, 8),
        "n_classes": st.integers(2, 6),
        "seed": st.integers(0, 2**31 - 1),
        "scale": st.sampled_from([0.1, 1.0, 30.0]),  # 30: scores far beyond exp's safe range
    }
)


def make_logistic_case(case: dict) -> tuple[LogisticRegression, np.ndarray, int]:
    rng = np.random.default_rng(case["seed"])
    model = LogisticRegression(case["n_features"], case["n_classes"], learning_rate=1.0)
    model.weights_ = rng.normal(0, case["scale"], size=model.weights_.shape)
    x = rng.normal(size=case["n_features"])
    return model, x, int(rng.integers(case["n_classes"]))


@SETTINGS
@given(case=logistic_cases)
def test_logistic_backward_matches_finite_differences(case):
    model, x, label = make_logistic_case(case)
    before = model.weights_.copy()

    def loss(weights) -> float:
        z = weights @ x
        return float(logsumexp(z) - z[label])

    (applied,) = gradient_from_one_step(model, x, label, lambda m: [m.weights_])
    eps = 1e-6 * case["scale"]
    result = gradcheck(loss, applied, before, autograd=False, eps=eps, rtol=1e-5, atol=1e-6)
    assert result.passed, result


@SETTINGS
@given(case=logistic_cases)
def test_logistic_backward_matches_torch_autograd(case):
    model, x, label = make_logistic_case(case)
    W = torch.tensor(model.weights_, requires_grad=True)
    z = W @ torch.tensor(x)
    want_loss = torch.logsumexp(z, dim=0) - z[label]
    want_loss.backward()
    before = model.weights_.copy()
    got_loss = model.train_epoch(x[None, :], np.array([label]), np.array([0]))
    assert np.isfinite(got_loss)
    assert got_loss == pytest.approx(want_loss.item(), rel=1e-10, abs=1e-10)
    scale = max(1.0, float(np.abs(before).max()))
    np.testing.assert_allclose(
        before - model.weights_, W.grad.numpy(), rtol=1e-9, atol=1e-13 * scale
    )


linear_cases = st.fixed_dictionaries(
    {"n_features": st.integers(1, 8), "seed": st.integers(0, 2**31 - 1)}
)


def make_linear_case(case: dict) -> tuple[LinearRegression, np.ndarray, float]:
    rng = np.random.default_rng(case["seed"])
    model = LinearRegression(case["n_features"], learning_rate=1.0)
    model.weights_ = rng.normal(size=case["n_features"])
    return model, rng.normal(size=case["n_features"]), float(rng.normal())


@SETTINGS
@given(case=linear_cases)
def test_linear_backward_matches_finite_differences(case):
    model, x, target = make_linear_case(case)
    before = model.weights_.copy()
    (applied,) = gradient_from_one_step(model, x, target, lambda m: [m.weights_])
    result = gradcheck(
        lambda w: 0.5 * float(w @ x - target) ** 2,
        applied,
        before,
        autograd=False,
        rtol=1e-6,
        atol=1e-8,
    )
    assert result.passed, result


@SETTINGS
@given(case=linear_cases)
def test_linear_backward_matches_torch_autograd(case):
    model, x, target = make_linear_case(case)
    w = torch.tensor(model.weights_, requires_grad=True)
    want_loss = 0.5 * (w @ torch.tensor(x) - target) ** 2
    want_loss.backward()
    before = model.weights_.copy()
    got_loss = model.train_epoch(x[None, :], np.array([target]), np.array([0]))
    assert got_loss == pytest.approx(want_loss.item(), rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(before - model.weights_, w.grad.numpy(), rtol=1e-10, atol=1e-12)
