"""
Canonicalization patterns of the graph dialect.

The ops attach them through `HasCanonicalizationPatternsInterface` (importing
this module lazily, so it may import the ops), which is how xDSL's own
`canonicalize` pass finds them; constant folding of any op whose operands are
all dense constants is `GraphOp.fold`, which `canonicalize` runs as well.

Every pattern replaces an op by an equivalent one of the same result type, or
by one of its operands when that operand already has the result's type.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.ir import SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.exceptions import VerifyException

from mlc.dialects.graph.base import Array, constant_value, get_int
from mlc.dialects.graph.elementwise import AddOp, BinaryOp, MulOp
from mlc.dialects.graph.shape import (
    GatherOp,
    ReshapeLikeOp,
    ReshapeOp,
    SliceOp,
    SqueezeOp,
    TransposeOp,
)

# --------------------------------------------------------------------------- #
# transpose
# --------------------------------------------------------------------------- #


def _is_identity(perm: tuple[int, ...]) -> bool:
    return perm == tuple(range(len(perm)))


class EraseIdentityTranspose(RewritePattern):
    """`transpose(x, perm)` with the identity `perm` (absent on rank <= 1) is `x`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: TransposeOp, rewriter: PatternRewriter) -> None:
        if _is_identity(op.effective_perm()):
            rewriter.replace(op, [], [op.input])


class FoldTransposeOfTranspose(RewritePattern):
    """
    `transpose(transpose(x, p), q)` is `transpose(x, [p[i] for i in q])`, or
    `x` itself when that permutation is the identity.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: TransposeOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, TransposeOp):
            return
        inner_perm = inner.effective_perm()
        perm = tuple(inner_perm[i] for i in op.effective_perm())
        if _is_identity(perm):
            rewriter.replace(op, [], [inner.input])
        else:
            rewriter.replace(op, TransposeOp(inner.input, perm))


# --------------------------------------------------------------------------- #
# reshape, flatten, squeeze, unsqueeze
# --------------------------------------------------------------------------- #


class EraseIdentityReshape(RewritePattern):
    """
    A reshape-like op (reshape, flatten, squeeze, unsqueeze) whose result type
    is its input's type is its input: they keep the row-major order.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ReshapeLikeOp, rewriter: PatternRewriter) -> None:
        if op.result.type == op.input.type:
            rewriter.replace(op, [], [op.input])


class EraseReshapeRoundTrip(RewritePattern):
    """
    A reshape-like op of a reshape-like op of `x` that restores `x`'s type is
    `x` (e.g. `squeeze(unsqueeze(x))`, `reshape(flatten(x))`).
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ReshapeLikeOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if isinstance(inner, ReshapeLikeOp) and op.result.type == inner.input.type:
            rewriter.replace(op, [], [inner.input])


class FoldReshapeOfReshape(RewritePattern):
    """
    `reshape(r(x), shape)`, where `r` is any reshape-like op, is
    `reshape(x, shape)`.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ReshapeOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, ReshapeLikeOp):
            return
        try:
            new = ReshapeOp(inner.input, op.shape.get_values())
        except VerifyException:  # a dynamic source the shape cannot be inferred for
            return
        if new.result.type == op.result.type:
            rewriter.replace(op, new)


# --------------------------------------------------------------------------- #
# gather
# --------------------------------------------------------------------------- #


class RewriteGatherAsSlice(RewritePattern):
    """
    `gather(x, i)` by constant indices that are one run `i, i+1, ..., j` along a
    static dim is `slice(x, i, j+1)` (squeezed when the index is a scalar):
    ONNX exporters pick q, k and v, or a class token, with `Gather` where
    PyTorch's import has `slice`. Out-of-range indices are left to run time.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GatherOp, rewriter: PatternRewriter) -> None:
        indices = constant_value(op.indices)
        data_type = op.data.type
        if indices is None or indices.ndim > 1 or indices.size == 0:
            return
        assert isinstance(data_type, TensorType)
        shape = data_type.get_shape()
        if not shape:
            return
        axis = get_int(op.properties, "axis") % len(shape)
        dim = shape[axis]
        if dim < 0 or np.any((indices < -dim) | (indices >= dim)):
            return
        flat = [int(i) % dim for i in indices.reshape(-1)]
        if flat != list(range(flat[0], flat[0] + len(flat))):
            return
        sliced = SliceOp(op.data, [flat[0]], [flat[-1] + 1], [axis])
        if indices.ndim == 1:
            rewriter.replace(op, sliced)
        else:
            rewriter.replace(op, [sliced, SqueezeOp(sliced.result, [axis])])


# --------------------------------------------------------------------------- #
# add, mul
# --------------------------------------------------------------------------- #


def _erase_neutral_operand(
    op: BinaryOp, rewriter: PatternRewriter, is_neutral: Callable[[Array], bool]
) -> None:
    """
    Replace `op` by one operand when the other is a neutral dense constant and
    broadcasting leaves the first operand's type unchanged.
    """
    operands: tuple[tuple[SSAValue, SSAValue], ...] = (
        (op.lhs, op.rhs),
        (op.rhs, op.lhs),
    )
    for kept, other in operands:
        value = constant_value(other)
        if kept.type == op.result.type and value is not None and is_neutral(value):
            rewriter.replace(op, [], [kept])
            return


class EraseAddOfZero(RewritePattern):
    """
    `x + 0` and `0 + x` are `x` when the zero constant does not broadcast `x` to
    a larger shape. As in other ML compilers, the sign of a zero is not kept
    (`-0.0 + 0.0` is `+0.0`).
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AddOp, rewriter: PatternRewriter) -> None:
        _erase_neutral_operand(op, rewriter, lambda c: bool(np.all(c == 0)))


class EraseMulByOne(RewritePattern):
    """
    `x * 1` and `1 * x` are `x` when the one constant does not broadcast `x` to
    a larger shape.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: MulOp, rewriter: PatternRewriter) -> None:
        _erase_neutral_operand(op, rewriter, lambda c: bool(np.all(c == 1)))


__all__ = [
    "EraseAddOfZero",
    "EraseIdentityReshape",
    "EraseIdentityTranspose",
    "EraseMulByOne",
    "EraseReshapeRoundTrip",
    "FoldReshapeOfReshape",
    "FoldTransposeOfTranspose",
    "RewriteGatherAsSlice",
]
