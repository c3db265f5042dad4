"""The hyperparameter table: one declaration, from which flags, validation and docs derive."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dlbasics.errors import ConfigError
from dlbasics.experiments import registry
from dlbasics.training.hyperparameters import (
    ACTIVATION_NAMES,
    HYPERPARAMETERS,
    OPTIMIZER_NAMES,
    configure,
    markdown_table,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "hyperparameters.md"


def test_docs_hold_the_table_as_generated():
    assert DOCS.read_text().endswith(markdown_table())


def test_every_experiment_configuration_is_made_of_declared_hyperparameters():
    for name in registry.names():
        config_type = registry.get(name).config_type
        assert dataclasses.is_dataclass(config_type)
        for field in dataclasses.fields(config_type):
            assert field.name in HYPERPARAMETERS, (name, field.name)
            HYPERPARAMETERS[field.name].validate(field.default)  # the defaults obey the rules


def test_the_choices_are_what_every_engine_implements():
    from dlbasics.fast.torch_equivalent import network
    from dlbasics.torchnets.models import ACTIVATIONS as TORCH_ACTIVATIONS
    from dlbasics.torchnets.optim import OPTIMIZERS

    assert tuple(OPTIMIZERS) == OPTIMIZER_NAMES
    assert set(network._OPTIMIZERS) == set(OPTIMIZER_NAMES)
    from dlbasics.experiments import q4

    assert tuple(TORCH_ACTIVATIONS) == q4.TORCH_ACTIVATIONS  # Q4 refuses the rest
    assert set(ACTIVATION_NAMES) == {*TORCH_ACTIVATIONS, "identity"}


def test_configure_applies_overrides_and_checks_them():
    config_type = registry.get("q3.2b").config_type
    config = configure(config_type, {"hidden_size": 8, "layers": None}, "q3.2b")
    assert config.hidden_size == 8 and config.layers == 1  # None means "not given"
    with pytest.raises(ConfigError, match=r"invalid --hidden-size 0: must be an integer >= 1"):
        configure(config_type, {"hidden_size": 0}, "q3.2b")
    with pytest.raises(ConfigError, match="q3.2b does not take --dropout"):
        configure(config_type, {"dropout": 0.1}, "q3.2b")
    assert isinstance(ConfigError("x"), ValueError)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("epochs", 99999999999999999999),
        ("epochs", 10_001),
        ("hidden_size", 100_000_000_000),
        ("layers", 1_000_000_000),
        ("batch_size", 10**7),
        ("epochs", float("inf")),  # int(inf) overflows: still one ConfigError
        ("epochs", float("nan")),
        ("hidden_size", 2.5),
    ],
)
def test_integers_have_an_upper_bound_and_overflow_is_a_config_error(name, value):
    maximum = {"epochs": 10_000, "hidden_size": 1_000_000, "layers": 1_000, "batch_size": 10**6}
    with pytest.raises(ConfigError) as info:
        HYPERPARAMETERS[name].validate(value)
    assert str(info.value) == (
        f"invalid {HYPERPARAMETERS[name].flag} {value!r}: "
        f"must be an integer >= 1 and <= {maximum[name]}"
    )
    HYPERPARAMETERS[name].validate(maximum[name])  # the bound itself is allowed


def test_seeds_are_integers_from_zero_to_the_generators_limit():
    from dlbasics.training.hyperparameters import MAX_SEED, check_seed

    assert check_seed(0) == 0 and check_seed(MAX_SEED) == MAX_SEED
    for bad in (-1, MAX_SEED + 1, 10**20, 1.5, True, "3"):
        with pytest.raises(ConfigError, match=r"invalid --seed .*: must be an integer >= 0"):
            check_seed(bad)
