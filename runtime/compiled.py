"""
`mlc.compile`: a model's source to a Python callable over numpy arrays.

`compile(source, entry=None, opt_level=3)` accepts a `ModuleOp`, IR text, a
path to a `.mlir` file (whose module attribute `mlc.weights = "<file>"` names
a weights file to bind, relative to the `.mlir` file) or an `.onnx` file, or
an imported model (`mlc.frontend.ImportedModel`: its parameters are bound).
It reads the entry function's `Signature` at the level the source is written
at, runs the default pipeline (`pipeline_passes("llvm")`) down to the llvm
dialect, and JIT-compiles the result (`mlc.runtime.jit`). The whole step is
cached in-process on the source's text, the entry and the optimization level,
so compiling the same IR again costs one print of the module.

A `CompiledModule` checks every argument before the native call
(`check_array`: count, dtype, shape, C-contiguity), copies an input that is
not 64-byte aligned, allocates aligned outputs, and calls the entry through
ctypes with one pointer per buffer: the inputs, then the outputs. `bind`
fixes some inputs (weights, say) once, checked at bind time.

Every error a user can cause is one line: `CompileError` for the source
(`file:line:col: error: ...` when the IR locates it; internal failures, too,
are a one-line `CompileError`) and `InputError` for the arguments of a call.
A recursive call graph is refused before lowering (`mlc.support.call_graph`).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.utils.exceptions import DiagnosticException

from mlc.runtime.externals import check_externals
from mlc.runtime.jit import JitModule, LRUCache, cache_key, jit_module
from mlc.runtime.llvm_ir import LLVMError
from mlc.runtime.lowering import lower_to_llvm
from mlc.runtime.packed import (
    Packing,
    native_inputs,
    native_signature,
    read_packing,
)
from mlc.runtime.parallel import (
    PARALLEL_FOR,
    ThreadsError,
    resolve_num_threads,
    set_jit_threads,
)
from mlc.runtime.signature import (
    CompileError,
    InputError,
    OutOfMemoryError,
    Signature,
    TensorSpec,
    check_array,
    check_entry_abi,
    check_output,
    choose_entry,
    raw_bits,
    read_signature,
)
from mlc.runtime.timing import CompileTimer
from mlc.support.abi import WEIGHTS_ATTR
from mlc.support.call_graph import recursion_diagnostic
from mlc.support.diagnostics import (
    DiagnosticError,
    from_exception,
    one_line,
)
from mlc.support.pass_runner import PassCrash

if TYPE_CHECKING:
    from os import PathLike

    from mlc.runtime.export import ExportedLibrary
    from mlc.runtime.specialize import DynamicModule
    from mlc.runtime.symbolic import Shapes

Array = np.ndarray[Any, Any]


class ImportedModelLike(Protocol):
    """What `compile` reads of `mlc.frontend.ImportedModel`."""

    @property
    def module(self) -> ModuleOp: ...
    @property
    def entry(self) -> str: ...
    @property
    def params(self) -> Mapping[str, Array]: ...


# --------------------------------------------------------------------------- #
# The native entry point
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, eq=False)
class NativeEntry:
    """A JIT-compiled entry function and the signature it was compiled for."""

    signature: Signature
    jit: JitModule
    function: Callable[..., None]
    """The entry through ctypes: one `void *` per input, then per output."""
    parallel: bool = False
    """Whether the code calls the parallel-for runtime."""
    status: bool = False
    """Whether the entry returns an `i64` status: 0, or the bytes it could
    not allocate (`convert-func-to-llvm`); hand-written llvm IR returns void."""
    packing: tuple[Packing | None, ...] = ()
    """Per input: stored packed (`pack-weights`, `runtime/packed.py`), or None."""

    @property
    def llvm_ir(self) -> str:
        return self.jit.llvm_ir

    @property
    def unoptimized_llvm_ir(self) -> str:
        return self.jit.unoptimized_llvm_ir

    @property
    def opt_level(self) -> int:
        return self.jit.opt_level


_ENTRIES: LRUCache[tuple[str, int, str, str, str], NativeEntry] = LRUCache(64)


class CompiledModule:
    """
    A compiled entry function, callable on numpy arrays.

    `mlc.compile` returns one. `module(*inputs)` takes the inputs not bound
    yet, in the entry's order, and returns one array, or a tuple for several
    outputs. Every argument is checked before the native call (count, dtype,
    shape; lists and scalars are converted when the kind matches): a mismatch
    raises `mlc.InputError`, naming the argument. An input not 64-byte aligned
    is copied; the outputs are new aligned arrays.

    `signature` lists the inputs still to be given and the outputs (names,
    shapes, dtypes), `full_signature` every input in ABI order, `bound` the
    bound inputs; `llvm_ir` and `unoptimized_llvm_ir` are the code the JIT
    compiled. `bind` fixes inputs (weights) once; `export_library` writes the
    model as a C shared library.

    Example:
        >>> import numpy as np, mlc
        >>> model = mlc.compile("examples/mlp.mlir")
        >>> model.signature.entry, [s.name for s in model.signature.inputs]
        ('mlp', ['x', 'w0', 'b0', 'w1', 'b1'])
        >>> rng = np.random.default_rng(0)
        >>> args = [rng.standard_normal(s.shape).astype(s.dtype)
        ...         for s in model.signature.inputs]
        >>> model(*args).shape
        (1, 10)
    """

    def __init__(
        self,
        native: NativeEntry,
        bound: Mapping[str, Array] | None = None,
        num_threads: int = 1,
    ) -> None:
        self._native = native
        self.num_threads = num_threads
        """Threads the parallel loops run on (`mlc.compile(num_threads=)`)."""
        self.compile_timing: dict[str, float] = {}
        """Seconds per compile stage (empty when the JIT cache had the code)."""
        self._bound: dict[str, Array] = dict(bound or {})
        full = native.signature
        packing = native.packing or (None,) * len(full.inputs)
        self._native_bound = native_inputs(full, packing, self._bound)
        self._packing = packing
        self.signature = Signature(
            full.entry,
            tuple(s for s in full.inputs if s.name not in self._bound),
            full.outputs,
        )
        # The argument list's template: each bound input's address (the arrays
        # stay in `_bound`), and None in the slots each call fills: the
        # unbound inputs in order, then the outputs.
        template: list[int | None] = [
            int(self._native_bound[s.name].ctypes.data)
            if s.name in self._bound
            else None
            for s in full.inputs
        ]
        self._slots = [i for i, a in enumerate(template) if a is None]
        self._template = template + [None] * len(full.outputs)
        # Per unbound input: (slot, dtype, shape), checked in one pass (a
        # packed one's shape never matches: it takes the full path, packed).
        self._expect = [
            (slot, spec.dtype, () if packing[slot] else spec.shape)
            for slot, spec in zip(self._slots, self.signature.inputs, strict=True)
        ]
        self._out_start = len(full.inputs)
        self._outputs = [(s.shape, s.dtype) for s in full.outputs]
        self._buffers = [
            ctypes.c_char * (int(np.prod(s.shape, dtype=np.int64)) * s.dtype.itemsize)
            for s in full.outputs
        ]
        self._nbytes = [
            int(np.prod(s.shape, dtype=np.int64)) * s.dtype.itemsize
            for s in (*full.inputs, *full.outputs)
        ]
        # The last array seen in each slot and its address: reading an
        # array's address (`.ctypes.data`) costs a microsecond, and a caller
        # usually passes the same buffers again. Holding the array keeps its
        # address valid (numpy refuses to resize a referenced array).
        self._seen: list[tuple[object, int]] = [(None, 0)] * len(self._template)
        # Overlap checks for out= read the inputs' addresses (ints).

    @property
    def entry(self) -> str:
        return self.signature.entry

    @property
    def full_signature(self) -> Signature:
        """The entry's signature with the bound inputs too, in ABI order."""
        return self._native.signature

    @property
    def bound(self) -> Mapping[str, Array]:
        """The bound inputs by name (64-byte aligned, checked)."""
        return MappingProxyType(self._bound)

    @property
    def packing(self) -> Mapping[str, Packing]:
        """The inputs the native code reads packed (`pack-weights`), by name."""
        specs = self.full_signature.inputs
        return {s.name: p for s, p in zip(specs, self._packing) if p is not None}

    @property
    def native_signature(self) -> Signature:
        """`full_signature` with each bound input's shape as `native_bound`'s."""
        specs = self.full_signature.inputs
        bound = [
            p if s.name in self._bound else None for s, p in zip(specs, self._packing)
        ]
        return native_signature(self.full_signature, bound)

    @property
    def native_bound(self) -> Mapping[str, Array]:
        """The bound inputs as the native code reads them (packed where it does)."""
        return MappingProxyType(self._native_bound)

    @property
    def opt_level(self) -> int:
        return self._native.opt_level

    @property
    def llvm_ir(self) -> str:
        """The LLVM IR the JIT compiled, optimized for the host CPU."""
        return self._native.llvm_ir

    @property
    def unoptimized_llvm_ir(self) -> str:
        """The LLVM IR translated from the llvm dialect, before LLVM's passes."""
        return self._native.unoptimized_llvm_ir

    @property
    def returns_status(self) -> bool:
        """Whether the native entry returns an out-of-memory status."""
        return self._native.status

    def __repr__(self) -> str:
        return f"<CompiledModule {self.signature} -O{self.opt_level}>"

    def __call__(
        self, *args: object, out: Array | Sequence[Array] | None = None
    ) -> Array | tuple[Array, ...]:
        """
        Run on `args` (the unbound inputs, in order). The outputs are new
        arrays, or written into `out` (an array, or a sequence of one per
        output) and returned.
        """
        if len(args) != len(self._expect):
            specs = self.signature.inputs
            names = ", ".join(s.name for s in specs)
            raise InputError(
                f"@{self.entry} takes {len(specs)} input(s) ({names}), got {len(args)}"
            )
        addresses: list[Any] = self._template.copy()
        seen = self._seen
        keep: list[Array] = []  # converted inputs, alive until the call returns
        for (slot, dtype, shape), arg in zip(self._expect, args):
            last, address = seen[slot]
            if arg is last:
                addresses[slot] = address
            elif (
                type(arg) is np.ndarray
                and arg.dtype == dtype
                and arg.shape == shape
                and arg.flags.c_contiguous
            ):
                addresses[slot] = address = arg.ctypes.data
                seen[slot] = (arg, address)
            else:  # the full check: conversions, and the one-line error
                index = self._slots.index(slot)
                spec = self.signature.inputs[index]
                array = check_array(spec, arg, _what(spec, index))
                if (packed := self._packing[slot]) is not None:
                    array = packed.pack(array)
                keep.append(array)
                addresses[slot] = array.ctypes.data
        if out is not None:
            return self._call_into(addresses, out)
        outputs = [np.empty(shape, dtype) for shape, dtype in self._outputs]
        start = self._out_start
        for index, (array, buffer) in enumerate(zip(outputs, self._buffers)):
            # A ctypes array over the output's memory passes as its address,
            # at half the cost of reading `.ctypes.data`. (ml_dtypes' types have
            # no buffer format: `raw_bits` views their bits as unsigned ints.)
            raw = array if array.dtype.isbuiltin == 1 else raw_bits(array)
            addresses[start + index] = buffer.from_buffer(raw)  # pyright: ignore[reportArgumentType]
        self._run(addresses)
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def _call_into(
        self, addresses: list[Any], out: Array | Sequence[Array]
    ) -> Array | tuple[Array, ...]:
        """The call with caller-given outputs (`out=`), each checked."""
        specs = self.signature.outputs
        given: list[object] = [out] if isinstance(out, np.ndarray) else list(out)
        if len(given) != len(specs):
            raise InputError(
                f"@{self.entry} has {len(specs)} output(s), out= gives {len(given)}"
            )
        results: list[Array] = []
        for index, (spec, value) in enumerate(zip(specs, given, strict=True)):
            slot = self._out_start + index
            last, address = self._seen[slot]
            if value is last:
                array = cast(Array, value)
            else:
                array = check_output(spec, value, f"out #{index} '{spec.name}'")
                address = int(array.ctypes.data)
                self._seen[slot] = (array, address)
            addresses[slot] = address
            results.append(array)
        self._check_overlap(addresses, results)
        self._run(addresses)
        return results[0] if len(results) == 1 else tuple(results)

    def _check_overlap(self, addresses: list[Any], outputs: list[Array]) -> None:
        """An `out=` array overlapping another argument never reaches native code."""
        start = self._out_start
        sizes = self._nbytes
        for index, array in enumerate(outputs):
            low = addresses[start + index]
            high = low + array.nbytes
            for other, address in enumerate(addresses):
                if other == start + index or not sizes[other]:
                    continue
                other_low = address if isinstance(address, int) else 0
                if other_low < high and low < other_low + sizes[other]:
                    name = self.signature.outputs[index].name
                    raise InputError(
                        f"out #{index} '{name}' overlaps another argument (outputs "
                        "must not share memory with inputs or other outputs)"
                    )

    def _run(self, addresses: list[Any]) -> None:
        if self._native.parallel:
            set_jit_threads(self.num_threads)
        status = self._native.function(*addresses)
        if status:  # the bytes a buffer needed (convert-func-to-llvm)
            raise OutOfMemoryError(self.entry, status)

    def bind(
        self, params: Mapping[str, object] | None = None, /, **named: object
    ) -> CompiledModule:
        """
        A callable sharing the native code, with some inputs fixed by name.

        `params` (a mapping, e.g. `mlc.runtime.weights.load_weights(path)`)
        and the keyword arguments name the inputs to fix. Each value is checked
        now (an `InputError` names the parameter, and an unknown or already
        bound name); the new module takes the inputs left unbound, in order,
        and `self` is unchanged. A 64-byte-aligned array is used in place, not
        copied: later writes to it are seen; except a weight the code stores
        packed (`pack-weights`, `packing`), packed once, here.

        Example:
            >>> import numpy as np, mlc
            >>> model = mlc.compile("examples/mlp.mlir")
            >>> weights = {s.name: np.zeros(s.shape, s.dtype)
            ...            for s in model.signature.inputs if s.name != "x"}
            >>> run = model.bind(weights)
            >>> [s.name for s in run.signature.inputs]
            ['x']
            >>> run(np.ones((1, 1, 28, 28), np.float32))
            array([[0., 0., 0., 0., 0., 0., 0., 0., 0., 0.]], dtype=float32)
        """
        values = {**(params or {}), **named}
        unbound = {spec.name: spec for spec in self.signature.inputs}
        bound = dict(self._bound)
        for name, value in values.items():
            spec = unbound.get(name)
            if spec is None:
                why = "is already bound" if name in self._bound else "is no input"
                names = ", ".join(unbound) or "none"
                raise InputError(
                    f"bind: '{name}' {why} of @{self.entry} (unbound inputs: {names})"
                )
            bound[name] = check_array(spec, value, f"bind: parameter '{name}'")
        return CompiledModule(self._native, bound, self.num_threads)

    def export_library(
        self, path: str | PathLike[str], prefix: str | None = None
    ) -> ExportedLibrary:
        """
        Write a shared library, its C header and the bound weights.

        See `mlc.runtime.export.export_library`; `prefix` names the C symbols.
        """
        from mlc.runtime.export import export_library

        return export_library(self, path, prefix)


