"""
`convert-math-to-llvm`: every math op becomes LLVM intrinsics or libm calls.

Where LLVM has an intrinsic (`exp`, `log`, `sqrt`, `fabs`, `pow`, `fma`,
`tanh`, ...) the op becomes `llvm.intr.<name>` on the same scalar or vector
type, with the op's fast-math flags; LLVM's code generator turns an intrinsic
without an instruction into a libm call itself. `rsqrt` is `1 / sqrt(x)` and
`absi` is `llvm.intr.abs` with `abs(INT_MIN) = INT_MIN`. Functions LLVM has no
intrinsic for (`erf`, `expm1`, `log1p`, `tan`, `atan`, `atan2`, `cbrt`, the
hyperbolic and inverse ones) become an `llvm.call` of the C library function
(`erff` for f32, `erf` for f64; f16 through f32), declared once per module with
`llvm.func`; a vector operand is done element by element.

Operands and results are bridged with `builtin.unrealized_conversion_cast`
(`to_llvm`/`from_llvm`), so the pass is independent of the others' order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from xdsl.context import Context
from xdsl.dialects import llvm
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseIntOrFPElementsAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    VectorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.hints import isa

from mlc.dialects import llvm_ext
from mlc.lowering.llvm_common import fast_math, from_llvm, to_llvm
from mlc.lowering.utils import located_failure, require_converted

UnaryIntrinsic = Callable[[SSAValue, llvm.FastMathAttr], Operation]

UNARY_INTRINSICS: dict[type[Operation], UnaryIntrinsic] = {
    mathd.AbsFOp: lambda x, fm: llvm.FAbsOp(x, x.type, fm),
    mathd.CeilOp: lambda x, fm: llvm.FCeilOp(x, fm),
    mathd.FloorOp: lambda x, fm: llvm.FFloorOp(x, fm),
    mathd.RoundOp: llvm_ext.RoundOp,
    mathd.RoundEvenOp: llvm_ext.RoundEvenOp,
    mathd.TruncOp: llvm_ext.FTruncOp,
    mathd.SqrtOp: lambda x, fm: llvm.FSqrtOp(x, fm),
    mathd.ExpOp: lambda x, fm: llvm.FExpOp(x, fm),
    mathd.Exp2Op: lambda x, fm: llvm.FExp2Op(x, fm),
    mathd.LogOp: lambda x, fm: llvm.FLogOp(x, fm),
    mathd.Log2Op: lambda x, fm: llvm.FLog2Op(x, fm),
    mathd.Log10Op: llvm_ext.Log10Op,
    mathd.SinOp: lambda x, fm: llvm.FSinOp(x, fm),
    mathd.CosOp: lambda x, fm: llvm.FCosOp(x, fm),
    mathd.TanhOp: llvm_ext.TanhOp,
}
"""Unary math ops with an LLVM intrinsic: (operand, fast-math) -> intrinsic op."""

BinaryIntrinsic = Callable[[SSAValue, SSAValue, llvm.FastMathAttr], Operation]

BINARY_INTRINSICS: dict[type[Operation], BinaryIntrinsic] = {
    mathd.PowFOp: llvm.FPowOp,
    mathd.CopySignOp: llvm.FCopySignOp,
    mathd.FPowIOp: llvm_ext.PowIOp,
}
"""Binary math ops with an LLVM intrinsic."""

LIBM: dict[type[Operation], str] = {
    mathd.ErfOp: "erf",
    mathd.ExpM1Op: "expm1",
    mathd.Log1pOp: "log1p",
    mathd.TanOp: "tan",
    mathd.AtanOp: "atan",
    mathd.AsinOp: "asin",
    mathd.AcosOp: "acos",
    mathd.SinhOp: "sinh",
    mathd.CoshOp: "cosh",
    mathd.AsinhOp: "asinh",
    mathd.AcoshOp: "acosh",
    mathd.AtanhOp: "atanh",
    mathd.CbrtOp: "cbrt",
    mathd.Atan2Op: "atan2",
}
"""Math ops without an LLVM intrinsic -> the double-precision libm name."""


def _emit(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    rewriter.insert(op)
    return op.results[0]


def float_constant(
    rewriter: PatternRewriter, value: float, type_: Attribute
) -> SSAValue:
    """`llvm.mlir.constant` of a float type or a float vector splat."""
    if isa(type_, VectorType[Attribute]):
        # xdsl-gap(0.74): dense-typed-structure — typed narrowly
        attr = DenseIntOrFPElementsAttr.from_list(
            cast(Any, type_), [value]
        )  # xDSL types it for tensors only
        return _emit(rewriter, llvm.ConstantOp(attr, type_))
    assert isa(type_, AnyFloat)
    return _emit(rewriter, llvm.ConstantOp(FloatAttr(value, type_), type_))


Declarations = dict[str, tuple[llvm.LLVMFunctionType, Operation]]
"""libm functions a module calls: name -> (signature, the first op calling it)."""


def declare_functions(module: ModuleOp, needed: Declarations) -> None:
    """
    Declare each external function of `needed` in `module` unless it is.

    Any other symbol of that name (a `func.func`, or an `llvm.func` of another
    signature) fails the pass at the first op calling it."""
    existing: dict[str, Operation] = {}
    for op in module.ops:
        name = op.properties.get("sym_name")
        if isinstance(name, StringAttr):
            existing[name.data] = op
    first = module.body.block.first_op
    for name, (function_type, user) in needed.items():
        if name in existing:
            found = existing[name]
            if not (
                isinstance(found, llvm.FuncOp) and found.function_type == function_type
            ):
                raise located_failure(
                    user,
                    f"'@{name}' is needed as the C library's {function_type} but "
                    "is already defined otherwise",
                )
            continue
        declaration = llvm.FuncOp(
            name, function_type, linkage=llvm.LinkageAttr("external")
        )
        if first is None:
            module.body.block.add_op(declaration)
        else:
            module.body.block.insert_op_before(declaration, first)


def _libm_scalar(
    rewriter: PatternRewriter,
    op: Operation,
    base: str,
    args: Sequence[SSAValue],
    needed: Declarations,
) -> SSAValue:
    """A libm call on scalars; f16 computes in f32."""
    type_ = args[0].type
    if isinstance(type_, Float16Type):
        wide = [_emit(rewriter, llvm.FPExtOp(a, f32)) for a in args]
        result = _libm_scalar(rewriter, op, base, wide, needed)
        return _emit(rewriter, llvm.FPTruncOp(result, type_))
    if isinstance(type_, Float32Type):
        name = base + "f"
    elif isinstance(type_, Float64Type):
        name = base
    else:
        raise located_failure(op, f"no C library '{base}' for {type_}")
    needed.setdefault(name, (llvm.LLVMFunctionType([type_] * len(args), type_), op))
    call = llvm.CallOp(name, *args, return_type=type_, fastmath=fast_math(op))
    return _emit(rewriter, call)


def _libm(
    rewriter: PatternRewriter,
    op: Operation,
    base: str,
    args: Sequence[SSAValue],
    needed: Declarations,
) -> SSAValue:
    """A libm call on scalars, or element by element on a 1-D vector."""
    type_ = args[0].type
    if not isa(type_, VectorType[Attribute]):
        return _libm_scalar(rewriter, op, base, args, needed)
    result = _emit(rewriter, llvm.UndefOp(type_))
    for i in range(type_.get_shape()[0]):
        index = _emit(rewriter, llvm.ConstantOp(IntegerAttr(i, i64), i64))
        elements = [_emit(rewriter, llvm_ext.ExtractElementOp(a, index)) for a in args]
        value = _libm_scalar(rewriter, op, base, elements, needed)
        result = _emit(rewriter, llvm.InsertElementOp(result, value, index))
    return result


def _lower(
    rewriter: PatternRewriter, op: Operation, needed: Declarations
) -> SSAValue | None:
    """An intrinsic or a libm call for the ops of the tables; else None."""
    kind = type(op)
    if not (kind in UNARY_INTRINSICS or kind in BINARY_INTRINSICS or kind in LIBM):
        return None
    args = [to_llvm(rewriter, v) for v in op.operands]
    fm = fast_math(op)
    if kind in UNARY_INTRINSICS:
        return _emit(rewriter, UNARY_INTRINSICS[kind](args[0], fm))
    if kind in BINARY_INTRINSICS:
        return _emit(rewriter, BINARY_INTRINSICS[kind](args[0], args[1], fm))
    return _libm(rewriter, op, LIBM[kind], args, needed)


def _replace(rewriter: PatternRewriter, op: Operation, result: SSAValue) -> None:
    """Replace `op`'s result by `result`, cast back for unconverted users."""
    rewriter.replace(op, [], [from_llvm(rewriter, result, op.results[0].type)])


