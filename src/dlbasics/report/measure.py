"""A claim of the report as data, measured over the seeds and given a verdict.

The claims themselves are in :mod:`dlbasics.report.claims`. A claim is data (:class:`Claim`): the report's own words, the steps it reads, and the
*quantity* that tests it, a function of one seed's results of those steps (the
``metrics.json`` dict of an experiment, the ``sweep.json`` dict of a sweep, exactly as
:class:`~dlbasics.report.load.SeedResults` holds them). Where a claim compares two
configurations, the quantity is their difference on the same seed, so its interval over the
seeds is the paired one (:func:`dlbasics.results.statistics.paired_difference`: the interval
of the per-seed differences). Claims with several parts are several rows (1a, 1b, ...).

The verdict comes from :func:`dlbasics.results.statistics.verdict`, which judges "the
quantity is above zero" on its 95% Student-t interval. Every claim is one of three tests:

* ``above`` (the sign convention of most claims): the claim is ``d > 0``; the verdict is that
  of the interval of ``d``.
* ``below`` (claim 6, "no better"): the claim is ``d < m`` for a stated margin ``m``: the
  verdict is that of ``m - d``. It *holds* when the whole interval of ``d`` lies below ``m``,
  *does not hold* when it lies above ``m`` (the network without a non-linearity is better by
  more than the margin), and cannot be told apart otherwise.
* ``within`` (claim 4, "almost as well"): the claim is ``-m < d < m``, i.e. two one-sided
  claims ``m - d > 0`` and ``m + d > 0`` (the two one-sided tests of an equivalence test, each
  on the 95% interval). It *holds* when both hold (the interval lies inside the band), *does
  not hold* when either does not (the interval lies wholly outside the band), and cannot be
  told apart otherwise (the interval straddles an edge of the band).

A margin is a statement about what "almost" means, fixed before looking at the numbers and
shown in the row (docs/claims.md says why each is what it is).

Magnitude claims ("about 12% lower", "about epoch 70") are judged on their direction; the row
also says whether the interval of the magnitude covers the report's value (``covers``; None
when there is no interval, below two seeds).

A claim whose steps did not all run on some seed is measured on the seeds where they did; a
claim with no seed at all is left out, with a note (never a verdict of its own).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from dlbasics.report.load import SeedResults
from dlbasics.report.sweep_trials import mean_train_loss
from dlbasics.results.statistics import (
    DOES_NOT_HOLD,
    HOLDS,
    UNDECIDED,
    Interval,
    mean_interval,
    verdict,
)

Test = Literal["above", "below", "within"]
Results = tuple[dict[str, Any], ...]  # one seed's result of each of a claim's steps, in order
Measure = Callable[[Results], float | None]


@dataclass(frozen=True)
class Magnitude:
    """The report's value of a magnitude claim and the per-seed quantity it is read against
    (``measure`` None: the claim's own quantity)."""

    report: float
    label: str
    measure: Measure | None = None


@dataclass(frozen=True)
class Claim:
    """One row of the claims table.

    ``id``: the claim's number and part (``"3b"``); ``words``: the report's own sentence;
    ``quantity``: what is measured, in words; ``steps``: the steps whose results ``measure``
    reads (one dict each, same seed); ``test``, ``margin``: see the module docstring.
    """

    id: str
    words: str
    quantity: str
    steps: tuple[str, ...]
    measure: Measure
    test: Test = "above"
    margin: float = 0.0
    magnitude: Magnitude | None = None

    @property
    def test_text(self) -> str:
        """The claim on the quantity, in symbols: ``> 0``, ``< 0.01``, ``within ±0.1``."""
        if self.test == "above":
            return "> 0"
        if self.test == "below":
            return f"< {self.margin:g}"
        return f"within ±{self.margin:g}"


@dataclass(frozen=True)
class Measured:
    """A claim measured over ``seeds``: the interval of its quantity and the verdict."""

    claim: Claim
    seeds: tuple[int, ...]
    interval: Interval
    verdict: str
    magnitude: Interval | None = None

    @property
    def covers(self) -> bool | None:
        """Whether the magnitude's interval covers the report's value (None: no interval)."""
        if self.magnitude is None or self.claim.magnitude is None:
            return None
        low, high = self.magnitude.low, self.magnitude.high
        if not (math.isfinite(low) and math.isfinite(high)):
            return None
        return low <= self.claim.magnitude.report <= high

    def to_json(self) -> dict[str, Any]:
        """The row for summary.json: ``claim``, ``quantity``, ``mean``, ``ci_low``,
        ``ci_high``, ``n_seeds``, ``per_seed``, ``verdict`` and the test and magnitude."""
        claim = self.claim
        row: dict[str, Any] = {
            "id": claim.id,
            "claim": claim.words,
            "quantity": claim.quantity,
            "test": claim.test_text,
            "margin": claim.margin if claim.test != "above" else None,
            **self.interval.to_json(),
            "seeds": list(self.seeds),
            "verdict": self.verdict,
        }
        if claim.magnitude is not None and self.magnitude is not None:
            row["magnitude"] = {
                "quantity": claim.magnitude.label,
                "report": claim.magnitude.report,
                **self.magnitude.to_json(),
                "covers_report": self.covers,
            }
        return row


def judge(values: list[float], test: Test, margin: float = 0.0) -> str:
    """The verdict on the per-seed ``values`` of a quantity under ``test`` (module docstring).

    Parameters
    ----------
    values : list of float
        The quantity on each seed (paired differences where two configurations are compared).
    test : {"above", "below", "within"}
        The claim: ``d > 0``, ``d < margin`` or ``-margin < d < margin``.
    margin : float
        The margin of a ``below`` or ``within`` claim (ignored by ``above``).

    Returns
    -------
    str
        ``"holds"``, ``"does not hold"`` or ``"cannot be told apart"`` (always the last below
        two values).

    Examples
    --------
    >>> judge([0.02, 0.03, 0.025], "above")
    'holds'
    >>> judge([0.02, 0.03, 0.025], "below", 0.01)
    'does not hold'
    >>> judge([0.001, -0.002, 0.0], "within", 0.05)
    'holds'
    """
    if test == "above":
        return verdict(mean_interval(values))
    below = verdict(mean_interval([margin - v for v in values]))
    if test == "below":
        return below
    above = verdict(mean_interval([margin + v for v in values]))
    if DOES_NOT_HOLD in (below, above):
        return DOES_NOT_HOLD
    return HOLDS if below == above == HOLDS else UNDECIDED


def measure(claim: Claim, results: SeedResults) -> Measured | None:
    """``claim`` measured over the seeds on which all its steps finished.

    Parameters
    ----------
    claim : Claim
        The claim; its ``measure`` is called once per seed with that seed's results.
    results : SeedResults
        Each step's per-seed results (:func:`dlbasics.report.load.group_by_seed`).

    Returns
    -------
    Measured or None
        The interval of the quantity over those seeds, its verdict and (for a magnitude
        claim) the interval of the magnitude; None when no seed has all the steps, or the
        quantity is undefined on every one.
    """
    seeds: list[int] = []
    values: list[float] = []
    magnitudes: list[float] = []
    for seed, per_step in _paired(results, claim.steps):
        value = claim.measure(per_step)
        if value is None:
            continue
        magnitude = claim.magnitude.measure if claim.magnitude else None
        size = magnitude(per_step) if magnitude else value
        seeds.append(seed)
        values.append(value)
        magnitudes.append(math.nan if size is None else size)
    if not values:
        return None
    return Measured(
        claim,
        tuple(seeds),
        mean_interval(values),
        judge(values, claim.test, claim.margin),
        mean_interval(magnitudes) if claim.magnitude else None,
    )


def _paired(results: SeedResults, steps: tuple[str, ...]) -> list[tuple[int, Results]]:
    """Each seed on which every step of ``steps`` finished, with their results (in the first
    step's seed order)."""
    by_seed = [dict(zip(results.seeds.get(s, []), results.of(s), strict=True)) for s in steps]
    if not by_seed:
        return []
    return [
        (seed, tuple(table[seed] for table in by_seed))
        for seed in by_seed[0]
        if all(seed in table for table in by_seed)
    ]


# --- the pieces the claims' quantities are made of ------------------------------------------


def number(value: Any) -> float | None:
    """``value`` as a float if it is a finite number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def final(result: dict[str, Any], name: str) -> float | None:
    """A metric of an experiment's last epoch (``final`` of its metrics.json)."""
    return number((result.get("final") or {}).get(name))


def curve(result: dict[str, Any], name: str) -> list[tuple[int, float]]:
    """``(epoch, value)`` of one per-epoch metric, its non-finite epochs left out."""
    points = []
    for record in result.get("history") or []:
        value = number(record.get(name))
        if value is not None:
            points.append((int(record["epoch"]), value))
    return points


def trials_by(
    sweep: dict[str, Any], start: dict[str, Any] | None, factor: str
) -> dict[float, dict[str, Any]]:
    """The trials of ``sweep`` that are ``start`` with another value of ``factor`` (epochs
    aside), by that value. A trial that stalled counts (a configuration that learns nothing
    is a worse one, and its numbers are measured); one without a validation accuracy does
    not (it failed or diverged)."""
    ignored = (factor, "epochs")
    wanted = {k: v for k, v in (start or {}).items() if k not in ignored}
    found: dict[float, dict[str, Any]] = {}
    for trial in sweep.get("trials") or []:
        config = trial.get("config") or {}
        value = number(config.get(factor))
        same = {k: v for k, v in config.items() if k not in ignored} == wanted
        if start and same and value is not None and final(trial, "dev_acc") is not None:
            found.setdefault(value, trial)
    return found


def by_learning_rate(sweep: dict[str, Any]) -> dict[float, dict[str, Any]]:
    """The trials of a learning-rate sweep that are its defaults at each learning rate."""
    return trials_by(sweep, sweep.get("defaults"), "learning_rate")


def depth(sweep: dict[str, Any], start: str, layers: int) -> dict[str, Any] | None:
    """q4.3's trial with ``layers`` hidden layers from ``start``: ``"defaults"`` (the
    homework's) or ``"best"`` (q4.2's best configuration)."""
    config = (
        sweep.get("defaults") if start == "defaults" else (sweep.get("base") or {}).get("config")
    )
    return trials_by(sweep, config, "layers").get(float(layers))


def mean_loss(trial: dict[str, Any] | None) -> float | None:
    """A trial's training loss as the report printed it (the mean over epochs)."""
    return None if trial is None else number(mean_train_loss(trial))
