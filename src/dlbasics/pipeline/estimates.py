"""Per-step seconds for the ETA: built-in guesses, replaced by this output folder's own timings."""

from __future__ import annotations

from pathlib import Path

from dlbasics.pipeline.steps import STEPS
from dlbasics.results.io import read_json, write_json_atomic

# Rough seconds per step on an idle 2-core machine with the default engines, used for the ETA
# until this output folder has timings of its own (cache/timings.json).
ESTIMATES_FULL = {
    "verify-math": 10,
    "q2.2a": 12,
    "q2.2b": 25,
    "q3.1a": 15,
    "q3.1b": 15,
    "q3.2b": 50,
    "q3.2a": 50,
    "q4.1": 45,
    "q4.2": 90,
    "q4.3": 100,
}
ESTIMATES_QUICK = {
    "verify-math": 5,
    "q2.2a": 8,
    "q2.2b": 3,
    "q3.1a": 6,
    "q3.1b": 2,
    "q3.2b": 6,
    "q3.2a": 6,
    "q4.1": 10,
    "q4.2": 10,
    "q4.3": 10,
}


def timings_path(out: Path) -> Path:
    return out / "cache" / "timings.json"


def estimates(out: Path, quick: bool) -> dict[str, float]:
    """Per-step seconds for the ETA: this folder's last timings, else the built-in guesses."""
    table = dict(ESTIMATES_QUICK if quick else ESTIMATES_FULL)
    # A step that varies another's experiment (q2.2a-zscore ...) takes about as long as it.
    table |= {
        s.name: table[s.experiment] for s in STEPS if s.name not in table and s.experiment in table
    }
    recorded = read_json(timings_path(out)) or {}
    table.update(recorded.get("quick" if quick else "full", {}))
    return {name: float(seconds) for name, seconds in table.items()}


def record_timing(out: Path, quick: bool, name: str, seconds: float) -> None:
    recorded = read_json(timings_path(out)) or {}
    recorded.setdefault("quick" if quick else "full", {})[name] = round(seconds, 2)
    write_json_atomic(timings_path(out), recorded)
