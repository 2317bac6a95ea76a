"""
`llvm` ops that xDSL 0.74 lacks, and the `llvm` dialect extended with them.

The `convert-*-to-llvm` lowerings need casts (`llvm.uitofp`, `llvm.fptosi`,
`llvm.fptoui`), `llvm.extractelement`, and intrinsics (`llvm.intr.maximum`,
`llvm.intr.smax`, `llvm.intr.tanh`, `llvm.intr.vector.reduce.add`, ...) that
xDSL 0.74's `llvm` dialect does not define. Each op here is defined in xDSL's
style with upstream MLIR's syntax (the custom form where upstream has one, the
generic form otherwise), so real `mlir-opt` and `mlir-translate` read what we
print. mlc-opt registers `LlvmExt` as `llvm` in place of xDSL's (a second
`llvm` in mlc's universe would clash in xDSL's Multiverse, so stock `xdsl-opt`
keeps xDSL's).
"""

from abc import ABC
from typing import ClassVar

from xdsl.dialects.builtin import (
    I1,
    I32,
    I64,
    AnyFloatConstr,
    BoolAttr,
    IntegerAttr,
    IntegerType,
    SignlessIntegerConstraint,
    VectorType,
    i1,
    i64,
)
from xdsl.dialects.llvm import (
    LLVM,
    FastMathAttr,
    FCmpPredicateFlag,
    GenericCastOp,
    LLVMPointerType,
)
from xdsl.dialects.llvm import FCmpOp as XdslFCmpOp
from xdsl.dialects.llvm import SelectOp as XdslSelectOp
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.irdl import (
    AnyAttr,
    EqAttrConstraint,
    IRDLOperation,
    ParsePropInAttrDict,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import NoMemoryEffect, Pure
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.hints import isa

from mlc.dialects.llvm_reductions import (
    VectorReduceAddOp,
    VectorReduceAndOp,
    VectorReduceFMaximumOp,
    VectorReduceFMaxOp,
    VectorReduceFMinimumOp,
    VectorReduceFMinOp,
    VectorReduceMulOp,
    VectorReduceOrOp,
    VectorReduceSMaxOp,
    VectorReduceSMinOp,
    VectorReduceUMaxOp,
    VectorReduceUMinOp,
    VectorReduceXorOp,
)

_FLOAT_LIKE = AnyFloatConstr | VectorType.constr(AnyFloatConstr)
_INT_LIKE = SignlessIntegerConstraint | VectorType.constr(SignlessIntegerConstraint)
_I1_LIKE = EqAttrConstraint(i1) | VectorType.constr(EqAttrConstraint(i1))
_INTRINSIC_FORMAT = "`(` operands `)` attr-dict `:` functional-type(operands, results)"


# --------------------------------------------------------------------------- #
# Casts
# --------------------------------------------------------------------------- #


@irdl_op_definition
class UIToFPOp(GenericCastOp):
    """Unsigned integer to floating point: `llvm.uitofp %x : i32 to f32`."""

    name = "llvm.uitofp"


@irdl_op_definition
class FPToSIOp(GenericCastOp):
    """Floating point to signed integer: `llvm.fptosi %x : f32 to i32`."""

    name = "llvm.fptosi"


@irdl_op_definition
class FPToUIOp(GenericCastOp):
    """Floating point to unsigned integer: `llvm.fptoui %x : f32 to i32`."""

    name = "llvm.fptoui"


# --------------------------------------------------------------------------- #
# Vector elements
# --------------------------------------------------------------------------- #


@irdl_op_definition
class ExtractElementOp(IRDLOperation):
    """
    One element of a 1-D vector: `llvm.extractelement %v[%i : i64] : vector<4xf32>`.

    See external [documentation](https://mlir.llvm.org/docs/Dialects/LLVM/#llvmextractelement-llvmextractelementop).
    """

    name = "llvm.extractelement"

    vector = operand_def(VectorType)
    position = operand_def(SignlessIntegerConstraint)
    res = result_def(AnyAttr())

    traits = traits_def(NoMemoryEffect())

    # Written by hand: the declarative format cannot infer the result type from
    # the vector's element type.
    @classmethod
    def parse(cls, parser: Parser) -> "ExtractElementOp":
        vector = parser.parse_unresolved_operand()
        parser.parse_punctuation("[")
        position = parser.parse_unresolved_operand()
        parser.parse_punctuation(":")
        position_type = parser.parse_type()
        parser.parse_punctuation("]")
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        vector_type = parser.parse_type()
        op = cls(
            parser.resolve_operand(vector, vector_type),
            parser.resolve_operand(position, position_type),
        )
        op.attributes |= attrs
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_ssa_value(self.vector)
        printer.print_string("[")
        printer.print_ssa_value(self.position)
        printer.print_string(" : ")
        printer.print_attribute(self.position.type)
        printer.print_string("]")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.vector.type)

    def __init__(self, vector: SSAValue | Operation, position: SSAValue | Operation):
        vector_type = SSAValue.get(vector).type
        assert isa(vector_type, VectorType[Attribute])
        super().__init__(
            operands=[vector, position],
            result_types=[vector_type.element_type],
        )

    def verify_(self) -> None:
        vector_type = self.vector.type
        assert isa(vector_type, VectorType[Attribute])
        if self.res.type != vector_type.element_type:
            raise VerifyException("result type must be the vector's element type")


