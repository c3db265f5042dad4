"""The table of the eight claims; :func:`check_claim` runs one (with the report's formula or a
user's) and :func:`verify_all` runs them all."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from dlbasics.errors import ConfigError
from dlbasics.theory import checks_convexity, checks_layers, checks_q1
from dlbasics.theory.formulas import SLUGS
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

#: The claims whose cases include the extreme logits (|z| up to 1e3), which ``extreme=False``
#: drops (and keeps the random logits within 30); the other claims have no such cases.
EXTREME_CLAIMS = (1, 2, 3, 4)


def claim_number(claim: int | str) -> int:
    """The number of a claim given by number (3 or "3") or by name ("softmax-jacobian").

    Raises
    ------
    ConfigError
        A ValueError naming the claims there are, for an unknown claim.
    """
    text = str(claim).strip()
    by_name = {slug: number for number, slug in SLUGS.items()}
    if text in by_name:
        return by_name[text]
    if text.isdigit() and int(text) in CHECKS:
        return int(text)
    names = ", ".join(SLUGS.values())
    raise ConfigError(f"unknown claim {claim!r}: claims are 1 to {len(CHECKS)} or {names}")


def _options(number: int, cases: int, seed: int, extreme: bool) -> dict[str, Any]:
    if isinstance(cases, bool) or not isinstance(cases, int) or cases < 1:
        raise ConfigError(f"invalid --cases {cases!r}: must be an integer >= 1")
    check_seed(seed)
    options: dict[str, Any] = {"cases": cases, "seed": seed}
    if not extreme and number in EXTREME_CLAIMS:
        options["extreme"] = False
    return options


def check_claim(
    claim: int | str,
    *functions: Callable[..., Any],
    cases: int = 200,
    seed: int = 0,
    extreme: bool = True,
    **named: Callable[..., Any],
) -> ClaimResult:
    """Check one claim with the report's formula or with your own function in its place.

    Parameters
    ----------
    claim : int or str
        The claim's number (1-8) or name: ``"sigmoid-derivative"``, ``"binary-logistic-loss"``,
        ``"softmax-jacobian"``, ``"multinomial-logistic-loss"``, ``"logistic-convexity"``,
        ``"hidden-layer-nonconvexity"``, ``"squared-loss-convexity"``,
        ``"linear-layers-collapse"``.
    *functions : callable
        Your formula(s), in the order the claim's check takes them (none: the report's). Claim 1
        takes ``derivative(z)``, elementwise on an array; claim 2 ``first_derivative(z, y)`` and
        ``second_derivative(z, y)``; claim 3 ``jacobian(z)``; claim 4 ``gradient(z, a)`` and
        ``hessian(z, a)``; see each ``check_*`` function for the others.
    cases : int
        Random cases (the fixed extreme cases come on top).
    seed : int
        Seed of the random cases: same seed, same cases.
    extreme : bool
        False drops the extreme cases of claims 1-4 and keeps their random logits within
        ``|z| <= 30``, so that a correct but naive formula such as ``1 / (1 + exp(-z))`` passes
        while a wrong one still fails. An overflow is reported as ``"overflow at z=..."``, a
        wrong number as ``"wrong value at z=..."``.
    **named : callable
        Formulas by the name of the check's parameter (``hessian=...``).

    Returns
    -------
    ClaimResult
        The same record the built-in check gives (``status`` "PASS" or "FAIL", ``detail``).

    Raises
    ------
    ValueError
        For an unknown claim, a bad ``cases`` or ``seed``, or functions the claim does not take.

    Examples
    --------
    >>> import numpy as np
    >>> from dlbasics.theory import check_claim
    >>> def naive(z):  # right, but exp(-z) overflows for z < -709
    ...     s = 1 / (1 + np.exp(-z))
    ...     return s * (1 - s)
    >>> check_claim("sigmoid-derivative", naive, cases=20).detail
    'numerical: overflow at z=-710 (overflow encountered in exp)'
    >>> check_claim("sigmoid-derivative", naive, cases=20, extreme=False).status
    'PASS'
    """
    number = claim_number(claim)
    check = CHECKS[number]
    options = _options(number, cases, seed, extreme)
    try:
        inspect.signature(check).bind(*functions, **named, **options)
    except TypeError as error:
        takes = [
            name
            for name, parameter in inspect.signature(check).parameters.items()
            if name not in ("cases", "seed", "tolerance", "extreme", "parameters")
        ]
        count = f"{len(takes)} function{'s' if len(takes) > 1 else ''}"
        raise ConfigError(
            f"claim {SLUGS[number]!r} takes {count} ({', '.join(takes)}): {error}"
        ) from None
    with single_thread():
        return check(*functions, **named, **options)


def verify_all(
    cases: int = 200,
    seed: int = 0,
    claims: Sequence[int] | None = None,
    extreme: bool = True,
) -> list[ClaimResult]:
    """Check the report's claims (all eight, or the numbers in ``claims``) with ``cases`` random
    cases each (plus the fixed extreme cases unless ``extreme=False``). Same ``seed``, same
    results."""
    _options(1, cases, seed, extreme)
    selected = sorted(set(claims)) if claims else sorted(CHECKS)
    unknown = [c for c in selected if c not in CHECKS]
    if unknown:
        raise ConfigError(f"invalid --claim {unknown[0]!r}: claims are numbered 1 to {len(CHECKS)}")
    with single_thread():
        return [CHECKS[n](**_options(n, cases, seed, extreme)) for n in selected]


def all_passed(results: Sequence[ClaimResult]) -> bool:
    return all(result.status == "PASS" for result in results)
