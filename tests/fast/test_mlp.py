"""The fast MLP: its kernel against the literal spec (any depth, relu/tanh/identity, both heads), its
model against the reference (all inits), and training in chunks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlbasics.fast import mlp
from dlbasics.fast.common import IDENTITY, RELU, TANH
from dlbasics.fast.layers import pack_layers, unpack_layers
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
    n=st.integers(1, 20),
    n_features=sizes,
    hidden=sizes,
    layers=st.integers(1, 3),
    activation=st.sampled_from(["relu", "tanh", "identity"]),
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
    wt, b, packed_sizes = pack_layers(weights, biases, np.dtype(dtype))
    code = {"relu": RELU, "tanh": TANH, "identity": IDENTITY}[activation]
    total = mlp.mlp_epoch(wt, b, packed_sizes, X, y, order, dtype(lr), code, regression)
    w_fast, b_fast = unpack_layers(wt, b, packed_sizes)
    for got, want in zip(w_fast + b_fast, w_spec + b_spec, strict=True):
        assert got.dtype == dtype
        assert_close(got, want, dtype)
    assert total == pytest.approx(expected, rel=tolerance(dtype)["rtol"], abs=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
@REFERENCE_SETTINGS
@given(
    n=st.integers(1, 30),
    n_features=st.one_of(st.integers(2, 12), st.integers(64, 80)),
    hidden=st.one_of(st.integers(1, 12), st.integers(64, 70)),
    layers=st.integers(1, 3),
    activation=st.sampled_from(["relu", "tanh", "identity"]),
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
    # A float32 loss near 0 is logsumexp(z) - z[y], a difference of two numbers of the size of
    # the scores: its absolute rounding is about eps32 * |z|, not eps32 * loss (a Hypothesis
    # example with scores near 10 differed by 6e-7).
    absolute = 1e-5 if dtype == np.float32 else 1e-7
    # Without a non-linearity no unit is zeroed, so the float32 rounding of every hidden unit of
    # every layer reaches the output (a Hypothesis example, 3 identity layers of 64, differed
    # by 1.2e-5 relative); float64 stays at rtol 1e-9 below.
    relative = 1e-4 if dtype == np.float32 and activation == "identity" else 1e-5
    assert loss == pytest.approx(ref_model.train_epoch(X, y, order), rel=relative, abs=absolute)
    assert_same_state(fast_model, ref_model, dtype)
    if regression:
        # float32 predictions near 0 carry the rounding of their terms (a Hypothesis example
        # with a 3x70 homework-initialised net differed by 1.4e-6): scale atol like assert_close
        scale = 10.0 if dtype == np.float32 else 1.0
        assert_close(fast_model.predict(X), ref_model.predict(X), dtype, scale=scale)
    else:
        assert fast_model.evaluate(X, y) == pytest.approx(ref_model.evaluate(X, y), abs=0.05)


def test_training_continues_across_calls_like_one_call():
    """The experiments feed an epoch in chunks; chunks must equal one call on all of order."""
    rng = np.random.default_rng(3)
    X, y = classification_data(rng, 50, 20, 3, np.float64, bias=False)
    order = rng.permutation(50)
    whole, chunked = (mlp.MLP(20, 3, hidden_size=7, learning_rate=0.01) for _ in range(2))
    whole.train_epoch(X, y, order)
    chunked.train_epoch(X, y, order[:17])
    chunked.train_epoch(X, y, order[17:])
    for a, b in zip(
        whole.weights_ + whole.biases_, chunked.weights_ + chunked.biases_, strict=True
    ):
        np.testing.assert_array_equal(a, b)
