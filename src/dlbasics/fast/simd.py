"""Explicit vector code for the kernels' hottest loops, written as numba intrinsics.

Without fastmath, LLVM may not reorder a floating-point sum, so a dot product written as one
running sum cannot be vectorised, and the 64 partial sums of :func:`dlbasics.fast.functions.
dot_row` written as an array are kept in memory (a load and a store per element). Here the 64
partial sums ("lanes") are eight vector registers, so the order of the additions is still
exactly the documented one -- lane ``c`` sums the terms ``q = c mod 64`` in increasing ``q``,
then the lanes are folded pairwise (``acc[c] += acc[c + width]`` for width 32, 16, ..., 1) --
while each multiply and add is one vector instruction on eight lanes. Every operation is the
IEEE operation on each lane: separate multiply and add (no fused multiply-add), no
reassociation. The results are bit for bit those of the array-of-lanes loops they replace.

The intrinsics take C-contiguous arrays (of any rank) and flat element offsets; like the
kernels they serve, they do not check bounds (``offset + n`` must lie within the array).
Scalars must have the arrays' dtype: a float64 learning rate with float32 weights would
silently change the rounding, so it is refused when the kernel is compiled.
"""

from __future__ import annotations

from typing import Any

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.errors import TypingError
from numba.extending import intrinsic

from dlbasics.fast.common import LANES

WIDTH = 8  # lanes per vector register (8 doubles = 512 bits; 8 floats = 256 bits)
VECTORS = LANES // WIDTH
I32 = ir.IntType(32)


def check_arrays(*arrays: Any) -> types.Type:
    """The common float dtype of ``arrays``, all C-contiguous (refused at compile time)."""
    dtype = arrays[0].dtype
    for array in arrays:
        if not isinstance(array, types.Array) or array.layout != "C":
            raise TypingError(f"expected a C-contiguous array, got {array}")
        if array.dtype != dtype or dtype not in (types.float32, types.float64):
            raise TypingError(f"expected float32 or float64 arrays of one dtype, got {array}")
    return dtype


def check_scalars(dtype: types.Type, *scalars: Any) -> None:
    for scalar in scalars:
        if scalar != dtype:
            raise TypingError(f"scalar of type {scalar} with {dtype} arrays: cast it first")


def splat(builder: ir.IRBuilder, scalar: ir.Value, vty: ir.VectorType) -> ir.Value:
    undef = ir.Constant(vty, ir.Undefined)
    one = builder.insert_element(undef, scalar, ir.Constant(I32, 0))
    zeros = ir.Constant(ir.VectorType(I32, vty.count), [0] * vty.count)
    return builder.shuffle_vector(one, undef, zeros)


class VectorMemory:
    """Vector and masked vector access to one array at flat element offsets."""

    def __init__(self, context: Any, builder: ir.IRBuilder, aryty: Any, value: ir.Value) -> None:
        self.builder = builder
        self.data = context.make_array(aryty)(context, builder, value).data
        self.ety = context.get_value_type(aryty.dtype)
        self.vty = ir.VectorType(self.ety, WIDTH)
        self.align = context.get_abi_sizeof(self.ety)
        suffix = "f64" if isinstance(self.ety, ir.DoubleType) else "f32"
        self.suffix = f"v{WIDTH}{suffix}.p0"

    def _pointer(self, offset: ir.Value) -> ir.Value:
        return self.builder.bitcast(self.builder.gep(self.data, [offset]), self.vty.as_pointer())

    def zeros(self) -> ir.Constant:
        return ir.Constant(self.vty, [ir.Constant(self.ety, 0.0)] * WIDTH)

    def load(self, offset: ir.Value, mask: ir.Value | None = None) -> ir.Value:
        """``WIDTH`` elements from ``offset``; with a mask, 0 where the mask is off (and no
        memory is touched there)."""
        if mask is None:
            loaded = self.builder.load(self._pointer(offset))
            loaded.align = self.align
            return loaded
        fnty = ir.FunctionType(self.vty, [self.vty.as_pointer(), I32, mask.type, self.vty])
        function = cgutils.get_or_insert_function(
            self.builder.module, fnty, f"llvm.masked.load.{self.suffix}"
        )
        align = ir.Constant(I32, self.align)
        return self.builder.call(function, [self._pointer(offset), align, mask, self.zeros()])

    def store(self, value: ir.Value, offset: ir.Value, mask: ir.Value | None = None) -> None:
        if mask is None:
            stored = self.builder.store(value, self._pointer(offset))
            stored.align = self.align
            return
        fnty = ir.FunctionType(ir.VoidType(), [self.vty, self.vty.as_pointer(), I32, mask.type])
        function = cgutils.get_or_insert_function(
            self.builder.module, fnty, f"llvm.masked.store.{self.suffix}"
        )
        self.builder.call(
            function, [value, self._pointer(offset), ir.Constant(I32, self.align), mask]
        )


