"""Elementwise graph ops: builders, inference, references, verifier messages."""

import math

import numpy as np
import pytest
from xdsl.dialects.builtin import (
    FloatAttr,
    IntegerType,
    Signedness,
    TensorType,
    f16,
    f32,
    f64,
    i1,
    i32,
    i64,
)
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import (
    AbsOp,
    AddOp,
    CastOp,
    ClipOp,
    DivOp,
    ErfOp,
    ExpOp,
    FusionKind,
    GeluOp,
    LogOp,
    MaxOp,
    MinOp,
    MulOp,
    NegOp,
    PowOp,
    ReluOp,
    RsqrtOp,
    SigmoidOp,
    SqrtOp,
    SubOp,
    TanhOp,
    WhereOp,
    fusion_kind,
)


def tensor(shape: list[int], element=f32):
    return create_ssa_value(TensorType(element, shape))


def test_unary_builder_keeps_type():
    x = tensor([2, 3], f16)
    op = ReluOp(x)
    op.verify()
    assert op.result.type == TensorType(f16, [2, 3])


def test_binary_builder_broadcasts():
    op = AddOp(tensor([2, 1, 3]), tensor([4, 1]))
    op.verify()
    assert op.result.type == TensorType(f32, [2, 4, 3])


def test_where_builder_broadcasts_three_ways():
    op = WhereOp(tensor([3], i1), tensor([2, 1], i64), tensor([], i64))
    assert op.result.type == TensorType(i64, [2, 3])


def test_cast_builder_takes_target():
    op = CastOp(tensor([2, 3]), IntegerType(8, Signedness.UNSIGNED))
    op.verify()
    assert op.result.type == TensorType(IntegerType(8, Signedness.UNSIGNED), [2, 3])


def test_gelu_and_clip_builders():
    assert GeluOp(tensor([2]), "tanh").properties["approximate"] is not None
    op = ClipOp(tensor([2]), min=FloatAttr(0.0, f32))
    op.verify()
    assert "max" not in op.properties


X = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 4.0]], dtype=np.float32)

UNARY_CASES = [
    (ReluOp, X, [[0, 0, 0], [0.5, 1, 4]]),
    (NegOp, X, -X),
    (AbsOp, X, np.abs(X)),
    (ExpOp, np.array([0.0, 1.0], np.float32), [1.0, math.e]),
    (LogOp, np.array([1.0, math.e], np.float32), [0.0, 1.0]),
    (SqrtOp, np.array([4.0, 9.0], np.float32), [2.0, 3.0]),
    (RsqrtOp, np.array([4.0, 0.25], np.float32), [0.5, 2.0]),
    (SigmoidOp, np.array([0.0], np.float32), [0.5]),
    (TanhOp, np.array([0.0, 1.0], np.float32), [0.0, math.tanh(1.0)]),
    (ErfOp, np.array([0.0, 1.0, -1.0], np.float32), [0.0, 0.8427008, -0.8427008]),
    (ReluOp, np.array([-3, 3], np.int8), [0, 3]),
    (NegOp, np.array([-3, 3], np.int64), [3, -3]),
]


@pytest.mark.parametrize(("op_type", "x", "expected"), UNARY_CASES)
def test_unary_reference(op_type, x, expected):
    got = op_type.reference([x], {})
    assert got.dtype == x.dtype
    np.testing.assert_allclose(got, np.asarray(expected, x.dtype), rtol=1e-6)


def test_gelu_reference_exact_and_tanh():
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    exact = GeluOp.reference([x], {})
    # x * Phi(x) with Phi(1) = 0.841344746, Phi(2) = 0.977249868
    np.testing.assert_allclose(exact, [-0.158655254, 0.0, 0.841344746, 1.954499736])
    op = GeluOp(tensor([4], f64), "tanh")
    approx = op.evaluate(x)
    np.testing.assert_allclose(approx, [-0.158808, 0.0, 0.841192, 1.954597], atol=1e-6)


