"""What the Q2 and Q3 experiments share: the per-example training of a from-scratch model."""

from __future__ import annotations

from typing import Any

from dlbasics.data.types import Dataset
from dlbasics.experiments.base import RunContext
from dlbasics.training.learners import ModelLearner
from dlbasics.training.loop import TrainingOutcome, numpy_orders, train_epochs


def train_per_example(
    ctx: RunContext, model: Any, train: Dataset, evaluate: Any, desc: str
) -> TrainingOutcome:
    """The Q2/Q3 loop: per-example updates in a fresh NumPy-shuffled order each epoch."""
    return train_epochs(
        ModelLearner(model, train),
        len(train),
        epochs=ctx.config.epochs,
        orders=numpy_orders(len(train), ctx.seed),
        evaluate=evaluate,
        show_progress=ctx.show_progress,
        desc=desc,
    )


def nan_final(*keys: str) -> dict[str, float]:
    """The ``final`` figures of a run that diverged: not-a-number (written as JSON null)."""
    return dict.fromkeys(keys, float("nan"))
