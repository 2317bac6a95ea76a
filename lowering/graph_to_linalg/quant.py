"""
Quantized-inference graph ops (`quantize`, `matmul_integer`, `conv_integer`)
as `linalg.generic`.

`quantize` is one elementwise generic whose body divides in the input's float
type, then works in f64 (exact for every integer of up to 32 bits): it rounds
half to even with the 2^52 trick (`(t + 2^52) - 2^52` for `0 <= t < 2^52`,
mirrored for negatives: f64 addition rounds to the nearest even integer once
the sum has no fraction bits), after clamping to ±2^40 so the trick holds
and NaN becomes the lowest value, then adds the zero point, saturates to the
result type's range and converts. Only arith ops: every level's interpreter
and the vectorizer know them.

The integer contractions first centre each 8-bit operand on its zero point as
an i32 tensor (an elementwise generic; a zero point broadcasts through its
map), then contract in i32 with a multiply-accumulate generic, which wraps
as two's complement like the graph reference. These generics are not f32, so
`linalg-contraction-kernel` and `linalg-vectorize` leave them to
`convert-linalg-to-loops`; their dims put the reductions before the
innermost output dim (a matmul's column, a conv's output column), so the
innermost loop reads and writes contiguously and LLVM vectorizes it (a
256-cube QLinearMatMul: 36 ms with the reduction innermost, 0.4 ms so).
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.builder import Builder
from xdsl.dialects import arith
from xdsl.dialects.builtin import Float64Type, IntegerType, f64, i32
from xdsl.ir import Attribute, SSAValue
from xdsl.ir.affine import AffineConstantExpr, AffineDimExpr, AffineExpr, AffineMap
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.hints import isa

from mlc.dialects import graph
from mlc.dialects.graph.base import Elem, get_int
from mlc.dialects.graph.quant import conv_window
from mlc.lowering.graph_to_linalg.emitter import (
    PARALLEL,
    REDUCTION,
    Emitter,
    broadcast_map,
    constant,
    dims_map,
    graph_element,
    identity_map,
    kind_of,
    mac,
    result_of,
    shape_of,
    sub,
)

ROUNDING_LIMIT = float(1 << 40)
"""|t| is clamped here before rounding: above every 32-bit value, below 2^52."""
ROUNDING_MAGIC = float(1 << 52)


def _int_range(element: Attribute, kind: Elem) -> tuple[int, int]:
    assert isa(element, IntegerType)
    width = element.width.data
    if kind == Elem.UINT:
        return 0, (1 << width) - 1
    return -(1 << (width - 1)), (1 << (width - 1)) - 1


def _to_f64(b: Builder, x: SSAValue, kind: Elem) -> SSAValue:
    """A float or integer scalar (of kind `kind`) as f64."""
    if isinstance(x.type, Float64Type):
        return x
    if kind == Elem.FLOAT:
        return b.insert(arith.ExtFOp(x, f64)).result
    if kind == Elem.UINT:
        return b.insert(arith.UIToFPOp(x, f64)).result
    return b.insert(arith.SIToFPOp(x, f64)).result


def _select(b: Builder, cond: SSAValue, x: SSAValue, y: SSAValue) -> SSAValue:
    return b.insert(arith.SelectOp(cond, x, y)).result


def round_half_even_f64(b: Builder, t: SSAValue) -> SSAValue:
    """`t` (f64) clamped to ±2^40 (NaN to -2^40), rounded half to even."""
    low = constant(b, -ROUNDING_LIMIT, f64)
    high = constant(b, ROUNDING_LIMIT, f64)
    below = b.insert(arith.CmpfOp(t, low, "ult")).result  # below, or NaN
    clamped = _select(b, below, low, t)
    clamped = b.insert(arith.MinimumfOp(clamped, high)).result
    negative = b.insert(arith.CmpfOp(clamped, constant(b, 0.0, f64), "olt")).result
    magic = _select(
        b,
        negative,
        constant(b, -ROUNDING_MAGIC, f64),
        constant(b, ROUNDING_MAGIC, f64),
    )
    shifted = b.insert(arith.AddfOp(clamped, magic)).result
    return b.insert(arith.SubfOp(shifted, magic)).result


def quantize_body(
    b: Builder,
    x: SSAValue,
    scale: SSAValue,
    zero_point: SSAValue,
    zp_kind: Elem,
    element: Attribute,
) -> SSAValue:
    """`saturate(round_half_even(x / scale) + zero_point)` as `element`."""
    t = _to_f64(b, b.insert(arith.DivfOp(x, scale)).result, Elem.FLOAT)
    rounded = round_half_even_f64(b, t)
    shifted = b.insert(arith.AddfOp(rounded, _to_f64(b, zero_point, zp_kind))).result
    lo, hi = _int_range(element, zp_kind)
    out = b.insert(arith.MaximumfOp(shifted, constant(b, float(lo), f64))).result
    out = b.insert(arith.MinimumfOp(out, constant(b, float(hi), f64))).result
    to = element
    assert isa(to, IntegerType)
    op = arith.FPToUIOp(out, to) if zp_kind == Elem.UINT else arith.FPToSIOp(out, to)
    return b.insert(op).result


class QuantizeLowering(RewritePattern):
    """`quantize` -> one broadcasting elementwise generic (`quantize_body`)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.QuantizeOp, rewriter: PatternRewriter
    ) -> None:
        kind = kind_of(graph_element(op.zero_point))
        shape, element = result_of(op)
        e = Emitter()
        out = e.map(
            [op.input, op.scale, op.zero_point],
            shape,
            element,
            lambda b, a: [quantize_body(b, a[0], a[1], a[2], kind, element)],
        )
        rewriter.replace(op, e.ops, [out])


