"""Packing layers into the kernels' flat transposed buffers and back."""

from __future__ import annotations

import numpy as np

from dlbasics.fast.layers import pack_layers, unpack_layers


def test_pack_unpack_round_trip():
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(4, 3)), rng.normal(size=(2, 4))]
    biases = [rng.normal(size=4), rng.normal(size=2)]
    wt, b, sizes = pack_layers(weights, biases, np.dtype(np.float64))
    assert list(sizes) == [3, 4, 2]
    assert wt[:12].reshape(3, 4).tolist() == weights[0].T.tolist()
    back_w, back_b = unpack_layers(wt, b, sizes)
    for got, want in zip(back_w + back_b, weights + biases, strict=True):
        np.testing.assert_array_equal(got, want)
        assert got.flags.c_contiguous
