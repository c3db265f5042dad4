"""What :func:`dlbasics.training.networks.fit` accepts as data, made into plain Datasets.

A split is any of: a :class:`~dlbasics.data.types.Dataset`; a pair ``(X, y)`` of tensors or
arrays; a ``torch.utils.data.DataLoader`` (its dataset is read in index order: ``fit`` draws
its own seeded shuffle each epoch, so a run never depends on the loader's random state). The
training data may also be an object with ``train``, ``dev`` and ``test`` splits (e.g.
:class:`~dlbasics.data.types.FashionMNIST`), whose dev and test splits are then used unless
given separately. Inputs become float32 rows and labels int64 class indices, checked against
the model's width and number of classes where the model states them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlbasics.data.types import Dataset


@dataclass(frozen=True)
class FitData:
    """The splits of one ``fit`` call; ``dev`` and ``test`` are None when not given."""

    train: Dataset
    dev: Dataset | None
    test: Dataset | None
    loader_batch_size: int | None  # the training DataLoader's batch size, if one was given


def _numpy(values: Any) -> np.ndarray:
    """A tensor (on any device) or array-like as a NumPy array."""
    if hasattr(values, "detach") and hasattr(values, "cpu"):
        return np.asarray(values.detach().cpu().numpy())
    return np.asarray(values)


def _loader_arrays(loader: Any) -> tuple[Any, Any]:
    """The ``(X, y)`` of a DataLoader's dataset, in index order."""
    import torch

    dataset = loader.dataset
    tensors = getattr(dataset, "tensors", None)  # a TensorDataset: no copy example by example
    if isinstance(tensors, tuple) and len(tensors) == 2:
        return tensors
    pairs = [dataset[i] for i in range(len(dataset))]
    if not pairs:
        return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int64)
    if not all(isinstance(pair, tuple | list) and len(pair) == 2 for pair in pairs):
        raise ValueError("a DataLoader's dataset must yield (x, y) pairs")
    xs = [torch.as_tensor(x) for x, _ in pairs]
    return torch.stack(xs), torch.as_tensor(np.array([_numpy(label) for _, label in pairs]))


def as_dataset(split: Any, what: str, model: Any = None) -> Dataset:
    """``split`` (Dataset, ``(X, y)`` pair or DataLoader) as a checked float32/int64 Dataset.

    Raises
    ------
    ValueError
        When ``split`` is none of these, ``X`` is not 2-D, its width or the labels do not fit
        ``model``, or X and y differ in length.
    """
    if isinstance(split, Dataset):
        X, y = split.X, split.y
    elif hasattr(split, "dataset") and hasattr(split, "batch_size"):
        X, y = _loader_arrays(split)
    elif isinstance(split, tuple | list) and len(split) == 2:
        X, y = split
    else:
        raise ValueError(
            f"{what} must be a Dataset, an (X, y) pair of tensors or arrays, or a DataLoader, "
            f"not {type(split).__name__}"
        )
    X_np, y_np = _numpy(X), _numpy(y).reshape(-1)
    if len(X_np) and X_np.ndim > 2:
        X_np = X_np.reshape(len(X_np), -1)  # images: flattened, as the models see them
    if X_np.ndim != 2:
        raise ValueError(f"{what}: X must have one row per example, got shape {X_np.shape}")
    if len(X_np) != len(y_np):
        raise ValueError(f"{what}: X has {len(X_np)} rows but y has {len(y_np)} labels")
    _check_against_model(X_np, y_np, what, model)
    if X_np.dtype != np.float32:
        X_np = X_np.astype(np.float32)
    return Dataset(X_np, y_np.astype(np.int64, copy=False))


def _check_against_model(X: np.ndarray, y: np.ndarray, what: str, model: Any) -> None:
    n_features = getattr(model, "n_features", None)
    if n_features is not None and len(X) and X.shape[1] != n_features:
        raise ValueError(f"{what}: X has {X.shape[1]} features but the model takes {n_features}")
    whole = np.issubdtype(y.dtype, np.integer) or bool(np.all(np.isfinite(y) & (y == np.round(y))))
    if y.size and not whole:
        raise ValueError(f"{what}: labels must be class indices 0, 1, ..., n_classes - 1")
    n_classes = getattr(model, "n_classes", None)
    if n_classes is not None and y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(
            f"{what}: labels must be class indices 0..{n_classes - 1}, found {y.min()}..{y.max()}"
        )


def fit_data(data: Any, y: Any, dev: Any, test: Any, model: Any) -> FitData:
    """The splits of a ``fit(model, data, y, dev=..., test=...)`` call (see the module doc)."""
    if y is not None:
        train = as_dataset((data, y), "the training data", model)
        batch = None
    elif all(hasattr(data, name) for name in ("train", "dev", "test")):
        dev = data.dev if dev is None else dev
        test = data.test if test is None else test
        train = as_dataset(data.train, "the training set", model)
        batch = None
    else:
        train = as_dataset(data, "the training data", model)
        batch = getattr(data, "batch_size", None) if hasattr(data, "dataset") else None
    return FitData(
        train=train,
        dev=None if dev is None else as_dataset(dev, "dev", model),
        test=None if test is None else as_dataset(test, "test", model),
        loader_batch_size=batch,
    )
