"""
ONNX quantized inference: the quantization ops against onnx's reference
implementation (graph-level interpreter and native code), the node tests of
opset 10 and 11 that the conformance suite skips by opset, and models
quantized by onnxruntime's own tools against onnxruntime.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

import mlc
from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(0)
NODE_TESTS = Path(onnx.__file__).parent / "backend" / "test" / "data" / "node"


def model_of(
    op: str,
    inputs: list[Array | None],
    attrs: dict[str, Any] | None = None,
    constants: tuple[int, ...] = (),
    outputs: int = 1,
    opset: int = 21,
) -> onnx.ModelProto:
    """One `op` node; inputs at `constants` are initializers, None ones absent."""
    names = [
        "" if a is None else (f"c{i}" if i in constants else f"x{i}")
        for i, a in enumerate(inputs)
    ]
    graph_inputs = [
        helper.make_tensor_value_info(
            n, helper.np_dtype_to_tensor_dtype(a.dtype), list(a.shape)
        )
        for n, a in zip(names, inputs, strict=True)
        if n.startswith("x") and a is not None
    ]
    out_names = [f"y{i}" for i in range(outputs)]
    node = helper.make_node(op, names, out_names, name="n", **(attrs or {}))
    initializers = [
        numpy_helper.from_array(a, f"c{i}")
        for i, a in enumerate(inputs)
        if i in constants and a is not None
    ]
    graph = helper.make_graph(
        [node],
        "g",
        graph_inputs,
        [helper.make_empty_tensor_value_info(n) for n in out_names],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def check(
    op: str,
    *inputs: Array | None,
    attrs: dict[str, Any] | None = None,
    constants: tuple[int, ...] = (),
    opset: int = 21,
    outputs: int = 1,
    native: bool = True,
) -> None:
    """Interpreted (and compiled) results equal onnx's reference exactly."""
    model = model_of(op, list(inputs), attrs, constants, outputs, opset)
    feeds = {
        f"x{i}": a for i, a in enumerate(inputs) if a is not None and i not in constants
    }
    expected = ReferenceEvaluator(model).run(None, feeds)
    imported = import_onnx(model)
    args = [*feeds.values(), *imported.params.values()]
    runs = [run_function(imported.module, imported.entry, args)]
    if native:
        compiled = mlc.compile(imported)
        got = compiled(*feeds.values())
        runs.append(list(got) if isinstance(got, tuple) else [got])
    for actual in runs:
        for want, got in zip(expected, actual, strict=True):
            got = np.asarray(got)
            assert got.dtype == want.dtype
            assert got.shape == want.shape
            np.testing.assert_array_equal(got, want)


def q(dtype: type, *shape: int) -> Array:
    info = np.iinfo(dtype)
    return RNG.integers(info.min, int(info.max) + 1, shape).astype(dtype)


def f32(*values: float) -> Array:
    return np.asarray(values, np.float32)


# --------------------------------------------------------------------------- #
# QuantizeLinear, DequantizeLinear
# --------------------------------------------------------------------------- #


def test_quantize_rounds_half_to_even_and_saturates() -> None:
    x = f32(0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 300.0, -300.0, 1e6, -1e6)
    check("QuantizeLinear", x, f32(0.5).reshape(()), np.asarray(3, np.int8))
    check("QuantizeLinear", x, f32(0.5).reshape(()), np.asarray(7, np.uint8))


def test_quantize_without_zero_point_uses_output_dtype() -> None:
    x = RNG.standard_normal((3, 4)).astype(np.float32) * 50
    check("QuantizeLinear", x, f32(0.1).reshape(()), None)  # uint8
    check(
        "QuantizeLinear",
        x,
        f32(0.01).reshape(()),
        None,
        attrs={"output_dtype": TensorProto.INT16},
    )


def test_quantize_per_axis_negative_axis_and_constant_parameters() -> None:
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32) * 10
    scale = f32(0.05, 0.1, 0.2, 0.4)
    zp = q(np.int8, 4) // 4
    check("QuantizeLinear", x, scale, zp, attrs={"axis": -1}, constants=(1, 2))
    check("QuantizeLinear", x, scale[:3], zp[:3], attrs={"axis": 1})


def test_quantize_blocked_with_a_remainder_block() -> None:
    x = RNG.standard_normal((2, 5)).astype(np.float32) * 10
    scale = np.abs(RNG.standard_normal((2, 2))).astype(np.float32) + 0.05
    zp = q(np.uint8, 2, 2)
    check("QuantizeLinear", x, scale, zp, attrs={"axis": 1, "block_size": 3})


def test_quantize_f16_input_and_scale() -> None:
    x = (RNG.standard_normal((8,)) * 20).astype(np.float16)
    check("QuantizeLinear", x, np.asarray(0.25, np.float16), np.asarray(-5, np.int8))


