"""A many-seed (or shared-storage) reproduction: its (step, seed) units as trials of one Optuna
study, run by the sweeps' own workers.

Each unit still runs into its own cache folder (:func:`dlbasics.pipeline.execute.execute`),
exactly as a one-seed step does; the study only decides *who* runs it. A unit is a trial whose
key is its cache folder's name (``<step>-<hash of its key>``, the same on every machine with the
same code and options), queued once under the sweeps' enqueue lock and popped by exactly one
worker (:mod:`dlbasics.sweep.queue`); a worker lost mid-unit is found by its heartbeat and its
unit queued again (:mod:`dlbasics.sweep.liveness`). The storage is a journal file in
``OUT/cache`` (this machine's ``--jobs`` workers) or ``--storage postgresql://...`` (several
machines). Units that read another unit (q4.3 reads q4.2 of its seed) run in a second wave,
after every unit of the first has finished somewhere. docs/seeds.md has the whole picture.
"""

from __future__ import annotations

import socket
import sys
import threading
from dataclasses import replace
from functools import partial
from typing import Any

from dlbasics.pipeline.display import Display
from dlbasics.pipeline.estimates import estimates
from dlbasics.pipeline.execute import StepRunner, execute, stop_on_write_error
from dlbasics.pipeline.options import ReproduceOptions
from dlbasics.pipeline.plan import unit_outcome
from dlbasics.results.steps import DONE, StepOutcome, read_done

STUDY = "reproduce"  # the study of every reproduction's units (their keys tell them apart)


def run_unit(
    options: ReproduceOptions, version: str, run: StepRunner, config: dict[str, Any]
) -> dict[str, Any]:
    """A worker's task: run the unit ``config`` names (its step and seed) into its folder.

    Returns the record the trial keeps: the unit ran (``ok``), whatever the step's own result
    (``message``; that is in the folder's ``done.json``, as with one seed)."""
    outcome, needs = unit_outcome(options, version, config["step"], config["seed"])
    with stop_on_write_error(outcome.dir):
        execute(outcome, options, needs, run)
    message = outcome.status + (f": {outcome.error}" if outcome.error else "")
    return {"status": "ok", "final": {}, "history": [], "wall_seconds": 0.0, "message": message}


def enqueue_units(spec: Any, storage: Any, study: Any, units: list[StepOutcome]) -> dict[str, Any]:
    """Queue each unit that no trial holds yet; returns the trial key to wait for per unit.

    A unit already waiting or running (here or on another machine) is not queued again, nor
    one finished on another machine whose folder is not here (it is in that machine's ``OUT``).
    A unit whose trial finished but whose folder here is not a finished, trusted step (the step
    failed, or its files were damaged) gets a fresh trial under a new key (``<folder>#<n>``),
    so that it runs again, as a one-seed step would.
    """
    from dlbasics.sweep.attributes import KEY, WORKER_HOST
    from dlbasics.sweep.queue import is_live, states
    from dlbasics.sweep.storage import enqueue_lock

    complete, host = states().COMPLETE, socket.gethostname()
    keys: dict[str, Any] = {}
    with enqueue_lock(spec, storage, study.study_name):
        by_unit: dict[Any, list[Any]] = {}
        for trial in study.get_trials(deepcopy=False):
            by_unit.setdefault((trial.user_attrs.get("config") or {}).get("unit"), []).append(trial)
        for outcome in units:
            unit = outcome.dir.name
            trials = by_unit.get(unit, [])
            pending = [t for t in trials if is_live(t) and t.state != complete]
            if pending:
                keys[pending[0].user_attrs[KEY]] = outcome
                continue
            if read_done(outcome) and outcome.ok:  # finished meanwhile (a shared OUT)
                continue
            elsewhere = any(
                t.state == complete and t.user_attrs.get(WORKER_HOST) != host for t in trials
            )
            if elsewhere and not (outcome.dir / DONE).exists():
                continue
            key = unit if not trials else f"{unit}#{len(trials)}"
            config = {"step": outcome.step.name, "seed": outcome.key["seed"], "unit": unit}
            study.enqueue_trial(
                {},
                user_attrs={
                    KEY: key,
                    "config": config,
                    "sweep": STUDY,
                    "seed": outcome.key["seed"],
                    "engine": outcome.engine,
                    "data_limit": outcome.key["config"].get("data_limit"),
                },
            )
            keys[key] = outcome
    return keys


