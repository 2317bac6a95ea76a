"""Quantized-inference graph ops: builders, inference, references, folding."""

import re

import numpy as np
import pytest
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerType,
    Signedness,
    TensorType,
    f16,
    f32,
    i8,
    i16,
    i32,
)
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import (
    ConvIntegerOp,
    FusionKind,
    MatmulIntegerOp,
    QuantizeOp,
    dense_to_numpy,
    fusion_kind,
    ints_attr,
    numpy_to_dense,
)

ui8 = IntegerType(8, Signedness.UNSIGNED)


def value(element, shape):  # type: ignore[no-untyped-def]
    return create_ssa_value(TensorType(element, shape))


def quantize(x: np.ndarray, scale: float, zp: np.ndarray) -> np.ndarray:
    return QuantizeOp.reference([x, np.asarray(scale, x.dtype), zp], {})


def test_quantize_rounds_half_to_even_then_adds_the_zero_point() -> None:
    x = np.asarray([0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 0.3], np.float32)
    # x / 0.5 = 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.6 -> 0, 2, 2, -0, -2, -2, 1
    got = quantize(x, 0.5, np.asarray(10, np.uint8))
    np.testing.assert_array_equal(got, [10, 12, 12, 10, 8, 8, 11])
    assert got.dtype == np.uint8


def test_quantize_saturates_and_maps_nan_to_the_lowest_value() -> None:
    x = np.asarray([1e6, -1e6, np.inf, -np.inf, np.nan], np.float32)
    np.testing.assert_array_equal(
        quantize(x, 1.0, np.asarray(0, np.int8)), [127, -128, 127, -128, -128]
    )
    np.testing.assert_array_equal(
        quantize(x, 1.0, np.asarray(0, np.uint16)), [65535, 0, 65535, 0, 0]
    )
    big = np.asarray([3e9, -3e9, 2147483520.0], np.float64)
    np.testing.assert_array_equal(
        quantize(big, 1.0, np.asarray(0, np.int32)),
        [2147483647, -2147483648, 2147483520],
    )


def test_quantize_divides_in_the_input_type() -> None:
    # 0.1f / 0.2f is exactly 0.5 in f32 (rounds to 0), 0.5000000074505806 in f64.
    x = np.asarray([0.1], np.float32)
    assert quantize(x, 0.2, np.asarray(0, np.int8))[0] == 0


def test_quantize_broadcasts_per_axis_parameters() -> None:
    op = QuantizeOp(value(f32, [2, 3]), value(f32, [3]), value(i8, [3]))
    assert op.result.type == TensorType(i8, [2, 3])
    assert fusion_kind(op) == FusionKind.BROADCAST
    x = np.asarray([[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]], np.float32)
    got = QuantizeOp.reference(
        [x, np.asarray([1.0, 0.5, 2.0], np.float32), np.asarray([0, 1, -1], np.int8)],
        {},
    )
    np.testing.assert_array_equal(got, [[1, 5, 1], [-1, -3, -3]])  # 1.5 -> 2


@pytest.mark.parametrize(
    ("types", "message"),
    [
        ((i32, f32, ui8), "expects a float element type (bf16, f16, f32, f64) for"),
        ((f32, f16, ui8), "expects the same element type for input and scale"),
        ((f32, f32, f32), "expects an integer element type for zero_point"),
    ],
)
def test_quantize_verifier(types: tuple, message: str) -> None:  # type: ignore[type-arg]
    x, s, z = (value(t, [2]) for t in types)
    with pytest.raises(VerifyException, match=re.escape(message)):
        QuantizeOp(x, s, z)


def test_quantize_folds_constants() -> None:
    x = arith.ConstantOp(
        numpy_to_dense(np.asarray([0.5, 1.5], np.float32), TensorType(f32, [2]))
    )
    s = arith.ConstantOp(
        numpy_to_dense(np.asarray(1.0, np.float32), TensorType(f32, []))
    )
    z = arith.ConstantOp(numpy_to_dense(np.asarray(0, np.int16), TensorType(i16, [])))
    folded = QuantizeOp(x, s, z).fold()
    assert folded is not None
    (attr,) = folded
    assert isinstance(attr, DenseIntOrFPElementsAttr)
    np.testing.assert_array_equal(dense_to_numpy(attr), [0, 2])


def test_matmul_integer_subtracts_zero_points_per_row_and_column() -> None:
    a = np.asarray([[1, 2], [3, 4]], np.uint8)
    b = np.asarray([[5, 6], [7, 8]], np.int8)
    az = np.asarray([[1], [2]], np.uint8)
    bz = np.asarray([5, 6], np.int8)
    # (a - az) = [[0, 1], [1, 2]]; (b - bz) = [[0, 0], [2, 2]]
    got = MatmulIntegerOp.reference([a, b, az, bz], {})
    np.testing.assert_array_equal(got, [[2, 2], [4, 4]])
    assert got.dtype == np.int32


def test_matmul_integer_accumulates_exactly() -> None:
    a = np.full((1, 1000), 255, np.uint8)
    b = np.full((1000, 1), -128, np.int8)
    got = MatmulIntegerOp.reference([a, b, None, None], {})
    assert got[0, 0] == 255 * -128 * 1000


def test_matmul_integer_inference() -> None:
    op = MatmulIntegerOp(
        value(i8, [5, 2, 3]), value(ui8, [3, 4]), None, value(ui8, [4])
    )
    assert op.result.type == TensorType(i32, [5, 2, 4])
    assert fusion_kind(op) == FusionKind.OUTPUT_FUSABLE
    with pytest.raises(VerifyException, match="expects 8-bit integers for rhs"):
        MatmulIntegerOp(value(i8, [2, 3]), value(i16, [3, 4]))


def test_conv_integer_pads_with_zero_after_the_zero_point() -> None:
    # Input all equal to its zero point: every window sums zeros, padded or not.
    x = np.full((1, 1, 3, 3), 7, np.uint8)
    w = np.full((2, 1, 2, 2), 9, np.uint8)
    props = {"pads": ints_attr([1, 1, 1, 1])}
    got = ConvIntegerOp.reference([x, w, np.asarray(7, np.uint8), None], props)
    assert got.shape == (1, 2, 4, 4)
    np.testing.assert_array_equal(got, 0)


def test_conv_integer_per_channel_weight_zero_point() -> None:
    x = np.arange(9, dtype=np.uint8).reshape(1, 1, 3, 3)
    w = np.ones((2, 1, 2, 2), np.uint8)
    wz = np.asarray([0, 1], np.uint8)
    got = ConvIntegerOp.reference([x, w, None, wz], {})
    # channel 0: window sums of x; channel 1: (w - 1) = 0 everywhere.
    np.testing.assert_array_equal(got[0, 0], [[8, 12], [20, 24]])
    np.testing.assert_array_equal(got[0, 1], 0)


def test_conv_integer_inference() -> None:
    op = ConvIntegerOp(
        value(i8, [1, 4, 5, 5]),
        value(i8, [2, 2, 2, 2]),
        strides=[2, 1],
        dilations=[1, 2],
        groups=2,
    )
    assert op.result.type == TensorType(i32, [1, 2, 2, 3])
    with pytest.raises(VerifyException, match="expects positive groups, got 0"):
        ConvIntegerOp(value(i8, [1, 4, 5, 5]), value(i8, [2, 2, 2, 2]), groups=0)
