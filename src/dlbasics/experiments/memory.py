"""The weights' memory of a run, estimated before anything is allocated, and refused when the
machine cannot hold it.

From the experiment's model shape (inputs, outputs) and the configuration's ``hidden_size`` and
``layers`` (none for the linear models): one weight per connection plus one bias per unit, at
the experiment's bytes per weight, times the copies training keeps: the weights and a
gradient-sized buffer (two), plus Adam's two moment estimates when the optimiser is Adam. The
activations of one example or batch are small beside the weights and are left out, so the
figure is a lower bound: a run refused by it could never have fitted.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dlbasics.errors import ConfigError
from dlbasics.experiments.base import Experiment
from dlbasics.training.hyperparameters import as_flag

MEMINFO = Path("/proc/meminfo")


def parameter_count(shape: tuple[int, int], hidden_size: int, layers: int) -> int:
    """Weights and biases of a network ``inputs -> layers x hidden_size -> outputs``."""
    sizes = [shape[0], *([hidden_size] * layers), shape[1]]
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def weights_bytes(experiment: Experiment, config: dict[str, Any]) -> int:
    """Bytes the weights of ``experiment`` under ``config`` take while training (see above);
    0 for an experiment that declares no shape."""
    if experiment.shape is None:
        return 0
    layers = int(config.get("layers", 0)) if "hidden_size" in config else 0
    count = parameter_count(experiment.shape, int(config.get("hidden_size", 0)), layers)
    copies = 2 + (2 if config.get("optimizer") == "adam" else 0)
    return count * experiment.weight_bytes * copies


def available_memory() -> int | None:
    """Bytes of memory this machine can give a new allocation now (None if it cannot tell):
    Linux's MemAvailable, else the free physical pages."""
    try:
        for line in MEMINFO.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024  # the kernel writes kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def human_bytes(n: float) -> str:
    """``627 GB``: decimal units, at most three digits before the unit where possible."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if n >= 10 or unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def check_memory(
    experiment: Experiment, config: dict[str, Any], available: int | None = None
) -> None:
    """Refuse, with both figures, a configuration whose weights exceed the available memory.

    ``available`` defaults to :func:`available_memory` (nothing is refused when it is unknown).
    """
    needed = weights_bytes(experiment, config)
    available = available_memory() if available is None else available
    if available is None or needed <= available:
        return
    sizes = " ".join(f"{as_flag(k)} {config[k]}" for k in ("hidden_size", "layers") if k in config)
    raise ConfigError(
        f"{sizes or experiment.name} needs about {human_bytes(needed)} for the weights; "
        f"this machine has {human_bytes(available)} available"
    )
