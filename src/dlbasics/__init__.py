"""dlbasics: the Deep Learning Homework 1 report (2021-2022), implemented and reproduced.

The library's public names are importable from here (``from dlbasics import LogisticRegression,
gradcheck, load_model``) but load on first use, so that ``import dlbasics`` stays cheap (no
scikit-learn, numba or torch until a name that needs them is used).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> the module that defines it, imported on first access (module __getattr__)
_LAZY: dict[str, str] = {
    "Perceptron": "dlbasics.estimators",
    "LogisticRegression": "dlbasics.estimators",
    "LinearRegression": "dlbasics.estimators",
    "MLPClassifier": "dlbasics.estimators",
    "MLPRegressor": "dlbasics.estimators",
    "gradcheck": "dlbasics.theory.gradient_check",
    "load_model": "dlbasics.training.saved_models",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dlbasics' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
