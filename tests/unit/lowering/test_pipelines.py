"""
The pipelines table, `pipeline_passes` and `graph-to-llvm`: structure, errors,
and numerics at every level against numpy (through the interpreters).
"""

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pytest
from helpers import full_context
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, MemRefType, ModuleOp
from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.traits import SymbolTable
from xdsl.transforms import get_all_passes as xdsl_passes
from xdsl.utils.arg_spec import parse_spec
from xdsl.utils.exceptions import PassFailedException
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import to_numpy_dtype
from mlc.interpreters import run_function, run_function_with_buffers
from mlc.lowering.pipelines import (
    CLEANUP,
    LEVELS,
    PIPELINE,
    GraphToLlvmPass,
    pipeline_passes,
    pipeline_text,
)
from mlc.passes.linalg_generalize import LinalgGeneralizePass
from mlc.support.abi import PACKED_ATTR
from mlc.support.diagnostics import DiagnosticError
from mlc.support.packing import pack_weight
from mlc.support.pass_runner import PassCrash, run_passes
from mlc.support.registry import RegistryContext
from mlc.universe import MLC_UNIVERSE

Array = np.ndarray[Any, Any]


def parse(text: str) -> ModuleOp:
    module = Parser(full_context(), text).parse_module()
    module.verify()
    return module


def run_with_buffers(
    module: ModuleOp, name: str, inputs: Sequence[Array]
) -> list[Array]:
    """
    Interpret `@name` on `inputs`; the final contents of its memref arguments.

    An input whose argument `pack-weights` packed (`mlc.packed`) is passed
    packed, as the runtime passes it; arguments after `inputs` (a bufferized
    function's out-params) start as zeros.
    """
    function = SymbolTable.lookup_symbol(module, name)
    assert isinstance(function, func.FuncOp)
    types = list(function.function_type.inputs)
    args = [as_passed(function, i, value) for i, value in enumerate(inputs)]
    for type_ in types[len(inputs) :]:
        assert isa(type_, MemRefType[Attribute])
        dtype = to_numpy_dtype(type_.get_element_type())
        args.append(np.zeros(type_.get_shape(), dtype))
    _, finals = run_function_with_buffers(module, name, args)
    return [
        final
        for final, type_ in zip(finals, types, strict=True)
        if isinstance(type_, MemRefType)
    ]


def as_passed(function: func.FuncOp, index: int, value: Array) -> Array:
    """Input `index` of `function` as it takes it: packed if marked `mlc.packed`."""
    attrs = function.arg_attrs.data[index].data if function.arg_attrs else {}
    packed = attrs.get(PACKED_ATTR)
    if packed is None:
        return value
    assert isinstance(packed, DictionaryAttr)
    nr, n_dim = packed.data["nr"], packed.data["n"]
    assert isinstance(nr, IntegerAttr)
    assert isinstance(n_dim, IntegerAttr)
    return pack_weight(value, nr.value.data, n_dim.value.data)


# --------------------------------------------------------------------------- #
# The table
# --------------------------------------------------------------------------- #


def test_stages_are_the_levels_in_order():
    assert LEVELS == ("graph", "tensor", "loop", "llvm")
    assert [level for level, _ in PIPELINE] == list(LEVELS)


@pytest.mark.parametrize(
    "lowering",
    [
        "convert-graph-to-linalg",
        "bufferize",
        "lower-affine",
        "reconcile-unrealized-casts",
    ],
)
def test_every_lowering_step_is_followed_by_canonicalize_and_cse(lowering: str):
    names = [name for _, passes in PIPELINE for name in passes]
    index = names.index(lowering)
    # convert-linalg-to-loops is cleaned up with lower-affine, its other half
    assert tuple(names[index + 1 : index + 3]) == CLEANUP


def test_pipeline_passes_up_to_tensor():
    assert [p.name for p in pipeline_passes("tensor")] == [
        "widen-bf16",
        "canonicalize",
        "graph-fuse",
        "convert-graph-to-linalg",
        "canonicalize",
        "cse",
        "linalg-fuse-elementwise",
        "canonicalize",
        "cse",
    ]


def test_pipeline_passes_up_to_loop_ends_with_the_loop_stage():
    names = [p.name for p in pipeline_passes("loop")]
    assert names[-16:] == [
        "bufferize",
        "canonicalize",
        "cse",
        "buffer-reuse",
        "pack-weights",
        "linalg-contraction-kernel",
        "conv-depthwise-kernel",
        "linalg-generalize",
        "linalg-vectorize",
        "convert-linalg-to-loops",
        "lower-affine",
        "canonicalize",
        "cse",
        "mark-parallel-loops",
        "fuse-parallel-loops",
        "parallelize-loops",
    ]


