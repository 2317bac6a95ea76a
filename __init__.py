"""
mlc: a multi-level machine-learning compiler on xDSL.

A model in its development form (graph-dialect IR text, an ONNX file, a
PyTorch module) is lowered level by level — graph, tensor, loop, LLVM — to
native code. See README.md and docs/architecture.md.

The public API: `mlc.compile(source, entry=None, opt_level=3)` returns a
`CompiledModule` callable on numpy arrays (a `DynamicModule`, compiled per
input shape, for a model with symbolic dimensions); a bad argument raises
`mlc.InputError`, a source that cannot be compiled `mlc.CompileError`.
`mlc.import_onnx` and `mlc.import_torch` bring models in with their
parameters attached, ready for `mlc.compile`. Every name is imported on first
use (the runtime loads LLVM, the frontends ONNX or PyTorch), so `import mlc`
and `mlc-opt` start fast.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlc.frontend import import_onnx, import_torch
    from mlc.runtime.compiled import CompiledModule, compile
    from mlc.runtime.signature import CompileError, InputError, OutOfMemoryError
    from mlc.runtime.specialize import DynamicModule

__version__ = "0.1.0"

_LAZY = {
    "compile": "mlc.runtime.compiled",
    "CompiledModule": "mlc.runtime.compiled",
    "DynamicModule": "mlc.runtime.specialize",
    "CompileError": "mlc.runtime.signature",
    "InputError": "mlc.runtime.signature",
    "OutOfMemoryError": "mlc.runtime.signature",
    "import_onnx": "mlc.frontend",
    "import_torch": "mlc.frontend",
}


def __getattr__(name: str) -> object:
    """The API's names, imported from the runtime and the frontends on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mlc' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "CompileError",
    "CompiledModule",
    "DynamicModule",
    "InputError",
    "OutOfMemoryError",
    "compile",
    "import_onnx",
    "import_torch",
]
