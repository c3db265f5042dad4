"""The fast engine's Question 4 training against PyTorch.

Without dropout the fast kernel must follow torch step for step (same initial weights, same
order): SGD and Adam, with and without L2 decay, batch size 1 and larger, 1-3 hidden layers,
relu and tanh. With dropout the masks come from the kernel's own generator: the keep rate,
the 1/(1-p) scaling and the exact use of the documented draws are tested, and accuracy over
several seeds must lie within torch's seed-to-seed spread.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pytest
import torch
from torch import nn

from dlbasics.data.types import Dataset
from dlbasics.errors import ConfigError
from dlbasics.fast import ffn, kernels
from dlbasics.torchnets.models import FeedforwardNetwork, LogisticRegression
from dlbasics.training.networks import fit

torch_fit = partial(fit, engine="torch")
fast_fit = partial(fit, engine="fast")

N_CLASSES = 4
N_FEATURES = 30


@dataclass(frozen=True)
class Split:
    train: Dataset
    dev: Dataset
    test: Dataset


def blobs(n: int, seed: int) -> Dataset:
    """A learnable problem: one Gaussian blob per class, pixel-like values in [0, 1)."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(99).random((N_CLASSES, N_FEATURES))
    y = rng.integers(0, N_CLASSES, size=n)
    X = np.clip(centres[y] + rng.normal(0, 0.35, size=(n, N_FEATURES)), 0, None)
    return Dataset(X.astype(np.float32), y.astype(np.int64))


