"""A folder's manifest: what it lists, what it leaves out, and each way a file can fail it."""

from __future__ import annotations

import hashlib
import json

import pytest

from dlbasics.results.manifest import (
    MANIFEST,
    build_manifest,
    check_manifest,
    file_digest,
    remove_manifest,
    write_manifest,
)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "metrics.json").write_text('{"final": {"test_acc": 0.8}}')
    (tmp_path / "arrays.npz").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "started.json").write_text("{}")
    (tmp_path / "optuna-journal.log").write_text("{}\n")
    (tmp_path / "optuna-journal.log.enqueue-lock").write_text("")
    (tmp_path / ".metrics.json.abc.tmp").write_text("half")  # an atomic write's temporary
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "figure.png").write_bytes(b"\x89PNG" + b"x" * 100)
    write_manifest(tmp_path, skip=("started.json", "optuna-journal.log*"))
    return tmp_path


def test_it_lists_every_result_file_with_its_size_and_sha256(folder):
    files = json.loads((folder / MANIFEST).read_text())["files"]
    assert sorted(files) == ["arrays.npz", "metrics.json", "sub/figure.png"]
    data = (folder / "arrays.npz").read_bytes()
    assert files["arrays.npz"] == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert file_digest(folder / "arrays.npz") == (len(data), hashlib.sha256(data).hexdigest())
    assert check_manifest(folder) == ""
    assert not list(folder.glob(f".{MANIFEST}*"))  # written atomically


def test_skipped_and_hidden_files_may_change_without_failing_the_check(folder):
    (folder / "started.json").write_text('{"started_at": "later"}')
    (folder / "optuna-journal.log").write_text("{}\n{}\n")
    (folder / ".staging-x").mkdir()
    assert check_manifest(folder) == ""


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b""), "cached arrays.npz does not match its manifest (size 0, "),
        (
            lambda p: p.write_bytes(p.read_bytes()[:100]),
            "cached arrays.npz does not match its manifest (size 100, expected 10240)",
        ),
        (
            lambda p: p.write_bytes(b"\0" * p.stat().st_size),
            "cached arrays.npz does not match its manifest (SHA-256 differs, same size 10240)",
        ),
        (lambda p: p.unlink(), "cached arrays.npz is missing (its manifest lists 10240 bytes)"),
    ],
    ids=["emptied", "truncated", "garbage", "deleted"],
)
def test_each_kind_of_damage_names_the_file_and_why(folder, damage, message):
    damage(folder / "arrays.npz")
    assert check_manifest(folder).startswith(message)


def test_several_damaged_files_name_the_first_and_count_the_others(folder):
    (folder / "arrays.npz").unlink()
    (folder / "metrics.json").write_text("{")
    (folder / "sub" / "figure.png").write_text("")
    assert check_manifest(folder) == (
        "cached arrays.npz is missing (its manifest lists 10240 bytes) (and 2 other files)"
    )


def test_no_manifest_or_a_damaged_one_is_not_trusted(folder):
    (folder / MANIFEST).write_text('{"files": {"metrics.json": {"size": "x"}}}')
    assert "manifest.json is damaged" in check_manifest(folder)
    (folder / MANIFEST).write_text('{"files": {"../outside": {"size": 1, "sha256": "0"}}}')
    assert "manifest.json is damaged" in check_manifest(folder)
    (folder / MANIFEST).write_text("[1, 2")
    assert "manifest.json is damaged" in check_manifest(folder)
    remove_manifest(folder)
    remove_manifest(folder)  # no manifest: nothing to remove, no error
    assert "has no manifest.json" in check_manifest(folder)


def test_an_empty_folder_has_an_empty_manifest(tmp_path):
    assert build_manifest(tmp_path) == {"files": {}}
    write_manifest(tmp_path)
    assert check_manifest(tmp_path) == ""
