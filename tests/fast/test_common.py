"""The input checks before the kernels (which index without bounds checks), and an empty order."""

from __future__ import annotations

import numpy as np
import pytest

from dlbasics.fast.logistic import LogisticRegression, logistic_epoch
from dlbasics.fast.perceptron import perceptron_epoch


@pytest.mark.parametrize(
    ("X_shape", "y", "order", "message"),
    [
        ((5, 3), [0, 1, 2, 0, 1], [0, 5], "order holds indices"),
        ((5, 3), [0, 1, 2, 0, 1], [-1], "order holds indices"),
        ((5, 3), [0, 1, 9, 0, 1], [0, 1], "labels must be integers"),
        ((5, 4), [0, 1, 2, 0, 1], [0, 1], "X must have shape"),
        ((5, 3), [0, 1, 2], [0, 1], "y must have shape"),
    ],
)
def test_bad_input_is_refused_before_the_kernel(X_shape, y, order, message):
    # the kernels do not check bounds: an out-of-range index must never reach them
    model = LogisticRegression(n_features=3, n_classes=3)
    with pytest.raises(ValueError, match=message):
        model.train_epoch(np.ones(X_shape), np.array(y), np.array(order))


def test_empty_order_changes_nothing():
    W = np.ones((3, 4))
    X = np.ones((2, 4))
    y = np.array([0, 1])
    empty = np.array([], dtype=np.int64)
    assert logistic_epoch(W, X, y, empty, 0.1) == 0.0
    assert perceptron_epoch(W, X, y, empty) == 0
    np.testing.assert_array_equal(W, np.ones((3, 4)))
