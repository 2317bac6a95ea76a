"""
Data movement (`reshape` and its kin, `transpose`, `slice`, `broadcast_to`,
`pad`, `concat`, `gather`): tensor ops where one expresses the op
(`collapse_shape`/`expand_shape`, `extract_slice`, `pad`, `concat`),
`linalg.transpose`, and copy generics otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.builder import Builder
from xdsl.dialects import arith, tensor
from xdsl.dialects.builtin import DenseArrayBase, IndexType, TensorType, i64
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineExpr
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlc.dialects import graph
from mlc.dialects.graph.base import get_int, get_ints, get_scalar
from mlc.dialects.graph.shape import (
    _slice_params,  # pyright: ignore[reportPrivateUsage]
    _slice_range,  # pyright: ignore[reportPrivateUsage]
)
from mlc.lowering.graph_to_linalg.emitter import (
    PARALLEL,
    Emitter,
    constant,
    copy_body,
    dims_map,
    identity_map,
    result_of,
    shape_of,
)

# --------------------------------------------------------------------------- #
# Data movement
# --------------------------------------------------------------------------- #


class ReshapeLowering(RewritePattern):
    """reshape / flatten / squeeze / unsqueeze -> collapse_shape / expand_shape."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.ReshapeLikeOp, rewriter: PatternRewriter
    ) -> None:
        shape, _ = result_of(op)
        e = Emitter()
        out = e.reshape(op.operands[0], shape)
        rewriter.replace(op, e.ops, [out])


class TransposeLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.TransposeOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        rank = len(shape)
        perm = get_ints(op.properties, "perm") or tuple(reversed(range(rank)))
        e = Emitter()
        init = e.empty(shape, element)
        transpose = linalg.TransposeOp(
            op.input, init, DenseArrayBase.from_list(i64, list(perm))
        )
        rewriter.replace(op, e.ops, [e.add(transpose).results[0]])


class SliceLowering(RewritePattern):
    """
    `tensor.extract_slice` with the steps' magnitudes; an axis with a negative
    step is then reversed by a copy generic reading it at `n - 1 - d`.

    The slice starts at the lowest index an axis takes, so a negative step's
    range is taken forwards and reversed; the other axes of the generic read
    the slice as it is (so every axis's loop range equals the result's).
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.SliceOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        in_shape = shape_of(op.input)
        rank = len(in_shape)
        offsets, strides = [0] * rank, [1] * rank
        reversed_axes: list[int] = []
        for axis, start, end, step in _slice_params(op.name, op.properties, rank):
            r = _slice_range(start, end, step, in_shape[axis])
            offsets[axis] = min(r[0], r[-1]) if r else 0
            strides[axis] = abs(step)
            if step < 0 and len(r) > 1:
                reversed_axes.append(axis)
        e = Emitter()
        out = e.add(
            tensor.ExtractSliceOp.from_static_parameters(
                op.input, offsets, list(shape), strides
            )
        ).results[0]
        if reversed_axes:
            exprs: list[int | AffineExpr] = [
                AffineDimExpr(i) * -1 + (shape[i] - 1) if i in reversed_axes else i
                for i in range(rank)
            ]
            out = e.generic(
                [out],
                e.empty(shape, element),
                [dims_map(rank, exprs), identity_map(rank)],
                [PARALLEL] * rank,
                copy_body,
            )
        rewriter.replace(op, e.ops, [out])


class BroadcastToLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.BroadcastToOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        e = Emitter()
        out = e.map([op.input], shape, element, copy_body)
        rewriter.replace(op, e.ops, [out])


class PadLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.PadOp, rewriter: PatternRewriter) -> None:
        pads = get_ints(op.properties, "pads") or ()
        rank = len(pads) // 2
        value = get_scalar(op.properties, "value") or 0
        e = Emitter()
        out = e.pad(op.input, pads[:rank], pads[rank:], value)
        rewriter.replace(op, e.ops, [out])


class ConcatLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ConcatOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        axis = get_int(op.properties, "axis") % len(shape)
        result_type = TensorType(element, shape)
        if len(op.operands) == 1:
            rewriter.replace(op, [], [op.operands[0]])
            return
        concat = tensor.ConcatOp(list(op.operands), axis, result_type)
        rewriter.replace(op, [concat], [concat.result])


class GatherLowering(RewritePattern):
    """A generic over the result: `linalg.index` + `tensor.extract` of the data."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.GatherOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        data, indices = op.operands
        data_shape, index_rank = shape_of(data), len(shape_of(indices))
        axis = get_int(op.properties, "axis") % len(data_shape)
        rank = len(shape)
        e = Emitter()

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            idx = b.insert(arith.IndexCastOp(a[0], IndexType())).result
            dim = constant(b, data_shape[axis], IndexType())
            zero = constant(b, 0, IndexType())
            negative = b.insert(arith.CmpiOp(idx, zero, "slt")).result
            wrapped = b.insert(arith.AddiOp(idx, dim)).result
            idx = b.insert(arith.SelectOp(negative, wrapped, idx)).result
            coords = [b.insert(linalg.IndexOp(i)).result for i in range(rank)]
            at = [*coords[:axis], idx, *coords[axis + index_rank :]]
            return [b.insert(tensor.ExtractOp(data, at, element)).result]

        out = e.generic(
            [indices],
            e.empty(shape, element),
            [dims_map(rank, list(range(axis, axis + index_rank))), identity_map(rank)],
            [PARALLEL] * rank,
            body,
        )
        rewriter.replace(op, e.ops, [out])
