"""The registry of the report's runs, looked up by name (``q2.2a`` ... ``q4-ffn``)."""

from __future__ import annotations

import importlib

from dlbasics.errors import ConfigError
from dlbasics.experiments.base import Experiment

# Each module registers its experiments when imported. Add a module here to add experiments.
_MODULES = ("dlbasics.experiments.q2", "dlbasics.experiments.q3", "dlbasics.experiments.q4")

_EXPERIMENTS: dict[str, Experiment] = {}
_loaded = False


def register(experiment: Experiment) -> Experiment:
    if experiment.name in _EXPERIMENTS:
        raise ValueError(f"experiment {experiment.name!r} registered twice")
    _EXPERIMENTS[experiment.name] = experiment
    return experiment


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in _MODULES:
            importlib.import_module(module)
        _loaded = True


def names() -> list[str]:
    _load()
    return list(_EXPERIMENTS)


def get(name: str) -> Experiment:
    _load()
    try:
        return _EXPERIMENTS[name]
    except KeyError:
        raise ConfigError(
            f"unknown experiment {name!r}; choose one of: {', '.join(_EXPERIMENTS)}"
        ) from None
