"""``dlbasics bench``: per-epoch training time of every engine, side by side, in one run.

Each measurement ("case") runs in a fresh process, one after the other, so that compile
caches, memory peaks and thread pools of one case do not leak into the next. A case loads
Fashion-MNIST (not timed), warms up on 16 examples (numba: compile or load from its cache;
timed apart as ``compile_seconds``), then trains whole epochs on the training split and
reports the mean wall time per epoch and the process's peak resident memory while training
(data and libraries included; on Linux the count restarts after loading, so that loading's
temporary copies do not count).

Cases (examples in random order, one update per example unless said otherwise):

* ``mlp``: 784-200-10 ReLU MLP, plain SGD, lr 0.001, batch 1 (q3.2b): the reference engine
  (NumPy, float64 as q3.2b runs it), the fast engine (float64 and float32), a PyTorch batch-1
  loop (:func:`dlbasics.training.networks.fit`, float32) and scikit-learn's ``MLPClassifier``
  (solver sgd, batch_size 1, no momentum, no L2; one epoch = one of its ``max_iter``).
* ``q4``: the Q4 network 784-200-10 with dropout 0.3 and Adam (lr 0.001), batch 1: the fast
  engine and PyTorch (:func:`dlbasics.training.networks.fit`).
* ``perceptron`` and ``logistic``: 785 features (bias column), 20 epochs by default: the
  reference engine (per epoch, fewer epochs), the fast engine, and scikit-learn's
  ``Perceptron`` / ``SGDClassifier(loss="log_loss")`` with ``max_iter`` = the epochs,
  ``tol=None`` (no early stop), constant learning rate 0.001 and no penalty for the latter.
  scikit-learn trains one-vs-rest (ten binary models), the report's models are multinomial.

Ratios compare the fast engine with PyTorch (same data, same epochs) and with scikit-learn
(same total epochs). The machine is shared while measuring: absolute times vary with its load,
ratios within one run are what counts.
"""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from dlbasics.data.options import DataOptions
from dlbasics.errors import ConfigError

WARMUP_EXAMPLES = 16
MLP_FLOOR_SECONDS = 0.5  # each example streams the 784x200 weight matrix through the cache


@dataclass
class Measurement:
    """One engine on one case."""

    case: str
    engine: str
    detail: str
    epochs: int
    examples: int
    seconds_per_epoch: float
    total_seconds: float
    compile_seconds: float | None = None
    peak_rss_mb: float = math.nan
    note: str = ""


@dataclass
class BenchOptions:
    epochs: int = 1  # epochs per measurement of the MLP-sized cases
    linear_epochs: int = 20  # epochs of the perceptron / logistic regression comparison
    limit: int | None = None  # training examples (None: all 50,000)
    data_dir: Path | None = None
    skip: tuple[str, ...] = ()  # engines to leave out, e.g. ("reference",)
    cases: tuple[str, ...] = ()  # cases to run (empty: all), e.g. ("mlp", "q4")


@dataclass
class BenchReport:
    machine: dict[str, Any]
    options: dict[str, Any]
    measurements: list[Measurement]
    ratios: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        from dlbasics.results.io import to_jsonable

        payload = {
            "machine": self.machine,
            "options": self.options,
            "measurements": [asdict(m) for m in self.measurements],
            "ratios": self.ratios,
            "notes": self.notes,
        }
        return json.dumps(to_jsonable(payload), indent=2, allow_nan=False)


# ---------------------------------------------------------------------------- the cases


def _data(options: BenchOptions, dtype: type, bias: bool):
    data = DataOptions(data_dir=options.data_dir, limit=options.limit)
    return data.fashion_mnist(dtype=dtype, bias=bias)


