"""
Scan, If and Loop imported from ONNX, unrolled or resolved at import, against
onnx's reference implementation (onnxruntime for opset 8's Scan); what cannot
be resolved at import is refused by name.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import constant_operand_inputs, import_onnx
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]
F = TensorProto.FLOAT


def _info(name: str, elem: int = F, shape: list[int] | None = None) -> Any:
    return helper.make_tensor_value_info(name, elem, shape)


def _model(
    nodes: list[onnx.NodeProto],
    inputs: list[Any],
    outputs: list[str],
    inits: dict[str, Array] | None = None,
    opset: int = 21,
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "g",
        inputs,
        [_info(n) for n in outputs],
        [numpy_helper.from_array(v, k) for k, v in (inits or {}).items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 10
    return model


def _run(model: onnx.ModelProto, feeds: dict[str, Array]) -> list[Array]:
    fixed = set(constant_operand_inputs(model))
    names = [v.name for v in model.graph.input]
    imported = import_onnx(
        model, input_values={k: v for k, v in feeds.items() if k in fixed}
    )
    args = [feeds[n] for n in names if n not in fixed]
    results = run_function(
        imported.module, imported.entry, [*args, *imported.params.values()]
    )
    return [np.asarray(r) for r in results]


def _ort(model: onnx.ModelProto, feeds: dict[str, Array]) -> list[Array]:
    """onnxruntime's outputs (onnx's reference runs Scan only forward)."""
    session = ort.InferenceSession(model.SerializeToString())
    return list(session.run(None, feeds))


def _check(
    model: onnx.ModelProto, feeds: dict[str, Array], reference: bool = True
) -> None:
    if reference:
        evaluator: Any = ReferenceEvaluator(model)
        want = evaluator.run(None, feeds)
    else:
        want = _ort(model, feeds)
    got = _run(model, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def _rand(*shape: int, seed: int = 0) -> Array:
    return (
        np.random.default_rng(seed + sum(shape))
        .standard_normal(shape)
        .astype(np.float32)
    )


# --------------------------------------------------------------------------- #
# Scan
# --------------------------------------------------------------------------- #


def _scan_body() -> onnx.GraphProto:
    """States (s, p), scan inputs (x, y): s += x * y, p *= 0.5; outputs s, x - y."""
    half = helper.make_node(
        "Constant", [], ["half"], value=numpy_helper.from_array(np.float32(0.5))
    )
    nodes = [
        half,
        helper.make_node("Mul", ["x", "y"], ["xy"]),
        helper.make_node("Add", ["s", "xy"], ["s_out"]),
        helper.make_node("Mul", ["p", "half"], ["p_out"]),
        helper.make_node("Identity", ["s_out"], ["o1"]),
        helper.make_node("Sub", ["x", "y"], ["o2"]),
    ]
    return helper.make_graph(
        nodes,
        "body",
        [
            _info("s", F, [3]),
            _info("p", F, [2]),
            _info("x", F, [3]),
            _info("y", F, [3]),
        ],
        [_info("s_out"), _info("p_out"), _info("o1"), _info("o2")],
    )


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"scan_input_axes": [0, 1], "scan_input_directions": [1, 0]},
        {"scan_output_axes": [1, -2], "scan_output_directions": [1, 0]},
        {
            "scan_input_axes": [-1, 1],
            "scan_input_directions": [0, 1],
            "scan_output_axes": [0, 1],
            "scan_output_directions": [0, 1],
        },
    ],
)
def test_scan9_axes_and_directions(attrs: dict[str, Any]) -> None:
    in_axes = attrs.get("scan_input_axes", [0, 0])
    x_shape = [4, 3] if in_axes[0] == 0 else [3, 4]
    y_shape = [4, 3] if in_axes[1] == 0 else [3, 4]
    node = helper.make_node(
        "Scan",
        ["s0", "p0", "X", "Y"],
        ["s", "p", "o1", "o2"],
        body=_scan_body(),
        num_scan_inputs=2,
        **attrs,
    )
    model = _model(
        [node],
        [_info("s0", F, [3]), _info("p0", F, [2]), _info("X", F, x_shape),
         _info("Y", F, y_shape)],
        ["s", "p", "o1", "o2"],
    )  # fmt: skip
    feeds = {
        "s0": _rand(3),
        "p0": _rand(2, seed=1),
        "X": _rand(*x_shape, seed=2),
        "Y": _rand(*y_shape, seed=3),
    }
    _check(model, feeds, reference=not attrs)


def test_scan8_batch_and_sequence_lens() -> None:
    body = helper.make_graph(
        [
            helper.make_node("Add", ["s", "x"], ["s_out"]),
            helper.make_node("Identity", ["s_out"], ["o"]),
        ],
        "body",
        [_info("s", F, [2]), _info("x", F, [2])],
        [_info("s_out", F, [2]), _info("o", F, [2])],
    )
    node = helper.make_node(
        "Scan",
        ["lens", "s0", "X"],
        ["s", "o"],
        body=body,
        num_scan_inputs=1,
        directions=[1],
    )
    lens = np.array([3, 2], np.int64)
    model = _model(
        [node],
        [_info("s0", F, [2, 2]), _info("X", F, [2, 3, 2])],
        ["s", "o"],
        {"lens": lens},
        opset=8,
    )
    model.ir_version = 3
    feeds = {"s0": _rand(2, 2), "X": _rand(2, 3, 2, seed=1)}
    want = _ort(model, feeds)
    got = _run(model, feeds)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-6)
    # The second entry runs its 2 steps from its step 1 back; zeros after.
    np.testing.assert_array_equal(got[1][1, 2], np.zeros(2, np.float32))


# --------------------------------------------------------------------------- #
# If
# --------------------------------------------------------------------------- #


def _branch(name: str, node: onnx.NodeProto, out: str) -> onnx.GraphProto:
    return helper.make_graph([node], name, [], [_info(out)])


def _if(then_node: onnx.NodeProto, else_node: onnx.NodeProto) -> onnx.NodeProto:
    return helper.make_node(
        "If",
        ["c"],
        ["r"],
        then_branch=_branch("then", then_node, "t"),
        else_branch=_branch("else", else_node, "e"),
    )


@pytest.mark.parametrize("cond", [True, False])
def test_if_on_a_runtime_condition_selects(cond: bool) -> None:
    node = _if(
        helper.make_node("Mul", ["x", "x"], ["t"]),
        helper.make_node("Neg", ["x"], ["e"]),
    )
    model = _model(
        [node], [_info("c", TensorProto.BOOL, []), _info("x", F, [2, 3])], ["r"]
    )
    _check(model, {"c": np.array(cond), "x": _rand(2, 3)})


@pytest.mark.parametrize("cond", [True, False])
def test_if_on_a_constant_condition_takes_one_branch(cond: bool) -> None:
    node = _if(
        helper.make_node("Transpose", ["x"], ["t"]),
        helper.make_node("Neg", ["x"], ["e"]),
    )
    model = _model([node], [_info("x", F, [2, 3])], ["r"], {"c": np.array([cond])})
    _check(model, {"x": _rand(2, 3)})


def test_if_refuses_branches_of_different_shapes_on_a_runtime_condition() -> None:
    node = _if(
        helper.make_node("Transpose", ["x"], ["t"]),
        helper.make_node("Neg", ["x"], ["e"]),
    )
    model = _model(
        [node], [_info("c", TensorProto.BOOL, []), _info("x", F, [2, 3])], ["r"]
    )
    with pytest.raises(UnsupportedModelError) as error:
        import_onnx(model)
    assert str(error.value) == (
        "g.onnx: node 'If_0' (If): error: the condition is not known at import "
        "and the branches' output 0 differ: [3, 2] float32 and [2, 3] float32"
    )


def test_if_output_used_as_a_shape_fixes_what_its_branch_reads() -> None:
    """`constant_operand_inputs` follows a needed If output into its branches."""
    node = _if(
        helper.make_node("Identity", ["shape_a"], ["t"]),
        helper.make_node("Identity", ["shape_b"], ["e"]),
    )
    reshape = helper.make_node("Reshape", ["x", "r"], ["y"])
    i64 = TensorProto.INT64
    model = _model(
        [node, reshape],
        [_info("shape_a", i64, [2]), _info("shape_b", i64, [2]),
         _info("x", F, [2, 3])],
        ["y"],
        {"c": np.array(False)},
    )  # fmt: skip
    assert constant_operand_inputs(model) == ["shape_a", "shape_b"]
    feeds = {"shape_a": np.array([3, 2]), "shape_b": np.array([6, 1]), "x": _rand(2, 3)}
    _check(model, feeds)


# --------------------------------------------------------------------------- #
# Loop
# --------------------------------------------------------------------------- #


def _loop_body(cond_node: onnx.NodeProto | None = None) -> onnx.GraphProto:
    """Carried `acc += w * i` (w an outer value), scan output `acc`."""
    nodes = [
        helper.make_node("Cast", ["i"], ["fi"], to=F),
        helper.make_node("Mul", ["w", "fi"], ["wi"]),
        helper.make_node("Add", ["acc", "wi"], ["acc_out"]),
        helper.make_node("Identity", ["acc_out"], ["scan"]),
        cond_node or helper.make_node("Identity", ["cond"], ["cond_out"]),
    ]
    return helper.make_graph(
        nodes,
        "body",
        [_info("i", TensorProto.INT64, []), _info("cond", TensorProto.BOOL, []),
         _info("acc", F, [3])],
        [_info("cond_out", TensorProto.BOOL, []), _info("acc_out"), _info("scan")],
    )  # fmt: skip


def test_loop_with_a_trip_count_fixed_at_import() -> None:
    node = helper.make_node(
        "Loop", ["M", "c", "acc0"], ["acc", "scans"], body=_loop_body()
    )
    model = _model(
        [node],
        [_info("M", TensorProto.INT64, []), _info("c", TensorProto.BOOL, []),
         _info("acc0", F, [3]), _info("w", F, [3])],
        ["acc", "scans"],
    )  # fmt: skip
    assert constant_operand_inputs(model) == ["M", "c"]
    feeds = {
        "M": np.array(4, np.int64),
        "c": np.array(True),
        "acc0": _rand(3),
        "w": _rand(3, seed=1),
    }
    _check(model, feeds)


def test_loop_ends_on_a_condition_known_at_each_step() -> None:
    """No trip count: the body's `i < 2` folds at each step, so 3 steps run."""
    two = numpy_helper.from_array(np.int64(2))
    body = _loop_body(helper.make_node("Less", ["i", "two"], ["cond_out"]))
    body.node.insert(0, helper.make_node("Constant", [], ["two"], value=two))
    node = helper.make_node("Loop", ["", "c", "acc0"], ["acc", "scans"], body=body)
    model = _model(
        [node],
        [_info("acc0", F, [3]), _info("w", F, [3])],
        ["acc", "scans"],
        {"c": np.array(True)},
    )
    feeds = {"acc0": _rand(3), "w": _rand(3, seed=1)}
    _check(model, feeds)
    assert _run(model, feeds)[1].shape == (3, 3)


