"""
The ONNX importer: model structure (parameters, folding, locations, errors) and
numerics of the imported graph against onnx's own reference evaluator.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
from helpers import full_context
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from xdsl.dialects.builtin import FileLineColLoc, NameLoc
from xdsl.dialects.func import FuncOp
from xdsl.transforms.canonicalize import CanonicalizePass

import mlc
from mlc.frontend import ImportedModel, UnsupportedModelError
from mlc.frontend.onnx import constant_operand_inputs, import_onnx, sanitize
from mlc.interpreters import run_function

F32 = TensorProto.FLOAT


def make_model(
    nodes: list[onnx.NodeProto],
    inputs: list[tuple[str, int, list[int]]],
    outputs: list[tuple[str, int, list[int] | None]],
    initializers: dict[str, np.ndarray[Any, Any]] | None = None,
    opset: int = 21,
    name: str = "g",
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        [numpy_helper.from_array(a, n) for n, a in (initializers or {}).items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def entry_of(imported: ImportedModel) -> FuncOp:
    (function,) = [op for op in imported.module.ops if isinstance(op, FuncOp)]
    return function


def run(imported: ImportedModel, *inputs: np.ndarray[Any, Any]) -> list[Any]:
    params = list(imported.params.values())
    return run_function(imported.module, imported.entry, [*inputs, *params])


def check_against_reference(
    model: onnx.ModelProto, *inputs: np.ndarray[Any, Any], rtol: float = 1e-5
) -> None:
    names = [v.name for v in model.graph.input]
    expected = ReferenceEvaluator(model).run(
        None, dict(zip(names, inputs, strict=True))
    )
    actual = run(import_onnx(model), *inputs)
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6)


RNG = np.random.default_rng(0)


def rand(*shape: int) -> np.ndarray[Any, Any]:
    return RNG.standard_normal(shape).astype(np.float32)


# --------------------------------------------------------------------------- #
# Structure
# --------------------------------------------------------------------------- #


def test_initializers_become_named_parameters() -> None:
    w, b = rand(4, 3), rand(4)
    model = make_model(
        [helper.make_node("Gemm", ["x", "fc.weight", "fc.bias_0"], ["y"], transB=1)],
        [("x", F32, [2, 3])],
        [("y", F32, [2, 4])],
        {"fc.weight": w, "fc.bias_0": b},
    )
    imported = import_onnx(model)
    assert list(imported.params) == ["fc_weight", "fc_bias0"]
    args = entry_of(imported).body.blocks.first.args  # pyright: ignore
    assert [a.name_hint for a in args] == ["x", "fc_weight", "fc_bias0"]
    assert "graph.linear" in str(imported.module)
    x = rand(2, 3)
    (y,) = run(imported, x)
    np.testing.assert_allclose(y, x @ w.T + b, rtol=1e-5)


def test_graph_input_that_is_an_initializer_is_a_parameter() -> None:
    w = rand(3, 3)
    model = make_model(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        [("x", F32, [2, 3]), ("w", F32, [3, 3])],
        [("y", F32, [2, 3])],
        {"w": w},
    )
    imported = import_onnx(model)
    assert list(imported.params) == ["w"]
    assert len(entry_of(imported).function_type.inputs) == 2


def test_shape_operands_and_scalars_are_constants_not_parameters() -> None:
    shape = np.array([3, 2], np.int64)
    model = make_model(
        [
            helper.make_node("Constant", [], ["two"], value_int=2),
            helper.make_node("Unsqueeze", ["x", "axes"], ["u"]),
            helper.make_node("Reshape", ["u", "shape"], ["r"]),
            helper.make_node("Mul", ["r", "two_f"], ["y"]),
        ],
        [("x", F32, [2, 3])],
        [("y", F32, [3, 2])],
        {
            "shape": shape,
            "axes": np.array([0], np.int64),
            "two_f": np.array(2, np.float32),
        },
    )
    imported = import_onnx(model)
    assert list(imported.params) == []
    text = str(imported.module)
    assert "graph.reshape" in text
    assert "array<i64: 3, 2>" in text
    assert "arith.constant dense<2.000000e+00> : tensor<f32>" in text
    x = rand(2, 3)
    (y,) = run(imported, x)
    np.testing.assert_allclose(y, x.reshape(3, 2) * 2)


def test_gelu_over_scalar_initializers_is_recognized() -> None:
    """Single-element initializers are constants the graph patterns can read."""
    model = make_model(
        [
            helper.make_node("Div", ["x", "sqrt2"], ["s"]),
            helper.make_node("Erf", ["s"], ["e"]),
            helper.make_node("Add", ["e", "one"], ["e1"]),
            helper.make_node("Mul", ["x", "e1"], ["xe"]),
            helper.make_node("Mul", ["xe", "half"], ["y"]),
        ],
        [("x", F32, [2, 3])],
        [("y", F32, [2, 3])],
        {
            "sqrt2": np.array(np.sqrt(2), np.float32),
            "one": np.array([1.0], np.float32),
            "half": np.array(0.5, np.float32),
        },
    )
    imported = import_onnx(model)
    assert list(imported.params) == []
    CanonicalizePass().apply(full_context(), imported.module)
    text = str(imported.module)
    assert "graph.gelu" in text
    assert "graph.erf" not in text
    x = rand(2, 3)
    (y,) = run(imported, x)
    erf = np.vectorize(math.erf)
    np.testing.assert_allclose(y, 0.5 * x * (1 + erf(x / math.sqrt(2))), atol=1e-6)


def test_a_scalar_a_graph_input_overrides_stays_a_parameter() -> None:
    model = make_model(
        [helper.make_node("Mul", ["x", "s"], ["y"])],
        [("x", F32, [2]), ("s", F32, [])],
        [("y", F32, [2])],
        {"s": np.array(3, np.float32)},
    )
    imported = import_onnx(model)
    assert list(imported.params) == ["s"]
    (y,) = run(imported, np.ones(2, np.float32))
    np.testing.assert_allclose(y, [3, 3])


def test_constant_only_subgraphs_fold_at_import() -> None:
    model = make_model(
        [
            helper.make_node("Constant", [], ["c"], value_floats=[1.0, 2.0, 3.0]),
            helper.make_node("Exp", ["c"], ["e"]),
            helper.make_node("Add", ["x", "e"], ["y"]),
        ],
        [("x", F32, [3])],
        [("y", F32, [3])],
    )
    imported = import_onnx(model)
    assert "graph.exp" not in str(imported.module)
    x = rand(3)
    (y,) = run(imported, x)
    np.testing.assert_allclose(y, x + np.exp([1.0, 2.0, 3.0]), rtol=1e-6)


def test_ops_carry_the_onnx_node_as_location() -> None:
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"], name="act1")],
        [("x", F32, [2])],
        [("y", F32, [2])],
    )
    imported = import_onnx(model)
    (relu,) = [op for op in entry_of(imported).walk() if op.name == "graph.relu"]
    loc = relu.location
    assert isinstance(loc, NameLoc)
    assert loc.desc.data == "act1"
    assert isinstance(loc.location, NameLoc)
    assert loc.location.desc.data == "Relu"
    assert isinstance(loc.location.location, FileLineColLoc)
    assert loc.location.location.filename.data == "g.onnx"


def test_names_are_sanitized_for_ssa() -> None:
    assert sanitize("onnx::MatMul_166") == "onnx__MatMul166"
    assert sanitize("layers.0.weight") == "layers_0_weight"
    assert sanitize("0x") == "v_0x"


def test_constant_operand_inputs_lists_shape_inputs() -> None:
    model = make_model(
        [helper.make_node("Reshape", ["x", "s"], ["y"])],
        [("x", F32, [6]), ("s", TensorProto.INT64, [2])],
        [("y", F32, [2, 3])],
    )
    assert constant_operand_inputs(model) == ["s"]
    imported = import_onnx(model, input_values={"s": np.array([2, 3], np.int64)})
    assert len(entry_of(imported).function_type.inputs) == 1


# --------------------------------------------------------------------------- #
# Errors
# --------------------------------------------------------------------------- #


def test_unsupported_ops_are_listed_at_once() -> None:
    model = make_model(
        [
            helper.make_node("Foo", ["x"], ["a"], name="foo1"),
            helper.make_node("Relu", ["a"], ["b"]),
            helper.make_node("Bar", ["b"], ["c"], name="bar1"),
            helper.make_node("Foo", ["c"], ["y"], name="foo2"),
        ],
        [("x", F32, [2])],
        [("y", F32, [2])],
    )
    with pytest.raises(UnsupportedModelError) as info:
        import_onnx(model)
    message = str(info.value)
    assert "\n" not in message
    assert message == (
        "g.onnx: unsupported ONNX ops: Foo (2 nodes, first 'foo1'), "
        "Bar (1 node, first 'bar1')"
    )


def test_an_invalid_node_names_the_node() -> None:
    model = make_model(
        [helper.make_node("MatMul", ["x", "x"], ["y"], name="mm")],
        [("x", F32, [2, 3])],
        [("y", F32, [2, 3])],
    )
    with pytest.raises(
        UnsupportedModelError,
        match=r"^g\.onnx: node 'mm' \(MatMul\): error: 'graph\.matmul' expects",
    ):
        import_onnx(model)


def test_dynamic_input_needs_a_shape() -> None:
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"])],
        [("x", F32, ["N", 3])],  # pyright: ignore[reportArgumentType]
        [("y", F32, None)],
    )
    with pytest.raises(UnsupportedModelError, match="dynamic dimension 'N'"):
        import_onnx(model)
    imported = import_onnx(model, input_shapes={"x": (2, 3)})
    assert str(entry_of(imported).function_type.inputs.data[0]) == "tensor<2x3xf32>"


def test_opsets_outside_1_to_27_are_rejected() -> None:
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"])],
        [("x", F32, [2])],
        [("y", F32, [2])],
        opset=28,
    )
    with pytest.raises(UnsupportedModelError, match="opset 28 is not supported"):
        import_onnx(model)


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.onnx"
    path.write_bytes(b"not a model")
    with pytest.raises(
        UnsupportedModelError, match=r"broken\.onnx: error: cannot load"
    ):
        import_onnx(path)


def test_import_onnx_is_exported() -> None:
    assert mlc.import_onnx is mlc.frontend.import_onnx


# --------------------------------------------------------------------------- #
# Numerics against onnx.reference
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("attrs", "a_shape", "b_shape", "c_shape"),
    [
        ({}, (2, 3), (3, 4), None),
        ({"transA": 1, "alpha": 0.5}, (3, 2), (3, 4), (4,)),
        ({"transB": 1, "beta": 2.0}, (2, 3), (4, 3), (2, 4)),
        ({"transA": 1, "transB": 1, "alpha": 2.0, "beta": 0.5}, (3, 2), (4, 3), (1,)),
    ],
)
def test_gemm(
    attrs: dict[str, Any],
    a_shape: tuple[int, ...],
    b_shape: tuple[int, ...],
    c_shape: tuple[int, ...] | None,
) -> None:
    names = ["a", "b"] + (["c"] if c_shape else [])
    inputs = [("a", F32, list(a_shape)), ("b", F32, list(b_shape))]
    if c_shape:
        inputs.append(("c", F32, list(c_shape)))
    model = make_model(
        [helper.make_node("Gemm", names, ["y"], **attrs)], inputs, [("y", F32, None)]
    )
    arrays = [rand(*a_shape), rand(*b_shape)] + ([rand(*c_shape)] if c_shape else [])
    check_against_reference(model, *arrays)


@pytest.mark.parametrize(
    ("op", "attrs", "shape"),
    [
        ("MaxPool", {"kernel_shape": [2, 2, 2], "strides": [1, 2, 1]}, (1, 2, 4, 5, 4)),
        ("AveragePool", {"kernel_shape": [3], "pads": [1, 1]}, (1, 2, 7)),
        (
            "AveragePool",
            {"kernel_shape": [2, 2], "dilations": [2, 1], "ceil_mode": 1,
             "strides": [2, 2], "pads": [1, 0, 1, 1]},
            (1, 1, 7, 6),
        ),
        (
            "AveragePool",
            {"kernel_shape": [2, 2, 2], "count_include_pad": 1, "pads": [1] * 6},
            (1, 1, 3, 4, 3),
        ),
        ("MaxPool", {"kernel_shape": [3, 3], "auto_pad": "SAME_LOWER"}, (1, 1, 5, 5)),
        ("Conv", {"pads": [1, 2]}, (1, 2, 6)),
    ],
)  # fmt: skip
def test_window_ops(op: str, attrs: dict[str, Any], shape: tuple[int, ...]) -> None:
    names = ["x"]
    inputs = [("x", F32, list(shape))]
    arrays = [rand(*shape)]
    if op == "Conv":
        names.append("w")
        inputs.append(("w", F32, [3, shape[1], 3]))
        arrays.append(rand(3, shape[1], 3))
    model = make_model(
        [helper.make_node(op, names, ["y"], **attrs)], inputs, [("y", F32, None)]
    )
    check_against_reference(model, *arrays)


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge", "wrap"])
def test_pad_modes(mode: str) -> None:
    model = make_model(
        [helper.make_node("Pad", ["x", "pads"], ["y"], mode=mode)],
        [("x", F32, [3, 4])],
        [("y", F32, None)],
        {"pads": np.array([1, 2, 2, 0], np.int64)},
    )
    check_against_reference(model, rand(3, 4))


def test_negative_pads_crop() -> None:
    # onnx.reference's Pad rejects negative pads (np.pad), so numpy is the oracle.
    model = make_model(
        [helper.make_node("Pad", ["x", "pads", "v"], ["y"])],
        [("x", F32, [3, 4])],
        [("y", F32, None)],
        {"pads": np.array([-1, 2, 1, -1], np.int64), "v": np.array(7, np.float32)},
    )
    x = rand(3, 4)
    (y,) = run(import_onnx(model), x)
    np.testing.assert_array_equal(
        y, np.pad(x[1:, :3], ((0, 1), (2, 0)), constant_values=7)
    )


def test_layer_norm_returns_mean_and_inverse_std() -> None:
    model = make_model(
        [
            helper.make_node(
                "LayerNormalization", ["x", "s", "b"], ["y", "m", "r"], axis=1
            )
        ],
        [("x", F32, [2, 3, 4]), ("s", F32, [3, 4]), ("b", F32, [3, 4])],
        [("y", F32, None), ("m", F32, None), ("r", F32, None)],
    )
    check_against_reference(model, rand(2, 3, 4), rand(3, 4), rand(3, 4))


def test_split_by_sizes_and_by_count() -> None:
    model = make_model(
        [
            helper.make_node("Split", ["x", "sizes"], ["a", "b"], axis=1),
            helper.make_node("Split", ["x"], ["c", "d", "e"], axis=1, num_outputs=3),
        ],
        [("x", F32, [2, 7])],
        [(n, F32, None) for n in "abcde"],
        {"sizes": np.array([3, 4], np.int64)},
    )
    check_against_reference(model, rand(2, 7))


def test_clip_with_run_time_bounds_and_reductions() -> None:
    model = make_model(
        [
            helper.make_node("Clip", ["x", "lo", "hi"], ["c"]),
            helper.make_node("ReduceMax", ["c", "axes"], ["y"], keepdims=0),
            helper.make_node("ReduceSum", ["c"], ["z"], noop_with_empty_axes=1),
        ],
        [("x", F32, [3, 4]), ("lo", F32, []), ("hi", F32, [])],
        [("y", F32, None), ("z", F32, None)],
        {"axes": np.array([-1], np.int64)},
    )
    check_against_reference(
        model, rand(3, 4), np.array(-0.5, np.float32), np.array(0.5, np.float32)
    )


def test_gather_with_negative_indices_and_where() -> None:
    model = make_model(
        [
            helper.make_node("Gather", ["x", "i"], ["g"], axis=1),
            helper.make_node("Where", ["m", "g", "zero"], ["y"]),
        ],
        [
            ("x", F32, [2, 4]),
            ("i", TensorProto.INT64, [3]),
            ("m", TensorProto.BOOL, [3]),
        ],
        [("y", F32, None)],
        {"zero": np.zeros((), np.float32)},
    )
    check_against_reference(
        model, rand(2, 4), np.array([0, -1, 2], np.int64), np.array([True, False, True])
    )


def test_batch_norm_training_mode_updates_running_statistics() -> None:
    model = make_model(
        [
            helper.make_node(
                "BatchNormalization",
                ["x", "s", "b", "m", "v"],
                ["y", "rm", "rv"],
                training_mode=1,
                momentum=0.8,
            )
        ],
        [("x", F32, [2, 3, 2]), *[(n, F32, [3]) for n in "sbmv"]],
        [("y", F32, None), ("rm", F32, None), ("rv", F32, None)],
    )
    v = np.abs(rand(3)) + 0.5
    check_against_reference(model, rand(2, 3, 2), rand(3), rand(3), rand(3), v)


def test_unsigned_and_bool_dtypes() -> None:
    u8 = TensorProto.UINT8
    model = make_model(
        [
            helper.make_node("Max", ["a", "b"], ["m"]),
            helper.make_node("Cast", ["m"], ["y"], to=TensorProto.BOOL),
            helper.make_node("ReduceMax", ["y"], ["z"], keepdims=0),
        ],
        [("a", u8, [4]), ("b", u8, [4])],
        [("z", TensorProto.BOOL, None)],
    )
    a = np.array([0, 200, 0, 1], np.uint8)
    check_against_reference(model, a, np.zeros(4, np.uint8))


def test_diagnostics_point_at_the_onnx_node() -> None:
    from mlc.support.diagnostics import Diagnostic, op_location

    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"], name="act1")],
        [("x", F32, [2])],
        [("y", F32, [2])],
    )
    (relu,) = [
        op for op in entry_of(import_onnx(model)).walk() if op.name == "graph.relu"
    ]
    diagnostic = Diagnostic("bad", op_location(relu))
    assert diagnostic.format("-") == "g.onnx: node 'act1' (Relu): error: bad"


def test_shape_computations_fold_through_onnx_reference() -> None:
    # The TorchScript exporter's view(): Shape -> Gather -> Mod -> Concat -> Reshape.
    i64 = TensorProto.INT64
    model = make_model(
        [
            helper.make_node("Shape", ["x"], ["s"], start=0, end=1),
            helper.make_node("Mod", ["s", "four"], ["m"]),
            helper.make_node("Concat", ["s", "m", "minus1"], ["shape"], axis=0),
            helper.make_node("Reshape", ["x", "shape"], ["y"]),
        ],
        [("x", F32, [2, 12])],
        [("y", F32, None)],
        {"four": np.array([4], np.int64), "minus1": np.array([-1], np.int64)},
    )
    assert constant_operand_inputs(model) == []
    imported = import_onnx(model)
    assert imported.params == {}
    assert "array<i64: 2, 2, 6>" in str(imported.module)
    _ = i64


def test_a_run_time_operand_of_an_unconverted_op_is_unsupported() -> None:
    model = make_model(
        [helper.make_node("Bernoulli", ["x"], ["y"], name="m")],
        [("x", F32, [2, 2])],
        [("y", F32, None)],
    )
    with pytest.raises(UnsupportedModelError, match=r"Bernoulli \(1 node, first 'm'\)"):
        import_onnx(model)


# --------------------------------------------------------------------------- #
# Native code
# --------------------------------------------------------------------------- #


def mlp_model() -> onnx.ModelProto:
    return make_model(
        [
            helper.make_node("Flatten", ["x"], ["f"]),
            helper.make_node("Gemm", ["f", "w0", "b0"], ["h"], transB=1),
            helper.make_node("Relu", ["h"], ["r"]),
            helper.make_node("MatMul", ["r", "w1"], ["y"]),
            helper.make_node("Softmax", ["y"], ["p"]),
        ],
        [("x", F32, [2, 2, 3])],
        [("p", F32, [2, 4]), ("r", F32, [2, 5])],
        {"w0": rand(5, 6), "b0": rand(5), "w1": rand(5, 4)},
    )


def test_compiled_model_takes_only_the_graph_inputs() -> None:
    model = mlp_model()
    compiled = mlc.compile(import_onnx(model), opt_level=1)
    assert [s.name for s in compiled.signature.inputs] == ["x"]
    assert [s.name for s in compiled.signature.outputs] == ["p", "r"]
    x = rand(2, 2, 3)
    p, r = compiled(x)
    want_p, want_r = ReferenceEvaluator(model).run(None, {"x": x})
    np.testing.assert_allclose(p, want_p, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(r, want_r, rtol=1e-5, atol=1e-6)


def test_compile_an_onnx_file(tmp_path: Path) -> None:
    model = mlp_model()
    path = tmp_path / "mlp.onnx"
    onnx.save(model, str(path))
    compiled = mlc.compile(str(path), opt_level=0)
    x = rand(2, 2, 3)
    p, _ = compiled(x)
    (want_p, _) = ReferenceEvaluator(model).run(None, {"x": x})
    np.testing.assert_allclose(p, want_p, rtol=1e-5, atol=1e-6)


def check_native(
    model: onnx.ModelProto, *inputs: np.ndarray[Any, Any], rtol: float = 1e-5
) -> None:
    names = [v.name for v in model.graph.input]
    expected = ReferenceEvaluator(model).run(
        None, dict(zip(names, inputs, strict=True))
    )
    result = mlc.compile(import_onnx(model), opt_level=1)(*inputs)
    actual = result if isinstance(result, tuple) else (result,)
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


FLOAT_TYPES = {
    np.float16: TensorProto.FLOAT16,
    np.float32: TensorProto.FLOAT,
    np.float64: TensorProto.DOUBLE,
}


@pytest.mark.parametrize("dtype", list(FLOAT_TYPES), ids=lambda d: d.__name__)
def test_float_types_through_conv_pool_norm_and_gemm(dtype: type) -> None:
    t = FLOAT_TYPES[dtype]
    c = 3
    params = {
        "w": rand(4, c, 3, 3),
        "s": rand(4),
        "b": rand(4),
        "m": rand(4),
        "v": np.abs(rand(4)) + 0.5,
        "g": rand(4, 1, 1),
        "fw": rand(6, 16),
        "fb": rand(6),
    }
    model = make_model(
        [
            helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
            helper.make_node("BatchNormalization", ["c", "s", "b", "m", "v"], ["n"]),
            helper.make_node(
                "MaxPool", ["n"], ["p"], kernel_shape=[2, 2], strides=[2, 2]
            ),
            helper.make_node("AveragePool", ["p"], ["a"], kernel_shape=[1, 1]),
            helper.make_node("LayerNormalization", ["a", "g"], ["l"], axis=1),
            helper.make_node("Flatten", ["l"], ["f"]),
            helper.make_node("Gemm", ["f", "fw", "fb"], ["y"], transB=1, alpha=0.5),
            helper.make_node("Transpose", ["y"], ["y_t"]),
            helper.make_node("MatMul", ["y", "y_t"], ["z"]),
        ],
        [("x", t, [2, c, 4, 4])],
        [("z", t, None)],
        {k: v.astype(dtype) for k, v in params.items()},
    )
    rtol = 2e-2 if dtype is np.float16 else 1e-4
    check_native(model, rand(2, c, 4, 4).astype(dtype), rtol=rtol)


INT_TYPES = [
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
]


@pytest.mark.parametrize("dtype", INT_TYPES, ids=lambda d: d.__name__)
def test_integer_types_through_elementwise_reduction_and_data_movement(
    dtype: type,
) -> None:
    t = onnx.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    model = make_model(
        [
            helper.make_node("Add", ["a", "b"], ["s"]),
            helper.make_node("Max", ["s", "b"], ["m"]),
            helper.make_node("ReduceSum", ["m", "one"], ["r"], keepdims=0),
            helper.make_node("ReduceMax", ["m", "zero"], ["rm"], keepdims=1),
            helper.make_node("Transpose", ["m"], ["tr"]),
            helper.make_node("Slice", ["tr", "st", "en"], ["sl"]),
            helper.make_node("Gather", ["sl", "idx"], ["g"], axis=1),
            helper.make_node("Concat", ["g", "g"], ["cc"], axis=0),
            helper.make_node("Pad", ["cc", "pads"], ["pd"]),
            helper.make_node("Cast", ["a"], ["bo"], to=TensorProto.BOOL),
            helper.make_node("Where", ["bo", "a", "b"], ["w"]),
            helper.make_node("Cast", ["w"], ["wf"], to=TensorProto.FLOAT),
        ],
        [("a", t, [3, 4]), ("b", t, [4])],
        [("r", t, None), ("rm", t, None), ("pd", t, None), ("wf", F32, None)],
        {
            "one": np.array([1], np.int64),
            "zero": np.array([0], np.int64),
            "st": np.array([1], np.int64),
            "en": np.array([3], np.int64),
            "idx": np.array([0, -1, 1], np.int64),
            "pads": np.array([1, 0, 0, 2], np.int64),
        },
    )
    a = RNG.integers(0, 40, (3, 4)).astype(dtype)
    b = RNG.integers(0, 40, (4,)).astype(dtype)
    check_native(model, a, b)


def first_max_indices(
    x: np.ndarray[Any, Any], attrs: dict[str, Any], out_hw: tuple[int, int]
) -> np.ndarray[Any, Any]:
    """MaxPool's Indices by brute force: each window's first maximum, row-major."""
    n, c, h, w = x.shape
    kh, kw = attrs["kernel_shape"]
    sh, sw = attrs.get("strides", [1, 1])
    dh, dw = attrs.get("dilations", [1, 1])
    top, left = attrs.get("pads", [0, 0, 0, 0])[:2]
    out = np.zeros((n, c, *out_hw), np.int64)
    for b, ch, oi, oj in np.ndindex(*out.shape):
        best = None
        for i, j in np.ndindex(kh, kw):
            r, q = oi * sh - top + i * dh, oj * sw - left + j * dw
            if 0 <= r < h and 0 <= q < w and (best is None or x[b, ch, r, q] > best[0]):
                flat = q * h + r if attrs.get("storage_order") else r * w + q
                best = (x[b, ch, r, q], flat)
        assert best is not None
        out[b, ch, oi, oj] = (b * c + ch) * h * w + best[1]
    return out


@pytest.mark.parametrize(
    "attrs",
    [
        {"kernel_shape": [2, 3], "pads": [1, 1, 0, 1], "strides": [2, 1]},
        {
            "kernel_shape": [2, 2],
            "dilations": [2, 1],
            "ceil_mode": 1,
            "strides": [2, 2],
        },
        {"kernel_shape": [3, 2], "storage_order": 1},
    ],
)
def test_max_pool_indices(attrs: dict[str, Any]) -> None:
    # onnx.reference's Indices are wrong for non-square kernels, so the
    # indices' oracle is brute force (the values' is onnx.reference).
    model = make_model(
        [helper.make_node("MaxPool", ["x"], ["y", "i"], **attrs)],
        [("x", F32, [2, 2, 5, 6])],
        [("y", F32, None), ("i", TensorProto.INT64, None)],
    )
    x = RNG.integers(0, 4, (2, 2, 5, 6)).astype(np.float32)  # ties: the first wins
    (want_y, _) = ReferenceEvaluator(model).run(None, {"x": x})
    y, indices = run(import_onnx(model), x)
    np.testing.assert_array_equal(y, want_y)
    np.testing.assert_array_equal(indices, first_max_indices(x, attrs, y.shape[2:]))


def test_a_bfloat16_model_with_bfloat16_weights() -> None:
    import ml_dtypes

    bf16 = np.dtype(ml_dtypes.bfloat16)
    rng = np.random.default_rng(3)
    w = rng.standard_normal((8, 4)).astype(bf16)
    model = make_model(
        [
            helper.make_node("Cast", ["x"], ["xb"], to=TensorProto.BFLOAT16),
            helper.make_node("MatMul", ["xb", "w"], ["m"]),
            helper.make_node("Relu", ["m"], ["r"]),
            helper.make_node("Cast", ["r"], ["y"], to=F32),
        ],
        [("x", F32, [2, 8])],
        [("y", F32, [2, 4])],
        {"w": w},
    )
    imported = import_onnx(model)
    assert imported.params["w"].dtype == bf16
    x = rng.standard_normal((2, 8)).astype(np.float32)
    got = mlc.compile(imported)(x)
    f = np.float32
    product = (x.astype(bf16).astype(f) @ w.astype(f)).astype(bf16)
    want = np.maximum(product.astype(f), 0)
    np.testing.assert_allclose(got, want, rtol=2**-7)
    (interpreted,) = run_function(imported.module, imported.entry, [x, w])
    np.testing.assert_allclose(np.asarray(interpreted), want, rtol=2**-7)
