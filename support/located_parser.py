"""
An xDSL `Parser` that records where each op was written.

xDSL 0.74 leaves every op parsed without an explicit `loc(...)` at
`loc(unknown)`, so a verifier error cannot say where the bad op is. Like
MLIR's parser, `LocatedParser` gives such an op a
`FileLineColLoc(file, line, col)` of its name token: the `graph.add` in
`%1 = graph.add ...` and the `"arith.addf"` of a generic op, which is the
column mlir-opt reports. A `line_offset` keeps the lines of a
`--split-input-file` chunk those of the whole file.

An exception other than `ParseError` raised while an op's custom format is
parsed (a `VerifyException` from a builder, say) becomes a `ParseError` at
that op's name, so it too is one located diagnostic. Two more of mlir-opt's
ways: a use of an undefined value is reported at its first use (xDSL reports
it at the end of the input), and an input with no ops is an empty module.

Resource handles: xDSL 0.74 keeps `dialect_resources` blobs in the context's
dialect object, renames a handle already declared there (a second parse of
`dense_resource<blob_0>` in one context declares `blob_0_0`), but then looks
the *written* name up again when it reads the `dialect_resources` section, so
the blob lands under a third name and the attribute's handle stays empty.
`LocatedParser` maps each written handle to the name it was declared under,
once per parse, so a model's attributes and its blobs always agree, and two
models using the same handle name in one process keep their own blobs.
"""

from __future__ import annotations

import dataclasses
import re

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    FileLineColLoc,
    IntAttr,
    LocationAttr,
    ModuleOp,
    StringAttr,
)
from xdsl.ir import AttributeInvT, Operation, SSAValue
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.parser.generic_parser import ParserState
from xdsl.utils.exceptions import DiagnosticException, ParseError
from xdsl.utils.lexer import Input, Span
from xdsl.utils.mlir_lexer import MLIRLexer, MLIRTokenKind

from mlc.support.diagnostics import DiagnosticError, from_parse_error
from mlc.support.verifier import verify_located


class LinearTimeLexer(MLIRLexer):
    """xDSL's MLIR lexer with a string-literal regex that cannot backtrack."""

    # xdsl-gap(0.74): lexer-string-backtracking — exponential regex
    # xDSL 0.74 nests `+` inside `*` here, which backtracks exponentially on an
    # unterminated string literal (mlc-opt hung); this equivalent is linear.
    _unescaped_characters_regex = re.compile(
        r'"(?:[^"\\\n\v\f]|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*"'
    )


# xdsl-gap(0.74): op-locations — loc(unknown)
class LocatedParser(Parser):
    """`Parser` whose ops carry `FileLineColLoc`s of their name tokens."""

    def __init__(
        self, ctx: Context, text: str, name: str, line_offset: int = 0
    ) -> None:
        super().__init__(ctx, "", name)
        self._parser_state = ParserState(LinearTimeLexer(Input(text, name)))
        self.line_offset = line_offset
        self._op_name_spans: list[Span[str]] = []
        self._last_explicit_location: LocationAttr | None = None
        self._first_uses: dict[str, Span[str]] = {}
        self._resource_keys: dict[tuple[str, str], str] = {}

    def parse_module(self, allow_implicit_module: bool = True) -> ModuleOp:
        """The module; an input without ops (only comments) is an empty one."""
        if allow_implicit_module and self._current_token.kind is MLIRTokenKind.EOF:
            return ModuleOp([])
        try:
            return super().parse_module(allow_implicit_module)
        except ParseError as error:
            located = self._undefined_value_error() or error
            located.span = dataclasses.replace(
                located.span, line_offset=self.line_offset
            )
            raise located from None

    def _parse_dialect_resource_handle(
        self, dialect_name: str, interface: OpAsmDialectInterface
    ) -> str:
        # xdsl-gap(0.74): dense-resource-reparse — blob under a third name
        # (see the module docstring): one declared name per written handle and
        # parse.
        key = self.parse_identifier(" for resource handle")
        declared = self._resource_keys.get((dialect_name, key))
        if declared is None:
            declared = interface.declare_resource(key)
            self._resource_keys[(dialect_name, key)] = declared
            self.dialect_resources.add((dialect_name, declared))
        return declared

    def resolve_operand(
        self, operand: UnresolvedOperand, type: AttributeInvT
    ) -> SSAValue[AttributeInvT]:
        if operand.operand_name not in self.ssa_values:
            self._first_uses.setdefault(operand.operand_name, operand.span)
        return super().resolve_operand(operand, type)

    # xdsl-gap(0.74): undefined-value-location — at end of input
    def _undefined_value_error(self) -> ParseError | None:
        """xDSL's end-of-input "values used but not defined", at the first use."""
        uses = [self._first_uses[name] for name in self.forward_ssa_references]
        if not uses:
            return None
        first = min(uses, key=lambda span: span.start)
        return ParseError(first, f"use of undeclared SSA value name {first.text}")

    def source_location(self, span: Span[str]) -> FileLineColLoc:
        """The `FileLineColLoc` of a span's start, in the whole file's lines."""
        file, line, col = span.get_location()
        return FileLineColLoc(
            StringAttr(file), IntAttr(line + self.line_offset), IntAttr(col)
        )

    def _parse_op_result_list(self) -> list[tuple[Span[str], int]]:
        results = super()._parse_op_result_list()
        # What follows the results (or starts the op) is the op name.
        self._op_name_spans.append(self._current_token.span)
        return results

    def _get_op_by_name(self, name: str) -> type[Operation]:
        try:
            return super()._get_op_by_name(name)
        except ParseError as error:
            if self._op_name_spans:  # point at the name, not past it
                error.span = self._op_name_spans[-1]
            raise

    def parse_optional_location(self) -> LocationAttr | None:
        location = super().parse_optional_location()
        if location is not None:
            self._last_explicit_location = location
        return location

    def parse_operation(self) -> Operation:
        depth = len(self._op_name_spans)
        try:
            op = super().parse_operation()
        except (DiagnosticException, ValueError) as error:
            if len(self._op_name_spans) <= depth:
                raise  # failed before the op name: not this op's error
            raise ParseError(self._op_name_spans[depth], str(error)) from error
        finally:
            name_span = (
                self._op_name_spans[depth] if len(self._op_name_spans) > depth else None
            )
            del self._op_name_spans[depth:]
        # An op's own `loc(...)` is the last location parsed before it returns.
        if name_span is not None and op.location is not self._last_explicit_location:
            op.location = self.source_location(name_span)
        return op


def parse_verified(ctx: Context, text: str, name: str) -> ModuleOp:
    """
    Parse IR text with locations and verify it op by op.

    The first error raises a `DiagnosticError` located in `name`.
    """
    try:
        module = LocatedParser(ctx, text, name).parse_module()
    except ParseError as error:
        raise DiagnosticError([from_parse_error(error)]) from None
    if errors := verify_located(module):
        raise DiagnosticError(errors[:1])
    return module
