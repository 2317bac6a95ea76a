"""
Resampling graph ops: builders and inference, and their numpy references
against onnx's reference implementation of Resize and GridSample over the
modes and coordinate mappings.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from xdsl.dialects.builtin import TensorType, f32
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import FusionKind, GridSampleOp, ResizeOp, fusion_kind

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(7)


def run_onnx(
    op: str, inputs: dict[str, Array], attrs: dict[str, Any], **consts: Array
) -> Array:
    """One `op` node run by onnx's reference; `consts` are initializers."""
    if op == "Resize":  # X, roi, scales, sizes: absent ones are ""
        names = ["x", *(n if n in consts else "" for n in ("roi", "scales", "sizes"))]
    else:
        names = [*inputs, *consts]
    node = helper.make_node(op, names, ["y"], **attrs)
    graph = helper.make_graph(
        [node],
        "g",
        [
            helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, a.shape)
            for n, a in inputs.items()
        ],
        [helper.make_empty_tensor_value_info("y")],
        [numpy_helper.from_array(a, n) for n, a in consts.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    return ReferenceEvaluator(model).run(None, inputs)[0]


def resize(
    x: Array, mode: str, coordinate: str, scales: list[float], **kw: Any
) -> Array:
    sizes = [
        math.floor(d * np.float32(s)) for d, s in zip(x.shape, scales, strict=True)
    ]
    op = ResizeOp(
        create_ssa_value(TensorType(f32, x.shape)),
        mode,
        [float(np.float32(s)) for s in scales],
        sizes,
        coordinate_mode=coordinate,
        **kw,
    )
    return op.evaluate(x)


RESIZE_CASES = [
    (mode, coordinate, extra)
    for mode in ("nearest", "linear", "cubic")
    for coordinate in (
        "half_pixel",
        "half_pixel_symmetric",
        "pytorch_half_pixel",
        "align_corners",
        "asymmetric",
    )
    for extra in (
        [
            {"nearest_mode": m}
            for m in ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")
        ]
        if mode == "nearest"
        else [{}, {"antialias": True}, {"exclude_outside": True, "cubic_coeff_a": -0.5}]
    )
]


@pytest.mark.parametrize(("mode", "coordinate", "extra"), RESIZE_CASES)
# (Scales whose sample points avoid being within rounding of an integer, where
# exclude_outside makes the weights jump and onnx's f32 arithmetic decides.)
@pytest.mark.parametrize("scales", [[1, 1, 2.0, 1.7], [1, 1, 0.6, 0.45]])
def test_resize_reference_agrees_with_onnx(
    mode: str, coordinate: str, extra: dict[str, Any], scales: list[float]
) -> None:
    x = RNG.standard_normal((1, 2, 5, 9)).astype(np.float32)
    attrs = {"mode": mode, "coordinate_transformation_mode": coordinate}
    attrs.update({k: int(v) if isinstance(v, bool) else v for k, v in extra.items()})
    want = run_onnx("Resize", {"x": x}, attrs, scales=np.array(scales, np.float32))
    got = resize(x, mode, coordinate, scales, **extra)
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("mode", ["nearest", "linear", "cubic"])
def test_tf_crop_and_resize_extrapolates(mode: str) -> None:
    x = RNG.standard_normal((1, 1, 6, 5)).astype(np.float32)
    roi = [0, 0, 0.35, -0.2, 1, 1, 0.9, 1.1]
    attrs = {
        "mode": mode,
        "coordinate_transformation_mode": "tf_crop_and_resize",
        "extrapolation_value": 4.0,
    }
    scales = np.array([1, 1, 0.8, 1.6], np.float32)
    want = run_onnx(
        "Resize", {"x": x}, attrs, roi=np.array(roi, np.float32), scales=scales
    )
    got = resize(
        x,
        mode,
        "tf_crop_and_resize",
        list(scales),
        roi=[float(np.float32(r)) for r in roi],
        extrapolation_value=4.0,
    )
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-4)
    assert np.any(got == 4.0)


GRID_CASES = [
    (mode, padding, align, dims)
    for mode in ("nearest", "linear", "cubic")
    for padding in ("zeros", "border", "reflection")
    for align in (False, True)
    for dims in ((4, 5), (3, 4, 5))
    if not (mode == "cubic" and len(dims) == 3)
]


@pytest.mark.parametrize(("mode", "padding", "align", "dims"), GRID_CASES)
def test_grid_sample_reference_agrees_with_onnx(
    mode: str, padding: str, align: bool, dims: tuple[int, ...]
) -> None:
    x = RNG.standard_normal((2, 3, *dims)).astype(np.float32)
    grid = RNG.uniform(-1.7, 1.7, (2, *[3] * len(dims), len(dims))).astype(np.float32)
    attrs = {"mode": mode, "padding_mode": padding, "align_corners": int(align)}
    want = run_onnx("GridSample", {"x": x, "g": grid}, attrs)
    op = GridSampleOp(
        create_ssa_value(TensorType(f32, x.shape)),
        create_ssa_value(TensorType(f32, grid.shape)),
        mode,
        padding,
        align,
    )
    np.testing.assert_allclose(op.evaluate(x, grid), want, atol=1e-5, rtol=1e-4)


def test_builders_infer_the_result_and_fusion_kinds() -> None:
    x = create_ssa_value(TensorType(f32, (1, 3, 4, 4)))
    op = ResizeOp(x, "linear", [1, 1, 2, 0.5], [1, 3, 8, 2])
    assert op.result.type == TensorType(f32, (1, 3, 8, 2))
    assert fusion_kind(op) == FusionKind.INJECTIVE
    grid = create_ssa_value(TensorType(f32, (1, 5, 6, 2)))
    sample = GridSampleOp(x, grid)
    assert sample.result.type == TensorType(f32, (1, 3, 5, 6))
    assert fusion_kind(sample) == FusionKind.OPAQUE


def test_nearest_tables_keep_one_tap() -> None:
    from mlc.dialects.graph.resample import resize_tables

    x = create_ssa_value(TensorType(f32, (2, 3)))
    op = ResizeOp(x, "nearest", [1, 2.5], [2, 7])
    (table,) = resize_tables(op.name, op.properties, (2, 3))
    assert table.axis == 1
    assert table.is_gather
    assert table.indices[:, 0].tolist() == [0, 0, 0, 1, 1, 2, 2]


def test_resize_refuses_a_mode_it_does_not_know() -> None:
    x = create_ssa_value(TensorType(f32, (2, 3)))
    with pytest.raises(VerifyException, match="mode 'area' is not one of"):
        ResizeOp(x, "area", [1, 2], [2, 6])
