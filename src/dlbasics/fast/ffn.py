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
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from dlbasics.errors import ConfigError
from dlbasics.fast import kernels
from dlbasics.fast.models import prepare
from dlbasics.progress import bar
from dlbasics.torchnets.train import FitResult, SplitData, accuracy, predict

ADAM_BETAS = (0.9, 0.999)  # torch.optim.Adam's defaults, which the torch engine uses
ADAM_EPS = 1e-8
_ACTIVATIONS: dict[type[nn.Module], int] = {nn.ReLU: kernels.RELU, nn.Tanh: kernels.TANH}
_OPTIMIZERS = {"sgd": kernels.SGD, "adam": kernels.ADAM}
_CHUNK_EXAMPLES = 2000  # examples per kernel call (for the progress bar), rounded to batches


@dataclass(frozen=True)
class NetworkSpec:
    """What the kernel needs to know of a torch network: its linear layers, in order, the
    hidden activation and the dropout probability (``Linear`` alone: logistic regression)."""

    linears: tuple[nn.Linear, ...]
    activation: int
    dropout: float


def describe(model: nn.Module) -> NetworkSpec:
    """Read ``[Linear, ReLU|Tanh, Dropout?] * L + [Linear]`` off ``model``'s modules, in order.

    ``L = 0`` (a single ``Linear``) is logistic regression. Any other architecture, mixed
    activations or different dropout probabilities are refused: the kernel implements exactly
    this family.
    """
    leaves = [m for m in model.modules() if not list(m.children())]
    layout = ", ".join(type(m).__name__ for m in leaves) or "no layers"
    refusal = ConfigError(
        f"the fast engine trains [Linear, ReLU|Tanh, Dropout] x L + Linear, not: {layout}"
    )
    linears: list[nn.Linear] = []
    activations: set[int] = set()
    dropouts: set[float] = set()
    position = 0
    while True:
        linear = leaves[position] if position < len(leaves) else None
        if not isinstance(linear, nn.Linear):
            raise refusal
        linears.append(linear)
        position += 1
        if position == len(leaves):
            break
        if type(leaves[position]) not in _ACTIVATIONS:
            raise refusal
        activations.add(_ACTIVATIONS[type(leaves[position])])
        position += 1
        dropout = leaves[position] if position < len(leaves) else None
        if isinstance(dropout, nn.Dropout):
            dropouts.add(float(dropout.p))
            position += 1
        else:
            dropouts.add(0.0)
    if len(activations) > 1 or len(dropouts) > 1:
        raise refusal
    activation = activations.pop() if activations else kernels.RELU
    return NetworkSpec(tuple(linears), activation, dropouts.pop() if dropouts else 0.0)


class FastFeedforward:
    """The parameters and optimiser state of one torch network, packed for the kernel.

    ``train_epoch(X, y, order)`` trains on ``order`` (any number of calls continue the same
    run: dropout generator, Adam moments and step count persist) and returns the sum of the
    batches' mean losses and the number of batches. ``copy_to(model)`` writes the weights back.
    """

    def __init__(
        self,
        model: nn.Module,
        *,
        batch_size: int,
        optimizer: str,
        learning_rate: float,
        l2_decay: float,
        seed: int,
    ) -> None:
        if optimizer not in _OPTIMIZERS:
            raise ConfigError(
                f"invalid --optimizer {optimizer!r}: must be one of {', '.join(_OPTIMIZERS)}"
            )
        if batch_size < 1:
            raise ConfigError("batch_size must be >= 1")
        spec = describe(model)
        weights = [layer.weight.detach().cpu().numpy() for layer in spec.linears]
        biases = [layer.bias.detach().cpu().numpy() for layer in spec.linears]
        self.dtype = np.dtype(np.float32)
        self.wt, self.b, self.sizes = kernels.pack_layers(weights, biases, self.dtype)
        self.activation = spec.activation
        self.dropout = spec.dropout
        self.batch_size = int(batch_size)
        self.optimizer = _OPTIMIZERS[optimizer]
        beta1, beta2 = ADAM_BETAS
        self.hyper = np.zeros(6)
        self.hyper[kernels.H_LR] = learning_rate
        self.hyper[kernels.H_WEIGHT_DECAY] = l2_decay
        self.hyper[kernels.H_BETA1] = beta1
        self.hyper[kernels.H_BETA2] = beta2
        self.hyper[kernels.H_EPS] = ADAM_EPS
        self.hyper[kernels.H_KEEP] = 1.0 - spec.dropout
        self.rng = np.array([seed % 2**64], dtype=np.uint64)
        # Adam's step count, gradient buffers (batches > 1), Adam's moments (zeros for SGD)
        self.state = (
            np.zeros(1, dtype=np.int64),
            *(np.zeros_like(a) for a in (self.wt, self.b, self.wt, self.wt, self.b, self.b)),
        )

    @property
    def n_features(self) -> int:
        return int(self.sizes[0])

    @property
    def n_classes(self) -> int:
        return int(self.sizes[-1])

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> tuple[float, int]:
        X, y, order = prepare(X, y, order, self.n_features, labels=self.n_classes)
        X = np.ascontiguousarray(X, dtype=self.dtype)
        loss_sum, n_batches = kernels.ffn_epoch(
            self.wt,
            self.b,
            self.sizes,
            X,
            y,
            order,
            self.batch_size,
            self.activation,
            self.optimizer,
            self.hyper,
            self.rng,
            self.state,
        )
        return float(loss_sum), int(n_batches)

    def parameters(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Weights (out, in) and biases of every linear layer, as torch holds them."""
        return kernels.unpack_layers(self.wt, self.b, self.sizes)

    def finite(self) -> bool:
        return bool(np.isfinite(self.wt).all() and np.isfinite(self.b).all())

    @torch.no_grad()
    def copy_to(self, model: nn.Module) -> None:
        weights, biases = self.parameters()
        for layer, w, b in zip(describe(model).linears, weights, biases, strict=True):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))


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
