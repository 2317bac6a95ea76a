"""
Canonicalization patterns that recognize composite ops in their decomposed form.

Exporters spell some layers as chains of primitive ops: ONNX `MatMul` by a
`K x N` weight and an `Add` for `nn.Linear` on batched inputs, `Erf`
arithmetic for the exact GELU, `ReduceMean`/`Sub`/`Pow`/`Sqrt`/`Div` for a
layer normalization written by hand or exported at an old opset. These
patterns rebuild `linear`, `gelu` and `layer_norm` (onnxruntime's graph
optimizer does the same fusions), so a model reaches the same ops whichever
route it was imported by. They attach to the ops of the chain's last step
through `HasCanonicalizationPatternsInterface`, so xDSL's `canonicalize`
applies them.

A pattern only fires when every intermediate value of the chain has no use
outside it (the chain then disappears with the rewrite) and the composite's
input already has the result's type (no broadcasting is lost). Constants are
matched as splats within a relative 1e-4 (exporters round `1/sqrt(2)` and
`sqrt(2/pi)` to float32).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute, BlockArgument, Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import (
    Tensor,
    constant_value,
    get_bool,
    get_float,
    numpy_to_dense,
)
from mlc.dialects.graph.elementwise import (
    AddOp,
    DivOp,
    ErfOp,
    GeluOp,
    MulOp,
    PowOp,
    RsqrtOp,
    SqrtOp,
    SubOp,
    TanhOp,
)
from mlc.dialects.graph.nn import DEFAULT_EPSILON, LayerNormOp, LinearOp, MatmulOp
from mlc.dialects.graph.reduction import ReduceMeanOp
from mlc.dialects.graph.shape import TransposeOp

RTOL = 1e-4
"""Relative tolerance when a constant is compared with the value a form needs."""

# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def _shape(value: SSAValue) -> tuple[int, ...]:
    assert isa(value.type, TensorType[Attribute])
    return tuple(value.type.get_shape())


def _splat(value: SSAValue) -> float | None:
    """The value of a dense float constant whose elements are all equal."""
    array = constant_value(value)
    if array is None or array.dtype.kind != "f" or array.size == 0:
        return None
    first = float(array.flat[0])
    return first if bool(np.all(array == first)) else None


def _shortest(value: SSAValue) -> float | None:
    """
    A float splat as the shortest decimal that rounds to it in its own type
    (an f32 `1e-5` is `1e-05`, not `9.99999974e-06`).
    """
    array = constant_value(value)
    if _splat(value) is None or array is None:
        return None
    return float(str(array.flat[0]))


def _close(value: float | None, expected: float) -> bool:
    return value is not None and math.isclose(value, expected, rel_tol=RTOL)


def _owner(value: SSAValue, kind: type[Operation]) -> Operation | None:
    owner = value.owner
    return owner if isinstance(owner, kind) else None


def _only_used_by(value: SSAValue, users: Sequence[Operation]) -> bool:
    """Every use of `value` is by one of `users`."""
    return all(use.operation in users for use in value.uses)


def _single_use(value: SSAValue) -> bool:
    return value.has_one_use()


@dataclass
class Product:
    """A product `scale * f1 * f2 * ...` read off a tree of mul/div ops."""

    scale: float
    factors: list[SSAValue]
    ops: list[Operation]
    """The mul/div/pow ops the product was read through (the root included)."""


def _product(value: SSAValue, root: bool = True) -> Product:
    """
    `value` as a product: single-use `mul` operands, `div` by a splat constant
    and `pow` by the integer splat 2 or 3 are expanded; splat constants fold
    into `scale`. The root op is expanded even when it has several uses.
    """
    owner = value.owner
    if not root and not _single_use(value):
        return Product(1.0, [value], [])
    if isinstance(owner, MulOp):
        left, right = _product(owner.lhs, False), _product(owner.rhs, False)
        return Product(
            left.scale * right.scale,
            left.factors + right.factors,
            [owner, *left.ops, *right.ops],
        )
    if isinstance(owner, DivOp) and (d := _splat(owner.rhs)) not in (None, 0.0):
        assert d is not None
        inner = _product(owner.lhs, False)
        return Product(inner.scale / d, inner.factors, [owner, *inner.ops])
    if isinstance(owner, PowOp) and (e := _splat(owner.rhs)) in (2.0, 3.0):
        assert e is not None
        return Product(1.0, [owner.lhs] * int(e), [owner])
    constant = _splat(value)
    if constant is not None:
        return Product(constant, [], [])
    return Product(1.0, [value], [])


def _one_plus(value: SSAValue) -> tuple[SSAValue, AddOp] | None:
    """`t` and the add, when `value` is `1 + t` or `t + 1` (a splat one)."""
    add = _owner(value, AddOp)
    if not isinstance(add, AddOp) or not _single_use(value):
        return None
    for one, other in ((add.lhs, add.rhs), (add.rhs, add.lhs)):
        if _close(_splat(one), 1.0):
            return other, add
    return None


def _as_scaled(value: SSAValue, expected: float) -> tuple[SSAValue, list[Operation]]:
    """`(x, ops)` when `value` is `expected * x` (one non-constant factor)."""
    product = _product(value, root=False) if _single_use(value) else None
    if product is None or len(product.factors) != 1:
        return value, []
    if not _close(product.scale, expected):
        return value, []
    return product.factors[0], product.ops


# --------------------------------------------------------------------------- #
# linear
# --------------------------------------------------------------------------- #


def _transposed_constant(value: SSAValue) -> arith.ConstantOp | None:
    """A dense constant holding the transpose of 2-D dense constant `value`."""
    array = constant_value(value)
    if array is None:
        return None
    assert isa(value.type, TensorType[Attribute])
    k, n = _shape(value)
    type_: Tensor = TensorType(value.type.element_type, (n, k))
    return arith.ConstantOp(numpy_to_dense(np.ascontiguousarray(array.T), type_))


class RewriteMatmulAsLinear(RewritePattern):
    """
    `matmul(x, w)` by a 2-D weight `w` (K x N) is `linear(x, wᵀ)`, whose
    weight is N x K (PyTorch's layout, read along K like `x`):

    - `w = transpose(v)` (a 2-D transpose): `linear(x, v)`, the transpose gone;
    - `w` a dense constant: the transpose is folded into a new constant;
    - `w` a function argument (a parameter) and `x` batched (rank >= 3):
      `linear(x, transpose(w))`, the op the PyTorch route has. The transpose
      is never computed: `graph-fuse` keeps it with the linear, whose
      lowering reads `w` through its indexing map (and `pack-weights` then
      stores `w` packed once). A 2-D `x` keeps `matmul`, which lowers to the
      named `linalg.matmul`; any other `w` (an activation) keeps `matmul`
      too.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: MatmulOp, rewriter: PatternRewriter) -> None:
        w = op.rhs
        if len(_shape(w)) != 2 or not _shape(op.lhs):
            return
        inner = _owner(w, TransposeOp)
        if isinstance(inner, TransposeOp) and inner.effective_perm() == (1, 0):
            rewriter.replace(op, LinearOp(op.lhs, inner.input))
            return
        folded = _transposed_constant(w)
        if folded is not None:
            rewriter.replace(op, [folded, LinearOp(op.lhs, folded.result)])
            return
        if isinstance(w, BlockArgument) and len(_shape(op.lhs)) >= 3:
            transpose = TransposeOp(w, (1, 0))
            rewriter.replace(op, [transpose, LinearOp(op.lhs, transpose.result)])


