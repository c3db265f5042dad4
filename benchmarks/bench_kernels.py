"""Benchmark: this tree's fast kernels against another revision's, in one process, as ratios.

    .venv/bin/python benchmarks/bench_kernels.py --before REV [--examples 10000] [--repeats 3]
                                                 [--only perceptron --only logistic ...]

Extracts ``src/dlbasics/fast`` of git revision REV into a temporary folder as the package
``before_fast`` and runs both versions of each kernel on Fashion-MNIST, from the same start over
the same examples: the perceptron and logistic regression (float64, the 785-feature design, a
whole epoch), the MLP 784-200-10 as q3.2b trains it (float32 and float64, the homework
initialisation) and Question 4's network (dropout 0.3, Adam, batch 1, float32). It checks that
the two versions end bit for bit equal (weights, moments, losses), then prints the best of
``--repeats`` interleaved runs of each and the ratio now / before. Interleaving in one process
means a busy machine slows both alike: the ratios are what to read, not the times.

The first run compiles both versions (a minute or two).
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def extract(revision: str, folder: Path) -> None:
    """``src/dlbasics/fast`` of ``revision`` as the package ``before_fast`` in ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src/dlbasics/fast"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    shutil.move(str(folder / "src" / "dlbasics" / "fast"), str(folder / "before_fast"))
    for path in (folder / "before_fast").rglob("*.py"):
        path.write_text(path.read_text().replace("dlbasics.fast", "before_fast"))


def interleaved(runs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """The best time of each run over ``repeats`` rounds, one of each per round."""
    times: dict[str, list[float]] = {key: [] for key in runs}
    for _ in range(repeats):
        for key, run in runs.items():
            start = time.perf_counter()
            run()
            times[key].append(time.perf_counter() - start)
    return {key: min(values) for key, values in times.items()}


def same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a.view(np.uint8), b.view(np.uint8))
    return bool(a == b)


def cases(examples: int) -> list[tuple[str, int, Callable[[Any], tuple]]]:
    """(name, examples, run(package) -> (state...)); run trains a fresh copy and returns it."""
    import torch

    from dlbasics import scratch
    from dlbasics.data.options import DataOptions
    from dlbasics.torchnets.models import FeedforwardNetwork

    linear = DataOptions().fashion_mnist(dtype=np.float64, bias=True).train
    order = np.random.default_rng(0).permutation(len(linear.y))
    y = linear.y.astype(np.int64)
    W0 = np.random.default_rng(1).normal(0.0, 0.01, (10, linear.X.shape[1]))

    def perceptron(pkg):
        W = W0.copy()
        return W, pkg.perceptron.perceptron_epoch(W, linear.X, y, order)

    def logistic(pkg):
        W = W0.copy()
        return W, pkg.logistic.logistic_epoch(W, linear.X, y, order, 0.001)

    found = [
        ("perceptron float64", len(order), perceptron),
        ("logistic float64", len(order), logistic),
    ]
    for dtype in (np.float32, np.float64):
        data = DataOptions().fashion_mnist(dtype=dtype, bias=False).train
        model = scratch.MLP(784, 10, hidden_size=200, learning_rate=0.001, seed=0)

        def mlp(pkg, data=data, model=model, dtype=dtype):
            wt, b, sizes = pkg.layers.pack_layers(model.weights_, model.biases_, dtype)
            labels = data.y.astype(np.int64)
            loss = pkg.mlp.mlp_epoch(
                wt, b, sizes, data.X, labels, order[:examples], dtype(0.001), 0, False
            )
            return wt, b, loss

        found.append((f"mlp {np.dtype(dtype).name} (q3.2b)", examples, mlp))
    data32 = DataOptions().fashion_mnist(dtype=np.float32, bias=False).train
    torch.manual_seed(0)
    network = FeedforwardNetwork(784, 10, 200, 1, "relu", 0.3)

    def q4(pkg):
        trainer = pkg.torch_equivalent.FastFeedforward(
            network, batch_size=1, optimizer="adam", learning_rate=0.001, l2_decay=0.0, seed=0
        )
        loss = trainer.train_epoch(data32.X, data32.y, order[:examples])
        return trainer.wt, trainer.b, trainer.state, loss

    found.append(("q4 float32, dropout 0.3, Adam", examples, q4))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="git revision to compare with")
    parser.add_argument("--examples", type=int, default=10_000, help="examples for mlp and q4")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only", action="append", default=[], help="kernels whose name starts with this"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        extract(args.before, Path(folder))
        sys.path.insert(0, folder)
        packages = {}
        for name, module in (("before", "before_fast"), ("now", "dlbasics.fast")):
            importlib.import_module(module)
            pkg = sys.modules[module]
            for sub in ("perceptron", "logistic", "layers", "mlp", "torch_equivalent"):
                importlib.import_module(f"{module}.{sub}")
            packages[name] = pkg
        print(f"kernels now (this tree) against {args.before}; best of {args.repeats}")
        print(
            "| kernel | examples | before us/example | now us/example | now / before | same bits |"
        )
        print("|---|---:|---:|---:|---:|---|")
        for name, n, run in cases(args.examples):
            if args.only and not any(name.startswith(prefix) for prefix in args.only):
                continue
            results = {key: run(pkg) for key, pkg in packages.items()}  # compiles, and checks
            equal = same(results["before"], results["now"])
            runs = {key: (lambda pkg=pkg, run=run: run(pkg)) for key, pkg in packages.items()}
            times = interleaved(runs, args.repeats)
            before, now = (times[key] / n * 1e6 for key in ("before", "now"))
            print(
                f"| {name} | {n} | {before:.2f} | {now:.2f} | {now / before:.3f} | {'yes' if equal else 'NO'} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
