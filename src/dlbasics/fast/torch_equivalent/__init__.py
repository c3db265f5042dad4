"""Question 4's network trained as torch trains it: torch.optim's SGD / Adam, nn.Dropout.

The fast engine's torch-equivalent trainer for ``[Linear, ReLU|Tanh, Dropout] x L + Linear``
(``q4-logreg``, ``q4-ffn``). It reproduces torch.optim.SGD / Adam (with ``weight_decay``) and
nn.Dropout's semantics, element by element: :mod:`.rng` (SplitMix64 and the dropout masks),
:mod:`.optim` (the optimiser steps), :mod:`.kernel` (forward, backward and the epoch) and
:mod:`.network` (a torch network read into the kernel's layout: :class:`FastFeedforward`).
"""

from dlbasics.fast.torch_equivalent.network import (
    ADAM_BETAS,
    ADAM_EPS,
    FastFeedforward,
    NetworkSpec,
    describe,
)

__all__ = ["ADAM_BETAS", "ADAM_EPS", "FastFeedforward", "NetworkSpec", "describe"]
