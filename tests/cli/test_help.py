"""Help on every command: -h like --help, --version, every option explained with its default,
run --help naming every experiment, run --limit."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import typer

import dlbasics
from dlbasics.cli import app
from dlbasics.experiments import registry
from tests.cli.test_run import cli


# Typer vendors its own click: its commands and options are known here by their attributes.
def _commands() -> list[tuple[list[str], Any]]:
    """Every command and group, with the words that reach it (``[]`` is ``dlbasics``)."""
    found: list[tuple[list[str], Any]] = []

    def walk(words: list[str], command: Any) -> None:
        found.append((words, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk([*words, name], sub)

    walk([], typer.main.get_command(app))
    return found


COMMANDS = _commands()
IDS = [" ".join(words) or "dlbasics" for words, _ in COMMANDS]


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_h_is_help_on_every_command(words, command, monkeypatch, capsys):
    long = cli(monkeypatch, capsys, *words, "--help")
    short = cli(monkeypatch, capsys, *words, "-h")
    assert long[0] == 0 and "Usage" in long[1]
    assert short == long


def _explains_its_default(option: Any, context: Any) -> bool:
    record = option.get_help_record(context)
    text = record[1] if record else ""
    if "[default: " in text or "default: " in text:
        return True
    return option.is_flag and not option.default  # an off switch: nothing to show


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_every_option_has_help_and_states_its_default(words, command):
    context = command.context_class(command, info_name=" ".join(words) or "dlbasics")
    options = [p for p in command.get_params(context) if p.param_type_name == "option"]
    assert any(option.name == "help" for option in options)  # the walk sees Typer's options
    for option in options:
        if option.name == "help":
            continue
        assert (option.help or "").strip(), (words, option.opts)
        assert _explains_its_default(option, context), (words, option.opts)


def test_version(monkeypatch, capsys):
    assert cli(monkeypatch, capsys, "--version") == (0, f"dlbasics {dlbasics.__version__}\n", "")


def test_run_help_names_every_experiment(monkeypatch, capsys):
    code, stdout, _ = cli(monkeypatch, capsys, "run", "--help")
    flat = " ".join(stdout.replace("│", " ").split())
    assert code == 0
    assert f"NAME is one of: {', '.join(registry.names())}." in flat


def test_run_limit_reaches_the_data(monkeypatch, capsys, tmp_path):
    seen = {}

    def data_options(data_dir=None, ames_path=None, limit=None):
        from tests.experiments.synthetic import SyntheticData

        seen["limit"] = limit
        return SyntheticData(limit=limit)

    monkeypatch.setattr("dlbasics.data.options.DataOptions", data_options)
    out = tmp_path / "run"
    code, _, _ = cli(monkeypatch, capsys, "run", "q3.1b", "--epochs", "1", "--limit", "7",
                     "--quiet", "--out", str(out))  # fmt: skip
    assert code == 0 and seen == {"limit": 7}
    assert json.loads((out / "metrics.json").read_text())["data_limit"] == 7


@pytest.mark.parametrize("value", ["0", "-3"])
def test_run_limit_below_one_is_one_line_and_exit_2(value, monkeypatch, capsys, tmp_path):
    out = tmp_path / "run"
    code, stdout, stderr = cli(monkeypatch, capsys, "run", "q3.1b", "--limit", value,
                               "--out", str(out))  # fmt: skip
    assert code == 2 and stdout == ""
    assert stderr == f"error: invalid --limit {value}: must be an integer >= 1\n"
    assert not out.exists()


@pytest.mark.realdata
@pytest.mark.usefixtures("real_fashion_mnist")
def test_run_limit_takes_n_examples_of_each_split(monkeypatch, capsys, tmp_path):
    out = tmp_path / "run"
    code, _, _ = cli(monkeypatch, capsys, "run", "q3.1b", "--engine", "reference", "--epochs",
                     "1", "--limit", "50", "--quiet", "--out", str(out))  # fmt: skip
    assert code == 0
    with np.load(out / "arrays.npz") as arrays:
        assert arrays["test_predictions"].shape == (50,)
    assert json.loads((out / "metrics.json").read_text())["data_limit"] == 50
