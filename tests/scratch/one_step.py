"""Helper of the scratch-model tests: the gradient a model applied in one SGD step."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def gradient_from_one_step(model, x: np.ndarray, target, parameters: Callable) -> list[np.ndarray]:
    """The gradient the model applied in one SGD step on ``(x, target)``, as ``before - after``.

    The model must have ``learning_rate = 1`` so that ``after = before - gradient``. This checks
    the very code that trains (``train_epoch``), not a separate gradient function.
    """
    before = [p.copy() for p in parameters(model)]
    X = x[None, :]
    y = np.asarray([target])
    model.train_epoch(X, y, np.array([0]))
    return [b - a for b, a in zip(before, parameters(model), strict=True)]
