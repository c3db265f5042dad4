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


# --- the featurisations (ames.RECIPES) ----------------------------------------------------------


def _small_split() -> tuple[pd.DataFrame, pd.DataFrame]:
    train = _table(
        [
            {"Lot Area": 10.0, "Street": "Pave", "MS SubClass": "20"},
            {"Lot Area": 30.0, "Street": None, "MS SubClass": "60"},
            {"Lot Area": np.nan, "Street": "Grvl", "MS SubClass": "20"},
        ]
    )
    test = _table(
        [
            {"Lot Area": 50.0, "Street": "Dirt", "MS SubClass": "90"},
            {"Lot Area": np.nan, "Street": "Pave", "MS SubClass": "20"},
        ]
    )
    return train, test


def test_the_recipes_are_the_declared_featurisations():
    from dlbasics.data.types import AMES_FEATURES

    assert tuple(ames.RECIPES) == AMES_FEATURES and ames.DEFAULT_FEATURES == "minmax"


def test_minmax_recipe_is_the_featurizer():
    train, test = _small_split()
    X_train, X_test, names = ames.minmax_features(train, test)
    featurizer = ames.Featurizer.fit(train)
    np.testing.assert_array_equal(X_train, featurizer.transform(train))
    np.testing.assert_array_equal(X_test, featurizer.transform(test))
    assert names == featurizer.feature_names


def test_zscore_recipe_scales_with_the_train_mean_and_deviation():
    train, test = _small_split()
    X_train, X_test, names = ames.zscore_features(train, test)
    lot = names.index("Lot Area")
    filled = np.array([10.0, 30.0, 20.0])  # the gap takes the train median, 20
    mean, std = filled.mean(), np.sqrt(((filled - filled.mean()) ** 2).mean())
    np.testing.assert_allclose(X_train[:, lot], (filled - mean) / std)
    np.testing.assert_allclose(X_test[:, lot], [(50.0 - mean) / std, (20.0 - mean) / std])
    assert np.all(X_train[:, names.index("Pool Area")] == 0.0)  # constant in train: 0
    minmax_train, minmax_test, minmax_names = ames.minmax_features(train, test)
    assert names == minmax_names
    one_hot = slice(len(ames.NUMERIC), None)  # the categoricals are minmax's own
    np.testing.assert_array_equal(X_train[:, one_hot], minmax_train[:, one_hot])
    np.testing.assert_array_equal(X_test[:, one_hot], minmax_test[:, one_hot])


@pytest.mark.parametrize("recipe", ["minmax", "zscore"])
def test_train_fitted_recipes_use_no_test_statistic(recipe):
    train, test = _small_split()
    X_train, X_test, names = ames.RECIPES[recipe](train, test)
    # Another test set, with extreme values and new levels, changes neither the train matrix nor
    # the features of the test rows that stayed the same.
    other = pd.concat(
        [test, _table([{"Lot Area": 1e6, "Street": "Ice", "MS SubClass": "190"}])],
        ignore_index=True,
    )
    X_train_2, X_test_2, names_2 = ames.RECIPES[recipe](train, other)
    np.testing.assert_array_equal(X_train, X_train_2)
    np.testing.assert_array_equal(X_test, X_test_2[: len(test)])
    assert names == names_2 and not any("Ice" in name for name in names_2)


def test_homework_recipe_featurises_all_rows_as_get_dummies():
    train, test = _small_split()
    X_train, X_test, names = ames.homework_features(train, test)
    assert X_train.shape == (3, len(names)) and X_test.shape == (2, len(names))
    # MS SubClass is a number, scaled over all rows (20 .. 90)
    sub = names.index("MS SubClass")
    np.testing.assert_allclose(X_train[:, sub], [0.0, 40 / 70, 0.0])
    np.testing.assert_allclose(X_test[:, sub], [1.0, 0.0])
    assert not any(name.startswith("MS SubClass=") for name in names)
    # Lot Area: the median (30) and the range (10 .. 50) of all five rows
    lot = names.index("Lot Area")
    np.testing.assert_allclose(X_train[:, lot], [0.0, 0.5, 0.5])
    np.testing.assert_allclose(X_test[:, lot], [1.0, 0.5])
    # Street: every level of any row, and a missing column
    levels = ["Dirt", "Grvl", "Pave", ames.MISSING_LEVEL]
    street = [names.index(f"Street={level}") for level in levels]
    np.testing.assert_array_equal(X_train[:, street], [[0, 0, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]])
    np.testing.assert_array_equal(X_test[:, street], [[1, 0, 0, 0], [0, 0, 1, 0]])
    # a column without missing values still gets its (all-zero) missing column
    alley = names.index(f"Alley={ames.MISSING_LEVEL}")
    assert not X_train[:, alley].any() and not X_test[:, alley].any()


def test_an_unknown_recipe_is_refused():
    with pytest.raises(ValueError, match="unknown Ames features 'robust'"):
        ames.load_ames(features="robust")


@pytest.mark.realdata
def test_the_recipes_on_the_shipped_table():
    counts = {}
    for recipe in ames.RECIPES:
        data = ames.load_ames(features=recipe)
        assert data.train.X.shape[0] == data.test.X.shape[0] == 1465
        assert np.isfinite(data.train.X).all() and np.isfinite(data.test.X).all()
        counts[recipe] = len(data.feature_names)
    # The counts docs/ames.md gives (the homework's own file had 348).
    assert counts == {"minmax": 320, "zscore": 320, "homework": 346}
    zscore = ames.load_ames(features="zscore").train.X[:, : len(ames.NUMERIC)]
    np.testing.assert_allclose(zscore.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(zscore.std(axis=0), 1.0)
