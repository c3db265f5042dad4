"""The multi-layer perceptron (math spec "MLP"), with its SGD epoch compiled (the fast engine).

The layers are packed transposed in flat buffers (:mod:`dlbasics.fast.layers`). Backward, row
j of each W_l^T yields ``g_prev[j]`` and is updated right after, so each row is read once, and
the first layer's update is fused with the next example's first-layer forward pass.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics import scratch
from dlbasics.fast.common import IDENTITY, JIT, RELU, TANH, prepare
from dlbasics.fast.functions import (
    TINY_INPUT,
    activate,
    dense_forward,
    dot_row,
    sgd_row,
    softmax_gradient,
    tiny_entries,
)
from dlbasics.fast.layers import (
    activation_buffers,
    aligned_rows,
    layer_views,
    pack_layers,
    unpack_layers,
    widest,
)
from dlbasics.fast.rows import row_axpy, row_sgd, row_sgd_axpy
from dlbasics.fast.simd import mul_exact

_ACTIVATION_CODES = {"relu": RELU, "tanh": TANH, "identity": IDENTITY}


@njit(inline="always", **JIT)
def _sgd_then_forward(wt, n, step, h, h_next, z_next, tiny):
    """Update ``W^T -= outer(h, step)`` and, in the same pass, ``z_next = W_new h_next``.

    ``wt``: rows of at least ``n`` entries (the first ``n`` are the layer's). Row j of the
    updated W^T is all that ``z_next`` needs from row j, so doing both while the row sits in
    cache halves the memory traffic of the largest layer; the arithmetic and its order are
    exactly those of an update followed by a separate forward pass. (Bias not added.)
    """
    z_next[:] = 0
    stride = wt.shape[1]
    for j in range(wt.shape[0]):
        hj = h[j]
        hn = h_next[j]
        exact = tiny or abs(hj) < TINY_INPUT
        if hj != 0 and hn != 0:
            row_sgd_axpy(wt, j * stride, step, hj, z_next, hn, n, exact)
        elif hj != 0:
            row_sgd(wt, j * stride, step, hj, n, exact)
        elif hn != 0:
            row_axpy(z_next, 0, hn, wt, j * stride, n)


@njit(inline="always", **JIT)
def _scaled(lr, g, buf):
    """``lr * g`` written into the front of ``buf`` (the step of an SGD update)."""
    step = buf[: g.shape[0]]
    for k in range(g.shape[0]):
        step[k] = mul_exact(lr, g[k])
    return step


@njit(**JIT)
def mlp_epoch(wt, b, sizes, X, y, order, lr, activation, regression):
    """One per-example SGD pass of the MLP; returns the summed loss.

    ``wt``: all layers' W^T, flat; ``b``: all biases, flat (see :func:`layer_views`).
    Forward: ``z_l = W_l h_l + b_l``, ``h_{l+1} = act(z_l)`` (h_0 = x), output ``z_L``.
    Head: classification ``loss = logsumexp(z_L) - z_L[y]``, ``g = softmax(z_L) - e_y``;
    regression ``loss = 0.5 (z_L[0] - y)^2``, ``g = z_L - y``.
    Backward, l = L..0: ``g_prev = (W_l^T g) * act'(z_{l-1})`` with W_l *before* its update,
    then ``W_l -= outer(lr * g, h_l)``, ``b_l -= lr * g``. In the transposed layout row j of
    W_l^T yields ``g_prev[j]`` and is updated right after, so each row is read once; the first
    layer's update is fused with the next example's first-layer forward pass.
    """
    weights, biases = layer_views(wt, b, sizes)
    zs, hs = activation_buffers(sizes, wt)
    n_layers = sizes.shape[0] - 1
    width = widest(sizes)
    g_buf = np.zeros(width, dtype=wt.dtype)
    g_prev_buf = np.zeros(width, dtype=wt.dtype)
    step_buf = aligned_rows(1, width, wt)[0]
    # the first layer, the one that counts, in cache-line-aligned rows for this call
    n0 = sizes[1]
    w0 = aligned_rows(sizes[0], n0, wt)
    w0[:, :n0] = weights[0]
    zs[0] = aligned_rows(1, n0, wt)[0, :n0]
    zero = np.zeros(1, dtype=wt.dtype)[0]
    one = np.ones(1, dtype=wt.dtype)[0]
    top = n_layers - 1
    total = 0.0
    n = order.shape[0]
    if n == 0:
        return total
    # z_0 of the first example; afterwards z_0 comes out of the fused update pass
    dense_forward(weights[0], biases[0], X[order[0]], zs[0])
    for t in range(n):
        i = order[t]
        # forward through layers 1..L (z_0 is ready)
        for l in range(1, n_layers):
            activate(zs[l - 1], hs[l - 1], activation)
            dense_forward(weights[l], biases[l], hs[l - 1], zs[l])
        # head
        g = g_buf[: sizes[n_layers]]
        if regression:
            err = zs[top][0] - y[i]
            total += 0.5 * float(err) * float(err)
            g[0] = err
        else:
            total += softmax_gradient(zs[top], int(y[i]), g, zero, one)
        # backward through layers L..1
        for l in range(top, 0, -1):
            step = _scaled(lr, g, step_buf)
            tiny = tiny_entries(step)
            wl = weights[l]
            h = hs[l - 1]  # the input h_l of layer l
            zp = zs[l - 1]  # z_{l-1}, for act'(z_{l-1})
            g_prev = g_prev_buf[: sizes[l]]
            for j in range(sizes[l]):
                hj = h[j]
                if activation == RELU:
                    if zp[j] > 0:
                        g_prev[j] = dot_row(wl, j, g)
                    else:
                        g_prev[j] = 0
                elif activation == IDENTITY:
                    g_prev[j] = dot_row(wl, j, g)  # act' = 1
                else:
                    g_prev[j] = dot_row(wl, j, g) * (one - hj * hj)
                if hj != 0:
                    sgd_row(wl, j, step, hj, tiny)
            bl = biases[l]
            for k in range(bl.shape[0]):
                bl[k] -= step[k]
            g = g_buf[: sizes[l]]
            g[:] = g_prev
        # first layer: update, fused with the next example's z_0
        step = _scaled(lr, g, step_buf)
        tiny = tiny_entries(step)
        b0 = biases[0]
        for k in range(b0.shape[0]):
            b0[k] -= step[k]
        x = X[i]
        if t + 1 < n:
            _sgd_then_forward(w0, n0, step, x, X[order[t + 1]], zs[0], tiny)
            for k in range(b0.shape[0]):
                zs[0][k] += b0[k]
        else:
            _sgd_then_forward(w0, n0, step, x, np.zeros_like(x), zs[0], tiny)  # no next example
    weights[0][:, :] = w0[:, :n0]
    return total


class MLP(scratch.MLP):
    __doc__ = scratch.MLP.__doc__

    def train_epoch(self, X: np.ndarray, y: np.ndarray, order: np.ndarray) -> float:
        """One per-example SGD pass over ``order`` (compiled); returns the mean loss.

        The layers are packed transposed into flat buffers for the kernel (see
        :mod:`dlbasics.fast.layers`) and unpacked back into ``weights_``/``biases_``.
        """
        classes = self.n_outputs if self.head == "classification" else None
        X, y, order = prepare(X, y, order, self.n_features, labels=classes)
        wt, b, sizes = pack_layers(self.weights_, self.biases_, X.dtype)
        total = mlp_epoch(
            wt,
            b,
            sizes,
            X,
            y,
            order,
            X.dtype.type(self.learning_rate),
            _ACTIVATION_CODES[self.activation],
            self.head == "regression",
        )
        self.weights_, self.biases_ = unpack_layers(wt, b, sizes)
        return total / max(len(order), 1)
