"""
ONNX ops in the forms of older opsets (`mlc.frontend.onnx.versions`): each
model, imported and run by the graph-level interpreter, against onnx's
reference implementation of that version; and the forms mlc refuses.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx
from mlc.frontend.onnx.versions import op_version
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(0)


def model_of(
    op: str,
    inputs: list[Array],
    attrs: dict[str, Any],
    opset: int,
    outputs: int = 1,
    constants: dict[int, Array] | None = None,
) -> onnx.ModelProto:
    constants = constants or {}
    names = [f"c{i}" if i in constants else f"x{i}" for i in range(len(inputs))]
    graph_inputs = [
        helper.make_tensor_value_info(
            n, helper.np_dtype_to_tensor_dtype(a.dtype), list(a.shape)
        )
        for n, a in zip(names, inputs, strict=True)
        if n.startswith("x")
    ]
    out_names = [f"y{i}" for i in range(outputs)]
    node = helper.make_node(op, names, out_names, name="n", **attrs)
    graph = helper.make_graph(
        [node],
        "g",
        graph_inputs,
        [helper.make_empty_tensor_value_info(n) for n in out_names],
        [numpy_helper.from_array(a, f"c{i}") for i, a in constants.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 3 if opset < 8 else 7  # what exporters of the time wrote
    return model


def check(
    op: str,
    opset: int,
    *inputs: Array,
    outputs: int = 1,
    constant: tuple[int, ...] = (),
    expected: list[Array] | None = None,
    **attrs: Any,
) -> None:
    constants = {i: inputs[i] for i in constant}
    model = model_of(op, list(inputs), attrs, opset, outputs, constants)
    feeds = {f"x{i}": a for i, a in enumerate(inputs) if i not in constants}
    if expected is None:
        expected = ReferenceEvaluator(model).run(None, feeds)
    imported = import_onnx(model)
    params = list(imported.params.values())
    actual = run_function(imported.module, imported.entry, [*feeds.values(), *params])
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        got = np.asarray(got)
        assert got.dtype == want.dtype
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def floats(*shape: int) -> Array:
    return RNG.standard_normal(shape).astype(np.float32)


X = floats(2, 3, 4)


def test_op_version_is_the_newest_schema_not_after_the_opset() -> None:
    assert op_version("Split", 12) == 11
    assert op_version("Split", 18) == 18
    assert op_version("Range", 27) == 27
    assert op_version("Gelu", 11) is None


@pytest.mark.parametrize("opset", [2, 11])
def test_split_sizes_as_an_attribute(opset: int) -> None:
    check("Split", opset, X, outputs=2, axis=2, split=[1, 3])


def test_split_without_sizes_in_equal_parts() -> None:
    check("Split", 11, X, outputs=2, axis=2)


def test_split_1_takes_sizes_as_an_input() -> None:
    sizes = np.asarray([2, 2], np.int64)
    model = model_of("Split", [X, sizes], {"axis": 2}, 1, 2, {1: sizes})
    imported = import_onnx(model)
    got = run_function(imported.module, imported.entry, [X])
    for want, part in zip(np.split(X, 2, axis=2), got, strict=True):
        np.testing.assert_array_equal(np.asarray(part), want)


@pytest.mark.parametrize("opset", [1, 11])
def test_squeeze_and_unsqueeze_axes_as_attributes(opset: int) -> None:
    check("Squeeze", opset, floats(2, 1, 3, 1), axes=[1, 3])
    check("Squeeze", opset, floats(2, 1, 3, 1))
    check("Unsqueeze", opset, X, axes=[0, 4] if opset == 11 else [0, 3])


@pytest.mark.parametrize(
    ("op", "opset"),
    [
        ("ReduceSum", 11),
        ("ReduceMean", 13),
        ("ReduceMax", 12),
        ("ReduceMin", 11),
        ("ReduceL2", 1),
        ("ReduceLogSumExp", 13),
        ("ReduceSumSquare", 11),
    ],
)
def test_reduce_axes_as_an_attribute(op: str, opset: int) -> None:
    check(op, opset, X, axes=[0, 2], keepdims=0)
    check(op, opset, X, keepdims=1)  # no axes: all of them


@pytest.mark.parametrize("opset", [1, 9])
def test_slice_bounds_as_attributes(opset: int) -> None:
    check("Slice", opset, X, starts=[1, -3], ends=[3, 100], axes=[1, 2])
    check("Slice", opset, X, starts=[0, 1], ends=[1, 2])


def test_reshape_1_shape_as_an_attribute() -> None:
    expected = [X.reshape(6, 4)]
    check("Reshape", 1, X, expected=expected, shape=[-1, 4])


@pytest.mark.parametrize("opset", [2, 10])
def test_pad_pads_and_value_as_attributes(opset: int) -> None:
    check("Pad", opset, X, pads=[0, 1, 2, 0, 0, 1], value=1.5)
    check("Pad", opset, X, pads=[0, 1, 2, 0, 0, 1], mode="reflect")


def test_pad_1_paddings() -> None:
    expected = [np.pad(X, [(0, 0), (1, 0), (2, 1)], constant_values=-2.0)]
    check("Pad", 1, X, expected=expected, paddings=[0, 1, 2, 0, 0, 1], value=-2.0)


@pytest.mark.parametrize("opset", [6, 10])
def test_clip_bounds_as_attributes(opset: int) -> None:
    check("Clip", opset, X, min=-0.5, max=0.25)
    check("Clip", opset, X, max=0.25)


def test_cast_1_names_its_type() -> None:
    check("Cast", 1, X, expected=[X.astype(np.float64)], to="DOUBLE")


def test_concat_1_defaults_to_axis_1() -> None:
    a, b = floats(2, 3), floats(2, 2)
    check("Concat", 1, a, b, expected=[np.concatenate([a, b], axis=1)])


@pytest.mark.parametrize("op", ["Softmax", "LogSoftmax", "Hardmax"])
@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1])
def test_softmax_before_13_coerces_to_2d(op: str, axis: int | None) -> None:
    # onnx's reference implementation reads `axis` as the newer forms do.
    attrs = {} if axis is None else {"axis": axis}
    at = (1 if axis is None else axis) % X.ndim
    flat = X.reshape(int(np.prod(X.shape[:at])), -1)
    shifted = flat - flat.max(axis=1, keepdims=True)
    if op == "Softmax":
        out = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    elif op == "LogSoftmax":
        out = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    else:
        out = np.zeros_like(flat)
        out[np.arange(len(flat)), flat.argmax(axis=1)] = 1
    check(op, 11, X, expected=[out.reshape(X.shape).astype(np.float32)], **attrs)


@pytest.mark.parametrize(
    ("op", "b", "axis", "opset"),
    [
        ("Add", floats(3), 1, 6),
        ("Sub", floats(4), None, 6),
        ("Mul", floats(2, 3), 0, 1),
        ("Div", floats(3, 4), None, 6),
        ("Pow", np.abs(floats(3)) + 0.5, 1, 1),
    ],
)
def test_binary_ops_before_7_broadcast_at_axis(
    op: str, b: Array, axis: int | None, opset: int
) -> None:
    a = np.abs(X) + 0.5
    attrs: dict[str, Any] = {"broadcast": 1}
    if axis is not None:
        attrs["axis"] = axis
    shape = [1] * (axis if axis is not None else 3 - b.ndim) + list(b.shape)
    shaped = b.reshape(shape + [1] * (3 - len(shape)))
    numpy_op = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply}
    numpy_op |= {"Div": np.divide, "Pow": np.power}
    check(op, opset, a, b, expected=[numpy_op[op](a, shaped)], **attrs)


def test_logic_before_7_broadcast_at_axis() -> None:
    a = RNG.integers(0, 2, (2, 3, 4)).astype(np.bool_)
    b = RNG.integers(0, 2, (3,)).astype(np.bool_)
    want = np.logical_xor(a, b.reshape(1, 3, 1))
    check("Xor", 1, a, b, expected=[want], broadcast=1, axis=1)
    y = floats(3)
    check("Less", 1, X, y, expected=[X < y.reshape(1, 3, 1)], broadcast=1, axis=1)


@pytest.mark.parametrize("opset", [7, 11])
def test_dropout_before_12_is_an_identity(opset: int) -> None:
    mask = np.ones(X.shape, np.float32 if opset < 10 else np.bool_)
    check("Dropout", opset, X, outputs=2, expected=[X, mask], ratio=0.3)


def test_batch_normalization_9_is_inference_with_one_output() -> None:
    scale, bias, mean = floats(3), floats(3), floats(3)
    var = np.abs(floats(3)) + 0.5
    # onnx's reference implementation of version 9 runs it in training mode.
    at = (3, 1)
    want = (X - mean.reshape(at)) / np.sqrt(var.reshape(at) + np.float32(1e-3))
    want = want * scale.reshape(at) + bias.reshape(at)
    inputs = (X, scale, bias, mean, var)
    check("BatchNormalization", 9, *inputs, expected=[want], epsilon=1e-3)


def test_batch_normalization_9_with_running_statistics_is_training() -> None:
    scale, bias, mean = floats(3), floats(3), floats(3)
    var = np.abs(floats(3)) + 0.5
    model = model_of(
        "BatchNormalization", [X, scale, bias, mean, var], {"momentum": 0.8}, 14, 3
    )
    feeds = {f"x{i}": a for i, a in enumerate([X, scale, bias, mean, var])}
    model14 = model.SerializeToString()
    model14_proto = onnx.load_from_string(model14)
    model14_proto.graph.node[0].attribute.append(
        helper.make_attribute("training_mode", 1)
    )
    expected = ReferenceEvaluator(model14_proto).run(None, feeds)
    check(
        "BatchNormalization",
        9,
        X,
        scale,
        bias,
        mean,
        var,
        outputs=3,
        expected=expected,
        momentum=0.8,
    )


def refusal(op: str, opset: int, inputs: list[Array], **attrs: Any) -> str:
    model = model_of(op, inputs, attrs, opset, 1)
    with pytest.raises(UnsupportedModelError) as info:
        import_onnx(model)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_forms_mlc_does_not_run_are_listed_by_name() -> None:
    assert "Tile before opset 6 (tiles and axis inputs)" in refusal(
        "Tile", 1, [X, np.asarray(2, np.int64), np.asarray(0, np.int64)]
    )
    message = refusal("BatchNormalization", 7, [X, *[floats(3)] * 4], spatial=0)
    assert "BatchNormalization-7 with spatial = 0 (1 node, first 'n')" in message
    assert "Gelu does not exist in opset 11" in refusal("Gelu", 11, [X])
