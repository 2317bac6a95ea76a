"""
Shared-library export: `libNAME.so`, `libNAME.h` and `libNAME.weights`.

The deployment form of DESIGN.md: a shared library with a plain C entry
point, a header that documents it, and the weights file beside it (format of
`mlc.runtime.weights`). The library needs neither Python nor any mlc library
at run time, only libc and libm.

    int  NAME_init(const char *weights_path);   /* load and check the weights */
    int  NAME_run(const float *x, ..., float *out0, ...);  /* inputs, outputs */
    void NAME_free(void);                       /* release the weights */
    const char *NAME_error(void);               /* why the last call failed */

`NAME` (the symbol prefix) is the library's file name without `lib` and the
extension (`libmlp.so` gives `mlp_*`), or the `prefix` argument.

How it is built: the compiled module's LLVM IR, its entry renamed
`NAME__mlc_entry` and its other functions `NAME__mlc_fn_<function>` (so no
model symbol can clash with libc or with a second model in the same process,
and the entry's name is a C identifier), becomes an object file (`emit_object`); a
generated C wrapper holds the entry points, which check every pointer (NULL,
64-byte alignment, outputs overlapping another argument) before the native
call, so bad input never reaches native code, and which read the weights file
into one 64-byte-aligned buffer and check every parameter's name, dtype and
shape against the model. The system C compiler (`$CC`, else `cc`, `gcc`,
`clang`) links both with `-shared -fPIC -O2 -lm` and a version script that
exports only the `NAME_*` functions. The object code is for the host CPU (it
may use AVX2, FMA, ...): export on the kind of machine that will run it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np

from mlc.dialects.graph.base import BFLOAT16
from mlc.runtime.export_packed import (
    PackedInput,
    pack_calls,
    rename_functions,
    unbound_packed,
)
from mlc.runtime.signature import Signature, TensorSpec
from mlc.runtime.weights import DTYPE_CODES, Digest, StagedFile, stage_weights
from mlc.support.narrow_types import FORMATS


class ExportError(Exception):
    """A model that cannot be exported, or a library that cannot be built."""


class CompiledLike(Protocol):
    """What export reads of `mlc.runtime.compiled.CompiledModule`."""

    @property
    def native_signature(self) -> Signature: ...
    @property
    def bound(self) -> Mapping[str, np.ndarray]: ...
    @property
    def native_bound(self) -> Mapping[str, np.ndarray]: ...
    @property
    def opt_level(self) -> int: ...
    @property
    def unoptimized_llvm_ir(self) -> str: ...
    @property
    def returns_status(self) -> bool: ...


C_TYPES: dict[np.dtype[np.generic], tuple[str, str]] = {
    np.dtype(np.float16): ("uint16_t", "f16, IEEE binary16 bits"),
    BFLOAT16: ("uint16_t", "bf16, the high half of an IEEE binary32's bits"),
    np.dtype(np.float32): ("float", "f32"),
    np.dtype(np.float64): ("double", "f64"),
    np.dtype(np.int8): ("int8_t", "i8"),
    np.dtype(np.int16): ("int16_t", "i16"),
    np.dtype(np.int32): ("int32_t", "i32"),
    np.dtype(np.int64): ("int64_t", "i64"),
    np.dtype(np.uint8): ("uint8_t", "ui8"),
    np.dtype(np.uint16): ("uint16_t", "ui16"),
    np.dtype(np.uint32): ("uint32_t", "ui32"),
    np.dtype(np.uint64): ("uint64_t", "ui64"),
    np.dtype(np.bool_): ("uint8_t", "i1, one byte 0 or 1"),
    **{f.dtype: ("uint8_t", f"{f.name}, its ml_dtypes storage byte") for f in FORMATS},
}
"""The C element type of each dtype, and how the header describes it."""

_C_KEYWORDS = frozenset(
    "auto break case char const continue default do double else enum extern "
    "float for goto if inline int long register restrict return short signed "
    "sizeof static struct switch typedef union unsigned void volatile while "
    "bool true false alignas alignof nullptr static_assert thread_local "
    "typeof".split()
)


@dataclass(frozen=True)
class Tensor:
    """One argument of the native entry, as the wrapper sees it."""

    name: str
    shape: tuple[int, ...]
    dtype: np.dtype[np.generic]
    c_name: str = ""

    @property
    def size(self) -> int:
        """The number of elements."""
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def c_type(self) -> str:
        return C_TYPES[self.dtype][0]

    @property
    def nbytes(self) -> int:
        return self.size * self.dtype.itemsize

    def describe(self) -> str:
        """`[1][784] f32, 784 elements` for the header's comments."""
        dims = "".join(f"[{d}]" for d in self.shape) or "scalar"
        return f"{dims} {C_TYPES[self.dtype][1]}, {self.size} elements"


