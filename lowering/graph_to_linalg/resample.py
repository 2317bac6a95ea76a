"""
Spatial resampling (`resize`, `grid_sample`) as gathering generics: the
result's indices through `linalg.index`, the input read by `tensor.extract`.

A `resize` is one generic per axis it changes, whose (index, weight, bias)
tables (`resize_tables`, computed at compile time from the static shapes)
are `arith.constant` operands, one 1-D index and weight table per tap:
output index `o` along the axis is `sum_k w_k[o] * x[.., idx_k[o], ..] +
bias[o]`, the taps unrolled in a parallel generic's body; an axis that only
picks elements (nearest) is a plain gather. A `grid_sample` first computes,
per spatial axis and tap, each sample point's index and weight (generics
over the points), then gathers and weighs over the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from typing import cast

import numpy as np
from xdsl.builder import Builder
from xdsl.dialects import arith, tensor
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import AnyFloat, IndexType, TensorType, i1, i64
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Attribute, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlc.dialects import graph
from mlc.dialects.graph.base import numpy_to_dense
from mlc.dialects.graph.grid_sample import grid_borders, grid_taps
from mlc.dialects.graph.resample import AxisTable, resize_tables
from mlc.lowering.graph_to_linalg.emitter import (
    PARALLEL,
    Emitter,
    constant,
    demote,
    dims_map,
    element_of,
    identity_map,
    promote,
    result_of,
    shape_of,
)

# --------------------------------------------------------------------------- #
# resize
# --------------------------------------------------------------------------- #


def _table_constant(e: Emitter, array: np.ndarray, element: Attribute) -> SSAValue:
    type_ = TensorType(element, array.shape)
    return e.add(arith.ConstantOp(numpy_to_dense(array, type_))).results[0]


def _read_at(
    b: Builder, x: SSAValue, index: SSAValue, axis: int, rank: int, element: Attribute
) -> SSAValue:
    """`x` at the iteration point with `index` (an i64) along `axis`."""
    at: SSAValue = b.insert(arith.IndexCastOp(index, IndexType())).result
    coords: list[SSAValue] = [b.insert(linalg.IndexOp(d)).result for d in range(rank)]
    coords[axis] = at
    return b.insert(tensor.ExtractOp(x, coords, element)).result


def _resize_axis(
    e: Emitter, x: SSAValue, table: AxisTable, shape: Sequence[int], element: Attribute
) -> SSAValue:
    rank, axis = len(shape), table.axis
    if table.is_gather:
        indices = _table_constant(e, table.indices[:, 0], i64)
        return e.generic(
            [indices],
            e.empty(shape, element),
            [dims_map(rank, [axis]), identity_map(rank)],
            [PARALLEL] * rank,
            lambda b, a: [_read_at(b, x, a[0], axis, rank, element)],
        )
    # One (index, weight) operand pair per tap, unrolled in the body: the
    # generic is parallel, and along an outer axis its inner loop reads
    # contiguous input rows with loop-invariant weights.
    width = int(table.indices.shape[1])
    inputs = [_table_constant(e, table.indices[:, k], i64) for k in range(width)]
    inputs += [_table_constant(e, table.weights[:, k], element) for k in range(width)]
    has_bias = bool(np.any(table.bias))
    if has_bias:
        inputs.append(_table_constant(e, table.bias, element))

    def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
        acc: SSAValue | None = a[2 * width] if has_bias else None
        for k in range(width):
            value = _read_at(b, x, a[k], axis, rank, element)
            term = b.insert(arith.MulfOp(a[width + k], value)).result
            acc = term if acc is None else b.insert(arith.AddfOp(acc, term)).result
        assert acc is not None
        return [acc]

    return e.generic(
        inputs,
        e.empty(shape, element),
        [*[dims_map(rank, [axis])] * len(inputs), identity_map(rank)],
        [PARALLEL] * rank,
        body,
    )


class ResizeLowering(RewritePattern):
    """One gathering generic per resized axis, its tables constants."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ResizeOp, rewriter: PatternRewriter) -> None:
        _, element = result_of(op)
        e = Emitter()
        out = promote(e, op.input)  # f16 computes in f32, as the reference does
        shape = list(shape_of(out))
        for table in resize_tables(op.name, op.properties, shape):
            shape[table.axis] = table.indices.shape[0]
            out = _resize_axis(e, out, table, shape, element_of(out))
        rewriter.replace(op, e.ops, [demote(e, out, element)])


# --------------------------------------------------------------------------- #
# grid_sample
# --------------------------------------------------------------------------- #


