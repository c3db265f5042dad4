"""verify_all over the table of claims: every check passes on random seeds, results are
deterministic, bad arguments are refused."""

from __future__ import annotations

import pytest
from hypothesis import given

from dlbasics import theory
from dlbasics.errors import ConfigError
from tests.theory.helpers import SEEDS, seed


@SEEDS
@given(seed)
def test_vector_claims_pass_on_random_seeds(draw_seed):
    for number in (3, 4, 5, 7, 8):
        result = theory.CHECKS[number](cases=8, seed=draw_seed)
        assert result.status == "PASS", result.detail
        assert 0.0 <= result.worst_error <= result.tolerance


def test_verify_all_checks_the_eight_claims_deterministically():
    first = theory.verify_all(cases=6, seed=3)
    assert [r.name[0] for r in first] == [str(n) for n in range(1, 9)]
    assert theory.all_passed(first), [r.detail for r in first if r.status != "PASS"]
    assert theory.results_to_json(first) == theory.results_to_json(theory.verify_all(6, 3))
    other_seed = theory.results_to_json(theory.verify_all(cases=6, seed=4))
    assert other_seed != theory.results_to_json(first)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cases": 0}, "--cases"),
        ({"cases": -5}, "--cases"),
        ({"seed": -1}, "--seed"),
        ({"claims": [9]}, "--claim"),
    ],
)
def test_verify_all_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        theory.verify_all(**kwargs)
