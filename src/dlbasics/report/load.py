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
