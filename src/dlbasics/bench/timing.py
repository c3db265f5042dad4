"""How a case is measured: wall time of whole epochs, and the process's peak resident memory."""

from __future__ import annotations

import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

WARMUP_EXAMPLES = 16


def peak_rss_mb() -> float:
    """The process's peak resident memory in MB (since :func:`reset_peak_rss`, on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux, bytes on macOS
    return peak / (1024 * 1024) if platform.system() == "Darwin" else peak / 1024


def reset_peak_rss() -> bool:
    """Restart the peak-memory count (Linux: ``5`` into /proc/self/clear_refs), so that the
    peak measures training, not the loading of the data. False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def time_epochs(train_one: Callable[[np.ndarray], Any], n: int, epochs: int) -> float:
    rng = np.random.default_rng(0)
    orders = [rng.permutation(n) for _ in range(epochs)]
    reset_peak_rss()
    start = time.perf_counter()
    for order in orders:
        train_one(order)
    return time.perf_counter() - start
