"""The optimisers of Question 4, by name: ``torch.optim``'s own SGD and Adam."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from dlbasics.errors import ConfigError

OPTIMIZERS: dict[str, Callable[..., torch.optim.Optimizer]] = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
}


def make_optimizer(
    model: nn.Module, name: str, learning_rate: float, l2_decay: float
) -> torch.optim.Optimizer:
    """SGD or Adam; L2 decay is the optimiser's ``weight_decay`` (adds ``l2_decay * theta`` to
    every gradient), as in the homework."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ConfigError(
            f"invalid optimizer {name!r}: must be one of {', '.join(OPTIMIZERS)}"
        ) from None
    return cls(model.parameters(), lr=learning_rate, weight_decay=l2_decay)
