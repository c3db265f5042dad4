"""What this machine can do: memory bandwidth at each cache level and arithmetic peaks.

STREAM-like probes, compiled with numba like the kernels (fastmath off), run once per
``dlbasics bench`` in a process of their own:

* **triad** ``a[i] = b[i] + s * c[i]`` (float64; 24 bytes per element counted, as STREAM
  counts them) over arrays that fit in L1, in L2, in L3 (16 MB, beyond L2), and in none (at
  least twice the L3 size reported by the system);
* **random rows**: the rows of the large buffer, 785 float64 each, read in a random order, as
  the linear kernels read their training examples;
* **mul+add** peaks: independent chains ``x = x * a + b`` held in vector registers (separate
  multiply and add, as the kernels compute without fastmath), float64 and float32;
* **divider**: float32 vector division and square root (each Adam step does two divisions and
  a square root per weight);
* **subnormal multiply**: how much slower a float32 multiplication is when its operand is
  subnormal (Intel cores take a microcode assist, about 70x slower; AMD cores do not).

Each probe reports the best of a few repetitions (the machine may be shared).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

CHAINS = 16  # independent vector accumulators (more than the latency needs)
ROW = 785  # a linear model's example: 784 pixels and the bias column
MB = 2**20


@njit(nogil=True, error_model="numpy")
def _triad(a, b, c, s, reps):
    for _ in range(reps):
        for i in range(a.shape[0]):
            a[i] = b[i] + s * c[i]


@njit(nogil=True, error_model="numpy")
def _random_rows(rows, order):
    """Read every row of ``rows`` (int64 view) in ``order``; integer sums vectorise."""
    total = 0
    for t in range(order.shape[0]):
        r = order[t]
        for k in range(rows.shape[1]):
            total ^= rows[r, k]
    return total


@intrinsic
def _chains(typingctx, x, iterations, op, a, b):
    """``CHAINS`` vector accumulators (the first ``CHAINS * 8`` elements of ``x``), updated
    ``iterations`` times by ``op``: 0 ``x = x * a + b``; 1 ``x = a / x``; 2 ``x = sqrt(x)``."""
    sig = types.void(x, iterations, op, a, b)

    def codegen(context, builder, signature, args):
        ety = context.get_value_type(signature.args[0].dtype)
        vty = ir.VectorType(ety, 8)
        intp = context.get_value_type(types.intp)
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        i32 = ir.IntType(32)

        def splat(value):
            undef = ir.Constant(vty, ir.Undefined)
            one = builder.insert_element(undef, value, ir.Constant(i32, 0))
            return builder.shuffle_vector(one, undef, ir.Constant(ir.VectorType(i32, 8), [0] * 8))

        av, bv = splat(args[3]), splat(args[4])
        pointers = [
            builder.bitcast(builder.gep(data, [ir.Constant(intp, 8 * c)]), vty.as_pointer())
            for c in range(CHAINS)
        ]
        align = context.get_abi_sizeof(ety)  # the array's alignment, not the vector's
        slots = [cgutils.alloca_once_value(builder, builder.load(p, align=align)) for p in pointers]
        suffix = "f64" if isinstance(ety, ir.DoubleType) else "f32"
        sqrt = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(vty, [vty]), f"llvm.sqrt.v8{suffix}"
        )
        kind = args[2]
        with cgutils.for_range(builder, args[1], intp=intp):
            for slot in slots:
                acc = builder.load(slot)
                mul_add = builder.fadd(builder.fmul(acc, av), bv)
                divide = builder.fdiv(av, acc)
                root = builder.call(sqrt, [acc])
                is_one = builder.icmp_signed("==", kind, ir.Constant(kind.type, 1))
                is_two = builder.icmp_signed("==", kind, ir.Constant(kind.type, 2))
                value = builder.select(is_two, root, builder.select(is_one, divide, mul_add))
                builder.store(value, slot)
        for slot, pointer in zip(slots, pointers, strict=True):
            builder.store(builder.load(slot), pointer, align=align)
        return context.get_dummy_value()

    return sig, codegen


@njit(nogil=True, error_model="numpy")
def _run_chains(x, iterations, op, a, b):
    # one loop per operation, so that only that operation runs (the select above is on a
    # constant and folds away once ``op`` is known)
    if op == 0:
        _chains(x, iterations, 0, a, b)
    elif op == 1:
        _chains(x, iterations, 1, a, b)
    else:
        _chains(x, iterations, 2, a, b)


def _best(run: Callable[[], Any], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def cache_sizes() -> dict[str, int]:
    """Data cache sizes in bytes as Linux reports them (level 1, 2, 3; absent if unknown)."""
    sizes: dict[str, int] = {}
    base = Path("/sys/devices/system/cpu/cpu0/cache")
    for index in sorted(base.glob("index*")) if base.exists() else []:
        try:
            kind = (index / "type").read_text().strip()
            level = (index / "level").read_text().strip()
            text = (index / "size").read_text().strip()
        except OSError:
            continue
        if kind == "Instruction":
            continue
        scale = {"K": 1024, "M": MB}.get(text[-1], 1)
        sizes[f"l{level}_bytes"] = int(text.rstrip("KM")) * scale
    return sizes


def _triad_gbs(total_bytes: int, work_bytes: float = 2e9) -> float:
    n = max(total_bytes // 24, 64)
    a, b, c = np.zeros(n), np.ones(n), np.full(n, 0.5)
    reps = max(1, int(work_bytes // (24 * n)))
    _triad(a, b, c, 0.5, 1)
    return 24 * n * reps / _best(lambda: _triad(a, b, c, 0.5, reps)) / 1e9


def _chain_rate(dtype: type, op: int, a: float, b: float, start: float, iterations: int) -> float:
    """Vector lane operations per second (one multiply and one add count as two)."""
    x: np.ndarray = np.full(CHAINS * 8, start, dtype=dtype)
    _run_chains(x, 10, op, dtype(a), dtype(b))
    seconds = _best(lambda: _run_chains(x, iterations, op, dtype(a), dtype(b)))
    return CHAINS * 8 * iterations * (2 if op == 0 else 1) / seconds


def _memory(total_bytes: int) -> tuple[float, float]:
    """Triad and random-row read bandwidth (GB/s) over buffers of ``total_bytes``."""
    n = total_bytes // 24
    a, b, c = np.zeros(n), np.ones(n), np.full(n, 0.5)
    _triad(a, b, c, 0.5, 1)
    triad = 24 * n / _best(lambda: _triad(a, b, c, 0.5, 1)) / 1e9
    rows = b.view(np.int64)[: (n // ROW) * ROW].reshape(-1, ROW)
    order = np.random.default_rng(0).permutation(rows.shape[0])
    _random_rows(rows[:2], order[:0])
    return triad, rows.nbytes / _best(lambda: _random_rows(rows, order)) / 1e9


def measure() -> dict[str, Any]:
    """Run every probe; bandwidths in GB/s, rates in billions of lane operations per second."""
    sizes = cache_sizes()
    l1 = sizes.get("l1_bytes", 32 * 1024)
    l2 = sizes.get("l2_bytes", MB)
    l3 = sizes.get("l3_bytes", 32 * MB)
    large = int(min(max(2 * l3, 256 * MB), 1024 * MB))
    dram, random_rows = _memory(large)
    iterations = 2_000_000
    normal = _chain_rate(np.float32, 0, 1.0, 0.0, 1.0, iterations // 4)
    subnormal = _chain_rate(np.float32, 0, 1.0, 0.0, 1e-40, iterations // 40)
    return {
        **sizes,
        "l1_triad_gbs": _triad_gbs(l1 // 2),
        "l2_triad_gbs": _triad_gbs(l2 // 2),
        "l3_triad_gbs": _triad_gbs(16 * MB),
        "dram_triad_gbs": dram,
        "dram_random_rows_gbs": random_rows,
        "dram_bytes_probed": large,
        "mul_add_gflops_f64": _chain_rate(np.float64, 0, 0.999999, 1e-7, 0.1, iterations) / 1e9,
        "mul_add_gflops_f32": _chain_rate(np.float32, 0, 0.999, 1e-4, 0.1, iterations) / 1e9,
        "div_gops_f32": _chain_rate(np.float32, 1, 1.0000001, 0.0, 1.0, iterations // 8) / 1e9,
        "sqrt_gops_f32": _chain_rate(np.float32, 2, 0.0, 0.0, 1.5, iterations // 8) / 1e9,
        "subnormal_mul_slowdown_f32": normal / subnormal,
    }


__all__ = ["cache_sizes", "measure"]
