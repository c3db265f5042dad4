"""The ``toy`` fixture: the toy sweep registered, its execution log in the test's folder."""

from __future__ import annotations

import pytest

from dlbasics.sweep import SWEEPS
from tests.sweep.toy import TOY_LOG, TOY_SLEEP, register_toy


@pytest.fixture
def toy(tmp_path, monkeypatch):
    register_toy()
    log = tmp_path / "executions.log"
    monkeypatch.setenv(TOY_LOG, str(log))
    monkeypatch.delenv(TOY_SLEEP, raising=False)
    yield log
    SWEEPS.pop("toy", None)
    SWEEPS.pop("toy-depth", None)
