"""The step record's ``done.json``: written last, read back only under the same key and only
while the folder's files match the manifest that seals it."""

from __future__ import annotations

import json

from dlbasics.results.io import read_json
from dlbasics.results.manifest import MANIFEST
from dlbasics.results.steps import Step, StepOutcome, read_done, unseal, write_done

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


def test_a_folder_whose_files_fail_their_manifest_is_not_read_back(tmp_path):
    key = {"step": "q3.1a", "seed": 42}
    (tmp_path / "metrics.json").write_text('{"final": {}}')
    (tmp_path / "started.json").write_text("{}")
    (tmp_path / "optuna-journal.log").write_text("{}\n")
    write_done(StepOutcome(STEP, "ok", key, tmp_path), skip=("optuna-journal.log*",))
    listed = json.loads((tmp_path / MANIFEST).read_text())["files"]
    assert sorted(listed) == ["done.json", "metrics.json"]  # not the bookkeeping

    (tmp_path / "started.json").write_text('{"again": true}')
    (tmp_path / "optuna-journal.log").write_text("{}\n{}\n")
    assert read_done(StepOutcome(STEP, "not run", dict(key), tmp_path))

    (tmp_path / "metrics.json").write_text('{"fin')
    damaged = StepOutcome(STEP, "not run", dict(key), tmp_path)
    assert not read_done(damaged) and damaged.status == "not run" and not damaged.cached
    assert damaged.cache_problem == (
        "cached metrics.json does not match its manifest (size 5, expected 13)"
    )

    unseal(damaged)  # before a step runs again: neither manifest nor done.json is left
    assert not (tmp_path / MANIFEST).exists() and not (tmp_path / "done.json").exists()
    assert read_done(damaged) is False


def test_a_done_record_that_is_not_an_object_is_not_read(tmp_path):
    (tmp_path / "done.json").write_text("[1]")
    assert not read_done(StepOutcome(STEP, "not run", {}, tmp_path))


def test_read_json_is_none_for_a_missing_or_broken_file(tmp_path):
    assert read_json(tmp_path / "missing.json") is None
    (tmp_path / "broken.json").write_text("{not json")
    assert read_json(tmp_path / "broken.json") is None
    (tmp_path / "ok.json").write_text('{"a": 1}')
    assert read_json(tmp_path / "ok.json") == {"a": 1}
