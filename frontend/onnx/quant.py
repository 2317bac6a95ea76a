"""
ONNX converters: quantized inference (QuantizeLinear, DequantizeLinear,
DynamicQuantizeLinear, MatMulInteger, ConvInteger, QLinearMatMul, QLinearConv).

`graph.quantize` does the rounding (half to even) and saturation,
`graph.matmul_integer` and `graph.conv_integer` the exact i32 accumulation;
the rest is composed: dequantization is `(cast(x) - cast(zero_point)) * scale`
with the difference exact in i32 (i64 for 32-bit inputs); QLinearMatMul and
QLinearConv requantize the i32 accumulator as
`quantize(acc * (scale_a * scale_b / scale_y), 1, zero_point_y)`, the
multiplier in the scales' type and the product in f64, as onnx's reference
computes it. Per-axis scales and zero points are reshaped to broadcast along
their axis; blocked ones (`block_size`) are repeated along it. To and from
the narrow types (int4, int2, float8, float4; `narrow.py`): integers are
`graph.quantize` clamped to their range, floats `x / scale` rounded to the
format; their inputs are decoded by table.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import normalize_axis
from mlc.frontend import compose
from mlc.frontend.common import same_pads, value_dtype, value_shape
from mlc.frontend.onnx import narrow
from mlc.frontend.onnx.importer import Node, Output, converter, onnx_dtype
from mlc.support.narrow_types import NarrowFormat

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
I32 = np.dtype(np.int32)
I8 = np.dtype(np.int8)
U8 = np.dtype(np.uint8)
QUANTIZED = {np.dtype(t) for t in (np.int8, np.uint8, np.int16, np.uint16, np.int32)}
"""The integer types QuantizeLinear and DequantizeLinear convert to and from."""


def _reshape(node: Node, x: SSAValue, shape: Sequence[int]) -> SSAValue:
    if value_shape(x) == tuple(shape):
        return x
    return node.emit(graph.ReshapeOp(x, shape))


def _quant_param(
    node: Node,
    p: SSAValue,
    x_shape: Sequence[int],
    what: str,
) -> SSAValue:
    """
    A scale or zero point shaped to broadcast against `x_shape`: one element
    (per tensor), a vector along `axis` (per axis) or, with `block_size`, one
    value per block of `axis` repeated over its block.
    """
    shape, rank = value_shape(p), len(x_shape)
    if prod(shape) == 1 and len(shape) <= 1:
        return _reshape(node, p, ())
    axis = normalize_axis_of(node, int(node.attr("axis", 1)), rank)
    block = int(node.attr("block_size", 0))
    if not block:
        if shape != (x_shape[axis],):
            raise node.error(
                f"expects {what} with one element or {x_shape[axis]} along axis "
                f"{axis}, got shape {shape}"
            )
        return _reshape(
            node, p, [x_shape[axis] if i == axis else 1 for i in range(rank)]
        )
    blocks = -(-x_shape[axis] // block)
    expected = (*x_shape[:axis], blocks, *x_shape[axis + 1 :])
    if block < 0 or shape != expected:
        raise node.error(
            f"expects {what} of shape {expected} for block_size {block} along "
            f"axis {axis}, got {shape}"
        )
    repeated = node.emit(graph.UnsqueezeOp(p, (axis + 1,)))
    wide = (*x_shape[:axis], blocks, block, *x_shape[axis + 1 :])
    repeated = node.emit(graph.BroadcastToOp(repeated, wide))
    flat = (*x_shape[:axis], blocks * block, *x_shape[axis + 1 :])
    repeated = node.emit(graph.ReshapeOp(repeated, flat))
    if blocks * block == x_shape[axis]:
        return repeated
    return node.emit(graph.SliceOp(repeated, [0], [x_shape[axis]], [axis]))


def normalize_axis_of(node: Node, axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise node.error(f"axis {axis} is out of range for rank {rank}")
    return normalize_axis(node.proto.op_type, axis, rank)


def _quantized_dtype(node: Node, dtype: np.dtype[Any], what: str) -> np.dtype[Any]:
    if dtype not in QUANTIZED:
        raise node.error(f"{what} of type {dtype} is not supported (int8 to int32)")
    return dtype


# --------------------------------------------------------------------------- #
# QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear
# --------------------------------------------------------------------------- #


@converter("QuantizeLinear")
def _quantize_linear(node: Node) -> list[Output]:
    x, scale = node.input(0), node.input(1)
    x_shape = value_shape(x)
    output_dtype = int(node.attr("output_dtype", 0))
    fmt = narrow.input_format(node, 2)
    if fmt is None and output_dtype:
        fmt = narrow.onnx_narrow(output_dtype)
    if fmt is not None and fmt.name == "float8_e8m0fnu":
        raise node.error("quantizing to FLOAT8E8M0 is not supported (ONNX does not)")
    if fmt is not None:
        node.importer.narrow[node.proto.output[0]] = fmt
        return [_quantize_narrow(node, fmt)]
    if node.has(2):
        dtype = _quantized_dtype(node, node.dtype(2), "a zero point")
        zero_point = _quant_param(node, node.input(2), x_shape, "a zero point")
    else:
        dtype = onnx_dtype(output_dtype) if output_dtype else np.dtype(np.uint8)
        zero_point = compose.scalar(node, 0, _quantized_dtype(node, dtype, "output"))
    x, scale = _quantize_operands(node)
    return [node.emit(graph.QuantizeOp(x, scale, zero_point))]


def _quantize_operands(node: Node) -> tuple[SSAValue, SSAValue]:
    """QuantizeLinear's input and scale (broadcast) in its compute type."""
    x, scale = node.input(0), node.input(1)
    precision = int(node.attr("precision", 0))
    if precision:
        compute = onnx_dtype(precision)
    else:
        compute = np.result_type(value_dtype(x), value_dtype(scale))
    if compute.kind != "f":
        compute = F64
    scale = _quant_param(node, scale, value_shape(x), "a scale")
    return compose.cast(node, x, compute), compose.cast(node, scale, compute)


