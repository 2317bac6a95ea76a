"""
The LLVM-dialect lowerings (`convert-{memref,func,cf}-to-llvm` with the rest
of the `llvm` stage) compute what the loop level computes.

Loop-level IR is interpreted (the reference) and also lowered by the
pipeline's `llvm` stage, printed, translated by real `mlir-translate
--mlir-to-llvmir` (upstream 22.1.8), compiled by llvmlite's MCJIT and called on
the same numpy buffers. The cases stress the address arithmetic: strided
subviews with static and dynamic offsets, byte-shifted views into an arena,
reshapes, contiguous and strided copies, globals and scalar results; plus the
three small models from the graph level.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from helpers import full_context, print_op
from xdsl.context import Context
from xdsl.dialects.builtin import IndexType, IntegerType, MemRefType, ModuleOp
from xdsl.dialects.func import FuncOp
from xdsl.parser import Parser

from mlc.dialects.graph.base import Array
from mlc.lowering.pipelines import PIPELINE, pipeline_passes
from mlc.runtime.jit import jit_llvm_ir
from mlc.runtime.signature import aligned_empty
from mlc.tools.check_numerics import is_out_param, random_input, run_level

MLIR_TRANSLATE = (
    Path(sysconfig.get_paths()["purelib"]) / "mlir" / "bin" / "mlir-translate"
)
SMALL_MODELS = sorted((Path(__file__).parents[3] / "examples" / "small").glob("*.mlir"))

if not MLIR_TRANSLATE.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"upstream mlir-translate missing in CI: {MLIR_TRANSLATE}")
    pytest.skip(
        f"upstream mlir-translate not installed ({MLIR_TRANSLATE})",
        allow_module_level=True,
    )


LLVM_STAGE = dict(PIPELINE)["llvm"]

REORDERED_STAGE = (
    "convert-func-to-llvm",
    "convert-scf-to-cf",
    "convert-cf-to-llvm",
    "convert-memref-to-llvm",
    "convert-math-to-llvm",
    "convert-vector-to-llvm",
    "convert-arith-to-llvm",
    "reconcile-unrealized-casts",
    "check-llvm-converted",
)
"""The conversions bridge types with casts, so any order works."""


def lower_to_llvm(
    module: ModuleOp, ctx: Context, stage: tuple[str, ...] = LLVM_STAGE
) -> None:
    """The `llvm` stage of the default pipeline, verifying after each pass."""
    for pass_ in pipeline_passes("llvm", (("llvm", stage),)):
        pass_.apply(ctx, module)
        module.verify()


def translate(module: ModuleOp) -> str:
    """LLVM IR text of an llvm-dialect module, by upstream mlir-translate."""
    done = subprocess.run(
        [str(MLIR_TRANSLATE), "--mlir-to-llvmir"],
        input=print_op(module),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class Native:
    """One translated module, compiled by the runtime's JIT without optimizing."""

    def __init__(self, llvm_ir: str) -> None:
        self.native = jit_llvm_ir(llvm_ir, opt_level=0)

    def call(
        self, name: str, args: list[Array | int], result: type[ctypes.c_float] | None
    ) -> float | None:
        address = self.native.address(name)
        c_args: list[ctypes.c_void_p | ctypes.c_int64] = []
        for arg in args:
            if isinstance(arg, np.ndarray):
                assert arg.flags.c_contiguous
                c_args.append(ctypes.c_void_p(arg.ctypes.data))
            else:
                c_args.append(ctypes.c_int64(arg))
        function = ctypes.CFUNCTYPE(result, *(type(a) for a in c_args))(address)
        return function(*c_args)


def aligned(array: Array) -> Array:
    """A 64-byte aligned C-contiguous copy (the ABI callers promise)."""
    out = aligned_empty(array.shape, array.dtype)
    out[...] = array
    return out


