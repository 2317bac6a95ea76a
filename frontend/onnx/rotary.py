"""
ONNX converter: RotaryEmbedding (opset 23), composed from graph ops.

The input stays in its own layout (`[batch, heads, sequence, head size]`,
or a 3-D `[batch, sequence, heads * head size]` viewed as `[batch,
sequence, heads, head size]`) and the caches are reshaped to broadcast
against it, so no transpose of the activations is needed. With
`position_ids` the caches' rows are gathered (`[batch, sequence, dim/2]`);
without, the caches are that already. The first `rotary_embedding_dim`
features are split in halves (or, `interleaved`, into even and odd ones),
rotated (`x1 cos - x2 sin`, `x1 sin + x2 cos`) and put back in place; the
rest pass through.
"""

from __future__ import annotations

from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend.common import value_shape
from mlc.frontend.onnx.importer import Node, Output, converter


def _cache(
    node: Node, index: int, batch: int, seq: int, half: int, heads_first: bool
) -> SSAValue:
    """cos (1) or sin (2) cache as [batch, 1, seq, half] or [batch, seq, 1, half]."""
    cache = node.input(index)
    if node.has(3):
        cache = node.emit(graph.GatherOp(cache, node.input(3), 0))
    shape = value_shape(cache)
    if shape != (batch, seq, half):
        raise node.error(
            f"expects caches (after position_ids) of shape {[batch, seq, half]}, "
            f"got {list(shape)}"
        )
    target = (batch, 1, seq, half) if heads_first else (batch, seq, 1, half)
    return node.emit(graph.ReshapeOp(cache, target))


@converter("RotaryEmbedding")
def _rotary_embedding(node: Node) -> list[Output]:
    x = node.input(0)
    shape = value_shape(x)
    if len(shape) == 3:
        heads = int(node.attr("num_heads", 0))
        if heads <= 0 or shape[2] % heads:
            raise node.error("a 3-D input needs num_heads dividing its hidden size")
        x = node.emit(graph.ReshapeOp(x, (shape[0], shape[1], heads, -1)))
        batch, seq, head_size = shape[0], shape[1], shape[2] // heads
    elif len(shape) == 4:
        batch, _, seq, head_size = shape
    else:
        raise node.error(f"expects a 3-D or 4-D input, got shape {list(shape)}")
    rot = int(node.attr("rotary_embedding_dim", 0)) or head_size
    if rot % 2 or rot > head_size:
        raise node.error(f"rotary_embedding_dim {rot} for head size {head_size}")
    half = rot // 2
    cos = _cache(node, 1, batch, seq, half, len(shape) == 4)
    sin = _cache(node, 2, batch, seq, half, len(shape) == 4)
    interleaved = bool(int(node.attr("interleaved", 0)))
    if interleaved:
        x1 = node.emit(graph.SliceOp(x, [0], [rot], [3], [2]))
        x2 = node.emit(graph.SliceOp(x, [1], [rot], [3], [2]))
    else:
        x1 = node.emit(graph.SliceOp(x, [0], [half], [3]))
        x2 = node.emit(graph.SliceOp(x, [half], [rot], [3]))
    real = node.emit(
        graph.SubOp(node.emit(graph.MulOp(cos, x1)), node.emit(graph.MulOp(sin, x2)))
    )
    imag = node.emit(
        graph.AddOp(node.emit(graph.MulOp(sin, x1)), node.emit(graph.MulOp(cos, x2)))
    )
    if interleaved:
        lead = value_shape(real)[:3]
        pairs = [node.emit(graph.ReshapeOp(v, (*lead, half, 1))) for v in (real, imag)]
        rotated = node.emit(
            graph.ReshapeOp(node.emit(graph.ConcatOp(pairs, 4)), (*lead, rot))
        )
    else:
        rotated = node.emit(graph.ConcatOp([real, imag], 3))
    if rot < head_size:
        rest = node.emit(graph.SliceOp(x, [rot], [head_size], [3]))
        rotated = node.emit(graph.ConcatOp([rotated, rest], 3))
    return [node.emit(graph.ReshapeOp(rotated, shape))]
