"""A sweep over seeds: every configuration x seed one trial (each once), the primary seed's
trials those of a single-seed sweep, the winner by the mean validation accuracy."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from dlbasics.errors import ConfigError
from dlbasics.results.statistics import mean_interval
from dlbasics.sweep import KEY, run_sweep
from tests.sweep.toy import FAST, executions, study_trials


def test_a_sweep_over_seeds_runs_only_the_new_seeds_and_adds_the_intervals(toy, tmp_path):
    out = tmp_path / "out"
    single = run_sweep("toy", out_dir=out, seed=1, **FAST)
    assert len(executions(toy)) == 3
    result = run_sweep("toy", out_dir=out, seed=1, seeds=(1, 2, 3), **FAST)
    assert Counter(executions(toy)) == {"0.01 1": 3, "0.1 1": 3, "1.0 1": 3}  # seed 1 reused
    keys = Counter(t.user_attrs[KEY] for t in study_trials(out))
    assert len(keys) == 9 and set(keys.values()) == {1}
    assert {json.loads(k)["seed"] for k in keys} == {1, 2, 3}
    # the single-seed fields are the primary seed's, unchanged
    for field in ("sweep", "seed", "grid", "epochs", "defaults"):
        assert result[field] == single[field]
    for before, after in zip(single["trials"], result["trials"], strict=True):
        assert {k: after[k] for k in before} == before
        values = [f["dev_acc"] for f in after["per_seed_final"]]
        assert after["n_seeds"] == 3 and after["seeds"] == [1, 2, 3]
        if after["status"] == "ok":
            expected = mean_interval(values).to_json()
            assert {k: after[k] for k in expected} == expected
    assert result["seeds"] == [1, 2, 3]
    assert result["best"]["config"]["learning_rate"] == 0.1  # 1.0 diverged on every seed
    assert result["best"]["n_seeds"] == 3
    written = json.loads((out / "sweep.json").read_text())
    assert written["best"] == result["best"] and "per_seed" in written["trials"][0]


def test_a_single_seed_sweep_json_has_no_seed_fields(toy, tmp_path):
    result = run_sweep("toy", out_dir=tmp_path / "out", **FAST)
    assert "seeds" not in result and "n_seeds" not in result["trials"][0]


def test_the_first_seed_must_be_the_primary_seed(toy, tmp_path):
    with pytest.raises(ConfigError, match="must be the primary seed"):
        run_sweep("toy", out_dir=tmp_path / "out", seed=42, seeds=(1, 2), **FAST)
    with pytest.raises(ConfigError, match="given twice"):
        run_sweep("toy", out_dir=tmp_path / "out", seed=1, seeds=(1, 1), **FAST)
    assert not (tmp_path / "out").exists()
