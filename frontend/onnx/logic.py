"""
ONNX converters: comparisons, boolean logic and predicates, composed from
graph ops by `mlc.frontend.compose` (which says how exact they are).
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import SSAValue

from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, converter
from mlc.frontend.onnx.versions import legacy_broadcast


def _operands(node: Node) -> tuple[SSAValue, SSAValue]:
    a = node.input(0)
    return a, legacy_broadcast(node, a, node.input(1))


def _same_type(node: Node) -> tuple[SSAValue, SSAValue]:
    a, b = node.input(0), node.input(1)
    b = legacy_broadcast(node, a, b)
    if value_dtype(a) != value_dtype(b):
        raise node.error(
            f"expects operands of one element type, got {value_dtype(a)} and "
            f"{value_dtype(b)}"
        )
    return a, b


@converter("Equal")
def _equal(node: Node) -> list[Output]:
    return [compose.equal(node, *_same_type(node))]


@converter("Less")
def _less(node: Node) -> list[Output]:
    return [compose.less(node, *_same_type(node))]


@converter("Greater")
def _greater(node: Node) -> list[Output]:
    a, b = _same_type(node)
    return [compose.less(node, b, a)]


@converter("LessOrEqual")
def _less_or_equal(node: Node) -> list[Output]:
    return [compose.less_equal(node, *_same_type(node))]


@converter("GreaterOrEqual")
def _greater_or_equal(node: Node) -> list[Output]:
    a, b = _same_type(node)
    return [compose.less_equal(node, b, a)]


@converter("Not")
def _not(node: Node) -> list[Output]:
    return [compose.logical_not(node, node.input(0))]


@converter("And")
def _and(node: Node) -> list[Output]:
    return [compose.logical_and(node, *_operands(node))]


@converter("Or")
def _or(node: Node) -> list[Output]:
    return [compose.logical_or(node, *_operands(node))]


@converter("Xor")
def _xor(node: Node) -> list[Output]:
    return [compose.differs(node, *_operands(node))]


@converter("IsNaN")
def _is_nan(node: Node) -> list[Output]:
    return [compose.is_nan(node, node.input(0))]


@converter("IsInf")
def _is_inf(node: Node) -> list[Output]:
    x = node.input(0)
    inf = compose.is_inf(node, x)
    positive = bool(node.attr("detect_positive", 1))
    negative = bool(node.attr("detect_negative", 1))
    if positive and negative:
        return [inf]
    zero = node.scalar(0, value_dtype(x))
    if not positive and not negative:
        return [np.zeros(value_shape(x), np.bool_)]
    side = compose.less(node, zero, x) if positive else compose.less(node, x, zero)
    return [compose.logical_and(node, inf, side)]


@converter("Sign")
def _sign(node: Node) -> list[Output]:
    return [compose.sign(node, node.input(0))]
