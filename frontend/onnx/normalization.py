"""
ONNX converters: normalizations and softmax. Batch and layer normalization
are graph ops; instance, group, RMS, mean-variance, Lp normalization and LRN
are composed from them and from reductions.
"""

from __future__ import annotations

from math import ceil, floor

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, back, coerced_2d, converter
from mlc.frontend.onnx.nn import pool_axis


@converter("BatchNormalization")
def _batch_norm(node: Node) -> list[Output]:
    x, scale, bias, mean, var = (node.input(i) for i in range(5))
    epsilon = float(node.attr("epsilon", 1e-5))
    # Before version 14 the outputs say the mode: more than Y is training.
    training = node.attr("training_mode", 0)
    if node.version < 14:
        training = any(node.wants(i) for i in range(1, node.num_outputs))
    if not training:
        return [node.emit(graph.BatchNormOp(x, scale, bias, mean, var, epsilon))]
    # Training mode normalizes with the batch statistics (population variance)
    # and also returns the updated running statistics.
    rank = len(value_shape(x))
    axes = [0, *range(2, rank)]
    batch_mean = node.emit(graph.ReduceMeanOp(x, axes, True))
    centered = node.emit(graph.SubOp(x, batch_mean))
    square = node.emit(graph.MulOp(centered, centered))
    batch_var = node.emit(graph.ReduceMeanOp(square, axes, False))
    batch_mean = node.emit(graph.ReduceMeanOp(x, axes, False))
    y = node.emit(graph.BatchNormOp(x, scale, bias, batch_mean, batch_var, epsilon))
    momentum = float(node.attr("momentum", 0.9))
    dtype = value_dtype(x)

    def running(old: SSAValue, new: SSAValue) -> SSAValue:
        kept = node.emit(graph.MulOp(old, node.scalar(momentum, dtype)))
        added = node.emit(graph.MulOp(new, node.scalar(1 - momentum, dtype)))
        return node.emit(graph.AddOp(kept, added))

    return [y, running(mean, batch_mean), running(var, batch_var)]