def _what(spec: TensorSpec, index: int) -> str:
    return f"argument #{index} '{spec.name}'"


# --------------------------------------------------------------------------- #
# compile
# --------------------------------------------------------------------------- #


def compile(
    source: ModuleOp | str | PathLike[str] | ImportedModelLike,
    entry: str | None = None,
    opt_level: int = 3,
    num_threads: int | None = None,
    timing: bool = False,
    progress: bool = False,
    input_shapes: Shapes | None = None,
    allow_externals: Iterable[str] = (),
) -> CompiledModule | DynamicModule:
    """
    Compile a model to native code and return it as a Python callable.

    `source` is any of:

    - a `ModuleOp` (cloned, not changed) or IR text, at any level (graph,
      tensor, loop or llvm);
    - a path (`str` or `os.PathLike`) to a `.mlir` file, whose module
      attribute `mlc.weights = "<file>"` names a weights file (relative to the
      `.mlir`) to bind, or to an `.onnx` file (imported with
      `mlc.import_onnx`, its parameters bound);
    - an imported model (`mlc.import_onnx(...)`, `mlc.import_torch(...)`),
      whose parameters are bound;
    - an `onnx.ModelProto`.

    `entry` names the function to compile (default: the only public one);
    `opt_level` (0-3) is LLVM's optimization level. The module is verified,
    its call graph checked (a recursive one is refused), lowered through the
    default pipeline (`graph-to-llvm`) and JIT-compiled for this CPU. The
    result is cached in-process on the IR text, the entry and the level.

    `num_threads`: the threads its parallel loops run on (None: the
    environment variable `MLC_NUM_THREADS`, else the CPUs in the process's
    affinity mask). `timing`: print where the compile's time went (each
    pipeline level, each LLVM step) on stderr and keep it in
    `compile_timing`; `progress`: a line per stage on stderr once the
    compile runs longer than two seconds. `input_shapes` (input name to a
    tuple of sizes) fixes inputs' symbolic dimensions; a source left with
    symbolic dimensions (an ONNX `dim_param`, `tensor<?x4xf32>`) compiles to
    a `mlc.runtime.specialize.DynamicModule`, which compiles a variant per
    concrete input shape on first call.

    Raises `CompileError` with one line (`file:line:col: error: ...` when
    the IR locates it) for anything that stops the compilation, internal
    failures and an external function that is not allowed (the model may
    call only libm, the allocator and mlc's runtime, `mlc.runtime.externals`,
    plus the names in `allow_externals`) included; `InputError` when an
    imported model's parameters do not match the entry; `UnsupportedModelError`
    for an ONNX model the importer cannot take; `ImportError` when `onnx` is
    not installed; `ValueError`/`TypeError` for a bad `opt_level`,
    `num_threads` or `source` type.

    Example:
        >>> import numpy as np, mlc
        >>> add = mlc.compile('''
        ... func.func @add(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
        ...   %0 = graph.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
        ...   func.return %0 : tensor<2xf32>
        ... }''')
        >>> add(np.ones(2, np.float32), np.full(2, 2, np.float32))
        array([3., 3.], dtype=float32)
    """
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, got {opt_level!r}")
    from mlc.runtime.specialize import is_dynamic_torch, is_onnx_model

    if not (
        _is_imported_model(source)
        or is_onnx_model(source)
        or is_dynamic_torch(source)
        or isinstance(source, ModuleOp | str | Path)
        or hasattr(source, "__fspath__")
    ):
        raise TypeError(
            "mlc.compile: source must be a ModuleOp, IR text, a .mlir or .onnx "
            f"path or an ImportedModel, got {type(source).__name__}"
        )
    try:
        threads = resolve_num_threads(num_threads)
    except ThreadsError as error:
        raise ValueError(f"mlc.compile: {error}") from None
    name = _source_name(source)
    timer = CompileTimer(progress=progress or timing)
    allowed = [allow_externals] if isinstance(allow_externals, str) else allow_externals
    try:
        options = _Options(opt_level, threads, timer, input_shapes, frozenset(allowed))
        compiled = _compile_source(source, entry, options)
    except (CompileError, InputError, ImportError):
        raise  # ImportError: an optional extra (onnx) is not installed
    except RecursionError:
        raise CompileError(
            f"{name}: error: the IR nests too deeply for mlc (more than "
            f"Python's recursion limit, {sys.getrecursionlimit()}, allows)"
        ) from None
    except Exception as error:
        from mlc.frontend import UnsupportedModelError

        if isinstance(error, UnsupportedModelError):
            raise  # the importer's own one-line user error
        detail = one_line(f"{type(error).__name__}: {error}")
        raise CompileError(f"{name}: internal error: {detail}") from error
    compiled.compile_timing = dict(timer.stages)
    if timing:
        sys.stderr.write(timer.report())
    return compiled