def linears(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def build(seed: int, layers: int, activation: str, dropout: float = 0.0) -> nn.Module:
    torch.manual_seed(seed)
    return FeedforwardNetwork(
        N_CLASSES,
        N_FEATURES,
        hidden_size=16,
        layers=layers,
        activation=activation,
        dropout=dropout,
    )


def torch_steps(model, X, y, order, *, optimizer, lr, l2, batch_size, epochs):
    cls = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
    opt = cls(model.parameters(), lr=lr, weight_decay=l2)
    losses = []
    for _ in range(epochs):
        Xo, yo = torch.from_numpy(X[order]), torch.from_numpy(y[order])
        for start in range(0, len(order), batch_size):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(
                model(Xo[start : start + batch_size]), yo[start : start + batch_size]
            )
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return float(np.mean(losses))


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("l2", [0.0, 0.01])
@pytest.mark.parametrize("batch_size", [1, 7])
@pytest.mark.parametrize(("layers", "activation"), [(1, "relu"), (2, "tanh"), (3, "relu")])
def test_steps_equal_torch_without_dropout(optimizer, l2, batch_size, layers, activation):
    data = blobs(60, seed=1)
    order = np.random.default_rng(2).permutation(60)
    lr = 0.01 if optimizer == "sgd" else 0.003
    reference = build(5, layers, activation)
    model = build(5, layers, activation)
    trainer = ffn.FastFeedforward(
        model, batch_size=batch_size, optimizer=optimizer, learning_rate=lr, l2_decay=l2, seed=0
    )
    expected_loss = torch_steps(
        reference,
        data.X,
        data.y,
        order,
        optimizer=optimizer,
        lr=lr,
        l2=l2,
        batch_size=batch_size,
        epochs=2,
    )
    loss_sum, batches = 0.0, 0
    for _ in range(2):  # state (Adam's moments and step count) carries over between calls
        part, count = trainer.train_epoch(data.X, data.y, order)
        loss_sum += part
        batches += count
    assert batches == 2 * -(-60 // batch_size)
    assert loss_sum / batches == pytest.approx(expected_loss, rel=1e-5)
    weights, biases = trainer.parameters()
    for layer, w, b in zip(linears(reference), weights, biases, strict=True):
        np.testing.assert_allclose(w, layer.weight.detach().numpy(), rtol=1e-4, atol=2e-6)
        np.testing.assert_allclose(b, layer.bias.detach().numpy(), rtol=1e-4, atol=2e-6)


def test_logistic_regression_equals_torch():
    data = blobs(50, seed=3)
    order = np.arange(50)
    torch.manual_seed(0)
    reference = LogisticRegression(N_CLASSES, N_FEATURES)
    torch.manual_seed(0)
    model = LogisticRegression(N_CLASSES, N_FEATURES)
    trainer = ffn.FastFeedforward(
        model, batch_size=1, optimizer="sgd", learning_rate=0.01, l2_decay=0.0, seed=0
    )
    torch_steps(
        reference,
        data.X,
        data.y,
        order,
        optimizer="sgd",
        lr=0.01,
        l2=0.0,
        batch_size=1,
        epochs=1,
    )
    trainer.train_epoch(data.X, data.y, order)
    trainer.copy_to(model)
    np.testing.assert_allclose(
        model.linear.weight.detach().numpy(),
        reference.linear.weight.detach().numpy(),
        rtol=1e-4,
        atol=1e-6,
    )


def test_fit_follows_torch_fit_epoch_by_epoch_without_dropout():
    """Same seed: same initial weights and the same torch.randperm order every epoch."""
    split = Split(blobs(120, 4), blobs(80, 5), blobs(80, 6))
    kwargs = dict(
        epochs=3, batch_size=4, optimizer="adam", learning_rate=0.003, l2_decay=0.001, seed=11
    )
    torch_result = torch_fit(build(11, 2, "relu"), split, **kwargs)
    fast_result = fast_fit(build(11, 2, "relu"), split, **kwargs)
    assert fast_result.status == "ok"
    for t, f in zip(torch_result.history, fast_result.history, strict=True):
        assert f["epoch"] == t["epoch"]
        assert f["train_loss"] == pytest.approx(t["train_loss"], rel=1e-5)
        assert f["dev_acc"] == t["dev_acc"] and f["test_acc"] == t["test_acc"]
    np.testing.assert_array_equal(fast_result.test_predictions, torch_result.test_predictions)


def splitmix64(state: int, n: int) -> list[float]:
    """SplitMix64 in plain Python integers: the generator the kernel's docstring names."""
    mask = 2**64 - 1
    out = []
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        out.append((z >> 11) / 2**53)
    return out


def test_dropout_generator_is_splitmix64():
    state = np.array([12345], dtype=np.uint64)
    np.testing.assert_array_equal(kernels.uniforms(state, 6), splitmix64(12345, 6))
    np.testing.assert_array_equal(kernels.uniforms(state, 3), splitmix64(12345, 9)[6:])


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
def test_dropout_keeps_one_minus_p_and_scales_by_its_inverse(p):
    n = 40_000
    a = np.random.default_rng(0).random(n).astype(np.float32) + np.float32(0.5)
    scale = np.float32(1) / np.float32(1 - p)  # torch: ones.div_(1 - p) in float32
    h, m = kernels.dropout(a, 1 - p, scale, np.array([7], dtype=np.uint64))
    kept = m != 0
    sigma = np.sqrt(n * p * (1 - p))
    assert abs(kept.sum() - n * (1 - p)) < 5 * sigma
    assert set(np.unique(m)) == {np.float32(0), scale}
    np.testing.assert_array_equal(h, a * m)
    assert np.all(h[~kept] == 0)
    # torch's own masks for comparison: the same keep rate and the same scale value
    torch.manual_seed(0)
    t = nn.functional.dropout(torch.ones(n), p=p, training=True)
    assert set(torch.unique(t).tolist()) == {0.0, float(scale)}
    assert abs((t != 0).sum().item() - n * (1 - p)) < 5 * sigma


def test_no_dropout_draws_nothing():
    a = np.linspace(-1, 1, 11, dtype=np.float32)
    state = np.array([3], dtype=np.uint64)
    h, m = kernels.dropout(a, 1.0, np.float32(1), state)
    np.testing.assert_array_equal(h, a)
    assert state[0] == 3


def test_one_step_with_dropout_uses_the_documented_draws():
    """One SGD step on one example, recomputed in NumPy with the masks m_k = [u_k < 1-p]/(1-p)
    from the SplitMix64 draws u_1..u_16 seeded with the run's seed."""
    p, seed, lr = 0.5, 21, 0.05
    model = build(3, 1, "relu", dropout=p)
    W0, b0, W1, b1 = (t.detach().numpy().copy() for t in model.parameters())
    data = blobs(1, seed=8)
    trainer = ffn.FastFeedforward(
        model, batch_size=1, optimizer="sgd", learning_rate=lr, l2_decay=0.0, seed=seed
    )
    trainer.train_epoch(data.X, data.y, np.array([0]))
    u = np.array(splitmix64(seed, 16))
    mask = np.where(u < 1 - p, np.float32(1) / np.float32(1 - p), np.float32(0))
    x, label = data.X[0], data.y[0]
    z = W0 @ x + b0
    h = np.maximum(z, 0) * mask
    scores = W1 @ h + b1
    g = np.exp(scores - scores.max())
    g /= g.sum()
    g[label] -= 1
    g_hidden = (W1.T @ g) * mask * (z > 0)
    expected = [W0 - lr * np.outer(g_hidden, x), b0 - lr * g_hidden, W1 - lr * np.outer(g, h)]
    weights, biases = trainer.parameters()
    got = [weights[0], biases[0], weights[1]]
    for actual, want in zip(got, expected, strict=True):
        np.testing.assert_allclose(actual, want, rtol=1e-5, atol=1e-7)
    assert 0 < (mask != 0).sum() < 16  # the step really dropped some units
    assert trainer.rng[0] == (seed + 16 * 0x9E3779B97F4A7C15) % 2**64  # 16 draws, no more


def accuracies(fit_function, seeds, split, dropout):
    results = []
    for seed in seeds:
        result = fit_function(
            build(seed, 1, "relu", dropout=dropout),
            split,
            epochs=2,
            batch_size=1,
            optimizer="sgd",
            learning_rate=0.05,
            l2_decay=0.0,
            seed=seed,
        )
        results.append(result.final["dev_acc"])
    return np.array(results)


def test_accuracy_with_dropout_lies_within_torch_seed_spread():
    split = Split(blobs(300, 12), blobs(400, 13), blobs(10, 14))
    seeds = [1, 2, 3, 4]
    torch_acc = accuracies(torch_fit, seeds, split, dropout=0.5)
    fast_acc = accuracies(fast_fit, seeds, split, dropout=0.5)
    spread = max(np.ptp(torch_acc), np.ptp(fast_acc), 0.02)
    assert abs(fast_acc.mean() - torch_acc.mean()) <= spread, (fast_acc, torch_acc)


@pytest.mark.parametrize(
    "model",
    [
        nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2)),
        nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 2)),
        nn.Sequential(
            nn.Linear(3, 4),
            nn.ReLU(),
            nn.Dropout(0.1),
            nn.Linear(4, 4),
            nn.ReLU(),
            nn.Dropout(0.2),
            nn.Linear(4, 2),
        ),
        nn.Sequential(nn.Linear(3, 4), nn.ReLU()),
        nn.Sequential(nn.Dropout(0.1), nn.Linear(3, 4)),
    ],
)
def test_other_architectures_are_refused(model):
    with pytest.raises(ConfigError, match="fast engine trains"):
        ffn.describe(model)


def test_describe_reads_the_q4_networks():
    spec = ffn.describe(build(0, 2, "tanh", dropout=0.3))
    assert len(spec.linears) == 3 and spec.activation == kernels.TANH and spec.dropout == 0.3
    spec = ffn.describe(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    assert spec.dropout == 0.0
    assert len(ffn.describe(LogisticRegression(3, 5)).linears) == 1


def test_fit_refuses_a_gpu():
    split = Split(blobs(4, 0), blobs(4, 1), blobs(4, 2))
    with pytest.raises(ConfigError, match="runs on the CPU"):
        fast_fit(
            build(0, 1, "relu"),
            split,
            epochs=1,
            batch_size=1,
            optimizer="sgd",
            learning_rate=0.01,
            l2_decay=0.0,
            seed=0,
            device="cuda",
        )
