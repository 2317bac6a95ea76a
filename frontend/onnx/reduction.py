"""
ONNX converters: reductions (the graph dialect's sum, mean and max, and those
composed from them), arg-max/min and the global max pool.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, back, converter
from mlc.frontend.onnx.logic import equal

_REDUCE: dict[str, type[graph.ReduceOp]] = {
    "ReduceMean": graph.ReduceMeanOp,
    "ReduceSum": graph.ReduceSumOp,
    "ReduceMax": graph.ReduceMaxOp,
}


def _axes(node: Node) -> list[int] | None:
    """The reduced axes (all when none are given); None: the op is an identity."""
    # ReduceSum takes axes as an input from opset 13, the others from 18.
    if node.proto.op_type == "ReduceSum" or node.opset >= 18:
        axes = node.ints_input(1, "axes")
    else:
        attr = node.attr("axes")
        axes = None if attr is None else [int(a) for a in attr]
    if not axes:
        if node.attr("noop_with_empty_axes", 0):
            return None
        return list(range(len(node.shape(0))))
    return axes


def _keepdims(node: Node) -> bool:
    return bool(node.attr("keepdims", 1))


def _numeric(node: Node, x: SSAValue) -> SSAValue:
    """Bools are reduced as u8."""
    if value_dtype(x) == np.bool_:
        return node.emit(graph.CastOp(x, from_numpy_dtype(np.uint8)))
    return x


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


def _flip(node: Node, x: SSAValue) -> SSAValue:
    """An order-reversing bijection that is its own inverse, exact for every type."""
    dtype: np.dtype[Any] = value_dtype(x)
    if dtype.kind == "f":
        return node.emit(graph.NegOp(x))
    # -1 - x for signed integers, MAX - x for unsigned: no overflow.
    top = -1 if dtype.kind == "i" else np.iinfo(dtype).max
    return node.emit(graph.SubOp(node.scalar(top, dtype), x))


def reduce_min(node: Node, x: SSAValue, axes: list[int], keepdims: bool) -> SSAValue:
    """min = flip(max(flip(x)))."""
    x_in = _numeric(node, x)
    largest = node.emit(graph.ReduceMaxOp(_flip(node, x_in), axes, keepdims))
    return back(node, _flip(node, largest), value_dtype(x))


@converter("ReduceMin")
def _reduce_min(node: Node) -> list[Output]:
    x = node.input(0)
    axes = _axes(node)
    if axes is None:
        return [x]
    return [reduce_min(node, x, axes, _keepdims(node))]


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


def positions(length: int, axis: int, rank: int) -> np.ndarray[Any, np.dtype[Any]]:
    """0 .. length - 1 along `axis` of a rank-`rank` array."""
    shape = [1] * rank
    shape[axis] = length
    return np.arange(length, dtype=np.int64).reshape(shape)


def arg_extreme(
    node: Node, x: SSAValue, axis: int, largest: bool, last: bool
) -> SSAValue:
    """The index of the first (or last) maximum or minimum along `axis`, kept."""
    shape = value_shape(x)
    rank = len(shape)
    axis %= rank
    if largest:
        extreme = node.emit(graph.ReduceMaxOp(_numeric(node, x), [axis], True))
        extreme = back(node, extreme, value_dtype(x))
    else:
        extreme = reduce_min(node, x, [axis], True)
    hit = equal(node, x, extreme)
    index = node.value(positions(shape[axis], axis, rank))
    miss = node.scalar(-1 if last else shape[axis], np.dtype(np.int64))
    candidates = node.emit(graph.WhereOp(hit, index, miss))
    if last:
        return node.emit(graph.ReduceMaxOp(candidates, [axis], True))
    return reduce_min(node, candidates, [axis], True)


@converter("ArgMax", "ArgMin")
def _arg(node: Node) -> list[Output]:
    x = node.input(0)
    axis = int(node.attr("axis", 0))
    last = bool(node.attr("select_last_index", 0))
    out = arg_extreme(node, x, axis, node.proto.op_type == "ArgMax", last)
    if not _keepdims(node):
        out = node.emit(graph.SqueezeOp(out, [axis % len(value_shape(x))]))
    return [out]


@converter("Hardmax")
def _hardmax(node: Node) -> list[Output]:
    """1 at the first maximum along `axis`, 0 elsewhere."""
    x = node.input(0)
    shape = value_shape(x)
    axis = int(node.attr("axis", -1)) % len(shape)
    first = arg_extreme(node, x, axis, largest=True, last=False)
    index = node.value(positions(shape[axis], axis, len(shape)))
    hit = equal(node, index, first)
    dtype = value_dtype(x)
    one, zero = node.scalar(1, dtype), node.scalar(0, dtype)
    return [node.emit(graph.WhereOp(hit, one, zero))]


@converter("GlobalMaxPool")
def _global_max_pool(node: Node) -> list[Output]:
    x = node.input(0)
    axes = list(range(2, len(value_shape(x))))
    return [node.emit(graph.ReduceMaxOp(x, axes, True))]
