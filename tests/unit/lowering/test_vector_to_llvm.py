"""
Numerics of `convert-vector-to-llvm`: vectorized kernels on memrefs (passed as
`!llvm.ptr`, the memref's element [0, ...]) lowered with the arith, math and
vector conversions, translated by real `mlir-translate`, run natively and
compared with numpy.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np
import pytest
from llvm_jit import Jit, jit, lower, require_mlir_translate
from xdsl.utils.exceptions import PassFailedException

from mlc.lowering.arith_to_llvm import ConvertArithToLlvmPass
from mlc.lowering.math_to_llvm import ConvertMathToLlvmPass
from mlc.lowering.vector_to_llvm import ConvertVectorToLlvmPass

require_mlir_translate()

PASSES = (ConvertArithToLlvmPass, ConvertMathToLlvmPass, ConvertVectorToLlvmPass)


def memref(name: str, type_: str) -> str:
    """A `!llvm.ptr` argument `%<name>_p` seen as the memref `%<name>`."""
    return (
        f"%{name} = builtin.unrealized_conversion_cast %{name}_p : !llvm.ptr to {type_}"
    )


KERNELS = f"""
// out[i, :] = a[i, :] * s + b[i, :] for row i (fma of a broadcast scalar)
llvm.func @axpy_row(%a_p: !llvm.ptr, %b_p: !llvm.ptr, %out_p: !llvm.ptr,
                    %row: i64, %s: f32) {{
  {memref("a", "memref<3x8xf32>")}
  {memref("b", "memref<3x8xf32>")}
  {memref("out", "memref<3x8xf32>")}
  %i = arith.index_cast %row : i64 to index
  %c0 = arith.constant 0 : index
  %va = vector.load %a[%i, %c0] : memref<3x8xf32>, vector<8xf32>
  %vb = vector.load %b[%i, %c0] : memref<3x8xf32>, vector<8xf32>
  %vs = vector.broadcast %s : f32 to vector<8xf32>
  %r = vector.fma %va, %vs, %vb : vector<8xf32>
  vector.store %r, %out[%i, %c0] : memref<3x8xf32>, vector<8xf32>
  llvm.return
}}

// out[4:8] = exp(a[4:8]) + 1, with a splat constant, on f64
llvm.func @exp_plus_one(%a_p: !llvm.ptr, %out_p: !llvm.ptr) {{
  {memref("a", "memref<8xf64>")}
  {memref("out", "memref<8xf64>")}
  %c4 = arith.constant 4 : index
  %one = arith.constant dense<1.0> : vector<4xf64>
  %v = vector.load %a[%c4] : memref<8xf64>, vector<4xf64>
  %e = math.exp %v : vector<4xf64>
  %r = arith.addf %e, %one : vector<4xf64>
  vector.store %r, %out[%c4] : memref<8xf64>, vector<4xf64>
  llvm.return
}}

