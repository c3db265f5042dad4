"""The fast engine against the reference engine (dlbasics.scratch), model by model.

Same constructor arguments give the same initial weights (the fast classes subclass the
reference ones); after training on the same examples in the same order the weights must agree:
float64 to rtol 1e-9, float32 to rtol 1e-4 (the math spec's equivalence contract).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbasics import fast, scratch
from dlbasics.fast import models

DTYPES = [np.float64, np.float32]
SETTINGS = settings(max_examples=25, deadline=None)
MODEL_NAMES = ["Perceptron", "LogisticRegression", "MLP", "LinearRegression"]


def tolerance(dtype) -> dict[str, float]:
    return {"rtol": 1e-9, "atol": 1e-12} if dtype == np.float64 else {"rtol": 1e-4, "atol": 1e-6}


def assert_same_state(fast_model, reference_model, dtype):
    for name in ("weights_", "biases_"):
        if not hasattr(reference_model, name):
            continue
        got, want = getattr(fast_model, name), getattr(reference_model, name)
        got_list = got if isinstance(got, list) else [got]
        want_list = want if isinstance(want, list) else [want]
        assert len(got_list) == len(want_list)
        for g, w in zip(got_list, want_list, strict=True):
            assert g.shape == w.shape
            assert g.dtype == w.dtype == dtype
            np.testing.assert_allclose(g, w, **tolerance(dtype))


def both(name: str, **kwargs):
    return getattr(models, name)(**kwargs), getattr(scratch, name)(**kwargs)


def classification_data(rng, n, n_features, n_classes, dtype, bias):
    X = rng.random((n, n_features))
    X[X < 0.4] = 0.0  # exact zeros, as in the images' background
    if bias:
        X[:, -1] = 1.0
    return X.astype(dtype), rng.integers(0, n_classes, size=n)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_same_interface_as_the_reference(name):
    fast_cls, ref_cls = getattr(models, name), getattr(scratch, name)
    assert issubclass(fast_cls, ref_cls)
    assert inspect.signature(fast_cls) == inspect.signature(ref_cls)
    assert inspect.signature(fast_cls.train_epoch) == inspect.signature(ref_cls.train_epoch)
    assert getattr(fast, name) is fast_cls


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 40),
    n_features=st.one_of(st.integers(2, 12), st.integers(64, 80)),
    n_classes=st.integers(2, 6),
    epochs=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_perceptron_equals_reference(dtype, n, n_features, n_classes, epochs, seed):
    rng = np.random.default_rng(seed)
    # multiples of 1/256, like the pixels: every sum is exact, so the mistakes must match too
    X = (rng.integers(0, 256, size=(n, n_features)) / 256).astype(dtype)
    X[:, -1] = 1
    y = rng.integers(0, n_classes, size=n)
    fast_model, ref_model = both("Perceptron", n_features=n_features, n_classes=n_classes)
    for _ in range(epochs):
        order = rng.permutation(n)
        assert fast_model.train_epoch(X, y, order) == ref_model.train_epoch(X, y, order)
        np.testing.assert_array_equal(fast_model.weights_, ref_model.weights_)
    np.testing.assert_array_equal(fast_model.predict(X), ref_model.predict(X))


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 40),
    n_features=st.one_of(st.integers(2, 12), st.integers(64, 80)),
    n_classes=st.integers(2, 6),
    lr=st.sampled_from([0.001, 0.01, 0.1]),
    seed=st.integers(0, 2**32 - 1),
)
def test_logistic_regression_equals_reference(dtype, n, n_features, n_classes, lr, seed):
    rng = np.random.default_rng(seed)
    X, y = classification_data(rng, n, n_features, n_classes, dtype, bias=True)
    kwargs = {"n_features": n_features, "n_classes": n_classes, "learning_rate": lr}
    fast_model, ref_model = both("LogisticRegression", **kwargs)
    for _ in range(2):
        order = rng.permutation(n)
        loss = fast_model.train_epoch(X, y, order)
        assert loss == pytest.approx(ref_model.train_epoch(X, y, order), rel=1e-5)
        assert_same_state(fast_model, ref_model, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 40),
    n_features=st.one_of(st.integers(2, 12), st.integers(64, 80)),
    lr=st.sampled_from([0.001, 0.01]),
    seed=st.integers(0, 2**32 - 1),
)
def test_linear_regression_equals_reference(dtype, n, n_features, lr, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features)).astype(dtype)
    X[:, -1] = 1
    y = rng.normal(size=n)
    fast_model, ref_model = both("LinearRegression", n_features=n_features, learning_rate=lr)
    for _ in range(2):
        order = rng.permutation(n)
        loss = fast_model.train_epoch(X, y, order)
        assert loss == pytest.approx(ref_model.train_epoch(X, y, order), rel=1e-5)
        assert_same_state(fast_model, ref_model, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 30),
    n_features=st.one_of(st.integers(2, 12), st.integers(64, 80)),
    hidden=st.one_of(st.integers(1, 12), st.integers(64, 70)),
    layers=st.integers(1, 3),
    activation=st.sampled_from(["relu", "tanh"]),
    head=st.sampled_from(["classification", "regression"]),
    init=st.sampled_from(["homework", "he", "xavier"]),
    n_classes=st.integers(2, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_mlp_equals_reference(
    dtype, n, n_features, hidden, layers, activation, head, init, n_classes, seed
):
    rng = np.random.default_rng(seed)
    X, labels = classification_data(rng, n, n_features, n_classes, dtype, bias=False)
    regression = head == "regression"
    y = rng.normal(size=n) if regression else labels
    kwargs = {
        "n_features": n_features,
        "n_outputs": 1 if regression else n_classes,
        "hidden_size": hidden,
        "layers": layers,
        "activation": activation,
        # the homework's N(0.1, 0.1^2) init makes huge scores on wide layers: keep steps small
        "learning_rate": 1e-4 if init == "homework" else 0.01,
        "head": head,
        "init": init,
        "seed": seed,
    }
    fast_model, ref_model = both("MLP", **kwargs)
    for w_fast, w_ref in zip(fast_model.weights_, ref_model.weights_, strict=True):
        np.testing.assert_array_equal(w_fast, w_ref)  # identical initial weights
    order = rng.permutation(n)
    loss = fast_model.train_epoch(X, y, order)
    assert loss == pytest.approx(ref_model.train_epoch(X, y, order), rel=1e-5, abs=1e-7)
    assert_same_state(fast_model, ref_model, dtype)
    if regression:
        np.testing.assert_allclose(fast_model.predict(X), ref_model.predict(X), **tolerance(dtype))
    else:
        assert fast_model.evaluate(X, y) == pytest.approx(ref_model.evaluate(X, y), abs=0.05)


def test_training_continues_across_calls_like_one_call():
    """The experiments feed an epoch in chunks; chunks must equal one call on all of order."""
    rng = np.random.default_rng(3)
    X, y = classification_data(rng, 50, 20, 3, np.float64, bias=False)
    order = rng.permutation(50)
    whole, chunked = (models.MLP(20, 3, hidden_size=7, learning_rate=0.01) for _ in range(2))
    whole.train_epoch(X, y, order)
    chunked.train_epoch(X, y, order[:17])
    chunked.train_epoch(X, y, order[17:])
    for a, b in zip(
        whole.weights_ + whole.biases_, chunked.weights_ + chunked.biases_, strict=True
    ):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("X_shape", "y", "order", "message"),
    [
        ((5, 3), [0, 1, 2, 0, 1], [0, 5], "order holds indices"),
        ((5, 3), [0, 1, 2, 0, 1], [-1], "order holds indices"),
        ((5, 3), [0, 1, 9, 0, 1], [0, 1], "labels must be integers"),
        ((5, 4), [0, 1, 2, 0, 1], [0, 1], "X must have shape"),
        ((5, 3), [0, 1, 2], [0, 1], "y must have shape"),
    ],
)
def test_bad_input_is_refused_before_the_kernel(X_shape, y, order, message):
    # the kernels do not check bounds: an out-of-range index must never reach them
    model = models.LogisticRegression(n_features=3, n_classes=3)
    with pytest.raises(ValueError, match=message):
        model.train_epoch(np.ones(X_shape), np.array(y), np.array(order))