def check_native(
    text: str,
    entry: str,
    inputs: list[Array] | None = None,
    seed: int = 0,
    reference: Callable[..., list[Array]] | None = None,
    stage: tuple[str, ...] = LLVM_STAGE,
) -> None:
    """
    Interpret `@entry` of `text`, run it natively; the outputs agree.

    `inputs` (random when None) are the non-`mlc.out` arguments; a scalar
    result (f32) is compared too. The interpreter gives the expected results
    unless `reference` (numpy, on the inputs) does.
    """
    ctx = full_context()
    module = Parser(ctx, text).parse_module()
    function = next(
        op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == entry
    )
    rng = np.random.default_rng(seed)
    block = function.body.blocks.first
    assert block is not None
    if inputs is None:
        inputs = [
            random_input(arg.type, rng, f"argument #{i}", function)
            for i, arg in enumerate(block.args)
            if not is_out_param(function, i)
        ]
    returns_scalar = bool(function.function_type.outputs.data)
    if reference is None:
        expected = run_level(module, entry, inputs).results
    else:
        expected = reference(*inputs)
    scalar, expected = (
        (expected[0], expected[1:]) if returns_scalar else (None, expected)
    )
    signature = [
        (is_out_param(function, i), arg.type) for i, arg in enumerate(block.args)
    ]
    lower_to_llvm(module, ctx, stage)
    native = Native(translate(module))
    args: list[Array | int] = []
    outs: list[Array] = []
    it = iter(inputs)
    for out_param, type_ in signature:
        if out_param:
            want = expected[len(outs)]
            out = aligned(np.full(want.shape, 7, want.dtype))
            outs.append(out)
            args.append(out)
        elif isinstance(type_, MemRefType):
            args.append(aligned(next(it)))
        else:
            assert isinstance(type_, IndexType | IntegerType)
            args.append(int(next(it)))  # pyright: ignore[reportArgumentType]
    returned = native.call(entry, args, ctypes.c_float if returns_scalar else None)
    if scalar is not None:
        np.testing.assert_allclose(returned, scalar, rtol=1e-5)
    for got, want in zip(outs, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def loop_level(path: Path) -> str:
    ctx = full_context()
    module = Parser(ctx, path.read_text()).parse_module()
    for pass_ in pipeline_passes("loop"):
        pass_.apply(ctx, module)
    return print_op(module)


@pytest.mark.parametrize("path", SMALL_MODELS, ids=lambda p: p.stem)
def test_small_models_run_natively_after_conversions_in_any_order(
    path: Path,
) -> None:
    check_native(loop_level(path), path.stem, stage=REORDERED_STAGE)


@pytest.mark.parametrize("path", SMALL_MODELS, ids=lambda p: p.stem)
def test_small_models_run_natively(path: Path) -> None:
    check_native(loop_level(path), path.stem)


# --------------------------------------------------------------------------- #
# Address arithmetic, case by case (loop-level IR as the pipeline makes it)
# --------------------------------------------------------------------------- #

SUBVIEW_STATIC = """
func.func @f(%a: memref<4x6xf32>, %out: memref<2x3xf32> {mlc.out}) {
  %s = memref.subview %a[1, 2] [2, 3] [1, 1] : memref<4x6xf32> to memref<2x3xf32, strided<[6, 1], offset: 8>>
  "memref.copy"(%s, %out) : (memref<2x3xf32, strided<[6, 1], offset: 8>>, memref<2x3xf32>) -> ()
  func.return
}
"""  # noqa: E501

SUBVIEW_STRIDED = """
func.func @f(%a: memref<4x6xf32>, %out: memref<2x3xf32> {mlc.out}) {
  %s = memref.subview %a[1, 1] [2, 3] [2, 2] : memref<4x6xf32> to memref<2x3xf32, strided<[12, 2], offset: 7>>
  "memref.copy"(%s, %out) : (memref<2x3xf32, strided<[12, 2], offset: 7>>, memref<2x3xf32>) -> ()
  func.return
}
"""  # noqa: E501

SUBVIEW_INTO_PADDING = """
func.func @f(%a: memref<2x3xf32>, %out: memref<4x5xf32> {mlc.out}) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c5 step %c1 {
      memref.store %zero, %out[%i, %j] : memref<4x5xf32>
    }
  }
  %s = memref.subview %out[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  "memref.copy"(%a, %s) : (memref<2x3xf32>, memref<2x3xf32, strided<[5, 1], offset: 6>>) -> ()
  func.return
}
"""  # noqa: E501

SUBVIEW_DYNAMIC = """
func.func @f(%a: memref<4x6xf32>, %i: index, %out: memref<2x6xf32> {mlc.out}) {
  %s = memref.subview %a[%i, 0] [2, 6] [1, 1] : memref<4x6xf32> to memref<2x6xf32, strided<[6, 1], offset: ?>>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c6 = arith.constant 6 : index
  scf.for %r = %c0 to %c2 step %c1 {
    scf.for %c = %c0 to %c6 step %c1 {
      %v = memref.load %s[%r, %c] : memref<2x6xf32, strided<[6, 1], offset: ?>>
      memref.store %v, %out[%r, %c] : memref<2x6xf32>
    }
  }
  func.return
}
"""  # noqa: E501

VIEW_AND_RESHAPES = """
func.func @f(%a: memref<2x3xf32>, %out: memref<6xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<128xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %shift = arith.constant 64 : index
  %v = memref.view %arena[%shift][] : memref<128xi8> to memref<2x3xf32>
  %w = memref.view %arena[%c0][] : memref<128xi8> to memref<2x3xf32>
  scf.for %i = %c0 to %c2 step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      %x = memref.load %a[%i, %j] : memref<2x3xf32>
      %y = arith.mulf %x, %x : f32
      memref.store %y, %v[%i, %j] : memref<2x3xf32>
      memref.store %x, %w[%i, %j] : memref<2x3xf32>
    }
  }
  %e = memref.expand_shape %v [[0], [1, 2]] output_shape [2, 3, 1] : memref<2x3xf32> into memref<2x3x1xf32>
  %f = memref.collapse_shape %e [[0, 1, 2]] : memref<2x3x1xf32> into memref<6xf32>
  "memref.copy"(%f, %out) : (memref<6xf32>, memref<6xf32>) -> ()
  %y0 = memref.load %w[%c1, %c2] : memref<2x3xf32>
  %y1 = memref.load %out[%c0] : memref<6xf32>
  %y2 = arith.addf %y0, %y1 : f32
  memref.store %y2, %out[%c0] : memref<6xf32>
  memref.dealloc %arena : memref<128xi8>
  func.return
}
"""  # noqa: E501

GLOBALS = """
"memref.global"() <{sym_name = "g", type = memref<2x3xf32>, initial_value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>, sym_visibility = "private", constant}> : () -> ()
"memref.global"() <{sym_name = "h", type = memref<3xf32>, initial_value = dense<2.5> : tensor<3xf32>, sym_visibility = "private", constant}> : () -> ()
func.func @f(%a: memref<2x3xf32>, %out: memref<2x3xf32> {mlc.out}) {
  %g = memref.get_global @g : memref<2x3xf32>
  %h = memref.get_global @h : memref<3xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c2 step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      %x = memref.load %a[%i, %j] : memref<2x3xf32>
      %y = memref.load %g[%i, %j] : memref<2x3xf32>
      %z = memref.load %h[%j] : memref<3xf32>
      %s = arith.addf %x, %y : f32
      %t = arith.mulf %s, %z : f32
      memref.store %t, %out[%i, %j] : memref<2x3xf32>
    }
  }
  func.return
}
"""  # noqa: E501

ALLOCA_REINTERPRET_CALL = """
func.func private @square(%x: memref<6xf32>, %out: memref<6xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  scf.for %i = %c0 to %c6 step %c1 {
    %v = memref.load %x[%i] : memref<6xf32>
    %y = arith.mulf %v, %v : f32
    memref.store %y, %out[%i] : memref<6xf32>
  }
  func.return
}
func.func @f(%a: memref<6xf32>, %out: memref<2x3xf32> {mlc.out}) -> f32 {
  %t = memref.alloca() {alignment = 64 : i64} : memref<6xf32>
  func.call @square(%a, %t) : (memref<6xf32>, memref<6xf32>) -> ()
  %r = memref.reinterpret_cast %t to offset: [0], sizes: [2, 3], strides: [3, 1] : memref<6xf32> to memref<2x3xf32>
  "memref.copy"(%r, %out) : (memref<2x3xf32>, memref<2x3xf32>) -> ()
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c6 step %c1 iter_args(%acc = %zero) -> (f32) {
    %v = memref.load %t[%i] : memref<6xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  func.return %sum : f32
}
"""  # noqa: E501

ELEMENT_TYPES = """
func.func @f(%h: memref<2x3xf16>, %d: memref<3xf64>, %b: memref<4x4xi8>, %p: memref<3xi1>,
             %oh: memref<2x3xf16> {mlc.out}, %od: memref<3xf64> {mlc.out},
             %ob: memref<2x2xi8> {mlc.out}, %op: memref<3xi1> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c2 step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      %x = memref.load %h[%i, %j] : memref<2x3xf16>
      %y = arith.addf %x, %x : f16
      memref.store %y, %oh[%i, %j] : memref<2x3xf16>
    }
  }
  scf.for %j = %c0 to %c3 step %c1 {
    %x = memref.load %d[%j] : memref<3xf64>
    %y = arith.mulf %x, %x : f64
    memref.store %y, %od[%j] : memref<3xf64>
    %q = memref.load %p[%j] : memref<3xi1>
    %t = arith.constant true
    %r = arith.xori %q, %t : i1
    memref.store %r, %op[%j] : memref<3xi1>
  }
  %s = memref.subview %b[1, 1] [2, 2] [2, 1] : memref<4x4xi8> to memref<2x2xi8, strided<[8, 1], offset: 5>>
  "memref.copy"(%s, %ob) : (memref<2x2xi8, strided<[8, 1], offset: 5>>, memref<2x2xi8>) -> ()
  func.return
}
"""  # noqa: E501

ASSERT_PASSES = """
func.func @f(%a: memref<4xf32>, %out: memref<4xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %ok = arith.cmpi ult, %i, %c4 : index
    cf.assert %ok, "index out of range"
    %x = memref.load %a[%i] : memref<4xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %out[%i] : memref<4xf32>
  }
  func.return
}
"""

CASES = {
    "assert_passes": ASSERT_PASSES,
    "element_types": ELEMENT_TYPES,
    "subview_static": SUBVIEW_STATIC,
    "subview_strided": SUBVIEW_STRIDED,
    "subview_into_padding": SUBVIEW_INTO_PADDING,
    "view_and_reshapes": VIEW_AND_RESHAPES,
    "globals": GLOBALS,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_memref_addressing_runs_natively(name: str) -> None:
    check_native(CASES[name], "f")


def test_alloca_reinterpret_cast_call_and_scalar_result_run_natively() -> None:
    """The interpreter has no memref.alloca: numpy is the reference."""

    def reference(a: Array) -> list[Array]:
        squares = a * a
        return [np.float32(squares.sum()), squares.reshape(2, 3)]

    check_native(ALLOCA_REINTERPRET_CALL, "f", reference=reference)


@pytest.mark.parametrize("offset", [0, 1, 2])
def test_dynamic_subview_offset_runs_natively(offset: int) -> None:
    """The interpreter has no dynamic subview: numpy is the reference."""
    a = np.arange(24, dtype=np.float32).reshape(4, 6)

    def reference(a: Array, i: Array) -> list[Array]:
        return [a[int(i) : int(i) + 2]]

    check_native(SUBVIEW_DYNAMIC, "f", [a, np.int64(offset)], reference=reference)  # pyright: ignore[reportArgumentType]


ASSERT_FAILS = ASSERT_PASSES.replace("ult, %i, %c4", "ult, %i, %c1")

ABORT_SCRIPT = """
import sys
import numpy as np
sys.path[:0] = sys.argv[1:4]
from helpers import full_context
from xdsl.parser import Parser
from test_llvm_lowering_numerics import ASSERT_FAILS, Native, aligned
from test_llvm_lowering_numerics import lower_to_llvm, translate
ctx = full_context()
module = Parser(ctx, ASSERT_FAILS).parse_module()
lower_to_llvm(module, ctx)
native = Native(translate(module))
a = aligned(np.ones(4, np.float32))
out = aligned(np.zeros(4, np.float32))
native.call("f", [a, out], None)
print("not aborted")
"""


def test_a_failing_assert_aborts_with_its_message() -> None:
    here = Path(__file__).parent
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            ABORT_SCRIPT,
            str(here.parent),
            str(here),
            str(here.parents[2] / ".pkgroot"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == -signal.SIGABRT, done.stderr
    assert done.stderr == "index out of range\n"
    assert "not aborted" not in done.stdout
