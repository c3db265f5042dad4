"""Reproduce the whole Homework 1 report: every step in order, cached, resumable, then the report.

The steps, in the report's order::

    verify-math  Q1, Q2.1, Q3.2a: the derivations, checked numerically
    q2.2a q2.2b  Q2.2: linear and neural regression on Ames
    q3.1a q3.1b  Q3.1: perceptron and logistic regression on Fashion-MNIST
    q3.2b        Q3.2b: the from-scratch MLP
    q4.1 q4.2    Q4.1, Q4.2: learning-rate sweeps of the PyTorch models
    q4.3         Q4.3: 2 and 3 hidden layers, from q4.2's best configuration and from the
                 defaults (the report's q4.3 numbers are the defaults')

**Cache.** Each step's work lands in ``OUT/cache/<step>-<hash>/``, where the hash is taken over
the step's *key*: its name, configuration, seed, engine, data source and the code version (a
hash of the dlbasics source files that shape results). The last file written there is
``done.json`` (atomically); a step whose ``done.json`` exists with status ``ok`` is not run again.
A run interrupted mid-step leaves no ``done.json``: the next run repeats that step (a sweep
resumes its unfinished configurations from its journal). Another configuration (``--quick``,
another seed or engine) gets another folder, so switching back and forth costs nothing.

**Failures.** A step that raises is recorded as failed (``done.json`` with the error, the
traceback in ``error.txt``), the other steps still run, the report shows the failure, and
:func:`reproduce` reports it to the caller (the CLI exits non-zero).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import resource
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from dlbasics.data.options import DataOptions
from dlbasics.errors import ConfigError, DlbasicsError
from dlbasics.progress import bar, progress_enabled
from dlbasics.results.io import write_json_atomic, write_text_atomic

StepKind = Literal["verify-math", "experiment", "sweep"]

ENGINES = ("reference", "fast", "torch")


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


STEPS: tuple[Step, ...] = (
    Step("verify-math", "verify-math", "Q1, Q2.1, Q3.2a", "The derivations, checked numerically"),
    Step("q2.2a", "experiment", "Q2.2a", "Linear regression on Ames", "q2.2a"),
    Step("q2.2b", "experiment", "Q2.2b", "Neural regression on Ames", "q2.2b"),
    Step("q3.1a", "experiment", "Q3.1a", "Perceptron on Fashion-MNIST", "q3.1a"),
    Step("q3.1b", "experiment", "Q3.1b", "Logistic regression on Fashion-MNIST", "q3.1b"),
    Step("q3.2b", "experiment", "Q3.2b", "Multi-layer perceptron on Fashion-MNIST", "q3.2b"),
    Step("q4.1", "sweep", "Q4.1", "Q4 logistic regression: learning-rate sweep", "q4-logreg"),
    Step("q4.2", "sweep", "Q4.2", "Q4 feed-forward network: learning-rate sweep", "q4-ffn"),
    Step(
        "q4.3",
        "sweep",
        "Q4.3",
        "Q4 feed-forward network: 2 and 3 hidden layers",
        "q4-ffn",
        ("q4.2",),
    ),
)
STEP_NAMES = tuple(step.name for step in STEPS)
_BY_NAME = {step.name: step for step in STEPS}

# --quick: a subset of every split and a few epochs, enough to run every code path.
QUICK_LIMIT = 600
QUICK_EPOCHS = {"q2.2a": 5, "q2.2b": 5}
QUICK_DEFAULT_EPOCHS = 2
QUICK_VERIFY_CASES = 20
FULL_VERIFY_CASES = 200

# Rough seconds per step on an idle 2-core machine with the default engines, used for the ETA
# until this output folder has timings of its own (cache/timings.json).
ESTIMATES_FULL = {
    "verify-math": 10,
    "q2.2a": 12,
    "q2.2b": 25,
    "q3.1a": 15,
    "q3.1b": 15,
    "q3.2b": 50,
    "q4.1": 45,
    "q4.2": 90,
    "q4.3": 100,
}
ESTIMATES_QUICK = {
    "verify-math": 5,
    "q2.2a": 8,
    "q2.2b": 3,
    "q3.1a": 6,
    "q3.1b": 2,
    "q3.2b": 6,
    "q4.1": 10,
    "q4.2": 10,
    "q4.3": 10,
}


@dataclass(frozen=True)
class ReproduceOptions:
    out: Path = Path("report")
    only: tuple[str, ...] | None = None
    quick: bool = False
    jobs: int | None = None  # sweep workers; None: see `sweep_workers`
    engine: str | None = None
    seed: int = 42
    quiet: bool = False
    data: DataOptions = field(default_factory=DataOptions)
    bench: bool = False  # also run `dlbasics bench` and put its table in the report

    @property
    def sweep_workers(self) -> int:
        """Worker processes per sweep: --jobs, else one per CPU core (at most 4: a sweep of the
        report has 2 or 3 configurations) for a full run, and 1 for --quick (starting a worker
        process costs more than a quick configuration)."""
        if self.jobs is not None:
            return self.jobs
        return 1 if self.quick else max(1, min(os.cpu_count() or 1, 4))

    @property
    def effective_data(self) -> DataOptions:
        """The data options the steps use: --quick caps every split at QUICK_LIMIT examples."""
        if self.quick and self.data.limit is None:
            return dataclasses.replace(self.data, limit=QUICK_LIMIT)
        return self.data


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


@dataclass
class ReproduceResult:
    outcomes: list[StepOutcome]
    report_files: list[Path]
    wall_seconds: float
    selected: set[str] = field(default_factory=set)
    bench_error: str = ""

    @property
    def failed(self) -> list[StepOutcome]:
        """Failed steps among those this reproduction was asked for (--only, or all)."""
        return [o for o in self.outcomes if o.status == "failed" and o.step.name in self.selected]


# ----------------------------------------------------------------------------- validation


def parse_only(text: str | None) -> tuple[str, ...] | None:
    """``"q3.1b,q4.2"`` -> ("q3.1b", "q4.2"); ConfigError naming any unknown step."""
    if text is None:
        return None
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise ConfigError(f"--only needs at least one step name: {', '.join(STEP_NAMES)}")
    unknown = [name for name in names if name not in _BY_NAME]
    if unknown:
        raise ConfigError(
            f"unknown step {', '.join(map(repr, unknown))} in --only; "
            f"choose from: {', '.join(STEP_NAMES)}"
        )
    return names


def check_options(options: ReproduceOptions) -> None:
    """Reject bad options before anything is written."""
    if options.only is not None:
        parse_only(",".join(options.only))
    if options.engine is not None and options.engine not in ENGINES:
        raise ConfigError(f"unknown engine {options.engine!r}; choose one of: {', '.join(ENGINES)}")
    if options.jobs is not None and options.jobs < 1:
        raise ConfigError(f"invalid --jobs {options.jobs}: must be an integer >= 1")


def ensure_writable(out: Path) -> None:
    """Create ``out`` and prove we can write there, or fail with one clear line."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DlbasicsError(f"cannot write the report to {out}: {reason}") from None