@dataclass(frozen=True)
class LibraryInterface:
    """
    The native entry and how the library presents it.

    `arguments` are the entry's memref arguments in order (inputs, including
    bound parameters); `outputs` follow them. `params` names the arguments
    the weights file provides; `run` takes the others, then the outputs.
    """

    prefix: str
    entry: str
    arguments: tuple[Tensor, ...]
    outputs: tuple[Tensor, ...]
    params: frozenset[str] = field(default_factory=frozenset[str])
    library_name: str = "libmodel.so"
    weights_name: str = "libmodel.weights"
    status: bool = False
    """Whether the native entry returns an `int64_t` status (0, or the bytes
    it could not allocate) rather than void."""
    packed: Mapping[str, PackedInput] = field(default_factory=dict[str, PackedInput])
    """Unbound inputs `run` packs before the native call (`export_packed.py`)."""

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        """The arguments `run` takes, in order (the unbound ones)."""
        return tuple(a for a in self.arguments if a.name not in self.params)

    @property
    def bound(self) -> tuple[Tensor, ...]:
        """The arguments the weights file provides, in argument order."""
        return tuple(a for a in self.arguments if a.name in self.params)

    @property
    def native_symbol(self) -> str:
        return native_symbol(self.prefix)

    @property
    def guard(self) -> str:
        return self.prefix.upper()


def native_symbol(prefix: str, function: str | None = None) -> str:
    """
    The name a model function gets in the library (private to it).

    `NAME__mlc_entry` for the entry (`function` None), which the C wrapper
    calls, and `NAME__mlc_fn_<function>` for the others.
    """
    return (
        f"{prefix}__mlc_entry" if function is None else f"{prefix}__mlc_fn_{function}"
    )


# -- names ------------------------------------------------------------------ #

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def prefix_for(path: str | os.PathLike[str]) -> str:
    """The symbol prefix for a library file: `libmlp.so` gives `mlp`."""
    stem = Path(path).name.split(".")[0]
    stem = stem.removeprefix("lib") or stem
    name = re.sub(r"\W", "_", stem, flags=re.ASCII)
    valid = _IDENTIFIER.fullmatch(name) and name not in _C_KEYWORDS
    return name if valid else f"m_{name}"


def check_prefix(prefix: str) -> str:
    """`prefix` if it is a C identifier, else an `ExportError`."""
    if not _IDENTIFIER.fullmatch(prefix) or prefix in _C_KEYWORDS:
        raise ExportError(f"symbol prefix '{prefix}' is not a C identifier")
    return prefix


def _c_names(names: Sequence[str], taken: set[str]) -> list[str]:
    """
    A distinct C identifier for each tensor name, avoiding `taken`.

    Distinct ignoring case too, since the header's size macros are upper case;
    `taken` holds lower-case names.
    """
    result: list[str] = []
    for index, name in enumerate(names):
        c_name = re.sub(r"\W", "_", name, flags=re.ASCII) or f"arg{index}"
        if not _IDENTIFIER.fullmatch(c_name) or c_name in _C_KEYWORDS:
            c_name = f"t_{c_name}"
        while c_name.lower() in taken:
            c_name = f"{c_name}_{index}"
        taken.add(c_name.lower())
        result.append(c_name)
    return result


def _tensors(specs: Sequence[TensorSpec], taken: set[str]) -> tuple[Tensor, ...]:
    tensors: list[Tensor] = []
    names = _c_names([s.name for s in specs], taken)
    for spec, c_name in zip(specs, names, strict=True):
        dtype = np.dtype(spec.dtype)
        if dtype not in C_TYPES:
            raise ExportError(f"tensor '{spec.name}': unsupported dtype {dtype}")
        shape = tuple(spec.shape)
        if not all(d >= 0 for d in shape):
            raise ExportError(
                f"tensor '{spec.name}' has a dynamic shape {shape}: export "
                "needs static shapes"
            )
        tensors.append(Tensor(spec.name, shape, dtype, c_name))
    return tuple(tensors)


