"""
Spatial resampling (`resize`, `grid_sample`) as gathering generics: the
result's indices through `linalg.index`, the input read by `tensor.extract`.

A `resize` is one generic per axis it changes, whose (index, weight, bias)
tables (`resize_tables`, computed at compile time from the static shapes)
are `arith.constant` operands: output index `o` along the axis is
`sum_k w[o, k] * x[.., idx[o, k], ..] + bias[o]`, the taps a reduction
dimension; an axis that only picks elements (nearest) is a plain gather.
A `grid_sample` computes its sample points, taps and weights per output
element in the body.
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
from mlc.dialects.graph.resample import (
    AxisTable,
    grid_borders,
    grid_taps,
    resize_tables,
)
from mlc.lowering.graph_to_linalg.emitter import (
    PARALLEL,
    REDUCTION,
    Emitter,
    constant,
    dims_map,
    identity_map,
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
    indices = _table_constant(e, table.indices, i64)
    weights = _table_constant(e, table.weights, element)
    if np.any(table.bias):
        bias = _table_constant(e, table.bias, element)
        init = e.generic(
            [bias],
            e.empty(shape, element),
            [dims_map(rank, [axis]), identity_map(rank)],
            [PARALLEL] * rank,
            lambda b, a: [a[0]],
        )
    else:
        init = e.filled(shape, element, 0.0)

    def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
        value = _read_at(b, x, a[0], axis, rank, element)
        term = b.insert(arith.MulfOp(a[1], value)).result
        return [b.insert(arith.AddfOp(a[2], term)).result]

    tap_map = dims_map(rank + 1, [axis, rank])
    return e.generic(
        [indices, weights],
        init,
        [tap_map, tap_map, dims_map(rank + 1, list(range(rank)))],
        [*[PARALLEL] * rank, REDUCTION],
        body,
    )


class ResizeLowering(RewritePattern):
    """One gathering generic per resized axis, its tables constants."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ResizeOp, rewriter: PatternRewriter) -> None:
        _, element = result_of(op)
        out: SSAValue = op.input
        shape = list(shape_of(out))
        e = Emitter()
        for table in resize_tables(op.name, op.properties, shape):
            shape[table.axis] = table.indices.shape[0]
            out = _resize_axis(e, out, table, shape, element)
        rewriter.replace(op, e.ops, [out])


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
    """A generic over the result computing each point's taps and weights."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.GridSampleOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = result_of(op)
        mode, padding, align = graph.GridSampleOp.options(op.properties)
        x, grid = op.input, op.grid
        sizes = shape_of(x)[2:]
        k, rank = len(sizes), len(shape)

        def body(b: Builder, _: Sequence[SSAValue]) -> list[SSAValue]:
            s = _Scalars(b, element)
            at = [b.insert(linalg.IndexOp(d)).result for d in range(rank)]
            axes: list[list[tuple[SSAValue, SSAValue | None, SSAValue]]] = []
            for i, size in enumerate(sizes):
                channel = constant(b, k - 1 - i, IndexType())
                g = b.insert(tensor.ExtractOp(grid, [at[0], *at[2:], channel], element))
                v = _coordinate(s, g.results[0], mode, padding, size, align)
                if mode == "nearest":
                    base = s.to_int(v)
                    t = v
                else:
                    floor = s.floor(v)
                    base, t = s.to_int(floor), s.sub(v, floor)
                weights = _tap_weights(s, mode, t)
                taps: list[tuple[SSAValue, SSAValue | None, SSAValue]] = []
                for d, w in zip(grid_taps(mode), weights, strict=True):
                    tap = b.insert(arith.AddiOp(base, s.i(d))).result
                    taps.append((*_pixel(s, tap, size, padding, align), w))
                axes.append(taps)
            acc = s.f(0.0)
            for combo in product(*axes):
                coords = [at[0], at[1]]
                coords += [
                    b.insert(arith.IndexCastOp(c[0], IndexType())).result for c in combo
                ]
                value = b.insert(tensor.ExtractOp(x, coords, element)).result
                weight = combo[0][2]
                for c in combo[1:]:
                    weight = s.mul(weight, c[2])
                valids = [c[1] for c in combo if c[1] is not None]
                if valids:
                    ok = valids[0]
                    for v in valids[1:]:
                        ok = b.insert(arith.AndIOp(ok, v)).result
                    weight = s.select(ok, weight, s.f(0.0))
                acc = s.add(acc, s.mul(weight, value))
            return [acc]

        e = Emitter()
        out = e.generic(
            [], e.empty(shape, element), [identity_map(rank)], [PARALLEL] * rank, body
        )
        rewriter.replace(op, e.ops, [out])


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
