"""Tiny synthetic stand-ins for the real data, built through the real containers.

:class:`SyntheticData` has the two methods experiments call on ``RunContext.data``
(``fashion_mnist(dtype=, bias=)`` and ``ames(bias=)``), so any experiment runs on it in a
fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlbasics.data.types import Ames, Dataset, FashionMNIST

N_PIXELS = 16  # a 4x4 "image"


def _with_bias(X: np.ndarray, bias: bool) -> np.ndarray:
    return np.hstack([X, np.ones((len(X), 1), dtype=X.dtype)]) if bias else X


def _images(
    rng: np.random.Generator, n: int, templates: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    y = rng.integers(10, size=n)
    X = np.clip(templates[y] + 0.15 * rng.normal(size=(n, N_PIXELS)), 0, 255 / 256)
    return X, y.astype(np.int64)


@dataclass(frozen=True)
class SyntheticData:
    """Ten noisy pixel templates (classification) and a noisy linear target (regression)."""

    n_train: int = 120
    n_eval: int = 60
    n_features: int = 6
    seed: int = 0
    limit: int | None = None  # read by the runner, as on DataOptions

    def fashion_mnist(self, *, dtype: type = np.float32, bias: bool = False) -> FashionMNIST:
        rng = np.random.default_rng(self.seed)
        templates = rng.random((10, N_PIXELS))
        splits = []
        for n in (self.n_train, self.n_eval, self.n_eval):
            X, y = _images(rng, n, templates)
            splits.append(Dataset(_with_bias(X.astype(dtype), bias), y))
        return FashionMNIST(*splits, source="synthetic")

    def ames(self, *, bias: bool = False, features: str = "minmax") -> Ames:
        # One synthetic table whatever ``features`` names: the recipes are tested in tests/data.
        rng = np.random.default_rng(self.seed + 1)
        weights = rng.normal(size=self.n_features)
        splits = []
        for n in (self.n_train, self.n_eval):
            X = rng.random((n, self.n_features))
            y = 12.0 + 0.3 * X @ weights + 0.05 * rng.normal(size=n)
            splits.append(Dataset(_with_bias(X, bias), y))
        names = [f"x{j}" for j in range(self.n_features)]
        return Ames(*splits, feature_names=names, source="synthetic")
