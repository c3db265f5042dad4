"""The step record's ``done.json``: written last, read back only under the same key."""

from __future__ import annotations

import json

from dlbasics.results.io import read_json
from dlbasics.results.steps import Step, StepOutcome, read_done, write_done

STEP = Step("q3.1a", "experiment", "Q3.1a", "Perceptron", "q3.1a")


def test_a_done_record_is_read_back_under_its_own_key_only(tmp_path):
    key = {"step": "q3.1a", "seed": 42}
    finished = StepOutcome(STEP, "ok", key, tmp_path, engine="fast", engine_note="a note")
    finished.wall_seconds, finished.cpu_seconds, finished.finished_at = 1.5, 2.5, "2026-01-01"
    write_done(finished)
    assert json.loads((tmp_path / "done.json").read_text())["step"] == "q3.1a"

    again = StepOutcome(STEP, "not run", dict(key), tmp_path)
    assert read_done(again)
    assert (again.status, again.cached, again.wall_seconds, again.cpu_seconds) == (
        "ok",
        True,
        1.5,
        2.5,
    )
    assert again.finished_at == "2026-01-01" and again.engine_note == "a note"

    other = StepOutcome(STEP, "not run", {"step": "q3.1a", "seed": 7}, tmp_path)
    assert not read_done(other) and other.status == "not run" and not other.cached


def test_read_json_is_none_for_a_missing_or_broken_file(tmp_path):
    assert read_json(tmp_path / "missing.json") is None
    (tmp_path / "broken.json").write_text("{not json")
    assert read_json(tmp_path / "broken.json") is None
    (tmp_path / "ok.json").write_text('{"a": 1}')
    assert read_json(tmp_path / "ok.json") == {"a": 1}