def library_interface(
    prefix: str,
    entry: str,
    arguments: Sequence[TensorSpec],
    outputs: Sequence[TensorSpec],
    params: Mapping[str, np.ndarray] | None = None,
    library_name: str = "libmodel.so",
) -> LibraryInterface:
    """
    The interface of a library for an entry with these arguments and outputs.

    `params` are the bound parameters (a subset of the argument names); their
    shapes and dtypes must match the arguments.
    """
    check_prefix(prefix)
    taken = {"weights_path"}
    args = _tensors(arguments, taken)
    outs = _tensors(outputs, taken)
    params = params or {}
    by_name = {a.name: a for a in args}
    if len(by_name) != len(args):
        raise ExportError(f"entry '{entry}' has two arguments of the same name")
    for name, value in params.items():
        if name not in by_name:
            raise ExportError(f"bound parameter '{name}' is no argument of '{entry}'")
        arg = by_name[name]
        if tuple(value.shape) != arg.shape or value.dtype != arg.dtype:
            raise ExportError(
                f"bound parameter '{name}' is {value.dtype}{list(value.shape)}, "
                f"the entry expects {arg.dtype}{list(arg.shape)}"
            )
    return LibraryInterface(
        prefix,
        entry,
        args,
        outs,
        frozenset(params),
        library_name,
        f"{Path(library_name).name.split('.')[0]}.weights",
    )


# -- the header --------------------------------------------------------------- #


def _run_parameters(interface: LibraryInterface, indent: str) -> str:
    lines: list[str] = []
    params = [(t, "const ") for t in interface.inputs]
    params += [(t, "") for t in interface.outputs]
    for index, (tensor, const) in enumerate(params):
        comma = "," if index + 1 < len(params) else ""
        role = "in" if const else "out"
        lines.append(
            f"{indent}{const}{tensor.c_type} *{tensor.c_name}{comma}"
            f"  /* {role}: {tensor.describe()} */"
        )
    return "\n".join(lines) if lines else f"{indent}void"


def _digest_lines(interface: LibraryInterface, digest: Digest | None) -> str:
    if digest is None or not interface.params:
        return ""
    g = interface.guard
    return (
        f"\n/* The weights file exported with this library; {interface.prefix}_init "
        "refuses any other. */\n"
        f"#define {g}_WEIGHTS_SIZE {digest.size}ull\n"
        f"#define {g}_WEIGHTS_CRC32 0x{digest.crc32:08X}u\n"
    )


