"""
Elementwise graph ops (unary, broadcasting binary, `where`, `cast`) as
`linalg.generic`: one pattern per arity plus a table of scalar bodies; numpy
broadcasting is expressed through indexing maps (size-1 dims read at constant
index 0), never materialized.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from xdsl.builder import Builder
from xdsl.dialects import arith
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    BFloat16Type,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    f64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.hints import isa

from mlc.dialects import graph
from mlc.dialects.graph.base import Elem, GraphOp, get_scalar, get_str
from mlc.lowering.graph_to_linalg.emitter import (
    Emitter,
    add,
    constant,
    div,
    graph_element,
    is_float,
    kind_of,
    maximum,
    minimum,
    mul,
    result_of,
    signless,
    sub,
)

Unary = Callable[[Builder, SSAValue, Elem, GraphOp], SSAValue]
Binary = Callable[[Builder, SSAValue, SSAValue, Elem], SSAValue]


def _zero_like(b: Builder, x: SSAValue) -> SSAValue:
    return constant(b, 0, x.type)


def _relu(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    return maximum(b, x, _zero_like(b, x), kind)


def _neg(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    if is_float(x):
        return b.insert(arith.NegfOp(x)).result
    return sub(b, _zero_like(b, x), x)


def _abs(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    if is_float(x):
        return b.insert(mathd.AbsFOp(x)).result
    if kind == Elem.UINT:
        return x
    return b.insert(mathd.AbsIOp(x)).result


def _sigmoid(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    one = constant(b, 1.0, x.type)
    e = b.insert(mathd.ExpOp(b.insert(arith.NegfOp(x)).result)).result
    return div(b, one, add(b, one, e))


def _math(cls: type[Operation]) -> Unary:
    def body(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
        return b.insert(cls.create(operands=[x], result_types=[x.type])).results[0]

    return body


def _gelu(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    half = mul(b, x, constant(b, 0.5, x.type))
    one = constant(b, 1.0, x.type)
    if get_str(op.properties, "approximate", "none") == "tanh":
        cube = mul(b, mul(b, x, x), x)
        inner = add(b, x, mul(b, cube, constant(b, 0.044715, x.type)))
        scaled = mul(b, inner, constant(b, math.sqrt(2 / math.pi), x.type))
        t = b.insert(mathd.TanhOp(scaled)).result
    else:
        scaled = mul(b, x, constant(b, 1 / math.sqrt(2), x.type))
        t = b.insert(mathd.ErfOp(scaled)).result
    return mul(b, half, add(b, one, t))


def _clip(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    out = x
    lo, hi = get_scalar(op.properties, "min"), get_scalar(op.properties, "max")
    if lo is not None:
        out = maximum(b, out, constant(b, lo, x.type), kind)
    if hi is not None:
        out = minimum(b, out, constant(b, hi, x.type), kind)
    return out


UNARY_BODIES: dict[type[GraphOp], Unary] = {
    graph.ReluOp: _relu,
    graph.GeluOp: _gelu,
    graph.SigmoidOp: _sigmoid,
    graph.TanhOp: _math(mathd.TanhOp),
    graph.ExpOp: _math(mathd.ExpOp),
    graph.LogOp: _math(mathd.LogOp),
    graph.SqrtOp: _math(mathd.SqrtOp),
    graph.RsqrtOp: _math(mathd.RsqrtOp),
    graph.NegOp: _neg,
    graph.AbsOp: _abs,
    graph.ErfOp: _math(mathd.ErfOp),
    graph.ClipOp: _clip,
}


def _div(b: Builder, x: SSAValue, y: SSAValue, kind: Elem) -> SSAValue:
    if is_float(x):
        return div(b, x, y)
    # Integer division by zero yields the dividend (the graph reference).
    zero, one = _zero_like(b, y), constant(b, 1, y.type)
    is_zero = b.insert(arith.CmpiOp(y, zero, "eq")).result
    safe = b.insert(arith.SelectOp(is_zero, one, y)).result
    return div(b, x, safe, kind)


def _pow(b: Builder, x: SSAValue, y: SSAValue, kind: Elem) -> SSAValue:
    if is_float(x):
        return b.insert(mathd.PowFOp(x, y)).result
    # Integer powers go through f64, as the graph reference does.
    fx, fy = (_convert(b, v, kind, f64, Elem.FLOAT) for v in (x, y))
    p = b.insert(mathd.PowFOp(fx, fy)).result
    return _convert(b, p, Elem.FLOAT, x.type, kind)


BINARY_BODIES: dict[type[GraphOp], Binary] = {
    graph.AddOp: lambda b, x, y, k: add(b, x, y),
    graph.SubOp: lambda b, x, y, k: sub(b, x, y),
    graph.MulOp: lambda b, x, y, k: mul(b, x, y),
    graph.DivOp: _div,
    graph.MaxOp: maximum,
    graph.MinOp: minimum,
    graph.PowOp: _pow,
}


class UnaryLowering(RewritePattern):
    """A unary elementwise op -> `linalg.generic` with the op's scalar body."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.UnaryOp, rewriter: PatternRewriter) -> None:
        body = UNARY_BODIES.get(type(op))
        if body is None:
            return
        x = op.operands[0]
        kind = kind_of(graph_element(x))
        shape, element = result_of(op)
        e = Emitter()
        out = e.map([x], shape, element, lambda b, a: [body(b, a[0], kind, op)])
        rewriter.replace(op, e.ops, [out])


