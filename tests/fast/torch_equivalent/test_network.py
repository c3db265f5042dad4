"""Reading a torch network into the kernel's layout: the architectures it trains, and no other."""

from __future__ import annotations

import pytest
from torch import nn

from dlbasics.errors import ConfigError
from dlbasics.fast.common import TANH
from dlbasics.fast.torch_equivalent import FastFeedforward, describe
from dlbasics.torchnets.models import LogisticRegression
from tests.fast.torch_equivalent.torchlike import build


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
        describe(model)


def test_describe_reads_the_q4_networks():
    spec = describe(build(0, 2, "tanh", dropout=0.3))
    assert len(spec.linears) == 3 and spec.activation == TANH and spec.dropout == 0.3
    spec = describe(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    assert spec.dropout == 0.0
    assert len(describe(LogisticRegression(5, 3)).linears) == 1


def test_an_unknown_optimizer_is_refused_by_its_parameter_name():
    with pytest.raises(ConfigError, match="invalid optimizer 'rmsprop': must be one of sgd, adam"):
        FastFeedforward(
            build(0, 1, "relu"),
            batch_size=1,
            optimizer="rmsprop",
            learning_rate=0.01,
            l2_decay=0.0,
            seed=0,
        )
