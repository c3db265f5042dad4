"""The report's hyperparameter sweeps (Q4.1-Q4.3) as Optuna studies, from one process to many
machines.

A sweep is a fixed list of configurations (a *grid*). Each configuration is one trial of an
Optuna study whose objective is the validation accuracy (maximised). How the work is shared:

1. **Enqueue once.** The command that starts a sweep adds every configuration of its grid to the
   study as a WAITING trial, unless the study already holds it (waiting, running or finished).
   The check-then-add runs under a lock (a file lock beside the journal file, a PostgreSQL
   advisory lock on a database), so two machines starting together cannot add it twice.
2. **Pop atomically.** Workers (``--jobs`` local processes, any number of machines) take WAITING
   trials; the storage moves a trial from WAITING to RUNNING for exactly one of them. Before
   training, a worker also checks that no twin of its configuration has finished or is ahead of
   it, so even a lock that failed could not make a configuration run twice.
3. **Heartbeats.** While a trial trains, a thread stamps it every few seconds. A RUNNING trial
   whose stamp stops changing for the grace period (or, on the same host, whose process is gone)
   belonged to a killed worker: it is marked failed and its configuration is queued again.
4. **Wait, then report.** Each command returns when every configuration of its grid has
   finished (by whichever worker), and writes ``sweep.json``, ``sweep.md`` and two figures.

Why not Optuna's ``GridSampler``: it picks grid points itself when a trial starts, and under
concurrency two workers can pick the same point (Optuna documents this); the extended grid is
also not a Cartesian product. Why our own heartbeats: Optuna's only work with ``study.optimize``
on a relational database, not with the journal file that is the default here.

Storage: a journal file ``optuna-journal.log`` in the output directory (several processes on one
machine), or ``--storage postgresql://...`` shared by many machines. Every trial records its full
configuration and settings (seed, engine, data subset), so a study can hold several grids and
settings side by side; a rerun only runs what is missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import multiprocessing
import os
import queue
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlbasics.data.options import DataOptions
from dlbasics.errors import ConfigError, DlbasicsError
from dlbasics.experiments import registry
from dlbasics.experiments.runner import run_experiment, validate_config
from dlbasics.results.io import to_jsonable, write_json_atomic, write_text_atomic

JOURNAL_FILE = "optuna-journal.log"
OBJECTIVE = "dev_acc"
LEARNING_RATES = (0.001, 0.01, 0.1)
HEARTBEAT_SECONDS = 10.0
GRACE_SECONDS = 60.0
CONNECT_TIMEOUT_SECONDS = 5

# user attributes of a trial (Optuna's own attributes hold the parameters and the value)
KEY = "dlbasics_key"  # canonical JSON of everything that determines the result
HEARTBEAT = "heartbeat"
OUTCOME = "outcome"  # "ok" | "diverged", set when a trial completes
FAIL_REASON = "fail_reason"  # why a trial is FAIL: error text, "interrupted", "worker lost"
DUPLICATE = "duplicate"  # FAIL reason of a trial skipped because its twin ran


# ----------------------------------------------------------------------------- the sweeps


@dataclass(frozen=True)
class Request:
    """What a sweep command asked for, beyond the grid: the same for every configuration."""

    name: str
    grid: str
    epochs: int | None
    seed: int
    engine: str
    data: DataOptions


@dataclass(frozen=True)
class SweepDefinition:
    """A named sweep: the experiment it runs and its grids (name -> list of overrides).

    ``space`` lists every value a swept hyperparameter can take in any grid; Optuna records those
    hyperparameters as categorical parameters of each trial. ``needs`` names a sweep whose best
    configuration this one starts from (q4.3 starts from q4.2's).
    """

    name: str
    experiment: str
    title: str
    space: dict[str, tuple[Any, ...]]
    grids: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]]
    needs: str | None = None


def _lr_grid(base: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**base, "learning_rate": lr} for lr in LEARNING_RATES]


EXTENDED_FACTORS: tuple[dict[str, Any], ...] = (
    {},  # the defaults
    {"hidden_size": 100},
    {"dropout": 0.5},
    {"activation": "tanh"},
    {"optimizer": "adam"},
)


def _extended_grid(base: dict[str, Any]) -> list[dict[str, Any]]:
    """One factor at a time around the defaults, each at every learning rate of the report:
    the learning rate interacts with every factor (Adam wants a smaller step than SGD)."""
    return [
        {**base, **factor, "learning_rate": lr}
        for factor in EXTENDED_FACTORS
        for lr in LEARNING_RATES
    ]


def _best_depth_grid(base: dict[str, Any]) -> list[dict[str, Any]]:
    """q4.2's best configuration with 2 and with 3 hidden layers."""
    return [{**base, "layers": layers} for layers in (2, 3)]


def _report_depth_grid(base: dict[str, Any]) -> list[dict[str, Any]]:
    """2 and 3 hidden layers from q4.2's best configuration *and* from the homework's defaults
    (learning rate 0.01; a repeat is dropped when q4.2's best is the defaults).

    Why both: the report says q4.3 starts from q4.2's best configuration (learning rate 0.001),
    but its q4.3 numbers are those of the defaults. Its training losses (0.4028 and 0.4277, the
    mean over all epochs) are what the default learning rate gives here to within 0.0011
    (0.4017 and 0.4280) and its accuracies within 0.004, while learning rate 0.001 gives losses
    of 0.378 and 0.402 and accuracies 0.02 higher. Running both shows the depth comparison the
    report describes and the one it reports; the best by validation accuracy wins, as always.
    """
    homework = {k: v for k, v in base.items() if k == "epochs"}  # the defaults, same epochs
    return [{**start, "layers": layers} for start in (base, homework) for layers in (2, 3)]


FFN_SPACE: dict[str, tuple[Any, ...]] = {
    "learning_rate": LEARNING_RATES,
    "hidden_size": (100, 200),
    "dropout": (0.3, 0.5),
    "activation": ("relu", "tanh"),
    "optimizer": ("sgd", "adam"),
}

SWEEPS: dict[str, SweepDefinition] = {
    "q4.1": SweepDefinition(
        "q4.1",
        "q4-logreg",
        "PyTorch logistic regression: learning rate",
        {"learning_rate": LEARNING_RATES},
        {"report": _lr_grid},
    ),
    "q4.2": SweepDefinition(
        "q4.2",
        "q4-ffn",
        "PyTorch feed-forward network: learning rate",
        FFN_SPACE,
        {"report": _lr_grid, "extended": _extended_grid},
    ),
    "q4.3": SweepDefinition(
        "q4.3",
        "q4-ffn",
        "PyTorch feed-forward network: 2 and 3 hidden layers",
        {**FFN_SPACE, "layers": (1, 2, 3)},
        {"report": _report_depth_grid, "best": _best_depth_grid},
        needs="q4.2",
    ),
}


def get_sweep(name: str) -> SweepDefinition:
    try:
        return SWEEPS[name]
    except KeyError:
        raise ConfigError(f"unknown sweep {name!r}; choose one of: {', '.join(SWEEPS)}") from None


def trial_key(experiment: str, config: dict[str, Any], request: Request) -> str:
    """Canonical text of everything that determines a trial's result (its identity)."""
    return json.dumps(
        {
            "experiment": experiment,
            "config": config,
            "seed": request.seed,
            "engine": request.engine,
            "data_limit": request.data.limit,
        },
        sort_keys=True,
    )


@dataclass(frozen=True)
class Planned:
    """One configuration of the grid, validated, with its identity."""

    index: int
    config: dict[str, Any]
    key: str


def plan(
    definition: SweepDefinition, request: Request, base: dict[str, Any] | None = None
) -> list[Planned]:
    """The validated configurations of ``request.grid``, in grid order, without repeats."""
    if request.grid not in definition.grids:
        raise ConfigError(
            f"sweep {definition.name} has no grid {request.grid!r}; "
            f"choose one of: {', '.join(definition.grids)}"
        )
    experiment = registry.get(definition.experiment)
    if request.engine not in experiment.engines:
        raise ConfigError(
            f"{experiment.name} cannot run on engine {request.engine!r}; "
            f"choose one of: {', '.join(experiment.engines)}"
        )
    base = dict(base or {})
    if request.epochs is not None:
        base["epochs"] = request.epochs
    planned: list[Planned] = []
    seen: set[str] = set()
    for overrides in definition.grids[request.grid](base):
        config = validate_config(experiment, overrides)
        key = trial_key(experiment.name, config, request)
        if key not in seen:
            seen.add(key)
            planned.append(Planned(len(planned), config, key))
    return planned


# ----------------------------------------------------------------------------- storage


@dataclass(frozen=True)
class StorageSpec:
    """Where the study lives. ``url`` may hold a password: it is never written anywhere;
    ``display`` is the same place with the password replaced by ``***``."""

    kind: str  # "journal" | "postgresql"
    url: str
    display: str


def parse_storage(storage: str | None, out_dir: Path) -> StorageSpec:
    """The journal file in ``out_dir`` by default, else a PostgreSQL URL (checked, not opened)."""
    if storage is None or not storage.strip():
        path = Path(out_dir) / JOURNAL_FILE
        return StorageSpec("journal", str(path), f"journal:{path}")
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = storage.strip()
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise ConfigError(
            f"malformed --storage URL {_redact_text(text)!r}: expected "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    dialect = url.drivername.split("+")[0]
    if dialect not in ("postgresql", "postgres"):
        raise ConfigError(
            f"unsupported --storage {url.render_as_string(hide_password=True)!r}: only "
            "postgresql://... is supported; leave --storage out to use a journal file in the "
            "output directory"
        )
    if "+" not in url.drivername:
        # SQLAlchemy's default PostgreSQL driver is psycopg 3; we ship psycopg2.
        url = url.set(drivername=f"postgresql+{_postgres_driver()}")
    elif dialect == "postgres":
        url = url.set(drivername="postgresql+" + url.drivername.split("+", 1)[1])
    if not url.database:
        raise ConfigError(
            f"--storage {url.render_as_string(hide_password=True)!r} names no database: "
            "add /DATABASE at the end"
        )
    return StorageSpec(
        "postgresql",
        url.render_as_string(hide_password=False),
        url.render_as_string(hide_password=True),
    )


def _postgres_driver() -> str:
    for module, driver in (("psycopg2", "psycopg2"), ("psycopg", "psycopg")):
        with contextlib.suppress(ImportError):
            __import__(module)
            return driver
    raise ConfigError("PostgreSQL storage needs the psycopg2 package (pip install psycopg2-binary)")


def _redact_text(text: str) -> str:
    """Hide a password in a URL that could not be parsed (``scheme://user:secret@host``)."""
    if "@" in text and "://" in text:
        scheme, rest = text.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else text
    return text


def open_storage(spec: StorageSpec) -> Any:
    """Open the Optuna storage; an unreachable database is one clear error, within seconds."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if spec.kind == "journal":
        from optuna.storages.journal import JournalFileBackend

        try:
            Path(spec.url).parent.mkdir(parents=True, exist_ok=True)
            return optuna.storages.JournalStorage(JournalFileBackend(spec.url))
        except OSError as error:
            raise DlbasicsError(
                f"cannot use the journal file {spec.url}: {error.strerror}"
            ) from None
    import sqlalchemy
    from sqlalchemy.exc import SQLAlchemyError

    engine_kwargs = {
        "connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        "pool_pre_ping": True,
    }
    try:
        # Optuna creates its tables on first use, and two processes doing so at once on an empty
        # database collide ("duplicate key ... pg_type_typname_nsp_index"): take turns.
        probe = sqlalchemy.create_engine(
            spec.url, poolclass=sqlalchemy.pool.NullPool, **engine_kwargs
        )
        try:
            with probe.connect() as connection, _advisory_lock(connection, "optuna-schema"):
                return optuna.storages.RDBStorage(spec.url, engine_kwargs=engine_kwargs)
        finally:
            probe.dispose()
    except (SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise DlbasicsError(
            f"cannot use the database {spec.display}: {reason[0] if reason else type(error).__name__}"
        ) from None


@contextlib.contextmanager
def _advisory_lock(connection: Any, name: str) -> Iterator[None]:
    """A PostgreSQL session lock named ``name``, held by ``connection`` inside the block."""
    from sqlalchemy import text

    digest = hashlib.blake2b(f"dlbasics-sweep:{name}".encode(), digest_size=8).digest()
    lock_id = int.from_bytes(digest, "big", signed=True)
    connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id})
    connection.commit()
    try:
        yield
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id})
        connection.commit()


@contextlib.contextmanager
def enqueue_lock(spec: StorageSpec, storage: Any, study_name: str) -> Iterator[None]:
    """Serialise "look at the study, then add what is missing" across processes and machines."""
    if spec.kind == "journal":
        lock_path = Path(spec.url + ".enqueue-lock")
        with open(lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with (
        storage.engine.connect() as connection,
        _advisory_lock(connection, f"enqueue:{study_name}"),
    ):
        yield


def open_study(storage: Any, study_name: str, sweep: str, display: str) -> Any:
    """Create the study or attach to it; a study made by another sweep is an error."""
    import optuna

    study = optuna.create_study(
        storage=storage, study_name=study_name, direction="maximize", load_if_exists=True
    )
    owner = study.user_attrs.get("sweep")
    if owner is None:
        study.set_user_attr("sweep", sweep)
        study.set_user_attr("objective", f"{OBJECTIVE} (maximize)")
    elif owner != sweep:
        raise ConfigError(
            f"study {study_name!r} in {display} belongs to sweep {owner}, not {sweep}; "
            "pass another --study name"
        )
    return study


# ----------------------------------------------------------------------------- trials


def _states() -> Any:
    from optuna.trial import TrialState

    return TrialState


def _study_id(storage: Any, study_name: str) -> int:
    return int(storage.get_study_id_from_name(study_name))


def _trial_id(storage: Any, study_id: int, number: int) -> int:
    return int(storage.get_trial_id_from_study_id_trial_number(study_id, number))


def _live(trial: Any) -> bool:
    """Waiting, running or complete: a configuration with such a trial needs no new one."""
    states = _states()
    return trial.state in (states.WAITING, states.RUNNING, states.COMPLETE)


def estimated_cost(config: dict[str, Any]) -> float:
    """Rough relative work of one configuration, to order the queue (only the order matters):
    weights updated per example (a 784-pixel input) times epochs, counted three times with Adam,
    whose moment estimates make every update several passes over the weights (measured: about
    8x slower than SGD in the fast engine, full data)."""
    hidden = int(config.get("hidden_size") or 0)
    layers = int(config.get("layers") or 1)
    weights = 784 * hidden + (layers - 1) * hidden * hidden if hidden else 784 * 10
    return (
        weights * int(config.get("epochs") or 1) * (3 if config.get("optimizer") == "adam" else 1)
    )


def enqueue_missing(
    spec: StorageSpec,
    storage: Any,
    study: Any,
    planned: list[Planned],
    sweep: str,
    request: Request,
) -> int:
    """Add a WAITING trial for every planned configuration without a live trial; return how
    many were added.

    Workers take waiting trials in the order they were added, so the costliest go first: the
    cheap ones then fill the gaps at the end instead of one long trial running alone (the
    extended grid's three Adam configurations last made ``--jobs 2`` wait 15 s on one worker).
    """
    added = 0
    space = get_sweep(sweep).space
    with enqueue_lock(spec, storage, study.study_name):
        live = {t.user_attrs.get(KEY) for t in study.get_trials(deepcopy=False) if _live(t)}
        for item in sorted(planned, key=lambda item: -estimated_cost(item.config)):
            if item.key in live:
                continue
            params = {k: v for k, v in item.config.items() if v in space.get(k, ())}
            study.enqueue_trial(
                params,
                user_attrs={
                    KEY: item.key,
                    "config": item.config,
                    "sweep": sweep,
                    "seed": request.seed,
                    "engine": request.engine,
                    "data_limit": request.data.limit,
                },
            )
            added += 1
    return added


def _requeue(spec: StorageSpec, storage: Any, study: Any, trial: Any) -> None:
    """Queue a fresh copy of a lost trial's configuration, unless a live twin exists."""
    with enqueue_lock(spec, storage, study.study_name):
        key = trial.user_attrs.get(KEY)
        if any(t.user_attrs.get(KEY) == key and _live(t) for t in study.get_trials(deepcopy=False)):
            return
        attrs = {
            k: trial.user_attrs[k]
            for k in (KEY, "config", "sweep", "seed", "engine", "data_limit")
            if k in trial.user_attrs
        }
        study.enqueue_trial(dict(trial.system_attrs.get("fixed_params", {})), user_attrs=attrs)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


@dataclass
class StaleWatch:
    """Decides when a RUNNING trial belongs to a dead worker, without trusting other clocks:
    a heartbeat that has not *changed* for ``grace`` seconds of our own clock is stale."""

    grace: float
    seen: dict[int, tuple[Any, float]] = field(default_factory=dict)

    def is_stale(self, trial: Any) -> bool:
        host, pid = trial.user_attrs.get("worker_host"), trial.user_attrs.get("worker_pid")
        if host == socket.gethostname() and isinstance(pid, int) and not _pid_alive(pid):
            return True
        beat = trial.user_attrs.get(HEARTBEAT)
        now = time.monotonic()
        last = self.seen.get(trial.number)
        if last is None or last[0] != beat:
            self.seen[trial.number] = (beat, now)
            return False
        return now - last[1] > self.grace


class Heartbeat:
    """A daemon thread stamping the running trial every ``interval`` seconds."""

    def __init__(self, storage: Any, trial_id: int, interval: float) -> None:
        self.storage, self.trial_id, self.interval = storage, trial_id, interval
        self.stop = threading.Event()
        self.taken_over = False
        self.thread = threading.Thread(target=self._run, name="sweep-heartbeat", daemon=True)

    def beat(self) -> bool:
        try:
            self.storage.set_trial_user_attr(self.trial_id, HEARTBEAT, time.time())
            return True
        except Exception:  # the trial was finished by someone else (declared lost): stop
            self.taken_over = True
            return False

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            if not self.beat():
                return

    def __enter__(self) -> Heartbeat:
        self.beat()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


# ----------------------------------------------------------------------------- workers


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


def _pop(storage: Any, study_id: int, keys: set[str]) -> Any | None:
    """Move one WAITING trial of ours to RUNNING; the storage lets exactly one worker win."""
    from optuna.exceptions import UpdateFinishedTrialError

    states = _states()
    for trial in storage.get_all_trials(study_id, deepcopy=False, states=(states.WAITING,)):
        if trial.user_attrs.get(KEY) not in keys:
            continue
        trial_id = _trial_id(storage, study_id, trial.number)
        try:
            if storage.set_trial_state_values(trial_id, states.RUNNING):
                return trial
        except UpdateFinishedTrialError:
            continue
    return None


def _fail(storage: Any, trial_id: int, reason: str) -> bool:
    """Mark a trial FAIL with ``reason``; False when it had already finished."""
    from optuna.exceptions import UpdateFinishedTrialError

    states = _states()
    try:
        storage.set_trial_user_attr(trial_id, FAIL_REASON, reason)
        storage.set_trial_state_values(trial_id, states.FAIL)
    except UpdateFinishedTrialError:
        return False
    return True


def _has_precedence_twin(trials: list[Any], mine: Any) -> bool:
    """Another trial of the same configuration finished, or started before ours (lower number)."""
    states = _states()
    key = mine.user_attrs.get(KEY)
    for other in trials:
        if other.number == mine.number or other.user_attrs.get(KEY) != key:
            continue
        if other.state == states.COMPLETE:
            return True
        if other.state in (states.RUNNING, states.WAITING) and other.number < mine.number:
            return True
    return False


def _say(context: WorkerContext, message: str) -> None:
    if not context.quiet:
        print(message, file=sys.stderr, flush=True)


def _describe(config: dict[str, Any], experiment: str) -> str:
    """The learning rate and whatever differs from the experiment's defaults."""
    defaults = registry.get(experiment).defaults
    keys = [k for k in config if k == "learning_rate" or config[k] != defaults.get(k)]
    return ", ".join(f"{k}={config[k]}" for k in keys)


def run_trial(context: WorkerContext, storage: Any, study: Any, study_id: int, popped: Any) -> None:
    """Train one popped trial and record its result (or its failure) in the storage."""
    from optuna.distributions import CategoricalDistribution

    states = _states()
    trial_id = _trial_id(storage, study_id, popped.number)
    if _has_precedence_twin(study.get_trials(deepcopy=False), popped):
        _fail(storage, trial_id, DUPLICATE)
        return
    storage.set_trial_user_attr(trial_id, "worker_host", socket.gethostname())
    storage.set_trial_user_attr(trial_id, "worker_pid", os.getpid())
    config = dict(popped.user_attrs["config"])
    for name, choices in context.space.items():
        if name in config and config[name] in choices:
            distribution = CategoricalDistribution(choices)
            storage.set_trial_param(
                trial_id, name, distribution.to_internal_repr(config[name]), distribution
            )
    with Heartbeat(storage, trial_id, context.heartbeat) as heartbeat:
        try:
            metrics = run_experiment(
                context.experiment,
                config,
                seed=context.seed,
                engine=context.engine,
                out_dir=None,
                data=context.data,
                quiet=not context.show_bars,
            )
        except KeyboardInterrupt:
            _fail(storage, trial_id, "interrupted")
            raise
        except DlbasicsError as error:  # the user's to fix (data, configuration): stop the sweep
            _fail(storage, trial_id, f"error: {error}")
            raise
        except Exception as error:  # a bug in one configuration: record it, go on with the rest
            _fail(storage, trial_id, f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
            _say(
                context, f"{context.sweep} #{popped.number} failed: {type(error).__name__}: {error}"
            )
            return
    if heartbeat.taken_over:
        _say(context, f"{context.sweep} #{popped.number}: declared lost meanwhile; result dropped")
        return
    status = metrics["status"]
    final = to_jsonable(metrics["final"])
    value = (final or {}).get(OBJECTIVE)
    objective = float(value) if status == "ok" and isinstance(value, float | int) else -math.inf
    if not math.isfinite(objective):
        objective = -math.inf
    for key, attr_value in (
        ("final", final),
        ("history", to_jsonable(metrics["history"])),
        ("seconds", metrics["wall_seconds"]),
        (OUTCOME, "ok" if status == "ok" else "diverged"),
        ("message", metrics.get("message", "")),
    ):
        storage.set_trial_user_attr(trial_id, key, attr_value)
    for record in metrics["history"]:
        dev = record.get(OBJECTIVE)
        if isinstance(dev, float) and math.isfinite(dev):
            storage.set_trial_intermediate_value(trial_id, int(record["epoch"]), dev)
    from optuna.exceptions import UpdateFinishedTrialError

    try:
        storage.set_trial_state_values(trial_id, states.COMPLETE, [objective])
    except UpdateFinishedTrialError:
        _say(context, f"{context.sweep} #{popped.number}: declared lost meanwhile; result dropped")
        return
    done = sum(
        1
        for t in storage.get_all_trials(study_id, deepcopy=False, states=(states.COMPLETE,))
        if t.user_attrs.get(KEY) in context.keys
    )
    dev, test = (final or {}).get("dev_acc"), (final or {}).get("test_acc")
    _say(
        context,
        f"{context.sweep} [{done}/{context.total}] {_describe(config, context.experiment)}: "
        f"{status}, dev_acc {_fmt(dev)}, test_acc {_fmt(test)}, {metrics['wall_seconds']:.0f} s",
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
    with _torch_threads(context.threads):
        _worker_loop(context)


def _worker_loop(context: WorkerContext) -> None:
    storage = open_storage(context.spec)
    import optuna

    study = optuna.load_study(study_name=context.study_name, storage=storage)
    study_id = _study_id(storage, context.study_name)
    states = _states()
    keys = set(context.keys)
    watch = StaleWatch(context.grace)
    announced = False
    while True:
        popped = _pop(storage, study_id, keys)
        if popped is not None:
            run_trial(context, storage, study, study_id, popped)
            continue
        ours = [t for t in study.get_trials(deepcopy=False) if t.user_attrs.get(KEY) in keys]
        running = [t for t in ours if t.state == states.RUNNING]
        if not running and not any(t.state == states.WAITING for t in ours):
            return
        lost = [t for t in running if watch.is_stale(t)]
        for trial in lost:
            if _fail(storage, _trial_id(storage, study_id, trial.number), "worker lost"):
                _say(context, f"{context.sweep} #{trial.number}: worker lost, queued again")
                _requeue(context.spec, storage, study, trial)
        if not lost:
            if not announced and running:
                _say(
                    context, f"{context.sweep}: waiting for {len(running)} running configuration(s)"
                )
                announced = True
            time.sleep(context.poll)


def _interrupt_on_sigterm() -> None:
    """In a worker process: ignore Ctrl-C (the parent decides) and turn the parent's SIGTERM
    into one KeyboardInterrupt, so the running trial is marked failed on the way out."""

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: let the cleanup finish
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, handler)


def _worker_process(context: WorkerContext, errors: Any) -> None:
    """Entry point of a spawned worker: report how it ended on the ``errors`` queue."""
    _interrupt_on_sigterm()
    try:
        worker_loop(context)
        errors.put(None)
    except KeyboardInterrupt:
        errors.put(("interrupted", ""))
    except DlbasicsError as error:
        errors.put(("error", str(error)))
    except BaseException as error:  # noqa: BLE001  reported to the parent, which raises
        errors.put(("crash", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While the workers run, treat SIGTERM (``kill``, a CI timeout) like Ctrl-C, so that running
    trials are marked failed and worker processes are stopped rather than orphaned."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: let the cleanup finish
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_workers(context: WorkerContext, jobs: int) -> None:
    """Work in this process, plus ``jobs - 1`` spawned worker processes beside it.

    This process is a worker too: it starts training at once, while the spawned ones spend a few
    seconds importing and loading the data (on 2 cores, 2 spawned workers plus an idle parent
    made ``--jobs 2`` only 1.44x faster than ``--jobs 1`` on the full data).

    Ctrl-C: the spawned workers ignore SIGINT; this process marks its own running trial failed,
    sends them SIGTERM, on which each marks its running trial failed (a rerun resumes them all)
    and exits. An error of this process's own trials stops the spawned workers the same way.
    """
    if jobs == 1:
        worker_loop(context)
        return
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
    outcomes = []
    for _ in processes:
        try:
            outcomes.append(errors.get(timeout=5))
        except queue.Empty:
            break
    for outcome in outcomes:
        if outcome is None:
            continue
        kind, message = outcome
        if kind == "interrupted":
            raise KeyboardInterrupt
        if kind == "error":
            raise DlbasicsError(message)
        raise RuntimeError(f"a sweep worker crashed: {message}")
    if len(outcomes) < len(processes):
        codes = ", ".join(str(p.exitcode) for p in processes)
        raise RuntimeError(f"a sweep worker ended abnormally (exit codes {codes})")


# ----------------------------------------------------------------------------- q4.3's base


def _from_sweep_json(path: Path, needs: str, request: Request) -> tuple[dict[str, Any], str]:
    try:
        sweep = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path} not found: pass --from the output directory of a finished "
            f"`dlbasics sweep {needs}`"
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigError(f"{path}: unreadable sweep.json ({error})") from None
    if sweep.get("sweep") != needs:
        raise ConfigError(f"{path} is the result of sweep {sweep.get('sweep')!r}, not {needs}")
    best = sweep.get("best") or {}
    if not best.get("config"):
        raise ConfigError(f"{path}: sweep {needs} has no finished configuration to start from")
    if (
        sweep.get("data_limit") != request.data.limit
    ):  # a --limit smoke run is no base for a full one

        def describe(limit: Any) -> str:
            return "the full data" if limit is None else f"--limit {limit}"

        raise ConfigError(
            f"{path}: sweep {needs} ran on {describe(sweep.get('data_limit'))}, this "
            f"{request.name} on {describe(request.data.limit)}; use the same data for both"
        )
    return dict(best["config"]), str(path)


def _from_storage(
    storage: Any, study_name: str, needs: str, request: Request, display: str
) -> tuple[dict[str, Any], str] | None:
    """The best finished configuration of study ``study_name`` with the same settings, or None
    when that study does not exist there."""
    import optuna

    try:
        study = optuna.load_study(study_name=study_name, storage=storage)
    except KeyError:
        return None
    states = _states()
    same = [
        t
        for t in study.get_trials(deepcopy=False)
        if t.user_attrs.get("seed") == request.seed
        and t.user_attrs.get("engine") == request.engine
        and t.user_attrs.get("data_limit") == request.data.limit
        and (
            request.epochs is None
            or (t.user_attrs.get("config") or {}).get("epochs") == request.epochs
        )
    ]
    pending = [t for t in same if t.state in (states.WAITING, states.RUNNING)]
    if pending:
        raise ConfigError(
            f"sweep {needs} (study {study_name!r} in {display}) is not finished: "
            f"{len(pending)} configuration(s) still waiting or running"
        )
    done = [t for t in same if t.state == states.COMPLETE and t.user_attrs.get(OUTCOME) == "ok"]
    if not done:
        return None
    best = max(
        done, key=lambda t: ((t.user_attrs.get("final") or {}).get(OBJECTIVE, -1), -t.number)
    )
    return dict(best.user_attrs["config"]), f"study {study_name!r} in {display}"


def resolve_base(
    definition: SweepDefinition,
    request: Request,
    storage: Any,
    spec: StorageSpec,
    study_name: str,
    out_dir: Path,
    from_dir: Path | None,
) -> tuple[dict[str, Any], str] | tuple[None, None]:
    """The configuration a dependent sweep (q4.3) starts from: the best of ``definition.needs``.

    Looked up in ``--from DIR`` when given; else in the same storage (``storage`` None: nothing
    there yet), under the study name with the sweep name swapped (``q4.2`` for ``q4.3``); else
    in ``OUT/../q4.2/sweep.json`` (the default layout of ``dlbasics sweep``)."""
    needs = definition.needs
    if needs is None:
        return None, None
    if from_dir is not None:
        config, source = _from_sweep_json(Path(from_dir) / "sweep.json", needs, request)
    else:
        other = (
            study_name.replace(definition.name, needs) if definition.name in study_name else needs
        )
        found = (
            None if storage is None else _from_storage(storage, other, needs, request, spec.display)
        )
        sibling = Path(out_dir).parent / needs / "sweep.json"
        if found is not None:
            config, source = found
        elif sibling.is_file():
            config, source = _from_sweep_json(sibling, needs, request)
        else:
            raise ConfigError(
                f"sweep {definition.name} starts from the best configuration of {needs}, found "
                f"neither in {spec.display} nor in {sibling}: run `dlbasics sweep {needs}` first "
                f"with the same --out parent/--storage, or pass --from DIR"
            )
    config.pop("epochs", None)  # the epochs come from this sweep's request
    return config, source


# ----------------------------------------------------------------------------- results


def _trial_entry(trial: Any, index: int) -> dict[str, Any]:
    states = _states()
    attrs = trial.user_attrs
    if trial.state == states.COMPLETE:
        status = attrs.get(OUTCOME, "ok")
    elif trial.state == states.FAIL:
        status = "failed"
    else:
        status = trial.state.name.lower()
    entry: dict[str, Any] = {
        "number": trial.number,
        "config": attrs.get("config"),
        "final": attrs.get("final") or {"train_loss": None, "dev_acc": None, "test_acc": None},
        "history": attrs.get("history") or [],
        "seconds": attrs.get("seconds"),
        "status": status,
    }
    message = attrs.get("message") if status != "failed" else attrs.get(FAIL_REASON)
    if message:
        entry["message"] = str(message).splitlines()[0]
    entry["_index"] = index
    return entry


def collect(study: Any, planned: list[Planned]) -> list[dict[str, Any]]:
    """One entry per planned configuration, in grid order: its completed trial, else its latest
    failed one (a duplicate skipped before running is never shown)."""
    states = _states()
    by_key: dict[str, list[Any]] = {}
    for trial in study.get_trials(deepcopy=False):
        by_key.setdefault(trial.user_attrs.get(KEY), []).append(trial)
    entries = []
    for item in planned:
        trials = [t for t in by_key.get(item.key, []) if t.user_attrs.get(FAIL_REASON) != DUPLICATE]
        complete = [t for t in trials if t.state == states.COMPLETE]
        chosen = min(complete, key=lambda t: t.number) if complete else None
        if chosen is None and trials:
            chosen = max(trials, key=lambda t: t.number)
        if chosen is not None:
            entries.append(_trial_entry(chosen, item.index))
    return entries


def pick_best(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Highest validation accuracy among the configurations that finished without diverging;
    ties go to the earlier configuration of the grid."""
    ok = [
        e
        for e in entries
        if e["status"] == "ok" and isinstance(e["final"].get(OBJECTIVE), float | int)
    ]
    if not ok:
        return None
    best = max(ok, key=lambda e: (e["final"][OBJECTIVE], -e["_index"]))
    return {"number": best["number"], "config": best["config"], "final": best["final"]}


def _fmt(value: Any, digits: int = 4) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:.{digits}f}"
    return "n/a"


def varying_keys(entries: list[dict[str, Any]]) -> list[str]:
    """Hyperparameters that differ between the configurations (what the table shows)."""
    configs = [e["config"] or {} for e in entries]
    keys = list(configs[0]) if configs else []
    varying = [k for k in keys if len({json.dumps(c.get(k)) for c in configs}) > 1]
    return varying or [k for k in ("learning_rate",) if k in keys]


def _label(config: dict[str, Any], keys: list[str]) -> str:
    return ", ".join(f"{k}={config.get(k)}" for k in keys)


def render_markdown(result: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    keys = varying_keys(entries)
    best = result.get("best") or {}
    lines = [
        f"# Sweep {result['sweep']}: {result['title']}",
        "",
        f"Study `{result['study']}` in `{result['storage']}`; grid `{result['grid']}`; objective: "
        f"validation accuracy (maximize); experiment `{result['experiment']}`, engine "
        f"`{result['engine']}`, seed {result['seed']}, "
        + (
            "full data"
            if result["data_limit"] is None
            else f"first {result['data_limit']} examples per split"
        )
        + ".",
        "",
    ]
    if result.get("base"):
        also = ""
        if result["sweep"] == "q4.3" and result["grid"] == "report":
            rate = (result.get("defaults") or {}).get("learning_rate")
            also = (
                f" and from the defaults (learning rate {rate}: the report's q4.3 numbers are"
                " those of the defaults, see docs/sweeps.md)"
            )
        lines += [f"Starts from the best configuration of {result['base']['source']}{also}.", ""]
    header = [*keys, "train loss", "dev acc", "test acc", "seconds", "status"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for entry in entries:
        config = entry["config"] or {}
        final = entry["final"]
        mark = " **(best)**" if best and entry["number"] == best.get("number") else ""
        seconds = entry.get("seconds")
        cells = [
            *(str(config.get(k)) for k in keys),
            _fmt(final.get("train_loss")),
            _fmt(final.get("dev_acc")),
            _fmt(final.get("test_acc")),
            f"{seconds:.0f}" if isinstance(seconds, float | int) else "n/a",
            entry["status"] + mark,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if best:
        final = best["final"]
        lines.append(
            f"**Best** (highest validation accuracy): {_label(best['config'], keys)}: training loss "
            f"{_fmt(final.get('train_loss'))}, validation accuracy {_fmt(final.get('dev_acc'))}, "
            f"test accuracy {_fmt(final.get('test_acc'))}."
        )
    else:
        lines.append("**Best**: none (no configuration finished without diverging).")
    failed = [e for e in entries if e["status"] not in ("ok",)]
    for entry in failed:
        lines.append("")
        lines.append(
            f"- {_label(entry['config'] or {}, keys)}: {entry['status']}: {entry.get('message', '')}"
        )
    return "\n".join(lines).rstrip() + "\n"


def draw_figures(
    result: dict[str, Any], entries: list[dict[str, Any]], out_dir: Path
) -> list[Path]:
    """Training loss and validation accuracy per epoch of every configuration, best in bold."""
    from dlbasics.plotting.plots import Series, line_figure

    keys = varying_keys(entries)
    best = result.get("best") or {}
    highlight = _label(best["config"], keys) if best else None

    def series(metric: str) -> Series:
        lines: Series = {}
        for entry in entries:
            history = entry["history"] or []
            if history:
                xs = [float(r["epoch"]) for r in history]
                ys = [math.nan if r.get(metric) is None else float(r[metric]) for r in history]
                lines[_label(entry["config"] or {}, keys)] = (xs, ys)
        return lines

    title = f"{result['sweep']}: {result['title']}"
    return [
        line_figure(
            series("train_loss"),
            out_dir / "sweep_loss.png",
            xlabel="epoch",
            ylabel="training loss",
            title=title,
            highlight=highlight,
        ),
        line_figure(
            series("dev_acc"),
            out_dir / "sweep_dev_acc.png",
            xlabel="epoch",
            ylabel="validation accuracy",
            title=title,
            highlight=highlight,
        ),
    ]


def write_results(result: dict[str, Any], entries: list[dict[str, Any]], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(entry["history"] for entry in entries):
        draw_figures(result, entries, out_dir)
    write_text_atomic(out_dir / "sweep.md", render_markdown(result, entries))
    write_json_atomic(out_dir / "sweep.json", result)


# ----------------------------------------------------------------------------- entry point


def run_sweep(
    name: str,
    *,
    grid: str = "report",
    out_dir: Path,
    storage: str | None = None,
    study_name: str | None = None,
    jobs: int = 1,
    epochs: int | None = None,
    seed: int = 42,
    engine: str | None = None,
    data: DataOptions | None = None,
    quiet: bool = True,
    from_dir: Path | None = None,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    grace_seconds: float = GRACE_SECONDS,
) -> dict[str, Any]:
    """Run sweep ``name`` (q4.1, q4.2, q4.3) to completion and return the ``sweep.json`` content.

    Any number of such calls (processes, machines) may run at once on one study (same
    ``storage`` and ``study_name``): each configuration runs once in total, and each call
    returns when all have finished. Writes ``out_dir``/sweep.json, sweep.md, sweep_loss.png and
    sweep_dev_acc.png; the default storage is a journal file in ``out_dir``.
    """
    definition = get_sweep(name)
    if not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"invalid --jobs {jobs!r}: must be an integer >= 1")
    if not 0 < heartbeat_seconds < grace_seconds:
        raise ConfigError(
            "the heartbeat interval must be positive and shorter than the grace period"
        )
    out_dir = Path(out_dir)
    experiment = registry.get(definition.experiment)
    request = Request(
        name=name,
        grid=grid,
        epochs=epochs,
        seed=seed,
        engine=engine or experiment.default_engine,
        data=data or DataOptions(),
    )
    plan(definition, request)  # bad grid, engine or epochs: fail before touching any storage
    spec = parse_storage(storage, out_dir)
    study_name = study_name or name
    # A journal file that does not exist yet holds no study to start from: create it (and the
    # output folder) only once the base configuration is known, so a failed lookup leaves nothing.
    exists = spec.kind != "journal" or Path(spec.url).is_file()
    opened = open_storage(spec) if exists else None
    base, base_source = resolve_base(
        definition, request, opened, spec, study_name, out_dir, from_dir
    )
    planned = plan(definition, request, base)
    if opened is None:
        opened = open_storage(spec)
    study = open_study(opened, study_name, name, spec.display)
    added = enqueue_missing(spec, opened, study, planned, name, request)
    if not quiet:
        print(
            f"{name}: {len(planned)} configurations, {len(planned) - added} already in study "
            f"{study_name!r} at {spec.display}; {jobs} worker(s)",
            file=sys.stderr,
            flush=True,
        )
    threads = None
    if jobs > 1:  # share the cores between the local workers instead of oversubscribing them
        from dlbasics.results.provenance import physical_cores

        threads = max(1, physical_cores() // jobs)
    context = WorkerContext(
        spec=spec,
        study_name=study_name,
        sweep=name,
        experiment=definition.experiment,
        space=definition.space,
        keys=tuple(item.key for item in planned),
        total=len(planned),
        seed=seed,
        engine=request.engine,
        data=request.data,
        quiet=quiet,
        show_bars=not quiet and jobs == 1 and sys.stderr.isatty(),
        heartbeat=heartbeat_seconds,
        grace=grace_seconds,
        poll=min(1.0, heartbeat_seconds),
        threads=threads,
    )
    with _sigterm_interrupts():
        run_workers(context, jobs)

    entries = collect(study, planned)
    best = pick_best(entries)
    result: dict[str, Any] = {
        "sweep": name,
        "title": definition.title,
        "grid": grid,
        "study": study_name,
        "storage": spec.display,
        "experiment": definition.experiment,
        "engine": request.engine,
        "seed": seed,
        "epochs": planned[0].config.get("epochs") if planned else epochs,
        "data_limit": request.data.limit,
        "objective": f"{OBJECTIVE} (maximize)",
        "trials": [{k: v for k, v in e.items() if k != "_index"} for e in entries],
        "best": best,
        # the experiment's defaults (the homework's Table 1) at this sweep's epochs: what q4.3's
        # report grid also starts from, and how a reader tells those trials apart
        "defaults": validate_config(
            experiment, {} if request.epochs is None else {"epochs": request.epochs}
        ),
    }
    if base is not None:
        result["base"] = {"config": base, "source": base_source}
    write_results(result, entries, out_dir)
    return result