@converter("LayerNormalization")
def _layer_norm(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    axis = int(node.attr("axis", -1))
    epsilon = float(node.attr("epsilon", 1e-5))
    bias = node.input(2) if node.has(2) else None
    y = node.emit(graph.LayerNormOp(x, node.input(1), bias, axis=axis, epsilon=epsilon))
    outputs: list[Output] = [y]
    if node.wants(1) or node.wants(2):
        axes = list(range(axis % rank, rank))
        stats_x = x
        if node.attr("stash_type", 1) == 1 and value_dtype(x) == np.float16:
            stats_x = node.emit(graph.CastOp(x, from_numpy_dtype(np.float32)))
        mean = node.emit(graph.ReduceMeanOp(stats_x, axes, True))
        centered = node.emit(graph.SubOp(stats_x, mean))
        square = node.emit(graph.MulOp(centered, centered))
        var = node.emit(graph.ReduceMeanOp(square, axes, True))
        eps = node.scalar(epsilon, value_dtype(var))
        inv = node.emit(graph.RsqrtOp(node.emit(graph.AddOp(var, eps))))
        outputs += [mean, inv]
    return outputs


@converter("Softmax", "LogSoftmax")
def _softmax(node: Node) -> list[Output]:
    op = graph.SoftmaxOp if node.proto.op_type == "Softmax" else graph.LogSoftmaxOp
    if node.version < 13:
        return [coerced_2d(node, node.input(0), lambda n, x, a: n.emit(op(x, a)))]
    return [node.emit(op(node.input(0), int(node.attr("axis", -1))))]


def per_channel(node: Node, value: SSAValue, rank: int) -> SSAValue:
    """A [C] tensor as [C, 1, ...], to broadcast along dim 1 of a rank-`rank` value."""
    if rank <= 2:
        return value
    return node.emit(
        graph.ReshapeOp(value, (value_shape(value)[0], *(1,) * (rank - 2)))
    )


def _affine(
    node: Node, y: SSAValue, scale: SSAValue, bias: SSAValue | None
) -> SSAValue:
    rank = len(value_shape(y))
    y = node.emit(graph.MulOp(y, per_channel(node, scale, rank)))
    if bias is not None:
        y = node.emit(graph.AddOp(y, per_channel(node, bias, rank)))
    return y


@converter("InstanceNormalization")
def _instance_norm(node: Node) -> list[Output]:
    """Normalized over the spatial dims of each (sample, channel), then the affine."""
    x = node.input(0)
    epsilon = float(node.attr("epsilon", 1e-5))
    y = node.emit(graph.LayerNormOp(x, axis=2, epsilon=epsilon))
    return [_affine(node, y, node.input(1), node.input(2))]


@converter("GroupNormalization")
def _group_norm(node: Node) -> list[Output]:
    """Layer norm over [C/G, spatial...] per group, then the per-channel affine."""
    x = node.input(0)
    shape = value_shape(x)
    n, c = shape[:2]
    groups = int(node.attr("num_groups"))
    epsilon = float(node.attr("epsilon", 1e-5))
    dtype = value_dtype(x)
    stats_x = x
    if node.attr("stash_type", 1) == 1 and dtype == np.float16:
        stats_x = node.emit(graph.CastOp(x, from_numpy_dtype(np.float32)))
    grouped = node.emit(graph.ReshapeOp(stats_x, (n, groups, -1)))
    normalized = node.emit(graph.LayerNormOp(grouped, axis=2, epsilon=epsilon))
    scale, bias = node.input(1), node.input(2)
    if value_shape(scale) == (groups,) and groups != c:
        # Opset 18: a scale and bias per group.
        scale = node.emit(graph.ReshapeOp(scale, (groups, 1)))
        bias = node.emit(graph.ReshapeOp(bias, (groups, 1)))
        normalized = back(node, normalized, dtype)
        y = node.emit(graph.AddOp(node.emit(graph.MulOp(normalized, scale)), bias))
        return [node.emit(graph.ReshapeOp(y, shape))]
    y = back(node, node.emit(graph.ReshapeOp(normalized, shape)), dtype)
    return [_affine(node, y, scale, bias)]


def _mean(node: Node, x: SSAValue, axes: list[int]) -> SSAValue:
    return node.emit(graph.ReduceMeanOp(x, axes, True))


@converter("RMSNormalization")
def _rms_norm(node: Node) -> list[Output]:
    """x / sqrt(mean(x²) + epsilon) * scale, over the dims from `axis` on."""
    x = node.input(0)
    dtype = value_dtype(x)
    rank = len(value_shape(x))
    axis = int(node.attr("axis", -1)) % rank
    epsilon = float(node.attr("epsilon", 1e-5))
    stats_x = x
    if node.attr("stash_type", 1) == 1 and dtype != np.float64:
        stats_x = node.emit(graph.CastOp(x, from_numpy_dtype(np.float32)))
    square = node.emit(graph.MulOp(stats_x, stats_x))
    mean = _mean(node, square, list(range(axis, rank)))
    eps = node.scalar(epsilon, value_dtype(mean))
    inv = node.emit(graph.RsqrtOp(node.emit(graph.AddOp(mean, eps))))
    y = back(node, node.emit(graph.MulOp(stats_x, inv)), dtype)
    return [node.emit(graph.MulOp(y, node.input(1)))]


@converter("MeanVarianceNormalization")
def _mvn(node: Node) -> list[Output]:
    """(x - E[x]) / (sqrt(E[x²] - E[x]²) + 1e-9), as ONNX's function body."""
    x = node.input(0)
    axes = [int(a) for a in node.attr("axes", [0, 2, 3])]
    mean = _mean(node, x, axes)
    mean_of_square = _mean(node, node.emit(graph.MulOp(x, x)), axes)
    variance = node.emit(
        graph.SubOp(mean_of_square, node.emit(graph.MulOp(mean, mean)))
    )
    std = node.emit(graph.SqrtOp(variance))
    std = node.emit(graph.AddOp(std, node.scalar(1e-9, value_dtype(x))))
    return [node.emit(graph.DivOp(node.emit(graph.SubOp(x, mean)), std))]


@converter("LpNormalization")
def _lp_norm(node: Node) -> list[Output]:
    """x / ||x||_p along `axis` (p is 1 or 2)."""
    x = node.input(0)
    axis = int(node.attr("axis", -1))
    p = int(node.attr("p", 2))
    if p == 1:
        norm = node.emit(graph.ReduceSumOp(node.emit(graph.AbsOp(x)), [axis], True))
    elif p == 2:
        squares = node.emit(
            graph.ReduceSumOp(node.emit(graph.MulOp(x, x)), [axis], True)
        )
        norm = node.emit(graph.SqrtOp(squares))
    else:
        raise node.error(f"p = {p} is not supported (1 and 2 are)")
    # A zero norm gives 0 rather than NaN.
    zero = node.scalar(0, value_dtype(x))
    quotient = node.emit(graph.DivOp(x, norm))
    return [node.emit(graph.WhereOp(compose.equal(node, norm, zero), zero, quotient))]


@converter("LRN")
def _lrn(node: Node) -> list[Output]:
    """x / (bias + alpha / size * (sum of x² over `size` channels))^beta."""
    x = node.input(0)
    if len(value_shape(x)) != 4:
        raise node.error(f"expects an NCHW input, got shape {list(value_shape(x))}")
    size = int(node.attr("size"))
    alpha = float(node.attr("alpha", 1e-4))
    beta = float(node.attr("beta", 0.75))
    bias = float(node.attr("bias", 1.0))
    dtype = value_dtype(x)
    square = node.emit(graph.MulOp(x, x))
    pads = (floor((size - 1) / 2), ceil((size - 1) / 2))
    total = pool_axis(node, square, 1, (size, 1, 1, pads), False, "sum")
    scaled = node.emit(graph.MulOp(total, node.scalar(alpha / size, dtype)))
    base = node.emit(graph.AddOp(scaled, node.scalar(bias, dtype)))
    power = node.emit(graph.PowOp(base, node.scalar(beta, dtype)))
    return [node.emit(graph.DivOp(x, power))]


def negative_log_likelihood(
    node: Node, x: SSAValue, target: SSAValue, weight: SSAValue | None
) -> SSAValue:
    """
    `-x[n, target[n, ...], ...] * weight[target]`, 0 where the target is
    `ignore_index`, then summed, averaged over the weights, or not reduced.
    """
    dtype = value_dtype(x)
    ignore = node.attr("ignore_index")
    ignored = None
    if ignore is not None:
        ignored = compose.equal(
            node, target, node.scalar(int(ignore), value_dtype(target))
        )
        zero_index = node.scalar(0, value_dtype(target))
        target = node.emit(graph.WhereOp(ignored, zero_index, target))
    picked = compose.gather_elements(
        node, x, node.emit(graph.UnsqueezeOp(target, [1])), 1
    )
    loss = node.emit(graph.NegOp(node.emit(graph.SqueezeOp(picked, [1]))))
    weights = None
    if weight is not None:
        weights = node.emit(graph.GatherOp(weight, target, 0))
    if ignored is not None:
        kept = node.emit(
            graph.WhereOp(ignored, node.scalar(0, dtype), node.scalar(1, dtype))
        )
        weights = kept if weights is None else node.emit(graph.MulOp(weights, kept))
    if weights is not None:
        loss = node.emit(graph.MulOp(loss, weights))
    reduction = str(node.attr("reduction", "mean"))
    axes = list(range(len(value_shape(loss))))
    if reduction == "none":
        return loss
    total = node.emit(graph.ReduceSumOp(loss, axes, False))
    if reduction == "sum":
        return total
    if reduction != "mean":
        raise node.error(f"reduction '{reduction}' is not supported")
    if weights is None:
        return node.emit(graph.ReduceMeanOp(loss, axes, False))
    return node.emit(
        graph.DivOp(total, node.emit(graph.ReduceSumOp(weights, axes, False)))
    )


@converter("NegativeLogLikelihoodLoss")
def _nll_loss(node: Node) -> list[Output]:
    weight = node.input(2) if node.has(2) else None
    return [negative_log_likelihood(node, node.input(0), node.input(1), weight)]


@converter("SoftmaxCrossEntropyLoss")
def _softmax_cross_entropy(node: Node) -> list[Output]:
    """The likelihood loss of `log_softmax(scores)` along the classes (axis 1)."""
    log_prob = node.emit(graph.LogSoftmaxOp(node.input(0), 1))
    weight = node.input(2) if node.has(2) else None
    loss = negative_log_likelihood(node, log_prob, node.input(1), weight)
    return [loss, log_prob] if node.wants(1) else [loss]
