"""The one training loop, with from-scratch models: orders, chunks, losses and divergence."""

from __future__ import annotations

import numpy as np
import pytest

from dlbasics.data.types import Dataset
from dlbasics.scratch import LogisticRegression
from dlbasics.training import loop
from dlbasics.training.learners import ModelLearner
from tests.experiments.synthetic import N_PIXELS, SyntheticData


def train_epochs(model, data, *, epochs, seed, evaluate):
    """The Q2/Q3 use of the loop: per-example updates, NumPy-shuffled orders."""
    n = len(data)
    return loop.train_epochs(
        ModelLearner(model, data),
        n,
        epochs=epochs,
        orders=loop.numpy_orders(n, seed),
        evaluate=evaluate,
    )


class RecordingModel:
    """Records the ``order`` of every ``train_epoch`` call; loss = mean of the indices."""

    def __init__(self) -> None:
        self.calls: list[np.ndarray] = []
        self.weights_ = np.zeros(2)

    def train_epoch(self, X, y, order):
        self.calls.append(np.array(order))
        return float(np.mean(order))


def test_loop_draws_one_permutation_per_epoch_and_feeds_it_in_chunks(monkeypatch):
    monkeypatch.setattr(loop, "CHUNK_EXAMPLES", 7)
    data = Dataset(np.zeros((30, 2)), np.zeros(30))
    model = RecordingModel()
    outcome = train_epochs(model, data, epochs=3, seed=5, evaluate=lambda: {})
    rng = np.random.default_rng(5)
    expected = [rng.permutation(30) for _ in range(3)]
    got = np.concatenate(model.calls)
    np.testing.assert_array_equal(got, np.concatenate(expected))
    assert all(len(call) <= 7 for call in model.calls)
    # the epoch loss is the example-weighted mean of the chunk losses: here the mean index
    assert [r["train_loss"] for r in outcome.history] == pytest.approx([14.5] * 3)


def test_chunked_epochs_equal_one_call_per_epoch(monkeypatch):
    data = SyntheticData().fashion_mnist(dtype=np.float64, bias=True).train
    chunked = LogisticRegression(N_PIXELS + 1, 10, learning_rate=0.05)
    monkeypatch.setattr(loop, "CHUNK_EXAMPLES", 13)
    outcome = train_epochs(chunked, data, epochs=2, seed=1, evaluate=lambda: {})
    whole = LogisticRegression(N_PIXELS + 1, 10, learning_rate=0.05)
    rng = np.random.default_rng(1)
    losses = [whole.train_epoch(data.X, data.y, rng.permutation(len(data))) for _ in range(2)]
    np.testing.assert_allclose(chunked.weights_, whole.weights_, rtol=1e-12)
    assert [r["train_loss"] for r in outcome.history] == pytest.approx(losses, rel=1e-12)


def test_loop_flags_non_finite_weights_even_when_the_loss_is_finite():
    class Blows(RecordingModel):
        def train_epoch(self, X, y, order):
            if len(self.calls) == 1:
                self.weights_[0] = np.inf
            return super().train_epoch(X, y, order)

    outcome = train_epochs(
        Blows(), Dataset(np.zeros((5, 1)), np.zeros(5)), epochs=4, seed=0, evaluate=lambda: {}
    )
    assert outcome.status == "diverged"
    assert "epoch 2" in outcome.message
    assert [r["epoch"] for r in outcome.history] == [1]
