"""
One shared library holding several shape variants of a model, dispatched by shape.

`DynamicModule.export_library(path, input_shapes=[{...}, {...}])` compiles one
variant per shape set and calls `export_variants`, which links them into one
`libNAME.so` whose C entry takes the model's symbolic dimensions first, as
`int64_t` values, and runs the variant built for them:

    int  NAME_init(const char *weights_path);   /* every variant's weights */
    int  NAME_run(int64_t batch, const float *x, ..., float *out0, ...);
    void NAME_free(void);
    const char *NAME_error(void);

A dimension argument is named after its symbol (`batch`; an unnamed `?`
dimension of input `x` at axis 0 is `x_dim0`), in the order the inputs first
use them. A call whose dimensions match no variant returns
`NAME_ERR_ARGUMENT` with `NAME_error()` listing the variants built. The
sizes of the arrays depend on the variant; `libNAME.h` lists each variant's.

Each variant is an ordinary library's wrapper and object
(`mlc.runtime.export`), its symbols prefixed `NAME_v<i>` and kept local to
the library by the version script; the variants share the one weights file
(parameters do not depend on the input shapes), each loading it in
`NAME_init` and refusing any file but the one exported with it (its size and
CRC-32). As for one variant, the files are staged beside their destinations
and renamed into place (weights, library, header) once all are built. A
variant returns `NAME_ERR_MEMORY` when a buffer it needs cannot be
allocated. A single shape set gives an ordinary library
(`mlc.runtime.export.export_library`).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mlc.runtime.export import (
    ExportedLibrary,
    ExportError,
    LibraryInterface,
    c_header,
    c_wrapper,
    check_prefix,
    export_library,
    find_c_compiler,
    library_interface,
    output_paths,
    prefix_for,
    rename_functions,
    staged_files,
)
from mlc.runtime.export_packed import unbound_packed
from mlc.runtime.parallel import SYMBOLS, emit_runtime_object
from mlc.runtime.weights import Digest, StagedFile, stage_weights


def export_variants(
    variants: Sequence[Any],
    path: str | os.PathLike[str],
    prefix: str | None = None,
    *,
    symbolic: Any,
    cc: str | None = None,
) -> ExportedLibrary:
    """
    Write one library for `variants` (`CompiledModule`s of one model).

    `symbolic` is the model's `SymbolicSignature` (its unbound inputs), which
    names the dimension arguments. One variant is an ordinary library.
    """
    if len(variants) == 1:
        return export_library(variants[0], path, prefix, cc)
    library = Path(path)
    if not library.parent.is_dir():
        raise ExportError(f"{library}: no such directory")
    base = check_prefix(prefix) if prefix is not None else prefix_for(path)
    dims = _dims(symbolic)
    keys = [_key(variant, symbolic) for variant in variants]
    if len(set(keys)) != len(keys):
        raise ExportError("export_library: two shape sets give the same variant")
    bound = dict(variants[0].native_bound)  # packed weights packed (docs/gemm.md)
    interfaces, objects = _build(variants, base, library, bound)
    header, weights = output_paths(library, interfaces[0])
    header_text = dispatch_header(base, interfaces, dims, keys, library.name)
    compiler = cc or find_c_compiler()
    with staged_files(library) as staged:
        digest = Digest(0, 0)
        if weights is not None:
            params = {t.name: bound[t.name] for t in interfaces[0].bound}
            staged.append(stage_weights(weights, params))
            digest = staged[-1].digest
        shared_object = _link(
            base, interfaces, objects, dims, keys, header.name, header_text,
            digest, compiler,
        )  # fmt: skip
        staged.append(StagedFile.write(library, [shared_object], mode=0o755))
        staged.append(StagedFile.write(header, [header_text.encode()]))
    return ExportedLibrary(library, header, weights, base)


def _build(
    variants: Sequence[Any], base: str, library: Path, bound: dict[str, Any]
) -> tuple[list[LibraryInterface], list[bytes]]:
    """
    Each variant's interface (symbols `base_v<i>`) and object code; one more
    object, the threads runtime, when a variant calls it.
    """
    from mlc.runtime.llvm_ir import LLVMError, emit_object

    interfaces: list[LibraryInterface] = []
    objects: list[bytes] = []
    threaded = False
    for index, variant in enumerate(variants):
        _check_same_params(bound, dict(variant.native_bound))
        signature = variant.native_signature
        interface = library_interface(
            f"{base}_v{index}",
            signature.entry,
            signature.inputs,
            signature.outputs,
            bound,
            library.name,
        )
        interface = dataclasses.replace(
            interface, status=variant.returns_status, packed=unbound_packed(variant)
        )
        if index == 0:
            output_paths(library, interface)  # before the (slow) code generation
        llvm_ir = rename_functions(
            variant.unoptimized_llvm_ir, interface.prefix, signature.entry
        )
        threaded = threaded or any(f"@{name}(" in llvm_ir for name in SYMBOLS)
        try:
            # The threads runtime is linked once, below, not into each variant.
            objects.append(emit_object(llvm_ir, variant.opt_level, with_runtime=False))
        except LLVMError as error:
            raise ExportError(f"{library}: {error}") from None
        interfaces.append(interface)
    if threaded:
        objects.append(emit_runtime_object(max(v.opt_level for v in variants)))
    return interfaces, objects


def _link(
    base: str,
    interfaces: list[LibraryInterface],
    objects: list[bytes],
    dims: list[tuple[str, str, int]],
    keys: list[tuple[int, ...]],
    header_name: str,
    header_text: str,
    digest: Digest,
    compiler: str,
) -> bytes:
    """The shared object's bytes: every variant's wrapper and code, the dispatch."""
    with tempfile.TemporaryDirectory(prefix="mlc-export-") as scratch:
        work = Path(scratch)
        sources: list[str] = []
        for extra, code in enumerate(objects[len(interfaces) :]):
            (work / f"runtime{extra}.o").write_bytes(code)
            sources.append(str(work / f"runtime{extra}.o"))
        for index, (interface, code) in enumerate(zip(interfaces, objects)):
            (work / f"v{index}.h").write_text(c_header(interface, digest))
            (work / f"v{index}.c").write_text(
                c_wrapper(interface, f"v{index}.h", digest)
            )
            (work / f"v{index}.o").write_bytes(code)
            sources += [str(work / f"v{index}.c"), str(work / f"v{index}.o")]
        (work / header_name).write_text(header_text)
        (work / "dispatch.c").write_text(
            dispatch_source(base, interfaces, dims, keys, header_name)
        )
        exports = " ".join(f"{base}_{n};" for n in ("init", "run", "free", "error"))
        (work / "exports.map").write_text(f"{{ global: {exports} local: *; }};\n")
        output = work / "library.so"
        _compile(
            [
                compiler,
                "-std=c11",
                "-shared",
                "-fPIC",
                "-O2",
                "-o",
                str(output),
                str(work / "dispatch.c"),
                *sources,
                f"-Wl,--version-script={work / 'exports.map'}",
                "-Wl,-z,noexecstack",
                "-lm",
                "-ldl",
                "-lpthread",
            ]
        )
        return output.read_bytes()


def _dims(symbolic: Any) -> list[tuple[str, str, int]]:
    names: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    for spec in symbolic.inputs:
        for axis, dim in enumerate(spec.dims):
            if isinstance(dim, int):
                continue
            name = f"{spec.name}_dim{axis}" if dim == "?" else str(dim)
            if name not in seen:
                seen.add(name)
                names.append((name, spec.name, axis))
    return names


def _key(variant: Any, symbolic: Any) -> tuple[int, ...]:
    """The values of the symbolic dimensions a variant was built for."""
    shapes = {s.name: s.shape for s in variant.signature.inputs}
    return tuple(shapes[name][axis] for _, name, axis in _dims(symbolic))


def _check_same_params(first: dict[str, Any], other: dict[str, Any]) -> None:
    if first.keys() != other.keys() or any(
        first[n].shape != other[n].shape or not np.array_equal(first[n], other[n])
        for n in first
    ):
        raise ExportError(
            "export_library: the variants bind different parameters (a parameter's "
            "shape depends on the input shapes); export them as separate libraries"
        )


def _compile(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise ExportError(f"cannot run the C compiler {command[0]}: {error}") from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[:2000]
        raise ExportError(f"the C compiler failed: {detail}")


def _parameters(interface: LibraryInterface, dims: list[tuple[str, str, int]]) -> str:
    items = [f"int64_t {name}" for name, _, _ in dims]
    for tensor in interface.inputs:
        items.append(f"const {tensor.c_type} *{tensor.c_name}")
    for tensor in interface.outputs:
        items.append(f"{tensor.c_type} *{tensor.c_name}")
    return ",\n    ".join(items)


def _variant_macros(
    g: str,
    interfaces: list[LibraryInterface],
    dims: list[tuple[str, str, int]],
    keys: list[tuple[int, ...]],
) -> str:
    """Per variant `i`: its dimensions and its arrays' element counts."""
    lines: list[str] = []
    for i, (key, interface) in enumerate(zip(keys, interfaces, strict=True)):
        lines.append(f"\n/* Variant {i} */")
        for (name, _, _), value in zip(dims, key, strict=True):
            lines.append(f"#define {g}_V{i}_{name.upper()} {value}")
        for t in (*interface.inputs, *interface.outputs):
            lines.append(
                f"#define {g}_V{i}_{t.c_name.upper()}_SIZE {t.size}u  "
                f"/* {t.name}: {t.describe()} */"
            )
    return "\n".join(lines)


