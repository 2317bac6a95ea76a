"""
ONNX converters: activations and variadic elementwise ops composed from graph
ops.

Most use `p = max(x, 0)` and `n = min(x, 0)` (so `x = p + n`), which need no
comparison: `elu(x) = p + alpha * (exp(n) - 1)` is exactly `x` for `x > 0`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype
from mlc.frontend.onnx.importer import (
    Node,
    Output,
    converter,
    onnx_dtype,
    scalar_attr,
)


def split_sign(node: Node, x: SSAValue) -> tuple[SSAValue, SSAValue]:
    """(max(x, 0), min(x, 0))."""
    zero = node.scalar(0, value_dtype(x))
    return node.emit(graph.MaxOp(x, zero)), node.emit(graph.MinOp(x, zero))


def scaled(node: Node, x: SSAValue, factor: float) -> SSAValue:
    if factor == 1.0:
        return x
    return node.emit(graph.MulOp(x, node.scalar(factor, value_dtype(x))))


def plus(node: Node, x: SSAValue, value: float) -> SSAValue:
    if value == 0.0:
        return x
    return node.emit(graph.AddOp(x, node.scalar(value, value_dtype(x))))


def _elu(node: Node, x: SSAValue, alpha: float, input_scale: float = 1.0) -> SSAValue:
    """max(x, 0) + alpha * (exp(min(x, 0) * input_scale) - 1)."""
    positive, negative = split_sign(node, x)
    tail = plus(node, node.emit(graph.ExpOp(scaled(node, negative, input_scale))), -1)
    return node.emit(graph.AddOp(positive, scaled(node, tail, alpha)))


def softplus(node: Node, x: SSAValue) -> SSAValue:
    """log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)), which cannot overflow."""
    positive, negative = split_sign(node, x)
    minus_abs = node.emit(graph.SubOp(negative, positive))
    tail = node.emit(graph.LogOp(plus(node, node.emit(graph.ExpOp(minus_abs)), 1)))
    return node.emit(graph.AddOp(positive, tail))


def _float(node: Node, name: str, default: float) -> float:
    return float(node.attr(name, default))


@converter("LeakyRelu")
def _leaky_relu(node: Node) -> list[Output]:
    positive, negative = split_sign(node, node.input(0))
    slope = _float(node, "alpha", 0.01)
    return [node.emit(graph.AddOp(positive, scaled(node, negative, slope)))]


@converter("PRelu")
def _prelu(node: Node) -> list[Output]:
    positive, negative = split_sign(node, node.input(0))
    slope = node.emit(graph.MulOp(negative, node.input(1)))
    return [node.emit(graph.AddOp(positive, slope))]


@converter("Elu")
def _elu_converter(node: Node) -> list[Output]:
    return [_elu(node, node.input(0), _float(node, "alpha", 1.0))]


@converter("Selu")
def _selu(node: Node) -> list[Output]:
    alpha = _float(node, "alpha", 1.67326319217681884765625)
    gamma = _float(node, "gamma", 1.05070102214813232421875)
    return [scaled(node, _elu(node, node.input(0), alpha), gamma)]


@converter("Celu")
def _celu(node: Node) -> list[Output]:
    alpha = _float(node, "alpha", 1.0)
    return [_elu(node, node.input(0), alpha, 1 / alpha)]


def _hard_sigmoid(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    """clip(alpha * x + beta, 0, 1)."""
    linear = plus(node, scaled(node, x, alpha), beta)
    return node.emit(graph.ClipOp(linear, scalar_attr(0, x), scalar_attr(1, x)))


@converter("HardSigmoid")
def _hard_sigmoid_converter(node: Node) -> list[Output]:
    alpha, beta = _float(node, "alpha", 0.2), _float(node, "beta", 0.5)
    return [_hard_sigmoid(node, node.input(0), alpha, beta)]


@converter("HardSwish")
def _hard_swish(node: Node) -> list[Output]:
    x = node.input(0)
    return [node.emit(graph.MulOp(x, _hard_sigmoid(node, x, 1 / 6, 0.5)))]


@converter("Softplus")
def _softplus(node: Node) -> list[Output]:
    return [softplus(node, node.input(0))]


@converter("Softsign")
def _softsign(node: Node) -> list[Output]:
    x = node.input(0)
    return [node.emit(graph.DivOp(x, plus(node, node.emit(graph.AbsOp(x)), 1)))]


@converter("Mish")
def _mish(node: Node) -> list[Output]:
    x = node.input(0)
    return [node.emit(graph.MulOp(x, node.emit(graph.TanhOp(softplus(node, x)))))]


@converter("Swish")
def _swish(node: Node) -> list[Output]:
    x = node.input(0)
    gate = node.emit(graph.SigmoidOp(scaled(node, x, _float(node, "alpha", 1.0))))
    return [node.emit(graph.MulOp(x, gate))]


@converter("ThresholdedRelu")
def _thresholded_relu(node: Node) -> list[Output]:
    """x where x > alpha, else 0."""
    x = node.input(0)
    dtype = value_dtype(x)
    above = compose.less(node, node.scalar(_float(node, "alpha", 1.0), dtype), x)
    return [node.emit(graph.WhereOp(above, x, node.scalar(0, dtype)))]


@converter("Shrink")
def _shrink(node: Node) -> list[Output]:
    """x + bias below -lambd, x - bias above lambd, else 0."""
    x = node.input(0)
    dtype: np.dtype[Any] = value_dtype(x)
    bias, lambd = _float(node, "bias", 0.0), _float(node, "lambd", 0.5)
    below = compose.less(node, x, node.scalar(-lambd, dtype))
    above = compose.less(node, node.scalar(lambd, dtype), x)
    zero = node.scalar(0, dtype)
    low = node.emit(graph.AddOp(x, node.scalar(bias, dtype)))
    high = node.emit(graph.SubOp(x, node.scalar(bias, dtype)))
    inner = node.emit(graph.WhereOp(above, high, zero))
    return [node.emit(graph.WhereOp(below, low, inner))]


@converter("Sum", "Mean")
def _sum(node: Node) -> list[Output]:
    values = node.inputs()
    out = values[0]
    for value in values[1:]:
        out = node.emit(graph.AddOp(out, value))
    if node.proto.op_type == "Mean" and len(values) > 1:
        out = node.emit(graph.DivOp(out, node.scalar(len(values), value_dtype(out))))
    return [out]


@converter("EyeLike")
def _eye_like(node: Node) -> list[Output]:
    shape = node.shape(0)
    if len(shape) != 2:
        raise node.error(f"expects a 2-D input, got shape {list(shape)}")
    to = node.attr("dtype")
    dtype = node.dtype(0) if to is None else onnx_dtype(int(to))
    return [np.eye(shape[0], shape[1], int(node.attr("k", 0)), dtype)]
