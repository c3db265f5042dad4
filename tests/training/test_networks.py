"""The training loop on tiny synthetic data: learning, loss definition, seeding, faults."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import torch
from torch import nn

from dlbasics.data.types import Dataset
from dlbasics.errors import ConfigError
from dlbasics.results.provenance import physical_cores
from dlbasics.torchnets.evaluate import predict
from dlbasics.torchnets.models import FeedforwardNetwork, LogisticRegression
from dlbasics.torchnets.optim import make_optimizer
from dlbasics.training import torch_runtime as train_module
from dlbasics.training.networks import fit
from dlbasics.training.torch_runtime import configure_threads, resolve_device, seed_everything


@dataclass
class Splits:
    train: Dataset
    dev: Dataset
    test: Dataset


def blobs(n_per_split: int = 60, n_features: int = 12, n_classes: int = 3, seed: int = 0) -> Splits:
    """Well separated Gaussian clusters: a linear model reaches ~100% accuracy."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 3, size=(n_classes, n_features))

    def split() -> Dataset:
        y = rng.integers(0, n_classes, size=n_per_split)
        X = centers[y] + rng.normal(0, 0.5, size=(n_per_split, n_features))
        return Dataset(X.astype(np.float32), y.astype(np.int64))

    return Splits(split(), split(), split())


FIT = {"epochs": 3, "batch_size": 1, "optimizer": "sgd", "learning_rate": 0.05, "l2_decay": 0.0}


def _train(seed: int = 1, data: Splits | None = None, model_seed: int | None = None, **overrides):
    data = data or blobs()
    seed_everything(seed if model_seed is None else model_seed)
    model = FeedforwardNetwork(data.train.X.shape[1], 3, hidden_size=16, layers=1, dropout=0.2)
    return model, fit(model, data, seed=seed, **{**FIT, **overrides})


def test_fit_learns_separable_data_and_reports_every_epoch():
    data = blobs()
    seed_everything(0)
    model = LogisticRegression(data.train.X.shape[1], 3)
    seen = []
    result = fit(model, data, seed=0, on_epoch=seen.append, **FIT)
    assert result.status == "ok" and result.message == ""
    assert [r["epoch"] for r in result.history] == [1, 2, 3]
    assert set(result.history[0]) == {"epoch", "train_loss", "dev_acc", "test_acc"}
    assert seen == result.history
    assert result.history[-1]["train_loss"] < result.history[0]["train_loss"]
    assert result.final["dev_acc"] >= 0.95 and result.final["test_acc"] >= 0.95
    assert result.final == {k: result.history[-1][k] for k in ("train_loss", "dev_acc", "test_acc")}
    X_test = torch.as_tensor(data.test.X)
    np.testing.assert_array_equal(result.test_predictions, predict(model, X_test).numpy())
    acc = float(np.mean(result.test_predictions == data.test.y))
    assert result.final["test_acc"] == acc


@pytest.mark.parametrize("batch_size", [1, 4, 60])
def test_train_loss_is_the_mean_of_the_batch_losses(batch_size):
    """With a vanishing learning rate the model does not move, so the epoch's loss must equal
    the cross-entropy of the initial model averaged over equal-sized batches (= all examples)."""
    data = blobs()
    seed_everything(3)
    model = LogisticRegression(data.train.X.shape[1], 3)
    with torch.no_grad():
        expected = nn.functional.cross_entropy(
            model(torch.as_tensor(data.train.X)), torch.as_tensor(data.train.y)
        ).item()
    result = fit(
        model,
        data,
        seed=0,
        **{**FIT, "epochs": 1, "batch_size": batch_size, "learning_rate": 1e-12},
    )
    assert result.history[0]["train_loss"] == pytest.approx(expected, rel=1e-5)


def test_same_seed_gives_identical_runs_and_another_seed_does_not():
    _, first = _train(seed=5)
    _, again = _train(seed=5)
    _, other = _train(seed=6)
    assert first.history == again.history
    np.testing.assert_array_equal(first.test_predictions, again.test_predictions)
    assert first.history != other.history


def test_shuffle_seed_alone_changes_the_run():
    """Same initial weights, different shuffling seed: the order (and so the run) differs."""
    _, first = _train(seed=5, model_seed=0)
    _, second = _train(seed=9, model_seed=0)
    assert first.history[0]["train_loss"] != second.history[0]["train_loss"]


def test_adam_and_l2_decay_reach_the_optimizer():
    model = LogisticRegression(4, 3)
    opt = make_optimizer(model, "adam", 0.002, 0.25)
    assert isinstance(opt, torch.optim.Adam)
    assert opt.param_groups[0]["lr"] == 0.002 and opt.param_groups[0]["weight_decay"] == 0.25
    assert isinstance(make_optimizer(model, "sgd", 0.1, 0.0), torch.optim.SGD)
    with pytest.raises(ConfigError, match="optimizer"):
        make_optimizer(model, "rmsprop", 0.1, 0.0)


def test_l2_decay_shrinks_the_weights():
    model_plain, plain = _train(seed=2, l2_decay=0.0)
    model_decay, decay = _train(seed=2, l2_decay=0.5)

    def norm(model: nn.Module) -> float:
        return sum(float(p.detach().norm()) for p in model.parameters())

    assert plain.status == decay.status == "ok"
    assert norm(model_decay) < norm(model_plain)


def test_a_huge_learning_rate_is_reported_as_diverged_and_stops():
    data = blobs()
    seed_everything(0)
    model = LogisticRegression(data.train.X.shape[1], 3)
    result = fit(model, data, seed=0, **{**FIT, "epochs": 5, "learning_rate": 1e38})
    assert result.status == "diverged"
    assert "diverged in epoch 1" in result.message
    # the one divergence rule of every engine: the history holds the epochs that ended finite
    assert result.history == []
    assert not np.isfinite(result.final["train_loss"])


def test_device_choice():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ConfigError, match="must be one of auto, cpu, cuda"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="--device cuda: .*use --device cpu"):
            resolve_device("cuda")
        data = blobs()
        with pytest.raises(ConfigError):
            fit(LogisticRegression(12, 3), data, seed=0, device="cuda", **FIT)


def test_threads_follow_the_environment_or_the_physical_cores(monkeypatch):
    before = torch.get_num_threads()
    try:
        monkeypatch.setenv(train_module.THREADS_ENV, "1")
        assert configure_threads() == 1 and torch.get_num_threads() == 1
        monkeypatch.delenv(train_module.THREADS_ENV)
        assert configure_threads(batch_size=256) == physical_cores() >= 1
        assert configure_threads(batch_size=1) == 1
        monkeypatch.setenv(train_module.THREADS_ENV, "many")
        with pytest.raises(ConfigError, match="DLBASICS_TORCH_THREADS"):
            configure_threads()
    finally:
        torch.set_num_threads(before)


def test_empty_training_set_is_a_clear_error():
    data = blobs()
    empty = Splits(data.train.head(0), data.dev, data.test)
    with pytest.raises(ConfigError, match="empty"):
        fit(LogisticRegression(12, 3), empty, seed=0, **FIT)
