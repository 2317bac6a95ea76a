"""
Contractions and window ops (`linear`, `matmul`, `conv2d`, the poolings): named
linalg ops where xDSL 0.74 has them (`matmul`, `conv_2d_nchw_fchw`,
`pooling_nchw_max`) and `linalg.generic` otherwise, in destination-passing
style (`tensor.empty` -> `linalg.fill` -> `outs`); windows are padded with
`tensor.pad` first. f16 computes in f32.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, TensorType, i64
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Operation, SSAValue
from xdsl.ir.affine import AffineConstantExpr, AffineDimExpr, AffineExpr
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlc.dialects import graph
from mlc.dialects.graph.base import GraphOp, get_bool, get_int, get_ints
from mlc.dialects.graph.nn import Window
from mlc.lowering.graph_to_linalg.emitter import (
    PARALLEL,
    REDUCTION,
    Emitter,
    add,
    constant,
    copy_into,
    demote,
    dims_map,
    div,
    element_of,
    mac,
    promote,
    result_of,
    shape_of,
)

# --------------------------------------------------------------------------- #
# Contractions
# --------------------------------------------------------------------------- #


def _transposed(value: SSAValue) -> Operation | None:
    """The single-use 2-D transpose (graph or linalg) that defines `value`."""
    op = value.owner
    if not isinstance(op, Operation) or not value.has_one_use():
        return None
    if isinstance(op, graph.TransposeOp) and op.effective_perm() == (1, 0):
        return op
    if isinstance(op, linalg.TransposeOp) and op.permutation.get_values() == (1, 0):
        return op
    return None


class LinearLowering(RewritePattern):
    """
    `x · wᵀ (+ b)`: a generic reading the weight transposed through its map;
    a weight that is a single-use 2-D transpose is read untransposed instead.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.LinearOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        e = Emitter()
        # A transposed weight (graph-fuse keeps a parameter's layout change
        # with its linear) is read untransposed through the map: no copy.
        transpose = _transposed(op.weight)
        weight = op.weight if transpose is None else transpose.operands[0]
        n_k = [len(shape) - 1, len(shape)]
        w_dims = n_k if transpose is None else n_k[::-1]
        x, w = promote(e, op.input), promote(e, weight)
        ct = element_of(x)
        rank = len(shape)
        if op.bias is None:
            init = e.filled(shape, ct, 0)
        else:
            init = copy_into(e, promote(e, op.bias), [rank - 1], shape)
        k = rank
        out = e.generic(
            [x, w],
            init,
            [
                dims_map(rank + 1, [*range(rank - 1), k]),
                dims_map(rank + 1, w_dims),
                dims_map(rank + 1, list(range(rank))),
            ],
            [PARALLEL] * rank + [REDUCTION],
            mac,
        )
        rewriter.replace(op, e.ops, [demote(e, out, element)])
        if transpose is not None and not transpose.results[0].uses:
            rewriter.erase(transpose)


