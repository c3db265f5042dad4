"""The seed statistics against scipy's own t interval, and the three verdicts."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from dlbasics.results.statistics import (
    DOES_NOT_HOLD,
    HOLDS,
    UNDECIDED,
    mean_interval,
    paired_difference,
    verdict,
)


@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=12))
def test_interval_is_scipys_t_interval(values):
    interval = mean_interval(values)
    if np.std(values) == 0:
        assert interval.low == pytest.approx(interval.mean)
        return
    low, high = stats.t.interval(
        0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values)
    )
    assert interval.mean == pytest.approx(np.mean(values), abs=1e-9)
    assert interval.low == pytest.approx(low, rel=1e-9, abs=1e-9)
    assert interval.high == pytest.approx(high, rel=1e-9, abs=1e-9)


def test_one_value_has_no_interval_and_no_verdict():
    interval = mean_interval([0.5])
    assert interval.mean == 0.5 and math.isnan(interval.low) and math.isnan(interval.high)
    assert interval.to_json() == {
        "mean": 0.5,
        "ci_low": None,
        "ci_high": None,
        "n_seeds": 1,
        "per_seed": [0.5],
    }
    assert verdict(interval) == UNDECIDED


def test_verdicts():
    assert verdict(mean_interval([1.0, 1.1, 0.9])) == HOLDS
    assert verdict(mean_interval([-1.0, -1.1, -0.9])) == DOES_NOT_HOLD
    assert verdict(mean_interval([-1.0, 1.0, 0.1])) == UNDECIDED


def test_paired_difference_removes_shared_noise():
    a = [0.80, 0.85, 0.90]
    b = [0.79, 0.84, 0.89]
    assert verdict(mean_interval(a)) == HOLDS
    paired = paired_difference(a, b)
    assert paired.mean == pytest.approx(0.01)
    assert verdict(paired) == HOLDS
    with pytest.raises(ValueError, match="same seeds"):
        paired_difference(a, b[:2])


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least one"):
        mean_interval([])
    with pytest.raises(ValueError, match="confidence"):
        mean_interval([1.0, 2.0], confidence=1.5)
