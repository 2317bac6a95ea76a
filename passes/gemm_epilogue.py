"""
The epilogue of a packed GEMM: which consumer of a contraction's output can be
applied to the accumulators, and its scalar body cloned on vectors.

The consumer must be the next op (only constants and views between): an
all-parallel `linalg.generic` on memrefs whose body uses only the ops in
`VECTORIZABLE` (float arithmetic, min/max, `math` functions) and constants,
and never reads its output's old value. `vectorize_body` clones such a body
with every value a `vector<vl x f32>`: lane i computes what the scalar body
computes for column i, so fusing changes no result. Likewise at the other
end: `initial_fill` finds the scalar fill a kernel's accumulators can start
from in place of loading the output (`initial_channels`: a per-channel
broadcast, a convolution's bias).
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import cast

from xdsl.builder import Builder
from xdsl.dialects import arith, math, memref, vector
from xdsl.dialects.builtin import (
    AnyFloat,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    VectorType,
    f32,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Attribute, Block, BlockArgument, Operation, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.utils.hints import isa

VECTORIZABLE = (
    arith.AddfOp,
    arith.SubfOp,
    arith.MulfOp,
    arith.DivfOp,
    arith.MaximumfOp,
    arith.MinimumfOp,
    arith.NegfOp,
    math.ExpOp,
    math.TanhOp,
    math.ErfOp,
    math.SqrtOp,
    math.RsqrtOp,
    math.LogOp,
    math.AbsFOp,
)
"""Scalar body ops the epilogue clones with vector types (and float constants)."""


def vectorize_body(
    builder: Builder,
    body: Block,
    args: Sequence[SSAValue],
    vl: int,
    hoisted: dict[SSAValue, SSAValue] | None = None,
) -> SSAValue:
    """
    `body` (a `linalg.generic` block) on vectors: each op cloned at `vl` lanes;
    the ops of `hoisted` (from `hoist_invariant`) reuse its vectors.
    """
    type_ = VectorType(f32, [vl])
    values: dict[SSAValue, SSAValue] = dict(hoisted or {})
    values.update(zip(body.args, args, strict=True))

    def emit(op: Operation) -> SSAValue:
        builder.insert(op)
        return op.results[0]

    def get(value: SSAValue) -> SSAValue:
        if value not in values:  # defined outside the body: one scalar
            values[value] = emit(vector.BroadcastOp(value, type_))
        return values[value]

    for op in body.ops:
        if isinstance(op, linalg.YieldOp):
            return get(op.operands[0])
        if op.results and op.results[0] in values:
            continue
        if isinstance(op, arith.ConstantOp):
            values[op.result] = emit(vector.BroadcastOp(emit(op.clone()), type_))
            continue
        new = type(op).create(
            operands=[get(v) for v in op.operands],
            result_types=[type_],
            properties=dict(op.properties),
            attributes=dict(op.attributes),
        )
        values[op.results[0]] = emit(new)
    raise ValueError("a linalg.generic body without linalg.yield")


def hoist_invariant(
    builder: Builder, body: Block, invariant: dict[int, SSAValue], vl: int
) -> dict[SSAValue, SSAValue]:
    """
    The ops of `body` that read only the arguments in `invariant` (index ->
    their vector), constants and values defined outside the body, on vectors
    at `builder`: a per-channel scale computed once per channel, not per
    vector. The result seeds `vectorize_body(..., hoisted=)`.
    """
    type_ = VectorType(f32, [vl])
    values: dict[SSAValue, SSAValue] = {
        body.args[i]: value for i, value in invariant.items()
    }
    varying: set[SSAValue] = {
        arg for i, arg in enumerate(body.args) if i not in invariant
    }
    for op in body.ops:
        if isinstance(op, linalg.YieldOp):
            break
        if any(v in varying for v in op.operands):
            varying.update(op.results)
            continue
        if isinstance(op, arith.ConstantOp):
            builder.insert(constant := op.clone())
            builder.insert(splat := vector.BroadcastOp(constant.result, type_))
            values[op.result] = splat.vector
            continue
        operands: list[SSAValue] = []
        for v in op.operands:
            if v not in values:  # defined outside the body: one scalar
                builder.insert(splat := vector.BroadcastOp(v, type_))
                values[v] = splat.vector
            operands.append(values[v])
        new = type(op).create(
            operands=operands,
            result_types=[type_],
            properties=dict(op.properties),
            attributes=dict(op.attributes),
        )
        builder.insert(new)
        values[op.results[0]] = new.results[0]
    return {k: v for k, v in values.items() if k not in body.args}


TRANSPARENT = (arith.ConstantOp, memref.ViewOp)
"""Ops without memory effects that may sit between a contraction and its consumer."""


def next_consumer(op: Operation) -> Operation | None:
    nxt = op.next_op
    while isinstance(nxt, TRANSPARENT):
        nxt = nxt.next_op
    return nxt


def elementwise_consumer(op: Operation, rank: int) -> linalg.GenericOp | None:
    """
    The op after `op` if it is an all-parallel `linalg.generic` on memrefs of
    `rank` loops with one output it only writes and a body the epilogue can
    vectorize; its maps are the caller's to check.

    The `TRANSPARENT` ops between the two (the views and constants
    `buffer-reuse` places before each op) move above `op`, so whatever the
    consumer reads or writes is defined where the fused kernel is built.
    """
    consumer = next_consumer(op)
    if not isinstance(consumer, linalg.GenericOp) or consumer.results:
        return None
    if len(consumer.outputs) != 1 or consumer.get_num_loops() != rank:
        return None
    if any(str(it.data) != "parallel" for it in consumer.get_iterator_types()):
        return None
    block = consumer.body.block
    if not body_vectorizable(block) or block.args[-1].uses:
        return None
    _hoist_between(op, consumer)
    return consumer


def _hoist_between(op: Operation, consumer: Operation) -> None:
    """Move the pure ops between `op` and `consumer` above `op`, in order."""
    parent = op.parent_block()
    between = op.next_op
    while parent is not None and between is not None and between is not consumer:
        following = between.next_op
        between.detach()
        parent.insert_op_before(between, op)
        between = following


def body_vectorizable(body: Block) -> bool:
    return all(
        isinstance(o, (*VECTORIZABLE, linalg.YieldOp))
        or (isinstance(o, arith.ConstantOp) and o.result.type == f32)
        for o in body.ops
    )


_VIEWS = (
    memref.SubviewOp,
    memref.CollapseShapeOp,
    memref.ExpandShapeOp,
    memref.ReinterpretCastOp,
)
"""Ops whose result addresses (part of) their source's memory."""


