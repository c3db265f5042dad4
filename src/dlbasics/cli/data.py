"""``dlbasics data info`` and ``dlbasics data fetch``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dlbasics.cli.app import AmesPathOption, DataDirOption, app

data_app = typer.Typer(help="Find, verify and download the datasets.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command()
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDirOption = None,
    ames_path: AmesPathOption = None,
) -> None:
    """Sources found, checksum status, split shapes, class balance, Ames feature count."""
    from dlbasics.data.summary import describe, format_summary

    summary = describe(data_dir, ames_path)
    typer.echo(json.dumps(summary, indent=2) if as_json else format_summary(summary))


@data_app.command()
def fetch(
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Download here instead of the cache directory (default: ~/.cache/dlbasics or "
            "$DLBASICS_CACHE_DIR).",
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="Base URL of a mirror (default: $DLBASICS_FASHION_MNIST_URL, else the official "
            "site).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Download Fashion-MNIST (checked against the published MD5 sums) into the cache."""
    from dlbasics.data.fashion_mnist import fetch as fetch_files
    from dlbasics.progress import progress_enabled

    target = fetch_files(directory, url, progress=progress_enabled(quiet))
    typer.echo(f"Fashion-MNIST verified in {target}")
