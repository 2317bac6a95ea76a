"""
ONNX converters: scatters, top-k and selections (`mlc.frontend.indexing`).

Scatter, ScatterElements, ScatterND and TensorScatter become `graph.scatter`;
TopK is composed by ranking (`mlc.frontend.indexing.top_k`); ReverseSequence
is a GatherElements at per-batch reversed positions. Compress, NonZero and
Unique have a result size that depends on values: they are supported when
those values are known at import (Compress's condition, NonZero's and
Unique's input) and refused by name otherwise.
"""

from __future__ import annotations

from math import prod

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import Array
from mlc.frontend import compose, indexing
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, converter

# --------------------------------------------------------------------------- #
# Scatters
# --------------------------------------------------------------------------- #


def _reduction(node: Node) -> str:
    return str(node.attr("reduction", "none"))


@converter("ScatterElements", "Scatter")
def _scatter_elements(node: Node) -> list[Output]:
    axis = int(node.attr("axis", 0))
    data, indices, updates = node.input(0), node.input(1), node.input(2)
    return [
        indexing.scatter_elements(node, data, indices, updates, axis, _reduction(node))
    ]


@converter("ScatterND")
def _scatter_nd(node: Node) -> list[Output]:
    data, indices, updates = node.input(0), node.input(1), node.input(2)
    return [indexing.scatter_nd(node, data, indices, updates, _reduction(node))]


@converter("TensorScatter")
def _tensor_scatter(node: Node) -> list[Output]:
    """
    The update lands along `axis` at `write_indices[b] + s` (0 when absent;
    modulo the cache length in `circular` mode; past the end it is dropped).
    """
    cache, update = node.input(0), node.input(1)
    shape, at = value_shape(cache), value_shape(update)
    rank = len(shape)
    axis = int(node.attr("axis", -2)) % rank
    if axis == 0:
        raise node.error("axis must not be the batch axis 0")
    mode = str(node.attr("mode", "linear"))
    if mode not in ("linear", "circular"):
        raise node.error(f"mode must be 'linear' or 'circular', got '{mode}'")
    index: SSAValue = node.const(compose.positions(at[axis], axis, rank))
    if node.has(2):
        start = compose.cast(node, node.input(2), compose.I64)
        start = node.emit(graph.ReshapeOp(start, [shape[0]] + [1] * (rank - 1)))
        index = node.emit(graph.AddOp(index, start))
    if mode == "circular":  # non-negative: truncating division is floor
        length = node.scalar(shape[axis], compose.I64)
        whole = node.emit(graph.MulOp(node.emit(graph.DivOp(index, length)), length))
        index = node.emit(graph.SubOp(index, whole))
    index = node.emit(graph.BroadcastToOp(index, list(at)))
    return [node.emit(graph.ScatterOp(cache, index, update, axis))]


# --------------------------------------------------------------------------- #
# Top-k
# --------------------------------------------------------------------------- #


@converter("TopK")
def _top_k(node: Node) -> list[Output]:
    x = node.input(0)
    shape = value_shape(x)
    axis = int(node.attr("axis", -1)) % len(shape)
    (k,) = node.ints_input(1, "K") or [0]
    if not 0 <= k <= shape[axis]:
        raise node.error(f"K = {k} is out of range for axis {axis} of {shape}")
    largest = bool(node.attr("largest", 1))
    if k == 0:
        out = [0 if d == axis else s for d, s in enumerate(shape)]
        x_empty = np.empty(out, value_dtype(x))
        return [x_empty, np.empty(out, np.int64)]
    values, indices = indexing.top_k(node, x, k, axis, largest)
    return [values, indices]


# --------------------------------------------------------------------------- #
# Selections
# --------------------------------------------------------------------------- #


@converter("ReverseSequence")
def _reverse_sequence(node: Node) -> list[Output]:
    """Position `t < len[b]` reads `len[b] - 1 - t`, the others stay."""
    x = node.input(0)
    shape = value_shape(x)
    rank = len(shape)
    time_axis = int(node.attr("time_axis", 0))
    batch_axis = int(node.attr("batch_axis", 1))
    lengths = compose.cast(node, node.input(1), compose.I64)
    spread = [1] * rank
    spread[batch_axis] = shape[batch_axis]
    lengths = node.emit(graph.ReshapeOp(lengths, spread))
    t = node.const(compose.positions(shape[time_axis], time_axis, rank))
    one = node.scalar(1, compose.I64)
    flipped = node.emit(graph.SubOp(node.emit(graph.SubOp(lengths, one)), t))
    inside = compose.less(node, t, lengths)
    source = node.emit(graph.WhereOp(inside, flipped, t))
    source = node.emit(graph.BroadcastToOp(source, list(shape)))
    return [compose.gather_elements(node, x, source, time_axis)]


def _known(node: Node, index: int, what: str) -> Array:
    array = node.constant(index)
    if array is None:
        raise node.error(
            f"{what} must be known at import (the result size depends on its values)"
        )
    return array


@converter("Compress")
def _compress(node: Node) -> list[Output]:
    x = node.input(0)
    keep = np.flatnonzero(_known(node, 1, "the condition")).astype(np.int64)
    axis = node.attr("axis")
    if axis is None:
        x = node.emit(graph.ReshapeOp(x, [prod(value_shape(x))]))
        axis = 0
    if keep.size == 0:
        shape = [
            0 if d == int(axis) % len(value_shape(x)) else s
            for d, s in enumerate(value_shape(x))
        ]
        return [np.empty(shape, value_dtype(x))]
    return [node.emit(graph.GatherOp(x, node.const(keep), int(axis)))]


@converter("NonZero")
def _nonzero(node: Node) -> list[Output]:
    x = _known(node, 0, "the input")
    return [np.asarray(np.nonzero(x), np.int64).reshape(x.ndim, -1)]


@converter("Unique")
def _unique(node: Node) -> list[Output]:
    """np.unique; unsorted keeps the order of first occurrence."""
    x = _known(node, 0, "the input")
    axis = node.attr("axis")
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = int(axis) % x.ndim
    y, first, inverse, counts = np.unique(
        x, return_index=True, return_inverse=True, return_counts=True, axis=axis
    )
    inverse = inverse.reshape(-1)
    if not node.attr("sorted", 1):
        order = np.argsort(first, kind="stable")
        y, first, counts = np.take(y, order, axis), first[order], counts[order]
        inverse = np.argsort(order)[inverse]
    return [
        np.asarray(a, dtype)
        for a, dtype in zip(
            (y, first, inverse, counts), (x.dtype, np.int64, np.int64, np.int64)
        )
    ]
