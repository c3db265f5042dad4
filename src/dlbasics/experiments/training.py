"""The per-epoch loop shared by the Q2 and Q3 experiments, and the engines that run them.

Engines: every engine is a module exposing the same four model classes with the same
constructors and methods (``Perceptron``, ``LogisticRegression``, ``MLP``, ``LinearRegression``;
see docs/models.md). :data:`ENGINES` maps an engine name to its module; it is the one place to add
an engine, and the Q2/Q3 experiments offer exactly the engines listed here, the first being the
default.

The loop (:func:`train_epochs`), for ``epoch = 1..epochs``:

1. draw ``order = rng.permutation(n)`` from one generator ``np.random.default_rng(seed)``,
   created once per run after the model (which seeds its own generator for its initialisation);
2. call ``model.train_epoch(X, y, chunk)`` on consecutive slices of ``order`` (the same updates as
   one call on all of ``order``; the slices only let the examples bar move) and average the
   returned losses, weighted by slice length;
3. evaluate (the experiment's ``evaluate`` callback) and append one record to the history.

A non-finite loss, weight or evaluation figure stops the run at that epoch with status
``"diverged"`` and a message naming the epoch and suggesting a smaller learning rate.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlbasics.data.types import Dataset
from dlbasics.errors import ConfigError
from dlbasics.progress import bar

# engine name -> module holding the model classes. The first entry is the default engine.
ENGINES: dict[str, str] = {
    "fast": "dlbasics.fast",  # numba-compiled, same updates (tests/fast/, docs/fast.md)
    "reference": "dlbasics.scratch",
}

# Examples per ``train_epoch`` call: small enough for a lively progress bar, large enough that
# the per-call overhead does not matter.
CHUNK_SIZE = 2000


def check_init(init: str) -> None:
    """Reject an unknown MLP initialisation before any data is loaded."""
    from dlbasics.scratch.mlp import INITS

    if init not in INITS:
        raise ConfigError(f"invalid --init {init!r}: must be one of {', '.join(INITS)}")


def engine_names() -> tuple[str, ...]:
    """The engines the Q2/Q3 experiments accept, default first."""
    return tuple(ENGINES)


def model_class(engine: str, name: str) -> type:
    """The class ``name`` (e.g. ``"MLP"``) of engine ``engine``."""
    module = importlib.import_module(ENGINES[engine])
    return getattr(module, name)


@dataclass
class TrainingOutcome:
    """The history of the finished epochs and whether training stayed finite."""

    history: list[dict[str, float]]
    status: str = "ok"
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def learned_arrays(model: Any) -> list[np.ndarray]:
    """Every learned array of ``model``: its attributes ending in ``_`` (arrays or lists of them)."""
    arrays: list[np.ndarray] = []
    for name, value in vars(model).items():
        if not name.endswith("_") or name.startswith("_"):
            continue
        items = value if isinstance(value, list | tuple) else [value]
        arrays.extend(item for item in items if isinstance(item, np.ndarray))
    return arrays


def all_finite(model: Any) -> bool:
    return all(bool(np.isfinite(array).all()) for array in learned_arrays(model))


def train_epochs(
    model: Any,
    train: Dataset,
    *,
    epochs: int,
    seed: int,
    evaluate: Callable[[], dict[str, float]],
    show_progress: bool = False,
    desc: str = "training",
) -> TrainingOutcome:
    """Train ``model`` for ``epochs`` epochs of per-example updates (see the module docstring).

    ``evaluate()`` returns the figures recorded after each epoch besides ``epoch`` and
    ``train_loss`` (e.g. ``dev_acc``, ``test_rmse``).
    """
    # Overflow is reported as divergence below, so numpy's own warnings would only add noise.
    with np.errstate(over="ignore", invalid="ignore"):
        return _train_epochs(model, train, epochs, seed, evaluate, show_progress, desc)


def _train_epochs(
    model: Any,
    train: Dataset,
    epochs: int,
    seed: int,
    evaluate: Callable[[], dict[str, float]],
    show_progress: bool,
    desc: str,
) -> TrainingOutcome:
    rng = np.random.default_rng(seed)
    n = len(train)
    history: list[dict[str, float]] = []
    epoch_bar = bar(range(1, epochs + 1), enabled=show_progress, desc=desc, unit="epoch")
    for epoch in epoch_bar:
        order = rng.permutation(n)
        loss_sum = 0.0
        with bar(
            total=n, enabled=show_progress, desc=f"epoch {epoch}", unit="ex", leave=False
        ) as examples_bar:
            for start in range(0, n, CHUNK_SIZE):
                chunk = order[start : start + CHUNK_SIZE]
                chunk_loss = float(model.train_epoch(train.X, train.y, chunk))
                if not (math.isfinite(chunk_loss) and all_finite(model)):
                    epoch_bar.close()
                    return _diverged(history, model, epoch, "training loss or weights")
                loss_sum += chunk_loss * len(chunk)
                examples_bar.update(len(chunk))
        record = {"epoch": epoch, "train_loss": loss_sum / max(n, 1), **evaluate()}
        bad = [key for key, value in record.items() if not math.isfinite(value)]
        if bad:
            epoch_bar.close()
            return _diverged(history, model, epoch, ", ".join(bad))
        history.append(record)
        epoch_bar.set_postfix(_postfix(record))
    return TrainingOutcome(history)


def _diverged(
    history: list[dict[str, float]], model: Any, epoch: int, what: str
) -> TrainingOutcome:
    learning_rate = getattr(model, "learning_rate", None)
    hint = (
        f"try a smaller --learning-rate (this run used {learning_rate:g})"
        if learning_rate is not None
        else "try a smaller --learning-rate"
    )
    message = f"training diverged in epoch {epoch}: non-finite {what}; {hint}"
    return TrainingOutcome(history, status="diverged", message=message)


# The figures shown beside the epochs bar (when present): few, so that the bar keeps its width.
_POSTFIX_KEYS = ("train_loss", "dev_acc", "test_rmse")


def _postfix(record: dict[str, float]) -> dict[str, str]:
    return {key: f"{record[key]:.4f}" for key in _POSTFIX_KEYS if key in record}


def split_figures(history: list[dict[str, float]], *keys: str) -> dict[str, list[float]]:
    """Columns of ``history``: ``{"epoch": [...], key: [...]}`` for each of ``keys``."""
    return {key: [record[key] for record in history] for key in ("epoch", *keys)}


def figure_title(metrics: dict[str, Any]) -> str:
    """``"Q3.1b: Logistic regression on Fashion-MNIST"`` from a run's metrics."""
    return f"Q{metrics['experiment'][1:]}: {metrics['title']}"


def nan_final(*keys: str) -> dict[str, float]:
    """The ``final`` figures of a run that diverged: not-a-number (written as JSON null)."""
    return dict.fromkeys(keys, math.nan)
