"""The torch-equivalent kernel against PyTorch, step for step.

Without dropout the fast kernel must follow torch step for step (same initial weights, same
order): SGD and Adam, with and without L2 decay, batch size 1 and larger, 1-3 hidden layers,
relu and tanh. With dropout the masks come from the kernel's own generator: one step is
recomputed in NumPy from the documented draws.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlbasics.fast.torch_equivalent import FastFeedforward
from dlbasics.torchnets.models import LogisticRegression
from tests.fast.torch_equivalent.torchlike import (
    N_CLASSES,
    N_FEATURES,
    blobs,
    build,
    linears,
    splitmix64,
    torch_steps,
)


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
    trainer = FastFeedforward(
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
    reference = LogisticRegression(N_FEATURES, N_CLASSES)
    torch.manual_seed(0)
    model = LogisticRegression(N_FEATURES, N_CLASSES)
    trainer = FastFeedforward(
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


def test_one_step_with_dropout_uses_the_documented_draws():
    """One SGD step on one example, recomputed in NumPy with the masks m_k = [u_k < 1-p]/(1-p)
    from the SplitMix64 draws u_1..u_16 seeded with the run's seed."""
    p, seed, lr = 0.5, 21, 0.05
    model = build(3, 1, "relu", dropout=p)
    W0, b0, W1, b1 = (t.detach().numpy().copy() for t in model.parameters())
    data = blobs(1, seed=8)
    trainer = FastFeedforward(
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
