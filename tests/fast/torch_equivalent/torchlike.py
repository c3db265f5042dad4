"""Small Question-4 networks and problems, and torch's own training steps, to compare with."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from dlbasics.data.types import Dataset
from dlbasics.torchnets.models import FeedforwardNetwork

N_CLASSES = 4
N_FEATURES = 30


@dataclass(frozen=True)
class Split:
    train: Dataset
    dev: Dataset
    test: Dataset


def blobs(n: int, seed: int) -> Dataset:
    """A learnable problem: one Gaussian blob per class, pixel-like values in [0, 1)."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(99).random((N_CLASSES, N_FEATURES))
    y = rng.integers(0, N_CLASSES, size=n)
    X = np.clip(centres[y] + rng.normal(0, 0.35, size=(n, N_FEATURES)), 0, None)
    return Dataset(X.astype(np.float32), y.astype(np.int64))


def linears(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def build(seed: int, layers: int, activation: str, dropout: float = 0.0) -> nn.Module:
    torch.manual_seed(seed)
    return FeedforwardNetwork(
        N_FEATURES,
        N_CLASSES,
        hidden_size=16,
        layers=layers,
        activation=activation,
        dropout=dropout,
    )


def torch_steps(model, X, y, order, *, optimizer, lr, l2, batch_size, epochs):
    cls = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
    opt = cls(model.parameters(), lr=lr, weight_decay=l2)
    losses = []
    for _ in range(epochs):
        Xo, yo = torch.from_numpy(X[order]), torch.from_numpy(y[order])
        for start in range(0, len(order), batch_size):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(
                model(Xo[start : start + batch_size]), yo[start : start + batch_size]
            )
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return float(np.mean(losses))


def splitmix64(state: int, n: int) -> list[float]:
    """SplitMix64 in plain Python integers: the generator the kernel's docstring names."""
    mask = 2**64 - 1
    out = []
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        out.append((z >> 11) / 2**53)
    return out
