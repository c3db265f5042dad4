"""The report's pictures: class templates, confusion matrix, misclassified images."""

from __future__ import annotations

import numpy as np
import pytest

from dlbasics.data.types import FASHION_MNIST_CLASSES
from dlbasics.documents.html import PNG_SIGNATURE
from dlbasics.report import figures


def _is_png(path) -> bool:
    return path.exists() and path.read_bytes().startswith(PNG_SIGNATURE)


def test_confusion_matrix_counts_each_true_predicted_pair():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predictions = np.array([0, 1, 1, 2, 0, 2])
    counts = figures.confusion_matrix(labels, predictions, 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert counts.sum() == len(labels)
    assert np.trace(counts) == np.sum(labels == predictions)


def test_confusion_matrix_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="labels"):
        figures.confusion_matrix(np.zeros(3, int), np.zeros(4, int), 10)


def test_misclassified_indices_are_the_first_wrong_ones_in_test_order():
    labels = np.array([1, 2, 3, 4, 5, 6])
    predictions = np.array([1, 0, 3, 0, 0, 6])
    assert figures.misclassified_indices(labels, predictions, 2).tolist() == [1, 3]
    assert figures.misclassified_indices(labels, labels, 5).tolist() == []


def test_templates_figure_draws_ten_templates_and_drops_the_bias_column(tmp_path):
    rng = np.random.default_rng(0)
    path = figures.templates_figure(
        rng.normal(size=(10, 785)), FASHION_MNIST_CLASSES, tmp_path / "t.png"
    )
    assert _is_png(path)
    with pytest.raises(ValueError, match="templates"):
        figures.templates_figure(np.zeros((10, 100)), FASHION_MNIST_CLASSES, tmp_path / "bad.png")
    assert not (tmp_path / "bad.png").exists()


def test_confusion_and_misclassified_figures(tmp_path):
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 10, size=200)
    predictions = np.where(rng.random(200) < 0.7, labels, rng.integers(0, 10, size=200))
    images = rng.random((200, 784))
    assert _is_png(
        figures.confusion_figure(labels, predictions, FASHION_MNIST_CLASSES, tmp_path / "c.png")
    )
    grid = figures.misclassified_figure(
        images, labels, predictions, FASHION_MNIST_CLASSES, tmp_path / "m.png", title="wrong"
    )
    assert _is_png(grid)
    # A perfect classifier still gets a (captioned) figure, not a crash.
    assert _is_png(
        figures.misclassified_figure(
            images, labels, labels, FASHION_MNIST_CLASSES, tmp_path / "p.png"
        )
    )
    with pytest.raises(ValueError, match="test images"):
        figures.misclassified_figure(
            images[:5], labels, predictions, FASHION_MNIST_CLASSES, tmp_path / "x.png"
        )
