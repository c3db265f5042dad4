"""Signals: a sweep killed (SIGKILL), interrupted (Ctrl-C) or terminated (SIGTERM) resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pytest

from dlbasics.sweep import run_sweep
from tests.sweep.toy import FAST, TOY_LOG, TOY_SLEEP, executions, study_trials

TOY_SCRIPT = Path(__file__).with_name("toy.py")  # runs the toy sweep in its own process


def _toy_process(out: Path, log: Path, sleep: str) -> subprocess.Popen:
    env = {**os.environ, TOY_LOG: str(log), TOY_SLEEP: sleep}
    # A shell started in the background ignores SIGINT, and Python then keeps ignoring it:
    # restore the default so that the child turns SIGINT into KeyboardInterrupt as a user's would.
    return subprocess.Popen(
        [sys.executable, str(TOY_SCRIPT), str(out)],
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
