"""A folder's manifest: the name, size and SHA-256 of every file in it, and its check.

A reproduction step seals its cache folder with ``manifest.json``, written atomically after
every other file of the step, ``done.json`` included. A folder is trusted only while each file
the manifest lists is still there with that size and that hash: a truncated, overwritten or
deleted file, or a missing or unreadable manifest, makes :func:`check_manifest` say which file
and why, and the step is computed again instead of being read back.

What is left out of a manifest (``skip``): files that are not the step's result and may change
after it finished, such as the record of when an attempt started, or a sweep's Optuna journal
(its working storage, which the sweep's heartbeats append to). Hidden entries (``.name``) are
always left out: they are the temporaries of atomic writes and staging folders.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any

from dlbasics.results.io import write_json_atomic

MANIFEST = "manifest.json"
_CHUNK = 1 << 20


def file_digest(path: Path) -> tuple[int, str]:
    """The size in bytes and the SHA-256 (hex) of the file at ``path``."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _listed(folder: Path, skip: tuple[str, ...]) -> list[str]:
    """The files under ``folder`` a manifest lists (relative POSIX paths, sorted)."""
    names = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        name = relative.as_posix()
        if name == MANIFEST or any(fnmatchcase(name, pattern) for pattern in skip):
            continue
        names.append(name)
    return sorted(names)


def build_manifest(folder: str | Path, skip: Iterable[str] = ()) -> dict[str, Any]:
    """``{"files": {name: {"size": bytes, "sha256": hex}}}`` of every file under ``folder``
    except the manifest itself, hidden entries and names matching a glob pattern of ``skip``."""
    folder = Path(folder)
    files = {}
    for name in _listed(folder, tuple(skip)):
        size, sha256 = file_digest(folder / name)
        files[name] = {"size": size, "sha256": sha256}
    return {"files": files}


def write_manifest(folder: str | Path, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Write ``folder``/manifest.json atomically (call it after the folder's last other file)."""
    manifest = build_manifest(folder, skip)
    write_json_atomic(Path(folder) / MANIFEST, manifest)
    return manifest


def remove_manifest(folder: str | Path) -> None:
    """Unseal ``folder`` before its files are rewritten, so a crash leaves it untrusted."""
    (Path(folder) / MANIFEST).unlink(missing_ok=True)


def _entries(folder: Path) -> dict[str, tuple[int, str]] | str:
    """The manifest's entries, or why there are none to trust."""
    path = folder / MANIFEST
    if not path.is_file():
        return f"cached folder has no {MANIFEST} (unfinished, or written by an older dlbasics)"
    try:
        files = json.loads(path.read_text("utf-8"))["files"]
        entries = {}
        for name, entry in files.items():
            if not isinstance(name, str) or ".." in PurePosixPath(name).parts or name[:1] == "/":
                raise ValueError(name)
            entries[name] = (int(entry["size"]), str(entry["sha256"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return f"cached {MANIFEST} is damaged (not a manifest this version can read)"
    return entries


def _file_problem(folder: Path, name: str, size: int, sha256: str) -> str:
    path = folder / name
    if not path.is_file():
        return f"cached {name} is missing (its manifest lists {size} bytes)"
    try:
        actual_size, actual_sha256 = file_digest(path)
    except OSError as error:
        return f"cached {name} cannot be read ({error.strerror or error})"
    if actual_size != size:
        return f"cached {name} does not match its manifest (size {actual_size}, expected {size})"
    if actual_sha256 != sha256:
        return f"cached {name} does not match its manifest (SHA-256 differs, same size {size})"
    return ""


def check_manifest(folder: str | Path) -> str:
    """Why the files of ``folder`` fail their manifest, on one line; "" when they all match.

    E.g. ``cached arrays.npz does not match its manifest (size 0, expected 81234)``. Several
    damaged files: the first (in name order) is named, and the count of the others added.
    """
    folder = Path(folder)
    entries = _entries(folder)
    if isinstance(entries, str):
        return entries
    problems = [
        problem
        for name, (size, sha256) in sorted(entries.items())
        if (problem := _file_problem(folder, name, size, sha256))
    ]
    if not problems:
        return ""
    others = len(problems) - 1
    return problems[0] + (f" (and {others} other file{'s' * (others > 1)})" if others else "")
