"""Plain containers that the data layer hands to models and experiments."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Design matrix ``X`` (n_examples, n_features) and targets ``y`` (n_examples,)."""

    X: np.ndarray
    y: np.ndarray

    def __post_init__(self) -> None:
        if self.X.shape[0] != self.y.shape[0]:
            raise ValueError(f"X has {self.X.shape[0]} rows but y has {self.y.shape[0]}")

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def head(self, n: int) -> Dataset:
        """The first ``n`` examples (used by --quick runs)."""
        return Dataset(self.X[:n], self.y[:n])


FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


@dataclass(frozen=True)
class FashionMNIST:
    """The homework's split: 50,000 train / 10,000 dev (from the official 60,000) / 10,000 test.

    Pixels are divided by 256 (not 255), exactly as the homework's loader did.
    """

    train: Dataset
    dev: Dataset
    test: Dataset
    source: str
    class_names: tuple[str, ...] = FASHION_MNIST_CLASSES


# The featurisations of the Ames table, the default first (implemented in dlbasics.data.ames;
# named here so that the hyperparameter table can list them without loading pandas).
AMES_FEATURES: tuple[str, ...] = ("minmax", "zscore", "homework")


@dataclass(frozen=True)
class Ames:
    """Ames housing: featurized design matrices, target log(SalePrice), 50/50 split."""

    train: Dataset
    test: Dataset
    feature_names: list[str] = field(default_factory=list)
    source: str = ""
    checksum: str = ""