def dispatch_header(
    base: str,
    interfaces: list[LibraryInterface],
    dims: list[tuple[str, str, int]],
    keys: list[tuple[int, ...]],
    library_name: str,
) -> str:
    """`libNAME.h` of a library of several variants."""
    g = base.upper()
    first = interfaces[0]
    table: list[str] = []
    for key, interface in zip(keys, interfaces, strict=True):
        values = ", ".join(f"{n} = {v}" for (n, _, _), v in zip(dims, key, strict=True))
        table.append(f" *   {values}:")
        for tensor in (*interface.inputs, *interface.outputs):
            table.append(f" *     {tensor.c_name}: {tensor.describe()}")
    return f"""\
/*
 * {library_name.removesuffix(".so")}.h: the C interface of {library_name}, \
generated by mlc.
 *
 * Model entry '{first.entry}', built for {len(interfaces)} shape variants.
 * {base}_run takes the symbolic dimensions ({", ".join(n for n, _, _ in dims)})
 * first, then the inputs and the outputs (dense, row-major, 64-byte aligned,
 * no output overlapping another argument), and runs the variant built for
 * those dimensions; for any other it returns {g}_ERR_ARGUMENT and
 * {base}_error() lists the variants. The variants and their arrays:
 *
{chr(10).join(table)}
 *
 * {base}_init(weights_path) loads the weights (NULL: the file beside the
 * library) for every variant; {base}_free releases them. Every function
 * returning int returns {g}_OK (0) on success; on failure {base}_error()
 * says why.
 */
#ifndef {g}_MLC_H
#define {g}_MLC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {{
#endif

#define {g}_OK 0
#define {g}_ERR_ARGUMENT 1
#define {g}_ERR_NOT_INITIALIZED 2
#define {g}_ERR_WEIGHTS 3
#define {g}_ERR_MEMORY 4
#define {g}_NUM_VARIANTS {len(interfaces)}
{_variant_macros(g, interfaces, dims, keys)}

int {base}_init(const char *weights_path);

int {base}_run(
    {_parameters(first, dims)});

void {base}_free(void);

const char *{base}_error(void);

#ifdef __cplusplus
}}
#endif

#endif /* {g}_MLC_H */
"""