class Arithmetic:
    """IEEE multiplication, division and square root on vectors of one float dtype.

    float32 products are computed in float64, where the product of two float32 numbers is
    exact, and rounded to float32 once: bit for bit the float32 product, subnormal results
    included. It avoids the slow path that Intel cores take (about 70x slower, measured in
    docs/fast.md) when an operand or the result of a float32 multiplication is subnormal,
    which tiny gradients and decaying Adam moments are, all the time. (The float64 operands are
    passed through ``llvm.arithmetic.fence`` so that LLVM does not shrink the float64 product
    back into a float32 one.) float64 is computed natively.
    """

    def __init__(self, builder: ir.IRBuilder, vty: ir.VectorType) -> None:
        self.builder = builder
        self.vty = vty
        self.exact32 = isinstance(vty.element, ir.FloatType)
        self.wide = ir.VectorType(ir.DoubleType(), vty.count)

    def widen(self, a: ir.Value) -> ir.Value:
        """float32 -> float64 (exact, and fast for subnormals too), opaque to the optimiser."""
        fnty = ir.FunctionType(self.wide, [self.wide])
        fence = cgutils.get_or_insert_function(
            self.builder.module, fnty, f"llvm.arithmetic.fence.v{self.vty.count}f64"
        )
        return self.builder.call(fence, [self.builder.fpext(a, self.wide)])

    def mul(self, a: ir.Value, b: ir.Value) -> ir.Value:
        if not self.exact32:
            return self.builder.fmul(a, b)
        return self.builder.fptrunc(self.builder.fmul(self.widen(a), self.widen(b)), self.vty)

    def div(self, a: ir.Value, b: ir.Value) -> ir.Value:
        return self.builder.fdiv(a, b)

    def sqrt(self, a: ir.Value) -> ir.Value:
        suffix = "f32" if self.exact32 else "f64"
        fnty = ir.FunctionType(self.vty, [self.vty])
        function = cgutils.get_or_insert_function(
            self.builder.module, fnty, f"llvm.sqrt.v{self.vty.count}{suffix}"
        )
        return self.builder.call(function, [a])


def for_each_vector(context: Any, builder: ir.IRBuilder, n: ir.Value, body: Any) -> None:
    """``body(offset, mask)`` for the vectors ``offset = 0, WIDTH, ...`` covering ``q < n``:
    ``mask`` is None for full vectors and says which lanes exist in the last, partial one."""
    intp = context.get_value_type(types.intp)
    width = ir.Constant(intp, WIDTH)
    full = builder.udiv(n, width)
    with cgutils.for_range(builder, full, intp=intp) as loop:
        body(builder.mul(loop.index, width), None)
    start = builder.mul(full, width)
    rest = builder.sub(n, start)
    with builder.if_then(builder.icmp_signed(">", rest, ir.Constant(intp, 0))):
        ids = ir.Constant(ir.VectorType(intp, WIDTH), list(range(WIDTH)))
        body(start, builder.icmp_signed("<", ids, splat(builder, rest, ir.VectorType(intp, WIDTH))))


