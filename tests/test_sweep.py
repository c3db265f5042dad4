"""Sweeps on Optuna: grids, storage URLs, exactly-once execution, resuming, lost workers.

Most tests run a *toy* experiment (registered below) whose "training" is a formula, so the
sweep machinery is tested in milliseconds; it logs every start and end of a configuration to a
file, which is how the tests count executions. Run as a script, this file runs the toy sweep in
a separate process (used to kill or interrupt a sweep in the middle of a trial).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import optuna
import pytest

from dlbasics.data import DataOptions
from dlbasics.errors import ConfigError, DlbasicsError
from dlbasics.experiments import registry
from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.sweep import (
    KEY,
    SWEEPS,
    Request,
    SweepDefinition,
    enqueue_missing,
    open_storage,
    open_study,
    parse_storage,
    plan,
    run_sweep,
)

TOY_LOG = "TOY_SWEEP_LOG"  # file that receives "start LR" / "end LR" lines
TOY_SLEEP = "TOY_SWEEP_SLEEP"  # "LR:SECONDS": that configuration sleeps (to be killed meanwhile)
FAST = {"heartbeat_seconds": 0.2, "grace_seconds": 1.0}


def toy_train(context: RunContext) -> RunResult:
    """dev_acc = 0.5 + lr/2 per epoch; lr 1.0 diverges; lr 0.5 crashes; layers add 0.01 each."""
    lr, layers = context.config["learning_rate"], context.config["layers"]
    log = os.environ.get(TOY_LOG)

    def note(event: str) -> None:
        if log:
            with open(log, "a") as handle:
                handle.write(f"{event} {lr} {layers}\n")

    note("start")
    sleep = os.environ.get(TOY_SLEEP, "")
    if sleep and float(sleep.split(":")[0]) == lr:
        time.sleep(float(sleep.split(":")[1]))
    if lr == 0.5:
        raise RuntimeError("toy crash")
    history = []
    for epoch in range(1, context.config["epochs"] + 1):
        dev = 0.5 + lr / 2 + 0.01 * layers - 0.1 / epoch
        history.append(
            {"epoch": epoch, "train_loss": 1 / (epoch * lr), "dev_acc": dev, "test_acc": dev - 0.02}
        )
    final = {k: history[-1][k] for k in ("train_loss", "dev_acc", "test_acc")}
    note("end")
    if lr >= 1.0:
        history[-1]["train_loss"] = final["train_loss"] = float("nan")
        return RunResult(history, final, "diverged", "toy divergence")
    return RunResult(history, final)


def register_toy() -> None:
    if "toy-sweep" not in registry.names():
        registry.register(
            Experiment(
                name="toy-sweep",
                title="toy",
                task="classification",
                defaults={"learning_rate": 0.1, "epochs": 2, "layers": 1},
                engines=("formula",),
                train=toy_train,
            )
        )
    space = {"learning_rate": (0.01, 0.1, 0.5, 1.0), "layers": (1, 2, 3)}
    SWEEPS["toy"] = SweepDefinition(
        "toy",
        "toy-sweep",
        "toy sweep",
        space,
        {
            "report": lambda base: [{**base, "learning_rate": lr} for lr in (0.01, 0.1, 1.0)],
            "faulty": lambda base: [{**base, "learning_rate": lr} for lr in (0.01, 0.5)],
        },
    )
    SWEEPS["toy-depth"] = SweepDefinition(
        "toy-depth",
        "toy-sweep",
        "toy depth",
        space,
        {"report": lambda base: [{**base, "layers": n} for n in (2, 3)]},
        needs="toy",
    )


@pytest.fixture
def toy(tmp_path, monkeypatch):
    register_toy()
    log = tmp_path / "executions.log"
    monkeypatch.setenv(TOY_LOG, str(log))
    monkeypatch.delenv(TOY_SLEEP, raising=False)
    yield log
    SWEEPS.pop("toy", None)
    SWEEPS.pop("toy-depth", None)


def executions(log: Path, event: str = "end") -> list[str]:
    if not log.exists():
        return []
    return [
        line.split(" ", 1)[1] for line in log.read_text().splitlines() if line.startswith(event)
    ]


def study_trials(out: Path, name: str = "toy") -> list[optuna.trial.FrozenTrial]:
    storage = open_storage(parse_storage(None, out))
    return optuna.load_study(study_name=name, storage=storage).get_trials()


# ----------------------------------------------------------------------------- grids and input


def _request(name: str, grid: str = "report", epochs: int | None = None) -> Request:
    return Request(name, grid, epochs, 42, "torch", DataOptions())


def test_report_grids_follow_the_report():
    q41 = plan(SWEEPS["q4.1"], _request("q4.1"))
    assert [p.config["learning_rate"] for p in q41] == [0.001, 0.01, 0.1]
    assert all(p.config["epochs"] == 20 and p.config["batch_size"] == 1 for p in q41)
    q42 = plan(SWEEPS["q4.2"], _request("q4.2", epochs=3))
    assert [p.config["learning_rate"] for p in q42] == [0.001, 0.01, 0.1]
    assert all(p.config["epochs"] == 3 and p.config["hidden_size"] == 200 for p in q42)
    base = {**q42[0].config}
    base.pop("epochs")
    # q4.3: q4.2's best, then the defaults (whose numbers the report printed), 2 and 3 layers
    q43 = plan(SWEEPS["q4.3"], _request("q4.3"), base)
    assert [(p.config["learning_rate"], p.config["layers"]) for p in q43] == [
        (0.001, 2),
        (0.001, 3),
        (0.01, 2),
        (0.01, 3),
    ]
    assert all(p.config["hidden_size"] == 200 and p.config["epochs"] == 20 for p in q43)
    best_only = plan(SWEEPS["q4.3"], _request("q4.3", "best"), base)
    assert [(p.config["learning_rate"], p.config["layers"]) for p in best_only] == [
        (0.001, 2),
        (0.001, 3),
    ]
    # when q4.2's best is the defaults, the repeats are dropped
    defaults = {k: v for k, v in registry.get("q4-ffn").defaults.items() if k != "epochs"}
    assert len(plan(SWEEPS["q4.3"], _request("q4.3", epochs=2), defaults)) == 2


def test_the_costliest_configurations_are_queued_first(tmp_path):
    # Workers pop in queue order; the three Adam configurations (the slowest) go first so that
    # the cheap ones fill the gaps at the end. The sweep's tables keep the grid order.
    request = _request("q4.2", "extended")
    planned = plan(SWEEPS["q4.2"], request)
    spec = parse_storage(None, tmp_path)
    storage = open_storage(spec)
    study = open_study(storage, "q4.2", "q4.2", spec.display)
    assert enqueue_missing(spec, storage, study, planned, "q4.2", request) == 15
    queued = [t.user_attrs["config"] for t in study.get_trials()]
    assert [c["optimizer"] for c in queued[:3]] == ["adam"] * 3
    assert [c["hidden_size"] for c in queued[-3:]] == [100] * 3  # the smallest network last
    assert sorted(map(json.dumps, queued)) == sorted(json.dumps(p.config) for p in planned)


def test_extended_grid_changes_one_factor_at_a_time_at_every_learning_rate():
    defaults = registry.get("q4-ffn").defaults
    planned = plan(SWEEPS["q4.2"], _request("q4.2", "extended"))
    assert len(planned) == 15 == len({p.key for p in planned})
    for item in planned:
        changed = {k for k, v in item.config.items() if v != defaults[k]} - {"learning_rate"}
        assert len(changed) <= 1
    changed_values = {
        (k, v)
        for p in planned
        for k, v in p.config.items()
        if v != defaults[k] and k != "learning_rate"
    }
    assert changed_values == {
        ("hidden_size", 100),
        ("dropout", 0.5),
        ("activation", "tanh"),
        ("optimizer", "adam"),
    }


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


def test_storage_urls_are_checked_and_passwords_never_shown(tmp_path):
    journal = parse_storage(None, tmp_path)
    assert journal.kind == "journal" and journal.url == str(tmp_path / "optuna-journal.log")
    spec = parse_storage("postgresql://alice:s3cret@db.example:5433/sweeps", tmp_path)
    assert spec.kind == "postgresql"
    assert spec.url == "postgresql+psycopg2://alice:s3cret@db.example:5433/sweeps"
    assert spec.display == "postgresql+psycopg2://alice:***@db.example:5433/sweeps"
    alias = parse_storage("postgres://bob@localhost/db", tmp_path)
    assert alias.url == "postgresql+psycopg2://bob@localhost/db"
    for bad, fragment in [
        ("postgresql://alice:s3cret@host:notaport/db", "malformed --storage URL"),
        ("not a url", "malformed --storage URL"),
        ("sqlite:///x.db", "only postgresql://"),
        ("postgresql://alice:s3cret@host:5432", "names no database"),
    ]:
        with pytest.raises(ConfigError, match=fragment) as error:
            parse_storage(bad, tmp_path)
        assert "s3cret" not in str(error.value)


def test_an_unreachable_database_fails_fast_with_one_line(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://alice:s3cret@127.0.0.1:{port}/sweeps"
    start = time.monotonic()
    with pytest.raises(DlbasicsError) as error:
        run_sweep("q4.1", out_dir=tmp_path / "out", storage=url, epochs=1)
    assert time.monotonic() - start < 30
    text = str(error.value)
    assert text.startswith("cannot use the database postgresql+psycopg2://alice:***@127.0.0.1")
    assert "s3cret" not in text and "\n" not in text


def test_cli_prints_one_line_and_exits_non_zero(monkeypatch, capsys):
    from dlbasics.cli import main

    monkeypatch.setattr(sys, "argv", ["dlbasics", "sweep", "q4.1", "--grid", "wide"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: sweep q4.1 has no grid 'wide'; choose one of: report"


# ----------------------------------------------------------------------------- running


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


def test_enqueue_is_idempotent_and_a_twin_never_runs(toy, tmp_path):
    out = tmp_path / "out"
    spec = parse_storage(None, out)
    storage = open_storage(spec)
    study = open_study(storage, "toy", "toy", spec.display)
    request = Request("toy", "report", None, 42, "formula", DataOptions())
    planned = plan(SWEEPS["toy"], request)
    assert enqueue_missing(spec, storage, study, planned, "toy", request) == 3
    assert enqueue_missing(spec, storage, study, planned, "toy", request) == 0
    # a twin slipped in anyway (e.g. a storage without working locks): it must not run
    first = study.get_trials()[0]
    study.enqueue_trial(first.system_attrs["fixed_params"], user_attrs=dict(first.user_attrs))
    result = run_sweep("toy", out_dir=out, engine="formula", **FAST)
    assert sorted(executions(toy)) == ["0.01 1", "0.1 1", "1.0 1"]
    assert len(result["trials"]) == 3
    twin = study.get_trials()[3]
    assert twin.state == optuna.trial.TrialState.FAIL
    assert twin.user_attrs["fail_reason"] == "duplicate"


def _running_trial(out: Path, attrs: dict[str, Any]) -> int:
    """Enqueue the toy grid, then move the lr=0.1 trial to RUNNING as a worker would."""
    spec = parse_storage(None, out)
    storage = open_storage(spec)
    study = open_study(storage, "toy", "toy", spec.display)
    request = Request("toy", "report", None, 42, "formula", DataOptions())
    enqueue_missing(spec, storage, study, plan(SWEEPS["toy"], request), "toy", request)
    target = next(t for t in study.get_trials() if t.user_attrs["config"]["learning_rate"] == 0.1)
    trial_id = storage.get_trial_id_from_study_id_trial_number(
        storage.get_study_id_from_name("toy"), target.number
    )
    assert storage.set_trial_state_values(trial_id, optuna.trial.TrialState.RUNNING)
    for key, value in attrs.items():
        storage.set_trial_user_attr(trial_id, key, value)
    return trial_id


def test_a_trial_of_a_dead_local_worker_runs_again_at_once(toy, tmp_path):
    out = tmp_path / "out"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _running_trial(out, {"worker_host": socket.gethostname(), "worker_pid": dead.pid})
    start = time.monotonic()
    result = run_sweep(
        "toy", out_dir=out, engine="formula", heartbeat_seconds=0.2, grace_seconds=600
    )
    assert time.monotonic() - start < 60  # did not wait for the (long) grace period
    assert sorted(executions(toy)) == ["0.01 1", "0.1 1", "1.0 1"]
    assert [t["status"] for t in result["trials"]] == ["ok", "ok", "diverged"]
    lost = [t for t in study_trials(out) if t.user_attrs.get("fail_reason") == "worker lost"]
    assert len(lost) == 1


def test_a_silent_remote_worker_is_declared_lost_after_the_grace_period(toy, tmp_path):
    out = tmp_path / "out"
    _running_trial(out, {"worker_host": "another-machine", "worker_pid": 1, "heartbeat": 1.0})
    start = time.monotonic()
    result = run_sweep("toy", out_dir=out, engine="formula", **FAST)
    assert time.monotonic() - start >= 1.0
    assert sorted(executions(toy)) == ["0.01 1", "0.1 1", "1.0 1"]
    assert result["best"]["config"]["learning_rate"] == 0.1


def test_a_live_remote_worker_is_waited_for_and_its_result_used(toy, tmp_path):
    """Another machine runs lr=0.1 (heartbeat alive): we must not run it, but wait for it."""
    out = tmp_path / "out"
    trial_id = _running_trial(out, {"worker_host": "another-machine", "worker_pid": 1})
    storage = open_storage(parse_storage(None, out))
    remote_final = {"train_loss": 0.25, "dev_acc": 0.75, "test_acc": 0.7}

    def remote_machine() -> None:
        for _ in range(15):  # ~3 s of heartbeats, longer than the grace period
            storage.set_trial_user_attr(trial_id, "heartbeat", time.time())
            time.sleep(0.2)
        history = [{"epoch": 1, **remote_final}]
        for key, value in {
            "final": remote_final,
            "history": history,
            "seconds": 3.0,
            "outcome": "ok",
        }.items():
            storage.set_trial_user_attr(trial_id, key, value)
        storage.set_trial_state_values(trial_id, optuna.trial.TrialState.COMPLETE, [0.75])

    thread = threading.Thread(target=remote_machine)
    thread.start()
    try:
        result = run_sweep("toy", out_dir=out, engine="formula", **FAST)
    finally:
        thread.join()
    assert sorted(executions(toy)) == ["0.01 1", "1.0 1"]
    assert result["best"]["final"] == remote_final


def _toy_process(out: Path, log: Path, sleep: str) -> subprocess.Popen:
    env = {**os.environ, TOY_LOG: str(log), TOY_SLEEP: sleep}
    # A shell started in the background ignores SIGINT, and Python then keeps ignoring it:
    # restore the default so that the child turns SIGINT into KeyboardInterrupt as a user's would.
    return subprocess.Popen(
        [sys.executable, __file__, str(out)],
        env=env,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for_start(log: Path, count: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(executions(log, "start")) < count:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "the toy sweep did not start in time"
        time.sleep(0.05)


SIGNALS = {"kill": signal.SIGKILL, "interrupt": signal.SIGINT, "terminate": signal.SIGTERM}


@pytest.mark.parametrize("how", list(SIGNALS))
def test_a_killed_or_interrupted_sweep_resumes_where_it_stopped(toy, tmp_path, how):
    out = tmp_path / "out"
    process = _toy_process(out, toy, "0.1:60")
    _wait_for_start(toy, 2, process)  # 0.01 finished, 0.1 is sleeping in its trial
    process.send_signal(SIGNALS[how])
    process.wait(timeout=60)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if how != "kill":
        assert process.returncode == 130, stderr
        running = [t for t in study_trials(out) if t.state == optuna.trial.TrialState.RUNNING]
        assert not running
        failed = [t for t in study_trials(out) if t.state == optuna.trial.TrialState.FAIL]
        assert [t.user_attrs["fail_reason"] for t in failed] == ["interrupted"]
    assert executions(toy, "end") == ["0.01 1"]
    result = run_sweep("toy", out_dir=out, engine="formula", **FAST)
    ends = executions(toy, "end")
    assert ends[0] == "0.01 1" and sorted(ends[1:]) == ["0.1 1", "1.0 1"]  # 0.01 not again
    assert [t["status"] for t in result["trials"]] == ["ok", "ok", "diverged"]


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


def test_a_study_of_another_sweep_is_refused(toy, tmp_path):
    run_sweep("toy", out_dir=tmp_path, engine="formula", **FAST)
    with pytest.raises(ConfigError, match="belongs to sweep toy, not q4.1"):
        run_sweep("q4.1", out_dir=tmp_path, study_name="toy", epochs=1)


# ----------------------------------------------------------------------------- real data


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


if __name__ == "__main__":  # the toy sweep in its own process (see _toy_process)
    register_toy()
    try:
        run_sweep("toy", out_dir=Path(sys.argv[1]), engine="formula", **FAST)
    except KeyboardInterrupt:
        sys.exit(130)
