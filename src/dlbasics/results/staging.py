"""All-or-nothing outputs: a result appears whole, or the previous one stays whole.

Two shapes of output, one mechanism each:

* :func:`staged_folder`: a folder that *is* the result (``dlbasics run``'s output folder). It
  is built beside its target and swapped in at the end, so no file of a previous run survives
  beside the new ones, and a failure leaves the old folder as it was.
* :func:`staged_files`: result files that live in a folder holding other things too (the
  report beside its cache, a sweep's files beside its Optuna journal). They are written into a
  staging folder inside it and moved into place, each by an atomic rename, only after every one
  of them was written; a subfolder (``figures/``) is swapped whole.

A write that fails because the disk is full or the folder is not writable becomes one
:class:`OutputError` naming the target, never a traceback and never a half-written result.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dlbasics.errors import DlbasicsError

# The errors of a write the user can fix: full disk, no permission, read-only file system.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS})


class OutputError(DlbasicsError):
    """An output could not be written (disk full, no permission): nothing half-written remains."""


def describe_write_error(error: OSError, target: Path | str) -> str:
    """``cannot write TARGET: No space left on device`` (the reason as the OS words it)."""
    reason = error.strerror or type(error).__name__
    return f"cannot write {target}: {reason}"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _swap_into_place(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; an existing ``target`` is moved aside first, then deleted."""
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
        os.replace(new, target)
        _remove(old)
    else:
        os.replace(new, target)


@contextmanager
def staged_folder(target: str | Path) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target`` whole.

    On any failure the staging folder is deleted and ``target`` is left as it was; a write error
    the user can fix (``WRITE_ERRNOS``) becomes an :class:`OutputError` naming ``target``.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    except OSError as error:
        raise OutputError(describe_write_error(error, target)) from None
    try:
        yield staging
        _swap_into_place(staging, target)
    except OSError as error:
        if error.errno in WRITE_ERRNOS:
            raise OutputError(describe_write_error(error, target)) from None
        raise
    finally:
        if staging.exists():
            _remove(staging)


@contextmanager
def staged_files(folder: str | Path) -> Iterator[Path]:
    """Yield a staging folder inside ``folder``; on success each entry written there replaces
    the entry of the same name in ``folder`` (files by an atomic rename, folders whole).

    Entries of ``folder`` that were not written are left alone (a cache, a journal); on failure
    nothing in ``folder`` changes.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    except OSError as error:
        raise OutputError(describe_write_error(error, folder)) from None
    try:
        yield staging
        for entry in sorted(staging.iterdir()):
            _swap_into_place(entry, folder / entry.name)
    except OSError as error:
        if error.errno in WRITE_ERRNOS:
            raise OutputError(describe_write_error(error, folder)) from None
        raise
    finally:
        _remove(staging)
