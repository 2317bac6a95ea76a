"""ONNX converters: elementwise ops, casts, constants and shape queries."""

from __future__ import annotations

from math import prod

import numpy as np
from xdsl.ir import Attribute

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape, value_type
from mlc.frontend.onnx import narrow
from mlc.frontend.onnx.importer import (
    Node,
    Output,
    converter,
    read_tensor,
    scalar_attr,
)
from mlc.frontend.onnx.versions import legacy_broadcast
from mlc.support.narrow_types import NarrowFormat

_UNARY: dict[str, type[graph.UnaryOp]] = {
    "Relu": graph.ReluOp,
    "Sigmoid": graph.SigmoidOp,
    "Tanh": graph.TanhOp,
    "Exp": graph.ExpOp,
    "Log": graph.LogOp,
    "Sqrt": graph.SqrtOp,
    "Neg": graph.NegOp,
    "Abs": graph.AbsOp,
    "Erf": graph.ErfOp,
}

_BINARY: dict[str, type[graph.BinaryOp]] = {
    "Add": graph.AddOp,
    "Sub": graph.SubOp,
    "Mul": graph.MulOp,
    "Div": graph.DivOp,
    "Pow": graph.PowOp,
    "Max": graph.MaxOp,
    "Min": graph.MinOp,
}


@converter(*_UNARY)
def _unary(node: Node) -> list[Output]:
    return [node.emit(_UNARY[node.proto.op_type](node.input(0)))]


@converter("Gelu")
def _gelu(node: Node) -> list[Output]:
    approximate = node.attr("approximate", "none")
    return [node.emit(graph.GeluOp(node.input(0), approximate))]


@converter("Reciprocal")
def _reciprocal(node: Node) -> list[Output]:
    x = node.input(0)
    return [node.emit(graph.DivOp(node.scalar(1, value_dtype(x)), x))]


@converter("Add", "Sub", "Mul", "Div", "Max", "Min")
def _binary(node: Node) -> list[Output]:
    op = _BINARY[node.proto.op_type]
    values = node.inputs()
    out = values[0]
    for value in values[1:]:
        out = node.emit(op(out, legacy_broadcast(node, out, value)))
    return [out]


@converter("Pow")
def _pow(node: Node) -> list[Output]:
    base, exponent = node.input(0), node.input(1)
    exponent = legacy_broadcast(node, base, exponent)
    if value_dtype(exponent) != value_dtype(base):
        exponent = node.emit(graph.CastOp(exponent, value_type(base).element_type))
    return [node.emit(graph.PowOp(base, exponent))]


@converter("Clip")
def _clip(node: Node) -> list[Output]:
    x = node.input(0)
    bounds: list[Attribute | None] = []
    for index in (1, 2):
        array = node.constant(index)
        if not node.has(index):
            bounds.append(None)
        elif array is not None:
            bounds.append(scalar_attr(array.reshape(()).item(), x))
        else:
            break
    else:
        return [node.emit(graph.ClipOp(x, bounds[0], bounds[1]))]
    # Bounds computed at run time: max(x, min), then min(., max).
    out = x
    if node.has(1):
        out = node.emit(graph.MaxOp(out, node.input(1)))
    if node.has(2):
        out = node.emit(graph.MinOp(out, node.input(2)))
    return [out]


@converter("Where")
def _where(node: Node) -> list[Output]:
    return [node.emit(graph.WhereOp(node.input(0), node.input(1), node.input(2)))]


@converter("Cast")
def _cast(node: Node) -> list[Output]:
    x = node.input(0)
    target = narrow.onnx_target(int(node.attr("to")))
    if isinstance(target, NarrowFormat) or narrow.input_format(node, 0):
        return [narrow.cast_node(node, target)]
    if target == value_dtype(x):
        return [x]
    return [node.emit(graph.CastOp(x, from_numpy_dtype(target)))]


@converter("Identity")
def _identity(node: Node) -> list[Output]:
    constant = node.constant(0)
    return [constant if constant is not None else node.input(0)]


@converter("Dropout")
def _dropout(node: Node) -> list[Output]:
    x = node.input(0)
    training = node.constant(2)
    ratio = node.constant(1)
    if node.has(2) and training is None:
        raise node.error("input 2 (training_mode) must be a constant")
    if (
        training is not None
        and bool(training.reshape(-1)[0])
        and (ratio is None or float(ratio.reshape(-1)[0]) != 0.0)
    ):
        raise node.error("training-mode dropout (random) is not supported")
    outputs: list[Output] = [x]
    if node.wants(1):
        # Before version 10 the mask has the input's type.
        mask_type = np.bool_ if node.version >= 10 else value_dtype(x)
        outputs.append(np.ones(value_shape(x), mask_type))
    return outputs


@converter("Shape")
def _shape(node: Node) -> list[Output]:
    shape = node.shape(0)
    start, end = node.attr("start", 0), node.attr("end", len(shape))
    return [np.asarray(shape[start:end], np.int64)]


@converter("Size")
def _size(node: Node) -> list[Output]:
    return [np.asarray(prod(node.shape(0)), np.int64)]


@converter("Constant")
def _constant(node: Node) -> list[Output]:
    for name, value in node.attrs.items():
        if name == "value":
            return [read_tensor(value, f"constant '{node.name}'")]
        if name in ("value_float", "value_int"):
            dtype = np.float32 if name == "value_float" else np.int64
            return [np.asarray(value, dtype)]
        if name in ("value_floats", "value_ints"):
            dtype = np.float32 if name == "value_floats" else np.int64
            return [np.asarray(list(value), dtype)]
    raise node.error("only tensor, float(s) and int(s) constants are supported")


@converter("Mod")
def _mod(node: Node) -> list[Output]:
    """
    Floats: `graph.mod` (`fmod` as given). Integers: `a - (a / b) * b`
    (division truncates), exact; with `fmod = 0` the result takes the
    divisor's sign (`+ b` where the signs differ).
    """
    fmod = bool(node.attr("fmod", 0))
    a_const, b_const = node.constant(0), node.constant(1)
    if a_const is not None and b_const is not None:
        with np.errstate(all="ignore"):
            folded = np.fmod(a_const, b_const) if fmod else np.mod(a_const, b_const)
        return [np.asarray(folded, a_const.dtype)]
    a, b = node.input(0), node.input(1)
    dtype = value_dtype(a)
    if dtype.kind == "f":
        return [node.emit(graph.ModOp(a, b, fmod))]
    return [compose.integer_mod(node, a, b, fmod)]
