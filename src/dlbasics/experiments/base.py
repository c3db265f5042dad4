"""What an experiment is, and the context it runs in.

An experiment is a named, registered recipe: its configuration type (a frozen dataclass of
hyperparameters from :mod:`dlbasics.training.hyperparameters`, whose defaults are the report's),
the engines that can run it, a ``train`` function that turns a :class:`RunContext` into a
:class:`RunResult`, the figure the report shows of it (a kind of
:mod:`dlbasics.plotting.run_figures` and a file name), and the model's ``shape``: its input
width and its number of outputs, known before the data loads (the runner estimates the weights'
memory from it, and a classifier's chance level is one over its outputs). Experiments know nothing of the command
line and draw nothing; :mod:`dlbasics.experiments.runner` does the bookkeeping (validation,
timing, metrics.json, figures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from dlbasics.data.options import DataOptions
from dlbasics.training.hyperparameters import as_dict

Task = Literal["classification", "regression"]


@dataclass
class RunContext:
    """Everything a ``train`` function may use. ``config`` is already validated."""

    config: Any  # the experiment's configuration dataclass
    seed: int
    engine: str
    data: DataOptions
    show_progress: bool = False
    device: str = "cpu"


@dataclass
class RunResult:
    """What a ``train`` function returns.

    ``history``: one dict per finished epoch (e.g. ``train_loss``, ``dev_acc``, ``test_acc``).
    ``final``: the headline numbers (``dev_acc``/``test_acc`` or ``train_rmse``/``test_rmse``).
    ``status``: ``"ok"`` or ``"diverged"`` (then ``message`` says at which epoch and why); the
    runner turns an ``"ok"`` that learned nothing into ``"stalled"``
    (:mod:`dlbasics.training.verdict`).
    ``arrays``: extra arrays saved as ``arrays.npz`` beside metrics.json for the report
    (e.g. ``templates`` (10, 784), ``test_predictions``, ``test_labels``).
    ``model``: the trained model, saved beside metrics.json (model.json and model.npz or
    model.pt, :mod:`dlbasics.training.saved_models`); ``class_names``: its classes' names.
    """

    history: list[dict[str, float]]
    final: dict[str, float]
    status: str = "ok"
    message: str = ""
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    model: Any = None
    class_names: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    task: Task
    config_type: type
    engines: tuple[str, ...]
    train: Callable[[RunContext], RunResult]
    figure: tuple[str, str] | None = None  # (kind in plotting.run_figures, file name)
    description: str = ""
    shape: tuple[int, int] | None = None  # (inputs, outputs) of the model, as it sees the data
    weight_bytes: int = 8  # bytes per weight: float64 for the NumPy models, 4 for float32

    @property
    def chance(self) -> float | None:
        """The accuracy of guessing: one over the classes (None for regression, or unknown)."""
        if self.task != "classification" or self.shape is None:
            return None
        return 1.0 / self.shape[1]

    @property
    def default_engine(self) -> str:
        return self.engines[0]

    @property
    def defaults(self) -> dict[str, Any]:
        """The report's hyperparameters, by name, in declaration order."""
        return as_dict(self.config_type())
