"""
ONNX converter: Attention (opset 23), composed from graph ops.

`softmax(softcap(Q K^T * scale) + bias) V` over 4-D `[batch, heads, sequence,
head size]` operands (3-D ones are split into heads first), with the KV cache
(`past_key`/`past_value` concatenated before the new keys and values),
grouped-query attention (each KV head repeated for its query heads), a
boolean or additive mask (padded with "masked" up to the key length), the
causal mask, `nonpad_kv_seqlen`, `softmax_precision` and the four
`qk_matmul_output_mode`s, as onnx's reference implementation computes them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, converter, onnx_dtype


def _heads(node: Node, x: SSAValue, heads: int | None, what: str) -> SSAValue:
    """[batch, sequence, heads * size] as [batch, heads, sequence, size]."""
    shape = value_shape(x)
    if len(shape) == 4:
        return x
    if heads is None or len(shape) != 3 or shape[2] % heads:
        raise node.error(f"a 3-D {what} needs its number of heads (q/kv_num_heads)")
    split = node.emit(graph.ReshapeOp(x, (shape[0], shape[1], heads, -1)))
    return node.emit(graph.TransposeOp(split, (0, 2, 1, 3)))


def repeat_heads(node: Node, x: SSAValue, times: int) -> SSAValue:
    """Each head repeated `times` times in place: [h0, h0, h1, h1, ...]."""
    if times == 1:
        return x
    b, h, s, d = value_shape(x)
    spread = node.emit(graph.ReshapeOp(x, (b, h, 1, s, d)))
    tiled = node.emit(graph.BroadcastToOp(spread, (b, h, times, s, d)))
    return node.emit(graph.ReshapeOp(tiled, (b, h * times, s, d)))


def _bias(
    node: Node, dtype: np.dtype[Any], q_len: int, kv_len: int, past: int
) -> SSAValue | None:
    """The additive bias: the mask (bool: 0 or -inf), the causal mask, padding."""
    minus_inf = node.scalar(-np.inf, dtype)
    zero = node.scalar(0, dtype)
    bias: SSAValue | None = None
    if node.has(3):
        mask = node.input(3)
        shape = value_shape(mask)
        if shape[-1] < kv_len:
            pads = [0] * (2 * len(shape))
            pads[-1] = kv_len - shape[-1]
            is_bool = value_dtype(mask) == np.bool_
            fill = compose.scalar(
                node, False if is_bool else -np.inf, value_dtype(mask)
            )
            mask = node.emit(graph.ConcatOp([mask, _fill(node, mask, pads, fill)], -1))
        if value_dtype(mask) == np.bool_:
            mask = node.emit(graph.WhereOp(mask, zero, minus_inf))
        bias = compose.cast(node, mask, dtype)
    if node.attr("is_causal", 0):
        blocked = np.zeros((q_len, kv_len), bool)
        blocked[:, past:] = np.triu(np.ones((q_len, kv_len - past), bool), 1)
        causal = node.value(np.where(blocked, -np.inf, 0).astype(dtype))
        bias = causal if bias is None else node.emit(graph.AddOp(bias, causal))
    if node.has(6):
        lengths = node.input(6)  # [batch]: keys at or past it are padding
        batch = value_shape(lengths)[0]
        lengths = node.emit(graph.ReshapeOp(lengths, (batch, 1, 1, 1)))
        where = node.value(np.arange(kv_len, dtype=value_dtype(lengths)))
        kept = compose.less(node, where, lengths)
        padding = node.emit(graph.WhereOp(kept, zero, minus_inf))
        bias = padding if bias is None else node.emit(graph.AddOp(bias, padding))
    return bias


def _fill(node: Node, like: SSAValue, pads: list[int], fill: SSAValue) -> SSAValue:
    """A tensor of `fill` shaped like `like` but `pads[-1]` long in the last dim."""
    shape = (*value_shape(like)[:-1], pads[-1])
    return node.emit(graph.BroadcastToOp(fill, shape))


@converter("Attention")
def _attention(node: Node) -> list[Output]:
    q_heads, kv_heads = node.attr("q_num_heads"), node.attr("kv_num_heads")
    q_in = node.input(0)
    q = _heads(node, q_in, q_heads, "query")
    k = _heads(node, node.input(1), kv_heads, "key")
    v = _heads(node, node.input(2), kv_heads, "value")
    dtype = value_dtype(q)
    past = 0
    if node.has(4):
        past = value_shape(node.input(4))[2]
        k = node.emit(graph.ConcatOp([node.input(4), k], 2))
    if node.has(5):
        v = node.emit(graph.ConcatOp([node.input(5), v], 2))
    present_k, present_v = k, v
    scale = node.attr("scale")
    scale = 1 / np.sqrt(value_shape(q)[3]) if scale is None else float(scale)
    root = node.scalar(float(np.sqrt(scale)), dtype)
    heads_q, heads_kv = value_shape(q)[1], value_shape(k)[1]
    if heads_q != heads_kv:
        if heads_q % heads_kv:
            raise node.error(f"{heads_q} query heads for {heads_kv} key heads")
        k = repeat_heads(node, k, heads_q // heads_kv)
        v = repeat_heads(node, v, heads_q // heads_kv)
    k_t = node.emit(graph.TransposeOp(node.emit(graph.MulOp(k, root)), (0, 1, 3, 2)))
    qk = node.emit(graph.MatmulOp(node.emit(graph.MulOp(q, root)), k_t))
    softcap = float(node.attr("softcap", 0.0))
    if softcap > 0:
        capped = node.emit(graph.TanhOp(_times(node, qk, 1 / softcap)))
        qk = _times(node, capped, softcap)
    q_len, kv_len = value_shape(q)[2], value_shape(k)[2]
    bias = _bias(node, dtype, q_len, kv_len, past)
    scores = qk if bias is None else node.emit(graph.AddOp(qk, bias))
    precision = node.attr("softmax_precision")
    if precision is not None:
        scores = compose.cast(node, scores, onnx_dtype(int(precision)))
    probs = node.emit(graph.SoftmaxOp(scores, -1))
    out = node.emit(graph.MatmulOp(compose.cast(node, probs, dtype), v))
    if len(value_shape(q_in)) == 3:
        b, _, s, _ = value_shape(out)
        out = node.emit(graph.TransposeOp(out, (0, 2, 1, 3)))
        out = node.emit(graph.ReshapeOp(out, (b, s, -1)))
    mode = int(node.attr("qk_matmul_output_mode", 0))
    qk_out = {0: qk, 1: qk, 2: scores, 3: probs}.get(mode)
    if qk_out is None:
        raise node.error(f"qk_matmul_output_mode {mode} is not supported")
    return [out, present_k, present_v, compose.cast(node, qk_out, dtype)]


def _times(node: Node, x: SSAValue, factor: float) -> SSAValue:
    return node.emit(graph.MulOp(x, node.scalar(factor, value_dtype(x))))
