"""
PyTorch builders: scatters, `index_put`, top-k and sort, einsum,
`masked_scatter` and `embedding_bag` (`mlc.frontend.indexing`).

`index_put` (`x[i, j] = v`, `x[:, i] += v`) follows PyTorch's layout rule,
as `aten.index.Tensor` (`logic.py`) does: the index tensors broadcast to one
shape `B`; when the indexed dims are adjacent, `B` takes their place in the
values, otherwise it comes first. The indexed dims move to the front, whole
rows are scattered at the flat row numbers of the index tuples (ScatterND),
and the dims move back. Boolean masks as indices have a data-dependent size
and are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any, cast

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose, indexing
from mlc.frontend.common import value_dtype, value_rank, value_shape
from mlc.frontend.einsum import einsum
from mlc.frontend.torch.importer import Args, Builder, Importer, Meta, Result

I64 = compose.I64

# --------------------------------------------------------------------------- #
# Scatters
# --------------------------------------------------------------------------- #

_REDUCTIONS = {
    "add": "add",
    "sum": "add",
    "multiply": "mul",
    "prod": "mul",
    "amax": "max",
    "amin": "min",
}


def _updates(im: Importer, a: Args, index: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    """`src` cut to the index's shape, or the scalar `value` spread over it."""
    at = value_shape(index)
    given: object = a.get("src")
    if isinstance(given, SSAValue):
        src = im.cast(cast(SSAValue, given), dtype)
        if value_shape(src) != at:
            src = im.add(graph.SliceOp(src, [0] * len(at), list(at)))
        return src
    value = im.constant(cast(float, a["value"]), dtype)
    return im.add(graph.BroadcastToOp(value, list(at)))


def _identity(dtype: np.dtype[Any], reduction: str) -> float | int:
    if reduction == "add":
        return 0
    if reduction == "mul":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduction == "max" else np.inf
    info = np.iinfo(dtype)
    return int(info.min) if reduction == "max" else int(info.max)


def _scatter(reduce_arg: str | None) -> Builder:
    """scatter (.src/.value, with an optional `reduce`), scatter_add, scatter_reduce."""

    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = im.cast(cast(SSAValue, a["self"]), out.dtype)
        dim = cast(int, a["dim"]) % max(value_rank(x), 1)
        index = cast(SSAValue, a["index"])
        updates = _updates(im, a, index, out.dtype)
        name = reduce_arg or cast(str | None, a.get("reduce")) or "none"
        if name == "mean":
            return _scatter_mean(im, x, dim, index, updates, bool(a["include_self"]))
        if name != "none" and name not in _REDUCTIONS:
            raise im.fail(f"scatter reduction '{name}' is not supported")
        reduction = _REDUCTIONS.get(name, "none")
        if reduction != "none" and not a.get("include_self", True):
            fill = _identity(out.dtype, reduction)
            spread = im.add(
                graph.BroadcastToOp(im.constant(fill, out.dtype), value_shape(index))
            )
            x = indexing.scatter_elements(im, x, index, spread, dim)
        return indexing.scatter_elements(im, x, index, updates, dim, reduction)

    return build


def _scatter_mean(
    im: Importer,
    x: SSAValue,
    dim: int,
    index: SSAValue,
    updates: SSAValue,
    include_self: bool,
) -> SSAValue:
    """The sum over `self` (if included) and the updates, over their count."""
    dtype = value_dtype(x)
    if dtype.kind != "f":
        raise im.fail("scatter_reduce 'mean' of integers is not supported")
    ones = im.add(graph.BroadcastToOp(im.constant(1.0, dtype), value_shape(index)))
    zeros = im.add(graph.BroadcastToOp(im.constant(0.0, dtype), value_shape(x)))
    counts = indexing.scatter_elements(im, zeros, index, ones, dim, "add")
    if include_self:
        counts = im.add(graph.AddOp(counts, im.constant(1.0, dtype)))
    else:
        nothing = im.add(graph.MulOp(ones, im.constant(0.0, dtype)))
        x = indexing.scatter_elements(im, x, index, nothing, dim)
        counts = im.add(graph.MaxOp(counts, im.constant(1.0, dtype)))
    total = indexing.scatter_elements(im, x, index, updates, dim, "add")
    return im.add(graph.DivOp(total, counts))


# --------------------------------------------------------------------------- #
# Advanced indexing
# --------------------------------------------------------------------------- #


