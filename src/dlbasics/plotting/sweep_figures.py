"""A sweep's two figures: training loss and validation accuracy per epoch, one line per
configuration, the winner in bold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlbasics.plotting.plots import Bands, Series, line_figure
from dlbasics.plotting.run_figures import curves

LOSS_FIGURE = "sweep_loss.png"
DEV_ACC_FIGURE = "sweep_dev_acc.png"


def sweep_figures(
    loss: Series,
    dev_acc: Series,
    out_dir: Path,
    *,
    title: str,
    highlight: str | None,
    bands: tuple[Bands, Bands] | None = None,
    prefix: str = "",
) -> list[Path]:
    """Draw ``out_dir/sweep_loss.png`` and ``out_dir/sweep_dev_acc.png``; ``loss`` and
    ``dev_acc`` map a configuration's label to its (epochs, values).

    ``bands``: the (loss, validation accuracy) bands of some labels, shaded around their lines
    (the spread over seeds); ``prefix``: put before each file name (``q4.1-sweep_loss.png``).
    """
    loss_bands, dev_acc_bands = bands or ({}, {})
    return [
        line_figure(
            lines,
            Path(out_dir) / f"{prefix}{name}",
            xlabel="epoch",
            ylabel=ylabel,
            title=title,
            highlight=highlight,
            bands=shaded or None,
        )
        for lines, shaded, name, ylabel in (
            (loss, loss_bands, LOSS_FIGURE, "training loss"),
            (dev_acc, dev_acc_bands, DEV_ACC_FIGURE, "validation accuracy"),
        )
    ]


def seeds_sweep_figures(
    histories: dict[str, list[list[dict[str, Any]]]],
    out_dir: Path,
    *,
    title: str,
    highlight: str | None,
    prefix: str = "",
) -> list[Path]:
    """:func:`sweep_figures` over seeds: ``histories`` maps a configuration's label to its
    per-epoch history in each seed; each line is the mean over the seeds, shaded from the
    lowest to the highest seed at each epoch."""
    loss: Series = {}
    dev_acc: Series = {}
    bands: tuple[Bands, Bands] = ({}, {})
    for label, runs in histories.items():
        finished = [{"history": history} for history in runs if history]
        if not finished:
            continue
        c = curves(finished, "train_loss", "dev_acc")
        for lines, shaded, key in ((loss, bands[0], "train_loss"), (dev_acc, bands[1], "dev_acc")):
            lines[label] = (c.epochs, c.mean[key])
            if key in c.band:
                shaded[label] = c.band[key]
    return sweep_figures(
        loss, dev_acc, out_dir, title=title, highlight=highlight, bands=bands, prefix=prefix
    )
