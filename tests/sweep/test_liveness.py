"""Lost workers: a dead local process, a silent remote machine, and a live one that is waited for."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import optuna

from dlbasics.sweep import (
    StaleWatch,
    open_storage,
    parse_storage,
    run_sweep,
)
from dlbasics.sweep.liveness import Liveness, liveness_for
from tests.sweep.toy import FAST, executions, running_trial, study_trials


def test_a_trial_of_a_dead_local_worker_runs_again_at_once(toy, tmp_path):
    out = tmp_path / "out"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    running_trial(out, {"worker_host": socket.gethostname(), "worker_pid": dead.pid})
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
    running_trial(out, {"worker_host": "another-machine", "worker_pid": 1, "heartbeat": 1.0})
    start = time.monotonic()
    result = run_sweep("toy", out_dir=out, engine="formula", **FAST)
    assert time.monotonic() - start >= 1.0
    assert sorted(executions(toy)) == ["0.01 1", "0.1 1", "1.0 1"]
    assert result["best"]["config"]["learning_rate"] == 0.1


def test_a_live_remote_worker_is_waited_for_and_its_result_used(toy, tmp_path):
    """Another machine runs lr=0.1 (heartbeat alive): we must not run it, but wait for it."""
    out = tmp_path / "out"
    _, trial_id = running_trial(out, {"worker_host": "another-machine", "worker_pid": 1})
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


def test_the_stale_watch_trusts_only_its_own_clock():
    now = [100.0]
    watch = StaleWatch(grace=10.0, clock=lambda: now[0])
    remote = SimpleNamespace(
        number=1, user_attrs={"worker_host": "another-machine", "worker_pid": 1, "heartbeat": 5.0}
    )
    assert not watch.is_stale(remote)  # first sight: the stamp's own value means nothing
    now[0] = 109.0
    assert not watch.is_stale(remote)
    now[0] = 111.0
    assert watch.is_stale(remote)  # unchanged for longer than the grace period
    remote.user_attrs["heartbeat"] = 4.0  # changed, even backwards (another machine's clock)
    assert not watch.is_stale(remote)


def test_a_heartbeat_stamps_the_trial_and_stops_once_another_worker_failed_it(toy, tmp_path):
    storage, trial_id = running_trial(tmp_path, {})
    liveness = liveness_for(storage, storage.get_study_id_from_name("toy"), 0.05, 1.0)
    assert type(liveness) is Liveness  # the journal file: Optuna has no heartbeat there
    with liveness.heartbeat(trial_id) as heartbeat:
        first = storage.get_trial(trial_id).user_attrs["heartbeat"]
        time.sleep(0.3)
        assert storage.get_trial(trial_id).user_attrs["heartbeat"] > first
        assert not heartbeat.taken_over
        storage.set_trial_state_values(trial_id, optuna.trial.TrialState.FAIL)
        time.sleep(0.3)
    assert heartbeat.taken_over
    running = [t for t in study_trials(tmp_path) if t.state == optuna.trial.TrialState.RUNNING]
    assert liveness.lost(running) == []


def test_a_heartbeat_that_fails_for_a_moment_keeps_the_trial():
    from dlbasics.sweep.liveness import Heartbeat

    calls = []

    def beat() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("the database did not answer")

    with Heartbeat(beat, 0.02) as heartbeat:
        time.sleep(0.2)
    assert len(calls) > 2 and not heartbeat.taken_over  # went on beating after the failure


def test_an_ended_but_unreaped_local_worker_counts_as_dead():
    from dlbasics.sweep.liveness import _pid_alive

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while _pid_alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.02)  # the child ends; it stays a zombie until wait() below
    assert not _pid_alive(child.pid)
    child.wait()