# --------------------------------------------------------------------------- #
# Intrinsics on floats
# --------------------------------------------------------------------------- #


class FloatUnaryIntrinsic(IRDLOperation, ABC):
    """`llvm.intr.<name>(%x) : (f32) -> f32` on a float or float vector."""

    T: ClassVar = VarConstraint("T", _FLOAT_LIKE)

    arg = operand_def(T)
    res = result_def(T)

    fastmathFlags = prop_def(FastMathAttr, default_value=FastMathAttr(None))

    assembly_format = _INTRINSIC_FORMAT

    irdl_options = (ParsePropInAttrDict(),)

    traits = traits_def(Pure())

    def __init__(
        self, arg: SSAValue | Operation, fast_math: FastMathAttr | None = None
    ):
        super().__init__(
            operands=[arg],
            result_types=[SSAValue.get(arg).type],
            properties={"fastmathFlags": fast_math or FastMathAttr(None)},
        )


class FloatBinaryIntrinsic(IRDLOperation, ABC):
    """`llvm.intr.<name>(%x, %y) : (f32, f32) -> f32` on floats or float vectors."""

    T: ClassVar = VarConstraint("T", _FLOAT_LIKE)

    lhs = operand_def(T)
    rhs = operand_def(T)
    res = result_def(T)

    fastmathFlags = prop_def(FastMathAttr, default_value=FastMathAttr(None))

    assembly_format = _INTRINSIC_FORMAT

    irdl_options = (ParsePropInAttrDict(),)

    traits = traits_def(Pure())

    def __init__(
        self,
        lhs: SSAValue | Operation,
        rhs: SSAValue | Operation,
        fast_math: FastMathAttr | None = None,
    ):
        super().__init__(
            operands=[lhs, rhs],
            result_types=[SSAValue.get(lhs).type],
            properties={"fastmathFlags": fast_math or FastMathAttr(None)},
        )


@irdl_op_definition
class MaximumOp(FloatBinaryIntrinsic):
    """IEEE 754-2019 maximum: NaN propagates, -0.0 < +0.0."""

    name = "llvm.intr.maximum"


@irdl_op_definition
class MinimumOp(FloatBinaryIntrinsic):
    """IEEE 754-2019 minimum: NaN propagates, -0.0 < +0.0."""

    name = "llvm.intr.minimum"


@irdl_op_definition
class Log10Op(FloatUnaryIntrinsic):
    name = "llvm.intr.log10"


@irdl_op_definition
class RoundOp(FloatUnaryIntrinsic):
    """Round half away from zero."""

    name = "llvm.intr.round"


@irdl_op_definition
class RoundEvenOp(FloatUnaryIntrinsic):
    """Round half to even."""

    name = "llvm.intr.roundeven"


@irdl_op_definition
class FTruncOp(FloatUnaryIntrinsic):
    """Round toward zero."""

    name = "llvm.intr.trunc"


@irdl_op_definition
class TanhOp(FloatUnaryIntrinsic):
    name = "llvm.intr.tanh"


