"""Worker processes: the loop that pops and trains trials, ``--jobs`` processes, and signals.

A worker pops WAITING trials of its own configurations (:mod:`dlbasics.sweep.queue`) and trains
each under a heartbeat (:mod:`dlbasics.sweep.liveness`). With nothing left to pop it watches
the RUNNING ones: a lost trial is failed and queued again, and the worker returns once every
configuration of its grid has finished, by whichever worker on whichever machine. So a spawned
worker that dies does not stop the sweep: its trial runs again elsewhere, and the command says
so (:mod:`dlbasics.sweep.outcomes`).

Signals: Ctrl-C and SIGTERM become one ``KeyboardInterrupt``, so the running trial is marked
failed (``interrupted``) on the way out and a rerun resumes it; spawned workers ignore Ctrl-C
and are stopped by their parent with SIGTERM.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from dlbasics.data.options import DataOptions
from dlbasics.errors import DlbasicsError
from dlbasics.experiments import registry
from dlbasics.experiments.runner import run_experiment
from dlbasics.results.io import to_jsonable
from dlbasics.sweep import queue as trials
from dlbasics.sweep.attributes import DUPLICATE, INTERRUPTED, KEY, LOST
from dlbasics.sweep.liveness import Liveness, liveness_for
from dlbasics.sweep.outcomes import WorkerEnd, collect_outcomes
from dlbasics.sweep.storage import StorageSpec, open_storage, storage_errors
from dlbasics.sweep.summary import fmt


@dataclass(frozen=True)
class WorkerContext:
    """Everything a worker process needs (picklable: sent to spawned processes)."""

    spec: StorageSpec
    study_name: str
    sweep: str
    experiment: str
    space: dict[str, tuple[Any, ...]]
    keys: tuple[str, ...]
    total: int
    seed: int
    engine: str
    data: DataOptions
    quiet: bool
    show_bars: bool
    heartbeat: float
    grace: float
    poll: float
    threads: int | None = None
    # Runs a trial's ``config`` in place of the experiment and returns its metrics-like record
    # (status, final, history, wall_seconds): the units of a reproduction. Picklable (spawned).
    task: Callable[[dict[str, Any]], dict[str, Any]] | None = None


def _say(context: WorkerContext, message: str) -> None:
    if not context.quiet:
        print(message, file=sys.stderr, flush=True)


def _describe(config: dict[str, Any], experiment: str) -> str:
    """The learning rate and whatever differs from the experiment's defaults."""
    defaults = registry.get(experiment).defaults
    keys = [k for k in config if k == "learning_rate" or config[k] != defaults.get(k)]
    return ", ".join(f"{k}={config[k]}" for k in keys)


def _train(context: WorkerContext, popped: Any, config: dict[str, Any]) -> dict[str, Any]:
    """The trial's run: ``context.task`` if set, else the experiment, with the trial's own seed
    (the same as the command's unless the sweep runs over several seeds)."""
    if context.task is not None:
        return context.task(config)
    return run_experiment(
        context.experiment,
        config,
        seed=popped.user_attrs.get("seed", context.seed),
        engine=context.engine,
        out_dir=None,
        data=context.data,
        quiet=not context.show_bars,
    )


def run_trial(
    context: WorkerContext, storage: Any, study: Any, liveness: Liveness, popped: Any
) -> None:
    """Train one popped trial and record its result (or its failure) in the storage."""
    study_id = liveness.study_id
    trial_id = trials.trial_id_of(storage, study_id, popped.number)
    if trials.has_precedence_twin(study.get_trials(deepcopy=False), popped):
        trials.fail(storage, trial_id, DUPLICATE)
        return
    config = dict(popped.user_attrs["config"])
    trials.start(storage, trial_id, config, context.space)
    with liveness.heartbeat(trial_id) as heartbeat:
        try:
            metrics = _train(context, popped, config)
        except KeyboardInterrupt:
            trials.fail(storage, trial_id, INTERRUPTED)
            raise
        except DlbasicsError as error:  # the user's to fix (data, configuration): stop the sweep
            trials.fail(storage, trial_id, f"error: {error}")
            raise
        except Exception as error:  # a bug in one configuration: record it, go on with the rest
            trials.fail(
                storage, trial_id, f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
            )
            _say(
                context, f"{context.sweep} #{popped.number} failed: {type(error).__name__}: {error}"
            )
            return
    if heartbeat.taken_over or not trials.complete(storage, trial_id, metrics):
        _say(context, f"{context.sweep} #{popped.number}: declared lost meanwhile; result dropped")
        return
    if context.task is not None:  # not an experiment: its caller shows the progress
        return
    state = trials.states()
    done = sum(
        1
        for t in storage.get_all_trials(study_id, deepcopy=False, states=(state.COMPLETE,))
        if t.user_attrs.get(KEY) in context.keys
    )
    final = to_jsonable(metrics["final"]) or {}
    _say(
        context,
        f"{context.sweep} [{done}/{context.total}] {_describe(config, context.experiment)}: "
        f"{metrics['status']}, dev_acc {fmt(final.get('dev_acc'))}, "
        f"test_acc {fmt(final.get('test_acc'))}, {metrics['wall_seconds']:.0f} s",
    )


