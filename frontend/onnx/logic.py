"""
ONNX converters: comparisons, boolean logic and predicates, composed from
graph ops (the graph dialect has no comparison op).

The one primitive is "differs": `cast(a - b, i1)`, true where `a - b` is not
zero. For integers it is exact (the subtraction wraps, and a wrapped
difference is zero only for equal operands). For floats the operands are
first clamped to the finite range, so that `inf - inf` is not NaN; a NaN
operand gives NaN, which is nonzero: "differs", as IEEE comparisons say. The
one inexactness: `±inf` compares equal to the largest finite value of its
sign. The orderings follow from it: `a <= b` is `min(a, b) == a` (NaN
propagates through `min`, so it is false with a NaN, as in IEEE), and
`a < b` is `a <= b` and `a != b`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype
from mlc.frontend.common import value_dtype
from mlc.frontend.onnx.importer import Node, Output, converter, scalar_attr

BOOL = np.dtype(np.bool_)


def _finite(node: Node, x: SSAValue) -> SSAValue:
    """Floats clamped to the finite range (NaN stays NaN); others as they are."""
    dtype = value_dtype(x)
    if dtype.kind != "f":
        return x
    largest = float(np.finfo(dtype).max)
    return node.emit(graph.ClipOp(x, scalar_attr(-largest, x), scalar_attr(largest, x)))


def constant_bool(node: Node, value: bool) -> SSAValue:
    return node.scalar(value, BOOL)


def logical_not(node: Node, a: SSAValue) -> SSAValue:
    false, true = constant_bool(node, False), constant_bool(node, True)
    return node.emit(graph.WhereOp(a, false, true))


def differs(node: Node, a: SSAValue, b: SSAValue) -> SSAValue:
    """`a != b` elementwise (bools, integers, floats; see the module docstring)."""
    if value_dtype(a) == BOOL:
        return node.emit(graph.WhereOp(a, logical_not(node, b), b))
    gap = node.emit(graph.SubOp(_finite(node, a), _finite(node, b)))
    return node.emit(graph.CastOp(gap, from_numpy_dtype(BOOL)))


def equal(node: Node, a: SSAValue, b: SSAValue) -> SSAValue:
    return logical_not(node, differs(node, a, b))


def less_equal(node: Node, a: SSAValue, b: SSAValue) -> SSAValue:
    """`a <= b`: `min(a, b) == a`."""
    if value_dtype(a) == BOOL:  # false <= anything; true <= b iff b
        return node.emit(graph.WhereOp(a, b, constant_bool(node, True)))
    return equal(node, node.emit(graph.MinOp(a, b)), a)


def less(node: Node, a: SSAValue, b: SSAValue) -> SSAValue:
    """`a < b`: `a <= b` and `a != b`."""
    return node.emit(
        graph.WhereOp(
            differs(node, a, b), less_equal(node, a, b), constant_bool(node, False)
        )
    )


def _same_type(node: Node) -> tuple[SSAValue, SSAValue]:
    a, b = node.input(0), node.input(1)
    if value_dtype(a) != value_dtype(b):
        raise node.error(
            f"expects operands of one element type, got {value_dtype(a)} and "
            f"{value_dtype(b)}"
        )
    return a, b


@converter("Equal")
def _equal(node: Node) -> list[Output]:
    return [equal(node, *_same_type(node))]


@converter("Less")
def _less(node: Node) -> list[Output]:
    return [less(node, *_same_type(node))]


@converter("Greater")
def _greater(node: Node) -> list[Output]:
    a, b = _same_type(node)
    return [less(node, b, a)]


@converter("LessOrEqual")
def _less_or_equal(node: Node) -> list[Output]:
    return [less_equal(node, *_same_type(node))]


@converter("GreaterOrEqual")
def _greater_or_equal(node: Node) -> list[Output]:
    a, b = _same_type(node)
    return [less_equal(node, b, a)]


@converter("Not")
def _not(node: Node) -> list[Output]:
    return [logical_not(node, node.input(0))]


@converter("And")
def _and(node: Node) -> list[Output]:
    a, b = node.input(0), node.input(1)
    return [node.emit(graph.WhereOp(a, b, constant_bool(node, False)))]


@converter("Or")
def _or(node: Node) -> list[Output]:
    a, b = node.input(0), node.input(1)
    return [node.emit(graph.WhereOp(a, constant_bool(node, True), b))]


@converter("Xor")
def _xor(node: Node) -> list[Output]:
    return [differs(node, node.input(0), node.input(1))]


def is_nan(node: Node, x: SSAValue) -> SSAValue:
    """`x != x`: a clamped value minus itself is zero unless it is NaN."""
    finite = _finite(node, x)
    gap = node.emit(graph.SubOp(finite, finite))
    return node.emit(graph.CastOp(gap, from_numpy_dtype(BOOL)))


@converter("IsNaN")
def _is_nan(node: Node) -> list[Output]:
    return [is_nan(node, node.input(0))]


@converter("IsInf")
def _is_inf(node: Node) -> list[Output]:
    """`x - clamp(x)` is nonzero for ±inf and NaN only; NaN is then excluded."""
    x = node.input(0)
    false = constant_bool(node, False)
    outside = node.emit(graph.SubOp(x, _finite(node, x)))
    outside = node.emit(graph.CastOp(outside, from_numpy_dtype(BOOL)))
    inf = node.emit(graph.WhereOp(is_nan(node, x), false, outside))
    zero = node.scalar(0, value_dtype(x))
    positive = bool(node.attr("detect_positive", 1))
    negative = bool(node.attr("detect_negative", 1))
    if positive and negative:
        return [inf]
    if not positive and not negative:
        return [node.emit(graph.WhereOp(inf, false, false))]
    sign = less(node, zero, x) if positive else less(node, x, zero)
    return [node.emit(graph.WhereOp(inf, sign, false))]


@converter("Sign")
def _sign(node: Node) -> list[Output]:
    """`(0 < x) - (x < 0)`, as the input's type."""
    x = node.input(0)
    dtype: np.dtype[Any] = value_dtype(x)
    zero = node.scalar(0, dtype)
    element = from_numpy_dtype(dtype)
    positive = node.emit(graph.CastOp(less(node, zero, x), element))
    if dtype.kind == "u":
        return [positive]
    negative = node.emit(graph.CastOp(less(node, x, zero), element))
    return [node.emit(graph.SubOp(positive, negative))]
