"""
`graph-fuse`: expected modules for the seed cases, the grouping invariants on
random programs, and numerics: the module computes the same before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from graph_programs import Program, argument_value, programs
from helpers import make_context, print_op
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Block
from xdsl.utils.exceptions import PassFailedException

from mlc.dialects.graph import (
    FusionKind,
    fusion_kind,
)
from mlc.interpreters import run_function
from mlc.passes import get_all_passes
from mlc.passes.graph_fuse import (
    GraphFusePass,
    creates_cycle,
    fusion_groups,
    is_outlined,
    uses_stay_inside,
)

CTX = make_context()
Parse = Callable[[str], ModuleOp]


def fuse(module: ModuleOp, max_group_size: int | None = None) -> ModuleOp:
    GraphFusePass(max_group_size).apply(CTX, module)
    module.verify()
    return module


def assert_equivalent(actual: ModuleOp, expected: ModuleOp) -> None:
    assert actual.is_structurally_equivalent(expected), print_op(actual)


# --------------------------------------------------------------------------- #
# Expected modules
# --------------------------------------------------------------------------- #

MLP = """
func.func @mlp(%x: tensor<1x1x2x2xf32>, %w0: tensor<3x4xf32>, %b0: tensor<3xf32>,
               %w1: tensor<2x3xf32>, %b1: tensor<2xf32>) -> tensor<1x2xf32> {
  %0 = graph.flatten %x {axis = 1 : i64} : (tensor<1x1x2x2xf32>) -> tensor<1x4xf32>
  %1 = graph.linear %0, %w0, %b0 : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %2 = graph.relu %1 : tensor<1x3xf32>
  %3 = graph.linear %2, %w1, %b1 : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %3 : tensor<1x2xf32>
}
"""  # noqa: E501

MLP_FUSED = """
func.func private @linear_relu(%x: tensor<1x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<1x3xf32> {
  %0 = graph.linear %x, %w, %b : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %1 = graph.relu %0 : tensor<1x3xf32>
  func.return %1 : tensor<1x3xf32>
}
func.func private @linear(%x: tensor<1x3xf32>, %w: tensor<2x3xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %0 = graph.linear %x, %w, %b : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %0 : tensor<1x2xf32>
}
func.func @mlp(%x: tensor<1x1x2x2xf32>, %w0: tensor<3x4xf32>, %b0: tensor<3xf32>,
               %w1: tensor<2x3xf32>, %b1: tensor<2xf32>) -> tensor<1x2xf32> {
  %0 = graph.flatten %x {axis = 1 : i64} : (tensor<1x1x2x2xf32>) -> tensor<1x4xf32>
  %1 = func.call @linear_relu(%0, %w0, %b0) : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %2 = func.call @linear(%1, %w1, %b1) : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %2 : tensor<1x2xf32>
}
"""  # noqa: E501

CONV = """
func.func @conv(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x2x2xf32>, %b: tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = graph.conv2d %x, %w : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  %1 = graph.add %0, %b : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %2 = graph.relu %1 : tensor<1x2x2x2xf32>
  func.return %2 : tensor<1x2x2x2xf32>
}
"""  # noqa: E501

CONV_FUSED = """
func.func private @conv2d_add_relu(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x2x2xf32>, %b: tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = graph.conv2d %x, %w : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  %1 = graph.add %0, %b : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %2 = graph.relu %1 : tensor<1x2x2x2xf32>
  func.return %2 : tensor<1x2x2x2xf32>
}
func.func @conv(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x2x2xf32>, %b: tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = func.call @conv2d_add_relu(%x, %w, %b) : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}
"""  # noqa: E501

CYCLE = """
func.func @cycle(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = graph.exp %x : tensor<2x2xf32>
  %1 = graph.matmul %0, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %2 = graph.add %0, %1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %2 : tensor<2x2xf32>
}
"""

NAME_TAKEN = """
func.func @exp_neg(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.exp %x : tensor<2xf32>
  %1 = graph.neg %0 : tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
"""


@pytest.mark.parametrize(
    ("before", "after"), [(MLP, MLP_FUSED), (CONV, CONV_FUSED)], ids=["mlp", "conv"]
)
def test_seed_cases_match_the_expected_module(parse: Parse, before: str, after: str):
    assert_equivalent(fuse(parse(before)), parse(after))


def test_the_pass_is_registered():
    assert get_all_passes()["graph-fuse"]() is GraphFusePass


def test_fusing_twice_changes_nothing(parse: Parse):
    assert_equivalent(fuse(fuse(parse(MLP))), parse(MLP_FUSED))


def test_a_taken_name_gets_a_suffix(parse: Parse):
    module = fuse(parse(NAME_TAKEN))
    names = [op.sym_name.data for op in module.ops if isinstance(op, func.FuncOp)]
    assert names == ["exp_neg_1", "exp_neg"]


def test_max_group_size_must_be_positive(parse: Parse):
    with pytest.raises(PassFailedException, match="max-group-size must be at least 1"):
        fuse(parse(MLP), max_group_size=0)


def entry_block(module: ModuleOp) -> Block:
    function = module.body.block.first_op
    assert isinstance(function, func.FuncOp)
    return function.body.block


def test_creates_cycle_sees_a_path_through_an_outside_op(parse: Parse):
    block = entry_block(parse(CYCLE))
    exp, matmul, add, _ = block.ops
    assert creates_cycle({exp, add}, block)  # exp -> matmul (outside) -> add
    assert not creates_cycle({matmul, add}, block)
    assert not creates_cycle({exp, matmul}, block)
    # The multi-use rule refuses the cyclic group on its own, too.
    assert not uses_stay_inside({exp, add}, block)
    assert uses_stay_inside({exp, matmul, add}, block)


def test_cycle_case_groups(parse: Parse):
    block = entry_block(parse(CYCLE))
    names = [[op.name for op in group] for group in fusion_groups(block)]
    assert names == [["graph.exp"], ["graph.matmul", "graph.add"]]


# --------------------------------------------------------------------------- #
# Random programs
# --------------------------------------------------------------------------- #

ANCHORS = {FusionKind.OUTPUT_FUSABLE, FusionKind.REDUCTION}


@settings(max_examples=200, deadline=None)
@given(programs(max_ops=10), st.none() | st.integers(1, 4))
def test_random_groups_keep_the_invariants(program: Program, max_size: int | None):
    block = entry_block(program.module)
    groups = fusion_groups(block, max_size)
    members = [op for group in groups for op in group]
    graph_ops = [op for op in block.ops if fusion_kind(op) is not FusionKind.OPAQUE]
    assert sorted(map(id, members)) == sorted(map(id, graph_ops))
    for group in groups:
        assert max_size is None or len(group) <= max_size
        assert uses_stay_inside(set(group), block)
        assert not creates_cycle(set(group), block)
        anchors = [op for op in group if fusion_kind(op) in ANCHORS]
        assert len(anchors) <= 1


FILECHECK_CASES = (
    Path(__file__).parents[2] / "filecheck" / "passes" / "graph_fuse.mlir"
).read_text()
CASES = [case for case in FILECHECK_CASES.split("// -----") if "@opaque" not in case]


@pytest.mark.parametrize("case", CASES)
def test_filecheck_cases_compute_the_same_after_fusion(parse: Parse, case: str):
    module = parse(case)
    function = graph_function(module)
    rng = np.random.default_rng(0)
    args = [argument_value(arg, rng) for arg in function.body.block.args]
    name = function.sym_name.data
    expected = run_function(module, name, args)
    actual = run_function(fuse(module), name, args)
    assert len(list(module.ops)) > 1  # something was outlined
    for got, want in zip(actual, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def graph_function(module: ModuleOp) -> func.FuncOp:
    public = [
        op
        for op in module.ops
        if isinstance(op, func.FuncOp) and op.sym_visibility != StringAttr("private")
    ]
    assert len(public) == 1
    return public[0]


@settings(max_examples=150, deadline=None)
@given(programs(max_ops=8), st.none() | st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_random_programs_compute_the_same_after_fusion(
    program: Program, max_size: int | None, seed: int
):
    module = program.module
    rng = np.random.default_rng(seed)
    args = [argument_value(arg, rng) for arg in entry_block(module).args]
    with np.errstate(all="ignore"):
        expected = run_function(module, "program", args)
        fuse(module, max_size)
        actual = run_function(module, "program", args)
    for got, want in zip(actual, expected, strict=True):
        assert (got.dtype, got.shape) == (want.dtype, want.shape)
        np.testing.assert_array_equal(got, want)
    # The graph function keeps only calls, constants and injective-only ops.
    for op in graph_function(module).body.block.ops:
        kind = fusion_kind(op)
        assert kind in (FusionKind.OPAQUE, FusionKind.INJECTIVE), op.name
    # Every tensor function holds one outlined group, and fusing again is a no-op.
    text = print_op(module)
    assert print_op(fuse(module, max_size)) == text


def test_injective_only_groups_are_not_outlined(parse: Parse):
    block = entry_block(parse(MLP))
    groups = fusion_groups(block)
    assert [is_outlined(group) for group in groups] == [False, True, True]
