"""The math spec's per-example updates, written as literally as possible in NumPy.

An independent yardstick for the compiled kernels (the reference engine dlbasics.scratch is a
second one, see test_models.py). Arrays keep the dtype they are given (float32 stays float32;
``lr`` is cast to it, as NumPy does with a Python float), and every function returns new
arrays, never touching its inputs.
"""

from __future__ import annotations

import numpy as np


def perceptron_epoch(W, X, y, order):
    W = W.copy()
    mistakes = 0
    for i in order:
        yhat = int(np.argmax(W @ X[i]))
        if yhat != y[i]:
            W[y[i]] += X[i]
            W[yhat] -= X[i]
            mistakes += 1
    return W, mistakes


def logistic_epoch(W, X, y, order, lr):
    W = W.copy()
    lr = W.dtype.type(lr)
    total = 0.0
    for i in order:
        z = W @ X[i]
        m = np.max(z)
        e = np.exp(z - m)
        total += float(m + np.log(np.sum(e)) - z[y[i]])
        p = e / np.sum(e)
        p[y[i]] -= 1
        W -= lr * np.outer(p, X[i])
    return W, total


def linear_regression_epoch(w, X, y, order, lr):
    w = w.copy()
    total = 0.0
    for i in order:
        err = float(w @ X[i] - y[i])
        total += 0.5 * err * err
        w -= (lr * err) * X[i]
    return w, total


def mlp_epoch(weights, biases, X, y, order, lr, activation, regression):
    """Spec "MLP": forward, head, then for l = L..0 backward + update with W_l before update."""
    weights = [W.copy() for W in weights]
    biases = [b.copy() for b in biases]
    lr = weights[0].dtype.type(lr)
    top = len(weights) - 1

    def act(z):
        if activation == "identity":
            return z
        return np.maximum(z, 0) if activation == "relu" else np.tanh(z)

    def act_slope(z):
        if activation == "relu":
            return (z > 0).astype(z.dtype)
        if activation == "identity":
            return np.ones_like(z)
        return 1 - np.tanh(z) ** 2

    total = 0.0
    for i in order:
        h = [X[i]]
        z = []
        for layer in range(top + 1):
            z.append(weights[layer] @ h[layer] + biases[layer])
            if layer < top:
                h.append(act(z[layer]))
        out = z[top]
        if regression:
            err = out[0] - y[i]
            total += 0.5 * float(err) ** 2
            g = out - y[i]
        else:
            m = np.max(out)
            e = np.exp(out - m)
            total += float(m + np.log(np.sum(e)) - out[y[i]])
            g = e / np.sum(e)
            g[y[i]] -= 1
        for layer in range(top, -1, -1):
            grad_W = np.outer(g, h[layer])
            grad_b = g
            if layer > 0:
                g_prev = (weights[layer].T @ g) * act_slope(z[layer - 1])
            weights[layer] -= lr * grad_W
            biases[layer] -= lr * grad_b
            if layer > 0:
                g = g_prev
    return weights, biases, total
