"""PyTorch builders: contractions, windows, normalization, reductions, attention."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias, cast

import numpy as np
from xdsl.dialects.builtin import (
    TensorType,
)
from xdsl.ir import Attribute, Operation, SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype
from mlc.frontend.common import same_pads, value_rank, value_shape
from mlc.frontend.torch.importer import (
    Args,
    Builder,
    Importer,
    Meta,
    Result,
    as_tensor,
    first_of,
    per_channel,
    scaled,
)


def _linear(im: Importer, a: Args, out: Meta) -> Result:
    return im.add(graph.LinearOp(a["input"], a["weight"], a["bias"]))


def _matmul(im: Importer, a: Args, out: Meta) -> Result:
    lhs = cast(SSAValue, a["self"])
    rhs = cast(SSAValue, a.get("mat2", a.get("other")))
    return im.add(graph.MatmulOp(lhs, rhs))


def _addmm(im: Importer, a: Args, out: Meta) -> Result:
    """beta * self + alpha * (mat1 @ mat2)."""
    product = im.add(graph.MatmulOp(a["mat1"], a["mat2"]))
    product = scaled(im, product, a["alpha"], out.dtype)
    bias = scaled(im, as_tensor(im, a["self"], out.dtype), a["beta"], out.dtype)
    return im.add(graph.AddOp(product, bias))


def _pair(value: object) -> list[int]:
    """A 2-D window parameter (int or 1- or 2-list) as two ints."""
    if isinstance(value, int):
        return [value, value]
    values = list(cast(Sequence[int], value))
    return values * 2 if len(values) == 1 else values


def _conv_pads(
    padding: object,
    sizes: Sequence[int],
    kernel: Sequence[int],
    dilation: Sequence[int],
) -> list[int]:
    """[top, left, bottom, right] for PyTorch's padding (ints, "valid" or "same")."""
    if padding == "valid":
        return [0, 0, 0, 0]
    if padding == "same":  # stride 1; an odd total pads the end more
        return same_pads(sizes, kernel, [1] * len(kernel), dilation, upper=True)
    return _pair(padding) * 2


def _conv(im: Importer, a: Args, out: Meta) -> Result:
    x, weight = cast(SSAValue, a["input"]), cast(SSAValue, a["weight"])
    if a.get("transposed"):
        raise im.fail("transposed convolution is not supported")
    rank = value_rank(x)
    if rank not in (3, 4):
        raise im.fail(f"only 1-D and 2-D convolutions are supported, got {x.type}")
    stride, dilation, padding = a["stride"], a["dilation"], a["padding"]
    if rank == 3:  # over (1, L)
        x = im.add(graph.UnsqueezeOp(x, [2]))
        weight = im.add(graph.UnsqueezeOp(weight, [2]))
        stride = [1, *_ints(stride)]
        dilation = [1, *_ints(dilation)]
        if not isinstance(padding, str):
            padding = [0, *_ints(padding)]
    dilation = _pair(dilation)
    pads = _conv_pads(padding, value_shape(x)[2:], value_shape(weight)[2:], dilation)
    y = im.add(
        graph.Conv2DOp(
            x,
            weight,
            a["bias"],
            strides=_pair(stride),
            pads=pads,
            dilations=dilation,
            groups=cast(int, a["groups"]),
        )
    )
    return y if rank == 4 else im.add(graph.SqueezeOp(y, [2]))


def _ints(value: object) -> list[int]:
    return [value] if isinstance(value, int) else list(cast(Sequence[int], value))


def _max_pool(im: Importer, a: Args, out: Meta) -> Result:
    kernel = _pair(a["kernel_size"])
    stride = _pair(a["stride"]) if a["stride"] else kernel
    pooled = im.add(
        graph.MaxPool2DOp(
            a["self"],
            kernel,
            strides=stride,
            pads=_pair(a["padding"]) * 2,
            dilations=_pair(a["dilation"]),
            ceil_mode=bool(a["ceil_mode"]),
        )
    )
    return pooled


def _avg_pool(im: Importer, a: Args, out: Meta) -> Result:
    if a["divisor_override"] is not None:
        raise im.fail("avg_pool2d with divisor_override is not supported")
    kernel = _pair(a["kernel_size"])
    stride = _pair(a["stride"]) if a["stride"] else kernel
    return im.add(
        graph.AvgPool2DOp(
            a["self"],
            kernel,
            strides=stride,
            pads=_pair(a["padding"]) * 2,
            ceil_mode=bool(a["ceil_mode"]),
            count_include_pad=bool(a["count_include_pad"]),
        )
    )


