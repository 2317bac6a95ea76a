"""
What the `convert-*-to-llvm` passes share: the type bridge between loop-level
and LLVM-dialect values (`llvm_type`, `to_llvm`, `from_llvm`), memref layouts
and element addresses, calls of external C functions, fast-math flags and
block-argument retyping.

Each pass rewrites only its own dialect's ops and imports from here, never from
another pass's module, so the passes stay independent and run in any order.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from xdsl.dialects import arith, func, llvm
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    AnyFloat,
    BFloat16Type,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    NoneAttr,
    StridedLayoutAttr,
    UnrealizedConversionCastOp,
    VectorType,
    i16,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.utils.exceptions import PassFailedException
from xdsl.utils.hints import isa

from mlc.lowering.utils import located_failure

MEMREF_PASS = "convert-memref-to-llvm"
"""The pass whose name prefixes a memref layout error, wherever it arises."""


def fail(op: Operation, message: str) -> PassFailedException:
    """A one-line located error about a memref layout at `op`."""
    return located_failure(op, f"{MEMREF_PASS}: {message}")


# --------------------------------------------------------------------------- #
# The LLVM-dialect type bridge
# --------------------------------------------------------------------------- #
#
# Each convert-*-to-llvm pass rewrites only its own dialect's ops. An operand
# still of a loop-level type is bridged with `builtin.unrealized_conversion_cast`
# to its LLVM type (`to_llvm`), and a result whose users are not converted yet
# is bridged back (`from_llvm`); `reconcile-unrealized-casts`, last in the
# pipeline, erases the cast pairs. So the passes run in any order, as upstream's.


def llvm_type(type_: Attribute) -> Attribute:
    """
    The LLVM-dialect type of a loop-level value.

    `index` → `i64`; a memref → `!llvm.ptr` (the address of its element
    `[0, ..., 0]`, offset applied: static strides come from its type); `bf16`
    → `i16`, its bits (LLVM's `bfloat` has no arithmetic on most targets and
    mlc's LLVM IR translator no such type: `convert-arith-to-llvm` expands
    the bf16 <-> f32 conversions to integer code); every other loop-level
    type (integers, floats, vectors of them) is already one."""
    if isinstance(type_, IndexType):
        return i64
    if isinstance(type_, MemRefType):
        return llvm.LLVMPointerType()
    if isinstance(type_, BFloat16Type):
        return i16
    if isa(type_, VectorType[Attribute]) and isinstance(
        type_.get_element_type(), BFloat16Type
    ):
        return VectorType(i16, type_.get_shape())
    return type_


def to_llvm(rewriter: PatternRewriter, value: SSAValue) -> SSAValue:
    """`value` as its LLVM type, through a cast at the rewriter's insertion point."""
    target = llvm_type(value.type)
    if target == value.type:
        return value
    cast = UnrealizedConversionCastOp.get([value], [target])
    rewriter.insert(cast)
    return cast.results[0]


def from_llvm(
    rewriter: PatternRewriter, value: SSAValue, old_type: Attribute
) -> SSAValue:
    """
    `value` (an LLVM-typed result) as `old_type` for not yet converted users.

    The cast goes at the rewriter's insertion point (before the matched op), so
    call this after inserting the op that defines `value`."""
    if value.type == old_type:
        return value
    cast = UnrealizedConversionCastOp.get([value], [old_type])
    rewriter.insert(cast)
    return cast.results[0]


def int_width(type_: Attribute) -> int:
    """The width of an integer type."""
    assert isa(type_, IntegerType)
    return type_.width.data


def fast_math(op: Operation) -> llvm.FastMathAttr:
    """The `llvm.fastmath` flags of an arith/math op's `fastmath` property."""
    flags = op.properties.get("fastmath")
    if isinstance(flags, arith.FastMathFlagsAttr):
        return llvm.FastMathAttr(flags.data)
    return llvm.FastMathAttr(None)


