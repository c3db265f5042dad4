"""``dlbasics verify-math``: table, JSON schema, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import partial

import pytest

from dlbasics import theory
from tests.cli.test_run import cli
from tests.theory.helpers import JSON_KEYS


def run_main(monkeypatch, capsys, *args):
    """Run the real entry point of ``dlbasics verify-math`` in-process; return (exit code,
    stdout, stderr)."""
    return cli(monkeypatch, capsys, "verify-math", *args)


def test_cli_table_and_exit_zero(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "--cases", "4", "--seed", "2")
    assert code == 0, err
    header = out.splitlines()[0]
    assert re.match(r"claim\s+\| method\s+\| cases \| worst error \| tolerance \| status", header)
    assert out.count("| PASS") == 8 and "FAIL" not in out


def test_cli_json_schema(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "--json", "--cases", "4", "--claim", "6")
    assert code == 0, err
    document = json.loads(out)
    assert len(document["claims"]) == 1 and set(document["claims"][0]) == JSON_KEYS
    assert document["claims"][0]["detail"].startswith("counterexample at x=")


def test_cli_exits_non_zero_when_a_claim_fails(monkeypatch, capsys):
    wrong = partial(theory.check_softmax_jacobian, lambda z: -theory.softmax_jacobian(z))
    monkeypatch.setitem(theory.CHECKS, 3, wrong)
    code, out, _ = run_main(monkeypatch, capsys, "--cases", "3", "--claim", "3", "--claim", "1")
    assert code == 1
    assert re.search(r"^3 softmax Jacobian .*\| FAIL$", out, re.MULTILINE)
    assert re.search(r"^1 sigmoid derivative .*\| PASS$", out, re.MULTILINE)
    code, out, _ = run_main(monkeypatch, capsys, "--json", "--cases", "3", "--claim", "3")
    assert code == 1 and json.loads(out)["claims"][0]["status"] == "FAIL"


@pytest.mark.parametrize(
    "args",
    [
        ("--cases", "0"),
        ("--cases", "abc"),
        ("--cases", "2.5"),
        ("--seed", "-1"),
        ("--seed", "x"),
        ("--claim", "9"),
    ],
)
def test_cli_bad_values_are_one_line(monkeypatch, capsys, args):
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: invalid " + args[0]), err


def test_the_installed_command_runs():
    result = subprocess.run(
        [sys.executable, "-m", "dlbasics", "verify-math", "--cases", "3", "--claim", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "1 sigmoid derivative" in result.stdout and "1/1 claims pass." in result.stdout


USER_MODULE = """
import numpy as np

def naive(z):
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)

def wrong(z):
    s = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
    return s * (1 + s)
"""


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "my_formulas.py"
    path.write_text(USER_MODULE)
    return path


def test_cli_checks_a_users_function(monkeypatch, capsys, user_file):
    naive = ("--claim", "sigmoid-derivative", "--function", f"{user_file}:naive", "--cases", "20")
    code, out, _ = run_main(monkeypatch, capsys, *naive)
    assert code == 1 and "numerical: overflow at z=-7" in out
    code, out, err = run_main(monkeypatch, capsys, *naive, "--no-extreme")
    assert code == 0, err
    assert re.search(r"^1 sigmoid derivative .*\| PASS$", out, re.MULTILINE)
    wrong = ("--claim", "1", "--function", f"{user_file}:wrong", "--no-extreme", "--json")
    code, out, _ = run_main(monkeypatch, capsys, *wrong)
    (record,) = json.loads(out)["claims"]
    assert code == 1 and set(record) == JSON_KEYS and record["status"] == "FAIL"
    assert "wrong value at z=" in record["detail"] and "overflow" not in record["detail"]


def test_cli_no_extreme_runs_every_claim(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "--no-extreme", "--cases", "3")
    assert code == 0, err
    assert out.count("| PASS") == 8


@pytest.mark.parametrize(
    ("function", "claims", "message"),
    [
        ("{dir}/absent.py:naive", ("1",), "no such file"),
        ("{file}:absent", ("1",), "has no function 'absent'"),
        ("no_such_module_xyz:f", ("1",), "cannot import no_such_module_xyz"),
        ("{file}", ("1",), "must be module:attr or path.py:attr"),
        ("{file}:naive", (), "give exactly one --claim"),
        ("{file}:naive", ("1", "2"), "give exactly one --claim"),
    ],
)
def test_cli_bad_function_is_one_line_and_exit_2(
    monkeypatch, capsys, user_file, function, claims, message
):
    spec = function.format(dir=user_file.parent, file=user_file)
    args = [arg for number in claims for arg in ("--claim", number)]
    code, out, err = run_main(monkeypatch, capsys, *args, "--function", spec)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: invalid --function"), err
    assert message in lines[0]


def test_cli_claim_names_are_accepted_and_unknown_ones_listed(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "--claim", "softmax-jacobian", "--cases", "2")
    assert code == 0 and "3 softmax Jacobian" in out, err
    code, out, err = run_main(monkeypatch, capsys, "--claim", "softmax")
    assert code == 2 and out == "" and "softmax-jacobian" in err
