"""
widen-bf16: graph ops on bf16 compute in f32, with casts around them.

bf16 has the range of f32 and 8 bits of precision; CPUs (and LLVM on most
targets) have no bf16 arithmetic, so mlc computes every op in f32 and rounds
each result to bf16 once, as PyTorch's CPU kernels and ml_dtypes' numpy
ufuncs do: `graph.add %a, %b : bf16` becomes `cast(add(cast(a, f32),
cast(b, f32)), bf16)`. Data movement in f32 is exact, and a reduction or
contraction accumulates in f32. The graph ops' references compute the same
way (`GraphOp.evaluate`), so the interpreters agree with the compiled code.
Casts between bf16 and a type other than f32 go through f32, so the lowering
meets only `bf16 <-> f32` element conversions (`arith.extf`/`arith.truncf`,
which `convert-arith-to-llvm` expands to integer code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import (
    BFloat16Type,
    FloatAttr,
    ModuleOp,
    TensorType,
    bf16,
    f32,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.hints import isa

from mlc.dialects.graph import CastOp
from mlc.dialects.graph.base import GraphOp


def _is_bf16(type_: Attribute) -> bool:
    return isa(type_, TensorType[Attribute]) and isinstance(
        type_.element_type, BFloat16Type
    )


def _as_f32(type_: Attribute) -> Attribute:
    if _is_bf16(type_):
        assert isa(type_, TensorType[Attribute])
        return TensorType(f32, type_.get_shape())
    return type_


def _property(value: Attribute) -> Attribute:
    """A bf16 scalar property (a clip bound, a pad value) as f32."""
    if isa(value, FloatAttr) and isinstance(value.type, BFloat16Type):
        return FloatAttr(value.value.data, f32)
    return value


def _cast(value: SSAValue, to: Attribute, before: Operation) -> SSAValue:
    cast = CastOp(value, to)
    cast.location = before.location
    Rewriter.insert_op(cast, InsertPoint.before(before))
    return cast.result


def _widen_cast(op: CastOp) -> None:
    """A cast between bf16 and a type other than f32 goes through f32."""
    src = op.input.type
    dst = op.result.type
    assert isa(src, TensorType[Attribute])
    assert isa(dst, TensorType[Attribute])
    through = (src.element_type, dst.element_type)
    if through in ((bf16, f32), (f32, bf16)) or src == dst:
        return
    if bf16 not in through:
        return
    middle = _cast(op.input, f32, op)
    op.operands = [middle]


def _widen(op: GraphOp) -> None:
    operands = list(op.operands)
    results: Sequence[Attribute] = [r.type for r in op.results]
    if not any(_is_bf16(v.type) for v in operands) and not any(
        _is_bf16(t) for t in results
    ):
        return
    new_operands = [_cast(v, f32, op) if _is_bf16(v.type) else v for v in operands]
    new = type(op).create(
        operands=new_operands,
        result_types=[_as_f32(t) for t in results],
        properties={k: _property(v) for k, v in op.properties.items()},
        attributes=dict(op.attributes),
    )
    new.location = op.location
    Rewriter.insert_op(new, InsertPoint.before(op))
    replacements: list[SSAValue] = []
    for old, result in zip(op.results, new.results, strict=True):
        replacements.append(_cast(result, bf16, op) if _is_bf16(old.type) else result)
    Rewriter.replace_op(op, [], replacements)


@dataclass(frozen=True)
class WidenBf16Pass(ModulePass):
    """
    Compute bf16 graph ops in f32.

    **Input invariant**: graph-level functions (graph ops, constants, calls).

    **Output IR**: no graph op but `graph.cast` has a bf16 operand or result;
    each such cast converts between bf16 and f32.

    **Invariants**: values are those of the graph ops' references (which
    compute bf16 in f32 and round each result once); ops without bf16 are
    untouched.
    """

    name = "widen-bf16"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in list(op.walk()):
            if isinstance(inner, CastOp):
                _widen_cast(inner)
            elif isinstance(inner, GraphOp):
                _widen(inner)
