"""
The `resize` graph op (ONNX Resize and Upsample, PyTorch's `interpolate`), and
the helpers it shares with `grid_sample` (dialects/graph/grid_sample.py).

It follows ONNX's semantics, whose reference implementation (and PyTorch's
kernels, for the modes they share) it reproduces. Its static parameters are
properties, printed inside the attr-dict.

`resize` is separable: along each axis it changes, every output index reads a
few input indices with fixed weights, which depend only on the shapes and the
properties. `resize_tables` computes those (index, weight, bias) tables once,
in f64; the numpy reference applies them axis by axis and the lowering emits
them as constants, so a resize runs as one gather-and-weighted-sum per axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from xdsl.dialects.builtin import (
    BoolAttr,
    DenseArrayBase,
    Float64Type,
    FloatAttr,
    StringAttr,
    TensorType,
    f64,
    i64,
)
from xdsl.ir import Attribute
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import (
    DYNAMIC,
    Array,
    Elem,
    Fusion,
    FusionKind,
    GraphOp,
    Properties,
    Tensor,
    Value,
    bool_attr,
    expect_tensor,
    fail,
    float_attr,
    get_bool,
    get_float,
    get_ints,
    get_str,
    ints_attr,
    required,
)

RESIZE_MODES = ("nearest", "linear", "cubic")
COORDINATE_MODES = (
    "half_pixel",
    "half_pixel_symmetric",
    "pytorch_half_pixel",
    "align_corners",
    "asymmetric",
    "tf_crop_and_resize",
)
NEAREST_MODES = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")


def floats_attr(values: Sequence[float]) -> DenseArrayBase[Float64Type]:
    return DenseArrayBase.from_list(f64, [float(v) for v in values])


def get_floats(props: Properties, name: str) -> tuple[float, ...] | None:
    attr = props.get(name)
    if attr is None:
        return None
    assert isa(attr, DenseArrayBase[Float64Type])
    return tuple(float(v) for v in attr.iter_values())


def choose(op_name: str, props: Properties, name: str, options: Sequence[str]) -> str:
    value = get_str(props, name, options[0])
    if value not in options:
        raise fail(op_name, f"{name} '{value}' is not one of {', '.join(options)}")
    return value


# --------------------------------------------------------------------------- #
# Resize: the per-axis tables
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class ResizeParams:
    """The properties of a `resize`, checked and with their defaults."""

    mode: str
    coordinate_mode: str
    nearest_mode: str
    cubic_coeff_a: float
    exclude_outside: bool
    antialias: bool
    extrapolation_value: float
    scales: tuple[float, ...]
    sizes: tuple[int, ...]
    roi: tuple[float, ...] | None

    @staticmethod
    def read(op_name: str, props: Properties, rank: int) -> ResizeParams:
        scales, sizes = get_floats(props, "scales"), get_ints(props, "sizes")
        if scales is None or sizes is None:
            raise fail(op_name, "requires the properties scales and sizes")
        if len(scales) != rank or len(sizes) != rank:
            raise fail(
                op_name,
                f"expects {rank} scales and sizes for rank {rank}, got "
                f"{len(scales)} and {len(sizes)}",
            )
        if any(not s > 0 for s in scales) or any(s < 1 for s in sizes):
            raise fail(
                op_name,
                f"expects positive scales and sizes, got {list(scales)} and "
                f"{list(sizes)}",
            )
        params = ResizeParams(
            mode=choose(op_name, props, "mode", RESIZE_MODES),
            coordinate_mode=choose(op_name, props, "coordinate_mode", COORDINATE_MODES),
            nearest_mode=choose(op_name, props, "nearest_mode", NEAREST_MODES),
            cubic_coeff_a=get_float(props, "cubic_coeff_a", -0.75),
            exclude_outside=get_bool(props, "exclude_outside", False),
            antialias=get_bool(props, "antialias", False),
            extrapolation_value=get_float(props, "extrapolation_value", 0.0),
            scales=scales,
            sizes=sizes,
            roi=get_floats(props, "roi"),
        )
        if params.antialias and params.mode == "nearest":
            raise fail(op_name, "antialias needs mode linear or cubic")
        if params.roi is not None and len(params.roi) != 2 * rank:
            raise fail(op_name, f"expects {2 * rank} roi values, got {len(params.roi)}")
        if params.coordinate_mode == "tf_crop_and_resize" and params.roi is None:
            raise fail(op_name, "tf_crop_and_resize needs the property roi")
        return params


@dataclass(frozen=True)
class AxisTable:
    """
    One axis of a resize: output index `o` along `axis` is
    `sum_k weights[o, k] * x[indices[o, k]] + bias[o]`.
    """

    axis: int
    indices: Array  # (O, K) int64, in range
    weights: Array  # (O, K) f64
    bias: Array  # (O,) f64: the extrapolation value where the point is outside

    @property
    def is_gather(self) -> bool:
        """One tap of weight 1 and no bias: the axis only picks elements."""
        return (
            self.weights.shape[1] == 1
            and bool(np.all(self.weights == 1))
            and not np.any(self.bias)
        )


def _source_coordinates(
    p: ResizeParams, axis: int, in_w: int, out_w: int
) -> tuple[Array, Array | None]:
    """Each output index's coordinate in the input (ONNX's `_compute_x_ori`)."""
    scale = p.scales[axis]
    y = np.arange(out_w, dtype=np.float64)
    length = scale * in_w
    mode = p.coordinate_mode
    if mode == "align_corners":
        x = np.zeros(out_w) if length == 1 else y * (in_w - 1) / (length - 1)
    elif mode == "asymmetric":
        x = y / scale
    elif mode == "tf_crop_and_resize":
        assert p.roi is not None
        lo, hi = p.roi[axis], p.roi[axis + len(p.scales)]
        if length == 1:
            x = np.full(out_w, (hi - lo) * (in_w - 1) / 2)
        else:
            x = y * (hi - lo) * (in_w - 1) / (length - 1)
        x = x + lo * (in_w - 1)
        return x, (x < 0) | (x > in_w - 1)
    elif mode == "pytorch_half_pixel":
        x = np.full(out_w, -0.5) if length == 1 else (y + 0.5) / scale - 0.5
    elif mode == "half_pixel":
        x = (y + 0.5) / scale - 0.5
    else:  # half_pixel_symmetric
        offset = in_w / 2 * (1 - out_w / length)
        x = offset + (y + 0.5) / scale - 0.5
    return x, None


def _coefficients(p: ResizeParams, ratio: Array, scale: float) -> Array:
    """(O, n) tap weights for each ratio in (0, 1] (ONNX's coefficient functions)."""
    r = ratio[:, None]
    a = p.cubic_coeff_a
    if p.mode == "nearest":
        nearest = {
            "round_prefer_floor": r > 0.5,
            "round_prefer_ceil": r >= 0.5,
            "floor": np.zeros_like(r, dtype=bool),
            "ceil": np.ones_like(r, dtype=bool),
        }[p.nearest_mode] | (r == 1)
        return np.concatenate([~nearest, nearest], axis=1).astype(np.float64)
    if p.antialias:
        s = min(scale, 1.0)
        if p.mode == "linear":
            start = math.floor(-1 / s) + 1
            taps = np.arange(start, 2 - start, dtype=np.float64)
            c = np.clip(1 - np.abs((taps[None, :] - r) * s), 0, 1)
        else:
            start = math.floor(-2 / s) + 1
            taps = np.arange(start, 2 - start, dtype=np.float64)
            c = cubic_kernel(np.abs(s * (taps[None, :] - r)), a)
        return c / c.sum(axis=1, keepdims=True)
    if p.mode == "linear":
        return np.concatenate([1 - r, r], axis=1)
    return cubic_kernel(np.abs(np.concatenate([r + 1, r, 1 - r, 2 - r], 1)), a)


def cubic_kernel(x: Array, a: float) -> Array:
    """Keys' cubic convolution kernel with parameter `a` at distances `x >= 0`."""
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def _axis_table(p: ResizeParams, axis: int, in_w: int) -> AxisTable | None:
    out_w, scale = p.sizes[axis], p.scales[axis]
    rank = len(p.sizes)
    if (
        math.isclose(scale, 1.0)
        and out_w == in_w
        and (
            p.roi is None
            or (math.isclose(p.roi[axis], 0) and math.isclose(p.roi[axis + rank], 1))
        )
    ):
        return None
    x, outside = _source_coordinates(p, axis, in_w, out_w)
    floor = np.floor(x)
    ratio = np.where(x == floor, 1.0, x - floor)
    coeffs = _coefficients(p, ratio, scale)
    n = coeffs.shape[1]
    # The n input indices nearest x, ties to the smaller (ONNX's neighbours).
    pad = math.ceil(n / 2)
    padded = x + pad
    base = np.floor(padded)
    frac = padded - base
    if n % 2 == 0:  # ties go to the window starting lower
        offset = (frac != 0).astype(np.int64) - n // 2
    else:
        offset = (frac > 0.5).astype(np.int64) - (n - 1) // 2
    start = cast(Array, base.astype(np.int64) + offset)
    offsets: Array = np.arange(n, dtype=np.int64) - pad
    taps: Array = np.add.outer(start, offsets)
    if p.exclude_outside:
        coeffs = np.where((taps < 0) | (taps >= in_w), 0.0, coeffs)
        total = coeffs.sum(axis=1, keepdims=True)
        coeffs = coeffs / np.where(total == 0, 1.0, total)
    taps = np.clip(taps, 0, in_w - 1)
    bias = np.zeros(out_w)
    if outside is not None:
        coeffs = np.where(outside[:, None], 0.0, coeffs)
        bias = np.where(outside, p.extrapolation_value, 0.0)
    return _compact(axis, taps, coeffs, bias)


def _compact(axis: int, taps: Array, coeffs: Array, bias: Array) -> AxisTable:
    """Drop the zero-weight taps (nearest keeps one tap per output)."""
    keep = coeffs != 0
    width = max(1, int(keep.sum(axis=1).max()))
    order = np.argsort(~keep, axis=1, kind="stable")[:, :width]
    weights = np.take_along_axis(np.where(keep, coeffs, 0.0), order, axis=1)
    indices = np.where(weights != 0, np.take_along_axis(taps, order, axis=1), 0)
    return AxisTable(axis, indices.astype(np.int64), weights, bias)


def resize_tables(
    op_name: str, props: Properties, shape: Sequence[int]
) -> list[AxisTable]:
    """The tables of the axes a resize changes, in axis order."""
    p = ResizeParams.read(op_name, props, len(shape))
    tables = [_axis_table(p, axis, d) for axis, d in enumerate(shape)]
    return [t for t in tables if t is not None]


def apply_table(x: Array, table: AxisTable) -> Array:
    """One axis of a resize in numpy (f64)."""
    axis = table.axis
    gathered = np.take(x, table.indices, axis=axis)  # [..., O, K, ...]
    tail = (1,) * (x.ndim - axis - 1)
    weights = table.weights.reshape(table.weights.shape + tail)
    bias = table.bias.reshape(table.bias.shape + tail)
    return (gathered * weights).sum(axis=axis + 1) + bias


@irdl_op_definition
class ResizeOp(GraphOp):
    """
    Resample a float tensor to the shape `sizes` (ONNX Resize): along each
    axis, output index `y` reads the input at a coordinate given by
    `coordinate_mode` and `scales`, interpolated by `mode` (`nearest` with
    `nearest_mode`, `linear`, `cubic` with `cubic_coeff_a` and
    `exclude_outside`; `antialias` widens the kernel when downsampling).
    `tf_crop_and_resize` samples `roi` (every axis's start, then every end)
    and gives `extrapolation_value` outside the input.

    ```mlir
    %y = graph.resize %x {mode = "linear", scales = array<f64: 1.0, 2.0>,
                          sizes = array<i64: 2, 6>}
        : (tensor<2x3xf32>) -> tensor<2x6xf32>
    ```
    """

    name = "graph.resize"
    input = operand_def(TensorType)
    result = result_def(TensorType)
    mode = prop_def(StringAttr)
    scales = prop_def(DenseArrayBase.constr(f64))
    sizes = prop_def(DenseArrayBase.constr(i64))
    coordinate_mode = opt_prop_def(StringAttr)
    nearest_mode = opt_prop_def(StringAttr)
    cubic_coeff_a = opt_prop_def(FloatAttr[Float64Type])
    exclude_outside = opt_prop_def(BoolAttr)
    antialias = opt_prop_def(BoolAttr)
    extrapolation_value = opt_prop_def(FloatAttr[Float64Type])
    roi = opt_prop_def(DenseArrayBase.constr(f64))

    traits = traits_def(Fusion(FusionKind.INJECTIVE))
    assembly_format = "$input attr-dict `:` functional-type(operands, results)"

    def __init__(
        self,
        input: Value,
        mode: str,
        scales: Sequence[float],
        sizes: Sequence[int],
        *,
        coordinate_mode: str | None = None,
        nearest_mode: str | None = None,
        cubic_coeff_a: float | None = None,
        exclude_outside: bool = False,
        antialias: bool = False,
        extrapolation_value: float | None = None,
        roi: Sequence[float] | None = None,
    ) -> None:
        def opt_str(value: str | None) -> StringAttr | None:
            return None if value is None else StringAttr(value)

        def opt_float(value: float | None) -> FloatAttr | None:
            return None if value is None else float_attr(value)

        self.init_inferred(
            [input],
            {
                "mode": StringAttr(mode),
                "scales": floats_attr(scales),
                "sizes": ints_attr(sizes),
                "coordinate_mode": opt_str(coordinate_mode),
                "nearest_mode": opt_str(nearest_mode),
                "cubic_coeff_a": opt_float(cubic_coeff_a),
                "exclude_outside": bool_attr(True) if exclude_outside else None,
                "antialias": bool_attr(True) if antialias else None,
                "extrapolation_value": opt_float(extrapolation_value),
                "roi": None if roi is None else floats_attr(roi),
            },
        )

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0], Elem.FLOAT)
        shape = x.get_shape()
        p = ResizeParams.read(cls.name, properties, len(shape))
        for axis, (d, s) in enumerate(zip(shape, p.sizes, strict=True)):
            if d == DYNAMIC and s != 1 and not math.isclose(p.scales[axis], 1.0):
                raise fail(cls.name, f"cannot resize the dynamic axis {axis}")
        return TensorType(x.element_type, p.sizes)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = required(operands)
        out = x.astype(np.float64)
        for table in resize_tables(cls.name, properties, x.shape):
            out = apply_table(out, table)
        return out


RESAMPLE_OPS: tuple[type[GraphOp], ...] = (ResizeOp,)

__all__ = [
    "COORDINATE_MODES",
    "NEAREST_MODES",
    "RESAMPLE_OPS",
    "RESIZE_MODES",
    "AxisTable",
    "ResizeOp",
    "ResizeParams",
    "resize_tables",
]
