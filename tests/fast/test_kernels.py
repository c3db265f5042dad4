"""The compiled kernels against the literal math spec (tests/fast/spec_reference.py).

Random small problems (hypothesis) over shapes, depths, activations, heads and both float
types. float64 must agree to rtol 1e-9, float32 to rtol 1e-4. Rows of 64+ entries are drawn on
purpose: the kernels' dot products switch to 64 interleaved partial sums there. Inputs contain
exact zeros on purpose: the kernels skip zero inputs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbasics.fast import kernels
from tests.fast import spec_reference as spec

DTYPES = [np.float64, np.float32]
SETTINGS = settings(max_examples=30, deadline=None)


def tolerance(dtype) -> dict[str, float]:
    return {"rtol": 1e-9, "atol": 1e-12} if dtype == np.float64 else {"rtol": 1e-4, "atol": 1e-6}


def assert_close(actual, expected, dtype, scale=1.0):
    tol = tolerance(dtype)
    np.testing.assert_allclose(actual, expected, rtol=tol["rtol"], atol=tol["atol"] * scale)


sizes = st.one_of(st.integers(1, 12), st.integers(60, 72))


def sparse_normal(rng, shape, dtype, zero_fraction=0.4):
    """Normal entries with about ``zero_fraction`` exact zeros (like image background)."""
    values = rng.normal(0.0, 1.0, size=shape)
    values[rng.random(shape) < zero_fraction] = 0.0
    return values.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 25),
    n_features=sizes,
    n_classes=st.integers(2, 6),
    epochs=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_perceptron_matches_spec_exactly(dtype, n, n_features, n_classes, epochs, seed):
    # Small integers: every sum is exact in both dtypes, so ties are real ties and the
    # result must match bit for bit, ties broken towards the first class in both.
    rng = np.random.default_rng(seed)
    X = rng.integers(-2, 3, size=(n, n_features)).astype(dtype)
    y = rng.integers(0, n_classes, size=n)
    W_fast = np.zeros((n_classes, n_features), dtype=dtype)
    W_spec = W_fast.copy()
    for _ in range(epochs):
        order = rng.permutation(n)
        mistakes = kernels.perceptron_epoch(W_fast, X, y, order)
        W_spec, expected = spec.perceptron_epoch(W_spec, X, y, order)
        assert mistakes == expected
        np.testing.assert_array_equal(W_fast, W_spec)


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 25),
    n_features=sizes,
    n_classes=st.integers(2, 6),
    lr=st.floats(1e-3, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_logistic_regression_matches_spec(dtype, n, n_features, n_classes, lr, seed):
    rng = np.random.default_rng(seed)
    X = sparse_normal(rng, (n, n_features), dtype)
    y = rng.integers(0, n_classes, size=n)
    W = sparse_normal(rng, (n_classes, n_features), dtype, zero_fraction=0.0) * dtype(0.1)
    W_spec, expected = spec.logistic_epoch(W, X, y, order := rng.permutation(n), lr)
    total = kernels.logistic_epoch(W, X, y, order, dtype(lr))
    assert_close(W, W_spec, dtype)
    assert total == pytest.approx(expected, rel=tolerance(dtype)["rtol"], abs=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 25),
    n_features=sizes,
    lr=st.floats(1e-3, 0.05),
    seed=st.integers(0, 2**32 - 1),
)
def test_linear_regression_matches_spec(dtype, n, n_features, lr, seed):
    rng = np.random.default_rng(seed)
    X = sparse_normal(rng, (n, n_features), dtype) * dtype(0.3)
    y = rng.normal(size=n)
    w = np.zeros(n_features, dtype=dtype)
    order = rng.permutation(n)
    w_spec, expected = spec.linear_regression_epoch(w, X, y, order, lr)
    total = kernels.linear_regression_epoch(w, X, y, order, lr)
    assert_close(w, w_spec, dtype)
    assert total == pytest.approx(expected, rel=tolerance(dtype)["rtol"], abs=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(
    n=st.integers(1, 20),
    n_features=sizes,
    hidden=sizes,
    layers=st.integers(1, 3),
    activation=st.sampled_from(["relu", "tanh"]),
    regression=st.booleans(),
    n_classes=st.integers(2, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_mlp_matches_spec(
    dtype, n, n_features, hidden, layers, activation, regression, n_classes, seed
):
    rng = np.random.default_rng(seed)
    n_out = 1 if regression else n_classes
    layer_sizes = [n_features] + [hidden] * layers + [n_out]
    weights = [
        (rng.normal(0, 1, size=(o, i)) / np.sqrt(i)).astype(dtype)
        for i, o in zip(layer_sizes[:-1], layer_sizes[1:], strict=True)
    ]
    biases = [rng.normal(0, 0.1, size=o).astype(dtype) for o in layer_sizes[1:]]
    X = sparse_normal(rng, (n, n_features), dtype)
    y = rng.normal(size=n) if regression else rng.integers(0, n_classes, size=n)
    order = rng.permutation(n)
    lr = 0.01
    w_spec, b_spec, expected = spec.mlp_epoch(
        weights, biases, X, y, order, lr, activation, regression
    )
    wt, b, packed_sizes = kernels.pack_layers(weights, biases, np.dtype(dtype))
    code = kernels.RELU if activation == "relu" else kernels.TANH
    total = kernels.mlp_epoch(wt, b, packed_sizes, X, y, order, dtype(lr), code, regression)
    w_fast, b_fast = kernels.unpack_layers(wt, b, packed_sizes)
    for got, want in zip(w_fast + b_fast, w_spec + b_spec, strict=True):
        assert got.dtype == dtype
        assert_close(got, want, dtype)
    assert total == pytest.approx(expected, rel=tolerance(dtype)["rtol"], abs=1e-6)


def test_pack_unpack_round_trip():
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(4, 3)), rng.normal(size=(2, 4))]
    biases = [rng.normal(size=4), rng.normal(size=2)]
    wt, b, sizes = kernels.pack_layers(weights, biases, np.dtype(np.float64))
    assert list(sizes) == [3, 4, 2]
    assert wt[:12].reshape(3, 4).tolist() == weights[0].T.tolist()
    back_w, back_b = kernels.unpack_layers(wt, b, sizes)
    for got, want in zip(back_w + back_b, weights + biases, strict=True):
        np.testing.assert_array_equal(got, want)
        assert got.flags.c_contiguous


def test_empty_order_changes_nothing():
    W = np.ones((3, 4))
    X = np.ones((2, 4))
    y = np.array([0, 1])
    empty = np.array([], dtype=np.int64)
    assert kernels.logistic_epoch(W, X, y, empty, 0.1) == 0.0
    assert kernels.perceptron_epoch(W, X, y, empty) == 0
    np.testing.assert_array_equal(W, np.ones((3, 4)))
