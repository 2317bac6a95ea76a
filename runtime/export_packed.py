"""
Packed weights in an exported library (`pack-weights`, docs/gemm.md).

The native entry reads each weight `pack-weights` stored packed in its packed
layout `Wp[ceil(N/nr)][K][nr]`. A bound one is written to the weights file
packed (`CompiledModule.native_bound`), so `NAME_init` hands it over as it is.
One left unbound keeps the user's layout in `NAME_run`'s C interface (as in
Python): the generated `NAME_run` packs it into one temporary buffer on every
call (`mlc_pack_weight` in `c/mlc_wrapper.c`) and frees it after the call.

Also here: `rename_functions`, the entry's and the other functions' names in
the library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlc.support.abi import ALIGNMENT


@dataclass(frozen=True)
class PackedInput:
    """An unbound input `NAME_run` packs: its packing and packed shape."""

    nr: int
    n_dim: int
    shape: tuple[int, ...]
    """The packed shape `(ceil(N/nr), K, nr)`."""


def unbound_packed(compiled: Any) -> dict[str, PackedInput]:
    """The unbound inputs of `compiled` its native code reads packed."""
    packing: Mapping[str, Any] = getattr(compiled, "packing", {})
    return {
        name: PackedInput(p.nr, p.n_dim, p.shape)
        for name, p in packing.items()
        if name not in compiled.bound
    }


def pack_calls(
    prefix: str,
    inputs: Mapping[str, tuple[str, tuple[int, ...]]],
    packed: Mapping[str, PackedInput],
) -> tuple[list[str], dict[str, str], list[str]]:
    """
    C lines packing `packed` (inputs: name -> C name, user shape) before the
    native call, each one's argument expression, and the lines after it.
    """
    names = [name for name in inputs if name in packed]
    if not names:
        return [], {}, []
    offsets: dict[str, int] = {}
    total = 0
    for name in names:
        offsets[name] = total
        count = 1
        for dim in packed[name].shape:
            count *= dim
        total += -(-count * 4 // ALIGNMENT) * ALIGNMENT
    before = [
        f"  float *packed = aligned_alloc({ALIGNMENT}, {total}u);",
        "  if (packed == NULL)",
        f'    return fail(ERR_MEMORY, "{prefix}_run: out of memory: could not '
        f'allocate a buffer of %llu bytes", {total}ull);',
    ]
    args: dict[str, str] = {}
    for name in names:
        c_name, shape = inputs[name]  # a filter W[F, C, KH, KW] is W[F, C*KH*KW]
        rows, cols = shape[0], math.prod(shape[1:])
        p = packed[name]
        at = f"packed + {offsets[name] // 4}"
        before.append(
            f"  mlc_pack_weight({c_name}, {at}, {rows}u, {cols}u, {p.nr}u, {p.n_dim});"
        )
        args[name] = f"(void *)({at})"
    return before, args, ["  free(packed);"]


def rename_functions(llvm_ir: str, prefix: str, entry: str) -> str:
    """
    `llvm_ir` with its functions renamed as `native_symbol` says.

    A model function called `free` or `main`, or the same entry in two
    libraries loaded together, then cannot clash; declarations (libc, libm)
    keep their names.
    """
    from mlc.runtime.export import ExportError, native_symbol
    from mlc.runtime.llvm_ir import LLVMError, parse

    try:
        module: Any = parse(llvm_ir)  # llvmlite ships no type information
    except LLVMError as error:
        raise ExportError(str(error)) from None
    found = False
    for function in module.functions:
        if function.is_declaration:
            continue
        is_entry = function.name == entry
        found = found or is_entry
        function.name = native_symbol(prefix, None if is_entry else function.name)
    if not found:
        raise ExportError(f"the LLVM IR defines no entry function @{entry}")
    return str(module)


__all__ = ["PackedInput", "pack_calls", "rename_functions", "unbound_packed"]
