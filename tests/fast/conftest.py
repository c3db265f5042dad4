"""Torch at one thread in these tests: batch-1 steps are too small to split across threads,
and on a busy machine a second thread makes every step wait (docs/fast.md has the numbers)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def one_torch_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from dlbasics.training.torch_runtime import THREADS_ENV

    monkeypatch.setenv(THREADS_ENV, "1")
