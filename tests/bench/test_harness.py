"""``dlbasics bench``'s harness: bad input, the CLI's one-line error, and one real quick run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dlbasics.bench import harness
from dlbasics.bench.records import BenchOptions
from dlbasics.errors import ConfigError


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (BenchOptions(epochs=0), "--epochs"),
        (BenchOptions(limit=3), "--limit"),
        (BenchOptions(skip=("fast",)), "cannot skip fast"),
        (BenchOptions(cases=("resnet",)), "unknown case resnet"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ConfigError, match=message):
        harness.run_bench(options)


def test_cli_bad_case_is_one_line_and_nonzero():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dlbasics"), "bench", "--case", "resnet", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "error: unknown case resnet; choose from mlp, q4, perceptron, logistic"
    ]
    assert result.stdout == ""


@pytest.mark.realdata
@pytest.mark.usefixtures("real_fashion_mnist")
def test_quick_real_run_measures_fast_and_scikit_learn():
    options = BenchOptions(linear_epochs=2, limit=200, cases=("perceptron",), skip=("reference",))
    report = harness.run_bench(options)
    engines = [m.engine for m in report.measurements]
    assert engines == ["fast", "sklearn"]
    fast, sklearn = report.measurements
    assert fast.examples == sklearn.examples == 200
    assert fast.epochs == sklearn.epochs == 2
    assert fast.compile_seconds is not None and fast.compile_seconds >= 0
    assert fast.seconds_per_epoch > 0 and fast.peak_rss_mb > 0
    assert report.ratios[0]["against"] == "sklearn"
    assert "dev accuracy" in fast.note
    assert fast.note.split(";")[0] in ("kernel compiled", "kernel loaded from cache")
