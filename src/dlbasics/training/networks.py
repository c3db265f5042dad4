"""Question 4's networks trained through the one loop, by torch's autograd or the compiled twin.

What one epoch does (the homework's loop, without its per-example ``DataLoader``)::

    order = randperm(n)                       # a fresh shuffle, from a generator seeded once
    for each batch B of ``batch_size`` consecutive positions of ``order``:
        loss_B = mean over (x, y) in B of  -log softmax(model(x))[y]     # cross-entropy
        theta <- optimiser step on grad(loss_B)   # SGD or Adam, L2 decay as weight_decay
    train_loss = mean over batches of loss_B
    dev_acc, test_acc = accuracy of argmax(model(x)) with dropout switched off

Engine ``torch`` runs this with autograd and ``torch.optim``; engine ``fast`` hands the same
updates to the compiled kernel (:mod:`dlbasics.fast`), which draws its own dropout masks. Both
evaluate through torch's own :func:`~dlbasics.torchnets.evaluate.accuracy`, on the same model
object (the fast engine copies its weights back into it after each epoch).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import torch
from torch import nn

from dlbasics.data.types import Dataset
from dlbasics.errors import ConfigError
from dlbasics.torchnets.evaluate import accuracy, predict
from dlbasics.torchnets.optim import make_optimizer
from dlbasics.training.engines import NETWORK_ENGINES
from dlbasics.training.learners import FastNetworkLearner, TorchLearner
from dlbasics.training.loop import torch_orders, train_epochs
from dlbasics.training.torch_runtime import configure_threads, resolve_device


class SplitData(Protocol):
    """Anything with ``train``, ``dev`` and ``test`` :class:`Dataset` s (e.g. FashionMNIST)."""

    @property
    def train(self) -> Dataset: ...
    @property
    def dev(self) -> Dataset: ...
    @property
    def test(self) -> Dataset: ...


@dataclass
class FitResult:
    """``history``: one dict per finished epoch (epoch, train_loss, dev_acc, test_acc).

    ``final``: train_loss of the last epoch, dev_acc and test_acc of the final model (NaN when
    the run diverged). ``status``: "ok" or "diverged" (``message`` says when).
    ``test_predictions``: the final model's predicted class for every test example.
    """

    history: list[dict[str, float]]
    final: dict[str, float]
    status: str = "ok"
    message: str = ""
    test_predictions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _tensors(dataset: Dataset, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.as_tensor(np.ascontiguousarray(dataset.X), dtype=torch.float32, device=device)
    y = torch.as_tensor(np.ascontiguousarray(dataset.y), dtype=torch.int64, device=device)
    return X, y


def fit(
    model: nn.Module,
    data: SplitData,
    *,
    epochs: int,
    batch_size: int,
    optimizer: str,
    learning_rate: float,
    l2_decay: float,
    seed: int,
    engine: str = "torch",
    device: str = "cpu",
    show_progress: bool = False,
    on_epoch: Callable[[dict[str, float]], Any] | None = None,
) -> FitResult:
    """Train ``model`` in place with cross-entropy and return its per-epoch history.

    ``seed`` seeds the shuffling generator (once per run, so each epoch gets a new order) and,
    for the fast engine, the dropout generator. Build the model after
    :func:`~dlbasics.training.torch_runtime.seed_everything` for fully reproducible runs.
    """
    if engine not in NETWORK_ENGINES:
        raise ConfigError(f"invalid engine {engine!r}: must be one of {', '.join(NETWORK_ENGINES)}")
    if epochs < 1 or batch_size < 1:
        raise ConfigError("epochs and batch_size must be >= 1")
    n = len(data.train)
    if n == 0:
        raise ConfigError("the training set is empty")
    if engine == "fast":
        if device.strip().lower() not in ("cpu", "auto"):
            raise ConfigError(
                f"--device {device}: the fast engine runs on the CPU; use --device cpu"
            )
        target = torch.device("cpu")
    else:
        configure_threads(batch_size)
        target = resolve_device(device)
    model.to(target)
    model.train()
    X_dev, y_dev = _tensors(data.dev, target)
    X_test, y_test = _tensors(data.test, target)
    learner, sync = _learner(model, data.train, target, engine, batch_size, optimizer,
                             learning_rate, l2_decay, seed)  # fmt: skip

    def evaluate() -> dict[str, float]:
        sync()
        return {
            "dev_acc": accuracy(model, X_dev, y_dev),
            "test_acc": accuracy(model, X_test, y_test),
        }

    outcome = train_epochs(
        learner,
        n,
        epochs=epochs,
        orders=torch_orders(n, seed),
        evaluate=evaluate,
        show_progress=show_progress,
        on_epoch=on_epoch,
    )
    sync()
    keys = ("train_loss", "dev_acc", "test_acc")
    if outcome.ok:
        final = {key: outcome.history[-1][key] for key in keys}
    else:
        final = dict.fromkeys(keys, math.nan)
    test_predictions = predict(model, X_test).cpu().numpy().astype(np.int64)
    return FitResult(outcome.history, final, outcome.status, outcome.message, test_predictions)


def _learner(
    model: nn.Module,
    train: Dataset,
    target: torch.device,
    engine: str,
    batch_size: int,
    optimizer: str,
    learning_rate: float,
    l2_decay: float,
    seed: int,
) -> tuple[Any, Callable[[], None]]:
    """The engine's learner, and what brings ``model``'s weights up to date before evaluation."""
    if engine == "fast":
        from dlbasics.fast.torch_equivalent.network import FastFeedforward

        trainer = FastFeedforward(
            model,
            batch_size=batch_size,
            optimizer=optimizer,
            learning_rate=learning_rate,
            l2_decay=l2_decay,
            seed=seed,
        )
        return FastNetworkLearner(trainer, train, learning_rate), lambda: trainer.copy_to(model)
    X, y = _tensors(train, target)
    opt = make_optimizer(model, optimizer, learning_rate, l2_decay)
    return TorchLearner(model, opt, X, y, batch_size), lambda: None
