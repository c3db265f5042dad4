"""dlbasics: the Deep Learning Homework 1 report (2021-2022), implemented and reproduced."""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public names, imported on first use (PEP 562) so that ``import dlbasics`` stays cheap: name ->
# the module that defines it.
_LAZY: dict[str, str] = {
    "load_model": "dlbasics.training.saved_models",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'dlbasics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = ["__version__", *_LAZY]