class MathOpLowering(RewritePattern):
    """
    A math op of the tables → an intrinsic or a libm call.

    The libm functions called are collected in `needed` for the pass to declare
    once the walk is done."""

    def __init__(self) -> None:
        self.needed: Declarations = {}

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        result = _lower(rewriter, op, self.needed)
        if result is not None:
            _replace(rewriter, op, result)


class RsqrtLowering(RewritePattern):
    """`math.rsqrt` → `llvm.fdiv` of 1 by `llvm.intr.sqrt`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: mathd.RsqrtOp, rewriter: PatternRewriter) -> None:
        x, fm = to_llvm(rewriter, op.operand), fast_math(op)
        one = float_constant(rewriter, 1.0, x.type)
        root = _emit(rewriter, llvm.FSqrtOp(x, fm))
        _replace(rewriter, op, _emit(rewriter, llvm.FDivOp(one, root, fm)))


class AbsILowering(RewritePattern):
    """`math.absi` → `llvm.intr.abs` (the minimum integer is no poison)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: mathd.AbsIOp, rewriter: PatternRewriter) -> None:
        x = to_llvm(rewriter, op.operand)
        abs_op = llvm_ext.AbsOp(x, is_int_min_poison=False)
        _replace(rewriter, op, _emit(rewriter, abs_op))


