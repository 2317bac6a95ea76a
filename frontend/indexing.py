"""
Indexing computations both importers compose from graph ops: element and
N-d scatters (onto `graph.scatter`) and top-k.

`graph.scatter` wants updates that span the data on every dim but its axis;
narrower updates are padded, their indices with an out-of-range value that
the op ignores. An N-d scatter writes whole rows of the data viewed as
`[rows, *rest]`: its index tuples become flat row numbers.

Top-k of a small `k` (at most `SELECT_AT_MOST`) selects: each round takes
the first position holding the extreme of the positions not yet taken
(`k n` work). A larger `k` (a sort) ranks each element of a line by
counting the elements that come before it (larger, or equal and at a lower
index, for the largest: ONNX's tie order, a stable sort's); the element of
rank `r < k` is scattered to slot `r` of the indices. The count compares
every pair of a line (`n^2` work and memory per line of `n`). Either way
the values are gathered at the indices; NaN is not ordered.
"""

from __future__ import annotations

from math import prod

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.compose import (
    BOOL,
    I64,
    Emitter,
    cast,
    differs,
    equal,
    flip,
    gather_elements,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    positions,
    reduce_min,
)

# --------------------------------------------------------------------------- #
# Scatters
# --------------------------------------------------------------------------- #


def scatter_elements(
    b: Emitter,
    data: SSAValue,
    indices: SSAValue,
    updates: SSAValue,
    axis: int,
    reduction: str = "none",
) -> SSAValue:
    """ONNX ScatterElements / `torch.scatter`: updates narrower than data padded."""
    shape, at = value_shape(data), value_shape(updates)
    rank = len(shape)
    axis %= rank
    if value_shape(indices) != at:
        indices = b.emit(graph.SliceOp(indices, [0] * rank, list(at)))
    grow = [0 if d == axis else shape[d] - at[d] for d in range(rank)]
    if any(grow):
        pads = [0] * rank + grow
        updates = b.emit(graph.PadOp(updates, pads, _zero(value_dtype(updates))))
        indices = b.emit(graph.PadOp(indices, pads, shape[axis]))
    return b.emit(graph.ScatterOp(data, indices, updates, axis, reduction))


def _zero(dtype: np.dtype[np.generic]) -> float | int | bool:
    return False if dtype == BOOL else 0


def wrap(b: Emitter, index: SSAValue, length: int) -> SSAValue:
    """Indices in `[-length, length)` as non-negative int64 (a gather of arange)."""
    table = b.const(np.arange(length, dtype=np.int64))
    return b.emit(graph.GatherOp(table, index, 0))


def flat_rows(b: Emitter, indices: SSAValue, dims: tuple[int, ...]) -> SSAValue:
    """
    Index tuples along the last dim of `indices` (each in `dims`, negatives
    wrapped) as flat row numbers over `dims` (int64, the last dim dropped)."""
    lead = value_shape(indices)[:-1]
    rows: SSAValue | None = None
    for k, length in enumerate(dims):
        part = b.emit(graph.SliceOp(indices, [k], [k + 1], [-1]))
        part = b.emit(graph.ReshapeOp(part, list(lead)))
        part = wrap(b, part, length)
        stride = prod(dims[k + 1 :])
        if stride != 1:
            part = b.emit(graph.MulOp(part, b.const(np.asarray(stride, np.int64))))
        rows = part if rows is None else b.emit(graph.AddOp(rows, part))
    assert rows is not None
    return rows


def scatter_nd(
    b: Emitter,
    data: SSAValue,
    indices: SSAValue,
    updates: SSAValue,
    reduction: str = "none",
) -> SSAValue:
    """ONNX ScatterND: each index tuple picks a slice of data that takes an update."""
    shape = value_shape(data)
    depth = value_shape(indices)[-1]
    rest = list(shape[depth:])
    count = prod(value_shape(indices)[:-1])
    rows = b.emit(graph.ReshapeOp(flat_rows(b, indices, shape[:depth]), [count]))
    rows = b.emit(graph.ReshapeOp(rows, [count] + [1] * len(rest)))
    rows = b.emit(graph.BroadcastToOp(rows, [count, *rest]))
    table = b.emit(graph.ReshapeOp(data, [prod(shape[:depth]), *rest]))
    flat_updates = b.emit(graph.ReshapeOp(updates, [count, *rest]))
    out = b.emit(graph.ScatterOp(table, rows, flat_updates, 0, reduction))
    return b.emit(graph.ReshapeOp(out, list(shape)))