@dataclass(frozen=True)
class _Options:
    opt_level: int
    num_threads: int
    timer: CompileTimer
    input_shapes: Shapes | None = None
    """Shapes for symbolic dims (`runtime/specialize.py`), None for none."""
    allowed: frozenset[str] = frozenset()
    """External functions the caller allows beyond `mlc.runtime.externals`."""


def _source_name(source: object) -> str:
    """How diagnostics name the source: its path, or `<string>`, `<module>`..."""
    if _is_imported_model(source) or type(source).__name__ in (
        "ModelProto",
        "DynamicTorchModel",
    ):
        return "<model>"
    if isinstance(source, ModuleOp):
        return "<module>"
    if isinstance(source, str) and ("\n" in source or "{" in source):
        return "<string>"
    return str(source)


def _compile_source(
    source: ModuleOp | str | PathLike[str] | ImportedModelLike,
    entry: str | None,
    options: _Options,
) -> CompiledModule | DynamicModule:
    from mlc.runtime import specialize

    if specialize.is_onnx_model(source):
        return specialize.compile_onnx(cast(Any, source), entry, options)
    if specialize.is_dynamic_torch(source):
        return specialize.compile_torch(source, options)
    timer = options.timer
    if _is_imported_model(source):
        model: Any = source
        with timer.stage("verify"):
            module = verified(model.module.clone(), "<model>")
        compiled = _compile_module(module, entry or model.entry, options, "<model>")
        return compiled.bind(dict(model.params))
    if isinstance(source, ModuleOp):
        with timer.stage("verify"):
            module = verified(source.clone(), "<module>")
        return _compile_module(module, entry, options, "<module>")
    if isinstance(source, str) and ("\n" in source or "{" in source):
        with timer.stage("parse"):
            module = parse_ir(source, "<string>")
        return _compile_module(module, entry, options, "<string>")
    return _compile_path(Path(source), entry, options)  # pyright: ignore[reportArgumentType]