def _narrow_zero_point(node: Node, index: int, fmt: NarrowFormat) -> SSAValue | None:
    """A narrow integer zero point as i8 (u8 if unsigned) values, broadcast."""
    if not node.has(index):
        return None
    zp = narrow.decode(node, node.input(index), fmt, I8 if fmt.signed else U8)
    return _quant_param(node, zp, node.shape(0), "a zero point")


def _quantize_narrow(node: Node, fmt: NarrowFormat) -> SSAValue:
    """
    QuantizeLinear to a narrow type, as onnx's reference: integers are
    `quantize` clamped to their range; floats are `x / scale` rounded to the
    format (float8: the zero point is ignored, `saturate` applies; float4:
    plus the zero point, saturating).
    """
    x, scale = _quantize_operands(node)
    if not fmt.is_float:
        zero_point = _narrow_zero_point(node, 2, fmt)
        if zero_point is None:
            zero_point = compose.scalar(node, 0, I8 if fmt.signed else U8)
        q = node.emit(graph.QuantizeOp(x, scale, zero_point))
        low, high = (-(1 << (fmt.bits - 1)), (1 << (fmt.bits - 1)) - 1)
        if not fmt.signed:
            low, high = 0, (1 << fmt.bits) - 1
        dtype = value_dtype(q)
        q = node.emit(graph.MaxOp(q, compose.scalar(node, low, dtype)))
        q = node.emit(graph.MinOp(q, compose.scalar(node, high, dtype)))
        return narrow.encode_int(node, q, fmt)
    y = node.emit(graph.DivOp(x, scale))
    if fmt.always_saturates and node.has(2):
        zp = narrow.convert(node, node.input(2), fmt, value_dtype(y))
        y = node.emit(
            graph.AddOp(y, _quant_param(node, zp, node.shape(0), "a zero point"))
        )
    saturate = bool(int(node.attr("saturate", 1)))
    return narrow.encode_float(node, y, fmt, saturate, "up")


def centered(node: Node, x: SSAValue, zero_point: SSAValue | None) -> SSAValue:
    """`x - zero_point`, exact: in i32, or i64 for 32-bit integers."""
    wide = np.dtype(np.int64) if value_dtype(x).itemsize >= 4 else I32
    out = compose.cast(node, x, wide)
    if zero_point is None:
        return out
    return node.emit(graph.SubOp(out, compose.cast(node, zero_point, wide)))


