"""``dlbasics reproduce``'s options: --only, bad values, an unwritable output folder."""

from __future__ import annotations

import sys

import pytest

from dlbasics.cli import main
from dlbasics.errors import ConfigError, DlbasicsError
from dlbasics.pipeline import ReproduceOptions, parse_only, reproduce
from tests.pipeline.recorder import Recorder
from tests.pipeline.recorder import run_steps as _run


def test_parse_only_accepts_step_names_and_names_the_choices_on_a_typo():
    assert parse_only("q3.1b, q4.2,q3.1b") == ("q3.1b", "q4.2")
    assert parse_only(None) is None
    with pytest.raises(ConfigError, match="unknown step 'q9'.*choose from: verify-math"):
        parse_only("q3.1b,q9")
    with pytest.raises(ConfigError, match="at least one"):
        parse_only(" , ")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"engine": "gpu"}, "unknown engine 'gpu'"),
        ({"jobs": 0}, "--jobs 0"),
        ({"seed": -1}, r"invalid --seed -1: must be an integer >= 0"),
    ],
)
def test_bad_options_are_rejected_before_anything_is_written(tmp_path, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        _run(tmp_path, Recorder(), **kwargs)
    assert not (tmp_path / "out").exists()


def test_an_unwritable_output_folder_is_one_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DlbasicsError, match="cannot write the report to"):
        reproduce(ReproduceOptions(out=blocker / "report", quiet=True), step_runner=Recorder())


def test_cli_bad_input_prints_one_line_and_exits_non_zero(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for argv, message in (
        (["--only", "q3.1b,nope", "--out", str(tmp_path / "r")], "unknown step 'nope'"),
        (["--out", str(blocker / "r")], "cannot write the report to"),
    ):
        monkeypatch.setattr(sys, "argv", ["dlbasics", "reproduce", *argv])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code != 0
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and message in err and "\n" not in err
    assert not (tmp_path / "r").exists()
