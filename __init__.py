"""
mlc: a multi-level machine-learning compiler on xDSL.

A model in its development form (graph-dialect IR text, an ONNX file, a
PyTorch module) is lowered level by level — graph, tensor, loop, LLVM — to
native code. See README.md and DESIGN.md.

The public API: `mlc.compile(source, entry=None, opt_level=3)` returns a
`CompiledModule` callable on numpy arrays; a bad argument raises
`mlc.InputError`, a source that cannot be compiled `mlc.CompileError`.
`mlc.import_onnx` and `mlc.import_torch` bring models in with their
parameters attached, ready for `mlc.compile`. The
runtime (llvmlite) is imported on first use, so `mlc-opt` starts fast.
"""

from typing import TYPE_CHECKING

from mlc import runtime as _runtime
from mlc.frontend import import_onnx as import_onnx
from mlc.frontend import import_torch as import_torch

if TYPE_CHECKING:
    from mlc.runtime.compiled import CompiledModule, compile
    from mlc.runtime.signature import CompileError, InputError

__version__ = "0.1.0"

_FROM_RUNTIME = frozenset({"compile", "CompiledModule", "CompileError", "InputError"})


def __getattr__(name: str) -> object:
    """The runtime's names, which `mlc.runtime` imports on first use."""
    if name in _FROM_RUNTIME:
        return getattr(_runtime, name)
    raise AttributeError(f"module 'mlc' has no attribute '{name}'")


__all__ = [
    "CompileError",
    "CompiledModule",
    "InputError",
    "compile",
    "import_onnx",
    "import_torch",
]