def test_quantize_precision_divides_in_f32() -> None:
    # onnx's reference evaluator lacks precision (opset 23): numpy here.
    x = (RNG.standard_normal((64,)) * 20).astype(np.float16)
    scale, zp = np.asarray(0.3, np.float16), np.asarray(2, np.int8)
    model = model_of(
        "QuantizeLinear", [x, scale, zp], {"precision": TensorProto.FLOAT}, opset=25
    )
    t = x.astype(np.float32) / scale.astype(np.float32)
    want = np.clip(np.rint(t) + 2, -128, 127).astype(np.int8)
    np.testing.assert_array_equal(mlc.compile(import_onnx(model))(x, scale, zp), want)


def test_dequantize_int32_and_output_dtype() -> None:
    x = q(np.int32, 6) // 1024
    check("DequantizeLinear", x, f32(0.5).reshape(()), np.asarray(-7, np.int32))
    # onnx's reference evaluator lacks output_dtype (opset 23): numpy here.
    x8, scale, zp = q(np.int8, 2, 3), f32(0.5, 0.25), q(np.int8, 2)
    model = model_of(
        "DequantizeLinear",
        [x8, scale, zp],
        {"axis": 0, "output_dtype": TensorProto.FLOAT16},
        opset=25,
    )
    want = ((x8.astype(np.float32) - zp[:, None]) * scale[:, None]).astype(np.float16)
    got = mlc.compile(import_onnx(model))(x8, scale, zp)
    assert got.dtype == np.float16
    np.testing.assert_array_equal(got, want)


def test_dequantize_blocked_f16_scale() -> None:
    x = q(np.uint16, 4, 3)
    scale = RNG.uniform(0.01, 0.5, (2, 3)).astype(np.float16)
    check("DequantizeLinear", x, scale, attrs={"axis": 0, "block_size": 2})


def test_per_axis_parameter_of_the_wrong_length_is_named() -> None:
    model = model_of(
        "QuantizeLinear", [f32(1, 2, 3).reshape(1, 3), f32(1, 2), None], {"axis": 1}
    )
    with pytest.raises(UnsupportedModelError) as error:
        import_onnx(model)
    assert str(error.value) == (
        "g.onnx: node 'n' (QuantizeLinear): error: expects a scale with one element "
        "or 3 along axis 1, got shape (2,)"
    )


def test_quantize_to_e8m0_is_refused_in_one_line() -> None:
    model = model_of(
        "QuantizeLinear",
        [f32(1, 2), f32(1).reshape(())],
        {"output_dtype": TensorProto.FLOAT8E8M0},
        opset=25,
    )
    with pytest.raises(UnsupportedModelError) as error:
        import_onnx(model)
    assert str(error.value) == (
        "g.onnx: node 'n' (QuantizeLinear): error: quantizing to FLOAT8E8M0 is not "
        "supported (ONNX does not)"
    )


# --------------------------------------------------------------------------- #
# Integer and QLinear contractions
# --------------------------------------------------------------------------- #


def test_matmul_integer_per_row_and_per_column_zero_points() -> None:
    # onnx's reference broadcasts a per-row zero point along K: numpy here.
    a, b = q(np.uint8, 4, 5), q(np.int8, 5, 3)
    az, bz = q(np.uint8, 4), q(np.int8, 3)
    model = model_of("MatMulInteger", [a, b, az, bz], opset=13)
    want = (a.astype(np.int64) - az[:, None]) @ (b.astype(np.int64) - bz)
    got = mlc.compile(import_onnx(model))(a, b, az, bz)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, want)
    check("MatMulInteger", q(np.int8, 2, 4, 5), b, opset=13)


def test_conv_integer_1d_same_upper_and_groups() -> None:
    x, w = q(np.uint8, 1, 4, 7), q(np.uint8, 4, 2, 3)
    check(
        "ConvInteger",
        x,
        w,
        np.asarray(128, np.uint8),
        np.asarray(3, np.uint8),
        attrs={"auto_pad": "SAME_UPPER", "group": 2, "strides": [2]},
        opset=13,
    )


def test_qlinear_conv_per_channel_with_bias() -> None:
    x, w = q(np.int8, 1, 3, 6, 6), q(np.int8, 4, 3, 3, 3)
    w_scale = f32(0.01, 0.02, 0.005, 0.04)
    bias = RNG.integers(-500, 500, 4).astype(np.int32)
    check(
        "QLinearConv",
        x,
        f32(0.05).reshape(()),
        np.asarray(-3, np.int8),
        w,
        w_scale,
        np.zeros(4, np.int8),
        f32(0.2).reshape(()),
        np.asarray(5, np.int8),
        bias,
        attrs={"pads": [1, 0, 1, 2], "strides": [2, 1]},
        constants=(3, 4, 5, 8),
        opset=13,
    )


def test_qlinear_matmul_per_column_rhs() -> None:
    a, b = q(np.uint8, 3, 6), q(np.uint8, 6, 4)
    check(
        "QLinearMatMul",
        a,
        f32(0.02),
        np.asarray([120], np.uint8),
        b,
        f32(0.01, 0.03, 0.02, 0.05),
        q(np.uint8, 4),
        f32(0.3),
        np.asarray([128], np.uint8),
        constants=(3, 4, 5),
    )


