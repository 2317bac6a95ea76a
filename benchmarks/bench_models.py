"""
The benchmark models: graph IR for mlc, and the same model in numpy, PyTorch, ONNX.

Each `Model` holds its graph-dialect text (weights are function arguments, as
in `examples/`), its arguments (the input first, then the weights, drawn with
a fixed seed), a hand-written numpy implementation, and builders for a
PyTorch eager function and an ONNX graph (`onnx.helper`) of the same model.
Nothing here calls mlc: `run.py` compiles the text with `mlc.compile`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[Any]

# --------------------------------------------------------------------------- #
# The models
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Param:
    """One argument of the entry: its name, shape and how to draw it."""

    name: str
    shape: tuple[int, ...]
    scale: float = 1.0
    """Drawn as standard normal times `scale`."""


@dataclass(frozen=True)
class Model:
    """A benchmark model: its IR, its arguments and its references."""

    name: str
    description: str
    ir: str
    entry: str
    params: tuple[Param, ...]
    """The entry's arguments in order: the input first, then the weights."""
    numpy_fn: Callable[..., Array]
    torch_fn: Callable[..., Any]
    """Takes torch tensors in the same order as `numpy_fn` takes arrays."""
    onnx_nodes: Callable[[], list[Any]]
    """The ONNX graph's nodes over the names of `params`, output `y`."""
    output_shape: tuple[int, ...]
    flops: float = 0.0
    """Floating-point operations per call, for GFLOP/s (SGEMM)."""

    onnx_constants: Mapping[str, Array] = field(default_factory=dict[str, Array])
    """Initializers of the ONNX graph besides the weights."""
    onnx_route: bool = True
    """Whether run.py's `mlc via ONNX` column compiles the ONNX graph too (not
    for SGEMM, whose graph is the same `matmul` either way)."""

    def onnx_model(self, args: Sequence[Array]) -> Any:
        """The ONNX `ModelProto` (opset 17), with `args[1:]` as initializers."""
        import onnx
        from onnx import helper, numpy_helper

        x = self.params[0]
        weights = zip(self.params[1:], args[1:], strict=True)
        initializers = [numpy_helper.from_array(a, p.name) for p, a in weights]
        initializers += [
            numpy_helper.from_array(v, k) for k, v in self.onnx_constants.items()
        ]
        float_type = onnx.TensorProto.FLOAT
        graph = helper.make_graph(
            self.onnx_nodes(),
            self.name,
            [helper.make_tensor_value_info(x.name, float_type, list(x.shape))],
            [helper.make_tensor_value_info("y", float_type, list(self.output_shape))],
            initializers,
        )
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])

    def arguments(self, seed: int = 0) -> list[Array]:
        """The entry's arguments, drawn with `seed`."""
        rng = np.random.default_rng(seed)
        return [
            (rng.standard_normal(p.shape) * p.scale).astype(np.float32)
            for p in self.params
        ]


