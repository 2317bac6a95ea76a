"""
Tensor-level input as upstream importers write it runs through graph-to-llvm.

The three functions of tests/filecheck/lowering/upstream_input.mlir (an MLP, a
small CNN, an attention block) are interpreted at the tensor level and, after
`graph-to-llvm{to=loop}`, at the loop level; both agree with numpy written
here. Also the pieces that made it work: `linalg.batch_matmul` and the
multi-result `linalg.generic` parsing of `dialects/linalg_ext.py`, and the
interpretation of `linalg.batch_matmul`, `linalg.broadcast` and `cf.assert`.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from helpers import full_context
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.dialects.func import FuncOp
from xdsl.dialects.linalg.ops import GenericOp
from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.universe import Universe
from xdsl.utils.exceptions import InterpretationError
from xdsl.utils.hints import isa

from mlc.dialects.linalg_ext import BatchMatmulOp
from mlc.interpreters import run_function
from mlc.lowering.pipelines import pipeline_passes
from mlc.passes.linalg_generalize import LinalgGeneralizePass
from mlc.tools.check_numerics import run_level
from mlc.universe import MLC_UNIVERSE

Array = np.ndarray
INPUT = Path(__file__).parents[2] / "filecheck" / "lowering" / "upstream_input.mlir"


def parse(text: str) -> ModuleOp:
    return Parser(full_context(), text).parse_module()


def input_types(module: ModuleOp, name: str) -> list[tuple[int, ...]]:
    function = next(
        op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == name
    )
    types = function.function_type.inputs
    return [tuple(t.get_shape()) for t in types if isa(t, TensorType[Attribute])]


# --------------------------------------------------------------------------- #
# numpy references
# --------------------------------------------------------------------------- #


def mlp(x: Array, w: Array, b: Array) -> Array:
    return np.maximum(x @ w + b, 0)


def cnn(x: Array, w: Array) -> Array:
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    n, _, h, wd = x.shape
    conv = np.zeros((n, w.shape[0], h, wd), np.float32)
    for i in range(h):
        for j in range(wd):
            window = padded[:, :, i : i + 3, j : j + 3]
            conv[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w)
    pooled = conv.reshape(n, w.shape[0], h // 2, 2, wd // 2, 2).max(axis=(3, 5))
    return pooled.reshape(n, -1)


def attention(x: Array) -> Array:
    wq = np.array([[1.0, -0.5], [0.25, 2.0]], np.float32)
    wk = np.array([[0.5, 1.0], [-1.0, 0.75]], np.float32)
    scores = ((x @ wq) @ (x @ wk).T).astype(np.float64)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    return (weights @ x)[None, 1:3]


REFERENCES: dict[str, Callable[..., Array]] = {
    "mlp": mlp,
    "cnn": cnn,
    "attention": attention,
}


@pytest.fixture(scope="module")
def levels() -> tuple[ModuleOp, ModuleOp]:
    """The input's tensor level and its loop level after graph-to-llvm{to=loop}."""
    text = INPUT.read_text()
    ctx = full_context()
    loop = Parser(ctx, text).parse_module()
    for pass_ in pipeline_passes("loop"):
        pass_.apply(ctx, loop)
    loop.verify()
    return parse(text), loop


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_tensor_level_agrees_with_numpy(
    name: str, levels: tuple[ModuleOp, ModuleOp]
) -> None:
    tensor_level, _ = levels
    rng = np.random.default_rng(0)
    inputs = [
        rng.standard_normal(s).astype(np.float32)
        for s in input_types(tensor_level, name)
    ]
    (actual,) = run_function(tensor_level, name, inputs)
    np.testing.assert_allclose(actual, REFERENCES[name](*inputs), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_loop_level_agrees_with_numpy(
    name: str, levels: tuple[ModuleOp, ModuleOp]
) -> None:
    tensor_level, loop_level = levels
    rng = np.random.default_rng(1)
    inputs = [
        rng.standard_normal(s).astype(np.float32)
        for s in input_types(tensor_level, name)
    ]
    (actual,) = run_level(loop_level, name, inputs).results
    np.testing.assert_allclose(actual, REFERENCES[name](*inputs), rtol=1e-5, atol=1e-5)


def test_loop_level_has_no_tensor_or_linalg_op(
    levels: tuple[ModuleOp, ModuleOp],
) -> None:
    _, loop_level = levels
    names = {op.name for op in loop_level.walk()}
    assert not {n for n in names if n.split(".")[0] in ("linalg", "tensor")}
    assert "scf.for" in names


# --------------------------------------------------------------------------- #
# the fixes
# --------------------------------------------------------------------------- #

BATCH_MATMUL = """
func.func @f(%a: tensor<2x2x3xf32>, %b: tensor<2x3x2xf32>, %c: tensor<2x2x2xf32>) -> tensor<2x2x2xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x2x3xf32>, tensor<2x3x2xf32>) outs(%c : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  return %r : tensor<2x2x2xf32>
}
"""  # noqa: E501
SHAPES = [(2, 2, 3), (2, 3, 2), (2, 2, 2)]


def test_batch_matmul_parses_and_accumulates_into_its_init() -> None:
    module = parse(BATCH_MATMUL)
    assert any(isinstance(op, BatchMatmulOp) for op in module.walk())
    rng = np.random.default_rng(2)
    a, b, c = (rng.standard_normal(s).astype(np.float32) for s in SHAPES)
    (actual,) = run_function(module, "f", [a, b, c])
    np.testing.assert_allclose(actual, a @ b + c, rtol=1e-5)


def test_batch_matmul_generalizes_to_a_generic_that_agrees() -> None:
    module = parse(BATCH_MATMUL)
    rng = np.random.default_rng(3)
    a, b, c = (rng.standard_normal(s).astype(np.float32) for s in SHAPES)
    (before,) = run_function(module, "f", [a, b, c])
    LinalgGeneralizePass().apply(full_context(), module)
    assert not any(isinstance(op, BatchMatmulOp) for op in module.walk())
    assert any(isinstance(op, GenericOp) for op in module.walk())
    (after,) = run_function(module, "f", [a, b, c])
    np.testing.assert_allclose(after, before, rtol=1e-6)


TWO_RESULTS = """
func.func @f(%x: tensor<2x3xf32>, %m: tensor<2xf32>, %s: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<2x3xf32>) outs(%m, %s : tensor<2xf32>, tensor<2xf32>) {
  ^bb0(%in: f32, %mx: f32, %sum: f32):
    %0 = arith.maximumf %in, %mx : f32
    %1 = arith.addf %in, %sum : f32
    linalg.yield %0, %1 : f32, f32
  } -> (tensor<2xf32>, tensor<2xf32>)
  return %r#0, %r#1 : tensor<2xf32>, tensor<2xf32>
}
"""  # noqa: E501


@pytest.mark.parametrize("generic_format", [False, True])
def test_generic_with_parenthesized_results_parses_to_xdsl_generic(
    generic_format: bool,
) -> None:
    module = parse(TWO_RESULTS)
    if generic_format:
        out = StringIO()
        Printer(stream=out, print_generic_format=True).print_op(module)
        module = parse(out.getvalue())
    generics = [op for op in module.walk() if op.name == "linalg.generic"]
    # Exactly xDSL's class: the interpreters dispatch on it.
    assert [type(op) for op in generics] == [GenericOp]
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2
    m = np.full(2, -np.inf, np.float32)
    s = np.zeros(2, np.float32)
    mx, sm = run_function(module, "f", [x, m, s])
    np.testing.assert_array_equal(mx, x.max(axis=1))
    np.testing.assert_array_equal(sm, x.sum(axis=1))


def test_broadcast_is_interpreted() -> None:
    module = parse(
        """
func.func @f(%x: tensor<2xf32>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.broadcast ins(%x : tensor<2xf32>) outs(%init : tensor<2x3xf32>)
      dimensions = [1]
  return %r : tensor<2x3xf32>
}
"""
    )
    x = np.array([1.0, -2.0], np.float32)
    (actual,) = run_function(module, "f", [x, np.zeros((2, 3), np.float32)])
    np.testing.assert_array_equal(actual, np.broadcast_to(x[:, None], (2, 3)))


ASSERT = """
func.func @f(%x: f32) -> f32 {
  %zero = arith.constant 0.0 : f32
  %pos = arith.cmpf ogt, %x, %zero : f32
  cf.assert %pos, "x must be positive"
  return %x : f32
}
"""


def test_cf_assert_passes_when_its_condition_holds() -> None:
    (actual,) = run_function(parse(ASSERT), "f", [np.float32(2.0)])
    assert actual == 2.0


def test_cf_assert_fails_with_its_message() -> None:
    with pytest.raises(InterpretationError, match="x must be positive"):
        run_function(parse(ASSERT), "f", [np.float32(-1.0)])


def test_stock_xdsl_multiverse_has_no_linalg_clash() -> None:
    # mlc's universe leaves `linalg` to xDSL: only mlc-opt overrides it.
    assert "linalg" not in MLC_UNIVERSE.all_dialects
    assert "linalg" in Universe.get_multiverse().all_dialects