# ----------------------------------------------------------------------------- cache keys

# Source files that only present results (the CLI, the report writer, this pipeline) are left out
# of the code version, so improving the report does not retrain everything. (plotting/ draws the
# runs' own figures, so it counts.)
_PRESENTATION = ("cli/", "documents/", "report/", "reproduce.py")


def code_version(root: Path | None = None) -> str:
    """A hash of the dlbasics source files that shape results (16 hex digits).

    ``root``: the package folder (default: this installed dlbasics).
    """
    root = root or Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(_PRESENTATION):
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def resolve_engine(step: Step, requested: str | None) -> tuple[str | None, str]:
    """The engine ``step`` runs on, and a note when the requested one is not available there."""
    if step.experiment is None:
        return None, ""
    from dlbasics.experiments import registry

    try:
        experiment = registry.get(step.experiment)
    except Exception:  # not importable yet: the step itself will fail and say why
        return requested, ""
    if requested is None or requested in experiment.engines:
        return requested or experiment.default_engine, ""
    return experiment.default_engine, (
        f"{step.name} has no {requested!r} engine (it has {', '.join(experiment.engines)}); "
        f"it ran on its default, {experiment.default_engine!r}"
    )


def step_config(step: Step, options: ReproduceOptions) -> dict[str, Any]:
    """The configuration of ``step`` under ``options`` (part of its cache key)."""
    if step.kind == "verify-math":
        return {"cases": QUICK_VERIFY_CASES if options.quick else FULL_VERIFY_CASES}
    data = options.effective_data
    config: dict[str, Any] = {
        "data_limit": data.limit,
        "data_dir": str(data.data_dir) if data.data_dir else None,
        "ames_path": str(data.ames_path) if data.ames_path else None,
    }
    epochs = QUICK_EPOCHS.get(step.name, QUICK_DEFAULT_EPOCHS) if options.quick else None
    if step.kind == "experiment":
        config["overrides"] = {"epochs": epochs} if epochs else {}
    else:
        config["grid"] = "report"
        config["epochs"] = epochs
    return config