def run_units(
    options: ReproduceOptions,
    units: list[StepOutcome],
    version: str,
    run: StepRunner,
    display: Display,
) -> None:
    """Run ``units`` (in plan order) through the study with ``--jobs`` workers, showing each on
    ``display`` as it starts and ends; afterwards each outcome holds what its folder says."""
    from dlbasics.results.provenance import physical_cores
    from dlbasics.sweep.liveness import GRACE_SECONDS, HEARTBEAT_SECONDS
    from dlbasics.sweep.outcomes import describe_ends
    from dlbasics.sweep.storage import open_storage, open_study, parse_storage, storage_errors
    from dlbasics.sweep.workers import WorkerContext, run_workers, sigterm_interrupts

    jobs = options.sweep_workers
    spec = parse_storage(options.storage, options.out / "cache")
    seconds = estimates(options.out, options.quick)
    first = [o for o in units if not o.step.needs]
    waves = [first, [o for o in units if o.step.needs]]
    with storage_errors(spec):
        storage = open_storage(spec)
        study = open_study(storage, STUDY, STUDY, spec.display)
        for wave in (wave for wave in waves if wave):
            # Inside a worker a sweep runs its configurations with the workers the wave leaves
            # over (q4.3 alone: all of them); the longest units are queued first, so that the
            # workers finish together.
            inner = replace(options, jobs=max(1, jobs // len(wave)))
            task = partial(run_unit, inner, version, run)
            wave = sorted(wave, key=lambda o: -seconds.get(o.step.name, 0.0))
            keys = enqueue_units(spec, storage, study, wave)
            context = WorkerContext(
                spec=spec,
                study_name=STUDY,
                sweep=STUDY,
                experiment="",
                space={},
                keys=tuple(keys),
                total=len(keys),
                seed=options.seed,
                engine="",
                data=options.effective_data,
                quiet=True,  # the display shows the units
                show_bars=False,
                heartbeat=HEARTBEAT_SECONDS,
                grace=GRACE_SECONDS,
                poll=1.0,
                threads=max(1, physical_cores() // jobs) if jobs > 1 else None,
                task=task,
            )
            monitor = Monitor(spec, keys, display)
            monitor.start()
            try:
                with sigterm_interrupts():
                    ended = run_workers(context, jobs)
            finally:
                monitor.stop()
            trials = study.get_trials(deepcopy=False)
            for line in describe_ends(STUDY, ended, trials, set(keys)):
                print(line, file=sys.stderr, flush=True)
    for outcome in units:
        if not _reread(outcome):
            outcome.status = "not run"
            if not outcome.notes:
                outcome.notes.append("run by another machine: its folder is in that one's OUT")


class Monitor:
    """Shows the units of one wave on the display as the study says they start and end, from
    a background thread that polls the study (the workers may be other processes)."""

    def __init__(self, spec: Any, keys: dict[str, StepOutcome], display: Display) -> None:
        self.spec, self.keys, self.display = spec, keys, display
        self.started: set[str] = set()
        self.finished: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop polling, after one last look (so every finished unit is shown)."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        from dlbasics.sweep.queue import study_id_of
        from dlbasics.sweep.storage import open_storage

        storage = open_storage(self.spec)
        study_id = study_id_of(storage, STUDY)
        while True:
            stopping = self._stop.wait(0.5)
            self.poll(storage.get_all_trials(study_id, deepcopy=False))
            if stopping:
                return

    def poll(self, trials: list[Any]) -> None:
        from dlbasics.sweep.attributes import KEY
        from dlbasics.sweep.queue import states

        state = states()
        latest = {t.user_attrs.get(KEY): t for t in trials}  # a lost one's copy comes later
        for key, trial in latest.items():
            outcome = self.keys.get(key)
            if outcome is None or key in self.finished or trial.state == state.WAITING:
                continue
            if key not in self.started:
                self.started.add(key)
                self.display.start(outcome.step, outcome.seed)
            if trial.state in (state.COMPLETE, state.FAIL):
                self.finished.add(key)
                if not _reread(outcome) and trial.state == state.FAIL:
                    outcome.status = "failed"
                self.display.finish(outcome)


def _reread(outcome: StepOutcome) -> bool:
    """Fill ``outcome`` in from its folder after it ran in this reproduction (not cached)."""
    found = read_done(outcome)
    outcome.cached = False
    return found
