"""
The `llvm.intr.vector.reduce.*` ops xDSL 0.74 lacks, part of `LlvmExt`.

One module of the `llvm` dialect's extension (`dialects/llvm_ext.py`
assembles `LlvmExt` from it): the integer and float reductions of a vector to
its element type, in upstream MLIR's syntax (the generic form for the integer
ones, which upstream prints so; `vector_to_llvm.py` lowers
`vector.reduction` to them).
"""

from abc import ABC
from typing import ClassVar

from xdsl.dialects.builtin import AnyFloatConstr, SignlessIntegerConstraint, VectorType
from xdsl.dialects.llvm import FastMathAttr
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure
from xdsl.utils.hints import isa

_INTRINSIC_FORMAT = "`(` operands `)` attr-dict `:` functional-type(operands, results)"

# --------------------------------------------------------------------------- #
# Vector reductions (generic form: upstream has no custom one for most)
# --------------------------------------------------------------------------- #


class IntVectorReduction(IRDLOperation, ABC):
    """`"llvm.intr.vector.reduce.<name>"(%v) : (vector<4xi32>) -> i32`."""

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    in_ = operand_def(VectorType.constr(T))
    res = result_def(T)

    traits = traits_def(Pure())

    def __init__(self, in_: SSAValue | Operation):
        vector_type = SSAValue.get(in_).type
        assert isa(vector_type, VectorType[Attribute])
        super().__init__(
            operands=[in_],
            result_types=[vector_type.element_type],
        )


@irdl_op_definition
class VectorReduceAddOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.add"


@irdl_op_definition
class VectorReduceMulOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.mul"


@irdl_op_definition
class VectorReduceAndOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.and"


@irdl_op_definition
class VectorReduceOrOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.or"


@irdl_op_definition
class VectorReduceXorOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.xor"


@irdl_op_definition
class VectorReduceSMaxOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.smax"


@irdl_op_definition
class VectorReduceSMinOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.smin"


@irdl_op_definition
class VectorReduceUMaxOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.umax"


@irdl_op_definition
class VectorReduceUMinOp(IntVectorReduction):
    name = "llvm.intr.vector.reduce.umin"


class FloatVectorReduction(IRDLOperation, ABC):
    """`llvm.intr.vector.reduce.<name>(%v) : (vector<4xf32>) -> f32`."""

    T: ClassVar = VarConstraint("T", AnyFloatConstr)

    in_ = operand_def(VectorType.constr(T))
    res = result_def(T)

    fastmathFlags = prop_def(FastMathAttr, default_value=FastMathAttr(None))

    assembly_format = _INTRINSIC_FORMAT

    irdl_options = (ParsePropInAttrDict(),)

    traits = traits_def(Pure())

    def __init__(
        self, in_: SSAValue | Operation, fast_math: FastMathAttr | None = None
    ):
        vector_type = SSAValue.get(in_).type
        assert isa(vector_type, VectorType[Attribute])
        super().__init__(
            operands=[in_],
            result_types=[vector_type.element_type],
            properties={"fastmathFlags": fast_math or FastMathAttr(None)},
        )


@irdl_op_definition
class VectorReduceFMaximumOp(FloatVectorReduction):
    """The maximum of a vector's elements; NaN propagates."""

    name = "llvm.intr.vector.reduce.fmaximum"


@irdl_op_definition
class VectorReduceFMinimumOp(FloatVectorReduction):
    """The minimum of a vector's elements; NaN propagates."""

    name = "llvm.intr.vector.reduce.fminimum"


@irdl_op_definition
class VectorReduceFMaxOp(FloatVectorReduction):
    """The maximum of a vector's elements; NaN is ignored (maxnum)."""

    name = "llvm.intr.vector.reduce.fmax"


@irdl_op_definition
class VectorReduceFMinOp(FloatVectorReduction):
    """The minimum of a vector's elements; NaN is ignored (minnum)."""

    name = "llvm.intr.vector.reduce.fmin"


__all__ = [
    "FloatVectorReduction",
    "IntVectorReduction",
    "VectorReduceAddOp",
    "VectorReduceAndOp",
    "VectorReduceFMaxOp",
    "VectorReduceFMaximumOp",
    "VectorReduceFMinOp",
    "VectorReduceFMinimumOp",
    "VectorReduceMulOp",
    "VectorReduceOrOp",
    "VectorReduceSMaxOp",
    "VectorReduceSMinOp",
    "VectorReduceUMaxOp",
    "VectorReduceUMinOp",
    "VectorReduceXorOp",
]
