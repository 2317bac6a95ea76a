"""
The elementwise math graph ops (`dialects/graph/elementwise_math.py`) as
`linalg.generic`s whose bodies are one `math` op each (`math.sin`, ...,
`math.floor`, `math.ceil`, `math.roundeven`, `math.trunc`), and `mod` as
`arith.remf` with the floored remainder's sign correction.

`convert-math-to-llvm` turns the math ops into LLVM intrinsics or libm calls
(`sin`/`cos`/`floor`/`ceil`/`roundeven`/`trunc` intrinsics, `tanf`, `asinf`,
... calls), `convert-arith-to-llvm` `arith.remf` into `llvm.frem` (C's
`fmod`): compiled code needs only libm.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.builder import Builder
from xdsl.dialects import arith
from xdsl.dialects import math as mathd
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlc.dialects import arith_ext, graph
from mlc.dialects.graph.base import get_bool
from mlc.lowering.graph_to_linalg.emitter import Emitter, add, constant, result_of

MATH_OPS: dict[type[graph.FloatUnaryOp], type[Operation]] = {
    graph.SinOp: mathd.SinOp,
    graph.CosOp: mathd.CosOp,
    graph.TanOp: mathd.TanOp,
    graph.AsinOp: mathd.AsinOp,
    graph.AcosOp: mathd.AcosOp,
    graph.AtanOp: mathd.AtanOp,
    graph.SinhOp: mathd.SinhOp,
    graph.CoshOp: mathd.CoshOp,
    graph.AsinhOp: mathd.AsinhOp,
    graph.AcoshOp: mathd.AcoshOp,
    graph.AtanhOp: mathd.AtanhOp,
    graph.FloorOp: mathd.FloorOp,
    graph.CeilOp: mathd.CeilOp,
    graph.RoundOp: mathd.RoundEvenOp,
    graph.TruncOp: mathd.TruncOp,
}
"""Each float unary graph op and the math op of its scalar body."""


class FloatUnaryLowering(RewritePattern):
    """`graph.sin`, ..., `graph.round` -> a `linalg.generic` of one math op."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.FloatUnaryOp, rewriter: PatternRewriter
    ) -> None:
        math_op = MATH_OPS[type(op)]
        shape, element = result_of(op)

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            scalar = math_op.create(operands=[a[0]], result_types=[a[0].type])
            return [b.insert(scalar).results[0]]

        e = Emitter()
        out = e.map([op.input], shape, element, body)
        rewriter.replace(op, e.ops, [out])


def _floored(b: Builder, r: SSAValue, y: SSAValue) -> SSAValue:
    """
    `fmod`'s result `r` as the floored remainder: `r + y` where `r` is nonzero
    and its sign differs from `y`'s; a zero takes `y`'s sign (numpy)."""
    zero = constant(b, 0.0, r.type)
    nonzero = b.insert(arith.CmpfOp(r, zero, "one")).result
    r_negative = b.insert(arith.CmpfOp(r, zero, "olt")).result
    y_negative = b.insert(arith.CmpfOp(y, zero, "olt")).result
    differ = b.insert(arith.XOrIOp(r_negative, y_negative)).result
    adjust = b.insert(arith.AndIOp(nonzero, differ)).result
    shifted = b.insert(arith.SelectOp(adjust, add(b, r, y), r)).result
    signed_zero = b.insert(mathd.CopySignOp(r, y)).result
    return b.insert(arith.SelectOp(nonzero, shifted, signed_zero)).result


class ModLowering(RewritePattern):
    """`graph.mod` -> `arith.remf`, plus the sign correction unless `fmod`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ModOp, rewriter: PatternRewriter) -> None:
        fmod = get_bool(op.properties, "fmod", False)
        shape, element = result_of(op)

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            r = b.insert(arith_ext.RemFOp(a[0], a[1])).result
            return [r if fmod else _floored(b, r, a[1])]

        e = Emitter()
        out = e.map([op.lhs, op.rhs], shape, element, body)
        rewriter.replace(op, e.ops, [out])


__all__ = ["MATH_OPS", "FloatUnaryLowering", "ModLowering"]
