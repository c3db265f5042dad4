"""torch.optim.Adam's element update on a whole row at once, as explicit vector code.

The arithmetic is :func:`dlbasics.fast.torch_equivalent.optim.adam_element`'s, operation by
operation, bit for bit. What differs is how a float32 row avoids the CPU's slow path for
subnormal numbers (about half of Adam's first moments are subnormal once training is under
way: they decay by 0.9 a step, and tiny softmax gradients feed them): every product is formed
exactly in float64 and rounded once (:class:`dlbasics.fast.simd.Arithmetic`), and the one
division whose numerator is often subnormal, ``(-step * m) / denom``, divides the numerator
scaled by 2^64 (exact) and scales the quotient back (exact while the quotient is a normal
number). A quotient below 2^-125 after scaling back is added to a weight of magnitude at least
2^-100, which it cannot change (it is under half a unit in the last place of the weight), so
its last bits do not matter; any other lane (a subnormal quotient and a tiny weight) divides
in float64, which is correctly rounded too.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from dlbasics.fast.rows import Row, row_codegen
from dlbasics.fast.simd import Arithmetic, check_arrays, check_scalars

I32 = ir.IntType(32)
NORMAL = 0x00800000  # bits of the smallest normal float32, 2^-126
TWO_M125 = 0x01000000  # 2^-125
TWO_M100 = 27 << 23  # 2^-100


def _bits_below(builder: ir.IRBuilder, a: ir.Value, limit: int) -> ir.Value:
    """Lanes where ``|a| < limit`` (given as the bits of a positive float32), from the bits."""
    count = a.type.count
    ity = ir.VectorType(I32, count)
    magnitude = builder.and_(builder.bitcast(a, ity), ir.Constant(ity, [0x7FFFFFFF] * count))
    return builder.icmp_unsigned("<", magnitude, ir.Constant(ity, [limit] * count))


def _any(builder: ir.IRBuilder, lanes: ir.Value) -> ir.Value:
    fnty = ir.FunctionType(ir.IntType(1), [lanes.type])
    reduce = cgutils.get_or_insert_function(
        builder.module, fnty, f"llvm.vector.reduce.or.v{lanes.type.count}i1"
    )
    return builder.call(reduce, [lanes])


def _step_quotient(builder: ir.IRBuilder, arith: Arithmetic, num, denom, theta, mask):
    """``num / denom`` as float32 division rounds it, wherever it can change ``theta + it``."""
    if not arith.exact32:
        return builder.fdiv(num, denom)
    wide = arith.wide
    tiny = builder.and_(
        _bits_below(builder, num, NORMAL),
        builder.fcmp_unordered("!=", num, ir.Constant(arith.vty, [0.0] * arith.vty.count)),
    )  # subnormal numerators: scale them into the normal range, exactly
    up = builder.fptrunc(
        builder.fmul(arith.widen(num), ir.Constant(wide, [2.0**64] * wide.count)), arith.vty
    )
    quotient = builder.fdiv(builder.select(tiny, up, num), denom)
    down = builder.fptrunc(
        builder.fmul(arith.widen(quotient), ir.Constant(wide, [2.0**-64] * wide.count)), arith.vty
    )
    result = cgutils.alloca_once_value(builder, builder.select(tiny, down, quotient))
    doubtful = builder.and_(
        tiny,
        builder.and_(_bits_below(builder, down, TWO_M125), _bits_below(builder, theta, TWO_M100)),
    )
    if mask is not None:
        doubtful = builder.and_(doubtful, mask)
    with builder.if_then(_any(builder, doubtful), likely=False):
        exact = builder.fdiv(arith.widen(num), arith.widen(denom))  # correctly rounded
        builder.store(builder.fptrunc(exact, arith.vty), result)
    return builder.load(result)


@intrinsic
def adam_row(typingctx, w, m, v, offset, n, g, hj, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps):
    """Adam on ``w[offset + q]`` (moments ``m``, ``v`` at the same flat offsets), ``q < n``,
    with gradient ``g[q] * hj``: :func:`dlbasics.fast.torch_equivalent.optim.adam_element` on
    each element, ``b1c = 1 - beta1``, ``b2c = 1 - beta2``, ``neg_step = -lr / (1 - beta1^t)``,
    ``bias2_sqrt = sqrt(1 - beta2^t)``. All arrays C-contiguous, all scalars of their dtype."""
    dtype = check_arrays(w, m, v, g)
    check_scalars(dtype, hj, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps)

    def body(r: Row) -> None:
        b, arith = r.builder, r.arith
        theta, mo = r.load(0), r.load(1)
        grad = arith.mul(r.load(5), r.scalar(6))
        decay = b.fcmp_unordered("!=", r.args[7], ir.Constant(r.memory[0].ety, 0.0))
        grad = b.select(decay, b.fadd(grad, arith.mul(r.scalar(7), theta)), grad)
        me = b.fadd(mo, arith.mul(r.scalar(8), b.fsub(grad, mo)))
        squared = arith.mul(arith.mul(r.scalar(10), grad), grad)
        ve = b.fadd(arith.mul(r.load(2), r.scalar(9)), squared)
        denom = b.fadd(arith.div(arith.sqrt(ve), r.scalar(12)), r.scalar(13))
        step = _step_quotient(b, arith, arith.mul(r.scalar(11), me), denom, theta, r.mask)
        r.store(1, me)
        r.store(2, ve)
        r.store(0, b.fadd(theta, step))

    sig = types.void(w, m, v, offset, n, g, hj, wd, b1c, b2, b2c, neg_step, bias2_sqrt, eps)
    return sig, row_codegen({0: 3, 1: 3, 2: 3, 5: None}, 4, body)


__all__ = ["adam_row"]
