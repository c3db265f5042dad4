"""The fast perceptron: its kernel against the literal spec, its model against the reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlbasics.fast.perceptron import perceptron_epoch
from tests.fast import spec_reference as spec
from tests.fast.equivalence import DTYPES, REFERENCE_SETTINGS, SPEC_SETTINGS, both, sizes


@pytest.mark.parametrize("dtype", DTYPES)
@SPEC_SETTINGS
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
        mistakes = perceptron_epoch(W_fast, X, y, order)
        W_spec, expected = spec.perceptron_epoch(W_spec, X, y, order)
        assert mistakes == expected
        np.testing.assert_array_equal(W_fast, W_spec)


@pytest.mark.parametrize("dtype", DTYPES)
@REFERENCE_SETTINGS
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
