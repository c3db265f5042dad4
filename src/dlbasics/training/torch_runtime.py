"""How torch runs here: intra-op threads, the device, and the global seed."""

from __future__ import annotations

import os

import torch

from dlbasics.errors import ConfigError
from dlbasics.results.provenance import physical_cores

DEVICES = ("auto", "cpu", "cuda")
THREADS_ENV = "DLBASICS_TORCH_THREADS"

# Below this batch size one thread is fastest: a per-example step is too small to split, and a
# second thread only adds synchronisation (measured in docs/fast.md).
MIN_BATCH_FOR_THREADS = 64


def configure_threads(batch_size: int = MIN_BATCH_FOR_THREADS) -> int:
    """Set torch's intra-op threads: ``$DLBASICS_TORCH_THREADS`` if set, else one thread for
    small batches and the physical cores for batches of ``MIN_BATCH_FOR_THREADS`` or more.

    Sweeps with several local workers set the variable so that the workers share the cores
    instead of oversubscribing them.
    """
    requested = os.environ.get(THREADS_ENV, "").strip()
    default = physical_cores() if batch_size >= MIN_BATCH_FOR_THREADS else 1
    try:
        threads = int(requested) if requested else default
    except ValueError:
        raise ConfigError(f"{THREADS_ENV}={requested!r}: must be a whole number") from None
    threads = max(1, threads)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads


def resolve_device(device: str) -> torch.device:
    """``auto`` -> cuda when available else cpu; ``cuda`` without a GPU is a one-line error."""
    name = device.strip().lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            build = (
                "this PyTorch build has no CUDA support"
                if torch.version.cuda is None
                else ("no CUDA GPU is visible")
            )
            raise ConfigError(f"--device {device}: {build}; use --device cpu or --device auto")
        return torch.device(name)
    raise ConfigError(f"invalid --device {device!r}: must be one of {', '.join(DEVICES)}")


def seed_everything(seed: int) -> None:
    """Seed torch's global generators; call it right before building the model, so that one
    seed gives the same initial weights (and the same dropout masks during training)."""
    torch.manual_seed(seed)
