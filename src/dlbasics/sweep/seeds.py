"""A sweep over several seeds: each configuration's validation accuracy over the seeds, and
the winner by its mean.

Every (configuration, seed) is one trial (its key holds the seed, :func:`~dlbasics.sweep.plan.
trial_key`), so the primary seed's trials are exactly a single-seed sweep's and an existing
study resumes. ``sweep.json`` keeps the primary seed's entries as they are and adds, to each
trial entry, ``mean``/``ci_low``/``ci_high``/``n_seeds``/``per_seed`` of the validation
accuracy (:func:`dlbasics.results.statistics.mean_interval`), ``seeds`` and ``per_seed_final``
(each seed's final figures); ``best`` is the configuration with the highest mean.
"""

from __future__ import annotations

import math
from typing import Any

from dlbasics.results.statistics import mean_interval
from dlbasics.sweep.attributes import SCORED
from dlbasics.sweep.grids import OBJECTIVE


def add_seed_statistics(
    entries_by_seed: list[list[dict[str, Any]]], seeds: tuple[int, ...]
) -> dict[str, Any] | None:
    """Add the over-seeds fields to the primary seed's entries (``entries_by_seed[0]``, each
    with its grid ``_index``) and return the best configuration by mean validation accuracy
    (None when no configuration finished on every seed without diverging).

    Parameters
    ----------
    entries_by_seed : list of list of dict
        :func:`~dlbasics.sweep.selection.collect`'s entries of each seed, in ``seeds`` order.
    seeds : tuple of int
        The seeds, the primary one first.

    Returns
    -------
    dict or None
        ``number``, ``config``, ``final`` (the primary seed's) and the interval's fields.
    """
    by_index = [{entry["_index"]: entry for entry in entries} for entries in entries_by_seed]
    candidates = []
    for entry in entries_by_seed[0]:
        runs = [found.get(entry["_index"]) for found in by_index]
        values = [_objective(run) for run in runs]
        interval = mean_interval(values).to_json()
        entry.update(interval)
        entry["seeds"] = list(seeds)
        entry["per_seed_final"] = [run["final"] if run else None for run in runs]
        statuses = {run["status"] if run else "missing" for run in runs}
        if statuses <= set(SCORED) and interval["mean"] is not None:
            candidates.append((statuses == {"ok"}, interval["mean"], -entry["_index"], entry))
    if not candidates:
        return None
    *_, best = max(candidates, key=lambda c: c[:3])
    fields = ("mean", "ci_low", "ci_high", "n_seeds", "per_seed")
    return {
        "number": best["number"],
        "config": best["config"],
        "final": best["final"],
        **{k: best[k] for k in fields},
    }


def _objective(run: dict[str, Any] | None) -> float:
    if run is None or run["status"] not in SCORED:
        return math.nan
    value = run["final"].get(OBJECTIVE)
    return float(value) if isinstance(value, float | int) else math.nan
