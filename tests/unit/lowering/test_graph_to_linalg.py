"""
`convert-graph-to-linalg`, numerically: each case is a one-op graph function run
through `run_function` before the pass (the graph references) and after it (the
tensor-level interpreters) on the same random inputs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from graph_op_cases import CASES, inputs_for, module_text, tensor_context
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import TensorType
from xdsl.parser import Parser
from xdsl.utils.exceptions import PassFailedException

import mlc
from mlc.dialects.graph import GRAPH_OPS, to_numpy_dtype
from mlc.dialects.graph.shape import (
    _slice_range,  # pyright: ignore[reportPrivateUsage]
)
from mlc.interpreters import run_function
from mlc.lowering.graph_to_linalg import ConvertGraphToLinalgPass
from mlc.lowering.graph_to_linalg.emitter import reassociation
from mlc.lowering.utils import require_converted


@pytest.mark.parametrize("name", sorted(CASES))
def test_lowering_matches_reference(name: str) -> None:
    ins, out, line = CASES[name]
    ctx = tensor_context()
    text = module_text(ins, out, line)
    module = Parser(ctx, text).parse_module()
    module.verify()
    args = inputs_for(name, ins, ctx)
    (expected,) = run_function(module, "f", args)
    lowered = module.clone()
    ConvertGraphToLinalgPass().apply(ctx, lowered)
    lowered.verify()
    assert "graph." not in str(lowered)
    (actual,) = run_function(lowered, "f", args)
    assert actual.shape == expected.shape
    if expected.dtype.kind in "iub":
        np.testing.assert_array_equal(actual.view(expected.dtype), expected)
    elif expected.dtype == np.float16:
        np.testing.assert_allclose(actual, expected, rtol=2e-2, atol=2e-3)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


def test_every_graph_op_has_a_case() -> None:
    covered = {line.split("graph.")[1].split()[0] for _, _, line in CASES.values()}
    assert {op.name.removeprefix("graph.") for op in GRAPH_OPS} <= covered


def test_unsigned_signature_becomes_signless() -> None:
    ctx = tensor_context()
    ins, out, line = CASES["div_ui8"]
    module = Parser(ctx, module_text(ins, out, line)).parse_module()
    ConvertGraphToLinalgPass().apply(ctx, module)
    text = str(module)
    assert "ui8" not in text
    assert "arith.divui" in text


def test_require_converted_names_the_first_survivor() -> None:
    ctx = tensor_context()
    module = Parser(ctx, module_text(*CASES["relu"])).parse_module()
    with pytest.raises(
        PassFailedException, match=r"my-pass could not lower 'graph.relu'"
    ) as info:
        require_converted(module, "graph", "my-pass")
    assert getattr(info.value, "op", None) is next(
        op for op in module.walk() if op.name == "graph.relu"
    )
    require_converted(module, "linalg", "my-pass")


@pytest.mark.parametrize(
    ("big", "small", "groups"),
    [
        ((2, 1, 3), (2, 3), [[0], [1, 2]]),
        ((2, 3, 1), (2, 3), [[0], [1, 2]]),
        ((1, 2, 3), (6,), [[0, 1, 2]]),
        ((1, 1), (), []),
        ((2, 3), (3, 2), None),
    ],
)
def test_reassociation(
    big: tuple[int, ...], small: tuple[int, ...], groups: list[list[int]] | None
) -> None:
    assert reassociation(big, small) == groups


SMALL_MODELS = sorted((Path(__file__).parents[3] / "examples" / "small").glob("*.mlir"))


@pytest.mark.parametrize("path", SMALL_MODELS, ids=lambda p: p.stem)
def test_small_example_models_match(path: Path) -> None:
    ctx = tensor_context()
    module = Parser(ctx, path.read_text()).parse_module()
    function = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    rng = np.random.default_rng(0)
    args = [
        rng.standard_normal(tuple(t.get_shape())).astype(
            to_numpy_dtype(t.get_element_type())
        )
        for t in function.function_type.inputs.data
        if isinstance(t, TensorType)
    ]
    name = function.sym_name.data
    (expected,) = run_function(module, name, args)
    lowered = module.clone()
    ConvertGraphToLinalgPass().apply(ctx, lowered)
    lowered.verify()
    (actual,) = run_function(lowered, name, args)
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4)


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
BOUNDS = st.one_of(
    st.integers(-9, 9), st.sampled_from([INT64_MIN, INT64_MAX, -(2**62), 2**62])
)


@st.composite
def slice_programs(draw: st.DrawFn) -> tuple[str, tuple[int, ...]]:
    """
    One `graph.slice` of random axes with steps of either sign (mixed too) and
    random bounds (negative, out of range, INT64 extremes); never empty."""
    rank = draw(st.integers(1, 4))
    shape = draw(st.lists(st.integers(1, 7), min_size=rank, max_size=rank))
    axes = draw(st.lists(st.integers(0, rank - 1), min_size=1, unique=True))
    steps = [draw(st.sampled_from([1, 2, 3, -1, -2, -3])) for _ in axes]
    starts, ends = [draw(BOUNDS) for _ in axes], [draw(BOUNDS) for _ in axes]
    out = list(shape)
    for i, (axis, step) in enumerate(zip(axes, steps, strict=True)):
        # An empty range runs to the far end instead, from the near end if need be.
        if not _slice_range(starts[i], ends[i], step, shape[axis]):
            ends[i] = INT64_MAX if step > 0 else INT64_MIN
        if not _slice_range(starts[i], ends[i], step, shape[axis]):
            starts[i] = INT64_MIN if step > 0 else INT64_MAX
        out[axis] = len(_slice_range(starts[i], ends[i], step, shape[axis]))

    def ints(values: list[int]) -> str:
        return "array<i64: " + ", ".join(map(str, values)) + ">"

    in_type = "tensor<" + "x".join(map(str, shape)) + "xf32>"
    out_type = "tensor<" + "x".join(map(str, out)) + "xf32>"
    line = (
        f"%0 = graph.slice %a {{axes = {ints(axes)}, ends = {ints(ends)}, "
        f"starts = {ints(starts)}, steps = {ints(steps)}}} : "
        f"({in_type}) -> {out_type}"
    )
    return module_text([in_type], out_type, line), tuple(shape)


@settings(max_examples=150, deadline=None)
@given(program=slice_programs())
def test_random_slices_match_reference(program: tuple[str, tuple[int, ...]]) -> None:
    """Any slice lowers to valid IR that computes numpy's slice."""
    text, shape = program
    ctx = tensor_context()
    module = Parser(ctx, text).parse_module()
    x = np.arange(math.prod(shape), dtype=np.float32).reshape(shape)
    (expected,) = run_function(module, "f", [x])
    ConvertGraphToLinalgPass().apply(ctx, module)
    module.verify()
    (actual,) = run_function(module, "f", [x])
    np.testing.assert_array_equal(actual, expected)


@settings(max_examples=8, deadline=None)
@given(program=slice_programs())
def test_random_slices_agree_natively(program: tuple[str, tuple[int, ...]]) -> None:
    """The same slices compiled at -O0 and -O3 agree with numpy's."""
    text, shape = program
    x = np.arange(math.prod(shape), dtype=np.float32).reshape(shape)
    (expected,) = run_function(Parser(tensor_context(), text).parse_module(), "f", [x])
    for opt_level in (0, 3):
        np.testing.assert_array_equal(
            mlc.compile(text, opt_level=opt_level)(x), expected
        )
