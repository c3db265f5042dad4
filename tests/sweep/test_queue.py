"""The trial state machine: enqueueing is idempotent, a twin never runs, and each transition
is taken by one caller only."""

from __future__ import annotations

import optuna
from optuna.trial import TrialState

from dlbasics.data import DataOptions
from dlbasics.sweep import SWEEPS, queue, run_sweep
from dlbasics.sweep.attributes import IDENTITY, KEY, LOST
from dlbasics.sweep.plan import Request, enqueue_missing, plan
from dlbasics.sweep.storage import open_storage, open_study, parse_storage
from tests.sweep.toy import FAST, executions


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


def _queued(out):
    spec = parse_storage(None, out)
    storage = open_storage(spec)
    study = open_study(storage, "toy", "toy", spec.display)
    request = Request("toy", "report", None, 42, "formula", DataOptions())
    planned = plan(SWEEPS["toy"], request)
    enqueue_missing(spec, storage, study, planned, "toy", request)
    return spec, storage, study, storage.get_study_id_from_name("toy"), {p.key for p in planned}


def test_each_waiting_trial_is_popped_once_and_only_by_its_own_grid(toy, tmp_path):
    _, storage, study, study_id, keys = _queued(tmp_path)
    assert queue.pop(storage, study_id, {"another grid's key"}) is None
    popped = [queue.pop(storage, study_id, keys) for _ in range(4)]
    assert popped[3] is None
    assert sorted(t.number for t in popped[:3]) == [0, 1, 2]
    assert all(t.state == TrialState.RUNNING for t in study.get_trials())


def test_a_finished_trial_never_changes_again(toy, tmp_path):
    _, storage, _, study_id, keys = _queued(tmp_path)
    popped = queue.pop(storage, study_id, keys)
    trial_id = queue.trial_id_of(storage, study_id, popped.number)
    assert queue.fail(storage, trial_id, LOST)
    assert not queue.fail(storage, trial_id, "interrupted")
    final = {"train_loss": 0.2, "dev_acc": 0.9, "test_acc": 0.8}
    metrics = {"status": "ok", "final": final, "history": [], "wall_seconds": 1.0}
    assert not queue.complete(storage, trial_id, metrics)  # a lost worker's late result
    trial = storage.get_trial(trial_id)
    assert trial.state == TrialState.FAIL and trial.user_attrs["fail_reason"] == "worker lost"
    assert "final" not in trial.user_attrs


def test_a_lost_trial_is_queued_again_once_with_its_identity_only(toy, tmp_path):
    spec, storage, study, study_id, keys = _queued(tmp_path)
    popped = queue.pop(storage, study_id, keys)
    trial_id = queue.trial_id_of(storage, study_id, popped.number)
    queue.start(storage, trial_id, popped.user_attrs["config"], SWEEPS["toy"].space)
    queue.fail(storage, trial_id, LOST)
    lost = storage.get_trial(trial_id)
    queue.requeue(spec, storage, study, lost)
    queue.requeue(spec, storage, study, lost)  # the copy is a live twin: nothing more
    copies = [t for t in study.get_trials() if t.user_attrs[KEY] == lost.user_attrs[KEY]]
    assert [t.state for t in copies] == [TrialState.FAIL, TrialState.WAITING]
    assert set(copies[1].user_attrs) == set(IDENTITY)  # not the dead worker's host and pid
    assert copies[1].system_attrs["fixed_params"] == lost.system_attrs["fixed_params"]


def test_a_stalled_run_completes_with_its_accuracy_as_value_and_outcome_stalled(toy, tmp_path):
    _, storage, _, study_id, keys = _queued(tmp_path)
    popped = queue.pop(storage, study_id, keys)
    trial_id = queue.trial_id_of(storage, study_id, popped.number)
    final = {"train_loss": 2.3, "dev_acc": 0.1, "test_acc": 0.1}
    metrics = {"status": "stalled", "final": final, "history": [], "wall_seconds": 1.0}
    assert queue.complete(storage, trial_id, metrics)
    trial = storage.get_trial(trial_id)
    assert trial.state == TrialState.COMPLETE and trial.value == 0.1
    assert trial.user_attrs["outcome"] == "stalled"