@contextlib.contextmanager
def _torch_threads(threads: int | None) -> Iterator[None]:
    """While a worker runs: torch's intra-op threads as ``threads`` (unless the user set the
    variable), restored afterwards, so that this process's later runs are not affected."""
    from dlbasics.training.torch_runtime import THREADS_ENV

    if threads is None or THREADS_ENV in os.environ:
        yield
        return
    os.environ[THREADS_ENV] = str(threads)
    try:
        yield
    finally:
        os.environ.pop(THREADS_ENV, None)


def worker_loop(context: WorkerContext) -> None:
    """Run waiting trials of ours until every configuration of ours has finished somewhere."""
    with _torch_threads(context.threads), storage_errors(context.spec):
        _worker_loop(context)


def _worker_loop(context: WorkerContext) -> None:
    storage = open_storage(
        context.spec, heartbeat_seconds=context.heartbeat, grace_seconds=context.grace
    )
    import optuna

    study = optuna.load_study(study_name=context.study_name, storage=storage)
    study_id = trials.study_id_of(storage, context.study_name)
    liveness = liveness_for(storage, study_id, context.heartbeat, context.grace)
    state = trials.states()
    keys = set(context.keys)
    announced = False
    while True:
        popped = trials.pop(storage, study_id, keys)
        if popped is not None:
            run_trial(context, storage, study, liveness, popped)
            continue
        ours = [t for t in study.get_trials(deepcopy=False) if t.user_attrs.get(KEY) in keys]
        running = [t for t in ours if t.state == state.RUNNING]
        if not running and not any(t.state == state.WAITING for t in ours):
            return
        lost = liveness.lost(running)
        for trial in lost:
            trial_id = trials.trial_id_of(storage, study_id, trial.number)
            if trials.fail(storage, trial_id, LOST):
                _say(context, f"{context.sweep} #{trial.number}: worker lost, queued again")
                trials.requeue(context.spec, storage, study, trial)
        if not lost:
            if not announced and running:
                _say(
                    context, f"{context.sweep}: waiting for {len(running)} running configuration(s)"
                )
                announced = True
            time.sleep(context.poll)


def _raise_interrupt(signum: int, frame: Any) -> None:
    """SIGTERM as Ctrl-C, once: a second SIGTERM is ignored so that the cleanup can finish."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def _worker_process(context: WorkerContext, errors: Any) -> None:
    """Entry point of a spawned worker: report ``(pid, how it ended)`` on the ``errors`` queue.

    Ctrl-C is ignored (the parent decides); the parent's SIGTERM becomes a KeyboardInterrupt,
    so the running trial is marked failed on the way out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    pid = os.getpid()
    try:
        worker_loop(context)
        errors.put((pid, None))
    except KeyboardInterrupt:
        errors.put((pid, ("interrupted", "")))
    except DlbasicsError as error:
        errors.put((pid, ("error", str(error))))
    except BaseException as error:  # noqa: BLE001  reported to the parent (outcomes.py)
        errors.put((pid, ("crash", f"{type(error).__name__}: {error}\n{traceback.format_exc()}")))


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While the workers run, treat SIGTERM (``kill``, a CI timeout) like Ctrl-C, so that running
    trials are marked failed and worker processes are stopped rather than orphaned."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_workers(context: WorkerContext, jobs: int) -> list[WorkerEnd]:
    """Work in this process, plus ``jobs - 1`` spawned worker processes beside it; return the
    spawned workers that died or crashed (their trials ran again elsewhere, see outcomes.py).

    This process is a worker too: it starts training at once, while the spawned ones spend a few
    seconds importing and loading the data (docs/sweeps.md has the measurements).

    Ctrl-C: the spawned workers ignore SIGINT; this process marks its own running trial failed,
    sends them SIGTERM, on which each marks its running trial failed (a rerun resumes them all)
    and exits. An error of this process's own trials stops the spawned workers the same way.
    """
    if jobs == 1:
        worker_loop(context)
        return []
    spawn = multiprocessing.get_context("spawn")
    errors = spawn.Queue()
    processes = [
        spawn.Process(target=_worker_process, args=(context, errors), name=f"sweep-worker-{i}")
        for i in range(1, jobs)
    ]
    try:
        for process in processes:
            process.start()
        worker_loop(context)
        for process in processes:
            process.join()
    except BaseException:  # Ctrl-C, SIGTERM, or this process's own worker failed: stop the rest
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: the worker fails its trial and exits
        for process in processes:
            if process.pid is not None:
                process.join(timeout=30)
            if process.is_alive():
                process.kill()
        raise
    return collect_outcomes(errors, processes)
