"""Helpers for the scratch-model tests: recover a gradient from one SGD step, finite differences."""

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


def central_differences(
    loss: Callable[[], float], parameters: list[np.ndarray], eps: float = 1e-6
) -> list[np.ndarray]:
    """``(L(p + eps e_j) - L(p - eps e_j)) / (2 eps)`` for every entry of every parameter array."""
    gradients = []
    for p in parameters:
        grad = np.zeros_like(p)
        flat, flat_grad = p.reshape(-1), grad.reshape(-1)  # views: editing flat edits p
        for j in range(flat.size):
            saved = flat[j]
            flat[j] = saved + eps
            up = loss()
            flat[j] = saved - eps
            down = loss()
            flat[j] = saved
            flat_grad[j] = (up - down) / (2 * eps)
        gradients.append(grad)
    return gradients
