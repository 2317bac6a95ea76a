"""
The JIT runs translated llvm-dialect code in this process: intrinsics have
LLVM's semantics (checked against numpy), libc/libm/libgcc symbols resolve,
an unresolvable external is an error before any code runs, and compiled
modules are cached on their text.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np
import pytest

from mlc.runtime.compiled import parse_ir
from mlc.runtime.jit import (
    JitModule,
    LRUCache,
    cache_info,
    clear_cache,
    jit_llvm_ir,
    jit_module,
)
from mlc.runtime.llvm_ir import LLVMError, translate_to_llvm_ir
from mlc.runtime.signature import aligned_empty

Array = np.ndarray[Any, Any]


def jit(mlir: str, opt_level: int = 3) -> JitModule:
    return jit_module(parse_ir(mlir, "jit.mlir"), opt_level)


def call(module: JitModule, name: str, *arrays: Array) -> None:
    prototype = ctypes.CFUNCTYPE(None, *[ctypes.c_void_p] * len(arrays))
    prototype(module.address(name))(*(a.ctypes.data for a in arrays))


# One f32 in, one f32 per op out: `out[i] = op_i(x)`.
UNARY_F32 = {
    "fabs": np.abs,
    "sqrt": lambda x: np.sqrt(np.abs(x)),
    "exp": np.exp,
    "tanh": np.tanh,
    "floor": np.floor,
    "ceil": np.ceil,
    "round": lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5),
    "roundeven": np.round,
    "trunc": np.trunc,
    "log10": lambda x: np.log10(np.abs(x)),
}


def unary_module(names: list[str]) -> str:
    lines = ["  %x = llvm.load %in : !llvm.ptr -> f32"]
    for i, name in enumerate(names):
        arg = "%x"
        if name in ("sqrt", "log10"):
            lines.append(f"  %a{i} = llvm.intr.fabs(%x) : (f32) -> f32")
            arg = f"%a{i}"
        lines += [
            f"  %r{i} = llvm.intr.{name}({arg}) : (f32) -> f32",
            f"  %p{i} = llvm.getelementptr %out[{i}] : (!llvm.ptr) -> !llvm.ptr, f32",
            f"  llvm.store %r{i}, %p{i} : f32, !llvm.ptr",
        ]
    body = "\n".join(lines)
    head = "llvm.func @f(%in: !llvm.ptr, %out: !llvm.ptr) {"
    return f"{head}\n{body}\n  llvm.return\n}}\n"


@pytest.mark.parametrize("x", [-2.5, -0.5, 0.5, 1.5, 2.5, 3.7])
@pytest.mark.parametrize("opt_level", [0, 3])
def test_unary_intrinsics_match_numpy(x: float, opt_level: int) -> None:
    names = sorted(UNARY_F32)
    module = jit(unary_module(names), opt_level)
    source = np.array([x], np.float32)
    out = np.zeros(len(names), np.float32)
    call(module, "f", source, out)
    for name, got in zip(names, out, strict=True):
        want = UNARY_F32[name](source)[0]
        assert got == pytest.approx(want, rel=1e-6, abs=1e-7), name


BINARY = """
llvm.func @f(%in: !llvm.ptr, %out: !llvm.ptr) {
  %x = llvm.load %in : !llvm.ptr -> f32
  %q = llvm.getelementptr %in[1] : (!llvm.ptr) -> !llvm.ptr, f32
  %y = llvm.load %q : !llvm.ptr -> f32
  %0 = llvm.intr.maximum(%x, %y) : (f32, f32) -> f32
  %1 = llvm.intr.minimum(%x, %y) : (f32, f32) -> f32
  %2 = llvm.intr.maxnum(%x, %y) : (f32, f32) -> f32
  %3 = llvm.intr.copysign(%x, %y) : (f32, f32) -> f32
  %p1 = llvm.getelementptr %out[1] : (!llvm.ptr) -> !llvm.ptr, f32
  %p2 = llvm.getelementptr %out[2] : (!llvm.ptr) -> !llvm.ptr, f32
  %p3 = llvm.getelementptr %out[3] : (!llvm.ptr) -> !llvm.ptr, f32
  llvm.store %0, %out : f32, !llvm.ptr
  llvm.store %1, %p1 : f32, !llvm.ptr
  llvm.store %2, %p2 : f32, !llvm.ptr
  llvm.store %3, %p3 : f32, !llvm.ptr
  llvm.return
}
"""


@pytest.mark.parametrize(
    ("x", "y"), [(1.0, math.nan), (math.nan, 2.0), (-0.0, 0.0), (3.0, -4.0)]
)
def test_maximum_minimum_propagate_nan_and_order_zeros(x: float, y: float) -> None:
    module = jit(BINARY)
    out = np.zeros(4, np.float32)
    call(module, "f", np.array([x, y], np.float32), out)
    a, b = np.float32(x), np.float32(y)
    want = [np.maximum(a, b), np.minimum(a, b), np.fmax(a, b), np.copysign(a, b)]
    np.testing.assert_array_equal(out, np.array(want, np.float32))
    if a == b == 0:  # IEEE 754-2019 minimum/maximum: -0 < +0 (numpy: either)
        assert np.signbit(out[1])
        assert not np.signbit(out[0])


LIBRARY = """
llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
llvm.func @free(!llvm.ptr)
llvm.func @erff(f32) -> f32
llvm.func internal @pow(%x: !llvm.ptr {llvm.noalias}, %out: !llvm.ptr {llvm.noalias}) {
  %v = llvm.load %x : !llvm.ptr -> f64
  %r = llvm.intr.pow(%v, %v) : (f64, f64) -> f64
  llvm.store %r, %out : f64, !llvm.ptr
  llvm.return
}
llvm.func @f(%in: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64},
             %out: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64},
             %pow_out: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64}) {
  %c64 = llvm.mlir.constant(64 : i64) : i64
  %tmp = llvm.call @aligned_alloc(%c64, %c64) : (i64, i64) -> !llvm.ptr
  %x = llvm.load %in : !llvm.ptr -> f32
  %e = llvm.call @erff(%x) : (f32) -> f32
  llvm.store %e, %tmp : f32, !llvm.ptr
  %y = llvm.load %tmp : !llvm.ptr -> f32
  llvm.store %y, %out : f32, !llvm.ptr
  llvm.call @free(%tmp) : (!llvm.ptr) -> ()
  %d = llvm.fpext %x : f32 to f64
  %slot = llvm.getelementptr %pow_out[1] : (!llvm.ptr) -> !llvm.ptr, f64
  llvm.store %d, %slot : f64, !llvm.ptr
  llvm.call @pow(%slot, %pow_out) : (!llvm.ptr, !llvm.ptr) -> ()
  llvm.return
}
"""


@pytest.mark.parametrize("opt_level", [0, 2])
def test_libc_and_libm_resolve_and_library_names_stay_local(opt_level: int) -> None:
    module = jit(LIBRARY, opt_level)
    x = aligned_empty((1,), np.dtype(np.float32))
    x[0] = 0.75
    out = aligned_empty((1,), np.dtype(np.float32))
    pow_out = aligned_empty((2,), np.dtype(np.float64))
    call(module, "f", x, out, pow_out)
    assert out[0] == pytest.approx(math.erf(0.75), rel=1e-6)
    # The local @pow does not capture LLVM's lowering of llvm.pow to libm pow.
    assert pow_out[0] == pytest.approx(0.75**0.75, rel=1e-12)


F16 = """
llvm.func @f(%in: !llvm.ptr, %out: !llvm.ptr) {
  %x = llvm.load %in : !llvm.ptr -> f16
  %f = llvm.intr.fma(%x, %x, %x) : (f16, f16, f16) -> f16
  %c3 = llvm.mlir.constant(3 : i32) : i32
  %p = llvm.intr.powi(%f, %c3) : (f16, i32) -> f16
  %t = llvm.intr.tanh(%p) : (f16) -> f16
  llvm.store %t, %out : f16, !llvm.ptr
  llvm.return
}
"""


def test_half_precision_code_runs() -> None:
    """f16 lowers to helper calls (__truncsfhf2, __powisf2, ...) in libgcc."""
    module = jit(F16, 0)
    x = np.array([0.5], np.float16)
    out = np.zeros(1, np.float16)
    call(module, "f", x, out)
    f = np.float16(x[0] * x[0] + x[0])
    assert out[0] == pytest.approx(np.tanh(np.float32(f) ** 3), rel=2e-3)


def test_an_undefined_external_is_an_error_not_a_crash() -> None:
    text = (
        "llvm.func @no_such_function_in_libc(f32) -> f32\n"
        "llvm.func @f(%x: f32) -> f32 {\n"
        "  %0 = llvm.call @no_such_function_in_libc(%x) : (f32) -> f32\n"
        "  llvm.return %0 : f32\n}\n"
    )
    llvm_ir = translate_to_llvm_ir(parse_ir(text, "x.mlir"))
    with pytest.raises(LLVMError, match="'no_such_function_in_libc' is not defined"):
        jit_llvm_ir(llvm_ir, 0, allow_externals=["no_such_function_in_libc"])
    with pytest.raises(LLVMError, match="'no_such_function_in_libc' is not one"):
        jit_llvm_ir(llvm_ir, 0)


def test_the_same_module_is_compiled_once() -> None:
    clear_cache()
    text = unary_module(["exp"])
    first = jit(text)
    assert cache_info().misses == 1
    assert cache_info().hits == 0
    second = jit(text)  # parsed anew: an equal module, not the same object
    assert second is first
    assert cache_info().misses == 1
    assert cache_info().hits == 1
    jit(text, opt_level=1)  # another level is another compilation
    assert cache_info().misses == 2


def test_lru_cache_evicts_the_least_recently_used() -> None:
    cache: LRUCache[str, int] = LRUCache(maxsize=2)
    made: list[str] = []

    def make(key: str) -> int:
        made.append(key)
        return len(made)

    for key in ["a", "b", "a", "c", "a", "b"]:
        cache.get_or_create(key, lambda k=key: make(k))
    assert made == ["a", "b", "c", "b"]
    assert (cache.hits, cache.misses, len(cache)) == (2, 4, 2)


def test_the_engine_keeps_both_llvm_ir_texts() -> None:
    module = jit(unary_module(["fabs"]), 3)
    assert "define void @f(" in module.llvm_ir
    assert "define void @f(" in module.unoptimized_llvm_ir
    assert "call float @llvm.fabs.f32" in module.unoptimized_llvm_ir
    assert module.opt_level == 3
    with pytest.raises(KeyError, match="no function 'g'"):
        module.address("g")


FCMP = {
    "_false": lambda a, b: False,
    "oeq": lambda a, b: a == b,
    "ogt": lambda a, b: a > b,
    "oge": lambda a, b: a >= b,
    "olt": lambda a, b: a < b,
    "ole": lambda a, b: a <= b,
    "one": lambda a, b: not (math.isnan(a) or math.isnan(b)) and a != b,
    "ord": lambda a, b: not (math.isnan(a) or math.isnan(b)),
    "ueq": lambda a, b: math.isnan(a) or math.isnan(b) or a == b,
    "ugt": lambda a, b: not a <= b,
    "uge": lambda a, b: not a < b,
    "ult": lambda a, b: not a >= b,
    "ule": lambda a, b: not a > b,
    "une": lambda a, b: a != b,
    "uno": lambda a, b: math.isnan(a) or math.isnan(b),
    "_true": lambda a, b: True,
}


def fcmp_module() -> str:
    lines = [
        "  %x = llvm.load %in : !llvm.ptr -> f32",
        "  %q = llvm.getelementptr %in[1] : (!llvm.ptr) -> !llvm.ptr, f32",
        "  %y = llvm.load %q : !llvm.ptr -> f32",
    ]
    for i, predicate in enumerate(FCMP):
        lines += [
            f'  %c{i} = llvm.fcmp "{predicate}" %x, %y : f32',
            f"  %e{i} = llvm.zext %c{i} : i1 to i8",
            f"  %p{i} = llvm.getelementptr %out[{i}] : (!llvm.ptr) -> !llvm.ptr, i8",
            f"  llvm.store %e{i}, %p{i} : i8, !llvm.ptr",
        ]
    body = "\n".join(lines)
    head = "llvm.func @f(%in: !llvm.ptr, %out: !llvm.ptr) {"
    return f"{head}\n{body}\n  llvm.return\n}}\n"


@pytest.mark.parametrize(
    ("x", "y"), [(1.0, 2.0), (2.0, 2.0), (3.0, 2.0), (math.nan, 1.0), (1.0, math.nan)]
)
def test_every_fcmp_predicate(x: float, y: float) -> None:
    module = jit(fcmp_module(), 0)
    out = np.zeros(len(FCMP), np.int8)
    call(module, "f", np.array([x, y], np.float32), out)
    want = [int(compare(x, y)) for compare in FCMP.values()]
    assert out.tolist() == want, dict(zip(FCMP, out.tolist(), strict=True))
