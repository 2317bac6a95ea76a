"""
Numerics of `convert-arith-to-llvm` and `convert-math-to-llvm`: each op on each
type becomes an `llvm.func`, is translated by real `mlir-translate`, run natively
(llvmlite MCJIT) and compared with numpy (exact for integer and IEEE-exact float
ops, a few ulps for libm functions) on edge values: NaN, infinities, signed
zeros, integer extremes, division by -1, every shift amount, unsigned order.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from llvm_jit import Jit, jit, require_mlir_translate, scalar_function

require_mlir_translate()

INTS = ("i8", "i16", "i32", "i64")
FLOATS = ("f16", "f32", "f64")
NP_FLOAT = {"f16": np.float16, "f32": np.float32, "f64": np.float64}
WIDTH = {"i1": 1, "i8": 8, "i16": 16, "i32": 32, "i64": 64, "index": 64}


@dataclass
class Case:
    """One op on one type: the function, its inputs, and the expected outputs."""

    name: str
    args: tuple[str, ...]
    result: str
    body: str
    inputs: list[tuple[Any, ...]]
    reference: Callable[..., Any]
    rtol: float = 0.0
    exact_zero_sign: bool = True


CASES: list[Case] = []


def wrap(value: int, width: int) -> int:
    """`value` modulo 2**width, as the signed integer of that width."""
    value &= (1 << width) - 1
    return value - (1 << width) if value >> (width - 1) else value


def unsigned(value: int, width: int) -> int:
    return value & ((1 << width) - 1)


def int_values(width: int) -> list[int]:
    low, high = -(1 << (width - 1)), (1 << (width - 1)) - 1
    return sorted({0, 1, -1, 2, -2, 3, -7, 7, 100 % high, low, low + 1, high, high - 1})


def trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


# --------------------------------------------------------------------------- #
# Integer ops
# --------------------------------------------------------------------------- #

IntRef = Callable[[int, int, int], int | None]
"""(a, b, width) -> the result (any integer, wrapped later), None if undefined."""


def _signed_div(f: Callable[[int, int], int]) -> IntRef:
    def ref(a: int, b: int, w: int) -> int | None:
        if b == 0 or (a == -(1 << (w - 1)) and b == -1):
            return None  # undefined behaviour in arith and LLVM alike
        return f(a, b)

    return ref


def _unsigned_div(f: Callable[[int, int], int]) -> IntRef:
    def ref(a: int, b: int, w: int) -> int | None:
        ua, ub = unsigned(a, w), unsigned(b, w)
        return None if ub == 0 else f(ua, ub)

    return ref


def _shift(f: Callable[[int, int, int], int]) -> IntRef:
    def ref(a: int, b: int, w: int) -> int | None:
        return None if not 0 <= b < w else f(a, b, w)  # larger amounts: poison

    return ref


INT_BINARY: dict[str, IntRef] = {
    "addi": lambda a, b, w: a + b,
    "subi": lambda a, b, w: a - b,
    "muli": lambda a, b, w: a * b,
    "divsi": _signed_div(trunc_div),
    "remsi": _signed_div(lambda a, b: a - b * trunc_div(a, b)),
    "floordivsi": _signed_div(lambda a, b: a // b),
    "ceildivsi": _signed_div(lambda a, b: -((-a) // b)),
    "divui": _unsigned_div(lambda a, b: a // b),
    "remui": _unsigned_div(lambda a, b: a % b),
    "ceildivui": _unsigned_div(lambda a, b: -((-a) // b)),
    "andi": lambda a, b, w: a & b,
    "ori": lambda a, b, w: a | b,
    "xori": lambda a, b, w: a ^ b,
    "shli": _shift(lambda a, b, w: a << b),
    "shrsi": _shift(lambda a, b, w: a >> b),
    "shrui": _shift(lambda a, b, w: unsigned(a, w) >> b),
    "maxsi": lambda a, b, w: max(a, b),
    "minsi": lambda a, b, w: min(a, b),
    "maxui": lambda a, b, w: max(unsigned(a, w), unsigned(b, w)),
    "minui": lambda a, b, w: min(unsigned(a, w), unsigned(b, w)),
}


def _int_inputs(op: str, width: int) -> list[tuple[Any, ...]]:
    values = int_values(width)
    if op.startswith("sh"):
        return [(a, b) for a in values for b in range(width)]
    return list(itertools.product(values, values))


for _op, _type in itertools.product(INT_BINARY, (*INTS, "index")):
    _w = WIDTH[_type]

    def _ref(a: int, b: int, f: IntRef = INT_BINARY[_op], w: int = _w) -> int | None:
        r = f(a, b, w)
        return None if r is None else wrap(r, w)

    CASES.append(
        Case(
            f"{_op}_{_type}",
            (_type, _type),
            _type,
            f"%r = arith.{_op} %a0, %a1 : {_type}",
            _int_inputs(_op, _w),
            _ref,
        )
    )

for _op in ("andi", "ori", "xori", "addi", "maxsi", "minui"):
    CASES.append(
        Case(
            f"{_op}_i1",
            ("i1", "i1"),
            "i1",
            f"%r = arith.{_op} %a0, %a1 : i1",
            list(itertools.product((0, 1), (0, 1))),
            lambda a, b, f=INT_BINARY[_op]: unsigned(f(wrap(a, 1), wrap(b, 1), 1), 1),  # pyright: ignore[reportOptionalOperand]
        )
    )

ICMP = {
    "eq": lambda a, b, w: a == b,
    "ne": lambda a, b, w: a != b,
    "slt": lambda a, b, w: a < b,
    "sle": lambda a, b, w: a <= b,
    "sgt": lambda a, b, w: a > b,
    "sge": lambda a, b, w: a >= b,
    "ult": lambda a, b, w: unsigned(a, w) < unsigned(b, w),
    "ule": lambda a, b, w: unsigned(a, w) <= unsigned(b, w),
    "ugt": lambda a, b, w: unsigned(a, w) > unsigned(b, w),
    "uge": lambda a, b, w: unsigned(a, w) >= unsigned(b, w),
}

for (_pred, _f), _type in itertools.product(
    ICMP.items(), ("i8", "i32", "i64", "index")
):
    _w = WIDTH[_type]
    CASES.append(
        Case(
            f"cmpi_{_pred}_{_type}",
            (_type, _type),
            "i1",
            f"%r = arith.cmpi {_pred}, %a0, %a1 : {_type}",
            list(itertools.product(int_values(_w), int_values(_w))),
            lambda a, b, f=_f, w=_w: int(f(a, b, w)),
        )
    )

# --------------------------------------------------------------------------- #
# Float ops
# --------------------------------------------------------------------------- #

SPECIAL = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    1.5,
    -2.25,
    3.0,
    1e-3,
    65504.0,
    math.inf,
    -math.inf,
    math.nan,
]


def _float(t: str) -> Callable[[float], Any]:
    return NP_FLOAT[t]


def _ieee(np_op: Callable[[Any, Any], Any], zero_wins: float) -> Callable[..., Any]:
    """
    IEEE 754-2019 maximum/minimum: numpy's NaN propagation, and -0.0 < +0.0
    (numpy returns either zero for a pair of zeros)."""

    def op(a: Any, b: Any) -> Any:
        if a == 0 and b == 0 and not (np.isnan(a) or np.isnan(b)):
            signs = (np.signbit(a), np.signbit(b))
            if signs[0] != signs[1]:
                return type(a)(zero_wins)
        return np_op(a, b)

    return op


FLOAT_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "addf": lambda a, b: a + b,
    "subf": lambda a, b: a - b,
    "mulf": lambda a, b: a * b,
    "divf": lambda a, b: a / b,
    "maximumf": _ieee(np.maximum, 0.0),  # NaN propagates, -0 < +0
    "minimumf": _ieee(np.minimum, -0.0),
    "maxnumf": np.fmax,  # NaN ignored
    "minnumf": np.fmin,
}

for (_op, _np), _type in itertools.product(FLOAT_BINARY.items(), FLOATS):

    def _fref(a: float, b: float, f: Callable[..., Any] = _np, t: str = _type) -> Any:
        with np.errstate(all="ignore"):
            return f(_float(t)(a), _float(t)(b))

    CASES.append(
        Case(
            f"{_op}_{_type}",
            (_type, _type),
            _type,
            f"%r = arith.{_op} %a0, %a1 : {_type}",
            list(itertools.product(SPECIAL, SPECIAL)),
            _fref,
            # maxnum/minnum may return either zero for (+0, -0) (LLVM LangRef)
            exact_zero_sign=_op not in ("maxnumf", "minnumf"),
        )
    )

for _type in FLOATS:
    CASES.append(
        Case(
            f"negf_{_type}",
            (_type,),
            _type,
            f"%r = arith.negf %a0 : {_type}",
            [(x,) for x in SPECIAL],
            lambda a, t=_type: -_float(t)(a),
        )
    )
    CASES.append(
        Case(
            f"addf_fast_{_type}",
            (_type, _type),
            _type,
            f"%r = arith.addf %a0, %a1 fastmath<contract> : {_type}",
            [(1.5, 2.0), (-3.0, 0.25)],
            lambda a, b, t=_type: _float(t)(a) + _float(t)(b),
        )
    )

FCMP = {
    "false": lambda a, b: False,
    "oeq": lambda a, b: a == b,
    "ogt": lambda a, b: a > b,
    "oge": lambda a, b: a >= b,
    "olt": lambda a, b: a < b,
    "ole": lambda a, b: a <= b,
    "one": lambda a, b: a < b or a > b,
    "ord": lambda a, b: not (math.isnan(a) or math.isnan(b)),
    "ueq": lambda a, b: math.isnan(a) or math.isnan(b) or a == b,
    "ugt": lambda a, b: not a <= b,
    "uge": lambda a, b: not a < b,
    "ult": lambda a, b: not a >= b,
    "ule": lambda a, b: not a > b,
    "une": lambda a, b: a != b,
    "uno": lambda a, b: math.isnan(a) or math.isnan(b),
    "true": lambda a, b: True,
}

_CMP_VALUES = [0.0, -0.0, 1.0, -2.5, math.inf, -math.inf, math.nan]
for (_pred, _f), _type in itertools.product(FCMP.items(), FLOATS):
    CASES.append(
        Case(
            f"cmpf_{_pred}_{_type}",
            (_type, _type),
            "i1",
            f"%r = arith.cmpf {_pred}, %a0, %a1 : {_type}",
            list(itertools.product(_CMP_VALUES, _CMP_VALUES)),
            lambda a, b, f=_f: int(f(a, b)),
        )
    )

# select, constants, casts

for _type, _vals in (("i32", (7, -9)), ("f32", (1.5, -0.0)), ("i64", (1 << 40, -1))):
    CASES.append(
        Case(
            f"select_{_type}",
            ("i1", _type, _type),
            _type,
            f"%r = arith.select %a0, %a1, %a2 : {_type}",
            [(c, *_vals) for c in (0, 1)],
            lambda c, x, y: x if c else y,
        )
    )

CONSTANTS = [
    ("i32", "-5 : i32", -5),
    ("i64", "9223372036854775807 : i64", (1 << 63) - 1),
    ("i8", "-128 : i8", -128),
    ("i1", "true", 1),
    ("index", "42 : index", 42),
    ("f32", "-0.0 : f32", -0.0),
    ("f32", "0x7F800000 : f32", math.inf),
    ("f64", "0x7FF8000000000000 : f64", math.nan),
    ("f16", "1.5 : f16", 1.5),
    ("f64", "2.5e-300 : f64", 2.5e-300),
]

for _i, (_type, _literal, _value) in enumerate(CONSTANTS):
    CASES.append(
        Case(
            f"constant_{_i}_{_type}",
            (),
            _type,
            f"%r = arith.constant {_literal}",
            [()],
            lambda v=_value: v,
        )
    )

_F32_INTS = [0.0, 1.0, -1.0, 2.5, -2.5, 1e6, -1e6, 123456.75]
_F32_UINTS = [0.0, 1.0, 2.5, 1e6, 3e9, 4294967040.0]
CASTS: list[tuple[str, str, str, list[Any], Callable[[Any], Any]]] = [
    ("extf", "f16", "f32", SPECIAL, lambda x: np.float32(np.float16(x))),
    ("extf", "f32", "f64", SPECIAL, lambda x: np.float64(np.float32(x))),
    ("extf", "f16", "f64", SPECIAL, lambda x: np.float64(np.float16(x))),
    ("truncf", "f64", "f32", [*SPECIAL, 1e300, 0.1], lambda x: np.float32(x)),
    ("truncf", "f32", "f16", [*SPECIAL, 1e5, 0.1], lambda x: np.float16(x)),
    ("extsi", "i8", "i32", int_values(8), lambda x: x),
    ("extsi", "i32", "i64", int_values(32), lambda x: x),
    ("extsi", "i1", "i8", [0, 1], lambda x: -x),
    ("extui", "i8", "i32", int_values(8), lambda x: unsigned(x, 8)),
    ("extui", "i32", "i64", int_values(32), lambda x: unsigned(x, 32)),
    ("extui", "i1", "i32", [0, 1], lambda x: x),
    ("trunci", "i64", "i32", int_values(64), lambda x: wrap(x, 32)),
    ("trunci", "i32", "i8", int_values(32), lambda x: wrap(x, 8)),
    ("trunci", "i8", "i1", int_values(8), lambda x: x & 1),
    ("sitofp", "i32", "f32", int_values(32), lambda x: np.float32(x)),
    ("sitofp", "i64", "f64", int_values(64), lambda x: np.float64(x)),
    ("sitofp", "i8", "f16", int_values(8), lambda x: np.float16(x)),
    ("uitofp", "i32", "f32", int_values(32), lambda x: np.float32(unsigned(x, 32))),
    ("uitofp", "i64", "f64", int_values(64), lambda x: np.float64(unsigned(x, 64))),
    ("uitofp", "i8", "f16", int_values(8), lambda x: np.float16(unsigned(x, 8))),
    ("fptosi", "f32", "i32", _F32_INTS, lambda x: int(x)),
    ("fptosi", "f64", "i64", [*_F32_INTS, -9.2e18], lambda x: int(x)),
    ("fptosi", "f16", "i8", [0.0, -1.0, 2.5, -128.0, 127.0], lambda x: int(x)),
    ("fptoui", "f32", "i32", _F32_UINTS, lambda x: wrap(int(x), 32)),
    ("fptoui", "f64", "i64", [*_F32_UINTS, 1.8e19], lambda x: wrap(int(x), 64)),
    ("index_cast", "i32", "index", int_values(32), lambda x: x),
    ("index_cast", "index", "i32", int_values(64), lambda x: wrap(x, 32)),
    ("index_cast", "i64", "index", int_values(64), lambda x: x),
    ("index_cast", "index", "i8", int_values(64), lambda x: wrap(x, 8)),
]

for _i, (_op, _src, _dst, _values, _f) in enumerate(CASTS):
    CASES.append(
        Case(
            f"{_op}_{_i}_{_src}_{_dst}",
            (_src,),
            _dst,
            f"%r = arith.{_op} %a0 : {_src} to {_dst}",
            [(v,) for v in _values],
            _f,
        )
    )

BITCASTS = [
    ("i32", "f32", lambda x: np.array(x, np.int32).view(np.float32)[()]),
    ("f32", "i32", lambda x: int(np.array(x, np.float32).view(np.int32))),
    ("i64", "f64", lambda x: np.array(x, np.int64).view(np.float64)[()]),
    ("f64", "i64", lambda x: int(np.array(x, np.float64).view(np.int64))),
    ("f16", "i16", lambda x: int(np.array(x, np.float16).view(np.int16))),
]
for _src, _dst, _f in BITCASTS:
    _values = [0, 1, -1, 1065353216, -8388608] if _src[0] == "i" else SPECIAL
    if _src == "f16":
        _values = [v for v in SPECIAL if not math.isnan(v)]
    CASES.append(
        Case(
            f"bitcast_{_src}_{_dst}",
            (_src,),
            _dst,
            f"%r = arith.bitcast %a0 : {_src} to {_dst}",
            [(v,) for v in _values],
            _f,
        )
    )

# --------------------------------------------------------------------------- #
# Math ops
# --------------------------------------------------------------------------- #


def _erf(x: float) -> float:
    return math.erf(x)


def _round_half_away(x: float) -> float:
    return float(np.copysign(np.floor(np.abs(x) + 0.5), x))


_ANY = [
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.0,
    -1.75,
    2.5,
    -3.5,
    10.0,
    math.inf,
    -math.inf,
    math.nan,
]
_POS = [0.0, 0.25, 1.0, 2.0, 10.0, 1e3, math.inf, math.nan]
_UNIT = [0.0, -0.0, 0.25, -0.5, 0.9, -0.9]

MATH_UNARY: dict[str, tuple[Callable[[Any], Any], list[float]]] = {
    "absf": (np.abs, _ANY),
    "exp": (np.exp, [v for v in _ANY if abs(v) < 1e3 or math.isinf(v)]),
    "exp2": (np.exp2, _ANY),
    "expm1": (np.expm1, [0.0, 1e-5, -1e-5, 0.5, -2.0, 3.0]),
    "log": (np.log, _POS),
    "log2": (np.log2, _POS),
    "log10": (np.log10, _POS),
    "log1p": (np.log1p, [0.0, 1e-5, -0.5, 2.0, 100.0]),
    "sqrt": (np.sqrt, _POS),
    "rsqrt": (lambda x: 1 / np.sqrt(x), [v for v in _POS if v != 0]),
    "floor": (np.floor, _ANY),
    "ceil": (np.ceil, _ANY),
    "round": (_round_half_away, _ANY),
    "roundeven": (np.round, _ANY),
    "trunc": (np.trunc, _ANY),
    "tanh": (np.tanh, _ANY),
    "erf": (np.vectorize(_erf), _ANY),
    "sin": (np.sin, [v for v in _ANY if not math.isinf(v)]),
    "cos": (np.cos, [v for v in _ANY if not math.isinf(v)]),
    "tan": (np.tan, [0.0, 0.5, -1.0]),
    "atan": (np.arctan, _ANY),
    "asin": (np.arcsin, _UNIT),
    "acos": (np.arccos, _UNIT),
    "sinh": (np.sinh, [0.0, 0.5, -2.0]),
    "cosh": (np.cosh, [0.0, 0.5, -2.0]),
    "asinh": (np.arcsinh, [0.0, 0.5, -2.0]),
    "acosh": (np.arccosh, [1.0, 1.5, 10.0]),
    "atanh": (np.arctanh, _UNIT),
    "cbrt": (np.cbrt, [0.0, 8.0, -27.0, 2.0]),
}

RTOL = {"f16": 2e-3, "f32": 2e-6, "f64": 1e-14}
EXACT = {"absf", "floor", "ceil", "round", "roundeven", "trunc", "sqrt"}

for (_op, (_np1, _values)), _type in itertools.product(MATH_UNARY.items(), FLOATS):

    def _mref(x: float, f: Callable[[Any], Any] = _np1, t: str = _type) -> Any:
        with np.errstate(all="ignore"):
            return _float(t)(f(np.float64(_float(t)(x))))

    CASES.append(
        Case(
            f"math_{_op}_{_type}",
            (_type,),
            _type,
            f"%r = math.{_op} %a0 : {_type}",
            [(v,) for v in _values],
            _mref,
            rtol=0.0 if _op in EXACT else RTOL[_type],
        )
    )

MATH_BINARY: dict[str, tuple[Callable[[Any, Any], Any], list[tuple[float, float]]]] = {
    "powf": (
        np.power,
        [(2.0, 3.0), (2.0, 0.5), (10.0, -2.0), (-2.0, 3.0), (0.0, 0.0), (1.5, 2.5)],
    ),
    "copysign": (np.copysign, list(itertools.product([1.5, -0.0, math.inf], _ANY))),
    "atan2": (np.arctan2, [(1.0, 1.0), (-1.0, 0.5), (0.0, -1.0), (2.0, -3.0)]),
}

for (_op, (_np2, _pairs)), _type in itertools.product(MATH_BINARY.items(), FLOATS):

    def _bref(x: float, y: float, f: Callable[..., Any] = _np2, t: str = _type) -> Any:
        with np.errstate(all="ignore"):
            return _float(t)(f(np.float64(_float(t)(x)), np.float64(_float(t)(y))))

    CASES.append(
        Case(
            f"math_{_op}_{_type}",
            (_type, _type),
            _type,
            f"%r = math.{_op} %a0, %a1 : {_type}",
            list(_pairs),
            _bref,
            rtol=0.0 if _op == "copysign" else RTOL[_type],
        )
    )

for _type in FLOATS:
    CASES.append(
        Case(
            f"math_fma_{_type}",
            (_type, _type, _type),
            _type,
            f"%r = math.fma %a0, %a1, %a2 : {_type}",
            [(1.5, 2.0, 0.25), (-3.0, 0.5, 1.0), (0.0, math.inf, 1.0)],
            lambda a, b, c, t=_type: _float(t)(
                np.float64(_float(t)(a)) * np.float64(_float(t)(b))
                + np.float64(_float(t)(c))
            ),
        )
    )
    CASES.append(
        Case(
            f"math_fpowi_{_type}",
            (_type, "i32"),
            _type,
            f"%r = math.fpowi %a0, %a1 : {_type}, i32",
            [(2.0, 3), (1.5, -2), (-2.0, 5), (3.0, 0)],
            lambda x, n, t=_type: _float(t)(float(_float(t)(x)) ** n),
            rtol=RTOL[_type],
        )
    )

for _type in INTS:
    CASES.append(
        Case(
            f"math_absi_{_type}",
            (_type,),
            _type,
            f"%r = math.absi %a0 : {_type}",
            [(v,) for v in int_values(WIDTH[_type])],
            lambda x, w=WIDTH[_type]: wrap(abs(x), w),  # abs(INT_MIN) = INT_MIN
        )
    )


# --------------------------------------------------------------------------- #
# The test
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def native() -> Jit:
    """Every case's function, lowered, translated and JIT-compiled once."""
    text = "".join(scalar_function(c.name, c.args, c.result, c.body) for c in CASES)
    return jit(text)


