"""
The `grid_sample` graph op (ONNX GridSample, PyTorch's `grid_sampler`).

It follows ONNX's semantics, whose reference implementation (and PyTorch's
kernel, for the modes they share) it reproduces; its static parameters are
properties, printed inside the attr-dict. Unlike `resize` (dialects/graph/
resample.py) it reads its sample points from a tensor, so it has no
compile-time tables: it computes the points, taps and weights per output
element. The helpers here (`grid_borders`, `grid_taps`, ...) are shared by the
numpy reference and the lowering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
from xdsl.dialects.builtin import BoolAttr, StringAttr, TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
    traits_def,
)

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
    expect_same_element_type,
    expect_tensor,
    fail,
    fmt_shape,
    get_bool,
    get_str,
    required,
)
from mlc.dialects.graph.resample import choose, cubic_kernel

GRID_MODES = ("nearest", "linear", "cubic")
PADDING_MODES = ("zeros", "border", "reflection")


def grid_borders(size: int, align_corners: bool) -> tuple[float, float]:
    """The coordinate range inside the input along an axis of `size`."""
    return (0.0, size - 1.0) if align_corners else (-0.5, size - 0.5)


def unnormalize(g: Array, size: int, align_corners: bool) -> Array:
    """A grid coordinate in [-1, 1] as an input coordinate."""
    if align_corners:
        return (g + 1) / 2 * (size - 1)
    return ((g + 1) * size - 1) / 2


def reflect(v: Array, lo: float, hi: float) -> Array:
    """Reflect `v` by the borders until it lies in [lo, hi] (ONNX's _gs_reflect)."""
    span = hi - lo
    if span <= 0:
        return np.full_like(v, lo)
    below, above = lo - v, v - hi
    nb, na = np.trunc(below / span), np.trunc(above / span)
    rb, ra = below - nb * span, above - na * span
    from_below = np.where(nb % 2 == 0, lo + rb, hi - rb)
    from_above = np.where(na % 2 == 0, hi - ra, lo + ra)
    return np.where(v < lo, from_below, np.where(v > hi, from_above, v))


def grid_taps(mode: str) -> tuple[int, ...]:
    """The tap offsets from floor(coordinate) along one axis."""
    return {"nearest": (0,), "linear": (0, 1), "cubic": (-1, 0, 1, 2)}[mode]


def grid_weights(mode: str, t: Array) -> list[Array]:
    """The weight of each tap for the fraction `t` (Keys' cubic with a = -0.75)."""
    if mode == "nearest":
        return [np.ones_like(t)]
    if mode == "linear":
        return [1 - t, t]
    return list(cubic_kernel(np.abs(np.stack([t + 1, t, 1 - t, 2 - t], axis=0)), -0.75))


@irdl_op_definition
class GridSampleOp(GraphOp):
    """
    Sample `input` (N, C, D1..Dk) at the points of `grid` (N, O1..Ok, k),
    whose last axis holds normalized coordinates in [-1, 1], innermost
    spatial axis first (ONNX GridSample): `mode` `nearest`, `linear` or
    `cubic`; points outside read zeros, the border or its reflection
    (`padding_mode`); `align_corners` maps -1 and 1 to the corner pixels'
    centres rather than their outer edges.

    ```mlir
    %y = graph.grid_sample %x, %g {mode = "linear", padding_mode = "border"}
        : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
    ```
    """

    name = "graph.grid_sample"
    input = operand_def(TensorType)
    grid = operand_def(TensorType)
    result = result_def(TensorType)
    mode = opt_prop_def(StringAttr)
    padding_mode = opt_prop_def(StringAttr)
    align_corners = opt_prop_def(BoolAttr)

    traits = traits_def(Fusion(FusionKind.OPAQUE))
    assembly_format = (
        "$input `,` $grid attr-dict `:` functional-type(operands, results)"
    )

    def __init__(
        self,
        input: Value,
        grid: Value,
        mode: str = "linear",
        padding_mode: str = "zeros",
        align_corners: bool = False,
    ) -> None:
        self.init_inferred(
            [input, grid],
            {
                "mode": StringAttr(mode),
                "padding_mode": StringAttr(padding_mode),
                "align_corners": bool_attr(True) if align_corners else None,
            },
        )

    @classmethod
    def options(cls, props: Properties) -> tuple[str, str, bool]:
        mode = get_str(props, "mode", "linear")
        if mode not in GRID_MODES:
            raise fail(cls.name, f"mode '{mode}' is not one of {', '.join(GRID_MODES)}")
        padding = choose(cls.name, props, "padding_mode", PADDING_MODES)
        return mode, padding, get_bool(props, "align_corners", False)

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0], Elem.FLOAT)
        grid = expect_tensor(cls.name, "grid", operand_types[1], Elem.FLOAT)
        expect_same_element_type(cls.name, [("input", x), ("grid", grid)])
        cls.options(properties)
        shape, gshape = x.get_shape(), grid.get_shape()
        k = len(shape) - 2
        if k < 1 or len(gshape) != k + 2 or gshape[-1] != k:
            raise fail(
                cls.name,
                f"expects an input (N, C, D1..Dk) and a grid (N, O1..Ok, k), got "
                f"{fmt_shape(shape)} and {fmt_shape(gshape)}",
            )
        if DYNAMIC not in (shape[0], gshape[0]) and shape[0] != gshape[0]:
            raise fail(
                cls.name,
                f"expects the same batch for input and grid, got {fmt_shape(shape)} "
                f"and {fmt_shape(gshape)}",
            )
        return TensorType(x.element_type, (shape[0], shape[1], *gshape[1:-1]))

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x, grid = (a.astype(np.float64) for a in required(operands))
        mode, padding, align = cls.options(properties)
        sizes = x.shape[2:]
        k = len(sizes)
        coords: list[Array] = []
        for i, size in enumerate(sizes):
            v = unnormalize(grid[..., k - 1 - i], size, align)
            if mode == "nearest":
                v = np.rint(v)
            lo, hi = grid_borders(size, align)
            if padding == "border":
                v = np.where((v < lo) | (v > hi), np.clip(v, 0, size - 1), v)
            elif padding == "reflection":
                v = reflect(v, lo, hi)
            coords.append(v)
        xt = np.moveaxis(x, 1, -1)  # (N, D1..Dk, C)
        batch = np.arange(int(x.shape[0]), dtype=np.int64).reshape((-1,) + (1,) * k)
        out: Array = np.zeros((*grid.shape[:-1], x.shape[1]))
        per_axis: list[list[tuple[Array, Array]]] = []
        for i, v in enumerate(coords):
            base = np.trunc(v) if mode == "nearest" else np.floor(v)
            weights = grid_weights(mode, v - base)
            per_axis.append(
                [
                    (base.astype(np.int64) + d, w)
                    for d, w in zip(grid_taps(mode), weights, strict=True)
                ]
            )
        for combo in np.ndindex(*(len(t) for t in per_axis)):
            weight: Array = np.ones(grid.shape[:-1])
            index: list[Array] = []
            for i, j in enumerate(cast(tuple[int, ...], combo)):
                tap, w = per_axis[i][j]
                fetched, valid = _pixel_index(tap, sizes[i], padding, align)
                weight = weight * w * valid
                index.append(fetched)
            out += xt[(batch, *index)] * weight[..., None]
        return np.moveaxis(out, -1, 1)


def _pixel_index(
    tap: Array, size: int, padding: str, align: bool
) -> tuple[Array, Array]:
    """An in-range index for each tap and whether it reads the input (zeros)."""
    valid = np.ones(tap.shape)
    if padding == "zeros":
        valid = ((tap >= 0) & (tap < size)).astype(np.float64)
    elif padding == "reflection":
        tap = np.trunc(reflect(tap.astype(np.float64), *grid_borders(size, align)))
    return np.clip(tap, 0, size - 1).astype(np.int64), valid


GRID_SAMPLE_OPS: tuple[type[GraphOp], ...] = (GridSampleOp,)

__all__ = [
    "GRID_MODES",
    "GRID_SAMPLE_OPS",
    "PADDING_MODES",
    "GridSampleOp",
]
