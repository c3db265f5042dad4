"""The fast linear regression: its kernel against the literal spec, its model against the
reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlbasics.fast.linear import linear_regression_epoch
from tests.fast import spec_reference as spec
from tests.fast.equivalence import (
    DTYPES,
    REFERENCE_SETTINGS,
    SPEC_SETTINGS,
    assert_close,
    assert_same_state,
    both,
    sizes,
    sparse_normal,
    tolerance,
)


@pytest.mark.parametrize("dtype", DTYPES)
@SPEC_SETTINGS
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
    total = linear_regression_epoch(w, X, y, order, lr)
    assert_close(w, w_spec, dtype)
    assert total == pytest.approx(expected, rel=tolerance(dtype)["rtol"], abs=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
@REFERENCE_SETTINGS
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
