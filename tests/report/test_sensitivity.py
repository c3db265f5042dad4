"""The Ames sensitivity, computed from real runs over seeds and checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from dlbasics.data import DataOptions
from dlbasics.experiments.runner import run_experiment
from dlbasics.report import sensitivity
from dlbasics.report.load import SeedResults
from dlbasics.results.statistics import DOES_NOT_HOLD, HOLDS, UNDECIDED
from tests.experiments.synthetic import SyntheticData

SEEDS = [3, 1, 2]  # not sorted: the seed order is the reproduction's
SMALL = {
    "q2.2a": {"epochs": 2, "learning_rate": 0.05},
    "q2.2b": {"epochs": 2, "learning_rate": 0.001, "hidden_size": 4},
}


def _runs(data, features=("minmax", "zscore")) -> SeedResults:
    """Real runs of both models, every featurisation and seed, grouped as the report does."""
    results = SeedResults()
    for f in features:
        for model, config in SMALL.items():
            step = sensitivity.step_name(model, f)
            for seed in SEEDS:
                metrics = run_experiment(model, {**config, "features": f}, seed=seed, data=data)
                results.values.setdefault(step, []).append(metrics)
                results.seeds.setdefault(step, []).append(seed)
    return results


def _by_hand(values: list[float]) -> tuple[float, float, float]:
    mean = float(np.mean(values))
    low, high = stats.t.interval(0.95, len(values) - 1, loc=mean, scale=stats.sem(values))
    return mean, float(low), float(high)


def _check(results: SeedResults, features: str) -> sensitivity.Setting:
    setting = sensitivity.setting(results, features)
    test = {
        model: [m["final"]["test_rmse"] for m in results.of(sensitivity.step_name(model, features))]
        for model in SMALL
    }
    for result in setting.models:
        step = sensitivity.step_name(result.model, features)
        train = [m["final"]["train_rmse"] for m in results.of(step)]
        assert result.seeds == tuple(SEEDS)
        assert (result.train.mean, result.train.low, result.train.high) == pytest.approx(
            _by_hand(train)
        )
        assert (result.test.mean, result.test.low, result.test.high) == pytest.approx(
            _by_hand(test[result.model])
        )
    differences = [b - a for a, b in zip(test["q2.2a"], test["q2.2b"], strict=True)]
    mean, low, high = _by_hand(differences)
    assert setting.difference.values == pytest.approx(differences)
    assert (setting.difference.mean, setting.difference.low, setting.difference.high) == (
        pytest.approx((mean, low, high))
    )
    # the claim is "the network is lower": it holds when the whole interval is below 0
    assert setting.verdict == (HOLDS if high < 0 else DOES_NOT_HOLD if low > 0 else UNDECIDED)
    return setting


def test_rows_from_real_runs_over_three_seeds_match_a_hand_computation():
    results = _runs(SyntheticData(n_train=60, n_eval=30))
    for features in ("minmax", "zscore"):
        _check(results, features)
    settings = sensitivity.sensitivity(results)
    assert [s.features for s in settings] == ["minmax", "zscore", "homework"]
    assert settings[0].n_features == SyntheticData().n_features
    homework = settings[2]  # never ran: no numbers, no verdict
    assert homework.difference is None and homework.verdict == UNDECIDED
    assert all(m.test is None and m.seeds == () for m in homework.models)
    rows = sensitivity.to_json(settings)
    assert rows[0]["models"]["q2.2b"]["test_rmse"]["per_seed"] == [
        m["final"]["test_rmse"] for m in results.of("q2.2b")
    ]
    assert rows[0]["difference"]["n_seeds"] == 3 and rows[0]["verdict"] == settings[0].verdict
    assert rows[2]["difference"] is None


@pytest.mark.realdata
def test_rows_from_real_ames_runs_over_three_seeds():
    results = _runs(DataOptions(limit=200), features=sensitivity.FEATURISATIONS)
    counts = [_check(results, f).n_features for f in sensitivity.FEATURISATIONS]
    assert counts == [320, 320, 346]


def _fake(test: dict[str, dict[int, float]]) -> SeedResults:
    """Recorded finals, as metrics.json holds them, for the pairing and wording rules."""
    results = SeedResults()
    for step, by_seed in test.items():
        results.values[step] = [
            {"final": {"train_rmse": v, "test_rmse": v}} for v in by_seed.values()
        ]
        results.seeds[step] = list(by_seed)
    return results


def test_the_difference_pairs_only_the_seeds_both_models_finished():
    results = _fake({"q2.2a": {1: 0.20, 2: 0.30, 3: 0.25}, "q2.2b": {3: 0.10, 1: 0.15}})
    setting = sensitivity.setting(results, "minmax")
    assert setting.difference.values == pytest.approx((0.10 - 0.25, 0.15 - 0.20))
    assert setting.models[0].test.n == 3 and setting.models[1].test.n == 2


def test_the_conclusion_names_the_settings_by_verdict():
    lower = {1: 0.10, 2: 0.11, 3: 0.12}
    higher = {1: 0.20, 2: 0.22, 3: 0.21}
    tied = {1: 0.10, 2: 0.12, 3: 0.08}
    results = _fake(
        {
            "q2.2a": higher,
            "q2.2b": lower,  # minmax: the network lower on every seed
            "q2.2a-zscore": lower,
            "q2.2b-zscore": higher,  # zscore: the network higher
            "q2.2a-homework": {1: 0.10, 2: 0.10, 3: 0.10},
            "q2.2b-homework": tied,  # homework: either way
        }
    )
    settings = sensitivity.sensitivity(results)
    assert [s.verdict for s in settings] == [HOLDS, DOES_NOT_HOLD, UNDECIDED]
    text = sensitivity.conclusion(settings)
    assert "lower than linear regression's holds under `minmax`" in text
    assert "does not hold under `zscore`" in text
    assert "cannot be told apart under `homework`" in text and "over 3 seeds" in text
    one_seed = sensitivity.sensitivity(_fake({"q2.2a": {1: 0.2}, "q2.2b": {1: 0.1}}))
    assert "over 1 seed)" in sensitivity.conclusion(one_seed)
    assert one_seed[0].verdict == UNDECIDED
    assert "untested" in sensitivity.conclusion(sensitivity.sensitivity(SeedResults()))
