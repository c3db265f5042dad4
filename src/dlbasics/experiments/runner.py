"""Run one registered experiment: validate, train, judge, time, and write its output folder.

Before anything loads: the configuration against the hyperparameter table, the seed, the
engine and device, the weights' memory against this machine's (:mod:`.memory`) and the output
folder's permissions. After training, a finite run that learned nothing becomes ``"stalled"``
(:mod:`dlbasics.training.verdict`).

The output folder (metrics.json, arrays.npz, the figure, the trained model: model.json beside
model.npz or model.pt) appears whole or not at all
(:mod:`dlbasics.results.staging`): a folder holding only a run's files is rebuilt beside itself
and swapped in, so no file of an earlier run survives next to the new ones; a folder that holds
other things too (a reproduction step's folder) gets the new files moved in together, and only
the earlier run's own files that this run did not write are removed.
"""

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
from dlbasics.experiments.memory import check_memory
from dlbasics.plotting.run_figures import draw_run_figure
from dlbasics.results.io import read_json, save_with, write_json_atomic
from dlbasics.results.provenance import library_versions
from dlbasics.results.staging import staged_files, staged_folder
from dlbasics.training.hyperparameters import as_dict, check_seed, configure
from dlbasics.training.saved_models import MODEL_FILES, save_model
from dlbasics.training.verdict import stall_message

METRICS = "metrics.json"
ARRAYS = "arrays.npz"


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
    check_seed(seed)
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
    check_memory(experiment, config)
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
    status, message = judge(experiment, config, result)
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
        "status": status,
        "message": message,
        "history": result.history,
        "final": result.final,
    }
    if out_dir is not None:
        write_outputs(Path(out_dir), metrics, result, experiment.figure)
    return metrics


def judge(experiment: Experiment, config: dict[str, Any], result: RunResult) -> tuple[str, str]:
    """The run's status and message: the training's own, or ``"stalled"`` and why."""
    if result.status != "ok":
        return result.status, result.message
    why = stall_message(
        result.history,
        accuracy=result.final.get("dev_acc"),
        chance=experiment.chance,
        learning_rate=config.get("learning_rate"),
        usual_learning_rate=experiment.defaults.get("learning_rate"),
    )
    return ("stalled", why) if why else ("ok", result.message)


def ensure_writable(folder: Path) -> None:
    """Check that ``folder`` can be created or written in, without creating anything."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"cannot write to {folder}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"cannot write to {folder}: {existing} is not writable")


def run_files() -> set[str]:
    """The names of every file a run may write: metrics, arrays, the model, each figure."""
    figures = {e.figure[1] for e in map(registry.get, registry.names()) if e.figure is not None}
    return {METRICS, ARRAYS, *MODEL_FILES, *figures}


def previous_run_files(out: Path) -> set[str]:
    """The files the run recorded in ``out/metrics.json`` wrote (none if there is no such run)."""
    previous = read_json(out / METRICS)
    if not isinstance(previous, dict):
        return set()
    names = {METRICS, ARRAYS, *MODEL_FILES}
    try:
        figure = registry.get(str(previous.get("experiment"))).figure
    except ConfigError:
        figure = None
    return names | ({figure[1]} if figure is not None else set())


def write_outputs(
    out: Path,
    metrics: dict[str, Any],
    result: RunResult,
    figure: tuple[str, str] | None,
) -> None:
    """Write the run's files into ``out``, all or nothing (see the module docstring)."""
    entries = {entry.name for entry in out.iterdir()} if out.is_dir() else set()
    if entries <= run_files():
        with staged_folder(out) as staging:
            _write_files(staging, metrics, result, figure)
        return
    stale = previous_run_files(out)
    with staged_files(out) as staging:
        written = _write_files(staging, metrics, result, figure)
    for name in stale - written:
        (out / name).unlink(missing_ok=True)


def _write_files(
    folder: Path,
    metrics: dict[str, Any],
    result: RunResult,
    figure: tuple[str, str] | None,
) -> set[str]:
    """Write metrics.json, arrays.npz (if any), the model (if any) and the figure (if drawn)
    into ``folder``."""
    arrays = result.arrays
    if arrays:
        save_with(folder / ARRAYS, lambda tmp: _savez(tmp, arrays))
    if result.model is not None and metrics["status"] != "diverged":  # NaN weights help no one
        save_model(
            result.model,
            folder,
            engine=metrics["engine"],
            experiment=metrics["experiment"],
            hyperparameters=metrics["config"],
            seed=metrics["seed"],
            class_names=result.class_names,
        )
    if figure is not None:
        draw_run_figure(figure[0], metrics, folder / figure[1])  # nothing for an empty history
    write_json_atomic(folder / METRICS, metrics)
    return {path.name for path in folder.iterdir()}


def _savez(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as handle:  # a file object keeps numpy from appending ".npz"
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]  # numpy's stub: allow_pickle
