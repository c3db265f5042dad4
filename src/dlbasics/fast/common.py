"""What every fast-engine kernel shares: numba's settings, the activation codes, the input checks.

The kernels perform exactly the updates of the shared math spec (the same formulas as
:mod:`dlbasics.scratch`), one example at a time, in the order given. They are compiled with
numba under :data:`JIT`:

* ``cache=True``: compiled once per dtype signature and kept on disk, in a user cache folder
  (``~/.cache/dlbasics/numba``; :mod:`dlbasics.fast.kernel_cache`). numba
  checks only the kernel's own file for changes, not the modules it imports its building
  blocks and constants from, so :mod:`dlbasics.fast.kernel_cache` drops every compiled kernel
  whenever any source file of the package changed.
* ``fastmath`` stays OFF, so every ``+``, ``*``, ``/`` and ``sqrt`` is the IEEE operation in
  the order written (no reassociation, no fused multiply-add).
* ``error_model="numpy"`` only drops Python's division-by-zero check (a diverged run then
  yields inf/NaN, which the caller detects, instead of an exception).

No kernel allocates inside its per-example loop: all scratch buffers are made once per call.
Float32 data is processed in float32 throughout (learning rate included), as NumPy does with
float32 arrays, so the two engines round the same way, operation by operation. Summation order
inside a dot product differs from NumPy's BLAS (which is itself unspecified), so the two
engines agree to rounding error (rtol 1e-9 in float64), not bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbasics.scratch.functions import check_finite, float_dtype

# hidden activations, as the kernels take them
RELU = 0
TANH = 1
IDENTITY = 2  # the MLP kernel only (the torch twin trains relu and tanh)

JIT: dict[str, Any] = {"cache": True, "nogil": True, "error_model": "numpy"}

LANES = 64  # partial sums per dot product (see dot_row)
AHEAD = 2  # the linear kernels fetch the input row of the example this many steps ahead


def prepare(
    X: np.ndarray, y: np.ndarray, order: np.ndarray, n_features: int, *, labels: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check the inputs and give them the exact types the kernels are compiled for.

    The kernels index without bounds checks, so every index they will use is checked here:
    ``order`` within the rows of X, labels within ``0..labels-1``. X becomes C-contiguous in
    the model's float type (float32 stays float32, everything else float64), y int64 labels
    (``labels`` given) or float64 targets, ``order`` int64.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    order = np.asarray(order)
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"X must have shape (n, {n_features}), got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if order.ndim != 1 or (order.size and not np.issubdtype(order.dtype, np.integer)):
        raise ValueError("order must be a 1-d array of example indices")
    if order.size and (order.min() < 0 or order.max() >= X.shape[0]):
        raise ValueError(f"order holds indices outside 0..{X.shape[0] - 1}")
    check_finite("X", X)
    check_finite("y", y)
    X = np.ascontiguousarray(X, dtype=float_dtype(X))
    if labels is not None:
        if y.size and (y.min() < 0 or y.max() >= labels or not np.all(y == np.round(y))):
            raise ValueError(f"labels must be integers in 0..{labels - 1}")
        y = np.ascontiguousarray(y, dtype=np.int64)
    else:
        y = np.ascontiguousarray(y, dtype=np.float64)
    return X, y, np.ascontiguousarray(order, dtype=np.int64)
