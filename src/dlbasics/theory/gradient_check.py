"""A gradient check for anyone's function, in the spirit of ``torch.autograd.gradcheck``.

A claimed gradient (a backward pass written by hand) is compared with two references: central
differences of the function, and, when the function is written in torch, the exact derivative
``torch.func.jacrev`` computes. See docs/gradcheck.md for a worked example.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch.func import jacrev

from dlbasics.theory.gradient_result import GradcheckResult, WorstEntry

Array = np.ndarray
Point = tuple[Array, ...]

CENTRAL = "central differences"
AUTOGRAD = "autograd"


def _as_array(value: Any) -> Array:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    return np.array(value, dtype=np.float64)


def _input_names(func: Callable, count: int) -> list[str]:
    """The function's parameter names where it has them (``W1``, ``b1``), else ``input 0``..."""
    try:
        parameters = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    positional = [
        p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(positional) >= count:
        return positional[:count]
    return [f"input {i}" for i in range(count)]


def _points(
    inputs: Any, shapes: Sequence[Sequence[int]] | None, trials: int, seed: int
) -> list[Point]:
    if (inputs is None) == (shapes is None):
        raise ValueError("gradcheck needs either inputs (the arrays to check at) or shapes")
    if inputs is not None:
        given = inputs if isinstance(inputs, list | tuple) else (inputs,)
        return [tuple(_as_array(x) for x in given)]
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
        raise ValueError(f"trials must be an integer >= 1, got {trials!r}")
    rng = np.random.default_rng(seed)
    shapes = [tuple(shape) for shape in shapes]  # type: ignore[union-attr]
    return [tuple(rng.standard_normal(shape) for shape in shapes) for _ in range(trials)]


def _tensors(point: Point) -> tuple[torch.Tensor, ...]:
    return tuple(torch.from_numpy(x.copy()) for x in point)


def _jacobians(func: Callable, point: Point) -> list[Array]:
    """The exact Jacobian of ``func`` in each input, by ``torch.func.jacrev``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy code meeting tensors warns before it fails
        exact = jacrev(func, argnums=tuple(range(len(point))))(*_tensors(point))
    return [_as_array(j) for j in exact]


def _calling_convention(func: Callable, point: Point, autograd: bool | None) -> tuple[str, str]:
    """How to call ``func``: ``"autograd"`` (torch code torch.func differentiates), ``"numpy"``
    (called with arrays) or ``"tensor"`` (torch code autograd cannot follow); and a note on why
    autograd is not used."""
    if autograd is False:
        note = "autograd=False: central differences only"
    else:
        try:
            _jacobians(func, point)
            return "autograd", ""
        except Exception as error:  # NumPy code, in-place ops, .item(): torch.func says no
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            if autograd:
                raise ValueError(
                    f"autograd=True, but torch.func cannot differentiate func: {reason}"
                ) from None
            note = f"torch.func cannot differentiate func ({reason}): central differences only"
    try:
        func(*(x.copy() for x in point))
        return "numpy", note
    except Exception:  # a torch function rejects arrays: call it with tensors, without autograd
        return "tensor", note


def _central_differences(evaluate: Callable[[Point], Array], point: Point, eps: float) -> list:
    """d f / d x_i for every input, by ``(f(x + h) - f(x - h)) / ((x + h) - (x - h))``."""
    shape = evaluate(point).shape
    jacobians = []
    for i, x in enumerate(point):
        jacobian = np.empty(shape + x.shape)
        for j in np.ndindex(x.shape):
            upper, lower = x.copy(), x.copy()
            upper[j] += eps
            lower[j] -= eps
            step = upper[j] - lower[j]  # the step actually taken, after rounding
            up = evaluate(point[:i] + (upper,) + point[i + 1 :])
            down = evaluate(point[:i] + (lower,) + point[i + 1 :])
            jacobian[(...,) + j] = (up - down) / step
        jacobians.append(jacobian)
    return jacobians


def _claimed(gradient: Any, point: Point) -> list[Array] | str:
    """The claimed gradient, one array per input; or why it is not one."""
    value = gradient(*point) if callable(gradient) else gradient
    arrays = list(value) if isinstance(value, list | tuple) else [value]
    if len(arrays) != len(point):
        return f"{len(arrays)} gradient array(s) for {len(point)} input(s)"
    return [_as_array(a) for a in arrays]


def gradcheck(
    func: Callable[..., Any],
    gradient: Callable[..., Any] | Any,
    inputs: Any = None,
    *,
    shapes: Sequence[Sequence[int]] | None = None,
    trials: int = 5,
    seed: int = 0,
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-4,
    autograd: bool | None = None,
    raise_exception: bool = False,
) -> GradcheckResult:
    r"""Check a claimed gradient against central differences and, for torch code, autograd.

    ``func(x_1, ..., x_n)`` returns a number (a loss) or an array of shape ``S``. The claimed
    gradient holds, for each input ``x_i``, the array :math:`\partial f / \partial x_i` of shape
    ``S + x_i.shape`` (for a loss, the shape of ``x_i``). It is compared entry by entry with

    * central differences :math:`(f(x + h e_j) - f(x - h e_j)) / ((x_j + h) - (x_j - h))`,
      dividing by the step actually taken after rounding, always;
    * ``torch.func.jacrev(func)`` when ``func`` is written in torch (it maps float64 tensors to
      a tensor); a NumPy function is checked by central differences only, and the result says so.

    An entry passes when :math:`|\text{claimed} - \text{reference}| \le \text{atol} +
    \text{rtol}\,|\text{reference}|`. Central differences are wrong across a kink (ReLU at 0):
    check at inputs away from one.

    Parameters
    ----------
    func : callable
        The function, of one or more float arrays (NumPy arrays, or torch tensors for a torch
        function). Data that is not differentiated (inputs, labels) goes in a closure.
    gradient : callable or arrays
        The backward pass under test, called with the same inputs as NumPy arrays and returning
        one array per input (a bare array for one input); or, with ``inputs``, those arrays.
    inputs : array or sequence of arrays, optional
        Where to check. Give either ``inputs`` or ``shapes``.
    shapes : sequence of shapes, optional
        Check at ``trials`` random standard-normal inputs of these shapes, drawn from ``seed``.
    trials : int
        How many random inputs to try with ``shapes``.
    seed : int
        Seed of the random inputs (same seed, same inputs).
    eps : float
        Step of the central differences.
    atol, rtol : float
        Absolute and relative tolerance (defaults for float64).
    autograd : bool or None
        None: use autograd when ``func`` is written in torch. True: require it. False: skip it.
    raise_exception : bool
        Raise a ValueError describing the worst entry instead of returning a failed result.

    Returns
    -------
    GradcheckResult
        Passed or not, the largest errors, the worst input and the method used.

    Raises
    ------
    ValueError
        With ``raise_exception=True`` when the check fails; when neither or both of ``inputs``
        and ``shapes`` are given; when ``func`` is not finite at an input; with
        ``autograd=True`` when ``func`` is not a torch function torch.func can differentiate.

    Examples
    --------
    A student's softmax cross-entropy gradient, ``softmax(z) - onehot(y)``:

    >>> import numpy as np, torch
    >>> from dlbasics import gradcheck
    >>> y = 2
    >>> def loss(z):  # written in torch, so autograd checks it too
    ...     return torch.logsumexp(z, 0) - z[y]
    >>> def my_gradient(z):
    ...     s = np.exp(z - z.max())
    ...     s /= s.sum()
    ...     s[y] -= 1.0
    ...     return s
    >>> gradcheck(loss, my_gradient, shapes=[(4,)]).passed
    True
    >>> result = gradcheck(loss, lambda z: 2 * my_gradient(z), shapes=[(4,)])
    >>> result.passed, result.method
    (False, 'autograd + central differences')

    A tiny two-layer network's weight gradients from a hand-written backward pass:

    >>> rng = np.random.default_rng(0)
    >>> x, target = rng.normal(size=3), 1
    >>> xt = torch.tensor(x)
    >>> def net_loss(W1, W2):
    ...     z = W2 @ torch.tanh(W1 @ xt)
    ...     return torch.logsumexp(z, 0) - z[target]
    >>> def backward(W1, W2):
    ...     h = np.tanh(W1 @ x)
    ...     z = W2 @ h
    ...     dz = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    ...     dz[target] -= 1.0
    ...     dh = W2.T @ dz
    ...     return np.outer(dh * (1 - h**2), x), np.outer(dz, h)
    >>> gradcheck(net_loss, backward, shapes=[(4, 3), (2, 4)]).passed
    True
    """
    points = _points(inputs, shapes, trials, seed)
    if not callable(gradient) and inputs is None:
        raise ValueError("a gradient given as arrays needs the inputs it was computed at")
    names = _input_names(func, len(points[0]))
    convention, note = _calling_convention(func, points[0], autograd)

    def evaluate(point: Point) -> Array:
        if convention == "numpy":
            return _as_array(func(*(x.copy() for x in point)))
        with torch.no_grad():
            return _as_array(func(*_tensors(point)))

    worst = WorstEntry(atol, rtol)
    for trial, point in enumerate(points):
        at = f" (trial {trial})" if len(points) > 1 else ""
        value = evaluate(point)
        if not np.all(np.isfinite(value)):
            raise ValueError(f"func is not finite at the input{at}: {value}")
        references = {CENTRAL: _central_differences(evaluate, point, eps)}
        if convention == "autograd":
            references[AUTOGRAD] = _jacobians(func, point)
        _compare(worst, _claimed(gradient, point), references, names, value.shape, at)
    method = f"{AUTOGRAD} + {CENTRAL}" if AUTOGRAD in worst.errors else CENTRAL
    max_abs = max((e[0] for e in worst.errors.values()), default=0.0)
    max_rel = max((e[1] for e in worst.errors.values()), default=0.0)
    result = GradcheckResult(
        worst.ratio <= 1.0, method, max_abs, max_rel, worst.where, worst.detail,
        dict(worst.errors), note, atol, rtol,
    )  # fmt: skip
    if raise_exception and not result.passed:
        raise ValueError(
            f"gradcheck failed ({method}): the claimed gradient is wrong at "
            f"{result.worst_input}: {result.detail}"
        )
    return result


def _compare(
    worst: WorstEntry,
    claimed: list[Array] | str,
    references: dict[str, list[Array]],
    names: list[str],
    output_shape: tuple[int, ...],
    at: str,
) -> None:
    """Compare one trial's claimed gradient with each reference."""
    for method, jacobians in references.items():
        if isinstance(claimed, str):
            worst.problem(method, f"the gradient{at}", claimed)
            continue
        for name, got, want in zip(names, claimed, jacobians, strict=True):
            if got.shape != want.shape:
                detail = f"shape {got.shape}, expected {want.shape}"
                if got.shape == want.shape[::-1]:
                    detail += " (transposed?)"
                worst.problem(method, f"d/d{name}{at}", detail)
            elif not np.all(np.isfinite(got)):
                worst.problem(method, f"d/d{name}{at}", "the claimed gradient is not finite")
            else:
                worst.compare(method, got, want, _describe(name, output_shape, at))


def _describe(name: str, output_shape: tuple[int, ...], at: str) -> Callable:
    """Names an entry of a Jacobian: ``W1[1, 0]``, or ``output[2] by W1[1, 0]``."""

    def where(index: tuple[int, ...]) -> str:
        out, entry = index[: len(output_shape)], index[len(output_shape) :]
        text = f"{name}[{', '.join(str(int(i)) for i in entry)}]" if entry else name
        if out:
            text = f"output[{', '.join(str(int(i)) for i in out)}] by {text}"
        return text + at

    return where
