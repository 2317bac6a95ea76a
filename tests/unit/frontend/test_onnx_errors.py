"""
The ONNX importer refuses malformed or oversized models with one clear line
naming what is wrong, before allocating anything, and never lets a foreign
exception (numpy's, onnx.reference's) reach the user.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx

F32 = TensorProto.FLOAT


def make_model(
    nodes: list[onnx.NodeProto],
    inputs: list[onnx.ValueInfoProto],
    outputs: list[onnx.ValueInfoProto],
    initializers: list[onnx.TensorProto] | None = None,
) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializers or [])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])


def relu_model(shape: Any) -> onnx.ModelProto:
    return make_model(
        [helper.make_node("Relu", ["x"], ["y"])],
        [helper.make_tensor_value_info("x", F32, shape)],
        [helper.make_tensor_value_info("y", F32, None)],
    )


def test_an_input_without_a_shape_is_refused_by_name() -> None:
    with pytest.raises(
        UnsupportedModelError, match=r"g\.onnx: input 'x' has no shape .*input_shapes"
    ):
        import_onnx(relu_model(None))


def test_input_shapes_gives_an_unshaped_input_its_shape() -> None:
    imported = import_onnx(relu_model(None), input_shapes={"x": (2, 3)})
    assert "tensor<2x3xf32>" in str(imported.module)


def test_a_rank_0_input_is_a_scalar() -> None:
    assert "%x: tensor<f32>" in str(import_onnx(relu_model([])).module)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.onnx"
    path.write_bytes(b"")
    with pytest.raises(UnsupportedModelError, match=r"empty\.onnx: error: .*0 bytes"):
        import_onnx(path)


def test_a_model_without_a_graph_is_refused() -> None:
    with pytest.raises(UnsupportedModelError, match="no graph outputs"):
        import_onnx(onnx.ModelProto())


def initializer_model(dims: list[int], data: bytes) -> onnx.ModelProto:
    weight = TensorProto(name="w", data_type=F32, dims=dims, raw_data=data)
    return make_model(
        [helper.make_node("Add", ["x", "w"], ["y"])],
        [helper.make_tensor_value_info("x", F32, [1])],
        [helper.make_tensor_value_info("y", F32, None)],
        [weight],
    )


@pytest.mark.parametrize(
    "dims",
    [[1 << 20, 1 << 20], [1 << 40, 1 << 40, 1 << 40]],
    ids=["2^40 elements", "product overflows int64"],
)
def test_an_oversized_initializer_is_refused_by_name(dims: list[int]) -> None:
    with pytest.raises(
        UnsupportedModelError, match=r"initializer 'w' has \d+ elements"
    ):
        import_onnx(initializer_model(dims, b"\0" * 8))


def test_an_initializer_whose_data_does_not_fit_its_dims_is_refused() -> None:
    with pytest.raises(UnsupportedModelError, match=r"initializer 'w' cannot be read"):
        import_onnx(initializer_model([2, 3], b"\0" * 8))


def test_an_oversized_input_shape_is_refused() -> None:
    with pytest.raises(UnsupportedModelError, match=r"input 'x' has \d+ elements"):
        import_onnx(relu_model([1 << 30, 1 << 30]))


def test_a_failure_of_the_import_time_evaluator_names_the_node(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`Bernoulli` has no converter: onnx.reference evaluates it, failure wrapped."""
    from onnx.reference import ReferenceEvaluator

    def fail(*args: object) -> None:
        raise ValueError("cannot reshape array of size 1 into shape (1,16)\nmore")

    monkeypatch.setattr(ReferenceEvaluator, "run", fail)
    divisor = numpy_helper.from_array(np.full((2, 2), 3, np.float32), "z")
    model = make_model(
        [helper.make_node("Bernoulli", ["z"], ["y"], name="m")],
        [],
        [helper.make_tensor_value_info("y", F32, None)],
        [divisor],
    )
    with pytest.raises(UnsupportedModelError) as error:
        import_onnx(model)
    message = str(error.value)
    assert message.startswith("g.onnx: node 'm' (Bernoulli): error: ")
    assert "onnx's reference implementation failed (ValueError: cannot" in message
    assert "\n" not in message


def test_gather_elements_over_a_long_axis_imports() -> None:
    """onnx.reference fails past 64 entries (np.choose); mlc converts the op."""
    data = np.arange(100, dtype=np.float32).reshape(1, 100)
    indices = (np.arange(16, dtype=np.int64) * 6 - 50).reshape(1, 16)
    model = make_model(
        [helper.make_node("GatherElements", ["d", "i"], ["y"], axis=1, name="ge")],
        [helper.make_tensor_value_info("d", F32, [1, 100])],
        [helper.make_tensor_value_info("y", F32, None)],
        [numpy_helper.from_array(indices, "i")],
    )
    from mlc.interpreters import run_function

    imported = import_onnx(model)
    params = list(imported.params.values())
    (result,) = run_function(imported.module, imported.entry, [data, *params])
    want = np.take_along_axis(data, np.where(indices < 0, indices + 100, indices), 1)
    np.testing.assert_array_equal(result, want)


def test_docs_list_every_converter_once() -> None:
    """docs/onnx.md's op table names exactly the op types with a converter."""
    import re

    from mlc.frontend.onnx import CONVERTERS

    docs = (Path(__file__).resolve().parents[3] / "docs" / "onnx.md").read_text()
    rows = re.findall(r"^\| `\w+\.py` \| (.*) \|$", docs, flags=re.M)
    listed = [
        item.strip()
        for row in rows
        for item in re.sub(r"\([^)]*\)", "", row).split(",")
    ]
    assert sorted(listed) == sorted(set(listed)), "an op is listed twice"
    assert set(listed) == set(CONVERTERS)
