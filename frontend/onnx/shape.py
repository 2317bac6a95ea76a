"""ONNX converters: shapes and data movement."""

from __future__ import annotations

from math import prod

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx import narrow
from mlc.frontend.onnx.importer import Node, Output, converter, scalar_attr

# --------------------------------------------------------------------------- #
# Shape and data movement
# --------------------------------------------------------------------------- #
from mlc.support.narrow_types import NarrowFormat


@converter("Flatten")
def _flatten(node: Node) -> list[Output]:
    return [node.emit(graph.FlattenOp(node.input(0), int(node.attr("axis", 1))))]


@converter("Reshape")
def _reshape(node: Node) -> list[Output]:
    x = node.input(0)
    in_shape = value_shape(x)
    target = node.ints_input(1, "shape") or []
    allowzero = bool(node.attr("allowzero", 0))
    shape = [
        in_shape[i] if d == 0 and not allowzero else d for i, d in enumerate(target)
    ]
    if -1 in shape:
        known = prod(d for d in shape if d != -1)
        shape[shape.index(-1)] = prod(in_shape) // known if known else 0
    if tuple(shape) == in_shape:
        return [x]
    if prod(shape) == 0:
        return [np.empty(shape, value_dtype(x))]
    return [node.emit(graph.ReshapeOp(x, shape))]


@converter("Transpose")
def _transpose(node: Node) -> list[Output]:
    perm = node.attr("perm")
    perm = None if perm is None else [int(p) for p in perm]
    return [node.emit(graph.TransposeOp(node.input(0), perm))]


@converter("Squeeze")
def _squeeze(node: Node) -> list[Output]:
    return [node.emit(graph.SqueezeOp(node.input(0), node.ints_input(1, "axes")))]


@converter("Unsqueeze")
def _unsqueeze(node: Node) -> list[Output]:
    axes = node.ints_input(1, "axes") or []
    return [node.emit(graph.UnsqueezeOp(node.input(0), axes))]


@converter("Concat")
def _concat(node: Node) -> list[Output]:
    values = node.inputs()
    axis = int(node.attr("axis"))
    op = graph.ConcatOp(values, axis)  # verifies all inputs, even empty ones
    filled = [v for v in values if prod(value_shape(v)) != 0]
    if len(filled) in (0, len(values)):
        return [node.importer.emit(op)]
    op.drop_all_references()
    if len(filled) == 1:
        return [filled[0]]
    return [node.emit(graph.ConcatOp(filled, axis))]


