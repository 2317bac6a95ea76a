"""
ONNX converter: ConvTranspose (1-D and 2-D) as a direct convolution.

A transposed convolution with stride `s` is a stride-1 convolution of the
input spread out by `s` (zeros between the elements), padded by
`d (k - 1) - pad` on each side (plus `output_padding` at the end; a negative
pad crops), with the kernel flipped spatially and its input and output
channels exchanged within each group.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_shape
from mlc.frontend.onnx.importer import Node, Output, converter


def _spread(node: Node, x: SSAValue, strides: Sequence[int]) -> SSAValue:
    """[N, C, H, W] with s - 1 zeros between the elements along H and W."""
    if all(s == 1 for s in strides):
        return x
    n, c, h, w = value_shape(x)
    sh, sw = strides
    spread = node.emit(graph.ReshapeOp(x, (n, c, h, 1, w, 1)))
    spread = node.emit(graph.PadOp(spread, [0] * 6 + [0, 0, 0, sh - 1, 0, sw - 1]))
    spread = node.emit(graph.ReshapeOp(spread, (n, c, h * sh, w * sw)))
    return node.emit(
        graph.SliceOp(spread, [0, 0], [(h - 1) * sh + 1, (w - 1) * sw + 1], [2, 3])
    )


def _pad_or_crop(
    node: Node, x: SSAValue, begins: list[int], ends: list[int]
) -> SSAValue:
    """Pad H and W (negative amounts crop)."""
    if any(p < 0 for p in begins + ends):
        _, _, h, w = value_shape(x)
        starts = [max(0, -p) for p in begins]
        stops = [h - max(0, -ends[0]), w - max(0, -ends[1])]
        x = node.emit(graph.SliceOp(x, starts, stops, [2, 3]))
    pads = [0, 0, *(max(0, p) for p in begins), 0, 0, *(max(0, p) for p in ends)]
    return node.emit(graph.PadOp(x, pads)) if any(pads) else x


def _kernel(node: Node, w: SSAValue, groups: int) -> SSAValue:
    """[C_in, C_out / g, kH, kW] as a convolution's [C_out, C_in / g, ...], flipped."""
    c_in, c_out_g, kh, kw = value_shape(w)
    grouped = node.emit(graph.ReshapeOp(w, (groups, c_in // groups, c_out_g, kh, kw)))
    swapped = node.emit(graph.TransposeOp(grouped, (0, 2, 1, 3, 4)))
    kernel = node.emit(
        graph.ReshapeOp(swapped, (groups * c_out_g, c_in // groups, kh, kw))
    )
    return compose.reverse(node, compose.reverse(node, kernel, 2), 3)


def _pads(
    node: Node, sizes: Sequence[int], extents: Sequence[int], strides: Sequence[int]
) -> tuple[list[int], list[int], list[int]]:
    """ONNX's begin and end pads and output padding, from the attributes."""
    spatial = len(sizes)
    output_padding = [int(p) for p in node.attr("output_padding", [0] * spatial)]
    output_shape = node.attr("output_shape")
    auto_pad = str(node.attr("auto_pad", "NOTSET"))
    if output_shape is None and auto_pad in ("NOTSET", "", "VALID"):
        pads = [int(p) for p in node.attr("pads", [0] * (2 * spatial))]
        if auto_pad == "VALID":
            pads = [0] * (2 * spatial)
        return pads[:spatial], pads[spatial:], output_padding
    if output_shape is None:
        targets = [size * s for size, s in zip(sizes, strides, strict=True)]
    else:
        targets = [int(v) for v in output_shape][-spatial:]
    begins: list[int] = []
    ends: list[int] = []
    for i in range(spatial):
        full = strides[i] * (sizes[i] - 1) + output_padding[i] + extents[i]
        total = full - targets[i]
        small, large = total // 2, total - total // 2
        upper = auto_pad == "SAME_UPPER"  # NOTSET with output_shape: as SAME_LOWER
        begins.append(small if upper else large)
        ends.append(large if upper else small)
    return begins, ends, output_padding


@converter("ConvTranspose")
def _conv_transpose(node: Node) -> list[Output]:
    x, w = node.input(0), node.input(1)
    rank = len(value_shape(x))
    if rank not in (3, 4):
        raise node.error(f"{rank - 2}-D ConvTranspose is not supported")
    spatial = rank - 2
    kernel = [int(k) for k in node.attr("kernel_shape", value_shape(w)[2:])]
    strides = [int(s) for s in node.attr("strides", [1] * spatial)]
    dilations = [int(d) for d in node.attr("dilations", [1] * spatial)]
    groups = int(node.attr("group", 1))
    extents = [d * (k - 1) + 1 for d, k in zip(dilations, kernel, strict=True)]
    begins, ends, extra = _pads(node, value_shape(x)[2:], extents, strides)
    if spatial == 1:
        x = node.emit(graph.UnsqueezeOp(x, (2,)))
        w = node.emit(graph.UnsqueezeOp(w, (2,)))
        strides, dilations, extents = [1, *strides], [1, *dilations], [1, *extents]
        begins, ends, extra = [0, *begins], [0, *ends], [0, *extra]
    spread = _spread(node, x, strides)
    padded = _pad_or_crop(
        node,
        spread,
        [e - 1 - p for e, p in zip(extents, begins, strict=True)],
        [e - 1 - p + o for e, p, o in zip(extents, ends, extra, strict=True)],
    )
    bias = node.input(2) if node.has(2) else None
    out = node.emit(
        graph.Conv2DOp(
            padded, _kernel(node, w, groups), bias, dilations=dilations, groups=groups
        )
    )
    return [out if spatial == 2 else node.emit(graph.SqueezeOp(out, (2,)))]
