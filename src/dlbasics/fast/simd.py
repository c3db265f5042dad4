"""Explicit vector code for the kernels' hottest loops: the building blocks of numba intrinsics.

Without fastmath, LLVM may not reorder a floating-point sum, so a dot product written as one
running sum cannot be vectorised, and short loops over arrays that might alias get runtime
checks, or no vector code at all. The intrinsics of :mod:`dlbasics.fast.lanes` (dot products
with their partial sums in registers) and :mod:`dlbasics.fast.rows` (a row's SGD update, a
scaled row added to a vector) are written against the helpers here: vector loads and stores
at flat offsets (:class:`VectorMemory`, masked for the last partial vector), one vector loop
(:func:`for_each_vector`), and :class:`Arithmetic`, whose float32 products are formed exactly
in float64 and rounded once -- bit for bit the float32 product, without the slow path Intel
cores take when an operand or the result of a float32 multiplication is subnormal.

Every operation is the IEEE operation on each lane: separate multiply and add (no fused
multiply-add), no reassociation. The intrinsics take C-contiguous arrays (of any rank) and
flat element offsets; like the kernels they serve, they do not check bounds. Scalars must
have the arrays' dtype: a float64 learning rate with float32 weights would silently change the
rounding, so it is refused when the kernel is compiled.
"""

from __future__ import annotations

from typing import Any

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.errors import TypingError
from numba.extending import intrinsic

REGISTER_BYTES = 64  # one 512-bit vector register: 8 float64 or 16 float32 lanes
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
        self.align = context.get_abi_sizeof(self.ety)
        self.width = REGISTER_BYTES // self.align
        self.vty = ir.VectorType(self.ety, self.width)
        suffix = "f64" if isinstance(self.ety, ir.DoubleType) else "f32"
        self.suffix = f"v{self.width}{suffix}.p0"

    def _pointer(self, offset: ir.Value) -> ir.Value:
        return self.builder.bitcast(self.builder.gep(self.data, [offset]), self.vty.as_pointer())

    def zeros(self) -> ir.Constant:
        return ir.Constant(self.vty, [ir.Constant(self.ety, 0.0)] * self.width)

    def load(self, offset: ir.Value, mask: ir.Value | None = None) -> ir.Value:
        """``width`` elements from ``offset``; with a mask, 0 where the mask is off (and no
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
    back into a float32 one.) float64 is computed natively, and so is float32 with
    ``via_float64=False``: the same result, faster when no operand or result is subnormal, much
    slower when one is.
    """

    def __init__(self, builder: ir.IRBuilder, vty: ir.VectorType, via_float64: bool = True) -> None:
        self.builder = builder
        self.vty = vty
        self.exact32 = isinstance(vty.element, ir.FloatType)
        self.via_float64 = self.exact32 and via_float64
        self.wide = ir.VectorType(ir.DoubleType(), vty.count)

    def widen(self, a: ir.Value) -> ir.Value:
        """float32 -> float64 (exact, and fast for subnormals too), opaque to the optimiser."""
        fnty = ir.FunctionType(self.wide, [self.wide])
        fence = cgutils.get_or_insert_function(
            self.builder.module, fnty, f"llvm.arithmetic.fence.v{self.vty.count}f64"
        )
        return self.builder.call(fence, [self.builder.fpext(a, self.wide)])

    def mul(self, a: ir.Value, b: ir.Value) -> ir.Value:
        if not self.via_float64:
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


def for_each_vector(
    context: Any, builder: ir.IRBuilder, n: ir.Value, body: Any, lanes: int
) -> None:
    """``body(offset, mask)`` for the vectors of ``lanes`` elements, ``offset = 0, lanes,
    ...``, covering ``q < n``: ``mask`` is None for full vectors and says which lanes exist in
    the last, partial one."""
    intp = context.get_value_type(types.intp)
    width = ir.Constant(intp, lanes)
    full = builder.udiv(n, width)
    with cgutils.for_range(builder, full, intp=intp) as loop:
        body(builder.mul(loop.index, width), None)
    start = builder.mul(full, width)
    rest = builder.sub(n, start)
    with builder.if_then(builder.icmp_signed(">", rest, ir.Constant(intp, 0))):
        ids = ir.Constant(ir.VectorType(intp, lanes), list(range(lanes)))
        body(start, builder.icmp_signed("<", ids, splat(builder, rest, ir.VectorType(intp, lanes))))


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


@intrinsic
def mul_exact(typingctx, a, b):
    """``a * b`` in their (common) float dtype; float32 is formed exactly in float64 and
    rounded once: the float32 product bit for bit, without the subnormal slow path."""
    if a != b or a not in (types.float32, types.float64):
        raise TypingError(f"expected two floats of one dtype, got {a} and {b}")

    def codegen(context, builder, signature, args):
        if signature.args[0] == types.float64:
            return builder.fmul(args[0], args[1])
        f64 = ir.DoubleType()
        fence = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(f64, [f64]), "llvm.arithmetic.fence.f64"
        )
        x, y = (builder.call(fence, [builder.fpext(v, f64)]) for v in args)
        return builder.fptrunc(builder.fmul(x, y), ir.FloatType())

    return a(a, b), codegen


__all__ = [
    "I32",
    "REGISTER_BYTES",
    "Arithmetic",
    "VectorMemory",
    "check_arrays",
    "check_scalars",
    "for_each_vector",
    "mul_exact",
    "prefetch",
    "splat",
]
