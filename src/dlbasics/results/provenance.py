"""Where a record was made: the processor, its cores and the library versions."""

from __future__ import annotations

import contextlib
import os
import platform
from pathlib import Path

import dlbasics


def cpu_name() -> str:
    """The processor's model name (from /proc/cpuinfo on Linux), else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "dlbasics": dlbasics.__version__}
    for module in ("numpy", "torch", "numba", "optuna"):
        with contextlib.suppress(ImportError):  # optional at run time
            versions[module] = __import__(module).__version__
    return versions


def physical_cores() -> int:
    """Physical cores this process may run on (hyper-threads do not help these small matmuls)."""
    try:
        allowed = os.sched_getaffinity(0)
    except AttributeError:  # not Linux
        return max(1, (os.cpu_count() or 2) // 2)
    cores = set()
    for cpu in allowed:
        topology = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            package = (topology / "physical_package_id").read_text().strip()
            core = (topology / "core_id").read_text().strip()
        except OSError:
            return len(allowed)
        cores.add((package, core))
    return max(1, len(cores))