class MatmulLowering(RewritePattern):
    """numpy matmul: `linalg.matmul` for 2-D x 2-D, else a generic (batch, 1-D)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.MatmulOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        e = Emitter()
        a, b = promote(e, op.lhs), promote(e, op.rhs)
        ct = element_of(a)
        init = e.filled(shape, ct, 0)
        sa, sb = shape_of(a), shape_of(b)
        if len(sa) == 2 and len(sb) == 2:
            out = e.add(linalg.MatmulOp([a, b], [init])).results[0]
            rewriter.replace(op, e.ops, [demote(e, out, element)])
            return
        rows, cols = len(sa) > 1, len(sb) > 1
        nbatch = len(shape) - rows - cols
        batch = shape[:nbatch]
        k = len(shape)
        row_dim, col_dim = nbatch, nbatch + rows

        def operand_map(s: Sequence[int], tail: list[int]) -> list[int | AffineExpr]:
            own = s[: len(s) - 2] if len(s) > 1 else ()
            exprs: list[int | AffineExpr] = []
            for i, d in enumerate(own):
                j = nbatch - len(own) + i
                exprs.append(AffineConstantExpr(0) if d == 1 and batch[j] != 1 else j)
            return [*exprs, *tail]

        a_map = operand_map(sa, [row_dim, k] if rows else [k])
        b_map = operand_map(sb, [k, col_dim] if cols else [k])
        out = e.generic(
            [a, b],
            init,
            [
                dims_map(k + 1, a_map),
                dims_map(k + 1, b_map),
                dims_map(k + 1, list(range(k))),
            ],
            [PARALLEL] * k + [REDUCTION],
            mac,
        )
        rewriter.replace(op, e.ops, [demote(e, out, element)])


def _window_props(op: GraphOp, kernel: Sequence[int]) -> Window:
    props = op.properties
    return Window(
        kernel=tuple(kernel),
        strides=get_ints(props, "strides", (1, 1)) or (1, 1),
        pads=get_ints(props, "pads", (0, 0, 0, 0)) or (0, 0, 0, 0),
        dilations=get_ints(props, "dilations", (1, 1)) or (1, 1),
        ceil_mode=get_bool(props, "ceil_mode", False),
    )


def _pad_window(
    e: Emitter, x: SSAValue, window: Window, out: Sequence[int], value: float
) -> SSAValue:
    """`x` (NCHW) padded as the window needs, including a `ceil_mode` overhang."""
    high = [0, 0]
    for dim in (0, 1):
        size = shape_of(x)[2 + dim]
        needed = (out[dim] - 1) * window.strides[dim] + window.extent(dim)
        overhang = needed - (window.begin(dim) + size + window.end(dim))
        high.append(window.end(dim) + max(0, overhang))
    return e.pad(x, [0, 0, window.begin(0), window.begin(1)], high, value)


def _ints_elements(values: Sequence[int]) -> DenseIntOrFPElementsAttr[Any]:
    return DenseIntOrFPElementsAttr.from_list(
        TensorType(i64, [len(values)]), list(values)
    )


def _tap(d: int, out_dim: int, k_dim: int, stride: int, dilation: int) -> AffineExpr:
    return AffineDimExpr(out_dim) * stride + AffineDimExpr(k_dim) * dilation


class Conv2DLowering(RewritePattern):
    """`tensor.pad`, then `linalg.conv_2d_nchw_fchw` (groups > 1: a generic)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.Conv2DOp, rewriter: PatternRewriter) -> None:
        shape, element = result_of(op)
        e = Emitter()
        x, w = promote(e, op.input), promote(e, op.weight)
        ct = element_of(x)
        window = _window_props(op, shape_of(w)[2:])
        padded = _pad_window(e, x, window, shape[2:], 0.0)
        if op.bias is None:
            init = e.filled(shape, ct, 0)
        else:
            init = copy_into(e, promote(e, op.bias), [1], shape)
        groups = get_int(op.properties, "groups", 1)
        if groups == 1:
            conv = linalg.Conv2DNchwFchwOp(
                [padded, w],
                [init],
                [init.type],
                strides=_ints_elements(window.strides),
                dilations=_ints_elements(window.dilations),
            )
            out = e.add(conv).results[0]
        else:
            # (n, o, oh, ow, c, kh, kw); the input channel is o / og * cg + c.
            cg, og = shape_of(w)[1], shape[1] // groups
            sh, sw = window.strides
            dh, dw = window.dilations
            channel = AffineDimExpr(1) // og * cg + AffineDimExpr(4)
            x_map = dims_map(
                7, [0, channel, _tap(0, 2, 5, sh, dh), _tap(0, 3, 6, sw, dw)]
            )
            out = e.generic(
                [padded, w],
                init,
                [x_map, dims_map(7, [1, 4, 5, 6]), dims_map(7, [0, 1, 2, 3])],
                [PARALLEL] * 4 + [REDUCTION] * 3,
                mac,
            )
        rewriter.replace(op, e.ops, [demote(e, out, element)])


