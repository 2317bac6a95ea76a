"""
PyTorch builders: trigonometric and hyperbolic functions, rounding, `fmod`
and `remainder`, bitwise logic and shifts, and the product reductions
(`prod`, `cumprod`), each a graph op of `elementwise_math`, `bitwise` or
`reduction` or composed by `mlc.frontend.compose`.

Integer inputs of the float functions arrive converted to PyTorch's result
type (`torch.sin` of an `int32` tensor is `float32`); rounding an integer
tensor is the identity. Integer `fmod`/`remainder` are composed from
truncating division (exact); float ones are `graph.mod`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias, cast

from xdsl.ir import Operation, SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_rank
from mlc.frontend.torch.importer import Args, Builder, Importer, Meta, Result, as_tensor

Unary: TypeAlias = Callable[[SSAValue], Operation]
Binary: TypeAlias = Callable[[SSAValue, SSAValue], Operation]


def _unary(op: Unary, integers_unchanged: bool = False) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = as_tensor(im, a["self"], out.dtype)
        if integers_unchanged and out.dtype.kind in "biu":
            return x
        return im.add(op(x))

    return build


def _binary(op: Binary, other: str = "other") -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = as_tensor(im, a["self"], out.dtype)
        return im.add(op(x, as_tensor(im, a[other], out.dtype)))

    return build


def _round(im: Importer, a: Args, out: Meta) -> Result:
    """Halves to even; with `decimals`, of `x * 10^d` (`x / 10^-d`), scaled back."""
    x = as_tensor(im, a["self"], out.dtype)
    if out.dtype.kind in "biu":
        return x
    decimals = int(cast(int, a.get("decimals", 0)))
    if decimals == 0:
        return im.add(graph.RoundOp(x))
    factor = im.constant(10.0 ** abs(decimals), out.dtype)
    into, back = (
        (graph.MulOp, graph.DivOp) if decimals > 0 else (graph.DivOp, graph.MulOp)
    )
    rounded = im.add(graph.RoundOp(im.add(into(x, factor))))
    return im.add(back(rounded, factor))


def _mod(fmod: bool) -> Builder:
    """`torch.fmod` (the sign of the dividend) or `torch.remainder` (the divisor's)."""

    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = as_tensor(im, a["self"], out.dtype)
        y = as_tensor(im, a["other"], out.dtype)
        if out.dtype.kind == "f":
            return im.add(graph.ModOp(x, y, True if fmod else None))
        return compose.integer_mod(im, x, y, fmod)

    return build


def _prod(im: Importer, a: Args, out: Meta) -> Result:
    x = as_tensor(im, a["self"], out.dtype)
    rank = value_rank(x)
    dim = cast(int | None, a.get("dim"))
    axes = list(range(rank)) if dim is None or rank == 0 else [dim % rank]
    return im.add(graph.ReduceProdOp(x, axes, bool(a.get("keepdim", False))))


def _cumprod(im: Importer, a: Args, out: Meta) -> Result:
    x = as_tensor(im, a["self"], out.dtype)
    if value_rank(x) == 0:
        return x
    return compose.cumprod(im, x, cast(int, a["dim"]), False, False)


def _overloads(name: str, builder: Builder, kinds: Sequence[str]) -> dict[str, Builder]:
    return {f"aten.{name}.{kind}": builder for kind in kinds}


_BOTH = ("Tensor", "Scalar")

OPS: dict[str, Builder] = {
    "aten.sin.default": _unary(graph.SinOp),
    "aten.cos.default": _unary(graph.CosOp),
    "aten.tan.default": _unary(graph.TanOp),
    "aten.asin.default": _unary(graph.AsinOp),
    "aten.acos.default": _unary(graph.AcosOp),
    "aten.atan.default": _unary(graph.AtanOp),
    "aten.sinh.default": _unary(graph.SinhOp),
    "aten.cosh.default": _unary(graph.CoshOp),
    "aten.asinh.default": _unary(graph.AsinhOp),
    "aten.acosh.default": _unary(graph.AcoshOp),
    "aten.atanh.default": _unary(graph.AtanhOp),
    "aten.floor.default": _unary(graph.FloorOp, integers_unchanged=True),
    "aten.ceil.default": _unary(graph.CeilOp, integers_unchanged=True),
    "aten.trunc.default": _unary(graph.TruncOp, integers_unchanged=True),
    "aten.round.default": _round,
    "aten.round.decimals": _round,
    "aten.bitwise_not.default": _unary(graph.BitwiseNotOp),
    **_overloads("bitwise_and", _binary(graph.BitwiseAndOp), _BOTH),
    **_overloads("bitwise_or", _binary(graph.BitwiseOrOp), _BOTH),
    **_overloads("bitwise_xor", _binary(graph.BitwiseXorOp), _BOTH),
    **_overloads("__lshift__", _binary(graph.ShiftLeftOp), _BOTH),
    **_overloads("__rshift__", _binary(graph.ShiftRightOp), _BOTH),
    **_overloads(
        "bitwise_left_shift", _binary(graph.ShiftLeftOp), ("Tensor", "Tensor_Scalar")
    ),
    **_overloads(
        "bitwise_right_shift", _binary(graph.ShiftRightOp), ("Tensor", "Tensor_Scalar")
    ),
    **_overloads("fmod", _mod(fmod=True), _BOTH),
    **_overloads("remainder", _mod(fmod=False), _BOTH),
    "aten.prod.default": _prod,
    "aten.prod.dim_int": _prod,
    "aten.cumprod.default": _cumprod,
}