# --------------------------------------------------------------------------- #
# Integer contractions
# --------------------------------------------------------------------------- #


def _widen(b: Builder, x: SSAValue, kind: Elem) -> SSAValue:
    op = arith.ExtUIOp(x, i32) if kind == Elem.UINT else arith.ExtSIOp(x, i32)
    return b.insert(op).result


def centered(
    e: Emitter, x: SSAValue, zero_point: SSAValue | None, zp_map: AffineMap | None
) -> SSAValue:
    """`x - zero_point` as an i32 tensor (the zero point read through `zp_map`)."""
    kind = kind_of(graph_element(x))
    shape = shape_of(x)
    rank = len(shape)
    inputs = [x] if zero_point is None else [x, zero_point]
    maps = [identity_map(rank)]
    if zero_point is not None:
        maps.append(zp_map or broadcast_map(shape_of(zero_point), shape))

    def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
        value = _widen(b, a[0], kind)
        if zero_point is not None:
            value = sub(b, value, _widen(b, a[1], kind))
        return [value]

    return e.generic(
        inputs,
        e.empty(shape, i32),
        [*maps, identity_map(rank)],
        [PARALLEL] * rank,
        body,
    )


class MatmulIntegerLowering(RewritePattern):
    """
    Centre both operands in i32, then a batch-broadcasting mac generic over
    (batch..., row, k, col)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.MatmulIntegerOp, rewriter: PatternRewriter
    ) -> None:
        shape, _ = result_of(op)
        e = Emitter()
        a = centered(e, op.lhs, op.lhs_zero_point, None)
        b = centered(e, op.rhs, op.rhs_zero_point, None)
        sa, sb = shape_of(a), shape_of(b)
        rows, cols = len(sa) > 1, len(sb) > 1
        nbatch = len(shape) - rows - cols
        batch = shape[:nbatch]
        # Dims: batch..., row, k, col: the reduction before the column, so the
        # innermost loop runs along the rows of rhs and result (contiguous).
        row, k = nbatch, nbatch + rows
        col = k + 1
        dims = len(shape) + 1

        def operand_map(s: Sequence[int], tail: list[int]) -> list[int | AffineExpr]:
            own = s[: len(s) - 2] if len(s) > 1 else ()
            exprs: list[int | AffineExpr] = []
            for i, d in enumerate(own):
                j = nbatch - len(own) + i
                exprs.append(AffineConstantExpr(0) if d == 1 and batch[j] != 1 else j)
            return [*exprs, *tail]

        a_map = operand_map(sa, [row, k] if rows else [k])
        b_map = operand_map(sb, [k, col] if cols else [k])
        out_dims = [*range(nbatch), *([row] if rows else []), *([col] if cols else [])]
        out = e.generic(
            [a, b],
            e.filled(shape, i32, 0),
            [dims_map(dims, a_map), dims_map(dims, b_map), dims_map(dims, out_dims)],
            [PARALLEL] * k + [REDUCTION] + [PARALLEL] * cols,
            mac,
        )
        rewriter.replace(op, e.ops, [out])


def _tap(out_dim: int, k_dim: int, stride: int, dilation: int) -> AffineExpr:
    return AffineDimExpr(out_dim) * stride + AffineDimExpr(k_dim) * dilation


class ConvIntegerLowering(RewritePattern):
    """
    Centre input and weight in i32, pad the input with zeros, then a mac
    generic over (n, o, c, kh, kw, oh, ow); the input channel is
    `o / (O / groups) * (C / groups) + c`.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.ConvIntegerOp, rewriter: PatternRewriter
    ) -> None:
        shape, _ = result_of(op)
        e = Emitter()
        wz = op.weight_zero_point
        per_channel = wz is not None and shape_of(wz) not in ((), (1,))
        x = centered(e, op.input, op.input_zero_point, None)
        w = centered(e, op.weight, wz, dims_map(4, [0]) if per_channel else None)
        window = conv_window(op.name, op.properties, shape_of(w)[2:])
        high = [0, 0]
        for dim in (0, 1):
            needed = (shape[2 + dim] - 1) * window.strides[dim] + window.extent(dim)
            size = shape_of(x)[2 + dim]
            overhang = needed - (window.begin(dim) + size + window.end(dim))
            high.append(window.end(dim) + max(0, overhang))
        padded = e.pad(x, [0, 0, window.begin(0), window.begin(1)], high, 0)
        groups = get_int(op.properties, "groups", 1)
        cg, og = shape_of(w)[1], shape[1] // groups
        sh, sw = window.strides
        dh, dw = window.dilations
        # Dims (n, o, c, kh, kw, oh, ow): the output row innermost, read and
        # written contiguously (at stride 1) by a loop LLVM vectorizes.
        channel: AffineExpr = AffineDimExpr(2)
        if groups > 1:
            channel = AffineDimExpr(1) // og * cg + AffineDimExpr(2)
        x_map = dims_map(7, [0, channel, _tap(5, 3, sh, dh), _tap(6, 4, sw, dw)])
        out = e.generic(
            [padded, w],
            e.filled(shape, i32, 0),
            [x_map, dims_map(7, [1, 2, 3, 4]), dims_map(7, [0, 1, 5, 6])],
            [PARALLEL] * 2 + [REDUCTION] * 3 + [PARALLEL] * 2,
            mac,
        )
        rewriter.replace(op, e.ops, [out])


QUANT_PATTERNS: tuple[RewritePattern, ...] = (
    QuantizeLowering(),
    MatmulIntegerLowering(),
    ConvIntegerLowering(),
)
