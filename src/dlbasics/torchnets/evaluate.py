"""Predictions and accuracy of a torch classifier, with dropout switched off."""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def predict(model: nn.Module, X: torch.Tensor, chunk: int = 8192) -> torch.Tensor:
    """Predicted class ``argmax_k model(x)_k`` of every row, with dropout off (eval mode)."""
    was_training = model.training
    model.eval()
    try:
        return torch.cat([model(X[i : i + chunk]).argmax(dim=1) for i in range(0, len(X), chunk)])
    finally:
        model.train(was_training)


def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """Share of rows whose predicted class is ``y`` (exact: a count divided by ``len(y)``)."""
    if len(y) == 0:
        return float("nan")
    return int((predict(model, X) == y).sum().item()) / len(y)