def step_key(
    step: Step, options: ReproduceOptions, engine: str | None, version: str, needs: dict[str, str]
) -> dict[str, Any]:
    return {
        "step": step.name,
        "config": step_config(step, options),
        "seed": options.seed,
        "engine": engine,
        "code_version": version,
        "needs": needs,  # the key hashes of the steps it reads from
    }


def key_hash(key: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]


def cache_dir(out: Path, step: Step, key: dict[str, Any]) -> Path:
    return out / "cache" / f"{step.name}-{key_hash(key)}"


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


# ----------------------------------------------------------------------------- the steps


class StepFailed(Exception):
    """A step finished but its result is a failure (a FAIL claim, a diverged run)."""


def _run_verify_math(step: Step, outcome: StepOutcome, options: ReproduceOptions) -> None:
    from dlbasics import theory

    cases = outcome.key["config"]["cases"]
    results = theory.verify_all(cases=cases, seed=options.seed)
    payload = theory.results_to_json(results)
    write_json_atomic(outcome.dir / "verify-math.json", payload)
    failed = [claim["name"] for claim in payload["claims"] if claim.get("status") != "PASS"]
    if failed:
        raise StepFailed(f"{len(failed)} claim(s) failed: {', '.join(failed)}")


def _run_experiment(step: Step, outcome: StepOutcome, options: ReproduceOptions) -> None:
    from dlbasics.experiments.runner import run_experiment

    metrics = run_experiment(
        step.experiment or step.name,
        outcome.key["config"]["overrides"],
        seed=options.seed,
        engine=outcome.engine,
        out_dir=outcome.dir,
        data=options.effective_data,
        quiet=not progress_enabled(options.quiet),
    )
    if metrics.get("status", "ok") != "ok":
        raise StepFailed(metrics.get("message") or f"status {metrics.get('status')}")


def _run_sweep(step: Step, outcome: StepOutcome, options: ReproduceOptions, needs: dict) -> None:
    from dlbasics.sweep import run_sweep

    extra: dict[str, Any] = {}
    if "q4.2" in step.needs:
        extra["from_dir"] = needs["q4.2"].dir
    result = run_sweep(
        step.name,
        grid=outcome.key["config"]["grid"],
        out_dir=outcome.dir,
        jobs=options.sweep_workers,
        epochs=outcome.key["config"]["epochs"],
        seed=options.seed,
        engine=outcome.engine,
        data=options.effective_data,
        quiet=not progress_enabled(options.quiet),
        **extra,
    )
    if not (result or {}).get("best"):
        raise StepFailed("no configuration of the sweep finished")


def _run_step(step: Step, outcome: StepOutcome, options: ReproduceOptions, needs: dict) -> None:
    if step.kind == "verify-math":
        _run_verify_math(step, outcome, options)
    elif step.kind == "experiment":
        _run_experiment(step, outcome, options)
    else:
        _run_sweep(step, outcome, options, needs)