def _peak_rss_mb() -> float:
    """The process's peak resident memory in MB (since :func:`_reset_peak_rss`, on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux, bytes on macOS
    return peak / (1024 * 1024) if platform.system() == "Darwin" else peak / 1024


def _reset_peak_rss() -> bool:
    """Restart the peak-memory count (Linux: ``5`` into /proc/self/clear_refs), so that the
    peak measures training, not the loading of the data. False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _time_epochs(train_one: Callable[[np.ndarray], Any], n: int, epochs: int) -> float:
    rng = np.random.default_rng(0)
    orders = [rng.permutation(n) for _ in range(epochs)]
    _reset_peak_rss()
    start = time.perf_counter()
    for order in orders:
        train_one(order)
    return time.perf_counter() - start


def _compile_source() -> str:
    """Whether the fast engine's kernels came from numba's on-disk cache or were compiled."""
    from dlbasics.fast import kernels

    misses = hits = 0
    for value in vars(kernels).values():
        stats = getattr(value, "stats", None)
        if stats is not None and hasattr(stats, "cache_misses"):
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
    data = _data(options, dtype, bias=not mlp)
    X, y = data.train.X, data.train.y

    def build():
        cls = getattr(module, model_name)
        if mlp:
            return cls(X.shape[1], 10, hidden_size=200, learning_rate=0.001, seed=0)
        if model_name == "Perceptron":
            return cls(X.shape[1], 10, seed=0)
        return cls(X.shape[1], 10, learning_rate=0.001, seed=0)

    compile_seconds, note = None, ""
    if engine == "fast":  # compile (or load the compiled kernel from numba's cache) apart
        start = time.perf_counter()
        build().train_epoch(X, y, np.arange(min(WARMUP_EXAMPLES, len(y))))
        compile_seconds = time.perf_counter() - start
        note = f"kernel {_compile_source()}; "
    model = build()
    total = _time_epochs(lambda order: model.train_epoch(X, y, order), len(y), epochs)
    accuracy = model.evaluate(data.dev.X, data.dev.y)
    return len(y), total, compile_seconds, f"{note}dev accuracy {accuracy:.4f}"


def _q4_network(options: BenchOptions, engine: str, dropout: float, optimizer: str, epochs: int):
    """torch's or the fast engine's Q4 fit(), timed on the training split alone."""
    import torch

    from dlbasics.data.types import Dataset, FashionMNIST
    from dlbasics.torchnets.models import FeedforwardNetwork
    from dlbasics.training.networks import fit

    if engine != "fast":
        from dlbasics.training.torch_runtime import THREADS_ENV

        # One thread: batch-1 operations are too small to split, and on a busy machine a
        # second thread makes every step wait for it (measured: 10x slower under load).
        os.environ[THREADS_ENV] = "1"
    data = _data(options, np.float32, bias=False)
    tiny = Dataset(data.dev.X[:1], data.dev.y[:1])  # evaluation is not what we time

    def run(train: Dataset, n_epochs: int) -> None:
        torch.manual_seed(0)
        model = FeedforwardNetwork(10, train.X.shape[1], 200, 1, "relu", dropout)
        split = FashionMNIST(train=train, dev=tiny, test=tiny, source="")
        lr = 0.001
        fit(model, split, epochs=n_epochs, batch_size=1, optimizer=optimizer,
            learning_rate=lr, l2_decay=0.0, seed=0, engine=engine)  # fmt: skip

    compile_seconds, note = None, "1 thread"
    if engine == "fast":
        start = time.perf_counter()
        run(data.train.head(WARMUP_EXAMPLES), 1)
        compile_seconds = time.perf_counter() - start
        note = f"kernel {_compile_source()}"
    _reset_peak_rss()
    start = time.perf_counter()
    run(data.train, epochs)
    total = time.perf_counter() - start
    return len(data.train), total, compile_seconds, note


def _sklearn(options: BenchOptions, which: str, epochs: int):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Perceptron, SGDClassifier
    from sklearn.neural_network import MLPClassifier

    data = _data(options, np.float64 if which != "mlp" else np.float32, bias=False)
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
        _reset_peak_rss()
        start = time.perf_counter()
        estimator.fit(X, y)
        total = time.perf_counter() - start
    accuracy = float(estimator.score(data.dev.X, data.dev.y))
    return len(y), total, None, f"dev accuracy {accuracy:.4f}"


