"""
Bitwise graph ops: `bitwise_not`, `bitwise_and`/`or`/`xor` (integers and
bools, numpy broadcasting), `shift_left`/`shift_right` (integers) and
`bitcast` (the same bits read as another element type of the same width).

Shifts follow numpy and PyTorch on CPU: an amount at or above the bit width
(or a negative one, read as unsigned) shifts every bit out, giving 0, or for
a right shift of a negative signed value, -1; a right shift of a signed
type is arithmetic, of an unsigned type logical.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import TensorType, bf16
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition

from mlc.dialects.graph.base import (
    Array,
    Elem,
    GraphOp,
    Properties,
    Tensor,
    element_kind,
    expect_tensor,
    fail,
    required,
    to_numpy_dtype,
)
from mlc.dialects.graph.elementwise import BinaryOp, RetypeOp, UnaryOp

BITS = Elem.INT | Elem.BOOL
"""What the logical bitwise ops accept."""


@irdl_op_definition
class BitwiseNotOp(UnaryOp):
    """
    Every bit flipped (`~x`; logical not for `i1`).

    ```mlir
    %y = graph.bitwise_not %x : tensor<2x3xi32>
    ```
    """

    name = "graph.bitwise_not"
    ACCEPTS: ClassVar[Elem] = BITS
    FN = staticmethod(np.invert)


@irdl_op_definition
class BitwiseAndOp(BinaryOp):
    """
    `lhs & rhs` bit by bit, with broadcasting.

    ```mlir
    %z = graph.bitwise_and %x, %y : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
    ```
    """

    name = "graph.bitwise_and"
    ACCEPTS: ClassVar[Elem] = BITS
    FN = staticmethod(np.bitwise_and)


@irdl_op_definition
class BitwiseOrOp(BinaryOp):
    """
    `lhs | rhs` bit by bit, with broadcasting.

    ```mlir
    %z = graph.bitwise_or %x, %y : (tensor<2x3xi16>, tensor<2x3xi16>) -> tensor<2x3xi16>
    ```
    """

    name = "graph.bitwise_or"
    ACCEPTS: ClassVar[Elem] = BITS
    FN = staticmethod(np.bitwise_or)


@irdl_op_definition
class BitwiseXorOp(BinaryOp):
    """
    `lhs ^ rhs` bit by bit, with broadcasting.

    ```mlir
    %z = graph.bitwise_xor %x, %y : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi64>
    ```
    """

    name = "graph.bitwise_xor"
    ACCEPTS: ClassVar[Elem] = BITS
    FN = staticmethod(np.bitwise_xor)


def _amounts(b: Array, bits: int) -> tuple[Array, Array]:
    """(whether each amount shifts every bit out, the amount where it does not)."""
    unsigned = b.astype(np.dtype(f"uint{b.dtype.itemsize * 8}"))
    out = unsigned >= bits
    return out, np.where(out, 0, unsigned).astype(b.dtype)


def _shift_left(a: Array, b: Array) -> Array:
    out, amount = _amounts(b, a.dtype.itemsize * 8)
    shifted = np.left_shift(a, amount.astype(a.dtype))
    return np.where(out, np.zeros((), a.dtype), shifted)


def _shift_right(a: Array, b: Array) -> Array:
    bits = a.dtype.itemsize * 8
    out, amount = _amounts(b, bits)
    if a.dtype.kind == "i":  # arithmetic: the sign fills in, at most bits - 1
        amount = np.where(out, bits - 1, amount)
        return np.right_shift(a, amount.astype(a.dtype))
    shifted = np.right_shift(a, amount.astype(a.dtype))
    return np.where(out, np.zeros((), a.dtype), shifted)


@irdl_op_definition
class ShiftLeftOp(BinaryOp):
    """
    `lhs << rhs` with broadcasting; an amount of the bit width or more gives 0.

    ```mlir
    %z = graph.shift_left %x, %y : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
    ```
    """

    name = "graph.shift_left"
    ACCEPTS: ClassVar[Elem] = Elem.INT
    FN = staticmethod(_shift_left)


@irdl_op_definition
class ShiftRightOp(BinaryOp):
    """
    `lhs >> rhs` with broadcasting: logical for unsigned, arithmetic for signed
    types; an amount of the bit width or more shifts every bit out.

    ```mlir
    %z = graph.shift_right %x, %y : (tensor<2x3xui32>, tensor<ui32>) -> tensor<2x3xui32>
    ```
    """

    name = "graph.shift_right"
    ACCEPTS: ClassVar[Elem] = Elem.INT
    FN = staticmethod(_shift_right)


def bit_width(element_type: Attribute) -> int:
    """The width in bits of a graph element type as stored (`i1`: a byte)."""
    return to_numpy_dtype(element_type).itemsize * 8


@irdl_op_definition
class BitcastOp(RetypeOp):
    """
    The bits of each element read as the result's element type, of the same
    width (ONNX `BitCast`, numpy `view`); `i1` is a byte of 0 or 1, and a
    byte read as `i1` is true when nonzero.

    ```mlir
    %y = graph.bitcast %x : tensor<2x3xf32> to tensor<2x3xi32>
    ```
    """

    name = "graph.bitcast"

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0])
        to = properties[cls.TARGET]
        # bf16 is computed in f32 (`widen-bf16`), which would change the width.
        for element in (to, x.element_type):
            if element_kind(element) is None or element == bf16:
                raise fail(cls.name, f"does not support the element type {element}")
        if bit_width(to) != bit_width(x.element_type):
            raise fail(
                cls.name,
                f"expects element types of the same width, got {x.element_type} "
                f"and {to}",
            )
        return TensorType(to, x.get_shape())

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        (x,) = required(operands)
        dtype = to_numpy_dtype(properties[cls.TARGET])
        if dtype.kind == "b":
            return x != 0
        return np.ascontiguousarray(x).view(dtype).reshape(x.shape)  # 0-d stays 0-d


BITWISE_OPS: tuple[type[GraphOp], ...] = (
    BitwiseNotOp,
    BitwiseAndOp,
    BitwiseOrOp,
    BitwiseXorOp,
    ShiftLeftOp,
    ShiftRightOp,
    BitcastOp,
)

__all__ = [
    "BITWISE_OPS",
    "BitcastOp",
    "BitwiseAndOp",
    "BitwiseNotOp",
    "BitwiseOrOp",
    "BitwiseXorOp",
    "ShiftLeftOp",
    "ShiftRightOp",
    "bit_width",
]