def tensor(shape: Sequence[int]) -> str:
    """`tensor<1x784xf32>`."""
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def _function(name: str, params: Sequence[Param], body: list[str], out: str) -> str:
    args = ", ".join(f"%{p.name}: {tensor(p.shape)}" for p in params)
    lines = [
        "builtin.module {",
        f"  func.func @{name}({args}) -> {out} {{",
        *[f"    {line}" for line in body],
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _linear(
    result: str, x: str, w: str, b: str, m: Sequence[int], k: int, n: int
) -> str:
    return (
        f"%{result} = graph.linear %{x}, %{w}, %{b} : ({tensor([*m, k])}, "
        f"{tensor([n, k])}, {tensor([n])}) -> {tensor([*m, n])}"
    )


def _relu(result: str, x: str, shape: Sequence[int]) -> str:
    return f"%{result} = graph.relu %{x} : {tensor(shape)}"


# --------------------------------------------------------------------------- #
# MLP
# --------------------------------------------------------------------------- #


def _mlp_ir(
    batch: int, sizes: Sequence[int], image: bool
) -> tuple[list[Param], list[str]]:
    """The MLP's parameters and function body."""
    in_shape = (batch, 1, 28, 28) if image else (batch, sizes[0])
    params = [Param("x", in_shape)]
    body: list[str] = []
    current = "x"
    if image:
        body.append(
            f"%flat = graph.flatten %x {{axis = 1 : i64}} : ({tensor(in_shape)}) "
            f"-> {tensor([batch, sizes[0]])}"
        )
        current = "flat"
    layers = len(sizes) - 1
    for i in range(layers):
        k, n = sizes[i], sizes[i + 1]
        params += [Param(f"w{i}", (n, k), 1 / math.sqrt(k)), Param(f"b{i}", (n,), 0.1)]
        body.append(_linear(f"l{i}", current, f"w{i}", f"b{i}", [batch], k, n))
        current = f"l{i}"
        if i < layers - 1:
            body.append(_relu(f"r{i}", current, [batch, n]))
            current = f"r{i}"
    body.append(f"func.return %{current} : {tensor([batch, sizes[-1]])}")
    return params, body


def _mlp_numpy(layers: int) -> Callable[..., Array]:
    def numpy_fn(x: Array, *weights: Array) -> Array:
        h = x.reshape(x.shape[0], -1)
        for i in range(layers):
            h = h @ weights[2 * i].T + weights[2 * i + 1]
            if i < layers - 1:
                h = np.maximum(h, 0)
        return h

    return numpy_fn


def _mlp_torch(layers: int) -> Callable[..., Any]:
    def torch_fn(x: Any, *weights: Any) -> Any:
        import torch.nn.functional as F

        h = x.flatten(1)
        for i in range(layers):
            h = F.linear(h, weights[2 * i], weights[2 * i + 1])
            if i < layers - 1:
                h = F.relu(h)
        return h

    return torch_fn


def _mlp_onnx(layers: int) -> Callable[[], list[Any]]:
    def onnx_nodes() -> list[Any]:
        nodes = [onnx_node("Flatten", ["x"], ["h"], axis=1)]
        current = "h"
        for i in range(layers):
            out_name = "y" if i == layers - 1 else f"l{i}"
            inputs = [current, f"w{i}", f"b{i}"]
            nodes.append(onnx_node("Gemm", inputs, [out_name], transB=1))
            current = out_name
            if i < layers - 1:
                nodes.append(onnx_node("Relu", [current], [f"r{i}"]))
                current = f"r{i}"
        return nodes

    return onnx_nodes


def mlp(name: str, batch: int, sizes: Sequence[int], image: bool) -> Model:
    """
    Linear layers `sizes[0] -> sizes[1] -> ...` with relu between them.

    With `image`, the input is a `batch x 1 x 28 x 28` image flattened first
    (the course MLP, `examples/mlp.mlir`).
    """
    params, body = _mlp_ir(batch, sizes, image)
    layers = len(sizes) - 1
    out = tensor([batch, sizes[-1]])
    return Model(
        name=name,
        description=f"MLP {'→'.join(map(str, sizes))}, relu, batch {batch}",
        ir=_function("mlp", params, body, out),
        entry="mlp",
        params=tuple(params),
        numpy_fn=_mlp_numpy(layers),
        torch_fn=_mlp_torch(layers),
        onnx_nodes=_mlp_onnx(layers),
        output_shape=(batch, sizes[-1]),
    )


# --------------------------------------------------------------------------- #
# LeNet
# --------------------------------------------------------------------------- #


def _conv2d_np(x: Array, w: Array, b: Array, pad: int) -> Array:
    """NCHW convolution, stride 1, as one matrix product over windows."""
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    kh, kw = w.shape[2], w.shape[3]
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    # windows: N, C, OH, OW, KH, KW -> contract C, KH, KW with w: F, C, KH, KW
    out = np.tensordot(windows, w, axes=((1, 4, 5), (1, 2, 3)))  # N, OH, OW, F
    return (out.transpose(0, 3, 1, 2) + b[None, :, None, None]).astype(np.float32)


def _max_pool2x2_np(x: Array) -> Array:
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def lenet(name: str, batch: int) -> Model:
    """The LeNet-style CNN of `examples/lenet.mlir`, at batch `batch`."""
    b = batch
    params = [
        Param("x", (b, 1, 28, 28)),
        Param("c1w", (6, 1, 5, 5), 0.2),
        Param("c1b", (6,), 0.1),
        Param("c2w", (16, 6, 5, 5), 0.08),
        Param("c2b", (16,), 0.1),
        Param("f1w", (120, 400), 0.05),
        Param("f1b", (120,), 0.1),
        Param("f2w", (84, 120), 0.09),
        Param("f2b", (84,), 0.1),
        Param("f3w", (10, 84), 0.1),
        Param("f3b", (10,), 0.1),
    ]
    pool = "{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}"
    s1, p1 = [b, 6, 28, 28], [b, 6, 14, 14]
    s2, p2 = [b, 16, 10, 10], [b, 16, 5, 5]
    body = [
        f"%c1 = graph.conv2d %x, %c1w, %c1b {{pads = array<i64: 2, 2, 2, 2>}} : "
        f"({tensor([b, 1, 28, 28])}, {tensor([6, 1, 5, 5])}, {tensor([6])}) "
        f"-> {tensor(s1)}",
        _relu("r1", "c1", s1),
        f"%p1 = graph.max_pool2d %r1 {pool} : ({tensor(s1)}) -> {tensor(p1)}",
        f"%c2 = graph.conv2d %p1, %c2w, %c2b : ({tensor(p1)}, "
        f"{tensor([16, 6, 5, 5])}, {tensor([16])}) -> {tensor(s2)}",
        _relu("r2", "c2", s2),
        f"%p2 = graph.max_pool2d %r2 {pool} : ({tensor(s2)}) -> {tensor(p2)}",
        f"%flat = graph.flatten %p2 {{axis = 1 : i64}} : ({tensor(p2)}) -> "
        f"{tensor([b, 400])}",
        _linear("f1", "flat", "f1w", "f1b", [b], 400, 120),
        _relu("r3", "f1", [b, 120]),
        _linear("f2", "r3", "f2w", "f2b", [b], 120, 84),
        _relu("r4", "f2", [b, 84]),
        _linear("f3", "r4", "f3w", "f3b", [b], 84, 10),
        f"func.return %f3 : {tensor([b, 10])}",
    ]

    def numpy_fn(x: Array, *w: Array) -> Array:
        h = _max_pool2x2_np(np.maximum(_conv2d_np(x, w[0], w[1], 2), 0))
        h = _max_pool2x2_np(np.maximum(_conv2d_np(h, w[2], w[3], 0), 0))
        h = h.reshape(h.shape[0], -1)
        h = np.maximum(h @ w[4].T + w[5], 0)
        h = np.maximum(h @ w[6].T + w[7], 0)
        return h @ w[8].T + w[9]

    def torch_fn(x: Any, *w: Any) -> Any:
        import torch.nn.functional as F

        h = F.max_pool2d(F.relu(F.conv2d(x, w[0], w[1], padding=2)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, w[2], w[3])), 2)
        h = F.relu(F.linear(h.flatten(1), w[4], w[5]))
        h = F.relu(F.linear(h, w[6], w[7]))
        return F.linear(h, w[8], w[9])

    def onnx_nodes() -> list[Any]:
        node = onnx_node
        pool = {"kernel_shape": [2, 2], "strides": [2, 2]}
        return [
            node("Conv", ["x", "c1w", "c1b"], ["c1"], pads=[2, 2, 2, 2]),
            node("Relu", ["c1"], ["r1"]),
            node("MaxPool", ["r1"], ["p1"], **pool),
            node("Conv", ["p1", "c2w", "c2b"], ["c2"]),
            node("Relu", ["c2"], ["r2"]),
            node("MaxPool", ["r2"], ["p2"], **pool),
            node("Flatten", ["p2"], ["flat"], axis=1),
            node("Gemm", ["flat", "f1w", "f1b"], ["f1"], transB=1),
            node("Relu", ["f1"], ["r3"]),
            node("Gemm", ["r3", "f2w", "f2b"], ["f2"], transB=1),
            node("Relu", ["f2"], ["r4"]),
            node("Gemm", ["r4", "f3w", "f3b"], ["y"], transB=1),
        ]

    return Model(
        name=name,
        description=f"LeNet-style CNN 1x28x28, batch {batch}",
        ir=_function("lenet", params, body, tensor([b, 10])),
        entry="lenet",
        params=tuple(params),
        numpy_fn=numpy_fn,
        torch_fn=torch_fn,
        onnx_nodes=onnx_nodes,
        output_shape=(b, 10),
    )


