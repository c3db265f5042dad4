"""Question 4: PyTorch logistic regression (``q4-logreg``) and feed-forward network (``q4-ffn``).

Both train on Fashion-MNIST (pixels / 256, no bias column: ``nn.Linear`` has its own bias) with
cross-entropy, per-example updates by default, and report per epoch the mean training loss and
the validation and test accuracy (:mod:`dlbasics.training.networks`). The report's Figures 6
and 7 plot the training loss and the validation accuracy per epoch of the best configuration;
each run draws the same figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlbasics.errors import ConfigError
from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.experiments.registry import register
from dlbasics.training.engines import NETWORK_ENGINES

# The activations of torchnets.models.ACTIVATIONS (a test keeps the two equal; named here so
# that configuring a run imports no torch): the MLP's identity has no PyTorch twin here.
TORCH_ACTIVATIONS = ("relu", "tanh")


@dataclass(frozen=True)
class LogisticRegressionConfig:
    """q4-logreg (Q4.1): the homework's defaults (how every Q4 network is trained)."""

    learning_rate: float = 0.01
    epochs: int = 20
    batch_size: int = 1
    optimizer: str = "sgd"
    l2_decay: float = 0.0


@dataclass(frozen=True)
class FeedforwardConfig(LogisticRegressionConfig):
    """q4-ffn (Q4.2, Q4.3): the homework's defaults: the training settings of q4-logreg, then
    the network's shape."""

    hidden_size: int = 200
    layers: int = 1
    activation: str = "relu"
    dropout: float = 0.3

    def __post_init__(self) -> None:
        if self.activation == "identity":
            raise ConfigError(
                f"invalid --activation {self.activation!r}: the PyTorch network of Question 4 "
                f"takes {' or '.join(TORCH_ACTIVATIONS)}"
            )


def _fit(context: RunContext, build_model: Callable[[int, int], Any]) -> tuple[Any, RunResult]:
    # torch is imported here so that listing experiments does not pay for importing it.
    from dlbasics.training.networks import fit
    from dlbasics.training.torch_runtime import seed_everything

    config = context.config
    data = context.data.fashion_mnist(dtype=np.float32, bias=False)
    n_features = data.train.X.shape[1]
    n_classes = len(data.class_names)
    seed_everything(context.seed)  # same seed -> same initial weights
    model = build_model(n_features, n_classes)
    result = fit(
        model,
        data,
        epochs=int(config.epochs),
        batch_size=int(config.batch_size),
        optimizer=config.optimizer,
        learning_rate=float(config.learning_rate),
        l2_decay=float(config.l2_decay),
        seed=context.seed,
        engine=context.engine,
        device=context.device,
        show_progress=context.show_progress,
    )
    arrays = {
        "test_predictions": result.test_predictions,
        "test_labels": np.asarray(data.test.y, dtype=np.int64),
    }
    run = RunResult(result.history, result.final, result.status, result.message, arrays,
                    model=model, class_names=data.class_names)  # fmt: skip
    return model, run


def train_logreg(context: RunContext) -> RunResult:
    from dlbasics.torchnets.models import LogisticRegression

    model, run = _fit(context, LogisticRegression)
    run.arrays["templates"] = model.templates().numpy().astype(np.float32)
    return run


def train_ffn(context: RunContext) -> RunResult:
    from dlbasics.torchnets.models import FeedforwardNetwork

    config = context.config

    def build(n_features: int, n_classes: int) -> Any:
        return FeedforwardNetwork(
            n_features,
            n_classes,
            hidden_size=int(config.hidden_size),
            layers=int(config.layers),
            activation=config.activation,
            dropout=float(config.dropout),
        )

    _, run = _fit(context, build)
    return run


register(
    Experiment(
        name="q4-logreg",
        title="PyTorch logistic regression",
        task="classification",
        config_type=LogisticRegressionConfig,
        engines=NETWORK_ENGINES,
        train=train_logreg,
        figure=("loss_and_dev_acc", "figure6.png"),
        shape=(28 * 28, 10),
        weight_bytes=4,
        description="Q4.1: one linear layer, cross-entropy, per-example SGD on Fashion-MNIST.",
    )
)
register(
    Experiment(
        name="q4-ffn",
        title="PyTorch feed-forward network",
        task="classification",
        config_type=FeedforwardConfig,
        engines=NETWORK_ENGINES,
        train=train_ffn,
        figure=("loss_and_dev_acc", "figure7.png"),
        shape=(28 * 28, 10),
        weight_bytes=4,
        description=(
            "Q4.2/Q4.3: [Linear, activation, Dropout] x layers, then Linear; cross-entropy, "
            "per-example SGD on Fashion-MNIST."
        ),
    )
)
