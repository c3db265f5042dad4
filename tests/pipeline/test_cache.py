"""The cache: a finished step is not run again under the same key; what goes into the key."""

from __future__ import annotations

import json

from dlbasics.pipeline import STEP_NAMES, ReproduceOptions, code_version, plan_outcomes
from tests.pipeline.recorder import Recorder
from tests.pipeline.recorder import run_steps as _run


def test_finished_steps_are_cached_by_configuration(tmp_path):
    runner = Recorder()
    first = _run(tmp_path, runner, only=("q3.1a", "q3.1b"))
    assert runner.ran == ["q3.1a", "q3.1b"]
    assert [o.step.name for o in first.outcomes] == list(STEP_NAMES)
    ran = {o.step.name: o for o in first.outcomes if o.status == "ok"}
    assert set(ran) == {"q3.1a", "q3.1b"} and not first.failed
    for outcome in ran.values():
        done = json.loads((outcome.dir / "done.json").read_text())
        assert done["status"] == "ok" and done["key"] == outcome.key

    again = Recorder()
    second = _run(tmp_path, again, only=("q3.1a", "q3.1b"))
    assert again.ran == []
    assert all(o.cached for o in second.outcomes if o.status == "ok")

    other_seed = Recorder()
    third = _run(tmp_path, other_seed, only=("q3.1a",), seed=7)
    assert other_seed.ran == ["q3.1a"]
    (new,) = [o for o in third.outcomes if o.step.name == "q3.1a"]
    assert new.dir != ran["q3.1a"].dir and new.key["seed"] == 7

    quick = Recorder()
    _run(tmp_path, quick, only=("q3.1a",), quick=True)
    assert quick.ran == ["q3.1a"]  # --quick is another configuration, not the full run's cache


def test_quick_mode_caps_the_data_and_the_epochs(tmp_path):
    outcomes, to_run = plan_outcomes(ReproduceOptions(out=tmp_path, quick=True))
    assert to_run == list(STEP_NAMES)
    by_name = {o.step.name: o for o in outcomes}
    assert by_name["q3.2b"].key["config"]["data_limit"] > 0
    assert by_name["q3.2b"].key["config"]["overrides"]["epochs"] <= 5
    assert by_name["q4.2"].key["config"]["epochs"] <= 5
    full, _ = plan_outcomes(ReproduceOptions(out=tmp_path))
    assert {o.step.name: o for o in full}["q3.2b"].key["config"]["overrides"] == {}


def test_code_version_follows_the_result_shaping_sources_only(tmp_path):
    package = tmp_path / "dlbasics"
    presentation = ("report/build.py", "documents/html.py", "pipeline/run.py", "cli/run.py")
    for relative in ("experiments/q3.py", "plotting/plots.py", *presentation):
        (package / relative).parent.mkdir(parents=True, exist_ok=True)
        (package / relative).write_text("x = 1\n")
    base = code_version(package)
    assert len(base) == 16 and base == code_version(package)
    for relative in presentation:
        (package / relative).write_text("x = 2\n")
    assert code_version(package) == base  # presentation only
    (package / "plotting/plots.py").write_text("x = 2\n")
    changed = code_version(package)
    assert changed != base
    (package / "experiments/q3.py").write_text("x = 2\n")
    assert code_version(package) != changed


def test_a_damaged_cached_step_is_recomputed_from_an_empty_folder_and_says_why(tmp_path, capsys):
    steps = ("q3.1a", "q3.1b")
    first = {o.step.name: o for o in _run(tmp_path, Recorder(), only=steps).outcomes}
    damaged = first["q3.1b"].dir
    (damaged / "product.json").write_text("{")
    (damaged / "stray.png").write_text("not the step's")
    capsys.readouterr()

    again = Recorder()
    second = {o.step.name: o for o in _run(tmp_path, again, only=steps).outcomes}
    assert again.ran == ["q3.1b"]  # only the damaged step
    line = "q3.1b: cached product.json does not match its manifest (size 1, expected 13)"
    assert capsys.readouterr().err == f"{line}; recomputing\n"
    assert second["q3.1b"].ok and not second["q3.1b"].cached and second["q3.1a"].cached
    assert "cached product.json does not match" in " ".join(second["q3.1b"].notes)
    assert json.loads((damaged / "product.json").read_text()) == {"needs": []}
    assert not (damaged / "stray.png").exists()  # recomputed in an emptied folder

    third = Recorder()
    _run(tmp_path, third, only=steps)
    assert third.ran == [] and capsys.readouterr().err == ""  # resealed: trusted again


def test_a_damaged_step_left_out_by_only_is_not_used(tmp_path, capsys):
    first = {o.step.name: o for o in _run(tmp_path, Recorder(), only=("q3.1a",)).outcomes}
    (first["q3.1a"].dir / "product.json").unlink()
    capsys.readouterr()
    runner = Recorder()
    second = {o.step.name: o for o in _run(tmp_path, runner, only=("q3.1b",)).outcomes}
    assert runner.ran == ["q3.1b"] and second["q3.1a"].status == "not run"
    assert capsys.readouterr().err == (
        "q3.1a: cached product.json is missing (its manifest lists 13 bytes); "
        "not used (`reproduce --only q3.1a` recomputes it)\n"
    )


def test_a_step_without_a_manifest_is_not_trusted(tmp_path, capsys):
    (outcome,) = [o for o in _run(tmp_path, Recorder(), only=("q3.1a",)).outcomes if o.ok]
    (outcome.dir / "manifest.json").unlink()  # e.g. a crash between done.json and the manifest
    runner = Recorder()
    _run(tmp_path, runner, only=("q3.1a",))
    assert runner.ran == ["q3.1a"] and "has no manifest.json" in capsys.readouterr().err


def test_a_sweeps_journal_is_not_part_of_its_manifest(tmp_path):
    (outcome,) = [o for o in _run(tmp_path, Recorder(), only=("q4.1",)).outcomes if o.ok]
    (outcome.dir / "optuna-journal.log").write_text("{}\n")  # a late heartbeat, say
    done = json.loads((outcome.dir / "manifest.json").read_text())["files"]
    assert sorted(done) == ["done.json", "product.json"]
    runner = Recorder()
    _run(tmp_path, runner, only=("q4.1",))
    assert runner.ran == []
