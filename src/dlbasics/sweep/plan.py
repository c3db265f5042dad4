"""What a sweep command runs: its request, each configuration's identity, and the queue.

:func:`plan` turns a grid into validated configurations, each with its identity
(:func:`trial_key`: every setting that determines its result), so that a study can hold several
grids and settings side by side and a rerun runs only what is missing. :func:`enqueue_missing`
adds one WAITING trial for each configuration the study does not hold yet, costliest first.

Why not Optuna's ``GridSampler``: it picks grid points itself when a trial starts, and under
concurrency two workers can pick the same point (Optuna documents this); the extended grid is
also not a Cartesian product. Why not ``enqueue_trial(skip_if_exists=True)``: it compares the
parameters only (not the seed, engine or data), and its look-then-add is not atomic across
processes; ours runs under :func:`dlbasics.sweep.storage.enqueue_lock`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dlbasics.data.options import DataOptions
from dlbasics.errors import ConfigError
from dlbasics.experiments import registry
from dlbasics.experiments.runner import validate_config
from dlbasics.sweep.attributes import KEY
from dlbasics.sweep.grids import SweepDefinition, get_sweep
from dlbasics.sweep.queue import is_live
from dlbasics.sweep.storage import StorageSpec, enqueue_lock


@dataclass(frozen=True)
class Request:
    """What a sweep command asked for, beyond the grid: the same for every configuration."""

    name: str
    grid: str
    epochs: int | None
    seed: int
    engine: str
    data: DataOptions


def trial_key(experiment: str, config: dict[str, Any], request: Request) -> str:
    """Canonical text of everything that determines a trial's result (its identity)."""
    return json.dumps(
        {
            "experiment": experiment,
            "config": config,
            "seed": request.seed,
            "engine": request.engine,
            "data_limit": request.data.limit,
        },
        sort_keys=True,
    )


@dataclass(frozen=True)
class Planned:
    """One configuration of the grid, validated, with its identity."""

    index: int
    config: dict[str, Any]
    key: str


def plan(
    definition: SweepDefinition, request: Request, base: dict[str, Any] | None = None
) -> list[Planned]:
    """The validated configurations of ``request.grid``, in grid order, without repeats."""
    if request.grid not in definition.grids:
        raise ConfigError(
            f"sweep {definition.name} has no grid {request.grid!r}; "
            f"choose one of: {', '.join(definition.grids)}"
        )
    experiment = registry.get(definition.experiment)
    if request.engine not in experiment.engines:
        raise ConfigError(
            f"{experiment.name} cannot run on engine {request.engine!r}; "
            f"choose one of: {', '.join(experiment.engines)}"
        )
    base = dict(base or {})
    if request.epochs is not None:
        base["epochs"] = request.epochs
    planned: list[Planned] = []
    seen: set[str] = set()
    for overrides in definition.grids[request.grid](base):
        config = validate_config(experiment, overrides)
        key = trial_key(experiment.name, config, request)
        if key not in seen:
            seen.add(key)
            planned.append(Planned(len(planned), config, key))
    return planned


def estimated_cost(config: dict[str, Any]) -> float:
    """Rough relative work of one configuration, to order the queue (only the order matters):
    weights updated per example (a 784-pixel input) times epochs, counted three times with Adam,
    whose moment estimates make every update several passes over the weights (docs/sweeps.md)."""
    hidden = int(config.get("hidden_size") or 0)
    layers = int(config.get("layers") or 1)
    weights = 784 * hidden + (layers - 1) * hidden * hidden if hidden else 784 * 10
    return (
        weights * int(config.get("epochs") or 1) * (3 if config.get("optimizer") == "adam" else 1)
    )


def enqueue_missing(
    spec: StorageSpec,
    storage: Any,
    study: Any,
    planned: list[Planned],
    sweep: str,
    request: Request,
) -> int:
    """Add a WAITING trial for every planned configuration without a live trial; return how
    many were added.

    Workers take waiting trials in the order they were added, so the costliest go first: the
    cheap ones then fill the gaps at the end instead of one long trial running alone.
    """
    added = 0
    space = get_sweep(sweep).space
    with enqueue_lock(spec, storage, study.study_name):
        live = {t.user_attrs.get(KEY) for t in study.get_trials(deepcopy=False) if is_live(t)}
        for item in sorted(planned, key=lambda item: -estimated_cost(item.config)):
            if item.key in live:
                continue
            params = {k: v for k, v in item.config.items() if v in space.get(k, ())}
            study.enqueue_trial(
                params,
                user_attrs={
                    KEY: item.key,
                    "config": item.config,
                    "sweep": sweep,
                    "seed": request.seed,
                    "engine": request.engine,
                    "data_limit": request.data.limit,
                },
            )
            added += 1
    return added