def _same(actual: Any, expected: Any, case: Case) -> bool:
    if isinstance(expected, int | np.integer) and not isinstance(expected, bool):
        return int(actual) == int(expected)
    exp = float(expected)
    act = float(actual)
    if case.result == "f16":
        act = float(np.float16(act))
    if math.isnan(exp):
        return math.isnan(act)
    if exp == 0.0 and act == 0.0:
        return not case.exact_zero_sign or (
            math.copysign(1, exp) == math.copysign(1, act)
        )
    if math.isinf(exp) or case.rtol == 0.0:
        return act == exp
    return math.isclose(act, exp, rel_tol=case.rtol, abs_tol=case.rtol * 1e-3)


def _call_args(values: Sequence[Any], types: Sequence[str]) -> list[Any]:
    """Integers as the signed value of their C type (i1 travels as i32)."""
    return [
        wrap(v, WIDTH[t]) if t in WIDTH and t != "i1" else v
        for v, t in zip(values, types, strict=True)
    ]


def _mismatch(function: Any, case: Case, values: Sequence[Any]) -> str | None:
    """Why `function` (the native `case`) disagrees with numpy on `values`."""
    with np.errstate(all="ignore"):  # overflow to inf is the expected result
        expected = case.reference(*values)
    if expected is None:  # undefined behaviour: no expectation
        return None
    actual = function(*_call_args(values, case.args))
    if case.result in WIDTH and case.result != "i1":
        expected = wrap(int(expected), WIDTH[case.result])
    if _same(actual, expected, case):
        return None
    return f"{case.name}{tuple(values)}: got {actual!r}, want {expected!r}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_op_matches_numpy(native: Jit, case: Case) -> None:
    function = native.function(case.name, case.result, case.args)
    failures = [m for values in case.inputs if (m := _mismatch(function, case, values))]
    assert not failures, "\n".join(failures[:10])