class BinaryLowering(RewritePattern):
    """A broadcasting binary op -> `linalg.generic`, broadcast through its maps."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.BinaryOp, rewriter: PatternRewriter) -> None:
        body = BINARY_BODIES.get(type(op))
        if body is None:
            return
        kind = kind_of(graph_element(op.operands[0]))
        shape, element = result_of(op)
        e = Emitter()
        out = e.map(
            list(op.operands),
            shape,
            element,
            lambda b, a: [body(b, a[0], a[1], kind)],
        )
        rewriter.replace(op, e.ops, [out])


class WhereLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.WhereOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        e = Emitter()
        out = e.map(
            list(op.operands),
            shape,
            element,
            lambda b, a: [b.insert(arith.SelectOp(a[0], a[1], a[2])).result],
        )
        rewriter.replace(op, e.ops, [out])


def _width(type_: Attribute) -> int:
    if isinstance(type_, Float16Type | BFloat16Type):
        return 16
    if isinstance(type_, Float32Type):
        return 32
    if isinstance(type_, Float64Type):
        return 64
    assert isa(type_, IntegerType)
    return type_.width.data


def _convert(
    b: Builder, x: SSAValue, src: Elem, target: Attribute, dst: Elem
) -> SSAValue:
    """`x` (of kind `src`) as the signless type `target` (of kind `dst`), as numpy."""
    if x.type == target:
        return x
    to: Any = target  # the signless integer or float type the cast ops expect
    op: Operation
    if dst == Elem.BOOL:
        zero = _zero_like(b, x)
        op = (
            arith.CmpfOp(x, zero, "une") if is_float(x) else arith.CmpiOp(x, zero, "ne")
        )
    elif src == Elem.FLOAT and dst == Elem.FLOAT:
        bigger = _width(to) > _width(x.type)
        op = arith.ExtFOp(x, to) if bigger else arith.TruncFOp(x, to)
    elif src == Elem.FLOAT:
        op = arith.FPToUIOp(x, to) if dst == Elem.UINT else arith.FPToSIOp(x, to)
    elif dst == Elem.FLOAT:
        op = arith.SIToFPOp(x, to) if src == Elem.SINT else arith.UIToFPOp(x, to)
    elif _width(to) > _width(x.type):
        op = arith.ExtSIOp(x, to) if src == Elem.SINT else arith.ExtUIOp(x, to)
    else:
        op = arith.TruncIOp(x, to)
    return b.insert(op).results[0]


class CastLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.CastOp, rewriter: PatternRewriter) -> None:
        src_type = graph_element(op.input)
        dst_type = graph_element(op.result)
        src, dst = kind_of(src_type), kind_of(dst_type)
        shape, element = result_of(op)
        if signless(src_type) == element:
            rewriter.replace(op, [], [op.input])
            return
        e = Emitter()
        out = e.map(
            [op.input],
            shape,
            element,
            lambda b, a: [_convert(b, a[0], src, element, dst)],
        )
        rewriter.replace(op, e.ops, [out])
