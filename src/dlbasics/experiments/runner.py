"""Run one registered experiment: validate, train, time, and write metrics.json and figures."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from dlbasics.data.options import DataOptions
from dlbasics.errors import ConfigError
from dlbasics.experiments import registry
from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.plotting.run_figures import draw_run_figure
from dlbasics.results.io import save_with, write_json_atomic
from dlbasics.results.provenance import library_versions
from dlbasics.training.hyperparameters import as_dict, configure


def validate_config(experiment: Experiment, overrides: dict[str, Any]) -> dict[str, Any]:
    """The defaults of ``experiment`` with ``overrides`` (None values ignored), every value
    checked against the hyperparameter table; as the plain dict that records hold."""
    return as_dict(configure(experiment.config_type, overrides, experiment.name))


def run_experiment(
    name: str,
    overrides: dict[str, Any] | None = None,
    *,
    seed: int = 42,
    engine: str | None = None,
    out_dir: str | Path | None = None,
    data: DataOptions | None = None,
    quiet: bool = True,
    device: str = "cpu",
) -> dict[str, Any]:
    """Train experiment ``name`` and return its metrics (also written to ``out_dir``).

    ``out_dir`` None writes nothing (used by tests and sweeps that keep their own records).
    """
    experiment = registry.get(name)
    typed_config: Any = configure(experiment.config_type, overrides or {}, name)
    config = as_dict(typed_config)
    engine = engine or experiment.default_engine
    if engine not in experiment.engines:
        raise ConfigError(
            f"{name} cannot run on engine {engine!r}; choose one of: {', '.join(experiment.engines)}"
        )
    if engine != "torch" and device not in ("cpu", "auto"):  # NumPy engines run on the CPU
        hint = " or add --engine torch" if "torch" in experiment.engines else ""
        raise ConfigError(
            f"--device {device} is for the torch engine; {name} runs on engine {engine!r} "
            f"(NumPy, CPU only): drop --device{hint}"
        )
    if out_dir is not None:
        ensure_writable(Path(out_dir))  # fail before training, not after
    context = RunContext(
        config=typed_config,
        seed=seed,
        engine=engine,
        data=data or DataOptions(),
        show_progress=not quiet,
        device=device,
    )
    start = time.perf_counter()
    result: RunResult = experiment.train(context)
    wall = time.perf_counter() - start
    metrics: dict[str, Any] = {
        "experiment": name,
        "title": experiment.title,
        "task": experiment.task,
        "config": config,
        "seed": seed,
        "engine": engine,
        "device": device,
        "data_limit": context.data.limit,
        "versions": library_versions(),
        "wall_seconds": round(wall, 3),
        "status": result.status,
        "message": result.message,
        "history": result.history,
        "final": result.final,
    }
    if out_dir is not None:
        out = Path(out_dir)
        write_metrics(out, metrics, result.arrays)
        if experiment.figure is not None:
            kind, filename = experiment.figure
            draw_run_figure(kind, metrics, out / filename)
    return metrics


def ensure_writable(folder: Path) -> None:
    """Check that ``folder`` can be created or written in, without creating anything."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"cannot write to {folder}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"cannot write to {folder}: {existing} is not writable")


def write_metrics(out: Path, metrics: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if arrays:
        save_with(out / "arrays.npz", lambda tmp: _savez(tmp, arrays))
    write_json_atomic(out / "metrics.json", metrics)


def _savez(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as handle:  # a file object keeps numpy from appending ".npz"
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]  # numpy's stub: allow_pickle
