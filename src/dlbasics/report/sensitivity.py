"""The Ames sensitivity: does the report's Q2.2b claim depend on how the data is featurised?

The report says the network's test RMSE is lower than linear regression's. Here q2.2a and q2.2b
are measured under each featurisation (:data:`FEATURISATIONS`; the default ``minmax`` runs are
the steps ``q2.2a`` and ``q2.2b``, the others the supplementary steps ``q2.2a-zscore`` ...), over
the reproduction's seeds. Per featurisation and model: the mean and 95% interval of the train
and test RMSE; per featurisation: the paired difference over the seeds both models ran,

    d_i = test RMSE(q2.2b, seed i) - test RMSE(q2.2a, seed i),

and the verdict on the claim "the network's test RMSE is lower", i.e. on ``-d > 0``
(:func:`dlbasics.results.statistics.verdict`). The report reads results from disk only: the
feature count is the one the runs recorded (``final.n_features``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dlbasics.report.load import SeedResults
from dlbasics.results.statistics import (
    DOES_NOT_HOLD,
    HOLDS,
    UNDECIDED,
    Interval,
    mean_interval,
    paired_difference,
    verdict,
)

FEATURISATIONS = ("minmax", "zscore", "homework")  # the default first, as in data.ames.RECIPES
MODELS = {"q2.2a": "linear regression", "q2.2b": "neural network"}
CLAIM = "the network's test RMSE is lower than linear regression's"


def step_name(model: str, features: str) -> str:
    """The step that runs ``model`` under ``features``: ``q2.2a``, ``q2.2a-zscore`` ..."""
    return model if features == FEATURISATIONS[0] else f"{model}-{features}"


@dataclass(frozen=True)
class ModelResult:
    """One model under one featurisation: its RMSE over the seeds it finished (None: no run)."""

    model: str
    train: Interval | None
    test: Interval | None
    seeds: tuple[int, ...]


@dataclass(frozen=True)
class Setting:
    """One featurisation: its width, both models, and the claim's paired test.

    ``difference``: the per-seed q2.2b - q2.2a test RMSE over the seeds both finished (None when
    they share none); ``verdict``: on the claim, i.e. on ``-difference > 0``.
    """

    features: str
    n_features: int | None
    models: tuple[ModelResult, ...]
    difference: Interval | None
    verdict: str


def _finals(results: list[dict[str, Any]], key: str) -> list[float]:
    values = [(r.get("final") or {}).get(key) for r in results]
    return [float(v) for v in values if isinstance(v, int | float) and math.isfinite(v)]


def _interval(values: list[float]) -> Interval | None:
    return mean_interval(values) if values else None


def _model(seed_results: SeedResults, model: str, features: str) -> ModelResult:
    step = step_name(model, features)
    results = seed_results.of(step)
    return ModelResult(
        model,
        _interval(_finals(results, "train_rmse")),
        _interval(_finals(results, "test_rmse")),
        tuple(seed_results.seeds.get(step, [])),
    )


def _test_by_seed(seed_results: SeedResults, step: str) -> dict[int, float]:
    pairs = zip(seed_results.seeds.get(step, []), seed_results.of(step), strict=True)
    return {seed: v for seed, r in pairs for v in _finals([r], "test_rmse")}


def _n_features(seed_results: SeedResults, features: str) -> int | None:
    for model in MODELS:
        for result in seed_results.of(step_name(model, features)):
            count = (result.get("final") or {}).get("n_features")
            if isinstance(count, int):
                return count
    return None


def setting(seed_results: SeedResults, features: str) -> Setting:
    """The measurements of one featurisation (see the module docstring)."""
    linear = _test_by_seed(seed_results, step_name("q2.2a", features))
    network = _test_by_seed(seed_results, step_name("q2.2b", features))
    shared = [seed for seed in network if seed in linear]  # the seeds both finished, in order
    difference = claim = None
    if shared:
        difference = paired_difference([network[s] for s in shared], [linear[s] for s in shared])
        claim = paired_difference([linear[s] for s in shared], [network[s] for s in shared])
    return Setting(
        features,
        _n_features(seed_results, features),
        tuple(_model(seed_results, model, features) for model in MODELS),
        difference,
        verdict(claim) if claim is not None else UNDECIDED,
    )


def sensitivity(seed_results: SeedResults) -> list[Setting]:
    """One :class:`Setting` per featurisation, in :data:`FEATURISATIONS` order."""
    return [setting(seed_results, features) for features in FEATURISATIONS]


def conclusion(settings: list[Setting]) -> str:
    """One sentence: under which featurisations the claim holds, fails, or cannot be told."""
    measured = [s for s in settings if s.difference is not None]
    if not measured:
        return f"No featurisation has runs of both models, so the claim that {CLAIM} is untested."
    parts = []
    for word, label in ((HOLDS, "holds"), (DOES_NOT_HOLD, "does not hold"), (UNDECIDED, None)):
        names = [f"`{s.features}`" for s in measured if s.verdict == word]
        if names:
            where = _join(names)
            parts.append(
                f"{label} under {where}" if label else f"cannot be told apart under {where}"
            )
    seeds = sorted({s.difference.n for s in measured if s.difference is not None})
    counted = " or ".join(map(str, seeds))
    text = f"The report's claim that {CLAIM} {_join(parts)} (paired 95% intervals over {counted} "
    text += "seed" + ("" if seeds == [1] else "s") + ")."
    if seeds == [1]:
        text += " One seed gives no interval: `dlbasics reproduce --seeds 5` decides it."
    return text


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def to_json(settings: list[Setting]) -> list[dict[str, Any]]:
    """The settings as summary.json's ``ames_sensitivity``: one dict per featurisation."""

    def interval(value: Interval | None) -> dict[str, Any] | None:
        return value.to_json() if value is not None else None

    return [
        {
            "features": s.features,
            "n_features": s.n_features,
            "models": {
                m.model: {"train_rmse": interval(m.train), "test_rmse": interval(m.test)}
                for m in s.models
            },
            "claim": CLAIM,
            "quantity": "q2.2b test RMSE - q2.2a test RMSE (the claim: below 0)",
            "difference": interval(s.difference),
            "verdict": s.verdict,
        }
        for s in settings
    ]
