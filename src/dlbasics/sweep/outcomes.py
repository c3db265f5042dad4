"""How the spawned ``--jobs`` workers ended, and what became of the trials of those that died.

Each spawned worker reports on a queue how it ended (finished, interrupted, an error of the
user's, a crash), tagged with its process id; a worker killed outright (``kill -9``, the
out-of-memory killer) reports nothing and is known by its exit code. An interrupt or an error
is raised in the command's process as if it were its own. A death or a crash is not: the
worker's trial stays RUNNING, the other workers find it lost and run it again, so the sweep
still finishes. :func:`describe_ends` then says in one line per worker what happened.
"""

from __future__ import annotations

import queue
import socket
from dataclasses import dataclass
from typing import Any

from dlbasics.errors import DlbasicsError
from dlbasics.sweep.attributes import FAIL_REASON, KEY, LOST, WORKER_HOST, WORKER_PID

REPORT_SECONDS = 5.0  # how long a worker that exited normally may take to deliver its report


@dataclass(frozen=True)
class WorkerEnd:
    """A spawned worker that ended abnormally: its process id and how it ended."""

    pid: int
    how: str  # "killed by signal 9", "exit code 1", "crashed: TypeError: ..."


def exit_description(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit code {code}"


def collect_outcomes(reports: Any, processes: list[Any]) -> list[WorkerEnd]:
    """Read the joined workers' reports: raise an interrupt or an error, return the deaths."""
    expected = sum(1 for p in processes if p.exitcode == 0)  # the others never reported
    received: dict[int, Any] = {}
    for _ in range(expected):
        try:
            pid, outcome = reports.get(timeout=REPORT_SECONDS)
        except queue.Empty:
            break
        received[pid] = outcome
    for outcome in received.values():
        if outcome is None:
            continue
        kind, message = outcome
        if kind == "interrupted":
            raise KeyboardInterrupt
        if kind == "error":
            raise DlbasicsError(message)
    ended = []
    for process in processes:
        if process.pid in received:
            outcome = received[process.pid]
            if outcome is not None:  # a crash: the first line of its error
                ended.append(WorkerEnd(process.pid, f"crashed: {outcome[1].splitlines()[0]}"))
        else:
            ended.append(WorkerEnd(process.pid, exit_description(process.exitcode)))
    return ended


def describe_ends(
    sweep: str, ended: list[WorkerEnd], trials: list[Any], keys: set[str]
) -> list[str]:
    """One line per dead worker: how it ended and what became of the trials it held."""
    from optuna.trial import TrialState

    host = socket.gethostname()
    lines = []
    for end in ended:
        held = [
            t
            for t in trials
            if t.user_attrs.get(WORKER_PID) == end.pid
            and t.user_attrs.get(WORKER_HOST) == host
            and t.user_attrs.get(FAIL_REASON) == LOST
            and t.user_attrs.get(KEY) in keys
        ]
        done = {t.user_attrs.get(KEY) for t in trials if t.state == TrialState.COMPLETE}
        again = [t for t in held if t.user_attrs.get(KEY) in done]
        missing = [t for t in held if t.user_attrs.get(KEY) not in done]
        parts = []
        if again:
            parts.append(f"its {_trials(again)} ran again")
        if missing:
            parts.append(f"its {_trials(missing)} did not finish: rerun the same command")
        if not held:
            parts.append("it held no unfinished trial")
        lines.append(f"{sweep}: worker {end.pid} ended abnormally ({end.how}); {'; '.join(parts)}")
    return lines


def _trials(trials: list[Any]) -> str:
    numbers = ", ".join(f"#{t.number}" for t in sorted(trials, key=lambda t: t.number))
    return f"trial {numbers}" if len(trials) == 1 else f"trials {numbers}"