def _index_tuples(
    im: Importer, x: SSAValue, indices: Sequence[SSAValue | None]
) -> tuple[list[int], list[int], SSAValue, bool]:
    """
    The indexed dims, the other dims, the index tuples stacked along a last
    dim (int64, broadcast to one shape) and whether the indexed dims are
    adjacent."""
    rank = value_rank(x)
    picked = [d for d, t in enumerate(indices) if t is not None]
    rest = [d for d in range(rank) if d not in picked]
    tensors = [cast(SSAValue, indices[d]) for d in picked]
    if any(value_dtype(t).kind == "b" for t in tensors):
        raise im.fail("indexing with a boolean mask has a data-dependent size")
    shape = tuple(np.broadcast_shapes(*(value_shape(t) for t in tensors)))
    columns: list[SSAValue] = []
    for t in tensors:
        t = im.cast(t, I64)
        if value_shape(t) != shape:
            t = im.add(graph.BroadcastToOp(t, list(shape)))
        columns.append(im.add(graph.ReshapeOp(t, [*shape, 1])))
    stacked = columns[0]
    if len(columns) > 1:
        stacked = im.add(graph.ConcatOp(columns, len(shape)))
    adjacent = picked == list(range(picked[0], picked[0] + len(picked)))
    return picked, rest, stacked, adjacent


def _front(im: Importer, x: SSAValue, order: list[int]) -> SSAValue:
    if order == sorted(order):
        return x
    return im.add(graph.TransposeOp(x, order))


def _index_put(im: Importer, a: Args, out: Meta) -> Result:
    """x[i, j, ...] = v (or += with `accumulate`): a scatter of whole rows."""
    x = im.cast(cast(SSAValue, a["self"]), out.dtype)
    shape = value_shape(x)
    picked, rest, stacked, adjacent = _index_tuples(im, x, a["indices"])
    b = len(value_shape(stacked)) - 1
    at = picked[0] if adjacent else 0
    rest_dims = [shape[d] for d in rest]
    layout = [*rest_dims[:at], *value_shape(stacked)[:-1], *rest_dims[at:]]
    values = im.cast(cast(SSAValue, a["values"]), out.dtype)
    if value_shape(values) != tuple(layout):
        values = im.add(graph.BroadcastToOp(values, layout))
    if at:
        perm = [*range(at, at + b), *range(at), *range(at + b, len(layout))]
        values = im.add(graph.TransposeOp(values, perm))
    order = [*picked, *rest]
    moved = _front(im, x, order)
    reduction = "add" if a["accumulate"] else "none"
    result = indexing.scatter_nd(im, moved, stacked, values, reduction)
    inverse = [order.index(d) for d in range(len(shape))]
    return _front(im, result, inverse) if order != sorted(order) else result


# --------------------------------------------------------------------------- #
# Top-k, sort, einsum
# --------------------------------------------------------------------------- #


