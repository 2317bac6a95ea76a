"""
Indexing (`scatter`): a `linalg.generic` over the data's dims and, innermost,
a reduction over the updates' line along `axis`.

Each result element starts as the data element (the generic's init is the
data) and, for every update of its line in order, takes
`select(index == position, combine(acc, update), acc)`; `combine` is the
update itself for `none` (so the last matching update wins), else add, mul,
max or min. The work is `|data| * updates.shape[axis]`, no sequential loop:
the data dims stay parallel.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.builder import Builder
from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlc.dialects import graph
from mlc.dialects.graph.base import Elem, get_int, get_str
from mlc.lowering.graph_to_linalg.emitter import (
    PARALLEL,
    REDUCTION,
    Emitter,
    add,
    constant,
    dims_map,
    graph_element,
    kind_of,
    maximum,
    minimum,
    mul,
    result_of,
)

# --------------------------------------------------------------------------- #
# Scatter
# --------------------------------------------------------------------------- #


def _combine(
    b: Builder, reduction: str, acc: SSAValue, update: SSAValue, kind: Elem
) -> SSAValue:
    if reduction == "add":
        return add(b, acc, update)
    if reduction == "mul":
        return mul(b, acc, update)
    if reduction == "max":
        return maximum(b, acc, update, kind)
    if reduction == "min":
        return minimum(b, acc, update, kind)
    return update


class ScatterLowering(RewritePattern):
    """`graph.scatter` -> a generic into the data, reducing over the update line."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ScatterOp, rewriter: PatternRewriter) -> None:
        shape, _ = result_of(op)
        rank = len(shape)
        axis = get_int(op.properties, "axis") % rank
        reduction = get_str(op.properties, "reduction", "none")
        kind = kind_of(graph_element(op.data))
        dim = shape[axis]

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            index, update, acc = a
            idx = b.insert(arith.IndexCastOp(index, IndexType())).result
            zero = constant(b, 0, IndexType())
            negative = b.insert(arith.CmpiOp(idx, zero, "slt")).result
            wrapped = b.insert(arith.AddiOp(idx, constant(b, dim, IndexType())))
            idx = b.insert(arith.SelectOp(negative, wrapped.result, idx)).result
            position = b.insert(linalg.IndexOp(axis)).result
            hit = b.insert(arith.CmpiOp(idx, position, "eq")).result
            new = _combine(b, reduction, acc, update, kind)
            return [b.insert(arith.SelectOp(hit, new, acc)).result]

        line = [rank if d == axis else d for d in range(rank)]
        e = Emitter()
        out = e.generic(
            [op.indices, op.updates],
            op.data,
            [
                dims_map(rank + 1, line),
                dims_map(rank + 1, line),
                dims_map(rank + 1, list(range(rank))),
            ],
            [*[PARALLEL] * rank, REDUCTION],
            body,
        )
        rewriter.replace(op, e.ops, [out])
