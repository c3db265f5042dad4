"""``dlbasics.fast`` holds the four models of ``dlbasics.scratch``, with the same interface."""

from __future__ import annotations

import importlib
import inspect

import pytest

from dlbasics import fast, scratch

MODEL_NAMES = ["Perceptron", "LogisticRegression", "MLP", "LinearRegression"]
HOMES = {"Perceptron": "perceptron", "LogisticRegression": "logistic", "MLP": "mlp"}
HOMES["LinearRegression"] = "linear"


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_same_interface_as_the_reference(name):
    home = importlib.import_module(f"dlbasics.fast.{HOMES[name]}")
    fast_cls, ref_cls = getattr(home, name), getattr(scratch, name)
    assert issubclass(fast_cls, ref_cls)
    assert inspect.signature(fast_cls) == inspect.signature(ref_cls)
    assert inspect.signature(fast_cls.train_epoch) == inspect.signature(ref_cls.train_epoch)
    assert getattr(fast, name) is fast_cls
