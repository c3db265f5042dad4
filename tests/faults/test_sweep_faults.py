"""Faults of a sweep: a damaged journal, a killed worker, a lost database, a full disk, absurd
input and a run that learned nothing. Each gives one line (or a whole result), never a
traceback, and a rerun of the same command resumes.

The toy sweep of tests/sweep/toy.py stands in for the real ones: its "training" is a formula, so
every fault runs through the real sweep code in seconds.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from dlbasics.errors import ConfigError
from dlbasics.sweep import KEY, open_storage, parse_storage, run_sweep
from tests.sweep import conftest as sweep_fixtures
from tests.sweep.pg import postgres_server
from tests.sweep.toy import FAST, TOY_LOG, TOY_SLEEP, TOY_WAIT, executions, study_trials

toy = sweep_fixtures.toy  # the toy sweep registered, its execution log in the test's folder
TOY_SCRIPT = Path(sweep_fixtures.__file__).with_name("toy.py")
GRID = ["0.01 1", "0.1 1", "1.0 1"]  # the toy's report grid, as its execution log writes it


def _cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``dlbasics ARGS`` in this process: exit code, stdout, stderr."""
    from dlbasics.cli import main

    monkeypatch.setattr(sys, "argv", ["dlbasics", *args])
    try:
        main()
        code = 0
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _toy_command(log: Path, *args: str, **env: str) -> subprocess.Popen:
    """``dlbasics sweep toy ARGS`` in its own process (its workers can be killed)."""
    return subprocess.Popen(
        [sys.executable, str(TOY_SCRIPT), "cli", "sweep", "toy", "--engine", "formula", *args],
        env={**os.environ, TOY_LOG: str(log), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(log: Path, started: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while started not in executions(log, "start"):
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, f"the toy sweep did not start {started} in time"
        time.sleep(0.05)


def _once_each(trials: list[optuna.trial.FrozenTrial]) -> None:
    """Every configuration finished exactly once."""
    done = Counter(t.user_attrs[KEY] for t in trials if t.state == TrialState.COMPLETE)
    assert len(done) == len(GRID) and set(done.values()) == {1}


@pytest.mark.parametrize(
    "line, why",
    [
        ("garbage", "not JSON: 'garbage'"),
        ("", "an empty line"),
        ('{"hello": "world"}', """JSON but no journal operation: '{"hello": "world"}'"""),
    ],
)
def test_a_damaged_journal_record_is_one_line_naming_the_file_and_the_line(
    toy, tmp_path, monkeypatch, capsys, line, why
):
    out = tmp_path / "out"
    run_sweep("toy", out_dir=out, engine="formula", **FAST)
    journal = out / "optuna-journal.log"
    lines = journal.read_text().splitlines(keepends=True)
    lines[6] = line + "\n"
    journal.write_text("".join(lines))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, _, err = _cli(monkeypatch, capsys, "sweep", "toy", "--out", str(out), "--quiet")
    assert code == 2
    assert err == (
        f"error: {journal} line 7 is not a journal record ({why}); "
        "move the file aside or delete that line to resume\n"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing touched


def test_a_torn_final_record_recovers(toy, tmp_path):
    """A crash in the middle of an append leaves the last line incomplete. Optuna skips such a
    line, but its next append would be glued to it and stop every later read: the torn record
    is cut off, and the trial it would have finished runs again."""
    out = tmp_path / "out"
    run_sweep("toy", out_dir=out, engine="formula", **FAST)
    journal = out / "optuna-journal.log"
    with open(journal, "r+b") as handle:  # the last record (lr 1.0's completion), cut short
        handle.truncate(journal.stat().st_size - 40)
    result = run_sweep("toy", out_dir=out, engine="formula", **FAST)
    assert [t["status"] for t in result["trials"]] == ["ok", "ok", "diverged"]
    assert executions(toy) == [*GRID, "1.0 1"]  # only the torn configuration again
    _once_each(study_trials(out))
    assert journal.read_bytes().endswith(b"\n")
    # the file is whole for Optuna's own reader too, and a third run has nothing to do
    backend = optuna.storages.journal.JournalFileBackend(str(journal))
    assert len(optuna.storages.JournalStorage(backend).get_all_studies()) == 1
    run_sweep("toy", out_dir=out, engine="formula", **FAST)
    assert len(executions(toy)) == 4


def test_a_killed_worker_does_not_stop_the_sweep(toy, tmp_path):
    """``kill -9`` of one of two workers: its trial runs again in the other, the command writes
    the whole result, exits 0 and says in one line what happened."""
    out = tmp_path / "out"
    # the command's own worker takes lr 0.01 and waits until the spawned one has started lr 0.1,
    # which sleeps: the spawned worker is then killed in the middle of its trial
    process = _toy_command(
        toy, "--out", str(out), "--jobs", "2", "--quiet", **{TOY_SLEEP: "0.1:60", TOY_WAIT: "0.01"}
    )
    try:
        _wait_for(toy, "0.1 1", process)
        held = next(
            t
            for t in study_trials(out)
            if t.state == TrialState.RUNNING and t.user_attrs["config"]["learning_rate"] == 0.1
        )
        pid = held.user_attrs["worker_pid"]
        assert pid != process.pid, "lr 0.1 should run in the spawned worker"
        os.kill(pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr.decode()
    assert stderr.decode().splitlines() == [
        f"toy: worker {pid} ended abnormally (killed by signal 9); its trial #{held.number} ran again"
    ]
    result = json.loads((out / "sweep.json").read_text())
    assert [t["config"]["learning_rate"] for t in result["trials"]] == [0.01, 0.1, 1.0]
    assert [t["status"] for t in result["trials"]] == ["ok", "ok", "diverged"]
    assert (out / "sweep.md").is_file() and (out / "sweep_loss.png").is_file()
    assert "wrote" in stdout.decode()
    assert sorted(executions(toy)) == GRID  # each configuration finished once
    _once_each(study_trials(out))


@pytest.mark.realdata
def test_a_lost_database_connection_is_one_line_and_a_rerun_resumes(toy, tmp_path):
    """PostgreSQL stops (``-m immediate``) while two workers train: one line saying what was
    lost (the password hidden) and that a rerun resumes; after a restart the rerun does."""
    out = tmp_path / "out"
    with postgres_server() as server:
        url = server.url.replace("postgres@", "postgres:s3cret@")  # trust auth ignores it
        args = ("--out", str(out), "--storage", url, "--study", "pg-toy", "--jobs", "2", "--quiet")
        process = _toy_command(toy, *args, **{TOY_SLEEP: "0.1:5", TOY_WAIT: "0.01"})
        try:
            _wait_for(toy, "0.1 1", process)
            server.stop()
            _, stderr = process.communicate(timeout=180)
        finally:
            if process.poll() is None:
                process.kill()
        text = stderr.decode()
        assert process.returncode == 2, text
        assert len(text.splitlines()) == 1, text
        assert text.startswith(
            "error: lost the connection to the study's database "
            "(postgresql+psycopg2://postgres:***@/postgres?host="
        )
        assert text.rstrip().endswith("; rerun the same command to resume")
        assert "s3cret" not in text and "Traceback" not in text
        server.start()
        rerun = _toy_command(toy, *args)
        _, stderr = rerun.communicate(timeout=180)
        assert rerun.returncode == 0, stderr.decode()
        storage = open_storage(parse_storage(url, out))
        _once_each(optuna.load_study(study_name="pg-toy", storage=storage).get_trials())
        storage.engine.dispose()


@pytest.mark.parametrize("sweep", ["toy", "toy-depth"])
def test_a_missing_from_folder_is_an_error(toy, tmp_path, monkeypatch, capsys, sweep):
    out, missing = tmp_path / "out", tmp_path / "no-such-folder"
    code, _, err = _cli(
        monkeypatch, capsys, "sweep", sweep, "--out", str(out), "--from", str(missing)
    )
    assert code == 2 and len(err.splitlines()) == 1
    if sweep == "toy":
        assert err == (
            f"error: --from {missing} does not exist (and sweep toy starts from no other "
            "sweep: leave --from out)\n"
        )
    else:
        assert err.startswith(f"error: {missing / 'sweep.json'} not found: pass --from")
    assert not out.exists()


def test_a_negative_seed_is_refused_before_anything_is_written(toy, tmp_path):
    with pytest.raises(ConfigError) as error:
        run_sweep("toy", out_dir=tmp_path / "out", seed=-1, **FAST)
    assert str(error.value) == "invalid --seed -1: must be an integer >= 0 and <= 4294967295"
    assert not (tmp_path / "out").exists()


def test_epochs_are_checked_by_the_hyperparameter_table_before_anything_is_queued(
    toy, tmp_path, monkeypatch
):
    from dlbasics.training import hyperparameters

    out = tmp_path / "out"
    run_sweep("toy", out_dir=out, engine="formula", **FAST)
    journal = (out / "optuna-journal.log").read_bytes()
    bounded = dataclasses.replace(
        hyperparameters.HYPERPARAMETERS["epochs"],
        rule="must be an integer in [1, 1000]",
        check=lambda v: int(v) == v and 1 <= v <= 1000,
    )
    monkeypatch.setitem(hyperparameters.HYPERPARAMETERS, "epochs", bounded)
    with pytest.raises(ConfigError) as error:
        run_sweep("toy", out_dir=out, epochs=10**20, engine="formula", **FAST)
    assert str(error.value) == f"invalid --epochs {10**20}: must be an integer in [1, 1000]"
    assert (out / "optuna-journal.log").read_bytes() == journal  # nothing enqueued


def test_absurd_epochs_are_one_line(toy, tmp_path, monkeypatch, capsys):
    from dlbasics.training.hyperparameters import HYPERPARAMETERS

    huge = "99999999999999999999"
    if HYPERPARAMETERS["epochs"].check(int(huge)):
        pytest.skip("the hyperparameter table gives --epochs no upper bound yet")
    out = tmp_path / "out"
    code, _, err = _cli(monkeypatch, capsys, "sweep", "toy", "--out", str(out), "--epochs", huge)
    assert code == 2 and err.startswith(f"error: invalid --epochs {huge}: ")
    assert len(err.splitlines()) == 1 and not out.exists()


def test_a_stalled_trial_is_finished_marked_and_wins_only_without_an_ok_one(
    toy, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"
    code, stdout, _ = _cli(
        monkeypatch, capsys, "sweep", "toy", "--grid", "stalling", "--out", str(out), "--quiet"
    )
    assert code == 0  # finished: nothing to retry
    result = json.loads((out / "sweep.json").read_text())
    assert [t["status"] for t in result["trials"]] == ["stalled", "ok"]
    assert result["best"]["config"]["learning_rate"] == 0.01  # trained, though it scores less
    assert "| stalled |" in stdout and "stalled: toy stall: the loss never fell" in stdout
    stalled = next(t for t in study_trials(out) if t.user_attrs["outcome"] == "stalled")
    assert stalled.state == TrialState.COMPLETE and stalled.value == pytest.approx(0.91)
    # a rerun resumes: the stalled configuration is finished, it does not run again
    run_sweep("toy", grid="stalling", out_dir=out, engine="formula", **FAST)
    assert len(executions(toy)) == 2
    # nothing trained: the least bad stalled configuration is still named, marked
    only = run_sweep("toy", grid="stalled", out_dir=tmp_path / "only", engine="formula", **FAST)
    assert only["best"]["config"]["layers"] == 2
    text = (tmp_path / "only" / "sweep.md").read_text()
    assert "stalled, the highest validation accuracy: no configuration finished ok" in text
