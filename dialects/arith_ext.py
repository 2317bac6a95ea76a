"""
`arith` comparisons and selects on vectors, `arith.remf`, and the `arith`
dialect with them.

xDSL 0.74 types `arith.cmpf`/`cmpi` results and `arith.select`'s condition as
`i1` only; upstream MLIR also takes vectors (`arith.cmpf olt, %a, %b :
vector<16xf32>` gives `vector<16xi1>`; `arith.select %m, %a, %b :
vector<16xi1>, vector<16xf32>`), which vectorized code and the vector math
expansions need. `CmpfOp`, `CmpiOp` and `SelectOp` here are xDSL's definitions with the
types widened (xDSL's `isinstance` checks and canonicalizations do not see
them; the lowerings register them by type);
`ArithExt` is xDSL's `arith` with them in place of its own, registered as
`arith` by mlc-opt (see `get_dialect_overrides`). xDSL 0.74 has no
`arith.remf` (the float remainder, C's `fmod`) at all; `RemFOp` is upstream's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    IntegerAttr,
    IntegerType,
    VectorType,
    i1,
)
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.irdl import (
    AnyAttr,
    IRDLOperation,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.hints import isa


def i1_like(type_: Attribute) -> Attribute:
    """`i1`, or `vector<...xi1>` of the shape of a vector `type_`."""
    if isa(type_, VectorType[Attribute]):
        return VectorType(i1, type_.get_shape())
    return i1


def _check_i1_like(op: Operation, value: SSAValue, like: Attribute) -> None:
    if value.type != i1_like(like):
        raise VerifyException(
            f"'{op.name}' expects {i1_like(like)} for {like}, got {value.type}"
        )


def _predicate(arg: int | str, names: Sequence[str]) -> IntegerAttr[IntegerType]:
    if isinstance(arg, str):
        by_name = {name: value for value, name in enumerate(names)}
        if arg not in by_name:
            raise VerifyException(f"unknown comparison predicate '{arg}'")
        arg = by_name[arg]
    return IntegerAttr(arg, 64)


# xdsl-gap(0.74): arith-cmp-select-vector — cmpf/cmpi/select take i1 only
@irdl_op_definition
class CmpfOp(IRDLOperation):
    """`arith.cmpf` whose result is `i1` or a vector of `i1`."""

    name = "arith.cmpf"
    predicate = prop_def(IntegerAttr)
    lhs = operand_def(arith.floatingPointLike)
    rhs = operand_def(arith.floatingPointLike)
    fastmath = prop_def(
        arith.FastMathFlagsAttr, default_value=arith.FastMathFlagsAttr("none")
    )
    result = result_def(AnyAttr())

    traits = traits_def(Pure())

    def __init__(
        self,
        operand1: SSAValue | Operation,
        operand2: SSAValue | Operation,
        arg: int | str,
        fastmath: arith.FastMathFlagsAttr = arith.FastMathFlagsAttr("none"),
    ) -> None:
        lhs = SSAValue.get(operand1)
        super().__init__(
            operands=[lhs, operand2],
            result_types=[i1_like(lhs.type)],
            properties={
                "predicate": _predicate(arg, arith.CMPF_COMPARISON_OPERATIONS),
                "fastmath": fastmath,
            },
        )

    def verify_(self) -> None:
        if self.lhs.type != self.rhs.type:
            raise VerifyException(f"'{self.name}' expects operands of one type")
        _check_i1_like(self, self.result, self.lhs.type)

    parse = classmethod(arith.CmpfOp.parse.__func__)  # pyright: ignore
    print = arith.CmpfOp.print  # pyright: ignore


@irdl_op_definition
class CmpiOp(IRDLOperation):
    """`arith.cmpi` whose result is `i1` or a vector of `i1`."""

    name = "arith.cmpi"
    predicate = prop_def(IntegerAttr)
    lhs = operand_def(arith.signlessIntegerLike)
    rhs = operand_def(arith.signlessIntegerLike)
    result = result_def(AnyAttr())

    traits = traits_def(Pure())

    def __init__(
        self,
        operand1: SSAValue | Operation,
        operand2: SSAValue | Operation,
        arg: int | str,
    ) -> None:
        lhs = SSAValue.get(operand1)
        super().__init__(
            operands=[lhs, operand2],
            result_types=[i1_like(lhs.type)],
            properties={"predicate": _predicate(arg, arith.CMPI_COMPARISON_OPERATIONS)},
        )

    def verify_(self) -> None:
        if self.lhs.type != self.rhs.type:
            raise VerifyException(f"'{self.name}' expects operands of one type")
        _check_i1_like(self, self.result, self.lhs.type)

    parse = classmethod(arith.CmpiOp.parse.__func__)  # pyright: ignore
    print = arith.CmpiOp.print  # pyright: ignore


@irdl_op_definition
class SelectOp(IRDLOperation):
    """`arith.select` with an `i1` or a vector-of-`i1` condition."""

    name = "arith.select"
    _T: ClassVar = VarConstraint("_T", AnyAttr())
    cond = operand_def(AnyAttr())
    lhs = operand_def(_T)
    rhs = operand_def(_T)
    result = result_def(_T)

    traits = traits_def(Pure())

    def __init__(
        self,
        cond: Operation | SSAValue,
        lhs: Operation | SSAValue,
        rhs: Operation | SSAValue,
    ) -> None:
        lhs = SSAValue.get(lhs)
        super().__init__(operands=[cond, lhs, rhs], result_types=[lhs.type])

    def verify_(self) -> None:
        if self.cond.type != i1:
            _check_i1_like(self, self.cond, self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> SelectOp:
        operands = parser.parse_comma_separated_list(
            Parser.Delimiter.NONE, parser.parse_unresolved_operand
        )
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        types: list[Attribute] = parser.parse_comma_separated_list(
            Parser.Delimiter.NONE, parser.parse_type
        )
        cond_type, type_ = (i1, types[0]) if len(types) == 1 else types[:2]
        cond, lhs, rhs = parser.resolve_operands(
            operands, [cond_type, type_, type_], parser.pos
        )
        op = cls(cond, lhs, rhs)
        op.attributes.update(attributes)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list(self.operands, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        if self.cond.type != i1:
            printer.print_attribute(self.cond.type)
            printer.print_string(", ")
        printer.print_attribute(self.result.type)


# xdsl-gap(0.74): arith-remf — no arith.remf
@irdl_op_definition
class RemFOp(arith.FloatingPointLikeBinaryOperation):
    """`arith.remf`: the remainder of `lhs / rhs` truncated, C's `fmod`."""

    name = "arith.remf"

    traits = traits_def(Pure())


REPLACED: dict[type[Operation], type[Operation]] = {
    arith.CmpfOp: CmpfOp,
    arith.CmpiOp: CmpiOp,
    arith.SelectOp: SelectOp,
}

ArithExt = Dialect(
    "arith",
    [*(REPLACED.get(op, op) for op in arith.Arith.operations), RemFOp],
    [*arith.Arith.attributes],
)
"""xDSL's `arith` with vector-capable `cmpf`, `cmpi` and `select`, and `remf`."""

__all__ = ["ArithExt", "CmpfOp", "CmpiOp", "RemFOp", "SelectOp", "i1_like"]

_ = IntegerType  # re-exported type users compare against
