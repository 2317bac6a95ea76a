"""
What mlc's command-line tools share: the entry helper with its one table of
user errors, usage errors, and reading the input.

`mlc-opt`, `mlc-run` and `mlc-translate` run their work under `Tool.main`,
which turns every error a user can cause into one line on stderr and exit
code 1, in one format: `<where>: error: <message>`, where `<where>` is the
IR's `file:line:col`, the input file (or an imported model's node in it), or
the tool's name for the command line and other files. Anything else is a bug,
`<tool>: internal error: ...` (set `MLC_DEBUG=1` for its traceback). Usage
errors include argparse's own, which would otherwise exit 2 with a usage
block. The tools read their input the same way: a path or `-` for stdin, as
UTF-8, a bad byte being a one-line diagnostic.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from xdsl.utils.exceptions import DiagnosticException, ParseError

from mlc.support.diagnostics import (
    Diagnostic,
    DiagnosticError,
    from_exception,
    from_parse_error,
    is_located,
    one_line,
)
from mlc.support.pass_runner import PassCrash


class UsageError(Exception):
    """A user error without a source position: `<tool>: error: <message>`."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, whose errors are `UsageError`s (one line, exit 1)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


USER_ERRORS: tuple[tuple[str, str, str], ...] = (
    ("mlc.tools.cli", "UsageError", "tool"),
    ("mlc.support.pass_pipeline", "PipelineError", "tool"),
    ("mlc.runtime.signature", "CompileError", "input"),
    ("mlc.frontend", "UnsupportedModelError", "input"),
    ("mlc.runtime.llvm_ir", "LLVMError", "input"),
    ("mlc.runtime.signature", "InputError", "tool"),
    ("mlc.runtime.signature", "OutOfMemoryError", "tool"),
    ("mlc.runtime.weights", "WeightsError", "tool"),
    ("mlc.runtime.export", "ExportError", "tool"),
    ("builtins", "OSError", "tool"),
)
"""
The exceptions a user causes, beyond located IR diagnostics, by module and
class name, and where an unlocated message points: at the input file
(`model.onnx: error: ...`) or at the tool (`mlc-run: error: ...`).

Named, not imported, so a tool starts without loading the runtime or the
frontends: a class whose module was never imported cannot have been raised.
"""


def user_error_kind(error: BaseException) -> str | None:
    """`input` or `tool` for a user error in `USER_ERRORS`, else None."""
    for module, name, where in USER_ERRORS:
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and isinstance(error, cls):
            return where
    return None


@dataclass
class Tool:
    """One run of a command-line tool: its name and, once known, its input's."""

    prog: str
    input_name: str | None = None
    """The input as diagnostics name it; set once the arguments are parsed."""

    def main(self, body: Callable[[], int]) -> int:
        """Run `body`; its exit code, or 1 after reporting an error in one line."""
        try:
            return body()
        except BrokenPipeError:
            return reader_left()
        except Exception as error:
            line = self.error_line(error)
            if line is None:
                if os.environ.get("MLC_DEBUG"):
                    raise
                detail = one_line(
                    str(error)
                    if isinstance(error, PassCrash)
                    else f"{type(error).__name__}: {error}"
                )
                line = (
                    f"{self.prog}: internal error: {detail} (MLC_DEBUG=1 for details)"
                )
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
            return 1

    def error_line(self, error: BaseException) -> str | None:
        """The one line reporting a user error; None for a bug."""
        where = self.input_name or self.prog
        if isinstance(error, DiagnosticError):
            return error.diagnostics[0].format(where)
        if isinstance(error, ParseError):
            return from_parse_error(error).format(where)
        if isinstance(error, DiagnosticException):
            return from_exception(error).format(where)
        kind = user_error_kind(error)
        if kind is None:
            return None
        message = one_line(str(error))
        if is_located(message):
            return message  # already `where: error: ...`
        if kind == "input" and self.input_name is not None:
            message = _drop_prefix(message, self.input_name)
        return Diagnostic(message).format(where if kind == "input" else self.prog)


def _drop_prefix(message: str, name: str) -> str:
    """`message` without a leading `name: ` (the file is named once, in front)."""
    for prefix in (f"{name}: ", f"'{name}': "):
        if message.startswith(prefix):
            return message.removeprefix(prefix)
    return message


def reader_left() -> int:
    """
    The exit code after a `BrokenPipeError` on stdout (`mlc-run m.mlir | head`).

    The reader has what it wanted: stop quietly, as other filters do, and keep
    Python's final flush from failing too.
    """
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


def same_path(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file (existing or not)."""
    if str(a) == "-" or str(b) == "-":
        return False
    first, second = Path(a), Path(b)
    if first.exists() and second.exists():
        return first.samefile(second)
    return os.path.realpath(first) == os.path.realpath(second)


def check_outputs(inputs: list[str | Path], outputs: list[str | Path]) -> None:
    """
    Refuse outputs that would overwrite an input or each other.

    `-` (stdin, stdout) is never a clash.
    """
    for index, output in enumerate(outputs):
        for source in inputs:
            if same_path(output, source):
                raise UsageError(f"refusing to overwrite the input file '{source}'")
        for other in outputs[:index]:
            if same_path(output, other):
                raise UsageError(
                    f"two outputs would be written to the same file '{output}'"
                )


def add_input_shape_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """`--input-shape NAME=DxDx...`, repeatable, as every tool spells it."""
    parser.add_argument(
        "--input-shape", action="append", default=[], metavar="NAME=DxDx...", help=help
    )


def parse_input_shapes(specs: list[str]) -> dict[str, tuple[int, ...]] | None:
    """
    `--input-shape NAME=DxDx...` flags (repeatable) as `input_shapes`.

    `mlc-run` and `mlc-translate` spell shapes the same way; `NAME=` is a
    scalar. None when no flag is given.
    """
    shapes: dict[str, tuple[int, ...]] = {}
    for spec in specs:
        name, _, dims = spec.rpartition("=")
        try:
            shape = tuple(int(d) for d in dims.split("x")) if dims else ()
        except ValueError:
            shape = None
        if not name or shape is None or any(d < 0 for d in shape):
            raise UsageError(f"bad --input-shape '{spec}' (expected NAME=DxDx...)")
        if name in shapes:
            raise UsageError(f"--input-shape gives '{name}' twice")
        shapes[name] = shape
    return shapes or None
