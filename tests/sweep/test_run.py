"""Whole sweeps: bad input, the command line, results, reruns, two local workers."""

from __future__ import annotations

import json
import sys

import optuna
import pytest

from dlbasics.data import DataOptions
from dlbasics.errors import ConfigError
from dlbasics.sweep import KEY, open_storage, parse_storage, run_sweep
from tests.sweep.toy import FAST, executions, study_trials


@pytest.mark.parametrize(
    "call, message",
    [
        ({"name": "q9"}, "unknown sweep 'q9'; choose one of: q4.1, q4.2, q4.3"),
        (
            {"name": "q4.1", "grid": "extended"},
            "sweep q4.1 has no grid 'extended'; choose one of: report",
        ),
        ({"name": "q4.2", "grid": "huge"}, "no grid 'huge'; choose one of: report, extended"),
        ({"name": "q4.1", "jobs": 0}, "invalid --jobs 0"),
        ({"name": "q4.1", "epochs": 0}, "invalid --epochs 0"),
        ({"name": "q4.1", "engine": "numba"}, "cannot run on engine 'numba'"),
        ({"name": "q4.1", "storage": "mysql://u:pw@h/db"}, "only postgresql://"),
    ],
)
def test_bad_input_is_one_clear_error_before_anything_is_written(tmp_path, call, message):
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as error:
        run_sweep(out_dir=out, **call)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not out.exists()


def test_cli_prints_one_line_and_exits_non_zero(monkeypatch, capsys):
    from dlbasics.cli import main

    monkeypatch.setattr(sys, "argv", ["dlbasics", "sweep", "q4.1", "--grid", "wide"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: sweep q4.1 has no grid 'wide'; choose one of: report"


def test_toy_sweep_records_every_configuration_and_never_picks_a_diverged_one(toy, tmp_path):
    out = tmp_path / "out"
    result = run_sweep("toy", out_dir=out, **FAST)
    assert sorted(executions(toy)) == ["0.01 1", "0.1 1", "1.0 1"]
    assert [t["config"]["learning_rate"] for t in result["trials"]] == [0.01, 0.1, 1.0]
    assert [t["status"] for t in result["trials"]] == ["ok", "ok", "diverged"]
    assert result["best"]["config"]["learning_rate"] == 0.1  # 1.0 scores higher but diverged
    assert result["best"]["final"] == result["trials"][1]["final"]
    for trial in result["trials"]:
        assert set(trial) >= {"number", "config", "final", "history", "seconds", "status"}
        assert [r["epoch"] for r in trial["history"]] == [1, 2]
        assert set(trial["final"]) == {"train_loss", "dev_acc", "test_acc"}
    assert result["trials"][2]["final"]["train_loss"] is None  # NaN is written as null
    on_disk = json.loads((out / "sweep.json").read_text())
    assert on_disk == json.loads(json.dumps(result, allow_nan=False))
    assert on_disk["storage"] == f"journal:{out / 'optuna-journal.log'}"
    assert (out / "sweep_loss.png").stat().st_size > 1000
    assert (out / "sweep_dev_acc.png").stat().st_size > 1000
    table = (out / "sweep.md").read_text()
    assert "| 0.1 | 5.0000 | 0.5100 | 0.4900 |" in table and "ok **(best)**" in table
    trials = study_trials(out)
    values = sorted(t.value for t in trials)
    assert values[0] == float("-inf") and values[1:] == pytest.approx([0.465, 0.51])
    assert {t.params["learning_rate"] for t in trials} == {0.01, 0.1, 1.0}
    assert trials[0].intermediate_values == pytest.approx({1: 0.415, 2: 0.465})


def test_rerun_skips_finished_configurations_and_retries_failed_ones(toy, tmp_path):
    out = tmp_path / "out"
    first = run_sweep("toy", grid="faulty", out_dir=out, **FAST)
    assert [t["status"] for t in first["trials"]] == ["ok", "failed"]
    assert "RuntimeError: toy crash" in first["trials"][1]["message"]
    assert first["best"]["config"]["learning_rate"] == 0.01
    assert executions(toy, "start") == ["0.01 1", "0.5 1"]
    run_sweep("toy", grid="faulty", out_dir=out, **FAST)
    assert executions(toy, "start") == ["0.01 1", "0.5 1", "0.5 1"]  # only the failed one again
    # another grid in the same study: only its new configurations run
    run_sweep("toy", grid="report", out_dir=out, **FAST)
    assert executions(toy, "start")[3:] == ["0.1 1", "1.0 1"]
    # other settings (epochs) are other configurations
    again = run_sweep("toy", grid="report", out_dir=out, epochs=3, **FAST)
    assert len(executions(toy, "start")) == 8
    assert all(len(t["history"]) == 3 for t in again["trials"])


@pytest.mark.realdata
def test_two_local_workers_give_the_single_worker_results(tmp_path, monkeypatch):
    monkeypatch.setenv("DLBASICS_TORCH_THREADS", "1")  # the same arithmetic in every process
    data = DataOptions(limit=200)
    single = run_sweep("q4.1", out_dir=tmp_path / "one", epochs=1, data=data, engine="torch")
    double = run_sweep(
        "q4.1", out_dir=tmp_path / "two", epochs=1, data=data, engine="torch", jobs=2
    )
    assert [t["status"] for t in double["trials"]] == ["ok", "ok", "ok"]
    for a, b in zip(single["trials"], double["trials"], strict=True):
        assert a["config"] == b["config"]
        assert a["final"] == b["final"]
    assert single["best"]["config"] == double["best"]["config"]
    storage = open_storage(parse_storage(None, tmp_path / "two"))
    trials = optuna.load_study(study_name="q4.1", storage=storage).get_trials()
    assert len(trials) == 3 and len({t.user_attrs[KEY] for t in trials}) == 3
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
