"""``dlbasics sweep NAME``: run one of the report's hyperparameter sweeps (q4.1, q4.2, q4.3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from dlbasics.cli.app import DataDirOption, QuietOption, SeedOption, SeedsOption, app, check_jobs
from dlbasics.errors import DlbasicsError

SWEEP_HELP = (
    "Run sweep NAME (q4.1, q4.2, q4.3) as an Optuna study; the winner is the configuration with "
    "the highest validation accuracy.\n\n"
    "Writes OUT/sweep.json, OUT/sweep.md and OUT/sweep_loss.png, OUT/sweep_dev_acc.png. The "
    "study lives in OUT/optuna-journal.log unless --storage names a PostgreSQL database: run the "
    "same command (same --storage and --study) on any number of machines and every "
    "configuration runs once in total. Rerunning resumes: finished configurations are skipped, "
    "interrupted or lost ones run again.\n\n"
    "q4.3 starts from the best q4.2 configuration: found in the same storage, in "
    "OUT/../q4.2/sweep.json, or in --from DIR.\n\n"
    "With --seeds every configuration runs once per seed; the winner has the highest mean "
    "validation accuracy, and sweep.json adds each configuration's mean, 95% interval and "
    "per-seed values."
)


def _option(*flags: str, help: str) -> Any:
    return typer.Option(*flags, help=help, show_default=False)


@app.command("sweep", help=SWEEP_HELP)
def sweep_command(
    name: Annotated[str, typer.Argument(help="Sweep: q4.1, q4.2 or q4.3.")],
    grid: Annotated[
        str, typer.Option("--grid", help="report (the report's grid) or extended (q4.2 only).")
    ] = "report",
    out: Annotated[
        Path | None, _option("--out", help="Output folder (default: runs/sweeps/NAME).")
    ] = None,
    storage: Annotated[
        str | None,
        _option(
            "--storage",
            help="postgresql://USER:PASSWORD@HOST:PORT/DB shared by several machines "
            "(default: a journal file in the output folder).",
        ),
    ] = None,
    study: Annotated[
        str | None, _option("--study", help="Study name in the storage (default: NAME).")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Local worker processes.", callback=check_jobs)
    ] = 1,
    epochs: Annotated[
        int | None,
        _option("--epochs", help="Epochs per configuration (default: the experiment's own)."),
    ] = None,
    engine: Annotated[
        str | None, _option("--engine", help="Implementation (default: the experiment's own).")
    ] = None,
    from_dir: Annotated[
        Path | None,
        _option(
            "--from",
            help="q4.3: the output folder of a finished q4.2 sweep (default: none).",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        _option(
            "--limit",
            help="Use only the first N examples of each split (smoke runs; default: all).",
        ),
    ] = None,
    seed: SeedOption = 42,
    seeds: SeedsOption = None,
    quiet: QuietOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Run sweep NAME (see SWEEP_HELP)."""
    from dlbasics.data.options import DataOptions
    from dlbasics.sweep import run_sweep
    from dlbasics.training.hyperparameters import parse_seeds

    if limit is not None and limit < 1:
        raise DlbasicsError(f"invalid --limit {limit}: must be an integer >= 1")
    all_seeds = parse_seeds(seeds, seed)
    out_dir = out if out is not None else Path("runs") / "sweeps" / name
    result = run_sweep(
        name,
        grid=grid,
        out_dir=out_dir,
        storage=storage,
        study_name=study,
        jobs=jobs,
        epochs=epochs,
        seed=all_seeds[0],
        seeds=all_seeds if len(all_seeds) > 1 else None,
        engine=engine,
        data=DataOptions(data_dir=data_dir, limit=limit),
        quiet=quiet,
        from_dir=from_dir,
    )
    typer.echo(format_summary(result, out_dir))
    # non-zero only when a configuration has no result at the end: a worker that died on the way
    # is not a failure once its trial ran again (run_sweep said so in one line)
    finished = ("ok", "stalled", "diverged")
    failed = [t for t in result["trials"] if t["status"] not in finished]
    if failed:
        raise DlbasicsError(
            f"{len(failed)} configuration(s) failed (see {out_dir / 'sweep.md'}); "
            "rerun the same command to retry them"
        )


def format_summary(result: dict[str, Any], out_dir: Path) -> str:
    """The Markdown table of the sweep and where its files went."""
    table = (out_dir / "sweep.md").read_text("utf-8").strip()
    return f"{table}\n\nwrote {out_dir}/: sweep.json, sweep.md, sweep_loss.png, sweep_dev_acc.png"
