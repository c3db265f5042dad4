"""``dlbasics reproduce``: the whole Homework 1 report from one command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from dlbasics.cli.app import (
    AmesPathOption,
    DataDirOption,
    QuietOption,
    SeedOption,
    SeedsOption,
    app,
    check_jobs,
)
from dlbasics.data.options import DataOptions
from dlbasics.errors import DlbasicsError
from dlbasics.pipeline import STEP_NAMES, ReproduceOptions, parse_only, reproduce
from dlbasics.pipeline.plan import unit_label


class StepsFailed(DlbasicsError):
    exit_code = 1


@app.command("reproduce")
def reproduce_command(
    out: Annotated[
        Path, typer.Option("--out", help="Report folder (REPORT.md, index.html, figures, cache).")
    ] = Path("report"),
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help=f"Comma-separated steps to run: {','.join(STEP_NAMES)} (default: all).",
        ),
    ] = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="Smoke run: a data subset and a few epochs (~1 minute).")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes: the steps (with --seeds, each step and seed) run side by "
            "side on them, and a step left alone runs its sweep's configurations on them "
            "[default: one per core, at most 4; 1 with --quick: in order].",
            show_default=False,
            callback=check_jobs,
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="reference|fast|torch where a step supports it (default: each step's own).",
        ),
    ] = None,
    bench: Annotated[
        bool,
        typer.Option("--bench", help="Also time every engine (dlbasics bench) for the report."),
    ] = False,
    seed: SeedOption = 42,
    seeds: SeedsOption = None,
    storage: Annotated[
        str | None,
        typer.Option(
            "--storage",
            help="postgresql://USER:PASSWORD@HOST:PORT/DB shared by several machines running "
            "the same reproduction: each (step, seed) runs once in total (docs/seeds.md) "
            "[default: a journal file in OUT/cache when there are several seeds].",
            show_default=False,
        ),
    ] = None,
    quiet: QuietOption = False,
    data_dir: DataDirOption = None,
    ames_path: AmesPathOption = None,
) -> None:
    """Run verify-math, Q2.2a ... Q4.3 in order (cached, resumable) and write the report.

    Finished steps are cached in OUT/cache by configuration, seed, engine and code version,
    so a rerun only does what is missing or changed, and an interrupted run resumes. With
    --seeds every step runs once per seed, the seeds in parallel over --jobs workers.
    """
    from dlbasics.training.hyperparameters import parse_seeds

    all_seeds = parse_seeds(seeds, seed)
    options = ReproduceOptions(
        out=out,
        only=parse_only(only),
        quick=quick,
        jobs=jobs,
        engine=engine,
        seed=all_seeds[0],
        seeds=all_seeds if seeds is not None else (),
        storage=storage,
        quiet=quiet,
        bench=bench,
        data=DataOptions(data_dir=data_dir, ames_path=ames_path),
    )
    result = reproduce(options)
    markdown, html, summary = result.report_files
    print(f"report: {html}  (Markdown: {markdown})  in {result.wall_seconds:.0f} s")
    verdicts = [row["verdict"] for row in json.loads(summary.read_text("utf-8"))["comparison"]]
    if not quick:
        met, judged = verdicts.count("PASS"), verdicts.count("PASS") + verdicts.count("FAIL")
        print(
            f"targets: {met} of {judged} met"
            + (f", {verdicts.count('missing')} missing" if "missing" in verdicts else "")
        )
    if result.bench_error:
        print(result.bench_error, file=sys.stderr)
    if result.failed:
        for outcome in result.failed:
            print(f"failed: {unit_label(outcome)}: {outcome.error}", file=sys.stderr)
        names = ", ".join(unit_label(outcome) for outcome in result.failed)
        raise StepsFailed(f"{len(result.failed)} step(s) failed: {names} (details in the report)")
    if result.bench_error:
        raise StepsFailed("the benchmark failed (the report has everything else)")
