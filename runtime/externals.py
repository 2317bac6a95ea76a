"""
Which external functions compiled code may call: the trust model's check.

A model file is data, not a program: it may compute anything from its inputs
and weights, but it must not reach the rest of the process. Code mlc
generates calls only a few C functions (the allocator, `memcpy`/`memset`,
the libm functions `convert-math-to-llvm` emits, `write`/`abort` for a failed
`cf.assert`) and mlc's own runtime (`mlc_*`). Every other external symbol a
model declares (`func.func private @system(...)`, `llvm.func @fopen(...)`,
an external `llvm.mlir.global` such as `environ`) and every inline assembly
is refused before any code is generated, as one located error, unless the
caller names it in `mlc.compile(..., allow_externals=[...])`.

The same check runs on the LLVM IR the JIT and the library export receive
(`check_llvm_declarations`), so no path reaches native code without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation

RUNTIME_PREFIX = "mlc_"
"""Symbols of mlc's own runtime (the thread pool, ...) start with this."""

_LIBM = (
    "erf expm1 log1p tan atan asin acos sinh cosh asinh acosh atanh cbrt atan2 "
    "exp exp2 expf log log2 log10 pow sqrt sin cos tanh fmod floor ceil round "
    "trunc fabs copysign fma fmin fmax rint nearbyint lround"
).split()

ALLOWED_EXTERNALS: frozenset[str] = frozenset(
    [
        # The allocator and the memory functions the lowerings call.
        "aligned_alloc",
        "malloc",
        "calloc",
        "free",
        "memcpy",
        "memmove",
        "memset",
        # A failed cf.assert writes its message to stderr and aborts.
        "write",
        "abort",
        # libm, in double and float precision.
        *_LIBM,
        *(name + "f" for name in _LIBM),
    ]
)
"""The C functions compiled code may call without an explicit opt-in."""


def is_allowed(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether compiled code may call the external symbol `name`."""
    return (
        name in ALLOWED_EXTERNALS
        or name.startswith(RUNTIME_PREFIX)
        or name.startswith("llvm.")
        or name in extra
    )


def _refusal(kind: str, name: str) -> str:
    return (
        f"{kind} '{name}' is not one mlc's generated code may call; a model "
        "may call only libm, the allocator and mlc's runtime (pass "
        f"allow_externals=['{name}'] to mlc.compile to trust it)"
    )


def refused_externals(
    module: ModuleOp, extra: Iterable[str] = ()
) -> Iterator[tuple[Operation, str]]:
    """Each declaration or op of `module` that reaches outside, and why."""
    allowed = frozenset(extra)
    external = {
        op.sym_name.data
        for op in module.walk()
        if isinstance(op, func.FuncOp | llvm.FuncOp) and not op.body.blocks
    }
    for op in module.walk():
        if (why := _refusal_of(op, external, allowed)) is not None:
            yield op, why


def _refusal_of(
    op: Operation, external: set[str], allowed: frozenset[str]
) -> str | None:
    """Why `op` reaches outside the model, or None."""
    if isinstance(op, llvm.CallOp) and op.callee is None:
        return "an indirect call (through a pointer) is not allowed in a model"
    if isinstance(op, llvm.AddressOfOp):
        name = op.global_name.root_reference.data
        if name in external:
            return f"taking the address of external function '{name}' is not allowed"
        return None
    if op.name == "llvm.inline_asm":
        return "inline assembly is not allowed in a model"
    if isinstance(op, func.FuncOp | llvm.FuncOp) and not op.body.blocks:
        kind, name = "external function", op.sym_name.data
    elif isinstance(op, llvm.GlobalOp) and _is_external_global(op):
        kind, name = "external global", op.sym_name.data
    else:
        return None
    return None if is_allowed(name, allowed) else _refusal(kind, name)


def _is_external_global(op: llvm.GlobalOp) -> bool:
    """A global defined elsewhere: no initializer and no body."""
    return op.value is None and not op.body.blocks


def check_llvm_declarations(declared: Iterable[str], extra: Iterable[str] = ()) -> None:
    """A `ValueError` naming the first declared symbol that is not allowed."""
    allowed = frozenset(extra)
    for name in declared:
        if not is_allowed(name, allowed):
            raise ValueError(_refusal("external symbol", name))


def check_externals(module: ModuleOp, name: str, allowed: frozenset[str]) -> None:
    """The first external the model may not call, as a located `CompileError`."""
    from mlc.runtime.signature import CompileError
    from mlc.support.diagnostics import Diagnostic, op_location

    for op, message in refused_externals(module, allowed):
        raise CompileError(Diagnostic(message, op_location(op)).format(name))
