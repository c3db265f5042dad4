"""The life of a trial: the state machine that makes each configuration run exactly once.

::

      enqueue_missing() (plan.py): one trial for each configuration without a live one
                       |
                       v
                 +-----------+ <------------ requeue(): a fresh copy of the configuration,
                 |  WAITING  |               unless a live twin exists (under the enqueue lock)
                 +-----------+                                  ^
                       |  pop(): WAITING -> RUNNING; the        |
                       |  storage lets one worker win           |
                       v                                        |
                 +-----------+   its worker died   +----------------------+
                 |  RUNNING  | ------------------> | FAIL  "worker lost"  |
                 +-----------+   (liveness.py)     +----------------------+
                   |   |   |
                   |   |   |   a twin completed, or   +----------------------+
                   |   |   +------------------------> | FAIL  "duplicate"    |  never trained
                   |   |       is ahead of it         +----------------------+
                   |   |
                   |   |   training raised,           +--------------------------------+
                   |   +----------------------------> | FAIL  "<error>", "interrupted" |
                   |       Ctrl-C, SIGTERM            +--------------------------------+
                   v                                    (queued again by the next command)
            +------------+
            |  COMPLETE  |   value: dev_acc (-inf when diverged);
            +------------+   outcome "ok" | "stalled" | "diverged"

*Live* means WAITING, RUNNING or COMPLETE: a configuration with a live trial needs no new one.
A finished trial (COMPLETE or FAIL) never changes again: when a worker declared lost was alive
after all, the storage refuses its result and the configuration's record stays single.

Pop: Optuna's ``study.ask()`` takes *any* WAITING trial of the study and creates a new trial
when none waits, but a study holds several grids and settings (seed, engine, data) and a worker
runs only its own. So :func:`pop` is ``Study._pop_waiting_trial_id`` restricted to our keys, on
the same atomic primitive: ``set_trial_state_values(trial, RUNNING)`` succeeds for exactly one
caller (a row lock on PostgreSQL, the order of the log in the journal file). The twin check
before training means that even a lock that failed could not make a configuration run twice.
"""

from __future__ import annotations

import math
import os
import socket
from typing import Any

from dlbasics.results.io import to_jsonable
from dlbasics.sweep.attributes import (
    FAIL_REASON,
    IDENTITY,
    KEY,
    OUTCOME,
    SCORED,
    WORKER_HOST,
    WORKER_PID,
)
from dlbasics.sweep.grids import OBJECTIVE
from dlbasics.sweep.storage import StorageSpec, enqueue_lock


def states() -> Any:
    from optuna.trial import TrialState

    return TrialState


def study_id_of(storage: Any, study_name: str) -> int:
    return int(storage.get_study_id_from_name(study_name))


def trial_id_of(storage: Any, study_id: int, number: int) -> int:
    return int(storage.get_trial_id_from_study_id_trial_number(study_id, number))


def is_live(trial: Any) -> bool:
    """Waiting, running or complete: a configuration with such a trial needs no new one."""
    state = states()
    return trial.state in (state.WAITING, state.RUNNING, state.COMPLETE)


def pop(storage: Any, study_id: int, keys: set[str]) -> Any | None:
    """Move one WAITING trial of ours to RUNNING; the storage lets exactly one worker win."""
    from optuna.exceptions import UpdateFinishedTrialError

    state = states()
    for trial in storage.get_all_trials(study_id, deepcopy=False, states=(state.WAITING,)):
        if trial.user_attrs.get(KEY) not in keys:
            continue
        trial_id = trial_id_of(storage, study_id, trial.number)
        try:
            if storage.set_trial_state_values(trial_id, state.RUNNING):
                return trial
        except UpdateFinishedTrialError:
            continue
    return None


def has_precedence_twin(trials: list[Any], mine: Any) -> bool:
    """Another trial of the same configuration finished, or started before ours (lower number)."""
    state = states()
    key = mine.user_attrs.get(KEY)
    for other in trials:
        if other.number == mine.number or other.user_attrs.get(KEY) != key:
            continue
        if other.state == state.COMPLETE:
            return True
        if other.state in (state.RUNNING, state.WAITING) and other.number < mine.number:
            return True
    return False


def start(storage: Any, trial_id: int, config: dict[str, Any], space: dict[str, tuple]) -> None:
    """Record who runs a popped trial, and its swept hyperparameters as Optuna parameters."""
    from optuna.distributions import CategoricalDistribution

    storage.set_trial_user_attr(trial_id, WORKER_HOST, socket.gethostname())
    storage.set_trial_user_attr(trial_id, WORKER_PID, os.getpid())
    for name, choices in space.items():
        if name in config and config[name] in choices:
            distribution = CategoricalDistribution(choices)
            storage.set_trial_param(
                trial_id, name, distribution.to_internal_repr(config[name]), distribution
            )


def complete(storage: Any, trial_id: int, metrics: dict[str, Any]) -> bool:
    """Record a run's result and move the trial to COMPLETE; False when someone else finished it
    meanwhile (its worker was declared lost): the result is then dropped."""
    from optuna.exceptions import UpdateFinishedTrialError

    status = metrics["status"]
    final = to_jsonable(metrics["final"])
    value = (final or {}).get(OBJECTIVE)
    objective = float(value) if status in SCORED and isinstance(value, float | int) else -math.inf
    if not math.isfinite(objective):
        objective = -math.inf
    try:
        for key, attr_value in (
            ("final", final),
            ("history", to_jsonable(metrics["history"])),
            ("seconds", metrics["wall_seconds"]),
            (OUTCOME, status if status in SCORED else "diverged"),
            ("message", metrics.get("message", "")),
        ):
            storage.set_trial_user_attr(trial_id, key, attr_value)
        for record in metrics["history"]:
            dev = record.get(OBJECTIVE)
            if isinstance(dev, float) and math.isfinite(dev):
                storage.set_trial_intermediate_value(trial_id, int(record["epoch"]), dev)
        storage.set_trial_state_values(trial_id, states().COMPLETE, [objective])
    except UpdateFinishedTrialError:
        return False
    return True


def fail(storage: Any, trial_id: int, reason: str) -> bool:
    """Mark a trial FAIL with ``reason``; False when it had already finished."""
    from optuna.exceptions import UpdateFinishedTrialError

    try:
        storage.set_trial_user_attr(trial_id, FAIL_REASON, reason)
        storage.set_trial_state_values(trial_id, states().FAIL)
    except UpdateFinishedTrialError:
        return False
    return True


def requeue(spec: StorageSpec, storage: Any, study: Any, trial: Any) -> None:
    """Queue a fresh copy of a lost trial's configuration, unless a live twin exists.

    Not Optuna's ``RetryFailedTrialCallback``: it copies every user attribute (the dead worker's
    host and pid among them, which would make the copy look lost the moment it is popped) and
    does not look for a live twin.
    """
    with enqueue_lock(spec, storage, study.study_name):
        key = trial.user_attrs.get(KEY)
        if any(
            t.user_attrs.get(KEY) == key and is_live(t) for t in study.get_trials(deepcopy=False)
        ):
            return
        attrs = {k: trial.user_attrs[k] for k in IDENTITY if k in trial.user_attrs}
        study.enqueue_trial(dict(trial.system_attrs.get("fixed_params", {})), user_attrs=attrs)
