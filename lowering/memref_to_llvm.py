"""
`convert-memref-to-llvm`: memref ops to LLVM-dialect pointer code.

A memref value becomes one `!llvm.ptr`, the address of its element
`[0, ..., 0]` (offset applied); element `[i, j, ...]` lives at
`ptr + Σ i_k * stride_k` elements, the strides static from the memref type
(`lowering/llvm_common.py`, "The LLVM-dialect type bridge"). Operands of loop-level
types are bridged with `builtin.unrealized_conversion_cast`, so this pass runs
before or after the other `convert-*-to-llvm` passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod
from typing import Any

from xdsl.context import Context
from xdsl.dialects import llvm, memref
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    BFloat16Type,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    SymbolRefAttr,
    TensorType,
    i8,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import PassFailedException

from mlc.dialects import llvm_ext
from mlc.dialects.memref_ext import PrefetchOp
from mlc.lowering.llvm_common import (
    call,
    const_i64,
    contiguous_strides,
    element_bytes,
    element_ptr,
    element_type,
    from_llvm,
    index_value,
    linear_index,
    memref_type,
    module_of,
    offset,
    offset_ptr,
    static_shape,
    strides,
    to_llvm,
)
from mlc.lowering.utils import located_failure, require_converted
from mlc.support.abi import ALIGNMENT, RUNTIME_ALLOC, RUNTIME_FREE

PASS_NAME = "convert-memref-to-llvm"

ICMP_SLT = 2
"""`llvm.icmp` predicate number of `slt`."""


def fail(op: Operation, message: str) -> PassFailedException:
    """A one-line located error of this pass at `op`."""
    return located_failure(op, f"{PASS_NAME}: {message}")


def replace_with_ptr(rewriter: PatternRewriter, op: Operation, ptr: SSAValue) -> None:
    """Replace `op`'s memref result by `ptr`, cast back for unconverted users."""
    rewriter.replace(op, [], [from_llvm(rewriter, ptr, op.results[0].type)])


# --------------------------------------------------------------------------- #
# Patterns
# --------------------------------------------------------------------------- #


class LoadLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.LoadOp, rewriter: PatternRewriter) -> None:
        ptr, element, align = element_ptr(rewriter, op, op.memref, op.indices)
        load = llvm.LoadOp(ptr, element, alignment=align)
        rewriter.insert(load)
        rewriter.replace(
            op, [], [from_llvm(rewriter, load.dereferenced_value, op.res.type)]
        )


class StoreLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.StoreOp, rewriter: PatternRewriter) -> None:
        ptr, _, align = element_ptr(rewriter, op, op.memref, op.indices)
        value = to_llvm(rewriter, op.value)
        rewriter.replace(op, llvm.StoreOp(value, ptr, alignment=align))


def allocation_bytes(op: Operation, type_: MemRefType[Attribute]) -> int:
    return prod(static_shape(op, type_)) * element_bytes(element_type(op, type_))


MAX_ALLOCATION_BYTES = 2**47
"""The user address space of x86-64 and AArch64 (128 TiB): no buffer this
large can ever be allocated, so such a `memref.alloc` is a compile error."""

MAX_ALLOCA_BYTES = 2**20
"""A stack buffer larger than this would overflow a thread's stack."""


def _check_size(op: Operation, size: int, limit: int, where: str) -> None:
    if size >= limit:
        raise located_failure(
            op,
            f"{PASS_NAME}: a buffer of {size} bytes ({size / 2**40:.3g} TiB) can "
            f"never fit {where} (limit {limit} bytes)",
        )


class AllocLowering(RewritePattern):
    """
    `mlc_alloc(align, bytes rounded up to align)`, align ≥ 64.

    `convert-func-to-llvm` then checks the result against null.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.AllocOp, rewriter: PatternRewriter) -> None:
        type_ = memref_type(op.memref)
        align = ALIGNMENT
        if op.alignment is not None:
            align = max(align, op.alignment.value.data)
        size = max(allocation_bytes(op, type_), 1)
        size = (size + align - 1) // align * align
        _check_size(op, size, MAX_ALLOCATION_BYTES, "in the address space")
        args = [const_i64(rewriter, align), const_i64(rewriter, size)]
        ptr = call(rewriter, module_of(op), RUNTIME_ALLOC, args, llvm.LLVMPointerType())
        assert ptr.returned is not None
        replace_with_ptr(rewriter, op, ptr.returned)


class PrefetchLowering(RewritePattern):
    """`memref.prefetch` -> `llvm.intr.prefetch` of the element's address."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: PrefetchOp, rewriter: PatternRewriter) -> None:
        ptr, _, _ = element_ptr(rewriter, op, op.memref, op.indices)
        prefetch = llvm_ext.PrefetchOp(ptr, int(op.write), op.locality, int(op.data))
        rewriter.replace(op, prefetch)


class AllocaLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.AllocaOp, rewriter: PatternRewriter) -> None:
        type_ = memref_type(op.memref)
        element = element_type(op, type_)
        count = prod(static_shape(op, type_))
        _check_size(
            op, count * element_bytes(element), MAX_ALLOCA_BYTES, "on the stack"
        )
        align = element_bytes(element)
        if op.alignment is not None:
            align = max(align, op.alignment.value.data)
        alloca = llvm.AllocaOp(const_i64(rewriter, count), element, alignment=align)
        rewriter.insert(alloca)
        replace_with_ptr(rewriter, op, alloca.res)


class DeallocLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: memref.DeallocOp, rewriter: PatternRewriter
    ) -> None:
        ptr = to_llvm(rewriter, op.memref)
        call(rewriter, module_of(op), RUNTIME_FREE, [ptr], None)
        rewriter.erase(op)


class ViewLowering(RewritePattern):
    """A byte shift of the `i8` source pointer."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.ViewOp, rewriter: PatternRewriter) -> None:
        static_shape(op, op.result.type)
        ptr = to_llvm(rewriter, op.source)
        shift = index_value(rewriter, op.byte_shift)
        replace_with_ptr(rewriter, op, offset_ptr(rewriter, ptr, shift, i8))


def mixed(static: Sequence[int], dynamic: Sequence[SSAValue]) -> list[int | SSAValue]:
    """Static values with `DYNAMIC_INDEX` taken, in order, from `dynamic`."""
    values = iter(dynamic)
    return [next(values) if s == DYNAMIC_INDEX else s for s in static]


class SubviewLowering(RewritePattern):
    """`ptr + Σ offset_k * source_stride_k` (sizes and strides only retype)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: memref.SubviewOp, rewriter: PatternRewriter
    ) -> None:
        source = memref_type(op.source)
        static_shape(op, op.result.type)
        element = element_type(op, source)
        stride_list = strides(op, source)
        offsets = mixed(op.static_offsets.get_values(), op.offsets)
        index_values = [
            o if isinstance(o, int) else index_value(rewriter, o) for o in offsets
        ]
        linear = linear_index(rewriter, index_values, stride_list)
        ptr = to_llvm(rewriter, op.source)
        replace_with_ptr(rewriter, op, offset_ptr(rewriter, ptr, linear, element))


class ReshapeLowering(RewritePattern):
    """collapse_shape, expand_shape and cast keep the pointer."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self,
        op: memref.CollapseShapeOp | memref.ExpandShapeOp | memref.CastOp,
        rewriter: PatternRewriter,
    ) -> None:
        source = op.operands[0]
        static_shape(op, source.type)
        static_shape(op, op.results[0].type)
        strides(op, op.results[0].type)
        replace_with_ptr(rewriter, op, to_llvm(rewriter, source))


class ReinterpretCastLowering(RewritePattern):
    """A static re-view: the pointer moves by the difference of the offsets."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: memref.ReinterpretCastOp, rewriter: PatternRewriter
    ) -> None:
        static_shape(op, op.result.type)
        strides(op, op.result.type)
        if op.offsets:
            raise fail(op, "a dynamic reinterpret_cast offset is not supported")
        shift = offset(op, op.result.type) - offset(op, op.source.type)
        element = element_type(op, memref_type(op.source))
        ptr = to_llvm(rewriter, op.source)
        replace_with_ptr(rewriter, op, offset_ptr(rewriter, ptr, shift, element))


