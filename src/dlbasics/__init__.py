"""dlbasics: the Deep Learning Homework 1 report (2021-2022), implemented and reproduced."""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> the module that defines it, imported on first use (``import dlbasics`` stays
#: fast: torch is imported only when a name that needs it is used).
_LAZY = {"gradcheck": "dlbasics.theory.gradient_check"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'dlbasics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
