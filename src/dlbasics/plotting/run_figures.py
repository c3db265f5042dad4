"""The figures of one run (the report's Figures 1 to 7), drawn from its finished metrics.

An experiment names its figure by kind and file name (``Experiment.figure``); the runner calls
:func:`draw_run_figure` after training. Every function takes a list of metrics records (``history``,
``config``, ``experiment``, ``title``: one run, or the same run over seeds) and returns the paths
it wrote (none for an empty history).

* ``distance_and_rmse``: Figure 1 (q2.2a): distance to the closed form (left), train and test
  RMSE (right), per epoch;
* ``rmse``: Figure 2 (q2.2b): train and test RMSE per epoch;
* ``accuracy``: Figures 3 to 5 (Q3): train, validation and test accuracy per epoch;
* ``loss_and_dev_acc``: Figures 6 and 7 (Q4): training loss (left) and validation accuracy
  (right) per epoch.

Over several seeds (:func:`draw_seeds_figure`, for the report) each curve is the mean over the
seeds with a shaded band from the lowest to the highest seed at each epoch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dlbasics.plotting.plots import Bands, Series, line_figure, panels_figure

RMSE_LABEL = "RMSE of log(SalePrice)"


def figure_title(metrics: dict[str, Any]) -> str:
    """``"Q3.1b: Logistic regression on Fashion-MNIST"`` from a run's metrics."""
    return f"Q{metrics['experiment'][1:]}: {metrics['title']}"


def columns(history: list[dict[str, float]], *keys: str) -> dict[str, list[float]]:
    """Columns of ``history``: ``{"epoch": [...], key: [...]}`` for each of ``keys``."""
    return {key: [record[key] for record in history] for key in ("epoch", *keys)}


@dataclass(frozen=True)
class Curves:
    """Per-epoch curves of one run, or of several runs (seeds) as their mean and spread.

    ``epochs`` and ``mean[key]``: the x and y of each curve (one run: its own values);
    ``band[key]``: ``(lowest, highest)`` over the runs at each epoch (empty for one run).
    """

    epochs: list[float]
    mean: dict[str, list[float]]
    band: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)

    def series(self, labels: dict[str, str]) -> tuple[Series, Bands]:
        """``label -> (epochs, mean)`` for each ``key -> label`` of ``labels``, and the bands."""
        series: Series = {label: (self.epochs, self.mean[key]) for key, label in labels.items()}
        bands: Bands = {label: self.band[key] for key, label in labels.items() if key in self.band}
        return series, bands


def curves(runs: list[dict[str, Any]], *keys: str) -> Curves:
    """The curves ``keys`` of ``runs`` (metrics records): one run's own, or over several runs
    the mean at each epoch and the band from the lowest to the highest run.

    A run that stopped early (diverged) counts at the epochs it reached.
    """
    if len(runs) == 1:
        cols = columns(runs[0]["history"], *keys)
        return Curves(cols["epoch"], {key: cols[key] for key in keys})
    epochs = sorted({record["epoch"] for run in runs for record in run["history"]})
    at = {epoch: index for index, epoch in enumerate(epochs)}
    mean: dict[str, list[float]] = {}
    band: dict[str, tuple[list[float], list[float]]] = {}
    for key in keys:
        grid = np.full((len(runs), len(epochs)), np.nan)
        for row, run in enumerate(runs):
            for record in run["history"]:
                if record.get(key) is not None:
                    grid[row, at[record["epoch"]]] = record[key]
        seen = ~np.isnan(grid)
        count = seen.sum(axis=0)
        total = np.where(seen, grid, 0.0).sum(axis=0)
        mean[key] = np.where(count > 0, total / np.maximum(count, 1), np.nan).tolist()
        low = np.where(seen, grid, np.inf).min(axis=0)
        high = np.where(seen, grid, -np.inf).max(axis=0)
        band[key] = (
            np.where(count > 0, low, np.nan).tolist(),
            np.where(count > 0, high, np.nan).tolist(),
        )
    return Curves([float(e) for e in epochs], mean, band)


def _panel(c: Curves, labels: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    series, bands = c.series(labels)
    return {"series": series, **({"bands": bands} if bands else {}), **kwargs}


RMSE_LABELS = {"train_rmse": "train", "test_rmse": "test"}


def distance_and_rmse(runs: list[dict[str, Any]], path: Path) -> Path:
    c = curves(runs, "train_rmse", "test_rmse", "distance_to_analytic")
    panels = [
        _panel(
            c,
            {"distance_to_analytic": "||w_SGD - w*||"},
            xlabel="epoch",
            ylabel="Euclidean distance",
            title="Distance to the analytic solution",
        ),
        _panel(c, RMSE_LABELS, xlabel="epoch", ylabel=RMSE_LABEL, title="Loss"),
    ]
    return panels_figure(panels, path, title=figure_title(runs[0]))


def rmse(runs: list[dict[str, Any]], path: Path) -> Path:
    panel = _panel(curves(runs, "train_rmse", "test_rmse"), RMSE_LABELS)
    return line_figure(
        path=path, xlabel="epoch", ylabel=RMSE_LABEL, title=figure_title(runs[0]), **panel
    )


def accuracy(runs: list[dict[str, Any]], path: Path) -> Path:
    labels = {"train_acc": "train", "dev_acc": "validation", "test_acc": "test"}
    panel = _panel(curves(runs, *labels), labels)
    return line_figure(
        path=path, xlabel="epoch", ylabel="accuracy", title=figure_title(runs[0]), **panel
    )


def loss_and_dev_acc(runs: list[dict[str, Any]], path: Path) -> Path:
    c = curves(runs, "train_loss", "dev_acc")
    label = f"learning rate {runs[0]['config']['learning_rate']}"
    panels = [
        _panel(
            c, {"train_loss": label}, xlabel="epoch", ylabel="training loss", title="Training loss"
        ),
        _panel(
            c,
            {"dev_acc": label},
            xlabel="epoch",
            ylabel="validation accuracy",
            title="Validation accuracy",
        ),
    ]
    return panels_figure(panels, path, title=runs[0].get("title", ""))


FIGURE_KINDS: dict[str, Callable[[list[dict[str, Any]], Path], Path]] = {
    "distance_and_rmse": distance_and_rmse,
    "rmse": rmse,
    "accuracy": accuracy,
    "loss_and_dev_acc": loss_and_dev_acc,
}


def draw_run_figure(kind: str, metrics: dict[str, Any], path: Path) -> list[Path]:
    """Draw the figure ``kind`` of a finished run at ``path``; nothing for an empty history."""
    return draw_seeds_figure(kind, [metrics], path)


def draw_seeds_figure(kind: str, runs: list[dict[str, Any]], path: Path) -> list[Path]:
    """Draw the figure ``kind`` of the same run over seeds (``runs``, the primary seed first):
    each curve the mean over the seeds with a band from the lowest to the highest seed. One run
    draws exactly :func:`draw_run_figure`'s figure; runs without history are left out, and
    nothing is drawn when none has one.
    """
    runs = [run for run in runs if run.get("history")]
    if not runs:
        return []
    return [FIGURE_KINDS[kind](runs, Path(path))]
