"""
PyTorch builders: the quantize and dequantize ops of PyTorch 2 export
quantization (`quantized_decomposed`, per tensor and per channel).

As PyTorch computes them: quantize is `clamp(round(x * (1 / scale)) +
zero_point, quant_min, quant_max)` in f32 (a multiplication by the
reciprocal, then `graph.quantize` by 1 for the round half to even and the
saturation, and a `clip` when the range is narrower than the type's);
dequantize is `(f32(x) - zero_point) * scale`.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, IntegerType
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype, normalize_axis
from mlc.frontend.common import value_dtype, value_rank, value_shape
from mlc.frontend.torch.importer import (
    Args,
    Builder,
    Importer,
    Meta,
    Result,
    as_tensor,
    numpy_dtype,
)

F32 = np.dtype(np.float32)


def _along(im: Importer, p: SSAValue, axis: int, rank: int) -> SSAValue:
    """A per-channel vector shaped to broadcast along `axis` of a rank-`rank` tensor."""
    shape = [1] * rank
    shape[axis] = value_shape(p)[0]
    return im.add(graph.ReshapeOp(p, shape))


def _saturated(im: Importer, t: SSAValue, zero_point: SSAValue, a: Args) -> SSAValue:
    """`clamp(round(t) + zero_point, quant_min, quant_max)` in the zero point's type."""
    q = im.add(graph.QuantizeOp(t, im.constant(1.0, F32), zero_point))
    dtype = value_dtype(zero_point)
    low, high = int(a["quant_min"]), int(a["quant_max"])
    info = np.iinfo(dtype)
    if (low, high) == (info.min, info.max):
        return q
    element = cast(IntegerType, from_numpy_dtype(dtype))
    return im.add(
        graph.ClipOp(
            q,
            IntegerAttr(max(low, int(info.min)), element),
            IntegerAttr(min(high, int(info.max)), element),
        )
    )


def _quantize_per_tensor(im: Importer, a: Args, out: Meta) -> Result:
    x = as_tensor(im, a["input"], F32)
    # PyTorch multiplies by the f32 rounding of the double reciprocal.
    inverse = im.constant(1.0 / float(a["scale"]), F32)
    t = im.add(graph.MulOp(x, inverse))
    return _saturated(im, t, im.constant(int(a["zero_point"]), out.dtype), a)


def _quantize_per_channel(im: Importer, a: Args, out: Meta) -> Result:
    x = as_tensor(im, a["input"], F32)
    rank = value_rank(x)
    axis = normalize_axis("quantize_per_channel", int(a["axis"]), rank)
    scales = cast(SSAValue, a["scales"])
    dtype = value_dtype(scales)
    inverse = im.add(graph.DivOp(im.constant(1.0, dtype), scales))
    inverse = _along(im, im.cast(inverse, F32), axis, rank)
    t = im.add(graph.MulOp(x, inverse))
    zero_points = as_tensor(im, a["zero_points"], out.dtype)
    return _saturated(im, t, _along(im, zero_points, axis, rank), a)


def _out_dtype(a: Args) -> np.dtype[Any]:
    out_dtype = a.get("out_dtype")
    return F32 if out_dtype is None else numpy_dtype(out_dtype, "out_dtype")


def _dequantize_per_tensor(im: Importer, a: Args, out: Meta) -> Result:
    dtype = _out_dtype(a)
    x = im.cast(cast(SSAValue, a["input"]), dtype)
    shifted = im.add(graph.SubOp(x, im.constant(float(a["zero_point"]), dtype)))
    return im.add(graph.MulOp(shifted, im.constant(float(a["scale"]), dtype)))


def _dequantize_per_channel(im: Importer, a: Args, out: Meta) -> Result:
    dtype = _out_dtype(a)
    x = im.cast(cast(SSAValue, a["input"]), dtype)
    rank = value_rank(x)
    axis = normalize_axis("dequantize_per_channel", int(a["axis"]), rank)
    zero_points = a.get("zero_points")
    if zero_points is not None:
        zp = _along(im, as_tensor(im, zero_points, dtype), axis, rank)
        x = im.add(graph.SubOp(x, zp))
    scales = _along(im, as_tensor(im, a["scales"], dtype), axis, rank)
    return im.add(graph.MulOp(x, scales))


OPS: dict[str, Builder] = {
    "quantized_decomposed.quantize_per_tensor.default": _quantize_per_tensor,
    "quantized_decomposed.dequantize_per_tensor.default": _dequantize_per_tensor,
    "quantized_decomposed.quantize_per_channel.default": _quantize_per_channel,
    "quantized_decomposed.dequantize_per_channel.default": _dequantize_per_channel,
}
