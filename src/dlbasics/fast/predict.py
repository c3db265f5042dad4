"""Class predictions of the linear models, compiled, certified equal to the reference's.

The reference engine predicts ``argmax_k (W x)_k`` from scores computed by NumPy's matrix
product (BLAS), whose summation order is unspecified and differs from the fast kernels'. The
scores here are not the reference's bit for bit; the *argmax* is, checked for every example
instead of assumed:

* Scores are computed as the training kernels compute them, in the data's dtype, two examples
  per pass over W (:func:`dlbasics.fast.functions.scores2`).
* Any evaluation of a dot product of n terms in precision u, in any summation order, with or
  without fused multiply-adds, lies within ``gamma_n sum_j |w_kj x_j|`` of the exact value,
  ``gamma_n = n u / (1 - n u)`` (Higham, *Accuracy and Stability of Numerical Algorithms*,
  3.1), and ``sum_j |w_kj x_j| <= max|X| sum_j |w_kj|``. With ``c_k`` that bound (doubled, and
  an absolute slack for underflow), ours and the reference's score are within ``2 c_k``.
* If the top score exceeds every other by more than ``2 (c_top + c_k)``, the reference's scores
  have the same strict maximum: its argmax is ``top``. Otherwise (a near or exact tie, as the
  perceptron's integer-valued scores often are), if the inputs and weights are dyadic
  (multiples of powers of two, as pixels / 256 and the perceptron's weights are) and every
  sum stays below 2^p units of their last place (p: 53 bits, 24 for float32), every summation
  order is exact: the scores *are* the reference's, and ties break alike (first maximum).
* Any example still undecided makes :func:`linear_argmax` report failure, and
  :func:`predict_linear` predicts the whole array with the reference engine's own product.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable

import numpy as np
from numba import njit

from dlbasics.fast.common import JIT
from dlbasics.fast.functions import scores, scores2

_NONE = 1 << 20  # the lowest set bit of no number at all


@njit(inline="always", **JIT)
def _arithmetic(u):
    """For the unit roundoff u: the precision p in bits, an absolute slack for underflow (each
    underflowing operation loses at most its format's smallest subnormal) and the largest
    magnitude trusted not to overflow in the reference's format."""
    if u > 2.0**-30:
        return 24, 2.0**-100, 1e37
    return 53, 2.0**-1000, 1e300


@njit(inline="always", **JIT)
def _gamma(n, u):
    """``gamma_n = n u / (1 - n u)``, doubled: a margin for the bound's own rounding."""
    return 2.0 * n * u / (1.0 - n * u)


@njit(inline="always", **JIT)
def _low_bit(v):
    """The exponent e of the lowest set bit of the float v != 0 (v is a multiple of 2^e)."""
    m, e = math.frexp(abs(v))
    mant = np.int64(math.ldexp(m, 53))
    e -= 53
    while mant % 2 == 0:
        mant //= 2
        e += 1
    return e


@njit(**JIT)
def _lowest_bit(values):
    """The smallest :func:`_low_bit` over the non-zero entries (a large number if none)."""
    low = _NONE
    for v in values.ravel():
        if v != 0:
            low = min(low, _low_bit(v))
    return low


@njit(**JIT)
def _exact_row(W, x, w_low, p):
    """Whether every summation order of ``W x`` gives the exact scores (see the module doc):
    the inputs are multiples of 2^a, the weights of 2^w_low, and every
    sum_j |w_kj x_j| < 2^(p + a + w_low), p the precision in bits."""
    if w_low >= _NONE:
        return True  # W = 0: all scores are 0, exactly
    a = _lowest_bit(x)
    if a >= _NONE:
        return True  # x = 0
    limit = math.ldexp(1.0, p + a + w_low) * 0.5  # half: room for the bound's rounding
    for k in range(W.shape[0]):
        s = 0.0
        for j in range(W.shape[1]):
            s += abs(float(W[k, j])) * abs(float(x[j]))
        if not s < limit:
            return False
    return True


@njit(inline="always", **JIT)
def _decided(z, c, top, tiny, big):
    """Whether score ``top`` exceeds every other by more than both bounds allow, all of them
    far from overflow (a NaN or an infinity decides nothing)."""
    for k in range(z.shape[0]):
        if not abs(float(z[k])) + 2.0 * c[k] < big:
            return False
        if k != top and not z[top] - z[k] > 2.0 * (c[top] + c[k]) * (1.0 + 1e-12) + tiny:
            return False
    return True


@njit(**JIT)
def linear_argmax(W, X, u, x_max, out):
    """Write ``argmax_k (W x)_k`` for every row x of X into ``out``, certified (module doc).

    ``W`` (n_classes, n_features) and X share a dtype, both C-contiguous; ``u``: the unit
    roundoff of the reference's arithmetic (:func:`unit_roundoff`); ``x_max``: ``max |X|``.
    Two examples are scored per pass over W (:func:`dlbasics.fast.functions.scores2`).
    Returns True if every prediction equals the reference's, False at the first that may not
    (``out`` is then incomplete).
    """
    p, tiny, big = _arithmetic(u)
    n_classes, n_features = W.shape
    g = _gamma(n_features + 2, u)
    c = np.zeros(n_classes)
    for k in range(n_classes):
        s = 0.0
        for j in range(n_features):
            s += abs(float(W[k, j]))
        c[k] = g * x_max * s + tiny
        if not c[k] < big:
            return False
    w_low = _lowest_bit(W)
    z = np.zeros(n_classes, dtype=W.dtype)
    z2 = np.zeros(n_classes, dtype=W.dtype)
    n = X.shape[0]
    for t in range(0, n, 2):
        if t + 1 < n:
            scores2(W, X[t], X[t + 1], z, z2)
        else:
            scores(W, X[t], z)
        for e in range(min(2, n - t)):
            s_e = z if e == 0 else z2
            top = 0
            for k in range(1, n_classes):
                if s_e[k] > s_e[top]:
                    top = k
            if not _decided(s_e, c, top, tiny, big) and not _exact_row(W, X[t + e], w_low, p):
                return False
            out[t + e] = top
    return True


# max |X| of the arrays seen, by identity, as dlbasics.scratch.functions.check_finite keeps
# the arrays found finite: a model evaluates the same arrays after every epoch.
_MAX_ABS: dict[int, tuple[weakref.ref[np.ndarray], float]] = {}


def unit_roundoff(*arrays: np.ndarray) -> float:
    """The unit roundoff of NumPy's arithmetic on these arrays: 2^-24 if any is float32 (or
    narrower), else 2^-53 (the larger one bounds both engines when the dtypes are mixed)."""
    if any(np.asarray(a).dtype.itemsize < 8 for a in arrays):
        return 2.0**-24
    return 2.0**-53


def max_abs(X: np.ndarray) -> float:
    """``max |X|`` (0 for an empty X), computed once per array and kept by its identity.

    Parameters
    ----------
    X : ndarray
        An array the caller does not change in place afterwards (as the data splits).

    Returns
    -------
    float
        The largest magnitude in X.
    """
    known = _MAX_ABS.get(id(X))
    if known is not None and known[0]() is X:
        return known[1]
    value = float(np.abs(X).max()) if X.size else 0.0
    key = id(X)

    def forget(_: object) -> None:  # the entry goes with the array, before its id is reused
        _MAX_ABS.pop(key, None)

    _MAX_ABS[key] = (weakref.ref(X, forget), value)
    return value


def predict_linear(
    X: np.ndarray, W: np.ndarray, reference: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """``argmax_k (W x)_k`` for every row x of X: exactly the reference engine's predictions.

    Parameters
    ----------
    X : ndarray, shape (n, n_features)
        The examples, already checked finite (float32 or float64; anything else goes to
        ``reference``).
    W : ndarray, shape (n_classes, n_features)
        A linear model's weights (bias folded into the last column of X).
    reference : callable
        The reference engine's ``predict``, used for the whole of X whenever one prediction
        cannot be certified (see the module docstring).

    Returns
    -------
    ndarray of int64, shape (n,)
        Exactly ``reference(X)``'s labels (the first maximum on ties).

    Examples
    --------
    >>> W = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> X = np.array([[2.0, 1.0], [0.5, 3.0], [1.0, 1.0]])
    >>> predict_linear(X, W, lambda X: np.argmax(X @ W.T, axis=1)).tolist()
    [0, 1, 0]
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype not in (np.float32, np.float64) or W.shape[1] != X.shape[1]:
        return np.asarray(reference(X), dtype=np.int64)
    Wc = np.ascontiguousarray(W, dtype=X.dtype)
    if not np.array_equal(Wc, W) or not np.isfinite(Wc).all():  # W not exact in X's dtype
        return np.asarray(reference(X), dtype=np.int64)
    out = np.empty(X.shape[0], dtype=np.int64)
    if linear_argmax(Wc, np.ascontiguousarray(X), unit_roundoff(X, W), max_abs(X), out):
        return out
    return np.asarray(reference(X), dtype=np.int64)


__all__ = ["linear_argmax", "max_abs", "predict_linear", "unit_roundoff"]
