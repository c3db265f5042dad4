"""The Question 4 PyTorch models: architecture as in the homework, seeding, dropout modes."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlbasics.torchnets.models import FeedforwardNetwork, LogisticRegression
from dlbasics.training.torch_runtime import seed_everything


def test_logistic_regression_is_one_affine_map():
    model = LogisticRegression(n_features=784, n_classes=10)
    assert [type(m) for m in model.modules()][1:] == [nn.Linear]
    x = torch.rand(5, 784)
    scores = model(x)
    assert scores.shape == (5, 10)
    expected = x @ model.linear.weight.T + model.linear.bias
    torch.testing.assert_close(scores, expected)
    assert model.templates().shape == (10, 784)
    assert not model.templates().requires_grad


@pytest.mark.parametrize("layers", [1, 2, 3])
@pytest.mark.parametrize("activation, cls", [("relu", nn.ReLU), ("tanh", nn.Tanh)])
def test_feedforward_architecture_matches_the_homework(layers, activation, cls):
    model = FeedforwardNetwork(
        784, 10, hidden_size=200, layers=layers, activation=activation, dropout=0.3
    )
    blocks = list(model.net)
    assert len(blocks) == 3 * layers + 1
    for i in range(layers):
        linear, act, drop = blocks[3 * i : 3 * i + 3]
        assert isinstance(linear, nn.Linear)
        assert linear.in_features == (784 if i == 0 else 200)
        assert linear.out_features == 200
        assert isinstance(act, cls)
        assert isinstance(drop, nn.Dropout) and drop.p == 0.3
    assert isinstance(blocks[-1], nn.Linear)
    assert (blocks[-1].in_features, blocks[-1].out_features) == (200, 10)
    assert model(torch.rand(4, 784)).shape == (4, 10)


def test_feedforward_rejects_unknown_activation_and_zero_layers():
    with pytest.raises(ValueError, match="activation"):
        FeedforwardNetwork(784, 10, 200, 1, activation="sigmoid")
    with pytest.raises(ValueError, match="layers"):
        FeedforwardNetwork(784, 10, 200, 0)


def _weights(seed: int) -> list[torch.Tensor]:
    seed_everything(seed)
    return [p.detach().clone() for p in FeedforwardNetwork(30, 10, 16, 2).parameters()]


def test_same_seed_same_initial_weights_and_different_seed_different_weights():
    first, again, other = _weights(7), _weights(7), _weights(8)
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(first, other, strict=True))


def test_dropout_is_active_in_training_and_off_in_eval():
    seed_everything(0)
    model = FeedforwardNetwork(8, 3, hidden_size=64, layers=1, dropout=0.5)
    x = torch.rand(2, 8)
    model.eval()
    torch.testing.assert_close(model(x), model(x))
    model.train()
    assert not torch.equal(model(x), model(x))
