"""All-or-nothing outputs: whole new result or whole old one, and one clear error."""

from __future__ import annotations

import errno

import pytest

from dlbasics.results.staging import OutputError, staged_files, staged_folder


def test_a_staged_folder_replaces_the_old_one_whole(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "arrays.npz").write_text("old")
    (target / "metrics.json").write_text("old")
    with staged_folder(target) as staging:
        (staging / "metrics.json").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["metrics.json"]  # no stale arrays.npz
    assert (target / "metrics.json").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no staging or old folder left


def test_a_failure_leaves_the_old_folder_as_it_was(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "metrics.json").write_text("old")
    with pytest.raises(RuntimeError), staged_folder(target) as staging:
        (staging / "metrics.json").write_text("half")
        raise RuntimeError("training crashed")
    assert (target / "metrics.json").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_a_full_disk_is_one_error_naming_the_target(tmp_path):
    target = tmp_path / "run"
    message = f"cannot write {target}: No space left on device"
    with pytest.raises(OutputError, match=message), staged_folder(target):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_staged_files_move_in_together_and_leave_the_rest_alone(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "stale.png").write_text("old")
    (tmp_path / "REPORT.md").write_text("old")
    with staged_files(tmp_path) as staging:
        (staging / "REPORT.md").write_text("new")
        (staging / "figures").mkdir()
        (staging / "figures" / "f.png").write_text("new")
    assert (tmp_path / "REPORT.md").read_text() == "new"
    assert [p.name for p in (tmp_path / "figures").iterdir()] == ["f.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["REPORT.md", "cache", "figures"]
    with pytest.raises(OutputError), staged_files(tmp_path) as staging:
        (staging / "REPORT.md").write_text("half")
        raise OSError(errno.EACCES, "Permission denied")
    assert (tmp_path / "REPORT.md").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["REPORT.md", "cache", "figures"]
