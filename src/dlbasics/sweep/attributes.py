"""The user attributes a sweep stores on its Optuna trials: the study's format on disk.

Every version of this code reads studies through these names (to resume them, to report them,
to find q4.2's best for q4.3), so they never change. Optuna's own fields hold the rest: the
state, the value (the objective), the categorical parameters and the per-epoch intermediate
values.

Set when a configuration is queued (and copied when a lost one is queued again):
    ``dlbasics_key`` (its identity, see :func:`dlbasics.sweep.plan.trial_key`), ``config``,
    ``sweep``, ``seed``, ``engine``, ``data_limit``.
Set by the worker that runs it:
    ``worker_host``, ``worker_pid``, ``heartbeat`` (``time.time()``, stamped while it trains).
Set when it ends:
    COMPLETE: ``final``, ``history``, ``seconds``, ``outcome`` (``ok`` | ``stalled`` |
    ``diverged``; ``stalled`` since the runs learned to report it, so older studies hold only
    the other two), ``message``; FAIL: ``fail_reason`` (an error's text, ``interrupted``, ``worker lost``,
    ``duplicate``).
"""

from __future__ import annotations

KEY = "dlbasics_key"  # canonical JSON of everything that determines the result
HEARTBEAT = "heartbeat"
WORKER_HOST = "worker_host"
WORKER_PID = "worker_pid"
OUTCOME = "outcome"  # "ok" | "stalled" | "diverged", set when a trial completes
# the outcomes whose validation accuracy is the trial's value: the run finished (a stalled one
# learned nothing, but its numbers are real); a diverged one's value is -inf
SCORED = ("ok", "stalled")
FAIL_REASON = "fail_reason"  # why a trial is FAIL: error text, "interrupted", "worker lost"
DUPLICATE = "duplicate"  # FAIL reason of a trial skipped because its twin ran
LOST = "worker lost"  # FAIL reason of a trial whose worker died
INTERRUPTED = "interrupted"  # FAIL reason of a trial stopped by Ctrl-C or SIGTERM

# what identifies a queued configuration: set by enqueue, copied by requeue
IDENTITY = (KEY, "config", "sweep", "seed", "engine", "data_limit")
