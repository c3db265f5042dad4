"""A many-seed reproduction: one unit per (step, seed), each cached on its own, run through the
units' Optuna study by one or several workers, each exactly once.

The steps do tiny real work (tests/pipeline/recorder.py); the real steps run in
tests/report/test_seeds_end_to_end.py.
"""

from __future__ import annotations

import json
import sys

import pytest

from dlbasics.cli import main
from dlbasics.pipeline import ReproduceOptions, plan_outcomes, reproduce
from dlbasics.pipeline.cache import key_hash
from tests.pipeline.recorder import LoggingRecorder, Recorder
from tests.pipeline.recorder import run_steps as _run

ONLY = ("q3.1a", "q4.3")  # q4.2 comes too: q4.3 needs it


def _units(result) -> list[tuple[str, int | None]]:
    return [(o.step.name, o.seed) for o in result.outcomes if o.status != "not run"]


def test_adding_seeds_runs_only_the_new_units_and_keeps_the_single_seed_cache(tmp_path):
    single = _run(tmp_path, Recorder(), only=ONLY)
    assert {o.seed for o in single.outcomes} == {None}
    two = Recorder()
    result = _run(tmp_path, two, only=ONLY, seeds=(42, 43), jobs=1)
    assert two.ran == ["q3.1a", "q4.2", "q4.3"]  # seed 43 only: seed 42 is the single-seed run
    by_unit = {(o.step.name, o.seed): o for o in result.outcomes}
    for outcome in single.outcomes:  # the primary seed's keys and folders are the single seed's
        assert by_unit[(outcome.step.name, 42)].dir == outcome.dir
        assert by_unit[(outcome.step.name, 42)].key == outcome.key
    assert set(_units(result)) == {(n, s) for n in ("q3.1a", "q4.2", "q4.3") for s in (42, 43)}
    assert [o.cached for o in result.outcomes if o.seed == 43 and o.ok] == [False] * 3
    # seed s of q4.3 reads seed s of q4.2
    for seed in (42, 43):
        q43, q42 = by_unit[("q4.3", seed)], by_unit[("q4.2", seed)]
        assert q43.key["needs"] == {"q4.2": key_hash(q42.key)} and q43.key["seed"] == seed
    assert len({o.dir for o in result.outcomes}) == len(result.outcomes)

    three = Recorder()
    result = _run(tmp_path, three, only=ONLY, seeds=(42, 43, 44), jobs=1)
    assert three.ran == ["q3.1a", "q4.2", "q4.3"] and not result.failed
    assert all(o.cached for o in result.outcomes if o.ok and o.seed in (42, 43))
    again = Recorder()
    _run(tmp_path, again, only=ONLY, seeds=(42, 43, 44), jobs=1)
    assert again.ran == []


def test_the_plan_lists_every_unit_step_by_step_then_seed_by_seed(tmp_path):
    outcomes, to_run = plan_outcomes(ReproduceOptions(out=tmp_path, seeds=(5, 6)))
    assert [(o.step.name, o.seed) for o in outcomes[:4]] == [
        ("verify-math", 5),
        ("verify-math", 6),
        ("q2.2a", 5),
        ("q2.2a", 6),
    ]
    assert to_run[:2] == ["verify-math seed 5", "verify-math seed 6"]
    assert len(to_run) == len(outcomes)


def test_a_failed_unit_runs_again_on_the_next_reproduction_and_the_others_do_not(tmp_path):
    result = _run(tmp_path, Recorder(fail="q3.1a"), only=ONLY, seeds=(42, 43), jobs=1)
    assert sorted((o.step.name, o.seed) for o in result.failed) == [("q3.1a", 42), ("q3.1a", 43)]
    assert all("boom in q3.1a" in o.error for o in result.failed)
    retry = Recorder()
    result = _run(tmp_path, retry, only=ONLY, seeds=(42, 43), jobs=1)
    assert retry.ran == ["q3.1a", "q3.1a"] and not result.failed


def test_two_workers_run_each_unit_exactly_once(tmp_path):
    runner = LoggingRecorder(tmp_path / "units.log")
    result = _run(tmp_path, runner, only=ONLY, seeds=(42, 43, 44), jobs=2)
    expected = {(n, s) for n in ("q3.1a", "q4.2", "q4.3") for s in (42, 43, 44)}
    assert sorted(runner.units()) == sorted(expected)  # each once: no repeat in the log
    assert not result.failed and set(_units(result)) == expected
    ran = [o for o in result.outcomes if o.status != "not run"]
    assert {json.loads((o.dir / "done.json").read_text())["status"] for o in ran} == {"ok"}
    # every q4.3 ran after its seed's q4.2 had finished (it read its folder)
    for outcome in result.outcomes:
        if outcome.step.name == "q4.3":
            assert json.loads((outcome.dir / "product.json").read_text()) == {"needs": ["q4.2"]}


def test_one_seed_on_two_workers_runs_its_steps_side_by_side(tmp_path):
    """With one seed and two workers the steps are units too; q4.3, alone in the second wave,
    runs its sweep on both workers, the others on one each."""
    runner = LoggingRecorder(tmp_path / "units.log")
    result = _run(tmp_path, runner, only=ONLY, jobs=2)
    assert sorted(runner.lines()) == [("q3.1a", 42, 1), ("q4.2", 42, 1), ("q4.3", 42, 2)]
    assert not result.failed
    assert json.loads((_dir(result, "q4.3") / "product.json").read_text()) == {"needs": ["q4.2"]}


def _dir(result, name):
    return next(o.dir for o in result.outcomes if o.step.name == name)


def test_bad_seeds_on_the_command_line_are_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    for value, message in (("0", "the number of seeds"), ("1,1", "given twice")):
        argv = ["dlbasics", "reproduce", "--seeds", value, "--out", str(tmp_path / "r")]
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: invalid --seeds") and message in err and "\n" not in err
    assert not (tmp_path / "r").exists()


def test_options_whose_first_seed_is_not_the_primary_seed_are_refused(tmp_path):
    from dlbasics.errors import ConfigError

    with pytest.raises(ConfigError, match="must be the primary seed"):
        reproduce(ReproduceOptions(out=tmp_path / "r", seeds=(1, 2)), build_report=False)
    assert not (tmp_path / "r").exists()


def test_a_damaged_unit_of_a_many_seed_run_is_recomputed_from_an_emptied_folder(tmp_path):
    result = _run(tmp_path, Recorder(), only=("q3.1a",), seeds=(42, 43), jobs=1)
    damaged = next(o for o in result.outcomes if (o.step.name, o.seed) == ("q3.1a", 43))
    (damaged.dir / "product.json").write_text("tampered")
    (damaged.dir / "stray.txt").write_text("left by the damaged run")
    again = Recorder()
    result = _run(tmp_path, again, only=("q3.1a",), seeds=(42, 43), jobs=1)
    assert again.ran == ["q3.1a"] and not result.failed
    assert not (damaged.dir / "stray.txt").exists()  # emptied first, as with one seed
    assert json.loads((damaged.dir / "product.json").read_text()) == {"needs": []}
