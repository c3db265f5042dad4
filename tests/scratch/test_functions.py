"""The numerically stable functions of dlbasics.scratch.functions that the report's derivations
use (sigmoid, softplus, log-sigmoid, the binary logistic loss, log-softmax, the multinomial
logistic loss): finite and warning-free for |z| up to 1e3, and in agreement with torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlbasics.scratch.functions import (
    binary_logistic_loss,
    log_sigmoid,
    log_softmax,
    logsumexp,
    multinomial_logistic_loss,
    sigmoid,
    softmax,
    softmax_cross_entropy,
    softplus,
)

FAST = settings(max_examples=25, deadline=None)

logit = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
logit_vector = st.lists(logit, min_size=2, max_size=7).map(np.array)
label = st.sampled_from([-1.0, 1.0])

#: Moderate and extreme inputs: exp overflows past 709.8 and underflows past -745.
EXTREMES = np.array([-1e3, -745.0, -710.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 710.0, 1e3])


def strict(function, *args):
    """Call ``function`` with numpy overflow/invalid/divide and RuntimeWarnings raising."""
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return function(*args)


def as_tensor(values):
    return torch.tensor(np.asarray(values), dtype=torch.float64)


@FAST
@given(logit)
def test_sigmoid_is_finite_warning_free_and_matches_torch(z):
    s = strict(sigmoid, z)
    assert np.isfinite(s) and 0.0 <= s <= 1.0
    assert float(s) == pytest.approx(torch.sigmoid(torch.tensor(z, dtype=torch.float64)).item())
    assert strict(sigmoid, -z) == pytest.approx(1.0 - s, abs=1e-15)


def test_sigmoid_saturates_cleanly_at_the_extremes():
    z = np.array([-1e3, -745.0, -710.0, 0.0, 710.0, 1e3])
    s = strict(sigmoid, z)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5


@FAST
@given(logit_vector)
def test_softmax_is_finite_warning_free_and_matches_torch(z):
    s = strict(softmax, z)
    assert np.all(np.isfinite(s)) and np.all(s >= 0) and s.sum() == pytest.approx(1.0)
    expected = torch.softmax(torch.tensor(z, dtype=torch.float64), 0).numpy()
    np.testing.assert_allclose(s, expected, atol=1e-15)
    log_s = strict(log_softmax, z)
    assert np.all(np.isfinite(log_s))
    expected_log = torch.log_softmax(torch.tensor(z, dtype=torch.float64), 0).numpy()
    np.testing.assert_allclose(log_s, expected_log, rtol=1e-12, atol=1e-12)


@FAST
@given(logit, label)
def test_binary_logistic_loss_is_softplus_of_minus_y_z(z, y):
    loss = strict(binary_logistic_loss, z, y)
    # log(1 + exp(-y z)) = logaddexp(0, -y z). (torch's softplus returns x itself past x = 20.)
    expected = np.logaddexp(0.0, -y * z)
    assert np.isfinite(loss) and float(loss) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_binary_logistic_loss_rejects_labels_other_than_plus_minus_one():
    with pytest.raises(ValueError, match="-1 or \\+1"):
        binary_logistic_loss(0.3, 0.0)


def test_softplus_and_log_sigmoid_match_torch_at_moderate_and_extreme_inputs():
    expected_log_sigmoid = torch.nn.functional.logsigmoid(as_tensor(EXTREMES)).numpy()
    np.testing.assert_allclose(strict(log_sigmoid, EXTREMES), expected_log_sigmoid, rtol=1e-14)
    # torch's softplus switches to x itself past its threshold (20): compare with logaddexp.
    np.testing.assert_allclose(strict(softplus, EXTREMES), np.logaddexp(0.0, EXTREMES), rtol=1e-14)
    assert strict(softplus, np.array([1e3]))[0] == 1e3 and strict(log_sigmoid, [1e3]) == 0.0


def test_multinomial_logistic_loss_matches_torch_and_the_training_loss():
    rows = np.array([[1e3, -1e3, 0.0], [709.0, 710.0, -745.0], [0.1, -0.2, 0.3], [0.0, 0.0, 0.0]])
    for label_ in range(3):
        batch = strict(multinomial_logistic_loss, rows, label_)  # one loss per row
        expected = -torch.log_softmax(as_tensor(rows), -1)[:, label_].numpy()
        np.testing.assert_allclose(batch, expected, rtol=1e-14, atol=1e-14)
        # The same loss rounded another way: logsumexp(z) - z_a cancels digits when |z| ~ 1e3.
        training = logsumexp(rows) - rows[:, label_]
        np.testing.assert_allclose(batch, training, rtol=1e-12, atol=1e-12)
        for row, loss in zip(rows, batch, strict=True):
            cross_entropy, _ = softmax_cross_entropy(row.copy(), label_)
            assert loss == pytest.approx(cross_entropy, rel=1e-12, abs=1e-12)
    assert np.all(np.isfinite(strict(log_softmax, rows)))


def test_check_finite_names_the_argument_and_the_first_bad_row():
    from dlbasics.errors import ConfigError
    from dlbasics.scratch.functions import check_finite

    X = np.ones((5, 3))
    check_finite("X", X)
    check_finite("y", np.arange(5))  # integers: finite by type
    bad = X.copy()
    bad[3, 1] = np.nan
    bad[4, 0] = np.inf
    with pytest.raises(ConfigError, match=r"^X holds a non-finite value \(nan\) in row 3: "):
        check_finite("X", bad)
    with pytest.raises(ConfigError, match=r"^y holds a non-finite value \(-inf\) in row 1"):
        check_finite("y", [0.5, -np.inf])
    assert isinstance(ConfigError("x"), ValueError)
    with pytest.raises(ConfigError, match="y must hold numbers"):
        check_finite("y", np.array(["a", "b"]))


def test_check_finite_reads_an_array_once_and_forgets_it_with_the_array():
    import gc

    from dlbasics.errors import ConfigError
    from dlbasics.scratch import functions

    X = np.ones((4, 2))
    functions.check_finite("X", X)
    assert functions._FINITE[id(X)]() is X
    X[1, 1] = np.nan  # changed in place after its check: remembered, not read again
    functions.check_finite("X", X)
    with pytest.raises(ConfigError, match="in row 1"):
        functions.check_finite("X", X.copy())  # another array: read
    key = id(X)
    del X
    gc.collect()
    assert key not in functions._FINITE
