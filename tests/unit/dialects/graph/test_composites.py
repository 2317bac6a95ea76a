"""
The composite patterns (`dialects/graph/composites.py`) keep the numbers: each
function of their FileCheck twin computes the same values, interpreted through
the graph ops' numpy references, before and after `canonicalize`; and a
recognized GELU and layer norm compiled natively agree with numpy.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from helpers import make_context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.parser import Parser
from xdsl.transforms.canonicalize import CanonicalizePass

import mlc
from mlc.dialects.graph import to_numpy_dtype
from mlc.interpreters import run_function

TWIN = (
    Path(__file__).resolve().parents[4]
    / "tests/filecheck/dialects/graph/composites.mlir"
)
NAMES = re.findall(r"^func\.func @(\w+)\(", TWIN.read_text(), flags=re.M)


def parse() -> ModuleOp:
    return Parser(make_context(), TWIN.read_text()).parse_module()


def arguments(function: func.FuncOp, rng: np.random.Generator) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for arg in function.body.block.args:
        assert isinstance(arg.type, TensorType)
        shape = tuple(arg.type.get_shape())
        dtype = to_numpy_dtype(arg.type.element_type)
        out.append(rng.standard_normal(shape).astype(dtype))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_rewrite_keeps_the_values(name: str) -> None:
    before, after = parse(), parse()
    CanonicalizePass().apply(make_context(), after)
    function = next(
        f for f in before.ops if isinstance(f, func.FuncOp) and f.sym_name.data == name
    )
    args = arguments(function, np.random.default_rng(0))
    if "epsilon_is_not" in name:  # a negative epsilon would give NaNs
        args[-1] = np.abs(args[-1])
    expected = run_function(before, name, args)
    actual = run_function(after, name, args)
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-5)


def test_recognized_ops_agree_natively_with_numpy() -> None:
    """Decomposed layer norm and erf GELU, canonicalized then compiled."""
    source = """
func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
 %m = graph.reduce_mean %x {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = graph.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %q = graph.pow %d, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
 %v = graph.reduce_mean %q {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %eps = arith.constant dense<1.0E-5> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s = graph.sqrt %ve : tensor<4x1xf32>
  %n = graph.div %d, %s : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %c = arith.constant dense<1.41421354> : tensor<f32>
  %0 = graph.div %n, %c : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = graph.erf %0 : tensor<4x8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %2 = graph.add %1, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = graph.mul %n, %2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %4 = graph.mul %3, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  func.return %4 : tensor<4x8xf32>
}
"""
    module = Parser(make_context(), source).parse_module()
    CanonicalizePass().apply(make_context(), module)
    names = [op.name for op in module.walk() if op.name.startswith("graph.")]
    assert names == ["graph.layer_norm", "graph.gelu"]
    x = np.random.default_rng(1).standard_normal((4, 8)).astype(np.float32)
    centered = x - x.mean(axis=1, keepdims=True)
    n = centered / np.sqrt((centered**2).mean(axis=1, keepdims=True) + 1e-5)
    erf = np.vectorize(__import__("math").erf)
    expected = 0.5 * n * (1 + erf(n / np.sqrt(2)))
    actual = mlc.compile(source)(x)
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)