def c_header(interface: LibraryInterface, digest: Digest | None = None) -> str:
    """The text of `libNAME.h`: the C interface, documented."""
    p, g = interface.prefix, interface.guard
    sizes = "\n".join(
        f"#define {g}_{t.c_name.upper()}_SIZE {t.size}u  /* {t.name}: {t.describe()} */"
        for t in (*interface.inputs, *interface.outputs)
    )
    if interface.params:
        init_doc = (
            f" * {p}_init(weights_path) loads the model's {len(interface.params)} "
            "parameters from the weights\n"
            f" * file (NULL: {interface.weights_name} in the library's directory) and\n"
            " * checks each one's name, dtype and shape against the model, and the\n"
            " * file's size and CRC-32 against the file exported with the library:\n"
            " * the library runs only with its own weights. A failed call keeps the\n"
            " * weights loaded before."
        )
    else:
        init_doc = (
            f" * The model has no parameters: {p}_init(NULL) succeeds and\n"
            f" * {p}_run needs no {p}_init."
        )
    return f"""\
/*
 * {interface.library_name.removesuffix(".so")}.h: the C interface of \
{interface.library_name}, generated by mlc.
 *
 * Model entry '{interface.entry}'. Typical use:
 *
 *   if ({p}_init(NULL) != {g}_OK) {{
 *     fprintf(stderr, "%s\\n", {p}_error());
 *     return 1;
 *   }}
 *   if ({p}_run(...inputs..., ...outputs...) != {g}_OK) ...
 *   {p}_free();
 *
{init_doc}
 *
 * {p}_run takes the inputs in order, then the outputs: dense row-major (C
 * order) arrays of the sizes below. Every pointer must be non-NULL and
 * 64-byte aligned (aligned_alloc(64, ...) or posix_memalign), and no output
 * may overlap another argument; otherwise {p}_run returns {g}_ERR_ARGUMENT
 * and runs nothing. {p}_run may be called from several threads at once
 * (each call uses its own scratch memory); {p}_init and {p}_free may not
 * run concurrently with anything else.
 *
 * Every function returning int returns {g}_OK (0) on success; on failure
 * {p}_error() says why (per thread).
 */
#ifndef {g}_MLC_H
#define {g}_MLC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {{
#endif

#define {g}_OK 0
#define {g}_ERR_ARGUMENT 1    /* a NULL, misaligned or overlapping pointer */
#define {g}_ERR_NOT_INITIALIZED 2  /* {p}_run before a successful {p}_init */
#define {g}_ERR_WEIGHTS 3     /* weights file unreadable, malformed, or not this \
model's */
#define {g}_ERR_MEMORY 4      /* out of memory: reading the weights, or a \
buffer {p}_run needs */

/* The number of elements of each argument of {p}_run. */
{sizes}
{_digest_lines(interface, digest)}
int {p}_init(const char *weights_path);

int {p}_run(
{_run_parameters(interface, "    ")});

void {p}_free(void);

const char *{p}_error(void);

#ifdef __cplusplus
}}
#endif

#endif /* {g}_MLC_H */
"""


# -- the wrapper ------------------------------------------------------------------ #


def _c_string(text: str) -> str:
    escaped = text.encode("utf-8").decode("ascii", "backslashreplace")
    escaped = escaped.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _param_table(interface: LibraryInterface) -> str:
    rows: list[str] = []
    for tensor in interface.bound:
        dims = ", ".join(f"{d}u" for d in tensor.shape) or "0"
        rows.append(
            f"    {{{_c_string(tensor.name)}, {DTYPE_CODES[tensor.dtype]}u, "
            f"{len(tensor.shape)}u, {{{dims}}}, {tensor.nbytes}u, "
            f"{_c_string(tensor.describe())}}},"
        )
    rank = max((len(t.shape) for t in interface.bound), default=1) or 1
    table = "\n".join(rows) or '    {"", 0u, 0u, {0}, 0u, ""},'
    return f"""\
struct param {{
  const char *name;
  uint32_t dtype, rank;
  uint64_t dims[{rank}];
  uint64_t nbytes;
  const char *description;
}};
static const struct param params[] = {{
{table}
}};
static void *param_data[NUM_PARAMS + 1];
"""


def _run_body(interface: LibraryInterface) -> str:
    p = interface.prefix
    lines = ["  if (!initialized)"]
    lines.append(
        f'    return fail(ERR_NOT_INITIALIZED, "{p}_run: {p}_init has not succeeded");'
    )
    tensors = (*interface.inputs, *interface.outputs)
    for tensor in tensors:
        lines.append(
            f"  if (check_pointer({tensor.c_name}, {_c_string(tensor.name)}) != OK)"
            " return ERR_ARGUMENT;"
        )
    for index, out in enumerate(interface.outputs):
        others = [t for t in tensors if t is not out]
        for other in others:
            if other in interface.outputs[:index]:
                continue  # checked from the other side
            lines.append(
                f"  if (overlap({out.c_name}, {out.nbytes}u, {other.c_name}, "
                f"{other.nbytes}u))"
            )
            lines.append(
                f'    return fail(ERR_ARGUMENT, "{p}_run: output '
                f"'%s' overlaps '%s'\", {_c_string(out.name)}, "
                f"{_c_string(other.name)});"
            )
    bound = {t.name: i for i, t in enumerate(interface.bound)}
    inputs = {t.name: (t.c_name, t.shape) for t in interface.inputs}
    before, packed, after = pack_calls(p, inputs, interface.packed)
    args = [
        f"param_data[{bound[a.name]}]"
        if a.name in bound
        else packed.get(a.name, f"(void *){a.c_name}")
        for a in interface.arguments
    ] + [f"(void *){o.c_name}" for o in interface.outputs]
    call = f"{interface.native_symbol}({', '.join(args)})"
    lines += before
    if not interface.status:
        lines += [f"  {call};", *after, "  return OK;"]
        return "\n".join(lines)
    lines += [f"  int64_t status = {call};", *after]
    lines.append("  if (status != 0)")
    lines.append(
        f'    return fail(ERR_MEMORY, "{p}_run: out of memory: could not '
        'allocate a buffer of %llu bytes", (unsigned long long)status);'
    )
    lines.append("  return OK;")
    return "\n".join(lines)


