"""
ONNX converters: the stateful sequence ops of recurrent language-model layers
(opset 27), composed from graph ops.

**CausalConvWithState** (Gated DeltaNet, Mamba): the carried state (or
zeros) is concatenated before the input and the depthwise causal
convolution is the sum of the `k` shifted windows, each times its tap's
per-channel weight, plus the bias, then optionally SiLU; the new state is
the last `k - 1` positions of the concatenation.

**LinearAttention** runs its recurrence unrolled over the static sequence,
per step, on `[batch, kv heads, d_k, d_v]` states: the decay (`exp(g)`, per
head or per key dim), the delta correction `β (v - Sᵀk)` (a batched
`matmul`), the rank-one write `k ⊗ v` and the read `scale · qᵀ S`, with the
query heads of a group read as one `[group, d_k]` matrix against their
shared state (grouped-query attention without copying the state). f16
operands are computed in f32, as onnx's reference implementation does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, converter

F32 = np.dtype(np.float32)


def _wide(node: Node, x: SSAValue) -> SSAValue:
    """f16 as f32 (the precision the computation runs in)."""
    return compose.cast(node, x, F32) if value_dtype(x).itemsize < 4 else x


def _silu(node: Node, x: SSAValue) -> SSAValue:
    return node.emit(graph.MulOp(x, node.emit(graph.SigmoidOp(x))))


@converter("CausalConvWithState")
def _causal_conv_with_state(node: Node) -> list[Output]:
    x = node.input(0)
    dtype: np.dtype[Any] = value_dtype(x)
    shape = value_shape(x)
    weight_shape = value_shape(node.input(1))
    if len(shape) != 3 or len(weight_shape) != 3:
        raise node.error("expects a 3-D input and a (channels, 1, k) weight")
    batch, channels, length = shape
    k = weight_shape[2]
    if weight_shape[:2] != (channels, 1) or k < 1:
        raise node.error(
            f"weight of shape {list(weight_shape)} for {channels} channels"
        )
    activation = str(node.attr("activation", "none"))
    if activation not in ("none", "silu", "swish"):
        raise node.error(f"activation '{activation}' is not one of none, silu, swish")
    if node.has(3):
        past = node.input(3)
        if value_shape(past) != (batch, channels, k - 1):
            raise node.error(f"past_state of shape {list(value_shape(past))}")
        padded = node.emit(graph.ConcatOp([past, x], 2)) if k > 1 else x
    else:
        padded = node.emit(graph.PadOp(x, [0, 0, k - 1, 0, 0, 0])) if k > 1 else x
    wide = _wide(node, padded)
    taps = node.emit(graph.ReshapeOp(_wide(node, node.input(1)), (1, channels, k)))
    out: SSAValue | None = None
    for j in range(k):
        window = node.emit(graph.SliceOp(wide, [j], [j + length], [2]))
        tap = node.emit(graph.SliceOp(taps, [j], [j + 1], [2]))
        term = node.emit(graph.MulOp(window, tap))
        out = term if out is None else node.emit(graph.AddOp(out, term))
    assert out is not None
    if node.has(2):
        bias = node.emit(graph.ReshapeOp(_wide(node, node.input(2)), (1, channels, 1)))
        out = node.emit(graph.AddOp(out, bias))
    if activation != "none":  # on the result rounded to the input's type
        wide_type = value_dtype(out)
        out = _silu(node, compose.cast(node, compose.cast(node, out, dtype), wide_type))
    total = length + k - 1
    present = node.emit(graph.SliceOp(padded, [total - (k - 1)], [total], [2]))
    return [compose.cast(node, out, dtype), present]


def _heads(node: Node, x: SSAValue, heads: int, what: str) -> int:
    """The per-head size of a [batch, sequence, heads * size] operand."""
    shape = value_shape(x)
    if len(shape) != 3 or shape[2] % heads:
        raise node.error(f"{what} of shape {list(shape)} for {heads} heads")
    return shape[2] // heads


def _step(node: Node, x: SSAValue, t: int, shape: tuple[int, ...]) -> SSAValue:
    """Time step t of a [batch, T, ...] operand, reshaped to `shape`."""
    one = node.emit(graph.SliceOp(x, [t], [t + 1], [1]))
    return node.emit(graph.ReshapeOp(one, shape))


def _rule(node: Node) -> tuple[bool, bool]:
    """(gated, delta) of the update rule; its decay and beta are checked."""
    rule = str(node.attr("update_rule", "gated_delta"))
    if rule not in ("linear", "gated", "delta", "gated_delta"):
        raise node.error(f"unknown update_rule '{rule}'")
    gated, delta = rule in ("gated", "gated_delta"), rule in ("delta", "gated_delta")
    if gated != node.has(4) or delta != node.has(5):
        raise node.error(f"update_rule '{rule}' takes decay {gated}, beta {delta}")
    return gated, delta


def _head_counts(node: Node) -> tuple[int, int]:
    q_heads = int(node.attr("q_num_heads", 0))
    kv_heads = int(node.attr("kv_num_heads", 0))
    if q_heads <= 0 or kv_heads <= 0 or q_heads % kv_heads:
        raise node.error(f"{q_heads} query heads for {kv_heads} key/value heads")
    return q_heads, kv_heads


def _initial_state(node: Node, shape: tuple[int, ...]) -> SSAValue:
    if not node.has(3):
        return node.const(np.zeros(shape, F32))
    state = _wide(node, node.input(3))
    if value_shape(state) != shape:
        raise node.error(f"past_state of shape {list(value_shape(state))}")
    return state


def _per_head(node: Node, index: int, sizes: tuple[int, ...], what: str) -> int:
    """The last dim of input `index` per key/value head (one of `sizes`)."""
    last = value_shape(node.input(index))[2]
    if last not in sizes:
        raise node.error(f"{what} of shape {list(value_shape(node.input(index)))}")
    return last


@converter("LinearAttention")
def _linear_attention(node: Node) -> list[Output]:
    gated, delta = _rule(node)
    q_heads, kv_heads = _head_counts(node)
    group = q_heads // kv_heads
    q, k, v = (_wide(node, node.input(i)) for i in range(3))
    d_k = _heads(node, q, q_heads, "query")
    if _heads(node, k, kv_heads, "key") != d_k:
        raise node.error("query and key head sizes differ")
    d_v = _heads(node, v, kv_heads, "value")
    batch, steps, _ = value_shape(q)
    dtype: np.dtype[Any] = value_dtype(node.input(0))
    state_dtype = value_dtype(node.input(3)) if node.has(3) else dtype
    state = _initial_state(node, (batch, kv_heads, d_k, d_v))
    decay = _wide(node, node.input(4)) if gated else None
    decay_width = 1
    if gated:
        decay_width = (
            _per_head(node, 4, (kv_heads, kv_heads * d_k), "decay") // kv_heads
        )
    beta = _wide(node, node.input(5)) if delta else None
    beta_heads = _per_head(node, 5, (1, kv_heads), "beta") if delta else 1
    scale = float(node.attr("scale", 0.0)) or 1 / float(np.sqrt(d_k))
    outputs: list[SSAValue] = []
    for t in range(steps):
        k_col = _step(node, k, t, (batch, kv_heads, d_k, 1))
        v_row = _step(node, v, t, (batch, kv_heads, 1, d_v))
        if decay is not None:
            g = _step(node, decay, t, (batch, kv_heads, decay_width, 1))
            state = node.emit(graph.MulOp(state, node.emit(graph.ExpOp(g))))
        if beta is not None:
            k_row = _step(node, k, t, (batch, kv_heads, 1, d_k))
            retrieved = node.emit(graph.MatmulOp(k_row, state))
            b = _step(node, beta, t, (batch, beta_heads, 1, 1))
            v_row = node.emit(graph.MulOp(b, node.emit(graph.SubOp(v_row, retrieved))))
        state = node.emit(graph.AddOp(state, node.emit(graph.MulOp(k_col, v_row))))
        q_t = _step(node, q, t, (batch, kv_heads, group, d_k))
        read = node.emit(graph.MatmulOp(q_t, state))  # [batch, kv, group, d_v]
        outputs.append(node.emit(graph.ReshapeOp(read, (batch, 1, q_heads * d_v))))
    out = outputs[0] if steps == 1 else node.emit(graph.ConcatOp(outputs, 1))
    out = node.emit(graph.MulOp(out, node.scalar(scale, value_dtype(out))))
    return [compose.cast(node, out, dtype), compose.cast(node, state, state_dtype)]
