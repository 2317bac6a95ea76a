"""
ONNX converters: trigonometric and hyperbolic functions, rounding, bitwise
logic, shifts and `BitCast`, each one graph op of `elementwise_math` or
`bitwise`.
"""

from __future__ import annotations

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype
from mlc.frontend.common import value_dtype
from mlc.frontend.onnx.importer import Node, Output, converter, onnx_dtype

_UNARY: dict[str, type[graph.UnaryOp]] = {
    "Sin": graph.SinOp,
    "Cos": graph.CosOp,
    "Tan": graph.TanOp,
    "Asin": graph.AsinOp,
    "Acos": graph.AcosOp,
    "Atan": graph.AtanOp,
    "Sinh": graph.SinhOp,
    "Cosh": graph.CoshOp,
    "Asinh": graph.AsinhOp,
    "Acosh": graph.AcoshOp,
    "Atanh": graph.AtanhOp,
    "Floor": graph.FloorOp,
    "Ceil": graph.CeilOp,
    "Round": graph.RoundOp,
    "BitwiseNot": graph.BitwiseNotOp,
}

_BINARY: dict[str, type[graph.BinaryOp]] = {
    "BitwiseAnd": graph.BitwiseAndOp,
    "BitwiseOr": graph.BitwiseOrOp,
    "BitwiseXor": graph.BitwiseXorOp,
}


@converter(*_UNARY)
def _unary(node: Node) -> list[Output]:
    return [node.emit(_UNARY[node.proto.op_type](node.input(0)))]


@converter(*_BINARY)
def _binary(node: Node) -> list[Output]:
    return [node.emit(_BINARY[node.proto.op_type](node.input(0), node.input(1)))]


@converter("BitShift")
def _bit_shift(node: Node) -> list[Output]:
    direction = node.attr("direction")
    if direction not in ("LEFT", "RIGHT"):
        raise node.error(f'direction must be "LEFT" or "RIGHT", got {direction!r}')
    op = graph.ShiftLeftOp if direction == "LEFT" else graph.ShiftRightOp
    return [node.emit(op(node.input(0), node.input(1)))]


@converter("BitCast")
def _bit_cast(node: Node) -> list[Output]:
    x = node.input(0)
    target = onnx_dtype(int(node.attr("to")))
    if target == value_dtype(x):
        return [x]
    return [node.emit(graph.BitcastOp(x, from_numpy_dtype(target)))]
