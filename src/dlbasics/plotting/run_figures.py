"""The figures of one run (the report's Figures 1 to 7), drawn from its finished metrics.

An experiment names its figure by kind and file name (``Experiment.figure``); the runner calls
:func:`draw_run_figure` after training. Every function takes the metrics record (``history``,
``config``, ``experiment``, ``title``) and returns the paths it wrote (none for an empty history).

* ``distance_and_rmse``: Figure 1 (q2.2a): distance to the closed form (left), train and test
  RMSE (right), per epoch;
* ``rmse``: Figure 2 (q2.2b): train and test RMSE per epoch;
* ``accuracy``: Figures 3 to 5 (Q3): train, validation and test accuracy per epoch;
* ``loss_and_dev_acc``: Figures 6 and 7 (Q4): training loss (left) and validation accuracy
  (right) per epoch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dlbasics.plotting.plots import Series, line_figure, panels_figure

RMSE_LABEL = "RMSE of log(SalePrice)"


def figure_title(metrics: dict[str, Any]) -> str:
    """``"Q3.1b: Logistic regression on Fashion-MNIST"`` from a run's metrics."""
    return f"Q{metrics['experiment'][1:]}: {metrics['title']}"


def columns(history: list[dict[str, float]], *keys: str) -> dict[str, list[float]]:
    """Columns of ``history``: ``{"epoch": [...], key: [...]}`` for each of ``keys``."""
    return {key: [record[key] for record in history] for key in ("epoch", *keys)}


def _rmse_series(cols: dict[str, list[float]]) -> Series:
    epochs = cols["epoch"]
    return {"train": (epochs, cols["train_rmse"]), "test": (epochs, cols["test_rmse"])}


def distance_and_rmse(metrics: dict[str, Any], path: Path) -> Path:
    cols = columns(metrics["history"], "train_rmse", "test_rmse", "distance_to_analytic")
    panels = [
        {
            "series": {"||w_SGD - w*||": (cols["epoch"], cols["distance_to_analytic"])},
            "xlabel": "epoch",
            "ylabel": "Euclidean distance",
            "title": "Distance to the analytic solution",
        },
        {"series": _rmse_series(cols), "xlabel": "epoch", "ylabel": RMSE_LABEL, "title": "Loss"},
    ]
    return panels_figure(panels, path, title=figure_title(metrics))


def rmse(metrics: dict[str, Any], path: Path) -> Path:
    cols = columns(metrics["history"], "train_rmse", "test_rmse")
    return line_figure(
        _rmse_series(cols), path, xlabel="epoch", ylabel=RMSE_LABEL, title=figure_title(metrics)
    )


def accuracy(metrics: dict[str, Any], path: Path) -> Path:
    cols = columns(metrics["history"], "train_acc", "dev_acc", "test_acc")
    epochs = cols["epoch"]
    series: Series = {
        "train": (epochs, cols["train_acc"]),
        "validation": (epochs, cols["dev_acc"]),
        "test": (epochs, cols["test_acc"]),
    }
    return line_figure(series, path, xlabel="epoch", ylabel="accuracy", title=figure_title(metrics))


def loss_and_dev_acc(metrics: dict[str, Any], path: Path) -> Path:
    cols = columns(metrics["history"], "train_loss", "dev_acc")
    label = f"learning rate {metrics['config']['learning_rate']}"
    panels = [
        {
            "series": {label: (cols["epoch"], cols["train_loss"])},
            "xlabel": "epoch",
            "ylabel": "training loss",
            "title": "Training loss",
        },
        {
            "series": {label: (cols["epoch"], cols["dev_acc"])},
            "xlabel": "epoch",
            "ylabel": "validation accuracy",
            "title": "Validation accuracy",
        },
    ]
    return panels_figure(panels, path, title=metrics.get("title", ""))


FIGURE_KINDS: dict[str, Callable[[dict[str, Any], Path], Path]] = {
    "distance_and_rmse": distance_and_rmse,
    "rmse": rmse,
    "accuracy": accuracy,
    "loss_and_dev_acc": loss_and_dev_acc,
}


def draw_run_figure(kind: str, metrics: dict[str, Any], path: Path) -> list[Path]:
    """Draw the figure ``kind`` of a finished run at ``path``; nothing for an empty history."""
    if not metrics.get("history"):
        return []
    return [FIGURE_KINDS[kind](metrics, Path(path))]
