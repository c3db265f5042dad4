"""The Q2/Q3 experiments on synthetic data and (briefly) real data."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from dlbasics.data import DataOptions
from dlbasics.errors import ConfigError
from dlbasics.experiments.runner import run_experiment
from tests.experiments.synthetic import N_PIXELS, SyntheticData

Q2 = ("q2.2a", "q2.2b")
Q3 = ("q3.1a", "q3.1b", "q3.2b")
FIGURES = {
    "q2.2a": "figure1.png",
    "q2.2b": "figure2.png",
    "q3.1a": "figure3.png",
    "q3.1b": "figure4.png",
    "q3.2b": "figure5.png",
}
# Hyperparameters that make the tiny synthetic problems learn in a few epochs.
FAST = {
    "q2.2a": {"epochs": 3, "learning_rate": 0.05},
    "q2.2b": {"epochs": 3, "learning_rate": 0.001, "hidden_size": 4, "init": "he"},
    "q3.1a": {"epochs": 3},
    "q3.1b": {"epochs": 3, "learning_rate": 0.05},
    "q3.2b": {"epochs": 3, "learning_rate": 0.05, "hidden_size": 16, "init": "he"},
}


def run(name: str, out: Path | None = None, seed: int = 42, **overrides) -> dict:
    config = {**FAST[name], **overrides}
    return run_experiment(name, config, seed=seed, out_dir=out, data=SyntheticData())


def strict_json(path: Path) -> dict:
    """Parse JSON, refusing the non-standard NaN/Infinity tokens."""

    def refuse(token: str) -> None:
        raise AssertionError(f"{path} contains {token}")

    return json.loads(path.read_text(), parse_constant=refuse)


@pytest.mark.parametrize("name", Q2 + Q3)
def test_experiment_records_history_final_arrays_and_figure(name, tmp_path):
    metrics = run(name, tmp_path)
    assert metrics["status"] == "ok"
    history = metrics["history"]
    assert [record["epoch"] for record in history] == [1, 2, 3]
    if name in Q3:
        keys = {"epoch", "train_loss", "train_acc", "dev_acc", "test_acc"}
        assert set(metrics["final"]) == {"dev_acc", "test_acc"}
        assert metrics["final"]["test_acc"] == history[-1]["test_acc"]
    else:
        keys = {"epoch", "train_loss", "train_rmse", "test_rmse"}
        if name == "q2.2a":
            keys.add("distance_to_analytic")
        assert {"train_rmse", "test_rmse"} <= set(metrics["final"])
        assert metrics["final"]["test_rmse"] == history[-1]["test_rmse"]
        assert metrics["final"]["n_features"] == SyntheticData().n_features  # bias not counted
    assert all(set(record) == keys for record in history)
    on_disk = strict_json(tmp_path / "metrics.json")
    assert on_disk["history"] == history
    assert on_disk["experiment"] == name and on_disk["engine"] == "fast"
    assert (tmp_path / FIGURES[name]).stat().st_size > 1000
    arrays = np.load(tmp_path / "arrays.npz")
    if name in Q3:
        assert arrays["test_predictions"].shape == arrays["test_labels"].shape == (60,)
        accuracy = np.mean(arrays["test_predictions"] == arrays["test_labels"])
        assert accuracy == pytest.approx(metrics["final"]["test_acc"])
    if name in ("q3.1a", "q3.1b"):
        assert arrays["templates"].shape == (10, N_PIXELS)  # the bias column is dropped


@pytest.mark.parametrize("name", Q2 + Q3)
def test_models_learn_the_synthetic_problems(name):
    history = run(name, epochs=6)["history"]
    if name in Q3:
        assert history[-1]["test_acc"] > 0.6  # ten classes: chance is 0.1
    else:
        assert history[-1]["train_rmse"] < history[0]["train_rmse"]


def test_linear_regression_reports_the_closed_form_and_approaches_it():
    metrics = run("q2.2a", epochs=8)
    distances = [record["distance_to_analytic"] for record in metrics["history"]]
    assert distances[-1] < distances[0]
    final = metrics["final"]
    assert final["analytic_train_rmse"] <= final["train_rmse"]  # least squares is the best fit
    data = SyntheticData().ames(bias=True)
    w, *_ = np.linalg.lstsq(data.train.X, data.train.y, rcond=None)
    rmse = np.sqrt(np.mean((data.test.X @ w - data.test.y) ** 2))
    assert final["analytic_test_rmse"] == pytest.approx(rmse)


@pytest.mark.parametrize("name", ["q2.2b", "q3.1b", "q3.2b"])
def test_same_seed_same_metrics(name, tmp_path):
    first = run(name, tmp_path / "a", seed=3)
    second = run(name, tmp_path / "b", seed=3)
    other = run(name, seed=4)
    for metrics in (first, second, other):
        metrics.pop("wall_seconds")
    assert first == second
    assert first["history"] != other["history"]
    a, b = (strict_json(tmp_path / d / "metrics.json") for d in "ab")
    a.pop("wall_seconds"), b.pop("wall_seconds")
    assert a == b


@pytest.mark.parametrize(
    ("name", "overrides"),
    [("q2.2a", {"learning_rate": 1e4}), ("q2.2b", {"learning_rate": 10.0, "init": "homework"})],
)
def test_divergence_stops_with_a_clear_message_and_no_nan_on_disk(name, overrides, tmp_path):
    metrics = run(name, tmp_path, **overrides, epochs=50)
    assert metrics["status"] == "diverged"
    assert len(metrics["history"]) < 50
    epoch = len(metrics["history"]) + 1
    assert f"diverged in epoch {epoch}" in metrics["message"]
    assert "smaller --learning-rate" in metrics["message"]
    on_disk = strict_json(tmp_path / "metrics.json")
    assert on_disk["status"] == "diverged"
    assert on_disk["final"]["train_rmse"] is None  # NaN is written as null
    assert all(math.isfinite(v) for record in on_disk["history"] for v in record.values())


def test_bad_hyperparameters_are_rejected_before_training():
    with pytest.raises(ConfigError, match="--init"):
        run("q3.2b", init="zeros")
    with pytest.raises(ConfigError, match="--activation"):
        run("q2.2b", activation="sigmoid")
    with pytest.raises(ConfigError, match="does not take"):
        run("q3.1a", learning_rate=0.1)
    with pytest.raises(ConfigError, match="engine"):
        run_experiment("q3.1b", {"epochs": 1}, engine="gpu", data=SyntheticData())


@pytest.mark.parametrize("name", Q2)
def test_q2_reads_the_featurisation_its_config_names(name, monkeypatch):
    asked = []
    synthetic_ames = SyntheticData.ames

    def ames(self, *, bias=False, features="minmax"):
        asked.append(features)
        return synthetic_ames(self, bias=bias, features=features)

    monkeypatch.setattr(SyntheticData, "ames", ames)
    assert run(name)["config"]["features"] == "minmax"
    assert run(name, features="homework")["config"]["features"] == "homework"
    assert asked == ["minmax", "homework"]
    with pytest.raises(ConfigError, match="invalid --features 'robust': must be one of minmax"):
        run(name, features="robust")
    with pytest.raises(ConfigError, match="q3.1b does not take --features"):
        run("q3.1b", features="zscore")


def test_metrics_json_is_written_atomically(tmp_path, monkeypatch):
    """A run interrupted while saving leaves the previous metrics.json whole and no temp files."""
    run("q3.1b", tmp_path)
    before = (tmp_path / "metrics.json").read_text()

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr("dlbasics.results.io.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run("q3.1b", tmp_path, epochs=1)
    assert (tmp_path / "metrics.json").read_text() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --- real data, one short epoch each ------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.parametrize("name", Q3)
def test_q3_runs_on_real_fashion_mnist(name, real_fashion_mnist, tmp_path):
    metrics = run_experiment(name, {"epochs": 1}, data=DataOptions(limit=2000), out_dir=tmp_path)
    assert metrics["status"] == "ok"
    assert 0.1 < metrics["final"]["test_acc"] <= 1.0
    assert (tmp_path / FIGURES[name]).exists()
    arrays = np.load(tmp_path / "arrays.npz")
    assert arrays["test_labels"].shape == (2000,)
    if name != "q3.2b":
        assert arrays["templates"].shape == (10, 784)


@pytest.mark.realdata
@pytest.mark.parametrize("name", Q2)
def test_q2_runs_on_real_ames(name, tmp_path):
    metrics = run_experiment(name, {"epochs": 1}, data=DataOptions(limit=2000), out_dir=tmp_path)
    assert metrics["status"] == "ok"
    assert metrics["final"]["train_rmse"] > 0
    assert (tmp_path / FIGURES[name]).exists()


@pytest.mark.realdata
@pytest.mark.parametrize("name", Q2)
def test_q2_trains_on_every_featurisation_of_real_ames(name):
    finals = {}
    for features in ("minmax", "zscore", "homework"):
        overrides = {"epochs": 1, "features": features}
        metrics = run_experiment(name, overrides, data=DataOptions(limit=300))
        assert metrics["status"] == "ok" and metrics["config"]["features"] == features
        finals[features] = metrics["final"]["test_rmse"]
    assert len(set(finals.values())) == 3  # three different inputs, three different models
