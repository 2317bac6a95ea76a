"""
`convert-func-to-llvm`: func.func/call/return to llvm.func/call/return.

The ABI (docs/architecture.md, "Runtime contract"): the same symbol name; one
`!llvm.ptr` per memref argument, in order (inputs, then the `mlc.out`
outputs); `index` arguments as `i64`; void unless the function returns
scalars. Pointer arguments are `llvm.noalias` (callers pass
non-overlapping buffers) and promise no alignment beyond their element's,
so a caller passes any array in place (numpy's, 16-byte aligned).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    MemRefType,
    ModuleOp,
    UnitAttr,
)
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.utils.exceptions import PassFailedException

from mlc.lowering.llvm_common import from_llvm, llvm_type, retype_block_args, to_llvm
from mlc.lowering.utils import located_failure, require_converted
from mlc.support.abi import OUT_ATTR, TYPE_ATTR

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
        attrs.append(DictionaryAttr(entries))
    return ArrayAttr(attrs)


def convert_func(op: func.FuncOp) -> None:
    inputs = [llvm_type(t) for t in op.function_type.inputs.data]
    output = result_type(op)
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


def convert_return(op: func.ReturnOp) -> None:
    rewriter = PatternRewriter(op)
    if len(op.arguments) > 1:
        raise fail(op, "a function returning several values")
    values = [to_llvm(rewriter, v) for v in op.arguments]
    rewriter.replace(op, llvm.ReturnOp(*values))


def convert_call(op: func.CallOp) -> None:
    rewriter = PatternRewriter(op)
    if len(op.res) > 1:
        raise fail(op, "a call returning several values")
    for result in op.res:
        if isinstance(result.type, MemRefType):
            raise fail(op, "a call returning a memref")
    args = [to_llvm(rewriter, v) for v in op.arguments]
    result = llvm_type(op.res[0].type) if op.res else None
    call = llvm.CallOp(op.callee, *args, return_type=result)
    rewriter.insert(call)
    results = [from_llvm(rewriter, r, o.type) for r, o in zip(call.results, op.res)]
    rewriter.replace(op, [], results)


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
    `func.return` → `llvm.return`. The entry block's arguments take the new
    types; their unconverted users read them through
    `builtin.unrealized_conversion_cast`. Other blocks' arguments are left to
    `convert-cf-to-llvm`, which converts their branches.

    **Invariants**: no func op survives; symbol names and the order of
    arguments (the ABI) are unchanged. A function with several results or a
    memref result fails the pass with one located line.
    """

    name = PASS_NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in list(op.walk()):
            if isinstance(inner, func.ReturnOp):
                convert_return(inner)
            elif isinstance(inner, func.CallOp):
                convert_call(inner)
        for inner in list(op.walk()):
            if isinstance(inner, func.FuncOp):
                convert_func(inner)
        require_converted(op, "func", PASS_NAME)