# ----------------------------------------------------------------------------- progress


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Display:
    """The overall progress: step i/N, elapsed, ETA; each step shows its own bar below it.

    On a terminal an outer bar is refreshed every second; otherwise (logs, CI) one line is
    printed when a step starts and one when it ends. ``--quiet`` prints nothing.
    """

    def __init__(self, total: int, estimates: dict[str, float], *, quiet: bool) -> None:
        self.total = total
        self.estimates = estimates
        self.quiet = quiet
        self.tty = progress_enabled(quiet)
        self.started = time.monotonic()
        self.step_started = self.started
        self.remaining: list[str] = []
        self.current = ""
        self.index = 0
        self._bar: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def eta(self) -> tuple[float, bool]:
        """Seconds left (the rest of the current step's estimate plus the later steps'), and
        whether the current step has overrun its estimate (then the figure is a lower bound)."""
        now = time.monotonic()
        current = self.estimates.get(self.current, 0.0) - (now - self.step_started)
        later = sum(self.estimates.get(name, 0.0) for name in self.remaining)
        return max(current, 0.0) + later, current < 0

    def _status(self) -> str:
        elapsed = time.monotonic() - self.started
        left, overrun = self.eta()
        return f"elapsed {_clock(elapsed)} · ETA {'>' if overrun else '~'}{_clock(left)}"

    def _describe(self) -> str:
        return f"reproduce [{self.index}/{self.total}] {self.current} · {self._status()}"

    def begin(self, plan: list[str]) -> None:
        self.remaining = list(plan)
        if self.tty:
            self._bar = bar(
                total=self.total,
                enabled=True,
                desc="reproduce",
                bar_format="{desc} |{bar:16}|",
                position=0,
                leave=True,
            )
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            if self._bar is not None and self.current:
                self._bar.set_description_str(self._describe())

    def start(self, index: int, step: Step) -> None:
        self.index = index
        self.current = step.name
        self.step_started = time.monotonic()
        if step.name in self.remaining:
            self.remaining.remove(step.name)
        if self._bar is not None:
            self._bar.set_description_str(self._describe())
        elif not self.quiet:
            self._line(
                f"[{index}/{self.total}] {step.name} ({step.title}): running · {self._status()}"
            )

    def finish(self, index: int, outcome: StepOutcome) -> None:
        how = "cached" if outcome.cached else f"{outcome.wall_seconds or 0:.1f} s"
        text = f"[{index}/{self.total}] {outcome.step.name}: {outcome.status} ({how})"
        if outcome.status == "failed":
            text += f": {outcome.error}"
        if self._bar is not None:
            self._bar.write(text, file=sys.stderr)
            self._bar.update(1)
        elif not self.quiet:
            self._line(text)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._bar is not None:
            elapsed = _clock(time.monotonic() - self.started)
            self._bar.set_description_str(
                f"reproduce: {self.index}/{self.total} steps in {elapsed}"
            )
            self._bar.close()

    @staticmethod
    def _line(text: str) -> None:
        print(text, file=sys.stderr, flush=True)


def _timings_path(out: Path) -> Path:
    return out / "cache" / "timings.json"


def _estimates(out: Path, quick: bool) -> dict[str, float]:
    """Per-step seconds for the ETA: this folder's last timings, else the built-in guesses."""
    estimates = dict(ESTIMATES_QUICK if quick else ESTIMATES_FULL)
    recorded = read_json(_timings_path(out)) or {}
    estimates.update(recorded.get("quick" if quick else "full", {}))
    return {name: float(seconds) for name, seconds in estimates.items()}


def _record_timing(out: Path, quick: bool, name: str, seconds: float) -> None:
    recorded = read_json(_timings_path(out)) or {}
    recorded.setdefault("quick" if quick else "full", {})[name] = round(seconds, 2)
    write_json_atomic(_timings_path(out), recorded)


# ----------------------------------------------------------------------------- the pipeline


def plan_outcomes(options: ReproduceOptions) -> tuple[list[StepOutcome], list[str]]:
    """Every step's key, folder and cached state; and the names of the steps to run now, in order.

    Steps named by --only run unless cached; a step they need that is neither selected nor cached
    is added (q4.3 needs q4.2's sweep).
    """
    version = code_version()
    outcomes: dict[str, StepOutcome] = {}
    for step in STEPS:
        engine, note = resolve_engine(step, options.engine)
        needs = {name: key_hash(outcomes[name].key) for name in step.needs}
        key = step_key(step, options, engine, version, needs)
        outcome = StepOutcome(
            step, "not run", key, cache_dir(options.out, step, key), engine=engine
        )
        if note:
            outcome.engine_note = note
        done = read_json(outcome.dir / "done.json")
        if done is not None and done.get("key") == key:
            outcome.status = done.get("status", "failed")
            outcome.cached = True
            outcome.error = done.get("error", "")
            outcome.wall_seconds = done.get("wall_seconds")
            outcome.cpu_seconds = done.get("cpu_seconds")
            outcome.finished_at = done.get("finished_at")
            outcome.engine_note = done.get("engine_note", outcome.engine_note)
        outcomes[step.name] = outcome

    wanted = set(options.only or STEP_NAMES)
    for step in reversed(STEPS):  # needs point backwards, so one reverse pass closes the set
        if step.name in wanted:
            for need in step.needs:
                if need not in wanted and not outcomes[need].ok:
                    wanted.add(need)
                    outcomes[step.name].notes.append(
                        f"{need} ran too: {step.name} needs its result"
                    )
    to_run = [s.name for s in STEPS if s.name in wanted and not outcomes[s.name].ok]
    return [outcomes[step.name] for step in STEPS], to_run


