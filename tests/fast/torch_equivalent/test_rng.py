"""The dropout generator (SplitMix64) and the dropout masks, against nn.Dropout's semantics."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from dlbasics.fast.torch_equivalent import rng
from tests.fast.torch_equivalent.torchlike import splitmix64


def test_dropout_generator_is_splitmix64():
    state = np.array([12345], dtype=np.uint64)
    np.testing.assert_array_equal(rng.uniforms(state, 6), splitmix64(12345, 6))
    np.testing.assert_array_equal(rng.uniforms(state, 3), splitmix64(12345, 9)[6:])


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
def test_dropout_keeps_one_minus_p_and_scales_by_its_inverse(p):
    n = 40_000
    a = np.random.default_rng(0).random(n).astype(np.float32) + np.float32(0.5)
    scale = np.float32(1) / np.float32(1 - p)  # torch: ones.div_(1 - p) in float32
    h, m = rng.dropout(a, 1 - p, scale, np.array([7], dtype=np.uint64))
    kept = m != 0
    sigma = np.sqrt(n * p * (1 - p))
    assert abs(kept.sum() - n * (1 - p)) < 5 * sigma
    assert set(np.unique(m)) == {np.float32(0), scale}
    np.testing.assert_array_equal(h, a * m)
    assert np.all(h[~kept] == 0)
    # torch's own masks for comparison: the same keep rate and the same scale value
    torch.manual_seed(0)
    t = nn.functional.dropout(torch.ones(n), p=p, training=True)
    assert set(torch.unique(t).tolist()) == {0.0, float(scale)}
    assert abs((t != 0).sum().item() - n * (1 - p)) < 5 * sigma


def test_no_dropout_draws_nothing():
    a = np.linspace(-1, 1, 11, dtype=np.float32)
    state = np.array([3], dtype=np.uint64)
    h, m = rng.dropout(a, 1.0, np.float32(1), state)
    np.testing.assert_array_equal(h, a)
    assert state[0] == 3
