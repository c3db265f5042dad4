"""The Q2/Q3 training of a from-scratch model: per-example updates through the one loop.

The report's experiments (``dlbasics.experiments.q2``, ``q3``) and the scikit-learn estimators
(``dlbasics.estimators``) both train through :func:`fit_per_example`, so that an estimator given
an experiment's settings, seed and data makes the same updates in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dlbasics.data.types import Dataset
from dlbasics.training.learners import ModelLearner
from dlbasics.training.loop import TrainingOutcome, numpy_orders, train_epochs


def fit_per_example(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    seed: int | np.random.Generator,
    evaluate: Callable[[], dict[str, float]] | None = None,
    show_progress: bool = False,
    desc: str = "training",
) -> TrainingOutcome:
    """Train ``model`` on ``(X, y)`` for ``epochs`` epochs of per-example updates.

    Each epoch visits the rows of ``X`` in a fresh order, ``rng.permutation(len(X))``, drawn
    from ``rng = np.random.default_rng(seed)`` (:func:`~dlbasics.training.loop.numpy_orders`),
    and hands it to ``model.train_epoch(X, y, order)`` through the one loop
    (:func:`~dlbasics.training.loop.train_epochs`), which records each epoch and applies its
    divergence rule.

    Parameters
    ----------
    model
        A from-scratch model (``dlbasics.scratch`` or ``dlbasics.fast``), updated in place.
    X, y
        The training rows and their labels (encoded ``0..n_classes-1``) or targets.
    epochs
        Number of passes over the data.
    seed
        Seed of the shuffling generator, or a generator to draw from (which then advances,
        so that successive calls continue one stream of orders).
    evaluate
        Figures recorded after each epoch besides ``epoch`` and ``train_loss``; none if None.
    show_progress, desc
        Progress bars and their label.

    Returns
    -------
    TrainingOutcome
        The history of the finished epochs and the status (``"ok"`` or ``"diverged"``).

    Examples
    --------
    >>> import numpy as np
    >>> from dlbasics.scratch import Perceptron
    >>> X = np.array([[0.0, 1.0], [1.0, 1.0]])  # the last column is the bias's ones
    >>> outcome = fit_per_example(Perceptron(2, 2), X, np.array([0, 1]), epochs=3, seed=0)
    >>> [record["epoch"] for record in outcome.history]
    [1, 2, 3]
    """
    train = Dataset(X, y)
    return train_epochs(
        ModelLearner(model, train),
        len(train),
        epochs=epochs,
        orders=numpy_orders(len(train), seed),
        evaluate=evaluate if evaluate is not None else dict,
        show_progress=show_progress,
        desc=desc,
    )
