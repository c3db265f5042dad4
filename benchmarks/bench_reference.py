"""Benchmark: the reference engine against a naive per-example NumPy loop of the same model.

For each model of the report, both implementations run the same per-example updates from the
same starting weights over the same examples; the script checks they end with the same weights,
then prints microseconds per example and the projected time of one full epoch, side by side.
Timings interleave the two implementations and keep the best of ``--repeats`` runs, so that a
busy machine disturbs both alike.

    .venv/bin/python benchmarks/bench_reference.py [--examples 3000] [--repeats 3]

Uses the real data when it is available (otherwise random data of the same shapes).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from dlbasics.scratch import MLP, LinearRegression, LogisticRegression, Perceptron

FASHION_TRAIN = 50_000  # examples per epoch of the Q3 runs
AMES_TRAIN = 1_465  # examples per epoch of the Q2 runs


# --- the naive loops: the textbook per-example code, one NumPy call per formula ------------------


def naive_perceptron(W, X, y, order):
    for i in order:
        x = X[i]
        predicted = np.argmax(W.dot(x))
        if predicted != y[i]:
            W[y[i]] = W[y[i]] + x
            W[predicted] = W[predicted] - x


def naive_logistic(W, X, y, order, lr):
    for i in order:
        x = X[i]
        z = W.dot(x)
        p = np.exp(z - np.max(z))
        p = p / np.sum(p)
        one_hot = np.zeros(len(p))
        one_hot[y[i]] = 1.0
        W -= lr * np.outer(p - one_hot, x)


def naive_mlp(weights, biases, X, y, order, lr):
    top = len(weights) - 1
    for i in order:
        hs, zs = [X[i]], []
        for W, b in zip(weights[:top], biases[:top], strict=True):
            z = W.dot(hs[-1]) + b
            zs.append(z)
            hs.append(np.maximum(z, 0.0))
        out = weights[top].dot(hs[top]) + biases[top]
        p = np.exp(out - np.max(out))
        p = p / np.sum(p)
        one_hot = np.zeros(len(p))
        one_hot[y[i]] = 1.0
        g = p - one_hot
        grad_W, grad_b = [None] * (top + 1), [None] * (top + 1)
        for layer in range(top, -1, -1):  # all gradients first, then all updates
            grad_W[layer] = np.outer(g, hs[layer])
            grad_b[layer] = g
            if layer > 0:
                g = weights[layer].T.dot(g) * (zs[layer - 1] > 0)
        for layer in range(top + 1):
            weights[layer] -= lr * grad_W[layer]
            biases[layer] -= lr * grad_b[layer]


def naive_linear(w, X, y, order, lr):
    for i in order:
        w -= lr * (w.dot(X[i]) - y[i]) * X[i]


# --- data ----------------------------------------------------------------------------------------


def fashion_like(bias: bool) -> tuple[np.ndarray, np.ndarray, str]:
    from dlbasics.data import DataOptions
    from dlbasics.errors import DataError

    try:
        data = DataOptions().fashion_mnist(dtype=np.float64, bias=bias).train
        return data.X, data.y, "Fashion-MNIST"
    except DataError:
        rng = np.random.default_rng(0)
        X = rng.random((FASHION_TRAIN, 784)) * (rng.random((FASHION_TRAIN, 784)) < 0.5)
        if bias:
            X = np.hstack([X, np.ones((FASHION_TRAIN, 1))])
        return X, rng.integers(10, size=FASHION_TRAIN), "random, Fashion-MNIST shape"


def ames_like() -> tuple[np.ndarray, np.ndarray, str]:
    from dlbasics.data import DataOptions

    data = DataOptions().ames(bias=True).train
    return data.X, data.y, "Ames"


# --- timing --------------------------------------------------------------------------------------


def best_of(repeats: int, runs: list[Callable[[], None]]) -> list[float]:
    """Best wall time of each callable over ``repeats`` interleaved rounds."""
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for k, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def cases(n_examples: int) -> list[dict]:
    X_biased, y_fashion, source = fashion_like(bias=True)
    X_plain = X_biased[:, :-1]
    X_ames, y_ames, ames_source = ames_like()
    order = np.random.default_rng(0).permutation(len(y_fashion))[:n_examples]
    ames_order = np.random.default_rng(0).permutation(len(y_ames))
    lr = 0.001

    def perceptron():
        model = Perceptron(X_biased.shape[1], 10)
        model.weights_ = np.random.default_rng(1).normal(size=model.weights_.shape)
        return model, [model.weights_.copy()]

    def logistic():
        model = LogisticRegression(X_biased.shape[1], 10, learning_rate=lr)
        return model, [model.weights_.copy()]

    def mlp():
        model = MLP(X_plain.shape[1], 10, hidden_size=200, learning_rate=lr, seed=42)
        return model, [[W.copy() for W in model.weights_], [b.copy() for b in model.biases_]]

    def linear():
        model = LinearRegression(X_ames.shape[1], learning_rate=lr)
        return model, [model.weights_.copy()]

    return [
        {
            "name": "Perceptron (q3.1a)",
            "source": source,
            "make": perceptron,
            "reference": lambda m: m.train_epoch(X_biased, y_fashion, order),
            "naive": lambda s: naive_perceptron(s[0], X_biased, y_fashion, order),
            "final": lambda m, s: [(m.weights_, s[0])],
            "n": len(order),
            "epoch_size": FASHION_TRAIN,
        },
        {
            "name": "LogisticRegression (q3.1b)",
            "source": source,
            "make": logistic,
            "reference": lambda m: m.train_epoch(X_biased, y_fashion, order),
            "naive": lambda s: naive_logistic(s[0], X_biased, y_fashion, order, lr),
            "final": lambda m, s: [(m.weights_, s[0])],
            "n": len(order),
            "epoch_size": FASHION_TRAIN,
        },
        {
            "name": "MLP 784-200-10 (q3.2b)",
            "source": source,
            "make": mlp,
            "reference": lambda m: m.train_epoch(X_plain, y_fashion, order),
            "naive": lambda s: naive_mlp(s[0], s[1], X_plain, y_fashion, order, lr),
            "final": lambda m, s: list(zip(m.weights_ + m.biases_, s[0] + s[1], strict=True)),
            "n": len(order),
            "epoch_size": FASHION_TRAIN,
        },
        {
            "name": "LinearRegression (q2.2a)",
            "source": ames_source,
            "make": linear,
            "reference": lambda m: m.train_epoch(X_ames, y_ames, ames_order),
            "naive": lambda s: naive_linear(s[0], X_ames, y_ames, ames_order, lr),
            "final": lambda m, s: [(m.weights_, s[0])],
            "n": len(ames_order),
            "epoch_size": AMES_TRAIN,
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=3000, help="Fashion-MNIST examples timed")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    header = f"{'model':<28} {'data':<14} {'reference':>14} {'naive':>14} {'ref/naive':>9}"
    print(header)
    print(f"{'':<28} {'':<14} {'us/ex  s/epoch':>14} {'us/ex  s/epoch':>14}")
    print("-" * len(header))
    for case in cases(args.examples):
        # Correctness first: both loops, from the same start, end with the same parameters.
        model, state = case["make"]()
        case["reference"](model)
        case["naive"](state)
        for ours, theirs in case["final"](model, state):
            np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-10)

        def run_reference(case=case):
            case["reference"](case["make"]()[0])

        def run_naive(case=case):
            case["naive"](case["make"]()[1])

        reference, naive = best_of(args.repeats, [run_reference, run_naive])
        cells = []
        for seconds in (reference, naive):
            per_example = seconds / case["n"]
            cells.append(f"{per_example * 1e6:6.1f} {per_example * case['epoch_size']:7.2f}")
        print(
            f"{case['name']:<28} {case['source'][:14]:<14} {cells[0]:>14} {cells[1]:>14} "
            f"{reference / naive:9.2f}"
        )
    print("\ns/epoch: projected from the examples timed to one epoch (50,000 or 1,465 examples).")


if __name__ == "__main__":
    main()
