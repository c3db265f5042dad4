"""The cases of ``dlbasics bench`` and how each engine is trained and timed in one.

Cases (examples in random order, one update per example unless said otherwise):

* ``mlp``: 784-200-10 ReLU MLP, plain SGD, lr 0.001, batch 1 (q3.2b): the reference engine
  (NumPy, float64 as q3.2b runs it), the fast engine (float64 and float32), a PyTorch batch-1
  loop (:func:`dlbasics.training.networks.fit`, float32) and scikit-learn's ``MLPClassifier``
  (solver sgd, batch_size 1, no momentum, no L2; one epoch = one of its ``max_iter``).
* ``q4``: the Q4 network 784-200-10 with dropout 0.3 and Adam (lr 0.001), batch 1: the fast
  engine and PyTorch (:func:`dlbasics.training.networks.fit` on either engine).
* ``perceptron`` and ``logistic``: 785 features (bias column), 20 epochs by default: the
  reference engine (per epoch, fewer epochs), the fast engine, and scikit-learn's
  ``Perceptron`` / ``SGDClassifier(loss="log_loss")`` with ``max_iter`` = the epochs,
  ``tol=None`` (no early stop), constant learning rate 0.001 and no penalty for the latter.
  scikit-learn trains one-vs-rest (ten binary models), the report's models are multinomial.

Each case's ``run(options, epochs)`` returns ``(examples, total seconds, compile seconds or
None, note, work)``: ``work`` is what one example needs at least, for the fast engine's
roofline (:func:`dlbasics.bench.roofline.work`; empty for the other engines).
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlbasics.bench.records import BenchOptions
from dlbasics.bench.roofline import work as roofline_work
from dlbasics.bench.timing import WARMUP_EXAMPLES, reset_peak_rss, time_epochs
from dlbasics.data.options import DataOptions


def load_data(options: BenchOptions, dtype: type, bias: bool):
    data = DataOptions(data_dir=options.data_dir, limit=options.limit)
    return data.fashion_mnist(dtype=dtype, bias=bias)


def compile_source() -> str:
    """Whether the fast engine's kernels came from numba's on-disk cache or were compiled."""
    misses = hits = 0
    seen: set[int] = set()
    for name, module in list(sys.modules.items()):
        if name != "dlbasics.fast" and not name.startswith("dlbasics.fast."):
            continue
        for value in vars(module).values():
            stats = getattr(value, "stats", None)
            if id(value) in seen or stats is None or not hasattr(stats, "cache_misses"):
                continue
            seen.add(id(value))  # a kernel imported into several modules counts once
            misses += sum(stats.cache_misses.values())
            hits += sum(stats.cache_hits.values())
    if misses:
        return "compiled"
    return "loaded from cache" if hits else ""


def _scratch_like(engine: str, options: BenchOptions, model_name: str, dtype: type, epochs: int):
    """The reference or fast engine's model ``model_name``, trained ``epochs`` epochs."""
    import importlib

    module = importlib.import_module("dlbasics.fast" if engine == "fast" else "dlbasics.scratch")
    mlp = model_name == "MLP"
    data = load_data(options, dtype, bias=not mlp)
    X, y = data.train.X, data.train.y

    def build():
        cls = getattr(module, model_name)
        if mlp:
            return cls(X.shape[1], 10, hidden_size=200, learning_rate=0.001, seed=0)
        if model_name == "Perceptron":
            return cls(X.shape[1], 10, seed=0)
        return cls(X.shape[1], 10, learning_rate=0.001, seed=0)

    compile_seconds, note, work = None, "", {}
    if engine == "fast":  # compile (or load the compiled kernel from numba's cache) apart
        start = time.perf_counter()
        build().train_epoch(X, y, np.arange(min(WARMUP_EXAMPLES, len(y))))
        compile_seconds = time.perf_counter() - start
        note = f"kernel {compile_source()}; "
        work = roofline_work(_ROOFLINE_CASE[model_name], X)
    model = build()
    total = time_epochs(lambda order: model.train_epoch(X, y, order), len(y), epochs)
    accuracy = model.evaluate(data.dev.X, data.dev.y)
    return len(y), total, compile_seconds, f"{note}dev accuracy {accuracy:.4f}", work


_ROOFLINE_CASE = {"MLP": "mlp", "Perceptron": "perceptron", "LogisticRegression": "logistic"}