def dispatch_source(
    base: str,
    interfaces: list[LibraryInterface],
    dims: list[tuple[str, str, int]],
    keys: list[tuple[int, ...]],
    header_name: str,
) -> str:
    """The C source of the dispatching entry points."""
    g = base.upper()
    first = interfaces[0]
    declarations: list[str] = []
    inits: list[str] = []
    frees: list[str] = []
    cases: list[str] = []
    pointers = ", ".join(t.c_name for t in (*first.inputs, *first.outputs))
    for key, interface in zip(keys, interfaces, strict=True):
        p = interface.prefix
        params = ", ".join(
            [f"const {t.c_type} *" for t in interface.inputs]
            + [f"{t.c_type} *" for t in interface.outputs]
        )
        declarations.append(
            f"int {p}_init(const char *);\nint {p}_run({params or 'void'});\n"
            f"void {p}_free(void);\nconst char *{p}_error(void);"
        )
        inits.append(
            f"  if ((code = {p}_init(weights_path)) != {g}_OK) {{\n"
            f"    last_error = {p}_error();\n    {base}_free();\n    return code;\n  }}"
        )
        frees.append(f"  {p}_free();")
        condition = " && ".join(
            f"{name} == {value}" for (name, _, _), value in zip(dims, key, strict=True)
        )
        cases.append(
            f"  if ({condition}) {{\n"
            f"    int code = {p}_run({pointers});\n"
            f"    if (code != {g}_OK) last_error = {p}_error();\n"
            f"    return code;\n  }}"
        )
    built = "; ".join(
        ", ".join(f"{n}={v}" for (n, _, _), v in zip(dims, key, strict=True))
        for key in keys
    )
    formats = ", ".join(f"{n}=%lld" for n, _, _ in dims)
    values = ", ".join(f"(long long){n}" for n, _, _ in dims)
    nl = "\n"
    return f"""\
/* The dispatching entry points of a library of shape variants, by mlc. */
#include <stdint.h>
#include <stdio.h>

#include "{header_name}"

{nl.join(declarations)}

static _Thread_local char error_text[512];
static _Thread_local const char *last_error = "";

int {base}_init(const char *weights_path) {{
  int code;
{nl.join(inits)}
  return {g}_OK;
}}

void {base}_free(void) {{
{nl.join(frees)}
}}

const char *{base}_error(void) {{ return last_error; }}

int {base}_run(
    {_parameters(first, dims)}) {{
{nl.join(cases)}
  snprintf(error_text, sizeof error_text,
           "{base}_run: no variant for {formats} (built: {built})", {values});
  last_error = error_text;
  return {g}_ERR_ARGUMENT;
}}
"""
