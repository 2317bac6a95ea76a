"""PyTorch builders: elementwise aten ops, and activations composed from graph ops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, cast

import numpy as np
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IntegerAttr,
    IntegerType,
)
from xdsl.ir import Attribute, Operation, SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import from_numpy_dtype, is_float_dtype
from mlc.frontend.common import value_rank, value_shape
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

UnaryOpClass: TypeAlias = Callable[[SSAValue], Operation]
BinaryOpClass: TypeAlias = Callable[[SSAValue, SSAValue], Operation]


def _unary(op: UnaryOpClass, operand: str = "self") -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        return im.add(op(as_tensor(im, a[operand], out.dtype)))

    return build


def _binary(op: BinaryOpClass, reverse: bool = False) -> Builder:
    """`self op other` (with `alpha` scaling `other`), or `other op self`."""

    def build(im: Importer, a: Args, out: Meta) -> Result:
        lhs = as_tensor(im, a["self"], out.dtype)
        rhs = as_tensor(im, a["other"], out.dtype)
        rhs = scaled(im, rhs, a.get("alpha", 1), out.dtype)
        return im.add(op(rhs, lhs) if reverse else op(lhs, rhs))

    return build


def _identity(im: Importer, a: Args, out: Meta) -> Result:
    return cast(SSAValue, a["self"])


def _dropout(im: Importer, a: Args, out: Meta) -> Result:
    if a.get("train") and a.get("p"):
        raise im.fail("dropout in training mode; import the module in eval mode")
    return cast(SSAValue, a["input"])


def _to_copy(im: Importer, a: Args, out: Meta) -> Result:
    return im.cast(cast(SSAValue, a["self"]), out.dtype)


def _gelu(im: Importer, a: Args, out: Meta) -> Result:
    mode = cast(str, a["approximate"])
    return im.add(graph.GeluOp(a["self"], None if mode == "none" else mode))


def _silu(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.MulOp(x, im.add(graph.SigmoidOp(x))))


def _bound(value: object, dtype: np.dtype[Any]) -> Attribute | None:
    """A clip bound as an attribute of `dtype` (None: unbounded)."""
    if value is None:
        return None
    element = from_numpy_dtype(dtype)
    if is_float_dtype(dtype):
        return FloatAttr(float(cast(float, value)), cast(AnyFloat, element))
    return IntegerAttr(int(cast(float, value)), cast(IntegerType, element))


def _clip(low: str, high: str) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = as_tensor(im, a["self"], out.dtype)
        if isinstance(a.get(low), SSAValue) or isinstance(a.get(high), SSAValue):
            raise im.fail("clamp bounds must be numbers, not tensors")
        return im.add(
            graph.ClipOp(
                x, _bound(a.get(low), out.dtype), _bound(a.get(high), out.dtype)
            )
        )

    return build


def _relu6(im: Importer, a: Args, out: Meta) -> Result:
    return im.add(
        graph.ClipOp(a["self"], _bound(0.0, out.dtype), _bound(6.0, out.dtype))
    )


def _leaky_relu(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    zero = im.constant(0.0, out.dtype)
    positive = im.add(graph.MaxOp(x, zero))
    negative = im.add(graph.MinOp(x, zero))
    slope = im.constant(cast(float, a["negative_slope"]), out.dtype)
    return im.add(graph.AddOp(positive, im.add(graph.MulOp(negative, slope))))


def _where(im: Importer, a: Args, out: Meta) -> Result:
    condition = as_tensor(im, a["condition"], np.dtype(np.bool_))
    lhs = as_tensor(im, a["self"], out.dtype)
    rhs = as_tensor(im, a["other"], out.dtype)
    return im.add(graph.WhereOp(condition, lhs, rhs))


def _softmax(op: Callable[[SSAValue, int], Operation]) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        return im.add(op(as_tensor(im, a["self"], out.dtype), cast(int, a["dim"])))

    return build


def _split_sign(
    im: Importer, x: SSAValue, dtype: np.dtype[Any]
) -> tuple[SSAValue, SSAValue]:
    """(max(x, 0), min(x, 0))."""
    zero = im.constant(0.0, dtype)
    return im.add(graph.MaxOp(x, zero)), im.add(graph.MinOp(x, zero))


def _exp_minus_one(im: Importer, x: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    return im.add(graph.SubOp(im.add(graph.ExpOp(x)), im.constant(1.0, dtype)))


def _log_one_plus(im: Importer, x: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    return im.add(graph.LogOp(im.add(graph.AddOp(im.constant(1.0, dtype), x))))


def _expm1(im: Importer, a: Args, out: Meta) -> Result:
    return _exp_minus_one(im, as_tensor(im, a["self"], out.dtype), out.dtype)


def _log1p(im: Importer, a: Args, out: Meta) -> Result:
    return _log_one_plus(im, as_tensor(im, a["self"], out.dtype), out.dtype)


def _reciprocal(im: Importer, a: Args, out: Meta) -> Result:
    one = im.constant(1.0, out.dtype)
    return im.add(graph.DivOp(one, as_tensor(im, a["self"], out.dtype)))


def _elu(im: Importer, a: Args, out: Meta) -> Result:
    """scale * (max(x, 0) + alpha * (exp(min(x, 0) * input_scale) - 1))."""
    positive, negative = _split_sign(im, cast(SSAValue, a["self"]), out.dtype)
    negative = scaled(im, negative, a.get("input_scale", 1.0), out.dtype)
    tail = _exp_minus_one(im, negative, out.dtype)
    tail = scaled(im, tail, a.get("alpha", 1.0), out.dtype)
    total = im.add(graph.AddOp(positive, tail))
    return scaled(im, total, a.get("scale", 1.0), out.dtype)


def _selu(im: Importer, a: Args, out: Meta) -> Result:
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return _elu(im, {"self": a["self"], "alpha": alpha, "scale": scale}, out)


def _celu(im: Importer, a: Args, out: Meta) -> Result:
    alpha = cast(float, a["alpha"])
    return _elu(im, {"self": a["self"], "alpha": alpha, "input_scale": 1 / alpha}, out)


def _softplus_of(im: Importer, x: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    """log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)), which cannot overflow."""
    positive, negative = _split_sign(im, x, dtype)
    minus_abs = im.add(graph.SubOp(negative, positive))
    tail = _log_one_plus(im, im.add(graph.ExpOp(minus_abs)), dtype)
    return im.add(graph.AddOp(positive, tail))


def _softplus(im: Importer, a: Args, out: Meta) -> Result:
    """
    softplus(beta x) / beta; PyTorch's linear region above `threshold` agrees
    with it to within rounding.
    """
    beta = cast(float, a["beta"])
    x = scaled(im, cast(SSAValue, a["self"]), beta, out.dtype)
    return scaled(im, _softplus_of(im, x, out.dtype), 1 / beta, out.dtype)


def _mish(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.MulOp(x, im.add(graph.TanhOp(_softplus_of(im, x, out.dtype)))))


def _log_sigmoid(im: Importer, a: Args, out: Meta) -> Result:
    """min(x, 0) - log(1 + exp(-|x|))."""
    x = cast(SSAValue, a["self"])
    positive, negative = _split_sign(im, x, out.dtype)
    minus_abs = im.add(graph.SubOp(negative, positive))
    tail = _log_one_plus(im, im.add(graph.ExpOp(minus_abs)), out.dtype)
    return im.add(graph.SubOp(negative, tail))


def _prelu(im: Importer, a: Args, out: Meta) -> Result:
    """max(x, 0) + weight * min(x, 0), the weight per channel (dim 1)."""
    x, weight = cast(SSAValue, a["self"]), cast(SSAValue, a["weight"])
    positive, negative = _split_sign(im, x, out.dtype)
    if value_shape(weight) != (1,):
        weight = per_channel(im, weight, value_rank(x))
    return im.add(graph.AddOp(positive, im.add(graph.MulOp(negative, weight))))


def _clamp_tensor(im: Importer, a: Args, out: Meta) -> Result:
    y = as_tensor(im, a["self"], out.dtype)
    if a["min"] is not None:
        y = im.add(graph.MaxOp(y, as_tensor(im, a["min"], out.dtype)))
    if a["max"] is not None:
        y = im.add(graph.MinOp(y, as_tensor(im, a["max"], out.dtype)))
    return y


OPS: dict[str, Builder] = {
    "aten.relu.default": _unary(graph.ReluOp),
    "aten.sigmoid.default": _unary(graph.SigmoidOp),
    "aten.tanh.default": _unary(graph.TanhOp),
    "aten.exp.default": _unary(graph.ExpOp),
    "aten.log.default": _unary(graph.LogOp),
    "aten.sqrt.default": _unary(graph.SqrtOp),
    "aten.rsqrt.default": _unary(graph.RsqrtOp),
    "aten.neg.default": _unary(graph.NegOp),
    "aten.abs.default": _unary(graph.AbsOp),
    "aten.erf.default": _unary(graph.ErfOp),
    "aten.gelu.default": _gelu,
    "aten.silu.default": _silu,
    "aten.clamp.default": _clip("min", "max"),
    "aten.hardtanh.default": _clip("min_val", "max_val"),
    "aten.relu6.default": _relu6,
    "aten.leaky_relu.default": _leaky_relu,
    "aten.add.Tensor": _binary(graph.AddOp),
    "aten.add.Scalar": _binary(graph.AddOp),
    "aten.sub.Tensor": _binary(graph.SubOp),
    "aten.sub.Scalar": _binary(graph.SubOp),
    "aten.rsub.Scalar": _binary(graph.SubOp, reverse=True),
    "aten.rsub.Tensor": _binary(graph.SubOp, reverse=True),
    "aten.mul.Tensor": _binary(graph.MulOp),
    "aten.mul.Scalar": _binary(graph.MulOp),
    "aten.div.Tensor": _binary(graph.DivOp),
    "aten.div.Scalar": _binary(graph.DivOp),
    "aten.maximum.default": _binary(graph.MaxOp),
    "aten.minimum.default": _binary(graph.MinOp),
    "aten.pow.Tensor_Scalar": lambda im, a, out: _binary(graph.PowOp)(
        im, {"self": a["self"], "other": a["exponent"]}, out
    ),
    "aten.pow.Tensor_Tensor": lambda im, a, out: _binary(graph.PowOp)(
        im, {"self": a["self"], "other": a["exponent"]}, out
    ),
    "aten.where.self": _where,
    "aten._to_copy.default": _to_copy,
    "aten.to.dtype": _to_copy,
    "aten.type_as.default": _to_copy,
    "aten.softmax.int": _softmax(graph.SoftmaxOp),
    "aten._softmax.default": _softmax(graph.SoftmaxOp),
    "aten.log_softmax.int": _softmax(graph.LogSoftmaxOp),
    "aten._log_softmax.default": _softmax(graph.LogSoftmaxOp),
    "aten.clone.default": _identity,
    "aten.contiguous.default": _identity,
    "aten.alias.default": _identity,
    "aten.detach.default": _identity,
    "aten.lift_fresh_copy.default": _identity,
    "aten.dropout.default": _dropout,
    "aten.native_dropout.default": first_of(2, _dropout),
    "aten.expm1.default": _expm1,
    "aten.log1p.default": _log1p,
    "aten.reciprocal.default": _reciprocal,
    "aten.elu.default": _elu,
    "aten.selu.default": _selu,
    "aten.celu.default": _celu,
    "aten.softplus.default": _softplus,
    "aten.mish.default": _mish,
    "aten.log_sigmoid.default": _log_sigmoid,
    "aten.prelu.default": _prelu,
    "aten._prelu_kernel.default": _prelu,
    "aten.clamp.Tensor": _clamp_tensor,
}
