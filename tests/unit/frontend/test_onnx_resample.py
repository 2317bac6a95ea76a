"""
ONNX resampling converters beyond the conformance suite: Upsample (its
tests are at opset 9, which mlc does not import), integer images, the
attributes the node tests leave out, and the one-line refusals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper
from onnx.reference import ReferenceEvaluator

import mlc
from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(3)


def model_of(
    op: str,
    x: Array,
    inputs: list[str],
    attrs: dict[str, Any],
    consts: dict[str, Array],
    more: dict[str, Array] | None = None,
    opset: int = 21,
) -> onnx.ModelProto:
    more = more or {}
    node = helper.make_node(op, inputs, ["y"], name="n", **attrs)
    graph = helper.make_graph(
        [node],
        "g",
        [
            helper.make_tensor_value_info(
                n, helper.np_dtype_to_tensor_dtype(a.dtype), a.shape
            )
            for n, a in {"x": x, **more}.items()
        ],
        [
            helper.make_tensor_value_info(
                "y", helper.np_dtype_to_tensor_dtype(x.dtype), None
            )
        ],
        [numpy_helper.from_array(a, n) for n, a in consts.items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def interpret(model: onnx.ModelProto, *inputs: Array) -> Array:
    imported = import_onnx(model)
    (out,) = run_function(imported.module, imported.entry, list(inputs))
    return np.asarray(out)


def test_upsample_nearest_repeats() -> None:
    x = RNG.standard_normal((1, 2, 2, 3)).astype(np.float32)
    scales = np.array([1, 1, 2, 3], np.float32)
    model = model_of("Upsample", x, ["x", "s"], {}, {"s": scales}, opset=13)
    want = x.repeat(2, axis=2).repeat(3, axis=3)
    np.testing.assert_array_equal(mlc.compile(model)(x), want)


def test_upsample_linear_is_asymmetric() -> None:
    """As onnxruntime's: sample `y / scale`, the last row and column clamped."""
    x = np.arange(6, dtype=np.float32).reshape(1, 1, 2, 3)
    scales = np.array([1, 1, 2, 2], np.float32)
    model = model_of(
        "Upsample", x, ["x", "s"], {"mode": "linear"}, {"s": scales}, opset=13
    )
    got = interpret(model, x)
    rows = np.array([0, 0.5, 1, 1])
    cols = np.array([0, 0.5, 1, 1.5, 2, 2])
    np.testing.assert_allclose(got[0, 0], rows[:, None] * 3 + cols[None, :])


@pytest.mark.parametrize(
    ("mode", "dtype"),
    [("nearest", np.uint8), ("cubic", np.uint8), ("linear", np.int8)],
)
def test_resize_of_an_integer_image(mode: str, dtype: type) -> None:
    """Rounded and saturated (cubic overshoots) as onnx's reference does."""
    info = np.iinfo(dtype)
    x = RNG.integers(info.min, info.max, (1, 1, 3, 4)).astype(dtype)
    scales = np.array([1, 1, 2.3, 1.7], np.float32)
    model = model_of(
        "Resize", x, ["x", "", "s"], {"mode": mode}, {"s": scales}, opset=19
    )
    want = ReferenceEvaluator(model).run(None, {"x": x})[0]
    got = mlc.compile(model)(x)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, want)


def test_resize_with_axes_and_keep_aspect_ratio_natively() -> None:
    x = RNG.standard_normal((2, 3, 6, 8)).astype(np.float32)
    sizes = np.array([4, 9], np.int64)
    attrs = {
        "mode": "cubic",
        "axes": [3, 2],
        "keep_aspect_ratio_policy": "not_larger",
        "exclude_outside": 1,
    }
    model = model_of("Resize", x, ["x", "", "", "sz"], attrs, {"sz": sizes}, opset=19)
    want = ReferenceEvaluator(model).run(None, {"x": x})[0]
    got = mlc.compile(model)(x)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_grid_sample_casts_a_grid_of_another_type() -> None:
    x = RNG.standard_normal((1, 2, 4, 4)).astype(np.float32)
    grid = RNG.uniform(-1, 1, (1, 3, 3, 2))
    model = model_of("GridSample", x, ["x", "g"], {}, {}, {"g": grid}, opset=20)
    want = ReferenceEvaluator(model).run(None, {"x": x, "g": grid})[0]
    np.testing.assert_allclose(interpret(model, x, grid), want, atol=1e-5)


@pytest.mark.parametrize(
    ("op", "inputs", "attrs", "consts", "message"),
    [
        (
            "Resize",
            ["x", "", "s", "sz"],
            {},
            {
                "s": np.array([1, 1, 2, 2], np.float32),
                "sz": np.array([1, 1, 4, 4], np.int64),
            },
            "expects exactly one of scales and sizes",
        ),
        (
            "Resize",
            ["x", "", "s"],
            {"coordinate_transformation_mode": "tf_crop_and_resize"},
            {"s": np.array([1, 1, 2, 2], np.float32)},
            "input 1 .roi. must be a constant",
        ),
        (
            "Col2Im",
            ["x", "i", "b"],
            {},
            {"i": np.array([3, 3], np.int64), "b": np.array([2, 2], np.int64)},
            "expects columns",
        ),
    ],
)
def test_refusals_name_the_node(
    op: str,
    inputs: list[str],
    attrs: dict[str, Any],
    consts: dict[str, Array],
    message: str,
) -> None:
    x = np.zeros((1, 1, 2, 2), np.float32)
    model = model_of(op, x, inputs, attrs, consts, opset=19)
    with pytest.raises(UnsupportedModelError, match=rf"node 'n' \({op}\).*{message}"):
        import_onnx(model)
