"""``dlbasics run``: flags, the printed summary, files written, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dlbasics.cli import main
from tests.experiments.synthetic import SyntheticData

DLBASICS = Path(sys.executable).parent / "dlbasics"


@pytest.fixture
def synthetic(monkeypatch):
    """``dlbasics run`` on tiny synthetic data instead of the real datasets."""
    monkeypatch.setattr(
        "dlbasics.data.options.DataOptions",
        lambda data_dir=None, ames_path=None, limit=None: SyntheticData(limit=limit),
    )


def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["dlbasics", *args])
    code = 0
    try:
        main()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_run_prints_the_final_figures_and_where_files_went(
    synthetic, monkeypatch, capsys, tmp_path
):
    out = tmp_path / "run"
    code, stdout, stderr = cli(
        monkeypatch, capsys, "run", "q3.1b", "--epochs", "2", "--learning-rate", "0.05",
        "--out", str(out), "--seed", "7",
    )  # fmt: skip
    assert code == 0, stderr
    assert "dev_acc" in stdout and "test_acc" in stdout
    assert f"wrote {out}/: arrays.npz, figure4.png, metrics.json" in stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["config"] == {"epochs": 2, "learning_rate": 0.05}
    assert metrics["seed"] == 7 and metrics["status"] == "ok"
    assert f"{metrics['final']['test_acc']:.4f}" in stdout
    assert stderr == ""  # no progress bars when stderr is not a terminal


def test_run_defaults_to_runs_name(synthetic, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = cli(monkeypatch, capsys, "run", "q2.2a", "--epochs", "1", "--quiet")
    assert code == 0
    assert (tmp_path / "runs" / "q2.2a" / "metrics.json").exists()
    assert (tmp_path / "runs" / "q2.2a" / "figure1.png").exists()
    assert "train_rmse" in stdout and "analytic_test_rmse" in stdout


def test_divergence_exits_3_after_writing_metrics(synthetic, monkeypatch, capsys, tmp_path):
    code, stdout, stderr = cli(
        monkeypatch, capsys, "run", "q2.2a", "--learning-rate", "10000", "--out", str(tmp_path)
    )
    assert code == 3
    assert stderr.startswith("error: training diverged in epoch 1")
    assert "smaller --learning-rate" in stderr and len(stderr.strip().splitlines()) == 1
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["status"] == "diverged"
    assert "NaN" not in (tmp_path / "metrics.json").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["q3.1b", "--epochs", "0"], "invalid --epochs 0"),
        (["q3.1b", "--learning-rate", "0"], "invalid --learning-rate 0.0"),
        (["q3.1b", "--learning-rate", "-1"], "invalid --learning-rate -1.0"),
        (["q3.2b", "--hidden-size", "0"], "invalid --hidden-size 0"),
        (["q3.2b", "--activation", "sigmoid"], "invalid --activation 'sigmoid'"),
        (["q3.2b", "--init", "zeros"], "invalid --init 'zeros'"),
        (["q3.1a", "--learning-rate", "0.1"], "q3.1a does not take --learning-rate"),
        (["q9.9"], "unknown experiment 'q9.9'"),
        (["q3.1b", "--engine", "quantum"], "q3.1b cannot run on engine 'quantum'"),
        (["q3.2b", "--device", "cuda"], "--device cuda is for the torch engine"),
        (["q4-ffn", "--engine", "fast", "--device", "cuda"], "--device cuda is for the torch"),
    ],
)
def test_invalid_input_is_one_line_and_writes_nothing(
    args, message, synthetic, monkeypatch, capsys, tmp_path
):
    out = tmp_path / "out"
    code, stdout, stderr = cli(monkeypatch, capsys, "run", *args, "--out", str(out))
    assert code == 2
    assert stderr.startswith(f"error: {message}")
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert not out.exists()


def test_the_installed_command_reports_a_bad_flag_in_one_line():
    if not DLBASICS.exists():
        pytest.skip("the dlbasics entry point is not installed beside this Python")
    result = subprocess.run(
        [str(DLBASICS), "run", "q3.2b", "--learning-rate", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "error: invalid --learning-rate 0.0: must be a positive number"


def test_an_unwritable_output_folder_is_one_line_before_training(tmp_path):
    import subprocess
    import sys

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "dlbasics", "run", "q2.2a", "--quiet", "--out", str(blocker / "x")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write to {blocker / 'x'}: {blocker} is not a folder"
    ]
