"""
`linalg-fuse-elementwise`: numerics before and after fusion, through
`run_function`, on the FileCheck cases and on further hand-written generics
(constant-index broadcasts, permutations in 3-d, integers, 0-d, a diamond),
and on graph programs lowered by `convert-graph-to-linalg` (optionally
`linalg-generalize`) then fused; the `_not_fused_` cases are left as they were.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import make_context, print_op
from xdsl.context import Context
from xdsl.dialects import func, math, tensor
from xdsl.dialects.builtin import IntegerType, ModuleOp, TensorType
from xdsl.dialects.linalg import Linalg
from xdsl.dialects.linalg.ops import GenericOp, IndexOp
from xdsl.parser import Parser

from mlc.dialects.graph.base import Array, to_numpy_dtype
from mlc.interpreters import run_function
from mlc.passes import get_all_passes
from mlc.passes.linalg_fuse_elementwise import LinalgFuseElementwisePass
from mlc.universe import MLC_UNIVERSE

ROOT = Path(__file__).resolve().parents[3]
FILECHECK_CASES = (
    ROOT / "tests" / "filecheck" / "passes" / "linalg_fuse_elementwise.mlir"
)


def context() -> Context:
    ctx = make_context()
    for dialect in (Linalg, tensor.Tensor, math.Math):
        ctx.load_dialect(dialect)
    return ctx


CTX = context()


def parse(text: str) -> ModuleOp:
    module = Parser(CTX, text).parse_module()
    module.verify()
    return module


def fuse(module: ModuleOp) -> ModuleOp:
    fused = module.clone()
    LinalgFuseElementwisePass().apply(CTX, fused)
    fused.verify()
    return fused


def functions(module: ModuleOp) -> list[func.FuncOp]:
    return [op for op in module.ops if isinstance(op, func.FuncOp)]


def generics(function: func.FuncOp) -> list[GenericOp]:
    return [op for op in function.walk() if isinstance(op, GenericOp)]


def random_args(function: func.FuncOp, seed: int) -> list[Array]:
    rng = np.random.default_rng(seed)
    args: list[Array] = []
    for type_ in function.function_type.inputs:
        assert isinstance(type_, TensorType)
        element = type_.get_element_type()
        shape = tuple(type_.get_shape())
        dtype = to_numpy_dtype(element)
        if isinstance(element, IntegerType):
            args.append(rng.integers(-9, 10, shape).astype(dtype))
        else:
            args.append(rng.standard_normal(shape).astype(dtype))
    return args


def assert_same_numerics(before: ModuleOp, after: ModuleOp, name: str) -> None:
    function = next(f for f in functions(before) if f.sym_name.data == name)
    for seed in range(2):
        args = random_args(function, seed)
        want = run_function(before, name, args)
        got = run_function(after, name, args)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype
            assert g.shape == w.shape
            np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6)


# ----- the FileCheck cases ---------------------------------------------------- #

FILECHECK_MODULE = parse(FILECHECK_CASES.read_text())
FILECHECK_NAMES = [f.sym_name.data for f in functions(FILECHECK_MODULE)]


@pytest.mark.parametrize("name", FILECHECK_NAMES)
def test_filecheck_case_keeps_numerics(name: str):
    function = next(f for f in functions(FILECHECK_MODULE) if f.sym_name.data == name)
    fused = fuse(FILECHECK_MODULE)
    after = next(f for f in functions(fused) if f.sym_name.data == name)
    if "_not_fused_" in name:
        assert len(generics(after)) == len(generics(function))
    else:
        assert len(generics(after)) == 1
    if any(isinstance(op, IndexOp) for op in function.walk()):
        return  # xDSL 0.74's interpreter has no linalg.index
    assert_same_numerics(FILECHECK_MODULE, fused, name)


def test_not_fused_cases_are_unchanged():
    fused = fuse(FILECHECK_MODULE)
    for before, after in zip(functions(FILECHECK_MODULE), functions(fused)):
        if "_not_fused_" in before.sym_name.data:
            assert print_op(after) == print_op(before)


# ----- further cases ---------------------------------------------------------- #

MAPS = """
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#t2 = affine_map<(d0, d1) -> (d1, d0)>
#row0 = affine_map<(d0, d1) -> (0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#p201 = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
#p120 = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
"""
PAR2 = 'iterator_types = ["parallel", "parallel"]'
PAR3 = 'iterator_types = ["parallel", "parallel", "parallel"]'

CASES: dict[str, tuple[str, int]] = {
    # numpy-style broadcasting of a size-1 dim through a constant index, as
    # convert-graph-to-linalg writes it; the producer is the 1x3 operand, read
    # through (0, d1): not a permutation, so it is kept (fused, its tanh
    # would run once per row).
    "constant_index_broadcast": (
        f"""
