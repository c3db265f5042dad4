"""Claim 8 (Question 3.2a): layers with linear activations collapse into one affine map."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np

from dlbasics.theory.cases import linear_networks
from dlbasics.theory.formulas import NAMES, compose_affine_layers
from dlbasics.theory.measure import (
    TOLERANCE,
    Array,
    ClaimResult,
    WorstErrors,
    describe,
    mixed_error,
    run_claim,
)
from dlbasics.theory.oracles import (
    LinearNetwork,
    autograd_jacobian,
    central_difference_jacobian,
    torch_values,
)

Compose = Callable[[Sequence[tuple[Array, Array]]], tuple[Array, Array]]


def _linear_network_case(
    worst: WorstErrors,
    layers: Sequence[tuple[Array, Array]],
    inputs: Array,
    compose: Compose,
) -> None:
    """Claim 8 on one network and a few inputs."""
    sizes = [layers[0][0].shape[1]] + [weight.shape[0] for weight, _ in layers]
    where = describe(f"layer widths {sizes}")
    network = LinearNetwork(layers)
    weight, bias = (np.asarray(part, dtype=np.float64) for part in compose(layers))
    if weight.ndim != 2 or weight.shape[1:] != inputs.shape[1:] or bias.ndim != 1:
        worst.record("forward", math.inf, describe(f"{where(0)}: W has shape {weight.shape}"))
        return
    outputs = torch_values(network, inputs)  # one row per input
    worst.record("forward", mixed_error(inputs @ weight.T + bias, outputs), where)
    # The network's Jacobian (the same at every input, as for any affine map) must be W.
    x = inputs[0]
    worst.record("autograd Jacobian", mixed_error(weight, autograd_jacobian(network, x)), where)
    finite_diff = central_difference_jacobian(partial(torch_values, network), x)
    worst.record("central FD Jacobian", mixed_error(weight, finite_diff), where)


def check_linear_layers_collapse(
    compose: Compose = compose_affine_layers,
    *,
    cases: int = 200,
    seed: int = 0,
    tolerance: float = TOLERANCE,
) -> ClaimResult:
    """Claim 8 (Question 3.2a): layers with linear activations compute one affine map x -> W x + b.

    Per case: a random 2-5 layer network (widths 1-6) of torch linear layers with identity
    activations; ``compose(layers)`` must give (W, b) with network(x) = W x + b on three inputs
    (up to |x| = 1e3), and W must equal the network's Jacobian by autograd and by central
    differences.
    """
    networks = linear_networks(seed, cases)

    def body(worst: WorstErrors) -> str:
        for layers, inputs in networks:
            _linear_network_case(worst, layers, inputs, compose)
        return ""

    method = "forward + autograd + central FD"
    return run_claim(NAMES[8], method, cases, body, tolerance)
