"""
Computations both importers compose from graph ops: comparisons and boolean
logic (the graph dialect has no comparison op), minimum reductions, arg-max
and arg-min, element gathers.

Each function takes an `Emitter` (the ONNX importer's `Node`, the PyTorch
importer's `Importer`) that inserts (or folds) a graph op and materializes a
constant.

The comparison primitive is "differs": `cast(a - b, i1)`, true where `a - b`
is not zero. For integers it is exact (the subtraction wraps, and a wrapped
difference is zero only for equal operands). Floats are first clamped to the
finite range, so that `inf - inf` is not NaN; a NaN operand gives NaN, which
is nonzero: "differs", as IEEE says. The one inexactness: `±inf` compares
equal to the largest finite value of its sign. The orderings follow:
`a <= b` is `min(a, b) == a` (NaN propagates through `min`, so it is false
with a NaN, as in IEEE), and `a < b` is `a <= b` and `a != b`.
"""

from __future__ import annotations

from math import prod
from typing import Any, Protocol

import numpy as np
from xdsl.dialects.builtin import FloatAttr
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import (
    Array,
    GraphOp,
    float_max,
    from_numpy_dtype,
    is_float_dtype,
)
from mlc.frontend.common import value_dtype, value_shape, value_type

BOOL = np.dtype(np.bool_)
I64 = np.dtype(np.int64)


class Emitter(Protocol):
    def emit(self, op: GraphOp) -> SSAValue:
        """Insert `op` (or fold it) and return its result."""
        ...

    def const(self, value: Array) -> SSAValue:
        """A constant of `value`, with its dtype."""
        ...


def scalar(b: Emitter, value: float | int | bool, dtype: np.dtype[Any]) -> SSAValue:
    return b.const(np.asarray(value, dtype))


