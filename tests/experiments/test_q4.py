"""The registered Question 4 experiments: defaults, validation, and short runs on real data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dlbasics.data import DataOptions
from dlbasics.errors import ConfigError
from dlbasics.experiments import registry
from dlbasics.experiments.runner import run_experiment, validate_config

QUICK = DataOptions(limit=300)


def test_q4_experiments_are_registered_with_the_issue_defaults():
    logreg, ffn = registry.get("q4-logreg"), registry.get("q4-ffn")
    assert logreg.defaults == {
        "learning_rate": 0.01,
        "epochs": 20,
        "batch_size": 1,
        "optimizer": "sgd",
        "l2_decay": 0.0,
    }
    assert ffn.defaults == {
        **logreg.defaults,
        "hidden_size": 200,
        "layers": 1,
        "activation": "relu",
        "dropout": 0.3,
    }
    assert "torch" in logreg.engines and "torch" in ffn.engines
    assert logreg.task == ffn.task == "classification"


def test_logreg_takes_no_network_hyperparameters():
    with pytest.raises(ConfigError, match="q4-logreg does not take --hidden-size"):
        validate_config(registry.get("q4-logreg"), {"hidden_size": 100})
    with pytest.raises(ConfigError, match="--dropout"):
        validate_config(registry.get("q4-ffn"), {"dropout": 1.5})


def test_the_torch_network_refuses_the_identity_activation():
    with pytest.raises(ConfigError, match="--activation 'identity'.*relu or tanh"):
        validate_config(registry.get("q4-ffn"), {"activation": "identity"})


@pytest.mark.realdata
def test_q4_logreg_run_writes_metrics_arrays_and_figure(tmp_path):
    metrics = run_experiment(
        "q4-logreg",
        {"epochs": 2, "learning_rate": 0.001},
        seed=3,
        out_dir=tmp_path,
        data=QUICK,
        engine="torch",
    )
    assert metrics["status"] == "ok" and metrics["engine"] == "torch"
    assert [r["epoch"] for r in metrics["history"]] == [1, 2]
    assert set(metrics["final"]) == {"train_loss", "dev_acc", "test_acc"}
    assert 0.3 < metrics["final"]["test_acc"] <= 1.0
    assert metrics["final"]["train_loss"] == metrics["history"][-1]["train_loss"]
    with np.load(tmp_path / "arrays.npz") as arrays:
        assert arrays["templates"].shape == (10, 784)
        assert arrays["test_predictions"].shape == arrays["test_labels"].shape == (300,)
        acc = float(np.mean(arrays["test_predictions"] == arrays["test_labels"]))
    assert acc == metrics["final"]["test_acc"]
    assert (tmp_path / "figure6.png").stat().st_size > 1000
    on_disk = json.loads((tmp_path / "metrics.json").read_text())
    assert on_disk["final"] == metrics["final"]
    again = run_experiment(
        "q4-logreg", {"epochs": 2, "learning_rate": 0.001}, seed=3, data=QUICK, engine="torch"
    )
    assert again["history"] == metrics["history"]


@pytest.mark.realdata
def test_q4_ffn_runs_every_option(tmp_path):
    overrides = {
        "epochs": 1,
        "layers": 2,
        "hidden_size": 32,
        "activation": "tanh",
        "optimizer": "adam",
        "learning_rate": 0.001,
        "l2_decay": 1e-4,
        "batch_size": 16,
        "dropout": 0.5,
    }
    metrics = run_experiment(
        "q4-ffn", overrides, seed=1, out_dir=tmp_path, data=QUICK, engine="torch"
    )
    assert metrics["engine"] == "torch"
    assert metrics["status"] == "ok"
    assert metrics["config"] == {**registry.get("q4-ffn").defaults, **overrides}
    assert metrics["final"]["dev_acc"] > 0.3
    assert (tmp_path / "figure7.png").exists()
    with np.load(tmp_path / "arrays.npz") as arrays:
        assert "templates" not in arrays.files
