"""
Normalizations (`batch_norm`, `layer_norm`), (log-)softmax and reductions as
reduction and elementwise `linalg.generic`s over a `linalg.fill`ed init; f16
and float reductions compute in f32 and truncate the result, as the graph
references do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from xdsl.builder import Builder
from xdsl.dialects import math as mathd
from xdsl.ir import Block, Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from mlc.dialects import graph
from mlc.dialects.graph.base import Elem, GraphOp, get_bool, get_float, get_int
from mlc.dialects.graph.nn import DEFAULT_EPSILON
from mlc.lowering.graph_to_linalg.emitter import (
    PARALLEL,
    Emitter,
    add,
    constant,
    demote,
    dims_map,
    div,
    element_of,
    graph_element,
    identity_map,
    kind_of,
    lowest,
    maximum,
    mul,
    promote,
    result_of,
    shape_of,
    sub,
)

# --------------------------------------------------------------------------- #
# Normalization and softmax
# --------------------------------------------------------------------------- #


def _eps(op: GraphOp) -> float:
    return get_float(op.properties, "epsilon", DEFAULT_EPSILON)


class BatchNormLowering(RewritePattern):
    """
    Inference batch norm as a scale and a shift per channel, as PyTorch's
    CPU kernel computes it: generics over the [C] parameters give `alpha =
    scale / sqrt(var + eps)` and `beta = bias - mean * alpha`, then one
    elementwise generic reads them via `(n, c, …) -> (c)`: `x * alpha + beta`.
    The per-channel generics go right after the parameters are defined (at
    the function's start for arguments and constants), so nothing stands
    between a convolution and its batch norm: the convolution's fused
    epilogue is then a multiply and an add per vector (the square root and
    division per element had cost the 7x7 stem of ResNet-18 a tenth of its
    time).
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.BatchNormOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        e, pe = Emitter(), Emitter()
        x = promote(e, op.input)
        scale, bias, mean, var = (promote(pe, v) for v in op.operands[1:])
        ct = element_of(x)
        rank = len(shape)
        eps = _eps(op)
        channels = shape_of(scale)

        def alpha_of(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            root = b.insert(mathd.SqrtOp(add(b, a[1], constant(b, eps, ct)))).result
            return [div(b, a[0], root)]

        alpha = pe.map([scale, var], channels, ct, alpha_of)
        beta = pe.map(
            [bias, mean, alpha],
            channels,
            ct,
            lambda b, a: [sub(b, a[0], mul(b, a[1], a[2]))],
        )
        rewriter.insert(pe.ops, _after_definitions(op, op.operands[1:]))
        param = dims_map(rank, [1])
        out = e.generic(
            [x, alpha, beta],
            e.empty(shape, ct),
            [identity_map(rank), param, param, identity_map(rank)],
            [PARALLEL] * rank,
            lambda b, a: [add(b, mul(b, a[0], a[1]), a[2])],
        )
        rewriter.replace(op, e.ops, [demote(e, out, element)])


def _after_definitions(op: Operation, values: Sequence[SSAValue]) -> InsertPoint:
    """
    The earliest point of `op`'s block where every one of `values` is
    defined (right before `op` when one comes from another block)."""
    block = op.parent_block()
    last: Operation | None = None
    for value in values:
        owner = value.owner
        if isinstance(owner, Block):
            if owner is not block:
                return InsertPoint.before(op)
            continue
        if owner.parent_block() is not block:
            return InsertPoint.before(op)
        if last is None or last.is_before_in_block(owner):
            last = owner
    if last is not None:
        return InsertPoint.after(last)
    assert block is not None  # (`op` is in one: its ancestor is being rewritten)
    return InsertPoint.at_start(block)


class LayerNormLowering(RewritePattern):
    """Mean and variance as reduction generics, then elementwise generics."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.LayerNormOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        e = Emitter()
        x = promote(e, op.input)
        ct = element_of(x)
        rank = len(shape)
        axis = get_int(op.properties, "axis", -1) % rank
        axes = tuple(range(axis, rank))
        count = float(math.prod(shape[axis:]))
        eps = _eps(op)

        def mean_of(v: SSAValue) -> SSAValue:
            total = e.reduce(v, axes, ct, 0, add, keepdims=True)
            return e.map(
                [total],
                shape_of(total),
                ct,
                lambda b, a: [div(b, a[0], constant(b, count, ct))],
            )

        mean = mean_of(x)
        centered = e.map([x, mean], shape, ct, lambda b, a: [sub(b, a[0], a[1])])
        squares = e.map([centered], shape, ct, lambda b, a: [mul(b, a[0], a[0])])
        variance = mean_of(squares)

        def normalize(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            root = b.insert(mathd.SqrtOp(add(b, a[1], constant(b, eps, ct)))).result
            return [div(b, a[0], root)]

        out = e.map([centered, variance], shape, ct, normalize)
        if op.scale is not None:
            scale = promote(e, op.scale)
            out = e.map([out, scale], shape, ct, lambda b, a: [mul(b, a[0], a[1])])
        if op.bias is not None:
            bias = promote(e, op.bias)
            out = e.map([out, bias], shape, ct, lambda b, a: [add(b, a[0], a[1])])
        rewriter.replace(op, e.ops, [demote(e, out, element)])


def _max_combine(b: Builder, x: SSAValue, acc: SSAValue) -> SSAValue:
    return maximum(b, x, acc, Elem.FLOAT)


class SoftmaxLowering(RewritePattern):
    """Stable (log-)softmax: max and sum reductions plus elementwise generics."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.SoftmaxFamilyOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        e = Emitter()
        x = promote(e, op.input)
        ct = element_of(x)
        axis = get_int(op.properties, "axis", -1) % len(shape)
        top = e.reduce(x, (axis,), ct, -math.inf, _max_combine, keepdims=True)
        shifted = e.map([x, top], shape, ct, lambda b, a: [sub(b, a[0], a[1])])
        exps = e.map(
            [shifted], shape, ct, lambda b, a: [b.insert(mathd.ExpOp(a[0])).result]
        )
        total = e.reduce(exps, (axis,), ct, 0, add, keepdims=True)
        if op.LOG:

            def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
                return [sub(b, a[0], b.insert(mathd.LogOp(a[1])).result)]

            out = e.map([shifted, total], shape, ct, body)
        else:
            out = e.map([exps, total], shape, ct, lambda b, a: [div(b, a[0], a[1])])
        rewriter.replace(op, e.ops, [demote(e, out, element)])


# --------------------------------------------------------------------------- #
# Reductions
# --------------------------------------------------------------------------- #


class ReduceLowering(RewritePattern):
    """reduce_sum / reduce_mean / reduce_max / reduce_prod -> a reduction generic."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ReduceOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        kind = kind_of(graph_element(op.input))
        e = Emitter()
        x = promote(e, op.input)
        ct = element_of(x)
        rank = len(shape_of(x))
        axes = op.reduced_axes(op.properties, rank)
        keepdims = get_bool(op.properties, "keepdims", True)
        if isinstance(op, graph.ReduceMaxOp):
            out = e.reduce(
                x,
                axes,
                ct,
                0 if kind == Elem.UINT else lowest(ct),
                lambda b, v, acc: maximum(b, v, acc, kind),
                keepdims=keepdims,
            )
        elif isinstance(op, graph.ReduceProdOp):
            out = e.reduce(x, axes, ct, 1, mul, keepdims=keepdims)
        else:
            out = e.reduce(x, axes, ct, 0, add, keepdims=keepdims)
        if isinstance(op, graph.ReduceMeanOp):
            count = float(math.prod(shape_of(x)[a] for a in axes))
            out = e.map(
                [out],
                shape,
                ct,
                lambda b, a: [div(b, a[0], constant(b, count, ct))],
            )
        rewriter.replace(op, e.ops, [demote(e, out, element)])
