"""
The runtime of generated code: threads (the parallel-for runtime,
`parallel.ll`, and the thread count) and the buffers' allocator (`memory.ll`:
`mlc_alloc`/`mlc_free`, which keep large freed blocks for the next call).

Code that `parallelize-loops` rewrote calls `mlc_parallel_for(body, ctx, n)`
(see `parallel.ll`): it splits `[0, n)` into one chunk per thread and runs
them on a pool of workers (libc's `pthread_create`, Linux futexes; idle
workers sleep). The runtime is LLVM IR, so it goes wherever the model's code
goes without another library:

- the JIT compiles it once per process into its own execution engine, which
  lives as long as the process, and registers its `mlc_*` functions as
  symbols, so every JIT-compiled module resolves them (`ensure_jit_runtime`);
- `link_runtime` links it into a module that declares them (an exported
  library's object: it then needs only libc, libm and libpthread).

The thread count: `mlc.compile(..., num_threads=N)`, else the environment
variable `MLC_NUM_THREADS`, else the CPUs in the process's affinity mask
(`default_num_threads`). Results do not depend on it: the loops are split
only where iterations are independent, and each iteration computes the same
values on any thread.
"""

# llvmlite 0.50 ships no type annotations, so its calls are untyped:
# pyright: reportUnknownMemberType=false, reportUnknownArgumentType=false
# pyright: reportUnknownVariableType=false, reportMissingTypeStubs=false

from __future__ import annotations

import ctypes
import functools
import os
import platform
import threading
from importlib import resources

import llvmlite.binding as llvm

from mlc.support.abi import RUNTIME_ALLOC, RUNTIME_FREE

MAX_THREADS = 64
"""The pool's limit (`parallel.ll`)."""

ENV_VAR = "MLC_NUM_THREADS"

PARALLEL_FOR = "mlc_parallel_for"
SET_NUM_THREADS = "mlc_set_num_threads"
GET_NUM_THREADS = "mlc_get_num_threads"
SYMBOLS = (PARALLEL_FOR, SET_NUM_THREADS, GET_NUM_THREADS, RUNTIME_ALLOC, RUNTIME_FREE)
"""The runtime's public functions (all `mlc_*`)."""

MIN_KEPT_BYTES = 1 << 16
MAX_KEPT_BYTES = 1 << 28
"""The blocks `mlc_free` keeps for the next `mlc_alloc` (`memory.ll`): from
64 KiB (glibc serves smaller ones from its heap without page faults) to 256
MiB, at most 16 of them."""

_SYS_FUTEX = {"x86_64": 202, "amd64": 202, "aarch64": 98, "arm64": 98}


class ThreadsError(ValueError):
    """A bad thread count (`num_threads=`, `MLC_NUM_THREADS`)."""


def default_num_threads() -> int:
    """`MLC_NUM_THREADS` when set, else the CPUs this process may run on."""
    text = os.environ.get(ENV_VAR, "").strip()
    if text:
        return check_num_threads(_parse(text), ENV_VAR)
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        count = os.cpu_count() or 1
    return max(1, min(count, MAX_THREADS))