BY_NAME = {c.name: c for c in CASES}


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from([f"{op}_{t}" for op in INT_BINARY for t in (*INTS, "index")]),
    st.data(),
)
def test_integer_ops_on_random_values(native: Jit, name: str, data: st.DataObject):
    case = BY_NAME[name]
    width = WIDTH[case.args[0]]
    values = st.integers(-(1 << (width - 1)), (1 << (width - 1)) - 1)
    a, b = data.draw(values), data.draw(values)
    if name.startswith("sh"):
        b %= width
    function = native.function(case.name, case.result, case.args)
    assert _mismatch(function, case, (a, b)) is None


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from([f"{op}_{t}" for op in FLOAT_BINARY for t in FLOATS]),
    st.data(),
)
def test_float_ops_on_random_values(native: Jit, name: str, data: st.DataObject):
    case = BY_NAME[name]
    width = {"f16": 16, "f32": 32, "f64": 64}[case.args[0]]
    values = st.floats(width=width, allow_nan=True, allow_infinity=True)
    a, b = data.draw(values), data.draw(values)
    function = native.function(case.name, case.result, case.args)
    assert _mismatch(function, case, (a, b)) is None


def test_every_case_has_inputs() -> None:
    assert all(c.inputs for c in CASES)
    assert len({c.name for c in CASES}) == len(CASES)