@dataclass(frozen=True)
class Case:
    case: str
    engine: str
    detail: str
    epochs_from: str  # "epochs" or "linear_epochs" (a BenchOptions field)
    run: Callable[[BenchOptions, int], tuple[int, float, float | None, str]]


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


def _run_case(index: int, options: BenchOptions) -> Measurement:
    """Run case ``index`` (in a fresh worker process)."""
    case = CASES[index]
    epochs = getattr(options, case.epochs_from)
    examples, total, compile_seconds, note = case.run(options, epochs)
    return Measurement(
        case=case.case,
        engine=case.engine,
        detail=case.detail,
        epochs=epochs,
        examples=examples,
        seconds_per_epoch=total / epochs,
        total_seconds=total,
        compile_seconds=compile_seconds,
        peak_rss_mb=_peak_rss_mb(),
        note=note,
    )


def _failed(case: Case, options: BenchOptions, error: Exception) -> Measurement:
    epochs = getattr(options, case.epochs_from)
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return Measurement(
        case=case.case,
        engine=case.engine,
        detail=case.detail,
        epochs=epochs,
        examples=0,
        seconds_per_epoch=math.nan,
        total_seconds=math.nan,
        note=f"failed: {message}",
    )


def _sklearn_available() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


def run_bench(options: BenchOptions, progress: Callable[[str], None] | None = None) -> BenchReport:
    """Run every case, one fresh process each, and compute the ratios and target checks."""
    if options.epochs < 1 or options.linear_epochs < 1:
        raise ConfigError("--epochs and --linear-epochs must be >= 1")
    if options.limit is not None and options.limit < WARMUP_EXAMPLES:
        raise ConfigError(f"--limit must be at least {WARMUP_EXAMPLES}")
    unknown = sorted(set(options.skip) - set(SKIPPABLE))
    if unknown:
        raise ConfigError(f"cannot skip {', '.join(unknown)}; choose from {', '.join(SKIPPABLE)}")
    case_names = tuple(dict.fromkeys(case.case for case in CASES))
    unknown = sorted(set(options.cases) - set(case_names))
    if unknown:
        raise ConfigError(f"unknown case {', '.join(unknown)}; choose from {', '.join(case_names)}")
    _data(options, np.float32, bias=False)  # a missing data set fails here, once, clearly
    skipped = set(options.skip)
    notes = []
    if not _sklearn_available():
        skipped.add("sklearn")
        notes.append("scikit-learn is not installed: its rows are left out")
    load_before = os.getloadavg()
    measurements = []
    context = get_context("spawn")  # a clean process per case: no shared caches or threads
    for index, case in enumerate(CASES):
        base_engine = "fast" if case.engine.startswith("fast") else case.engine
        if base_engine in skipped or (options.cases and case.case not in options.cases):
            continue
        if progress is not None:
            progress(f"{case.case}: {case.engine} ({case.detail})")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            try:
                measurements.append(pool.submit(_run_case, index, options).result())
            except Exception as error:  # one failed case must not lose the others
                measurements.append(_failed(case, options, error))
    load_after = os.getloadavg()
    report = BenchReport(
        machine=machine_info(load_before, load_after),
        options={
            "epochs": options.epochs,
            "linear_epochs": options.linear_epochs,
            "limit": options.limit,
            "skipped": sorted(skipped),
            "cases": list(options.cases),
        },
        measurements=measurements,
        notes=notes,
    )
    report.ratios = ratios(measurements)
    report.notes += floor_note(measurements)
    return report


def machine_info(load_before: tuple[float, ...], load_after: tuple[float, ...]) -> dict[str, Any]:
    from dlbasics.results.provenance import cpu_name, library_versions

    cpu = cpu_name()
    versions = library_versions()
    try:
        import sklearn

        versions["scikit-learn"] = sklearn.__version__
    except ImportError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": platform.platform(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "versions": versions,
    }


