"""How the checks measure and judge: the mixed error, the worst error of each method, the
verdict of one claim (:class:`ClaimResult`), and the strict floating-point context a check runs in.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

Array = np.ndarray

#: Agreement demanded of every comparison (mixed error, see the package docstring): six digits.
TOLERANCE = 1e-6
#: Smallest convexity gap that counts as a counterexample in claim 6 (rounding is ~1e-15).
COUNTEREXAMPLE_GAP = 1e-6


@dataclass
class ClaimResult:
    """One claim's verdict.

    ``worst_error``: largest error found (claim 6: largest convexity gap found); ``status``:
    ``"PASS"`` when ``worst_error <= tolerance`` (claim 6: ``> tolerance``), else ``"FAIL"``;
    ``detail``: the worst error of each method, a counterexample, or what went wrong;
    ``passes_above``: True for the claim that passes when its number exceeds the tolerance.
    """

    name: str
    method: str
    cases: int
    worst_error: float
    tolerance: float
    status: str
    detail: str = ""
    passes_above: bool = False


class NumericalProblem(Exception):
    """A non-finite value or a floating-point warning where the math says finite."""


@contextmanager
def strict_floats() -> Iterator[None]:
    """Turn numpy overflow, division by zero and invalid operations (and RuntimeWarnings) into
    errors; underflow to 0 is expected (exp(-1000)) and stays silent."""
    with (
        np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("error", RuntimeWarning)
        yield


@contextmanager
def single_thread() -> Iterator[None]:
    """Thousands of tiny tensors: torch's thread pool only adds overhead (and shares CPUs)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class WorstErrors:
    """The worst error of each method of one claim, and the case where it happened."""

    def __init__(self) -> None:
        self.by_method: dict[str, float] = {}
        self.where: dict[str, str] = {}

    def record(self, method: str, errors: Any, describe: Callable[[int], str]) -> None:
        """Record ``errors`` (a number or an array, one per case); ``describe(i)`` names case i."""
        errors = np.atleast_1d(np.asarray(errors, dtype=np.float64))
        errors = np.where(np.isnan(errors), math.inf, errors)
        if errors.size == 0:
            return
        index = int(np.argmax(errors))
        error = float(errors[index])
        if method not in self.by_method or error > self.by_method[method]:
            self.by_method[method] = error
            self.where[method] = describe(index)

    @property
    def worst(self) -> float:
        return max(self.by_method.values(), default=0.0)

    def summary(self, tolerance: float) -> str:
        parts = [f"{method} {error:.1e}" for method, error in self.by_method.items()]
        failed = [m for m, e in self.by_method.items() if not e <= tolerance]
        text = "; ".join(parts)
        if failed:
            # The failing methods grouped by the case they fail at, in the order they were met.
            by_case: dict[str, list[str]] = {}
            for method in failed:
                by_case.setdefault(self.where[method], []).append(method)
            text += " | worst case: " + "; ".join(
                f"wrong value at {where} ({', '.join(methods)})"
                for where, methods in by_case.items()
            )
        return text


