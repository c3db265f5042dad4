"""A row's SGD update, and a scaled row added to a vector, as explicit vector code.

The first layer's loops of the MLP and of Question 4's network: ``W^T[j] -= step * h_j``, the
next example's ``z += h_j * W^T[j]`` in the same pass, torch's ``w -= lr * (g * h_j)``. The
arithmetic is that of the plain loops, element by element; float32 products are formed
exactly in float64 (:class:`dlbasics.fast.simd.Arithmetic`), so that tiny gradients and steps
(subnormal float32 numbers, frequent in these runs) do not take the CPU's slow path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from dlbasics.fast.simd import (
    Arithmetic,
    VectorMemory,
    check_arrays,
    check_scalars,
    for_each_vector,
    splat,
)


class Row:
    """What a row operation sees at one vector of its ``n`` elements: each array's register
    of elements at the array's offset plus ``q`` (:meth:`load`, :meth:`store`), its scalars
    splat into vectors (:meth:`scalar`), and :class:`Arithmetic` (``arith``).

    ``arrays`` maps the position of each array argument to the position of its flat offset
    argument (None: offset 0); ``via_float64``: how :class:`Arithmetic` multiplies float32.
    """

    def __init__(self, context: Any, builder: ir.IRBuilder, signature: Any, args: list,
                 arrays: dict[int, int | None], via_float64: bool = True) -> None:  # fmt: skip
        self.builder = builder
        self.args = args
        self.arrays = arrays
        self.memory = {
            i: VectorMemory(context, builder, signature.args[i], args[i]) for i in arrays
        }
        first = next(iter(self.memory.values()))
        self.vty = first.vty
        self.width = first.width
        self.arith = Arithmetic(builder, self.vty, via_float64)
        self.q: ir.Value = None
        self.mask: ir.Value | None = None

    def _at(self, i: int) -> ir.Value:
        offset = self.arrays[i]
        return self.q if offset is None else self.builder.add(self.args[offset], self.q)

    def load(self, i: int) -> ir.Value:
        return self.memory[i].load(self._at(i), self.mask)

    def store(self, i: int, value: ir.Value) -> None:
        self.memory[i].store(value, self._at(i), self.mask)

    def scalar(self, i: int) -> ir.Value:
        return splat(self.builder, self.args[i], self.vty)


def row_codegen(
    arrays: dict[int, int | None], n: int, body: Callable[[Row], None], choose: int | None = None
) -> Callable:
    """The codegen of an intrinsic that runs ``body`` on every vector of its ``n`` elements
    (``n``: the position of the length argument). With ``choose`` (the position of a boolean
    argument), float32 products go through float64 where it is true and are native where it is
    false: the same bits either way, the caller picks the faster."""

    def codegen(context, builder, signature, args):
        def loop(via_float64: bool) -> None:
            row = Row(context, builder, signature, args, arrays, via_float64)

            def each(q, mask):
                row.q, row.mask = q, mask
                body(row)

            for_each_vector(context, builder, args[n], each, row.width)

        if choose is None:
            loop(True)
        else:
            with builder.if_else(args[choose]) as (exact, native):
                with exact:
                    loop(True)
                with native:
                    loop(False)
        return context.get_dummy_value()

    return codegen


@intrinsic
def row_axpy(typingctx, dst, dst_offset, a, src, src_offset, n):
    """``dst[dst_offset + q] += a * src[src_offset + q]`` for ``q < n`` (a forward pass: an
    input or activation times a row of weights, multiplied natively)."""
    check_scalars(check_arrays(dst, src), a)

    def body(r: Row) -> None:  # inputs times weights: native products
        r.store(0, r.builder.fadd(r.load(0), r.builder.fmul(r.scalar(2), r.load(3))))

    sig = types.void(dst, dst_offset, a, src, src_offset, n)
    return sig, row_codegen({0: 1, 3: 4}, 5, body)


@intrinsic
def row_sgd(typingctx, w, w_offset, step, hj, n, exact):
    """``w[w_offset + q] -= step[q] * hj`` for ``q < n`` (row j of ``W^T -= outer(h, step)``);
    ``exact``: form the products through float64 (see :func:`row_codegen`)."""
    check_scalars(check_arrays(w, step), hj)

    def body(r: Row) -> None:
        r.store(0, r.builder.fsub(r.load(0), r.arith.mul(r.load(2), r.scalar(3))))

    return types.void(w, w_offset, step, hj, n, exact), row_codegen({0: 1, 2: None}, 4, body, 5)


@intrinsic
def row_sgd_axpy(typingctx, w, w_offset, step, hj, z, hn, n, exact):
    """``w[o + q] = w[o + q] - step[q] * hj``, then ``z[q] += hn * w[o + q]`` (the updated
    row), ``q < n``: a row's SGD update and its term of the next forward pass, in one pass.
    ``exact`` as in :func:`row_sgd` (for the step's products; ``hn * w`` is native: input
    times weight, no subnormal in sight)."""
    check_scalars(check_arrays(w, step, z), hj, hn)

    def body(r: Row) -> None:
        updated = r.builder.fsub(r.load(0), r.arith.mul(r.load(2), r.scalar(3)))
        r.store(0, updated)
        r.store(4, r.builder.fadd(r.load(4), r.builder.fmul(r.scalar(5), updated)))

    sig = types.void(w, w_offset, step, hj, z, hn, n, exact)
    return sig, row_codegen({0: 1, 2: None, 4: None}, 6, body, 7)


@intrinsic
def row_sgd_scaled(typingctx, w, w_offset, lr, g, hj, n):
    """``w[w_offset + q] -= lr * (g[q] * hj)`` for ``q < n`` (torch's SGD step on a row whose
    gradient is ``g * hj``)."""
    check_scalars(check_arrays(w, g), lr, hj)

    def body(r: Row) -> None:
        step = r.arith.mul(r.scalar(2), r.arith.mul(r.load(3), r.scalar(4)))
        r.store(0, r.builder.fsub(r.load(0), step))

    return types.void(w, w_offset, lr, g, hj, n), row_codegen({0: 1, 3: None}, 5, body)


__all__ = ["Row", "row_axpy", "row_codegen", "row_sgd", "row_sgd_axpy", "row_sgd_scaled"]
