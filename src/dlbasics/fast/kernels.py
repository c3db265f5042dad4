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

from typing import Any

import numpy as np
from numba import njit

RELU = 0
TANH = 1

_JIT: dict[str, Any] = {"cache": True, "nogil": True, "error_model": "numpy"}


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


@njit(inline="always", **_JIT)
def _fold_lanes(acc, z):
    """``z[k] = sum_c acc[k, c]``, the lanes folded pairwise (a fixed order)."""
    for k in range(acc.shape[0]):
        width = acc.shape[1]
        while width > 1:
            width //= 2
            for c in range(width):
                acc[k, c] += acc[k, c + width]
        z[k] = acc[k, 0]


@njit(inline="always", **_JIT)
def _scores(W, x, acc, z):
    """``z = W x`` for all rows at once: row k is summed in LANES partial sums (lane c takes
    the entries j = c mod LANES, in order) then folded, as in :func:`_dot_row`; doing all rows
    block by block reads each block of x once."""
    n_rows, n = W.shape
    lanes = acc.shape[1]
    acc[:, :] = 0
    base = 0
    while base + lanes <= n:
        for k in range(n_rows):
            for c in range(lanes):
                acc[k, c] += W[k, base + c] * x[base + c]
        base += lanes
    for k in range(n_rows):
        for c in range(n - base):
            acc[k, c] += W[k, base + c] * x[base + c]
    _fold_lanes(acc, z)


@njit(inline="always", **_JIT)
def _sgd_then_scores(W, lr, g, x, x_next, acc, z):
    """``W -= lr * outer(g, x)`` and, in the same pass over W, ``z = W_new x_next``.

    Element by element the same arithmetic as an update followed by :func:`_scores`.
    """
    n_rows, n = W.shape
    lanes = acc.shape[1]
    acc[:, :] = 0
    base = 0
    while base + lanes <= n:
        for k in range(n_rows):
            gk = g[k]
            for c in range(lanes):
                w = W[k, base + c] - lr * (gk * x[base + c])
                W[k, base + c] = w
                acc[k, c] += w * x_next[base + c]
        base += lanes
    for k in range(n_rows):
        gk = g[k]
        for c in range(n - base):
            w = W[k, base + c] - lr * (gk * x[base + c])
            W[k, base + c] = w
            acc[k, c] += w * x_next[base + c]
    _fold_lanes(acc, z)


