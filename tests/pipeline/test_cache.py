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
