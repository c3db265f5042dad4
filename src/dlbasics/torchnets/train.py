"""The training loop of Question 4, kept apart from the models, the loss and the optimiser.

What one epoch does (the homework's loop, without its per-example ``DataLoader``)::

    order = randperm(n)                       # a fresh shuffle, from a generator seeded once
    for each batch B of ``batch_size`` consecutive positions of ``order``:
        loss_B = mean over (x, y) in B of  -log softmax(model(x))[y]     # cross-entropy
        theta <- optimiser step on grad(loss_B)   # SGD or Adam, L2 decay as weight_decay
    train_loss = mean over batches of loss_B
    dev_acc, test_acc = accuracy of argmax(model(x)) with dropout switched off

Speed without changing the semantics: the data are converted to tensors once, each epoch's
shuffled copy is made with a single indexing operation and batches are views into it, so a step
costs only the model's forward/backward and the optimiser update.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import torch
from torch import nn

from dlbasics.data.types import Dataset
from dlbasics.errors import ConfigError
from dlbasics.progress import bar
from dlbasics.results.provenance import physical_cores

OPTIMIZERS: dict[str, Callable[..., torch.optim.Optimizer]] = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
}
DEVICES = ("auto", "cpu", "cuda")
THREADS_ENV = "DLBASICS_TORCH_THREADS"
_PROGRESS_EVERY = 500  # batches between progress-bar refreshes (a refresh per step is costly)


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
    """``history``: one dict per epoch (epoch, train_loss, dev_acc, test_acc).

    ``final``: train_loss of the last epoch, dev_acc and test_acc of the final model.
    ``status``: "ok" or "diverged" (``message`` says when). ``test_predictions``: the final
    model's predicted class for every test example.
    """

    history: list[dict[str, float]]
    final: dict[str, float]
    status: str = "ok"
    message: str = ""
    test_predictions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


# Below this batch size one thread is fastest: a per-example step is too small to split, and on a
# busy 2-core machine two threads made each batch-1 step about 23x slower (68 us vs 1.6 ms).
MIN_BATCH_FOR_THREADS = 64


def configure_threads(batch_size: int = MIN_BATCH_FOR_THREADS) -> int:
    """Set torch's intra-op threads: ``$DLBASICS_TORCH_THREADS`` if set, else one thread for
    small batches and the physical cores for batches of ``MIN_BATCH_FOR_THREADS`` or more.

    Sweeps with several local workers set the variable so that the workers share the cores
    instead of oversubscribing them.
    """
    requested = os.environ.get(THREADS_ENV, "").strip()
    default = physical_cores() if batch_size >= MIN_BATCH_FOR_THREADS else 1
    try:
        threads = int(requested) if requested else default
    except ValueError:
        raise ConfigError(f"{THREADS_ENV}={requested!r}: must be a whole number") from None
    threads = max(1, threads)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads


def resolve_device(device: str) -> torch.device:
    """``auto`` -> cuda when available else cpu; ``cuda`` without a GPU is a one-line error."""
    name = device.strip().lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            build = (
                "this PyTorch build has no CUDA support"
                if torch.version.cuda is None
                else ("no CUDA GPU is visible")
            )
            raise ConfigError(f"--device {device}: {build}; use --device cpu or --device auto")
        return torch.device(name)
    raise ConfigError(f"invalid --device {device!r}: must be one of {', '.join(DEVICES)}")


def seed_everything(seed: int) -> None:
    """Seed torch's global generators; call it right before building the model, so that one
    seed gives the same initial weights (and the same dropout masks during training)."""
    torch.manual_seed(seed)


def make_optimizer(
    model: nn.Module, name: str, learning_rate: float, l2_decay: float
) -> torch.optim.Optimizer:
    """SGD or Adam; L2 decay is the optimiser's ``weight_decay`` (adds ``l2_decay * theta`` to
    every gradient), as in the homework."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ConfigError(
            f"invalid --optimizer {name!r}: must be one of {', '.join(OPTIMIZERS)}"
        ) from None
    return cls(model.parameters(), lr=learning_rate, weight_decay=l2_decay)


