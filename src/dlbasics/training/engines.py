"""The table of engines: which implementations exist, and what each one can run.

The one place to add an engine. The from-scratch models (Questions 2 and 3) run on every engine
of :data:`MODEL_ENGINES`, each a module exposing the same four model classes with the same
constructors and methods (``Perceptron``, ``LogisticRegression``, ``MLP``,
``LinearRegression``; docs/models.md); the first is the default. Question 4's networks run on
:data:`NETWORK_ENGINES`.
"""

from __future__ import annotations

import importlib

# engine name -> module holding the model classes. The first entry is the default engine.
MODEL_ENGINES: dict[str, str] = {
    "fast": "dlbasics.fast",  # numba-compiled, same updates (tests/fast/, docs/fast.md)
    "reference": "dlbasics.scratch",
}

# Question 4's networks: the compiled twin (default) and torch itself.
NETWORK_ENGINES: tuple[str, ...] = ("fast", "torch")

# Every engine name, in the order the CLI lists them.
ALL_ENGINES: tuple[str, ...] = tuple(dict.fromkeys(("reference", *MODEL_ENGINES, *NETWORK_ENGINES)))


def engine_names() -> tuple[str, ...]:
    """The engines the Q2/Q3 experiments accept, default first."""
    return tuple(MODEL_ENGINES)


def model_class(engine: str, name: str) -> type:
    """The class ``name`` (e.g. ``"MLP"``) of engine ``engine``."""
    module = importlib.import_module(MODEL_ENGINES[engine])
    return getattr(module, name)