class GlobalLowering(RewritePattern):
    """`llvm.mlir.global` of a flat array with the (flattened) dense value."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.GlobalOp, rewriter: PatternRewriter) -> None:
        type_ = op.type
        shape = static_shape(op, type_)
        element = element_type(op, type_)
        count = prod(shape)
        array = llvm.LLVMArrayType(count, element)
        value = op.initial_value
        if not isinstance(value, DenseIntOrFPElementsAttr):
            raise fail(op, "a memref.global without a dense initial value")
        stored: Any = value.get_element_type()
        if isinstance(stored, BFloat16Type):
            stored = element  # i16: the same bytes, bf16's bits
        flat_type = TensorType(stored, [count])
        data = value.data.data
        if len(value) == 1 and count != 1:  # a splat holds one element
            data = data * count
        initial = DenseIntOrFPElementsAttr(flat_type, BytesAttr(data))
        linkage = "external" if op.sym_visibility.data == "public" else "internal"
        align = element_bytes(element)
        if op.alignment is not None:
            align = max(align, op.alignment.value.data)
        new = llvm.GlobalOp(
            array,
            op.sym_name,
            linkage,
            constant=op.constant is not None,
            value=initial,
            alignment=align,
        )
        rewriter.replace(op, new)


class GetGlobalLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: memref.GetGlobalOp, rewriter: PatternRewriter
    ) -> None:
        static_shape(op, op.memref.type)
        name: SymbolRefAttr = op.name_
        address = llvm.AddressOfOp(name, llvm.LLVMPointerType())
        rewriter.insert(address)
        replace_with_ptr(rewriter, op, address.result)


# --------------------------------------------------------------------------- #
# memref.copy
# --------------------------------------------------------------------------- #


def contiguous_from(shape: Sequence[int], *layouts: Sequence[int]) -> int:
    """The first dim from which every layout is row-major contiguous."""
    expected = contiguous_strides(shape)
    start = len(shape)
    while start > 0 and all(
        shape[start - 1] == 1 or layout[start - 1] == expected[start - 1]
        for layout in layouts
    ):
        start -= 1
    return start


def copy_with_memcpy(
    rewriter: PatternRewriter,
    module: ModuleOp,
    dest: SSAValue,
    source: SSAValue,
    num_bytes: int,
) -> None:
    """`memcpy(dest, source, num_bytes)` (libc; LLVM knows it as a builtin)."""
    # xdsl-gap(0.74): llvm-memcpy-intrinsic — no memcpy op
    # xDSL 0.74 has no `llvm.intr.memcpy` op: call libc memcpy, which LLVM
    # treats as the same intrinsic.
    args = [dest, source, const_i64(rewriter, num_bytes)]
    call(rewriter, module, "memcpy", args, llvm.LLVMPointerType())


class CopyLowering(RewritePattern):
    """
    A contiguous copy is one `memcpy`; a strided one loops (in new blocks)
    over its outer dims and copies the contiguous inner part each step.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.CopyOp, rewriter: PatternRewriter) -> None:
        source_type = memref_type(op.source)
        dest_type = memref_type(op.destination)
        shape = static_shape(op, source_type)
        if shape != static_shape(op, dest_type):
            raise fail(op, "memref.copy between different shapes")
        element = element_type(op, source_type)
        size = element_bytes(element)
        source_strides = strides(op, source_type)
        dest_strides = strides(op, dest_type)
        inner = contiguous_from(shape, source_strides, dest_strides)
        chunk = prod(shape[inner:]) * size
        if chunk == 0 or prod(shape) == 0:
            rewriter.erase(op)
            return
        source = to_llvm(rewriter, op.source)
        dest = to_llvm(rewriter, op.destination)
        loop_dims = [d for d in range(inner) if shape[d] != 1]
        if not loop_dims:
            copy_with_memcpy(rewriter, module_of(op), dest, source, chunk)
            rewriter.erase(op)
            return
        parent = op.parent_block()
        region_op = parent.parent_op() if parent is not None else None
        if region_op is None or region_op.name not in ("func.func", "llvm.func"):
            raise fail(
                op,
                "a strided memref.copy must be directly in a function body "
                "(run convert-scf-to-cf first)",
            )
        emit_copy_loops(
            rewriter,
            op,
            LoopCopy(
                source,
                dest,
                shape,
                source_strides,
                dest_strides,
                loop_dims,
                element,
                chunk if inner < len(shape) else 0,
                module_of(op),
            ),
        )


@dataclass(frozen=True)
class LoopCopy:
    source: SSAValue
    dest: SSAValue
    shape: Sequence[int]
    source_strides: Sequence[int]
    dest_strides: Sequence[int]
    loop_dims: Sequence[int]
    element: Attribute
    chunk_bytes: int
    module: ModuleOp
    """Bytes per innermost step (a `memcpy`); 0: one element, load and store."""


