"""
What mlc's command-line tools share: usage errors, reading the input, and a
context that knows every dialect.

`mlc-opt`, `mlc-run` and `mlc-translate` report a usage error as one line
`<tool>: error: <message>` with exit 1 (argparse's own errors included, which
would otherwise exit 2 with a usage block), and read their input the same way:
a path or `-` for stdin, as UTF-8, a bad byte being a one-line diagnostic.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path
from typing import NoReturn

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.universe import XDSL_UNIVERSE
from xdsl.utils.exceptions import ParseError

from mlc.dialects import get_dialect_overrides
from mlc.tools.diagnostics import Diagnostic, DiagnosticError, from_parse_error
from mlc.tools.located_parser import LocatedParser
from mlc.tools.verifier import verify_located
from mlc.universe import MLC_UNIVERSE


class UsageError(Exception):
    """A user error without a source position: `<tool>: error: <message>`."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, whose errors are `UsageError`s (one line, exit 1)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def reader_left() -> int:
    """
    The exit code after a `BrokenPipeError` on stdout (`mlc-run m.mlir | head`).

    The reader has what it wanted: stop quietly, as other filters do, and keep
    Python's final flush from failing too."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def read_input_text(path: str | Path | None) -> str:
    """The UTF-8 text of `path`, or of stdin for `None` or `-`."""
    try:
        if path is None or str(path) == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"cannot open input file '{path}': {reason}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"input is not valid UTF-8 (byte {error.start})"
        raise DiagnosticError([Diagnostic(message)]) from None


def full_context() -> Context:
    """A new context with every dialect xDSL and mlc register, as mlc-opt's."""
    ctx = Context()
    dialects = XDSL_UNIVERSE.all_dialects | MLC_UNIVERSE.all_dialects
    for name, factory in (dialects | get_dialect_overrides()).items():
        ctx.register_dialect(name, factory)
    return ctx


@functools.cache
def shared_context() -> Context:
    """One full context for the process: parsing here, lowering in the runtime."""
    return full_context()


def parse_verified(text: str, name: str) -> ModuleOp:
    """
    Parse IR text with locations and verify it op by op.

    The first error raises a `DiagnosticError` located in `name`."""
    try:
        module = LocatedParser(shared_context(), text, name).parse_module()
    except ParseError as error:
        raise DiagnosticError([from_parse_error(error)]) from None
    if errors := verify_located(module):
        raise DiagnosticError(errors[:1])
    return module
