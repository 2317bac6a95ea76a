"""
Running compiled code: native code (`llvm_ir`), the JIT (`jit`), the Python
API (`compiled`: `compile`, `CompiledModule`) and argument checks
(`signature`); models with symbolic dimensions compiled per input shape
(`specialize`: `DynamicModule`); shared-library export (`export`, several
shape variants in one library: `export_variants`) and weights files
(`weights`).

The API's names are imported on first use, so importing a light submodule
(`mlc.runtime.weights`) does not load LLVM.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlc.runtime.compiled import CompiledModule, compile
    from mlc.runtime.signature import (
        CompileError,
        InputError,
        OutOfMemoryError,
        Signature,
        TensorSpec,
    )
    from mlc.runtime.specialize import DynamicModule

_LAZY = {
    "compile": "mlc.runtime.compiled",
    "CompiledModule": "mlc.runtime.compiled",
    "DynamicModule": "mlc.runtime.specialize",
    "CompileError": "mlc.runtime.signature",
    "InputError": "mlc.runtime.signature",
    "OutOfMemoryError": "mlc.runtime.signature",
    "Signature": "mlc.runtime.signature",
    "TensorSpec": "mlc.runtime.signature",
}


def __getattr__(name: str) -> object:
    """The API's names, imported on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mlc.runtime' has no attribute '{name}'")


__all__ = [
    "CompileError",
    "CompiledModule",
    "DynamicModule",
    "InputError",
    "OutOfMemoryError",
    "Signature",
    "TensorSpec",
    "compile",
]
