"""The one parser of ``--seeds``: a count from ``--seed``, a range, a list; bad values refused."""

from __future__ import annotations

import pytest

from dlbasics.errors import ConfigError
from dlbasics.training.hyperparameters import MAX_SEED, MAX_SEEDS, check_seeds, parse_seeds


def test_a_count_starts_at_the_primary_seed_so_the_single_seed_run_is_the_first():
    assert parse_seeds("5") == (42, 43, 44, 45, 46)
    assert parse_seeds("3", seed=7) == (7, 8, 9)
    assert parse_seeds("1") == (42,)
    assert parse_seeds(None, seed=9) == (9,)


def test_ranges_and_lists_keep_their_order():
    assert parse_seeds("1-5") == (1, 2, 3, 4, 5)
    assert parse_seeds("7, 3,5") == (7, 3, 5)
    assert parse_seeds("0-2,9") == (0, 1, 2, 9)
    assert parse_seeds("4-4") == (4,)
    assert len(parse_seeds(f"0-{MAX_SEEDS - 1}")) == MAX_SEEDS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "the number of seeds must be >= 1"),
        (str(MAX_SEEDS + 1), f"<= {MAX_SEEDS}"),
        (f"0-{MAX_SEEDS}", f"at most {MAX_SEEDS} seeds"),
        ("5-3", "the range 5-3 is empty"),
        ("1,2,1", "seed 1 given twice"),
        ("1-3,2", "seed 2 given twice"),
        ("", "expected N"),
        ("a", "expected N"),
        ("-1", "expected N"),
        ("1,,2", "expected N"),
        ("1.5", "expected N"),
        (f"{MAX_SEED}-{MAX_SEED + 1}", "must be an integer >= 0"),
    ],
)
def test_bad_seeds_are_one_clear_error(text, message):
    with pytest.raises(ConfigError, match="invalid --seeds") as error:
        parse_seeds(text)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_count_past_the_largest_seed_is_refused():
    with pytest.raises(ConfigError, match="must be an integer >= 0"):
        parse_seeds("2", seed=MAX_SEED)


def test_check_seeds_takes_any_valid_tuple_including_seed_zero():
    assert check_seeds((0,)) == (0,)
    with pytest.raises(ConfigError, match="given twice"):
        check_seeds((3, 3))
    with pytest.raises(ConfigError, match="0 seeds"):
        check_seeds(())