@irdl_op_definition
class PowIOp(IRDLOperation):
    """A float to an integer power: `llvm.intr.powi(%x, %n) : (f32, i32) -> f32`."""

    name = "llvm.intr.powi"

    T: ClassVar = VarConstraint("T", _FLOAT_LIKE)

    val = operand_def(T)
    power = operand_def(SignlessIntegerConstraint)
    res = result_def(T)

    fastmathFlags = prop_def(FastMathAttr, default_value=FastMathAttr(None))

    assembly_format = _INTRINSIC_FORMAT

    irdl_options = (ParsePropInAttrDict(),)

    traits = traits_def(Pure())

    def __init__(
        self,
        val: SSAValue | Operation,
        power: SSAValue | Operation,
        fast_math: FastMathAttr | None = None,
    ):
        super().__init__(
            operands=[val, power],
            result_types=[SSAValue.get(val).type],
            properties={"fastmathFlags": fast_math or FastMathAttr(None)},
        )


# --------------------------------------------------------------------------- #
# Intrinsics on integers
# --------------------------------------------------------------------------- #


class IntBinaryIntrinsic(IRDLOperation, ABC):
    """`llvm.intr.<name>(%x, %y) : (i32, i32) -> i32` on integers or vectors."""

    T: ClassVar = VarConstraint("T", _INT_LIKE)

    lhs = operand_def(T)
    rhs = operand_def(T)
    res = result_def(T)

    assembly_format = _INTRINSIC_FORMAT

    traits = traits_def(Pure())

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        super().__init__(operands=[lhs, rhs], result_types=[SSAValue.get(lhs).type])


@irdl_op_definition
class SMaxOp(IntBinaryIntrinsic):
    name = "llvm.intr.smax"


@irdl_op_definition
class SMinOp(IntBinaryIntrinsic):
    name = "llvm.intr.smin"


@irdl_op_definition
class UMaxOp(IntBinaryIntrinsic):
    name = "llvm.intr.umax"


@irdl_op_definition
class UMinOp(IntBinaryIntrinsic):
    name = "llvm.intr.umin"


@irdl_op_definition
class AbsOp(IRDLOperation):
    """
    Integer absolute value; `is_int_min_poison = false` wraps `abs(INT_MIN)`.

    Upstream has no custom form for it, so it prints generically:
    `"llvm.intr.abs"(%x) <{is_int_min_poison = false}> : (i32) -> i32`.
    """

    name = "llvm.intr.abs"

    T: ClassVar = VarConstraint("T", _INT_LIKE)

    in_ = operand_def(T)
    res = result_def(T)
    is_int_min_poison = prop_def(BoolAttr)

    traits = traits_def(Pure())

    def __init__(self, in_: SSAValue | Operation, is_int_min_poison: bool = False):
        super().__init__(
            operands=[in_],
            result_types=[SSAValue.get(in_).type],
            properties={"is_int_min_poison": BoolAttr.from_bool(is_int_min_poison)},
        )


# --------------------------------------------------------------------------- #
# Vector compares and masked loads
# --------------------------------------------------------------------------- #


# xdsl-gap(0.74): llvm-fcmp-select-vector — fcmp/select take scalars only
@irdl_op_definition
class FCmpOp(IRDLOperation):
    """
    `llvm.fcmp` on floats or vectors of floats (an `i1` per lane).

    xDSL 0.74's `llvm.fcmp` takes scalars only; this replaces it in `LlvmExt`,
    with the same syntax.
    """

    name = "llvm.fcmp"

    T: ClassVar = VarConstraint("T", _FLOAT_LIKE)

    lhs = operand_def(T)
    rhs = operand_def(T)
    res = result_def(_I1_LIKE)
    predicate = prop_def(IntegerAttr[I64])
    fastmathFlags = prop_def(FastMathAttr, default_value=FastMathAttr(None))

    traits = traits_def(Pure())

    irdl_options = (ParsePropInAttrDict(),)

    def __init__(
        self,
        lhs: Operation | SSAValue,
        rhs: Operation | SSAValue,
        predicate: str | IntegerAttr[IntegerType],
        attributes: dict[str, Attribute] | None = None,
    ) -> None:
        if isinstance(predicate, str):
            predicate = IntegerAttr(FCmpPredicateFlag(predicate).to_int(), i64)
        lhs = SSAValue.get(lhs)
        type_ = lhs.type
        result = VectorType(i1, type_.get_shape()) if isa(type_, VectorType) else i1
        super().__init__(
            operands=[lhs, rhs],
            result_types=[result],
            attributes=attributes or {},
            properties={"predicate": predicate},
        )

    parse = classmethod(XdslFCmpOp.parse.__func__)  # pyright: ignore
    print = XdslFCmpOp.print  # pyright: ignore


