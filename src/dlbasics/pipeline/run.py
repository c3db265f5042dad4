"""The reproduction itself: plan the units, run the missing ones, then the report.

A unit is a step, or with several seeds one (step, seed). With one seed (and no ``--storage``)
the steps run one after the other in this process, as they always have; with several, the
units run through an Optuna study by ``--jobs`` workers (:mod:`dlbasics.pipeline.units`).
A step that raises is recorded as failed and the others still run (see :mod:`dlbasics.pipeline`).
A finished step whose cached files fail their manifest is computed again, from an emptied
folder, and one line says which file and why. A write that fails because the disk is full or
the folder is not writable stops the reproduction with one :class:`OutputError` naming the
folder: the step is left unfinished (no ``done.json``), and the report is not touched.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from dlbasics.data.types import FASHION_MNIST_CLASSES
from dlbasics.pipeline.adapters import run_bench, run_step
from dlbasics.pipeline.cache import code_version
from dlbasics.pipeline.display import Display
from dlbasics.pipeline.estimates import estimates, record_timing
from dlbasics.pipeline.execute import StepRunner, execute, stop_on_write_error
from dlbasics.pipeline.options import ReproduceOptions, check_options, ensure_writable
from dlbasics.pipeline.plan import plan_outcomes, report_cache_problems, unit_label
from dlbasics.pipeline.steps import STEP_NAMES
from dlbasics.report.settings import ReportSettings
from dlbasics.results.staging import OutputError
from dlbasics.results.steps import StepOutcome

__all__ = ["ReproduceResult", "StepRunner", "plan_outcomes", "report_settings", "reproduce"]


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


def reproduce(
    options: ReproduceOptions,
    *,
    build_report: bool = True,
    step_runner: StepRunner | None = None,
) -> ReproduceResult:
    """Run the missing or changed units, then write the report. See :mod:`dlbasics.pipeline`.

    ``step_runner`` replaces the real step functions (tests use it to inject a failure; with
    several seeds and ``--jobs`` above 1 it must be picklable, as the workers are processes).
    """
    check_options(options)
    ensure_writable(options.out)
    run = step_runner or run_step
    started = time.monotonic()
    version = code_version()
    outcomes, to_run = plan_outcomes(options, version)
    report_cache_problems(outcomes, to_run)
    wanted = set(options.only or STEP_NAMES) | {o.step.name for o in outcomes if _runs(o, to_run)}
    shown = [o for o in outcomes if o.step.name in wanted]
    workers = options.sweep_workers if options.by_units else 1
    display = Display(
        len(shown), estimates(options.out, options.quick), quiet=options.quiet, workers=workers
    )
    display.begin([o.step.name for o in shown if _runs(o, to_run)])
    try:
        if options.by_units:
            _run_units(options, shown, to_run, version, run, display)
        else:
            _run_in_order(options, shown, to_run, run, display)
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
            ran={o.step.name for o in outcomes if _runs(o, to_run)},
        )
    return ReproduceResult(outcomes, report_files, time.monotonic() - started, wanted, bench_error)


def _runs(outcome: StepOutcome, to_run: list[str]) -> bool:
    return unit_label(outcome) in to_run


def _run_in_order(
    options: ReproduceOptions,
    shown: list[StepOutcome],
    to_run: list[str],
    run: StepRunner,
    display: Display,
) -> None:
    """One seed: every step in order, in this process."""
    by_name = {outcome.step.name: outcome for outcome in shown}
    for outcome in shown:
        display.start(outcome.step, outcome.seed)
        if _runs(outcome, to_run):
            with stop_on_write_error(outcome.dir):
                needs = {name: by_name[name] for name in outcome.step.needs}
                execute(outcome, options, needs, run)
            _record_timing(options, outcome)
        display.finish(outcome)


def _run_units(
    options: ReproduceOptions,
    shown: list[StepOutcome],
    to_run: list[str],
    version: str,
    run: StepRunner,
    display: Display,
) -> None:
    """Several seeds (or a shared storage): the cached units are shown, the others run through
    the units' study (:func:`dlbasics.pipeline.units.run_units`)."""
    from dlbasics.pipeline.units import run_units

    pending = [o for o in shown if _runs(o, to_run)]
    for outcome in shown:
        if not _runs(outcome, to_run):
            display.start(outcome.step, outcome.seed)
            display.finish(outcome)
    run_units(options, pending, version, run, display)
    for outcome in pending:
        _record_timing(options, outcome)


def _record_timing(options: ReproduceOptions, outcome: StepOutcome) -> None:
    if outcome.wall_seconds is not None and outcome.status == "ok" and not outcome.cached:
        with stop_on_write_error(options.out / "cache"):
            record_timing(options.out, options.quick, outcome.step.name, outcome.wall_seconds)


def report_settings(options: ReproduceOptions, version: str) -> ReportSettings:
    """What the report needs to know of this reproduction beyond the steps' records."""
    data = options.effective_data
    return ReportSettings(
        out=options.out,
        quick=options.quick,
        seed=options.seed,
        seeds=options.all_seeds if len(options.all_seeds) > 1 else (),
        engine=options.engine,
        sweep_workers=options.sweep_workers,
        data_limit=data.limit,
        code_version=version,
        class_names=FASHION_MNIST_CLASSES,
        # Loaded only if the report draws the misclassified images, as before the split.
        test_images=lambda: data.fashion_mnist().test.X,
    )