class FmaLowering(RewritePattern):
    """`math.fma` → `llvm.intr.fma` with the op's fast-math flags."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: mathd.FmaOp, rewriter: PatternRewriter) -> None:
        a, b, c = (to_llvm(rewriter, v) for v in op.operands)
        fma = llvm.FMAOp(a, b, c, fast_math(op))
        _replace(rewriter, op, _emit(rewriter, fma))


class ConvertMathToLlvmPass(ModulePass):
    """
    Lower every math op to LLVM intrinsics or C library calls.

    **Input invariant**: math ops on scalars (`f16`/`f32`/`f64`, `iN` for
    `absi`) or 1-D vectors of them.

    **Output IR**: `llvm.intr.*` (`exp`, `exp2`, `log`, `log2`, `log10`,
    `sqrt`, `fabs`, `floor`, `ceil`, `round`, `roundeven`, `trunc`, `pow`,
    `powi`, `fma`, `copysign`, `sin`, `cos`, `tanh`, `abs`) with the op's
    fast-math flags; `rsqrt` as `llvm.fdiv` of 1 by `llvm.intr.sqrt`; `erf`,
    `expm1`, `log1p`, `tan`, `atan`, `atan2`, `asin`, `acos`, `sinh`, `cosh`,
    `asinh`, `acosh`, `atanh`, `cbrt` as `llvm.call` of the libm function
    (`erff`/`erf`, ...; f16 through f32), declared by an external `llvm.func`.

    **Invariants**: no math op survives; the pass fails naming the first one it
    cannot lower (`math.ipowi`, `math.ctlz`, ...).
    """

    name = "convert-math-to-llvm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        pattern = MathOpLowering()
        PatternRewriteWalker(
            # No dead-code elimination: an unsupported dead op still fails.
            GreedyRewritePatternApplier(
                [pattern, RsqrtLowering(), AbsILowering(), FmaLowering()],
                dce_enabled=False,
            ),
            apply_recursively=False,
        ).rewrite_module(op)
        require_converted(op, "math", self.name)
        declare_functions(op, pattern.needed)


__all__ = [
    "BINARY_INTRINSICS",
    "LIBM",
    "UNARY_INTRINSICS",
    "ConvertMathToLlvmPass",
    "MathOpLowering",
    "declare_functions",
    "float_constant",
]