def test_clip_reference_with_one_bound():
    x = np.array([-5, 0, 5, 10], np.int64)
    op = ClipOp(tensor([4], i64), max=None, min=None)
    np.testing.assert_array_equal(op.evaluate(x), x)
    got = ClipOp.reference([x], {"max": FloatAttr(6.0, f64)})
    np.testing.assert_array_equal(got, [-5, 0, 5, 6])


BINARY_CASES = [
    (AddOp, [1.0, 2.0], [[10.0], [20.0]], [[11, 12], [21, 22]]),
    (SubOp, [1.0, 2.0], [0.5], [0.5, 1.5]),
    (MulOp, [3.0, -2.0], [2.0, 2.0], [6.0, -4.0]),
    (DivOp, [1.0, -3.0], [2.0, 2.0], [0.5, -1.5]),
    (MaxOp, [1.0, 5.0], [3.0, 4.0], [3.0, 5.0]),
    (MinOp, [1.0, 5.0], [3.0, 4.0], [1.0, 4.0]),
    (PowOp, [2.0, 9.0], [3.0, 0.5], [8.0, 3.0]),
]


@pytest.mark.parametrize(("op_type", "a", "b", "expected"), BINARY_CASES)
def test_binary_reference(op_type, a, b, expected):
    got = op_type.reference([np.array(a, np.float32), np.array(b, np.float32)], {})
    np.testing.assert_allclose(got, np.array(expected, np.float32))


def test_integer_division_truncates_toward_zero():
    a = np.array([-7, 7, 7, -7], np.int32)
    b = np.array([2, 2, -2, -2], np.int32)
    np.testing.assert_array_equal(DivOp.reference([a, b], {}), [-3, 3, -3, 3])
    u = np.array([7, 200], np.uint8)
    np.testing.assert_array_equal(
        DivOp.reference([u, np.uint8(2) + 0 * u], {}), [3, 100]
    )


def test_integer_power_with_negative_exponent():
    got = PowOp.reference(
        [np.array([2, 1], np.int64), np.array([-1, -2], np.int64)], {}
    )
    np.testing.assert_array_equal(got, [0, 1])


def test_max_propagates_nan():
    got = MaxOp.reference([np.array([np.nan, 1.0]), np.array([0.0, np.nan])], {})
    assert np.isnan(got).all()


def test_where_reference():
    c = np.array([True, False, True])
    got = WhereOp.reference([c, np.array([[1, 2, 3]]), np.array(0)], {})
    np.testing.assert_array_equal(got, [[1, 0, 3]])


def test_cast_reference():
    x = np.array([1.9, -1.9, 0.0], np.float32)
    np.testing.assert_array_equal(CastOp.reference([x], {"to": i32}), [1, -1, 0])
    np.testing.assert_array_equal(
        CastOp.reference([x], {"to": i1}), [True, True, False]
    )


def test_fusion_kinds():
    assert fusion_kind(ReluOp(tensor([2]))) is FusionKind.ELEMENTWISE
    assert fusion_kind(AddOp(tensor([2]), tensor([2]))) is FusionKind.BROADCAST


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SigmoidOp(tensor([2], i32)), "'graph.sigmoid' expects a float"),
        (lambda: ReluOp(tensor([2], i1)), "'graph.relu' expects a numeric"),
        (
            lambda: AddOp(tensor([2, 3]), tensor([4])),
            r"'graph.add' cannot broadcast shapes \(2, 3\) and \(4,\)",
        ),
        (
            lambda: MulOp(tensor([2]), tensor([2], f64)),
            "'graph.mul' expects the same element type for lhs and rhs",
        ),
        (
            lambda: WhereOp(tensor([2], f32), tensor([2]), tensor([2])),
            "'graph.where' expects i1 elements for condition",
        ),
        (lambda: GeluOp(tensor([2]), "fast"), "approximate must be"),
    ],
)
def test_verifier_messages(build, message):
    with pytest.raises(VerifyException, match=message):
        build()
