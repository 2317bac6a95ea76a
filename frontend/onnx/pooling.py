"""
ONNX converters: LpPool and MaxUnpool.

LpPool is `(sum over the window of |x|^p)^(1/p)`: the window sums are the
separable sum pools of the average pool (`nn.pool_axis`), zero padding adds
nothing. MaxUnpool scatters each pooled value to its flat index inside its
`(n, c)` plane of a zero output (`graph.scatter` along the plane, whose work
is the plane's size times the pooled plane's size). The indices address the
planes of the size the window attributes imply; an `output_shape` of
another size gets those planes at its origin, as onnx's reference does.
"""

from __future__ import annotations

from math import prod

import numpy as np

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, as_float, back, converter
from mlc.frontend.onnx.nn import (
    _window,  # pyright: ignore[reportPrivateUsage]
    pool_axis,
)


@converter("LpPool")
def _lp_pool(node: Node) -> list[Output]:
    x, dtype = as_float(node, node.input(0))
    shape = value_shape(x)
    spatial = len(shape) - 2
    if spatial < 1:
        raise node.error(f"expects a batch, a channel and spatial dims, got {shape}")
    window = _window(node, shape, [int(k) for k in node.attr("kernel_shape")])
    ceil = bool(node.attr("ceil_mode", 0))
    p = float(node.attr("p", 2))
    if p == 2:
        powered = node.emit(graph.MulOp(x, x))
    else:
        magnitude = node.emit(graph.AbsOp(x))
        powered = node.emit(graph.PowOp(magnitude, node.scalar(p, value_dtype(x))))
    out = powered
    for i in range(spatial):
        pads = (window.pads[i], window.pads[i + spatial])
        params = (window.kernel[i], window.strides[i], window.dilations[i], pads)
        out = pool_axis(node, out, 2 + i, params, ceil, "sum")
    if p == 2:
        out = node.emit(graph.SqrtOp(out))
    else:
        out = node.emit(graph.PowOp(out, node.scalar(1 / p, value_dtype(x))))
    return [back(node, out, dtype)]


@converter("MaxUnpool")
def _max_unpool(node: Node) -> list[Output]:
    x, indices = node.input(0), node.input(1)
    shape = value_shape(x)
    n, c, sizes = shape[0], shape[1], shape[2:]
    spatial = len(sizes)
    kernel = [int(k) for k in node.attr("kernel_shape")]
    strides = [int(s) for s in node.attr("strides", [1] * spatial)]
    pads = [int(v) for v in node.attr("pads", [0] * (2 * spatial))]
    out_sizes = [
        (size - 1) * s + k - pads[i] - pads[i + spatial]
        for i, (size, k, s) in enumerate(zip(sizes, kernel, strides, strict=True))
    ]
    planes, plane, pooled = n * c, prod(out_sizes), prod(sizes)
    values = node.emit(graph.ReshapeOp(x, [planes, pooled]))
    flat = compose.cast(
        node, node.emit(graph.ReshapeOp(indices, [planes, pooled])), compose.I64
    )
    offsets = node.const(np.arange(planes, dtype=np.int64).reshape(planes, 1) * plane)
    local = node.emit(graph.SubOp(flat, offsets))
    zero = node.scalar(0, value_dtype(x))
    zeros = node.emit(graph.BroadcastToOp(zero, [planes, plane]))
    out = node.emit(graph.ScatterOp(zeros, local, values, 1))
    out = node.emit(graph.ReshapeOp(out, [n, c, *out_sizes]))
    given = node.ints_input(2, "output_shape")
    if given is None or given[2:] == out_sizes:
        return [out]
    if len(given) != len(shape) or given[:2] != [n, c]:
        raise node.error(f"output_shape {given} does not fit the input {shape}")
    # As onnx's reference: the unpooled planes at the origin of output_shape.
    cut = [min(g, s) for g, s in zip(given[2:], out_sizes, strict=True)]
    if cut != out_sizes:
        out = node.emit(
            graph.SliceOp(out, [0] * spatial, cut, list(range(2, 2 + spatial)))
        )
    grow = [0, 0, *(g - s for g, s in zip(given[2:], cut, strict=True))]
    return [node.emit(graph.PadOp(out, [0] * len(shape) + grow))]
