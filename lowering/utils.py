"""
The contract every `convert-*` pass keeps: `require_converted` fails the pass
at the first op of its dialect left behind, and `located_failure` builds a
pass failure that mlc-opt reports at an op's source location.
"""

from __future__ import annotations

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.utils.exceptions import PassFailedException


def require_converted(module: ModuleOp, dialect_name: str, pass_name: str) -> None:
    """
    Fail `pass_name`, naming the first op of `dialect_name` left in `module`.

    The exception carries the op (`error.op`), which mlc-opt's diagnostics
    turn into `file:line:col: error: ...` from the op's parsed location."""
    prefix = dialect_name + "."
    for op in module.walk():
        if op.name.startswith(prefix):
            raise located_failure(op, f"{pass_name} could not lower '{op.name}'")


# xdsl-gap(0.74): diagnostic-exception-op — no op attached
def located_failure(op: Operation, message: str) -> PassFailedException:
    """
    A pass failure at `op`, whose parsed location mlc-opt's diagnostics turn
    into `file:line:col: error: <message>` (they read `error.op`)."""
    error = PassFailedException(message)
    error.op = op  # pyright: ignore[reportAttributeAccessIssue]
    return error
