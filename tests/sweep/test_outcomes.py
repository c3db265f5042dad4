"""How spawned workers ended: an interrupt or an error is raised, a death is described."""

from __future__ import annotations

import queue
import socket
from types import SimpleNamespace

import pytest
from optuna.trial import TrialState

from dlbasics.errors import DlbasicsError
from dlbasics.sweep.outcomes import WorkerEnd, collect_outcomes, describe_ends, exit_description


def _reports(*items):
    reports: queue.Queue = queue.Queue()
    for item in items:
        reports.put(item)
    return reports


def test_exit_codes_are_described():
    assert exit_description(-9) == "killed by signal 9"
    assert exit_description(1) == "exit code 1"
    assert exit_description(None) == "still running"


def test_a_killed_or_crashed_worker_is_returned_and_a_finished_one_is_not(monkeypatch):
    monkeypatch.setattr("dlbasics.sweep.outcomes.REPORT_SECONDS", 0.1)
    processes = [
        SimpleNamespace(pid=11, exitcode=0),
        SimpleNamespace(pid=12, exitcode=-9),
        SimpleNamespace(pid=13, exitcode=0),
    ]
    crash = ("crash", "TypeError: bad\nTraceback (most recent call last): ...")
    ended = collect_outcomes(_reports((11, None), (13, crash)), processes)
    assert ended == [WorkerEnd(12, "killed by signal 9"), WorkerEnd(13, "crashed: TypeError: bad")]
    # a worker that exited normally but whose report never came is described by its exit code
    assert collect_outcomes(_reports(), processes[:1]) == [WorkerEnd(11, "exit code 0")]


@pytest.mark.parametrize(
    "outcome, raised",
    [(("interrupted", ""), KeyboardInterrupt), (("error", "bad data"), DlbasicsError)],
)
def test_an_interrupt_or_an_error_of_a_worker_is_raised_here(outcome, raised):
    with pytest.raises(raised):
        collect_outcomes(_reports((11, outcome)), [SimpleNamespace(pid=11, exitcode=0)])


def _trial(number, key, state, **attrs):
    return SimpleNamespace(number=number, state=state, user_attrs={"dlbasics_key": key, **attrs})


def test_a_dead_workers_trials_are_told_ran_again_or_missing():
    host = socket.gethostname()
    lost = {"worker_pid": 7, "worker_host": host, "fail_reason": "worker lost"}
    trials = [
        _trial(1, "a", TrialState.FAIL, **lost),
        _trial(2, "b", TrialState.FAIL, **lost),
        _trial(3, "a", TrialState.COMPLETE, worker_pid=8, worker_host=host),
        _trial(4, "c", TrialState.FAIL, **{**lost, "worker_host": "elsewhere"}),
    ]
    ended = [WorkerEnd(7, "killed by signal 9"), WorkerEnd(9, "exit code 1")]
    assert describe_ends("q4.1", ended, trials, {"a", "b", "c"}) == [
        "q4.1: worker 7 ended abnormally (killed by signal 9); its trial #1 ran again; "
        "its trial #2 did not finish: rerun the same command",
        "q4.1: worker 9 ended abnormally (exit code 1); it held no unfinished trial",
    ]
