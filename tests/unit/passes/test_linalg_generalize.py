"""
linalg-generalize: structure, errors, and numerics on memref-level linalg IR.

Each case is a hand-written bufferized function (results written into memref
arguments). It is interpreted as written, after `linalg-generalize`, and
after `linalg-generalize,convert-linalg-to-loops,lower-affine`; every run
must equal numpy. xDSL's interpreter has no `linalg.broadcast` and
`linalg.reduce`, and runs conv and pooling only for one batch and one
channel from zeroed outputs, so the as-written run is skipped there
(`named_runs=False`); the generic and loop runs are always checked.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from helpers import full_context
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseIntElementsAttr,
    MemRefType,
    ModuleOp,
    TensorType,
    f32,
    i32,
    i64,
)
from xdsl.dialects.linalg.ops import PoolingNchwMaxOp
from xdsl.ir import Block, Region
from xdsl.parser import Parser
from xdsl.transforms.convert_linalg_to_loops import ConvertLinalgToLoopsPass
from xdsl.transforms.lower_affine import LowerAffinePass
from xdsl.utils.exceptions import PassFailedException

from mlc.interpreters import run_function_with_buffers
from mlc.passes.linalg_generalize import LinalgGeneralizePass

Array = np.ndarray[Any, Any]


def parse(text: str) -> ModuleOp:
    module = Parser(full_context(), text).parse_module()
    module.verify()
    return module


def run_with_buffers(module: ModuleOp, name: str, args: Sequence[Array]) -> list[Array]:
    """Interpret `@name` on `args`; the final contents of every argument."""
    return run_function_with_buffers(module, name, args)[1]


def generalized(module: ModuleOp) -> ModuleOp:
    LinalgGeneralizePass().apply(full_context(), module)
    module.verify()
    return module


def to_loops(module: ModuleOp) -> ModuleOp:
    ctx = full_context()
    LinalgGeneralizePass().apply(ctx, module)
    ConvertLinalgToLoopsPass().apply(ctx, module)
    LowerAffinePass().apply(ctx, module)
    module.verify()
    return module


def linalg_op_names(module: ModuleOp) -> set[str]:
    return {op.name for op in module.walk() if op.name.startswith("linalg.")}


# --------------------------------------------------------------------------- #
# Cases: IR, inputs, numpy reference of the output arguments
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Case:
    name: str
    ir: str
    inputs: Callable[[np.random.Generator], list[Array]]
    """All arguments, the output buffers' initial contents included."""
    expected: Callable[[list[Array]], list[Array]]
    """The final contents of the output arguments (the last `len(...)`)."""
    named_runs: bool = True


def rand(rng: np.random.Generator, *shape: int) -> Array:
    return rng.standard_normal(shape).astype(np.float32)


