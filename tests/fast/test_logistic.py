"""The fast logistic regression: its kernel against the literal spec, its model against the
reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlbasics.fast.logistic import logistic_epoch
from tests.fast import spec_reference as spec
from tests.fast.equivalence import (
    DTYPES,
    REFERENCE_SETTINGS,
    SPEC_SETTINGS,
    assert_close,
    assert_same_state,
    both,
    classification_data,
    sizes,
    sparse_normal,
    tolerance,
)


@pytest.mark.parametrize("dtype", DTYPES)
@SPEC_SETTINGS
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
    total = logistic_epoch(W, X, y, order, dtype(lr))
    assert_close(W, W_spec, dtype)
    assert total == pytest.approx(expected, rel=tolerance(dtype)["rtol"], abs=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
@REFERENCE_SETTINGS
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
