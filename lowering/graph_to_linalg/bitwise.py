"""
The bitwise graph ops (`dialects/graph/bitwise.py`) as `linalg.generic`s:
`arith.andi`/`ori`/`xori` (`bitwise_not` is `xori` with all ones),
`arith.shli`/`shrui`/`shrsi` and `arith.bitcast` (`i1` from a byte by
`cmpi ne`, to one by `extui`).

A shift amount of the bit width or more (unsigned) is poison in LLVM; the
bodies shift by a safe amount and select the graph op's result for those
lanes (0, or for an arithmetic right shift the shift by `width - 1`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.builder import Builder
from xdsl.dialects import arith
from xdsl.dialects.builtin import IntegerType, i1
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.hints import isa

from mlc.dialects import graph
from mlc.dialects.graph.base import Elem
from mlc.lowering.graph_to_linalg.emitter import (
    Emitter,
    constant,
    graph_element,
    kind_of,
    result_of,
    signless,
)

Logic = Callable[[SSAValue, SSAValue], Operation]

LOGIC: dict[type[graph.BinaryOp], Logic] = {
    graph.BitwiseAndOp: arith.AndIOp,
    graph.BitwiseOrOp: arith.OrIOp,
    graph.BitwiseXorOp: arith.XOrIOp,
}
"""The logical bitwise graph ops and the arith op of their scalar body."""


def _width(value: SSAValue) -> int:
    type_ = value.type
    assert isa(type_, IntegerType)
    return type_.width.data


def _shift(b: Builder, x: SSAValue, y: SSAValue, left: bool, kind: Elem) -> SSAValue:
    """`x << y` or `x >> y` with the graph op's result for out-of-range amounts."""
    width = _width(x)
    limit = constant(b, width, y.type)
    out = b.insert(arith.CmpiOp(y, limit, "uge")).result
    arithmetic = not left and kind == Elem.SINT
    # An arithmetic shift by width - 1 is the result for every larger amount.
    fallback = constant(b, width - 1 if arithmetic else 0, y.type)
    amount = b.insert(arith.SelectOp(out, fallback, y)).result
    shift: Operation
    if left:
        shift = arith.ShLIOp(x, amount)
    elif arithmetic:
        shift = arith.ShRSIOp(x, amount)
    else:
        shift = arith.ShRUIOp(x, amount)
    shifted = b.insert(shift).results[0]
    if arithmetic:
        return shifted
    return b.insert(arith.SelectOp(out, constant(b, 0, x.type), shifted)).result


class BitwiseLowering(RewritePattern):
    """`graph.bitwise_and`/`or`/`xor` -> a broadcasting generic of `andi`/..."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.BinaryOp, rewriter: PatternRewriter) -> None:
        logic = LOGIC.get(type(op))
        if logic is None:
            return
        shape, element = result_of(op)

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            return [b.insert(logic(a[0], a[1])).results[0]]

        e = Emitter()
        out = e.map([op.lhs, op.rhs], shape, element, body)
        rewriter.replace(op, e.ops, [out])


class BitwiseNotLowering(RewritePattern):
    """`graph.bitwise_not` -> a generic of `xori` with all ones."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.BitwiseNotOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            ones = constant(b, -1, a[0].type)
            return [b.insert(arith.XOrIOp(a[0], ones)).result]

        e = Emitter()
        out = e.map([op.input], shape, element, body)
        rewriter.replace(op, e.ops, [out])


class ShiftLowering(RewritePattern):
    """`graph.shift_left`/`shift_right` -> a broadcasting generic of guarded shifts."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.BinaryOp, rewriter: PatternRewriter) -> None:
        if not isinstance(op, graph.ShiftLeftOp | graph.ShiftRightOp):
            return
        left = isinstance(op, graph.ShiftLeftOp)
        kind = kind_of(graph_element(op.lhs))
        shape, element = result_of(op)

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            return [_shift(b, a[0], a[1], left, kind)]

        e = Emitter()
        out = e.map([op.lhs, op.rhs], shape, element, body)
        rewriter.replace(op, e.ops, [out])


class BitcastLowering(RewritePattern):
    """`graph.bitcast` -> a generic of `arith.bitcast` (nothing when signless-equal)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.BitcastOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        if signless(graph_element(op.input)) == element:
            rewriter.replace(op, [], [op.input])  # ui32 <-> i32: the same bits
            return

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            x = a[0]
            if element == i1:  # a byte is true when nonzero
                zero = constant(b, 0, x.type)
                return [b.insert(arith.CmpiOp(x, zero, "ne")).result]
            if x.type == i1:  # false and true are the bytes 0 and 1
                assert isa(element, IntegerType)
                return [b.insert(arith.ExtUIOp(x, element)).result]
            return [b.insert(arith.BitcastOp(x, element)).result]

        e = Emitter()
        out = e.map([op.input], shape, element, body)
        rewriter.replace(op, e.ops, [out])


__all__ = [
    "LOGIC",
    "BitcastLowering",
    "BitwiseLowering",
    "BitwiseNotLowering",
    "ShiftLowering",
]
