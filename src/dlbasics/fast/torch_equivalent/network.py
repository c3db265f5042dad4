"""Question 4's torch network, read into the kernel's layout and trained by the kernel.

:class:`FastFeedforward` holds the parameters and the optimiser state of one torch network
(``[Linear, ReLU|Tanh, Dropout?] x L + Linear``, read by :func:`describe`) and trains it with
:func:`dlbasics.fast.torch_equivalent.kernel.ffn_epoch`, reproducing torch.optim's SGD / Adam
(torch's default betas and eps) and nn.Dropout's semantics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from dlbasics.errors import ConfigError
from dlbasics.fast.common import RELU, TANH, prepare
from dlbasics.fast.layers import pack_layers, unpack_layers
from dlbasics.fast.torch_equivalent import optim
from dlbasics.fast.torch_equivalent.kernel import ffn_epoch

ADAM_BETAS = (0.9, 0.999)  # torch.optim.Adam's defaults, which the torch engine uses
ADAM_EPS = 1e-8
_ACTIVATIONS: dict[type[nn.Module], int] = {nn.ReLU: RELU, nn.Tanh: TANH}
_OPTIMIZERS = {"sgd": optim.SGD, "adam": optim.ADAM}


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
    activation = activations.pop() if activations else RELU
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
                f"invalid optimizer {optimizer!r}: must be one of {', '.join(_OPTIMIZERS)}"
            )
        if batch_size < 1:
            raise ConfigError("batch_size must be >= 1")
        spec = describe(model)
        weights = [layer.weight.detach().cpu().numpy() for layer in spec.linears]
        biases = [layer.bias.detach().cpu().numpy() for layer in spec.linears]
        self.dtype = np.dtype(np.float32)
        self.wt, self.b, self.sizes = pack_layers(weights, biases, self.dtype)
        self.activation = spec.activation
        self.dropout = spec.dropout
        self.batch_size = int(batch_size)
        self.optimizer = _OPTIMIZERS[optimizer]
        beta1, beta2 = ADAM_BETAS
        self.hyper = np.zeros(6)
        self.hyper[optim.H_LR] = learning_rate
        self.hyper[optim.H_WEIGHT_DECAY] = l2_decay
        self.hyper[optim.H_BETA1] = beta1
        self.hyper[optim.H_BETA2] = beta2
        self.hyper[optim.H_EPS] = ADAM_EPS
        self.hyper[optim.H_KEEP] = 1.0 - spec.dropout
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
        loss_sum, n_batches = ffn_epoch(
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
        return unpack_layers(self.wt, self.b, self.sizes)

    def finite(self) -> bool:
        return bool(np.isfinite(self.wt).all() and np.isfinite(self.b).all())

    @torch.no_grad()
    def copy_to(self, model: nn.Module) -> None:
        weights, biases = self.parameters()
        for layer, w, b in zip(describe(model).linears, weights, biases, strict=True):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