def reproduce(
    options: ReproduceOptions,
    *,
    build_report: bool = True,
    step_runner: Callable[[Step, StepOutcome, ReproduceOptions, dict], None] | None = None,
) -> ReproduceResult:
    """Run the missing or changed steps, then write the report. See the module docstring.

    ``step_runner`` replaces the real step functions (tests use it to inject a failure).
    """
    check_options(options)
    ensure_writable(options.out)
    run_step = step_runner or _run_step
    started = time.monotonic()
    outcomes, to_run = plan_outcomes(options)
    by_name = {outcome.step.name: outcome for outcome in outcomes}
    wanted = set(options.only or STEP_NAMES) | set(to_run)
    display = Display(len(wanted), _estimates(options.out, options.quick), quiet=options.quiet)
    display.begin(to_run)
    index = 0
    try:
        for outcome in outcomes:
            name = outcome.step.name
            if name not in wanted:
                continue
            index += 1
            display.start(index, outcome.step)
            if name in to_run:
                _execute(outcome, options, by_name, run_step)
                if outcome.wall_seconds is not None and outcome.status == "ok":
                    _record_timing(options.out, options.quick, name, outcome.wall_seconds)
            display.finish(index, outcome)
    except KeyboardInterrupt:
        display.close()
        print(
            f"interrupted during {display.current}: finished steps are cached in "
            f"{options.out / 'cache'}; run the same command again to resume",
            file=sys.stderr,
        )
        raise
    display.close()
    bench_error = run_bench(options) if options.bench else ""
    report_files: list[Path] = []
    if build_report:
        from dlbasics.report.build import write_report

        report_files = write_report(
            outcomes, options, wall_seconds=time.monotonic() - started, ran=set(to_run)
        )
    return ReproduceResult(outcomes, report_files, time.monotonic() - started, wanted, bench_error)


def run_bench(options: ReproduceOptions) -> str:
    """Run `dlbasics bench` and write OUT/bench.json; returns an error message, or "" if it ran.

    Not cached: a benchmark measures this machine now.
    """
    from dlbasics.bench import BenchOptions
    from dlbasics.bench import run_bench as bench

    data_dir = options.data.data_dir
    if options.quick:  # a subset of the training set, fewer epochs for the linear models
        settings = BenchOptions(data_dir=data_dir, limit=2000, linear_epochs=2)
    else:
        settings = BenchOptions(data_dir=data_dir)
    if not options.quiet:
        print("bench: timing every engine (each case in a fresh process)...", file=sys.stderr)
    try:
        report = bench(settings)
    except (DlbasicsError, OSError, RuntimeError) as error:
        return f"bench failed: {error}"
    write_text_atomic(options.out / "bench.json", report.to_json() + "\n")
    return ""


def _execute(
    outcome: StepOutcome,
    options: ReproduceOptions,
    by_name: dict[str, StepOutcome],
    run_step: Callable[[Step, StepOutcome, ReproduceOptions, dict], None],
) -> None:
    """Run one step in its cache folder and record the result; ``done.json`` is written last."""
    step = outcome.step
    outcome.cached = False
    outcome.dir.mkdir(parents=True, exist_ok=True)
    (outcome.dir / "done.json").unlink(missing_ok=True)
    write_json_atomic(outcome.dir / "started.json", {"key": outcome.key, "started_at": _now()})
    needs = {name: by_name[name] for name in step.needs}
    begin, cpu_begin = time.perf_counter(), cpu_seconds()
    try:
        missing = [name for name, need in needs.items() if not need.ok]
        if missing:
            raise StepFailed(f"not run: it needs {', '.join(missing)}, which did not finish")
        run_step(step, outcome, options, needs)
        outcome.status, outcome.error = "ok", ""
        (outcome.dir / "error.txt").unlink(missing_ok=True)
    except (StepFailed, DlbasicsError) as error:
        outcome.status, outcome.error = "failed", str(error)
        write_text_atomic(outcome.dir / "error.txt", str(error) + "\n")
    except Exception as error:  # any bug in a step: recorded, and the other steps still run
        outcome.status, outcome.error = "failed", f"{type(error).__name__}: {error}"
        write_text_atomic(outcome.dir / "error.txt", traceback.format_exc())
    outcome.wall_seconds = round(time.perf_counter() - begin, 3)
    outcome.cpu_seconds = round(cpu_seconds() - cpu_begin, 3)
    outcome.finished_at = _now()
    record = {
        "key": outcome.key,
        "step": step.name,
        "status": outcome.status,
        "error": outcome.error,
        "engine": outcome.engine,
        "engine_note": outcome.engine_note,
        "wall_seconds": outcome.wall_seconds,
        "cpu_seconds": outcome.cpu_seconds,
        "finished_at": outcome.finished_at,
    }
    write_json_atomic(outcome.dir / "done.json", record)  # last: marks the folder complete


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
