"""
bf16 end to end: graph-level programs on bf16 compiled to native code (each
op computed in f32 and rounded once, `widen-bf16`) against numpy on
ml_dtypes' bfloat16 arrays, bit for bit where the computation is a single
rounding; the conversions to and from f32 over every bf16 value and the f32
edge cases (ties, NaN, infinities, overflow, subnormals); the interpreters.
"""

from __future__ import annotations

from typing import Any

import ml_dtypes
import numpy as np
import pytest
from helpers import full_context

import mlc
from mlc.interpreters import run_function
from mlc.support.located_parser import parse_verified

BF16 = np.dtype(ml_dtypes.bfloat16)
Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(7)


def compiled(text: str, opt_level: int = 2) -> Any:
    return mlc.compile(text, opt_level=opt_level)


def same_bits(got: Array, want: Array) -> None:
    """Equal bit patterns; any NaN matches any NaN of the same sign."""
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    g, w = got.view(np.uint16), want.view(np.uint16)
    nan = np.isnan(want.astype(np.float32))
    assert np.array_equal(np.isnan(got.astype(np.float32)), nan)
    assert np.array_equal(g[~nan], w[~nan])
    assert np.array_equal(g[nan] >> 15, w[nan] >> 15)


CAST = """
func.func @cast(%x: tensor<{n}x{src}>) -> tensor<{n}x{dst}> {{
  %y = graph.cast %x : tensor<{n}x{src}> to tensor<{n}x{dst}>
  func.return %y : tensor<{n}x{dst}>
}}
"""


@pytest.mark.parametrize("opt_level", [0, 2])
def test_every_bf16_value_widens_exactly(opt_level: int) -> None:
    x = np.arange(1 << 16, dtype=np.uint16).view(BF16)
    run = compiled(CAST.format(n=1 << 16, src="bf16", dst="f32"), opt_level)
    got = run(x)
    want = x.astype(np.float32)
    nan = np.isnan(want)
    assert np.array_equal(np.isnan(got), nan)
    assert np.array_equal(got[~nan].view(np.uint32), want[~nan].view(np.uint32))


def _f32_edges() -> Array:
    bits = RNG.integers(0, 1 << 32, 1 << 16, dtype=np.uint64).astype(np.uint32)
    high = RNG.integers(0, 1 << 16, 4096, dtype=np.uint32) << 16
    ties = high | 0x8000  # exactly halfway: to even
    near = np.concatenate([high | 0x7FFF, high | 0x8001])
    special = np.asarray(
        [0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0x7F7FFFFF,
         0x7F7F8000, 0x7F7F7FFF, 0x00000001, 0x00800000, 0x80000000, 0x0],
        np.uint32,
    )  # fmt: skip
    return np.concatenate([bits, ties, near, special]).view(np.float32)


@pytest.mark.parametrize("opt_level", [0, 2])
def test_f32_rounds_to_nearest_even_as_ml_dtypes(opt_level: int) -> None:
    x = _f32_edges()
    run = compiled(CAST.format(n=x.size, src="f32", dst="bf16"), opt_level)
    with np.errstate(invalid="ignore"):  # numpy warns on casting a NaN
        want = x.astype(BF16)
    same_bits(run(x), want)


@pytest.mark.parametrize(("src", "dtype"), [("i32", np.int32), ("f16", np.float16)])
def test_casts_through_f32(src: str, dtype: Any) -> None:
    if dtype == np.int32:
        x = RNG.integers(-(1 << 30), 1 << 30, 4096).astype(np.int32)
    else:
        x = RNG.standard_normal(4096).astype(np.float16)
    to_bf16 = compiled(CAST.format(n=x.size, src=src, dst="bf16"))
    y = to_bf16(x)
    same_bits(y, x.astype(np.float32).astype(BF16))
    back = compiled(CAST.format(n=x.size, src="bf16", dst=src))
    np.testing.assert_array_equal(back(y), y.astype(np.float32).astype(dtype))


