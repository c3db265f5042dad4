"""Question 4's fit on the fast engine against the torch engine.

Same seed: the same losses and accuracies epoch by epoch without dropout; with dropout (masks
from the kernel's own generator) accuracy over several seeds within torch's seed-to-seed spread.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from dlbasics.errors import ConfigError
from dlbasics.training.networks import fit
from tests.fast.torch_equivalent.torchlike import Split, blobs, build

torch_fit = partial(fit, engine="torch")
fast_fit = partial(fit, engine="fast")


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
