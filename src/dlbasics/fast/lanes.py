"""Dot products in 64 partial sums ("lanes") held in vector registers, as numba intrinsics.

The order of the additions is the documented one of :func:`dlbasics.fast.functions.dot_row`:
lane ``c`` sums the terms ``q = c mod 64`` in increasing ``q``, then the lanes are folded
pairwise (``acc[c] += acc[c + width]`` for width 32, 16, ..., 1). The 64 lanes are eight
vector registers, so each multiply and add is one vector instruction on eight lanes, and the
results are bit for bit those of the array-of-lanes loops these replaced.
"""

from __future__ import annotations

from typing import Any

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from dlbasics.fast.common import LANES
from dlbasics.fast.simd import (
    I32,
    Arithmetic,
    VectorMemory,
    check_arrays,
    check_scalars,
    splat,
)


def _lane_sums(
    context: Any,
    builder: ir.IRBuilder,
    memory: VectorMemory,
    n: ir.Value,
    term: Any,
    count: int = 1,
) -> list[ir.Value]:
    """``count`` sums ``sum_q term(q)[i]`` for ``q < n``, each in LANES lanes folded pairwise.

    ``term(offset, mask)`` emits, for each sum, the ``width`` terms ``q = offset .. offset +
    width - 1`` as a vector (one register: 8 float64 or 16 float32 lanes) (``mask``: which of them exist, None when all do) and may store as
    it goes. Full blocks of LANES terms run with the lanes in registers; the last, partial
    block adds its terms to the lanes they belong to, with masked vectors.
    """
    intp = context.get_value_type(types.intp)
    vty = memory.vty
    width = memory.width
    vectors = LANES // width
    zero = memory.zeros()
    slots = [
        [cgutils.alloca_once_value(builder, zero) for _ in range(vectors)] for _ in range(count)
    ]
    blocks = builder.udiv(n, ir.Constant(intp, LANES))
    with cgutils.for_range(builder, blocks, intp=intp) as loop:
        base = builder.mul(loop.index, ir.Constant(intp, LANES))
        for v in range(vectors):
            offset = builder.add(base, ir.Constant(intp, v * width))
            for sums, product in zip(slots, term(offset, None), strict=True):
                builder.store(builder.fadd(builder.load(sums[v]), product), sums[v])
    tail = builder.mul(blocks, ir.Constant(intp, LANES))
    left = splat(builder, builder.sub(n, tail), ir.VectorType(intp, width))
    lanes: list[list[ir.Value]] = [[] for _ in range(count)]
    for v in range(vectors):
        ids = ir.Constant(ir.VectorType(intp, width), [v * width + c for c in range(width)])
        mask = builder.icmp_signed("<", ids, left)
        offset = builder.add(tail, ir.Constant(intp, v * width))
        for i, product in enumerate(term(offset, mask)):
            extra = builder.select(mask, product, zero)  # +0 where no term: exact
            lanes[i].append(builder.fadd(builder.load(slots[i][v]), extra))
    return [_fold(builder, vty, sums) for sums in lanes]


def _fold(builder: ir.IRBuilder, vty: ir.VectorType, lanes: list[ir.Value]) -> ir.Value:
    """``acc[c] += acc[c + width]`` for width 32, 16, ..., 1 over the LANES lanes; lane 0."""
    width = len(lanes)
    while width > 1:  # across registers: 64 -> one register's lanes
        width //= 2
        lanes = [builder.fadd(lanes[c], lanes[c + width]) for c in range(width)]
    acc = lanes[0]
    undef = ir.Constant(vty, ir.Undefined)
    count = vty.count
    width = count
    while width > 1:  # and within the last register: -> 1
        width //= 2
        upper = [c + width if c < width else count - 1 for c in range(count)]
        acc = builder.fadd(
            acc, builder.shuffle_vector(acc, undef, ir.Constant(ir.VectorType(I32, count), upper))
        )
    return builder.extract_element(acc, ir.Constant(I32, 0))


