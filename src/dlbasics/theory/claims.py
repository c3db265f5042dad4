"""The table of the eight claims and :func:`verify_all`, which runs them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dlbasics.errors import ConfigError
from dlbasics.theory import checks_convexity, checks_layers, checks_q1
from dlbasics.theory.measure import ClaimResult, single_thread
from dlbasics.training.hyperparameters import check_seed

#: Claim number -> its check, run with the default (the report's) formulas by :func:`verify_all`.
CHECKS: dict[int, Callable[..., ClaimResult]] = {
    1: checks_q1.check_sigmoid_derivative,
    2: checks_q1.check_binary_logistic_loss,
    3: checks_q1.check_softmax_jacobian,
    4: checks_q1.check_multinomial_logistic_loss,
    5: checks_convexity.check_affine_logistic_convexity,
    6: checks_convexity.check_hidden_layer_nonconvexity,
    7: checks_convexity.check_squared_loss_convexity,
    8: checks_layers.check_linear_layers_collapse,
}


def verify_all(
    cases: int = 200, seed: int = 0, claims: Sequence[int] | None = None
) -> list[ClaimResult]:
    """Check the report's claims (all eight, or the numbers in ``claims``) with ``cases`` random
    cases each (plus the fixed extreme cases). Same ``seed``, same results."""
    if isinstance(cases, bool) or not isinstance(cases, int) or cases < 1:
        raise ConfigError(f"invalid --cases {cases!r}: must be an integer >= 1")
    check_seed(seed)
    selected = sorted(set(claims)) if claims else sorted(CHECKS)
    unknown = [c for c in selected if c not in CHECKS]
    if unknown:
        raise ConfigError(f"invalid --claim {unknown[0]!r}: claims are numbered 1 to {len(CHECKS)}")
    with single_thread():
        return [CHECKS[number](cases=cases, seed=seed) for number in selected]


def all_passed(results: Sequence[ClaimResult]) -> bool:
    return all(result.status == "PASS" for result in results)
