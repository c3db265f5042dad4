"""Where numba keeps the fast engine's compiled kernels, and keeping them in step with its sources.

**The folder.** numba (``cache=True``) would write its cache into the package's own
``__pycache__``, which fails on a read-only install and litters an installed package. The cache
goes instead to ``$DLBASICS_CACHE_DIR/numba``, or ``~/.cache/dlbasics/numba`` (a temporary
folder if neither can be created). A ``NUMBA_CACHE_DIR`` the user set is left alone: numba then
uses it, as it always does. :func:`use_cache_folder` is the one place in the fast engine that
reads environment variables; it runs when :mod:`dlbasics.fast` is imported, before any kernel
module is, because numba picks a kernel's cache folder when the kernel is decorated.

**Staleness.** numba recompiles a kernel when the kernel's own file changes, but not when a
module it inlines building blocks or constants from changes (a limit numba documents). The
fast engine spreads its kernels over several files that share :mod:`dlbasics.fast.functions`,
:mod:`dlbasics.fast.layers` and others, so a stale kernel could silently keep old arithmetic.
:func:`drop_stale_kernels` hashes every source file of the package and, when the hash differs
from the one recorded beside the cache, deletes the compiled kernels so that numba rebuilds
them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STAMP_NAME = "dlbasics-kernel-sources.sha256"
CACHE_ENV = "DLBASICS_CACHE_DIR"  # shared with the data cache (dlbasics.data.fashion_mnist)
NUMBA_ENV = "NUMBA_CACHE_DIR"


def default_cache_folder() -> Path:
    """``$DLBASICS_CACHE_DIR/numba``, else ``~/.cache/dlbasics/numba``."""
    root = os.environ.get(CACHE_ENV)
    return (Path(root) if root else Path.home() / ".cache" / "dlbasics") / "numba"


def use_cache_folder() -> Path:
    """Point numba's kernel cache away from the package; return the folder it uses.

    Sets ``NUMBA_CACHE_DIR`` (and numba's configuration, if numba is already imported) to
    :func:`default_cache_folder` unless the user set ``NUMBA_CACHE_DIR``. A folder that cannot
    be created is replaced by one in the temporary directory: never the package's own.
    """
    chosen = os.environ.get(NUMBA_ENV)
    if chosen:
        return Path(chosen)
    folder = default_cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir()) / f"dlbasics-numba-{os.getuid()}"
        folder.mkdir(parents=True, exist_ok=True)
    # The variable, not numba.config alone: numba re-reads its configuration from the
    # environment whenever a NUMBA_ variable changes, which would undo a value set in config.
    os.environ[NUMBA_ENV] = str(folder)
    from numba.core import config

    config.reload_config()
    return folder


def kernel_folders(package: Path, cache: Path) -> list[Path]:
    """numba's cache folder under ``cache`` for each source folder of ``package``.

    numba names it after the source folder and a hash of its absolute path
    (``UserProvidedCacheLocator.get_suitable_cache_subpath``), so two installs never share one.
    """
    from numba.core import caching

    # older numba releases name the same class with a leading underscore
    names = ("UserProvidedCacheLocator", "_UserProvidedCacheLocator")
    locator = next(getattr(caching, name) for name in names if hasattr(caching, name))
    folders = sorted({path.parent for path in package.rglob("*.py")})
    return [cache / locator.get_suitable_cache_subpath(str(folder / "_.py")) for folder in folders]


def sources_hash(package: Path = PACKAGE) -> str:
    """SHA-256 over the relative path and bytes of every ``.py`` file of ``package``."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def drop_stale_kernels(package: Path = PACKAGE, cache: Path | None = None) -> bool:
    """Delete ``package``'s compiled kernels in ``cache`` if its sources changed since then.

    ``cache``: numba's cache folder (default: the one :func:`use_cache_folder` chose). The stamp
    (the sources' hash) is kept in the folder of ``package``'s own kernels. Returns whether
    anything was dropped. A folder we may not write to is left alone (numba then compiles in
    memory, every run).
    """
    folders = kernel_folders(package, cache if cache is not None else use_cache_folder())
    stamp = folders[0] / STAMP_NAME
    current = sources_hash(package)
    try:
        if stamp.read_text().strip() == current:
            return False
    except OSError:
        pass
    try:
        dropped = False
        for folder in folders:
            for cached in folder.glob("*.nb[ic]"):
                cached.unlink(missing_ok=True)
                dropped = True
        stamp.parent.mkdir(parents=True, exist_ok=True)
        temporary = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
        temporary.write_text(current + "\n")
        os.replace(temporary, stamp)
    except OSError:
        return False
    return dropped
