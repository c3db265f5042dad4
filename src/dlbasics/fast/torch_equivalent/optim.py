"""torch.optim.SGD and torch.optim.Adam, element by element, as torch computes them.

Reproduces torch.optim's single-tensor updates with ``weight_decay`` (added to the gradient
first) for Question 4's network: SGD ``theta - lr * grad``, and Adam (no amsgrad) with torch's
lerp for the first moment, its order of products for the second, and its bias corrections.
The scalars are rounded to the weights' dtype as torch rounds a Python float for a float32
operation. :func:`adam_element` is the element-wise definition; the kernels apply it a row at
a time with :func:`dlbasics.fast.torch_equivalent.adam_rows.adam_row` (the same bits, as vector
code that avoids the CPU's slow path for subnormal float32 numbers).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dlbasics.fast.common import JIT
from dlbasics.fast.rows import row_sgd_scaled
from dlbasics.fast.torch_equivalent.adam_rows import adam_row

SGD = 0
ADAM = 1

# The float hyperparameters of ffn_epoch, in this order, in one float64 array.
H_LR, H_WEIGHT_DECAY, H_BETA1, H_BETA2, H_EPS, H_KEEP = range(6)

# The optimiser's scalars, rounded to the weights' dtype as torch rounds a Python float for a
# float32 operation; one small array ``oc`` indexed by these.
O_LR, O_WD, O_ONE_MINUS_BETA1, O_BETA2, O_ONE_MINUS_BETA2, O_NEG_STEP, O_BIAS2_SQRT, O_EPS = range(
    8
)


@njit(inline="always", **JIT)
def sgd_element(theta, gr, lr, wd):
    """torch.optim.SGD on one element: ``grad += wd * theta``; return ``theta - lr * grad``."""
    if wd != 0:
        gr = gr + wd * theta
    return theta - lr * gr


@njit(inline="always", **JIT)
def adam_element(theta, gr, m, v, j, k, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps):
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


@njit(inline="always", **JIT)
def _adam_scalars(oc, neg_step):
    """Adam's per-step scalars from ``oc``, in :func:`adam_row`'s order (after ``wd``)."""
    return (
        oc[O_ONE_MINUS_BETA1],
        oc[O_BETA2],
        oc[O_ONE_MINUS_BETA2],
        neg_step,
        oc[O_BIAS2_SQRT],
        oc[O_EPS],
    )


@njit(inline="always", **JIT)
def step_row(w, j, g, hj, m, v, optimizer, oc):
    """One step on row j of ``w`` (moments: row j of ``m``, ``v``) whose gradient is
    ``g * hj`` (batch size 1); the row's first ``len(g)`` entries (rows may be padded). Biases
    pass a one-row view and ``hj = 1`` (gradient ``g``). (Rows are indexed as ``w[j, k]``: a
    row view per row would cost a reference count.)"""
    lr, wd = oc[O_LR], oc[O_WD]
    n, stride = g.shape[0], w.shape[1]
    if optimizer == SGD:
        if wd == 0:
            if hj != 0:  # a zero input leaves the row unchanged
                row_sgd_scaled(w, j * stride, lr, g, hj, n)
        else:
            for k in range(n):
                w[j, k] = sgd_element(w[j, k], g[k] * hj, lr, wd)
    else:  # Adam moves every weight, even with a zero gradient
        adam_row(w, m, v, j * stride, n, g, hj, wd, *_adam_scalars(oc, oc[O_NEG_STEP]))


@njit(inline="always", **JIT)
def step_all(theta, grad, m, v, optimizer, oc):
    """One step on every element from the summed gradients ``grad`` (then zeroed); all
    arguments are flat, seen here as one row."""
    lr, wd = oc[O_LR], oc[O_WD]
    if optimizer == SGD:
        for e in range(theta.shape[0]):
            theta[e] = sgd_element(theta[e], grad[e], lr, wd)
    else:
        one = oc.dtype.type(1)
        scalars = _adam_scalars(oc, oc[O_NEG_STEP])
        adam_row(theta, m, v, 0, theta.shape[0], grad, one, wd, *scalars)
    grad[:] = 0


@njit(inline="always", **JIT)
def start_step(optimizer, hyper, adam_t, oc):
    """Adam: count the step, and set -lr / (1 - beta1^t) and sqrt(1 - beta2^t) in ``oc``."""
    if optimizer == ADAM:
        adam_t[0] += 1
        t = float(adam_t[0])
        oc[O_NEG_STEP] = -(hyper[H_LR] / (1.0 - hyper[H_BETA1] ** t))
        oc[O_BIAS2_SQRT] = (1.0 - hyper[H_BETA2] ** t) ** 0.5
