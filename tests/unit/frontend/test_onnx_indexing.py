"""
ONNX scatters, top-k, einsum, selections and Lp/unpooling: each imported model
against onnx's reference implementation, run by the graph-level interpreter
and, for the ops with a lowering of their own, compiled to native code.
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
RNG = np.random.default_rng(0)


def model_of(
    op: str,
    inputs: list[Array],
    attrs: dict[str, Any],
    constants: dict[int, Array],
    outputs: int,
    opset: int,
) -> onnx.ModelProto:
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
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def check(
    op: str,
    *inputs: Array,
    attrs: dict[str, Any] | None = None,
    constant: tuple[int, ...] = (),
    opset: int = 21,
    outputs: int = 1,
    native: bool = False,
    rtol: float = 1e-5,
) -> None:
    """The interpreter's (and, with `native`, compiled) results vs onnx's."""
    constants = {i: inputs[i] for i in constant}
    model = model_of(op, list(inputs), attrs or {}, constants, outputs, opset)
    args = [a for i, a in enumerate(inputs) if i not in constants]
    feeds = {f"x{i}": a for i, a in enumerate(inputs) if i not in constants}
    expected = ReferenceEvaluator(model).run(None, feeds)
    imported = import_onnx(model)
    params = list(imported.params.values())
    runs = [run_function(imported.module, imported.entry, [*args, *params])]
    if native:
        result = mlc.compile(imported, opt_level=1)(*args)  # pyright: ignore
        runs.append(list(result) if isinstance(result, tuple) else [result])
    for actual in runs:
        for want, got in zip(expected, actual, strict=True):
            got = np.asarray(got)
            assert got.dtype == want.dtype
            assert got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6)


def floats(*shape: int) -> Array:
    return RNG.standard_normal(shape).astype(np.float32)


# --------------------------------------------------------------------------- #
# Scatters
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("reduction", ["none", "add", "mul", "max", "min"])
def test_scatter_elements_reductions(reduction: str) -> None:
    data = floats(4, 5)
    indices = np.array([[1, -1, 0], [3, 3, -4]], np.int64)  # narrower than data
    check(
        "ScatterElements",
        data,
        indices,
        floats(2, 3),
        attrs={"axis": 0, "reduction": reduction},
        native=True,
    )


def test_scatter_elements_int32_indices_on_the_last_axis() -> None:
    data = RNG.integers(-9, 9, (2, 3, 6)).astype(np.int32)
    indices = RNG.integers(-6, 6, (2, 3, 4)).astype(np.int32)
    updates = RNG.integers(-9, 9, (2, 3, 4)).astype(np.int32)
    check("ScatterElements", data, indices, updates, attrs={"axis": -1}, native=True)


@pytest.mark.parametrize("reduction", ["none", "add", "mul"])  # max, min: conformance
def test_scatter_nd(reduction: str) -> None:
    data = floats(4, 3, 2)
    indices = np.array([[0, 1], [-1, 2], [2, 0]], np.int64)  # 3 index pairs
    check(
        "ScatterND",
        data,
        indices,
        floats(3, 2),
        attrs={"reduction": reduction},
        native=True,
    )


def test_scatter_nd_whole_rows() -> None:
    indices = np.array([[2], [0]], np.int64)
    check("ScatterND", floats(3, 4), indices, floats(2, 4), native=True)


@pytest.mark.parametrize("mode", ["linear", "circular"])
def test_tensor_scatter_writes_each_batch_at_its_index(mode: str) -> None:
    cache = floats(2, 3, 5, 4)
    update = floats(2, 3, 2, 4)
    where = np.array([1, 4 if mode == "circular" else 3], np.int64)
    check(
        "TensorScatter",
        cache,
        update,
        where,
        attrs={"mode": mode},
        opset=24,
        native=True,
    )


# --------------------------------------------------------------------------- #
# Top-k
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("largest", [0, 1])
@pytest.mark.parametrize("axis", [0, -1])
def test_top_k_with_ties(largest: int, axis: int) -> None:
    x = RNG.integers(0, 4, (6, 7)).astype(np.float32)  # many ties
    k = np.array([3], np.int64)
    check(
        "TopK",
        x,
        k,
        attrs={"axis": axis, "largest": largest},
        constant=(1,),
        outputs=2,
        native=True,
    )


@pytest.mark.parametrize("largest", [0, 1])
def test_top_k_beyond_selection_ranks_every_pair(largest: int) -> None:
    x = RNG.integers(0, 5, (2, 12, 3)).astype(np.float32)  # k > SELECT_AT_MOST
    check(
        "TopK",
        x,
        np.array([10], np.int64),
        attrs={"axis": 1, "largest": largest},
        constant=(1,),
        outputs=2,
        native=True,
    )


def test_top_k_of_integers_takes_the_whole_axis() -> None:
    x = RNG.integers(-100, 100, (3, 5)).astype(np.int64)
    check("TopK", x, np.array([5], np.int64), constant=(1,), outputs=2)


def test_top_k_needs_a_constant_k() -> None:
    model = model_of("TopK", [floats(3), np.array([2], np.int64)], {}, {}, 2, 21)
    with pytest.raises(UnsupportedModelError, match=r"input 1 \(K\) must be"):
        import_onnx(model)


# --------------------------------------------------------------------------- #
# Einsum
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("equation", "shapes"),
    [
        ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
        ("ij,jk", [(2, 3), (3, 4)]),
        ("i,i", [(5,), (5,)]),
        ("i,j->ij", [(3,), (4,)]),
        ("ij->ji", [(3, 4)]),
        ("ij->i", [(3, 4)]),
        ("...ii->...i", [(3, 5, 5)]),
        ("ii", [(4, 4)]),
        ("bhqd,bhkd->bhqk", [(2, 3, 4, 8), (2, 3, 5, 8)]),
        ("...ij,jk->...ik", [(2, 3, 4), (4, 5)]),
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
        ("abc,cd->", [(2, 3, 4), (4, 2)]),
        ("->", [()]),
    ],
)
def test_einsum(equation: str, shapes: list[tuple[int, ...]]) -> None:
    inputs = [floats(*s) for s in shapes]
    check("Einsum", *inputs, attrs={"equation": equation}, rtol=1e-4)


def test_einsum_contractions_are_matmuls() -> None:
    model = model_of(
        "Einsum",
        [floats(2, 3, 4), floats(2, 5, 4)],
        {"equation": "bij,bkj->bik"},
        {},
        1,
        21,
    )
    names = [op.name for op in import_onnx(model).module.walk()]
    assert names.count("graph.matmul") == 1
    assert "graph.reduce_sum" not in names
    assert "graph.mul" not in names


def test_einsum_of_integers_multiplies_and_sums() -> None:
    a = RNG.integers(-5, 5, (2, 3)).astype(np.int32)
    b = RNG.integers(-5, 5, (3, 4)).astype(np.int32)
    check("Einsum", a, b, attrs={"equation": "ij,jk->ik"}, native=True)


def test_einsum_batched_product_runs_natively() -> None:
    check(
        "Einsum",
        floats(2, 3, 4),
        floats(2, 4, 5),
        attrs={"equation": "bij,bjk->bki"},
        native=True,
        rtol=1e-4,
    )


def test_einsum_mismatched_equation_names_the_node() -> None:
    model = model_of("Einsum", [floats(2, 3)], {"equation": "ijk->i"}, {}, 1, 21)
    with pytest.raises(UnsupportedModelError, match=r"node 'n' .*3 labels for rank 2"):
        import_onnx(model)


# --------------------------------------------------------------------------- #
# Selections
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(("time_axis", "batch_axis"), [(0, 1), (1, 0)])
def test_reverse_sequence(time_axis: int, batch_axis: int) -> None:
    x = floats(4, 4, 2)
    lengths = np.array([4, 1, 3, 2], np.int64)
    check(
        "ReverseSequence",
        x,
        lengths,
        attrs={"time_axis": time_axis, "batch_axis": batch_axis},
        native=True,
    )


@pytest.mark.parametrize("axis", [None, 1, -1])
def test_compress_with_a_constant_condition(axis: int | None) -> None:
    condition = np.array([True, False, True], np.bool_)
    attrs = {} if axis is None else {"axis": axis}
    check("Compress", floats(2, 3), condition, attrs=attrs, constant=(1,))


def test_compress_with_a_run_time_condition_is_refused() -> None:
    model = model_of(
        "Compress", [floats(3), np.ones(3, np.bool_)], {"axis": 0}, {}, 1, 21
    )
    with pytest.raises(UnsupportedModelError, match="condition must be known"):
        import_onnx(model)


def test_nonzero_of_a_constant_folds() -> None:
    x = np.array([[1, 0, 3], [0, 0, 2]], np.int32)
    check("NonZero", x, constant=(0,))


def test_nonzero_of_a_run_time_input_is_refused() -> None:
    model = model_of("NonZero", [floats(3)], {}, {}, 1, 21)
    with pytest.raises(UnsupportedModelError, match=r"\(NonZero\): .*known at import"):
        import_onnx(model)


@pytest.mark.parametrize("axis", [None, 0, -1])
def test_unique_of_a_constant_folds(axis: int | None) -> None:
    x = np.array([[2, 1, 2], [0, 1, 0], [2, 1, 2]], np.float32)
    attrs: dict[str, Any] = {} if axis is None else {"axis": axis}
    check("Unique", x, attrs=attrs, constant=(0,), outputs=4)


@pytest.mark.parametrize(
    ("axis", "expected"),
    [  # onnx's reference gets `sorted = 0` wrong; these follow the spec
        (None, ([2, 1, 3, 4], [0, 1, 3, 4], [0, 1, 1, 2, 3, 2], [1, 2, 2, 1])),
        (-1, ([[2, 1, 3, 4]], [0, 1, 3, 4], [0, 1, 1, 2, 3, 2], [1, 2, 2, 1])),
    ],
)
def test_unique_unsorted_keeps_first_occurrence_order(
    axis: int | None, expected: tuple[list[Any], ...]
) -> None:
    x = np.array([[2, 1, 1, 3, 4, 3]], np.int64)
    attrs: dict[str, Any] = (
        {"sorted": 0} if axis is None else {"sorted": 0, "axis": axis}
    )
    model = model_of("Unique", [x], attrs, {0: x}, 4, 21)
    imported = import_onnx(model)
    actual = run_function(imported.module, imported.entry, [])
    for want, got in zip(expected, actual, strict=True):
        np.testing.assert_array_equal(got, np.asarray(want, np.int64))


# --------------------------------------------------------------------------- #
# LpPool and MaxUnpool
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    "attrs",
    [
        {"kernel_shape": [3, 2], "p": 3, "pads": [1, 0, 1, 1], "strides": [2, 1]},
        {"kernel_shape": [2, 2], "p": 2, "auto_pad": "SAME_UPPER"},
        {"kernel_shape": [2], "p": 1, "strides": [2]},
    ],
)
def test_lp_pool(attrs: dict[str, Any]) -> None:
    shape = (1, 2, 5) if len(attrs["kernel_shape"]) == 1 else (2, 3, 5, 4)
    check("LpPool", floats(*shape), attrs=attrs, opset=22, native=True, rtol=1e-4)


def test_lp_pool_ceil_mode_window_is_the_norm_of_what_it_covers() -> None:
    # onnx's reference scales a clipped window by kernel/count (as PyTorch's
    # avg-pool based lp_pool); mlc takes the norm of the elements it covers.
    x = np.array([[[3.0, 4.0, -2.0]]], np.float32)
    model = model_of(
        "LpPool", [x], {"kernel_shape": [2], "strides": [2], "ceil_mode": 1}, {}, 1, 22
    )
    imported = import_onnx(model)
    (got,) = run_function(imported.module, imported.entry, [x])
    np.testing.assert_allclose(got, [[[5.0, 2.0]]], rtol=1e-6)


@pytest.mark.parametrize("output_shape", [None, [1, 2, 5, 5], [1, 2, 4, 6]])
def test_max_unpool(output_shape: list[int] | None) -> None:
    x = floats(1, 2, 2, 2)
    plane = np.array([5, 2, 8, 15], np.int64).reshape(1, 1, 2, 2)
    indices = np.concatenate([plane, plane + 16 - 1], axis=1)  # per-plane offsets
    inputs = [x, indices]
    if output_shape is not None:
        inputs.append(np.array(output_shape, np.int64))
    check(
        "MaxUnpool",
        *inputs,
        attrs={"kernel_shape": [2, 2], "strides": [2, 2]},
        constant=(2,) if output_shape is not None else (),
        opset=22,
        native=True,
    )
