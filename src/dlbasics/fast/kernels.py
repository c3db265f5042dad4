"""Compiled per-example epoch kernels for the from-scratch models (the "fast" engine).

Every kernel here performs exactly the updates written in the shared math spec (the same
formulas as :mod:`dlbasics.scratch`), one example at a time, in the order it is given. What
makes them fast is only *how* the arithmetic is laid out, never *what* is computed:

* Compiled with numba (``cache=True``: compiled once per dtype signature and kept on disk).
  ``fastmath`` stays OFF, so every ``+``, ``*``, ``/`` and ``sqrt`` is the IEEE operation in
  the order written (no reassociation, no fused multiply-add). ``error_model="numpy"`` only
  drops Python's division-by-zero check (a diverged run then yields inf/NaN, which the caller
  detects, instead of an exception).
* Layer weights are stored **transposed**, ``(in, out)`` row-major, in one flat buffer. The
  forward pass ``z = W h`` then becomes a stream of ``z[:] += h[j] * Wt[j, :]`` (contiguous,
  vectorisable, no reduction), and the update ``W -= lr * outer(g, h)`` becomes
  ``Wt[j, :] -= lr * (g[:] * h[j])``, one contiguous row per input unit.
* Rows whose input ``h[j]`` is exactly 0 are skipped: they add ``0 * w`` to ``z`` and their
  update ``lr * (g * 0)`` is 0, so skipping them changes no bit of the result (about half of
  the Fashion-MNIST pixels are 0, and so are most ReLU units).
* No allocation inside the per-example loop: all scratch buffers are made once per epoch.
* Float32 data is processed in float32 throughout (learning rate included), as NumPy does
  with float32 arrays, so the two engines round the same way, operation by operation.

Summation order inside a dot product differs from NumPy's BLAS (which is itself unspecified),
so the two engines agree to rounding error (rtol 1e-9 in float64), not bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

RELU = 0
TANH = 1

_JIT = {"cache": True, "nogil": True, "error_model": "numpy"}


# --------------------------------------------------------------------------------------------
# Small building blocks (inlined into the kernels). ``zero``/``one`` are scalars of the
# weights' dtype: a bare 0.0 literal would be float64 and silently promote float32 sums.
# --------------------------------------------------------------------------------------------


@njit(inline="always", **_JIT)
def _dot_row(w, j, v, acc):
    """``sum_k w[j, k] * v[k]``, deterministic, in a form the compiler can vectorise.

    Without fastmath a running sum cannot be vectorised (that would reorder additions), so
    the order is chosen explicitly: ``acc`` holds LANES partial sums (lane c sums the
    elements k = c mod LANES, in order), then the lanes are folded pairwise. Updating the
    lanes is an elementwise loop, which vectorises. Rows shorter than LANES use a plain
    running sum. LANES is ``acc.shape[0]``, a power of two. (Rows are indexed as ``w[j, k]``
    rather than through a view ``w[j]``: a view costs a reference-count update.)
    """
    n = w.shape[1]
    lanes = acc.shape[0]
    if n < lanes:
        s = acc[0] * 0
        for k in range(n):
            s += w[j, k] * v[k]
        return s
    acc[:] = 0
    base = 0
    while base + lanes <= n:
        for c in range(lanes):
            acc[c] += w[j, base + c] * v[base + c]
        base += lanes
    for c in range(n - base):
        acc[c] += w[j, base + c] * v[base + c]
    width = lanes
    while width > 1:
        width //= 2
        for c in range(width):
            acc[c] += acc[c + width]
    return acc[0]


@njit(inline="always", **_JIT)
def _add_scaled_row(dst, a, wt, j):
    """``dst += a * wt[j]`` (elementwise)."""
    for k in range(dst.shape[0]):
        dst[k] += a * wt[j, k]


@njit(inline="always", **_JIT)
def _sgd_row(wt, j, step, hj):
    """``wt[j] -= step * hj``: row j of ``W^T -= outer(h, step)``, ``step = lr * g``."""
    for k in range(wt.shape[1]):
        wt[j, k] -= step[k] * hj


@njit(inline="always", **_JIT)
def _dense_forward(wt, b, src, dst):
    """``dst = W src + b`` with ``wt`` = W^T (n_in, n_out): ``dst = sum_j src[j] wt[j] + b``.

    Rows with a zero input are skipped (they would add exact zeros).
    """
    dst[:] = 0
    for j in range(wt.shape[0]):
        hj = src[j]
        if hj != 0:
            _add_scaled_row(dst, hj, wt, j)
    for k in range(dst.shape[0]):
        dst[k] += b[k]


@njit(inline="always", **_JIT)
def _sgd_then_forward(wt, step, h, h_next, z_next):
    """Update ``W^T -= outer(h, step)`` and, in the same pass, ``z_next = W_new h_next``.

    Row j of the updated W^T is all that ``z_next`` needs from row j, so doing both while the
    row sits in cache halves the memory traffic of the largest layer; the arithmetic and its
    order are exactly those of an update followed by a separate forward pass. (Bias not added.)
    """
    z_next[:] = 0
    for j in range(wt.shape[0]):
        hj = h[j]
        hn = h_next[j]
        if hj != 0 and hn != 0:
            for k in range(wt.shape[1]):
                w = wt[j, k] - step[k] * hj
                wt[j, k] = w
                z_next[k] += hn * w
        elif hj != 0:
            _sgd_row(wt, j, step, hj)
        elif hn != 0:
            _add_scaled_row(z_next, hn, wt, j)


@njit(inline="always", **_JIT)
def _scaled(lr, g, buf):
    """``lr * g`` written into the front of ``buf`` (the step of an SGD update)."""
    step = buf[: g.shape[0]]
    for k in range(g.shape[0]):
        step[k] = lr * g[k]
    return step


@njit(inline="always", **_JIT)
def _activate(z, h, activation):
    """``h = act(z)``: relu ``max(z, 0)`` or ``tanh``."""
    if activation == RELU:
        for k in range(z.shape[0]):
            if z[k] > 0:
                h[k] = z[k]
            else:
                h[k] = 0
    else:
        for k in range(z.shape[0]):
            h[k] = np.tanh(z[k])


@njit(inline="always", **_JIT)
def _softmax_gradient(z, label, g, zero, one):
    """Write ``softmax(z) - e_label`` into ``g``; return ``logsumexp(z) - z[label]``.

    Stable form: ``p = exp(z - max z) / sum``, ``logsumexp(z) = max z + log(sum)``.
    """
    n = z.shape[0]
    top = z[0]
    for k in range(1, n):
        if z[k] > top:
            top = z[k]
    norm = zero
    for k in range(n):
        e = np.exp(z[k] - top)
        g[k] = e
        norm += e
    for k in range(n):
        g[k] = g[k] / norm
    g[label] -= one
    return float(top) + np.log(float(norm)) - float(z[label])


# --------------------------------------------------------------------------------------------
# Linear models: perceptron and multinomial logistic regression with W (n_classes, n_features)
# row-major, as the models store it (ten long rows: dense, vectorised); linear regression.
# --------------------------------------------------------------------------------------------

LANES = 64  # partial sums per dot product (see _dot_row)


@njit(**_JIT)
def perceptron_epoch(W, X, y, order):
    """One perceptron pass; returns the number of mistakes. ``W`` is updated in place.

    For each example i: ``yhat = argmax_k (W x_i)_k`` (first maximum on ties); on a mistake
    ``W[y_i] += x_i`` and ``W[yhat] -= x_i``.
    """
    n_classes, n_features = W.shape
    acc = np.zeros(LANES, dtype=W.dtype)
    mistakes = 0
    for i in order:
        x = X[i]
        best = 0
        best_score = _dot_row(W, 0, x, acc)
        for k in range(1, n_classes):
            score = _dot_row(W, k, x, acc)
            if score > best_score:
                best = k
                best_score = score
        label = y[i]
        if best != label:
            mistakes += 1
            for j in range(n_features):
                W[label, j] += x[j]
            for j in range(n_features):
                W[best, j] -= x[j]
    return mistakes


@njit(**_JIT)
def logistic_epoch(W, X, y, order, lr):
    """One SGD pass of multinomial logistic regression; returns the summed loss.

    ``z = W x``; ``loss = logsumexp(z) - z[y]``; ``p = softmax(z)``;
    ``W -= lr * outer(p - e_y, x)``. ``W`` is updated in place; ``lr`` has its dtype.
    """
    n_classes, n_features = W.shape
    zero = np.zeros(1, dtype=W.dtype)[0]
    one = np.ones(1, dtype=W.dtype)[0]
    acc = np.zeros(LANES, dtype=W.dtype)
    z = np.zeros(n_classes, dtype=W.dtype)
    g = np.zeros(n_classes, dtype=W.dtype)
    total = 0.0
    for i in order:
        x = X[i]
        for k in range(n_classes):
            z[k] = _dot_row(W, k, x, acc)
        total += _softmax_gradient(z, y[i], g, zero, one)
        for k in range(n_classes):
            gk = g[k]
            for j in range(n_features):
                W[k, j] -= lr * (gk * x[j])
    return total


@njit(**_JIT)
def linear_regression_epoch(w, X, y, order, lr):
    """One SGD pass of least squares; returns the summed loss ``0.5 * err^2``.

    ``err = w . x - y`` (as a float64); ``w -= (lr * err) * x``. ``w`` is (n_features,), updated
    in place; ``lr`` is a float64.
    """
    w2 = w.reshape((1, w.shape[0]))  # a one-row matrix view, for _dot_row
    acc = np.zeros(LANES, dtype=w.dtype)
    step = np.zeros(1, dtype=w.dtype)  # lr * err, rounded to w's dtype like a NumPy scalar
    total = 0.0
    for i in order:
        x = X[i]
        err = float(_dot_row(w2, 0, x, acc) - y[i])
        total += 0.5 * err * err
        step[0] = lr * err
        for j in range(w.shape[0]):
            w[j] -= step[0] * x[j]
    return total


# --------------------------------------------------------------------------------------------
# Multi-layer perceptron (math spec "MLP"), layers packed transposed in flat buffers
# --------------------------------------------------------------------------------------------


@njit(**_JIT)
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


@njit(**_JIT)
def activation_buffers(sizes, dtype_like):
    """Per-layer scratch vectors: z_l (pre-activation, out_l) and h_{l+1} = act(z_l)."""
    zs = []
    hs = []
    for l in range(sizes.shape[0] - 1):
        zs.append(np.zeros(sizes[l + 1], dtype=dtype_like.dtype))
        hs.append(np.zeros(sizes[l + 1], dtype=dtype_like.dtype))
    return zs, hs


@njit(**_JIT)
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
    width = 0
    for l in range(n_layers + 1):
        width = max(width, sizes[l])
    g_buf = np.zeros(width, dtype=wt.dtype)
    g_prev_buf = np.zeros(width, dtype=wt.dtype)
    step_buf = np.zeros(width, dtype=wt.dtype)
    acc = np.zeros(LANES, dtype=wt.dtype)
    zero = np.zeros(1, dtype=wt.dtype)[0]
    one = np.ones(1, dtype=wt.dtype)[0]
    top = n_layers - 1
    total = 0.0
    n = order.shape[0]
    if n == 0:
        return total
    # z_0 of the first example; afterwards z_0 comes out of the fused update pass
    _dense_forward(weights[0], biases[0], X[order[0]], zs[0])
    for t in range(n):
        i = order[t]
        # forward through layers 1..L (z_0 is ready)
        for l in range(1, n_layers):
            _activate(zs[l - 1], hs[l - 1], activation)
            _dense_forward(weights[l], biases[l], hs[l - 1], zs[l])
        # head
        g = g_buf[: sizes[n_layers]]
        if regression:
            err = zs[top][0] - y[i]
            total += 0.5 * float(err) * float(err)
            g[0] = err
        else:
            total += _softmax_gradient(zs[top], int(y[i]), g, zero, one)
        # backward through layers L..1
        for l in range(top, 0, -1):
            step = _scaled(lr, g, step_buf)
            wl = weights[l]
            h = hs[l - 1]  # the input h_l of layer l
            zp = zs[l - 1]  # z_{l-1}, for act'(z_{l-1})
            g_prev = g_prev_buf[: sizes[l]]
            for j in range(sizes[l]):
                hj = h[j]
                if activation == RELU:
                    if zp[j] > 0:
                        g_prev[j] = _dot_row(wl, j, g, acc)
                    else:
                        g_prev[j] = 0
                else:
                    g_prev[j] = _dot_row(wl, j, g, acc) * (one - hj * hj)
                if hj != 0:
                    _sgd_row(wl, j, step, hj)
            bl = biases[l]
            for k in range(bl.shape[0]):
                bl[k] -= step[k]
            g = g_buf[: sizes[l]]
            g[:] = g_prev
        # first layer: update, fused with the next example's z_0
        step = _scaled(lr, g, step_buf)
        b0 = biases[0]
        for k in range(b0.shape[0]):
            b0[k] -= step[k]
        x = X[i]
        if t + 1 < n:
            _sgd_then_forward(weights[0], step, x, X[order[t + 1]], zs[0])
            for k in range(b0.shape[0]):
                zs[0][k] += b0[k]
        else:
            w0 = weights[0]
            for j in range(sizes[0]):
                if x[j] != 0:
                    _sgd_row(w0, j, step, x[j])
    return total


# --------------------------------------------------------------------------------------------
# Packing between the models' (out, in) matrices and the kernels' flat transposed buffers
# --------------------------------------------------------------------------------------------


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
