"""A sweep on a full disk (a small tmpfs): its outputs are all old or all new, the journal's
failed append recovers, and each failure is one line naming the path.

Mounting needs root on Linux (as in CI); elsewhere the tests are skipped with a message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlbasics.results.staging import OutputError
from dlbasics.sweep import run
from dlbasics.sweep import run_sweep as sweep
from tests.sweep import conftest as sweep_fixtures
from tests.sweep.toy import FAST, executions, study_trials

toy = sweep_fixtures.toy  # the toy sweep registered, its execution log in the test's folder
OUTPUTS = ("sweep.json", "sweep.md", "sweep_loss.png", "sweep_dev_acc.png")


@pytest.fixture
def disk(tmp_path):
    """A 2 MiB tmpfs, unmounted afterwards."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a tmpfs, which needs root on Linux")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2M", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _fill(mount: Path) -> Path:
    """Write a filler file until the disk is full; delete it to free the disk."""
    filler = mount / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_a_full_disk_leaves_the_old_outputs_whole(toy, disk, monkeypatch):
    out = disk / "out"
    sweep("toy", out_dir=out, engine="formula", **FAST)
    old = _outputs(out)
    real_write = run.write_results

    def write_on_a_full_disk(*args):  # the study is saved; the disk fills up just before
        filler = _fill(disk)
        try:
            real_write(*args)
        finally:
            filler.unlink()

    monkeypatch.setattr(run, "write_results", write_on_a_full_disk)
    with pytest.raises(OutputError) as error:
        sweep("toy", out_dir=out, epochs=3, engine="formula", **FAST)
    assert str(error.value) == f"cannot write {out}: No space left on device"
    assert _outputs(out) == old  # not one new file beside old ones
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
    monkeypatch.setattr(run, "write_results", real_write)
    sweep("toy", out_dir=out, epochs=3, engine="formula", **FAST)  # the trials are all done
    assert json.loads((out / "sweep.json").read_text())["epochs"] == 3
    assert len(executions(toy)) == 6


def test_a_full_disk_under_the_journal_is_one_line_and_a_rerun_resumes(toy, disk):
    out = disk / "out"
    sweep("toy", out_dir=out, engine="formula", **FAST)
    old = _outputs(out)
    filler = _fill(disk)
    journal = out / "optuna-journal.log"
    with pytest.raises(OutputError) as error:
        sweep("toy", out_dir=out, epochs=3, engine="formula", **FAST)
    assert str(error.value) == (
        f"cannot write {journal}: No space left on device; "
        "rerun the same command to resume once it can be written"
    )
    assert _outputs(out) == old
    filler.unlink()
    result = sweep("toy", out_dir=out, epochs=3, engine="formula", **FAST)  # a torn append, cut
    assert [t["status"] for t in result["trials"]] == ["ok", "ok", "diverged"]
    assert {t.user_attrs["config"]["epochs"] for t in study_trials(out)} == {2, 3}
