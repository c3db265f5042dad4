"""``dlbasics run``'s output folder: whole or not at all, never mixed with an earlier run.

A rerun into the same folder leaves no file of the first run; a write that fails midway (a full
disk, here a real 2 MB tmpfs when we are root on Linux, and a simulated one everywhere) leaves
the earlier folder exactly as it was, with one line naming the path; a run that learned nothing
is recorded as ``stalled``, says so on stderr and still exits 0.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_run import cli
from tests.experiments.synthetic import SyntheticData


@pytest.fixture(autouse=True)
def synthetic(monkeypatch):
    """Every ``dlbasics run`` here trains on tiny synthetic data."""
    monkeypatch.setattr(
        "dlbasics.data.options.DataOptions",
        lambda data_dir=None, ames_path=None, limit=None: SyntheticData(limit=limit),
    )


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    return cli(monkeypatch, capsys, "run", *args, "--quiet")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_diverged_rerun_leaves_no_file_of_the_first_run(monkeypatch, capsys, tmp_path):
    out = tmp_path / "run"
    code, _, _ = run_cli(monkeypatch, capsys, "q3.1b", "--epochs", "1", "--out", str(out))
    first = ["arrays.npz", "figure4.png", "metrics.json", "model.json", "model.npz"]
    assert code == 0 and sorted(snapshot(out)) == first
    code, _, err = run_cli(
        monkeypatch, capsys, "q2.2a", "--learning-rate", "10000", "--out", str(out)
    )
    assert code == 3 and "diverged" in err
    assert sorted(snapshot(out)) == ["metrics.json"]  # no arrays, figure or model of the first
    assert json.loads((out / "metrics.json").read_text())["status"] == "diverged"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_a_write_that_fails_midway_keeps_the_old_folder(monkeypatch, capsys, tmp_path):
    out = tmp_path / "run"
    run_cli(monkeypatch, capsys, "q3.1b", "--epochs", "1", "--out", str(out))
    before = snapshot(out)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("dlbasics.experiments.runner.draw_run_figure", full_disk)
    code, stdout, stderr = run_cli(monkeypatch, capsys, "q3.1b", "--epochs", "2", "--out", str(out))
    assert code == 2 and stdout == ""
    assert stderr == f"error: cannot write {out}: No space left on device\n"
    assert snapshot(out) == before  # never a new metrics.json without its figure
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (root on Linux only), unmounted afterwards."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("a real full disk needs root on Linux to mount a small tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2M", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def _fill(folder: Path) -> None:
    """Fill the disk of ``folder`` to the last byte."""
    with open(folder / "ballast", "wb", buffering=0) as handle, pytest.raises(OSError) as info:
        while True:
            handle.write(b"\0" * 4096)
    assert info.value.errno == errno.ENOSPC


def test_a_really_full_disk_keeps_the_old_folder_with_one_line(small_disk, monkeypatch, capsys):
    out = small_disk / "run"
    code, _, _ = run_cli(monkeypatch, capsys, "q3.1b", "--epochs", "1", "--out", str(out))
    assert code == 0
    before = snapshot(out)
    _fill(small_disk)
    code, stdout, stderr = run_cli(monkeypatch, capsys, "q3.1b", "--epochs", "2", "--out", str(out))
    assert code == 2 and stdout == ""
    assert stderr == f"error: cannot write {out}: No space left on device\n"
    assert snapshot(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["ballast", "run"]


def test_a_run_that_learned_nothing_is_stalled_warns_and_exits_0(monkeypatch, capsys, tmp_path):
    code, stdout, stderr = run_cli(
        monkeypatch, capsys, "q3.2b", "--epochs", "1", "--learning-rate", "50", "--out",
        str(tmp_path),
    )  # fmt: skip
    assert code == 0
    assert "status stalled" in stdout
    assert stderr.startswith("warning: learning rate 50 is probably too large: final validation")
    assert "is chance level (0.100)" in stderr and len(stderr.splitlines()) == 1
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["status"] == "stalled" and metrics["message"] in stderr
    assert (tmp_path / "figure5.png").exists() and (tmp_path / "arrays.npz").exists()
