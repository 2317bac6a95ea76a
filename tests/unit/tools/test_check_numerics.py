"""`mlc-opt --check-numerics`: the entry run before and after every pass."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.universe import XDSL_UNIVERSE

from mlc.dialects import graph
from mlc.dialects.graph.base import Array
from mlc.tools.check_numerics import (
    NumericsOptions,
    compare,
    find_entry,
    format_error,
    random_input,
)
from mlc.tools.mlc_opt import MlcOptMain, main
from mlc.universe import MLC_UNIVERSE

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

ADD_MUL = """\
func.func @f(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = graph.mul %0, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %1 : tensor<2x3xf32>
}
"""

INT_AND_BOOL = """\
func.func @f(%a: tensor<4xi32>, %b: tensor<4xi32>, %u: tensor<4xui8>,
             %c: tensor<4xi1>, %d: tensor<4xi1>)
    -> (tensor<4xi32>, tensor<4xui8>, tensor<4xi1>) {
  %0 = graph.add %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = graph.add %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %2 = graph.where %c, %c, %d
      : (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  func.return %0, %1, %2 : tensor<4xi32>, tensor<4xui8>, tensor<4xi1>
}
"""

# The tensor function `@f` of TENSOR_ADD after a bufferization that follows
# the out-param contract: no results, a trailing `mlc.out` memref.
TENSOR_ADD = """\
func.func @f(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""
BUFFERIZED_ADD = """\
func.func @f(%a: memref<2xf32>, %b: memref<2xf32>, %out: memref<2xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %i = %c0 to %c2 step %c1 {
    %x = memref.load %a[%i] : memref<2xf32>
    %y = memref.load %b[%i] : memref<2xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %out[%i] : memref<2xf32>
  }
  func.return
}
"""


# The MLP of examples/mlp.mlir, reduced (input 1x1x4x4, 8 hidden, 3 classes),
# at the graph level and lowered by hand to the tensor level.
SMALL_MLP = """\
func.func @mlp(%x: tensor<1x1x4x4xf32>, %w0: tensor<8x16xf32>, %b0: tensor<8xf32>,
               %w1: tensor<3x8xf32>, %b1: tensor<3xf32>) -> tensor<1x3xf32> {
  %0 = graph.flatten %x {axis = 1 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x16xf32>
  %1 = graph.linear %0, %w0, %b0
      : (tensor<1x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<1x8xf32>
  %2 = graph.relu %1 : tensor<1x8xf32>
  %3 = graph.linear %2, %w1, %b1
      : (tensor<1x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  func.return %3 : tensor<1x3xf32>
}
"""
SMALL_MLP_LINALG = """\
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @mlp(%x: tensor<1x1x4x4xf32>, %w0: tensor<8x16xf32>, %b0: tensor<8xf32>,
               %w1: tensor<3x8xf32>, %b1: tensor<3xf32>) -> tensor<1x3xf32> {
  %zero = arith.constant 0.0 : f32
  %flat = tensor.collapse_shape %x [[0], [1, 2, 3]]
      : tensor<1x1x4x4xf32> into tensor<1x16xf32>
  %t0e = tensor.empty() : tensor<16x8xf32>
  %t0 = linalg.transpose ins(%w0 : tensor<8x16xf32>) outs(%t0e : tensor<16x8xf32>)
      permutation = [1, 0]
  %e0 = tensor.empty() : tensor<1x8xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %m0 = linalg.matmul ins(%flat, %t0 : tensor<1x16xf32>, tensor<16x8xf32>)
      outs(%f0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %r0 = linalg.generic {indexing_maps = [#id, #row, #id],
                        iterator_types = ["parallel", "parallel"]}
      ins(%m0, %b0 : tensor<1x8xf32>, tensor<8xf32>) outs(%e0 : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8xf32>
  %t1e = tensor.empty() : tensor<8x3xf32>
  %t1 = linalg.transpose ins(%w1 : tensor<3x8xf32>) outs(%t1e : tensor<8x3xf32>)
      permutation = [1, 0]
  %e1 = tensor.empty() : tensor<1x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %m1 = linalg.matmul ins(%r0, %t1 : tensor<1x8xf32>, tensor<8x3xf32>)
      outs(%f1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #row, #id],
                        iterator_types = ["parallel", "parallel"]}
      ins(%m1, %b1 : tensor<1x3xf32>, tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x3xf32>
  func.return %r1 : tensor<1x3xf32>
}
"""

CALLS_PRIVATE = """\
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %0 = graph.add %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = func.call @g(%0) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
func.func private @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""


# --------------------------------------------------------------------------- #
# Test passes
# --------------------------------------------------------------------------- #


class SwapAddForSub(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.AddOp, rewriter: PatternRewriter) -> None:
        sub = graph.SubOp(op.lhs, op.rhs)
        rewriter.replace(op, [sub], [sub.result])


@dataclass(frozen=True)
class WrongPass(ModulePass):
    """A deliberately wrong pass: every graph.add becomes a graph.sub."""

    name = "test-add-to-sub"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(SwapAddForSub()).rewrite_module(op)


@dataclass(frozen=True)
class FakeBufferizePass(ModulePass):
    """Replaces the module's contents by BUFFERIZED_ADD, as `bufferize` would."""

    name = "test-fake-bufferize"
    text: str = BUFFERIZED_ADD

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in list(op.ops):
            inner.detach()
            inner.erase()
        new = Parser(ctx, self.text).parse_module()
        for inner in list(new.ops):
            inner.detach()
            op.body.block.add_op(inner)


@dataclass(frozen=True)
class WrongBufferizePass(FakeBufferizePass):
    """A bufferization that multiplies where the input adds."""

    name = "test-wrong-bufferize"
    text: str = BUFFERIZED_ADD.replace("arith.addf", "arith.mulf")


@dataclass(frozen=True)
class LowerMlpByHandPass(FakeBufferizePass):
    """The small MLP lowered to linalg on tensors, as convert-graph-to-linalg would."""

    name = "test-lower-mlp"
    text: str = SMALL_MLP_LINALG


@dataclass(frozen=True)
class AddHelperPass(ModulePass):
    """Outlines nothing, but adds a private function (as fusion passes do)."""

    name = "test-add-helper"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        helper = func.FuncOp("helper", ((), ()), visibility="private")
        helper.body.block.add_op(func.ReturnOp())
        op.body.block.add_op(helper)


TEST_PASSES: tuple[type[ModulePass], ...] = (
    WrongPass,
    FakeBufferizePass,
    WrongBufferizePass,
    LowerMlpByHandPass,
    AddHelperPass,
)


@pytest.fixture
def with_test_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    original = MlcOptMain.register_all_passes

    def register(self: MlcOptMain) -> None:
        original(self)
        for cls in TEST_PASSES:
            self.register_pass(cls.name, _factory(cls))

    monkeypatch.setattr(MlcOptMain, "register_all_passes", register)


def _factory(cls: type[ModulePass]) -> Callable[[], type[ModulePass]]:
    return lambda: cls


def run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, *flags: str
) -> tuple[int, list[str]]:
    """Run mlc-opt on `text` with `flags`; its exit code and stderr lines."""
    source = tmp_path / "in.mlir"
    source.write_text(text)
    code = main([str(source), *flags])
    _, err = capsys.readouterr()
    return code, err.splitlines()


# --------------------------------------------------------------------------- #
# The driver
# --------------------------------------------------------------------------- #


def test_agreement_prints_one_line_per_pass(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    code, lines = run(capsys, tmp_path, ADD_MUL, "--check-numerics", "-p", "cse,dce")
    assert code == 0
    assert lines == [
        "numerics: after cse: ok (max abs error 0.0)",
        "numerics: after dce: ok (max abs error 0.0)",
        "numerics: all 3 levels agree",
    ]


def test_without_passes_one_level(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, lines = run(capsys, tmp_path, ADD_MUL, "--check-numerics")
    assert (code, lines) == (0, ["numerics: all 1 levels agree"])


def test_nested_step_is_checked_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    flags = ("--check-numerics", "--pass-pipeline=builtin.module(func.func(cse))")
    code, lines = run(capsys, tmp_path, ADD_MUL, *flags)
    assert code == 0
    assert lines[0] == "numerics: after func.func(cse): ok (max abs error 0.0)"


def test_mlp_example_agrees(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    text = (EXAMPLES / "mlp.mlir").read_text()
    start = time.perf_counter()
    flags = ("--check-numerics", "-p", "canonicalize,cse")
    code, lines = run(capsys, tmp_path, text, *flags)
    assert time.perf_counter() - start < 30
    assert code == 0
    assert lines[-1] == "numerics: all 3 levels agree"


def test_small_mlp_agrees_across_levels(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = ("--check-numerics", "-p", "canonicalize,test-lower-mlp,cse")
    code, lines = run(capsys, tmp_path, SMALL_MLP, *flags)
    assert code == 0, lines
    assert lines[1].startswith("numerics: after test-lower-mlp: ok (max abs error ")
    assert lines[-1] == "numerics: all 4 levels agree"


REAL_PIPELINE = (
    "graph-fuse",
    "convert-graph-to-linalg",
    "linalg-fuse-elementwise",
    "bufferize",
    "convert-linalg-to-loops",
)


@pytest.mark.skipif(
    not set(REAL_PIPELINE) <= {*XDSL_UNIVERSE.all_passes, *MLC_UNIVERSE.all_passes},
    reason="a pass of the pipeline is not registered yet",
)
def test_small_mlp_through_the_real_pipeline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    flags = ("--check-numerics", "-p", ",".join(REAL_PIPELINE))
    code, lines = run(capsys, tmp_path, SMALL_MLP, *flags)
    assert code == 0, lines
    assert lines[-1] == f"numerics: all {len(REAL_PIPELINE) + 1} levels agree"


def test_entry_calling_a_private_function(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = ("--check-numerics", "-p", "canonicalize,test-add-helper,cse")
    code, lines = run(capsys, tmp_path, CALLS_PRIVATE, *flags)
    assert (code, lines[-1]) == (0, "numerics: all 4 levels agree")
    code, lines = run(
        capsys, tmp_path, CALLS_PRIVATE, "--check-numerics", "-p", "test-add-to-sub"
    )
    assert code == 1
    assert "first differing op: 'graph.sub'" in lines[0]


def test_wrong_pass_is_caught_and_localised(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = ("--check-numerics", "-p", "cse,test-add-to-sub,dce")
    code, lines = run(capsys, tmp_path, ADD_MUL, *flags)
    assert code == 1
    assert lines[0] == "numerics: after cse: ok (max abs error 0.0)"
    error = lines[1]
    assert error.startswith(
        f"{tmp_path / 'in.mlir'}: error: numerics diverge after pass "
        "'test-add-to-sub': result #0 max abs error "
    )
    assert "(rtol 0.0001, atol 1e-05)" in error
    # The add is op #0 of @f, at line 2 column 8 of the input.
    where = f"{tmp_path / 'in.mlir'}:2:8"
    assert error.endswith(
        f"first differing op: 'graph.sub' at {where} (was 'graph.add')"
    )
    assert len(lines) == 2


def test_tolerances_can_hide_a_divergence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = (
        "--check-numerics",
        "-p",
        "test-add-to-sub",
        "--check-numerics-atol=100",
        "--check-numerics-rtol=0",
    )
    code, lines = run(capsys, tmp_path, ADD_MUL, *flags)
    assert code == 0
    assert lines[0].startswith("numerics: after test-add-to-sub: ok (max abs error ")
    assert lines[0] != "numerics: after test-add-to-sub: ok (max abs error 0.0)"


def test_int_and_bool_results_agree_exactly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    code, lines = run(capsys, tmp_path, INT_AND_BOOL, "--check-numerics", "-p", "cse")
    assert (code, lines[-1]) == (0, "numerics: all 2 levels agree")


def test_int_divergence_is_exact(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = ("--check-numerics", "-p", "test-add-to-sub")
    code, lines = run(capsys, tmp_path, INT_AND_BOOL, *flags)
    assert code == 1
    assert "result #0 max abs error" in lines[0]
    assert "elements (exact)" in lines[0]


def test_out_params_are_results(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = ("--check-numerics", "-p", "test-fake-bufferize,canonicalize")
    code, lines = run(capsys, tmp_path, TENSOR_ADD, *flags)
    assert code == 0, lines
    assert lines == [
        "numerics: after test-fake-bufferize: ok (max abs error 0.0)",
        "numerics: after canonicalize: ok (max abs error 0.0)",
        "numerics: all 3 levels agree",
    ]


def test_out_param_input_is_checked(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, lines = run(capsys, tmp_path, BUFFERIZED_ADD, "--check-numerics", "--cse")
    assert (code, lines[-1]) == (0, "numerics: all 2 levels agree")


def test_wrong_bufferization_is_caught(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = ("--check-numerics", "-p", "test-wrong-bufferize")
    code, lines = run(capsys, tmp_path, TENSOR_ADD, *flags)
    assert code == 1
    assert "numerics diverge after pass 'test-wrong-bufferize': result #0" in lines[0]


def test_added_functions_are_fine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    flags = ("--check-numerics", "-p", "test-add-helper")
    code, lines = run(capsys, tmp_path, ADD_MUL, *flags)
    assert (code, lines[-1]) == (0, "numerics: all 2 levels agree")


def test_dynamic_dim_is_an_error_naming_the_argument(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    text = """\
func.func @f(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = graph.relu %x : tensor<?x3xf32>
  func.return %0 : tensor<?x3xf32>
}
"""
    code, lines = run(capsys, tmp_path, text, "--check-numerics")
    assert code == 1
    assert lines == [
        f"{tmp_path / 'in.mlir'}:1:1: error: argument #0 (%x) of @f has the dynamic "
        "type tensor<?x3xf32>; the check needs static shapes"
    ]


def test_entry_must_be_named_when_ambiguous(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    text = ADD_MUL + ADD_MUL.replace("@f", "@g")
    code, lines = run(capsys, tmp_path, text, "--check-numerics")
    assert code == 1
    assert lines[0].endswith(
        "error: the entry function is ambiguous: 2 public functions (@f, @g); "
        "name it with --check-numerics-entry=NAME"
    )
    code, lines = run(
        capsys, tmp_path, text, "--check-numerics", "--check-numerics-entry=g"
    )
    assert (code, lines) == (0, ["numerics: all 1 levels agree"])


def test_no_public_function(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    text = ADD_MUL.replace("func.func @f", "func.func private @f")
    code, lines = run(capsys, tmp_path, text, "--check-numerics")
    assert code == 1
    assert lines[0].endswith(
        "error: no public function to check; name one with --check-numerics-entry=NAME"
    )
    flags = ("--check-numerics", "--check-numerics-entry=f")
    assert run(capsys, tmp_path, text, *flags)[0] == 0


def test_unknown_entry(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    flags = ("--check-numerics", "--check-numerics-entry=nope")
    code, lines = run(capsys, tmp_path, ADD_MUL, *flags)
    assert code == 1
    assert lines[0].endswith("error: no function @nope to check (functions: @f)")


def test_uninterpretable_ir_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    text = """\
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "test.op"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""
    flags = ("--check-numerics", "--allow-unregistered-dialect")
    code, lines = run(capsys, tmp_path, text, *flags)
    assert code == 1
    assert len(lines) == 1
    assert "error: numerics: cannot run @f before the pipeline: " in lines[0]


def test_random_inputs_by_type_and_seed(parse: Callable[[str], ModuleOp]):
    entry = find_entry(parse(INT_AND_BOOL), None)
    types = [arg.type for arg in entry.args]

    def inputs(seed: int) -> list[Array]:
        rng = np.random.default_rng(seed)
        return [random_input(t, rng, "x", entry) for t in types]

    a, _, u, c, _ = inputs(0)
    assert (a.dtype, a.shape) == (np.int32, (4,))
    assert set(a.tolist()) <= {-3, -2, -1, 1, 2, 3}
    assert u.dtype == np.uint8
    assert set(u.tolist()) <= set(range(1, 7))
    assert c.dtype == np.bool_
    assert not all(np.array_equal(x, y) for x, y in zip(inputs(0), inputs(1)))
    assert all(np.array_equal(x, y) for x, y in zip(inputs(0), inputs(0)))
    floats = random_input(TensorType(f32, [2, 3]), np.random.default_rng(0), "x", entry)
    assert (floats.dtype, floats.shape) == (np.float32, (2, 3))


# --------------------------------------------------------------------------- #
# Comparison
# --------------------------------------------------------------------------- #

OPTIONS = NumericsOptions()


def test_compare_nan_equals_nan():
    a = np.array([np.nan, 1.0], np.float32)
    assert compare(a, a.copy(), OPTIONS) == (0.0, None)


def test_compare_nan_against_number():
    error, mismatch = compare(
        np.array([np.nan], np.float32), np.array([1.0], np.float32), OPTIONS
    )
    assert mismatch is not None
    assert format_error(error) == "nan"


def test_compare_within_tolerance():
    error, mismatch = compare(
        np.array([1.00001], np.float32), np.array([1.0], np.float32), OPTIONS
    )
    assert mismatch is None
    assert 0 < error < 1e-4


def test_compare_signless_against_unsigned():
    # The tensor level's signless i8 stands for the graph's ui8: same bits.
    got = np.array([-2], np.int8)
    assert compare(got, np.array([254], np.uint8), OPTIONS) == (0.0, None)


def test_compare_shapes():
    _, mismatch = compare(np.zeros((2, 3)), np.zeros((3, 2)), OPTIONS)
    assert mismatch is not None
    assert mismatch.detail == "has shape (2, 3), expected (3, 2)"


def test_compare_bools_exactly():
    _, mismatch = compare(np.array([True]), np.array([False]), OPTIONS)
    assert mismatch is not None


def test_default_tolerances_by_dtype():
    assert OPTIONS.tolerances(np.dtype(np.float16)) == (1e-2, 1e-3)
    assert NumericsOptions(rtol=0.5).tolerances(np.dtype(np.float64)) == (0.5, 1e-12)
