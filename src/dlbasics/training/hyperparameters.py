"""The table of hyperparameters: each declared once, with its type, constraint and help.

The ``run`` command's flags (``--learning-rate`` ...), the validation of every configuration
(from the command line, a sweep grid or Python) and the docs' list of hyperparameters are all
derived from :data:`HYPERPARAMETERS`. An experiment's configuration is a frozen dataclass whose
fields are names of this table and whose defaults are the report's values; :func:`configure`
builds one from overrides and checks every value.

Messages name the flag (``--learning-rate``): this is the vocabulary of a run's configuration,
shared by the command line and the library.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from dlbasics.errors import ConfigError
from dlbasics.scratch.functions import ACTIVATIONS
from dlbasics.scratch.mlp import INITS

# The optimisers by name; torchnets.optim and the fast engine implement exactly these (tested).
OPTIMIZER_NAMES = ("sgd", "adam")
ACTIVATION_NAMES = tuple(ACTIVATIONS)


def _is_count(value: Any) -> bool:
    return int(value) == value and value >= 1


def _is_positive(value: Any) -> bool:
    return value > 0 and math.isfinite(value)


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter: ``check(value)`` says whether ``value`` obeys ``rule``."""

    name: str
    type: type
    help: str
    rule: str
    check: Callable[[Any], bool]
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        """The command-line flag: ``learning_rate`` -> ``--learning-rate``."""
        return as_flag(self.name)

    def validate(self, value: Any) -> None:
        try:
            valid = bool(self.check(value))
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise ConfigError(f"invalid {self.flag} {value!r}: {self.rule}")


def _choice(name: str, help: str, choices: tuple[str, ...]) -> Hyperparameter:
    rule = f"must be one of {', '.join(choices)}"
    return Hyperparameter(name, str, help, rule, lambda v: v in choices, choices)


def _count(name: str, help: str) -> Hyperparameter:
    return Hyperparameter(name, int, help, "must be an integer >= 1", _is_count)


HYPERPARAMETERS: dict[str, Hyperparameter] = {
    h.name: h
    for h in (
        _count("epochs", "Number of epochs."),
        Hyperparameter(
            "learning_rate", float, "Step size (> 0).", "must be a positive number", _is_positive
        ),
        _count("hidden_size", "Units per hidden layer."),
        _count("layers", "Number of hidden layers."),
        _choice("activation", f"{' or '.join(ACTIVATION_NAMES)}.", ACTIVATION_NAMES),
        Hyperparameter(
            "dropout",
            float,
            "Dropout probability in [0, 1).",
            "must be in [0, 1)",
            lambda v: 0 <= v < 1,
        ),  # fmt: skip
        _choice("optimizer", f"{' or '.join(OPTIMIZER_NAMES)}.", OPTIMIZER_NAMES),
        Hyperparameter(
            "l2_decay",
            float,
            "L2 penalty (>= 0).",
            "must be >= 0",
            lambda v: v >= 0 and math.isfinite(v),
        ),  # fmt: skip
        _count("batch_size", "Examples per update."),
        _choice(
            "init",
            f"Weight initialisation: {', '.join(INITS[:-1])} or {INITS[-1]}.",
            INITS,
        ),
    )
}


def as_flag(name: str) -> str:
    """The command-line flag of a hyperparameter: ``learning_rate`` -> ``--learning-rate``."""
    return "--" + name.replace("_", "-")


Config = TypeVar("Config")


def configure(config_type: type[Config], overrides: dict[str, Any], owner: str) -> Config:
    """``config_type`` (a dataclass of the report's defaults) with ``overrides`` applied.

    None values are ignored; a name the configuration does not have, or a value that breaks
    its rule, is a :class:`~dlbasics.errors.ConfigError` (``owner`` names the experiment).
    """
    overrides = {k: v for k, v in overrides.items() if v is not None}
    names = [f.name for f in dataclasses.fields(config_type)]  # type: ignore[arg-type]
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise ConfigError(
            f"{owner} does not take {', '.join(map(as_flag, unknown))}; "
            f"its hyperparameters are: {', '.join(map(as_flag, names))}"
        )
    config = config_type(**overrides)
    for name, value in dataclasses.asdict(config).items():  # type: ignore[call-overload]
        HYPERPARAMETERS[name].validate(value)
    return config


def as_dict(config: Any) -> dict[str, Any]:
    """The configuration as the plain dict that metrics.json and the sweeps record."""
    return dataclasses.asdict(config)


def markdown_table() -> str:
    """The table as Markdown, for docs/hyperparameters.md (a test keeps the two equal)."""
    lines = ["| name | flag | type | rule | help |", "|---|---|---|---|---|"]
    for h in HYPERPARAMETERS.values():
        lines.append(f"| `{h.name}` | `{h.flag}` | {h.type.__name__} | {h.rule} | {h.help} |")
    return "\n".join(lines) + "\n"
