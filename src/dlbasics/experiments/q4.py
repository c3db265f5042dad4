"""Question 4: PyTorch logistic regression (``q4-logreg``) and feed-forward network (``q4-ffn``).

Both train on Fashion-MNIST (pixels / 256, no bias column: ``nn.Linear`` has its own bias) with
cross-entropy, per-example updates by default, and report per epoch the mean training loss and
the validation and test accuracy. The report's Figures 6 and 7 plot the training loss and the
validation accuracy per epoch of the best configuration; each run draws the same figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.experiments.registry import register

TORCH = "torch"
FAST = "fast"  # dlbasics.fast.ffn: the same training, compiled (tests/fast/test_ffn.py)

LOGREG_DEFAULTS: dict[str, Any] = {
    "learning_rate": 0.01,
    "epochs": 20,
    "batch_size": 1,
    "optimizer": "sgd",
    "l2_decay": 0.0,
}
FFN_DEFAULTS: dict[str, Any] = {
    "learning_rate": 0.01,
    "epochs": 20,
    "batch_size": 1,
    "optimizer": "sgd",
    "l2_decay": 0.0,
    "hidden_size": 200,
    "layers": 1,
    "activation": "relu",
    "dropout": 0.3,
}


def _fit(context: RunContext, build_model) -> tuple[Any, RunResult]:
    # torch is imported here so that listing experiments does not pay for importing it.
    from dlbasics.torchnets.train import fit, seed_everything

    if context.engine == FAST:
        from dlbasics.fast.ffn import fit
    config = context.config
    data = context.data.fashion_mnist(dtype=np.float32, bias=False)
    n_features = data.train.X.shape[1]
    n_classes = len(data.class_names)
    seed_everything(context.seed)  # same seed -> same initial weights
    model = build_model(n_classes, n_features)
    result = fit(
        model,
        data,
        epochs=int(config["epochs"]),
        batch_size=int(config["batch_size"]),
        optimizer=config["optimizer"],
        learning_rate=float(config["learning_rate"]),
        l2_decay=float(config["l2_decay"]),
        seed=context.seed,
        device=context.device,
        show_progress=context.show_progress,
    )
    arrays = {
        "test_predictions": result.test_predictions,
        "test_labels": np.asarray(data.test.y, dtype=np.int64),
    }
    run = RunResult(result.history, result.final, result.status, result.message, arrays)
    return model, run


def train_logreg(context: RunContext) -> RunResult:
    from dlbasics.torchnets.models import LogisticRegression

    model, run = _fit(context, LogisticRegression)
    run.arrays["templates"] = model.templates().numpy().astype(np.float32)
    return run


def train_ffn(context: RunContext) -> RunResult:
    from dlbasics.torchnets.models import FeedforwardNetwork

    config = context.config

    def build(n_classes: int, n_features: int):
        return FeedforwardNetwork(
            n_classes,
            n_features,
            hidden_size=int(config["hidden_size"]),
            layers=int(config["layers"]),
            activation=config["activation"],
            dropout=float(config["dropout"]),
        )

    _, run = _fit(context, build)
    return run


def training_figure(metrics: dict[str, Any], out: Path, filename: str) -> list[Path]:
    """Training loss (left) and validation accuracy (right) per epoch, as Figures 6 and 7."""
    from dlbasics.plotting.plots import panels_figure

    history = metrics.get("history") or []
    epochs = [record["epoch"] for record in history]
    lr = metrics["config"]["learning_rate"]
    label = f"learning rate {lr}"
    panels = [
        {
            "series": {label: (epochs, [r["train_loss"] for r in history])},
            "xlabel": "epoch",
            "ylabel": "training loss",
            "title": "Training loss",
        },
        {
            "series": {label: (epochs, [r["dev_acc"] for r in history])},
            "xlabel": "epoch",
            "ylabel": "validation accuracy",
            "title": "Validation accuracy",
        },
    ]
    return [panels_figure(panels, out / filename, title=metrics.get("title", ""))]


register(
    Experiment(
        name="q4-logreg",
        title="PyTorch logistic regression",
        task="classification",
        defaults=LOGREG_DEFAULTS,
        engines=(FAST, TORCH),
        train=train_logreg,
        figures=lambda metrics, out: training_figure(metrics, out, "figure6.png"),
        description="Q4.1: one linear layer, cross-entropy, per-example SGD on Fashion-MNIST.",
    )
)
register(
    Experiment(
        name="q4-ffn",
        title="PyTorch feed-forward network",
        task="classification",
        defaults=FFN_DEFAULTS,
        engines=(FAST, TORCH),
        train=train_ffn,
        figures=lambda metrics, out: training_figure(metrics, out, "figure7.png"),
        description=(
            "Q4.2/Q4.3: [Linear, activation, Dropout] x layers, then Linear; cross-entropy, "
            "per-example SGD on Fashion-MNIST."
        ),
    )
)