def test_pipeline_passes_up_to_llvm_ends_with_the_llvm_stage():
    names = [p.name for p in pipeline_passes("llvm")]
    assert names[-12:] == [
        "math-approximate",
        "convert-scf-to-cf",
        "convert-arith-to-llvm",
        "convert-math-to-llvm",
        "convert-memref-to-llvm",
        "convert-vector-to-llvm",
        "convert-cf-to-llvm",
        "convert-func-to-llvm",
        "reconcile-unrealized-casts",
        "canonicalize",
        "cse",
        "check-llvm-converted",
    ]


def test_an_empty_stage_is_not_available_yet():
    stages = (("loop", ("cse",)), ("native", ()))
    with pytest.raises(
        PassFailedException,
        match=r"level 'native' is not available yet \(use to=loop\)",
    ):
        pipeline_passes("native", stages)


def test_a_pass_whose_module_is_missing_is_one_error():
    def missing() -> type[ModulePass]:
        raise ModuleNotFoundError("No module named 'mlc.lowering.nowhere'")

    with pytest.raises(
        PassFailedException,
        match=r"pass 'nowhere' of stage 'loop' cannot be loaded \(No module named",
    ):
        pipeline_passes("loop", (("loop", ("nowhere",)),), {"nowhere": missing})


def test_unknown_level_is_an_error():
    with pytest.raises(PassFailedException, match="unknown level 'native'"):
        pipeline_passes("native")


class RecordingCanonicalize(ModulePass):
    name = "canonicalize"
    applied: ClassVar[list[str]] = []

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        self.applied.append(self.name)


def test_a_missing_pass_fails_before_anything_runs():
    ctx = RegistryContext()  # graph-to-llvm resolves in the context's registry
    ctx.register_passes({"canonicalize": lambda: RecordingCanonicalize})
    RecordingCanonicalize.applied.clear()
    with pytest.raises(
        PassFailedException,
        match="pass 'widen-bf16' of stage 'graph' is not registered",
    ):
        GraphToLlvmPass(to="graph").apply(ctx, ModuleOp([]))
    assert RecordingCanonicalize.applied == []


def test_pipeline_text_is_an_mlc_opt_pass_list():
    assert pipeline_text("graph") == "widen-bf16,canonicalize,graph-fuse"
    assert pipeline_text("loop").split(",") == [p.name for p in pipeline_passes("loop")]


class BreakVerification(ModulePass):
    name = "break-verification"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        op.body.block.add_op(func.ReturnOp())  # a terminator outside a function


class Crash(ModulePass):
    name = "crash"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raise KeyError("boom")


def test_a_pass_leaving_invalid_ir_fails_with_the_verifier_error():
    with pytest.raises(DiagnosticError, match=r"func\.return"):
        run_passes([BreakVerification()], full_context(), ModuleOp([]))


def test_a_crashing_pass_is_named():
    with pytest.raises(PassCrash, match="pass 'crash' crashed: KeyError: 'boom'"):
        run_passes([Crash()], full_context(), ModuleOp([]))


def test_options_of_a_table_entry_are_passed_on():
    stages = (("graph", ("graph-to-llvm{to=tensor}",)),)
    (built,) = pipeline_passes("graph", stages)
    assert built == GraphToLlvmPass(to="tensor")


def test_pass_spec_sets_the_level():
    spec = parse_spec("graph-to-llvm{to=tensor}")
    assert GraphToLlvmPass.from_pass_spec(spec) == GraphToLlvmPass(to="tensor")


def test_registered_under_their_names_without_clashing_with_xdsl():
    passes = MLC_UNIVERSE.all_passes
    assert passes["graph-to-llvm"]() is GraphToLlvmPass
    assert passes["linalg-generalize"]() is LinalgGeneralizePass
    assert not set(passes) & set(xdsl_passes())


# --------------------------------------------------------------------------- #
# Numerics, level by level
# --------------------------------------------------------------------------- #

LINEAR_RELU = """
func.func @linear_relu(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>)
    -> tensor<2x4xf32> {
  %0 = graph.linear %x, %w, %b
      : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %1 = graph.relu %0 : tensor<2x4xf32>
  func.return %1 : tensor<2x4xf32>
}
"""


def linear_relu_inputs() -> tuple[list[Array], Array]:
    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(s).astype(np.float32) for s in ((2, 3), (4, 3), 4))
    return [x, w, b], np.maximum(x @ w.T + b, 0)