def conv_nchw_fchw(x: Array, w: Array, stride: int) -> Array:
    windows = sliding_window_view(x, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwij,fcij->nfhw", windows, w)


def max_pool(x: Array, k: int, stride: int) -> Array:
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.max(axis=(4, 5))


CASES = [
    Case(
        "fill",
        """
        func.func @f(%out: memref<2x3xf32>) {
          %c = arith.constant 1.5 : f32
          linalg.fill ins(%c : f32) outs(%out : memref<2x3xf32>)
          func.return
        }""",
        lambda rng: [rand(rng, 2, 3)],
        lambda a: [np.full((2, 3), 1.5, np.float32)],
    ),
    Case(
        "matmul",
        """
        func.func @f(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %out: memref<2x4xf32>) {
          linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>)
                        outs(%out : memref<2x4xf32>)
          func.return
        }""",
        lambda rng: [rand(rng, 2, 3), rand(rng, 3, 4), rand(rng, 2, 4)],
        lambda a: [a[2] + a[0] @ a[1]],
    ),
    Case(
        "matmul_i32",
        """
        func.func @f(%a: memref<2x3xi32>, %b: memref<3x2xi32>, %out: memref<2x2xi32>) {
          linalg.matmul ins(%a, %b : memref<2x3xi32>, memref<3x2xi32>)
                        outs(%out : memref<2x2xi32>)
          func.return
        }""",
        lambda rng: [
            rng.integers(-9, 9, (2, 3), np.int32),
            rng.integers(-9, 9, (3, 2), np.int32),
            np.zeros((2, 2), np.int32),
        ],
        lambda a: [a[0] @ a[1]],
    ),
    Case(
        "transpose",
        """
        func.func @f(%a: memref<2x3x4xf32>, %out: memref<4x2x3xf32>) {
          linalg.transpose ins(%a : memref<2x3x4xf32>) outs(%out : memref<4x2x3xf32>)
                           permutation = [2, 0, 1]
          func.return
        }""",
        lambda rng: [rand(rng, 2, 3, 4), rand(rng, 4, 2, 3)],
        lambda a: [a[0].transpose(2, 0, 1)],
    ),
    Case(
        "broadcast",
        """
        func.func @f(%a: memref<3xf32>, %out: memref<2x3x2xf32>) {
          linalg.broadcast ins(%a : memref<3xf32>) outs(%out : memref<2x3x2xf32>)
                           dimensions = [0, 2]
          func.return
        }""",
        lambda rng: [rand(rng, 3), rand(rng, 2, 3, 2)],
        lambda a: [np.broadcast_to(a[0][None, :, None], (2, 3, 2))],
        named_runs=False,
    ),
    Case(
        "reduce",
        """
        func.func @f(%a: memref<2x3x4xf32>, %out: memref<3xf32>) {
          linalg.reduce ins(%a : memref<2x3x4xf32>) outs(%out : memref<3xf32>)
                        dimensions = [0, 2]
            (%in: f32, %acc: f32) {
              %s = arith.addf %in, %acc : f32
              linalg.yield %s : f32
            }
          func.return
        }""",
        lambda rng: [rand(rng, 2, 3, 4), rand(rng, 3)],
        lambda a: [a[1] + a[0].sum(axis=(0, 2))],
        named_runs=False,
    ),
    Case(
        "conv_2d_nchw_fchw",
        """
        func.func @f(%x: memref<2x2x5x5xf32>, %w: memref<3x2x2x2xf32>,
                     %out: memref<2x3x2x2xf32>) {
          linalg.conv_2d_nchw_fchw
              {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
              ins(%x, %w : memref<2x2x5x5xf32>, memref<3x2x2x2xf32>)
              outs(%out : memref<2x3x2x2xf32>)
          func.return
        }""",
        lambda rng: [
            rand(rng, 2, 2, 5, 5),
            rand(rng, 3, 2, 2, 2),
            rand(rng, 2, 3, 2, 2),
        ],
        lambda a: [a[2] + conv_nchw_fchw(a[0], a[1], 2)],
        named_runs=False,
    ),
    Case(
        "pooling_nchw_max",
        """
        func.func @f(%x: memref<2x2x4x4xf32>, %win: memref<2x2xf32>,
                     %out: memref<2x2x2x2xf32>) {
          linalg.pooling_nchw_max
              {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
              ins(%x, %win : memref<2x2x4x4xf32>, memref<2x2xf32>)
              outs(%out : memref<2x2x2x2xf32>)
          func.return
        }""",
        # A window full of large values: xDSL's own body would return them.
        lambda rng: [
            rand(rng, 2, 2, 4, 4),
            np.full((2, 2), 100.0, np.float32),
            np.full((2, 2, 2, 2), -np.inf, np.float32),
        ],
        lambda a: [max_pool(a[0], 2, 2)],
        named_runs=False,
    ),
    Case(
        "pooling_nchw_max_one_channel",
        """
        func.func @f(%x: memref<1x1x4x4xf32>, %win: memref<2x2xf32>,
                     %out: memref<1x1x2x2xf32>) {
          linalg.pooling_nchw_max
              {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
              ins(%x, %win : memref<1x1x4x4xf32>, memref<2x2xf32>)
              outs(%out : memref<1x1x2x2xf32>)
          func.return
        }""",
        lambda rng: [
            np.abs(rand(rng, 1, 1, 4, 4)) + 1,
            np.zeros((2, 2), np.float32),
            np.zeros((1, 1, 2, 2), np.float32),
        ],
        lambda a: [max_pool(a[0], 2, 2)],
    ),
    Case(
        "elementwise_add",
        """
        func.func @f(%a: memref<2x3xf32>, %b: memref<2x3xf32>, %out: memref<2x3xf32>) {
          linalg.add ins(%a, %b : memref<2x3xf32>, memref<2x3xf32>)
                     outs(%out : memref<2x3xf32>)
          func.return
        }""",
        lambda rng: [rand(rng, 2, 3), rand(rng, 2, 3), rand(rng, 2, 3)],
        lambda a: [a[0] + a[1]],
    ),
]


def check(case: Case, module: ModuleOp, args: list[Array]) -> None:
    expected = case.expected(args)
    final = run_with_buffers(module, "f", args)
    for got, want in zip(final[len(final) - len(expected) :], expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_named_op_generalizes_to_the_same_numbers(case: Case):
    args = case.inputs(np.random.default_rng(0))
    if case.named_runs:
        check(case, parse(case.ir), args)
    module = generalized(parse(case.ir))
    assert linalg_op_names(module) <= {"linalg.generic", "linalg.yield"}
    check(case, module, args)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_named_op_lowers_to_loops_with_the_same_numbers(case: Case):
    module = to_loops(parse(case.ir))
    assert not linalg_op_names(module)
    assert not any(op.name.startswith("affine.") for op in module.walk())
    check(case, module, case.inputs(np.random.default_rng(0)))


def test_tensor_form_keeps_its_result():
    module = generalized(
        parse(
            """
            func.func @f(%a: tensor<3xf32>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
              %0 = linalg.broadcast ins(%a : tensor<3xf32>)
                                    outs(%init : tensor<2x3xf32>) dimensions = [0]
              func.return %0 : tensor<2x3xf32>
            }"""
        )
    )
    expected = parse(
        """
        func.func @f(%a: tensor<3xf32>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
          %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>,
                                                affine_map<(d0, d1) -> (d0, d1)>],
                               iterator_types = ["parallel", "parallel"]}
              ins(%a : tensor<3xf32>) outs(%init : tensor<2x3xf32>) {
          ^bb0(%in: f32, %out: f32):
            linalg.yield %in : f32
          } -> tensor<2x3xf32>
          func.return %0 : tensor<2x3xf32>
        }"""
    )
    assert module.is_structurally_equivalent(expected)


def test_generic_is_left_unchanged():
    text = """
        func.func @f(%a: memref<1xf32>, %out: memref<3xf32>) {
          linalg.generic {indexing_maps = [affine_map<(d0) -> (0)>,
                                           affine_map<(d0) -> (d0)>],
                          iterator_types = ["parallel"]}
              ins(%a : memref<1xf32>) outs(%out : memref<3xf32>) {
          ^bb0(%in: f32, %o: f32):
            linalg.yield %in : f32
          }
          func.return
        }"""
    assert generalized(parse(text)).is_structurally_equivalent(parse(text))


def test_pooling_with_mixed_element_types_is_a_located_error():
    block = Block(
        arg_types=(
            MemRefType(i32, (1, 1, 2, 2)),
            MemRefType(i32, (2, 2)),
            MemRefType(f32, (1, 1, 1, 1)),
        )
    )
    ones = DenseIntElementsAttr.from_list(TensorType(i64, (2,)), [1, 1])
    pool = PoolingNchwMaxOp(
        block.args[:2], block.args[2:], strides=ones, dilations=ones
    )
    block.add_ops((pool, func.ReturnOp()))
    module = ModuleOp([func.FuncOp("f", ((*block.arg_types,), ()), Region(block))])
    with pytest.raises(PassFailedException) as error:
        LinalgGeneralizePass().apply(full_context(), module)
    assert str(error.value) == (
        "'linalg.pooling_nchw_max' mixes element types i32 and f32, which "
        "linalg-generalize does not support"
    )
    assert getattr(error.value, "op") is pool  # how mlc-opt locates the error
