"""Each engine's update step behind the loop's :class:`~dlbasics.training.loop.Learner` interface.

* :class:`ModelLearner`: a from-scratch model (``dlbasics.scratch`` or ``dlbasics.fast``),
  whose ``train_epoch(X, y, order)`` makes per-example updates and returns their mean loss;
* :class:`TorchLearner`: a torch ``nn.Module`` with a ``torch.optim`` optimiser and the
  batch-mean cross-entropy (model, loss and optimiser stay separate objects, as in PyTorch);
* :class:`FastNetworkLearner`: the compiled twin of the torch learner
  (:class:`dlbasics.fast.torch_equivalent.network.FastFeedforward`), which holds the same network's weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbasics.data.types import Dataset


def learned_arrays(model: Any) -> list[np.ndarray]:
    """Every learned array of ``model``: its attributes ending in ``_`` (arrays or lists of them)."""
    arrays: list[np.ndarray] = []
    for name, value in vars(model).items():
        if not name.endswith("_") or name.startswith("_"):
            continue
        items = value if isinstance(value, list | tuple) else [value]
        arrays.extend(item for item in items if isinstance(item, np.ndarray))
    return arrays


class ModelLearner:
    """A from-scratch model trained one example at a time on ``train``."""

    batch_size = 1

    def __init__(self, model: Any, train: Dataset) -> None:
        self.model = model
        self.train = train

    @property
    def learning_rate(self) -> float | None:
        """The model's step size; None for a model without one (the perceptron)."""
        rate = getattr(self.model, "learning_rate", None)
        return None if rate is None else float(rate)

    def train_on(self, order: np.ndarray, loss_total: float) -> tuple[float, int]:
        mean_loss = float(self.model.train_epoch(self.train.X, self.train.y, order))
        return loss_total + mean_loss * len(order), len(order)

    def finite(self) -> bool:
        return all(bool(np.isfinite(array).all()) for array in learned_arrays(self.model))


class TorchLearner:
    """``model`` trained by ``optimizer`` on the batch-mean cross-entropy, ``batch_size`` at a time.

    ``X``, ``y``: the training tensors, already on the model's device.
    """

    def __init__(self, model: Any, optimizer: Any, X: Any, y: Any, batch_size: int) -> None:
        import torch
        from torch import nn

        self._torch = torch
        self.model = model
        self.optimizer = optimizer
        self.loss_fn = nn.CrossEntropyLoss()
        self.X, self.y = X, y
        self.batch_size = batch_size

    @property
    def learning_rate(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def train_on(self, order: np.ndarray, loss_total: float) -> tuple[float, int]:
        torch = self._torch
        index = torch.from_numpy(np.ascontiguousarray(order)).to(self.X.device)
        X_part, y_part = self.X[index], self.y[index]  # one copy; the batches are views of it
        # The sum stays on the device (no sync per step on a GPU), in float64, continuing the
        # epoch's running total.
        total = torch.tensor(loss_total, dtype=torch.float64, device=self.X.device)
        n_batches = 0
        for start in range(0, len(index), self.batch_size):
            xb = X_part[start : start + self.batch_size]
            yb = y_part[start : start + self.batch_size]
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.model(xb), yb)
            loss.backward()
            self.optimizer.step()
            total += loss.detach()
            n_batches += 1
        return float(total.item()), n_batches

    def finite(self) -> bool:
        torch = self._torch
        return all(bool(torch.isfinite(p).all()) for p in self.model.parameters())


class FastNetworkLearner:
    """The compiled trainer of a torch network (it holds the weights until ``copy_to``)."""

    def __init__(self, trainer: Any, train: Dataset, learning_rate: float) -> None:
        self.trainer = trainer
        self.batch_size = trainer.batch_size
        self.learning_rate = learning_rate
        self.X = np.ascontiguousarray(train.X, dtype=np.float32)
        self.y = np.ascontiguousarray(train.y, dtype=np.int64)

    def train_on(self, order: np.ndarray, loss_total: float) -> tuple[float, int]:
        loss_sum, n_batches = self.trainer.train_epoch(self.X, self.y, order)
        return loss_total + loss_sum, n_batches

    def finite(self) -> bool:
        return bool(self.trainer.finite())
