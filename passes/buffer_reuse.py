"""
A static memory plan: the temporaries of a function share one arena.

After `bufferize`, each temporary is a static `memref.alloc` at the top level
of a function with one `memref.dealloc` after its last use (views of it come
between the two). Its live interval is the program-order span from the alloc
to the dealloc. The temporaries are placed in one byte arena, largest first,
each at the lowest 64-byte-aligned offset that overlaps no already placed
temporary whose interval overlaps its own (first fit by decreasing size over
the interval graph). The arena is one `memref.alloc` at function entry,
released before the return; each temporary becomes a `memref.view` of it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from math import prod

from xdsl.context import Context
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    DictionaryAttr,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    NoneAttr,
    i8,
    i64,
)
from xdsl.ir import Attribute, Block, Operation
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.hints import isa

from mlc.support.abi import ALIGNMENT, TEMP_BYTES_ATTR

# TEMP_BYTES_ATTR is `{before = B : i64, after = A : i64}` on functions and the
# module; ALIGNMENT is that of the arena and of every offset in it.


def static_type(alloc: Operation) -> MemRefType[Attribute] | None:
    """The type of a static, identity-layout `memref.alloc`, else None."""
    if not isinstance(alloc, memref.AllocOp) or alloc.dynamic_sizes:
        return None
    type_ = alloc.memref.type
    if not isa(type_, MemRefType[Attribute]) or not isinstance(type_.layout, NoneAttr):
        return None
    return type_


def element_bytes(type_: MemRefType[Attribute]) -> int:
    """The bytes of one element (an i1 takes a byte, an index 8)."""
    element = type_.get_element_type()
    if isinstance(element, IndexType):
        return 8
    width = getattr(element, "bitwidth", 64)
    return max(1, (int(width) + 7) // 8)


def byte_size(type_: MemRefType[Attribute]) -> int:
    """The bytes of a static memref."""
    return prod(type_.get_shape()) * element_bytes(type_)


def align(offset: int) -> int:
    """`offset` rounded up to a multiple of `ALIGNMENT`."""
    return -(-offset // ALIGNMENT) * ALIGNMENT


@dataclass
class Temporary:
    """One temporary: its alloc and dealloc, interval, bytes and arena offset."""

    alloc: memref.AllocOp
    dealloc: memref.DeallocOp
    type_: MemRefType[Attribute]
    start: int
    end: int
    size: int
    offset: int = 0

    def overlaps(self, other: Temporary) -> bool:
        """Whether the two live intervals share a program point."""
        return self.start <= other.end and other.start <= self.end


def temporaries(block: Block) -> list[Temporary]:
    """
    The temporaries of a function body, in program order.

    A temporary is a static top-level `memref.alloc` with exactly one
    `memref.dealloc` in the same block, after it; any other alloc (one that
    escapes, or an arena already planned, seen through `memref.view`) is left
    alone.
    """
    index = {op: i for i, op in enumerate(block.ops)}
    found: list[Temporary] = []
    for op in block.ops:
        type_ = static_type(op)
        if type_ is None or not isinstance(op, memref.AllocOp):
            continue
        users = [use.operation for use in op.memref.uses]
        deallocs = [u for u in users if isinstance(u, memref.DeallocOp)]
        if len(deallocs) != 1 or any(isinstance(u, memref.ViewOp) for u in users):
            continue
        dealloc = deallocs[0]
        if dealloc.parent_block() is not block or index[dealloc] < index[op]:
            continue
        found.append(
            Temporary(op, dealloc, type_, index[op], index[dealloc], byte_size(type_))
        )
    return found


def pack(temps: list[Temporary]) -> int:
    """
    Set each temporary's aligned offset; the arena's bytes.

    First fit, largest first; if that needs more bytes than placing every
    temporary after the previous one (it can, rarely), the latter is used.
    """
    size = first_fit(temps)
    sequential = sum(align(t.size) for t in temps[:-1]) + temps[-1].size
    if size <= sequential:
        return size
    offset = 0
    for temp in temps:
        temp.offset = offset
        offset += align(temp.size)
    return sequential


def first_fit(temps: list[Temporary]) -> int:
    """Set each temporary's offset, first fit by decreasing size; the arena size."""
    placed: list[Temporary] = []
    for temp in sorted(temps, key=lambda t: (-t.size, t.start)):
        busy = sorted((p.offset, p.offset + p.size) for p in placed if p.overlaps(temp))
        offset = 0
        for low, high in busy:
            if offset + temp.size <= low:
                break
            offset = max(offset, align(high))
        temp.offset = offset
        placed.append(temp)
    return max((t.offset + t.size for t in temps), default=0)