def _tensors(dataset: Dataset, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.as_tensor(np.ascontiguousarray(dataset.X), dtype=torch.float32, device=device)
    y = torch.as_tensor(np.ascontiguousarray(dataset.y), dtype=torch.int64, device=device)
    return X, y


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


def _parameters_finite(model: nn.Module) -> bool:
    return all(bool(torch.isfinite(p).all()) for p in model.parameters())


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
    device: str = "cpu",
    show_progress: bool = False,
    on_epoch: Callable[[dict[str, float]], Any] | None = None,
) -> FitResult:
    """Train ``model`` in place with cross-entropy and return its per-epoch history.

    ``seed`` seeds the shuffling generator (once per run, so each epoch gets a new order).
    Build the model after :func:`seed_everything` for fully reproducible runs. Training stops
    early with status "diverged" when the epoch's loss or any weight is not finite.
    """
    if epochs < 1 or batch_size < 1:
        raise ConfigError("epochs and batch_size must be >= 1")
    configure_threads(batch_size)
    target = resolve_device(device)
    model.to(target)
    model.train()
    X_train, y_train = _tensors(data.train, target)
    X_dev, y_dev = _tensors(data.dev, target)
    X_test, y_test = _tensors(data.test, target)
    n = len(y_train)
    if n == 0:
        raise ConfigError("the training set is empty")
    n_batches = math.ceil(n / batch_size)

    opt = make_optimizer(model, optimizer, learning_rate, l2_decay)
    loss_fn = nn.CrossEntropyLoss()
    shuffler = torch.Generator().manual_seed(seed)  # CPU generator: same order on any device

    history: list[dict[str, float]] = []
    status, message = "ok", ""
    progress = bar(total=epochs * n_batches, enabled=show_progress, desc="training", unit="batch")
    try:
        for epoch in range(1, epochs + 1):
            order = torch.randperm(n, generator=shuffler).to(target)
            X_epoch, y_epoch = (
                X_train[order],
                y_train[order],
            )  # one copy per epoch; batches are views
            loss_sum = torch.zeros((), dtype=torch.float64, device=target)
            for b, start in enumerate(range(0, n, batch_size), start=1):
                xb = X_epoch[start : start + batch_size]
                yb = y_epoch[start : start + batch_size]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(xb), yb)
                loss.backward()
                opt.step()
                loss_sum += loss.detach()  # stays on the device: no sync per step on a GPU
                if b % _PROGRESS_EVERY == 0:
                    progress.update(_PROGRESS_EVERY)
            progress.update(n_batches - (n_batches // _PROGRESS_EVERY) * _PROGRESS_EVERY)
            train_loss = float(loss_sum.item()) / n_batches
            record = {
                "epoch": epoch,
                "train_loss": train_loss,
                "dev_acc": accuracy(model, X_dev, y_dev),
                "test_acc": accuracy(model, X_test, y_test),
            }
            history.append(record)
            if on_epoch is not None:
                on_epoch(record)
            progress.set_postfix(loss=f"{train_loss:.4f}", dev_acc=f"{record['dev_acc']:.4f}")
            if not (math.isfinite(train_loss) and _parameters_finite(model)):
                status = "diverged"
                message = (
                    f"training diverged in epoch {epoch}: non-finite loss or weights "
                    f"(learning rate {learning_rate} is too large for {optimizer})"
                )
                break
    finally:
        progress.close()

    last = history[-1]
    final = {
        "train_loss": last["train_loss"],
        "dev_acc": last["dev_acc"],
        "test_acc": last["test_acc"],
    }
    test_predictions = predict(model, X_test).cpu().numpy().astype(np.int64)
    return FitResult(history, final, status, message, test_predictions)
