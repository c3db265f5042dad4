"""A sweep's two figures: training loss and validation accuracy per epoch, one line per
configuration, the winner in bold."""

from __future__ import annotations

from pathlib import Path

from dlbasics.plotting.plots import Series, line_figure

LOSS_FIGURE = "sweep_loss.png"
DEV_ACC_FIGURE = "sweep_dev_acc.png"


def sweep_figures(
    loss: Series, dev_acc: Series, out_dir: Path, *, title: str, highlight: str | None
) -> list[Path]:
    """Draw ``out_dir/sweep_loss.png`` and ``out_dir/sweep_dev_acc.png``; ``loss`` and
    ``dev_acc`` map a configuration's label to its (epochs, values)."""
    return [
        line_figure(
            lines,
            Path(out_dir) / name,
            xlabel="epoch",
            ylabel=ylabel,
            title=title,
            highlight=highlight,
        )
        for lines, name, ylabel in (
            (loss, LOSS_FIGURE, "training loss"),
            (dev_acc, DEV_ACC_FIGURE, "validation accuracy"),
        )
    ]