@intrinsic
def lane_dot(typingctx, w, w_offset, x, x_offset, n):
    """``sum_q w[w_offset + q] * x[x_offset + q]`` for ``q < n`` (flat offsets), in LANES
    partial sums folded pairwise: the order of :func:`dlbasics.fast.functions.dot_row`'s
    array of lanes, with the lanes in registers. Any ``n`` >= 0 (an empty sum is +0)."""
    dtype = check_arrays(w, x)

    def codegen(context, builder, signature, args):
        weights = VectorMemory(context, builder, signature.args[0], args[0])
        inputs = VectorMemory(context, builder, signature.args[2], args[2])
        arith = Arithmetic(builder, weights.vty)

        def term(offset, mask):
            a = weights.load(builder.add(args[1], offset), mask)
            return [arith.mul(a, inputs.load(builder.add(args[3], offset), mask))]

        return _lane_sums(context, builder, weights, args[4], term)[0]

    return dtype(w, w_offset, x, x_offset, n), codegen


@intrinsic
def lane_sgd_dot(typingctx, w, w_offset, lr, gk, x, x_offset, x_next, next_offset, n):
    """``w[o + q] = w[o + q] - lr * (gk * x[x_offset + q])`` for ``q < n`` (``o = w_offset``),
    returning the lane sum (as :func:`lane_dot`) of the updated ``w[o + q] * x_next[next_offset
    + q]``: an SGD step on one row and the next example's score on it, in one pass."""
    dtype = check_arrays(w, x, x_next)
    check_scalars(dtype, lr, gk)

    def codegen(context, builder, signature, args):
        weights = VectorMemory(context, builder, signature.args[0], args[0])
        inputs = VectorMemory(context, builder, signature.args[4], args[4])
        following = VectorMemory(context, builder, signature.args[6], args[6])
        rate = splat(builder, args[2], weights.vty)
        gradient = splat(builder, args[3], weights.vty)
        arith = Arithmetic(builder, weights.vty)

        def term(offset, mask):
            at = builder.add(args[1], offset)
            xq = inputs.load(builder.add(args[5], offset), mask)
            step = arith.mul(rate, arith.mul(gradient, xq))
            updated = builder.fsub(weights.load(at, mask), step)
            weights.store(updated, at, mask)
            return [arith.mul(updated, following.load(builder.add(args[7], offset), mask))]

        return _lane_sums(context, builder, weights, args[8], term)[0]

    return dtype(w, w_offset, lr, gk, x, x_offset, x_next, next_offset, n), codegen


def _multi_dot(typingctx: Any, w: Any, w_offset: Any, *pairs: Any) -> Any:
    """The signature and code of len(pairs) // 2 :func:`lane_dot` sums over one row of ``w``
    in one pass: ``pairs`` = (x, x_offset, ...) then n."""
    inputs, n = pairs[:-1], pairs[-1]
    count = len(inputs) // 2
    dtype = check_arrays(w, *inputs[::2])

    def codegen(context, builder, signature, args):
        weights = VectorMemory(context, builder, signature.args[0], args[0])
        rows = [
            VectorMemory(context, builder, signature.args[2 + 2 * i], args[2 + 2 * i])
            for i in range(count)
        ]
        arith = Arithmetic(builder, weights.vty)

        def term(offset, mask):
            a = weights.load(builder.add(args[1], offset), mask)
            return [
                arith.mul(a, row.load(builder.add(args[3 + 2 * i], offset), mask))
                for i, row in enumerate(rows)
            ]

        sums = _lane_sums(context, builder, weights, args[-1], term, count=count)
        return context.make_tuple(builder, signature.return_type, sums)

    return types.UniTuple(dtype, count)(w, w_offset, *inputs, n), codegen


@intrinsic
def lane_dot2(typingctx, w, w_offset, x, x_offset, x2, x2_offset, n):
    """Two :func:`lane_dot` sums over the same row of ``w`` in one pass (each row element is
    read once for both): ``(sum_q w[o + q] * x[x_offset + q], sum_q w[o + q] * x2[x2_offset +
    q])``, each in exactly :func:`lane_dot`'s order."""
    return _multi_dot(typingctx, w, w_offset, x, x_offset, x2, x2_offset, n)


@intrinsic
def lane_dot3(typingctx, w, w_offset, x, x_offset, x2, x2_offset, x3, x3_offset, n):
    """Three :func:`lane_dot` sums over the same row of ``w`` in one pass, as
    :func:`lane_dot2` with a third input."""
    return _multi_dot(typingctx, w, w_offset, x, x_offset, x2, x2_offset, x3, x3_offset, n)


__all__ = ["lane_dot", "lane_dot2", "lane_dot3", "lane_sgd_dot"]