def _lane_sum(context: Any, builder: ir.IRBuilder, memory: VectorMemory, n: ir.Value, term: Any):
    """``sum_q term(q)`` for ``q < n`` in LANES lanes, folded pairwise; returns the scalar.

    ``term(offset, mask)`` emits the WIDTH terms ``q = offset .. offset + WIDTH - 1`` as a
    vector (``mask``: which of them exist, None when all do) and may store as it goes. Full
    blocks of LANES terms run with the lanes in registers; the last, partial block adds its
    terms to the lanes they belong to, with masked vectors.
    """
    intp = context.get_value_type(types.intp)
    vty = memory.vty
    zero = ir.Constant(vty, [ir.Constant(memory.ety, 0.0)] * WIDTH)
    slots = [cgutils.alloca_once_value(builder, zero) for _ in range(VECTORS)]
    blocks = builder.udiv(n, ir.Constant(intp, LANES))
    with cgutils.for_range(builder, blocks, intp=intp) as loop:
        base = builder.mul(loop.index, ir.Constant(intp, LANES))
        for v in range(VECTORS):
            offset = builder.add(base, ir.Constant(intp, v * WIDTH))
            builder.store(builder.fadd(builder.load(slots[v]), term(offset, None)), slots[v])
    tail = builder.mul(blocks, ir.Constant(intp, LANES))
    left = splat(builder, builder.sub(n, tail), ir.VectorType(intp, WIDTH))
    lanes = []
    for v in range(VECTORS):
        ids = ir.Constant(ir.VectorType(intp, WIDTH), [v * WIDTH + c for c in range(WIDTH)])
        mask = builder.icmp_signed("<", ids, left)
        offset = builder.add(tail, ir.Constant(intp, v * WIDTH))
        extra = builder.select(mask, term(offset, mask), zero)  # +0 where no term: exact
        lanes.append(builder.fadd(builder.load(slots[v]), extra))
    width = VECTORS
    while width > 1:  # lanes c += c + width across registers: 64 -> 8
        width //= 2
        lanes = [builder.fadd(lanes[c], lanes[c + width]) for c in range(width)]
    acc = lanes[0]
    undef = ir.Constant(vty, ir.Undefined)
    width = WIDTH
    while width > 1:  # and within the last register: 8 -> 1
        width //= 2
        upper = [c + width if c < width else WIDTH - 1 for c in range(WIDTH)]
        acc = builder.fadd(
            acc, builder.shuffle_vector(acc, undef, ir.Constant(ir.VectorType(I32, WIDTH), upper))
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

        def term(offset, mask):
            a = weights.load(builder.add(args[1], offset), mask)
            return builder.fmul(a, inputs.load(builder.add(args[3], offset), mask))

        return _lane_sum(context, builder, weights, args[4], term)

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

        def term(offset, mask):
            at = builder.add(args[1], offset)
            xq = inputs.load(builder.add(args[5], offset), mask)
            updated = builder.fsub(
                weights.load(at, mask), builder.fmul(rate, builder.fmul(gradient, xq))
            )
            weights.store(updated, at, mask)
            return builder.fmul(updated, following.load(builder.add(args[7], offset), mask))

        return _lane_sum(context, builder, weights, args[8], term)

    return dtype(w, w_offset, lr, gk, x, x_offset, x_next, next_offset, n), codegen


@intrinsic
def prefetch(typingctx, array, offset):
    """Ask for the cache line holding element ``offset`` (flat) of ``array``; no effect on
    any result. Used a few examples ahead of a kernel's random-order reads."""
    if not isinstance(array, types.Array) or array.layout != "C":
        raise TypingError(f"expected a C-contiguous array, got {array}")

    def codegen(context, builder, signature, args):
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        i8p = ir.IntType(8).as_pointer()
        fnty = ir.FunctionType(ir.VoidType(), [i8p, I32, I32, I32])
        function = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        pointer = builder.bitcast(builder.gep(data, [args[1]]), i8p)
        # read, keep in all cache levels, data cache
        builder.call(
            function, [pointer, ir.Constant(I32, 0), ir.Constant(I32, 3), ir.Constant(I32, 1)]
        )
        return context.get_dummy_value()

    return types.void(array, offset), codegen


__all__ = [
    "Arithmetic",
    "VectorMemory",
    "check_arrays",
    "check_scalars",
    "for_each_vector",
    "lane_dot",
    "lane_sgd_dot",
    "prefetch",
    "splat",
]