class FoldBiasIntoLinear(RewritePattern):
    """
    `linear(x, w) + b` (either operand order) is `linear(x, w, b)` when `b` is
    a vector of the N output features and the linear has no other use.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AddOp, rewriter: PatternRewriter) -> None:
        for product, bias in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
            linear = _owner(product, LinearOp)
            if (
                isinstance(linear, LinearOp)
                and linear.bias is None
                and _single_use(product)
                and product.type == op.result.type
                and _shape(bias) == _shape(linear.weight)[:1]
            ):
                rewriter.replace(op, LinearOp(linear.input, linear.weight, bias))
                return


# --------------------------------------------------------------------------- #
# gelu
# --------------------------------------------------------------------------- #

_SQRT_HALF = 1 / math.sqrt(2)
_TANH_SCALE = math.sqrt(2 / math.pi)
_TANH_CUBIC = 0.044715


def _erf_argument(t: SSAValue) -> tuple[SSAValue, list[Operation]] | None:
    """`(x, ops)` when `t` is `erf(x / sqrt(2))` (or `erf(x * 0.7071...)`)."""
    erf = _owner(t, ErfOp)
    if not isinstance(erf, ErfOp) or not _single_use(t):
        return None
    x, ops = _as_scaled(erf.input, _SQRT_HALF)
    return (x, [erf, *ops]) if ops else None


def _tanh_argument(t: SSAValue) -> tuple[SSAValue, list[Operation]] | None:
    """`(x, ops)` when `t` is `tanh(sqrt(2/pi) * (x + 0.044715 * x³))`."""
    tanh = _owner(t, TanhOp)
    if not isinstance(tanh, TanhOp) or not _single_use(t):
        return None
    inner, ops = _as_scaled(tanh.input, _TANH_SCALE)
    add = _owner(inner, AddOp)
    if not ops or not isinstance(add, AddOp) or not _single_use(inner):
        return None
    for x, cubic in ((add.lhs, add.rhs), (add.rhs, add.lhs)):
        product = _product(cubic, root=False) if _single_use(cubic) else None
        if (
            product is not None
            and product.factors == [x, x, x]
            and _close(product.scale, _TANH_CUBIC)
        ):
            return x, [tanh, *ops, add, *product.ops]
    return None


class RecognizeGelu(RewritePattern):
    """
    `0.5 * x * (1 + erf(x / sqrt(2)))` is `gelu(x)`, and
    `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x³)))` is
    `gelu(x, "tanh")`, in any association and order of the product, with
    `x / c` or `x * (1/c)`, and `x³` as `pow(x, 3)` or `x * x * x`.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: MulOp, rewriter: PatternRewriter) -> None:
        product = _product(op.result)
        if len(product.factors) != 2 or not _close(product.scale, 0.5):
            return
        for x, other in (product.factors, reversed(product.factors)):
            if x.type != op.result.type:
                continue
            found = _one_plus(other)
            if found is None:
                continue
            t, add = found
            for argument, mode in ((_erf_argument, None), (_tanh_argument, "tanh")):
                match = argument(t)
                if match is None or match[0] != x:
                    continue
                chain = [*product.ops, add, *match[1]]
                if not _chain_is_private(chain, op):
                    return
                rewriter.replace(op, GeluOp(x, mode))
                return


