"""Every numeric flag of every command, given extreme values: never a traceback.

Hypothesis draws a command, one of its numeric flags and a hostile value (negative, zero, huge,
NaN, infinite, fractional, not a number at all) and runs the real command in-process. Each
command line carries something that stops a valid configuration early, after every flag was
checked and before anything heavy runs: an empty ``--data-dir`` (the data error), a storage
scheme that does not exist (a sweep, after its plan), an invalid ``--claim`` (verify-math, after
its cases and seed). Whatever the value, the command ends with an exit code, and what it prints
holds no traceback.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlbasics.cli import main

# command -> (arguments that stop it early, its numeric flags)
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "run q3.2b": (
        ["run", "q3.2b", "--data-dir", "{empty}", "--out", "{out}", "--quiet"],
        ["--epochs", "--learning-rate", "--hidden-size", "--layers", "--seed"],
    ),
    "run q4-ffn": (
        ["run", "q4-ffn", "--data-dir", "{empty}", "--out", "{out}", "--quiet"],
        [
            "--epochs",
            "--learning-rate",
            "--hidden-size",
            "--layers",
            "--dropout",
            "--l2-decay",
            "--batch-size",
            "--seed",
        ],
    ),  # fmt: skip
    "sweep": (
        ["sweep", "q4.1", "--storage", "nosuch://x", "--data-dir", "{empty}", "--out", "{out}"],
        ["--epochs", "--jobs", "--limit", "--seed"],
    ),
    "reproduce": (
        ["reproduce", "--quick", "--only", "q3.1b", "--quiet", "--data-dir", "{empty}"]
        + ["--out", "{out}"],
        ["--jobs", "--seed"],
    ),
    "bench": (
        ["bench", "--quiet", "--data-dir", "{empty}"],
        ["--epochs", "--linear-epochs", "--limit"],
    ),
    "verify-math": (["verify-math", "--claim", "0"], ["--cases", "--seed"]),
}
FLAGS = [(command, flag) for command, (_, flags) in COMMANDS.items() for flag in flags]

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "1",
            "3",
            "0.5",
            "0",
            "-1",
            "nan",
            "-nan",
            "inf",
            "-inf",
            "1e400",
            "-0.0",
            "2.5",
            "abc",
            "",
            "0x10",
            "99999999999999999999",
            "-99999999999999999999",
            str(2**64),
            str(2**32),
        ]
    ),  # fmt: skip
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``dlbasics ARGS`` in this process: its exit code and everything it printed."""
    saved = sys.argv
    sys.argv = ["dlbasics", *args]
    code = 0
    try:
        main()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    finally:
        sys.argv = saved
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("flags")
    (root / "empty").mkdir()
    return {"empty": root / "empty", "root": root}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(FLAGS), value=HOSTILE)
def test_no_numeric_flag_value_gives_a_traceback(target, value, folders, capsys):
    command, flag = target
    base, _ = COMMANDS[command]
    out = tempfile.mkdtemp(dir=folders["root"])
    args = [a.format(empty=folders["empty"], out=out) for a in base] + [f"{flag}={value}"]
    code, printed = run_cli(args, capsys)  # an exception escaping main() fails the test here
    assert "Traceback" not in printed, (args, printed)
    assert code != 0, (args, printed)  # each command line is built to stop with an error


# "command line => the one line it prints" ({missing}: a path that does not exist, {folder}: a
# folder); the integer limits, then the seed alike in every command, then the paths.
LIMIT_LINES = """
run q3.1b --epochs 99999999999999999999 => invalid --epochs 99999999999999999999: must be an integer >= 1 and <= 10000
run q3.2b --hidden-size 100000000000 => invalid --hidden-size 100000000000: must be an integer >= 1 and <= 1000000
run q3.2b --layers 1000000000 => invalid --layers 1000000000: must be an integer >= 1 and <= 1000
sweep q4.1 --jobs 99999999999999999999 => invalid --jobs 99999999999999999999: must be an integer >= 1 and <= 256
verify-math --cases 99999999999999999999 => invalid --cases '99999999999999999999': must be an integer between 1 and 100000
run q3.1b --seed -1 => invalid --seed -1: must be an integer >= 0 and <= 4294967295
sweep q4.1 --seed -1 => invalid --seed -1: must be an integer >= 0 and <= 4294967295
reproduce --seed -1 => invalid --seed -1: must be an integer >= 0 and <= 4294967295
verify-math --seed -1 => invalid --seed -1: must be an integer >= 0 and <= 4294967295
run q3.1b --data-dir {missing} => invalid --data-dir {missing}: does not exist
sweep q4.1 --data-dir {missing} => invalid --data-dir {missing}: does not exist
run q2.2a --ames-path {missing} => invalid --ames-path {missing}: does not exist
reproduce --ames-path {folder} => invalid --ames-path {folder}: is not a file
"""  # noqa: E501


@pytest.mark.parametrize("case", LIMIT_LINES.strip().splitlines())
def test_bad_limits_are_one_line_alike_in_every_command(case, tmp_path, capsys):
    names = {"missing": tmp_path / "missing", "folder": tmp_path}
    command, line = case.format(**names).split(" => ")
    args = [*command.split(), "--out", str(tmp_path / "out")]
    if args[0] == "verify-math":
        args = args[:-2]  # verify-math writes nothing
    code, printed = run_cli(args, capsys)
    assert code == 2
    assert printed.strip() == f"error: {line}"
    assert not (tmp_path / "out").exists()


def test_a_data_dir_from_the_environment_is_named_by_its_variable(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DLBASICS_DATA_DIR", str(tmp_path / "typo"))
    code, printed = run_cli(["run", "q3.1b", "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert (
        printed.strip() == f"error: invalid DLBASICS_DATA_DIR {tmp_path / 'typo'}: does not exist"
    )
