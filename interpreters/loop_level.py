"""
Interpreter functions for the memref ops that bufferization emits.

xDSL 0.74's memref interpreter has alloc, dealloc, load, store and get_global;
these add the views (`memref.subview`, `memref.collapse_shape`,
`memref.expand_shape`, `memref.view` — a typed pointer into the raw bytes of
its `i8` source), `memref.copy`, `memref.prefetch` (a hint: nothing), and the
tensor ops that bufferize turns into them (`tensor.collapse_shape`,
`expand_shape`, `insert_slice`), so the two sides of the pass can be
compared. `LoopLevelFunctions` extends xDSL's `LinalgFunctions` (it takes its
place in `all_functions()`, since an op can have only one registered
implementation) to replace its `linalg.fill`, which needs a shaped fill value
and an all-zero destination. A view shares the memory of its source: a
reshape of a contiguous buffer is a `ShapedArray` over the same pointer, a
subview is a `StridedArray` (a `ShapedArray` with explicit element strides
and offset) over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from xdsl.dialects import cf, memref, tensor
from xdsl.dialects.builtin import DYNAMIC_INDEX, MemRefType, ShapedType
from xdsl.dialects.linalg.ops import FillOp
from xdsl.interpreter import (
    Interpreter,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.interpreters.builtin import xtype_for_el_type
from xdsl.interpreters.linalg import LinalgFunctions
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr
from xdsl.ir import Attribute
from xdsl.utils.exceptions import InterpretationError
from xdsl.utils.hints import isa

from mlc.dialects.memref_ext import PrefetchOp


@dataclass
class StridedArray(ShapedArray[Any]):
    """A strided view of a buffer: element `i` is at `base + sum(i * strides)`."""

    strides: list[int]
    base: int

    @property
    def data(self) -> list[Any]:
        return [self.load(index) for index in self.indices()]

    def copy(self) -> StridedArray:
        values = self.data
        contiguous = TypedPtr[Any].new(values, xtype=self.element_type)
        return StridedArray(contiguous, list(self.shape), row_major(self.shape), 0)

    def offset(self, index: Sequence[int]) -> int:
        if len(index) != len(self.shape):
            raise ValueError(f"Invalid indices {index} for shape {self.shape}")
        return self.base + sum(i * s for i, s in zip(index, self.strides, strict=True))


def row_major(shape: Sequence[int]) -> list[int]:
    """The element strides of a contiguous row-major buffer of `shape`."""
    strides = [1] * len(shape)
    for dim in reversed(range(len(shape) - 1)):
        strides[dim] = strides[dim + 1] * shape[dim + 1]
    return strides


def layout_of(array: ShapedArray[Any]) -> tuple[list[int], int]:
    """The element strides and offset of an interpreter buffer."""
    if isinstance(array, StridedArray):
        return list(array.strides), array.base
    return row_major(array.shape), 0


def kept_dims(sizes: Sequence[int], result_shape: Sequence[int]) -> list[int]:
    """The dims of a rank-reducing slice of `sizes` that `result_shape` keeps."""
    kept: list[int] = []
    for dim, size in enumerate(sizes):
        if len(kept) < len(result_shape) and size == result_shape[len(kept)]:
            kept.append(dim)
        elif size != 1:
            raise ValueError(f"cannot reduce sizes {sizes} to {result_shape}")
    return kept


def as_shaped(value: Any) -> ShapedArray[Any]:
    return cast(ShapedArray[Any], value)


# xdsl-gap(0.74): interp-missing-ops — no views, copies
@register_impls
class LoopLevelFunctions(LinalgFunctions):
    """Memref views and copies (xDSL 0.74 interprets neither); linalg.fill."""

    @impl(FillOp)
    def run_fill(
        self, interpreter: Interpreter, op: FillOp, args: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        # xdsl-gap(0.74): interp-linalg-fill — fill needs zeros
        # xDSL 0.74's fill wants a shaped fill value and an all-zero destination.
        value, target = args[0], as_shaped(args[1])
        if isinstance(value, ShapedArray):
            value = as_shaped(value).data[0]
        result = target.copy() if op.results else target
        for index in result.indices():
            result.store(index, value)
        return (result,) if op.results else ()

    @impl(cf.AssertOp)
    def run_assert(
        self, interpreter: Interpreter, op: cf.AssertOp, args: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        # xdsl-gap(0.74): interp-missing-ops — no cf.assert
        # xDSL 0.74 does not interpret cf.assert.
        if not args[0]:
            raise InterpretationError(f"cf.assert failed: {op.msg.data}")
        return ()

    @impl(PrefetchOp)
    def run_prefetch(
        self, interpreter: Interpreter, op: PrefetchOp, args: PythonValues
    ) -> PythonValues:
        # A cache hint: no effect on any value.
        return ()

    @impl(memref.SubviewOp)
    def run_subview(
        self, interpreter: Interpreter, op: memref.SubviewOp, args: PythonValues
    ) -> PythonValues:
        if op.sizes or op.strides:
            raise NotImplementedError("memref.subview of dynamic sizes or strides")
        source = as_shaped(args[0])
        strides, base = layout_of(source)
        dynamic = iter(args[1 : 1 + len(op.offsets)])  # a GEMM's per-element view
        offsets = [
            int(next(dynamic)) if o == DYNAMIC_INDEX else o
            for o in op.static_offsets.get_values()
        ]
        steps = op.static_strides.get_values()
        sizes = op.static_sizes.get_values()
        base += sum(o * s for o, s in zip(offsets, strides, strict=True))
        result_type = op.result.type
        assert isa(result_type, MemRefType[Attribute])
        shape = list(result_type.get_shape())
        kept = kept_dims(sizes, shape)
        view_strides = [strides[d] * steps[d] for d in kept]
        return (StridedArray(source.data_ptr, shape, view_strides, base),)

    @impl(memref.CollapseShapeOp)
    def run_collapse_shape(
        self, interpreter: Interpreter, op: memref.CollapseShapeOp, args: PythonValues
    ) -> PythonValues:
        return (reshaped(args[0], op.result.type),)

    @impl(memref.ExpandShapeOp)
    def run_expand_shape(
        self, interpreter: Interpreter, op: memref.ExpandShapeOp, args: PythonValues
    ) -> PythonValues:
        return (reshaped(args[0], op.result.type),)

    @impl(tensor.CollapseShapeOp)
    def run_tensor_collapse_shape(
        self, interpreter: Interpreter, op: tensor.CollapseShapeOp, args: PythonValues
    ) -> PythonValues:
        return (as_shaped(args[0]).with_shape(shape_of(op.result.type)),)

    @impl(tensor.ExpandShapeOp)
    def run_tensor_expand_shape(
        self, interpreter: Interpreter, op: tensor.ExpandShapeOp, args: PythonValues
    ) -> PythonValues:
        return (as_shaped(args[0]).with_shape(shape_of(op.result.type)),)

    @impl(tensor.InsertSliceOp)
    def run_tensor_insert_slice(
        self, interpreter: Interpreter, op: tensor.InsertSliceOp, args: PythonValues
    ) -> PythonValues:
        if op.offsets or op.sizes or op.strides:
            raise NotImplementedError("dynamic tensor.insert_slice")
        source, result = as_shaped(args[0]), as_shaped(args[1]).copy()
        offsets = op.static_offsets.get_values()
        steps = op.static_strides.get_values()
        kept = kept_dims(op.static_sizes.get_values(), source.shape)
        for index in source.indices():
            full = list(offsets)
            for dim, i in zip(kept, index, strict=True):
                full[dim] += i * steps[dim]
            result.store(full, source.load(index))
        return (result,)

    @impl(memref.ViewOp)
    def run_view(
        self, interpreter: Interpreter, op: memref.ViewOp, args: PythonValues
    ) -> PythonValues:
        # A typed pointer at the byte shift into the same raw bytes as the source.
        if op.sizes:
            raise NotImplementedError("dynamic memref.view")
        source, shift = as_shaped(args[0]), cast(int, args[1])
        raw = source.data_ptr.raw + layout_of(source)[1] * source.data_ptr.size
        element = op.result.type.get_element_type()
        xtype = xtype_for_el_type(element, interpreter.index_bitwidth)
        pointer = TypedPtr[Any](raw + shift, xtype=xtype)
        return (ShapedArray(pointer, shape_of(op.result.type)),)

    @impl(memref.CopyOp)
    def run_copy(
        self, interpreter: Interpreter, op: memref.CopyOp, args: PythonValues
    ) -> PythonValues:
        source, target = as_shaped(args[0]), as_shaped(args[1])
        for index in source.indices():
            target.store(index, source.load(index))
        return ()


def shape_of(type_: Attribute) -> list[int]:
    """The static shape of a tensor or memref type."""
    assert isa(type_, ShapedType)
    return list(type_.get_shape())


def reshaped(value: Any, type_: Attribute) -> ShapedArray[Any]:
    """A contiguous buffer seen with the shape of memref type `type_`."""
    source = as_shaped(value)
    if isinstance(source, StridedArray):
        raise NotImplementedError("reshape of a strided memref view")
    assert isa(type_, MemRefType[Attribute])
    return ShapedArray(source.data_ptr, list(type_.get_shape()))
