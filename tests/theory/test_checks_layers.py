"""Claim 8: the check FAILs for a wrong composition of the layers."""

from __future__ import annotations

from dlbasics import theory
from tests.theory.helpers import fails


def test_claim8_fails_for_wrong_compositions():
    def last_bias_only(layers):
        weight, _ = theory.compose_affine_layers(layers)
        return weight, layers[-1][1]

    def reversed_order(layers):
        return theory.compose_affine_layers(list(reversed(layers)))

    assert fails(theory.check_linear_layers_collapse(last_bias_only, cases=10))
    assert fails(theory.check_linear_layers_collapse(reversed_order, cases=10))