def lowered(text: str, to: str) -> ModuleOp:
    module = parse(text)
    GraphToLlvmPass(to=to).apply(full_context(), module)
    module.verify()
    return module


@pytest.mark.parametrize("to", ["graph", "tensor"])
def test_linear_relu_keeps_its_numbers_on_tensors(to: str):
    inputs, expected = linear_relu_inputs()
    module = lowered(LINEAR_RELU, to)
    (result,) = run_function(module, "linear_relu", inputs)
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)


def test_linear_relu_keeps_its_numbers_in_loops():
    inputs, expected = linear_relu_inputs()
    module = lowered(LINEAR_RELU, "loop")
    ops = {op.name for op in module.walk()}
    assert "scf.for" in ops
    assert not {name for name in ops if name.startswith(("graph.", "linalg."))}
    # The weight is an argument of the public function: passed packed.
    entry = SymbolTable.lookup_symbol(module, "linear_relu")
    assert isinstance(entry, func.FuncOp)
    assert entry.arg_attrs
    assert PACKED_ATTR in entry.arg_attrs.data[1].data
    *_, result = run_with_buffers(module, "linear_relu", inputs)
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)


# The loop stage's own lowering on hand-written upstream-style memref IR.
UPSTREAM_STYLE = """
func.func @sum_and_max_of_rows(%x: memref<2x3xf32>, %s: memref<2xf32>,
                               %m: memref<2xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                   affine_map<(d0, d1) -> (d0)>,
                                   affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<2x3xf32>) outs(%s, %m : memref<2xf32>, memref<2xf32>) {
  ^bb0(%in: f32, %acc: f32, %mx: f32):
    %a = arith.addf %in, %acc : f32
    %b = arith.maximumf %in, %mx : f32
    linalg.yield %a, %b : f32, f32
  }
  func.return
}
func.func @f16_sum_through_f64(%x: memref<2x3xf16>, %s: memref<2xf16>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                   affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<2x3xf16>) outs(%s : memref<2xf16>) {
  ^bb0(%in: f16, %acc: f16):
    %a = arith.extf %in : f16 to f64
    %b = arith.extf %acc : f16 to f64
    %c = arith.addf %a, %b : f64
    %d = arith.truncf %c : f64 to f16
    linalg.yield %d : f16
  }
  func.return
}
func.func @row_plus_column_index(%x: memref<1x3xf32>, %o: memref<2x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (0, d1)>,
                                   affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<1x3xf32>) outs(%o : memref<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %j = arith.index_cast %i : index to i64
    %k = arith.sitofp %j : i64 to f32
    %r = arith.addf %in, %k : f32
    linalg.yield %r : f32
  }
  func.return
}
"""

LOOP_LOWERING = ("linalg-generalize", "convert-linalg-to-loops", "lower-affine")


def loops(text: str) -> ModuleOp:
    stages = (("loop", (*LOOP_LOWERING, *CLEANUP)),)
    module = parse(text)
    run_passes(pipeline_passes("loop", stages), full_context(), module)
    assert not any(op.name.startswith(("linalg.", "affine.")) for op in module.walk())
    return module


def test_several_results_with_a_reduction_iterator_in_loops():
    x = np.random.default_rng(1).standard_normal((2, 3)).astype(np.float32)
    s0, m0 = np.float32([1, 2]), np.full(2, -np.inf, np.float32)
    _, s, m = run_with_buffers(
        loops(UPSTREAM_STYLE), "sum_and_max_of_rows", [x, s0, m0]
    )
    np.testing.assert_allclose(s, s0 + x.sum(axis=1), rtol=1e-5)
    np.testing.assert_array_equal(m, x.max(axis=1))


def test_constant_index_map_and_linalg_index_in_loops():
    x = np.float32([[1, 2, 3]])
    _, o = run_with_buffers(
        loops(UPSTREAM_STYLE),
        "row_plus_column_index",
        [x, np.zeros((2, 3), np.float32)],
    )
    np.testing.assert_array_equal(o, x + np.float32([[0], [1]]))


def test_f16_body_with_f64_intermediates_in_loops():
    x = np.float16([[1, 2, 3], [0.5, 0.25, 0.125]])
    _, s = run_with_buffers(
        loops(UPSTREAM_STYLE), "f16_sum_through_f64", [x, np.zeros(2, np.float16)]
    )
    assert s.dtype == np.float16
    np.testing.assert_array_equal(s, np.float16([6, 0.875]))
