"""A full disk never leaves half a result: the previous one stays whole, or there is none.

The disk is a small tmpfs (mounting one needs root on Linux; elsewhere these tests skip and
say why), filled up to a few bytes short of what a command needs, at several levels, so that
the space runs out at different points: before the first file, between the report's files, in
the middle of a run's. Whatever the point, the command prints one line naming the path and exits
non-zero, and the folder holds all of the new result, or all of the old one, or none of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPORT_FILES = ("REPORT.md", "index.html", "summary.json")
REPRODUCE = ["reproduce", "--quick", "--quiet", "--only", "verify-math"]  # needs no data
PAGE = 4096


class Disk:
    """A mounted tmpfs that can be filled up to ``free`` bytes short of full."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / "filler"

    def free(self) -> int:
        stats = os.statvfs(self.root)
        return stats.f_bavail * stats.f_frsize

    def leave_free(self, free: int) -> None:
        self.filler.unlink(missing_ok=True)
        size = self.free() - free
        with self.filler.open("wb") as handle:
            handle.write(b"\0" * max(size, 0))
        assert abs(self.free() - free) <= PAGE, (self.free(), free)

    def empty(self) -> None:
        for entry in self.root.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()


@pytest.fixture(scope="module")
def mounted(tmp_path_factory) -> Iterator[Disk]:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("the full-disk tests mount a small tmpfs: they need root on Linux")
    root = tmp_path_factory.mktemp("full-disk")
    mount = ["mount", "-t", "tmpfs", "-o", "size=4M", "tmpfs", str(root)]
    result = subprocess.run(mount, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip() or result.returncode}")
    try:
        yield Disk(root)
    finally:
        if subprocess.run(["umount", str(root)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(root)], check=False)


@pytest.fixture
def disk(mounted: Disk) -> Iterator[Disk]:
    mounted.empty()
    yield mounted
    mounted.empty()


def dlbasics(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dlbasics", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def assert_one_line_naming(result: subprocess.CompletedProcess[str], root: Path) -> None:
    """A non-zero exit and one line on stderr: ``error: cannot write PATH: No space ...``."""
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    (line,) = lines
    assert line.startswith(f"error: cannot write {root}"), line
    assert line.endswith(": No space left on device"), line


def report(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in REPORT_FILES if (folder / name).exists()}


def leftovers(folder: Path) -> list[str]:
    """Staging folders and temporaries a failed write must not leave behind."""
    return (
        [p.name for p in folder.rglob(".*") if p.name != ".write-test"] if folder.exists() else []
    )


# Free space when the command starts: none; room for part of the step's files; room for the
# step (about 20 kB) and part of the report (REPORT.md 14 kB, index.html 27 kB, summary.json 8 kB).
@pytest.mark.parametrize("free", [0, 8 * 1024, 48 * 1024])
def test_a_first_report_on_a_full_disk_is_all_there_or_none_of_it(disk, free):
    out = disk.root / "report"
    disk.leave_free(free)
    result = dlbasics(*REPRODUCE, "--out", out)
    written = report(out)
    if result.returncode == 0:
        assert sorted(written) == sorted(REPORT_FILES)
    else:
        assert_one_line_naming(result, disk.root)
        assert written == {}, sorted(written)
    assert leftovers(out) == []


# None; room for REPORT.md but not index.html; for both but not summary.json.
@pytest.mark.parametrize("free", [0, 20 * 1024, 44 * 1024])
def test_a_rerun_on_a_full_disk_keeps_the_previous_report_whole(disk, free):
    out = disk.root / "report"
    first = dlbasics(*REPRODUCE, "--out", out)
    assert first.returncode == 0, first.stderr
    before = report(out)
    assert sorted(before) == sorted(REPORT_FILES)

    disk.leave_free(free)  # the steps are cached: only the report is written again
    result = dlbasics(*REPRODUCE, "--out", out)
    assert_one_line_naming(result, out)
    assert report(out) == before
    assert leftovers(out) == []


@pytest.mark.realdata
@pytest.mark.parametrize(
    "free",
    [0, 40 * 1024, 160 * 1024],
)
def test_a_run_on_a_full_disk_leaves_no_metrics_without_its_figure(disk, free):
    out = disk.root / "run"
    disk.leave_free(free)
    result = dlbasics("run", "q2.2a", "--epochs", "1", "--quiet", "--out", out)
    files = sorted(p.name for p in out.iterdir()) if out.exists() else []
    if result.returncode == 0:
        assert files == ["arrays.npz", "figure1.png", "metrics.json", "model.json", "model.npz"]
    else:
        assert_one_line_naming(result, disk.root)
        assert "metrics.json" not in files or "figure1.png" in files, files
    assert leftovers(out) == []
