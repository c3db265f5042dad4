"""numba's kernel cache: in a user cache folder, never the package; dropped whenever any source
file of the fast engine changes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from dlbasics.fast import kernel_cache
from dlbasics.fast.kernel_cache import drop_stale_kernels, kernel_folders, sources_hash

SRC = Path(kernel_cache.__file__).resolve().parents[2]


def test_an_edit_to_any_source_drops_every_compiled_kernel(tmp_path):
    package, cache = tmp_path / "fast", tmp_path / "cache"
    (package / "sub").mkdir(parents=True)
    (package / "functions.py").write_text("A = 1\n")
    (package / "sub" / "kernel.py").write_text("B = 2\n")
    top, sub = kernel_folders(package, cache)
    assert top.parent == sub.parent == cache and top.name.startswith("fast_")
    compiled = [top / "k.nbi", sub / "k.1.nbc"]

    def compile_all() -> None:
        for path in compiled:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("compiled")

    compile_all()
    assert drop_stale_kernels(package, cache)  # no stamp yet: nothing is trusted
    assert not any(path.exists() for path in compiled)
    compile_all()
    assert not drop_stale_kernels(package, cache)  # unchanged sources: the cache stays
    assert all(path.exists() for path in compiled)
    before = sources_hash(package)
    (package / "functions.py").write_text("A = 3\n")  # a shared module, not the kernel's file
    assert sources_hash(package) != before
    assert drop_stale_kernels(package, cache)
    assert not any(path.exists() for path in compiled)
    assert not list(package.rglob("__pycache__"))  # nothing written into the package


def test_the_folder_follows_dlbasics_cache_dir_unless_numba_cache_dir_is_set(monkeypatch, tmp_path):
    monkeypatch.setenv("DLBASICS_CACHE_DIR", str(tmp_path / "mine"))
    assert kernel_cache.default_cache_folder() == tmp_path / "mine" / "numba"
    monkeypatch.delenv("DLBASICS_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert kernel_cache.default_cache_folder() == tmp_path / "home/.cache/dlbasics/numba"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "theirs"))
    assert kernel_cache.use_cache_folder() == tmp_path / "theirs"


RUN_A_KERNEL = """
import numpy as np
from numba.core import config
from dlbasics.fast import LinearRegression
model = LinearRegression(3, learning_rate=0.1)
X, y = np.eye(3), np.ones(3)
model.train_epoch(X, y, np.arange(3))
print(config.CACHE_DIR)
"""


def _read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        path.chmod(mode)


def _writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_package_compiles_into_the_user_cache_folder(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(
        SRC / "dlbasics", site / "dlbasics", ignore=shutil.ignore_patterns("__pycache__")
    )
    _read_only(site)
    try:
        env = {**os.environ, "PYTHONPATH": str(site), "DLBASICS_CACHE_DIR": str(tmp_path / "c")}
        env.pop("NUMBA_CACHE_DIR", None)
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # as root, the read-only mode would not stop it
        for _ in range(2):  # compile, then load from the cache
            done = subprocess.run([sys.executable, "-c", RUN_A_KERNEL], env=env,
                                  capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip() == str(tmp_path / "c" / "numba")
        assert list((tmp_path / "c" / "numba").rglob("linear.*.nbi"))
        assert list((tmp_path / "c" / "numba").rglob(kernel_cache.STAMP_NAME))
        assert not list(site.rglob("*.nb[ic]")) and not list(site.rglob("__pycache__"))
    finally:
        _writable(site)
