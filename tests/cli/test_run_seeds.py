"""``dlbasics run NAME --seeds``: one run per seed in OUT/seed-<s>/, seeds.json over them."""

from __future__ import annotations

import json

from dlbasics.results.statistics import mean_interval
from tests.cli.test_run import cli, synthetic  # noqa: F401  (the fixture)


def test_run_over_seeds_writes_each_seed_as_a_single_run_and_the_intervals(
    synthetic,  # noqa: F811
    monkeypatch,
    capsys,
    tmp_path,
):
    out = tmp_path / "run"
    code, stdout, stderr = cli(
        monkeypatch, capsys, "run", "q3.1b", "--epochs", "2", "--seeds", "3-5", "--out", str(out)
    )
    assert code == 0, stderr
    single = tmp_path / "single"
    assert cli(monkeypatch, capsys, "run", "q3.1b", "--epochs", "2", "--seed", "4",
               "--out", str(single))[0] == 0  # fmt: skip
    runs = [json.loads((out / f"seed-{s}" / "metrics.json").read_text()) for s in (3, 4, 5)]
    assert [run["seed"] for run in runs] == [3, 4, 5]
    alone = json.loads((single / "metrics.json").read_text())
    assert runs[1]["final"] == alone["final"]  # seed 4 as if it had run alone
    assert runs[0]["history"] != runs[2]["history"]  # the seed changes the run
    summary = json.loads((out / "seeds.json").read_text())
    assert summary["seeds"] == [3, 4, 5] and summary["status"] == [r["status"] for r in runs]
    expected = mean_interval([run["final"]["test_acc"] for run in runs]).to_json()
    assert summary["final"]["test_acc"] == expected
    assert "over seeds 3, 4, 5" in stdout and "seeds.json" in stdout
    assert not (out / "metrics.json").exists()


def test_run_with_one_seed_keeps_todays_layout(synthetic, monkeypatch, capsys, tmp_path):  # noqa: F811
    code, _, stderr = cli(
        monkeypatch, capsys, "run", "q2.2a", "--epochs", "1", "--seeds", "1", "--out", str(tmp_path)
    )
    assert code == 0, stderr
    assert (tmp_path / "metrics.json").exists() and not (tmp_path / "seeds.json").exists()
    assert json.loads((tmp_path / "metrics.json").read_text())["seed"] == 42


def test_bad_seeds_exit_2_before_any_run(synthetic, monkeypatch, capsys, tmp_path):  # noqa: F811
    code, _, stderr = cli(monkeypatch, capsys, "run", "q2.2a", "--seeds", "2,2",
                          "--out", str(tmp_path / "r"))  # fmt: skip
    assert code == 2 and stderr.strip() == "error: invalid --seeds: seed 2 given twice"
    assert not (tmp_path / "r").exists()
