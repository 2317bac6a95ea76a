"""
One-line, located diagnostics for mlc's command-line tools.

Every error a user can cause is reported as one line, `file:line:col: error:
message`, or `file: error: message` when nothing locates it (docs/architecture.md,
"Errors"). That is mlir-opt's first line, without the source excerpt and caret
it prints under it. This module turns what xDSL raises (`ParseError`,
`DiagnosticException`) and the `FileLineColLoc`s that `LocatedParser` gives
every op into such `Diagnostic` records.

A `DiagnosticException` carries no op in xDSL 0.74, so one raised by a pass is
located only when it says where: an `op` attribute holding the offending
operation (duck-typed, so a pass can attach it without importing this module),
or a message that starts with `file:line:col:`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from xdsl.dialects.builtin import (
    ArrayAttr,
    CallSiteLoc,
    FileLineColLoc,
    FusedLoc,
    NameLoc,
)
from xdsl.ir import Attribute, Operation
from xdsl.utils.exceptions import MultipleSpansParseError, ParseError


class Severity(StrEnum):
    """MLIR's diagnostic severities, spelled as they are printed."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    REMARK = "remark"


@dataclass(frozen=True)
class SourceLoc:
    """A one-based line and column in a named input."""

    file: str
    line: int
    col: int
    node: str | None = None
    """An imported model's node (`'conv1' (Conv)`), for a file without lines."""

    def __str__(self) -> str:
        if self.node is not None:
            return f"{self.file}: node {self.node}"
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """A message with its severity and, when known, where it points."""

    message: str
    loc: SourceLoc | None = None
    severity: Severity = Severity.ERROR

    def format(self, fallback_file: str) -> str:
        """`file:line:col: error: message`, or `fallback_file: error: message`."""
        where = str(self.loc) if self.loc is not None else fallback_file
        return f"{where}: {self.severity}: {one_line(self.message)}"


class DiagnosticError(Exception):
    """Diagnostics that end the processing of one input (or chunk)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = tuple(diagnostics)


def one_line(text: str) -> str:
    """The non-blank lines of `text`, stripped and joined by a space."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


_LOCATED_LINE = re.compile(
    r"[^\s:][^:\n]*(?::\d+:\d+)?(?:: node '[^'\n]*' \([^)\n]*\))?"
    r": (?:error|warning|note|remark): "
)


def is_located(line: str) -> bool:
    """Whether `line` is already a diagnostic, `where: error: message`."""
    return _LOCATED_LINE.match(line) is not None


def did_you_mean(word: str, choices: Iterable[str], prefix: str = "") -> str:
    """` (did you mean '<prefix>x'?)` for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{prefix}{close[0]}'?)" if close else ""


def location_of(location: Attribute) -> SourceLoc | None:
    """
    The file position a location attribute points to, if it has one.

    `NameLoc` and `CallSiteLoc` resolve to their child and callee, `FusedLoc`
    to its first file position, as MLIR's diagnostic printer does.
    """
    match location:
        case FileLineColLoc():
            return SourceLoc(
                location.filename.data, location.line.data, location.column.data
            )
        case NameLoc(
            desc=name,
            location=NameLoc(desc=op_type, location=FileLineColLoc() as file),
        ) if file.line.data == 0:
            # An imported model's node: loc("conv1"("Conv"("model.onnx":0:0))).
            return SourceLoc(
                file.filename.data, 0, 0, f"'{name.data}' ({op_type.data})"
            )
        case NameLoc():
            return location_of(location.location)
        case CallSiteLoc():
            return location_of(location.callee)
        case FusedLoc(locations=ArrayAttr() as children):
            for child in children.data:
                if (found := location_of(child)) is not None:
                    return found
            return None
        case _:
            return None


def op_location(op: Operation | None) -> SourceLoc | None:
    """
    The op's own source position, else that of its nearest located ancestor.

    Ops a pass creates have an unknown location; pointing at the enclosing op
    from the input is more useful than no position at all.
    """
    while op is not None:
        if (found := location_of(op.location)) is not None:
            return found
        op = op.parent_op()
    return None


def from_parse_error(error: ParseError) -> Diagnostic:
    """The parse error's message at the start of its span (its first span)."""
    file, line, col = error.span.get_location()
    message = error.msg
    if isinstance(error, MultipleSpansParseError) and error.ref_text:
        message = f"{message} ({error.ref_text.strip()})"
    return Diagnostic(message, SourceLoc(file, line, col))


_LOCATED_MESSAGE = re.compile(
    r"(?P<file>[^\s:][^:\n]*):(?P<line>\d+):(?P<col>\d+):\s*(?:error:\s*)?(?P<msg>.*)",
    re.DOTALL,
)


def from_exception(error: BaseException) -> Diagnostic:
    """
    A diagnostic for an exception raised while verifying or running a pass.

    Located by an `op` attribute on the exception, else by a leading
    `file:line:col:` in its message, else not at all.
    """
    message = str(error)
    # xdsl-gap(0.74): diagnostic-exception-op — no op attached
    op = getattr(error, "op", None)
    if isinstance(op, Operation):
        return Diagnostic(message, op_location(op))
    if (match := _LOCATED_MESSAGE.match(message)) is not None:
        loc = SourceLoc(match["file"], int(match["line"]), int(match["col"]))
        return Diagnostic(match["msg"], loc)
    return Diagnostic(message)
