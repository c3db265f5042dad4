"""Planning and enqueueing: the queue order, and enqueueing twice adds nothing."""

from __future__ import annotations

import json

from dlbasics.data import DataOptions
from dlbasics.sweep.grids import SWEEPS
from dlbasics.sweep.plan import Request, enqueue_missing, plan
from dlbasics.sweep.storage import open_storage, open_study, parse_storage


def _request(name: str, grid: str = "report", epochs: int | None = None) -> Request:
    return Request(name, grid, epochs, 42, "torch", DataOptions())


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
