"""The engines table: listed once, offered by every experiment that can use it."""

from __future__ import annotations

from dlbasics.experiments import registry
from dlbasics.training.engines import MODEL_ENGINES as ENGINES
from dlbasics.training.engines import engine_names, model_class
from tests.experiments.test_q2q3 import Q2, Q3


def test_engines_are_listed_once_and_offered_by_every_q2_q3_experiment():
    assert next(iter(ENGINES)) == "fast"
    for name in Q2 + Q3:
        experiment = registry.get(name)
        assert experiment.engines == engine_names()
        assert experiment.default_engine == "fast"
    for engine in ENGINES:
        for cls in ("Perceptron", "LogisticRegression", "MLP", "LinearRegression"):
            assert callable(model_class(engine, cls))
