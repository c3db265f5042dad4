"""Reading a step's folder back for the report: a damaged file is read as absent, never raises."""

from __future__ import annotations

import io

import numpy as np
import pytest

from dlbasics.report.load import load_step
from dlbasics.results.steps import Step, StepOutcome

STEP = Step("q3.1b", "experiment", "Q3.1b", "Logistic regression", "q3.1b")


def _npz() -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, test_labels=np.arange(50))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[: len(data) // 2], lambda data: b"\0" * len(data), lambda data: b""],
    ids=["truncated", "garbage", "empty"],
)
def test_damaged_arrays_and_metrics_are_read_as_absent(tmp_path, damage):
    (tmp_path / "arrays.npz").write_bytes(damage(_npz()))
    (tmp_path / "metrics.json").write_text('{"final": ')
    data = load_step(StepOutcome(STEP, "failed", {}, tmp_path))
    assert data.arrays == {} and data.metrics is None


def test_intact_arrays_are_read(tmp_path):
    (tmp_path / "arrays.npz").write_bytes(_npz())
    data = load_step(StepOutcome(STEP, "ok", {}, tmp_path))
    assert list(data.arrays) == ["test_labels"] and data.arrays["test_labels"].shape == (50,)
