"""
Interpreter functions for the tensor-level IR that `convert-graph-to-linalg`
emits and xDSL 0.74 cannot run.

- linalg: every structured op (`generic`, and the named `matmul`, `transpose`,
  `conv_2d_nchw_fchw`, `pooling_nchw_max`) runs through one evaluator that
  takes loop ranges from the operands' plain-dim map results, so constant
  (broadcast) and compound (window) map results work, supplies `linalg.index`,
  and stores every output; xDSL's conv and pooling handle one channel only.
- tensor: `extract_slice`, `pad`, `concat`.
- arith: divf, negf, signed/unsigned min/max and division, and the casts;
  math: tanh, erf, absf, absi, powf, rsqrt.

`TensorLevelFunctions` extends `LoopLevelFunctions` (which extends xDSL's
`LinalgFunctions`) and takes its place in `all_functions()`, since an op can
have only one registered implementation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product
from typing import Any, cast

import numpy as np
from xdsl.dialects import arith, tensor
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    IndexType,
    IntegerType,
    TensorType,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.interpreter import (
    Interpreter,
    PythonValues,
    ReturnedValues,
    TerminatorValue,
    impl,
    impl_terminator,
    register_impls,
)
from xdsl.interpreters.builtin import xtype_for_el_type
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr
from xdsl.ir import Attribute
from xdsl.ir.affine import AffineDimExpr
from xdsl.utils.comparisons import to_signed, to_unsigned
from xdsl.utils.hints import isa

from mlc.dialects.linalg_ext import BatchMatmulOp
from mlc.interpreters.loop_level import LoopLevelFunctions

Structured = linalg.GenericOp | linalg.MatmulOp | linalg.TransposeOp


def _width(type_: Attribute) -> int:
    if isinstance(type_, IndexType):  # loop-level index arithmetic (64-bit hosts)
        return 64
    assert isa(type_, IntegerType)
    return type_.width.data


def _round(value: float, type_: Attribute) -> float:
    """`value` rounded to the float type `type_` (Python floats are f64)."""
    if isinstance(type_, Float16Type):
        return float(np.float16(value))
    if isinstance(type_, Float32Type):
        return float(np.float32(value))
    return float(value)


def _shape(type_: Attribute) -> list[int]:
    assert isinstance(type_, TensorType)
    return list(type_.get_shape())


def _new(type_: Attribute, interpreter: Interpreter) -> ShapedArray[Any]:
    assert isa(type_, TensorType[Attribute])
    shape = _shape(type_)
    xtype = xtype_for_el_type(type_.get_element_type(), interpreter.index_bitwidth)
    return ShapedArray(TypedPtr[Any].new([0] * math.prod(shape), xtype=xtype), shape)


@register_impls
@dataclass
class TensorLevelFunctions(LoopLevelFunctions):
    """What the tensor level needs beyond xDSL's interpreters (see the module)."""

    loop_indices: list[tuple[int, ...]] = field(default_factory=lambda: [])

    # -- linalg ------------------------------------------------------------- #

    def _run_structured(
        self,
        interpreter: Interpreter,
        op: Any,
        args: tuple[Any, ...],
        body: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None,
    ) -> PythonValues:
        maps = [m.data for m in op.get_indexing_maps()]
        count = len(op.inputs)
        outs = [cast(ShapedArray[Any], a) for a in args[count:]]
        outputs = [o.copy() for o in outs] if op.results else outs
        values = [*args[:count], *outputs]
        ranges: list[int] = [1] * maps[0].num_dims
        for value, map_ in zip(values, maps, strict=True):
            if isinstance(value, ShapedArray):
                shape = cast(ShapedArray[Any], value).shape
                for dim, expr in enumerate(map_.results):
                    if isinstance(expr, AffineDimExpr):
                        ranges[expr.position] = shape[dim]
        for indices in product(*(range(r) for r in ranges)):
            scalars = tuple(
                cast(ShapedArray[Any], v).load(m.eval(indices, ()))
                if isinstance(v, ShapedArray)
                else v
                for v, m in zip(values, maps, strict=True)
            )
            self.loop_indices.append(indices)
            if body is None:
                results = interpreter.run_ssacfg_region(op.body, scalars, "linalg")
            else:
                results = body(scalars)
            self.loop_indices.pop()
            for result, out, m in zip(results, outputs, maps[count:], strict=True):
                out.store(m.eval(indices, ()), result)
        return tuple(outputs) if op.results else ()

    @impl(linalg.GenericOp)
    def run_generic(
        self, interpreter: Interpreter, op: linalg.GenericOp, args: tuple[Any, ...]
    ) -> PythonValues:
        return self._run_structured(interpreter, op, args)

    @impl(linalg.MatmulOp)
    def run_mat_mul(
        self, interpreter: Interpreter, op: linalg.MatmulOp, args: tuple[Any, ...]
    ) -> PythonValues:
        return self._run_structured(interpreter, op, args)

    @impl(BatchMatmulOp)
    def run_batch_matmul(
        self, interpreter: Interpreter, op: BatchMatmulOp, args: tuple[Any, ...]
    ) -> PythonValues:
        return self._run_structured(interpreter, op, args)

    @impl(linalg.BroadcastOp)
    def run_broadcast(
        self, interpreter: Interpreter, op: linalg.BroadcastOp, args: tuple[Any, ...]
    ) -> PythonValues:
        # xdsl-gap(0.74): interp-missing-ops — no linalg.broadcast
        # xDSL 0.74 does not interpret linalg.broadcast.
        source, init = cast(ShapedArray[Any], args[0]), cast(ShapedArray[Any], args[1])
        added = set(op.dimensions.get_values())
        result = init.copy() if op.results else init
        for index in result.indices():
            kept = tuple(i for d, i in enumerate(index) if d not in added)
            result.store(index, source.load(kept))
        return (result,) if op.results else ()

    @impl(linalg.TransposeOp)
    def run_transpose(
        self, interpreter: Interpreter, op: linalg.TransposeOp, args: tuple[Any, ...]
    ) -> PythonValues:
        return self._run_structured(interpreter, op, args)

    # xdsl-gap(0.74): interp-conv-channels — one channel only
    @impl(linalg.Conv2DNchwFchwOp)
    def run_conv_2d_nchw_fchw(
        self,
        interpreter: Interpreter,
        op: linalg.Conv2DNchwFchwOp,
        args: tuple[Any, ...],
    ) -> PythonValues:
        return self._run_structured(interpreter, op, args)

    @impl(linalg.PoolingNchwMaxOp)
    def run_pooling_nchw_max(
        self,
        interpreter: Interpreter,
        op: linalg.PoolingNchwMaxOp,
        args: tuple[Any, ...],
    ) -> PythonValues:
        # xdsl-gap(0.74): pooling-max-region — max(in, window)
        # xDSL 0.74's hidden region takes the max of the input and the *window*
        # operand; upstream's is max(out, in), the window operand only a shape.
        def body(scalars: tuple[Any, ...]) -> tuple[Any, ...]:
            value, _, out = scalars
            if math.isnan(value) or math.isnan(out):
                return (math.nan,)
            return (max(value, out),)

        return self._run_structured(interpreter, op, args, body)

    @impl(linalg.IndexOp)
    def run_index(
        self, interpreter: Interpreter, op: linalg.IndexOp, args: PythonValues
    ) -> PythonValues:
        return (self.loop_indices[-1][op.dim.value.data],)

    # xdsl-gap(0.74): interp-missing-ops — no tensor ops
    # -- tensor ------------------------------------------------------------- #

    @impl(tensor.ExtractSliceOp)
    def run_extract_slice(
        self, interpreter: Interpreter, op: tensor.ExtractSliceOp, args: PythonValues
    ) -> PythonValues:
        source = cast(ShapedArray[Any], args[0])
        offsets = op.static_offsets.get_values()
        strides = op.static_strides.get_values()
        result = _new(op.result.type, interpreter)
        for index in product(*(range(d) for d in result.shape)):
            at = [o + i * s for o, i, s in zip(offsets, index, strides, strict=True)]
            result.store(index, source.load(at))
        return (result,)

    @impl(tensor.PadOp)
    def run_pad(
        self, interpreter: Interpreter, op: tensor.PadOp, args: PythonValues
    ) -> PythonValues:
        source = cast(ShapedArray[Any], args[0])
        low = op.static_low.get_values()
        result = _new(op.result.type, interpreter)
        for index in product(*(range(d) for d in result.shape)):
            inner = [i - lo for i, lo in zip(index, low, strict=True)]
            if all(0 <= i < d for i, d in zip(inner, source.shape, strict=True)):
                result.store(index, source.load(inner))
            else:
                (value,) = interpreter.run_ssacfg_region(op.region, index, "pad")
                result.store(index, value)
        return (result,)

    @impl_terminator(tensor.YieldOp)
    def run_tensor_yield(
        self, interpreter: Interpreter, op: tensor.YieldOp, args: PythonValues
    ) -> tuple[TerminatorValue, PythonValues]:
        return ReturnedValues(args), ()

    @impl(tensor.ConcatOp)
    def run_concat(
        self, interpreter: Interpreter, op: tensor.ConcatOp, args: PythonValues
    ) -> PythonValues:
        dim = op.dim.value.data
        result = _new(op.result.type, interpreter)
        offset = 0
        for arg in args:
            source = cast(ShapedArray[Any], arg)
            for index in product(*(range(d) for d in source.shape)):
                at = list(index)
                at[dim] += offset
                result.store(at, source.load(index))
            offset += source.shape[dim]
        return (result,)

    # -- arith -------------------------------------------------------------- #

    @impl(arith.DivfOp)
    def run_divf(
        self, interpreter: Interpreter, op: arith.DivfOp, args: PythonValues
    ) -> PythonValues:
        x, y = args
        if y == 0:
            if x == 0 or math.isnan(x):
                return (math.nan,)
            return (math.copysign(math.inf, x) * math.copysign(1.0, y),)
        return (x / y,)

    @impl(arith.NegfOp)
    def run_negf(
        self, interpreter: Interpreter, op: arith.NegfOp, args: PythonValues
    ) -> PythonValues:
        return (-args[0],)

    def _signed(self, op: Any, args: PythonValues, fn: Any) -> PythonValues:
        w = _width(op.result.type)
        x, y = (to_signed(a, w) for a in args)
        return (to_signed(fn(x, y), w),)

    def _unsigned(self, op: Any, args: PythonValues, fn: Any) -> PythonValues:
        w = _width(op.result.type)
        x, y = (to_unsigned(a, w) for a in args)
        return (to_signed(fn(x, y), w),)

    @impl(arith.MaxSIOp)
    def run_maxsi(
        self, interpreter: Interpreter, op: arith.MaxSIOp, args: PythonValues
    ) -> PythonValues:
        return self._signed(op, args, max)

    @impl(arith.MinSIOp)
    def run_minsi(
        self, interpreter: Interpreter, op: arith.MinSIOp, args: PythonValues
    ) -> PythonValues:
        return self._signed(op, args, min)

    @impl(arith.MaxUIOp)
    def run_maxui(
        self, interpreter: Interpreter, op: arith.MaxUIOp, args: PythonValues
    ) -> PythonValues:
        return self._unsigned(op, args, max)

    @impl(arith.MinUIOp)
    def run_minui(
        self, interpreter: Interpreter, op: arith.MinUIOp, args: PythonValues
    ) -> PythonValues:
        return self._unsigned(op, args, min)

    @impl(arith.DivUIOp)
    def run_divui(
        self, interpreter: Interpreter, op: arith.DivUIOp, args: PythonValues
    ) -> PythonValues:
        return self._unsigned(op, args, lambda x, y: x // y)  # pyright: ignore[reportUnknownLambdaType]

    @impl(arith.ExtFOp)
    def run_extf(
        self, interpreter: Interpreter, op: arith.ExtFOp, args: PythonValues
    ) -> PythonValues:
        return (float(args[0]),)

    @impl(arith.TruncFOp)
    def run_truncf(
        self, interpreter: Interpreter, op: arith.TruncFOp, args: PythonValues
    ) -> PythonValues:
        return (_round(args[0], op.result.type),)

    @impl(arith.FPToSIOp)
    def run_fptosi(
        self, interpreter: Interpreter, op: arith.FPToSIOp, args: PythonValues
    ) -> PythonValues:
        return (to_signed(int(args[0]), _width(op.result.type)),)

    @impl(arith.FPToUIOp)
    def run_fptoui(
        self, interpreter: Interpreter, op: arith.FPToUIOp, args: PythonValues
    ) -> PythonValues:
        return (to_signed(int(args[0]), _width(op.result.type)),)

    @impl(arith.SIToFPOp)
    def run_sitofp(
        self, interpreter: Interpreter, op: arith.SIToFPOp, args: PythonValues
    ) -> PythonValues:
        w = _width(op.input.type)
        return (_round(float(to_signed(int(args[0]), w)), op.result.type),)

    @impl(arith.UIToFPOp)
    def run_uitofp(
        self, interpreter: Interpreter, op: arith.UIToFPOp, args: PythonValues
    ) -> PythonValues:
        w = _width(op.input.type)
        return (_round(float(to_unsigned(int(args[0]), w)), op.result.type),)

    @impl(arith.ExtSIOp)
    def run_extsi(
        self, interpreter: Interpreter, op: arith.ExtSIOp, args: PythonValues
    ) -> PythonValues:
        return (to_signed(int(args[0]), _width(op.input.type)),)

    @impl(arith.ExtUIOp)
    def run_extui(
        self, interpreter: Interpreter, op: arith.ExtUIOp, args: PythonValues
    ) -> PythonValues:
        value = to_unsigned(int(args[0]), _width(op.input.type))
        return (to_signed(value, _width(op.result.type)),)

    @impl(arith.TruncIOp)
    def run_trunci(
        self, interpreter: Interpreter, op: arith.TruncIOp, args: PythonValues
    ) -> PythonValues:
        return (to_signed(int(args[0]), _width(op.result.type)),)

    # -- math --------------------------------------------------------------- #

    @impl(mathd.TanhOp)
    def run_tanh(
        self, interpreter: Interpreter, op: mathd.TanhOp, args: PythonValues
    ) -> PythonValues:
        return (math.tanh(args[0]),)

    @impl(mathd.ErfOp)
    def run_erf(
        self, interpreter: Interpreter, op: mathd.ErfOp, args: PythonValues
    ) -> PythonValues:
        return (math.erf(args[0]),)

    @impl(mathd.AbsFOp)
    def run_absf(
        self, interpreter: Interpreter, op: mathd.AbsFOp, args: PythonValues
    ) -> PythonValues:
        return (abs(args[0]),)

    @impl(mathd.AbsIOp)
    def run_absi(
        self, interpreter: Interpreter, op: mathd.AbsIOp, args: PythonValues
    ) -> PythonValues:
        return (to_signed(abs(args[0]), _width(op.result.type)),)

    @impl(mathd.PowFOp)
    def run_powf(
        self, interpreter: Interpreter, op: mathd.PowFOp, args: PythonValues
    ) -> PythonValues:
        with np.errstate(all="ignore"):
            return (float(np.power(np.float64(args[0]), np.float64(args[1]))),)

    @impl(mathd.RsqrtOp)
    def run_rsqrt(
        self, interpreter: Interpreter, op: mathd.RsqrtOp, args: PythonValues
    ) -> PythonValues:
        x = args[0]
        if x == 0:
            return (math.inf,)
        return (1 / math.sqrt(x) if x > 0 else math.nan,)

    @impl(mathd.FloorOp)
    def run_floor(
        self, interpreter: Interpreter, op: mathd.FloorOp, args: PythonValues
    ) -> PythonValues:
        return (float(np.floor(args[0])),)

    @impl(mathd.RoundEvenOp)
    def run_roundeven(
        self, interpreter: Interpreter, op: mathd.RoundEvenOp, args: PythonValues
    ) -> PythonValues:
        return (float(np.rint(args[0])),)
