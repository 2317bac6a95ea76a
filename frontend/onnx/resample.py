"""
ONNX converters: spatial resampling. Resize and Upsample become
`graph.resize` (their scales, sizes and roi known at import), GridSample
`graph.grid_sample`; AffineGrid, Col2Im and CenterCropPad are composed
(`mlc.frontend.resample`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose, resample
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import (
    Node,
    Output,
    as_float,
    back,
    converter,
    scalar_attr,
)

_GRID_MODES = {"bilinear": "linear", "bicubic": "cubic"}


def _floats(array: np.ndarray[Any, Any] | None) -> list[float] | None:
    """An optional float input; an empty one is absent."""
    if array is None or array.size == 0:
        return None
    return [float(v) for v in array.reshape(-1)]


def _by_axis(values: list[float], axes: list[int], fill: list[float]) -> list[float]:
    out = list(fill)
    for i, axis in enumerate(axes):
        out[axis] = values[i]
    return out


def _output_size(
    node: Node, shape: tuple[int, ...], axes: list[int]
) -> tuple[list[float], list[int]]:
    """The per-axis scales and output sizes (ONNX's `_interpolate_nd`)."""
    rank = len(shape)
    scales = _floats(node.constant(2)) if node.has(2) else None
    sizes = node.ints_input(3, "sizes") if node.has(3) else None
    if sizes is not None and len(sizes) == 0:
        sizes = None
    if (scales is None) == (sizes is None):
        raise node.error("expects exactly one of scales and sizes")
    if sizes is None:
        assert scales is not None
        if len(scales) != len(axes):
            raise node.error(f"expects {len(axes)} scales, got {len(scales)}")
        full = _by_axis(scales, axes, [1.0] * rank)
        return full, [int(s * d) for s, d in zip(full, shape, strict=True)]
    if len(sizes) != len(axes):
        raise node.error(f"expects {len(axes)} sizes, got {len(sizes)}")
    out = [float(v) for v in _by_axis([float(s) for s in sizes], axes, list(shape))]
    full = [o / d for o, d in zip(out, shape, strict=True)]
    policy = str(node.attr("keep_aspect_ratio_policy", "stretch"))
    if policy == "stretch":
        return full, [int(o) for o in out]
    if policy not in ("not_larger", "not_smaller"):
        raise node.error(f"keep_aspect_ratio_policy '{policy}' is not supported")
    pick = min if policy == "not_larger" else max
    scale = pick(full[a] for a in axes)
    full = [scale if i in axes else 1.0 for i in range(rank)]
    return full, [int(scale * d + 0.5) if i in axes else d for i, d in enumerate(shape)]


@converter("Resize")
def _resize(node: Node) -> list[Output]:
    x, dtype = as_float(node, node.input(0))
    shape = value_shape(x)
    rank = len(shape)
    axes = [int(a) % rank for a in node.attr("axes", range(rank))]
    scales, sizes = _output_size(node, shape, axes)
    mode = str(node.attr("mode", "nearest"))
    coordinate_mode = str(node.attr("coordinate_transformation_mode", "half_pixel"))
    roi = None
    if coordinate_mode == "tf_crop_and_resize":
        given = _floats(node.required_constant(1, "roi"))
        n = len(axes)
        if given is None or len(given) != 2 * n:
            raise node.error(f"tf_crop_and_resize needs {2 * n} roi values")
        roi = _by_axis(given[:n], axes, [0.0] * rank)
        roi += _by_axis(given[n:], axes, [1.0] * rank)
    if any(s < 1 for s in sizes):
        raise node.error(f"the output shape {tuple(sizes)} has an empty axis")
    op = graph.ResizeOp(
        x,
        mode,
        scales,
        sizes,
        coordinate_mode=coordinate_mode,
        nearest_mode=str(node.attr("nearest_mode", "round_prefer_floor")),
        cubic_coeff_a=float(node.attr("cubic_coeff_a", -0.75)),
        exclude_outside=bool(node.attr("exclude_outside", 0)),
        antialias=bool(node.attr("antialias", 0)) and mode != "nearest",
        extrapolation_value=float(node.attr("extrapolation_value", 0.0)),
        roi=roi,
    )
    out = node.emit(op)
    if dtype.kind in "iu" and mode != "nearest":
        out = _round_saturated(node, out, dtype)
    return [back(node, out, dtype)]


def _round_saturated(node: Node, y: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    """
    f64 `y` clamped to `dtype`'s range and rounded to the nearest integer
    (ties up; onnx's reference rounds them to even), as f64.
    """
    info = np.iinfo(dtype)
    low, high = float(info.min), float(info.max)
    y = node.emit(graph.ClipOp(y, scalar_attr(low, y), scalar_attr(high, y)))
    # floor(y + 0.5) as a truncation of a non-negative value
    shifted = node.emit(graph.AddOp(y, node.scalar(0.5 - low, np.dtype(np.float64))))
    whole = compose.cast(node, shifted, np.dtype(np.int64))
    whole = compose.cast(node, whole, np.dtype(np.float64))
    return node.emit(graph.AddOp(whole, node.scalar(low, np.dtype(np.float64))))


@converter("Upsample")
def _upsample(node: Node) -> list[Output]:
    x, dtype = as_float(node, node.input(0))
    shape = value_shape(x)
    found = node.attr("scales")
    scales = (
        [float(s) for s in found]
        if found is not None
        else _floats(node.required_constant(1, "scales"))
    )
    if scales is None or len(scales) != len(shape):
        raise node.error(f"expects {len(shape)} scales")
    mode = str(node.attr("mode", "nearest"))
    mode = "linear" if mode in ("linear", "bilinear") else mode
    sizes = [math.floor(s * d) for s, d in zip(scales, shape, strict=True)]
    op = graph.ResizeOp(
        x,
        mode,
        scales,
        sizes,
        coordinate_mode="asymmetric",
        nearest_mode="floor",
    )
    return [back(node, node.emit(op), dtype)]


@converter("GridSample")
def _grid_sample(node: Node) -> list[Output]:
    x, grid = node.input(0), node.input(1)
    if value_dtype(x).kind != "f":
        raise node.error(f"expects a float input, got {value_dtype(x)}")
    grid = compose.cast(node, grid, value_dtype(x))
    mode = str(node.attr("mode", "bilinear" if node.opset < 20 else "linear"))
    op = graph.GridSampleOp(
        x,
        grid,
        _GRID_MODES.get(mode, mode),
        str(node.attr("padding_mode", "zeros")),
        bool(node.attr("align_corners", 0)),
    )
    return [node.emit(op)]


@converter("AffineGrid")
def _affine_grid(node: Node) -> list[Output]:
    theta = node.input(0)
    size = node.ints_input(1, "size") or []
    n, k, _ = value_shape(theta)
    if len(size) != k + 2 or size[0] != n:
        raise node.error(f"size {size} does not match theta {value_shape(theta)}")
    align = bool(node.attr("align_corners", 0))
    return [resample.affine_grid(node, theta, size[2:], align)]


@converter("Col2Im")
def _col2im(node: Node) -> list[Output]:
    x = node.input(0)
    image = node.ints_input(1, "image_shape") or []
    block = node.ints_input(2, "block_shape") or []
    rank = len(image)
    dilations = [int(v) for v in node.attr("dilations", [1] * rank)]
    pads = [int(v) for v in node.attr("pads", [0] * (2 * rank))]
    strides = [int(v) for v in node.attr("strides", [1] * rank)]
    try:
        out = resample.col2im(node, x, image, block, dilations, pads, strides)
    except ValueError as error:
        raise node.error(str(error)) from None
    return [out]


@converter("CenterCropPad")
def _center_crop_pad(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    target = node.ints_input(1, "shape") or []
    axes = [int(a) % rank for a in node.attr("axes", range(rank))]
    if len(axes) != len(target):
        raise node.error(f"expects {len(axes)} sizes, got {len(target)}")
    return [resample.center_crop_pad(node, x, dict(zip(axes, target, strict=True)))]
