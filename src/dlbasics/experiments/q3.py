"""Question 3 of the report: Fashion-MNIST classifiers trained one example at a time.

* ``q3.1a``: multi-class perceptron, 20 epochs (report: dev 0.7126, test 0.7013; Figure 3).
* ``q3.1b``: multinomial logistic regression, lr 0.001, 20 epochs (0.8503 / 0.8403; Figure 4).
* ``q3.2b``: MLP with one hidden layer of 200 ReLU units, lr 0.001, 20 epochs, the homework's
  N(0.1, 0.1^2) initialisation (0.8761 / 0.8699; Figure 5).

Perceptron and logistic regression see pixels/256 plus a ones column (bias folded in); the MLP
sees the pixels alone, since its layers have biases. Per epoch the history records ``train_loss``
(the perceptron's is its mistake rate), ``train_acc``, ``dev_acc`` and ``test_acc``; ``final``
holds the last epoch's ``dev_acc`` and ``test_acc``. Arrays saved for the report:
``test_predictions`` and ``test_labels`` (all three) and ``templates``, the (10, 784) weights
without the bias column (perceptron and logistic regression).

Figures (file names fixed; drawn by :mod:`dlbasics.plotting.run_figures`): ``figure3.png``
(q3.1a), ``figure4.png`` (q3.1b), ``figure5.png`` (q3.2b): train, validation and test accuracy
per epoch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlbasics.data.types import FashionMNIST
from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.experiments.per_example import nan_final, train_per_example
from dlbasics.experiments.registry import register
from dlbasics.training.engines import engine_names, model_class

N_CLASSES = 10
PIXELS = 28 * 28


@dataclass(frozen=True)
class PerceptronConfig:
    """q3.1a: the report's hyperparameters."""

    epochs: int = 20


@dataclass(frozen=True)
class LogisticRegressionConfig:
    """q3.1b: the report's hyperparameters."""

    epochs: int = 20
    learning_rate: float = 0.001


@dataclass(frozen=True)
class MLPConfig:
    """q3.2b: the report's hyperparameters (the homework's N(0.1, 0.1^2) initialisation)."""

    epochs: int = 20
    learning_rate: float = 0.001
    hidden_size: int = 200
    layers: int = 1
    activation: str = "relu"
    init: str = "homework"


def train_perceptron(ctx: RunContext) -> RunResult:
    data = ctx.data.fashion_mnist(dtype=np.float64, bias=True)
    model = model_class(ctx.engine, "Perceptron")(
        n_features=data.train.X.shape[1], n_classes=N_CLASSES, seed=ctx.seed
    )
    return _train_classifier(ctx, model, data, templates=True)


def train_logistic(ctx: RunContext) -> RunResult:
    data = ctx.data.fashion_mnist(dtype=np.float64, bias=True)
    model = model_class(ctx.engine, "LogisticRegression")(
        n_features=data.train.X.shape[1],
        n_classes=N_CLASSES,
        learning_rate=ctx.config.learning_rate,
        seed=ctx.seed,
    )
    return _train_classifier(ctx, model, data, templates=True)


def train_mlp(ctx: RunContext) -> RunResult:
    config = ctx.config
    data = ctx.data.fashion_mnist(dtype=np.float64, bias=False)
    model = model_class(ctx.engine, "MLP")(
        n_features=data.train.X.shape[1],
        n_outputs=N_CLASSES,
        hidden_size=config.hidden_size,
        layers=config.layers,
        activation=config.activation,
        learning_rate=config.learning_rate,
        head="classification",
        init=config.init,
        seed=ctx.seed,
    )
    return _train_classifier(ctx, model, data, templates=False)


def _train_classifier(
    ctx: RunContext, model: Any, data: FashionMNIST, *, templates: bool
) -> RunResult:
    train, dev, test = data.train, data.dev, data.test

    def evaluate() -> dict[str, float]:
        return {
            "train_acc": model.evaluate(train.X, train.y),
            "dev_acc": model.evaluate(dev.X, dev.y),
            "test_acc": model.evaluate(test.X, test.y),
        }

    outcome = train_per_example(ctx, model, train, evaluate, type(model).__name__)
    if not outcome.ok:
        final = nan_final("dev_acc", "test_acc")
        return RunResult(outcome.history, final, outcome.status, outcome.message, model=model,
                         class_names=data.class_names)  # fmt: skip
    last = outcome.history[-1]
    arrays = {
        "test_predictions": np.asarray(model.predict(test.X), dtype=np.int64),
        "test_labels": np.asarray(test.y, dtype=np.int64),
    }
    if templates:
        arrays["templates"] = np.array(model.weights_[:, :-1])  # drop the bias column
    final = {"dev_acc": last["dev_acc"], "test_acc": last["test_acc"]}
    return RunResult(
        outcome.history, final, arrays=arrays, model=model, class_names=data.class_names
    )


ENGINES = engine_names()

register(
    Experiment(
        name="q3.1a",
        title="Perceptron on Fashion-MNIST",
        task="classification",
        config_type=PerceptronConfig,
        engines=ENGINES,
        train=train_perceptron,
        figure=("accuracy", "figure3.png"),
        shape=(PIXELS + 1, N_CLASSES),
        description="Multi-class perceptron, bias folded in, mistake-driven per-example updates.",
    )
)
register(
    Experiment(
        name="q3.1b",
        title="Logistic regression on Fashion-MNIST",
        task="classification",
        config_type=LogisticRegressionConfig,
        engines=ENGINES,
        train=train_logistic,
        figure=("accuracy", "figure4.png"),
        shape=(PIXELS + 1, N_CLASSES),
        description="Multinomial logistic regression, zero init, per-example SGD.",
    )
)
register(
    Experiment(
        name="q3.2b",
        title="Multi-layer perceptron on Fashion-MNIST",
        task="classification",
        config_type=MLPConfig,
        engines=ENGINES,
        train=train_mlp,
        figure=("accuracy", "figure5.png"),
        shape=(PIXELS, N_CLASSES),
        description="MLP, N(0.1, 0.1^2) weights and zero biases, softmax cross-entropy, "
        "per-example SGD.",
    )
)
