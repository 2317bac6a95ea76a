"""Bitwise graph ops: builders, inference, references, verifier messages."""

import numpy as np
import pytest
from xdsl.dialects.builtin import (
    IntegerType,
    Signedness,
    TensorType,
    f16,
    f32,
    f64,
    i1,
    i8,
    i32,
    i64,
)
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import (
    BitcastOp,
    BitwiseAndOp,
    BitwiseNotOp,
    BitwiseOrOp,
    BitwiseXorOp,
    FusionKind,
    ShiftLeftOp,
    ShiftRightOp,
    fusion_kind,
)

U8 = IntegerType(8, Signedness.UNSIGNED)
U16 = IntegerType(16, Signedness.UNSIGNED)


def tensor(shape: list[int], element=i32):
    return create_ssa_value(TensorType(element, shape))


def test_logic_broadcasts_over_integers_and_bools() -> None:
    for op in (BitwiseAndOp, BitwiseOrOp, BitwiseXorOp):
        for element in (i1, U8, i64):
            built = op(tensor([2, 3], element), tensor([3], element))
            built.verify()
            assert built.result.type == TensorType(element, [2, 3])
            assert fusion_kind(built) == FusionKind.BROADCAST
    with pytest.raises(VerifyException, match="integer or i1 element type"):
        BitwiseAndOp(tensor([2], f32), tensor([2], f32))
    assert fusion_kind(BitwiseNotOp(tensor([2], U16))) == FusionKind.ELEMENTWISE


def test_logic_references() -> None:
    a = np.array([0b1100, -1, 0], np.int8)
    b = np.array([0b1010, 5, 0], np.int8)
    np.testing.assert_array_equal(BitwiseAndOp.reference([a, b], {}), [0b1000, 5, 0])
    np.testing.assert_array_equal(BitwiseOrOp.reference([a, b], {}), [0b1110, -1, 0])
    np.testing.assert_array_equal(BitwiseXorOp.reference([a, b], {}), [0b0110, -6, 0])
    np.testing.assert_array_equal(BitwiseNotOp.reference([a], {}), [-13, 0, -1])
    u = np.array([0, 255, 15], np.uint8)
    np.testing.assert_array_equal(BitwiseNotOp.reference([u], {}), [255, 0, 240])
    p = np.array([True, False])
    np.testing.assert_array_equal(BitwiseNotOp.reference([p], {}), [False, True])


def test_shifts_take_integers_of_one_type() -> None:
    op = ShiftLeftOp(tensor([2, 3], U8), tensor([1], U8))
    op.verify()
    assert op.result.type == TensorType(U8, [2, 3])
    with pytest.raises(VerifyException, match=r"shift_right' expects an integer"):
        ShiftRightOp(tensor([2], i1), tensor([2], i1))
    with pytest.raises(VerifyException, match="same element type"):
        ShiftRightOp(tensor([2], U8), tensor([2], U16))


def test_shift_references_past_the_width() -> None:
    u = np.array([1, 255, 128, 7], np.uint8)
    by = np.array([3, 1, 8, 200], np.uint8)
    np.testing.assert_array_equal(ShiftLeftOp.reference([u, by], {}), [8, 254, 0, 0])
    np.testing.assert_array_equal(ShiftRightOp.reference([u, by], {}), [0, 127, 0, 0])
    s = np.array([-8, -8, 8, -1], np.int16)
    amounts = np.array([1, 16, 99, -1], np.int16)  # -1 reads as 65535
    np.testing.assert_array_equal(
        ShiftRightOp.reference([s, amounts], {}), [-4, -1, 0, -1]
    )
    np.testing.assert_array_equal(
        ShiftLeftOp.reference([s, amounts], {}), [-16, 0, 0, 0]
    )


def test_bitcast_needs_the_same_width() -> None:
    op = BitcastOp(tensor([2, 3], f32), i32)
    op.verify()
    assert op.result.type == TensorType(i32, [2, 3])
    assert fusion_kind(op) == FusionKind.ELEMENTWISE
    assert BitcastOp(tensor([2], i1), U8).result.type == TensorType(U8, [2])
    with pytest.raises(VerifyException, match="same width, got f64 and i32"):
        BitcastOp(tensor([2], f64), i32)


def test_bitcast_references() -> None:
    x = np.array([1.0, -2.0], np.float32)
    bits = BitcastOp.reference([x], {"to": i32})
    np.testing.assert_array_equal(bits, [0x3F800000, -0x40000000])
    back = BitcastOp.reference([bits], {"to": f32})
    np.testing.assert_array_equal(back, x)
    half = BitcastOp.reference([np.array([0x3C00], np.uint16)], {"to": f16})
    assert half.dtype == np.float16
    assert half[0] == 1.0
    flags = np.array([True, False])
    np.testing.assert_array_equal(BitcastOp.reference([flags], {"to": i8}), [1, 0])
    np.testing.assert_array_equal(
        BitcastOp.reference([np.array([0, 2], np.uint8)], {"to": i1}), [False, True]
    )