@converter("DequantizeLinear")
def _dequantize_linear(node: Node) -> list[Output]:
    x, scale = node.input(0), node.input(1)
    x_shape = value_shape(x)
    fmt = narrow.input_format(node, 0)
    zero_point = None
    if fmt is not None and fmt.is_float:  # onnx ignores a float zero point
        x = narrow.decode(node, x, fmt, F32)
    elif fmt is not None:
        x = narrow.decode(node, x, fmt, I8 if fmt.signed else U8)
        zero_point = _narrow_zero_point(node, 2, fmt)
    else:
        _quantized_dtype(node, value_dtype(x), "an input")
        if node.has(2):
            zero_point = _quant_param(node, node.input(2), x_shape, "a zero point")
    scale = _quant_param(node, scale, x_shape, "a scale")
    scale_dtype = value_dtype(scale)
    compute = F64 if scale_dtype == F64 else F32
    if fmt is not None and fmt.is_float:
        diff = compose.cast(node, x, compute)
    else:
        diff = compose.cast(node, centered(node, x, zero_point), compute)
    out = node.emit(graph.MulOp(diff, compose.cast(node, scale, compute)))
    output_dtype = int(node.attr("output_dtype", 0))
    return [
        compose.cast(
            node, out, onnx_dtype(output_dtype) if output_dtype else scale_dtype
        )
    ]


@converter("DynamicQuantizeLinear")
def _dynamic_quantize_linear(node: Node) -> list[Output]:
    x = node.input(0)
    dtype = value_dtype(x)
    axes = list(range(len(value_shape(x))))
    zero = compose.scalar(node, 0, dtype)
    high = node.emit(graph.MaxOp(compose.reduce_max(node, x, axes, False), zero))
    low = node.emit(graph.MinOp(compose.reduce_min(node, x, axes, False), zero))
    spread = node.emit(graph.SubOp(high, low))
    nonzero = compose.cast(node, spread, compose.BOOL)
    spread = node.emit(graph.WhereOp(nonzero, spread, compose.scalar(node, 1, dtype)))
    scale = node.emit(graph.DivOp(spread, compose.scalar(node, 255, dtype)))
    u8 = np.dtype(np.uint8)
    zp = node.emit(
        graph.QuantizeOp(
            node.emit(graph.NegOp(low)), scale, compose.scalar(node, 0, u8)
        )
    )
    y = node.emit(graph.QuantizeOp(x, scale, zp))
    return [y, scale, zp]


# --------------------------------------------------------------------------- #
# Integer matmul and conv, and their QLinear forms
# --------------------------------------------------------------------------- #


def _one_or(node: Node, index: int, shape: Sequence[int] | None) -> SSAValue | None:
    """An optional per-tensor zero point as rank 0, or a vector reshaped to `shape`."""
    if not node.has(index):
        return None
    zp = node.input(index)
    if prod(value_shape(zp)) == 1 and len(value_shape(zp)) <= 1:
        return _reshape(node, zp, ())
    return zp if shape is None else _reshape(node, zp, shape)


def _rows(a: SSAValue) -> tuple[int, ...] | None:
    """The per-row shape `[M, 1]` of a 2-D-or-more lhs (None for 1-D)."""
    shape = value_shape(a)
    return (shape[-2], 1) if len(shape) > 1 else None


@converter("MatMulInteger")
def _matmul_integer(node: Node) -> list[Output]:
    a, b = node.input(0), node.input(1)
    az = _per_row(node, 2, a)
    bz = _one_or(node, 3, None)
    return [node.emit(graph.MatmulIntegerOp(a, b, az, bz))]


def _per_row(node: Node, index: int, a: SSAValue) -> SSAValue | None:
    """A zero point (or scale) of the lhs: a 1-D one of M elements is per row."""
    if not node.has(index):
        return None
    p = node.input(index)
    rows = _rows(a)
    if rows is not None and len(value_shape(p)) == 1 and prod(value_shape(p)) > 1:
        return _reshape(node, p, rows)
    return _one_or(node, index, None)


