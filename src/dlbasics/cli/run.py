"""``dlbasics run NAME``: train one registered experiment and record it."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from dlbasics.cli.app import (
    AmesPathOption,
    DataDirOption,
    LimitOption,
    QuietOption,
    SeedOption,
    SeedsOption,
    app,
)
from dlbasics.errors import DivergedError
from dlbasics.experiments import registry


def _option(flag: str, help: str) -> Any:
    return typer.Option(flag, help=help, show_default=False)


EXPERIMENTS = ", ".join(registry.names())

RUN_HELP = (
    "Train experiment NAME with the report's hyperparameters; override any with its flag.\n\n"
    f"NAME is one of: {EXPERIMENTS}.\n\n"
    "Writes OUT/metrics.json (configuration, seed, engine, library versions, wall time, status, "
    "per-epoch history, final figures), OUT/arrays.npz, the report's figure(s) as PNG, and the "
    "trained model: OUT/model.json with OUT/model.npz or OUT/model.pt (reload it with "
    "dlbasics.load_model; docs/saved-models.md).\n\n"
    "Only the flags given are passed on: a flag the experiment does not take is an error. "
    "A run that diverges still writes metrics.json (status: diverged), then exits with code 3. "
    "A run that learned nothing (final validation accuracy at chance level, or a training loss "
    "that never fell below the first epoch's) is recorded as status stalled, with a warning and "
    "its likely cause; it exits with code 0.\n\n"
    "With --seeds, one run per seed into OUT/seed-<s>/ and OUT/seeds.json: each final figure's "
    "mean, 95% confidence interval and per-seed values."
)


HYPERPARAMETER_DEFAULT = " (default: the experiment's own; docs/hyperparameters.md)"


def with_hyperparameter_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` one ``--flag`` option per entry of the hyperparameter table.

    The options come right after the command's first parameter (its argument); the values given
    reach ``command`` as one dict, ``overrides``, holding only the flags that were given.
    """
    from dlbasics.training.hyperparameters import HYPERPARAMETERS

    signature = inspect.signature(command, eval_str=True)
    first, *rest = (p for p in signature.parameters.values() if p.name != "overrides")
    options = [
        inspect.Parameter(
            h.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=None,
            annotation=Annotated[h.type | None, _option(h.flag, h.help + HYPERPARAMETER_DEFAULT)],
        )
        for h in HYPERPARAMETERS.values()
    ]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        overrides = {h: kwargs.pop(h) for h in HYPERPARAMETERS}
        command(**kwargs, overrides={k: v for k, v in overrides.items() if v is not None})

    parameters = [first, *options, *rest]
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    del wrapper.__wrapped__  # Typer must read the new signature, not the original's
    return wrapper


@app.command("run", help=RUN_HELP)
@with_hyperparameter_options
def run_command(
    name: Annotated[str, typer.Argument(help=f"Experiment: {EXPERIMENTS}.", show_default=False)],
    overrides: dict[str, Any],
    engine: Annotated[
        str | None, _option("--engine", "Implementation to run (default: the experiment's own).")
    ] = None,
    device: Annotated[
        str | None,
        _option("--device", "Torch device for torch experiments: cpu, cuda, auto (default: cpu)."),
    ] = None,
    seed: SeedOption = 42,
    seeds: SeedsOption = None,
    out: Annotated[Path | None, _option("--out", "Output folder (default: runs/NAME).")] = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    data_dir: DataDirOption = None,
    ames_path: AmesPathOption = None,
) -> None:
    """Train experiment NAME with the report's hyperparameters (see RUN_HELP); ``overrides``
    holds the hyperparameter flags that were given (see :func:`with_hyperparameter_options`)."""
    from dlbasics.data.options import DataOptions
    from dlbasics.experiments.runner import run_experiment
    from dlbasics.progress import progress_enabled
    from dlbasics.training.hyperparameters import parse_seeds

    out_dir = out if out is not None else Path("runs") / name
    extra = {"device": device} if device is not None else {}
    all_seeds = parse_seeds(seeds, seed)
    options: dict[str, Any] = dict(
        engine=engine,
        data=DataOptions(data_dir=data_dir, ames_path=ames_path, limit=limit),
        quiet=not progress_enabled(quiet),
        **extra,
    )
    if len(all_seeds) > 1:
        _run_seeds(name, overrides, all_seeds, out_dir, options)
        return
    metrics = run_experiment(name, overrides, seed=all_seeds[0], out_dir=out_dir, **options)
    typer.echo(format_summary(metrics, out_dir))
    if metrics["status"] == "stalled":
        typer.echo(f"warning: {metrics['message']}", err=True)
    if metrics["status"] == "diverged":
        raise DivergedError(f"{metrics['message']} (recorded in {out_dir / 'metrics.json'})")


def _run_seeds(
    name: str,
    overrides: dict[str, Any],
    seeds: tuple[int, ...],
    out_dir: Path,
    options: dict[str, Any],
) -> None:
    """``run --seeds``: one run per seed, then each final figure over the seeds."""
    from dlbasics.experiments.seeds import SEEDS_FILE, run_over_seeds, seed_dir

    runs = run_over_seeds(name, overrides, seeds, out_dir, **options)
    for metrics in runs:
        typer.echo(format_summary(metrics, seed_dir(out_dir, metrics["seed"])) + "\n")
    summary = json.loads((out_dir / SEEDS_FILE).read_text("utf-8"))
    typer.echo(f"over seeds {', '.join(map(str, seeds))} (mean [95% interval]):")
    for key, figure in summary["final"].items():
        typer.echo(
            f"  {key}  {_number(figure['mean'])} [{_number(figure['ci_low'])}, "
            f"{_number(figure['ci_high'])}]"
        )
    typer.echo(f"wrote {out_dir / SEEDS_FILE}")
    diverged = [m["seed"] for m in runs if m["status"] == "diverged"]
    if diverged:
        raise DivergedError(f"seed(s) {', '.join(map(str, diverged))} diverged (see {out_dir})")


def format_summary(metrics: dict[str, Any], out_dir: Path) -> str:
    """A few lines: what ran, the final figures as a small table, and where the files went."""
    config = ", ".join(f"{key}={value}" for key, value in metrics["config"].items())
    lines = [
        f"{metrics['experiment']}: {metrics['title']}",
        f"  {config}; seed {metrics['seed']}, engine {metrics['engine']}, "
        f"{metrics['wall_seconds']:.1f} s, status {metrics['status']}",
    ]
    final = metrics.get("final") or {}
    if final:
        width = max(len(key) for key in final)
        lines.append("")
        lines.extend(f"  {key:<{width}}  {_number(value)}" for key, value in final.items())
    files = sorted(p.name for p in out_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    lines.append("")
    lines.append(f"wrote {out_dir}/: {', '.join(files)}")
    return "\n".join(lines)


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    return f"{value:.4f}" if isinstance(value, float) else str(value)
