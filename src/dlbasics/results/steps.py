"""The record of one reproduction step: what it is, what happened to it, and its ``done.json``.

The pipeline fills these records in as it runs the steps; the report reads them. A step's cache
folder is complete when its ``done.json`` exists and holds the step's key (so a folder whose key
no longer matches is not taken for a finished step), and it is trusted only while its files
match the ``manifest.json`` written after ``done.json``, atomically, as the folder's very last
file (:mod:`dlbasics.results.manifest`): a damaged cache is computed again, never read back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dlbasics.results.io import read_json, write_json_atomic
from dlbasics.results.manifest import check_manifest, remove_manifest, write_manifest

StepKind = Literal["verify-math", "experiment", "sweep"]

DONE = "done.json"
# When an attempt at the step began: bookkeeping, rewritten by every attempt, not a result.
STARTED = "started.json"


@dataclass(frozen=True)
class Step:
    """One step of the reproduction.

    ``experiment``: the registered experiment that does the training (for a sweep, the one each
    trial runs), which also says which engines the step supports.
    ``needs``: steps whose results this one reads (q4.3 starts from q4.2's best configuration).
    ``overrides``: hyperparameters this step sets on its experiment, as ``(name, value)`` pairs
    (e.g. the MLP with the identity activation).
    ``supplementary``: the step only feeds other parts of the report (the claims, the Ames
    sensitivity) and gets no section of its own.
    """

    name: str
    kind: StepKind
    numbering: str
    title: str
    experiment: str | None = None
    needs: tuple[str, ...] = ()
    overrides: tuple[tuple[str, Any], ...] = ()
    supplementary: bool = False


@dataclass
class StepOutcome:
    """What happened to one step in this reproduction (or in an earlier, cached one).

    One per step and seed. ``status``: ``ok``, ``failed``, or ``not run`` (left out by --only and not in the cache).
    ``cache_problem``: why a finished step's cached files were not trusted (they failed their
    manifest), "" when they were or when there was nothing cached.
    """

    step: Step
    status: str
    key: dict[str, Any]
    dir: Path
    seed: int | None = None  # the run's seed (None: the reproduction's one seed)
    cached: bool = False
    engine: str | None = None
    engine_note: str = ""
    error: str = ""
    wall_seconds: float | None = None
    cpu_seconds: float | None = None  # CPU time of this process and its workers, all threads
    finished_at: str | None = None
    notes: list[str] = field(default_factory=list)
    cache_problem: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def read_done(outcome: StepOutcome) -> bool:
    """Fill ``outcome`` in from its folder's ``done.json`` if that records the same key and the
    folder's files match their manifest.

    Returns whether it did (the step is then cached, finished or failed). A folder that fails
    its manifest is not read: ``outcome.cache_problem`` says which file and why.
    """
    done = read_json(outcome.dir / DONE)
    if not isinstance(done, dict) or done.get("key") != outcome.key:
        return False
    outcome.cache_problem = check_manifest(outcome.dir)
    if outcome.cache_problem:
        return False
    outcome.status = done.get("status", "failed")
    outcome.cached = True
    outcome.error = done.get("error", "")
    outcome.wall_seconds = done.get("wall_seconds")
    outcome.cpu_seconds = done.get("cpu_seconds")
    outcome.finished_at = done.get("finished_at")
    outcome.engine_note = done.get("engine_note", outcome.engine_note)
    return True


def unseal(outcome: StepOutcome) -> None:
    """Before a step runs again in its folder: no manifest, no ``done.json`` (in that order, so
    that a crash at any point leaves a folder that is not taken for a finished step)."""
    remove_manifest(outcome.dir)
    (outcome.dir / DONE).unlink(missing_ok=True)


def write_done(outcome: StepOutcome, skip: Iterable[str] = ()) -> None:
    """Write the folder's ``done.json``, which marks the step complete, then seal the folder
    with its manifest, the very last file.

    ``skip``: glob patterns of the files in the folder that are not the step's result and may
    change after it (``started.json`` always is one).
    """
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
    write_manifest(outcome.dir, (STARTED, *skip))