def _chain_is_private(chain: Sequence[Operation], root: Operation) -> bool:
    """Every op of `chain` but `root` is used only by ops of `chain`."""
    return all(
        _only_used_by(result, chain)
        for member in chain
        if member is not root
        for result in member.results
    )


# --------------------------------------------------------------------------- #
# layer_norm
# --------------------------------------------------------------------------- #


def _trailing_axis(mean: ReduceMeanOp) -> int | None:
    """The first reduced dim when `mean` keeps dims and reduces the last ones."""
    rank = len(_shape(mean.input))
    axes = mean.reduced_axes(mean.properties, rank)
    if not get_bool(mean.properties, "keepdims", True):
        return None
    return axes[0] if axes == tuple(range(axes[0], rank)) else None


def _variance_of(centered: SSAValue, value: SSAValue) -> ReduceMeanOp | None:
    """The reduce_mean when `value` is `mean(centered²)` (pow 2 or a self-product)."""
    mean = _owner(value, ReduceMeanOp)
    if not isinstance(mean, ReduceMeanOp) or not _single_use(value):
        return None
    square = mean.input.owner
    if isinstance(square, PowOp) and _splat(square.rhs) == 2.0:
        operands = [square.lhs]
    elif isinstance(square, MulOp):
        operands = [square.lhs, square.rhs]
    else:
        return None
    if not _single_use(mean.input) or any(v != centered for v in operands):
        return None
    return mean


def _normalized(
    centered: SSAValue, denominator: SSAValue, root: Operation, rsqrt: bool
) -> LayerNormOp | None:
    """
    `layer_norm(x)` when `centered` is `x - mean(x)` and `denominator` is
    `sqrt(var + eps)` (or `rsqrt(var + eps)` when `rsqrt`).
    """
    sub = _owner(centered, SubOp)
    root_kind = RsqrtOp if rsqrt else SqrtOp
    sqrt = _owner(denominator, root_kind)
    if not isinstance(sub, SubOp) or sqrt is None or not _single_use(denominator):
        return None
    mean = _owner(sub.rhs, ReduceMeanOp)
    add = _owner(sqrt.operands[0], AddOp)
    if not isinstance(mean, ReduceMeanOp) or not isinstance(add, AddOp):
        return None
    x = sub.lhs
    axis = _trailing_axis(mean)
    if mean.input != x or axis is None or not _single_use(sub.rhs):
        return None
    if x.type != root.results[0].type or not _single_use(add.result):
        return None
    for variance, eps in ((add.lhs, add.rhs), (add.rhs, add.lhs)):
        epsilon = _shortest(eps)
        var = _variance_of(centered, variance)
        if epsilon is None or var is None or _trailing_axis(var) != axis:
            continue
        square = var.input.owner
        assert isinstance(square, Operation)
        if not _only_used_by(centered, [square, root]):
            return None
        try:
            return LayerNormOp(x, axis=axis - len(_shape(x)), epsilon=epsilon)
        except VerifyException:  # e.g. integer elements: no layer_norm
            return None
    return None


