"""The report's hyperparameter sweeps (Q4.1-Q4.3) as Optuna studies, from one process to many
machines.

A sweep is a fixed list of configurations (a *grid*). Each configuration is one trial of an
Optuna study whose objective is the validation accuracy (maximised). One job per module:

- :mod:`~dlbasics.sweep.grids`: the sweeps, their grids and q4.3's rules;
- :mod:`~dlbasics.sweep.plan`: a command's request, each configuration's identity, enqueueing;
- :mod:`~dlbasics.sweep.storage`: the journal file or PostgreSQL, the enqueue lock, the study,
  a lost connection as one line;
- :mod:`~dlbasics.sweep.journal`: the journal file checked before Optuna replays it;
- :mod:`~dlbasics.sweep.attributes`: the user attributes stored on each trial;
- :mod:`~dlbasics.sweep.queue`: the trial state machine (pop, fail, requeue, twins);
- :mod:`~dlbasics.sweep.liveness`: heartbeats and lost workers;
- :mod:`~dlbasics.sweep.workers`: the worker loop, ``--jobs`` processes, signals;
- :mod:`~dlbasics.sweep.outcomes`: how the ``--jobs`` workers ended, a dead one's trials;
- :mod:`~dlbasics.sweep.selection`: q4.2's best for q4.3, the grid's trials, the winner;
- :mod:`~dlbasics.sweep.summary`: ``sweep.json``, ``sweep.md`` and the figures;
- :mod:`~dlbasics.sweep.run`: :func:`run_sweep`, the whole command.

docs/sweeps.md describes the behaviour (exactly-once, resuming, several machines).
"""

from dlbasics.sweep.attributes import DUPLICATE, FAIL_REASON, HEARTBEAT, KEY, OUTCOME
from dlbasics.sweep.grids import (
    EXTENDED_FACTORS,
    FFN_SPACE,
    LEARNING_RATES,
    OBJECTIVE,
    SWEEPS,
    SweepDefinition,
    get_sweep,
)
from dlbasics.sweep.liveness import GRACE_SECONDS, HEARTBEAT_SECONDS, Heartbeat, StaleWatch
from dlbasics.sweep.plan import Planned, Request, enqueue_missing, estimated_cost, plan, trial_key
from dlbasics.sweep.run import run_sweep
from dlbasics.sweep.selection import collect, pick_best, resolve_base
from dlbasics.sweep.storage import (
    CONNECT_TIMEOUT_SECONDS,
    JOURNAL_FILE,
    StorageSpec,
    enqueue_lock,
    open_storage,
    open_study,
    parse_storage,
)
from dlbasics.sweep.summary import draw_figures, render_markdown, varying_keys, write_results
from dlbasics.sweep.workers import WorkerContext, run_trial, run_workers, worker_loop

__all__ = [
    "CONNECT_TIMEOUT_SECONDS",
    "DUPLICATE",
    "EXTENDED_FACTORS",
    "FAIL_REASON",
    "FFN_SPACE",
    "GRACE_SECONDS",
    "HEARTBEAT",
    "HEARTBEAT_SECONDS",
    "JOURNAL_FILE",
    "KEY",
    "LEARNING_RATES",
    "OBJECTIVE",
    "OUTCOME",
    "SWEEPS",
    "Heartbeat",
    "Planned",
    "Request",
    "StaleWatch",
    "StorageSpec",
    "SweepDefinition",
    "WorkerContext",
    "collect",
    "draw_figures",
    "enqueue_lock",
    "enqueue_missing",
    "estimated_cost",
    "get_sweep",
    "open_storage",
    "open_study",
    "parse_storage",
    "pick_best",
    "plan",
    "render_markdown",
    "resolve_base",
    "run_sweep",
    "run_trial",
    "run_workers",
    "trial_key",
    "varying_keys",
    "worker_loop",
    "write_results",
]
