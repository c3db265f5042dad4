"""A comparison row's value over the seeds: each seed's value, their mean and 95% interval.

Every function takes :class:`~dlbasics.report.load.SeedResults` (each step's results in the
reproduction's seed order) and returns the :class:`Cells` of one row. With one seed a row's
``ours`` is that seed's value exactly as before seeds existed (an integer stays an integer).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dlbasics.report.load import SeedResults
from dlbasics.results.statistics import Interval, mean_interval, paired_difference

Extract = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Cells:
    """What a row shows of our side: ``ours`` (the mean over the seeds of a number, or the
    choice made on the means), ``interval`` (of ``ours``, or of the paired difference that
    ``interval_of`` names), each seed's own value (``per_seed``) and the ``seeds``."""

    ours: Any = None
    interval: Interval | None = None
    interval_of: str = ""
    per_seed: tuple[Any, ...] = ()
    seeds: tuple[int | None, ...] = ()


def as_seed_results(results: SeedResults | dict[str, dict[str, Any] | None]) -> SeedResults:
    """``results`` as :class:`SeedResults`: a plain ``step -> result`` dict is one seed."""
    if isinstance(results, SeedResults):
        return results
    grouped = SeedResults()
    for step, result in results.items():
        if result is not None:
            grouped.values[step] = [result]
    return grouped


def each_seed(results: SeedResults, step: str, extract: Extract) -> list[tuple[Any, Any]]:
    """``(seed, extract(result))`` for every seed of ``step`` where it is not None (a result
    without a listed seed: the seed it records)."""
    listed: list[Any] = list(results.seeds.get(step) or [])
    seeds = listed or [result.get("seed") for result in results.of(step)]
    pairs = [(seed, extract(result)) for seed, result in zip(seeds, results.of(step), strict=True)]
    return [(seed, value) for seed, value in pairs if value is not None]


def numbers(results: SeedResults, step: str, extract: Extract) -> Cells:
    """A number per seed: ``ours`` is their mean (one seed: its own value)."""
    pairs = each_seed(results, step, extract)
    if not pairs:
        return Cells()
    seeds = tuple(seed for seed, _ in pairs)
    values = tuple(value for _, value in pairs)
    interval = mean_interval(values)
    return Cells(values[0] if len(values) == 1 else interval.mean, interval, "", values, seeds)


def falls(results: SeedResults, step: str, extract: Extract, what: str) -> Cells:
    """Whether a curve falls: ``extract`` gives a seed's ``(first, last)`` value; ``ours`` is
    ``"falls (first → last)"`` (over seeds, of the means), the interval that of
    ``first - last``, paired over the seeds."""
    pairs = each_seed(results, step, extract)
    if not pairs:
        return Cells()
    seeds = tuple(seed for seed, _ in pairs)
    firsts = [first for _, (first, _last) in pairs]
    lasts = [last for _, (_first, last) in pairs]
    per_seed = tuple(_falls_text(a, b) for a, b in zip(firsts, lasts, strict=True))
    interval = paired_difference(firsts, lasts)
    ours = per_seed[0] if len(pairs) == 1 else _falls_text(_mean(firsts), _mean(lasts), "mean ")
    return Cells(ours, interval, f"{what}, first epoch − last", per_seed, seeds)


def _falls_text(first: float, last: float, prefix: str = "") -> str:
    return ("falls" if last < first else "does not fall") + f" ({prefix}{first:.3g} → {last:.3g})"


@dataclass(frozen=True)
class Candidates:
    """One seed's options in a choice: ``scores`` maps each option's key to its validation
    accuracy; ``own``: the option this seed alone chose."""

    seed: int | None
    scores: dict[str, float]
    own: str


def choose(
    options: Sequence[Candidates], describe: Callable[[str], Any], what: str
) -> tuple[str | None, Cells]:
    """The option with the highest mean score over the seeds (one seed: its own choice) and
    the row's cells: ``ours`` = ``describe(chosen)``, each seed's own choice, and the interval
    of the score of the chosen option minus the next best's, paired over the seeds."""
    if not options:
        return None, Cells()
    keys: list[str] = []
    for candidate in options:
        keys += [key for key in candidate.scores if key not in keys]
    means = {k: _mean([c.scores[k] for c in options if k in c.scores]) for k in keys}
    ranked = sorted(keys, key=lambda k: -means[k])  # stable: ties keep the first seen
    chosen = options[0].own if len(options) == 1 else ranked[0]
    others = [key for key in ranked if key != chosen]
    per_seed = tuple(describe(c.own) for c in options)
    seeds = tuple(c.seed for c in options)
    if not others:
        return chosen, Cells(describe(chosen), None, "", per_seed, seeds)
    runner_up = others[0]
    both = [c for c in options if chosen in c.scores and runner_up in c.scores]
    interval = (
        paired_difference([c.scores[chosen] for c in both], [c.scores[runner_up] for c in both])
        if both
        else None
    )
    label = f"{what}, {describe(chosen)} − {describe(runner_up)}"
    return chosen, Cells(describe(chosen), interval, label, per_seed, seeds)


def config_key(config: dict[str, Any]) -> str:
    """A configuration as a key that compares equal across seeds."""
    return json.dumps(config, sort_keys=True)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)