@irdl_op_definition
class MaskedLoadOp(IRDLOperation):
    """`llvm.intr.masked.load`: the lanes of `mask` from `data`, else `pass_thru`."""

    name = "llvm.intr.masked.load"

    data = operand_def(LLVMPointerType)
    mask = operand_def(VectorType.constr(I1))
    pass_thru = operand_def(VectorType)
    res = result_def(VectorType)
    alignment = prop_def(IntegerAttr[I32])

    irdl_options = (ParsePropInAttrDict(),)

    assembly_format = (
        "$data `,` $mask `,` $pass_thru attr-dict `:` "
        "functional-type(operands, results)"
    )

    def __init__(
        self,
        data: Operation | SSAValue,
        mask: Operation | SSAValue,
        pass_thru: Operation | SSAValue,
        alignment: int,
    ) -> None:
        pass_thru = SSAValue.get(pass_thru)
        super().__init__(
            operands=[data, mask, pass_thru],
            result_types=[pass_thru.type],
            properties={"alignment": IntegerAttr(alignment, 32)},
        )


@irdl_op_definition
class SelectOp(IRDLOperation):
    """
    `llvm.select` with an `i1` or a vector-of-`i1` condition (lane-wise).

    xDSL 0.74's takes an `i1` only; this replaces it in `LlvmExt`.
    """

    name = "llvm.select"

    T: ClassVar = VarConstraint("T", AnyAttr())

    cond = operand_def(_I1_LIKE)
    lhs = operand_def(T)
    rhs = operand_def(T)
    res = result_def(T)

    fastmathFlags = prop_def(FastMathAttr, default_value=FastMathAttr(None))

    traits = traits_def(Pure())

    assembly_format = "$cond `,` $lhs `,` $rhs attr-dict `:` type($cond) `,` type($res)"

    irdl_options = (ParsePropInAttrDict(),)

    def __init__(
        self,
        cond: Operation | SSAValue,
        lhs: Operation | SSAValue,
        rhs: Operation | SSAValue,
    ) -> None:
        super().__init__(
            operands=[cond, lhs, rhs], result_types=[SSAValue.get(lhs).type]
        )


# --------------------------------------------------------------------------- #
# Memory hints
# --------------------------------------------------------------------------- #


@irdl_op_definition
class PrefetchOp(IRDLOperation):
    """
    `"llvm.intr.prefetch"(%p) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}>
    : (!llvm.ptr) -> ()`: upstream prints the generic form."""

    name = "llvm.intr.prefetch"

    addr = operand_def(LLVMPointerType)

    rw = prop_def(IntegerAttr[I32])
    hint = prop_def(IntegerAttr[I32])
    cache = prop_def(IntegerAttr[I32])

    def __init__(
        self, addr: SSAValue | Operation, rw: int, hint: int, cache: int
    ) -> None:
        super().__init__(
            operands=[addr],
            properties={  # upstream's (alphabetical) order
                "cache": IntegerAttr(cache, 32),
                "hint": IntegerAttr(hint, 32),
                "rw": IntegerAttr(rw, 32),
            },
        )


# xdsl-gap(0.74): llvm-ops — llvm lacks these ops
LLVM_EXT_OPS: tuple[type[Operation], ...] = (
    FCmpOp,
    SelectOp,
    MaskedLoadOp,
    UIToFPOp,
    FPToSIOp,
    FPToUIOp,
    ExtractElementOp,
    PrefetchOp,
    MaximumOp,
    MinimumOp,
    Log10Op,
    RoundOp,
    RoundEvenOp,
    FTruncOp,
    TanhOp,
    PowIOp,
    SMaxOp,
    SMinOp,
    UMaxOp,
    UMinOp,
    AbsOp,
    VectorReduceAddOp,
    VectorReduceMulOp,
    VectorReduceAndOp,
    VectorReduceOrOp,
    VectorReduceXorOp,
    VectorReduceSMaxOp,
    VectorReduceSMinOp,
    VectorReduceUMaxOp,
    VectorReduceUMinOp,
    VectorReduceFMaximumOp,
    VectorReduceFMinimumOp,
    VectorReduceFMaxOp,
    VectorReduceFMinOp,
)

LlvmExt = Dialect(
    "llvm",
    [
        *(op for op in LLVM.operations if op not in (XdslFCmpOp, XdslSelectOp)),
        *LLVM_EXT_OPS,
    ],
    [*LLVM.attributes],
)
"""xDSL's `llvm` dialect plus `LLVM_EXT_OPS`."""