WRAPPER_SOURCE = "mlc_wrapper.c"
"""The model-independent C source of the entry points (package data)."""


def wrapper_source() -> str:
    """The text of `runtime/c/mlc_wrapper.c`, shipped with the package."""
    return (resources.files("mlc.runtime") / "c" / WRAPPER_SOURCE).read_text()


def model_config(interface: LibraryInterface, header_name: str, digest: Digest) -> str:
    """`mlc_model.h`: what `mlc_wrapper.c` needs to know about this model."""
    p, g = interface.prefix, interface.guard
    pointers = ", ".join(
        ["void *"] * (len(interface.arguments) + len(interface.outputs))
    )
    defines = {
        "OK": f"{g}_OK",
        "ERR_ARGUMENT": f"{g}_ERR_ARGUMENT",
        "ERR_NOT_INITIALIZED": f"{g}_ERR_NOT_INITIALIZED",
        "ERR_WEIGHTS": f"{g}_ERR_WEIGHTS",
        "ERR_MEMORY": f"{g}_ERR_MEMORY",
        "NUM_PARAMS": str(len(interface.bound)),
        "NO_PARAMS": "1" if not interface.bound else "0",
        "WEIGHTS_NAME": _c_string(interface.weights_name),
        "WEIGHTS_SIZE": f"{digest.size}ull",
        "WEIGHTS_CRC32": f"0x{digest.crc32:08X}u",
        "INIT": f"{p}_init",
        "FREE": f"{p}_free",
        "ERROR": f"{p}_error",
        "RUN_NAME": _c_string(f"{p}_run"),
        "INIT_NAME": _c_string(f"{p}_init"),
    }
    macros = "\n".join(f"#define {k} {v}" for k, v in defines.items())
    result = "int64_t" if interface.status else "void"
    return f"""\
/* The model-specific part of {interface.library_name}, generated by mlc. */
#include "{header_name}"

{macros}

/* The model's entry (LLVM IR: one pointer per memref argument; an int64_t
   status, 0 or the bytes it could not allocate, or void). */
extern {result} {interface.native_symbol}({pointers or "void"});

{_param_table(interface)}"""


def run_source(interface: LibraryInterface) -> str:
    """`mlc_run.inc`: the library's `NAME_run`, checks then the native call."""
    return f"""\
/* {interface.prefix}_run, generated by mlc. */
int {interface.prefix}_run(
{_run_parameters(interface, "    ")}) {{
{_run_body(interface)}
}}
"""


def c_wrapper(
    interface: LibraryInterface, header_name: str, digest: Digest | None = None
) -> str:
    """
    The library's entry points as one C translation unit.

    `runtime/c/mlc_wrapper.c` with its two includes of generated code
    (`mlc_model.h`, `mlc_run.inc`) replaced by their text, so several models'
    wrappers (the shape variants of `mlc.runtime.export_variants`) build in
    one folder; `digest` is the weights file's, which `NAME_init` checks.
    """
    text = wrapper_source()
    parts = {
        '#include "mlc_model.h"': model_config(
            interface, header_name, digest or Digest(0, 0)
        ),
        '#include "mlc_run.inc"': run_source(interface),
    }
    for include, code in parts.items():
        if text.count(include) != 1:
            raise ExportError(f"{WRAPPER_SOURCE}: expected one line {include}")
        text = text.replace(include, code)
    return text


# -- building ------------------------------------------------------------------ #