@pytest.mark.parametrize(
    "name",
    [
        "test_convinteger_with_padding",
        "test_convinteger_without_padding",
        "test_matmulinteger",
        "test_qlinearconv",
        "test_dynamicquantizelinear",
        "test_dynamicquantizelinear_max_adjusted",
        "test_dynamicquantizelinear_min_adjusted",
    ],
)
def test_opset_10_and_11_node_tests_as_opset_13(name: str) -> None:
    """
    The conformance suite skips these by opset; their ops are unchanged
    from opset 10/11 to 13, so the models run as opset 13 models.
    """
    path = NODE_TESTS / name
    model = onnx.load(str(path / "model.onnx"))
    model.opset_import[0].version = 13

    def tensors(kind: str) -> list[Array]:
        files = sorted((path / "test_data_set_0").glob(f"{kind}_*.pb"))
        return [numpy_helper.to_array(onnx.load_tensor(str(f))) for f in files]

    compiled = mlc.compile(import_onnx(model))
    got = compiled(*tensors("input"))
    actual = list(got) if isinstance(got, tuple) else [got]
    for want, out in zip(tensors("output"), actual, strict=True):
        assert out.dtype == want.dtype
        np.testing.assert_array_equal(out, want)


def test_dynamic_quantize_of_zeros_has_scale_one_over_255() -> None:
    check("DynamicQuantizeLinear", np.zeros((2, 3), np.float32), outputs=3, opset=13)


# --------------------------------------------------------------------------- #
# Models quantized by onnxruntime, against onnxruntime
# --------------------------------------------------------------------------- #


def float_model() -> onnx.ModelProto:
    """x [4, 16] -> MatMul, Add, Relu -> MatMul, Add: a small MLP."""
    rng = np.random.default_rng(1)
    w1 = rng.standard_normal((16, 32)).astype(np.float32) * 0.3
    b1 = rng.standard_normal(32).astype(np.float32) * 0.1
    w2 = rng.standard_normal((32, 8)).astype(np.float32) * 0.3
    b2 = rng.standard_normal(8).astype(np.float32) * 0.1
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h0"]),
        helper.make_node("Add", ["h0", "b1"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["h2"]),
        helper.make_node("MatMul", ["h2", "w2"], ["h3"]),
        helper.make_node("Add", ["h3", "b2"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 8])],
        [
            numpy_helper.from_array(w1, "w1"),
            numpy_helper.from_array(b1, "b1"),
            numpy_helper.from_array(w2, "w2"),
            numpy_helper.from_array(b2, "b2"),
        ],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def run_ort(path: Path, x: Array) -> Array:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


@pytest.mark.parametrize("mode", ["dynamic", "static_qdq", "static_qoperator"])
def test_onnxruntime_quantized_mlp_matches_onnxruntime(
    mode: str, tmp_path: Path
) -> None:
    from onnxruntime import quantization as ortq

    source, target = tmp_path / "mlp.onnx", tmp_path / "mlp_q.onnx"
    onnx.save(float_model(), str(source))
    rng = np.random.default_rng(2)
    if mode == "dynamic":
        ortq.quantize_dynamic(
            str(source), str(target), weight_type=ortq.QuantType.QInt8
        )
    else:

        class Reader(ortq.CalibrationDataReader):
            def __init__(self) -> None:
                self.batches = iter(
                    [
                        {"x": rng.standard_normal((4, 16)).astype(np.float32)}
                        for _ in range(8)
                    ]
                )

            def get_next(self) -> dict[str, Array] | None:
                return next(self.batches, None)

        ortq.quantize_static(
            str(source),
            str(target),
            Reader(),
            quant_format=ortq.QuantFormat.QDQ
            if mode == "static_qdq"
            else ortq.QuantFormat.QOperator,
            activation_type=ortq.QuantType.QUInt8,
            op_types_to_quantize=["MatMul"],
            weight_type=ortq.QuantType.QInt8,
        )
    ops = {n.op_type for n in onnx.load(str(target)).graph.node}
    expected_ops = {
        "dynamic": {"DynamicQuantizeLinear", "MatMulInteger"},
        "static_qdq": {"QuantizeLinear", "DequantizeLinear"},
        "static_qoperator": {"QuantizeLinear", "QLinearMatMul", "DequantizeLinear"},
    }[mode]
    assert expected_ops <= ops, ops
    x = rng.standard_normal((4, 16)).astype(np.float32)
    want = run_ort(target, x)
    got = mlc.compile(str(target))(x)
    # The same integer arithmetic and rounding: on these inputs mlc's results
    # are onnxruntime's to the bit (a float MatMul between QDQ pairs may
    # reorder its sums, hence the f32-rounding tolerance).
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
