"""Question 2 of the report: regression of log(SalePrice) on the Ames housing data.

* ``q2.2a``: linear regression by per-example SGD from zero, lr 0.001, 150 epochs, compared
  after every epoch with the closed-form least-squares weights (report: train RMSE 0.111, test
  0.238; Figure 1). Features with a ones column (bias folded in).
* ``q2.2b``: neural regression, one hidden layer of 150 ReLU units, lr 0.001, 150 epochs,
  squared loss (report: 0.099 / 0.165; Figure 2). Features without the ones column, since the
  layers have biases. Initialisation: He by default, ``--init homework`` for the homework's
  N(0.1, 0.1^2): on our non-negative Ames features the homework's positive-mean weights start
  every prediction far above log(SalePrice) and the first updates kill most hidden units (the
  measurements are in docs/models.md). Fashion-MNIST pixels are small, so q3.2b keeps the
  homework's initialisation.

Both take ``features``, the Ames featurisation (:data:`dlbasics.data.ames.RECIPES`: ``minmax``
by default, ``zscore``, ``homework``; the reasons for the default are in docs/ames.md).

History per epoch: ``train_loss`` (mean ``0.5 err^2`` over the epoch, each taken before its
update), ``train_rmse``, ``test_rmse``, and for q2.2a ``distance_to_analytic`` =
``||w_SGD - w*||_2``. ``final``: the last epoch's ``train_rmse`` and ``test_rmse``, ``n_features`` (the
featurisation's width, without the ones column), plus for q2.2a ``analytic_train_rmse`` and
``analytic_test_rmse`` of the closed form. Arrays saved:
``test_predictions`` and ``test_targets``; q2.2a also ``weights`` and ``analytic_weights``.

Figures (file names fixed; drawn by :mod:`dlbasics.plotting.run_figures`): ``figure1.png`` (q2.2a; left: distance to the analytic solution per
epoch; right: train and test RMSE per epoch) and ``figure2.png`` (q2.2b: train and test RMSE).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlbasics.data.types import AMES_FEATURES
from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.experiments.per_example import nan_final, train_per_example
from dlbasics.experiments.registry import register
from dlbasics.training.engines import engine_names, model_class

DEFAULT_FEATURES = AMES_FEATURES[0]  # the featurisation of the report's runs (docs/ames.md)


@dataclass(frozen=True)
class LinearRegressionConfig:
    """q2.2a: the report's hyperparameters."""

    epochs: int = 150
    learning_rate: float = 0.001
    features: str = DEFAULT_FEATURES


@dataclass(frozen=True)
class NeuralRegressionConfig:
    """q2.2b: the report's hyperparameters (He initialisation: see the module docstring)."""

    epochs: int = 150
    learning_rate: float = 0.001
    hidden_size: int = 150
    layers: int = 1
    activation: str = "relu"
    init: str = "he"
    features: str = DEFAULT_FEATURES


def rmse(predicted: np.ndarray, targets: np.ndarray) -> float:
    return float(np.sqrt(np.mean((predicted - targets) ** 2)))


def train_linear(ctx: RunContext) -> RunResult:
    data = ctx.data.ames(bias=True, features=ctx.config.features)
    train, test = data.train, data.test
    model = model_class(ctx.engine, "LinearRegression")(
        n_features=train.X.shape[1], learning_rate=ctx.config.learning_rate, seed=ctx.seed
    )
    model.fit_analytic(train.X, train.y)
    analytic = model.analytic_weights_

    def evaluate() -> dict[str, float]:
        return {
            "train_rmse": model.evaluate(train.X, train.y),
            "test_rmse": model.evaluate(test.X, test.y),
            "distance_to_analytic": float(np.linalg.norm(model.weights_ - analytic)),
        }

    outcome = train_per_example(ctx, model, train, evaluate, "LinearRegression")
    analytic_final = {
        "analytic_train_rmse": rmse(train.X @ analytic, train.y),
        "analytic_test_rmse": rmse(test.X @ analytic, test.y),
        "n_features": train.X.shape[1] - 1,  # the featurisation's, without the ones column
    }
    if not outcome.ok:
        final = {**nan_final("train_rmse", "test_rmse"), **analytic_final}
        return RunResult(outcome.history, final, outcome.status, outcome.message, model=model)
    last = outcome.history[-1]
    final = {"train_rmse": last["train_rmse"], "test_rmse": last["test_rmse"], **analytic_final}
    arrays = {
        "test_predictions": np.asarray(model.predict(test.X)),
        "test_targets": np.asarray(test.y),
        "weights": np.array(model.weights_),
        "analytic_weights": np.array(analytic),
    }
    return RunResult(outcome.history, final, arrays=arrays, model=model)


def train_neural(ctx: RunContext) -> RunResult:
    config = ctx.config
    data = ctx.data.ames(bias=False, features=config.features)
    train, test = data.train, data.test
    model = model_class(ctx.engine, "MLP")(
        n_features=train.X.shape[1],
        n_outputs=1,
        hidden_size=config.hidden_size,
        layers=config.layers,
        activation=config.activation,
        learning_rate=config.learning_rate,
        head="regression",
        init=config.init,
        seed=ctx.seed,
    )

    def evaluate() -> dict[str, float]:
        return {
            "train_rmse": model.evaluate(train.X, train.y),
            "test_rmse": model.evaluate(test.X, test.y),
        }

    outcome = train_per_example(ctx, model, train, evaluate, "MLP regression")
    width = {"n_features": train.X.shape[1]}
    if not outcome.ok:
        final = {**nan_final("train_rmse", "test_rmse"), **width}
        return RunResult(outcome.history, final, outcome.status, outcome.message, model=model)
    last = outcome.history[-1]
    final = {"train_rmse": last["train_rmse"], "test_rmse": last["test_rmse"], **width}
    arrays = {
        "test_predictions": np.asarray(model.predict(test.X)),
        "test_targets": np.asarray(test.y),
    }
    return RunResult(outcome.history, final, arrays=arrays, model=model)


ENGINES = engine_names()
# The features of the published table under the default recipe (numeric plus one-hot levels);
# another recipe or a variant file differs a little, which the memory estimate does not need.
AMES_WIDTH = 320

register(
    Experiment(
        name="q2.2a",
        title="Linear regression on Ames (SGD vs closed form)",
        task="regression",
        config_type=LinearRegressionConfig,
        engines=ENGINES,
        train=train_linear,
        figure=("distance_and_rmse", "figure1.png"),
        shape=(AMES_WIDTH + 1, 1),
        description="Per-example SGD from zero against the least-squares solution.",
    )
)
register(
    Experiment(
        name="q2.2b",
        title="Neural regression on Ames",
        task="regression",
        config_type=NeuralRegressionConfig,
        engines=ENGINES,
        train=train_neural,
        figure=("rmse", "figure2.png"),
        shape=(AMES_WIDTH, 1),
        description="MLP with a squared-loss head, He-initialised weights, per-example SGD.",
    )
)
