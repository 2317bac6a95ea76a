"""
`memref.prefetch`, and the `memref` dialect with it.

A prefetch is a hint that an element's cache line is needed soon: upstream
MLIR's `memref.prefetch %m[%i, %j], read, locality<3>, data : memref<..>`
(read or write; locality 0, no temporal locality, to 3, keep in every cache
level; the data or the instruction cache). It has no effect on the values a
program computes. The GEMM micro-kernel prefetches the next A panel it will
read while it computes on the current one (docs/gemm.md). xDSL 0.74 has no
prefetch; `MemrefExt` is xDSL's `memref` with it, registered as `memref` by
mlc-opt (see `get_dialect_overrides`). `convert-memref-to-llvm` lowers it to
`llvm.intr.prefetch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    BoolAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    i32,
)
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException


# xdsl-gap(0.74): memref-prefetch — no memref.prefetch
@irdl_op_definition
class PrefetchOp(IRDLOperation):
    """`memref.prefetch %m[%i], read, locality<3>, data : memref<8xf32>`."""

    name = "memref.prefetch"

    memref = operand_def(MemRefType)
    indices = var_operand_def(IndexType)

    isWrite = prop_def(BoolAttr)
    localityHint = prop_def(IntegerAttr[IntegerType])
    isDataCache = prop_def(BoolAttr)

    def __init__(
        self,
        ref: SSAValue | Operation,
        indices: Sequence[SSAValue | Operation],
        write: bool = False,
        locality: int = 3,
        data: bool = True,
    ) -> None:
        super().__init__(
            operands=[ref, indices],
            properties={
                "isWrite": BoolAttr.from_bool(write),
                "localityHint": IntegerAttr(locality, i32),
                "isDataCache": BoolAttr.from_bool(data),
            },
        )

    @property
    def locality(self) -> int:
        return self.localityHint.value.data

    @property
    def write(self) -> bool:
        return bool(self.isWrite.value.data)

    @property
    def data(self) -> bool:
        return bool(self.isDataCache.value.data)

    def verify_(self) -> None:
        type_ = cast(MemRefType[Attribute], self.memref.type)
        if len(self.indices) != type_.get_num_dims():
            raise VerifyException(
                f"'{self.name}' expects {type_.get_num_dims()} indices, "
                f"got {len(self.indices)}"
            )
        if not 0 <= self.locality <= 3:
            raise VerifyException(
                f"'{self.name}' locality hint must be in [0, 3], got {self.locality}"
            )

    @classmethod
    def parse(cls, parser: Parser) -> PrefetchOp:
        ref = parser.parse_unresolved_operand()
        indices = parser.parse_comma_separated_list(
            Parser.Delimiter.SQUARE, parser.parse_unresolved_operand
        )
        parser.parse_punctuation(",")
        kind = parser.parse_identifier()
        if kind not in ("read", "write"):
            parser.raise_error(f"expected 'read' or 'write', got '{kind}'")
        parser.parse_punctuation(",")
        parser.parse_keyword("locality")
        parser.parse_punctuation("<")
        locality = parser.parse_integer()
        parser.parse_punctuation(">")
        parser.parse_punctuation(",")
        cache = parser.parse_identifier()
        if cache not in ("data", "instr"):
            parser.raise_error(f"expected 'data' or 'instr', got '{cache}'")
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        type_ = parser.parse_type()
        index = IndexType()
        operands = parser.resolve_operands(
            [ref, *indices], [type_, *(index for _ in indices)], parser.pos
        )
        op = cls(operands[0], operands[1:], kind == "write", locality, cache == "data")
        op.attributes.update(attributes)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.memref)
        printer.print_string("[")
        printer.print_list(self.indices, printer.print_operand)
        printer.print_string(
            f"], {'write' if self.write else 'read'}, locality<{self.locality}>, "
            f"{'data' if self.data else 'instr'}"
        )
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.memref.type)


MemrefExt = Dialect(
    "memref",
    [*memref.MemRef.operations, PrefetchOp],
    [*memref.MemRef.attributes],
)
"""xDSL's `memref` with `prefetch`."""

__all__ = ["MemrefExt", "PrefetchOp"]