def _is_imported_model(source: object) -> bool:
    return all(hasattr(source, a) for a in ("module", "entry", "params")) and (
        isinstance(getattr(source, "module"), ModuleOp)
    )


def _compile_path(
    path: Path, entry: str | None, options: _Options
) -> CompiledModule | DynamicModule:
    if path.suffix == ".onnx":
        from mlc.runtime.specialize import compile_onnx

        return compile_onnx(path, entry, options)
    try:
        text = path.read_text()
    except OSError as error:
        raise CompileError(f"{path}: error: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise CompileError(
            f"{path}: error: not IR text (invalid UTF-8 at byte {error.start})"
        ) from None
    if path.suffix != ".mlir":
        raise CompileError(
            f"{path}: error: unknown model format '{path.suffix}' (expected a "
            ".mlir or .onnx file, or IR text)"
        )
    with options.timer.stage("parse"):
        module = parse_ir(text, str(path))
    weights = module.attributes.get(WEIGHTS_ATTR)
    compiled = _compile_module(module, entry, options, str(path))
    if weights is None:
        return compiled
    if not isinstance(weights, StringAttr):
        raise CompileError(f"{path}: error: {WEIGHTS_ATTR} must be a string")
    from mlc.runtime.weights import WeightsError, load_weights, resolve_weights_name

    weights_path = path
    try:
        weights_path = resolve_weights_name(path, weights.data)
        return compiled.bind(load_weights(weights_path))
    except WeightsError as error:  # its message names the file
        raise CompileError(str(error)) from None
    except InputError as error:
        raise CompileError(f"{weights_path}: error: {error}") from None


