"""Where data comes from, as chosen on the command line, and cached loading."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from dlbasics.data.types import AMES_FEATURES, Ames, FashionMNIST


@dataclass(frozen=True)
class DataOptions:
    """Data sources plus an optional subset size for --quick smoke runs.

    ``limit`` caps every split at that many examples (None = the full data).
    """

    data_dir: Path | None = None
    ames_path: Path | None = None
    limit: int | None = None

    def fashion_mnist(self, *, dtype: type = np.float32, bias: bool = False) -> FashionMNIST:
        data = _fashion_mnist(self.data_dir, np.dtype(dtype).name, bias)
        if self.limit is None:
            return data
        return FashionMNIST(
            train=data.train.head(self.limit),
            dev=data.dev.head(self.limit),
            test=data.test.head(self.limit),
            source=data.source,
        )

    def ames(self, *, bias: bool = False, features: str = AMES_FEATURES[0]) -> Ames:
        """The Ames splits under the featurisation ``features`` (see :mod:`dlbasics.data.ames`)."""
        data = _ames(self.ames_path, bias, features)
        if self.limit is None:
            return data
        return Ames(
            train=data.train.head(self.limit),
            test=data.test.head(self.limit),
            feature_names=data.feature_names,
            source=data.source,
        )


@lru_cache(maxsize=4)
def _fashion_mnist(data_dir: Path | None, dtype: str, bias: bool) -> FashionMNIST:
    from dlbasics.data.fashion_mnist import load_fashion_mnist

    return load_fashion_mnist(data_dir, dtype=np.dtype(dtype), bias=bias)


@lru_cache(maxsize=2 * len(AMES_FEATURES))  # with and without the bias column
def _ames(path: Path | None, bias: bool, features: str) -> Ames:
    from dlbasics.data.ames import load_ames

    return load_ames(path, bias=bias, features=features)