def _extent(value: SSAValue) -> tuple[SSAValue, tuple[int, int] | None]:
    """The buffer `value` lives in, and its byte range there if known."""
    owner = value.owner
    if isinstance(owner, memref.ViewOp) and not owner.sizes:
        offset = owner.byte_shift.owner
        size = _byte_size(value)
        if isinstance(offset, arith.ConstantOp) and size is not None:
            start = offset.value
            if isinstance(start, IntegerAttr):
                begin = cast(IntegerAttr[IndexType], start).value.data
                return owner.source, (begin, begin + size)
        return owner.source, None
    if isinstance(owner, _VIEWS):
        return _extent(owner.operands[0])[0], None
    return value, None


def _byte_size(value: SSAValue) -> int | None:
    type_ = value.type
    if not isa(type_, MemRefType[Attribute]):
        return None
    shape = type_.get_shape()
    element = type_.get_element_type()
    if any(d < 0 for d in shape) or not isinstance(element, AnyFloat | IntegerType):
        return None
    bits = element.bitwidth
    return prod(shape) * max(1, bits // 8)


def _just_before(op: Operation) -> Operation | None:
    """The op before `op`, past constants and views (`TRANSPARENT`)."""
    prev = op.prev_op
    while isinstance(prev, TRANSPARENT):
        prev = prev.prev_op
    return prev


def initial_fill(op: Operation, out: SSAValue) -> linalg.FillOp | None:
    """
    The `linalg.fill` of `out` with a scalar just before `op` (only views and
    constants between), which the accumulators can start from instead: the
    kernel that replaces `op` writes every element of `out` (or, its result
    fused into a consumer and `out` never read again, none), so the fill is
    only the sum's start and goes.
    """
    prev = _just_before(op)
    if not isinstance(prev, linalg.FillOp) or prev.results:
        return None
    if list(prev.outputs) != [out] or prev.inputs[0].type != f32:
        return None
    return prev


def initial_channels(op: Operation, out: SSAValue) -> linalg.GenericOp | None:
    """
    Like `initial_fill`, a broadcast of a vector of f32 per channel over the
    NCHW `out` just before `op` (a convolution's bias as ONNX gives it:
    `out[n, c, h, w] = bias[c]`), whose input each channel's sums can start
    from instead.
    """
    return _broadcast_before(op, out, 4, 1)


def initial_columns(op: Operation, out: SSAValue) -> linalg.GenericOp | None:
    """
    Like `initial_channels`, a vector of f32 broadcast along `out`'s last
    dimension just before `op` (a linear's bias: `out[.., m, n] = bias[n]`),
    whose input each column's sums can start from instead.
    """
    rank = out.type.get_num_dims() if isa(out.type, MemRefType) else 0
    return _broadcast_before(op, out, rank, rank - 1) if rank else None


def _broadcast_before(
    op: Operation, out: SSAValue, rank: int, dim: int
) -> linalg.GenericOp | None:
    """
    The generic just before `op` that copies a 1-D f32 memref along
    dimension `dim` of the rank-`rank` `out`, if that is what precedes it."""
    prev = _just_before(op)
    if not isinstance(prev, linalg.GenericOp) or prev.results:
        return None
    if len(prev.inputs) != 1 or list(prev.outputs) != [out]:
        return None
    ops = list(prev.body.block.ops)
    if len(ops) != 1 or list(ops[0].operands) != [prev.body.block.args[0]]:
        return None
    maps = [m.data for m in prev.get_indexing_maps()]
    along = AffineMap(rank, 0, (AffineDimExpr(dim),))
    bias = prev.inputs[0].type
    if maps != [along, AffineMap.identity(rank)] or not isa(bias, MemRefType):
        return None
    return prev if bias.get_element_type() == f32 and bias.get_num_dims() == 1 else None


def may_alias(x: SSAValue, y: SSAValue) -> bool:
    """
    Whether buffers `x` and `y` may share memory.

    Distinct allocations and distinct function arguments (the ABI makes them
    `noalias`) do not; views of one `buffer-reuse` arena do when their byte
    ranges overlap. Anything else may.
    """
    (x_root, x_range), (y_root, y_range) = _extent(x), _extent(y)
    if x_root is not y_root:
        return not all(
            isinstance(r, BlockArgument) or isinstance(r.owner, memref.AllocOp)
            for r in (x_root, y_root)
        )
    if x_range is None or y_range is None:
        return True
    return x_range[0] < y_range[1] and y_range[0] < x_range[1]


def c_read_later(c: SSAValue, epilogue: Operation) -> bool:
    """Whether C is read after `epilogue` (or escapes the function)."""
    if isinstance(c, BlockArgument) or not isinstance(
        c.owner, memref.AllocOp | memref.ViewOp
    ):
        return True  # a function's buffer, or a view others may read through
    for use in c.uses:
        user = use.operation
        block = user.parent_block()
        if isinstance(user, memref.DeallocOp) or (block and block.parent is None):
            continue  # freed, or a view just built for the GEMM itself
        if user.parent_block() is not epilogue.parent_block():
            return True
        if epilogue.is_before_in_block(user):
            return True
    return False


__all__ = [
    "TRANSPARENT",
    "VECTORIZABLE",
    "body_vectorizable",
    "c_read_later",
    "elementwise_consumer",
    "hoist_invariant",
    "initial_channels",
    "initial_columns",
    "initial_fill",
    "may_alias",
    "next_consumer",
    "vectorize_body",
]
