"""
The JIT: machine code for an llvm-dialect module, in this process.

`jit_module` translates an llvm-dialect module to LLVM IR, optimizes it for
the host CPU and hands it to an MCJIT execution engine, which keeps the code
alive; `JitModule.address` is a function's entry point for ctypes. libc, libm
and libgcc are loaded into LLVM's symbol search, so the code may call
`aligned_alloc`, `free`, `erff`, ... and the helpers LLVM's code generator
calls (`__truncsfhf2`); an external function that still does not resolve is an
error naming it, before any code runs. Before that, a declared function or
global outside what generated code may call (`mlc.runtime.externals`) is
refused.

Compiled modules are cached in an in-process LRU keyed on the module's text,
the optimization level and the host CPU, so compiling the same IR again skips
LLVM entirely; `cache_info()` counts hits and misses (translations).
"""

# llvmlite 0.50 ships no type annotations, so its calls are untyped:
# pyright: reportUnknownMemberType=false, reportUnknownArgumentType=false
# pyright: reportUnknownVariableType=false, reportMissingTypeStubs=false

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import llvmlite.binding as llvm
from xdsl.dialects.builtin import ModuleOp

from mlc.runtime.externals import check_llvm_declarations
from mlc.runtime.llvm_ir import (
    LLVMError,
    host_cpu,
    load_runtime_libraries,
    optimize_module,
    parse,
    target_machine,
    translate_to_llvm_ir,
)
from mlc.runtime.parallel import declares_runtime, ensure_jit_runtime
from mlc.runtime.timing import CompileTimer

K = TypeVar("K")
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    """A small thread-safe least-recently-used map that counts hits and misses."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_create(self, key: K, create: Callable[[], V]) -> V:
        """The value for `key`, made by `create()` (and kept) on a miss."""
        with self._lock:
            if key in self._items:
                self.hits += 1
                self._items.move_to_end(key)
                return self._items[key]
        value = create()
        with self._lock:
            self.misses += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int


@dataclass(eq=False)
class JitModule:
    """Machine code in an execution engine; alive as long as this object is."""

    engine: llvm.ExecutionEngine
    llvm_ir: str
    """The optimized LLVM IR the engine compiled."""
    unoptimized_llvm_ir: str
    """The LLVM IR before LLVM's optimizations."""
    opt_level: int

    def address(self, name: str) -> int:
        """The entry point of function `name` (a `KeyError` when absent)."""
        address = self.engine.get_function_address(name)
        if not address:
            raise KeyError(f"no function '{name}' in the compiled module")
        return address


_CACHE: LRUCache[tuple[object, ...], JitModule] = LRUCache(maxsize=64)


def cache_info() -> CacheInfo:
    """Hits and misses (each miss is one LLVM compilation) of the JIT cache."""
    return CacheInfo(_CACHE.hits, _CACHE.misses, len(_CACHE))


def clear_cache() -> None:
    _CACHE.clear()


def cache_key(text: str, opt_level: int) -> tuple[str, int, str, str]:
    """(digest of the IR text, opt level, host CPU name, its features)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    return (digest, opt_level, *host_cpu())


def jit_module(
    module: ModuleOp,
    opt_level: int = 3,
    timer: CompileTimer | None = None,
    allow_externals: Iterable[str] = (),
) -> JitModule:
    """
    Compile an llvm-dialect `module` (cached on its text and `opt_level`).

    `allow_externals` are external functions beyond those generated code may
    call (`mlc.runtime.externals`).
    """
    allowed = frozenset(allow_externals)
    key = (*cache_key(str(module), opt_level), *sorted(allowed))
    timer = timer or CompileTimer()

    def create() -> JitModule:
        with timer.stage("llvm: translate"):
            llvm_ir = translate_to_llvm_ir(module)
        return jit_llvm_ir(llvm_ir, opt_level, timer, allowed)

    return _CACHE.get_or_create(key, create)


def jit_llvm_ir(
    llvm_ir: str,
    opt_level: int = 3,
    timer: CompileTimer | None = None,
    allow_externals: Iterable[str] = (),
) -> JitModule:
    """
    Verify, optimize at -O`opt_level` and compile LLVM IR text (no cache).

    An external function or global that compiled code may not use
    (`mlc.runtime.externals`, plus `allow_externals`) is an `LLVMError`
    naming it, before anything is compiled.
    """
    timer = timer or CompileTimer()
    load_runtime_libraries()
    machine = target_machine(opt_level, jit=True)
    with timer.stage("llvm: optimize"):
        module = parse(llvm_ir)
        _check_allowed(module, allow_externals)
        if declares_runtime(module):  # its mlc_* symbols, registered once
            ensure_jit_runtime()
        optimize_module(module, machine, opt_level)
    _check_externals(module)
    with timer.stage("llvm: codegen"):
        engine = llvm.create_mcjit_compiler(module, machine)
        engine.finalize_object()
        engine.run_static_constructors()
    return JitModule(engine, str(module), llvm_ir, opt_level)


def _check_allowed(module: llvm.ModuleRef, allow_externals: Iterable[str]) -> None:
    """Refuse a declared function or global compiled code may not use."""
    declared = [f.name for f in module.functions if f.is_declaration]
    declared += [g.name for g in module.global_variables if g.is_declaration]
    try:
        check_llvm_declarations(declared, allow_externals)
    except ValueError as error:
        raise LLVMError(str(error)) from None


def _check_externals(module: llvm.ModuleRef) -> None:
    """Fail, naming it, on an external function the process cannot provide."""
    for function in module.functions:
        if (
            function.is_declaration
            and not function.name.startswith("llvm.")
            and not llvm.address_of_symbol(function.name)
        ):
            raise LLVMError(
                f"external function '{function.name}' is not defined in this "
                "process (libc, libm)"
            )
