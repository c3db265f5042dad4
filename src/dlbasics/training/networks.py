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
from typing import Any

import numpy as np
import torch
from torch import nn

from dlbasics.data.types import Dataset
from dlbasics.errors import ConfigError
from dlbasics.torchnets.evaluate import accuracy, predict
from dlbasics.torchnets.optim import make_optimizer
from dlbasics.training.engines import NETWORK_ENGINES
from dlbasics.training.fit_inputs import fit_data
from dlbasics.training.learners import FastNetworkLearner, TorchLearner
from dlbasics.training.loop import torch_orders, train_epochs
from dlbasics.training.torch_runtime import configure_threads, resolve_device


@dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes
    ----------
    history : list of dict
        One dict per finished epoch: ``epoch``, ``train_loss``, and ``dev_acc`` / ``test_acc``
        when a dev / test set was given.
    final : dict
        ``train_loss`` of the last epoch and the final model's ``dev_acc`` and ``test_acc``
        (those given); NaN when the run diverged.
    status : str
        ``"ok"`` or ``"diverged"`` (``message`` says when).
    test_predictions : numpy.ndarray
        The final model's predicted class for every test example (empty without a test set).
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
    data: Any,
    y: Any = None,
    *,
    dev: Any = None,
    test: Any = None,
    epochs: int = 20,
    batch_size: int | None = None,
    optimizer: str = "sgd",
    learning_rate: float = 0.01,
    l2_decay: float = 0.0,
    seed: int = 0,
    engine: str = "torch",
    device: str = "cpu",
    show_progress: bool = False,
    on_epoch: Callable[[dict[str, float]], Any] | None = None,
) -> FitResult:
    """Train ``model`` in place with cross-entropy and return its per-epoch history.

    The defaults are the homework's (q4-logreg): 20 epochs of per-example SGD at learning rate
    0.01, no L2 decay.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning one score per class, e.g.
        :class:`~dlbasics.torchnets.models.FeedforwardNetwork`.
    data : tensor, array, (X, y) pair, Dataset, DataLoader, or an object with train/dev/test
        The training data: inputs ``X`` (with ``y`` as the next argument), an ``(X, y)`` pair,
        a :class:`~dlbasics.data.types.Dataset`, a ``torch.utils.data.DataLoader`` (its dataset
        is read in index order; the shuffle is ``fit``'s own), or a split such as
        :class:`~dlbasics.data.types.FashionMNIST`, whose dev and test sets are then used.
    y : tensor or array, optional
        The class indices ``0..n_classes-1`` of ``data``'s rows, when ``data`` is ``X``.
    dev, test : same kinds as ``data`` (not an object with splits), optional
        Evaluated after every epoch (accuracy, dropout off); leave out to skip.
    epochs : int, default 20
    batch_size : int, optional
        Examples per update; default: the DataLoader's batch size, else 1 (the homework's).
    optimizer : {"sgd", "adam"}, default "sgd"
    learning_rate : float, default 0.01
    l2_decay : float, default 0.0
        The optimiser's ``weight_decay``.
    seed : int, default 0
        Seeds the shuffling generator (once per run, so each epoch gets a new order) and, for
        the fast engine, the dropout generator. Build the model after
        :func:`~dlbasics.training.torch_runtime.seed_everything` for reproducible weights.
    engine : {"torch", "fast"}, default "torch"
    device : str, default "cpu"
        Torch device (``"cpu"``, ``"cuda"``, ``"auto"``); the fast engine runs on the CPU.
    show_progress : bool, default False
    on_epoch : callable, optional
        Called with each epoch's record as it finishes.

    Returns
    -------
    FitResult

    Raises
    ------
    ValueError
        Data of an unknown kind or that does not fit the model (:class:`ConfigError`, also a
        ValueError, for an unknown engine, optimiser, device or a bad count).

    Examples
    --------
    >>> import torch
    >>> from dlbasics.torchnets.models import LogisticRegression
    >>> X, y = torch.rand(40, 6), torch.randint(0, 3, (40,))
    >>> result = fit(LogisticRegression(6, 3), X, y, epochs=2)
    >>> [sorted(record) for record in result.history][0]
    ['epoch', 'train_loss']
    """
    if engine not in NETWORK_ENGINES:
        raise ConfigError(f"invalid engine {engine!r}: must be one of {', '.join(NETWORK_ENGINES)}")
    splits = fit_data(data, y, dev, test, model)
    if batch_size is None:
        batch_size = splits.loader_batch_size or 1
    if epochs < 1 or batch_size < 1:
        raise ConfigError("epochs and batch_size must be >= 1")
    n = len(splits.train)
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
    evaluated = {
        key: _tensors(split, target)
        for key, split in (("dev_acc", splits.dev), ("test_acc", splits.test))
        if split is not None
    }
    learner, sync = _learner(model, splits.train, target, engine, batch_size, optimizer,
                             learning_rate, l2_decay, seed)  # fmt: skip

    def evaluate() -> dict[str, float]:
        sync()
        return {key: accuracy(model, X, labels) for key, (X, labels) in evaluated.items()}

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
    keys = ("train_loss", *evaluated)
    if outcome.ok:
        final = {key: outcome.history[-1][key] for key in keys}
    else:
        final = dict.fromkeys(keys, math.nan)
    test_predictions = np.zeros(0, dtype=np.int64)
    if "test_acc" in evaluated:
        test_predictions = predict(model, evaluated["test_acc"][0]).cpu().numpy().astype(np.int64)
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
