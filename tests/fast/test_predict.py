"""The fast linear models' predictions: always the reference engine's labels, certified."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlbasics import fast, scratch
from dlbasics.fast.predict import linear_argmax, predict_linear, unit_roundoff
from tests.fast.equivalence import DTYPES, SPEC_SETTINGS, sizes


def reference(W):
    return lambda X: np.argmax(X @ W.T, axis=1)


def certify(W, X):
    out = np.empty(len(X), dtype=np.int64)
    ok = linear_argmax(W, X, unit_roundoff(X, W), float(np.abs(X).max(initial=0.0)), out)
    return ok, out


@pytest.mark.parametrize("dtype", DTYPES)
@SPEC_SETTINGS
@given(
    n=st.integers(0, 30),
    n_features=sizes,
    n_classes=st.integers(2, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_scores_are_certified_and_equal(dtype, n, n_features, n_classes, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features)).astype(dtype)
    W = rng.normal(size=(n_classes, n_features)).astype(dtype)
    ok, out = certify(W, X)
    if dtype == np.float64:
        assert ok  # random scores lie far apart compared with float64 rounding
    if ok:
        np.testing.assert_array_equal(out, reference(W)(X))
    np.testing.assert_array_equal(predict_linear(X, W, reference(W)), reference(W)(X))


@pytest.mark.parametrize("dtype", DTYPES)
@SPEC_SETTINGS
@given(n_features=sizes, n_classes=st.integers(2, 6), seed=st.integers(0, 2**32 - 1))
def test_exact_ties_of_dyadic_data_break_towards_the_first_class(
    dtype, n_features, n_classes, seed
):
    # pixels / 256 and integer weights: every sum is exact, and many scores tie exactly
    rng = np.random.default_rng(seed)
    X = (rng.integers(0, 3, size=(40, n_features)) / 256).astype(dtype)
    W = rng.integers(-1, 2, size=(n_classes, n_features)).astype(dtype)
    W[1] = W[0]  # classes 0 and 1 tie on every example
    ok, out = certify(W, X)
    assert ok
    np.testing.assert_array_equal(out, reference(W)(X))
    assert not np.any(out == 1)


def test_a_near_tie_that_cannot_be_decided_goes_to_the_reference():
    # scores within rounding of each other, not dyadic: not certifiable, so the reference decides
    X = np.array([[0.1, 0.2, 0.3], [1.0, 0.0, 0.0]])
    W = np.array([[0.3, 0.2, 0.1], [0.3, 0.2, 0.1 + 1e-16]])
    ok, _ = certify(W, X)
    assert not ok
    calls = []

    def counted(X):
        calls.append(len(X))
        return reference(W)(X)

    np.testing.assert_array_equal(predict_linear(X, W, counted), reference(W)(X))
    assert calls == [2]


def test_weights_not_exact_in_the_data_dtype_go_to_the_reference():
    X = np.ones((3, 2), dtype=np.float32)
    W = np.array([[0.1, 0.0], [0.0, 0.2]])  # float64 values float32 cannot hold
    calls = []

    def counted(X):
        calls.append(1)
        return reference(W)(X)

    predict_linear(X, W, counted)
    assert calls == [1]


@pytest.mark.parametrize("name", ["Perceptron", "LogisticRegression"])
def test_fast_models_predict_what_the_reference_predicts(name):
    rng = np.random.default_rng(3)
    X = np.hstack([rng.integers(0, 256, size=(300, 30)) / 256, np.ones((300, 1))])
    y = rng.integers(0, 4, size=300)
    kwargs = {"n_features": 31, "n_classes": 4, "seed": 0}
    model = getattr(fast, name)(**kwargs)
    ref_predict = getattr(scratch, name).predict
    np.testing.assert_array_equal(model.predict(X), ref_predict(model, X))  # W = 0: all tie
    for _ in range(2):
        model.train_epoch(X, y, rng.permutation(300))
        np.testing.assert_array_equal(model.predict(X), ref_predict(model, X))
        assert model.evaluate(X, y) == getattr(scratch, name).evaluate(model, X, y)


def test_non_finite_input_is_refused_as_the_reference_refuses_it():
    model = fast.Perceptron(n_features=2, n_classes=2)
    with pytest.raises(ValueError, match="non-finite"):
        model.predict(np.array([[np.nan, 1.0]]))
