"""``dlbasics bench``: per-epoch training time of every engine, side by side, in one run.

Each measurement ("case", :mod:`.cases`) runs in a fresh process, one after the other, so that
compile caches, memory peaks and thread pools of one case do not leak into the next. A case
loads Fashion-MNIST (not timed), warms up on 16 examples (numba: compile or load from its
cache; timed apart as ``compile_seconds``), then trains whole epochs on the training split and
reports the mean wall time per epoch and the process's peak resident memory while training
(data and libraries included; on Linux the count restarts after loading, so that loading's
temporary copies do not count; :mod:`.timing`). :mod:`.harness` runs the cases and records
the machine, :mod:`.targets` computes the ratios against the targets and renders the tables.

Ratios compare the fast engine with PyTorch (same data, same epochs) and with scikit-learn
(same total epochs). The machine is shared while measuring: absolute times vary with its load,
ratios within one run are what counts.
"""

from dlbasics.bench.cases import CASES, SKIPPABLE
from dlbasics.bench.harness import machine_info, run_bench
from dlbasics.bench.records import BenchOptions, BenchReport, Measurement
from dlbasics.bench.targets import TARGETS, floor_note, ratios, render_table

__all__ = [
    "CASES",
    "SKIPPABLE",
    "TARGETS",
    "BenchOptions",
    "BenchReport",
    "Measurement",
    "floor_note",
    "machine_info",
    "ratios",
    "render_table",
    "run_bench",
]
