"""Each fast kernel's roofline: the work one example needs and the fastest this machine can do it.

For every fast-engine case, :func:`work` counts what one training example needs at least,
from the data actually trained on (``nonzero`` = mean non-zero pixels of an example, which
the first layers skip):

* ``dram_bytes``: the example's input row, read from memory (random rows, 785 or 784 values);
* ``l2_bytes``: weights that do not fit in L1 but do fit in L2, read (and written back when
  updated);
* ``l3_bytes``: state larger than L2 (Q4's weights with Adam's two moments, read and written);
* ``flops``: multiplications and additions (counted apart: fastmath is off, so no fused
  multiply-add);
* ``divider_ops``: divisions and square roots (Adam: two divisions and a root per weight).

:func:`floor` turns that into seconds per example with the machine's measured rates
(:mod:`dlbasics.bench.probes`): the largest of bytes / bandwidth and operations / peak, and
which of them it is (the kernel's bound). A kernel's roofline fraction is floor / measured
time: 1.0 would be the machine's limit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

HIDDEN, CLASSES = 200, 10  # the bench's networks: 784-200-10

# the probe each resource is measured by
RATES = {
    "dram_bytes": ("dram_random_rows_gbs", 1e9),
    "l2_bytes": ("l2_triad_gbs", 1e9),
    "l3_bytes": ("l3_triad_gbs", 1e9),
}


def nonzero_per_example(X: np.ndarray) -> float:
    """Mean number of non-zero inputs per example (the pixels the kernels do not skip)."""
    return float(np.count_nonzero(X[: min(len(X), 10_000)]) / max(min(len(X), 10_000), 1))


def work(case: str, X: np.ndarray) -> dict[str, float]:
    """What one example of ``case`` (fast engine) needs, at least; ``X`` the training inputs."""
    d = X.shape[1]
    size = X.dtype.itemsize
    nonzero = nonzero_per_example(X)
    if case == "perceptron":  # ten dot products over W (10 x d), which is larger than L1
        return {
            "dram_bytes": d * size,
            "l2_bytes": CLASSES * d * size,
            "flops": 2.0 * CLASSES * d,
            "nonzero": nonzero,
        }
    if case == "logistic":  # one pass over W: update (2 mul, 1 sub) and next scores (mul, add)
        return {
            "dram_bytes": d * size,
            "l2_bytes": 2.0 * CLASSES * d * size,
            "flops": 5.0 * CLASSES * d,
            "nonzero": nonzero,
        }
    small = 3 * HIDDEN * CLASSES  # the output layer: forward, backward, update
    if case == "mlp":  # first layer: the non-zero inputs' rows updated, and read for the next
        return {
            "dram_bytes": d * size,
            "l2_bytes": 2.0 * nonzero * HIDDEN * size,
            "flops": 4.0 * nonzero * HIDDEN + 2.0 * small,
            "nonzero": nonzero,
        }
    if case == "q4":  # Adam moves every weight every step: w, m, v read and written
        parameters = d * HIDDEN + HIDDEN * CLASSES + HIDDEN + CLASSES
        return {
            "dram_bytes": d * size,
            "l3_bytes": 6.0 * parameters * size,
            "flops": 12.0 * parameters + 2.0 * nonzero * HIDDEN + 2.0 * small,
            "divider_ops": 3.0 * parameters,
            "nonzero": nonzero,
        }
    raise ValueError(f"no roofline for case {case!r}")


def floor(work: dict[str, float], probes: dict[str, Any], dtype: str) -> tuple[float, str]:
    """Seconds per example at the machine's measured limits, and the binding resource."""
    times = {}
    for resource, (probe, unit) in RATES.items():
        if work.get(resource) and probes.get(probe):
            times[resource] = work[resource] / (probes[probe] * unit)
    peak = probes.get(f"mul_add_gflops_{'f32' if dtype == 'float32' else 'f64'}")
    if work.get("flops") and peak:
        times["flops"] = work["flops"] / (peak * 1e9)
    if work.get("divider_ops") and probes.get("div_gops_f32") and probes.get("sqrt_gops_f32"):
        per_op = (2 / probes["div_gops_f32"] + 1 / probes["sqrt_gops_f32"]) / 3 / 1e9
        times["divider_ops"] = work["divider_ops"] * per_op
    if not times:
        return float("nan"), ""
    bound = max(times, key=lambda k: times[k])
    return times[bound], bound.removesuffix("_bytes").removesuffix("_ops")


__all__ = ["floor", "nonzero_per_example", "work"]