def _topk(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    dim = cast(int, a["dim"]) % value_rank(x)
    return indexing.top_k(im, x, cast(int, a["k"]), dim, bool(a["largest"]))


def _sort(im: Importer, a: Args, out: Meta) -> Result:
    """A stable sort: a top-k of the whole dim (ties keep their order)."""
    x = cast(SSAValue, a["self"])
    if value_rank(x) == 0:
        return (x, im.constant(0, I64))
    dim = cast(int, a["dim"]) % value_rank(x)
    n = value_shape(x)[dim]
    return indexing.top_k(im, x, n, dim, bool(a["descending"]))


def _einsum(im: Importer, a: Args, out: Meta) -> Result:
    tensors = [im.cast(t, out.dtype) for t in cast(list[SSAValue], a["tensors"])]
    try:
        return einsum(im, cast(str, a["equation"]), tensors)
    except ValueError as error:
        raise im.fail(str(error)) from None


# --------------------------------------------------------------------------- #
# masked_scatter, embedding_bag
# --------------------------------------------------------------------------- #


def _masked_scatter(im: Importer, a: Args, out: Meta) -> Result:
    """Where the mask holds, the next source element: at `cumsum(mask) - 1`."""
    x = cast(SSAValue, a["self"])
    mask = im.cast(cast(SSAValue, a["mask"]), np.dtype(np.bool_))
    if value_shape(mask) != out.shape:
        mask = im.add(graph.BroadcastToOp(mask, list(out.shape)))
    count = prod(out.shape)
    flat = im.add(graph.ReshapeOp(im.cast(mask, I64), [count]))
    taken = compose.cumsum(im, flat, 0, exclusive=True, backwards=False)
    source = cast(SSAValue, a["source"])
    source = im.add(graph.ReshapeOp(source, [prod(value_shape(source))]))
    last = im.constant(prod(value_shape(source)) - 1, I64)
    taken = im.add(graph.MinOp(taken, last))  # past the last true: unused
    picked = im.add(graph.GatherOp(source, taken, 0))
    picked = im.add(graph.ReshapeOp(picked, list(out.shape)))
    return im.add(graph.WhereOp(mask, picked, x))


_BAG_MODES = ("sum", "mean", "max")


def _embedding_bag(im: Importer, a: Args, out: Meta) -> Result:
    """
    Each index's bag is the number of offsets at or before it, minus one;
    the bags' rows are summed (averaged, maxed) by a scatter along the bags.
    """
    weight, indices = cast(SSAValue, a["weight"]), cast(SSAValue, a["indices"])
    offsets = im.cast(cast(SSAValue, a["offsets"]), I64)
    mode = _BAG_MODES[cast(int, a["mode"])]
    if value_rank(indices) != 1:
        raise im.fail("embedding_bag expects 1-D indices with offsets")
    n, dims = value_shape(indices)[0], value_shape(weight)[1]
    bags = value_shape(offsets)[0] - int(bool(a["include_last_offset"]))
    dtype = value_dtype(weight)
    position = im.constant(np.arange(n).reshape(n, 1), I64)
    starts = im.add(graph.ReshapeOp(offsets, [1, value_shape(offsets)[0]]))
    started = im.cast(compose.less_equal(im, starts, position), I64)
    bag = im.add(
        graph.SubOp(im.add(graph.ReduceSumOp(started, [1], False)), im.constant(1, I64))
    )
    rows = im.add(graph.GatherOp(weight, indices, 0))
    padding = cast(int | None, a["padding_idx"])
    if padding is not None and padding >= 0:
        # A padding entry goes to no bag (a bag past the last one): it is
        # neither added nor counted.
        real = compose.differs(im, im.cast(indices, I64), im.constant(padding, I64))
        bag = im.add(graph.WhereOp(real, bag, im.constant(bags, I64)))
    weights: object = a.get("per_sample_weights")
    if isinstance(weights, SSAValue):
        scale = im.add(graph.ReshapeOp(cast(SSAValue, weights), [n, 1]))
        rows = im.add(graph.MulOp(rows, scale))
    bag = im.add(graph.BroadcastToOp(im.add(graph.ReshapeOp(bag, [n, 1])), [n, dims]))
    reduction = "max" if mode == "max" else "add"
    fill = _identity(dtype, reduction)
    base = im.add(graph.BroadcastToOp(im.constant(fill, dtype), [bags, dims]))
    total = indexing.scatter_elements(im, base, bag, rows, 0, reduction)
    if mode == "sum":
        return (total, None, None, None)
    ones = im.add(graph.BroadcastToOp(im.constant(1.0, dtype), [n, dims]))
    zeros = im.add(graph.BroadcastToOp(im.constant(0.0, dtype), [bags, dims]))
    counts = indexing.scatter_elements(im, zeros, bag, ones, 0, "add")
    if mode == "mean":
        divisor = im.add(graph.MaxOp(counts, im.constant(1.0, dtype)))
        return (im.add(graph.DivOp(total, divisor)), None, None, None)
    empty = compose.equal(im, counts, im.constant(0.0, dtype))
    return (
        im.add(graph.WhereOp(empty, im.constant(0.0, dtype), total)),
        None,
        None,
        None,
    )


OPS: dict[str, Builder] = {
    "aten.scatter.src": _scatter(None),
    "aten.scatter.value": _scatter(None),
    "aten.scatter.reduce": _scatter(None),
    "aten.scatter.value_reduce": _scatter(None),
    "aten.scatter_add.default": _scatter("add"),
    "aten.scatter_reduce.two": _scatter(None),
    "aten.index_put.default": _index_put,
    "aten.topk.default": _topk,
    "aten.sort.default": _sort,
    "aten.sort.stable": _sort,
    "aten.einsum.default": _einsum,
    "aten.masked_scatter.default": _masked_scatter,
    "aten._embedding_bag_forward_only.default": _embedding_bag,
    "aten._embedding_bag.default": _embedding_bag,
}
