"""Models with symbolic dimensions: compiled per concrete input shape."""

from __future__ import annotations

import io
import logging
import warnings
from typing import Any

import numpy as np
import pytest

import mlc
from mlc.runtime.specialize import DynamicModule

LINEAR_RELU = """
func.func @f(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>)
    -> tensor<?x3xf32> {
  %0 = graph.linear %x, %w, %b
    : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %1 = graph.relu %0 : tensor<?x3xf32>
  func.return %1 : tensor<?x3xf32>
}
"""

ADD_TWO = """
func.func @add(%a: tensor<?x2xf32>, %b: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %0 = graph.add %a, %b : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<?x2xf32>
  func.return %0 : tensor<?x2xf32>
}
"""

RNG = np.random.default_rng(0)


def normal(*shape: int) -> Any:
    return RNG.standard_normal(shape).astype(np.float32)


# --------------------------------------------------------------------------- #
# Graph IR with `?`
# --------------------------------------------------------------------------- #


def test_graph_ir_with_dynamic_batch_runs_at_every_batch() -> None:
    model = mlc.compile(LINEAR_RELU, opt_level=1)
    assert isinstance(model, DynamicModule)
    assert str(model.signature) == (
        "@f(x: ?x4xfloat32, w: 3x4xfloat32, b: 3xfloat32) -> (out0: ?x3xfloat32)"
    )
    w, b = normal(3, 4), normal(3)
    run = model.bind(w=w, b=b)
    assert [s.name for s in run.signature.inputs] == ["x"]
    for batch in (1, 3, 8):
        x = normal(batch, 4)
        np.testing.assert_allclose(
            run(x), np.maximum(x @ w.T + b, 0), rtol=1e-5, atol=1e-6
        )
    info = run.cache_info()
    assert (info.misses, info.size) == (3, 3)
    run(normal(3, 4))
    assert run.cache_info().hits == 1
    assert [shapes["x"] for shapes, _ in run.timing] == [(1, 4), (3, 4), (8, 4)]
    assert all(seconds > 0 for _, seconds in run.timing)


def test_each_compile_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    model = mlc.compile(ADD_TWO, opt_level=0)
    with caplog.at_level(logging.INFO, logger="mlc.runtime.specialize"):
        model(normal(5, 2), normal(5, 2))
        model(normal(5, 2), normal(5, 2))
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1, lines
    assert "specialized @add for a: 5x2, b: 5x2" in lines[0]
    assert "1 of at most 8 variants" in lines[0]


def test_the_variant_cache_is_bounded() -> None:
    model = mlc.compile(ADD_TWO, opt_level=0)
    assert isinstance(model, DynamicModule)
    options = model._variants.options  # pyright: ignore[reportPrivateUsage]
    source = model._source  # pyright: ignore[reportPrivateUsage]
    small = DynamicModule(source, options, max_variants=2)
    for batch in (1, 2, 3, 1):
        a, b = normal(batch, 2), normal(batch, 2)
        np.testing.assert_allclose(small(a, b), a + b, rtol=1e-6)
    info = small.cache_info()
    # 1, 2, 3 compile; 3 evicts 1, so the second 1 compiles again and evicts 2.
    assert (info.misses, info.evictions, info.size, info.hits) == (4, 2, 2, 0)
    with pytest.raises(ValueError, match="max_variants must be at least 1"):
        DynamicModule(source, options, max_variants=0)


def test_input_errors_name_the_argument() -> None:
    model = mlc.compile(ADD_TWO, opt_level=0)
    with pytest.raises(mlc.InputError, match=r"takes 2 input\(s\) \(a, b\), got 1"):
        model(normal(2, 2))
    with pytest.raises(mlc.InputError, match=r"argument #0 'a': expected shape"):
        model(normal(2), normal(2, 2))  # rank
    with pytest.raises(mlc.InputError, match=r"and dtype float32, got .* float64"):
        model(np.zeros((2, 2)), normal(2, 2))  # dtype
    with pytest.raises(mlc.InputError, match=r"dimension 1 is fixed at 2"):
        model(normal(2, 3), normal(2, 3))
    # Anonymous dims are independent, but the op's inference refuses 2 vs 3.
    with pytest.raises(mlc.InputError, match=r"the inputs' shapes do not fit"):
        model(normal(2, 2), normal(3, 2))
    # A list converts as for a static module.
    np.testing.assert_allclose(model([[1, 2]], [[3, 4]]), [[4, 6]])


def test_input_shapes_fixes_the_shapes_up_front() -> None:
    model = mlc.compile(ADD_TWO, opt_level=0, input_shapes={"a": (4, 2), "b": (4, 2)})
    assert isinstance(model, mlc.CompiledModule)
    assert str(model.signature) == (
        "@add(a: 4x2xfloat32, b: 4x2xfloat32) -> (out0: 4x2xfloat32)"
    )
    partial = mlc.compile(ADD_TWO, opt_level=0, input_shapes={"a": (4, 2)})
    assert isinstance(partial, DynamicModule)
    assert str(partial.signature.inputs[0]) == "a: 4x2xfloat32"


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        ({"c": (1, 2)}, r"input_shapes names 'c', which is no input of @add"),
        ({"a": (1, 2, 3)}, r"input_shapes\['a'\] = \(1, 2, 3\) does not fit"),
        ({"a": (1, 5)}, r"dimension 1 is fixed at 2"),
        ({"a": "1x2"}, r"must be a sequence of sizes"),
    ],
)
def test_bad_input_shapes_are_compile_errors(
    shapes: dict[str, Any], message: str
) -> None:
    with pytest.raises(mlc.CompileError, match=message):
        mlc.compile(ADD_TWO, input_shapes=shapes)


