"""What :func:`~dlbasics.theory.gradient_check.gradcheck` finds: the running worst entry of
its comparisons and the :class:`GradcheckResult` it returns."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray


@dataclass(frozen=True, repr=False)
class GradcheckResult:
    """The verdict of :func:`gradcheck`.

    Attributes
    ----------
    passed : bool
        True when every entry of the claimed gradient agrees with every reference:
        ``|claimed - reference| <= atol + rtol * |reference|``. The result is truthy when passed.
    method : str
        The references used: ``"autograd + central differences"`` or ``"central differences"``.
    max_abs_error : float
        Largest ``|claimed - reference|`` over all entries, references and inputs (inf when the
        claimed gradient has the wrong shape or is not finite).
    max_rel_error : float
        Largest ``|claimed - reference| / |reference|`` over the entries whose reference exceeds
        ``atol`` in size (those below are judged by ``atol`` alone).
    worst_input : str
        The entry farthest outside the tolerance, such as ``"W1[1, 0]"`` (with the trial when
        several inputs were tried), or the argument whose claimed gradient is malformed.
    detail : str
        What happened there: claimed value against the reference, or the shape or value problem.
    errors : dict
        Reference -> (max abs error, max rel error).
    note : str
        Why autograd was not used, if it was not.
    atol, rtol : float
        The tolerances used.
    """

    passed: bool
    method: str
    max_abs_error: float
    max_rel_error: float
    worst_input: str
    detail: str
    errors: dict[str, tuple[float, float]] = field(default_factory=dict)
    note: str = ""
    atol: float = 0.0
    rtol: float = 0.0

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        lines = [
            f"GradcheckResult({verdict}, {self.method}: max abs error {self.max_abs_error:.2e}, "
            f"max rel error {self.max_rel_error:.2e}; atol {self.atol:.0e}, rtol {self.rtol:.0e})"
        ]
        if self.worst_input:
            lines.append(f"  worst: {self.worst_input}: {self.detail}")
        for method, (abs_error, rel_error) in self.errors.items():
            lines.append(f"  {method}: max abs {abs_error:.2e}, max rel {rel_error:.2e}")
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)


class WorstEntry:
    """Running maxima of the comparisons, and the entry farthest outside the tolerance."""

    def __init__(self, atol: float, rtol: float) -> None:
        self.atol, self.rtol = atol, rtol
        self.errors: dict[str, tuple[float, float]] = {}
        self.ratio = -1.0  # |claimed - reference| / (atol + rtol |reference|); above 1 fails
        self.where = ""
        self.detail = ""

    def problem(self, method: str, where: str, detail: str) -> None:
        """A claimed gradient that cannot be compared (wrong shape, not finite)."""
        self.errors[method] = (math.inf, math.inf)
        if self.ratio < math.inf:
            self.ratio, self.where, self.detail = math.inf, where, detail

    def compare(self, method: str, claimed: Array, reference: Array, where: Callable) -> None:
        difference = np.abs(claimed - reference)
        size = np.abs(reference)
        relative = np.divide(difference, size, out=np.zeros_like(size), where=size > self.atol)
        old_abs, old_rel = self.errors.get(method, (0.0, 0.0))
        self.errors[method] = (
            max(old_abs, float(difference.max(initial=0.0))),
            max(old_rel, float(relative.max(initial=0.0))),
        )
        if difference.size == 0:
            return
        ratios = difference / (self.atol + self.rtol * size)
        index = np.unravel_index(int(np.argmax(ratios)), ratios.shape)
        if ratios[index] > self.ratio:
            self.ratio = float(ratios[index])
            self.where = where(index)
            self.detail = (
                f"claimed {claimed[index]:.6g}, {method} {reference[index]:.6g} "
                f"(|difference| {difference[index]:.2e} vs allowed "
                f"{self.atol + self.rtol * size[index]:.2e})"
            )