def emit_copy_loops(rewriter: PatternRewriter, op: Operation, copy: LoopCopy) -> None:
    """
    Replace `op` by a loop nest over `copy.loop_dims` made of LLVM blocks.

    Loop k: `header_k(iv) → body_k` while `iv < n_k`, else to the increment
    block of loop k-1 (the block after the op for loop 0); `body_k` enters
    loop k+1, the innermost copies one chunk; `increment_k` branches back to
    `header_k(iv + 1)`.
    """
    block = op.parent_block()
    assert block is not None
    region = block.parent
    assert region is not None
    exit_block = block.split_before(op)
    rewriter.erase(op)

    headers: list[Block] = []
    increments: list[Block] = []
    current = block  # the block being filled (no terminator yet)
    leave = exit_block  # where loop k goes when done
    for dim in copy.loop_dims:
        header, body, increment = Block(arg_types=[i64]), Block(), Block()
        for new in (header, body, increment):
            region.insert_block_before(new, exit_block)
        zero = llvm.ConstantOp(IntegerAttr(0, i64), i64)
        current.add_ops([zero, llvm.BrOp(header, zero.result)])
        bound = llvm.ConstantOp(IntegerAttr(copy.shape[dim], i64), i64)
        below = llvm.ICmpOp(header.args[0], bound.result, IntegerAttr(ICMP_SLT, 64))
        header.add_ops([bound, below, llvm.CondBrOp(below.res, body, [], leave, [])])
        headers.append(header)
        increments.append(increment)
        current, leave = body, increment

    builder = PatternRewriter(InsertPoint.at_end(current))
    indices: list[SSAValue | int] = [0] * len(copy.shape)
    for dim, header in zip(copy.loop_dims, headers, strict=True):
        indices[dim] = header.args[0]
    source_at = offset_ptr(
        builder,
        copy.source,
        linear_index(builder, indices, copy.source_strides),
        copy.element,
    )
    dest_at = offset_ptr(
        builder,
        copy.dest,
        linear_index(builder, indices, copy.dest_strides),
        copy.element,
    )
    if copy.chunk_bytes:
        copy_with_memcpy(builder, copy.module, dest_at, source_at, copy.chunk_bytes)
    else:
        align = element_bytes(copy.element)
        load = builder.insert(llvm.LoadOp(source_at, copy.element, alignment=align))
        builder.insert(llvm.StoreOp(load.dereferenced_value, dest_at, alignment=align))
    builder.insert(llvm.BrOp(increments[-1]))
    for header, increment in zip(headers, increments, strict=True):
        one = llvm.ConstantOp(IntegerAttr(1, i64), i64)
        next_iv = llvm.AddOp(header.args[0], one.result)
        increment.add_ops([one, next_iv, llvm.BrOp(header, next_iv.res)])


# --------------------------------------------------------------------------- #
# The pass
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class ConvertMemrefToLlvmPass(ModulePass):
    """
    Lower memref ops to the LLVM dialect.

    **Input invariant**: static-shape memrefs with strided layouts (the loop
    level): load, store, prefetch, alloc, alloca, dealloc, view, subview,
    collapse_shape, expand_shape, cast, reinterpret_cast, copy, global,
    get_global.

    **Output IR**: no memref op. `load`/`store` → `llvm.getelementptr` by
    `Σ index_k * stride_k` + `llvm.load`/`llvm.store` aligned to the element
    size; `prefetch` → `llvm.intr.prefetch` of the element's address;
    `alloc` → a call of the runtime's `mlc_alloc(max(64, alignment), size
    rounded up)`; `alloca` → `llvm.alloca`; `dealloc` → a call of `mlc_free`; `view` → a
    byte `getelementptr`; `subview` → `ptr + Σ offset_k * stride_k`; the
    reshapes and `cast` keep the pointer; `copy` → `memcpy` of the contiguous
    part (in a loop over the strided outer dims); `global` →
    `llvm.mlir.global` of a flat array; `get_global` → `llvm.mlir.addressof`.
    Values crossing to unconverted ops go through
    `builtin.unrealized_conversion_cast`.

    **Invariants**: no memref op survives; the pass fails naming the first
    one it cannot lower. A dynamic shape, dynamic stride or non-strided layout
    fails with one located line. Addresses keep the layout's strides, so
    every view aliases exactly the elements its memref type says.
    """

    name = PASS_NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [
                    LoadLowering(),
                    StoreLowering(),
                    PrefetchLowering(),
                    AllocLowering(),
                    AllocaLowering(),
                    DeallocLowering(),
                    ViewLowering(),
                    SubviewLowering(),
                    ReshapeLowering(),
                    ReinterpretCastLowering(),
                    GetGlobalLowering(),
                    GlobalLowering(),
                ]
            ),
            apply_recursively=False,
        ).rewrite_module(op)
        # Copies split blocks: done outside the walker, one at a time.
        for copy in [o for o in op.walk() if isinstance(o, memref.CopyOp)]:
            CopyLowering().match_and_rewrite(copy, PatternRewriter(copy))
        require_converted(op, "memref", PASS_NAME)
