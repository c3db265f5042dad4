"""Question 4's PyTorch networks, trained by the compiled kernel instead of by autograd.

:func:`fit` has the signature and the semantics of :func:`dlbasics.torchnets.train.fit`:
the same torch model is built by the caller (so its initial weights are torch's own), the
examples come in the same order (``torch.randperm`` from a generator seeded with ``seed``, one
permutation per epoch), batches are consecutive positions of that order, the loss is the
batch-mean cross-entropy, and the optimiser step is torch.optim's SGD or Adam with
``weight_decay`` added to the gradient. Only the dropout masks differ: the kernel draws them
from its own generator (SplitMix64 seeded with ``seed``), keeping each hidden unit with
probability ``1 - p`` and scaling the survivors by ``1/(1-p)`` exactly as torch does.

Evaluation copies the trained weights back into the torch model and uses torch's own
``predict``/``accuracy``, so the accuracies are computed by the same code on both engines.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from dlbasics.errors import ConfigError
from dlbasics.fast.torch_equivalent.network import FastFeedforward
from dlbasics.progress import bar
from dlbasics.torchnets.train import FitResult, SplitData, accuracy, predict

_CHUNK_EXAMPLES = 2000  # examples per kernel call (for the progress bar), rounded to batches


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
    """Train ``model`` in place with the compiled kernel; same contract as the torch engine's
    :func:`dlbasics.torchnets.train.fit` (history, final figures, divergence, predictions)."""
    if device.strip().lower() not in ("cpu", "auto"):
        raise ConfigError(f"--device {device}: the fast engine runs on the CPU; use --device cpu")
    if epochs < 1 or batch_size < 1:
        raise ConfigError("epochs and batch_size must be >= 1")
    model.cpu()
    trainer = FastFeedforward(
        model,
        batch_size=batch_size,
        optimizer=optimizer,
        learning_rate=learning_rate,
        l2_decay=l2_decay,
        seed=seed,
    )
    X_train = np.ascontiguousarray(data.train.X, dtype=np.float32)
    y_train = np.ascontiguousarray(data.train.y, dtype=np.int64)
    X_dev, y_dev = (torch.as_tensor(np.asarray(a)) for a in (data.dev.X, data.dev.y))
    X_test, y_test = (torch.as_tensor(np.asarray(a)) for a in (data.test.X, data.test.y))
    X_dev, X_test = X_dev.float(), X_test.float()
    n = len(y_train)
    if n == 0:
        raise ConfigError("the training set is empty")
    n_batches = math.ceil(n / batch_size)
    chunk = batch_size * max(1, _CHUNK_EXAMPLES // batch_size)  # whole batches per call
    shuffler = torch.Generator().manual_seed(seed)  # the torch engine's order, exactly

    history: list[dict[str, float]] = []
    status, message = "ok", ""
    progress = bar(total=epochs * n_batches, enabled=show_progress, desc="training", unit="batch")
    try:
        for epoch in range(1, epochs + 1):
            order = torch.randperm(n, generator=shuffler).numpy()
            loss_sum, batches = 0.0, 0
            for start in range(0, n, chunk):
                part_loss, part_batches = trainer.train_epoch(
                    X_train, y_train, order[start : start + chunk]
                )
                loss_sum += part_loss
                batches += part_batches
                progress.update(part_batches)
            train_loss = loss_sum / batches
            trainer.copy_to(model)
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
            if not (math.isfinite(train_loss) and trainer.finite()):
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
    test_predictions = predict(model, X_test).numpy().astype(np.int64)
    return FitResult(history, final, status, message, test_predictions)
