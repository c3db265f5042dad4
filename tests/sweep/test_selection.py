"""A dependent sweep (q4.3) starts from the best configuration of the sweep it needs (q4.2)."""

from __future__ import annotations

import pytest

from dlbasics.data import DataOptions
from dlbasics.errors import ConfigError
from dlbasics.sweep import run_sweep
from tests.sweep.toy import FAST


def test_dependent_sweep_starts_from_the_best_of_the_sweep_it_needs(toy, tmp_path):
    first = run_sweep("toy", out_dir=tmp_path / "toy", engine="formula", **FAST)
    assert first["best"]["config"]["learning_rate"] == 0.1
    # default layout: OUT/../toy/sweep.json
    depth = run_sweep("toy-depth", out_dir=tmp_path / "toy-depth", engine="formula", **FAST)
    assert [t["config"]["layers"] for t in depth["trials"]] == [2, 3]
    assert all(t["config"]["learning_rate"] == 0.1 for t in depth["trials"])
    assert depth["base"]["source"] == str(tmp_path / "toy" / "sweep.json")
    assert depth["best"]["config"]["layers"] == 3
    # --from
    elsewhere = tmp_path / "elsewhere" / "x"
    via_from = run_sweep(
        "toy-depth", out_dir=elsewhere, from_dir=tmp_path / "toy", engine="formula", **FAST
    )
    assert via_from["best"]["config"] == depth["best"]["config"]
    with pytest.raises(ConfigError, match="ran on the full data, this toy-depth on --limit 5"):
        run_sweep(
            "toy-depth", out_dir=elsewhere, from_dir=tmp_path / "toy", data=DataOptions(limit=5)
        )
    # the same storage: found in the study itself
    same = run_sweep("toy-depth", out_dir=tmp_path / "toy", engine="formula", **FAST)
    assert same["base"]["source"].startswith("study 'toy' in journal:")
    assert same["best"]["config"] == depth["best"]["config"]
    with pytest.raises(ConfigError, match="found neither in journal:"):
        run_sweep("toy-depth", out_dir=tmp_path / "lonely" / "x", engine="formula", **FAST)
    assert not (tmp_path / "lonely").exists()  # a failed lookup writes nothing
    with pytest.raises(ConfigError, match="sweep.json not found"):
        run_sweep("toy-depth", out_dir=elsewhere, from_dir=tmp_path / "nothing", engine="formula")
    with pytest.raises(ConfigError, match="is the result of sweep 'toy-depth', not toy"):
        run_sweep("toy-depth", out_dir=elsewhere, from_dir=tmp_path / "toy-depth", engine="formula")
