"""The record of one reproduction step: what it is, what happened to it, and its ``done.json``.

The pipeline fills these records in as it runs the steps; the report reads them. A step's cache
folder is complete when its ``done.json`` exists: it is written last, atomically, and holds the
step's key, so a folder whose key no longer matches is not taken for a finished step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dlbasics.results.io import read_json, write_json_atomic

StepKind = Literal["verify-math", "experiment", "sweep"]

DONE = "done.json"


@dataclass(frozen=True)
class Step:
    """One step of the reproduction.

    ``experiment``: the registered experiment that does the training (for a sweep, the one each
    trial runs), which also says which engines the step supports.
    ``needs``: steps whose results this one reads (q4.3 starts from q4.2's best configuration).
    """

    name: str
    kind: StepKind
    numbering: str
    title: str
    experiment: str | None = None
    needs: tuple[str, ...] = ()


@dataclass
class StepOutcome:
    """What happened to one step in this reproduction (or in an earlier, cached one).

    ``status``: ``ok``, ``failed``, or ``not run`` (left out by --only and not in the cache).
    """

    step: Step
    status: str
    key: dict[str, Any]
    dir: Path
    cached: bool = False
    engine: str | None = None
    engine_note: str = ""
    error: str = ""
    wall_seconds: float | None = None
    cpu_seconds: float | None = None  # CPU time of this process and its workers, all threads
    finished_at: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def read_done(outcome: StepOutcome) -> bool:
    """Fill ``outcome`` in from its folder's ``done.json`` if that records the same key.

    Returns whether it did (the step is then cached, finished or failed).
    """
    done = read_json(outcome.dir / DONE)
    if done is None or done.get("key") != outcome.key:
        return False
    outcome.status = done.get("status", "failed")
    outcome.cached = True
    outcome.error = done.get("error", "")
    outcome.wall_seconds = done.get("wall_seconds")
    outcome.cpu_seconds = done.get("cpu_seconds")
    outcome.finished_at = done.get("finished_at")
    outcome.engine_note = done.get("engine_note", outcome.engine_note)
    return True


def write_done(outcome: StepOutcome) -> None:
    """Write the folder's ``done.json``: the last file of a step, which marks it complete."""
    record = {
        "key": outcome.key,
        "step": outcome.step.name,
        "status": outcome.status,
        "error": outcome.error,
        "engine": outcome.engine,
        "engine_note": outcome.engine_note,
        "wall_seconds": outcome.wall_seconds,
        "cpu_seconds": outcome.cpu_seconds,
        "finished_at": outcome.finished_at,
    }
    write_json_atomic(outcome.dir / DONE, record)
