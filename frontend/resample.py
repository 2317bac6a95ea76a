"""
Resampling computations both importers compose from graph ops: the affine
sampling grid (ONNX AffineGrid, PyTorch `affine_grid_generator`), the
inverse of im2col (ONNX Col2Im, PyTorch `col2im`) and center crop-or-pad.

Shapes are static, so each builds its index and position tables in numpy at
import: the affine grid is a `matmul` of theta by a constant grid of
homogeneous positions; col2im a `gather` of every image position's
contributing columns (a constant index table), masked and summed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from math import prod

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import Array
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.compose import Emitter


def base_grid(sizes: Sequence[int], align_corners: bool) -> Array:
    """
    The homogeneous positions (x, y[, z], 1) of a grid of `sizes` (D, H, W
    order), each axis spanning [-1, 1]: (prod(sizes), k + 1), W fastest.
    """
    axes: list[Array] = []
    for n in sizes:
        i = np.arange(n, dtype=np.float64)
        if align_corners:
            axes.append(-1 + 2 * i / (n - 1) if n > 1 else np.full(n, -1.0))
        else:
            axes.append(-1 + (2 * i + 1) / n)
    mesh = np.meshgrid(*axes, indexing="ij")
    columns = [m.reshape(-1) for m in reversed(mesh)]
    return np.stack([*columns, np.ones(prod(sizes))], axis=1)


def affine_grid(
    b: Emitter, theta: SSAValue, sizes: Sequence[int], align_corners: bool
) -> SSAValue:
    """The sampling grid (N, *sizes, k) of the affine maps `theta` (N, k, k + 1)."""
    n, k, _ = value_shape(theta)
    positions = base_grid(sizes, align_corners).T.astype(value_dtype(theta))
    mapped = b.emit(graph.MatmulOp(theta, b.const(positions)))  # (N, k, P)
    points = b.emit(graph.TransposeOp(mapped, [0, 2, 1]))
    return b.emit(graph.ReshapeOp(points, [n, *sizes, k]))


def col2im(
    b: Emitter,
    x: SSAValue,
    image: Sequence[int],
    block: Sequence[int],
    dilations: Sequence[int],
    pads: Sequence[int],
    strides: Sequence[int],
) -> SSAValue:
    """
    Sum the columns `x` (N, C * prod(block), L) into images (N, C, *image);
    `pads` holds every axis's leading count, then every trailing count.
    """
    rank = len(image)
    shape = value_shape(x)
    if len(shape) != 3 or len(block) != rank:
        raise ValueError(
            f"expects columns (N, C * prod(block), L) and a block of the image's "
            f"rank {rank}, got {shape} and {tuple(block)}"
        )
    n, channels, length = shape
    kernel = prod(block)
    counts = [
        (image[d] + pads[d] + pads[d + rank] - dilations[d] * (block[d] - 1) - 1)
        // strides[d]
        + 1
        for d in range(rank)
    ]
    if prod(counts) != length or channels % kernel:
        raise ValueError(
            f"columns of shape {(n, channels, length)} do not match an image "
            f"{tuple(image)} with blocks {tuple(block)}"
        )
    sources: list[list[int]] = [[] for _ in range(prod(image))]
    for k_index, k in enumerate(product(*(range(s) for s in block))):
        for l_index, at in enumerate(product(*(range(c) for c in counts))):
            pos = [
                at[d] * strides[d] - pads[d] + k[d] * dilations[d] for d in range(rank)
            ]
            if all(0 <= p < s for p, s in zip(pos, image, strict=True)):
                flat = int(np.ravel_multi_index(pos, image))
                sources[flat].append(k_index * length + l_index)
    width = max(1, max(len(s) for s in sources))
    table = np.zeros((len(sources), width), np.int64)
    mask = np.zeros((len(sources), width), value_dtype(x))
    for p, src in enumerate(sources):
        table[p, : len(src)] = src
        mask[p, : len(src)] = 1
    planes = b.emit(graph.ReshapeOp(x, [n, channels // kernel, kernel * length]))
    taken = b.emit(graph.GatherOp(planes, b.const(table), 2))  # (N, C, P, J)
    if width > 1 or not mask.all():
        taken = b.emit(graph.MulOp(taken, b.const(mask)))
        taken = b.emit(graph.ReduceSumOp(taken, [3], keepdims=False))
    else:
        taken = b.emit(graph.ReshapeOp(taken, [n, channels // kernel, len(sources)]))
    return b.emit(graph.ReshapeOp(taken, [n, channels // kernel, *image]))


def center_crop_pad(b: Emitter, x: SSAValue, targets: dict[int, int]) -> SSAValue:
    """
    `x` cropped or zero-padded to `targets[axis]` along each axis, centred
    (the extra element of an odd difference goes to the end).
    """
    shape = value_shape(x)
    starts: list[int] = []
    ends: list[int] = []
    axes: list[int] = []
    pads = [0] * (2 * len(shape))
    for axis, size in sorted(targets.items()):
        dim = shape[axis]
        if size < dim:
            start = (dim - size) // 2
            starts.append(start)
            ends.append(start + size)
            axes.append(axis)
        elif size > dim:
            pads[axis] = (size - dim) // 2
            pads[axis + len(shape)] = size - dim - pads[axis]
    if axes:
        x = b.emit(graph.SliceOp(x, starts, ends, axes, None))
    if any(pads):
        x = b.emit(graph.PadOp(x, pads))
    return x
