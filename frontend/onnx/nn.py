"""ONNX converters: contractions, convolution and pooling, normalization, softmax."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import (
    Array,
    GraphOp,
    float_max,
    from_numpy_dtype,
)
from mlc.frontend.common import pooled_size, same_pads, value_dtype, value_shape
from mlc.frontend.onnx.importer import (
    Node,
    Output,
    as_float,
    back,
    converter,
    scalar_attr,
)


@converter("MatMul")
def _matmul(node: Node) -> list[Output]:
    return [node.emit(graph.MatmulOp(node.input(0), node.input(1)))]


@converter("Gemm")
def _gemm(node: Node) -> list[Output]:
    a, b = node.input(0), node.input(1)
    alpha = float(node.attr("alpha", 1.0))
    beta = float(node.attr("beta", 1.0))
    dtype = value_dtype(a)
    if node.attr("transA", 0):
        a = node.emit(graph.TransposeOp(a, (1, 0)))
    c = node.input(2) if node.has(2) and beta != 0.0 else None
    n = value_shape(b)[0 if node.attr("transB", 0) else 1]
    if node.attr("transB", 0):
        vector_bias = (
            c is not None and beta == 1.0 and alpha == 1.0 and value_shape(c) == (n,)
        )
        out = node.emit(graph.LinearOp(a, b, c if vector_bias else None))
        if vector_bias:
            return [out]
    else:
        out = node.emit(graph.MatmulOp(a, b))
    if alpha != 1.0:
        out = node.emit(graph.MulOp(out, node.scalar(alpha, dtype)))
    if c is not None:
        if beta != 1.0:
            c = node.emit(graph.MulOp(c, node.scalar(beta, dtype)))
        out = node.emit(graph.AddOp(out, c))
    return [out]


def _spatial(node: Node, rank: int) -> int:
    """The number of spatial dims of a window op, which must be 1 or 2."""
    spatial = rank - 2
    if spatial not in (1, 2):
        raise node.error(f"{spatial}-D {node.proto.op_type} is not supported")
    return spatial


def _auto_pads(
    node: Node,
    sizes: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
) -> list[int]:
    """ONNX `pads` (begins then ends), from `auto_pad` or the `pads` attribute."""
    spatial = len(sizes)
    auto_pad = str(node.attr("auto_pad", "NOTSET"))
    if auto_pad in ("NOTSET", ""):
        return [int(p) for p in node.attr("pads", [0] * (2 * spatial))]
    if auto_pad == "VALID":
        return [0] * (2 * spatial)
    upper = auto_pad == "SAME_UPPER"
    return same_pads(sizes, kernel, strides, dilations, upper)


@dataclass
class _Window:
    kernel: list[int]
    strides: list[int]
    dilations: list[int]
    pads: list[int]


def _window(node: Node, x_shape: Sequence[int], kernel: Sequence[int]) -> _Window:
    spatial = len(x_shape) - 2
    strides = [int(v) for v in node.attr("strides", [1] * spatial)]
    dilations = [int(v) for v in node.attr("dilations", [1] * spatial)]
    pads = _auto_pads(node, x_shape[2:], kernel, strides, dilations)
    return _Window(list(kernel), strides, dilations, pads)


def _to_2d(node: Node, x: SSAValue, window: _Window) -> tuple[SSAValue, _Window]:
    """A 1-D window op as a 2-D one over (1, W)."""
    if len(value_shape(x)) == 4:
        return x, window
    x = node.emit(graph.UnsqueezeOp(x, (2,)))
    return x, _Window(
        [1, *window.kernel],
        [1, *window.strides],
        [1, *window.dilations],
        [0, window.pads[0], 0, window.pads[1]],
    )


def _from_2d(node: Node, out: SSAValue, spatial: int) -> SSAValue:
    return out if spatial == 2 else node.emit(graph.SqueezeOp(out, (2,)))


@converter("Conv")
def _conv(node: Node) -> list[Output]:
    x, w = node.input(0), node.input(1)
    spatial = _spatial(node, len(value_shape(x)))
    kernel = node.attr("kernel_shape") or value_shape(w)[2:]
    window = _window(node, value_shape(x), kernel)
    if spatial == 1:
        w = node.emit(graph.UnsqueezeOp(w, (2,)))
    x, window = _to_2d(node, x, window)
    bias = node.input(2) if node.has(2) else None
    out = node.emit(
        graph.Conv2DOp(
            x,
            w,
            bias,
            strides=window.strides,
            pads=window.pads,
            dilations=window.dilations,
            groups=int(node.attr("group", 1)),
        )
    )
    return [_from_2d(node, out, spatial)]


def pool_axis(
    node: Node,
    x: SSAValue,
    axis: int,
    params: tuple[int, int, int, tuple[int, int]],
    ceil: bool,
    kind: str,
) -> SSAValue:
    """Max- or sum-pool `x` along one axis, as a 2-D op over (1, C, L, W)."""
    k, s, d, pads = params
    shape = value_shape(x)
    size = shape[axis]
    out = pooled_size(size, k, s, d, pads, ceil)
    if (k, s, d, pads) == (1, 1, 1, (0, 0)):
        return x
    c, w = prod(shape[:axis]), prod(shape[axis + 1 :])
    x4 = node.emit(graph.ReshapeOp(x, (1, c, size, w)))
    if kind == "max":
        pooled = node.emit(
            graph.MaxPool2DOp(
                x4,
                (k, 1),
                strides=(s, 1),
                pads=(pads[0], 0, pads[1], 0),
                dilations=(d, 1),
                ceil_mode=ceil or None,
            )
        )
    else:
        # A sum over the window: a depthwise convolution with a ones kernel,
        # the end padded far enough for ceil_mode's last window.
        end = max(pads[1], (out - 1) * s + d * (k - 1) + 1 - size - pads[0])
        ones = node.value(np.ones((c, 1, k, 1), value_dtype(x)))
        pooled = node.emit(
            graph.Conv2DOp(
                x4,
                ones,
                None,
                strides=(s, 1),
                pads=(pads[0], 0, end, 0),
                dilations=(d, 1),
                groups=c,
            )
        )
    return node.emit(graph.ReshapeOp(pooled, (*shape[:axis], out, *shape[axis + 1 :])))


def _pool_divisor(
    sizes: Sequence[int],
    windows: Sequence[tuple[int, int, int, tuple[int, int]]],
    ceil: bool,
    include_pad: bool,
) -> Array:
    """The element count of every average-pool window, over the spatial dims."""
    counts: list[Array] = []
    for size, (k, s, d, pads) in zip(sizes, windows, strict=True):
        out = pooled_size(size, k, s, d, pads, ceil)
        lo, hi = (-pads[0], size + pads[1]) if include_pad else (0, size)
        starts = np.arange(out)[:, None] * s - pads[0] + np.arange(k)[None, :] * d
        counts.append(((starts >= lo) & (starts < hi)).sum(axis=1))
    divisor = counts[0].astype(np.float64)
    for count in counts[1:]:
        divisor = np.multiply.outer(divisor, count)
    return divisor


def _max_pool_indices(
    node: Node, x: SSAValue, window: _Window, pooled: SSAValue
) -> SSAValue:
    """
    MaxPool's Indices output (flat indices into the input, row- or column-major
    by `storage_order`, of each window's first maximum): going through the
    window's taps from the last to the first, take a tap's index where its
    value equals the window's maximum.
    """
    column_major = bool(node.attr("storage_order", 0))
    n, c, h, w = value_shape(x)
    oh, ow = value_shape(pooled)[2:]
    (kh, kw), (sh, sw), (dh, dw) = window.kernel, window.strides, window.dilations
    top, left = window.pads[0], window.pads[1]
    bottom = max(window.pads[2], (oh - 1) * sh + dh * (kh - 1) + 1 - h - top)
    right = max(window.pads[3], (ow - 1) * sw + dw * (kw - 1) + 1 - w - left)
    lowest = -float_max(value_dtype(x))  # never a window's maximum
    padded = node.emit(
        graph.PadOp(
            x, [0, 0, top, left, 0, 0, bottom, right], scalar_attr(float(lowest), x)
        )
    )
    base = (np.arange(n * c, dtype=np.int64) * h * w).reshape(n, c, 1, 1)
    result: SSAValue | None = None
    for i, j in reversed([(i, j) for i in range(kh) for j in range(kw)]):
        rows = np.arange(oh, dtype=np.int64) * sh - top + i * dh
        cols = np.arange(ow, dtype=np.int64) * sw - left + j * dw
        if column_major:
            flat = rows[:, None] + cols[None, :] * h
        else:
            flat = rows[:, None] * w + cols[None, :]
        index = node.value(base + flat)
        if result is None:
            result = index
            continue
        tap = node.emit(
            graph.SliceOp(
                padded,
                [i * dh, j * dw],
                [i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1],
                [2, 3],
                [sh, sw],
            )
        )
        gap = node.emit(graph.SubOp(pooled, tap))
        differs = node.emit(graph.CastOp(gap, from_numpy_dtype(np.bool_)))
        result = node.emit(graph.WhereOp(differs, result, index))
    assert result is not None
    return result


@converter("MaxPool", "AveragePool")
def _pool(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    if rank - 2 not in (1, 2, 3):
        raise node.error(f"{rank - 2}-D {node.proto.op_type} is not supported")
    window = _window(node, value_shape(x), [int(k) for k in node.attr("kernel_shape")])
    ceil = bool(node.attr("ceil_mode", 0))
    include_pad = bool(node.attr("count_include_pad", 0))
    is_max = node.proto.op_type == "MaxPool"
    x, dtype = as_float(node, x)
    if rank <= 4 and (is_max or all(d == 1 for d in window.dilations)):
        x2, w2 = _to_2d(node, x, window)
        if is_max:
            op: GraphOp = graph.MaxPool2DOp(
                x2,
                w2.kernel,
                strides=w2.strides,
                pads=w2.pads,
                dilations=w2.dilations,
                ceil_mode=ceil or None,
            )
        else:
            op = graph.AvgPool2DOp(
                x2,
                w2.kernel,
                strides=w2.strides,
                pads=w2.pads,
                ceil_mode=ceil or None,
                count_include_pad=include_pad or None,
            )
        pooled = node.emit(op)
        out = back(node, _from_2d(node, pooled, rank - 2), dtype)
        if not node.wants(1):
            return [out]
        return [out, _from_2d(node, _max_pool_indices(node, x2, w2, pooled), rank - 2)]
    if node.wants(1):
        raise node.error("the Indices output of 3-D MaxPool is not supported")
    # Separable: pool one spatial axis at a time (max of maxes, sum of sums).
    spatial = rank - 2
    windows = [
        (
            window.kernel[i],
            window.strides[i],
            window.dilations[i],
            (window.pads[i], window.pads[i + spatial]),
        )
        for i in range(spatial)
    ]
    out = x
    for i, params in enumerate(windows):
        out = pool_axis(node, out, 2 + i, params, ceil, "max" if is_max else "sum")
    if not is_max:
        divisor = _pool_divisor(value_shape(x)[2:], windows, ceil, include_pad)
        divisor = divisor.reshape((1, 1, *divisor.shape)).astype(value_dtype(out))
        out = node.emit(graph.DivOp(out, node.value(divisor)))
    return [back(node, out, dtype)]


@converter("GlobalAveragePool")
def _global_average_pool(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    if rank == 4:
        return [node.emit(graph.GlobalAvgPool2DOp(x))]
    return [node.emit(graph.ReduceMeanOp(x, list(range(2, rank)), True))]