// erf element by element (a libm call per lane)
llvm.func @erf_lanes(%a_p: !llvm.ptr, %out_p: !llvm.ptr) {{
  {memref("a", "memref<4xf32>")}
  {memref("out", "memref<4xf32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<4xf32>, vector<4xf32>
  %e = math.erf %v : vector<4xf32>
  vector.store %e, %out[%c0] : memref<4xf32>, vector<4xf32>
  llvm.return
}}

llvm.func @sum_f32(%a_p: !llvm.ptr) -> f32 {{
  {memref("a", "memref<8xf32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xf32>, vector<8xf32>
  %r = vector.reduction <add>, %v : vector<8xf32> into f32
  llvm.return %r : f32
}}

llvm.func @sum_acc_f32(%a_p: !llvm.ptr, %acc: f32) -> f32 {{
  {memref("a", "memref<8xf32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xf32>, vector<8xf32>
  %r = vector.reduction <add>, %v, %acc fastmath<reassoc> : vector<8xf32> into f32
  llvm.return %r : f32
}}

llvm.func @product_f64(%a_p: !llvm.ptr) -> f64 {{
  {memref("a", "memref<4xf64>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<4xf64>, vector<4xf64>
  %r = vector.reduction <mul>, %v : vector<4xf64> into f64
  llvm.return %r : f64
}}

llvm.func @maximum_f32(%a_p: !llvm.ptr, %acc: f32) -> f32 {{
  {memref("a", "memref<8xf32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xf32>, vector<8xf32>
  %r = vector.reduction <maximumf>, %v, %acc : vector<8xf32> into f32
  llvm.return %r : f32
}}

llvm.func @minimum_f32(%a_p: !llvm.ptr) -> f32 {{
  {memref("a", "memref<8xf32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xf32>, vector<8xf32>
  %r = vector.reduction <minimumf>, %v : vector<8xf32> into f32
  llvm.return %r : f32
}}

llvm.func @maxnum_f32(%a_p: !llvm.ptr) -> f32 {{
  {memref("a", "memref<8xf32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xf32>, vector<8xf32>
  %r = vector.reduction <maxnumf>, %v : vector<8xf32> into f32
  llvm.return %r : f32
}}

llvm.func @minnum_f32(%a_p: !llvm.ptr) -> f32 {{
  {memref("a", "memref<8xf32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xf32>, vector<8xf32>
  %r = vector.reduction <minnumf>, %v : vector<8xf32> into f32
  llvm.return %r : f32
}}
"""

INT_KINDS = ("add", "mul", "and", "or", "xor", "maxsi", "minsi", "maxui", "minui")
for _kind in INT_KINDS:
    KERNELS += f"""
llvm.func @int_{_kind}(%a_p: !llvm.ptr, %acc: i32) -> i32 {{
  {memref("a", "memref<8xi32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xi32>, vector<8xi32>
  %r = vector.reduction <{_kind}>, %v : vector<8xi32> into i32
  %s = vector.reduction <{_kind}>, %v, %acc : vector<8xi32> into i32
  %t = arith.xori %r, %s : i32
  %u = arith.xori %t, %s : i32
  llvm.return %u : i32
}}
llvm.func @int_{_kind}_acc(%a_p: !llvm.ptr, %acc: i32) -> i32 {{
  {memref("a", "memref<8xi32>")}
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<8xi32>, vector<8xi32>
  %s = vector.reduction <{_kind}>, %v, %acc : vector<8xi32> into i32
  llvm.return %s : i32
}}
"""

STRIDED = "memref<4x2xf32, strided<[3, 1], offset: 1>>"

KERNELS += f"""
// a[1, 2:6] reversed by a shuffle, lane 1 replaced, stored to out
llvm.func @shuffle_insert(%a_p: !llvm.ptr, %out_p: !llvm.ptr, %x: i32) -> i32 {{
  {memref("a", "memref<2x8xi32>")}
  {memref("out", "memref<4xi32>")}
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c0 = arith.constant 0 : index
  %w = vector.load %a[%c1, %c2] : memref<2x8xi32>, vector<4xi32>
  %r = vector.shuffle %w, %w [3, 2, 1, 0] : vector<4xi32>, vector<4xi32>
  %i = vector.insert %x, %r [1] : i32 into vector<4xi32>
  vector.store %i, %out[%c0] : memref<4xi32>, vector<4xi32>
  %e = vector.extract %i[%c2] : i32 from vector<4xi32>
  llvm.return %e : i32
}}

// columns 1..2 of a memref<4x3xf32>: strides [3, 1] at offset 1; vector.load
// reads the 2 contiguous elements of row 2
llvm.func @strided_row(%a_p: !llvm.ptr) -> f32 {{
  {memref("a", STRIDED)}
  %c2 = arith.constant 2 : index
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c2, %c0] : {STRIDED}, vector<2xf32>
  %b = vector.broadcast %v : vector<2xf32> to vector<2xf32>
  %r = vector.reduction <add>, %b : vector<2xf32> into f32
  llvm.return %r : f32
}}

// broadcast of a one-element vector
llvm.func @broadcast_lane(%x: f64) -> f64 {{
  %v = vector.broadcast %x : f64 to vector<1xf64>
  %w = vector.broadcast %v : vector<1xf64> to vector<4xf64>
  %r = vector.reduction <add>, %w : vector<4xf64> into f64
  llvm.return %r : f64
}}
"""


@pytest.fixture(scope="module")
def native() -> Jit:
    return jit(KERNELS, PASSES)


def ptr(array: np.ndarray[Any, Any]) -> ctypes.c_void_p:
    return ctypes.c_void_p(array.ctypes.data)


def fn(native: Jit, name: str, result: Any, *args: Any) -> Any:
    address = native.address(name)
    return ctypes.CFUNCTYPE(result, *args)(address)


P = ctypes.c_void_p


def test_axpy_row(native: Jit) -> None:
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((3, 8)).astype(np.float32) for _ in range(2))
    out = np.zeros((3, 8), np.float32)
    f = fn(native, "axpy_row", None, P, P, P, ctypes.c_int64, ctypes.c_float)
    f(ptr(a), ptr(b), ptr(out), 1, 2.5)
    expected = np.zeros_like(out)
    expected[1] = a[1] * np.float32(2.5) + b[1]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_exp_plus_one_on_the_upper_half(native: Jit) -> None:
    a = np.linspace(-2, 3, 8)
    out = np.full(8, -7.0)
    fn(native, "exp_plus_one", None, P, P)(ptr(a), ptr(out))
    np.testing.assert_allclose(out[4:], np.exp(a[4:]) + 1, rtol=1e-14)
    assert (out[:4] == -7.0).all()


def test_erf_per_lane(native: Jit) -> None:
    a = np.array([0.0, -0.5, 1.5, np.inf], np.float32)
    out = np.zeros(4, np.float32)
    fn(native, "erf_lanes", None, P, P)(ptr(a), ptr(out))
    expected = np.array([math.erf(x) for x in a.astype(np.float64)], np.float32)
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_float_reductions(native: Jit) -> None:
    a = np.array([1.5, -2.0, 0.25, 8.0, -0.0, 3.0, -7.5, 0.5], np.float32)
    f32, f64 = ctypes.c_float, ctypes.c_double
    assert fn(native, "sum_f32", f32, P)(ptr(a)) == pytest.approx(float(a.sum()))
    got = fn(native, "sum_acc_f32", f32, P, f32)(ptr(a), 10.0)
    assert got == pytest.approx(float(a.sum()) + 10.0)
    d = np.array([1.5, -2.0, 4.0, 0.5])
    assert fn(native, "product_f64", f64, P)(ptr(d)) == float(np.prod(d))
    assert fn(native, "maximum_f32", f32, P, f32)(ptr(a), 1.0) == 8.0
    assert fn(native, "maximum_f32", f32, P, f32)(ptr(a), 9.0) == 9.0
    assert fn(native, "minimum_f32", f32, P)(ptr(a)) == -7.5
    with_nan = a.copy()
    with_nan[3] = np.nan
    assert math.isnan(fn(native, "maximum_f32", f32, P, f32)(ptr(with_nan), 1.0))
    assert math.isnan(fn(native, "minimum_f32", f32, P)(ptr(with_nan)))
    assert fn(native, "maxnum_f32", f32, P)(ptr(with_nan)) == 3.0
    assert fn(native, "minnum_f32", f32, P)(ptr(with_nan)) == -7.5
    zeros = np.array([-0.0, 0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0], np.float32)
    top = fn(native, "maximum_f32", f32, P, f32)(ptr(zeros), -0.0)
    assert math.copysign(1, top) == 1  # -0.0 < +0.0
    assert math.copysign(1, fn(native, "minimum_f32", f32, P)(ptr(zeros))) == -1


INT_REFERENCE = {
    "add": lambda v: int(v.sum(dtype=np.int64)),
    "mul": lambda v: int(np.prod(v.astype(np.int64))),
    "and": lambda v: int(np.bitwise_and.reduce(v)),
    "or": lambda v: int(np.bitwise_or.reduce(v)),
    "xor": lambda v: int(np.bitwise_xor.reduce(v)),
    "maxsi": lambda v: int(v.max()),
    "minsi": lambda v: int(v.min()),
    "maxui": lambda v: int(v.view(np.uint32).max()),
    "minui": lambda v: int(v.view(np.uint32).min()),
}
COMBINE = {
    "add": lambda x, y: x + y,
    "mul": lambda x, y: x * y,
    "and": lambda x, y: x & y,
    "or": lambda x, y: x | y,
    "xor": lambda x, y: x ^ y,
    "maxsi": max,
    "minsi": min,
    "maxui": lambda x, y: max(x % 2**32, y % 2**32),
    "minui": lambda x, y: min(x % 2**32, y % 2**32),
}


def wrap32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >> 31 else x


@pytest.mark.parametrize("kind", INT_KINDS)
def test_integer_reductions(native: Jit, kind: str) -> None:
    a = np.array([3, -1, 7, 2, -2147483648, 5, 12, -9], np.int32)
    i32 = ctypes.c_int32
    whole = wrap32(INT_REFERENCE[kind](a))
    assert fn(native, f"int_{kind}", i32, P, i32)(ptr(a), 6) == whole
    for acc in (6, -3, 0):
        got = fn(native, f"int_{kind}_acc", i32, P, i32)(ptr(a), acc)
        assert got == wrap32(COMBINE[kind](whole, acc))


def test_shuffle_insert_extract(native: Jit) -> None:
    a = np.arange(16, dtype=np.int32).reshape(2, 8) - 12
    out = np.zeros(4, np.int32)
    got = fn(native, "shuffle_insert", ctypes.c_int32, P, P, ctypes.c_int32)(
        ptr(a), ptr(out), 99
    )
    expected = a[1, 2:6][::-1].copy()
    expected[1] = 99
    np.testing.assert_array_equal(out, expected)
    assert got == expected[2]


def test_strided_offset_addressing(native: Jit) -> None:
    base = np.arange(12, dtype=np.float32).reshape(4, 3)
    # the memref's element [0, 0] is base[0, 1]: pass that address
    address = ctypes.c_void_p(base.ctypes.data + 4)
    got = fn(native, "strided_row", ctypes.c_float, P)(address)
    assert got == base[2, 1] + base[2, 2]


def test_broadcast_of_one_lane(native: Jit) -> None:
    assert fn(native, "broadcast_lane", ctypes.c_double, ctypes.c_double)(1.25) == 5.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "%v = vector.broadcast %x : f32 to vector<2x4xf32>",
            "only 1-D vectors are supported",
        ),
        ('"vector.print"(%x) : (f32) -> ()', "could not lower 'vector.print'"),
    ],
)
def test_unsupported_vector_ops_fail_the_pass(body: str, message: str) -> None:
    text = f"llvm.func @f(%x: f32) {{\n  {body}\n  llvm.return\n}}\n"
    with pytest.raises(PassFailedException, match=message):
        lower(text, PASSES)
