"""The training epoch of Question 4's network (the fast engine's torch-equivalent trainer).

Reproduces what torch does for ``[Linear, ReLU|Tanh, Dropout] x L + Linear`` trained with
batch-mean cross-entropy and torch.optim.SGD / Adam: the forward pass with nn.Dropout's
inverted dropout (:mod:`.rng`), the backward pass in torch's order of products, and the
optimiser steps of :mod:`.optim`, element by element.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics.fast.common import JIT, RELU
from dlbasics.fast.functions import activate, dense_forward, dot_row, softmax_gradient
from dlbasics.fast.layers import activation_buffers, layer_views, widest
from dlbasics.fast.rows import row_sgd_scaled
from dlbasics.fast.torch_equivalent.optim import (
    H_BETA1,
    H_BETA2,
    H_EPS,
    H_KEEP,
    H_LR,
    H_WEIGHT_DECAY,
    O_BETA2,
    O_EPS,
    O_LR,
    O_ONE_MINUS_BETA1,
    O_ONE_MINUS_BETA2,
    O_WD,
    SGD,
    start_step,
    step_all,
    step_row,
)
from dlbasics.fast.torch_equivalent.rng import apply_dropout


@njit(inline="always", **JIT)
def _ffn_forward(weights, biases, x, zs, acts, hs, masks, activation, keep, scale, rng):
    """Training-mode forward pass of one example; the output scores end up in ``zs[-1]``.

    Hidden layer l: ``z_l = W_l h_l + b_l`` (h_0 = x), ``a_l = act(z_l)``, then inverted
    dropout ``h_{l+1} = a_l * m_l`` where ``m_l[k] = scale`` (1/(1-p) in the weights' dtype,
    as torch computes it) with probability ``keep`` = 1-p and 0 otherwise, one draw per unit
    in order. p = 0 (keep = 1) draws nothing and ``h_{l+1} = a_l``, as torch skips dropout.
    Buffers: ``zs[l]`` = z_l, ``acts[l]`` = a_l, ``masks[l]`` = m_l, ``hs[l]`` = h_{l+1}.
    """
    top = len(weights) - 1
    dense_forward(weights[0], biases[0], x, zs[0])
    for l in range(top):
        activate(zs[l], acts[l], activation)
        apply_dropout(acts[l], hs[l], masks[l], keep, scale, rng)
        dense_forward(weights[l + 1], biases[l + 1], hs[l], zs[l + 1])


@njit(inline="always", **JIT)
def _ffn_g_prev(wt, j, g, a, m, activation, zero, one):
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
    s = dot_row(wt, j, g) * mj
    if activation == RELU:
        return s
    return s * (one - aj * aj)


@njit(**JIT)
def ffn_epoch(wt, b, sizes, X, y, order, batch_size, activation, optimizer, hyper, rng, state):
    """Train Question 4's network on the examples ``order``, ``batch_size`` at a time.

    Returns ``(sum over batches of the batch's mean loss, number of batches)``.

    ``wt``/``b``/``sizes``: the layers as in :mod:`dlbasics.fast.layers`. ``hyper``: float64
    array indexed by ``H_*``. ``rng``: the dropout generator's state (uint64[1]). ``state``: a
    tuple (adam_t, grad_w, grad_b, m_w, v_w, m_b, v_b): Adam's step count (int64[1]), zeroed
    gradient buffers and Adam's moments, flat like wt and b. Every state array is updated in
    place, so that training continues across calls.

    Each batch (consecutive positions of ``order``): forward every example with fresh dropout
    masks, the weights fixed during the batch; loss ``mean_b(logsumexp(z_b) - z_b[y_b])``,
    whose score gradient is ``(softmax(z_b) - e_{y_b}) / B``; backpropagate,
    ``g_prev = ((W^T g) * mask) * act'``, and sum the parameter gradients ``outer(g, h_l)``
    and ``g``; then one optimiser step, element by element as torch.optim.SGD / Adam with
    ``weight_decay`` (:mod:`.optim`).

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
    width = widest(sizes)
    g_buf = np.zeros(width, dtype=wt.dtype)
    g_prev_buf = np.zeros(width, dtype=wt.dtype)
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
            start_step(optimizer, hyper, adam_t, oc)
        for t in range(start, stop):
            i = order[t]
            x = X[i]
            _ffn_forward(weights, biases, x, zs, acts, hs, masks, activation, keep, scale, rng)
            g = g_buf[:n_out]
            batch_loss += softmax_gradient(zs[top], y[i], g, zero, one)
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
                            wl, j, g, acts[l - 1], masks[l - 1], activation, zero, one
                        )
                    hj = h[j]
                    if plain_sgd:
                        if hj != 0:
                            row_sgd_scaled(wl, j * wl.shape[1], lr, g, hj, wl.shape[1])
                    elif direct:
                        step_row(wl, j, g, hj, mw, vw, optimizer, oc)
                    elif hj != 0:
                        for k in range(gw.shape[1]):
                            gw[j, k] += g[k] * hj
                if direct:
                    bl = biases[l]
                    n_b = bl.shape[0]
                    step_row(
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
            start_step(optimizer, hyper, adam_t, oc)
            step_all(wt, grad_w, m_w, v_w, optimizer, oc)
            step_all(b, grad_b, m_b, v_b, optimizer, oc)
        start = stop
    return loss_total, n_batches
