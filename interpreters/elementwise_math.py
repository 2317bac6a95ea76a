"""
Interpreter functions for the scalar math and bit ops that the elementwise
math and bitwise graph ops lower to and xDSL 0.74 cannot run: `math.sin` ...
`math.atanh`, `floor`, `ceil`, `roundeven`, `trunc`, `copysign`,
`arith.remf` (mlc's `arith_ext`), `arith.shrui` and `arith.bitcast`.

Float results are computed in f64 with IEEE results (NaN outside a domain,
±inf) where Python's `math` would raise; the store into an f32 buffer rounds
them. Integers arrive as Python ints of either sign convention and leave in
the signed one, as the other implementations do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import Float16Type, Float32Type, Float64Type, IntegerType
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.ir import Attribute, Operation
from xdsl.utils.comparisons import to_signed, to_unsigned
from xdsl.utils.hints import isa

from mlc.dialects import arith_ext

Method = Callable[[Any, Interpreter, Any, PythonValues], PythonValues]


def _ieee(fn: Callable[..., Any]) -> Method:
    """An implementation of a unary float op through the numpy function `fn`."""

    def run(
        self: Any, interpreter: Interpreter, op: Operation, args: PythonValues
    ) -> PythonValues:
        with np.errstate(all="ignore"):
            return (float(fn(np.float64(args[0]))),)

    return run


def _float_dtype(type_: Attribute) -> np.dtype[Any] | None:
    for kind, dtype in ((Float16Type, np.float16), (Float32Type, np.float32)):
        if isinstance(type_, kind):
            return np.dtype(dtype)
    return np.dtype(np.float64) if isinstance(type_, Float64Type) else None


def _bits(value: Any, type_: Attribute) -> tuple[int, int]:
    """(the bits of a scalar of `type_` as an unsigned int, its width)."""
    dtype = _float_dtype(type_)
    if dtype is not None:
        raw = np.asarray(value, dtype).reshape(1)
        width = dtype.itemsize * 8
        return int(raw.view(np.dtype(f"uint{width}"))[0]), width
    assert isa(type_, IntegerType)
    width = type_.width.data
    return to_unsigned(int(value), width), width


def _from_bits(bits: int, width: int, type_: Attribute) -> Any:
    dtype = _float_dtype(type_)
    if dtype is None:
        return to_signed(bits, width)
    raw = np.asarray([bits], np.dtype(f"uint{width}"))
    return float(raw.view(dtype)[0])


# xdsl-gap(0.74): interp-missing-ops — no math.sin, floor, ..., arith.shrui, bitcast
@register_impls
class ElementwiseMathFunctions(InterpreterFunctions):
    """The math and bit ops of the module docstring."""

    run_sin = impl(mathd.SinOp)(_ieee(np.sin))
    run_cos = impl(mathd.CosOp)(_ieee(np.cos))
    run_tan = impl(mathd.TanOp)(_ieee(np.tan))
    run_asin = impl(mathd.AsinOp)(_ieee(np.arcsin))
    run_acos = impl(mathd.AcosOp)(_ieee(np.arccos))
    run_atan = impl(mathd.AtanOp)(_ieee(np.arctan))
    run_sinh = impl(mathd.SinhOp)(_ieee(np.sinh))
    run_cosh = impl(mathd.CoshOp)(_ieee(np.cosh))
    run_asinh = impl(mathd.AsinhOp)(_ieee(np.arcsinh))
    run_acosh = impl(mathd.AcoshOp)(_ieee(np.arccosh))
    run_atanh = impl(mathd.AtanhOp)(_ieee(np.arctanh))
    run_floor = impl(mathd.FloorOp)(_ieee(np.floor))
    run_ceil = impl(mathd.CeilOp)(_ieee(np.ceil))
    run_roundeven = impl(mathd.RoundEvenOp)(_ieee(np.rint))
    run_trunc = impl(mathd.TruncOp)(_ieee(np.trunc))

    @impl(mathd.CopySignOp)
    def run_copysign(
        self, interpreter: Interpreter, op: mathd.CopySignOp, args: PythonValues
    ) -> PythonValues:
        return (math.copysign(args[0], args[1]),)

    @impl(arith_ext.RemFOp)
    def run_remf(
        self, interpreter: Interpreter, op: arith_ext.RemFOp, args: PythonValues
    ) -> PythonValues:
        with np.errstate(all="ignore"):
            return (float(np.fmod(np.float64(args[0]), np.float64(args[1]))),)

    @impl(arith.ShRUIOp)
    def run_shrui(
        self, interpreter: Interpreter, op: arith.ShRUIOp, args: PythonValues
    ) -> PythonValues:
        x, width = _bits(args[0], op.result.type)
        amount, _ = _bits(args[1], op.result.type)
        return (to_signed(x >> amount, width),)

    @impl(arith.BitcastOp)
    def run_bitcast(
        self, interpreter: Interpreter, op: arith.BitcastOp, args: PythonValues
    ) -> PythonValues:
        bits, width = _bits(args[0], op.input.type)
        return (_from_bits(bits, width, op.result.type),)


__all__ = ["ElementwiseMathFunctions"]
