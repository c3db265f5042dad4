"""What the report is told about the reproduction, beyond the steps' own records.

The pipeline fills this in; the report neither reads the pipeline's options nor loads data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ReportSettings:
    """``out``: the report folder (the steps' cache folders are shown relative to it).

    ``engine``: the engine requested (None: each step's default). ``data_limit``: examples per
    split the steps used (None: the full data). ``code_version``: the hash in the steps' keys.
    ``class_names``: the Fashion-MNIST class names, for the classifiers' figures.
    ``test_images``: returns the test images (n, 784) in test order, for the picture of the
    misclassified ones; it may raise (no data): the report then says so and goes on.
    """

    out: Path
    quick: bool = False
    seed: int = 42
    seeds: tuple[int, ...] = ()  # every seed of the reproduction, ``seed`` first (empty: ``seed``)
    engine: str | None = None
    sweep_workers: int = 1
    data_limit: int | None = None
    code_version: str = ""
    class_names: tuple[str, ...] = ()
    test_images: Callable[[], np.ndarray] | None = None

    @property
    def all_seeds(self) -> tuple[int, ...]:
        """The seeds of the reproduction, the primary one (``seed``) first."""
        return self.seeds or (self.seed,)