def _adaptive_avg_pool(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    if value_rank(x) != 4:
        raise im.fail(f"expects an NCHW input, got {x.type}")
    size = value_shape(x)[2:]
    target = out.shape[2:]
    if target == (1, 1):
        return im.add(graph.GlobalAvgPool2DOp(x))
    if any(s % t for s, t in zip(size, target, strict=True)):
        raise im.fail(
            f"output size {list(target)} must divide the input size {list(size)}"
        )
    kernel = [s // t for s, t in zip(size, target, strict=True)]
    return im.add(graph.AvgPool2DOp(x, kernel, strides=kernel))


def _batch_norm(im: Importer, a: Args, out: Meta) -> Result:
    if a.get("training"):
        raise im.fail("batch_norm in training mode; import the module in eval mode")
    x = cast(SSAValue, a["input"])
    channels = (value_shape(x)[1],)
    scale = a["weight"] or im.constant(np.ones(channels), out.dtype)
    bias = a["bias"] or im.constant(np.zeros(channels), out.dtype)
    return im.add(
        graph.BatchNormOp(
            x, scale, bias, a["running_mean"], a["running_var"], cast(float, a["eps"])
        )
    )


def _layer_norm(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["input"])
    axis = value_rank(x) - len(cast(Sequence[int], a["normalized_shape"]))
    return im.add(
        graph.LayerNormOp(
            x, a["weight"], a["bias"], axis=axis, epsilon=cast(float, a["eps"])
        )
    )


ReduceClass: TypeAlias = Callable[[SSAValue, Sequence[int] | None, bool], Operation]


def _reduce(op: ReduceClass) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = as_tensor(im, a["self"], out.dtype)
        dims = cast(Sequence[int] | int | None, a.get("dim"))
        axes = [dims] if isinstance(dims, int) else list(dims or ())
        rank = value_rank(x)
        axes = [d % rank for d in axes] if rank else []
        keepdim = bool(a.get("keepdim", False))
        return im.add(op(x, axes or list(range(rank)), keepdim))

    return build


def _var(im: Importer, a: Args, out: Meta) -> Result:
    """mean((x - mean(x))²) * n / (n - correction) over `dim`."""
    x = as_tensor(im, a["self"], out.dtype)
    rank = value_rank(x)
    dims = cast(Sequence[int] | None, a["dim"])
    axes = sorted({d % rank for d in dims}) if dims else list(range(rank))
    keepdim = bool(a["keepdim"])
    centered = im.add(graph.SubOp(x, im.add(graph.ReduceMeanOp(x, axes, True))))
    square = im.add(graph.MulOp(centered, centered))
    variance = im.add(graph.ReduceMeanOp(square, axes, keepdim))
    count = int(np.prod([value_shape(x)[d] for d in axes]))
    correction = a["correction"]
    correction = 1 if correction is None else cast(float, correction)
    if count - correction <= 0:
        raise im.fail(f"variance of {count} elements with correction {correction}")
    return scaled(im, variance, count / (count - correction), out.dtype)


def _var_mean(im: Importer, a: Args, out: Meta) -> Result:
    """(var, mean) over `dim`."""
    variance = cast(SSAValue, _var(im, a, out))
    x = as_tensor(im, a["self"], out.dtype)
    rank = value_rank(x)
    dims = cast(Sequence[int] | None, a["dim"])
    axes = sorted({d % rank for d in dims}) if dims else list(range(rank))
    return (variance, im.add(graph.ReduceMeanOp(x, axes, bool(a["keepdim"]))))


def _sdpa(im: Importer, a: Args, out: Meta) -> Result:
    """softmax(q kᵀ * scale + mask) v, composed from graph ops."""
    q, k, v = (cast(SSAValue, a[n]) for n in ("query", "key", "value"))
    if a["dropout_p"]:
        raise im.fail("attention dropout is not supported; use dropout_p=0")
    if a.get("enable_gqa"):
        raise im.fail("grouped-query attention (enable_gqa) is not supported")
    rank = value_rank(k)
    perm = [*range(rank - 2), rank - 1, rank - 2]
    scores = im.add(graph.MatmulOp(q, im.add(graph.TransposeOp(k, perm))))
    scale = a["scale"] or 1 / float(np.sqrt(value_shape(q)[-1]))
    scores = scaled(im, scores, scale, out.dtype)
    mask = _attention_mask(im, a, value_shape(q)[-2], value_shape(k)[-2], out.dtype)
    if mask is not None:
        scores = im.add(graph.AddOp(scores, mask))
    probs = im.add(graph.SoftmaxOp(scores, -1))
    return im.add(graph.MatmulOp(probs, v))


def _attention_mask(
    im: Importer, a: Args, rows: int, cols: int, dtype: np.dtype[Any]
) -> SSAValue | None:
    """The additive mask: 0 where attention is allowed, -inf where it is not."""
    if a.get("is_causal"):
        allowed = np.tril(np.ones((rows, cols), dtype=bool))
        return im.constant(np.where(allowed, 0.0, -np.inf), dtype)
    mask = a.get("attn_mask")
    if mask is None:
        return None
    mask = cast(SSAValue, mask)
    if cast(TensorType[Attribute], mask.type).element_type == from_numpy_dtype(
        np.dtype(np.bool_)
    ):
        zero = im.constant(0.0, dtype)
        blocked = im.constant(-np.inf, dtype)
        return im.add(graph.WhereOp(mask, zero, blocked))
    return im.cast(mask, dtype)


def _group_norm(im: Importer, a: Args, out: Meta) -> Result:
    """Layer norm over [C/G, H, W] per group, then the per-channel affine."""
    x = cast(SSAValue, a["input"])
    n, c = value_shape(x)[:2]
    groups = cast(int, a.get("num_groups", c))
    grouped = im.add(graph.ReshapeOp(x, (n, groups, -1)))
    eps = cast(float, a["eps"])
    normalized = im.add(graph.LayerNormOp(grouped, axis=2, epsilon=eps))
    y = im.add(graph.ReshapeOp(normalized, out.shape))
    if a["weight"] is not None:
        y = im.add(graph.MulOp(y, per_channel(im, a["weight"], len(out.shape))))
    if a["bias"] is not None:
        y = im.add(graph.AddOp(y, per_channel(im, a["bias"], len(out.shape))))
    return y


def _instance_norm(im: Importer, a: Args, out: Meta) -> Result:
    if not a["use_input_stats"]:
        return _batch_norm(im, {**a, "training": False}, out)
    return _group_norm(im, a, out)


def _vector_norm(im: Importer, a: Args, out: Meta) -> Result:
    order = a["ord"]
    x = as_tensor(im, a["self"], out.dtype)
    if order == 1:
        return _reduce(graph.ReduceSumOp)(
            im, {**a, "self": im.add(graph.AbsOp(x))}, out
        )
    if order != 2:
        raise im.fail(f"vector norms of order {order} are not supported (1, 2 are)")
    squares = im.add(graph.MulOp(x, x))
    total = _reduce(graph.ReduceSumOp)(im, {**a, "self": squares}, out)
    return im.add(graph.SqrtOp(cast(SSAValue, total)))


OPS: dict[str, Builder] = {
    "aten.linear.default": _linear,
    "aten.addmm.default": _addmm,
    "aten.mm.default": _matmul,
    "aten.bmm.default": _matmul,
    "aten.matmul.default": _matmul,
    "aten.conv2d.default": _conv,
    "aten.conv2d.padding": _conv,
    "aten.convolution.default": _conv,
    "aten.max_pool2d.default": _max_pool,
    "aten.max_pool2d_with_indices.default": first_of(2, _max_pool),
    "aten.avg_pool2d.default": _avg_pool,
    "aten.adaptive_avg_pool2d.default": _adaptive_avg_pool,
    "aten._adaptive_avg_pool2d.default": _adaptive_avg_pool,
    "aten.batch_norm.default": _batch_norm,
    "aten._native_batch_norm_legit_no_training.default": first_of(3, _batch_norm),
    "aten.layer_norm.default": _layer_norm,
    "aten.native_layer_norm.default": first_of(3, _layer_norm),
    "aten.mean.dim": _reduce(graph.ReduceMeanOp),
    "aten.mean.default": _reduce(graph.ReduceMeanOp),
    "aten.sum.dim_IntList": _reduce(graph.ReduceSumOp),
    "aten.sum.default": _reduce(graph.ReduceSumOp),
    "aten.amax.default": _reduce(graph.ReduceMaxOp),
    "aten.var.correction": _var,
    "aten.var_mean.correction": _var_mean,
    "aten.linalg_vector_norm.default": _vector_norm,
    "aten.group_norm.default": _group_norm,
    "aten.instance_norm.default": _instance_norm,
    "aten.scaled_dot_product_attention.default": _sdpa,
}
