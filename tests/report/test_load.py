"""Reading a step's folder back for the report: a damaged file is read as absent, never raises."""

from __future__ import annotations

import io

import numpy as np
import pytest

from dlbasics.report.load import group_by_seed, load_step
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


def test_results_are_grouped_per_step_in_seed_order(tmp_path):
    steps = []
    for seed, status in [(7, "ok"), (42, "ok"), (9, "failed"), (None, "ok")]:
        folder = tmp_path / f"run-{seed}"
        folder.mkdir()
        (folder / "metrics.json").write_text(f'{{"seed": {seed or 0}}}')
        step = STEP if seed is not None else Step("q3.2b", "experiment", "Q3.2b", "MLP", "q3.2b")
        steps.append(load_step(StepOutcome(step, status, {}, folder, seed=seed)))
    grouped = group_by_seed(steps, (42, 7, 9))
    assert grouped.seeds == {"q3.1b": [42, 7], "q3.2b": [42]}
    assert [r["seed"] for r in grouped.of("q3.1b")] == [42, 7]
    assert grouped.of("q4.1") == []
