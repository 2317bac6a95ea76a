"""
`convert-cf-to-llvm`: cf.br, cf.cond_br and cf.assert to the LLVM dialect.

Branch operands are bridged to their LLVM types (`lowering/llvm_common.py`), and
the arguments of every block a branch targets take their LLVM types
(`index` → `i64`), with casts back for users not converted yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import cf, llvm
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr, i8, i32, i64
from xdsl.ir import Block, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.utils.exceptions import PassFailedException

from mlc.lowering.llvm_common import call, module_of, retype_block_args, to_llvm
from mlc.lowering.utils import located_failure, require_converted

PASS_NAME = "convert-cf-to-llvm"


def fail(op: Operation, message: str) -> PassFailedException:
    """A one-line located error of this pass at `op`."""
    return located_failure(op, f"{PASS_NAME}: {message}")


def convert_br(op: cf.BranchOp) -> None:
    rewriter = PatternRewriter(op)
    args = [to_llvm(rewriter, v) for v in op.arguments]
    rewriter.replace(op, llvm.BrOp(op.successor, *args))


def convert_cond_br(op: cf.ConditionalBranchOp) -> None:
    rewriter = PatternRewriter(op)
    then_args = [to_llvm(rewriter, v) for v in op.then_arguments]
    else_args = [to_llvm(rewriter, v) for v in op.else_arguments]
    rewriter.replace(
        op,
        llvm.CondBrOp(op.cond, op.then_block, then_args, op.else_block, else_args),
    )


def message_global(module: ModuleOp, data: bytes) -> str:
    """A constant byte array holding `data`; returns its name."""
    taken = {o.properties["sym_name"] for o in module.ops if "sym_name" in o.properties}
    index = 0
    while StringAttr(f"__mlc_assert_msg_{index}") in taken:
        index += 1
    name = f"__mlc_assert_msg_{index}"
    array = llvm.LLVMArrayType(len(data), i8)
    module.body.block.add_op(
        llvm.GlobalOp(
            array,
            name,
            "internal",
            constant=True,
            value=StringAttr(data.decode("ascii")),
        )
    )
    return name


def convert_assert(op: cf.AssertOp) -> None:
    """
    Split the block: `cond_br %cond, ^continue, ^fail` where `^fail` prints
    the message to stderr (`write(2, ...)`, unbuffered, so it shows even
    though `abort` flushes nothing) and calls `abort`.
    """
    block = op.parent_block()
    region = block.parent if block is not None else None
    if block is None or region is None:
        raise fail(op, "cf.assert outside a block")
    module = module_of(op)
    rest = block.split_before(op)
    failure = Block()
    region.insert_block_after(failure, block)
    condition = op.arg
    op.detach()
    block.add_op(llvm.CondBrOp(condition, rest, [], failure, []))
    unreachable = llvm.UnreachableOp()
    failure.add_op(unreachable)
    rewriter = PatternRewriter(unreachable)
    # ASCII only: a StringAttr's characters are the array's bytes.
    data = f"{op.msg.data}\n".encode("ascii", "backslashreplace")
    name = message_global(module, data)
    address = rewriter.insert(llvm.AddressOfOp(name, llvm.LLVMPointerType()))
    fd = rewriter.insert(llvm.ConstantOp(IntegerAttr(2, i32), i32))
    size = rewriter.insert(llvm.ConstantOp(IntegerAttr(len(data), i64), i64))
    args = [fd.result, address.result, size.result]
    call(rewriter, module, "write", args, i64)
    call(rewriter, module, "abort", [], None)
    op.erase()


@dataclass(frozen=True)
class ConvertCfToLlvmPass(ModulePass):
    """
    Lower cf.br, cf.cond_br and cf.assert to the LLVM dialect.

    **Input invariant**: cf branches inside function bodies (as
    `convert-scf-to-cf` leaves them).

    **Output IR**: `llvm.br` / `llvm.cond_br` with operands of LLVM types;
    every non-entry block's arguments of LLVM types (`index` → `i64`), with
    `builtin.unrealized_conversion_cast` back to the old type for users not
    converted yet. `cf.assert %c, "msg"` → `llvm.cond_br %c, ^ok, ^fail`,
    where `^fail` writes "msg\\n" to stderr, calls `abort()` and ends in
    `llvm.unreachable`.

    **Invariants**: no cf op survives; the pass fails naming the first one it
    cannot lower (`cf.switch`, say). Branch targets and their order are
    unchanged; only blocks that a branch targets are retyped.
    """

    name = PASS_NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in list(op.walk()):
            if isinstance(inner, cf.AssertOp):
                convert_assert(inner)
        for inner in list(op.walk()):
            if isinstance(inner, cf.BranchOp | cf.ConditionalBranchOp):
                for successor in inner.successors:
                    retype_block_args(successor)
        for inner in list(op.walk()):
            if isinstance(inner, cf.BranchOp):
                convert_br(inner)
            elif isinstance(inner, cf.ConditionalBranchOp):
                convert_cond_br(inner)
        require_converted(op, "cf", PASS_NAME)