def _conv_integer(
    node: Node,
    x: SSAValue,
    w: SSAValue,
    xz: SSAValue | None,
    wz: SSAValue | None,
) -> tuple[SSAValue, int]:
    """The i32 convolution of an ONNX conv node's operands; and its spatial rank."""
    spatial = len(value_shape(x)) - 2
    if spatial not in (1, 2):
        raise node.error(f"{spatial}-D {node.proto.op_type} is not supported")
    kernel = [int(k) for k in node.attr("kernel_shape") or value_shape(w)[2:]]
    strides = [int(v) for v in node.attr("strides", [1] * spatial)]
    dilations = [int(v) for v in node.attr("dilations", [1] * spatial)]
    auto_pad = str(node.attr("auto_pad", "NOTSET"))
    if auto_pad in ("NOTSET", ""):
        pads = [int(p) for p in node.attr("pads", [0] * (2 * spatial))]
    elif auto_pad == "VALID":
        pads = [0] * (2 * spatial)
    else:
        sizes = value_shape(x)[2:]
        pads = same_pads(sizes, kernel, strides, dilations, auto_pad == "SAME_UPPER")
    if spatial == 1:
        x = node.emit(graph.UnsqueezeOp(x, (2,)))
        w = node.emit(graph.UnsqueezeOp(w, (2,)))
        strides, dilations = [1, *strides], [1, *dilations]
        pads = [0, pads[0], 0, pads[1]]
    out = node.emit(
        graph.ConvIntegerOp(
            x,
            w,
            xz,
            wz,
            strides=strides,
            pads=pads,
            dilations=dilations,
            groups=int(node.attr("group", 1)),
        )
    )
    return out, spatial


def _from_2d(node: Node, out: SSAValue, spatial: int) -> SSAValue:
    return out if spatial == 2 else node.emit(graph.SqueezeOp(out, (2,)))


@converter("ConvInteger")
def _conv_integer_node(node: Node) -> list[Output]:
    x, w = node.input(0), node.input(1)
    out, spatial = _conv_integer(
        node, x, w, _one_or(node, 2, None), _one_or(node, 3, None)
    )
    return [_from_2d(node, out, spatial)]


def _requantize(
    node: Node,
    acc: SSAValue,
    scales: tuple[SSAValue, SSAValue, SSAValue],
    zero_point: SSAValue | None,
    out_dtype: np.dtype[Any],
) -> SSAValue:
    """`quantize(acc * (s_a * s_b / s_y), 1, zp_y)`, the product in f64."""
    s_a, s_b, s_y = scales
    dtype = np.result_type(*(value_dtype(s) for s in scales))
    s_a, s_b, s_y = (compose.cast(node, s, dtype) for s in scales)
    multiplier = node.emit(graph.DivOp(node.emit(graph.MulOp(s_a, s_b)), s_y))
    product = node.emit(
        graph.MulOp(compose.cast(node, acc, F64), compose.cast(node, multiplier, F64))
    )
    if zero_point is None:
        zero_point = compose.scalar(node, 0, out_dtype)
    one = compose.scalar(node, 1, F64)
    return node.emit(graph.QuantizeOp(product, one, zero_point))


@converter("QLinearMatMul")
def _qlinear_matmul(node: Node) -> list[Output]:
    a, b = node.input(0), node.input(3)
    acc = node.emit(
        graph.MatmulIntegerOp(a, b, _per_row(node, 2, a), _one_or(node, 5, None))
    )
    scales = (_scale(node, 1, a), _scale(node, 4, None), _scale(node, 6, a))
    zp = _per_row(node, 7, a)
    out_dtype = value_dtype(zp) if zp is not None else value_dtype(a)
    return [_requantize(node, acc, scales, zp, out_dtype)]


def _scale(node: Node, index: int, per_row_of: SSAValue | None) -> SSAValue:
    if per_row_of is not None:
        scale = _per_row(node, index, per_row_of)
    else:
        scale = _one_or(node, index, None)
    assert scale is not None
    return scale


@converter("QLinearConv")
def _qlinear_conv(node: Node) -> list[Output]:
    x, w = node.input(0), node.input(3)
    acc, spatial = _conv_integer(
        node, x, w, _one_or(node, 2, None), _one_or(node, 5, None)
    )
    channels = value_shape(acc)[1]
    if node.has(8):
        bias = _reshape(node, node.input(8), (1, channels, 1, 1))
        acc = node.emit(graph.AddOp(acc, compose.cast(node, bias, I32)))
    w_scale = _one_or(node, 4, (1, channels, 1, 1))
    assert w_scale is not None
    scales = (_scale(node, 1, None), w_scale, _scale(node, 6, None))
    zp = _one_or(node, 7, None)
    out_dtype = value_dtype(zp) if zp is not None else value_dtype(x)
    return [_from_2d(node, _requantize(node, acc, scales, zp, out_dtype), spatial)]