@converter("Split")
def _split(node: Node) -> list[Output]:
    x = node.input(0)
    shape = value_shape(x)
    axis = int(node.attr("axis", 0)) % len(shape)
    sizes = node.ints_input(1, "split")
    count = node.num_outputs
    if sizes is None:
        parts = int(node.attr("num_outputs", count))
        chunk = -(-shape[axis] // parts)
        sizes = [min(chunk, shape[axis] - i * chunk) for i in range(parts)]
    outputs: list[Output] = []
    start = 0
    for size in sizes:
        outputs.append(
            node.emit(graph.SliceOp(x, [start], [start + size], [axis], None))
            if size != shape[axis]
            else x
        )
        start += size
    return outputs


@converter("Gather")
def _gather(node: Node) -> list[Output]:
    x, indices = node.input(0), node.input(1)
    return [node.emit(graph.GatherOp(x, indices, int(node.attr("axis", 0))))]


@converter("Slice")
def _slice(node: Node) -> list[Output]:
    x = node.input(0)
    starts = node.ints_input(1, "starts") or []
    ends = node.ints_input(2, "ends") or []
    axes = node.ints_input(3, "axes")
    steps = node.ints_input(4, "steps")
    return [node.emit(graph.SliceOp(x, starts, ends, axes, steps))]


@converter("Expand")
def _expand(node: Node) -> list[Output]:
    x = node.input(0)
    target = node.ints_input(1, "shape") or []
    shape = tuple(np.broadcast_shapes(value_shape(x), tuple(target)))
    if shape == value_shape(x):
        return [x]
    return [node.emit(graph.BroadcastToOp(x, shape))]


@converter("Pad")
def _pad(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    pads = node.ints_input(1, "pads") or [0] * (2 * rank)
    axes = node.ints_input(3, "axes")
    if axes is not None:
        full = [0] * (2 * rank)
        for i, axis in enumerate(axes):
            full[axis % rank] = pads[i]
            full[axis % rank + rank] = pads[i + len(axes)]
        pads = full
    mode = str(node.attr("mode", "constant"))
    # Negative pads crop.
    if any(p < 0 for p in pads):
        starts = [max(0, -p) for p in pads[:rank]]
        ends = [
            d - max(0, -p) for d, p in zip(value_shape(x), pads[rank:], strict=True)
        ]
        x = node.emit(graph.SliceOp(x, starts, ends))
        pads = [max(0, p) for p in pads]
    if not any(pads):
        return [x]
    if mode == "constant":
        value = node.constant(2)
        fill = None if value is None else scalar_attr(value.reshape(()).item(), x)
        return [node.emit(graph.PadOp(x, pads, fill))]
    if mode not in ("reflect", "edge", "wrap"):
        raise node.error(f"pad mode '{mode}' is not supported")
    for axis in range(rank):
        x = _pad_axis(node, x, axis, pads[axis], pads[axis + rank], mode)
    return [x]


def _pad_axis(
    node: Node, x: SSAValue, axis: int, before: int, after: int, mode: str
) -> SSAValue:
    """Pad one axis by concatenating slices of `x` (reflect, edge, wrap)."""
    if not before and not after:
        return x
    size = value_shape(x)[axis]

    def piece(start: int, end: int, step: int = 1) -> SSAValue:
        return node.emit(graph.SliceOp(x, [start], [end], [axis], [step]))

    parts: list[SSAValue] = []
    if before:
        if mode == "reflect":
            parts.append(piece(before, 0, -1))
        elif mode == "edge":
            edge = piece(0, 1)
            parts += [edge] * before
        else:
            parts.append(piece(size - before, size))
    parts.append(x)
    if after:
        if mode == "reflect":
            end = size - 2 - after  # below 0: through index 0 (ONNX clamps)
            parts.append(piece(size - 2, end if end >= 0 else -(1 << 62), -1))
        elif mode == "edge":
            edge = piece(size - 1, size)
            parts += [edge] * after
        else:
            parts.append(piece(0, after))
    return node.emit(graph.ConcatOp(parts, axis))


@converter("GatherElements")
def _gather_elements(node: Node) -> list[Output]:
    axis = int(node.attr("axis", 0))
    return [compose.gather_elements(node, node.input(0), node.input(1), axis)]


@converter("Tile")
def _tile(node: Node) -> list[Output]:
    """Each dim d becomes (repeats, d): broadcast, then merged."""
    x = node.input(0)
    shape = value_shape(x)
    repeats = node.ints_input(1, "repeats") or []
    if len(repeats) != len(shape):
        raise node.error(f"expects {len(shape)} repeats, got {repeats}")
    if all(r == 1 for r in repeats):
        return [x]
    spread = node.emit(graph.ReshapeOp(x, [v for d in shape for v in (1, d)]))
    tiled = node.emit(
        graph.BroadcastToOp(
            spread, [v for r, d in zip(repeats, shape, strict=True) for v in (r, d)]
        )
    )
    out_shape = [r * d for r, d in zip(repeats, shape, strict=True)]
    return [node.emit(graph.ReshapeOp(tiled, out_shape))]


@converter("Trilu")
def _trilu(node: Node) -> list[Output]:
    """The upper or lower triangle (from diagonal `k`): a constant mask."""
    x = node.input(0)
    shape = value_shape(x)
    k = (node.ints_input(1, "k") or [0])[0]
    ones = np.ones(shape[-2:], np.bool_)
    mask = np.triu(ones, k) if node.attr("upper", 1) else np.tril(ones, k)
    zero = node.scalar(0, value_dtype(x)) if value_dtype(x) != np.bool_ else None
    if zero is None:
        zero = node.value(np.asarray(False))
    return [node.emit(graph.WhereOp(node.value(mask), x, zero))]


@converter("DepthToSpace", "SpaceToDepth")
def _depth_space(node: Node) -> list[Output]:
    """A reshape to rank 6, a transpose and a reshape back to rank 4."""
    x = node.input(0)
    n, c, h, w = value_shape(x)
    b = int(node.attr("blocksize"))
    if node.proto.op_type == "SpaceToDepth":
        inner = (n, c, h // b, b, w // b, b)
        perm = (0, 3, 5, 1, 2, 4)
        out = (n, c * b * b, h // b, w // b)
    elif node.attr("mode", "DCR") == "CRD":
        inner, perm = (n, c // (b * b), b, b, h, w), (0, 1, 4, 2, 5, 3)
        out = (n, c // (b * b), h * b, w * b)
    else:
        inner, perm = (n, b, b, c // (b * b), h, w), (0, 3, 4, 1, 5, 2)
        out = (n, c // (b * b), h * b, w * b)
    spread = node.emit(graph.ReshapeOp(x, inner))
    moved = node.emit(graph.TransposeOp(spread, perm))
    return [node.emit(graph.ReshapeOp(moved, out))]


@converter("CastLike")
def _cast_like(node: Node) -> list[Output]:
    x = node.input(0)
    target = narrow.input_format(node, 1) or node.dtype(1)
    if isinstance(target, NarrowFormat) or narrow.input_format(node, 0):
        return [narrow.cast_node(node, target)]
    if target == value_dtype(x):
        return [x]
    return [node.emit(graph.CastOp(x, from_numpy_dtype(target)))]


@converter("OneHot")
def _one_hot(node: Node) -> list[Output]:
    """`values[1]` where the (wrapped) index equals the position along `axis`."""
    indices = node.input(0)
    depth = int(node.required_constant(1, "depth").reshape(-1)[0])
    values = node.input(2)
    rank = len(value_shape(indices)) + 1
    axis = int(node.attr("axis", -1)) % rank
    if value_dtype(indices) != np.int64:
        indices = node.emit(graph.CastOp(indices, from_numpy_dtype(np.int64)))
    wrap = node.value(np.arange(depth, dtype=np.int64))
    wrapped = node.emit(graph.GatherOp(wrap, indices, 0))
    wrapped = node.emit(graph.UnsqueezeOp(wrapped, [axis]))
    shape = [1] * rank
    shape[axis] = depth
    where = node.value(np.arange(depth, dtype=np.int64).reshape(shape))
    hit = compose.equal(node, wrapped, where)
    off = node.emit(graph.SliceOp(values, [0], [1], [0]))
    on = node.emit(graph.SliceOp(values, [1], [2], [0]))
    return [node.emit(graph.WhereOp(hit, on, off))]


@converter("GatherND")
def _gather_nd(node: Node) -> list[Output]:
    """
    A gather from the data flattened over its batch and indexed dims, at the
    flat position of each index tuple (each index wrapped into its dim).
    """
    data, indices = node.input(0), node.input(1)
    shape, at = value_shape(data), value_shape(indices)
    batch = int(node.attr("batch_dims", 0))
    depth = at[-1]
    indexed = shape[batch : batch + depth]
    strides = [prod(indexed[j + 1 :]) for j in range(depth)]
    i64 = np.dtype(np.int64)
    flat: SSAValue | None = None
    for j in range(depth):
        column = node.emit(graph.SliceOp(indices, [j], [j + 1], [len(at) - 1]))
        column = node.emit(graph.SqueezeOp(column, [len(at) - 1]))
        wrap = node.value(np.arange(indexed[j], dtype=np.int64))
        term = node.emit(graph.GatherOp(wrap, column, 0))
        if strides[j] != 1:
            term = node.emit(graph.MulOp(term, node.scalar(strides[j], i64)))
        flat = term if flat is None else node.emit(graph.AddOp(flat, term))
    assert flat is not None
    if batch:
        rank = len(at) - 1
        offset = np.zeros(at[:-1], np.int64)
        for d in range(batch):
            step = prod(shape[d + 1 : batch]) * prod(indexed)
            offset = offset + compose.positions(at[d], d, rank) * step
        flat = node.emit(graph.AddOp(flat, node.value(offset)))
    rows = node.emit(
        graph.ReshapeOp(data, (prod(shape[: batch + depth]), *shape[batch + depth :]))
    )
    return [node.emit(graph.GatherOp(rows, flat, 0))]
