"""
Reduction graph ops: `reduce_sum`, `reduce_mean`, `reduce_max`, `reduce_prod`
(ONNX `Reduce*`-18).

`axes` lists the reduced dims (negative counts from the end); absent or empty
means every dim (ONNX `noop_with_empty_axes = 0`). `keepdims` (default true)
keeps each reduced dim as size 1. Integers reduce in their own element type
(wrapping), floats in f32 or wider.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import prod
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import BoolAttr, DenseArrayBase, TensorType, i64
from xdsl.ir import Attribute
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
    traits_def,
)

from mlc.dialects.graph.base import (
    Array,
    Elem,
    Fusion,
    FusionKind,
    GraphOp,
    Properties,
    Tensor,
    Value,
    bool_attr,
    expect_tensor,
    get_bool,
    get_ints,
    ints_attr,
    normalize_axes,
    normalize_axis,
)

ReduceFn = Callable[[Array, tuple[int, ...]], Array]
"""Reduce an array over the given axes, keeping them as size 1."""


class ReduceOp(GraphOp):
    """A reduction over `axes`; subclasses set `ACCEPTS` and `FN`."""

    input = operand_def(TensorType)
    result = result_def(TensorType)
    axes = opt_prop_def(DenseArrayBase.constr(i64))
    keepdims = opt_prop_def(BoolAttr)
    traits = traits_def(Fusion(FusionKind.REDUCTION))
    assembly_format = "$input attr-dict `:` functional-type(operands, results)"

    ACCEPTS: ClassVar[Elem] = Elem.NUMERIC
    FN: ClassVar[ReduceFn]

    def __init__(
        self,
        input: Value,
        axes: Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> None:
        self.init_inferred(
            [input],
            {
                "axes": None if axes is None else ints_attr(axes),
                "keepdims": None if keepdims is None else bool_attr(keepdims),
            },
        )

    @classmethod
    def reduced_axes(cls, properties: Properties, rank: int) -> tuple[int, ...]:
        """The reduced dims, non-negative and sorted (all dims when `axes` is empty)."""
        axes = get_ints(properties, "axes") or ()
        if not axes:
            return tuple(range(rank))
        for axis in axes:
            normalize_axis(cls.name, axis, rank)
        return tuple(sorted(normalize_axes(cls.name, axes, rank)))

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0], cls.ACCEPTS)
        shape = x.get_shape()
        axes = cls.reduced_axes(properties, len(shape))
        keepdims = get_bool(properties, "keepdims", True)
        out = [
            1 if i in axes else d
            for i, d in enumerate(shape)
            if keepdims or i not in axes
        ]
        return TensorType(x.element_type, out)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = operands
        assert x is not None
        axes = cls.reduced_axes(properties, x.ndim)
        out = cls.FN(x, axes).astype(x.dtype)
        if not get_bool(properties, "keepdims", True):
            out = out.reshape([d for i, d in enumerate(out.shape) if i not in axes])
        return out


def _accumulator(dtype: np.dtype[np.generic]) -> np.dtype[np.generic]:
    """Integers accumulate in their own type; f16 in f32."""
    return np.promote_types(dtype, np.float32) if dtype.kind == "f" else dtype


def _sum(x: Array, axes: tuple[int, ...]) -> Array:
    return np.asarray(np.sum(x, axis=axes, dtype=_accumulator(x.dtype), keepdims=True))


def _mean(x: Array, axes: tuple[int, ...]) -> Array:
    total = _sum(x, axes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(total / prod(x.shape[a] for a in axes), dtype=total.dtype)


def _prod(x: Array, axes: tuple[int, ...]) -> Array:
    return np.asarray(np.prod(x, axis=axes, dtype=_accumulator(x.dtype), keepdims=True))


def _max(x: Array, axes: tuple[int, ...]) -> Array:
    """The maximum; over no element it is -inf, or the integer type's minimum."""
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    return np.max(x, axis=axes, keepdims=True, initial=lowest)


@irdl_op_definition
class ReduceSumOp(ReduceOp):
    """
    The sum over `axes`.

    ```mlir
    %y = graph.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
    ```
    """  # noqa: E501

    name = "graph.reduce_sum"
    FN = staticmethod(_sum)


@irdl_op_definition
class ReduceMeanOp(ReduceOp):
    """
    The arithmetic mean over `axes` (floats only).

    ```mlir
    %y = graph.reduce_mean %x : (tensor<2x3xf32>) -> tensor<1x1xf32>
    ```
    """

    name = "graph.reduce_mean"
    ACCEPTS: ClassVar[Elem] = Elem.FLOAT
    FN = staticmethod(_mean)


@irdl_op_definition
class ReduceMaxOp(ReduceOp):
    """
    The maximum over `axes` (NaN propagates; over no element, the lowest value).

    ```mlir
    %y = graph.reduce_max %x {axes = array<i64: -1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
    ```
    """  # noqa: E501

    name = "graph.reduce_max"
    FN = staticmethod(_max)


@irdl_op_definition
class ReduceProdOp(ReduceOp):
    """
    The product over `axes` (over no element, 1).

    ```mlir
    %y = graph.reduce_prod %x {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
    ```
    """  # noqa: E501

    name = "graph.reduce_prod"
    FN = staticmethod(_prod)


REDUCTION_OPS: tuple[type[GraphOp], ...] = (
    ReduceSumOp,
    ReduceMeanOp,
    ReduceMaxOp,
    ReduceProdOp,
)

__all__ = [
    "REDUCTION_OPS",
    "ReduceMaxOp",
    "ReduceMeanOp",
    "ReduceOp",
    "ReduceProdOp",
    "ReduceSumOp",
]
