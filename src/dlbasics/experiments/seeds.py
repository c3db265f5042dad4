"""One experiment over several seeds: one run per seed, and the final figures over the seeds.

``dlbasics run NAME --seeds ...`` writes each seed's run into ``OUT/seed-<s>/`` (exactly the
files of a one-seed run) and ``OUT/seeds.json``: for each final figure its mean, Student-t 95%
interval and per-seed values (:func:`dlbasics.results.statistics.mean_interval`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from dlbasics.results.io import write_json_atomic
from dlbasics.results.statistics import mean_interval

SEEDS_FILE = "seeds.json"


def seed_dir(out_dir: Path, seed: int) -> Path:
    """Where seed ``seed``'s run of a many-seed ``run`` goes."""
    return Path(out_dir) / f"seed-{seed}"


def seeds_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The content of ``seeds.json`` from the runs' metrics (one per seed, in seed order).

    Parameters
    ----------
    runs : list of dict
        The ``metrics.json`` content of each seed's run.

    Returns
    -------
    dict
        ``experiment``, ``seeds``, ``status`` (per seed, in order) and ``final``: for each
        numeric final figure, ``{mean, ci_low, ci_high, n_seeds, per_seed}`` (None where a
        seed has no finite value, and then no interval).

    Raises
    ------
    ValueError
        No runs.
    """
    if not runs:
        raise ValueError("seeds_summary needs at least one run")
    names = [
        name
        for name, value in (runs[0].get("final") or {}).items()
        if isinstance(value, float | int) and not isinstance(value, bool)
    ]
    final = {}
    for name in names:
        values = [_number((run.get("final") or {}).get(name)) for run in runs]
        final[name] = mean_interval(values).to_json()
    return {
        "experiment": runs[0]["experiment"],
        "seeds": [run["seed"] for run in runs],
        "status": [run["status"] for run in runs],
        "final": final,
    }


def _number(value: Any) -> float:
    return float(value) if isinstance(value, float | int) and math.isfinite(value) else math.nan


def run_over_seeds(
    name: str,
    overrides: dict[str, Any],
    seeds: tuple[int, ...],
    out_dir: Path,
    **options: Any,
) -> list[dict[str, Any]]:
    """Run experiment ``name`` once per seed into ``OUT/seed-<s>/``, then write ``seeds.json``.

    ``options``: the rest of :func:`~dlbasics.experiments.runner.run_experiment`'s arguments.
    Returns each seed's metrics, in seed order.
    """
    from dlbasics.experiments.runner import run_experiment

    runs = [
        run_experiment(name, overrides, seed=seed, out_dir=seed_dir(out_dir, seed), **options)
        for seed in seeds
    ]
    write_json_atomic(Path(out_dir) / SEEDS_FILE, seeds_summary(runs))
    return runs
