"""One study, two worker processes, a real PostgreSQL server (like two machines sharing a sweep),
and lost workers found by Optuna's heartbeat and by the previous version's stamp.

The throwaway server is tests/sweep/pg.py's: without PostgreSQL's server programs the tests are
skipped, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import optuna
import pytest
import sqlalchemy

from dlbasics.data import DataOptions
from dlbasics.sweep import KEY, open_storage, parse_storage, run_sweep
from dlbasics.sweep.liveness import RdbLiveness, liveness_for
from tests.sweep.pg import postgres_server
from tests.sweep.toy import executions, running_trial

pytestmark = pytest.mark.realdata

LIMIT, EPOCHS = 100, 1


@pytest.fixture(scope="module")
def postgres_url():
    with postgres_server() as server:
        yield server.url


def _worker(url: str, out: Path, env: dict[str, str]) -> subprocess.Popen:
    """One "machine": the real command line, on the shared study."""
    command = [
        sys.executable,
        "-c",
        "from dlbasics.cli import main; main()",
        "sweep",
        "q4.2",
        "--grid",
        "extended",
        "--storage",
        url,
        "--study",
        "pg-q4.2",
        "--engine",
        "torch",
        "--epochs",
        str(EPOCHS),
        "--limit",
        str(LIMIT),
        "--out",
        str(out),
        "--quiet",
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_workers_on_one_postgres_study_run_each_configuration_once(
    postgres_url, tmp_path, monkeypatch
):
    # one thread per process: the same arithmetic everywhere, so results can be compared exactly
    monkeypatch.setenv("DLBASICS_TORCH_THREADS", "1")
    env = dict(os.environ)
    workers = [_worker(postgres_url, tmp_path / f"machine{i}", env) for i in (1, 2)]
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err.decode()
        assert "Best" in out.decode()

    storage = open_storage(parse_storage(postgres_url, tmp_path))
    trials = optuna.load_study(study_name="pg-q4.2", storage=storage).get_trials()
    keys = Counter(t.user_attrs[KEY] for t in trials)
    assert len(keys) == 15 and set(keys.values()) == {1}  # enqueued once, despite two machines
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    pids = Counter(t.user_attrs["worker_pid"] for t in trials)
    assert set(pids) == {w.pid for w in workers}, "both workers must have trained some trials"
    # each trial also got Optuna's own heartbeat (its table), beside the user attribute
    with storage.engine.connect() as connection:
        query = sqlalchemy.text("SELECT trial_id FROM trial_heartbeats")
        beaten = {row[0] for row in connection.execute(query)}
    assert {t._trial_id for t in trials} <= beaten

    # both machines report the whole sweep, identical to one worker on a journal file
    reports = [json.loads((tmp_path / f"machine{i}" / "sweep.json").read_text()) for i in (1, 2)]
    assert reports[0]["trials"] == reports[1]["trials"]
    assert reports[0]["storage"] == parse_storage(postgres_url, tmp_path).display
    assert reports[0]["storage"].startswith("postgresql+psycopg2://postgres@/postgres?host=")
    single = run_sweep(
        "q4.2",
        grid="extended",
        out_dir=tmp_path / "single",
        epochs=EPOCHS,
        data=DataOptions(limit=LIMIT),
        engine="torch",
    )
    assert [t["config"] for t in single["trials"]] == [t["config"] for t in reports[0]["trials"]]
    assert [t["final"] for t in single["trials"]] == [t["final"] for t in reports[0]["trials"]]
    assert single["best"] == reports[0]["best"]

    # q4.3 finds the finished q4.2 study in the same database (study name q4.3 -> q4.2)
    depth = run_sweep(
        "q4.3",
        out_dir=tmp_path / "depth",
        storage=postgres_url,
        study_name="pg-q4.3",
        epochs=EPOCHS,
        data=DataOptions(limit=LIMIT),
        engine="torch",
    )
    assert depth["base"]["source"].startswith("study 'pg-q4.2' in postgresql+psycopg2://")
    best_q42 = {k: v for k, v in reports[0]["best"]["config"].items() if k != "layers"}

    def start(config):
        return {k: v for k, v in config.items() if k != "layers"}

    from_best = [t for t in depth["trials"] if start(t["config"]) == best_q42]
    assert [t["config"]["layers"] for t in from_best] == [2, 3]
    # the other trials start from the defaults (what the report's q4.3 numbers came from)
    assert {json.dumps(start(t["config"]), sort_keys=True) for t in depth["trials"]} <= {
        json.dumps(best_q42, sort_keys=True),
        json.dumps(start(depth["defaults"]), sort_keys=True),
    }


def test_lost_workers_are_found_by_optunas_heartbeat_and_by_the_old_stamp(
    postgres_url, toy, tmp_path
):
    """A RUNNING trial whose Optuna heartbeat stopped (a worker of this version, killed) is lost
    at first sight; one with only the ``heartbeat`` user attribute (a study made by the previous
    version) once its stamp has not changed for the grace period. A rerun runs both again."""
    options = {"heartbeat_seconds": 1.0, "grace_seconds": 2.0}
    remote = {"worker_host": "another-machine", "worker_pid": 1}
    storage, killed = running_trial(tmp_path, remote, 0.1, postgres_url, "pg-toy", **options)
    _, old = running_trial(
        tmp_path, {**remote, "heartbeat": 1.0}, 0.01, postgres_url, "pg-toy", **options
    )
    study_id = storage.get_study_id_from_name("pg-toy")
    liveness = liveness_for(storage, study_id, 1.0, 2.0)
    assert type(liveness) is RdbLiveness
    with liveness.heartbeat(killed):
        time.sleep(2.5)
        assert killed not in storage._get_stale_trial_ids(study_id)  # alive while it beats
    time.sleep(3.0)  # the "killed" worker's last heartbeat is older than the grace period

    def running() -> list[optuna.trial.FrozenTrial]:
        study = optuna.load_study(study_name="pg-toy", storage=storage)
        return [t for t in study.get_trials() if t.state == optuna.trial.TrialState.RUNNING]

    numbers = {storage.get_trial(i).number: i for i in (killed, old)}
    assert [numbers[t.number] for t in liveness.lost(running())] == [killed]
    time.sleep(2.2)
    assert sorted(numbers[t.number] for t in liveness.lost(running())) == sorted([killed, old])

    result = run_sweep(
        "toy",
        out_dir=tmp_path / "out",
        storage=postgres_url,
        study_name="pg-toy",
        engine="formula",
        **options,
    )
    assert sorted(executions(toy)) == ["0.01 1", "0.1 1", "1.0 1"]
    assert [t["status"] for t in result["trials"]] == ["ok", "ok", "diverged"]
    trials = optuna.load_study(study_name="pg-toy", storage=storage).get_trials()
    assert sorted(
        t.number for t in trials if t.user_attrs.get("fail_reason") == "worker lost"
    ) == sorted(numbers)
