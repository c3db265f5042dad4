"""The layout of a network's layers in the kernels: transposed, in flat buffers.

Layer weights are stored **transposed**, ``(in, out)`` row-major, all layers in one flat
buffer, and all biases in another. The forward pass ``z = W h`` then becomes a stream of
``z[:] += h[j] * Wt[j, :]`` (contiguous, vectorisable, no reduction), and the update
``W -= lr * outer(g, h)`` becomes ``Wt[j, :] -= lr * (g[:] * h[j])``, one contiguous row per
input unit. :func:`pack_layers` / :func:`unpack_layers` convert between the models' (out, in)
matrices and this layout; :func:`layer_views` and :func:`activation_buffers` give the kernels
their per-layer views and scratch vectors.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics.fast.common import JIT


@njit(**JIT)
def layer_views(wt, b, sizes):
    """Per-layer views into the flat buffers: W_l^T as (in_l, out_l) and b_l as (out_l,).

    ``sizes`` = [n_features, h_1, ..., n_out]; layer l maps sizes[l] -> sizes[l + 1].
    """
    weights = []
    biases = []
    w0 = 0
    b0 = 0
    for l in range(sizes.shape[0] - 1):
        n_in = sizes[l]
        n_out = sizes[l + 1]
        weights.append(wt[w0 : w0 + n_in * n_out].reshape((n_in, n_out)))
        biases.append(b[b0 : b0 + n_out])
        w0 += n_in * n_out
        b0 += n_out
    return weights, biases


@njit(**JIT)
def aligned_rows(n_rows, n_cols, like):
    """A zeroed ``(n_rows, stride)`` array of ``like``'s dtype whose rows start on 64-byte
    boundaries (``stride``: ``n_cols`` rounded up to whole cache lines), for the row code of
    :mod:`dlbasics.fast.rows`: a 512-bit load or store that straddles two cache lines costs
    about twice one that does not, and a 200-wide float32 row (800 bytes) otherwise starts
    mid-line every other row. Use ``[:, :n_cols]``-wide rows of it."""
    per_line = 64 // like.itemsize
    stride = (n_cols + per_line - 1) // per_line * per_line
    raw = np.zeros(n_rows * stride + per_line, dtype=like.dtype)
    start = ((-raw.ctypes.data) % 64) // like.itemsize
    return raw[start : start + n_rows * stride].reshape((n_rows, stride))


@njit(**JIT)
def widest(sizes):
    """The largest of the layer sizes: the length of a scratch vector that fits every layer."""
    width = 0
    for l in range(sizes.shape[0]):
        width = max(width, sizes[l])
    return width


@njit(**JIT)
def activation_buffers(sizes, dtype_like):
    """Per-layer scratch vectors: z_l (pre-activation, out_l) and h_{l+1} = act(z_l)."""
    zs = []
    hs = []
    for l in range(sizes.shape[0] - 1):
        zs.append(np.zeros(sizes[l + 1], dtype=dtype_like.dtype))
        hs.append(np.zeros(sizes[l + 1], dtype=dtype_like.dtype))
    return zs, hs


def pack_layers(
    weights: list[np.ndarray], biases: list[np.ndarray], dtype: np.dtype
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat transposed weights, flat biases and the layer sizes, in ``dtype``."""
    sizes = np.array([weights[0].shape[1]] + [w.shape[0] for w in weights], dtype=np.int64)
    wt = np.concatenate([np.ascontiguousarray(w.T, dtype=dtype).ravel() for w in weights])
    b = np.concatenate([np.asarray(v, dtype=dtype).ravel() for v in biases])
    return wt, b, sizes


def unpack_layers(
    wt: np.ndarray, b: np.ndarray, sizes: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Inverse of :func:`pack_layers`: lists of (out, in) weight matrices and bias vectors."""
    weights, biases = [], []
    w0 = b0 = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        weights.append(np.ascontiguousarray(wt[w0 : w0 + n_in * n_out].reshape(n_in, n_out).T))
        biases.append(b[b0 : b0 + n_out].copy())
        w0 += n_in * n_out
        b0 += n_out
    return weights, biases
