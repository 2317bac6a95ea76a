"""
ONNX converters: reductions (the graph dialect's sum, mean, max and product,
and those composed from them), arg-max/min, the global max pool and the
cumulative sum and product.
"""

from __future__ import annotations

from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, back, coerced_2d, converter

_REDUCE: dict[str, type[graph.ReduceOp]] = {
    "ReduceMean": graph.ReduceMeanOp,
    "ReduceSum": graph.ReduceSumOp,
    "ReduceMax": graph.ReduceMaxOp,
    "ReduceProd": graph.ReduceProdOp,
}


def _axes(node: Node) -> list[int] | None:
    """The reduced axes (all when none are given); None: the op is an identity."""
    # The older forms' `axes` attribute is input 1 here (`versions.upgrade`).
    axes = node.ints_input(1, "axes")
    if not axes:
        if node.attr("noop_with_empty_axes", 0):
            return None
        return list(range(len(node.shape(0))))
    return axes


def _keepdims(node: Node) -> bool:
    return bool(node.attr("keepdims", 1))


def _numeric(node: Node, x: SSAValue) -> SSAValue:
    return compose.numeric(node, x)


@converter(*_REDUCE)
def _reduce(node: Node) -> list[Output]:
    x = node.input(0)
    axes = _axes(node)
    if axes is None:
        return [x]
    out = node.emit(
        _REDUCE[node.proto.op_type](_numeric(node, x), axes, _keepdims(node))
    )
    return [back(node, out, value_dtype(x))]


@converter("ReduceMin")
def _reduce_min(node: Node) -> list[Output]:
    x = node.input(0)
    axes = _axes(node)
    if axes is None:
        return [x]
    return [compose.reduce_min(node, x, axes, _keepdims(node))]


def _sum(node: Node, x: SSAValue, axes: list[int], keepdims: bool) -> SSAValue:
    if not axes:
        return x
    return node.emit(graph.ReduceSumOp(x, axes, keepdims))


@converter("ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp")
def _reduce_composed(node: Node) -> list[Output]:
    x = node.input(0)
    axes = _axes(node)
    op_type, keepdims = node.proto.op_type, _keepdims(node)
    if axes is None:
        # An identity reduction still applies the elementwise part.
        axes, keepdims = [], True
    if op_type == "ReduceL1":
        return [_sum(node, node.emit(graph.AbsOp(x)), axes, keepdims)]
    if op_type in ("ReduceL2", "ReduceSumSquare"):
        squares = _sum(node, node.emit(graph.MulOp(x, x)), axes, keepdims)
        if op_type == "ReduceSumSquare":
            return [squares]
        return [node.emit(graph.SqrtOp(squares))]
    if op_type == "ReduceLogSum":
        return [node.emit(graph.LogOp(_sum(node, x, axes, keepdims)))]
    # log(sum(exp(x - m))) + m, m the maximum: no overflow.
    top = node.emit(graph.ReduceMaxOp(x, axes, True)) if axes else x
    shifted = node.emit(graph.ExpOp(node.emit(graph.SubOp(x, top))))
    total = node.emit(graph.LogOp(_sum(node, shifted, axes, True)))
    out = node.emit(graph.AddOp(total, top))
    if not keepdims and axes:
        out = node.emit(graph.SqueezeOp(out, axes))
    return [out]


@converter("ArgMax", "ArgMin")
def _arg(node: Node) -> list[Output]:
    x = node.input(0)
    axis = int(node.attr("axis", 0))
    last = bool(node.attr("select_last_index", 0))
    out = compose.arg_extreme(node, x, axis, node.proto.op_type == "ArgMax", last)
    if not _keepdims(node):
        out = node.emit(graph.SqueezeOp(out, [axis % len(value_shape(x))]))
    return [out]


@converter("Hardmax")
def _hardmax(node: Node) -> list[Output]:
    """1 at the first maximum along `axis`, 0 elsewhere."""
    x = node.input(0)
    if node.version < 13:
        return [coerced_2d(node, x, _hardmax_of)]
    return [_hardmax_of(node, x, int(node.attr("axis", -1)))]


def _hardmax_of(node: Node, x: SSAValue, axis: int) -> SSAValue:
    shape = value_shape(x)
    axis %= len(shape)
    first = compose.arg_extreme(node, x, axis, largest=True, last=False)
    index = node.value(compose.positions(shape[axis], axis, len(shape)))
    hit = compose.equal(node, index, first)
    dtype = value_dtype(x)
    one, zero = node.scalar(1, dtype), node.scalar(0, dtype)
    return node.emit(graph.WhereOp(hit, one, zero))


@converter("GlobalMaxPool")
def _global_max_pool(node: Node) -> list[Output]:
    x = node.input(0)
    axes = list(range(2, len(value_shape(x))))
    return [node.emit(graph.ReduceMaxOp(x, axes, True))]


@converter("CumSum", "CumProd")
def _cumulative(node: Node) -> list[Output]:
    x = node.input(0)
    axis = (node.ints_input(1, "axis") or [0])[0]
    exclusive, reverse = bool(node.attr("exclusive", 0)), bool(node.attr("reverse", 0))
    if node.proto.op_type == "CumProd":
        return [compose.cumprod(node, x, axis, exclusive, reverse)]
    return [compose.cumsum(node, x, axis, exclusive, reverse)]
