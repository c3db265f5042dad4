"""fit()'s inputs: tensors, arrays, pairs, DataLoaders; dev and test optional; clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data import Dataset as TorchDataset

from dlbasics.torchnets.models import FeedforwardNetwork, LogisticRegression
from dlbasics.training.fit_inputs import as_dataset
from dlbasics.training.networks import fit
from dlbasics.training.torch_runtime import seed_everything
from tests.training.test_networks import blobs

SETTINGS = {"epochs": 2, "learning_rate": 0.05, "seed": 4}


def _fit_logreg(*args, **kwargs):
    seed_everything(0)
    model = LogisticRegression(12, 3)
    return model, fit(model, *args, **{**SETTINGS, **kwargs})


def test_tensors_arrays_pairs_and_splits_train_the_same_model():
    data = blobs()
    _, from_splits = _fit_logreg(data)
    X, y = data.train.X, data.train.y
    dev, test = (data.dev.X, data.dev.y), (torch.from_numpy(data.test.X), data.test.y)
    _, from_arrays = _fit_logreg(X, y, dev=dev, test=test)
    _, from_tensors = _fit_logreg(torch.from_numpy(X), torch.from_numpy(y), dev=dev, test=test)
    _, from_pair = _fit_logreg((X, y), dev=data.dev, test=data.test)
    for result in (from_arrays, from_tensors, from_pair):
        assert result.history == from_splits.history
        np.testing.assert_array_equal(result.test_predictions, from_splits.test_predictions)


def test_without_dev_or_test_only_the_training_loss_is_recorded():
    data = blobs()
    _, result = _fit_logreg(data.train.X, data.train.y)
    assert [set(record) for record in result.history] == [{"epoch", "train_loss"}] * 2
    assert set(result.final) == {"train_loss"} and result.test_predictions.size == 0
    _, with_dev = _fit_logreg(data.train.X, data.train.y, dev=data.dev)
    assert set(with_dev.final) == {"train_loss", "dev_acc"}
    assert [r["train_loss"] for r in with_dev.history] == [r["train_loss"] for r in result.history]


class Pairs(TorchDataset):
    """A map-style dataset of (image, label) pairs, as torchvision's datasets are."""

    def __init__(self, X: np.ndarray, y: np.ndarray) -> None:
        self.X, self.y = X, y

    def __len__(self) -> int:
        return len(self.y)

    def __getitem__(self, i: int):
        return torch.from_numpy(self.X[i].reshape(3, 4)), int(self.y[i])


def test_a_dataloader_gives_its_data_and_batch_size_but_not_its_shuffle():
    data = blobs()
    X, y = torch.from_numpy(data.train.X), torch.from_numpy(data.train.y)
    _, expected = _fit_logreg(X, y, dev=data.dev, batch_size=8)
    for loader in (
        DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True),
        DataLoader(Pairs(data.train.X, data.train.y), batch_size=8),
    ):
        _, result = _fit_logreg(
            loader, dev=DataLoader(TensorDataset(*map(torch.from_numpy, (data.dev.X, data.dev.y))))
        )
        assert result.history == expected.history


def test_the_fast_engine_takes_the_same_inputs():
    data = blobs()
    seed_everything(0)
    model = FeedforwardNetwork(12, 3, hidden_size=8)
    result = fit(model, torch.from_numpy(data.train.X), data.train.y, engine="fast", epochs=1)
    assert result.status == "ok" and set(result.final) == {"train_loss"}


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ("pixels", "must be a Dataset, an \\(X, y\\) pair .* not str"),
        ((np.zeros((4, 12)), np.zeros(3)), "X has 4 rows but y has 3 labels"),
        ((np.zeros((4, 5)), np.zeros(4)), "X has 5 features but the model takes 12"),
        ((np.zeros((4, 12)), np.array([0, 1, 2, 3])), "class indices 0..2, found 0..3"),
        ((np.zeros((4, 12)), np.array([0, 0.5, 1, 1])), "class indices 0, 1, ..., n_classes"),
        ((np.zeros(4), np.zeros(4)), "one row per example, got shape \\(4,\\)"),
    ],
)
def test_bad_inputs_are_one_clear_value_error(split, message):
    with pytest.raises(ValueError, match=message):
        as_dataset(split, "the training data", LogisticRegression(12, 3))


def test_float_labels_that_are_whole_numbers_are_accepted():
    dataset = as_dataset(
        (np.zeros((2, 12)), np.array([2.0, 0.0])), "dev", LogisticRegression(12, 3)
    )
    assert dataset.y.dtype == np.int64 and dataset.y.tolist() == [2, 0]
    assert dataset.X.dtype == np.float32