def find_c_compiler() -> str:
    """`$CC`, else the first of cc, gcc, clang on PATH; else an `ExportError`."""
    candidates = [os.environ["CC"]] if os.environ.get("CC") else []
    for name in [*candidates, "cc", "gcc", "clang"]:
        if (found := shutil.which(name)) is not None:
            return found
    raise ExportError(
        "no C compiler found (looked for $CC, cc, gcc, clang): install one or "
        "set CC to build a shared library"
    )


@dataclass(frozen=True)
class ExportedLibrary:
    """The files `export_library` wrote."""

    library: Path
    header: Path
    weights: Path | None
    prefix: str


def _run_compiler(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise ExportError(f"cannot run the C compiler {command[0]}: {error}") from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[:2000]
        raise ExportError(f"the C compiler failed: {detail}")


def output_paths(
    library: Path, interface: LibraryInterface
) -> tuple[Path, Path | None]:
    """
    The header and weights file written beside `library`; an `ExportError`
    when two of the three would be the same file (`export_library("x.h")`)
    or the library's path is a directory.
    """
    header = library.with_name(f"{library.name.split('.')[0]}.h")
    weights = library.with_name(interface.weights_name) if interface.bound else None
    if library.is_dir():
        raise ExportError(f"{library}: is a directory; name the library libNAME.so")
    for other in (header, weights):
        if other is not None and other.resolve() == library.resolve():
            raise ExportError(
                f"{library}: the library would overwrite its own "
                f"{'header' if other == header else 'weights file'} "
                f"'{other.name}'; name the library libNAME.so"
            )
    return header, weights


def _compile(
    interface: LibraryInterface,
    object_code: bytes,
    header_name: str,
    header_text: str,
    digest: Digest,
    compiler: str,
) -> bytes:
    """The shared object's bytes, linked in a scratch folder."""
    exports = ("init", "run", "free", "error")
    with tempfile.TemporaryDirectory(prefix="mlc-export-") as scratch:
        work = Path(scratch)
        (work / header_name).write_text(header_text)
        (work / "mlc_model.h").write_text(model_config(interface, header_name, digest))
        (work / "mlc_run.inc").write_text(run_source(interface))
        (work / WRAPPER_SOURCE).write_text(wrapper_source())
        (work / "model.o").write_bytes(object_code)
        symbols = " ".join(f"{interface.prefix}_{name};" for name in exports)
        (work / "exports.map").write_text(f"{{ global: {symbols} local: *; }};\n")
        output = work / "library.so"
        _run_compiler(
            [
                compiler,
                "-std=c11",
                "-shared",
                "-fPIC",
                "-O2",
                "-o",
                str(output),
                str(work / WRAPPER_SOURCE),
                str(work / "model.o"),
                f"-Wl,--version-script={work / 'exports.map'}",
                "-Wl,-z,noexecstack",
                "-lm",
                "-ldl",
                "-lpthread",
            ]
        )
        return output.read_bytes()


def build_library(
    interface: LibraryInterface,
    object_code: bytes,
    path: str | os.PathLike[str],
    params: Mapping[str, np.ndarray] | None = None,
    cc: str | None = None,
) -> ExportedLibrary:
    """
    Write the library, header and weights file for `interface`.

    `object_code` is a position-independent object file defining the native
    entry `interface.native_symbol`. `params` are the bound parameters'
    values (written to the weights file; no file when there are none).

    Nothing is overwritten until everything is built: each file is written
    to a temporary file beside its destination, then renamed into place,
    weights first, then the library (which records the weights' size and
    CRC-32, checked by `NAME_init`), then the header. A process killed at
    any point leaves every file either old or new, and a new library beside
    old weights refuses them.
    """
    library = Path(path)
    if not library.parent.is_dir():
        raise ExportError(f"{library}: no such directory")
    values = params or {}
    if missing := [t.name for t in interface.bound if t.name not in values]:
        raise ExportError(f"no value for bound parameter '{missing[0]}'")
    header, weights = output_paths(library, interface)
    compiler = cc or find_c_compiler()
    with staged_files(library) as staged:
        digest = Digest(0, 0)
        if weights is not None:
            bound = {t.name: values[t.name] for t in interface.bound}
            staged.append(stage_weights(weights, bound))
            digest = staged[-1].digest
        header_text = c_header(interface, digest)
        shared_object = _compile(
            interface, object_code, header.name, header_text, digest, compiler
        )
        staged.append(StagedFile.write(library, [shared_object], mode=0o755))
        staged.append(StagedFile.write(header, [header_text.encode()]))
    return ExportedLibrary(library, header, weights, interface.prefix)


@contextlib.contextmanager
def staged_files(library: Path) -> Generator[list[StagedFile]]:
    """
    The files an export stages, renamed into place together when the block
    succeeds and discarded otherwise; a write error is one `ExportError`.
    """
    staged: list[StagedFile] = []
    try:
        yield staged
        for file in staged:
            file.commit()
    except OSError as error:
        raise ExportError(
            f"{library}: cannot write: {error.strerror or error}"
        ) from None
    finally:
        for file in staged:
            file.discard()  # a no-op once committed


def export_library(
    compiled: CompiledLike,
    path: str | os.PathLike[str],
    prefix: str | None = None,
    cc: str | None = None,
) -> ExportedLibrary:
    """
    Write `compiled` as a shared library at `path`, with its header and weights.

    Files written, all in the folder of `path` (`libNAME.so`):

    - `libNAME.so`: `NAME_init`, `NAME_run`, `NAME_free`, `NAME_error` (only
      these are exported); it needs libc and libm, neither Python nor mlc.
    - `libNAME.h`: the C interface, documented: return codes, the size of
      every argument, the weights file's size and CRC-32.
    - `libNAME.weights`, when `compiled` has bound parameters: their values
      (format of `mlc.runtime.weights`). `NAME_init(NULL)` loads it from
      beside the library and refuses any other file.

    `NAME_run` takes the unbound inputs in order, then the outputs: dense
    row-major, 64-byte aligned, non-overlapping buffers; it returns
    `NAME_OK`, or `NAME_ERR_ARGUMENT` (bad pointer), `NAME_ERR_NOT_INITIALIZED`
    or `NAME_ERR_MEMORY` (a buffer it needs could not be allocated) with the
    reason in `NAME_error()`.

    Each file is written to a temporary file beside it and renamed into place
    (weights, then library, then header) only once all are built, so an
    interrupted export leaves a working deployment working (or, between the
    renames, a new library that refuses the old weights). A library path
    that would collide with its header or weights (`"x.h"`) is refused.

    `prefix` (default: `NAME`, from the file name) starts every C symbol;
    `cc` is the C compiler (default `$CC`, else cc, gcc, clang). The code is
    optimized at the module's level for the host CPU: export on the kind of
    machine that will run it.

    Example::

        import mlc

        model = mlc.compile("examples/mlp.mlir").bind(w0=w0, b0=b0, w1=w1, b1=b1)
        model.export_library("build/libmlp.so")
        # build/libmlp.so, build/libmlp.h, build/libmlp.weights; from C:
        #   if (mlp_init(NULL) != MLP_OK) { puts(mlp_error()); return 1; }
        #   if (mlp_run(x, out) != MLP_OK) { puts(mlp_error()); return 1; }
        #   mlp_free();

    Raises `ExportError` (one line) when the model cannot be exported, the
    paths collide, or no C compiler builds the library; `WeightsError` for a
    parameter the weights file cannot hold.
    """
    from mlc.runtime.llvm_ir import LLVMError, emit_object

    library = Path(path)
    symbol_prefix = check_prefix(prefix) if prefix is not None else prefix_for(path)
    # A bound weight `pack-weights` stores packed is written packed (as the
    # native code reads it), an unbound one packed by `NAME_run` per call.
    signature = compiled.native_signature
    bound = dict(compiled.native_bound)
    interface = library_interface(
        symbol_prefix,
        signature.entry,
        signature.inputs,
        signature.outputs,
        bound,
        library.name,
    )
    packed = unbound_packed(compiled)
    interface = dataclasses.replace(
        interface, status=compiled.returns_status, packed=packed
    )
    output_paths(library, interface)  # before the (slow) code generation
    llvm_ir = rename_functions(
        compiled.unoptimized_llvm_ir, symbol_prefix, signature.entry
    )
    try:
        object_code = emit_object(llvm_ir, compiled.opt_level)
    except LLVMError as error:
        raise ExportError(f"{library}: {error}") from None
    return build_library(interface, object_code, library, bound, cc)
