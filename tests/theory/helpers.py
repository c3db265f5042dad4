"""Shared strategies and helpers of the dlbasics.theory tests."""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from dlbasics import theory

FAST = settings(max_examples=25, deadline=None)
SEEDS = settings(max_examples=4, deadline=None)

logit = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
logit_vector = st.lists(logit, min_size=2, max_size=7).map(np.array)
label = st.sampled_from([-1.0, 1.0])
seed = st.integers(0, 2**32 - 1)

#: The keys of each claim in ``verify-math --json``.
JSON_KEYS = {"name", "method", "cases", "worst_error", "tolerance", "status", "detail"}


def fails(result: theory.ClaimResult) -> bool:
    return result.status == "FAIL"