# --------------------------------------------------------------------------- #
# Pooling
# --------------------------------------------------------------------------- #


def _window_sum(
    e: Emitter, padded: SSAValue, window: Window, out_shape: Sequence[int]
) -> SSAValue:
    """The sum over each window: a generic with a kernel-shaped dummy operand."""
    ct = element_of(padded)
    init = e.filled(out_shape, ct, 0)
    taps = e.empty(window.kernel, ct)
    sh, sw = window.strides
    x_map = dims_map(6, [0, 1, _tap(0, 2, 4, sh, 1), _tap(0, 3, 5, sw, 1)])
    return e.generic(
        [padded, taps],
        init,
        [x_map, dims_map(6, [4, 5]), dims_map(6, [0, 1, 2, 3])],
        [PARALLEL] * 4 + [REDUCTION] * 2,
        lambda b, a: [add(b, a[2], a[0])],
    )


class MaxPool2DLowering(RewritePattern):
    """Pad with -inf, then `linalg.pooling_nchw_max`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.MaxPool2DOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        e = Emitter()
        window = _window_props(op, get_ints(op.properties, "kernel") or (1, 1))
        padded = _pad_window(e, op.input, window, shape[2:], -math.inf)
        init = e.filled(shape, element, -math.inf)
        taps = e.empty(window.kernel, element)
        pool = linalg.PoolingNchwMaxOp(
            [padded, taps],
            [init],
            [init.type],
            strides=_ints_elements(window.strides),
            dilations=_ints_elements(window.dilations),
        )
        rewriter.replace(op, e.ops, [e.add(pool).results[0]])


class AvgPool2DLowering(RewritePattern):
    """
    A window sum divided by a window count; the count is the window sum of a
    ones mask padded with zeros (its extent follows `count_include_pad`).
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.AvgPool2DOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        e = Emitter()
        x = promote(e, op.input)
        ct = element_of(x)
        window = _window_props(op, get_ints(op.properties, "kernel") or (1, 1))
        total = _window_sum(e, _pad_window(e, x, window, shape[2:], 0.0), window, shape)
        h, w = shape_of(x)[2:]
        if get_bool(op.properties, "count_include_pad", False):
            mh = h + window.begin(0) + window.end(0)
            mw = w + window.begin(1) + window.end(1)
            ones = e.filled([1, 1, mh, mw], ct, 1)
            mask = e.pad(
                ones, [0] * 4, [0, 0, *_overhang(window, (h, w), shape[2:])], 0
            )
        else:
            mask = _pad_window(e, e.filled([1, 1, h, w], ct, 1), window, shape[2:], 0)
        counts = _window_sum(e, mask, window, [1, 1, *shape[2:]])
        out = e.map([total, counts], shape, ct, lambda b, a: [div(b, a[0], a[1])])
        rewriter.replace(op, e.ops, [demote(e, out, element)])


def _overhang(window: Window, size: Sequence[int], out: Sequence[int]) -> list[int]:
    """Per spatial dim, how far the last window runs past the end padding."""
    result: list[int] = []
    for dim in (0, 1):
        needed = (out[dim] - 1) * window.strides[dim] + window.extent(dim)
        have = window.begin(dim) + size[dim] + window.end(dim)
        result.append(max(0, needed - have))
    return result


class GlobalAvgPool2DLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.GlobalAvgPool2DOp, rewriter: PatternRewriter
    ) -> None:
        element = result_of(op)[1]
        e = Emitter()
        x = promote(e, op.input)
        ct = element_of(x)
        n, c, h, w = shape_of(x)
        total = e.reduce(x, (2, 3), ct, 0, add, keepdims=True)
        count = float(h * w)
        out = e.map(
            [total],
            [n, c, 1, 1],
            ct,
            lambda b, a: [div(b, a[0], constant(b, count, ct))],
        )
        rewriter.replace(op, e.ops, [demote(e, out, element)])