def _q4_network(options: BenchOptions, engine: str, dropout: float, optimizer: str, epochs: int):
    """torch's or the fast engine's Q4 fit(), timed on the training split alone."""
    import torch

    from dlbasics.data.types import Dataset, FashionMNIST
    from dlbasics.torchnets.models import FeedforwardNetwork
    from dlbasics.training.networks import fit

    if engine != "fast":
        from dlbasics.training.torch_runtime import THREADS_ENV

        # One thread: batch-1 operations are too small to split, and on a busy machine a
        # second thread makes every step wait for it (measured in docs/fast.md).
        os.environ[THREADS_ENV] = "1"
    data = load_data(options, np.float32, bias=False)
    tiny = Dataset(data.dev.X[:1], data.dev.y[:1])  # evaluation is not what we time

    def run(train: Dataset, n_epochs: int) -> None:
        torch.manual_seed(0)
        model = FeedforwardNetwork(train.X.shape[1], 10, 200, 1, "relu", dropout)
        split = FashionMNIST(train=train, dev=tiny, test=tiny, source="")
        lr = 0.001
        fit(model, split, epochs=n_epochs, batch_size=1, optimizer=optimizer,
            learning_rate=lr, l2_decay=0.0, seed=0, engine=engine)  # fmt: skip

    compile_seconds, note, work = None, "1 thread", {}
    if engine == "fast":
        start = time.perf_counter()
        run(data.train.head(WARMUP_EXAMPLES), 1)
        compile_seconds = time.perf_counter() - start
        note = f"kernel {compile_source()}"
        work = roofline_work("q4", data.train.X)
    reset_peak_rss()
    start = time.perf_counter()
    run(data.train, epochs)
    total = time.perf_counter() - start
    return len(data.train), total, compile_seconds, note, work


def _sklearn(options: BenchOptions, which: str, epochs: int):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Perceptron, SGDClassifier
    from sklearn.neural_network import MLPClassifier

    data = load_data(options, np.float64 if which != "mlp" else np.float32, bias=False)
    X, y = data.train.X, data.train.y
    estimators: dict[str, Any] = {
        "perceptron": Perceptron(max_iter=epochs, tol=None, shuffle=True, random_state=0),
        "logistic": SGDClassifier(
            loss="log_loss", penalty=None, alpha=0.0, learning_rate="constant", eta0=0.001,
            max_iter=epochs, tol=None, shuffle=True, random_state=0,
        ),
        "mlp": MLPClassifier(
            hidden_layer_sizes=(200,), activation="relu", solver="sgd", batch_size=1,
            learning_rate_init=0.001, momentum=0.0, alpha=0.0, max_iter=epochs,
            n_iter_no_change=epochs + 1, shuffle=True, random_state=0,
        ),
    }  # fmt: skip
    estimator = estimators[which]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reset_peak_rss()
        start = time.perf_counter()
        estimator.fit(X, y)
        total = time.perf_counter() - start
    accuracy = float(estimator.score(data.dev.X, data.dev.y))
    return len(y), total, None, f"dev accuracy {accuracy:.4f}", {}


@dataclass(frozen=True)
class Case:
    case: str
    engine: str
    detail: str
    epochs_from: str  # "epochs" or "linear_epochs" (a BenchOptions field)
    run: Callable[[BenchOptions, int], tuple[int, float, float | None, str, dict[str, float]]]


CASES: tuple[Case, ...] = (
    Case("mlp", "reference", "NumPy float64", "epochs",
         lambda o, e: _scratch_like("reference", o, "MLP", np.float64, e)),
    Case("mlp", "fast", "numba float64", "epochs",
         lambda o, e: _scratch_like("fast", o, "MLP", np.float64, e)),
    Case("mlp", "fast32", "numba float32", "epochs",
         lambda o, e: _scratch_like("fast", o, "MLP", np.float32, e)),
    Case("mlp", "torch", "PyTorch batch 1, float32", "epochs",
         lambda o, e: _q4_network(o, "torch", 0.0, "sgd", e)),
    Case("mlp", "sklearn", "MLPClassifier sgd batch 1", "epochs",
         lambda o, e: _sklearn(o, "mlp", e)),
    Case("q4", "fast", "numba float32, dropout 0.3, Adam", "epochs",
         lambda o, e: _q4_network(o, "fast", 0.3, "adam", e)),
    Case("q4", "torch", "PyTorch batch 1, dropout 0.3, Adam", "epochs",
         lambda o, e: _q4_network(o, "torch", 0.3, "adam", e)),
    Case("perceptron", "reference", "NumPy float64", "epochs",
         lambda o, e: _scratch_like("reference", o, "Perceptron", np.float64, e)),
    Case("perceptron", "fast", "numba float64", "linear_epochs",
         lambda o, e: _scratch_like("fast", o, "Perceptron", np.float64, e)),
    Case("perceptron", "sklearn", "Perceptron (one-vs-rest)", "linear_epochs",
         lambda o, e: _sklearn(o, "perceptron", e)),
    Case("logistic", "reference", "NumPy float64", "epochs",
         lambda o, e: _scratch_like("reference", o, "LogisticRegression", np.float64, e)),
    Case("logistic", "fast", "numba float64", "linear_epochs",
         lambda o, e: _scratch_like("fast", o, "LogisticRegression", np.float64, e)),
    Case("logistic", "sklearn", "SGDClassifier log_loss (one-vs-rest)", "linear_epochs",
         lambda o, e: _sklearn(o, "logistic", e)),
)  # fmt: skip

SKIPPABLE = ("reference", "torch", "sklearn")