def test_specialize_returns_a_static_module() -> None:
    model = mlc.compile(LINEAR_RELU, opt_level=0)
    assert isinstance(model, DynamicModule)
    static = model.specialize({"x": (2, 4)})
    assert str(static.signature).startswith("@f(x: 2x4xfloat32")
    with pytest.raises(mlc.CompileError, match=r"give its shape with input_shapes"):
        model.specialize({})


def test_static_ir_is_unchanged() -> None:
    static = ADD_TWO.replace("?", "3")
    assert isinstance(mlc.compile(static, opt_level=0), mlc.CompiledModule)


# --------------------------------------------------------------------------- #
# ONNX with dim_param (exported from torch with dynamic_axes)
# --------------------------------------------------------------------------- #


def _dynamic_batch_onnx() -> tuple[Any, Any]:
    torch = pytest.importorskip("torch")
    onnx = pytest.importorskip("onnx")
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 5 * 5, 6),
    ).eval()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # The legacy (TorchScript) exporter, as most ONNX files in the wild
        # come from; the dynamo one needs onnxscript. It announces its
        # deprecation on every call.
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            net,
            (torch.randn(2, 3, 5, 5),),
            buffer,
            input_names=["x"],
            output_names=["y"],
            dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
            dynamo=False,
        )
    return net, onnx.load_from_string(buffer.getvalue())


def test_onnx_dynamic_batch_matches_torch(tmp_path: Any) -> None:
    import onnx
    import torch

    net, proto = _dynamic_batch_onnx()
    path = tmp_path / "net.onnx"
    onnx.save(proto, path)
    model = mlc.compile(path, opt_level=1)
    assert isinstance(model, DynamicModule)
    assert str(model.signature) == (
        "@main_graph(x: batchx3x5x5xfloat32) -> (y: batchx6xfloat32)"
    )
    for batch in (1, 3, 8):
        x = normal(batch, 3, 5, 5)
        with torch.no_grad():
            expected = net(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(model(x), expected, rtol=1e-4, atol=1e-5)
    assert model.cache_info().misses == 3
    with pytest.raises(mlc.InputError, match=r"dimension 1 is fixed at 3"):
        model(normal(2, 4, 5, 5))


def test_onnx_input_shapes_and_model_proto() -> None:
    _, proto = _dynamic_batch_onnx()
    static = mlc.compile(proto, opt_level=0, input_shapes={"x": (2, 3, 5, 5)})
    assert isinstance(static, mlc.CompiledModule)
    assert static(normal(2, 3, 5, 5)).shape == (2, 6)
    with pytest.raises(mlc.CompileError, match=r"input_shapes names 'y'"):
        mlc.compile(proto, input_shapes={"y": (1, 6)})


def test_a_named_symbol_must_agree_across_inputs() -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Add", ["a", "b"], ["c"])],
        "add",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, ["n", 2]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, ["n", 2]),
        ],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, ["n", 2])],
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model = mlc.compile(proto, opt_level=0)
    assert (
        str(model.signature)
        == "@add(a: nx2xfloat32, b: nx2xfloat32) -> (c: nx2xfloat32)"
    )
    with pytest.raises(
        mlc.InputError, match=r"'b': dimension 0 is 'n', which is 3 in 'a', got 4"
    ):
        model(normal(3, 2), normal(4, 2))
    a, b = normal(3, 2), normal(3, 2)
    np.testing.assert_allclose(model(a, b), a + b)
    del onnx


def test_onnx_unsupported_ops_fail_at_compile_not_at_first_call() -> None:
    pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Bernoulli", ["x"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 3])],
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    with pytest.raises(ValueError, match="unsupported ONNX ops: Bernoulli"):
        mlc.compile(proto)


def test_onnx_shape_the_importer_refuses_is_an_input_error() -> None:
    pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    shape = numpy_helper.from_array(np.array([2, 3], np.int64), "shape")
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"])],
        "r",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
        [shape],
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model = mlc.compile(proto, opt_level=0)
    assert model(np.arange(6, dtype=np.float32)).shape == (2, 3)
    with pytest.raises(mlc.InputError, match="the inputs' shapes do not fit"):
        model(np.arange(5, dtype=np.float32))


def test_threads_share_the_variants_and_compile_each_once() -> None:
    import threading

    model = mlc.compile(ADD_TWO, opt_level=0)
    failures: list[BaseException] = []

    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        for _ in range(50):
            a = rng.standard_normal((int(rng.integers(1, 4)), 2)).astype(np.float32)
            try:
                np.testing.assert_allclose(model(a, a), 2 * a)
            except BaseException as error:  # reported by the main thread
                failures.append(error)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    info = model.cache_info()
    assert (info.misses, info.size, info.hits) == (3, 3, 197)
