"""Elementwise math graph ops: builders, inference, references, verifier messages."""

import math

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f16, f32, f64, i32
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import (
    ELEMENTWISE_MATH_OPS,
    AcoshOp,
    AsinOp,
    AtanhOp,
    CeilOp,
    CosOp,
    FloorOp,
    FusionKind,
    ModOp,
    RoundOp,
    SinOp,
    TanOp,
    TruncOp,
    fusion_kind,
)


def tensor(shape: list[int], element=f32):
    return create_ssa_value(TensorType(element, shape))


@pytest.mark.parametrize("op", [o for o in ELEMENTWISE_MATH_OPS if o is not ModOp])
def test_unary_keeps_the_float_type(op) -> None:
    for element in (f16, f32, f64):
        built = op(tensor([2, 3], element))
        built.verify()
        assert built.result.type == TensorType(element, [2, 3])
        assert fusion_kind(built) == FusionKind.ELEMENTWISE


def test_unary_refuses_integers() -> None:
    with pytest.raises(VerifyException, match=r"'graph.sin' expects a float element"):
        SinOp(tensor([2], i32))


def test_trigonometric_references() -> None:
    x = np.array([0.0, math.pi / 6, -math.pi / 4], np.float64)
    np.testing.assert_allclose(SinOp.reference([x], {}), [0.0, 0.5, -(0.5**0.5)])
    np.testing.assert_allclose(CosOp.reference([x], {}), [1.0, 0.75**0.5, 0.5**0.5])
    np.testing.assert_allclose(TanOp.reference([x], {}), [0.0, 3**-0.5, -1.0])


def test_outside_the_domain_is_nan_or_inf_without_warnings() -> None:
    x = np.array([2.0, -1.0, 1.0, 0.5], np.float32)
    asin = AsinOp.reference([x], {})
    assert math.isnan(asin[0])
    assert asin[1] == np.float32(-math.pi / 2)
    atanh = AtanhOp.reference([x], {})
    assert math.isnan(atanh[0])
    assert atanh[1] == -np.inf
    assert atanh[2] == np.inf
    assert math.isnan(AcoshOp.reference([x], {})[3])
    assert atanh.dtype == np.float32


def test_rounding_references() -> None:
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -2.7], np.float32)
    np.testing.assert_array_equal(
        RoundOp.reference([x], {}), [-2, -2, -0, 0, 2, 2, 3, -3]
    )
    np.testing.assert_array_equal(
        FloorOp.reference([x], {}), [-3, -2, -1, 0, 1, 2, 2, -3]
    )
    np.testing.assert_array_equal(
        CeilOp.reference([x], {}), [-2, -1, 0, 1, 2, 3, 3, -2]
    )
    np.testing.assert_array_equal(
        TruncOp.reference([x], {}), [-2, -1, 0, 0, 1, 2, 2, -2]
    )
    assert math.copysign(1, RoundOp.reference([x], {})[2]) == -1  # -0.5 -> -0


def test_mod_broadcasts_and_keeps_the_type() -> None:
    op = ModOp(tensor([2, 3], f64), tensor([3], f64), fmod=True)
    op.verify()
    assert op.result.type == TensorType(f64, [2, 3])
    assert fusion_kind(op) == FusionKind.BROADCAST
    assert "fmod = true" in str(op)
    assert "fmod" not in str(ModOp(tensor([3]), tensor([3])))


def test_mod_references() -> None:
    a = np.array([5.0, -5.0, 5.0, -5.0, 4.0, -4.0, 1.0], np.float32)
    b = np.array([3.0, 3.0, -3.0, -3.0, 2.0, 2.0, 0.0], np.float32)
    fmod = ModOp.reference([a, b], {"fmod": ModOp(tensor([1]), tensor([1]), True).fmod})
    np.testing.assert_array_equal(fmod[:6], [2, -2, 2, -2, 0, -0])
    floored = ModOp.reference([a, b], {})
    np.testing.assert_array_equal(floored[:6], [2, 1, -1, -2, 0, 0])
    assert math.isnan(fmod[6])
    assert math.isnan(floored[6])
    assert math.copysign(1, fmod[5]) == -1  # fmod keeps the dividend's sign


def test_mod_refuses_integers_and_mixed_types() -> None:
    with pytest.raises(VerifyException, match="float element type"):
        ModOp(tensor([2], i32), tensor([2], i32))
    with pytest.raises(VerifyException, match="same element type"):
        ModOp(tensor([2], f32), tensor([2], f64))
