"""What every estimator checks and converts on the way in: engine, seed, labels, the ones column.

Input arrays themselves are validated by scikit-learn's own utilities (``validate_data``,
``check_classification_targets``, ``LabelEncoder``), so that bad input meets scikit-learn's
usual errors and messages; this module holds the few rules of our own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state

from dlbasics.scratch.functions import check_count
from dlbasics.training.engines import MODEL_ENGINES, model_class
from dlbasics.training.hyperparameters import MAX_SEED, check_seed

# The float types the models compute in: float32 stays float32, everything else becomes float64.
FLOATS = [np.float64, np.float32]


def engine_model(engine: Any, name: str) -> type:
    """The model class ``name`` (``"MLP"`` ...) of ``engine``, or a ValueError naming the engines.

    Raises
    ------
    ValueError
        If ``engine`` is not one of ``dlbasics.training.engines.MODEL_ENGINES``.
    """
    if not isinstance(engine, str) or engine not in MODEL_ENGINES:
        raise ValueError(
            f"engine must be one of {', '.join(sorted(MODEL_ENGINES))}; got {engine!r}"
        )
    return model_class(engine, name)


def resolve_seed(random_state: Any) -> int:
    """The integer seed of a fit: ``random_state`` itself if an int, else one drawn from it.

    An int is used unchanged, as the experiments use ``--seed``: the same integer seeds the
    initial weights and the shuffling, so an estimator reproduces an experiment's run. None or a
    ``np.random.RandomState`` (scikit-learn's conventions) give a seed drawn from that generator.

    Raises
    ------
    ValueError
        For an int outside ``0..MAX_SEED`` or anything ``check_random_state`` refuses.
    """
    if isinstance(random_state, int | np.integer) and not isinstance(random_state, bool):
        return check_seed(random_state, flag="random_state")
    generator = check_random_state(random_state)
    return int(generator.randint(0, MAX_SEED, dtype=np.int64))


def check_epochs(epochs: Any) -> int:
    """``epochs`` as an int, or the models' one-sentence error for a count below 1."""
    check_count("epochs", epochs)
    return int(epochs)


def with_ones(X: np.ndarray) -> np.ndarray:
    """``X`` with a column of ones appended, as the scratch models fold the bias in."""
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


def check_two_classes(name: str, classes: np.ndarray) -> None:
    """Refuse a classification problem of one class (scikit-learn's wording)."""
    if len(classes) < 2:
        raise ValueError(
            f"{name} needs samples of at least 2 classes in the data, but the data contains "
            f"only one class: {classes.tolist()[0]!r}"
        )


def encode_labels(classes: np.ndarray, y: Any) -> np.ndarray:
    """The index of each label of ``y`` in ``classes`` (the models' labels ``0..k-1``).

    Raises
    ------
    ValueError
        ``y contains previously unseen labels: [...]`` (scikit-learn's ``LabelEncoder``) for a
        label not in ``classes``.
    """
    encoder = LabelEncoder().fit(classes)
    return np.asarray(encoder.transform(y), dtype=np.int64)


def max_squared_norm(X: np.ndarray) -> float:
    """``max_i ||x_i||^2`` over the rows of ``X`` (the scale the automatic step sizes use)."""
    return float(np.max(np.einsum("ij,ij->i", X, X, dtype=np.float64)))