def _parse(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ThreadsError(
            f"{ENV_VAR} must be a positive integer, got {text!r}"
        ) from None


def check_num_threads(count: object, what: str = "num_threads") -> int:
    """`count` as a thread count (1 to `MAX_THREADS`), else a `ThreadsError`."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ThreadsError(f"{what} must be a positive integer, got {count!r}")
    return min(count, MAX_THREADS)


def resolve_num_threads(count: int | None) -> int:
    """The thread count for `num_threads=count` (None: the default)."""
    return default_num_threads() if count is None else check_num_threads(count)


SPINS = 1 << 17
"""Checks an idle worker (or a caller waiting for its workers) makes before
it parks: ~50-100 µs of spinning on these machines, about the gap between a
model's consecutive parallel loops, where each futex wake-up measured tens of
microseconds (ResNet-18's last convolutions: 18 parallel loops each)."""

YIELD_EVERY = 1 << 7
"""A spinning thread yields its core every this many checks (a power of 2):
two threads of the pool the scheduler put on one CPU then take turns instead
of spinning out time slices (2-thread MobileNetV2 blocks ran at 0.45 or 1.2
ms depending on where the scheduler had put the threads)."""


@functools.cache
def runtime_llvm_ir() -> str:
    """
    The runtime's LLVM IR for this host (its futex system call number):
    `parallel.ll` and `memory.ll`, one module."""
    machine = platform.machine().lower()
    if machine not in _SYS_FUTEX:
        raise OSError(f"the parallel runtime does not support {machine} yet")
    files = resources.files("mlc.runtime")
    text = "\n".join(
        files.joinpath(f).read_text() for f in ("parallel.ll", "memory.ll")
    )
    text = text.replace("@MIN_KEPT_BYTES@", str(MIN_KEPT_BYTES))
    text = text.replace("@MAX_KEPT_BYTES@", str(MAX_KEPT_BYTES))
    text = text.replace("@SPINS@", str(SPINS))
    text = text.replace("@YIELD_MASK@", str(YIELD_EVERY - 1))
    return text.replace("@SYS_FUTEX@", str(_SYS_FUTEX[machine]))


def declares_runtime(module: llvm.ModuleRef) -> bool:
    """Whether `module` calls the runtime (declares one of its functions)."""
    return any(f.is_declaration and f.name in SYMBOLS for f in module.functions)


def link_runtime(module: llvm.ModuleRef) -> None:
    """Link the runtime into `module` if it declares a runtime function."""
    if declares_runtime(module):
        runtime = llvm.parse_assembly(runtime_llvm_ir())
        runtime.triple = module.triple
        runtime.data_layout = module.data_layout
        module.link_in(runtime)


def emit_runtime_object(opt_level: int) -> bytes:
    """
    The runtime alone as an object file: one library holding several models
    (`export_variants`) links it once.
    """
    from mlc.runtime.llvm_ir import optimize_module, parse, target_machine

    machine = target_machine(opt_level)
    module = parse(runtime_llvm_ir())
    optimize_module(module, machine, opt_level)
    return machine.emit_object(module)


class _JitRuntime:
    """The process's runtime: one engine, kept for the life of the process."""

    def __init__(self) -> None:
        from mlc.runtime.llvm_ir import load_runtime_libraries, target_machine

        load_runtime_libraries()
        module = llvm.parse_assembly(runtime_llvm_ir())
        module.verify()
        machine = target_machine(2, jit=True)
        module.triple = machine.triple
        module.data_layout = str(machine.target_data)
        self.engine = llvm.create_mcjit_compiler(module, machine)
        self.engine.finalize_object()
        for name in SYMBOLS:
            llvm.add_symbol(name, self.engine.get_function_address(name))
        set_address = self.engine.get_function_address(SET_NUM_THREADS)
        get_address = self.engine.get_function_address(GET_NUM_THREADS)
        self.set_threads = ctypes.CFUNCTYPE(None, ctypes.c_int32)(set_address)
        self.get_threads = ctypes.CFUNCTYPE(ctypes.c_int32)(get_address)
        self.current = 0
        self.lock = threading.Lock()


_RUNTIME: list[_JitRuntime] = []
_RUNTIME_LOCK = threading.Lock()


def ensure_jit_runtime() -> _JitRuntime:
    """The process's runtime, compiled and its symbols registered on first use."""
    if not _RUNTIME:
        with _RUNTIME_LOCK:
            if not _RUNTIME:
                _RUNTIME.append(_JitRuntime())
    return _RUNTIME[0]


def set_jit_threads(count: int) -> None:
    """Make the process's runtime use `count` threads (cheap when unchanged)."""
    runtime = _RUNTIME[0] if _RUNTIME else ensure_jit_runtime()
    if runtime.current != count:
        runtime.set_threads(count)
        runtime.current = count


def jit_threads() -> int:
    """The thread count the process's runtime uses now."""
    return int(ensure_jit_runtime().get_threads())