def retype_block_args(block: Block) -> None:
    """
    Give `block`'s arguments their LLVM types; uses of an argument that
    changed type read it through a cast back to the old type (placed at the
    start of the block), which `reconcile-unrealized-casts` removes once
    every user is converted.
    """
    first = block.first_op
    for index, arg in enumerate(list(block.args)):
        new_type = llvm_type(arg.type)
        if new_type == arg.type:
            continue
        new_arg = block.insert_arg(new_type, index)
        new_arg.name_hint = arg.name_hint
        cast = UnrealizedConversionCastOp.get([new_arg], [arg.type])
        if first is None:
            block.add_op(cast)
        else:
            block.insert_op_before(cast, first)
        arg.replace_all_uses_with(cast.results[0])
        block.erase_arg(arg)


# --------------------------------------------------------------------------- #
# Types and layouts
# --------------------------------------------------------------------------- #


def element_bytes(type_: Attribute) -> int:
    """The size in bytes of one memref element (`i1` takes a byte)."""
    if isinstance(type_, VectorType):
        count = prod(type_.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        return count * element_bytes(type_.get_element_type())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    if isinstance(type_, IntegerType):
        return max(1, (type_.bitwidth + 7) // 8)
    if isinstance(type_, IndexType):
        return 8
    if isa(type_, AnyFloat):
        return type_.bitwidth // 8
    raise ValueError(f"unsupported memref element type {type_}")


def element_type(op: Operation, type_: MemRefType[Attribute]) -> Attribute:
    """The LLVM element type of a memref type (`index` → `i64`)."""
    element = llvm_type(type_.get_element_type())
    try:
        element_bytes(element)
    except ValueError as error:
        raise fail(op, str(error)) from None
    return element


def static_shape(op: Operation, type_: Attribute) -> tuple[int, ...]:
    """The static shape of a memref type; a dynamic one fails at `op`."""
    if not isa(type_, MemRefType):
        raise fail(op, f"only ranked memrefs are supported ({type_})")
    shape = tuple(type_.get_shape())
    if any(d == DYNAMIC_INDEX for d in shape):
        raise fail(op, f"dynamic shapes are not supported yet ({type_})")
    return shape


def strides(op: Operation, type_: Attribute) -> tuple[int, ...]:
    """The static strides (in elements) of a memref type."""
    static_shape(op, type_)
    assert isa(type_, MemRefType)
    if not isinstance(type_.layout, NoneAttr | StridedLayoutAttr):
        raise fail(op, f"only strided layouts are supported ({type_})")
    found = type_.get_strides()
    if found is None or any(s is None for s in found):
        raise fail(op, f"dynamic strides are not supported ({type_})")
    return tuple(s for s in found if s is not None)


def offset(op: Operation, type_: Attribute) -> int:
    """The static offset (in elements) of a memref type's layout."""
    static_shape(op, type_)
    assert isa(type_, MemRefType)
    found = type_.get_offset()
    if found is None:
        raise fail(op, f"dynamic offsets are not supported ({type_})")
    return found


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """The row-major strides of `shape`."""
    result: list[int] = []
    step = 1
    for d in reversed(shape):
        result.append(step)
        step *= d
    return tuple(reversed(result))


def memref_type(value: SSAValue) -> MemRefType[Attribute]:
    type_ = value.type
    assert isa(type_, MemRefType)
    return type_


# --------------------------------------------------------------------------- #
# Builders (insert before the rewriter's current op)
# --------------------------------------------------------------------------- #


def const_i64(rewriter: PatternRewriter, value: int) -> SSAValue:
    op = llvm.ConstantOp(IntegerAttr(value, i64), i64)
    rewriter.insert(op)
    return op.result


def static_int(value: SSAValue) -> int | None:
    """The integer a constant index holds, through casts; None if not constant."""
    while True:
        owner = value.owner
        if isinstance(owner, UnrealizedConversionCastOp) and len(owner.inputs) == 1:
            value = owner.inputs[0]
            continue
        if isinstance(owner, llvm.ConstantOp | arith.ConstantOp):
            attr = owner.properties.get("value")
            if isinstance(attr, IntegerAttr):
                return attr.value.data
        return None


def index_value(rewriter: PatternRewriter, value: SSAValue) -> SSAValue | int:
    """An index operand as a static int when constant, else as an `i64`."""
    static = static_int(value)
    return static if static is not None else to_llvm(rewriter, value)


def linear_index(
    rewriter: PatternRewriter,
    indices: Sequence[SSAValue | int],
    stride_list: Sequence[int],
) -> SSAValue | int:
    """`Σ index_k * stride_k` as an `i64` value, or an int when all are static."""
    static = 0
    terms: list[SSAValue] = []
    for index, stride in zip(indices, stride_list, strict=True):
        if isinstance(index, int):
            static += index * stride
            continue
        if stride == 0:
            continue
        term = index
        if stride != 1:
            mul = llvm.MulOp(index, const_i64(rewriter, stride))
            rewriter.insert(mul)
            term = mul.res
        terms.append(term)
    if not terms:
        return static
    total = terms[0]
    for term in terms[1:]:
        add = llvm.AddOp(total, term)
        rewriter.insert(add)
        total = add.res
    if static:
        add = llvm.AddOp(total, const_i64(rewriter, static))
        rewriter.insert(add)
        total = add.res
    return total


def offset_ptr(
    rewriter: PatternRewriter,
    ptr: SSAValue,
    index: SSAValue | int,
    element: Attribute,
) -> SSAValue:
    """`ptr + index` elements of type `element`; `ptr` itself for 0."""
    if isinstance(index, int) and index == 0:
        return ptr
    if isinstance(index, int) and not -(2**31) <= index < 2**31:
        index = const_i64(rewriter, index)  # GEP constant indices are i32
    gep = llvm.GEPOp.from_mixed_indices(ptr, [index], element, inbounds=True)
    rewriter.insert(gep)
    return gep.result


def element_ptr(
    rewriter: PatternRewriter,
    op: Operation,
    source: SSAValue,
    indices: Sequence[SSAValue],
) -> tuple[SSAValue, Attribute, int]:
    """The address of `source[indices]`, its LLVM element type and alignment."""
    type_ = memref_type(source)
    element = element_type(op, type_)
    stride_list = strides(op, type_)
    ptr = to_llvm(rewriter, source)
    index_values = [index_value(rewriter, i) for i in indices]
    linear = linear_index(rewriter, index_values, stride_list)
    return offset_ptr(rewriter, ptr, linear, element), element, element_bytes(element)


def declare(module: ModuleOp, name: str, type_: llvm.LLVMFunctionType) -> None:
    """Declare the external function `name` in `module` unless it exists."""
    for op in module.ops:
        if isinstance(op, llvm.FuncOp) and op.sym_name.data == name:
            return
        if isinstance(op, func.FuncOp) and op.sym_name.data == name:
            return
    module.body.block.add_op(
        llvm.FuncOp(name, type_, linkage=llvm.LinkageAttr("external"))
    )


def module_of(op: Operation) -> ModuleOp:
    found = op.get_toplevel_object()
    assert isinstance(found, ModuleOp)
    return found


def call(
    rewriter: PatternRewriter,
    module: ModuleOp,
    name: str,
    args: Sequence[SSAValue],
    result: Attribute | None,
) -> llvm.CallOp:
    """Call the external C function `name` (declared on first use)."""
    inputs = [a.type for a in args]
    output = llvm.LLVMVoidType() if result is None else result
    declare(module, name, llvm.LLVMFunctionType(inputs, output))
    call_op = llvm.CallOp(name, *args, return_type=result)
    rewriter.insert(call_op)
    return call_op