class _Scalars:
    """Scalar arithmetic in a generic's body, floats of one type and i64."""

    def __init__(self, b: Builder, element: Attribute) -> None:
        self.b, self.element = b, element

    def f(self, value: float) -> SSAValue:
        return constant(self.b, value, self.element)

    def i(self, value: int) -> SSAValue:
        return constant(self.b, value, i64)

    def add(self, x: SSAValue, y: SSAValue) -> SSAValue:
        return self.b.insert(arith.AddfOp(x, y)).result

    def sub(self, x: SSAValue, y: SSAValue) -> SSAValue:
        return self.b.insert(arith.SubfOp(x, y)).result

    def mul(self, x: SSAValue, y: SSAValue) -> SSAValue:
        return self.b.insert(arith.MulfOp(x, y)).result

    def affine(self, x: SSAValue, scale: float, shift: float) -> SSAValue:
        return self.add(self.mul(x, self.f(scale)), self.f(shift))

    def floor(self, x: SSAValue) -> SSAValue:
        return self.b.insert(mathd.FloorOp(x)).result

    def lt(self, x: SSAValue, y: SSAValue) -> SSAValue:
        return self.b.insert(arith.CmpfOp(x, y, "olt")).result

    def select(self, c: SSAValue, x: SSAValue, y: SSAValue) -> SSAValue:
        return self.b.insert(arith.SelectOp(c, x, y)).result

    def to_int(self, x: SSAValue) -> SSAValue:
        """Truncation toward zero to i64."""
        return self.b.insert(arith.FPToSIOp(x, i64)).result

    def to_float(self, x: SSAValue) -> SSAValue:
        return self.b.insert(arith.SIToFPOp(x, cast(AnyFloat, self.element))).result

    def clamp_int(self, x: SSAValue, hi: int) -> SSAValue:
        low = self.b.insert(arith.MaxSIOp(x, self.i(0))).result
        return self.b.insert(arith.MinSIOp(low, self.i(hi))).result

    def reflect(self, v: SSAValue, lo: float, hi: float) -> SSAValue:
        """`v` reflected by the borders into [lo, hi] (see `graph.reflect`)."""
        span = hi - lo
        if span <= 0:
            return self.f(lo)

        def fold(dist: SSAValue, near: float, far: float) -> SSAValue:
            n = self.floor(self.b.insert(arith.DivfOp(dist, self.f(span))).result)
            r = self.sub(dist, self.mul(n, self.f(span)))
            half = self.floor(self.mul(n, self.f(0.5)))
            odd = self.sub(n, self.add(half, half))
            even = self.b.insert(arith.CmpfOp(odd, self.f(0.0), "oeq")).result
            toward = (
                self.add(self.f(near), r) if near < far else self.sub(self.f(near), r)
            )
            back = self.sub(self.f(far), r) if near < far else self.add(self.f(far), r)
            return self.select(even, toward, back)

        below = fold(self.sub(self.f(lo), v), lo, hi)
        above = fold(self.sub(v, self.f(hi)), hi, lo)
        inside = self.select(self.lt(self.f(hi), v), above, v)
        return self.select(self.lt(v, self.f(lo)), below, inside)

    def cubic(self, x: SSAValue, near: bool) -> SSAValue:
        """Keys' kernel (a = -0.75) at `x` in [0, 1] (`near`) or [1, 2]."""
        a = -0.75
        if near:  # ((a + 2) x - (a + 3)) x x + 1
            inner = self.affine(x, a + 2, -(a + 3))
            return self.add(self.mul(self.mul(inner, x), x), self.f(1.0))
        inner = self.affine(x, a, -5 * a)  # ((a x - 5a) x + 8a) x - 4a
        inner = self.add(self.mul(inner, x), self.f(8 * a))
        return self.add(self.mul(inner, x), self.f(-4 * a))


def _tap_weights(s: _Scalars, mode: str, t: SSAValue) -> list[SSAValue]:
    if mode == "nearest":
        return [s.f(1.0)]
    one_minus = s.sub(s.f(1.0), t)
    if mode == "linear":
        return [one_minus, t]
    return [
        s.cubic(s.add(t, s.f(1.0)), near=False),
        s.cubic(t, near=True),
        s.cubic(one_minus, near=True),
        s.cubic(s.sub(s.f(2.0), t), near=False),
    ]


