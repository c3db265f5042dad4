"""``dlbasics bench``: training time per epoch of every engine, side by side."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dlbasics.cli.app import DataDirOption, QuietOption, app

BENCH_HELP = (
    "Time one training epoch of every engine on Fashion-MNIST, in one run on this machine: "
    "the reference (NumPy) and fast (numba) engines, a PyTorch batch-1 loop and "
    "scikit-learn (Perceptron, SGDClassifier log_loss, MLPClassifier) where installed.\n\n"
    "Each measurement runs in a fresh process; compile time (or numba cache loading) is "
    "reported apart, with the peak memory of the process and the fast engine's time ratios "
    "against PyTorch and scikit-learn. A full run takes several minutes; --limit makes it quick."
)


@app.command("bench", help=BENCH_HELP)
def bench_command(
    epochs: Annotated[
        int, typer.Option("--epochs", help="Epochs timed per MLP-sized measurement.")
    ] = 1,
    linear_epochs: Annotated[
        int,
        typer.Option(
            "--linear-epochs",
            help="Epochs of the perceptron / logistic regression comparison with scikit-learn.",
        ),
    ] = 20,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="Use only this many training examples (quick runs; default: all).",
            show_default=False,
        ),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip",
            help="Leave out an engine: reference, torch or sklearn (default: none).",
            show_default=False,
        ),
    ] = None,
    case: Annotated[
        list[str] | None,
        typer.Option(
            "--case",
            help="Run only this case: mlp, q4, perceptron or logistic (default: all).",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of tables.")
    ] = False,
    quiet: QuietOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Run the benchmark (see BENCH_HELP)."""
    from dlbasics.bench import BenchOptions, render_table, run_bench

    options = BenchOptions(
        epochs=epochs,
        linear_epochs=linear_epochs,
        limit=limit,
        data_dir=data_dir,
        skip=tuple(skip or ()),
        cases=tuple(case or ()),
    )

    def say(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    report = run_bench(options, progress=None if quiet else say)
    print(report.to_json() if json_output else render_table(report))
