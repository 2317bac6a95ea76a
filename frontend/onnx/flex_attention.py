"""
ONNX converter: FlexAttention (domain `ai.onnx.preview`, version 1), composed
from graph ops.

`softmax(prob_mod(score_mod((Q √s)(K √s)ᵀ))) V` over rank-4 operands, with
each key/value head shared by a contiguous group of query heads, as onnx's
reference implementation computes it: `√scale` in f32 cast to the inputs'
type, the scores cast to the softmax precision (f32 for f16 inputs unless
`softmax_precision` says otherwise), `V` cast to it for the last product,
the result cast back to `V`'s type. The modifier subgraphs are converted in
place, their input bound to the scores (or probabilities), so a mask or bias
they compute from `Shape`/`Range` folds at import.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.attention import repeat_heads
from mlc.frontend.onnx.importer import Node, Output, converter, onnx_dtype


def _modify(node: Node, name: str, x: SSAValue) -> SSAValue:
    """`x` through the graph attribute `name`, if the node has one."""
    body = node.attr(name)
    if body is None:
        return x
    if not isinstance(body, onnx.GraphProto):
        raise node.error(f"attribute {name} is not a graph")
    from mlc.frontend.onnx.driver import convert_subgraph  # the driver imports us

    results = convert_subgraph(node.importer, body, [x])
    if len(results) != 1:
        raise node.error(f"{name} must have one output, got {len(results)}")
    out = node.value(results[0])
    if value_shape(out) != value_shape(x):
        raise node.error(
            f"{name} changes the shape {list(value_shape(x))} to "
            f"{list(value_shape(out))}"
        )
    return compose.cast(node, out, value_dtype(x))


def _precision(node: Node, dtype: np.dtype[Any]) -> np.dtype[Any]:
    precision = node.attr("softmax_precision")
    if precision is not None:
        return onnx_dtype(int(precision))
    return np.dtype(np.float32) if dtype.itemsize < 4 else dtype


@converter("ai.onnx.preview.FlexAttention")
def _flex_attention(node: Node) -> list[Output]:
    q, k, v = node.input(0), node.input(1), node.input(2)
    shapes = [value_shape(x) for x in (q, k, v)]
    if any(len(s) != 4 for s in shapes):
        raise node.error(f"expects rank-4 Q, K, V, got {[list(s) for s in shapes]}")
    (_, q_heads, _, size), (_, kv_heads, kv_len, k_size), (_, _, v_len, _) = shapes
    if k_size != size or v_len != kv_len or shapes[2][1] != kv_heads:
        raise node.error(f"Q, K, V of shapes {[list(s) for s in shapes]} do not agree")
    if q_heads % kv_heads:
        raise node.error(f"{q_heads} query heads for {kv_heads} key/value heads")
    k = repeat_heads(node, k, q_heads // kv_heads)
    v = repeat_heads(node, v, q_heads // kv_heads)
    dtype = value_dtype(q)
    scale = node.attr("scale")
    scale = 1 / np.sqrt(size) if scale is None else float(scale)
    root = node.scalar(np.sqrt(np.float32(scale)), dtype)
    k_t = node.emit(graph.TransposeOp(node.emit(graph.MulOp(k, root)), (0, 1, 3, 2)))
    scores = node.emit(graph.MatmulOp(node.emit(graph.MulOp(q, root)), k_t))
    precision = _precision(node, dtype)
    scores = _modify(node, "score_mod", compose.cast(node, scores, precision))
    probs = _modify(node, "prob_mod", node.emit(graph.SoftmaxOp(scores, -1)))
    out = node.emit(graph.MatmulOp(probs, compose.cast(node, v, precision)))
    return [compose.cast(node, out, value_dtype(v))]
