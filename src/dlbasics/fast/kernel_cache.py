"""Keep numba's on-disk kernel cache in step with the fast engine's sources.

numba (``cache=True``) recompiles a kernel when the kernel's own file changes, but not when a
module it inlines building blocks or constants from changes (a limit numba documents). The
fast engine spreads its kernels over several files that share :mod:`dlbasics.fast.functions`,
:mod:`dlbasics.fast.layers` and others, so a stale kernel could silently keep old arithmetic.
:func:`drop_stale_kernels` hashes every source file of the package and, when the hash differs
from the one recorded beside the cache, deletes the compiled kernels so that numba rebuilds
them. It runs once, when :mod:`dlbasics.fast` is imported, before any kernel is compiled or
loaded.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STAMP = PACKAGE / "__pycache__" / "dlbasics-kernel-sources.sha256"


def sources_hash(package: Path = PACKAGE) -> str:
    """SHA-256 over the relative path and bytes of every ``.py`` file of ``package``."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def drop_stale_kernels(package: Path = PACKAGE, stamp: Path = STAMP) -> bool:
    """Delete ``package``'s compiled kernels if its sources changed since they were compiled.

    Returns whether anything was dropped. A folder we may not write to is left alone (numba
    then compiles in memory, every run).
    """
    current = sources_hash(package)
    try:
        if stamp.read_text().strip() == current:
            return False
    except OSError:
        pass
    try:
        dropped = False
        for cached in package.rglob("__pycache__/*.nb[ic]"):
            cached.unlink(missing_ok=True)
            dropped = True
        stamp.parent.mkdir(exist_ok=True)
        temporary = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
        temporary.write_text(current + "\n")
        os.replace(temporary, stamp)
    except OSError:
        return False
    return dropped