def peak_live(temps: list[Temporary]) -> int:
    """The most temporary bytes live at one program point (a bound on the arena)."""
    return max(
        (sum(o.size for o in temps if o.start <= t.start <= o.end) for t in temps),
        default=0,
    )


@dataclass(frozen=True)
class Plan:
    """The bytes of one function's temporaries: separate, planned, peak live."""

    before: int
    after: int
    peak: int


def plan_function(function: func.FuncOp) -> Plan | None:
    """Place `function`'s temporaries in one arena; None if it has none."""
    if len(function.body.blocks) != 1:
        return None
    block = function.body.block
    temps = temporaries(block)
    if not temps:
        return None
    size = pack(temps)
    first = block.first_op
    assert first is not None
    arena = memref.AllocOp.get(i8, ALIGNMENT, [size])
    arena.memref.name_hint = "arena"
    Rewriter.insert_op(arena, InsertPoint.before(first))
    for temp in temps:
        shift = arith.ConstantOp(IntegerAttr(temp.offset, IndexType()))
        view = memref.ViewOp(arena, shift, [], temp.type_)
        Rewriter.insert_op([shift, view], InsertPoint.before(temp.alloc))
        Rewriter.erase_op(temp.dealloc)
        temp.alloc.memref.replace_all_uses_with(view.result)
        Rewriter.erase_op(temp.alloc)
    for op in list(block.ops):
        if isinstance(op, func.ReturnOp):
            Rewriter.insert_op(memref.DeallocOp.get(arena), InsertPoint.before(op))
    plan = Plan(sum(t.size for t in temps), size, peak_live(temps))
    function.attributes[TEMP_BYTES_ATTR] = temp_bytes_attr(plan)
    return plan


def temp_bytes_attr(plan: Plan) -> DictionaryAttr:
    """`{before = B : i64, after = A : i64}`."""
    return DictionaryAttr(
        {"before": IntegerAttr(plan.before, i64), "after": IntegerAttr(plan.after, i64)}
    )


@dataclass(frozen=True)
class BufferReusePass(ModulePass):
    """
    Give each function one arena in which temporaries with disjoint lifetimes
    share storage; report the temporary bytes before and after.

    **Input invariant**: bufferized IR (`bufferize`): static temporaries are
    top-level `memref.alloc`s of single-block functions with one
    `memref.dealloc` after their last use (views of them come in between).
    Other allocs (no dealloc, several, dynamic sizes, a non-identity layout)
    are left as they are.

    **Output IR**: in each function with temporaries, one
    `memref.alloc() {alignment = 64 : i64} : memref<Nxi8>` first, a
    `memref.dealloc` of it before each `func.return`, and each temporary's
    alloc replaced by `memref.view %arena[%offset][]` at a 64-byte-aligned
    constant offset (its dealloc removed). Out-params and globals are
    untouched. The function gets `mlc.temp_bytes = {before = B : i64, after =
    A : i64}`: B the sum of its temporaries' bytes (each in its own storage),
    A the arena's bytes. The module gets the same attribute with the sums over
    the functions this run planned (an upper bound on what a call chain holds
    at once; a function planned before, whose arena is no temporary, is left
    as it is and not counted). With
    `report=true` the pass prints `buffer-reuse: temporary bytes B -> A (peak
    live L)` to stderr for the module (L the most bytes live at one program
    point of a function, summed over functions; L <= A).

    **Invariants**: two temporaries whose live intervals (alloc to dealloc, in
    program order) overlap never overlap in the arena; results are unchanged;
    A <= B up to alignment padding: A never exceeds the sum of the sizes
    rounded up to 64 bytes (all but the last), so A > B is possible only when
    temporaries smaller than 64 bytes overlap.
    """

    name = "buffer-reuse"

    report: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        plans = [
            plan
            for function in op.walk()
            if isinstance(function, func.FuncOp) and not function.is_declaration
            for plan in [plan_function(function)]
            if plan is not None
        ]
        total = Plan(
            sum(p.before for p in plans),
            sum(p.after for p in plans),
            sum(p.peak for p in plans),
        )
        op.attributes[TEMP_BYTES_ATTR] = temp_bytes_attr(total)
        if self.report:
            print(
                f"buffer-reuse: temporary bytes {total.before} -> {total.after}"
                f" (peak live {total.peak})",
                file=sys.stderr,
            )