def parse_ir(text: str, name: str) -> ModuleOp:
    """Parse and verify IR text; the first error as a located `CompileError`."""
    from mlc.support.located_parser import parse_verified
    from mlc.universe import shared_context

    try:
        return parse_verified(shared_context(), text, name)
    except DiagnosticError as error:
        raise CompileError(error.diagnostics[0].format(name)) from None


def verified(module: ModuleOp, name: str) -> ModuleOp:
    """`module`, or its first verifier error as a located `CompileError`."""
    from mlc.support.verifier import verify_located

    if errors := verify_located(module):
        raise CompileError(errors[0].format(name))
    return module


def _compile_module(
    module: ModuleOp, entry: str | None, options: _Options, name: str
) -> CompiledModule | DynamicModule:
    """Compile `module` (owned: it is lowered in place) at its entry."""
    if (recursion := recursion_diagnostic(module)) is not None:
        raise CompileError(recursion.format(name))
    check_externals(module, name, options.allowed)
    entry = choose_entry(module, entry)
    # Symbolic dimensions or shapes given: specialized (runtime/specialize.py).
    from mlc.runtime.specialize import compile_ir

    if (special := compile_ir(module, entry, options, name)) is not None:
        return special
    text = str(module)
    key = (*cache_key(text, options.opt_level), entry)
    native = _ENTRIES.get_or_create(
        key,
        lambda: _build(
            module, entry, options.opt_level, name, options.timer, text, options.allowed
        ),
    )
    return CompiledModule(native, num_threads=options.num_threads)


def _build(
    module: ModuleOp,
    entry: str,
    opt_level: int,
    name: str,
    timer: CompileTimer,
    text: str | None = None,
    allowed: frozenset[str] = frozenset(),
) -> NativeEntry:
    signature = read_signature(module, entry)
    try:
        lower_to_llvm(module, timer, text)
        jit = jit_module(module, opt_level, timer, allowed)
    except DiagnosticError as error:
        raise CompileError(error.diagnostics[0].format(name)) from None
    except PassCrash as error:
        raise CompileError(f"{name}: internal error: {one_line(str(error))}") from None
    except DiagnosticException as error:
        raise CompileError(from_exception(error).format(name)) from None
    except LLVMError as error:
        raise CompileError(f"{name}: error: {error}") from None
    status = check_entry_abi(module, signature)
    count = len(signature.inputs) + len(signature.outputs)
    result = ctypes.c_int64 if status else None
    prototype = ctypes.CFUNCTYPE(result, *[ctypes.c_void_p] * count)
    function = prototype(jit.address(entry))
    parallel = f"@{PARALLEL_FOR}(" in jit.unoptimized_llvm_ir
    packing = read_packing(module, signature)
    return NativeEntry(signature, jit, function, parallel, status, packing)
