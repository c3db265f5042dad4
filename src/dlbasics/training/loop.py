"""The one training loop: every engine, every experiment, one divergence rule.

For ``epoch = 1..epochs``::

    order = next shuffled order of the n training examples     # from one generator per run
    for each chunk of ``order`` (about CHUNK_EXAMPLES examples, whole batches):
        loss_total, terms = learner.train_on(chunk, loss_total)  # the engine's updates
        stop if loss_total or any learned weight is not finite
    record = {"epoch", "train_loss": loss_total / terms, **evaluate()}
    stop if any figure of the record is not finite, else append it to the history

The chunks only let the progress bar move: the learner makes the same updates, in the same
order, as in one call on the whole ``order``, and it adds its losses to the running total it is
given, so the total is summed in the same order too.

**The divergence rule.** A non-finite loss, weight or evaluation figure ends the run with status
``"diverged"``; the history holds the epochs that finished finite, and the message names the
epoch that did not and suggests a smaller learning rate.

Orders: :func:`numpy_orders` (``np.random.default_rng(seed).permutation``, the Q2/Q3 homework
loop) and :func:`torch_orders` (``torch.randperm`` with a generator seeded once, the Q4 loop).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from dlbasics.progress import bar

# Examples per ``train_on`` call: small enough for a lively progress bar, large enough that
# the per-call overhead does not matter.
CHUNK_EXAMPLES = 2000

# The figures shown beside the epochs bar (when present): few, so that the bar keeps its width.
_POSTFIX_KEYS = ("train_loss", "dev_acc", "test_rmse")


class Learner(Protocol):
    """An engine's model and update rule, as the loop sees it."""

    @property
    def learning_rate(self) -> float | None: ...

    @property
    def batch_size(self) -> int: ...

    def train_on(self, order: np.ndarray, loss_total: float) -> tuple[float, int]:
        """Update on the examples ``order`` (whole batches, in order).

        Returns ``loss_total`` plus the losses of these updates (added one by one), and how
        many loss terms were added (examples, or batches for a batch-mean loss).
        """
        ...

    def finite(self) -> bool:
        """Whether every learned weight is finite."""
        ...


@dataclass
class TrainingOutcome:
    """The history of the finished epochs and whether training stayed finite."""

    history: list[dict[str, float]]
    status: str = "ok"
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def numpy_orders(n: int, seed: int | np.random.Generator) -> Iterator[np.ndarray]:
    """One permutation of ``range(n)`` per epoch from ``np.random.default_rng(seed)``.

    A generator given as ``seed`` is used as it is (``default_rng`` returns it), and advances.
    """
    rng = np.random.default_rng(seed)
    while True:
        yield rng.permutation(n)


def torch_orders(n: int, seed: int) -> Iterator[np.ndarray]:
    """One ``torch.randperm(n)`` per epoch from a CPU generator seeded once (same on any device)."""
    import torch

    shuffler = torch.Generator().manual_seed(seed)
    while True:
        yield torch.randperm(n, generator=shuffler).numpy()


def train_epochs(
    learner: Learner,
    n: int,
    *,
    epochs: int,
    orders: Iterator[np.ndarray],
    evaluate: Callable[[], dict[str, float]],
    show_progress: bool = False,
    desc: str = "training",
    on_epoch: Callable[[dict[str, float]], object] | None = None,
) -> TrainingOutcome:
    """Train ``learner`` on ``n`` examples for ``epochs`` epochs (see the module docstring).

    ``evaluate()`` returns the figures recorded after each epoch besides ``epoch`` and
    ``train_loss`` (e.g. ``dev_acc``, ``test_rmse``); ``on_epoch`` sees each record.
    """
    # Overflow is reported as divergence, so numpy's own warnings would only add noise.
    with np.errstate(over="ignore", invalid="ignore"):
        return _train_epochs(learner, n, epochs, orders, evaluate, show_progress, desc, on_epoch)


def _train_epochs(
    learner: Learner,
    n: int,
    epochs: int,
    orders: Iterator[np.ndarray],
    evaluate: Callable[[], dict[str, float]],
    show_progress: bool,
    desc: str,
    on_epoch: Callable[[dict[str, float]], object] | None,
) -> TrainingOutcome:
    batch = max(1, learner.batch_size)
    chunk_size = batch * max(1, CHUNK_EXAMPLES // batch)
    history: list[dict[str, float]] = []
    epoch_bar = bar(range(1, epochs + 1), enabled=show_progress, desc=desc, unit="epoch")
    try:
        for epoch in epoch_bar:
            order = next(orders)
            loss_total, terms = 0.0, 0
            with bar(
                total=n, enabled=show_progress, desc=f"epoch {epoch}", unit="ex", leave=False
            ) as examples_bar:
                for start in range(0, n, chunk_size):
                    chunk = order[start : start + chunk_size]
                    loss_total, added = learner.train_on(chunk, loss_total)
                    terms += added
                    if not (math.isfinite(loss_total) and learner.finite()):
                        return _diverged(history, learner, epoch, "training loss or weights")
                    examples_bar.update(len(chunk))
            record = {"epoch": epoch, "train_loss": loss_total / max(terms, 1), **evaluate()}
            bad = [key for key, value in record.items() if not math.isfinite(value)]
            if bad:
                return _diverged(history, learner, epoch, ", ".join(bad))
            history.append(record)
            if on_epoch is not None:
                on_epoch(record)
            epoch_bar.set_postfix(_postfix(record))
    finally:
        epoch_bar.close()
    return TrainingOutcome(history)


def _diverged(
    history: list[dict[str, float]], learner: Learner, epoch: int, what: str
) -> TrainingOutcome:
    rate = learner.learning_rate
    hint = "try a smaller --learning-rate"
    if rate is not None:
        hint += f" (this run used {rate:g})"
    message = f"training diverged in epoch {epoch}: non-finite {what}; {hint}"
    return TrainingOutcome(history, status="diverged", message=message)


def _postfix(record: dict[str, float]) -> dict[str, str]:
    return {key: f"{record[key]:.4f}" for key in _POSTFIX_KEYS if key in record}