class RecognizeLayerNorm(RewritePattern):
    """
    `(x - mean(x)) / sqrt(mean((x - mean(x))²) + eps)` over trailing dims is
    `layer_norm(x)`; the square may be `pow(d, 2)` or `d * d`.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: DivOp, rewriter: PatternRewriter) -> None:
        new = _normalized(op.lhs, op.rhs, op, rsqrt=False)
        if new is not None:
            rewriter.replace(op, new)


class RecognizeLayerNormRsqrt(RewritePattern):
    """`(x - mean(x)) * rsqrt(var + eps)`, either order, is `layer_norm(x)`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: MulOp, rewriter: PatternRewriter) -> None:
        for centered, denominator in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
            new = _normalized(centered, denominator, op, rsqrt=True)
            if new is not None:
                rewriter.replace(op, new)
                return


def _affine(op: AddOp | MulOp, rewriter: PatternRewriter, scale: bool) -> None:
    """Fold `op` into a layer_norm operand: its scale (`scale`) or its bias."""
    for normed, param in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
        norm = _owner(normed, LayerNormOp)
        if (
            not isinstance(norm, LayerNormOp)
            or norm.bias is not None
            or (scale and norm.scale is not None)
            or not _single_use(normed)
            or normed.type != op.result.type
        ):
            continue
        try:
            new = LayerNormOp(
                norm.input,
                param if scale else norm.scale,
                None if scale else param,
                axis=None if norm.axis is None else _axis(norm),
                epsilon=_epsilon(norm),
            )
        except VerifyException:  # not broadcastable to the normalized shape
            continue
        rewriter.replace(op, new)
        return


def _epsilon(norm: LayerNormOp) -> float | None:
    """The op's epsilon property, None when absent (the default)."""
    if norm.epsilon is None:
        return None
    return get_float(norm.properties, "epsilon", DEFAULT_EPSILON)


def _axis(norm: LayerNormOp) -> int:
    axis = norm.axis
    assert axis is not None
    return axis.value.data


class FoldScaleIntoLayerNorm(RewritePattern):
    """`layer_norm(x) * g` is `layer_norm(x) scale(g)` (no scale or bias yet)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: MulOp, rewriter: PatternRewriter) -> None:
        _affine(op, rewriter, scale=True)


class FoldBiasIntoLayerNorm(RewritePattern):
    """`layer_norm(x) + b` is `layer_norm(x) bias(b)` (no bias yet)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AddOp, rewriter: PatternRewriter) -> None:
        _affine(op, rewriter, scale=False)


class EraseNeutralLayerNormAffine(RewritePattern):
    """A layer_norm's constant all-ones scale and all-zeros bias are dropped."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: LayerNormOp, rewriter: PatternRewriter) -> None:
        scale, bias = op.scale, op.bias
        drop_scale = scale is not None and _splat(scale) == 1.0
        drop_bias = bias is not None and _splat(bias) == 0.0
        if not drop_scale and not drop_bias:
            return
        rewriter.replace(
            op,
            LayerNormOp(
                op.input,
                None if drop_scale else scale,
                None if drop_bias else bias,
                axis=None if op.axis is None else _axis(op),
                epsilon=_epsilon(op),
            ),
        )


__all__ = [
    "EraseNeutralLayerNormAffine",
    "FoldBiasIntoLayerNorm",
    "FoldBiasIntoLinear",
    "FoldScaleIntoLayerNorm",
    "RecognizeGelu",
    "RecognizeLayerNorm",
    "RecognizeLayerNormRsqrt",
    "RewriteMatmulAsLinear",
]