func.func @constant_index_broadcast(%x: tensor<2x3xf32>, %r: tensor<1x3xf32>)
    -> tensor<2x3xf32> {{
  %i1 = tensor.empty() : tensor<1x3xf32>
  %e = linalg.generic {{indexing_maps = [#id2, #id2], {PAR2}}}
      ins(%r : tensor<1x3xf32>) outs(%i1 : tensor<1x3xf32>) {{
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  }} -> tensor<1x3xf32>
  %i2 = tensor.empty() : tensor<2x3xf32>
  %s = linalg.generic {{indexing_maps = [#id2, #row0, #id2], {PAR2}}}
      ins(%x, %e : tensor<2x3xf32>, tensor<1x3xf32>) outs(%i2 : tensor<2x3xf32>) {{
  ^bb0(%v: f32, %w: f32, %o: f32):
    %t = arith.subf %v, %w : f32
    linalg.yield %t : f32
  }} -> tensor<2x3xf32>
  func.return %s : tensor<2x3xf32>
}}
""",
        2,
    ),
    # transposes in 3-d on both sides: the producer writes (d2, d0, d1), the
    # consumer reads it through (d1, d2, d0).
    "permutations_3d": (
        f"""
func.func @permutations_3d(%x: tensor<2x3x4xf32>, %y: tensor<3x4x2xf32>)
    -> tensor<3x4x2xf32> {{
  %i1 = tensor.empty() : tensor<4x2x3xf32>
  %p = linalg.generic {{indexing_maps = [#id3, #p201], {PAR3}}}
      ins(%x : tensor<2x3x4xf32>) outs(%i1 : tensor<4x2x3xf32>) {{
  ^bb0(%v: f32, %o: f32):
    %t = math.exp %v : f32
    linalg.yield %t : f32
  }} -> tensor<4x2x3xf32>
  %i2 = tensor.empty() : tensor<3x4x2xf32>
  %c = linalg.generic {{indexing_maps = [#p120, #id3, #id3], {PAR3}}}
      ins(%p, %y : tensor<4x2x3xf32>, tensor<3x4x2xf32>)
      outs(%i2 : tensor<3x4x2xf32>) {{
  ^bb0(%v: f32, %w: f32, %o: f32):
    %t = arith.mulf %v, %w : f32
    linalg.yield %t : f32
  }} -> tensor<3x4x2xf32>
  func.return %c : tensor<3x4x2xf32>
}}
""",
        1,
    ),
    # integers; the consumer reads its init (an accumulate), which is fine.
    "integers_and_consumer_init": (
        f"""
func.func @integers_and_consumer_init(%x: tensor<2x3xi32>, %y: tensor<2x3xi32>,
    %acc: tensor<2x3xi32>) -> tensor<2x3xi32> {{
  %i1 = tensor.empty() : tensor<2x3xi32>
  %p = linalg.generic {{indexing_maps = [#id2, #id2, #id2], {PAR2}}}
      ins(%x, %y : tensor<2x3xi32>, tensor<2x3xi32>) outs(%i1 : tensor<2x3xi32>) {{
  ^bb0(%v: i32, %w: i32, %o: i32):
    %t = arith.muli %v, %w : i32
    linalg.yield %t : i32
  }} -> tensor<2x3xi32>
  %c = linalg.generic {{indexing_maps = [#id2, #id2], {PAR2}}}
      ins(%p : tensor<2x3xi32>) outs(%acc : tensor<2x3xi32>) {{
  ^bb0(%v: i32, %o: i32):
    %t = arith.subi %o, %v : i32
    linalg.yield %t : i32
  }} -> tensor<2x3xi32>
  func.return %c : tensor<2x3xi32>
}}
""",
        1,
    ),
    # no loops at all: 0-d tensors, empty maps and iterator lists.
    "scalar_chain": (
        """
func.func @scalar_chain(%x: tensor<f32>, %y: tensor<f32>) -> tensor<f32> {
  %i = tensor.empty() : tensor<f32>
  %a = linalg.generic {indexing_maps = [affine_map<() -> ()>,
      affine_map<() -> ()>], iterator_types = []}
      ins(%x : tensor<f32>) outs(%i : tensor<f32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.exp %v : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  %b = linalg.generic {indexing_maps = [affine_map<() -> ()>,
      affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []}
      ins(%y, %a : tensor<f32>, tensor<f32>) outs(%i : tensor<f32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %t = arith.divf %v, %w : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  func.return %b : tensor<f32>
}
""",
        1,
    ),
    # a diamond: %a has two uses, so it stays; each branch has one use, the
    # join, so both fuse into it (one of them read transposed): 2 generics.
    "diamond": (
        f"""
func.func @diamond(%x: tensor<2x2xf64>) -> tensor<2x2xf64> {{
  %i = tensor.empty() : tensor<2x2xf64>
  %a = linalg.generic {{indexing_maps = [#id2, #id2], {PAR2}}}
      ins(%x : tensor<2x2xf64>) outs(%i : tensor<2x2xf64>) {{
  ^bb0(%v: f64, %o: f64):
    %t = math.exp %v : f64
    linalg.yield %t : f64
  }} -> tensor<2x2xf64>
  %b = linalg.generic {{indexing_maps = [#id2, #id2], {PAR2}}}
      ins(%a : tensor<2x2xf64>) outs(%i : tensor<2x2xf64>) {{
  ^bb0(%v: f64, %o: f64):
    %t = arith.negf %v : f64
    linalg.yield %t : f64
  }} -> tensor<2x2xf64>
  %c = linalg.generic {{indexing_maps = [#t2, #id2], {PAR2}}}
      ins(%a : tensor<2x2xf64>) outs(%i : tensor<2x2xf64>) {{
  ^bb0(%v: f64, %o: f64):
    %t = math.sqrt %v : f64
    linalg.yield %t : f64
  }} -> tensor<2x2xf64>
  %d = linalg.generic {{indexing_maps = [#id2, #id2, #id2], {PAR2}}}
      ins(%b, %c : tensor<2x2xf64>, tensor<2x2xf64>) outs(%i : tensor<2x2xf64>) {{
  ^bb0(%v: f64, %w: f64, %o: f64):
    %t = arith.addf %v, %w : f64
    linalg.yield %t : f64
  }} -> tensor<2x2xf64>
  func.return %d : tensor<2x2xf64>
}}
""",
        2,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hand_written_case_keeps_numerics(name: str):
    text, expected_generics = CASES[name]
    before = parse(MAPS + text)
    after = fuse(before)
    (function,) = functions(after)
    assert len(generics(function)) == expected_generics, print_op(after)
    assert_same_numerics(before, after, name)


def test_fusion_is_idempotent():
    once = fuse(FILECHECK_MODULE)
    assert print_op(fuse(once)) == print_op(once)


def test_pass_is_registered():
    assert get_all_passes()["linalg-fuse-elementwise"]() is LinalgFuseElementwisePass


# ----- graph programs, lowered by convert-graph-to-linalg, then fused --------- #

GRAPH_CHAIN = """
func.func @chain(%x: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<1x3xf32>,
    %s: tensor<2x1xf32>) -> tensor<3x2xf32> {
  %0 = graph.add %x, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = graph.mul %0, %c : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %2 = graph.relu %1 : tensor<2x3xf32>
  %3 = graph.sub %2, %s : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %4 = graph.exp %3 : tensor<2x3xf32>
  %5 = graph.transpose %4 {perm = array<i64: 1, 0>}
      : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %6 = graph.tanh %5 : tensor<3x2xf32>
  func.return %6 : tensor<3x2xf32>
}
"""


def run_passes(module: ModuleOp, *names: str) -> ModuleOp:
    passes = MLC_UNIVERSE.all_passes  # mlc.passes' and mlc.lowering's
    out = module.clone()
    for name in names:
        passes[name]()().apply(CTX, out)
        out.verify()
    return out


def count_generics(module: ModuleOp) -> int:
    return sum(isinstance(op, GenericOp) for op in module.walk())


def test_graph_chain_becomes_one_generic():
    """Broadcasts (constant-index maps) and a generalized transpose all fuse."""
    graph_level = parse(GRAPH_CHAIN)
    lowered = run_passes(graph_level, "convert-graph-to-linalg", "linalg-generalize")
    fused = fuse(lowered)
    assert count_generics(fused) == 1, print_op(fused)
    assert_same_numerics(lowered, fused, "chain")
    assert_same_numerics(graph_level, fused, "chain")


SMALL_EXAMPLES = sorted((ROOT / "examples" / "small").glob("*.mlir"))


@pytest.mark.parametrize("generalize", [False, True], ids=["named", "generalized"])
@pytest.mark.parametrize("example", SMALL_EXAMPLES, ids=lambda p: p.stem)
def test_small_example_lowered_then_fused_keeps_numerics(
    example: Path, generalize: bool
):
    lowering = ("convert-graph-to-linalg", "linalg-generalize")[: 1 + generalize]
    lowered = run_passes(parse(example.read_text()), *lowering)
    fused = fuse(lowered)
    assert count_generics(fused) <= count_generics(lowered)
    (function,) = functions(lowered)
    name = function.sym_name.data
    rng_args = random_args(function, 0)
    (want,) = run_function(lowered, name, rng_args)
    (got,) = run_function(fused, name, rng_args)
    # Fused bodies keep intermediates in the interpreter's Python floats
    # instead of rounding them to f32 between generics.
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_transformer_block_small_fuses_its_elementwise_chains():
    example = ROOT / "examples" / "small" / "transformer_block_small.mlir"
    lowered = run_passes(parse(example.read_text()), "convert-graph-to-linalg")
    assert count_generics(fuse(lowered)) < count_generics(lowered)
