"""What the fast engine's tests compare with: tolerances, test data and model pairs.

The fast engine must agree with its yardsticks (the literal math spec in spec_reference.py,
and the reference engine dlbasics.scratch) to rtol 1e-9 in float64 and 1e-4 in float32. Rows
of 64+ entries are drawn on purpose: the kernels' dot products switch to 64 interleaved
partial sums there. Inputs contain exact zeros on purpose: the kernels skip zero inputs.
"""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from dlbasics import fast, scratch

DTYPES = [np.float64, np.float32]
SPEC_SETTINGS = settings(max_examples=30, deadline=None)  # kernels against the spec
REFERENCE_SETTINGS = settings(max_examples=25, deadline=None)  # models against scratch


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
    return getattr(fast, name)(**kwargs), getattr(scratch, name)(**kwargs)


def classification_data(rng, n, n_features, n_classes, dtype, bias):
    X = rng.random((n, n_features))
    X[X < 0.4] = 0.0  # exact zeros, as in the images' background
    if bias:
        X[:, -1] = 1.0
    return X.astype(dtype), rng.integers(0, n_classes, size=n)
