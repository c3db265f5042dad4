"""What a reproduction is asked to do (``dlbasics reproduce``'s options), and their checks."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dlbasics.data.options import DataOptions
from dlbasics.errors import ConfigError, DlbasicsError
from dlbasics.pipeline.steps import BY_NAME, QUICK_LIMIT, STEP_NAMES
from dlbasics.training.engines import ALL_ENGINES
from dlbasics.training.hyperparameters import check_seed, check_seeds

ENGINES = ALL_ENGINES


@dataclass(frozen=True)
class ReproduceOptions:
    out: Path = Path("report")
    only: tuple[str, ...] | None = None
    quick: bool = False
    jobs: int | None = None  # sweep workers; None: see `sweep_workers`
    engine: str | None = None
    seed: int = 42
    quiet: bool = False
    data: DataOptions = field(default_factory=DataOptions)
    bench: bool = False  # also run `dlbasics bench` and put its table in the report
    seeds: tuple[int, ...] = ()  # every seed, ``seed`` first (empty: ``seed`` alone)
    storage: str | None = None  # the units' Optuna storage (PostgreSQL URL); None: a journal

    @property
    def all_seeds(self) -> tuple[int, ...]:
        """The seeds of the reproduction, the primary one (``seed``) first."""
        return self.seeds or (self.seed,)

    @property
    def by_units(self) -> bool:
        """Whether the (step, seed) units run through an Optuna study, side by side on the
        workers (several seeds, a shared ``storage``, or more than one worker), rather than one
        after the other in this process (one worker: --jobs 1, or --quick)."""
        return len(self.all_seeds) > 1 or self.storage is not None or self.sweep_workers > 1

    @property
    def sweep_workers(self) -> int:
        """Worker processes per sweep: --jobs, else one per CPU core (at most 4: a sweep of the
        report has 2 or 3 configurations) for a full run, and 1 for --quick (starting a worker
        process costs more than a quick configuration)."""
        if self.jobs is not None:
            return self.jobs
        return 1 if self.quick else max(1, min(os.cpu_count() or 1, 4))

    @property
    def effective_data(self) -> DataOptions:
        """The data options the steps use: --quick caps every split at QUICK_LIMIT examples."""
        if self.quick and self.data.limit is None:
            return dataclasses.replace(self.data, limit=QUICK_LIMIT)
        return self.data


def parse_only(text: str | None) -> tuple[str, ...] | None:
    """``"q3.1b,q4.2"`` -> ("q3.1b", "q4.2"); ConfigError naming any unknown step."""
    if text is None:
        return None
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise ConfigError(f"--only needs at least one step name: {', '.join(STEP_NAMES)}")
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise ConfigError(
            f"unknown step {', '.join(map(repr, unknown))} in --only; "
            f"choose from: {', '.join(STEP_NAMES)}"
        )
    return names


def check_options(options: ReproduceOptions) -> None:
    """Reject bad options before anything is written."""
    if options.only is not None:
        parse_only(",".join(options.only))
    if options.engine is not None and options.engine not in ENGINES:
        raise ConfigError(f"unknown engine {options.engine!r}; choose one of: {', '.join(ENGINES)}")
    if options.jobs is not None and options.jobs < 1:
        raise ConfigError(f"invalid --jobs {options.jobs}: must be an integer >= 1")
    check_seed(options.seed)
    if options.seeds:
        check_seeds(options.seeds)
        if options.seeds[0] != options.seed:
            raise ConfigError(
                f"the first of the seeds ({options.seeds[0]}) must be the primary seed "
                f"({options.seed})"
            )


def ensure_writable(out: Path) -> None:
    """Create ``out`` and prove we can write there, or fail with one clear line."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DlbasicsError(f"cannot write the report to {out}: {reason}") from None
