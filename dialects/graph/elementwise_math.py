"""
Elementwise math graph ops beyond `elementwise.py`: the trigonometric and
hyperbolic functions and their inverses, rounding (`floor`, `ceil`, `round`
half to even, `trunc`) and the float remainder `mod`.

The unary ops are float-only `UnaryOp`s (`graph.sin %x : tensor<2x3xf32>`),
their references numpy's ufuncs (NaN outside the domain, as in C);
`mod` is a broadcasting `BinaryOp` over floats with a `fmod` property.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import BoolAttr
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, opt_prop_def

from mlc.dialects.graph.base import (
    Array,
    Elem,
    GraphOp,
    Properties,
    Value,
    bool_attr,
    get_bool,
    required,
)
from mlc.dialects.graph.elementwise import BinaryOp, UnaryOp


class FloatUnaryOp(UnaryOp):
    """A float-only unary op whose reference is a numpy ufunc (no warnings)."""

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = required(operands)
        with np.errstate(all="ignore"):
            return np.asarray(cls.FN(x), dtype=x.dtype)


@irdl_op_definition
class SinOp(FloatUnaryOp):
    """
    Sine elementwise (radians).

    ```mlir
    %y = graph.sin %x : tensor<2x3xf32>
    ```
    """

    name = "graph.sin"
    FN = staticmethod(np.sin)


@irdl_op_definition
class CosOp(FloatUnaryOp):
    """
    Cosine elementwise (radians).

    ```mlir
    %y = graph.cos %x : tensor<2x3xf32>
    ```
    """

    name = "graph.cos"
    FN = staticmethod(np.cos)


@irdl_op_definition
class TanOp(FloatUnaryOp):
    """
    Tangent elementwise (radians).

    ```mlir
    %y = graph.tan %x : tensor<2x3xf64>
    ```
    """

    name = "graph.tan"
    FN = staticmethod(np.tan)


@irdl_op_definition
class AsinOp(FloatUnaryOp):
    """
    Arcsine elementwise: in `[-pi/2, pi/2]`, NaN outside `[-1, 1]`.

    ```mlir
    %y = graph.asin %x : tensor<2x3xf32>
    ```
    """

    name = "graph.asin"
    FN = staticmethod(np.arcsin)


@irdl_op_definition
class AcosOp(FloatUnaryOp):
    """
    Arccosine elementwise: in `[0, pi]`, NaN outside `[-1, 1]`.

    ```mlir
    %y = graph.acos %x : tensor<2x3xf32>
    ```
    """

    name = "graph.acos"
    FN = staticmethod(np.arccos)


@irdl_op_definition
class AtanOp(FloatUnaryOp):
    """
    Arctangent elementwise: in `(-pi/2, pi/2)`.

    ```mlir
    %y = graph.atan %x : tensor<2x3xf32>
    ```
    """

    name = "graph.atan"
    FN = staticmethod(np.arctan)


@irdl_op_definition
class SinhOp(FloatUnaryOp):
    """
    Hyperbolic sine elementwise.

    ```mlir
    %y = graph.sinh %x : tensor<2x3xf32>
    ```
    """

    name = "graph.sinh"
    FN = staticmethod(np.sinh)


@irdl_op_definition
class CoshOp(FloatUnaryOp):
    """
    Hyperbolic cosine elementwise.

    ```mlir
    %y = graph.cosh %x : tensor<2x3xf32>
    ```
    """

    name = "graph.cosh"
    FN = staticmethod(np.cosh)


@irdl_op_definition
class AsinhOp(FloatUnaryOp):
    """
    Inverse hyperbolic sine elementwise.

    ```mlir
    %y = graph.asinh %x : tensor<2x3xf32>
    ```
    """

    name = "graph.asinh"
    FN = staticmethod(np.arcsinh)


@irdl_op_definition
class AcoshOp(FloatUnaryOp):
    """
    Inverse hyperbolic cosine elementwise: NaN below 1.

    ```mlir
    %y = graph.acosh %x : tensor<2x3xf32>
    ```
    """

    name = "graph.acosh"
    FN = staticmethod(np.arccosh)


@irdl_op_definition
class AtanhOp(FloatUnaryOp):
    """
    Inverse hyperbolic tangent elementwise: ±inf at ±1, NaN outside `[-1, 1]`.

    ```mlir
    %y = graph.atanh %x : tensor<2x3xf16>
    ```
    """

    name = "graph.atanh"
    FN = staticmethod(np.arctanh)


@irdl_op_definition
class FloorOp(FloatUnaryOp):
    """
    The largest integral value not above each element (kept as a float).

    ```mlir
    %y = graph.floor %x : tensor<2x3xf32>
    ```
    """

    name = "graph.floor"
    FN = staticmethod(np.floor)


@irdl_op_definition
class CeilOp(FloatUnaryOp):
    """
    The smallest integral value not below each element (kept as a float).

    ```mlir
    %y = graph.ceil %x : tensor<2x3xf32>
    ```
    """

    name = "graph.ceil"
    FN = staticmethod(np.ceil)


@irdl_op_definition
class RoundOp(FloatUnaryOp):
    """
    The nearest integral value, halves to the even one (ONNX `Round`, numpy,
    PyTorch): `round(2.5) = 2`, `round(-1.5) = -2`.

    ```mlir
    %y = graph.round %x : tensor<2x3xf32>
    ```
    """

    name = "graph.round"
    FN = staticmethod(np.rint)


@irdl_op_definition
class TruncOp(FloatUnaryOp):
    """
    Each element rounded toward zero (kept as a float).

    ```mlir
    %y = graph.trunc %x : tensor<2x3xf32>
    ```
    """

    name = "graph.trunc"
    FN = staticmethod(np.trunc)


def _fmod(a: Array, b: Array) -> Array:
    return np.fmod(a, b)


@irdl_op_definition
class ModOp(BinaryOp):
    """
    The float remainder with broadcasting: with `fmod = true` C's `fmod`
    (`lhs - trunc(lhs / rhs) * rhs`, exact, the sign of `lhs`); else (the
    default) the floored remainder of Python and numpy, which takes the sign of
    `rhs` (`fmod` plus `rhs` where the two signs differ). A zero `rhs` gives NaN.

    ```mlir
    %z = graph.mod %x, %y {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
    """  # noqa: E501

    name = "graph.mod"
    fmod = opt_prop_def(BoolAttr)
    ACCEPTS: ClassVar[Elem] = Elem.FLOAT
    FN = staticmethod(_fmod)

    def __init__(self, lhs: Value, rhs: Value, fmod: bool | None = None) -> None:
        props: dict[str, Attribute | None] = {
            "fmod": None if fmod is None else bool_attr(fmod)
        }
        self.init_inferred([lhs, rhs], props)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        a, b = required(operands)
        with np.errstate(all="ignore"):
            if get_bool(properties, "fmod", False):
                return np.asarray(np.fmod(a, b), dtype=a.dtype)
            return np.asarray(np.mod(a, b), dtype=a.dtype)


ELEMENTWISE_MATH_OPS: tuple[type[GraphOp], ...] = (
    SinOp,
    CosOp,
    TanOp,
    AsinOp,
    AcosOp,
    AtanOp,
    SinhOp,
    CoshOp,
    AsinhOp,
    AcoshOp,
    AtanhOp,
    FloorOp,
    CeilOp,
    RoundOp,
    TruncOp,
    ModOp,
)

__all__ = [
    "ELEMENTWISE_MATH_OPS",
    "AcosOp",
    "AcoshOp",
    "AsinOp",
    "AsinhOp",
    "AtanOp",
    "AtanhOp",
    "CeilOp",
    "CosOp",
    "CoshOp",
    "FloatUnaryOp",
    "FloorOp",
    "ModOp",
    "RoundOp",
    "SinOp",
    "SinhOp",
    "TanOp",
    "TruncOp",
]
