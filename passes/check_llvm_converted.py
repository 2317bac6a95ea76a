"""
`check-llvm-converted`: the end of the `llvm` stage; only the LLVM dialect is left.

Fails with one located line naming the first op that is neither `llvm.*` nor
the `builtin.module`, and the conversion pass that should have lowered it.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

CONVERTERS = {
    "arith": "convert-arith-to-llvm",
    "math": "convert-math-to-llvm",
    "memref": "convert-memref-to-llvm",
    "vector": "convert-vector-to-llvm",
    "cf": "convert-cf-to-llvm",
    "scf": "convert-scf-to-cf",
    "func": "convert-func-to-llvm",
    "builtin": "reconcile-unrealized-casts",
}
"""The pass responsible for each dialect of the loop level."""


@dataclass(frozen=True)
class CheckLlvmConvertedPass(ModulePass):
    """
    Check that a module is pure LLVM dialect; change nothing.

    **Input invariant**: none.

    **Output IR**: the input, unchanged, if every op is `llvm.*` (or the
    top-level `builtin.module`); otherwise the pass fails at the first other
    op, naming the pass that lowers its dialect.

    **Invariants**: the module is never changed; the pass fails exactly when
    an op outside the LLVM dialect remains, with one located line for the
    first one in walk order.
    """

    name = "check-llvm-converted"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in op.walk():
            if inner is op or inner.name.startswith("llvm."):
                continue
            dialect = inner.name.split(".")[0]
            hint = CONVERTERS.get(dialect)
            by = f" (expected {hint} to lower it)" if hint else ""
            error = PassFailedException(
                f"'{inner.name}' is not in the llvm dialect{by}"
            )
            error.op = inner  # pyright: ignore[reportAttributeAccessIssue]
            raise error