class GridSampleLowering(RewritePattern):
    """
    Per axis and tap, a generic over the sample points (N, O1..Ok) computes
    the tap's index and weight (zero outside, for zeros padding); a generic
    over the result then gathers and weighs, reading those tables.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.GridSampleOp, rewriter: PatternRewriter
    ) -> None:
        shape, result_element = result_of(op)
        mode, padding, align = graph.GridSampleOp.options(op.properties)
        e = Emitter()
        x, grid = promote(e, op.input), promote(e, op.grid)  # f16 in f32
        element = element_of(x)
        sizes = shape_of(x)[2:]
        rank = len(shape)
        points = [shape[0], *shape[2:]]
        tables = [
            [
                (
                    _tap_table(
                        e, grid, points, i, tap, mode, padding, align, size, i64
                    ),
                    _tap_table(
                        e, grid, points, i, tap, mode, padding, align, size, element
                    ),
                )
                for tap in range(len(grid_taps(mode)))
            ]
            for i, size in enumerate(sizes)
        ]
        inputs = [t for axis in tables for pair in axis for t in pair]

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            s = _Scalars(b, element)
            n, c = (b.insert(linalg.IndexOp(d)).result for d in (0, 1))
            per_axis: list[list[tuple[SSAValue, SSAValue]]] = []
            for i in range(len(sizes)):
                pairs: list[tuple[SSAValue, SSAValue]] = []
                for tap in range(len(tables[i])):
                    at = 2 * (i * len(tables[i]) + tap)
                    index = b.insert(arith.IndexCastOp(a[at], IndexType())).result
                    pairs.append((index, a[at + 1]))
                per_axis.append(pairs)
            acc: SSAValue | None = None
            for combo in product(*per_axis):
                coords = [n, c, *(index for index, _ in combo)]
                value = b.insert(tensor.ExtractOp(x, coords, element)).result
                weight = combo[0][1]
                for _, w in combo[1:]:
                    weight = s.mul(weight, w)
                term = s.mul(weight, value)
                acc = term if acc is None else s.add(acc, term)
            assert acc is not None
            return [acc]

        point_map = dims_map(rank, [0, *range(2, rank)])
        out = e.generic(
            inputs,
            e.empty(shape, element),
            [*[point_map] * len(inputs), identity_map(rank)],
            [PARALLEL] * rank,
            body,
        )
        rewriter.replace(op, e.ops, [demote(e, out, result_element)])


def _tap_table(
    e: Emitter,
    grid: SSAValue,
    points: Sequence[int],
    axis: int,
    tap: int,
    mode: str,
    padding: str,
    align: bool,
    size: int,
    element: Attribute,
) -> SSAValue:
    """
    For each sample point, tap `tap` along spatial `axis`: its in-range index
    (`element` i64) or its weight (a float `element`, zero where zeros
    padding reads outside).
    """
    rank = len(points)
    k = rank - 1
    float_type = element_of(grid)

    def body(b: Builder, _: Sequence[SSAValue]) -> list[SSAValue]:
        s = _Scalars(b, float_type)
        at = [b.insert(linalg.IndexOp(d)).result for d in range(rank)]
        channel = constant(b, k - 1 - axis, IndexType())
        g = b.insert(tensor.ExtractOp(grid, [*at, channel], float_type)).result
        v = _coordinate(s, g, mode, padding, size, align)
        if mode == "nearest":
            base, t = s.to_int(v), v
        else:
            floor = s.floor(v)
            base, t = s.to_int(floor), s.sub(v, floor)
        offset = grid_taps(mode)[tap]
        index, valid = _pixel(
            s, b.insert(arith.AddiOp(base, s.i(offset))).result, size, padding, align
        )
        if element == i64:
            return [index]
        weight = _tap_weights(s, mode, t)[tap]
        if valid is not None:
            weight = s.select(valid, weight, s.f(0.0))
        return [weight]

    return e.generic(
        [], e.empty(points, element), [identity_map(rank)], [PARALLEL] * rank, body
    )


def _coordinate(
    s: _Scalars, g: SSAValue, mode: str, padding: str, size: int, align: bool
) -> SSAValue:
    """A grid value as an input coordinate, rounded and padded as the op says."""
    if align:
        v = s.affine(g, (size - 1) / 2, (size - 1) / 2)
    else:
        v = s.affine(g, size / 2, (size - 1) / 2)
    if mode == "nearest":
        v = s.b.insert(mathd.RoundEvenOp(v)).result
    lo, hi = grid_borders(size, align)
    if padding == "border":
        clamped = s.b.insert(arith.MaximumfOp(v, s.f(0.0))).result
        clamped = s.b.insert(arith.MinimumfOp(clamped, s.f(size - 1.0))).result
        outside = s.b.insert(arith.OrIOp(s.lt(v, s.f(lo)), s.lt(s.f(hi), v))).result
        v = s.select(outside, clamped, v)
    elif padding == "reflection":
        v = s.reflect(v, lo, hi)
    return v


def _pixel(
    s: _Scalars, tap: SSAValue, size: int, padding: str, align: bool
) -> tuple[SSAValue, SSAValue | None]:
    """An in-range i64 index for a tap and, for zeros padding, whether it is inside."""
    valid: SSAValue | None = None
    if padding == "zeros":
        low = s.b.insert(arith.CmpiOp(tap, s.i(0), "sge")).result
        high = s.b.insert(arith.CmpiOp(tap, s.i(size), "slt")).result
        valid = s.b.insert(arith.AndIOp(low, high)).result
        assert valid.type == i1
    elif padding == "reflection":
        tap = s.to_int(s.reflect(s.to_float(tap), *grid_borders(size, align)))
    return s.clamp_int(tap, size - 1), valid