TARGETS = (
    # (case, fast engine, against, what is compared, target ratio)
    ("mlp", "fast32", "torch", "seconds_per_epoch", 0.1),
    ("mlp", "fast", "torch", "seconds_per_epoch", None),
    ("q4", "fast", "torch", "seconds_per_epoch", 0.2),
    ("perceptron", "fast", "sklearn", "total_seconds", 0.1),
    ("logistic", "fast", "sklearn", "total_seconds", 0.1),
    ("mlp", "fast", "sklearn", "seconds_per_epoch", None),
    ("mlp", "fast", "reference", "seconds_per_epoch", None),
    ("perceptron", "fast", "reference", "seconds_per_epoch", None),
    ("logistic", "fast", "reference", "seconds_per_epoch", None),
)


def ratios(measurements: list[Measurement]) -> list[dict[str, Any]]:
    """fast / other time for every pair measured; ``met`` against the issue's targets."""
    found = {(m.case, m.engine): m for m in measurements}
    rows = []
    for case, fast, other, metric, target in TARGETS:
        if (case, fast) not in found or (case, other) not in found:
            continue
        a, b = found[(case, fast)], found[(case, other)]
        if metric == "total_seconds" and a.epochs != b.epochs:
            continue
        if not (math.isfinite(getattr(a, metric)) and math.isfinite(getattr(b, metric))):
            continue  # a failed case
        ratio = getattr(a, metric) / getattr(b, metric)
        rows.append(
            {
                "case": case,
                "fast": fast,
                "against": other,
                "compared": "time per epoch" if metric == "seconds_per_epoch" else
                f"{a.epochs} epochs",
                "ratio": ratio,
                "target": target,
                "met": None if target is None else bool(ratio <= target),
            }
        )  # fmt: skip
    return rows


def floor_note(measurements: list[Measurement]) -> list[str]:
    notes = []
    for m in measurements:
        if m.case == "mlp" and m.engine in ("fast", "fast32") and m.examples >= 50_000:
            notes.append(
                f"MLP epoch, fast engine ({m.detail}): {m.seconds_per_epoch:.2f} s against "
                f"the ~{MLP_FLOOR_SECONDS} s physical floor "
                f"({m.seconds_per_epoch / MLP_FLOOR_SECONDS:.1f}x)"
            )
    return notes


# ---------------------------------------------------------------------------- rendering


def render_table(report: BenchReport) -> str:
    """The report as plain-text tables (Markdown pipe tables, readable in a terminal)."""
    m = report.machine
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores; load average before/after: "
        f"{m['load_average_before'][0]} / {m['load_average_after'][0]} (shared machine: "
        "compare ratios within this run)",
        f"training examples: {report.measurements[0].examples if report.measurements else 0}"
        f"; epochs: {report.options['epochs']} (MLP-sized), "
        f"{report.options['linear_epochs']} (fast and scikit-learn linear models)",
        "",
        "| case | engine | what | epochs | s/epoch | total s | compile s | peak MB | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in report.measurements:
        compile_s = "" if r.compile_seconds is None else f"{r.compile_seconds:.2f}"
        lines.append(
            f"| {r.case} | {r.engine} | {r.detail} | {r.epochs} | {r.seconds_per_epoch:.3f} | "
            f"{r.total_seconds:.2f} | {compile_s} | {r.peak_rss_mb:.0f} | {r.note} |"
        )
    if report.ratios:
        lines += ["", "| case | fast / other | compared | ratio | target | met |",
                  "|---|---|---|---:|---:|---|"]  # fmt: skip
        for ratio in report.ratios:
            target = "" if ratio["target"] is None else f"<= {ratio['target']}"
            met = "" if ratio["met"] is None else ("yes" if ratio["met"] else "NO")
            lines.append(
                f"| {ratio['case']} | {ratio['fast']} / {ratio['against']} | "
                f"{ratio['compared']} | {ratio['ratio']:.3f} | {target} | {met} |"
            )
    if report.notes:
        lines += [""] + [f"note: {n}" for n in report.notes]
    return "\n".join(lines)
