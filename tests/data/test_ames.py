"""Ames featurization and sources."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dlbasics.data import ames
from dlbasics.errors import DataError

# The original file as published (De Cock's AmesHousing, as CSV), gzipped: only the tests use it.
ORIGINAL_GZ = Path(__file__).resolve().parent / "fixtures" / "AmesHousing.csv.gz"


def _table(rows: list[dict]) -> pd.DataFrame:
    """A canonical table with every column, defaults filled in."""
    base = {c: "A" for c in ames.CATEGORICAL} | {c: 1.0 for c in ames.NUMERIC}
    base |= {"MS SubClass": "20", "SalePrice": 100.0, "Order": 0, "PID": 0}
    frame = pd.DataFrame([base | row for row in rows])
    return frame


def test_featurizer_fills_scales_and_one_hots():
    train = _table(
        [
            {"Lot Area": 10.0, "Street": "Pave"},
            {"Lot Area": 30.0, "Street": None},
            {"Lot Area": np.nan, "Street": "Grvl"},
        ]
    )
    test = _table([{"Lot Area": 50.0, "Street": "Dirt"}, {"Lot Area": np.nan, "Street": "Pave"}])
    featurizer = ames.Featurizer.fit(train)
    assert featurizer.levels["Street"] == ["Grvl", "Pave", ames.MISSING_LEVEL]
    X_train, X_test = featurizer.transform(train), featurizer.transform(test)
    names = featurizer.feature_names
    lot = names.index("Lot Area")
    # median of train (10, 30) = 20 fills the gap; min-max with train min 10, max 30
    np.testing.assert_allclose(X_train[:, lot], [0.0, 1.0, 0.5])
    np.testing.assert_allclose(X_test[:, lot], [2.0, 0.5])
    street = [names.index(f"Street={level}") for level in ("Grvl", "Pave", ames.MISSING_LEVEL)]
    np.testing.assert_array_equal(X_train[:, street], [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(X_test[:, street], [[0, 0, 0], [0, 1, 0]])  # unseen: all zero
    constant = names.index("Pool Area")
    assert np.all(X_train[:, constant] == 0.0)


def test_r_names():
    assert ames.r_name("Gr Liv Area") == "area"
    assert ames.r_name("1st Flr SF") == "X1st.Flr.SF"
    assert ames.r_name("Year Remod/Add") == "Year.Remod.Add"


def test_split_is_half_and_half():
    train, test = ames.split_indices()
    assert len(train) == len(test) == 1465
    assert len(np.intersect1d(train, test)) == 0


def _write_variant(tmp_path, original, edit) -> Path:
    frame = pd.read_csv(original, dtype=str, keep_default_na=False)
    frame = edit(frame)
    path = tmp_path / "ames.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def original(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ames") / "AmesHousing.csv"
    path.write_bytes(gzip.decompress(ORIGINAL_GZ.read_bytes()))
    return path


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda f: f.drop(columns=["Lot Area"]), "missing Ames columns: Lot Area"),
        (lambda f: f.assign(Extra="x"), "unknown Ames columns: Extra"),
        (lambda f: f.assign(**{"Lot Area": "big"}), "'Lot Area' has a non-numeric value 'big'"),
        (lambda f: f.head(100), "100 rows, expected 2930"),
        (lambda f: f.assign(SalePrice="0"), "positive price"),
    ],
)
def test_bad_ames_file(tmp_path, original, edit, message):
    path = _write_variant(tmp_path, original, edit)
    with pytest.raises(DataError, match=message) as info:
        ames.load_ames(path)
    assert str(path) in str(info.value) or "rows" in str(info.value)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        ames.load_ames(tmp_path / "nope.csv")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00")
    with pytest.raises(DataError):
        ames.load_ames(binary)


@pytest.mark.realdata
def test_shipped_table():
    shipped = ames.load_ames(bias=True)
    assert shipped.train.X.shape == (1465, 321) and shipped.test.X.shape == (1465, 321)
    assert shipped.feature_names[-1] == "bias" and "Gr Liv Area" in shipped.feature_names
    assert "MS SubClass=20" in shipped.feature_names and "Alley=<missing>" in shipped.feature_names
    assert shipped.checksum == "ok"
    assert np.all(shipped.train.X[:, :-1] >= 0) and shipped.train.X[:, :35].max() == 1.0


@pytest.mark.realdata
def test_shipped_table_matches_the_original_file(tmp_path, original):
    shipped = ames.load_ames(bias=True)
    from_file = ames.load_ames(original, bias=True)
    np.testing.assert_array_equal(shipped.train.X, from_file.train.X)
    np.testing.assert_array_equal(shipped.test.y, from_file.test.y)
    assert shipped.feature_names == from_file.feature_names and from_file.checksum == "ok"
    # The original's tab-separated .txt form gives the same features too.
    txt = tmp_path / "AmesHousing.txt"
    pd.read_csv(original, dtype=str, keep_default_na=False).to_csv(txt, sep="\t", index=False)
    np.testing.assert_array_equal(ames.load_ames(txt).train.X, from_file.train.X[:, :-1])
    np.testing.assert_allclose(
        shipped.train.y.mean(), np.log(pd.read_csv(original)["SalePrice"]).mean(), atol=0.02
    )


@pytest.mark.realdata
def test_row_order_does_not_matter(tmp_path, original):
    shuffled = _write_variant(tmp_path, original, lambda f: f.sample(frac=1.0, random_state=0))
    np.testing.assert_array_equal(
        ames.load_ames(shuffled).train.X, ames.load_ames(original).train.X
    )


def _set(column: str, row: int, value: str):
    """An edit that puts ``value`` in data row ``row`` (counted from 1) of ``column``."""

    def edit(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row - 1, column] = value
        return frame

    return edit


@pytest.mark.parametrize(
    ("column", "row", "value", "problem"),
    [
        ("Lot Area", 17, "inf", "has a value 'inf' that is not a finite number"),
        ("Gr Liv Area", 3, "-inf", "has a value '-inf' that is not a finite number"),
        ("SalePrice", 4, "1e400", "has a value '1e400' that is not a finite number"),
        ("SalePrice", 6, "0", "has a value '0' that is not a positive price"),
        ("SalePrice", 6, "-5", "has a value '-5' that is not a positive price"),
        ("MS SubClass", 8, "abc", "has a non-numeric value 'abc'"),
        ("MS SubClass", 8, "20.5", "has a value '20.5' that is not an integer code"),
        ("Year Built", 2930, "19x5", "has a non-numeric value '19x5'"),
    ],
)
def test_a_bad_value_names_the_file_the_column_and_the_first_bad_row(
    tmp_path, original, column, row, value, problem
):
    path = _write_variant(tmp_path, original, _set(column, row, value))
    with pytest.raises(DataError) as info:
        ames.load_ames(path)
    assert str(info.value) == f"{path}: column {column!r} {problem} in row {row} (line {row + 1})"