def test_loop_refuses_a_trip_count_known_only_at_run_time() -> None:
    node = helper.make_node("Loop", ["M", "", "acc0"], ["acc"], body=_loop_body())
    model = _model(
        [node],
        [_info("M", TensorProto.INT64, []), _info("acc0", F, [3]),
         _info("w", F, [3])],
        ["acc"],
    )  # fmt: skip
    with pytest.raises(UnsupportedModelError) as error:
        import_onnx(model)
    assert str(error.value) == (
        "g.onnx: node 'Loop_0' (Loop): error: the trip count M must be known at "
        "import (mlc unrolls loops)"
    )


def test_loop_refuses_a_data_dependent_condition() -> None:
    zero = numpy_helper.from_array(np.float32(0))
    body = _loop_body(helper.make_node("Greater", ["s0", "zero"], ["cond_out"]))
    body.node.insert(0, helper.make_node("Constant", [], ["zero"], value=zero))
    body.node.insert(4, helper.make_node("ReduceSum", ["acc_out"], ["s0"], keepdims=0))
    node = helper.make_node("Loop", ["M", "", "acc0"], ["acc"], body=body)
    model = _model(
        [node],
        [_info("acc0", F, [3]), _info("w", F, [3])],
        ["acc"],
        {"M": np.array(5, np.int64)},
    )
    with pytest.raises(UnsupportedModelError) as error:
        import_onnx(model)
    assert str(error.value) == (
        "g.onnx: node 'Loop_0' (Loop): error: the body's condition output is not "
        "known at import at step 0 (a data-dependent loop)"
    )
