"""
`convert-func-to-llvm`: func.func/call/return to llvm.func/call/return.

The ABI (docs/architecture.md, "Runtime contract"): the same symbol name; one
`!llvm.ptr` per memref argument, in order (inputs, then the `mlc.out`
outputs); `index` arguments as `i64`; void unless the function returns
scalars. Pointer arguments are `llvm.noalias` (callers pass
non-overlapping buffers) and promise no alignment beyond their element's,
so a caller passes any array in place (numpy's, 16-byte aligned).

Out of memory: a function that allocates (an `mlc_alloc` call, which
`convert-memref-to-llvm` makes of `memref.alloc`, so this pass runs after it)
or calls one that does, and returns nothing, returns an `i64` status instead
of void: 0 on success, else the byte size of the allocation that failed.
Every `mlc_alloc` result is compared with null and every such call's
status with 0; on failure the function frees what it allocated earlier in
the same block, and what the entry block allocated (mlc's arena) when no
path to the failure can have freed it yet, and returns the status, so the
caller (the runtime, the exported C wrapper) reports an out-of-memory error
instead of writing through a null pointer. A function returning a scalar
cannot carry the status: there a failure aborts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    UnitAttr,
    UnrealizedConversionCastOp,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.utils.exceptions import PassFailedException

from mlc.lowering.llvm_common import (
    declare,
    from_llvm,
    llvm_type,
    retype_block_args,
    to_llvm,
)
from mlc.lowering.utils import located_failure, require_converted
from mlc.support.abi import OUT_ATTR, PACKED_ATTR, TYPE_ATTR
from mlc.support.abi import RUNTIME_ALLOC as ALLOC
from mlc.support.abi import RUNTIME_FREE as FREE

PASS_NAME = "convert-func-to-llvm"


def fail(op: Operation, message: str) -> PassFailedException:
    """A one-line located error of this pass at `op`."""
    return located_failure(op, f"{PASS_NAME}: {message}")


def result_type(op: func.FuncOp) -> Attribute:
    outputs: list[Attribute] = list(op.function_type.outputs.data)
    if not outputs:
        return llvm.LLVMVoidType()
    if len(outputs) > 1:
        raise fail(op, f"@{op.sym_name.data} returns {len(outputs)} values")
    if isinstance(outputs[0], MemRefType):
        raise fail(
            op,
            f"@{op.sym_name.data} returns a memref "
            "(the loop level passes results as mlc.out arguments)",
        )
    return llvm_type(outputs[0])


def arg_attrs(
    op: func.FuncOp, inputs: list[Attribute], defined: bool
) -> ArrayAttr[DictionaryAttr]:
    """
    `llvm.noalias` on pointers; a public definition's also, since a pointer
    carries no shape, `mlc.type = <the memref type>` and the `mlc.out`
    marker it had, so the runtime can call llvm-level IR."""
    public = op.sym_visibility is None or op.sym_visibility.data == "public"
    old_attrs = op.arg_attrs.data if op.arg_attrs is not None else None
    attrs: list[DictionaryAttr] = []
    for index, (old, type_) in enumerate(zip(op.function_type.inputs, inputs)):
        entries: dict[str, Attribute] = {}
        if isinstance(type_, llvm.LLVMPointerType):
            entries["llvm.noalias"] = UnitAttr()
            if public and defined:
                entries[TYPE_ATTR] = old
                if old_attrs is not None and OUT_ATTR in old_attrs[index].data:
                    entries[OUT_ATTR] = UnitAttr()
                if old_attrs is not None and PACKED_ATTR in old_attrs[index].data:
                    entries[PACKED_ATTR] = old_attrs[index].data[PACKED_ATTR]
        attrs.append(DictionaryAttr(entries))
    return ArrayAttr(attrs)


def convert_func(op: func.FuncOp, fallible: set[str]) -> None:
    inputs = [llvm_type(t) for t in op.function_type.inputs.data]
    output = i64 if op.sym_name.data in fallible else result_type(op)
    defined = bool(op.body.blocks)
    private = op.sym_visibility is not None and op.sym_visibility.data == "private"
    linkage = "internal" if defined and private else "external"
    body = op.detach_region(op.body)
    if defined:
        retype_block_args(body.blocks[0])
    new = llvm.FuncOp(
        op.sym_name,
        llvm.LLVMFunctionType(inputs, output),
        linkage=llvm.LinkageAttr(linkage),
        body=body,
        other_props={"arg_attrs": arg_attrs(op, inputs, defined)},
    )
    parent = op.parent_block()
    assert parent is not None
    parent.insert_op_before(new, op)
    parent.erase_op(op)


def convert_return(op: func.ReturnOp, fallible: set[str]) -> None:
    rewriter = PatternRewriter(op)
    if len(op.arguments) > 1:
        raise fail(op, "a function returning several values")
    function = op.parent_op()
    if isinstance(function, func.FuncOp) and function.sym_name.data in fallible:
        ok = llvm.ConstantOp(IntegerAttr(0, i64), i64)
        rewriter.insert(ok)
        rewriter.replace(op, llvm.ReturnOp(ok.result))
        return
    values = [to_llvm(rewriter, v) for v in op.arguments]
    rewriter.replace(op, llvm.ReturnOp(*values))


def convert_call(op: func.CallOp, fallible: set[str]) -> None:
    rewriter = PatternRewriter(op)
    if len(op.res) > 1:
        raise fail(op, "a call returning several values")
    for result in op.res:
        if isinstance(result.type, MemRefType):
            raise fail(op, "a call returning a memref")
    args = [to_llvm(rewriter, v) for v in op.arguments]
    result = llvm_type(op.res[0].type) if op.res else None
    if op.callee.root_reference.data in fallible:
        result = i64
    call = llvm.CallOp(op.callee, *args, return_type=result)
    rewriter.insert(call)
    results = [from_llvm(rewriter, r, o.type) for r, o in zip(call.results, op.res)]
    rewriter.replace(op, [], results)


# -- out of memory ------------------------------------------------------------- #

ABORT = "abort"


def _callee(op: Operation) -> str | None:
    if isinstance(op, llvm.CallOp) and op.callee is not None:
        return op.callee.root_reference.data
    if isinstance(op, func.CallOp):
        return op.callee.root_reference.data
    return None


def fallible_functions(module: ModuleOp) -> set[str]:
    """
    The defined functions that return an out-of-memory status.

    Those returning nothing that call `mlc_alloc` or, through `func.call`,
    another such function. A function returning a scalar, or one an
    `llvm.call` or `llvm.mlir.addressof` already refers to with its type, keeps
    its type: a failure in it aborts, and its callers see no status.
    """
    functions = {
        f.sym_name.data: f
        for f in module.ops
        if isinstance(f, func.FuncOp) and f.body.blocks
    }
    pinned = {
        op.global_name.root_reference.data
        for op in module.walk()
        if isinstance(op, llvm.AddressOfOp)
    }
    callers: defaultdict[str, set[str]] = defaultdict(set)
    work: list[str] = []
    for name, function in functions.items():
        for op in function.walk():
            callee = _callee(op)
            if callee == ALLOC:
                work.append(name)
            elif isinstance(op, func.CallOp) and callee is not None:
                callers[callee].add(name)
            elif callee is not None:
                pinned.add(callee)
    capable = {
        name
        for name, function in functions.items()
        if not function.function_type.outputs.data and name not in pinned
    }
    found: set[str] = set()
    while work:
        name = work.pop()
        if name in capable and name not in found:
            found.add(name)
            work.extend(callers[name])
    return found


def check_allocations(function: func.FuncOp, fallible: set[str]) -> None:
    """
    After each `mlc_alloc` and each call of a fallible function, branch
    to a block that frees this block's earlier allocations and returns the
    status (or aborts, in a function without a status).
    """
    status = function.sym_name.data in fallible
    module = function.get_toplevel_object()
    assert isinstance(module, ModuleOp)
    held = entry_allocations_held(function)
    for block in list(function.body.blocks):
        live: list[SSAValue] = list(held.get(block, ()))
        current = block
        for op in list(block.ops):
            callee = _callee(op)
            if callee == FREE:
                freed = _root(op.operands[0])
                live = [p for p in live if p is not freed]
            elif callee == ALLOC and isinstance(op, llvm.CallOp):
                assert op.returned is not None
                as_int = llvm.PtrToIntOp(op.returned, i64)
                zero = llvm.ConstantOp(IntegerAttr(0, i64), i64)
                bad = llvm.ICmpOp(as_int.output, zero.result, _icmp("eq"))
                current = _branch_on_failure(
                    current,
                    op,
                    [as_int, zero, bad],
                    bad.res,
                    op.operands[1],
                    live,
                    status,
                )
                live.append(op.returned)
            elif callee in fallible and isinstance(op, llvm.CallOp):
                assert op.returned is not None
                zero = llvm.ConstantOp(IntegerAttr(0, i64), i64)
                bad = llvm.ICmpOp(op.returned, zero.result, _icmp("ne"))
                current = _branch_on_failure(
                    current, op, [zero, bad], bad.res, op.returned, live, status
                )
        if not status and current is not block:
            declare(module, ABORT, llvm.LLVMFunctionType([]))
        if live or current is not block:
            declare(module, FREE, llvm.LLVMFunctionType([llvm.LLVMPointerType()]))


def entry_allocations_held(function: func.FuncOp) -> dict[Block, list[SSAValue]]:
    """
    The entry block's allocations certainly still held at the start of each
    other block: those freed in a later block F (mlc's arena, freed at the
    end) at a block reachable from the entry without passing F and not
    reachable from F (so no path to it has freed them). A failure there
    frees them too; where that is uncertain they are left (a leak on the
    failure path, never a double free).
    """
    blocks = list(function.body.blocks)
    if len(blocks) < 2:
        return {}
    entry = blocks[0]
    freed_in: defaultdict[SSAValue, set[Block]] = defaultdict(set)
    allocated: list[SSAValue] = []
    for block in blocks:
        for op in block.ops:
            callee = _callee(op)
            if block is entry and callee == ALLOC and isinstance(op, llvm.CallOp):
                assert op.returned is not None
                allocated.append(op.returned)
            elif callee == FREE and op.operands:
                freed_in[_root(op.operands[0])].add(block)
    held: defaultdict[Block, list[SSAValue]] = defaultdict(list)
    for pointer in allocated:
        frees = freed_in.get(pointer, set())
        if not frees or entry in frees:
            continue  # freed in the entry block, or never: nothing to add
        before = _reachable(_successors(entry), stop=frees)
        after = _reachable([s for f in frees for s in _successors(f)], stop=set())
        for block in before - after - {entry}:
            held[block].append(pointer)
    return held


def _root(value: SSAValue) -> SSAValue:
    """
    The value under `builtin.unrealized_conversion_cast`s (this pass runs
    before `reconcile-unrealized-casts`: a `memref.dealloc` frees the
    allocation's pointer cast to a memref and back).
    """
    while (
        isinstance(value.owner, UnrealizedConversionCastOp)
        and len(value.owner.inputs) == 1
    ):
        value = value.owner.inputs[0]
    return value


def _successors(block: Block) -> list[Block]:
    last = block.last_op
    return list(last.successors) if last is not None else []


def _reachable(start: list[Block], stop: set[Block]) -> set[Block]:
    """Blocks reachable from `start`, not going on past a block in `stop`."""
    seen: set[Block] = set()
    work = list(start)
    while work:
        block = work.pop()
        if block in seen:
            continue
        seen.add(block)
        if block not in stop:
            work.extend(_successors(block))
    return seen


def _icmp(predicate: str) -> IntegerAttr[IntegerType]:
    return IntegerAttr(llvm.ICmpPredicateFlag(predicate).to_int(), i64)


def _branch_on_failure(
    block: Block,
    op: Operation,
    test: list[Operation],
    failed: SSAValue,
    status: SSAValue,
    live: list[SSAValue],
    returns_status: bool,
) -> Block:
    """Split `block` after `op`; `failed` leads to freeing `live`, returning."""
    after = op.next_op
    assert after is not None, "a call is never a block's terminator"
    rest = block.split_before(after)
    region = block.parent
    assert isinstance(region, Region)
    failure = Block()
    region.insert_block_after(failure, block)
    block.add_ops([*test, llvm.CondBrOp(failed, failure, [], rest, [])])
    for pointer in live:
        failure.add_op(llvm.CallOp(FREE, pointer))
    if returns_status:
        failure.add_op(llvm.ReturnOp(status))
    else:
        failure.add_op(llvm.CallOp(ABORT))
        failure.add_op(llvm.UnreachableOp())
    return rest


@dataclass(frozen=True)
class ConvertFuncToLlvmPass(ModulePass):
    """
    Lower func.func, func.call and func.return to the LLVM dialect.

    **Input invariant**: functions with at most one non-memref result (the
    loop level returns results through `mlc.out` memref arguments).

    **Output IR**: `llvm.func` with the same symbol, `!llvm.ptr` per memref
    argument (`llvm.noalias`; public definitions also
    `mlc.type = <memref type>` and their `mlc.out` markers),
    `i64` per `index`; private definitions get `internal` linkage,
    declarations and public ones `external`. `func.call` → `llvm.call`,
    `func.return` → `llvm.return`. A void function that allocates (directly
    or through a call) returns an `i64` status instead: every
    `mlc_alloc` is checked against null and every such call's status
    against 0, a failure frees the block's earlier allocations and returns
    the status (aborts where no status can be returned). The entry block's
    arguments take the new types; their unconverted users read them through
    `builtin.unrealized_conversion_cast`. Other blocks' arguments are left to
    `convert-cf-to-llvm`, which converts their branches.

    **Invariants**: no func op survives; symbol names and the order of
    arguments (the ABI) are unchanged. A function with several results or a
    memref result fails the pass with one located line.
    """

    name = PASS_NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        fallible = fallible_functions(op)
        for inner in list(op.walk()):
            if isinstance(inner, func.ReturnOp):
                convert_return(inner, fallible)
            elif isinstance(inner, func.CallOp):
                convert_call(inner, fallible)
        for inner in list(op.ops):
            if isinstance(inner, func.FuncOp) and inner.body.blocks:
                check_allocations(inner, fallible)
        for inner in list(op.walk()):
            if isinstance(inner, func.FuncOp):
                convert_func(inner, fallible)
        require_converted(op, "func", PASS_NAME)