# --------------------------------------------------------------------------- #
# Transformer block
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Block:
    """A pre-norm transformer block's sizes (batch 1)."""

    seq: int = 8
    d: int = 64
    heads: int = 4
    ffn: int = 256

    @property
    def d_head(self) -> int:
        return self.d // self.heads


def _erf_np(x: Array) -> Array:
    """erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf."""
    t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
    poly = t * (
        0.254829592
        + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return (np.sign(x) * (1.0 - poly * np.exp(-x * x))).astype(np.float32)


def _layer_norm_np(x: Array, scale: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=-1, keepdims=True)
    return centered / np.sqrt(var + 1e-5) * scale + bias


def _softmax_np(x: Array) -> Array:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _transformer_onnx_constants(c: Block) -> dict[str, Array]:
    """Initializers of the transformer's ONNX graph besides its weights."""
    return {
        "split_shape": np.array([1, c.seq, c.heads, c.d_head], dtype=np.int64),
        "merged_shape": np.array([1, c.seq, c.d], dtype=np.int64),
        "sqrt_d_head": np.array(math.sqrt(c.d_head), dtype=np.float32),
        "sqrt2": np.array(math.sqrt(2), dtype=np.float32),
        "one": np.array(1.0, dtype=np.float32),
        "half": np.array(0.5, dtype=np.float32),
    }


def _transformer_ir(c: Block, params: Sequence[Param]) -> str:
    """The block's graph IR (`examples/transformer_block.mlir` at any size)."""
    s, d, h, dh = c.seq, c.d, c.heads, c.d_head
    x, split, heads = tensor([1, s, d]), tensor([1, s, h, dh]), tensor([1, h, s, dh])
    scores, vec = tensor([1, h, s, s]), tensor([d])
    body = [
        f"%ln1 = graph.layer_norm %x scale(%ln1_scale : {vec}) "
        f"bias(%ln1_bias : {vec}) : {x}"
    ]
    for p in "qkv":
        body += [
            _linear(p, "ln1", f"w{p}", f"b{p}", [1, s], d, d),
            f"%{p}_split = graph.reshape %{p} {{shape = array<i64: 1, {s}, {h}, "
            f"{dh}>}} : ({x}) -> {split}",
        ]
    body += [
        f"%q_heads = graph.transpose %q_split {{perm = array<i64: 0, 2, 1, 3>}} "
        f": ({split}) -> {heads}",
        f"%k_heads_t = graph.transpose %k_split {{perm = array<i64: 0, 2, 3, 1>}} "
        f": ({split}) -> {tensor([1, h, dh, s])}",
        f"%v_heads = graph.transpose %v_split {{perm = array<i64: 0, 2, 1, 3>}} "
        f": ({split}) -> {heads}",
        f"%scores = graph.matmul %q_heads, %k_heads_t : ({heads}, "
        f"{tensor([1, h, dh, s])}) -> {scores}",
        f"%sqrt_d_head = arith.constant dense<{math.sqrt(dh):.6e}> : tensor<f32>",
        f"%scaled = graph.div %scores, %sqrt_d_head : ({scores}, tensor<f32>) "
        f"-> {scores}",
        f"%probs = graph.softmax %scaled {{axis = -1 : i64}} : {scores}",
        f"%attn = graph.matmul %probs, %v_heads : ({scores}, {heads}) -> {heads}",
        f"%attn_t = graph.transpose %attn {{perm = array<i64: 0, 2, 1, 3>}} "
        f": ({heads}) -> {split}",
        f"%attn_merged = graph.reshape %attn_t {{shape = array<i64: 1, {s}, {d}>}} "
        f": ({split}) -> {x}",
        _linear("attn_out", "attn_merged", "wo", "bo", [1, s], d, d),
        f"%res1 = graph.add %x, %attn_out : ({x}, {x}) -> {x}",
        f"%ln2 = graph.layer_norm %res1 scale(%ln2_scale : {vec}) "
        f"bias(%ln2_bias : {vec}) : {x}",
        _linear("ffn_up", "ln2", "w1", "b1", [1, s], d, c.ffn),
        f"%ffn_act = graph.gelu %ffn_up : {tensor([1, s, c.ffn])}",
        _linear("ffn_down", "ffn_act", "w2", "b2", [1, s], c.ffn, d),
        f"%res2 = graph.add %res1, %ffn_down : ({x}, {x}) -> {x}",
        f"func.return %res2 : {x}",
    ]
    return _function("transformer_block", params, body, x)


def transformer_block(name: str, c: Block) -> Model:
    """A pre-norm transformer block (attention, GELU feed-forward), batch 1."""
    d, f, s = c.d, c.ffn, c.seq
    params = [Param("x", (1, s, d))]
    params += [Param("ln1_scale", (d,)), Param("ln1_bias", (d,), 0.1)]
    for proj in "qkvo":
        params += [
            Param(f"w{proj}", (d, d), 1 / math.sqrt(d)),
            Param(f"b{proj}", (d,), 0.1),
        ]
    params += [Param("ln2_scale", (d,)), Param("ln2_bias", (d,), 0.1)]
    params += [Param("w1", (f, d), 1 / math.sqrt(d)), Param("b1", (f,), 0.1)]
    params += [Param("w2", (d, f), 1 / math.sqrt(f)), Param("b2", (d,), 0.1)]
    scale = np.float32(math.sqrt(c.d_head))

    def numpy_fn(x: Array, *w: Array) -> Array:
        ln1s, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2s, ln2b, w1, b1, w2, b2 = w
        h = _layer_norm_np(x, ln1s, ln1b)

        def heads(t: Array) -> Array:
            return t.reshape(1, s, c.heads, c.d_head).transpose(0, 2, 1, 3)

        q, k, v = heads(h @ wq.T + bq), heads(h @ wk.T + bk), heads(h @ wv.T + bv)
        probs = _softmax_np(q @ k.transpose(0, 1, 3, 2) / scale)
        attn = (probs @ v).transpose(0, 2, 1, 3).reshape(1, s, d)
        res1 = x + attn @ wo.T + bo
        up = _layer_norm_np(res1, ln2s, ln2b) @ w1.T + b1
        act = 0.5 * up * (1 + _erf_np(up / np.float32(math.sqrt(2))))
        return (res1 + act @ w2.T + b2).astype(np.float32)

    def torch_fn(x: Any, *w: Any) -> Any:
        import torch.nn.functional as F

        ln1s, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2s, ln2b, w1, b1, w2, b2 = w
        h = F.layer_norm(x, (d,), ln1s, ln1b, 1e-5)

        def heads(t: Any) -> Any:
            return t.reshape(1, s, c.heads, c.d_head).transpose(1, 2)

        q = heads(F.linear(h, wq, bq))
        k = heads(F.linear(h, wk, bk))
        v = heads(F.linear(h, wv, bv))
        probs = F.softmax(q @ k.transpose(2, 3) / float(scale), dim=-1)
        attn = (probs @ v).transpose(1, 2).reshape(1, s, d)
        res1 = x + F.linear(attn, wo, bo)
        up = F.linear(F.layer_norm(res1, (d,), ln2s, ln2b, 1e-5), w1, b1)
        return res1 + F.linear(F.gelu(up), w2, b2)

    return Model(
        name=name,
        description=f"transformer block, seq {s}, d_model {d}, batch 1",
        ir=_transformer_ir(c, params),
        entry="transformer_block",
        params=tuple(params),
        numpy_fn=numpy_fn,
        torch_fn=torch_fn,
        onnx_nodes=_transformer_onnx_nodes,
        output_shape=(1, s, d),
        onnx_constants=_transformer_onnx_constants(c),
    )


def _transformer_onnx_nodes() -> list[Any]:
    """The block in ONNX opset 17 (LayerNormalization; GELU spelled with Erf)."""
    node = onnx_node
    nodes = [
        node("LayerNormalization", ["x", "ln1_scale", "ln1_bias"], ["ln1"]),
    ]
    for proj in "qkv":
        nodes += [
            node("Transpose", [f"w{proj}"], [f"w{proj}_t"], perm=[1, 0]),
            node("MatMul", ["ln1", f"w{proj}_t"], [f"{proj}_mm"]),
            node("Add", [f"{proj}_mm", f"b{proj}"], [proj]),
            node("Reshape", [proj, "split_shape"], [f"{proj}_split"]),
        ]
    nodes += [
        node("Transpose", ["q_split"], ["q_heads"], perm=[0, 2, 1, 3]),
        node("Transpose", ["k_split"], ["k_heads_t"], perm=[0, 2, 3, 1]),
        node("Transpose", ["v_split"], ["v_heads"], perm=[0, 2, 1, 3]),
        node("MatMul", ["q_heads", "k_heads_t"], ["scores"]),
        node("Div", ["scores", "sqrt_d_head"], ["scaled"]),
        node("Softmax", ["scaled"], ["probs"], axis=-1),
        node("MatMul", ["probs", "v_heads"], ["attn"]),
        node("Transpose", ["attn"], ["attn_t"], perm=[0, 2, 1, 3]),
        node("Reshape", ["attn_t", "merged_shape"], ["attn_merged"]),
        node("Transpose", ["wo"], ["wo_t"], perm=[1, 0]),
        node("MatMul", ["attn_merged", "wo_t"], ["o_mm"]),
        node("Add", ["o_mm", "bo"], ["attn_out"]),
        node("Add", ["x", "attn_out"], ["res1"]),
        node("LayerNormalization", ["res1", "ln2_scale", "ln2_bias"], ["ln2"]),
        node("Transpose", ["w1"], ["w1_t"], perm=[1, 0]),
        node("MatMul", ["ln2", "w1_t"], ["up_mm"]),
        node("Add", ["up_mm", "b1"], ["up"]),
        node("Div", ["up", "sqrt2"], ["up_scaled"]),
        node("Erf", ["up_scaled"], ["erf"]),
        node("Add", ["erf", "one"], ["erf1"]),
        node("Mul", ["up", "erf1"], ["up_erf"]),
        node("Mul", ["up_erf", "half"], ["act"]),
        node("Transpose", ["w2"], ["w2_t"], perm=[1, 0]),
        node("MatMul", ["act", "w2_t"], ["down_mm"]),
        node("Add", ["down_mm", "b2"], ["down"]),
        node("Add", ["res1", "down"], ["y"]),
    ]
    return nodes


# --------------------------------------------------------------------------- #
# SGEMM
# --------------------------------------------------------------------------- #


def sgemm(name: str, n: int) -> Model:
    """`C = A @ B` for square f32 matrices of size `n` (graph.matmul)."""
    params = [Param("a", (n, n)), Param("b", (n, n))]
    body = [
        f"%c = graph.matmul %a, %b : ({tensor([n, n])}, {tensor([n, n])}) -> "
        f"{tensor([n, n])}",
        f"func.return %c : {tensor([n, n])}",
    ]

    def numpy_fn(a: Array, b: Array) -> Array:
        return a @ b

    def torch_fn(a: Any, b: Any) -> Any:
        return a @ b

    def onnx_nodes() -> list[Any]:
        return [onnx_node("MatMul", ["a", "b"], ["y"])]

    return Model(
        name=name,
        description=f"SGEMM {n}x{n}x{n}",
        ir=_function("sgemm", params, body, tensor([n, n])),
        entry="sgemm",
        params=tuple(params),
        numpy_fn=numpy_fn,
        torch_fn=torch_fn,
        onnx_nodes=onnx_nodes,
        output_shape=(n, n),
        flops=2.0 * n**3,
        onnx_route=False,
    )


def onnx_node(op_type: str, inputs: list[str], outputs: list[str], **attrs: Any) -> Any:
    """`onnx.helper.make_node` (attributes as keywords)."""
    from onnx import helper

    return helper.make_node(op_type, inputs, outputs, **attrs)


def all_models() -> list[Model]:
    """Every benchmark model, in the table's order."""
    return [
        mlp("mlp_b1", 1, (784, 128, 10), image=True),
        mlp("mlp_b64", 64, (784, 128, 10), image=True),
        mlp("mlp_large_b64", 64, (1024, 4096, 4096, 1024), image=False),
        lenet("lenet_b1", 1),
        lenet("lenet_b16", 16),
        transformer_block("transformer_b1", Block()),
        transformer_block("transformer_d256_s128", Block(seq=128, d=256, ffn=1024)),
        sgemm("sgemm_1024", 1024),
        sgemm("sgemm_2048", 2048),
    ]