def mixed_error(actual: Any, reference: Any) -> float:
    """max |actual - reference| / max(1, max |reference|) for one case; inf if not comparable.

    Shapes that differ, or non-finite values, count as an infinite error.
    """
    actual = np.asarray(actual, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if actual.shape != reference.shape:
        return math.inf
    if not (np.all(np.isfinite(actual)) and np.all(np.isfinite(reference))):
        return math.inf
    if actual.size == 0:
        return 0.0
    scale = max(1.0, float(np.max(np.abs(reference))))
    return float(np.max(np.abs(actual - reference))) / scale


def elementwise_mixed_error(actual: Any, reference: Any) -> Array:
    """The mixed error of each entry, for checks where every entry is its own case."""
    actual = np.asarray(actual, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if actual.shape != reference.shape:
        return np.full(reference.shape, math.inf)
    with np.errstate(invalid="ignore", over="ignore"):
        errors = np.abs(actual - reference) / np.maximum(1.0, np.abs(reference))
    return np.where(np.isfinite(errors), errors, math.inf)


def min_eigenvalue_error(matrix: Array) -> float:
    """How far the matrix is from PSD: max(0, -lambda_min) / max(1, lambda_max)."""
    eigenvalues = np.linalg.eigvalsh((matrix + matrix.T) / 2)
    return max(0.0, -float(eigenvalues[0])) / max(1.0, float(eigenvalues[-1]))


def jensen_violation(left: float, right: float) -> float:
    """How much L(midpoint) exceeds the chord: max(0, left - right) / max(1, |right|)."""
    if not (math.isfinite(left) and math.isfinite(right)):
        return math.inf
    return max(0.0, left - right) / max(1.0, abs(right))


def evaluate_formula(
    formula: Callable[..., Any],
    args: tuple[Any, ...],
    where: Callable[[int], str],
    elementwise: bool = False,
) -> Any:
    """``formula(*args)``; a floating-point error inside it (under :func:`strict_floats`) becomes
    a :class:`NumericalProblem` naming the case: ``"overflow at z=-710 (...)"``. For an
    ``elementwise`` formula the case is found by trying the entries one by one."""
    try:
        return formula(*args)
    except (FloatingPointError, RuntimeWarning) as problem:
        index = 0
        if elementwise:
            index = next((i for i in range(np.size(args[0])) if _raises(formula, args, i)), 0)
        kind = "overflow" if "overflow" in str(problem) else "invalid value"
        raise NumericalProblem(f"{kind} at {where(index)} ({problem})") from None


def _raises(formula: Callable[..., Any], args: tuple[Any, ...], index: int) -> bool:
    try:
        formula(*(np.asarray(arg)[index : index + 1] for arg in args))
    except (FloatingPointError, RuntimeWarning):
        return True
    return False


def claimed_error(
    claimed: Any, reference: Any, where: Callable[[int], str], elementwise: bool = False
) -> Any:
    """The mixed error of a formula's values against the reference (of each entry when
    ``elementwise``). A non-finite value where the reference is finite is not a wrong value but
    an overflow: it raises :class:`NumericalProblem` ``"overflow at z=..."``."""
    actual = np.asarray(claimed, dtype=np.float64)
    expected = np.asarray(reference, dtype=np.float64)
    if actual.shape == expected.shape:
        overflow = ~np.isfinite(actual) & np.isfinite(expected)
        if np.any(overflow):
            index = int(np.flatnonzero(overflow)[0])
            raise NumericalProblem(
                f"overflow at {where(index)}: the formula gave {actual.flat[index]}, "
                f"the reference is {expected.flat[index]:.6g}"
            )
    if elementwise:
        return elementwise_mixed_error(actual, expected)
    return mixed_error(actual, expected)


def require_finite(what: str, values: Any, where: str) -> None:
    """Raise :class:`NumericalProblem` unless every entry of ``values`` is finite."""
    if not np.all(np.isfinite(np.asarray(values, dtype=np.float64))):
        raise NumericalProblem(f"{what} is not finite at {where}")


def describe(text: str) -> Callable[[int], str]:
    """A ``describe`` for :meth:`WorstErrors.record` when one call records one case."""
    return lambda _index: text


def fmt(values: Any) -> str:
    """Numbers with up to 6 significant digits and no padding: [-0.2, 1.2, 2], 3.5."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    return "[" + ", ".join(f"{value:.6g}" for value in array.ravel()) + "]"


def run_claim(
    name: str,
    method: str,
    cases: int,
    body: Callable[[WorstErrors], str],
    tolerance: float,
) -> ClaimResult:
    """Run one claim's ``body`` (which records errors and may return extra detail) safely:
    under :func:`strict_floats` on one torch thread, a numerical problem or a formula that
    raises (bad shape, bad index) becomes a FAIL with an infinite worst error."""
    worst = WorstErrors()
    try:
        with strict_floats(), single_thread():
            extra = body(worst)
    except (NumericalProblem, FloatingPointError, RuntimeWarning) as problem:
        return ClaimResult(
            name, method, cases, math.inf, tolerance, "FAIL", f"numerical: {problem}"
        )
    except Exception as problem:  # a wrong formula may raise (bad shape, bad index): that fails
        message = f"{type(problem).__name__}: {problem}"
        return ClaimResult(name, method, cases, math.inf, tolerance, "FAIL", message)
    status = "PASS" if worst.worst <= tolerance else "FAIL"
    detail = worst.summary(tolerance)
    if extra:
        detail = f"{detail} | {extra}" if detail else extra
    return ClaimResult(name, method, cases, worst.worst, tolerance, status, detail)
