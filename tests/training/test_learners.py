"""Each engine's learner: chunking the epoch changes no number, on any engine."""

from __future__ import annotations

import numpy as np
import pytest

from dlbasics.torchnets.models import FeedforwardNetwork
from dlbasics.training import loop
from dlbasics.training.networks import fit
from dlbasics.training.torch_runtime import seed_everything
from tests.training.test_networks import FIT, blobs


@pytest.mark.parametrize("engine", ["torch", "fast"])
def test_chunk_size_changes_no_bit_of_a_network_run(engine, monkeypatch):
    """The learner continues the epoch's running loss total: 7-example chunks give the very
    same losses, accuracies and predictions as one chunk per epoch."""
    data = blobs()
    results = []
    for chunk in (7, 10_000):
        monkeypatch.setattr(loop, "CHUNK_EXAMPLES", chunk)
        seed_everything(3)
        model = FeedforwardNetwork(data.train.X.shape[1], 3, hidden_size=8, layers=1, dropout=0.2)
        results.append(fit(model, data, seed=3, engine=engine, **{**FIT, "batch_size": 2}))
    chunked, whole = results
    assert chunked.history == whole.history  # exact, not approximate
    np.testing.assert_array_equal(chunked.test_predictions, whole.test_predictions)


def test_an_unknown_network_engine_is_a_clear_error():
    from dlbasics.errors import ConfigError

    data = blobs()
    with pytest.raises(ConfigError, match="invalid engine 'gpu'"):
        fit(FeedforwardNetwork(12, 3, 4, 1), data, seed=0, engine="gpu", **FIT)
