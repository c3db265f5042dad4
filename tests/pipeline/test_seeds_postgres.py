"""Two "machines" running the same many-seed reproduction against one PostgreSQL storage (and
one shared output folder, as docs/seeds.md asks): every (step, seed) unit runs exactly once.

The throwaway server is tests/sweep/pg.py's: without PostgreSQL's server programs the test is
skipped, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.pipeline.recorder import LoggingRecorder
from tests.sweep.pg import postgres_server

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (42, 43, 44)
MACHINE = """
import json, sys
from pathlib import Path
from dlbasics.pipeline import ReproduceOptions, reproduce
from tests.pipeline.recorder import LoggingRecorder
out, url, log = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
options = ReproduceOptions(
    out=out, seeds={seeds}, only=("q3.1a", "q4.3"), storage=url, jobs=1, quiet=True
)
result = reproduce(options, build_report=False, step_runner=LoggingRecorder(log))
print(json.dumps([[o.step.name, o.seed, o.status] for o in result.outcomes]))
"""


def test_two_machines_on_one_postgres_storage_run_each_unit_once(tmp_path):
    out, log = tmp_path / "shared-out", tmp_path / "units.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    with postgres_server() as server:
        script = MACHINE.format(seeds=SEEDS)
        machines = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(out), server.url, str(log)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=tmp_path,
            )
            for _ in range(2)
        ]
        reports = []
        for machine in machines:
            stdout, stderr = machine.communicate(timeout=600)
            assert machine.returncode == 0, stderr.decode()
            reports.append(json.loads(stdout.decode().strip().splitlines()[-1]))
    expected = sorted((name, seed) for name in ("q3.1a", "q4.2", "q4.3") for seed in SEEDS)
    assert sorted(LoggingRecorder(log).units()) == expected  # each unit once, on either machine
    for report in reports:  # and each machine sees every unit finished (the folder is shared)
        assert sorted((n, s) for n, s, status in report if status == "ok") == expected
    assert not (out / "cache" / "optuna-journal.log").exists()  # the study was in PostgreSQL
