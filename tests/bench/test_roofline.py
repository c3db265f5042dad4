"""The rooflines: the work one example needs, and the floor the machine's rates put on it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlbasics.bench import probes, roofline
from tests.bench.test_targets import PROBES


def pixels(n=50, d=785, dtype=np.float64):
    X = np.zeros((n, d), dtype=dtype)
    X[:, : d // 2] = 0.5  # half the inputs non-zero
    return X


def test_linear_models_read_their_row_and_all_of_w():
    work = roofline.work("perceptron", pixels())
    assert work["dram_bytes"] == 785 * 8
    assert work["l2_bytes"] == 10 * 785 * 8
    assert work["flops"] == 2 * 10 * 785
    assert roofline.work("logistic", pixels())["l2_bytes"] == 2 * 10 * 785 * 8  # read + write


def test_the_mlp_first_layer_counts_only_non_zero_inputs():
    work = roofline.work("mlp", pixels(d=784, dtype=np.float32))
    assert work["nonzero"] == 392
    assert work["l2_bytes"] == 2 * 392 * 200 * 4


def test_adam_touches_every_weight_and_divides():
    work = roofline.work("q4", pixels(d=784, dtype=np.float32))
    parameters = 784 * 200 + 200 * 10 + 200 + 10
    assert work["l3_bytes"] == 6 * parameters * 4
    assert work["divider_ops"] == 3 * parameters
    seconds, bound = roofline.floor(work, PROBES, "float32")
    divider = parameters * (2 / 6.0 + 1 / 5.0) / 1e9
    memory = 24 * parameters / 25e9
    assert seconds == pytest.approx(max(divider, memory))
    assert bound == ("divider" if divider > memory else "l3")


def test_floor_is_the_slowest_resource():
    seconds, bound = roofline.floor({"dram_bytes": 8e3, "flops": 1e3}, PROBES, "float64")
    assert bound == "dram" and seconds == pytest.approx(8e3 / 8e9)
    assert math.isnan(roofline.floor({}, PROBES, "float64")[0])
    with pytest.raises(ValueError, match="no roofline"):
        roofline.work("resnet", pixels())


def test_small_probes_measure_something():
    assert probes._triad_gbs(64 * 1024, work_bytes=1e7) > 0
    assert probes._chain_rate(np.float64, 0, 0.999, 1e-4, 0.1, 10_000) > 0
    assert probes._chain_rate(np.float32, 1, 1.0000001, 0.0, 1.0, 1_000) > 0
    assert all(value > 0 for value in probes.cache_sizes().values())
