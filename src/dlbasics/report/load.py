"""What each step left in its cache folder, read back for the report (no data is loaded here)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dlbasics.results.io import read_json
from dlbasics.results.steps import StepOutcome


@dataclass
class StepData:
    """What one step left in its cache folder, loaded for the report."""

    outcome: StepOutcome
    metrics: dict[str, Any] | None = None
    sweep: dict[str, Any] | None = None
    claims: list[dict[str, Any]] | None = None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    figures: list[Path] = field(default_factory=list)  # PNGs in the step's folder, sorted

    @property
    def name(self) -> str:
        return self.outcome.step.name


def load_step(outcome: StepOutcome) -> StepData:
    data = StepData(outcome)
    if outcome.status == "not run":
        return data
    folder = outcome.dir
    data.metrics = read_json(folder / "metrics.json")
    data.sweep = read_json(folder / "sweep.json")
    claims = read_json(folder / "verify-math.json")
    data.claims = claims.get("claims") if claims else None
    if (folder / "arrays.npz").exists():
        try:
            with np.load(folder / "arrays.npz") as npz:
                data.arrays = {name: npz[name] for name in npz.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile):  # damaged: no arrays
            data.arrays = {}
    data.figures = sorted(folder.glob("*.png")) if folder.is_dir() else []
    return data


@dataclass
class SeedResults:
    """Each step's results over the seeds, in the reproduction's seed order.

    ``values[step]``: one result per seed whose run of ``step`` finished: the ``metrics.json``
    dict of an experiment, the ``sweep.json`` dict of a sweep (each as if that seed had run
    alone); ``seeds[step]``: their seeds, in the same order.
    """

    values: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seeds: dict[str, list[int]] = field(default_factory=dict)

    def of(self, step: str) -> list[dict[str, Any]]:
        """The per-seed results of ``step`` ([] when none finished)."""
        return self.values.get(step, [])


def group_by_seed(steps: list[StepData], seed_order: tuple[int, ...]) -> SeedResults:
    """The finished results of ``steps`` (one per step and seed) grouped per step, in
    ``seed_order``; a step outcome without a seed counts as the first seed."""
    grouped = SeedResults()
    rank = {seed: index for index, seed in enumerate(seed_order)}
    finished = [data for data in steps if data.outcome.status == "ok"]
    for data in sorted(finished, key=lambda d: rank.get(_seed_of(d, seed_order), len(rank))):
        result = data.sweep if data.outcome.step.kind == "sweep" else data.metrics
        if result is None:
            continue
        grouped.values.setdefault(data.name, []).append(result)
        grouped.seeds.setdefault(data.name, []).append(_seed_of(data, seed_order))
    return grouped


def _seed_of(data: StepData, seed_order: tuple[int, ...]) -> int:
    seed = data.outcome.seed
    return seed_order[0] if seed is None else seed
