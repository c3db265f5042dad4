"""An estimator given an experiment's settings, seed and data gives the experiment's numbers.

The experiments run through ``run_experiment`` (metrics and arrays.npz); the estimators are fit
on the same data without the ones column (they append it themselves). Both train through
``training.per_example.fit_per_example``, so weights, losses and predictions are identical.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dlbasics.data import DataOptions
from dlbasics.estimators import (
    LinearRegression,
    LogisticRegression,
    MLPClassifier,
    MLPRegressor,
    Perceptron,
)
from dlbasics.experiments.runner import run_experiment
from dlbasics.scratch.functions import rmse
from dlbasics.training.engines import MODEL_ENGINES
from tests.experiments.synthetic import SyntheticData

SEED = 7
ENGINES = tuple(MODEL_ENGINES)


def run(name: str, config: dict[str, Any], engine: str, data: Any, out: Path):
    metrics = run_experiment(name, config, seed=SEED, engine=engine, out_dir=out, data=data)
    assert metrics["status"] == "ok"
    return metrics, np.load(out / "arrays.npz")


def losses(metrics: dict[str, Any]) -> list[float]:
    return [record["train_loss"] for record in metrics["history"]]


def check_classifier(name, estimator, config, engine, data, out, *, templates=True):
    metrics, arrays = run(name, config, engine, data, out)
    split = data.fashion_mnist(dtype=np.float64, bias=False)
    estimator.fit(split.train.X, split.train.y)
    assert estimator.loss_curve_ == losses(metrics)
    np.testing.assert_array_equal(estimator.predict(split.test.X), arrays["test_predictions"])
    assert estimator.score(split.dev.X, split.dev.y) == metrics["final"]["dev_acc"]
    assert estimator.score(split.test.X, split.test.y) == metrics["final"]["test_acc"]
    if templates:
        np.testing.assert_array_equal(estimator.coef_, arrays["templates"])


def check_linear(estimator_sgd, estimator_closed, config, engine, data, out):
    metrics, arrays = run("q2.2a", config, engine, data, out)
    split = data.ames(bias=False)
    train, test = split.train, split.test
    sgd = estimator_sgd.fit(train.X, train.y)
    assert sgd.loss_curve_ == losses(metrics)
    np.testing.assert_array_equal(sgd.coef_, arrays["weights"][:-1])
    assert sgd.intercept_ == arrays["weights"][-1]
    np.testing.assert_array_equal(sgd.predict(test.X), arrays["test_predictions"])
    assert rmse(sgd.predict(train.X), train.y) == metrics["final"]["train_rmse"]
    assert rmse(sgd.predict(test.X), test.y) == metrics["final"]["test_rmse"]
    closed = estimator_closed.fit(train.X, train.y)
    np.testing.assert_array_equal(closed.coef_, arrays["analytic_weights"][:-1])
    assert rmse(closed.predict(test.X), test.y) == metrics["final"]["analytic_test_rmse"]


@pytest.mark.parametrize("engine", ENGINES)
def test_perceptron_gives_q3_1a_numbers(engine, tmp_path):
    estimator = Perceptron(epochs=3, random_state=SEED, engine=engine)
    check_classifier("q3.1a", estimator, {"epochs": 3}, engine, SyntheticData(), tmp_path)


@pytest.mark.parametrize("engine", ENGINES)
def test_logistic_regression_gives_q3_1b_numbers(engine, tmp_path):
    config = {"epochs": 3, "learning_rate": 0.05}
    estimator = LogisticRegression(**config, random_state=SEED, engine=engine)
    check_classifier("q3.1b", estimator, config, engine, SyntheticData(), tmp_path)


@pytest.mark.parametrize("engine", ENGINES)
def test_mlp_classifier_gives_q3_2b_numbers(engine, tmp_path):
    config = {"epochs": 3, "learning_rate": 0.05, "hidden_size": 16, "init": "homework"}
    estimator = MLPClassifier(**config, random_state=SEED, engine=engine)
    data = SyntheticData()
    check_classifier("q3.2b", estimator, config, engine, data, tmp_path, templates=False)


@pytest.mark.parametrize("engine", ENGINES)
def test_linear_regression_gives_q2_2a_numbers(engine, tmp_path):
    config = {"epochs": 3, "learning_rate": 0.05}
    sgd = LinearRegression(**config, random_state=SEED, engine=engine)
    closed = LinearRegression(solver="closed_form", engine=engine)
    check_linear(sgd, closed, config, engine, SyntheticData(), tmp_path)


@pytest.mark.parametrize("engine", ENGINES)
def test_mlp_regressor_gives_q2_2b_numbers(engine, tmp_path):
    config = {"epochs": 3, "learning_rate": 0.001, "hidden_size": 4, "init": "he"}
    metrics, arrays = run("q2.2b", config, engine, SyntheticData(), tmp_path)
    split = SyntheticData().ames(bias=False)
    estimator = MLPRegressor(**config, random_state=SEED, engine=engine)
    estimator.fit(split.train.X, split.train.y)
    assert estimator.loss_curve_ == losses(metrics)
    np.testing.assert_array_equal(estimator.predict(split.test.X), arrays["test_predictions"])
    assert rmse(estimator.predict(split.test.X), split.test.y) == metrics["final"]["test_rmse"]


@pytest.mark.realdata
@pytest.mark.parametrize("engine", ENGINES)
def test_logistic_regression_gives_q3_1b_numbers_on_fashion_mnist(
    engine, real_fashion_mnist, tmp_path
):
    config = {"epochs": 2, "learning_rate": 0.001}  # the report's rate, few epochs
    estimator = LogisticRegression(**config, random_state=SEED, engine=engine)
    check_classifier("q3.1b", estimator, config, engine, DataOptions(limit=1000), tmp_path)


@pytest.mark.realdata
@pytest.mark.parametrize("engine", ENGINES)
def test_linear_regression_gives_q2_2a_numbers_on_ames(engine, tmp_path):
    config = {"epochs": 3, "learning_rate": 0.001}
    sgd = LinearRegression(**config, random_state=SEED, engine=engine)
    closed = LinearRegression(solver="closed_form", engine=engine)
    check_linear(sgd, closed, config, engine, DataOptions(limit=500), tmp_path)
