"""One unit of a reproduction run in its cache folder: the step's record, ``done.json`` last.

Shared by the one-seed loop (:mod:`dlbasics.pipeline.run`) and the workers of a many-seed or
shared-storage reproduction (:mod:`dlbasics.pipeline.units`).
"""

from __future__ import annotations

import resource
import shutil
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from dlbasics.errors import DlbasicsError
from dlbasics.pipeline.adapters import StepFailed, working_files
from dlbasics.pipeline.options import ReproduceOptions
from dlbasics.pipeline.steps import Step
from dlbasics.results.io import write_json_atomic, write_text_atomic
from dlbasics.results.staging import WRITE_ERRNOS, OutputError, describe_write_error
from dlbasics.results.steps import STARTED, StepOutcome, unseal, write_done

StepRunner = Callable[[Step, StepOutcome, ReproduceOptions, dict], None]


@contextmanager
def stop_on_write_error(folder: Path) -> Iterator[None]:
    """A full disk or a folder that is not writable: one :class:`OutputError` naming ``folder``."""
    try:
        yield
    except OSError as error:
        if error.errno not in WRITE_ERRNOS:
            raise
        raise OutputError(describe_write_error(error, folder)) from None


def execute(
    outcome: StepOutcome,
    options: ReproduceOptions,
    needs: dict[str, StepOutcome],
    run: StepRunner,
) -> None:
    """Run one step (``needs``: the outcomes of the steps it reads) in its cache folder and record the result; ``done.json`` and the manifest
    are written last.

    A folder whose files failed their manifest is emptied first: nothing in it is trusted, not
    even a sweep's journal. An unfinished one (no ``done.json``) is kept, so a sweep resumes.
    """
    step = outcome.step
    outcome.cached = False
    if outcome.cache_problem:
        shutil.rmtree(outcome.dir)
    outcome.dir.mkdir(parents=True, exist_ok=True)
    unseal(outcome)
    write_json_atomic(outcome.dir / STARTED, {"key": outcome.key, "started_at": _now()})
    begin, cpu_begin = time.perf_counter(), cpu_seconds()
    try:
        missing = [name for name, need in needs.items() if not need.ok]
        if missing:
            raise StepFailed(f"not run: it needs {', '.join(missing)}, which did not finish")
        run(step, outcome, options, needs)
        outcome.status, outcome.error = "ok", ""
        (outcome.dir / "error.txt").unlink(missing_ok=True)
    except OutputError:
        raise  # the disk is full or the folder not writable: stop, the step stays unfinished
    except OSError as error:
        if error.errno in WRITE_ERRNOS:
            raise
        _record_bug(outcome, error)
    except (StepFailed, DlbasicsError) as error:
        outcome.status, outcome.error = "failed", str(error)
        write_text_atomic(outcome.dir / "error.txt", str(error) + "\n")
    except Exception as error:  # any bug in a step: recorded, and the other steps still run
        _record_bug(outcome, error)
    outcome.wall_seconds = round(time.perf_counter() - begin, 3)
    outcome.cpu_seconds = round(cpu_seconds() - cpu_begin, 3)
    outcome.finished_at = _now()
    write_done(outcome, working_files(step))  # last: marks the folder complete, then seals it


def _record_bug(outcome: StepOutcome, error: Exception) -> None:
    outcome.status, outcome.error = "failed", f"{type(error).__name__}: {error}"
    write_text_atomic(outcome.dir / "error.txt", traceback.format_exc())


def cpu_seconds() -> float:
    """CPU seconds used so far by this process (all threads) and its finished child processes.

    Unlike wall time this barely depends on what else the machine is doing, so it tells how
    long a step would take on an idle machine.
    """
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
