"""Non-finite and malformed data: refused where it is loaded or passed in, never trained on.

Ames files made from the published table with one value broken (an infinite feature, a price of
1e400 that parses to infinity, a price of 0, text in ``MS SubClass``) give one line naming the
file, the column and the row, before any training; NaN or infinity in the arrays a user hands to
a model is a ``ValueError`` naming the argument, on every engine.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dlbasics.cli import main
from dlbasics.training.engines import engine_names, model_class
from dlbasics.training.learners import learned_arrays

ORIGINAL_GZ = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "AmesHousing.csv.gz"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return pd.read_csv(
        pd.io.common.BytesIO(gzip.decompress(ORIGINAL_GZ.read_bytes())),
        dtype=str,
        keep_default_na=False,
    )


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("Lot Area", "inf", "has a value 'inf' that is not a finite number"),
        ("SalePrice", "1e400", "has a value '1e400' that is not a finite number"),
        ("SalePrice", "0", "has a value '0' that is not a positive price"),
        ("MS SubClass", "twenty", "has a non-numeric value 'twenty'"),
    ],
)
def test_a_broken_ames_file_is_one_line_before_training(
    column, value, problem, published, tmp_path, monkeypatch, capsys
):
    broken = published.copy()
    broken.loc[16, column] = value  # row 17 of the file's data, line 18
    path = tmp_path / "AmesHousing.csv"
    broken.to_csv(path, index=False)
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["dlbasics", "run", "q2.2b", "--ames-path", str(path)]
                        + ["--out", str(out), "--quiet"])  # fmt: skip
    with pytest.raises(SystemExit) as exit:
        main()
    assert exit.value.code == 2
    captured = capsys.readouterr()
    assert captured.err == f"error: {path}: column {column!r} {problem} in row 17 (line 18)\n"
    assert captured.out == "" and not out.exists()


def _models(engine: str) -> list[tuple[object, bool]]:
    """Every model of ``engine`` on 4 features, and whether it is a regression."""
    cls = lambda name: model_class(engine, name)  # noqa: E731
    return [
        (cls("Perceptron")(4, 3), False),
        (cls("LogisticRegression")(4, 3), False),
        (cls("MLP")(4, 3, hidden_size=5), False),
        (cls("MLP")(4, 1, hidden_size=5, head="regression"), True),
        (cls("LinearRegression")(4), True),
    ]


@pytest.mark.parametrize("engine", engine_names())
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_models_refuse_non_finite_inputs_naming_the_argument(engine, bad):
    rng = np.random.default_rng(0)
    X, labels, targets = rng.random((6, 4)), np.array([0, 1, 2, 0, 1, 2]), rng.random(6)
    X_bad = X.copy()
    X_bad[2, 1] = bad
    targets_bad = targets.copy()
    targets_bad[5] = bad
    order = np.arange(6)
    for model, regression in _models(engine):
        y = targets if regression else labels
        before = [a.copy() for a in learned_arrays(model)]
        with pytest.raises(ValueError, match=r"^X holds a non-finite value .* in row 2"):
            model.train_epoch(X_bad, y, order)
        with pytest.raises(ValueError, match="^X holds a non-finite value"):
            model.predict(X_bad)
        with pytest.raises(ValueError, match="^X holds a non-finite value"):
            model.evaluate(X_bad, y)
        if regression:
            with pytest.raises(ValueError, match=r"^y holds a non-finite value .* in row 5"):
                model.train_epoch(X, targets_bad, order)
            with pytest.raises(ValueError, match="^y holds a non-finite value"):
                model.evaluate(X, targets_bad)
        after = learned_arrays(model)
        assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))  # untouched
        model.train_epoch(X, y, order)  # the same model, given finite data, trains
