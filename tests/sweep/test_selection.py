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


def _entry(index: int, status: str, dev_acc: float) -> dict:
    final = {"train_loss": 1.0, "dev_acc": dev_acc, "test_acc": dev_acc}
    return {
        "number": index,
        "config": {"i": index},
        "final": final,
        "status": status,
        "_index": index,
    }


def test_a_stalled_configuration_wins_only_when_none_finished_ok():
    from dlbasics.sweep import pick_best

    entries = [_entry(0, "stalled", 0.95), _entry(1, "ok", 0.5), _entry(2, "diverged", 0.99)]
    assert pick_best(entries)["number"] == 1  # trained, though its accuracy is lower
    entries = [_entry(0, "stalled", 0.1), _entry(1, "stalled", 0.2), _entry(2, "failed", 0.9)]
    assert pick_best(entries)["number"] == 1  # nothing trained: the least bad, still named
    assert pick_best([_entry(0, "diverged", 0.9)]) is None


def test_a_dependent_sweep_starts_from_an_ok_configuration_before_a_stalled_one(toy, tmp_path):
    first = run_sweep("toy", grid="stalling", out_dir=tmp_path / "toy", engine="formula", **FAST)
    assert [t["status"] for t in first["trials"]] == ["stalled", "ok"]
    # found in the study itself (the same storage): the ok one, whatever the stalled one scored
    depth = run_sweep("toy-depth", out_dir=tmp_path / "toy", engine="formula", **FAST)
    assert {t["config"]["learning_rate"] for t in depth["trials"]} == {0.01}
