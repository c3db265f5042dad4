"""How each kind of step is run (verify-math, an experiment, a sweep), and the benchmark.

Each adapter runs one step into its cache folder (``outcome.dir``) and raises
:class:`StepFailed` when the step finished but its result is a failure.
"""

from __future__ import annotations

import sys
from typing import Any

from dlbasics.errors import DlbasicsError
from dlbasics.pipeline.options import ReproduceOptions
from dlbasics.progress import progress_enabled
from dlbasics.results.io import write_json_atomic, write_text_atomic
from dlbasics.results.steps import Step, StepOutcome


class StepFailed(Exception):
    """A step finished but its result is a failure (a FAIL claim, a diverged run)."""


def run_verify_math(step: Step, outcome: StepOutcome, options: ReproduceOptions) -> None:
    from dlbasics import theory

    cases = outcome.key["config"]["cases"]
    results = theory.verify_all(cases=cases, seed=outcome.key["seed"])
    payload = theory.results_to_json(results)
    write_json_atomic(outcome.dir / "verify-math.json", payload)
    failed = [claim["name"] for claim in payload["claims"] if claim.get("status") != "PASS"]
    if failed:
        raise StepFailed(f"{len(failed)} claim(s) failed: {', '.join(failed)}")


def run_experiment(step: Step, outcome: StepOutcome, options: ReproduceOptions) -> None:
    from dlbasics.experiments.runner import run_experiment as run

    metrics = run(
        step.experiment or step.name,
        outcome.key["config"]["overrides"],
        seed=outcome.key["seed"],
        engine=outcome.engine,
        out_dir=outcome.dir,
        data=options.effective_data,
        quiet=not progress_enabled(options.quiet),
    )
    if metrics.get("status", "ok") not in ("ok", "stalled"):  # stalled: finished, and marked
        raise StepFailed(metrics.get("message") or f"status {metrics.get('status')}")


def run_sweep(step: Step, outcome: StepOutcome, options: ReproduceOptions, needs: dict) -> None:
    from dlbasics.sweep import run_sweep as sweep

    extra: dict[str, Any] = {}
    if "q4.2" in step.needs:
        extra["from_dir"] = needs["q4.2"].dir
    result = sweep(
        step.name,
        grid=outcome.key["config"]["grid"],
        out_dir=outcome.dir,
        jobs=options.sweep_workers,
        epochs=outcome.key["config"]["epochs"],
        seed=outcome.key["seed"],
        engine=outcome.engine,
        data=options.effective_data,
        quiet=not progress_enabled(options.quiet),
        **extra,
    )
    if not (result or {}).get("best"):
        raise StepFailed("no configuration of the sweep finished")


def run_step(step: Step, outcome: StepOutcome, options: ReproduceOptions, needs: dict) -> None:
    """Run ``step`` with the adapter of its kind; ``needs``: the outcomes of the steps it reads."""
    if step.kind == "verify-math":
        run_verify_math(step, outcome, options)
    elif step.kind == "experiment":
        run_experiment(step, outcome, options)
    else:
        run_sweep(step, outcome, options, needs)


def working_files(step: Step) -> tuple[str, ...]:
    """Glob patterns of the files a step keeps in its folder that are not its result and are
    left out of its manifest: a sweep's Optuna journal and the locks named after it (the sweep's
    working storage, which heartbeats append to; its result is sweep.json, sweep.md and the
    figures)."""
    if step.kind != "sweep":
        return ()
    from dlbasics.sweep.storage import JOURNAL_FILE

    return (f"{JOURNAL_FILE}*",)


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
