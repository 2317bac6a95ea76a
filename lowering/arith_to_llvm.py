"""
`convert-arith-to-llvm`: every arith op becomes ops of the LLVM dialect.

One pattern looks each op up in a table of builders. Operands are bridged to
their LLVM types (`index` → `i64`) and results back with
`builtin.unrealized_conversion_cast` (`to_llvm`/`from_llvm`), so the pass runs
before or after the other `convert-*-to-llvm` passes; `reconcile-unrealized-casts`
removes the bridges at the end. Ops LLVM has no instruction for are expanded:
`ceildivsi`, `ceildivui` and `floordivsi` through `sdiv`/`srem` and selects, as
upstream's arith expansion does; `maximumf`/`minimumf` become the IEEE
`llvm.intr.maximum`/`minimum` (NaN propagates, -0.0 < +0.0), `maxnumf`/`minnumf`
`llvm.intr.maxnum`/`minnum`, the integer min/max `llvm.intr.smax`/`umin`/...
Fast-math flags and integer overflow flags carry over (but xDSL 0.74's
`llvm.fcmp` neither prints nor parses its flags, so `cmpf`'s are lost in text).

bf16 values are their bits, `i16` (`llvm_common.llvm_type`): `arith.extf`
from bf16 is `zext` to i32, `shl 16`, `bitcast` to f32; `arith.truncf` to
bf16 rounds to nearest even, `(bits + 0x7fff + (bits >> 16 & 1)) >> 16`, and
keeps a NaN's sign and top payload bits with the quiet bit set, as
ml_dtypes does (an f64 goes through f32 first). bf16 constants become their
bits. Other arith ops on bf16 are refused: `widen-bf16` computes bf16 graph
ops in f32, so none reaches this pass.

xDSL 0.74's arith has no `remf` or `index_castui`, so neither can reach the pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from xdsl.context import Context
from xdsl.dialects import arith, llvm
from xdsl.dialects.builtin import (
    BFloat16Type,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    VectorType,
    f32,
    i16,
    i32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.utils.hints import isa

from mlc.dialects import arith_ext, llvm_ext
from mlc.lowering.llvm_common import fast_math, from_llvm, int_width, llvm_type, to_llvm
from mlc.lowering.utils import located_failure, require_converted

Lowering = Callable[["_Emit", Operation, Sequence[SSAValue]], SSAValue | None]
"""Builds the LLVM ops for one arith op from its LLVM-typed operands."""


class _Emit:
    """Inserts LLVM ops before the matched op and returns their results."""

    def __init__(self, rewriter: PatternRewriter) -> None:
        self.rewriter = rewriter

    def __call__(self, op: Operation) -> SSAValue:
        self.rewriter.insert(op)
        return op.results[0]

    def int_constant(self, value: int, type_: Attribute) -> SSAValue:
        """`llvm.mlir.constant` of an integer (or integer splat vector) type."""
        if isa(type_, VectorType[Attribute]):
            # xdsl-gap(0.74): dense-typed-structure — typed narrowly
            attr = DenseIntOrFPElementsAttr.from_list(
                cast(Any, type_), [value]
            )  # xDSL types it for tensors only
            return self(llvm.ConstantOp(attr, type_))
        assert isa(type_, IntegerType)
        return self(llvm.ConstantOp(IntegerAttr(value, type_), type_))


def _overflow(op: Operation) -> llvm.OverflowAttr:
    flags = op.properties.get("overflowFlags")
    if isinstance(flags, arith.IntegerOverflowAttr):
        return llvm.OverflowAttr([llvm.OverflowFlag(f.value) for f in flags.data])
    return llvm.OverflowAttr(None)


def _result_type(op: Operation) -> Attribute:
    return llvm_type(op.results[0].type)


# --------------------------------------------------------------------------- #
# Builders
# --------------------------------------------------------------------------- #


def _constant(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue | None:
    assert isinstance(op, arith.ConstantOp)
    type_ = _result_type(op)
    value = op.value
    if _is_bf16(op.results[0].type):
        return _bf16_constant(e, value, type_)
    if isinstance(value, IntegerAttr) and isa(type_, IntegerType):
        return e(llvm.ConstantOp(IntegerAttr(value.value.data, type_), type_))
    if isinstance(value, FloatAttr):
        return e(llvm.ConstantOp(value, type_))
    if isinstance(value, DenseIntOrFPElementsAttr) and isa(
        type_, VectorType[Attribute]
    ):
        return e(llvm.ConstantOp(value, type_))
    return None  # tensor constants are not loop-level values


def _binary(cls: Callable[[SSAValue, SSAValue], Operation]) -> Lowering:
    def build(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
        return e(cls(args[0], args[1]))

    return build


def _binary_overflow(cls: type[llvm.ArithmeticBinOpOverflow]) -> Lowering:
    def build(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
        return e(cls(args[0], args[1], overflow=_overflow(op)))

    return build


def _shl(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    return e(llvm.ShlOp(args[0], args[1], overflow=_overflow(op)))


def _float_binary(
    cls: Callable[[SSAValue, SSAValue, llvm.FastMathAttr], Operation],
) -> Lowering:
    def build(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
        return e(cls(args[0], args[1], fast_math(op)))

    return build


def _negf(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    return e(llvm.FNegOp(args[0], fast_math(op)))


def _floordivsi(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    """`q - 1` when the remainder is nonzero and its sign differs from `b`'s."""
    a, b = args
    q = e(llvm.SDivOp(a, b))
    r = e(llvm.SRemOp(a, b))
    zero = e.int_constant(0, a.type)
    one = e.int_constant(1, a.type)
    inexact = e(llvm.ICmpOp(r, zero, _icmp("ne")))
    r_neg = e(llvm.ICmpOp(r, zero, _icmp("slt")))
    b_neg = e(llvm.ICmpOp(b, zero, _icmp("slt")))
    signs_differ = e(llvm.XOrOp(r_neg, b_neg))
    adjust = e(llvm.AndOp(inexact, signs_differ))
    return e(llvm.SelectOp(adjust, e(llvm.SubOp(q, one)), q))


