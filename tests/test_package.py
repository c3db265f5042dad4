"""The package's public names: imported lazily, on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dlbasics


def test_load_model_is_exported_lazily():
    from dlbasics.training.saved_models import load_model

    assert dlbasics.load_model is load_model
    assert "load_model" in dir(dlbasics) and "load_model" in dlbasics.__all__
    code = "import sys, dlbasics; print('dlbasics.training.saved_models' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.stdout.strip() == "False"  # import dlbasics alone does not load it


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dlbasics.nope  # noqa: B018
