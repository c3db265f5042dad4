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
    assert tuple(TORCH_ACTIVATIONS) == ACTIVATION_NAMES


def test_configure_applies_overrides_and_checks_them():
    config_type = registry.get("q3.2b").config_type
    config = configure(config_type, {"hidden_size": 8, "layers": None}, "q3.2b")
    assert config.hidden_size == 8 and config.layers == 1  # None means "not given"
    with pytest.raises(ConfigError, match=r"invalid --hidden-size 0: must be an integer >= 1"):
        configure(config_type, {"hidden_size": 0}, "q3.2b")
    with pytest.raises(ConfigError, match="q3.2b does not take --dropout"):
        configure(config_type, {"dropout": 0.1}, "q3.2b")
    assert isinstance(ConfigError("x"), ValueError)