def cast(b: Emitter, x: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    if value_dtype(x) == dtype:
        return x
    return b.emit(graph.CastOp(x, from_numpy_dtype(dtype)))


# --------------------------------------------------------------------------- #
# Comparisons and logic
# --------------------------------------------------------------------------- #


def finite(b: Emitter, x: SSAValue) -> SSAValue:
    """Floats clamped to the finite range (NaN stays NaN); others as they are."""
    dtype = value_dtype(x)
    if not is_float_dtype(dtype):
        return x
    largest = float_max(dtype)
    element: Any = value_type(x).element_type
    low, high = FloatAttr(-largest, element), FloatAttr(largest, element)
    return b.emit(graph.ClipOp(x, low, high))


def logical_not(b: Emitter, a: SSAValue) -> SSAValue:
    return b.emit(graph.WhereOp(a, scalar(b, False, BOOL), scalar(b, True, BOOL)))


def logical_and(b: Emitter, x: SSAValue, y: SSAValue) -> SSAValue:
    return b.emit(graph.WhereOp(x, y, scalar(b, False, BOOL)))


def logical_or(b: Emitter, x: SSAValue, y: SSAValue) -> SSAValue:
    return b.emit(graph.WhereOp(x, scalar(b, True, BOOL), y))


def differs(b: Emitter, x: SSAValue, y: SSAValue) -> SSAValue:
    """`x != y` elementwise (bools, integers, floats; see the module docstring)."""
    if value_dtype(x) == BOOL:
        return b.emit(graph.WhereOp(x, logical_not(b, y), y))
    gap = b.emit(graph.SubOp(finite(b, x), finite(b, y)))
    return cast(b, gap, BOOL)


def equal(b: Emitter, x: SSAValue, y: SSAValue) -> SSAValue:
    return logical_not(b, differs(b, x, y))


def less_equal(b: Emitter, x: SSAValue, y: SSAValue) -> SSAValue:
    """`x <= y`: `min(x, y) == x`."""
    if value_dtype(x) == BOOL:  # false <= anything; true <= y iff y
        return b.emit(graph.WhereOp(x, y, scalar(b, True, BOOL)))
    return equal(b, b.emit(graph.MinOp(x, y)), x)


def less(b: Emitter, x: SSAValue, y: SSAValue) -> SSAValue:
    """`x < y`: `x <= y` and `x != y`."""
    return logical_and(b, differs(b, x, y), less_equal(b, x, y))


def is_nan(b: Emitter, x: SSAValue) -> SSAValue:
    """`x != x`: a clamped value minus itself is zero unless it is NaN."""
    clamped = finite(b, x)
    return cast(b, b.emit(graph.SubOp(clamped, clamped)), BOOL)


def is_inf(b: Emitter, x: SSAValue) -> SSAValue:
    """`x - clamp(x)` is nonzero for ±inf and NaN only; NaN is then excluded."""
    outside = cast(b, b.emit(graph.SubOp(x, finite(b, x))), BOOL)
    return logical_and(b, logical_not(b, is_nan(b, x)), outside)


def sign(b: Emitter, x: SSAValue) -> SSAValue:
    """`(0 < x) - (x < 0)`, as the input's type."""
    dtype = value_dtype(x)
    zero = scalar(b, 0, dtype)
    positive = cast(b, less(b, zero, x), dtype)
    if dtype.kind == "u":
        return positive
    return b.emit(graph.SubOp(positive, cast(b, less(b, x, zero), dtype)))


# --------------------------------------------------------------------------- #
# Reductions
# --------------------------------------------------------------------------- #


def numeric(b: Emitter, x: SSAValue) -> SSAValue:
    """Bools as u8, for the reductions."""
    return cast(b, x, np.dtype(np.uint8)) if value_dtype(x) == BOOL else x


def flip(b: Emitter, x: SSAValue) -> SSAValue:
    """An order-reversing bijection that is its own inverse, exact for every type."""
    dtype = value_dtype(x)
    if is_float_dtype(dtype):
        return b.emit(graph.NegOp(x))
    # -1 - x for signed integers, MAX - x for unsigned: no overflow.
    top = -1 if dtype.kind == "i" else int(np.iinfo(dtype).max)
    return b.emit(graph.SubOp(scalar(b, top, dtype), x))


def reduce_max(b: Emitter, x: SSAValue, axes: list[int], keepdims: bool) -> SSAValue:
    out = b.emit(graph.ReduceMaxOp(numeric(b, x), axes, keepdims))
    return cast(b, out, value_dtype(x))


def reduce_min(b: Emitter, x: SSAValue, axes: list[int], keepdims: bool) -> SSAValue:
    """min = flip(max(flip(x)))."""
    largest = b.emit(graph.ReduceMaxOp(flip(b, numeric(b, x)), axes, keepdims))
    return cast(b, flip(b, largest), value_dtype(x))


def positions(length: int, axis: int, rank: int) -> Array:
    """0 .. length - 1 (int64) along `axis` of a rank-`rank` array."""
    shape = [1] * rank
    shape[axis] = length
    return np.arange(length, dtype=np.int64).reshape(shape)


def arg_extreme(
    b: Emitter, x: SSAValue, axis: int, largest: bool, last: bool
) -> SSAValue:
    """The int64 index of the first (or last) max or min along `axis`, kept."""
    shape = value_shape(x)
    rank = len(shape)
    axis %= rank
    reduce = reduce_max if largest else reduce_min
    hit = equal(b, x, reduce(b, x, [axis], True))
    index = b.const(positions(shape[axis], axis, rank))
    miss = scalar(b, -1 if last else shape[axis], I64)
    candidates = b.emit(graph.WhereOp(hit, index, miss))
    if last:
        return b.emit(graph.ReduceMaxOp(candidates, [axis], True))
    return reduce_min(b, candidates, [axis], True)


def _shift(b: Emitter, x: SSAValue, axis: int, by: int, fill: float = 0) -> SSAValue:
    """`x` moved `by` places along `axis`, `fill` (zeros) coming in."""
    shape = value_shape(x)
    kept = b.emit(graph.SliceOp(x, [0], [shape[axis] - by], [axis]))
    pads = [0] * (2 * len(shape))
    pads[axis] = by
    return b.emit(graph.PadOp(kept, pads, fill if fill else None))


def reverse(b: Emitter, x: SSAValue, axis: int) -> SSAValue:
    """`x` reversed along `axis`."""
    return b.emit(graph.SliceOp(x, [-1], [-(1 << 62)], [axis], [-1]))


def _scan(
    b: Emitter,
    x: SSAValue,
    axis: int,
    exclusive: bool,
    backwards: bool,
    product: bool,
) -> SSAValue:
    """
    Prefix sums or products along `axis` by doubling shifts (Hillis-Steele):
    log2(n) shifted adds or multiplies, the identity (0 or 1) shifted in.
    """
    shape = value_shape(x)
    axis %= len(shape)
    op = graph.MulOp if product else graph.AddOp
    fill = 1 if product else 0
    if backwards:
        x = reverse(b, x, axis)
    out, step = x, 1
    while step < shape[axis]:
        out = b.emit(op(out, _shift(b, out, axis, step, fill)))
        step *= 2
    if exclusive:
        out = _shift(b, out, axis, 1, fill)
    return reverse(b, out, axis) if backwards else out


def cumsum(
    b: Emitter, x: SSAValue, axis: int, exclusive: bool, backwards: bool
) -> SSAValue:
    """Prefix sums along `axis` (log2(n) shifted adds, exact for integers)."""
    return _scan(b, x, axis, exclusive, backwards, product=False)


def cumprod(
    b: Emitter, x: SSAValue, axis: int, exclusive: bool, backwards: bool
) -> SSAValue:
    """Prefix products along `axis` (log2(n) shifted multiplies)."""
    return _scan(b, x, axis, exclusive, backwards, product=True)


def integer_mod(b: Emitter, x: SSAValue, y: SSAValue, fmod: bool) -> SSAValue:
    """
    The integer remainder `x - (x / y) * y` (the division truncates), exact;
    unless `fmod`, it takes the divisor's sign (`+ y` where the signs differ),
    as Python's `%`. Unsigned integers have one remainder.
    """
    dtype = value_dtype(x)
    quotient = b.emit(graph.DivOp(x, y))
    rest = b.emit(graph.SubOp(x, b.emit(graph.MulOp(quotient, y))))
    if fmod or dtype.kind == "u":
        return rest
    zero = scalar(b, 0, dtype)
    signs_differ = differs(b, less(b, rest, zero), less(b, y, zero))
    adjust = logical_and(b, differs(b, rest, zero), signs_differ)
    return b.emit(graph.WhereOp(adjust, b.emit(graph.AddOp(rest, y)), rest))


# --------------------------------------------------------------------------- #
# Gathers
# --------------------------------------------------------------------------- #


def gather_elements(
    b: Emitter, data: SSAValue, indices: SSAValue, axis: int
) -> SSAValue:
    """
    `out[i][j][k] = data[i][indices[i][j][k]][k]` (for axis 1): a gather from
    the flattened data at flat indices, each index wrapped into its axis (a
    gather from `arange`, which wraps negatives), times the axis's stride,
    plus the flat offset of its position along the other axes.
    """
    shape, at = value_shape(data), value_shape(indices)
    rank = len(shape)
    axis %= rank
    strides = [prod(shape[d + 1 :]) for d in range(rank)]
    offset = np.zeros(at, np.int64)
    for d in range(rank):
        if d != axis:
            offset = offset + positions(at[d], d, rank) * strides[d]
    axis_range = b.const(np.arange(shape[axis], dtype=np.int64))
    wrapped = b.emit(graph.GatherOp(axis_range, indices, 0))
    if strides[axis] != 1:
        wrapped = b.emit(graph.MulOp(wrapped, scalar(b, strides[axis], I64)))
    flat_indices = b.emit(graph.AddOp(wrapped, b.const(offset)))
    flat = b.emit(graph.ReshapeOp(data, [prod(shape)]))
    return b.emit(graph.GatherOp(flat, flat_indices, 0))
