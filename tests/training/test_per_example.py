"""fit_per_example: the Q2/Q3 training that the experiments and the estimators share."""

from __future__ import annotations

import numpy as np

from dlbasics.scratch import LogisticRegression
from dlbasics.training.per_example import fit_per_example
from tests.experiments.synthetic import N_PIXELS, SyntheticData


def test_orders_come_from_the_seed_and_a_generator_continues_its_stream():
    data = SyntheticData().fashion_mnist(dtype=np.float64, bias=True).train
    whole = LogisticRegression(N_PIXELS + 1, 10, learning_rate=0.05)
    outcome = fit_per_example(whole, data.X, data.y, epochs=3, seed=4)
    by_hand = LogisticRegression(N_PIXELS + 1, 10, learning_rate=0.05)
    rng = np.random.default_rng(4)
    losses = [by_hand.train_epoch(data.X, data.y, rng.permutation(len(data))) for _ in range(3)]
    np.testing.assert_allclose([r["train_loss"] for r in outcome.history], losses, rtol=1e-12)
    np.testing.assert_allclose(whole.weights_, by_hand.weights_, rtol=1e-12)
    stepwise = LogisticRegression(N_PIXELS + 1, 10, learning_rate=0.05)
    stream = np.random.default_rng(4)
    for _ in range(3):
        fit_per_example(stepwise, data.X, data.y, epochs=1, seed=stream)
    np.testing.assert_array_equal(stepwise.weights_, whole.weights_)


def test_evaluate_adds_its_figures_to_each_epoch():
    data = SyntheticData().fashion_mnist(dtype=np.float64, bias=True).train
    model = LogisticRegression(N_PIXELS + 1, 10, learning_rate=0.05)
    outcome = fit_per_example(
        model,
        data.X,
        data.y,
        epochs=2,
        seed=0,
        evaluate=lambda: {"acc": model.evaluate(data.X, data.y)},
    )
    assert outcome.ok and [set(r) for r in outcome.history] == [{"epoch", "train_loss", "acc"}] * 2
    assert outcome.history[-1]["acc"] > 0.5
