"""
Models with symbolic dimensions: compiled once per concrete input shape.

A model whose inputs have symbolic dimensions (an ONNX `dim_param` or unknown
dimension, a `?` in a graph-level `tensor<?x4xf32>`) cannot be lowered as it
is: the importer folds shapes at import and every level below the graph level
works on static shapes. `mlc.compile` therefore returns a `DynamicModule` for
it, which specializes as `jax.jit` does: a call checks its arguments against
the symbolic signature (rank, dtype, every fixed dimension, one value per
named symbol), and the first call with a new set of shapes compiles the model
for those shapes (`mlc.runtime.shape_sources`: an ONNX model re-imported with
them as `input_shapes`, IR re-typed at its entry and its graph ops' result
types re-inferred, a PyTorch module exported again) and keeps the variant in
a bounded LRU cache (`max_variants`, 8 by default). Each
compilation is logged (`logging.getLogger("mlc.runtime.specialize")`, INFO)
and timed (`timing`); `cache_info()` counts hits, misses and evictions.

`input_shapes` (a mapping from input name to a tuple of ints) fixes inputs'
shapes up front: when every symbolic dimension is fixed so, `mlc.compile`
returns an ordinary `CompiledModule`. The symbolic signature and the checks
are `mlc.runtime.symbolic`'s; `export_library(..., input_shapes=[...])`
writes several variants into one library (`mlc.runtime.export_variants`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from mlc.runtime.shape_sources import (
    IRSource,
    OnnxSource,
    ShapeSource,
    TorchSource,
    retype_entry,
)
from mlc.runtime.signature import (
    CompileError,
    InputError,
)
from mlc.runtime.symbolic import (
    Array,
    Shapes,
    SymbolicSignature,
    as_array,
    bind_dims,
    fix_signature,
    ir_signature,
    resolve_shapes,
    unshaped_inputs,
)

if TYPE_CHECKING:
    from os import PathLike

    from onnx import ModelProto

    from mlc.runtime.compiled import CompiledModule
    from mlc.runtime.export import ExportedLibrary


DEFAULT_MAX_VARIANTS = 8

LOG = logging.getLogger("mlc.runtime.specialize")


def is_dynamic_torch(source: object) -> bool:
    """Whether `source` is a `mlc.frontend.torch_dynamic.DynamicTorchModel`."""
    return hasattr(source, "specialize_import") and hasattr(source, "input_dims")


def compile_torch(model: Any, options: Any) -> Any:
    """
    A `DynamicTorchModel`, compiled for `options.input_shapes` or per shape.

    `options` is `mlc.runtime.compiled`'s compile options (optimization
    level, threads, timer, `input_shapes`).
    """
    source = TorchSource(model)
    shapes = resolve_shapes(source.signature, options.input_shapes, source.name)
    source.signature = fix_signature(source.signature, shapes)
    if source.signature.is_static:
        all_shapes = {
            s.name: cast(tuple[int, ...], s.dims) for s in source.signature.inputs
        }
        return source.build(all_shapes, options)
    return DynamicModule(source, options)


# --------------------------------------------------------------------------- #
# Fixing shapes up front
# --------------------------------------------------------------------------- #


def compile_ir(module: ModuleOp, entry: str, options: Any, name: str) -> Any:
    """
    Compile a verified module whose entry has symbolic dims or given shapes.

    `options` as for `compile_torch`. None when the entry is static and no
    shapes are given (the caller then compiles it as usual); a
    `CompiledModule` when `input_shapes` fixes every symbolic dim; else a
    `DynamicModule`. (`Any`: `CompiledModule` is
    `mlc.runtime.compiled`'s, which imports this module.)
    """
    input_shapes: Shapes | None = options.input_shapes
    signature = ir_signature(module, entry)
    if signature is None:
        if input_shapes:
            raise CompileError(
                f"{name}: error: input_shapes applies to graph- or tensor-level "
                f"entries; @{entry} is below the tensor level"
            )
        return None
    if signature.is_static and not input_shapes:
        return None
    shapes = resolve_shapes(signature, input_shapes, name)
    signature = fix_signature(signature, shapes)
    source = IRSource(module, signature, name)
    if signature.is_static:
        all_shapes = {s.name: cast(tuple[int, ...], s.dims) for s in signature.inputs}
        try:
            return source.build(all_shapes, options)
        except InputError as error:
            raise CompileError(f"{name}: error: {error}") from None
    return DynamicModule(source, options)


def apply_shapes(
    module: ModuleOp, entry: str | None, input_shapes: Shapes, name: str
) -> None:
    """
    Give `module`'s entry the shapes `input_shapes` names, in place.

    For tools that lower a module without compiling it (`mlc-translate
    --mlir-to-llvmir --input-shape x=2x4`). A `CompileError` for a bad name,
    rank or size, or an entry below the tensor level.
    """
    from mlc.runtime.signature import choose_entry

    entry = choose_entry(module, entry)
    signature = ir_signature(module, entry)
    if signature is None:
        raise CompileError(
            f"{name}: error: input_shapes applies to graph- or tensor-level "
            f"entries; @{entry} is below the tensor level"
        )
    shapes = resolve_shapes(signature, input_shapes, name)
    full = {s.name: shapes.get(s.name, s.dims) for s in signature.inputs}
    if any(not isinstance(d, int) for dims in full.values() for d in dims):
        return  # left symbolic: lowering reports the first dynamic op
    try:
        retype_entry(module, signature, cast(Any, full), name)
    except InputError as error:
        raise CompileError(f"{name}: error: {error}") from None


def compile_onnx(
    model: str | PathLike[str] | ModelProto,
    entry: str | None,
    options: Any,
) -> Any:
    """
    An ONNX model, compiled as it is, for `input_shapes`, or per shape.

    A `CompiledModule` or a `DynamicModule` (`Any`, as for `compile_ir`);
    `options` as for `compile_torch`.
    """
    from dataclasses import replace

    from mlc.frontend import import_onnx
    from mlc.frontend.onnx import check_supported, load_model
    from mlc.runtime.compiled import (
        _compile_source,  # pyright: ignore[reportPrivateUsage]
    )

    origin: str | None = (
        None if is_onnx_model(model) else os.fspath(cast("str | PathLike[str]", model))
    )
    proto, name = load_model(cast(Any, model) if origin is None else origin)
    source = OnnxSource(proto, name, origin)
    if entry is not None and entry != source.signature.entry:
        raise CompileError(
            f"{name}: error: no public function @{entry} in the model (public: "
            f"@{source.signature.entry})"
        )
    shapes = resolve_shapes(source.signature, options.input_shapes, name)
    source.signature = fix_signature(source.signature, shapes)
    if not source.signature.is_static:
        # Unsupported ops are reported now, not on the first call.
        check_supported(proto, name)
        return DynamicModule(source, options)
    with options.timer.stage("import"):
        imported = import_onnx(source.origin, shapes or None)
    return _compile_source(imported, entry, replace(options, input_shapes=None))


# --------------------------------------------------------------------------- #
# The shape-polymorphic module
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class VariantInfo:
    """How the variant cache has been used."""

    hits: int
    misses: int
    evictions: int
    size: int
    max_variants: int


class _Variants:
    """The compiled variants of one source, by input shapes (bounded LRU)."""

    def __init__(self, source: ShapeSource, options: Any, max_variants: int) -> None:
        self.source = source
        self.options = options
        """`mlc.runtime.compiled`'s compile options; each variant gets a new timer."""
        self.max_variants = max_variants
        self.items: OrderedDict[tuple[tuple[int, ...], ...], Any] = OrderedDict()
        self.hits = self.misses = self.evictions = 0
        self.timing: list[tuple[dict[str, tuple[int, ...]], float]] = []
        self.lock = threading.Lock()
        self.building: dict[tuple[tuple[int, ...], ...], threading.Lock] = {}

    def get(self, shapes: dict[str, tuple[int, ...]]) -> Any:
        key = tuple(shapes[s.name] for s in self.source.signature.inputs)
        with self.lock:
            if key in self.items:
                self.hits += 1
                self.items.move_to_end(key)
                return self.items[key]
            building = self.building.setdefault(key, threading.Lock())
        # One thread compiles a variant; the others wanting it wait for it.
        with building:
            with self.lock:
                if key in self.items:
                    self.hits += 1
                    return self.items[key]
            try:
                return self._build(key, shapes)
            finally:
                with self.lock:
                    self.building.pop(key, None)

    def _build(
        self, key: tuple[tuple[int, ...], ...], shapes: dict[str, tuple[int, ...]]
    ) -> Any:
        from dataclasses import replace

        from mlc.runtime.timing import CompileTimer

        timer = CompileTimer(progress=self.options.timer.progress)
        start = time.perf_counter()
        compiled = self.source.build(shapes, replace(self.options, timer=timer))
        seconds = time.perf_counter() - start
        compiled.compile_timing = dict(timer.stages)
        with self.lock:
            self.misses += 1
            self.timing.append((dict(shapes), seconds))
            self.items[key] = compiled
            while len(self.items) > self.max_variants:
                self.items.popitem(last=False)
                self.evictions += 1
            count = len(self.items)
        described = ", ".join(
            f"{n}: {'x'.join(map(str, s))}" for n, s in shapes.items()
        )
        LOG.info(
            "%s: specialized @%s for %s in %.3f s (%d of at most %d variants)",
            self.source.name,
            self.source.signature.entry,
            described or "no inputs",
            seconds,
            count,
            self.max_variants,
        )
        return compiled


class DynamicModule:
    """
    A model with symbolic dimensions, compiled per concrete input shape.

    `mlc.compile` returns one for a source whose inputs have symbolic
    dimensions. It is called as a `CompiledModule` is: the inputs not bound,
    in order, checked first (count, dtype, rank, every fixed dimension, one
    value per named symbol; a mismatch is an `InputError`). The first call
    with new shapes compiles a variant for them (logged at INFO on
    `mlc.runtime.specialize` and recorded in `timing`); the last
    `max_variants` variants are kept. `signature` shows the symbols
    (`@main(x: batchx3xfloat32) -> (y: batchx2xfloat32)`); `specialize`
    returns the `CompiledModule` for given shapes; `bind` fixes inputs.

    Example:
        >>> import numpy as np, mlc
        >>> relu = mlc.compile('''
        ... func.func @relu(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
        ...   %0 = graph.relu %x : tensor<?x2xf32>
        ...   func.return %0 : tensor<?x2xf32>
        ... }''')
        >>> str(relu.signature)
        '@relu(x: ?x2xfloat32) -> (out0: ?x2xfloat32)'
        >>> relu(np.array([[-1, 2], [3, -4], [5, 6]], np.float32)).shape
        (3, 2)
    """

    def __init__(
        self,
        source: ShapeSource,
        options: Any,
        max_variants: int = DEFAULT_MAX_VARIANTS,
        bound: Mapping[str, Array] | None = None,
        variants: _Variants | None = None,
    ) -> None:
        if max_variants < 1:
            raise ValueError(f"max_variants must be at least 1, got {max_variants}")
        self._source = source
        self._variants = variants or _Variants(source, options, max_variants)
        self.compile_timing: dict[str, float] = {}
        """Seconds per stage of reading the model (each variant has its own)."""
        self._bound: dict[str, Array] = dict(bound or {})
        full = source.signature
        visible = [s for s in full.inputs if s.name not in self._bound]
        self.signature = SymbolicSignature(full.entry, tuple(visible), full.outputs)
        # Per input a call gives: its dtype and rank, checked first.
        self._expect = [(spec.dtype, len(spec.dims)) for spec in self.signature.inputs]
        # This module's variants (its bound inputs bound) by the shapes of the
        # inputs a call gives, with each one's key in the shared cache: a call
        # with shapes seen before skips the symbol checks.
        self._by_call: OrderedDict[tuple[tuple[int, ...], ...], tuple[Any, Any]] = (
            OrderedDict()
        )

    @property
    def entry(self) -> str:
        return self.signature.entry

    @property
    def full_signature(self) -> SymbolicSignature:
        return self._source.signature

    @property
    def bound(self) -> Mapping[str, Array]:
        return MappingProxyType(self._bound)

    @property
    def opt_level(self) -> int:
        return self._variants.options.opt_level

    @property
    def num_threads(self) -> int:
        """Threads the variants' parallel loops run on."""
        return self._variants.options.num_threads

    @property
    def max_variants(self) -> int:
        return self._variants.max_variants

    @property
    def timing(self) -> tuple[tuple[dict[str, tuple[int, ...]], float], ...]:
        """Each variant compiled so far: its input shapes and seconds taken."""
        return tuple(self._variants.timing)

    def cache_info(self) -> VariantInfo:
        v = self._variants
        return VariantInfo(v.hits, v.misses, v.evictions, len(v.items), v.max_variants)

    def __repr__(self) -> str:
        return f"<DynamicModule {self.signature} -O{self.opt_level}>"

    def _shapes(
        self, arrays: Mapping[str, Array], extra: Mapping[str, tuple[int, ...]]
    ) -> dict[str, tuple[int, ...]]:
        """Every input's shape, the bound ones' included, checked."""
        symbols: dict[str, tuple[int, str]] = {}
        shapes: dict[str, tuple[int, ...]] = {}
        position = {s.name: i for i, s in enumerate(self.signature.inputs)}
        for spec in self._source.signature.inputs:
            if spec.name in arrays:
                shape = tuple(arrays[spec.name].shape)
                if spec.name in self._bound:
                    what = f"bound parameter '{spec.name}'"
                else:
                    what = f"argument #{position[spec.name]} '{spec.name}'"
            else:
                shape = extra[spec.name]
                what = f"input_shapes['{spec.name}']"
            bind_dims(spec, shape, what, symbols)
            shapes[spec.name] = shape
        return shapes

    def specialize(self, input_shapes: Shapes) -> CompiledModule:
        """
        The `CompiledModule` for these input shapes (inputs still unbound).

        `input_shapes` names every unbound input whose shape is symbolic; the
        variant is compiled or taken from the cache, with this module's bound
        inputs bound.
        """
        shapes = resolve_shapes(self.signature, input_shapes, self._source.name)
        if why := unshaped_inputs(self.signature, shapes, "input_shapes"):
            raise CompileError(f"{self._source.name}: error: {why}")
        for spec in self.signature.inputs:
            if spec.name not in shapes:
                shapes[spec.name] = cast(tuple[int, ...], spec.dims)
        try:
            all_shapes = self._shapes(dict(self._bound), shapes)
        except InputError as error:
            raise CompileError(f"{self._source.name}: error: {error}") from None
        return self._variant(all_shapes)

    def _variant(self, shapes: dict[str, tuple[int, ...]]) -> Any:
        """The variant for every input's shape, this module's inputs bound."""
        call_key = tuple(shapes[s.name] for s in self.signature.inputs)
        if (known := self._known(call_key)) is not None:
            return known
        compiled = self._variants.get(shapes)
        if self._bound:
            compiled = compiled.bind(self._bound)
        key = tuple(shapes[s.name] for s in self._source.signature.inputs)
        with self._variants.lock:
            self._by_call[call_key] = (key, compiled)
            while len(self._by_call) > self._variants.max_variants:
                self._by_call.popitem(last=False)
        return compiled

    def _known(self, call_key: tuple[tuple[int, ...], ...]) -> Any:
        """The variant compiled for these call shapes if still cached, else None."""
        variants = self._variants
        with variants.lock:  # calls may come from several threads
            entry = self._by_call.get(call_key)
            if entry is None:
                return None
            key, compiled = entry
            if key not in variants.items:  # evicted: compiled again
                return None
            variants.hits += 1
            variants.items.move_to_end(key)
            self._by_call.move_to_end(call_key)
        return compiled

    def __call__(self, *args: object) -> Array | tuple[Array, ...]:
        expect = self._expect
        if len(args) != len(expect):
            specs = self.signature.inputs
            names = ", ".join(s.name for s in specs)
            raise InputError(
                f"@{self.entry} takes {len(specs)} input(s) ({names}), got {len(args)}"
            )
        arrays: list[Array] = []
        shapes: list[tuple[int, ...]] = []
        for index, arg in enumerate(args):
            dtype, ndim = expect[index]
            if type(arg) is np.ndarray and arg.ndim == ndim and arg.dtype == dtype:
                array = cast(Array, arg)  # the common case, no message built
            else:
                spec = self.signature.inputs[index]
                array = as_array(spec, arg, f"argument #{index} '{spec.name}'")
            arrays.append(array)
            shapes.append(array.shape)
        compiled = self._known(tuple(shapes))
        if compiled is None:
            specs = self.signature.inputs
            named = {**self._bound, **{s.name: a for s, a in zip(specs, arrays)}}
            compiled = self._variant(self._shapes(named, {}))
        return compiled(*arrays)

    def bind(
        self, params: Mapping[str, object] | None = None, /, **named: object
    ) -> DynamicModule:
        """
        A module sharing the variant cache, with some inputs fixed by name.

        As `CompiledModule.bind`: each value is checked now (dtype, rank,
        fixed dimensions, and named symbols against the other bound values).
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
            array = np.ascontiguousarray(
                as_array(spec, value, f"bind: parameter '{name}'")
            )
            bound[name] = array
        symbols: dict[str, tuple[int, str]] = {}
        for spec in self._source.signature.inputs:
            if spec.name in bound:
                what = f"bind: parameter '{spec.name}'"
                bind_dims(spec, tuple(bound[spec.name].shape), what, symbols)
        return DynamicModule(
            self._source,
            self._variants.options,
            self.max_variants,
            bound,
            self._variants,
        )

    def export_library(
        self,
        path: str | PathLike[str],
        prefix: str | None = None,
        *,
        input_shapes: Shapes | Sequence[Shapes],
    ) -> ExportedLibrary:
        """
        Write a shared library for the given input shapes.

        One shape set gives an ordinary library (`docs/deployment.md`); for
        several, see `mlc.runtime.export_variants`.
        """
        from mlc.runtime.export_variants import export_variants

        sets: list[Shapes] = (
            [input_shapes] if isinstance(input_shapes, Mapping) else list(input_shapes)
        )
        if not sets:
            raise CompileError("export_library: input_shapes lists no shapes")
        variants = [self.specialize(shapes) for shapes in sets]
        return export_variants(variants, path, prefix, symbolic=self.signature)


def is_onnx_model(source: object) -> bool:
    """Whether `source` is an `onnx.ModelProto` (without importing onnx)."""
    return type(source).__name__ == "ModelProto" and hasattr(source, "graph")


__all__ = [
    "DEFAULT_MAX_VARIANTS",
    "DynamicModule",
    "VariantInfo",
    "compile_ir",
    "compile_onnx",
    "compile_torch",
]
