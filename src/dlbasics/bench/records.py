"""What ``dlbasics bench`` is asked (:class:`BenchOptions`) and what it finds: one
:class:`Measurement` per engine and case, gathered in a :class:`BenchReport` (bench.json)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Measurement:
    """One engine on one case."""

    case: str
    engine: str
    detail: str
    epochs: int
    examples: int
    seconds_per_epoch: float
    total_seconds: float
    compile_seconds: float | None = None
    peak_rss_mb: float = math.nan
    note: str = ""
    # fast engine: what one example needs at least (dlbasics.bench.roofline.work)
    work: dict[str, float] = field(default_factory=dict)


@dataclass
class BenchOptions:
    epochs: int = 1  # epochs per measurement of the MLP-sized cases
    linear_epochs: int = 20  # epochs of the perceptron / logistic regression comparison
    limit: int | None = None  # training examples (None: all 50,000)
    data_dir: Path | None = None
    skip: tuple[str, ...] = ()  # engines to leave out, e.g. ("reference",)
    cases: tuple[str, ...] = ()  # cases to run (empty: all), e.g. ("mlp", "q4")
    probes: bool = True  # measure the machine's bandwidths and peaks first (the rooflines)


@dataclass
class BenchReport:
    machine: dict[str, Any]
    options: dict[str, Any]
    measurements: list[Measurement]
    ratios: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def probes(self) -> dict[str, Any]:
        """The machine's measured bandwidths and peaks (``machine["probes"]``, from
        :func:`dlbasics.bench.probes.measure`); empty if they were not measured."""
        return self.machine.get("probes") or {}

    def to_json(self) -> str:
        from dlbasics.results.io import to_jsonable

        payload = {
            "machine": self.machine,
            "options": self.options,
            "measurements": [asdict(m) for m in self.measurements],
            "ratios": self.ratios,
            "notes": self.notes,
        }
        return json.dumps(to_jsonable(payload), indent=2, allow_nan=False)
