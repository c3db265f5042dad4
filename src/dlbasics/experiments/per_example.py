"""What the Q2 and Q3 experiments share: the per-example training of a from-scratch model."""

from __future__ import annotations

from typing import Any

from dlbasics.data.types import Dataset
from dlbasics.experiments.base import RunContext
from dlbasics.training.loop import TrainingOutcome
from dlbasics.training.per_example import fit_per_example


def train_per_example(
    ctx: RunContext, model: Any, train: Dataset, evaluate: Any, desc: str
) -> TrainingOutcome:
    """The Q2/Q3 loop (:func:`~dlbasics.training.per_example.fit_per_example`, which the
    estimators share): per-example updates in a fresh NumPy-shuffled order each epoch."""
    return fit_per_example(
        model,
        train.X,
        train.y,
        epochs=ctx.config.epochs,
        seed=ctx.seed,
        evaluate=evaluate,
        show_progress=ctx.show_progress,
        desc=desc,
    )


def nan_final(*keys: str) -> dict[str, float]:
    """The ``final`` figures of a run that diverged: not-a-number (written as JSON null)."""
    return dict.fromkeys(keys, float("nan"))
