"""
Elementwise graph ops: unary math, binary arithmetic with numpy broadcasting,
`where`, `clip` and `cast`.

Unary ops keep their operand's type and print as `graph.relu %x : tensor<2x3xf32>`;
binary ops broadcast (ONNX multidirectional broadcasting, which is numpy's) and
print their operand and result types with `functional-type`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np
from xdsl.dialects.builtin import FloatAttr, IntegerAttr, StringAttr, TensorType
from xdsl.interfaces import HasCanonicalizationPatternsInterface
from xdsl.ir import Attribute
from xdsl.irdl import (
    VarConstraint,
    base,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
    traits_def,
)
from xdsl.pattern_rewriter import RewritePattern
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import (
    Array,
    Elem,
    Fusion,
    FusionKind,
    GraphOp,
    Properties,
    Tensor,
    Value,
    broadcast_shapes,
    element_kind,
    expect_same_element_type,
    expect_tensor,
    fail,
    get_scalar,
    get_str,
    required,
    to_numpy_dtype,
)

# numpy's ufunc stubs take scalars in their first overload, so a ufunc is not a
# `Callable[[Array], Array]` to pyright; the families call FN on arrays only.
UnaryFn = Callable[..., Any]
BinaryFn = Callable[..., Any]

# --------------------------------------------------------------------------- #
# Unary
# --------------------------------------------------------------------------- #


class UnaryOp(GraphOp):
    """A same-type unary elementwise op; subclasses set `ACCEPTS` and `fn`."""

    T: ClassVar = VarConstraint("T", base(TensorType))
    input = operand_def(T)
    result = result_def(T)

    traits = traits_def(Fusion(FusionKind.ELEMENTWISE))
    assembly_format = "$input attr-dict `:` type($result)"

    ACCEPTS: ClassVar[Elem] = Elem.FLOAT
    FN: ClassVar[UnaryFn]

    def __init__(self, input: Value) -> None:
        self.init_inferred([input], {})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        return expect_tensor(cls.name, "input", operand_types[0], cls.ACCEPTS)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = required(operands)
        return np.asarray(cls.FN(x), dtype=x.dtype)


def _relu(x: Array) -> Array:
    return np.maximum(x, np.zeros((), x.dtype))


def _sigmoid(x: Array) -> Array:
    return 1 / (1 + np.exp(-x))


def _rsqrt(x: Array) -> Array:
    return 1 / np.sqrt(x)


def _erf(x: Array) -> Array:
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x.copy()


@irdl_op_definition
class ReluOp(UnaryOp):
    """
    `max(x, 0)` elementwise.

    ```mlir
    %y = graph.relu %x : tensor<2x3xf32>
    ```
    """

    name = "graph.relu"
    ACCEPTS: ClassVar[Elem] = Elem.NUMERIC
    FN = staticmethod(_relu)


@irdl_op_definition
class SigmoidOp(UnaryOp):
    """
    `1 / (1 + exp(-x))` elementwise.

    ```mlir
    %y = graph.sigmoid %x : tensor<2x3xf32>
    ```
    """

    name = "graph.sigmoid"
    FN = staticmethod(_sigmoid)


@irdl_op_definition
class TanhOp(UnaryOp):
    """
    Hyperbolic tangent elementwise.

    ```mlir
    %y = graph.tanh %x : tensor<2x3xf32>
    ```
    """

    name = "graph.tanh"
    FN = staticmethod(np.tanh)


@irdl_op_definition
class ExpOp(UnaryOp):
    """
    `e**x` elementwise.

    ```mlir
    %y = graph.exp %x : tensor<2x3xf32>
    ```
    """

    name = "graph.exp"
    FN = staticmethod(np.exp)


@irdl_op_definition
class LogOp(UnaryOp):
    """
    Natural logarithm elementwise.

    ```mlir
    %y = graph.log %x : tensor<2x3xf32>
    ```
    """

    name = "graph.log"
    FN = staticmethod(np.log)


@irdl_op_definition
class SqrtOp(UnaryOp):
    """
    Square root elementwise.

    ```mlir
    %y = graph.sqrt %x : tensor<2x3xf32>
    ```
    """

    name = "graph.sqrt"
    FN = staticmethod(np.sqrt)


@irdl_op_definition
class RsqrtOp(UnaryOp):
    """
    `1 / sqrt(x)` elementwise.

    ```mlir
    %y = graph.rsqrt %x : tensor<2x3xf32>
    ```
    """

    name = "graph.rsqrt"
    FN = staticmethod(_rsqrt)


@irdl_op_definition
class NegOp(UnaryOp):
    """
    `-x` elementwise (floats and signed integers).

    ```mlir
    %y = graph.neg %x : tensor<2x3xf32>
    ```
    """

    name = "graph.neg"
    ACCEPTS: ClassVar[Elem] = Elem.FLOAT | Elem.SINT
    FN = staticmethod(np.negative)


@irdl_op_definition
class AbsOp(UnaryOp):
    """
    `|x|` elementwise.

    ```mlir
    %y = graph.abs %x : tensor<2x3xi32>
    ```
    """

    name = "graph.abs"
    ACCEPTS: ClassVar[Elem] = Elem.NUMERIC
    FN = staticmethod(np.abs)


@irdl_op_definition
class ErfOp(UnaryOp):
    """
    The Gauss error function elementwise.

    ```mlir
    %y = graph.erf %x : tensor<2x3xf32>
    ```
    """

    name = "graph.erf"
    FN = staticmethod(_erf)


@irdl_op_definition
class GeluOp(UnaryOp):
    """
    GELU elementwise: `x * Φ(x)` (`approximate = "none"`, the erf form) or its
    tanh approximation (`approximate = "tanh"`), as in PyTorch and ONNX.

    ```mlir
    %y = graph.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
    ```
    """

    name = "graph.gelu"
    approximate = opt_prop_def(StringAttr)

    def __init__(self, input: Value, approximate: str | None = None) -> None:
        self.init_inferred(
            [input],
            {"approximate": None if approximate is None else StringAttr(approximate)},
        )

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        mode = get_str(properties, "approximate", "none")
        if mode not in ("none", "tanh"):
            raise fail(cls.name, f'approximate must be "none" or "tanh", got "{mode}"')
        return super().infer_result_type(operand_types, properties)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = required(operands)
        if get_str(properties, "approximate", "none") == "tanh":
            inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
            return np.asarray(0.5 * x * (1 + np.tanh(inner)), dtype=x.dtype)
        return np.asarray(0.5 * x * (1 + _erf(x / math.sqrt(2))), dtype=x.dtype)


@irdl_op_definition
class ClipOp(UnaryOp):
    """
    Clamp each element into `[min, max]`; either bound may be absent.

    ```mlir
    %y = graph.clip %x {max = 6.0 : f32, min = 0.0 : f32} : tensor<2x3xf32>
    ```
    """

    name = "graph.clip"
    ACCEPTS: ClassVar[Elem] = Elem.NUMERIC
    min = opt_prop_def(FloatAttr | IntegerAttr)
    max = opt_prop_def(FloatAttr | IntegerAttr)

    def __init__(
        self, input: Value, min: Attribute | None = None, max: Attribute | None = None
    ) -> None:
        self.init_inferred([input], {"min": min, "max": max})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = super().infer_result_type(operand_types, properties)
        for bound in ("min", "max"):
            attr = properties.get(bound)
            if attr is not None and getattr(attr, "type", None) != x.element_type:
                raise fail(
                    cls.name,
                    f"expects {bound} of the element type {x.element_type}, got {attr}",
                )
        return x

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = required(operands)
        lo, hi = get_scalar(properties, "min"), get_scalar(properties, "max")
        out = x
        if lo is not None:
            out = np.maximum(out, np.asarray(lo, x.dtype))
        if hi is not None:
            out = np.minimum(out, np.asarray(hi, x.dtype))
        return out


class RetypeOp(GraphOp):
    """
    An elementwise op whose result has another element type, given by the
    result type (`to` in inference); subclasses define `infer_result_type`.
    """

    input = operand_def(TensorType)
    result = result_def(TensorType)
    traits = traits_def(Fusion(FusionKind.ELEMENTWISE))
    assembly_format = "$input attr-dict `:` type($input) `to` type($result)"

    TARGET: ClassVar[str] = "to"
    """The key under which inference sees the target element type."""

    def __init__(self, input: Value, to: Attribute) -> None:
        self._target = to
        self.init_inferred([input], {})

    def _inference_view(self, properties: Properties) -> Properties:
        return {**properties, self.TARGET: self._target}

    def inference_properties(self) -> Properties:
        result_type = self.result.type
        assert isa(result_type, TensorType[Attribute])
        return {**self.properties, self.TARGET: result_type.element_type}


@irdl_op_definition
class CastOp(RetypeOp):
    """
    Convert each element to the result's element type (numpy `astype`; floats
    to integers truncate toward zero; to `i1` means `!= 0`).

    ```mlir
    %y = graph.cast %x : tensor<2x3xf32> to tensor<2x3xi64>
    ```
    """

    name = "graph.cast"

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0])
        to = properties[cls.TARGET]
        if element_kind(to) is None:
            raise fail(cls.name, f"does not support the target element type {to}")
        return TensorType(to, x.get_shape())

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = required(operands)
        dtype = to_numpy_dtype(properties[cls.TARGET])
        if dtype == np.bool_:
            return x != 0
        with np.errstate(invalid="ignore"):
            return x.astype(dtype)


# --------------------------------------------------------------------------- #
# Binary, with numpy broadcasting
# --------------------------------------------------------------------------- #


class BinaryOp(GraphOp):
    """A binary elementwise op with numpy broadcasting over one element type."""

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    result = result_def(TensorType)

    traits = traits_def(Fusion(FusionKind.BROADCAST))
    assembly_format = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    ACCEPTS: ClassVar[Elem] = Elem.NUMERIC
    FN: ClassVar[BinaryFn]

    def __init__(self, lhs: Value, rhs: Value) -> None:
        self.init_inferred([lhs, rhs], {})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        a = expect_tensor(cls.name, "lhs", operand_types[0], cls.ACCEPTS)
        b = expect_tensor(cls.name, "rhs", operand_types[1], cls.ACCEPTS)
        expect_same_element_type(cls.name, [("lhs", a), ("rhs", b)])
        shape = broadcast_shapes(cls.name, a.get_shape(), b.get_shape())
        return TensorType(a.element_type, shape)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        a, b = required(operands)
        with np.errstate(all="ignore"):
            return np.asarray(cls.FN(a, b), dtype=a.dtype)


def _divide(a: Array, b: Array) -> Array:
    """True division for floats; integer division truncates toward zero (ONNX, C)."""
    if a.dtype.kind == "f":
        return a / b
    safe = np.where(b == 0, 1, b).astype(a.dtype)
    quotient = np.abs(a.astype(np.int64) if a.dtype.kind == "i" else a) // np.abs(
        safe.astype(np.int64) if a.dtype.kind == "i" else safe
    )
    negative = (a < 0) != (safe < 0)
    return np.where(negative, -quotient, quotient).astype(a.dtype)


def _power(a: Array, b: Array) -> Array:
    if a.dtype.kind == "f":
        return np.power(a, b)
    # numpy refuses negative integer exponents; ONNX defines them through floats.
    return np.power(a.astype(np.float64), b.astype(np.float64)).astype(a.dtype)


@irdl_op_definition
class AddOp(BinaryOp, HasCanonicalizationPatternsInterface):
    """
    `lhs + rhs` with broadcasting.

    ```mlir
    %z = graph.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
    """

    name = "graph.add"
    FN = staticmethod(np.add)

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from mlc.dialects.graph.canonicalization import EraseAddOfZero
        from mlc.dialects.graph.composites import (
            FoldBiasIntoLayerNorm,
            FoldBiasIntoLinear,
        )

        return (EraseAddOfZero(), FoldBiasIntoLinear(), FoldBiasIntoLayerNorm())


@irdl_op_definition
class SubOp(BinaryOp):
    """
    `lhs - rhs` with broadcasting.

    ```mlir
    %z = graph.sub %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
    """

    name = "graph.sub"
    FN = staticmethod(np.subtract)


@irdl_op_definition
class MulOp(BinaryOp, HasCanonicalizationPatternsInterface):
    """
    `lhs * rhs` with broadcasting.

    ```mlir
    %z = graph.mul %x, %y : (tensor<2x3xi64>, tensor<1x3xi64>) -> tensor<2x3xi64>
    ```
    """

    name = "graph.mul"
    FN = staticmethod(np.multiply)

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from mlc.dialects.graph.canonicalization import EraseMulByOne
        from mlc.dialects.graph.composites import (
            FoldScaleIntoLayerNorm,
            RecognizeGelu,
            RecognizeLayerNormRsqrt,
        )

        return (
            EraseMulByOne(),
            RecognizeGelu(),
            RecognizeLayerNormRsqrt(),
            FoldScaleIntoLayerNorm(),
        )


@irdl_op_definition
class DivOp(BinaryOp, HasCanonicalizationPatternsInterface):
    """
    `lhs / rhs` with broadcasting; integer division truncates toward zero.

    ```mlir
    %z = graph.div %x, %y : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
    """

    name = "graph.div"
    FN = staticmethod(_divide)

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from mlc.dialects.graph.composites import RecognizeLayerNorm

        return (RecognizeLayerNorm(),)


@irdl_op_definition
class MaxOp(BinaryOp):
    """
    Elementwise maximum with broadcasting (NaN propagates).

    ```mlir
    %z = graph.max %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
    """

    name = "graph.max"
    FN = staticmethod(np.maximum)


@irdl_op_definition
class MinOp(BinaryOp):
    """
    Elementwise minimum with broadcasting (NaN propagates).

    ```mlir
    %z = graph.min %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
    """

    name = "graph.min"
    FN = staticmethod(np.minimum)


@irdl_op_definition
class PowOp(BinaryOp):
    """
    `lhs ** rhs` with broadcasting.

    ```mlir
    %z = graph.pow %x, %y : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
    """

    name = "graph.pow"
    FN = staticmethod(_power)


# --------------------------------------------------------------------------- #
# where
# --------------------------------------------------------------------------- #


@irdl_op_definition
class WhereOp(GraphOp):
    """
    Select `lhs` where `condition` holds and `rhs` elsewhere, all three broadcast.

    ```mlir
    %z = graph.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>)
        -> tensor<2x3xf32>
    ```
    """

    name = "graph.where"
    condition = operand_def(TensorType)
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    result = result_def(TensorType)
    traits = traits_def(Fusion(FusionKind.BROADCAST))
    assembly_format = (
        "$condition `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)"
    )

    def __init__(self, condition: Value, lhs: Value, rhs: Value) -> None:
        self.init_inferred([condition, lhs, rhs], {})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        c = expect_tensor(cls.name, "condition", operand_types[0], Elem.BOOL)
        a = expect_tensor(cls.name, "lhs", operand_types[1])
        b = expect_tensor(cls.name, "rhs", operand_types[2])
        expect_same_element_type(cls.name, [("lhs", a), ("rhs", b)])
        shape = broadcast_shapes(cls.name, c.get_shape(), a.get_shape(), b.get_shape())
        return TensorType(a.element_type, shape)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        c, a, b = required(operands)
        return np.where(c, a, b)


ELEMENTWISE_OPS: tuple[type[GraphOp], ...] = (
    ReluOp,
    GeluOp,
    SigmoidOp,
    TanhOp,
    ExpOp,
    LogOp,
    SqrtOp,
    RsqrtOp,
    NegOp,
    AbsOp,
    ErfOp,
    ClipOp,
    CastOp,
    AddOp,
    SubOp,
    MulOp,
    DivOp,
    MaxOp,
    MinOp,
    PowOp,
    WhereOp,
)
