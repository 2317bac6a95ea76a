"""PyTorch builders: shapes and data movement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend.common import value_rank, value_shape
from mlc.frontend.torch.importer import (
    Args,
    Builder,
    Importer,
    Meta,
    Result,
)


def _reshape(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    if value_shape(x) == out.shape:
        return x
    return im.add(graph.ReshapeOp(x, out.shape))


def _permute(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    rank = value_rank(x)
    return im.add(graph.TransposeOp(x, [d % rank for d in a["dims"]]))


def _transpose(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    rank = value_rank(x)
    if rank < 2:
        return x
    perm = list(range(rank))
    d0, d1 = cast(int, a.get("dim0", 0)) % rank, cast(int, a.get("dim1", 1)) % rank
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return im.add(graph.TransposeOp(x, perm))


def _expand(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    if value_shape(x) == out.shape:
        return x
    return im.add(graph.BroadcastToOp(x, out.shape))


def _unsqueeze(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.UnsqueezeOp(x, [cast(int, a["dim"]) % (value_rank(x) + 1)]))


def _slice(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    dim = cast(int, a["dim"]) % value_rank(x)
    size = value_shape(x)[dim]
    start = cast(int | None, a["start"])
    end = cast(int | None, a["end"])
    start = 0 if start is None else max(-size, min(start, size))
    end = size if end is None else max(-size, min(end, size))
    return im.add(graph.SliceOp(x, [start], [end], [dim], [cast(int, a["step"])]))


def _select(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    dim = cast(int, a["dim"]) % value_rank(x)
    index = cast(int, a["index"]) % value_shape(x)[dim]
    sliced = im.add(graph.SliceOp(x, [index], [index + 1], [dim]))
    return im.add(graph.ReshapeOp(sliced, out.shape))


def _split_points(sizes: Sequence[int]) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    start = 0
    for size in sizes:
        points.append((start, start + size))
        start += size
    return points


def _split(im: Importer, a: Args, out: Meta) -> Result:
    """split.Tensor, split_with_sizes, chunk and unbind: a tuple of slices."""
    x = cast(SSAValue, a["self"])
    dim = cast(int, a.get("dim", 0)) % value_rank(x)
    length = value_shape(x)[dim]
    if "split_sizes" in a:
        sizes = list(cast(Sequence[int], a["split_sizes"]))
    elif "chunks" in a:
        step = -(-length // cast(int, a["chunks"]))
        sizes = [min(step, length - s) for s in range(0, length, step)]
    else:
        step = cast(int, a.get("split_size", 1))
        sizes = [min(step, length - s) for s in range(0, length, step)]
    unbind = "split_size" not in a and "split_sizes" not in a and "chunks" not in a
    parts: list[SSAValue | None] = []
    for start, end in _split_points(sizes):
        part = im.add(graph.SliceOp(x, [start], [end], [dim]))
        if unbind:
            part = im.add(graph.SqueezeOp(part, [dim]))
        parts.append(part)
    return tuple(parts)


def _cat(im: Importer, a: Args, out: Meta) -> Result:
    tensors = [im.cast(t, out.dtype) for t in cast(list[SSAValue], a["tensors"])]
    tensors = [t for t in tensors if 0 not in value_shape(t)]
    if len(tensors) == 1:
        return tensors[0]
    return im.add(graph.ConcatOp(tensors, cast(int, a["dim"]) % len(out.shape)))


def _embedding(im: Importer, a: Args, out: Meta) -> Result:
    return im.add(graph.GatherOp(a["weight"], a["indices"], 0))


def _like(value: float | None) -> Builder:
    """zeros_like / ones_like / full_like / new_*: a constant of the result's shape."""

    def build(im: Importer, a: Args, out: Meta) -> Result:
        fill = a.get("fill_value") if value is None else value
        return im.constant(np.full(out.shape, cast(float, fill)), out.dtype)

    return build


def _constant_pad(im: Importer, a: Args, out: Meta) -> Result:
    """PyTorch's pads run (begin, end) from the last dim backwards."""
    x = cast(SSAValue, a["self"])
    pairs = list(cast(Sequence[int], a["pad"]))
    if any(p < 0 for p in pairs):
        raise im.fail("negative padding (cropping) is not supported")
    rank = value_rank(x)
    begins, ends = [0] * rank, [0] * rank
    for i in range(len(pairs) // 2):
        begins[rank - 1 - i], ends[rank - 1 - i] = pairs[2 * i], pairs[2 * i + 1]
    value = a.get("value")
    value = 0.0 if value is None else cast(float, value)
    return im.add(graph.PadOp(x, [*begins, *ends], value))


def _upsample_nearest(im: Importer, a: Args, out: Meta) -> Result:
    """Integer-factor nearest upsampling: repeat each pixel factor x factor times."""
    x = cast(SSAValue, a["input"])
    n, c, h, w = value_shape(x)
    oh, ow = out.shape[2:]
    if oh % h or ow % w:
        raise im.fail(
            f"nearest upsampling from {(h, w)} to {(oh, ow)} is not by an "
            "integer factor"
        )
    spread = im.add(graph.ReshapeOp(x, (n, c, h, 1, w, 1)))
    tiled = im.add(graph.BroadcastToOp(spread, (n, c, h, oh // h, w, ow // w)))
    return im.add(graph.ReshapeOp(tiled, out.shape))


def _repeat(im: Importer, a: Args, out: Meta) -> Result:
    """Tile: each dim d becomes (repeats, d), broadcast, then merged."""
    x = cast(SSAValue, a["self"])
    repeats = list(cast(Sequence[int], a["repeats"]))
    shape = (1,) * (len(repeats) - value_rank(x)) + value_shape(x)
    spread = im.add(graph.ReshapeOp(x, [v for d in shape for v in (1, d)]))
    tiled = im.add(
        graph.BroadcastToOp(
            spread, [v for r, d in zip(repeats, shape, strict=True) for v in (r, d)]
        )
    )
    return im.add(graph.ReshapeOp(tiled, out.shape))


def _index_select(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.GatherOp(x, a["index"], cast(int, a["dim"]) % value_rank(x)))


OPS: dict[str, Builder] = {
    "aten.view.default": _reshape,
    "aten.reshape.default": _reshape,
    "aten._unsafe_view.default": _reshape,
    "aten.flatten.using_ints": _reshape,
    "aten.unflatten.int": _reshape,
    "aten.squeeze.dim": _reshape,
    "aten.squeeze.dims": _reshape,
    "aten.squeeze.default": _reshape,
    "aten.unsqueeze.default": _unsqueeze,
    "aten.permute.default": _permute,
    "aten.transpose.int": _transpose,
    "aten.t.default": _transpose,
    "aten.expand.default": _expand,
    "aten.slice.Tensor": _slice,
    "aten.select.int": _select,
    "aten.split.Tensor": _split,
    "aten.split_with_sizes.default": _split,
    "aten.chunk.default": _split,
    "aten.unbind.int": _split,
    "aten.cat.default": _cat,
    "aten.embedding.default": _embedding,
    "aten.zeros_like.default": _like(0.0),
    "aten.ones_like.default": _like(1.0),
    "aten.full_like.default": _like(None),
    "aten.constant_pad_nd.default": _constant_pad,
    "aten.upsample_nearest2d.vec": _upsample_nearest,
    "aten.repeat.default": _repeat,
    "aten.index_select.default": _index_select,
}