# --------------------------------------------------------------------------- #
# Top-k
# --------------------------------------------------------------------------- #


def ranks(b: Emitter, x: SSAValue, axis: int, largest: bool) -> SSAValue:
    """
    Each element's place (int64, 0 first) in its line along `axis` sorted
    largest (or smallest) first, ties by index."""
    shape = value_shape(x)
    rank, n = len(shape), shape[axis]
    mine = b.emit(graph.UnsqueezeOp(x, [axis + 1]))  # x_i along axis
    other = b.emit(graph.UnsqueezeOp(x, [axis]))  # x_j along axis + 1
    ordered = (
        less_equal(b, mine, other) if largest else less_equal(b, other, mine)
    )  # x_j at least as good as x_i
    trailing = [1] * (rank - axis - 1)
    i = b.const(np.arange(n, dtype=np.int64).reshape([n, 1, *trailing]))
    j = b.const(np.arange(n, dtype=np.int64).reshape([1, n, *trailing]))
    mask = less(b, j, i)  # j < i, without an n x n constant
    before = logical_and(b, ordered, logical_or(b, mask, differs(b, mine, other)))
    count = b.emit(graph.ReduceSumOp(cast(b, before, I64), [axis + 1], False))
    return count


SELECT_AT_MOST = 8
"""Up to this k, top-k selects one element per round instead of ranking all."""


def top_k(
    b: Emitter, x: SSAValue, k: int, axis: int, largest: bool
) -> tuple[SSAValue, SSAValue]:
    """The `k` largest (or smallest) along `axis`, sorted, and their int64 indices."""
    shape = value_shape(x)
    rank = len(shape)
    axis %= rank
    n = shape[axis]
    if k <= SELECT_AT_MOST:
        indices = _select(b, x, k, axis, largest)
        return gather_elements(b, x, indices, axis), indices
    out_shape = [k if d == axis else s for d, s in enumerate(shape)]
    place = ranks(b, x, axis, largest)
    index = b.emit(graph.BroadcastToOp(b.const(positions(n, axis, rank)), shape))
    slots = b.emit(graph.BroadcastToOp(b.const(np.asarray(0, np.int64)), out_shape))
    indices = b.emit(graph.ScatterOp(slots, place, index, axis))
    return gather_elements(b, x, indices, axis), indices


def _select(b: Emitter, x: SSAValue, k: int, axis: int, largest: bool) -> SSAValue:
    """
    `k` rounds, each taking the first position of the extreme among the
    positions not yet taken (`k n` work, about twenty ops a round)."""
    shape = value_shape(x)
    rank, n = len(shape), shape[axis]
    y = x if largest else flip(b, x)
    dtype = value_dtype(y)
    low = -np.inf if dtype.kind == "f" else int(np.iinfo(dtype).min)
    lowest = b.const(np.asarray(low, dtype))
    at = b.const(positions(n, axis, rank))
    past = b.const(np.asarray(n - 1, np.int64))  # a NaN line takes no position
    none = b.const(np.asarray(n, np.int64))
    taken: SSAValue | None = None
    picked: list[SSAValue] = []
    for _ in range(k):
        left = y if taken is None else b.emit(graph.WhereOp(taken, lowest, y))
        hit = equal(b, y, b.emit(graph.ReduceMaxOp(left, [axis], True)))
        if taken is not None:
            hit = logical_and(b, hit, logical_not(b, taken))
        first = reduce_min(b, b.emit(graph.WhereOp(hit, at, none)), [axis], True)
        first = b.emit(graph.MinOp(first, past))
        picked.append(first)
        now = equal(b, at, first)
        taken = now if taken is None else logical_or(b, taken, now)
    return picked[0] if k == 1 else b.emit(graph.ConcatOp(picked, axis))