@njit(**_JIT)
def perceptron_epoch(W, X, y, order):
    """One perceptron pass; returns the number of mistakes. ``W`` is updated in place.

    For each example i: ``yhat = argmax_k (W x_i)_k`` (first maximum on ties); on a mistake
    ``W[y_i] += x_i`` and ``W[yhat] -= x_i``.
    """
    n_classes, n_features = W.shape
    acc = np.zeros((n_classes, LANES), dtype=W.dtype)
    z = np.zeros(n_classes, dtype=W.dtype)
    mistakes = 0
    for i in order:
        x = X[i]
        _scores(W, x, acc, z)
        best = 0
        for k in range(1, n_classes):
            if z[k] > z[best]:
                best = k
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
    Each example's update and the next example's scores share one pass over W.
    """
    n_classes, n_features = W.shape
    zero = np.zeros(1, dtype=W.dtype)[0]
    one = np.ones(1, dtype=W.dtype)[0]
    acc = np.zeros((n_classes, LANES), dtype=W.dtype)
    z = np.zeros(n_classes, dtype=W.dtype)
    g = np.zeros(n_classes, dtype=W.dtype)
    total = 0.0
    n = order.shape[0]
    if n == 0:
        return total
    _scores(W, X[order[0]], acc, z)
    for t in range(n):
        i = order[t]
        total += _softmax_gradient(z, y[i], g, zero, one)
        following = order[t + 1] if t + 1 < n else i  # after the last: a score never used
        _sgd_then_scores(W, lr, g, X[i], X[following], acc, z)
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
# Question 4's feed-forward network: dropout, mini-batches, SGD/Adam as torch.optim does them
# --------------------------------------------------------------------------------------------

SGD = 0
ADAM = 1

# The float hyperparameters of ffn_epoch, in this order, in one float64 array.
H_LR, H_WEIGHT_DECAY, H_BETA1, H_BETA2, H_EPS, H_KEEP = range(6)

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


@njit(inline="always", **_JIT)
def next_uniform(state):
    """A uniform float64 in [0, 1) from the SplitMix64 generator whose state is ``state[0]``.

    SplitMix64 (Steele, Lea & Flood 2014): add a constant, then scramble the 64 bits; the top
    53 bits make the float. Small, fast, and seedable with any integer.
    """
    state[0] += _GOLDEN
    z = state[0]
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    z = z ^ (z >> _S31)
    return float(z >> _S11) * (1.0 / 9007199254740992.0)


@njit(**_JIT)
def uniforms(state, n):
    """``n`` draws of :func:`next_uniform`, advancing ``state`` (used by the tests)."""
    out = np.empty(n)
    for i in range(n):
        out[i] = next_uniform(state)
    return out


@njit(inline="always", **_JIT)
def _dropout(a, h, m, keep, scale, rng):
    """Inverted dropout: ``h = a * m`` with ``m[k] = scale`` if ``u_k < keep`` else 0.

    One uniform draw ``u_k`` per unit, in order. ``keep`` = 1 - p draws nothing (m = 1, h = a).
    """
    if keep < 1.0:
        for k in range(a.shape[0]):
            if next_uniform(rng) < keep:
                m[k] = scale
                h[k] = a[k] * scale
            else:
                m[k] = 0
                h[k] = 0
    else:
        m[:] = 1
        h[:] = a


@njit(**_JIT)
def dropout(a, keep, scale, rng):
    """``(h, m)`` of :func:`_dropout` for one activation vector (used by the tests)."""
    h = np.zeros_like(a)
    m = np.zeros_like(a)
    _dropout(a, h, m, keep, scale, rng)
    return h, m


@njit(inline="always", **_JIT)
def _ffn_forward(weights, biases, x, zs, acts, hs, masks, activation, keep, scale, rng):
    """Training-mode forward pass of one example; the output scores end up in ``zs[-1]``.

    Hidden layer l: ``z_l = W_l h_l + b_l`` (h_0 = x), ``a_l = act(z_l)``, then inverted
    dropout ``h_{l+1} = a_l * m_l`` where ``m_l[k] = scale`` (1/(1-p) in the weights' dtype,
    as torch computes it) with probability ``keep`` = 1-p and 0 otherwise, one draw per unit
    in order. p = 0 (keep = 1) draws nothing and ``h_{l+1} = a_l``, as torch skips dropout.
    Buffers: ``zs[l]`` = z_l, ``acts[l]`` = a_l, ``masks[l]`` = m_l, ``hs[l]`` = h_{l+1}.
    """
    top = len(weights) - 1
    _dense_forward(weights[0], biases[0], x, zs[0])
    for l in range(top):
        _activate(zs[l], acts[l], activation)
        _dropout(acts[l], hs[l], masks[l], keep, scale, rng)
        _dense_forward(weights[l + 1], biases[l + 1], hs[l], zs[l + 1])


@njit(inline="always", **_JIT)
def _ffn_g_prev(wt, j, g, a, m, activation, acc, zero, one):
    """Row j of the gradient below layer l > 0: ``((W_l^T g)_j * m_j) * act'_j``.

    ``a``/``m``: the activation output and dropout mask of the layer below. The order of the
    products is torch's (dropout's backward, then the activation's): relu passes the gradient
    where its output is > 0, tanh multiplies by ``1 - a^2``. A dropped or inactive unit gets 0
    without computing the dot product.
    """
    mj = m[j]
    aj = a[j]
    if mj == 0 or (activation == RELU and not aj > 0):
        return zero
    s = _dot_row(wt, j, g, acc) * mj
    if activation == RELU:
        return s
    return s * (one - aj * aj)


# The optimiser's scalars, rounded to the weights' dtype as torch rounds a Python float for a
# float32 operation; one small array ``oc`` indexed by these.
O_LR, O_WD, O_ONE_MINUS_BETA1, O_BETA2, O_ONE_MINUS_BETA2, O_NEG_STEP, O_BIAS2_SQRT, O_EPS = range(
    8
)


@njit(inline="always", **_JIT)
def _sgd_element(theta, gr, lr, wd):
    """torch.optim.SGD on one element: ``grad += wd * theta``; return ``theta - lr * grad``."""
    if wd != 0:
        gr = gr + wd * theta
    return theta - lr * gr


@njit(inline="always", **_JIT)
def _adam_element(theta, gr, m, v, j, k, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps):
    """torch.optim.Adam (single-tensor, no amsgrad) on element (j, k) of the moments m, v.

    ``grad += wd * theta``; ``m += (1 - beta1) * (grad - m)`` (torch's lerp; b1c = 1 - beta1);
    ``v = v * beta2 + ((1 - beta2) * grad) * grad`` (b2c = 1 - beta2);
    ``denom = sqrt(v) / sqrt(1 - beta2^t) + eps``; returns ``theta + neg_step * m / denom``
    with ``neg_step = -lr / (1 - beta1^t)``.
    """
    if wd != 0:
        gr = gr + wd * theta
    me = m[j, k] + b1c * (gr - m[j, k])
    ve = v[j, k] * b2 + (b2c * gr) * gr
    m[j, k] = me
    v[j, k] = ve
    return theta + (neg_step * me) / (np.sqrt(ve) / bias2_sqrt + eps)


@njit(inline="always", **_JIT)
def _step_row(w, j, g, hj, m, v, optimizer, oc):
    """One step on row j of ``w`` (moments: row j of ``m``, ``v``) whose gradient is
    ``g * hj`` (batch size 1). Biases pass a one-row view and ``hj = 1`` (gradient ``g``).
    (Rows are indexed as ``w[j, k]``: a row view per row would cost a reference count; the
    scalars are read from ``oc`` before the loops, so that the loops vectorise.)"""
    lr, wd = oc[O_LR], oc[O_WD]
    if optimizer == SGD:
        if wd == 0:
            if hj != 0:  # a zero input leaves the row unchanged
                for k in range(w.shape[1]):
                    w[j, k] -= lr * (g[k] * hj)
        else:
            for k in range(w.shape[1]):
                w[j, k] = _sgd_element(w[j, k], g[k] * hj, lr, wd)
    else:  # Adam moves every weight, even with a zero gradient
        b1c, b2, b2c = oc[O_ONE_MINUS_BETA1], oc[O_BETA2], oc[O_ONE_MINUS_BETA2]
        neg_step, bias2_sqrt, eps = oc[O_NEG_STEP], oc[O_BIAS2_SQRT], oc[O_EPS]
        for k in range(w.shape[1]):
            w[j, k] = _adam_element(
                w[j, k], g[k] * hj, m, v, j, k, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps
            )


@njit(inline="always", **_JIT)
def _step_all(theta, grad, m, v, optimizer, oc):
    """One step on every element from the summed gradients ``grad`` (then zeroed); all
    arguments are flat, seen here as one row."""
    theta2 = theta.reshape((1, theta.shape[0]))
    m2 = m.reshape((1, m.shape[0]))
    v2 = v.reshape((1, v.shape[0]))
    lr, wd = oc[O_LR], oc[O_WD]
    b1c, b2, b2c = oc[O_ONE_MINUS_BETA1], oc[O_BETA2], oc[O_ONE_MINUS_BETA2]
    neg_step, bias2_sqrt, eps = oc[O_NEG_STEP], oc[O_BIAS2_SQRT], oc[O_EPS]
    if optimizer == SGD:
        for e in range(theta.shape[0]):
            theta2[0, e] = _sgd_element(theta2[0, e], grad[e], lr, wd)
            grad[e] = 0
    else:
        for e in range(theta.shape[0]):
            theta2[0, e] = _adam_element(
                theta2[0, e], grad[e], m2, v2, 0, e, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps
            )
            grad[e] = 0


@njit(inline="always", **_JIT)
def _start_step(optimizer, hyper, adam_t, oc):
    """Adam: count the step, and set -lr / (1 - beta1^t) and sqrt(1 - beta2^t) in ``oc``."""
    if optimizer == ADAM:
        adam_t[0] += 1
        t = float(adam_t[0])
        oc[O_NEG_STEP] = -(hyper[H_LR] / (1.0 - hyper[H_BETA1] ** t))
        oc[O_BIAS2_SQRT] = (1.0 - hyper[H_BETA2] ** t) ** 0.5


@njit(**_JIT)
def ffn_epoch(wt, b, sizes, X, y, order, batch_size, activation, optimizer, hyper, rng, state):
    """Train Question 4's network on the examples ``order``, ``batch_size`` at a time.

    Returns ``(sum over batches of the batch's mean loss, number of batches)``.

    ``wt``/``b``/``sizes``: the layers as in :func:`mlp_epoch`. ``hyper``: float64 array
    indexed by ``H_*``. ``rng``: the dropout generator's state (uint64[1]). ``state``: a
    tuple (adam_t, grad_w, grad_b, m_w, v_w, m_b, v_b): Adam's step count (int64[1]), zeroed
    gradient buffers and Adam's moments, flat like wt and b. Every state array is updated in
    place, so that training continues across calls.

    Each batch (consecutive positions of ``order``): forward every example with fresh dropout
    masks, the weights fixed during the batch; loss ``mean_b(logsumexp(z_b) - z_b[y_b])``,
    whose score gradient is ``(softmax(z_b) - e_{y_b}) / B``; backpropagate,
    ``g_prev = ((W^T g) * mask) * act'``, and sum the parameter gradients ``outer(g, h_l)``
    and ``g``; then one optimiser step, element by element as torch.optim.SGD / Adam with
    ``weight_decay`` (:func:`_sgd_element`, :func:`_adam_element`).

    With batch size 1 the gradient of row j is ``g * h_j``: the step is applied to each row
    right after its ``g_prev`` entry is computed from it, without gradient buffers (the same
    arithmetic: each element's step depends only on its own gradient and moments).
    """
    adam_t, grad_w, grad_b, m_w, v_w, m_b, v_b = state
    weights, biases = layer_views(wt, b, sizes)
    grad_ws, grad_bs = layer_views(grad_w, grad_b, sizes)
    m_ws, m_bs = layer_views(m_w, m_b, sizes)
    v_ws, v_bs = layer_views(v_w, v_b, sizes)
    zs, acts = activation_buffers(sizes, wt)
    hs, masks = activation_buffers(sizes, wt)
    n_layers = sizes.shape[0] - 1
    top = n_layers - 1
    width = 0
    for l in range(n_layers + 1):
        width = max(width, sizes[l])
    g_buf = np.zeros(width, dtype=wt.dtype)
    g_prev_buf = np.zeros(width, dtype=wt.dtype)
    acc = np.zeros(LANES, dtype=wt.dtype)
    oc = np.zeros(8, dtype=wt.dtype)
    oc[O_LR] = hyper[H_LR]
    oc[O_WD] = hyper[H_WEIGHT_DECAY]
    oc[O_ONE_MINUS_BETA1] = 1.0 - hyper[H_BETA1]
    oc[O_BETA2] = hyper[H_BETA2]
    oc[O_ONE_MINUS_BETA2] = 1.0 - hyper[H_BETA2]
    oc[O_EPS] = hyper[H_EPS]
    scalars = np.zeros(3, dtype=wt.dtype)
    scalars[1] = 1.0
    scalars[2] = hyper[H_KEEP]
    zero, one = scalars[0], scalars[1]
    scale = one / scalars[2]  # torch: ones.div_(1 - p), in the tensor's dtype
    keep = hyper[H_KEEP]
    direct = batch_size == 1
    plain_sgd = direct and optimizer == SGD and oc[O_WD] == 0  # the common case, kept simple
    lr = oc[O_LR]
    n_out = sizes[n_layers]
    n = order.shape[0]
    loss_total = 0.0
    n_batches = 0
    start = 0
    while start < n:
        stop = min(start + batch_size, n)
        count = stop - start
        scalars[0] = count
        inverse_count = one / scalars[0]
        scalars[0] = 0
        batch_loss = 0.0
        if direct:
            _start_step(optimizer, hyper, adam_t, oc)
        for t in range(start, stop):
            i = order[t]
            x = X[i]
            _ffn_forward(weights, biases, x, zs, acts, hs, masks, activation, keep, scale, rng)
            g = g_buf[:n_out]
            batch_loss += _softmax_gradient(zs[top], y[i], g, zero, one)
            if count > 1:
                for k in range(n_out):
                    g[k] = g[k] * inverse_count
            for l in range(top, -1, -1):
                wl = weights[l]
                h = x if l == 0 else hs[l - 1]
                g_prev = g_prev_buf[: sizes[l]]
                gw = grad_ws[l]
                mw = m_ws[l]
                vw = v_ws[l]
                for j in range(sizes[l]):
                    if l > 0:
                        g_prev[j] = _ffn_g_prev(
                            wl, j, g, acts[l - 1], masks[l - 1], activation, acc, zero, one
                        )
                    hj = h[j]
                    if plain_sgd:
                        if hj != 0:
                            for k in range(wl.shape[1]):
                                wl[j, k] -= lr * (g[k] * hj)
                    elif direct:
                        _step_row(wl, j, g, hj, mw, vw, optimizer, oc)
                    elif hj != 0:
                        for k in range(gw.shape[1]):
                            gw[j, k] += g[k] * hj
                if direct:
                    bl = biases[l]
                    n_b = bl.shape[0]
                    _step_row(
                        bl.reshape((1, n_b)), 0, g, one,
                        m_bs[l].reshape((1, n_b)), v_bs[l].reshape((1, n_b)), optimizer, oc,
                    )  # fmt: skip
                else:
                    gb = grad_bs[l]
                    for k in range(gb.shape[0]):
                        gb[k] += g[k]
                if l > 0:
                    g = g_buf[: sizes[l]]
                    g[:] = g_prev
        loss_total += batch_loss / count
        n_batches += 1
        if not direct:
            _start_step(optimizer, hyper, adam_t, oc)
            _step_all(wt, grad_w, m_w, v_w, optimizer, oc)
            _step_all(b, grad_b, m_b, v_b, optimizer, oc)
        start = stop
    return loss_total, n_batches


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