def _ceildivsi(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    """`q + 1` when the remainder is nonzero and its sign is `b`'s."""
    a, b = args
    q = e(llvm.SDivOp(a, b))
    r = e(llvm.SRemOp(a, b))
    zero = e.int_constant(0, a.type)
    one = e.int_constant(1, a.type)
    inexact = e(llvm.ICmpOp(r, zero, _icmp("ne")))
    r_neg = e(llvm.ICmpOp(r, zero, _icmp("slt")))
    b_neg = e(llvm.ICmpOp(b, zero, _icmp("slt")))
    same_sign = e(llvm.ICmpOp(r_neg, b_neg, _icmp("eq")))
    adjust = e(llvm.AndOp(inexact, same_sign))
    return e(llvm.SelectOp(adjust, e(llvm.AddOp(q, one)), q))


def _ceildivui(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    """`q + (r != 0)`."""
    a, b = args
    q = e(llvm.UDivOp(a, b))
    r = e(llvm.URemOp(a, b))
    zero = e.int_constant(0, a.type)
    inexact = e(llvm.ICmpOp(r, zero, _icmp("ne")))
    return e(llvm.AddOp(q, e(llvm.ZExtOp(inexact, a.type))))


def _icmp(predicate: str) -> IntegerAttr[IntegerType]:
    return IntegerAttr(llvm.ICmpPredicateFlag(predicate).to_int(), i64)


def _cmpi(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    assert isinstance(op, arith.CmpiOp | arith_ext.CmpiOp)
    # arith's and LLVM's icmp predicates are numbered alike (eq, ne, slt, ...).
    predicate = IntegerAttr(op.predicate.value.data, i64)
    return e(llvm.ICmpOp(args[0], args[1], predicate))


def _cmpf(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    assert isinstance(op, arith.CmpfOp | arith_ext.CmpfOp)
    # arith's and LLVM's fcmp predicates are numbered alike (false, oeq, ...).
    predicate = IntegerAttr(op.predicate.value.data, i64)
    cmp = llvm_ext.FCmpOp(args[0], args[1], predicate)  # vectors too
    # xdsl-gap(0.74): llvm-fcmp-fastmath — fcmp drops its flags
    # Kept on the op, though xDSL 0.74's llvm.fcmp does not print its flags.
    cmp.properties["fastmathFlags"] = fast_math(op)
    return e(cmp)


def _select(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    return e(llvm_ext.SelectOp(args[0], args[1], args[2]))  # vector masks too


def _cast(cls: Callable[[SSAValue, Attribute], Operation]) -> Lowering:
    def build(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
        return e(cls(args[0], _result_type(op)))

    return build


def _index_cast(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    """Sign-extend or truncate between `i64` (index) and `iN`."""
    source, target = args[0].type, _result_type(op)
    if int_width(source) < int_width(target):
        return e(llvm.SExtOp(args[0], target))
    if int_width(source) > int_width(target):
        return e(llvm.TruncOp(args[0], target))
    return args[0]


# --------------------------------------------------------------------------- #
# bf16: its bits, i16
# --------------------------------------------------------------------------- #


def _is_bf16(type_: Attribute) -> bool:
    if isa(type_, VectorType[Attribute]):
        type_ = type_.get_element_type()
    return isinstance(type_, BFloat16Type)


def _like(type_: Attribute, element: Attribute) -> Attribute:
    """`element`, or a vector of it shaped as `type_`."""
    if isa(type_, VectorType[Attribute]):
        return VectorType(element, type_.get_shape())
    return element


def _bf16_constant(e: _Emit, value: Attribute, type_: Attribute) -> SSAValue | None:
    import ml_dtypes
    import numpy as np

    def bits(x: float) -> int:
        return int(np.asarray(x, ml_dtypes.bfloat16).view(np.int16))

    if isinstance(value, FloatAttr):
        return e(llvm.ConstantOp(IntegerAttr(bits(value.value.data), i16), i16))
    if isinstance(value, DenseIntOrFPElementsAttr) and isa(
        type_, VectorType[Attribute]
    ):
        raw = np.frombuffer(value.data.data, np.int16)
        # xdsl-gap(0.74): dense-typed-structure — typed narrowly
        attr = DenseIntOrFPElementsAttr.from_list(
            cast(Any, type_), [int(v) for v in raw]
        )
        return e(llvm.ConstantOp(attr, type_))
    return None


def _extf(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    """From bf16: its bits in the high half of an f32's."""
    if not _is_bf16(op.operands[0].type):
        return e(llvm.FPExtOp(args[0], _result_type(op)))
    x = args[0]
    wide = e(llvm.ZExtOp(x, _like(x.type, i32)))
    high = e(llvm.ShlOp(wide, e.int_constant(16, wide.type)))
    out = e(llvm.BitcastOp(high, _like(x.type, f32)))
    if out.type != _result_type(op):
        out = e(llvm.FPExtOp(out, _result_type(op)))
    return out


def _truncf(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    """To bf16: round to nearest even; NaN stays a (quiet) NaN."""
    if not _is_bf16(op.results[0].type):
        return e(llvm.FPTruncOp(args[0], _result_type(op)))
    x = args[0]
    single = _like(x.type, f32)
    if x.type != single:
        x = e(llvm.FPTruncOp(x, single))
    bits = e(llvm.BitcastOp(x, _like(x.type, i32)))
    sixteen = e.int_constant(16, bits.type)
    high = e(llvm.LShrOp(bits, sixteen))
    odd = e(llvm.AndOp(high, e.int_constant(1, bits.type)))
    bias = e(llvm.AddOp(odd, e.int_constant(0x7FFF, bits.type)))
    rounded = e(llvm.LShrOp(e(llvm.AddOp(bits, bias)), sixteen))
    quiet = e(llvm.OrOp(high, e.int_constant(0x40, bits.type)))
    uno = IntegerAttr(llvm.FCmpPredicateFlag("uno").to_int(), i64)
    nan = e(llvm_ext.FCmpOp(x, x, uno))
    chosen = e(llvm_ext.SelectOp(nan, quiet, rounded))
    return e(llvm.TruncOp(chosen, _like(x.type, i16)))


def _bitcast(e: _Emit, op: Operation, args: Sequence[SSAValue]) -> SSAValue:
    """Between bf16 and i16 (the same LLVM type) nothing is left to do."""
    if args[0].type == _result_type(op):
        return args[0]
    return e(llvm.BitcastOp(args[0], _result_type(op)))


_BF16_OPS = (
    arith.ConstantOp, arith.ExtFOp, arith.TruncFOp, arith.BitcastOp,
    arith.SelectOp, arith_ext.SelectOp,
)  # fmt: skip
"""The arith ops lowered on bf16 (as bits); `widen-bf16` leaves no others."""


LOWERINGS: dict[type[Operation], Lowering] = {
    arith.ConstantOp: _constant,
    arith.AddiOp: _binary_overflow(llvm.AddOp),
    arith.SubiOp: _binary_overflow(llvm.SubOp),
    arith.MuliOp: _binary_overflow(llvm.MulOp),
    arith.DivSIOp: _binary(llvm.SDivOp),
    arith.DivUIOp: _binary(llvm.UDivOp),
    arith.RemSIOp: _binary(llvm.SRemOp),
    arith.RemUIOp: _binary(llvm.URemOp),
    arith.FloorDivSIOp: _floordivsi,
    arith.CeilDivSIOp: _ceildivsi,
    arith.CeilDivUIOp: _ceildivui,
    arith.AndIOp: _binary(llvm.AndOp),
    arith.OrIOp: _binary(llvm.OrOp),
    arith.XOrIOp: _binary(llvm.XOrOp),
    arith.ShLIOp: _shl,
    arith.ShRSIOp: _binary(llvm.AShrOp),
    arith.ShRUIOp: _binary(llvm.LShrOp),
    arith.MaxSIOp: _binary(llvm_ext.SMaxOp),
    arith.MinSIOp: _binary(llvm_ext.SMinOp),
    arith.MaxUIOp: _binary(llvm_ext.UMaxOp),
    arith.MinUIOp: _binary(llvm_ext.UMinOp),
    arith.AddfOp: _float_binary(llvm.FAddOp),
    arith.SubfOp: _float_binary(llvm.FSubOp),
    arith.MulfOp: _float_binary(llvm.FMulOp),
    arith.DivfOp: _float_binary(llvm.FDivOp),
    # xdsl-gap(0.74): arith-remf — arith_ext's remf
    arith_ext.RemFOp: _float_binary(llvm.FRemOp),
    arith.NegfOp: _negf,
    arith.MaximumfOp: _float_binary(llvm_ext.MaximumOp),
    arith.MinimumfOp: _float_binary(llvm_ext.MinimumOp),
    arith.MaxnumfOp: _float_binary(llvm.VectorFMaxOp),
    arith.MinnumfOp: _float_binary(llvm.VectorFMinOp),
    arith.CmpiOp: _cmpi,
    arith.CmpfOp: _cmpf,
    arith.SelectOp: _select,
    arith_ext.CmpiOp: _cmpi,
    arith_ext.CmpfOp: _cmpf,
    arith_ext.SelectOp: _select,
    arith.ExtFOp: _extf,
    arith.TruncFOp: _truncf,
    arith.ExtSIOp: _cast(llvm.SExtOp),
    arith.ExtUIOp: _cast(llvm.ZExtOp),
    arith.TruncIOp: _cast(llvm.TruncOp),
    arith.SIToFPOp: _cast(llvm.SIToFPOp),
    arith.UIToFPOp: _cast(llvm_ext.UIToFPOp),
    arith.FPToSIOp: _cast(llvm_ext.FPToSIOp),
    arith.FPToUIOp: _cast(llvm_ext.FPToUIOp),
    arith.IndexCastOp: _index_cast,
    arith.BitcastOp: _bitcast,
}


class ArithOpLowering(RewritePattern):
    """One arith op → its LLVM ops (see `LOWERINGS`), bridged by casts."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        build = LOWERINGS.get(type(op))
        if build is None:
            return
        types = [v.type for v in (*op.operands, *op.results)]
        if not isinstance(op, _BF16_OPS) and any(_is_bf16(t) for t in types):
            raise located_failure(
                op,
                f"convert-arith-to-llvm: {op.name} on bf16 is not supported "
                "(widen-bf16 computes bf16 in f32)",
            )
        args = [to_llvm(rewriter, v) for v in op.operands]
        result = build(_Emit(rewriter), op, args)
        if result is None:
            return
        rewriter.replace(op, [], [from_llvm(rewriter, result, op.results[0].type)])


class ConvertArithToLlvmPass(ModulePass):
    """
    Lower every arith op to the LLVM dialect.

    **Input invariant**: arith ops on scalars (`iN`, `index`, `f16`/`f32`/`f64`)
    or 1-D vectors of them; constants are scalars or vector splats/literals;
    on `bf16` only constants, `extf`, `truncf`, `bitcast` and `select`.

    **Output IR**: `llvm.mlir.constant`, integer and float arithmetic
    (`llvm.add`, `llvm.sdiv`, `llvm.fadd`, `llvm.frem`, ... with the op's overflow and
    fast-math flags), `llvm.icmp`/`fcmp`, `llvm.select`, casts (`llvm.sext`,
    `llvm.fptosi`, ...), and intrinsics for min/max
    (`llvm.intr.maximum`/`minimum`/`maxnum`/`minnum`/`smax`/`smin`/`umax`/`umin`).
    `index` values are `i64`, bridged to not yet converted users with
    `builtin.unrealized_conversion_cast`.

    **Invariants**: no arith op survives; the pass fails naming the first one it
    cannot lower (a tensor constant, say).
    """

    name = "convert-arith-to-llvm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(ArithOpLowering(), apply_recursively=False).rewrite_module(
            op
        )
        require_converted(op, "arith", self.name)


__all__ = ["LOWERINGS", "ArithOpLowering", "ConvertArithToLlvmPass"]
