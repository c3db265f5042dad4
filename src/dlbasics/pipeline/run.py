"""The reproduction itself: plan the steps, run the missing ones in order, then the report.

A step that raises is recorded as failed and the others still run (see :mod:`dlbasics.pipeline`).
A finished step whose cached files fail their manifest is computed again, from an emptied
folder, and one line says which file and why. A write that fails because the disk is full or
the folder is not writable stops the reproduction with one :class:`OutputError` naming the
folder: the step is left unfinished (no ``done.json``), and the report is not touched.
"""

from __future__ import annotations

import resource
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dlbasics.data.types import FASHION_MNIST_CLASSES
from dlbasics.errors import DlbasicsError
from dlbasics.pipeline.adapters import StepFailed, run_bench, run_step, working_files
from dlbasics.pipeline.cache import cache_dir, code_version, key_hash, step_key
from dlbasics.pipeline.display import Display
from dlbasics.pipeline.estimates import estimates, record_timing
from dlbasics.pipeline.options import ReproduceOptions, check_options, ensure_writable
from dlbasics.pipeline.steps import STEP_NAMES, STEPS, Step
from dlbasics.report.settings import ReportSettings
from dlbasics.results.io import write_json_atomic, write_text_atomic
from dlbasics.results.staging import WRITE_ERRNOS, OutputError, describe_write_error
from dlbasics.results.steps import STARTED, StepOutcome, read_done, unseal, write_done

StepRunner = Callable[[Step, StepOutcome, ReproduceOptions, dict], None]


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


def plan_outcomes(
    options: ReproduceOptions, version: str | None = None
) -> tuple[list[StepOutcome], list[str]]:
    """Every step's key, folder and cached state; and the names of the steps to run now, in order.

    Steps named by --only run unless cached; a step they need that is neither selected nor cached
    is added (q4.3 needs q4.2's sweep). ``version``: the code version (default: this code's).
    """
    version = version or code_version()
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
        read_done(outcome)
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
    for name in to_run:
        if outcomes[name].cache_problem:
            outcomes[name].notes.append(
                f"recomputed, its cache failed the check: {outcomes[name].cache_problem}"
            )
    return [outcomes[step.name] for step in STEPS], to_run


def report_cache_problems(outcomes: list[StepOutcome], to_run: list[str]) -> None:
    """One line on stderr per finished step whose cached files were not trusted."""
    for outcome in outcomes:
        if outcome.cache_problem:
            name = outcome.step.name
            then = (
                "recomputing"
                if name in to_run
                else f"not used (`reproduce --only {name}` recomputes it)"
            )
            print(f"{name}: {outcome.cache_problem}; {then}", file=sys.stderr, flush=True)


def reproduce(
    options: ReproduceOptions,
    *,
    build_report: bool = True,
    step_runner: StepRunner | None = None,
) -> ReproduceResult:
    """Run the missing or changed steps, then write the report. See :mod:`dlbasics.pipeline`.

    ``step_runner`` replaces the real step functions (tests use it to inject a failure).
    """
    check_options(options)
    ensure_writable(options.out)
    run = step_runner or run_step
    started = time.monotonic()
    version = code_version()
    outcomes, to_run = plan_outcomes(options, version)
    report_cache_problems(outcomes, to_run)
    by_name = {outcome.step.name: outcome for outcome in outcomes}
    wanted = set(options.only or STEP_NAMES) | set(to_run)
    display = Display(len(wanted), estimates(options.out, options.quick), quiet=options.quiet)
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
                with _stop_on_write_error(outcome.dir):
                    _execute(outcome, options, by_name, run)
                if outcome.wall_seconds is not None and outcome.status == "ok":
                    with _stop_on_write_error(options.out / "cache"):
                        record_timing(options.out, options.quick, name, outcome.wall_seconds)
            display.finish(index, outcome)
    except OutputError:  # a full disk: the finished steps stay cached, the report untouched
        display.close()
        raise
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
            outcomes,
            report_settings(options, version),
            wall_seconds=time.monotonic() - started,
            ran=set(to_run),
        )
    return ReproduceResult(outcomes, report_files, time.monotonic() - started, wanted, bench_error)


def report_settings(options: ReproduceOptions, version: str) -> ReportSettings:
    """What the report needs to know of this reproduction beyond the steps' records."""
    data = options.effective_data
    return ReportSettings(
        out=options.out,
        quick=options.quick,
        seed=options.seed,
        engine=options.engine,
        sweep_workers=options.sweep_workers,
        data_limit=data.limit,
        code_version=version,
        class_names=FASHION_MNIST_CLASSES,
        # Loaded only if the report draws the misclassified images, as before the split.
        test_images=lambda: data.fashion_mnist().test.X,
    )


@contextmanager
def _stop_on_write_error(folder: Path) -> Iterator[None]:
    """A full disk or a folder that is not writable: one :class:`OutputError` naming ``folder``."""
    try:
        yield
    except OSError as error:
        if error.errno not in WRITE_ERRNOS:
            raise
        raise OutputError(describe_write_error(error, folder)) from None


def _execute(
    outcome: StepOutcome,
    options: ReproduceOptions,
    by_name: dict[str, StepOutcome],
    run: StepRunner,
) -> None:
    """Run one step in its cache folder and record the result; ``done.json`` and the manifest
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
    needs = {name: by_name[name] for name in step.needs}
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