ELEMENTWISE = """
func.func @f(%a: tensor<{n}xbf16>, %b: tensor<{n}xbf16>) -> tensor<{n}xbf16> {{
  %s = graph.mul %a, %b : (tensor<{n}xbf16>, tensor<{n}xbf16>) -> tensor<{n}xbf16>
  %t = graph.sub %s, %a : (tensor<{n}xbf16>, tensor<{n}xbf16>) -> tensor<{n}xbf16>
  %u = graph.relu %t : tensor<{n}xbf16>
  func.return %u : tensor<{n}xbf16>
}}
"""


@pytest.mark.parametrize("n", [7, 4096])  # scalar loops and vectorized ones
def test_elementwise_rounds_after_each_op(n: int) -> None:
    a = (RNG.standard_normal(n) * 100).astype(BF16)
    b = (RNG.standard_normal(n) * 100).astype(BF16)
    a[:3] = np.asarray([np.inf, np.nan, -0.0], BF16)
    got = compiled(ELEMENTWISE.format(n=n))(a, b)
    f = np.float32
    with np.errstate(invalid="ignore"):  # inf - inf
        product = (a.astype(f) * b.astype(f)).astype(BF16)
        diff = (product.astype(f) - a.astype(f)).astype(BF16)
        want = np.maximum(diff.astype(f), 0).astype(BF16)
    same_bits(got, want)


MODEL = """
func.func @block(%x: tensor<4x64xbf16>, %w: tensor<64x32xbf16>) -> (tensor<4x32xbf16>, tensor<4xbf16>) {
  %m = graph.matmul %x, %w : (tensor<4x64xbf16>, tensor<64x32xbf16>) -> tensor<4x32xbf16>
  %s = graph.softmax %m {axis = 1 : i64} : tensor<4x32xbf16>
  %r = graph.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<4x64xbf16>) -> tensor<4xbf16>
  func.return %s, %r : tensor<4x32xbf16>, tensor<4xbf16>
}
"""  # noqa: E501


def test_contractions_and_reductions_accumulate_in_f32() -> None:
    x = RNG.standard_normal((4, 64)).astype(BF16)
    w = (RNG.standard_normal((64, 32)) * 0.2).astype(BF16)
    softmax, total = compiled(MODEL)(x, w)
    f = np.float32
    m = (x.astype(f) @ w.astype(f)).astype(BF16).astype(f)
    e = np.exp(m - m.max(axis=1, keepdims=True))
    want = (e / e.sum(axis=1, keepdims=True)).astype(BF16)
    # One rounding of an f32 result: within one bf16 ulp (2^-8 relative).
    np.testing.assert_allclose(softmax.astype(f), want.astype(f), rtol=2**-7)
    np.testing.assert_allclose(
        total.astype(f), x.astype(f).sum(axis=1).astype(BF16).astype(f), rtol=2**-7
    )
    # The graph interpreter (the references) computes the same way.
    module = parse_verified(full_context(), MODEL, "model.mlir")
    ref_softmax, ref_total = run_function(module, "block", [x, w])
    np.testing.assert_allclose(
        softmax.astype(f), np.asarray(ref_softmax).astype(f), rtol=2**-7
    )
    same_bits(total, np.asarray(ref_total))


def test_a_bf16_constant_is_returned_as_its_bits() -> None:
    text = """
func.func @k() -> tensor<3xbf16> {
  %k = arith.constant dense<[1.0, -2.5, 3.140625]> : tensor<3xbf16>
  func.return %k : tensor<3xbf16>
}
"""
    same_bits(compiled(text)(), np.asarray([1.0, -2.5, 3.140625], BF16))


def test_bf16_inputs_are_checked_like_others() -> None:
    run = compiled(CAST.format(n=4, src="bf16", dst="f32"))
    with pytest.raises(mlc.InputError):
        run(np.zeros(5, BF16))
