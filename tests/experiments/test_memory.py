"""The weights' memory estimate and its refusal before anything is allocated."""

from __future__ import annotations

import pytest

from dlbasics.errors import ConfigError
from dlbasics.experiments import registry
from dlbasics.experiments.memory import (
    available_memory,
    check_memory,
    human_bytes,
    parameter_count,
    weights_bytes,
)
from dlbasics.experiments.runner import validate_config

GB = 10**9


def test_parameter_count_is_weights_plus_biases_layer_by_layer():
    assert parameter_count((784, 10), 200, 1) == 784 * 200 + 200 + 200 * 10 + 10
    assert parameter_count((4, 3), 5, 2) == (4 * 5 + 5) + (5 * 5 + 5) + (5 * 3 + 3)
    assert parameter_count((785, 10), 0, 0) == 785 * 10 + 10  # a linear model


def test_the_estimate_counts_bytes_per_weight_and_the_copies_training_keeps():
    q32b = registry.get("q3.2b")
    config = validate_config(q32b, {})
    assert weights_bytes(q32b, config) == parameter_count((784, 10), 200, 1) * 8 * 2
    q4 = registry.get("q4-ffn")
    sgd = weights_bytes(q4, validate_config(q4, {}))
    adam = weights_bytes(q4, validate_config(q4, {"optimizer": "adam"}))
    assert adam == 2 * sgd == parameter_count((784, 10), 200, 1) * 4 * 4  # float32, Adam moments


def test_every_report_configuration_fits_a_small_machine():
    for name in registry.names():
        experiment = registry.get(name)
        check_memory(experiment, validate_config(experiment, {}), available=GB)


def test_too_big_a_network_is_refused_with_both_figures():
    q32b = registry.get("q3.2b")
    config = validate_config(q32b, {"hidden_size": 1_000_000, "layers": 10})
    with pytest.raises(ConfigError) as info:
        check_memory(q32b, config, available=21 * GB)
    assert str(info.value) == (
        "--hidden-size 1000000 --layers 10 needs about 144 TB for the weights; "
        "this machine has 21 GB available"
    )


def test_human_bytes():
    assert [human_bytes(n) for n in (512, 1500, 21 * GB, 6.27e14, 3.2e19)] == [
        "512 B",
        "1.5 KB",
        "21 GB",
        "627 TB",
        "32000 PB",
    ]


def test_available_memory_is_read_from_the_machine():
    available = available_memory()
    assert available is None or available > 0
