"""Data-movement graph ops: builders, inference, references, verifier messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import make_context, print_op
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    TensorType,
    f16,
    f32,
    f64,
    i1,
    i32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.parser import Parser
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import (
    SHAPE_OPS,
    BroadcastToOp,
    ConcatOp,
    FlattenOp,
    FusionKind,
    GatherOp,
    GraphOp,
    PadOp,
    ReshapeOp,
    SliceOp,
    SqueezeOp,
    TransposeOp,
    UnsqueezeOp,
    fusion_kind,
    ints_attr,
    numpy_to_dense,
)

ui8 = IntegerType(8, Signedness.UNSIGNED)
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
SHAPE_MLIR = Path(__file__).parents[3] / "filecheck/dialects/graph/shape.mlir"


def tensor(shape: list[int], element: Attribute = f32) -> SSAValue:
    return create_ssa_value(TensorType(element, shape))


def result_type(op: Operation) -> Attribute:
    return op.results[0].type


def a(values: Any, dtype: Any = np.float32) -> np.ndarray[Any, Any]:
    return np.array(values, dtype=dtype)


# --------------------------------------------------------------------------- #
# Builders infer the result type
# --------------------------------------------------------------------------- #

BUILDER_CASES: list[tuple[Callable[[], GraphOp], Attribute]] = [
    (lambda: ReshapeOp(tensor([2, 3]), [3, -1]), TensorType(f32, [3, 2])),
    (lambda: ReshapeOp(tensor([2, 3], i1), [6]), TensorType(i1, [6])),
    (lambda: ReshapeOp(tensor([1, 1]), []), TensorType(f32, [])),
    (lambda: FlattenOp(tensor([1, 1, 28, 28])), TensorType(f32, [1, 784])),
    (lambda: FlattenOp(tensor([2, 3, 4]), 0), TensorType(f32, [1, 24])),
    (lambda: FlattenOp(tensor([2, 3, 4]), -1), TensorType(f32, [6, 4])),
    (lambda: FlattenOp(tensor([2, 3, 4]), 3), TensorType(f32, [24, 1])),
    (lambda: FlattenOp(tensor([]), 0), TensorType(f32, [1, 1])),
    (lambda: TransposeOp(tensor([2, 3, 4])), TensorType(f32, [4, 3, 2])),
    (
        lambda: TransposeOp(tensor([2, 3, 4], ui8), [0, 2, 1]),
        TensorType(ui8, [2, 4, 3]),
    ),
    (lambda: SqueezeOp(tensor([1, 2, 1])), TensorType(f32, [2])),
    (lambda: SqueezeOp(tensor([1, 2, 1]), [-1]), TensorType(f32, [1, 2])),
    (lambda: SqueezeOp(tensor([1, 2]), []), TensorType(f32, [1, 2])),
    (lambda: UnsqueezeOp(tensor([3]), [0, -1]), TensorType(f32, [1, 3, 1])),
    (lambda: UnsqueezeOp(tensor([2, 3]), [1, 3]), TensorType(f32, [2, 1, 3, 1])),
    (lambda: UnsqueezeOp(tensor([], i64), [0]), TensorType(i64, [1])),
    (
        lambda: ConcatOp([tensor([2, 3]), tensor([2, 1]), tensor([2, 2])], 1),
        TensorType(f32, [2, 6]),
    ),
    (lambda: ConcatOp([tensor([2, 3])], -2), TensorType(f32, [2, 3])),
    (lambda: SliceOp(tensor([2, 3]), [1], [INT64_MAX], [1]), TensorType(f32, [2, 2])),
    (
        lambda: SliceOp(tensor([2, 5]), [-1], [INT64_MIN], [1], [-1]),
        TensorType(f32, [2, 5]),
    ),
    (
        lambda: SliceOp(tensor([2, 5]), [0, 0], [2, 5], None, [1, 2]),
        TensorType(f32, [2, 3]),
    ),
    (lambda: SliceOp(tensor([2, 3]), [1], [1]), TensorType(f32, [0, 3])),
    (lambda: GatherOp(tensor([2, 3]), tensor([4], i64), 1), TensorType(f32, [2, 4])),
    (
        lambda: GatherOp(tensor([10, 4]), tensor([2, 3], i32)),
        TensorType(f32, [2, 3, 4]),
    ),
    (lambda: GatherOp(tensor([2, 3]), tensor([], i64), -1), TensorType(f32, [2])),
    (lambda: BroadcastToOp(tensor([3]), [2, 3]), TensorType(f32, [2, 3])),
    (lambda: BroadcastToOp(tensor([2, 1], i1), [4, 2, 3]), TensorType(i1, [4, 2, 3])),
    (lambda: BroadcastToOp(tensor([], f64), [2, 3]), TensorType(f64, [2, 3])),
    (lambda: PadOp(tensor([2, 3]), [0, 1, 0, 2]), TensorType(f32, [2, 6])),
    (lambda: PadOp(tensor([3], i64), [2, 0], 7), TensorType(i64, [5])),
]


@pytest.mark.parametrize(("build", "expected"), BUILDER_CASES)
def test_builder_infers_result_type(
    build: Callable[[], GraphOp], expected: Attribute
) -> None:
    op = build()
    op.verify()
    assert result_type(op) == expected


def test_builders_omit_absent_optional_properties() -> None:
    assert "axis" not in FlattenOp(tensor([2, 3])).properties
    assert "perm" not in TransposeOp(tensor([2, 3])).properties
    assert "axes" not in SqueezeOp(tensor([1, 3])).properties
    op = SliceOp(tensor([2, 3]), [0], [1])
    assert "axes" not in op.properties
    assert "steps" not in op.properties
    assert "value" not in PadOp(tensor([2]), [1, 1]).properties
    assert "axis" not in GatherOp(tensor([2]), tensor([1], i64)).properties


def test_pad_builder_makes_value_of_the_element_type() -> None:
    assert PadOp(tensor([2]), [1, 1], -1.5).value == FloatAttr(-1.5, f32)
    assert PadOp(tensor([2], f16), [1, 1], 2).value == FloatAttr(2.0, f16)
    assert PadOp(tensor([2], ui8), [1, 1], 3).value == IntegerAttr(3, ui8)
    assert PadOp(tensor([2], i1), [1, 1], True).value == IntegerAttr(1, i1)
    explicit = IntegerAttr(5, i32)
    assert PadOp(tensor([2], i32), [1, 1], explicit).value == explicit


def test_dynamic_dimensions_propagate() -> None:
    dyn = DYNAMIC_INDEX
    x = tensor([dyn, 3, 4])
    assert result_type(ReshapeOp(x, [-1, 12])) == TensorType(f32, [dyn, 12])
    assert result_type(ReshapeOp(x, [2, 6, 2])) == TensorType(f32, [2, 6, 2])
    assert result_type(FlattenOp(x)) == TensorType(f32, [dyn, 12])
    assert result_type(FlattenOp(x, 2)) == TensorType(f32, [dyn, 4])
    assert result_type(TransposeOp(x)) == TensorType(f32, [4, 3, dyn])
    assert result_type(SliceOp(x, [1], [2], [0])) == TensorType(f32, [dyn, 3, 4])
    assert result_type(SliceOp(x, [1], [2], [1])) == TensorType(f32, [dyn, 1, 4])
    assert result_type(PadOp(x, [1, 1, 1, 1, 1, 1])) == TensorType(f32, [dyn, 5, 6])
    assert result_type(SqueezeOp(tensor([dyn, 1]))) == TensorType(f32, [dyn])
    assert result_type(BroadcastToOp(tensor([dyn]), [2, 3])) == TensorType(f32, [2, 3])
    concat = ConcatOp([tensor([dyn, 3]), tensor([2, 3])], 0)
    assert result_type(concat) == TensorType(f32, [dyn, 3])
    concat = ConcatOp([tensor([dyn, 3]), tensor([2, 3])], 1)
    assert result_type(concat) == TensorType(f32, [2, 6])


def test_fusion_kinds() -> None:
    for op_type in SHAPE_OPS:
        expected = (
            FusionKind.BROADCAST if op_type is BroadcastToOp else FusionKind.INJECTIVE
        )
        assert fusion_kind(op_type.create(result_types=[])) == expected


# --------------------------------------------------------------------------- #
# References, against hand-computed values
# --------------------------------------------------------------------------- #

X23 = [[1, 2, 3], [4, 5, 6]]
ARANGE5 = [0, 1, 2, 3, 4]

REFERENCE_CASES: list[tuple[Callable[[], GraphOp], list[Any], Any]] = [
    (lambda: ReshapeOp(tensor([2, 3]), [3, -1]), [a(X23)], [[1, 2], [3, 4], [5, 6]]),
    (lambda: ReshapeOp(tensor([2, 3]), [6]), [a(X23)], [1, 2, 3, 4, 5, 6]),
    (lambda: ReshapeOp(tensor([1, 1]), []), [a([[7]])], 7),
    (lambda: FlattenOp(tensor([2, 3]), 0), [a(X23)], [[1, 2, 3, 4, 5, 6]]),
    (lambda: FlattenOp(tensor([2, 3]), 2), [a(X23)], [[1], [2], [3], [4], [5], [6]]),
    (
        lambda: FlattenOp(tensor([2, 1, 2])),
        [a([[[1, 2]], [[3, 4]]])],
        [[1, 2], [3, 4]],
    ),
    (lambda: TransposeOp(tensor([2, 3])), [a(X23)], [[1, 4], [2, 5], [3, 6]]),
    (
        lambda: TransposeOp(tensor([1, 2, 3]), [2, 0, 1]),
        [a([X23])],
        [[[1, 4]], [[2, 5]], [[3, 6]]],
    ),
    (
        lambda: TransposeOp(tensor([2, 1, 2]), [1, 0, 2]),
        [a([[[1, 2]], [[3, 4]]])],
        [[[1, 2], [3, 4]]],
    ),
    (lambda: SqueezeOp(tensor([1, 3, 1])), [a([[[1], [2], [3]]])], [1, 2, 3]),
    (
        lambda: SqueezeOp(tensor([1, 3, 1]), [0]),
        [a([[[1], [2], [3]]])],
        [[1], [2], [3]],
    ),
    (lambda: UnsqueezeOp(tensor([3]), [0, -1]), [a([1, 2, 3])], [[[1], [2], [3]]]),
    (lambda: UnsqueezeOp(tensor([3]), [1]), [a([1, 2, 3])], [[1], [2], [3]]),
    (
        lambda: ConcatOp([tensor([2, 3]), tensor([2, 1])], 1),
        [a(X23), a([[7], [8]])],
        [[1, 2, 3, 7], [4, 5, 6, 8]],
    ),
    (
        lambda: ConcatOp([tensor([2, 3]), tensor([1, 3])], -2),
        [a(X23), a([[7, 8, 9]])],
        [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    ),
    (
        lambda: BroadcastToOp(tensor([3]), [2, 3]),
        [a([1, 2, 3])],
        [[1, 2, 3], [1, 2, 3]],
    ),
    (
        lambda: BroadcastToOp(tensor([2, 1]), [2, 3]),
        [a([[1], [2]])],
        [[1, 1, 1], [2, 2, 2]],
    ),
    (lambda: BroadcastToOp(tensor([]), [2]), [a(5)], [5, 5]),
    (
        lambda: PadOp(tensor([2, 3]), [0, 1, 0, 2], -1.0),
        [a(X23)],
        [[-1, 1, 2, 3, -1, -1], [-1, 4, 5, 6, -1, -1]],
    ),
    (
        lambda: PadOp(tensor([2, 3]), [1, 0, 0, 0]),
        [a(X23)],
        [[0, 0, 0], [1, 2, 3], [4, 5, 6]],
    ),
    (
        lambda: PadOp(tensor([2], i64), [2, 1], 9),
        [a([1, 2], np.int64)],
        [9, 9, 1, 2, 9],
    ),
    (
        lambda: PadOp(tensor([2], i1), [1, 0], True),
        [a([False, False], np.bool_)],
        [True, False, False],
    ),
    (
        lambda: GatherOp(tensor([3, 2]), tensor([2], i64)),
        [a([[1, 2], [3, 4], [5, 6]]), a([2, 0], np.int64)],
        [[5, 6], [1, 2]],
    ),
    (
        lambda: GatherOp(tensor([2, 3]), tensor([2, 2], i32), 1),
        [a(X23), a([[0, -1], [-3, 1]], np.int32)],
        [[[1, 3], [1, 2]], [[4, 6], [4, 5]]],
    ),
    (
        lambda: GatherOp(tensor([2, 3]), tensor([], i64), 0),
        [a(X23), a(-1, np.int64)],
        [4, 5, 6],
    ),
]


@pytest.mark.parametrize(("build", "operands", "expected"), REFERENCE_CASES)
def test_reference(
    build: Callable[[], GraphOp], operands: list[Any], expected: Any
) -> None:
    op = build()
    out = op.evaluate(*operands)
    want = np.array(expected, dtype=out.dtype)
    assert out.shape == want.shape
    assert (out == want).all()
    result = result_type(op)
    assert isinstance(result, TensorType)
    assert out.shape == result.get_shape()


# ONNX Slice along one axis of [0, 1, 2, 3, 4]: (starts, ends, steps, expected).
SLICE_CASES: list[tuple[int, int, int, list[int]]] = [
    (1, 3, 1, [1, 2]),
    (0, INT64_MAX, 1, [0, 1, 2, 3, 4]),  # "to the end"
    (-2, INT64_MAX, 1, [3, 4]),  # negative start counts from the end
    (0, -1, 1, [0, 1, 2, 3]),  # negative end counts from the end
    (-100, 100, 1, [0, 1, 2, 3, 4]),  # both clamp
    (10, 20, 1, []),  # start clamps to 5: empty
    (3, 1, 1, []),  # backwards with a positive step: empty
    (0, 5, 2, [0, 2, 4]),
    (1, 5, 3, [1, 4]),
    (-1, INT64_MIN, -1, [4, 3, 2, 1, 0]),  # full reverse
    (INT64_MAX, INT64_MIN, -2, [4, 2, 0]),  # start clamps to 4
    (4, 0, -1, [4, 3, 2, 1]),  # end is exclusive
    (4, -6, -1, [4, 3, 2, 1, 0]),  # end -6 + 5 = -1: through index 0
    (-1, 0, -3, [4, 1]),
    (2, 2, -1, []),
    (1, 3, -1, []),  # forwards with a negative step: empty
]


@pytest.mark.parametrize(("start", "end", "step", "expected"), SLICE_CASES)
def test_slice_reference_onnx_edge_cases(
    start: int, end: int, step: int, expected: list[int]
) -> None:
    op = SliceOp(tensor([5], i64), [start], [end], [0], [step])
    assert result_type(op) == TensorType(i64, [len(expected)])
    out = op.evaluate(np.array(ARANGE5, dtype=np.int64))
    assert out.tolist() == expected


def test_slice_reference_several_axes() -> None:
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    # rows 2, 1 (reversed) and columns 1, 3 (every second from 1)
    op = SliceOp(tensor([3, 4]), [-1, 1], [0, INT64_MAX], [0, 1], [-1, 2])
    assert op.evaluate(x).tolist() == [[9, 11], [5, 7]]
    # default axes 0..n-1 and steps 1
    op = SliceOp(tensor([3, 4]), [1, 0], [2, -2])
    assert op.evaluate(x).tolist() == [[4, 5]]
    # axes in any order, negative
    op = SliceOp(tensor([3, 4]), [3, 2], [4, 3], [-1, -2])
    assert op.evaluate(x).tolist() == [[11]]


def test_slice_of_empty_axis() -> None:
    op = SliceOp(tensor([0, 2]), [-1], [INT64_MIN], [0], [-1])
    assert result_type(op) == TensorType(f32, [0, 2])
    assert op.evaluate(np.zeros((0, 2), np.float32)).shape == (0, 2)


def test_reference_keeps_dtype() -> None:
    x = np.array([[1, 2]], dtype=np.uint8)
    assert TransposeOp(tensor([1, 2], ui8)).evaluate(x).dtype == np.uint8
    h = np.array([1.5], dtype=np.float16)
    assert PadOp(tensor([1], f16), [1, 0], 0.5).evaluate(h).tolist() == [0.5, 1.5]


# --------------------------------------------------------------------------- #
# Verifier messages
# --------------------------------------------------------------------------- #

VERIFIER_CASES: list[tuple[Callable[[], GraphOp], str]] = [
    (
        lambda: ReshapeOp(tensor([2, 3]), [4, -1]),
        "'graph.reshape' cannot reshape (2, 3) (6 elements) to (4, -1)",
    ),
    (
        lambda: ReshapeOp(tensor([2, 3]), [4, 2]),
        "'graph.reshape' cannot reshape (2, 3) (6 elements) to (4, 2)",
    ),
    (
        lambda: ReshapeOp(tensor([2, 3]), [-1, -1]),
        "'graph.reshape' shape (-1, -1) has more than one -1",
    ),
    (
        lambda: ReshapeOp(tensor([2, 3]), [0, 6]),
        "'graph.reshape' expects a shape of positive sizes and at most one -1, "
        "got (0, 6)",
    ),
    (
        lambda: ReshapeOp(tensor([6]), [-2, -3]),
        "'graph.reshape' expects a shape of positive sizes and at most one -1, "
        "got (-2, -3)",
    ),
    (
        lambda: FlattenOp(tensor([2, 3]), -3),
        "'graph.flatten' axis -3 is out of range for rank 2",
    ),
    (
        lambda: TransposeOp(tensor([2, 3]), [0, 0]),
        "'graph.transpose' perm [0, 0] is not a permutation of [0, 1]",
    ),
    (
        lambda: TransposeOp(tensor([2, 3]), [0]),
        "'graph.transpose' perm [0] is not a permutation of [0, 1]",
    ),
    (
        lambda: SqueezeOp(tensor([2, 1]), [0]),
        "'graph.squeeze' cannot squeeze dimension 0 of size 2 in (2, 1)",
    ),
    (
        lambda: SqueezeOp(tensor([2, 1]), [2]),
        "'graph.squeeze' axis 2 of axes [2] is out of range for rank 2",
    ),
    (
        lambda: SqueezeOp(tensor([1, 3]), [0, -2]),
        "'graph.squeeze' axes [0, -2] repeat an axis",
    ),
    (
        lambda: UnsqueezeOp(tensor([3]), [2]),
        "'graph.unsqueeze' axis 2 is out of range for the result rank 2",
    ),
    (
        lambda: UnsqueezeOp(tensor([3]), [0, -3]),
        "'graph.unsqueeze' axes [0, -3] repeat an axis",
    ),
    (lambda: ConcatOp([], 0), "'graph.concat' expects at least one input"),
    (
        lambda: ConcatOp([tensor([2, 3]), tensor([3, 3])], 1),
        "'graph.concat' expects inputs of equal shapes except along axis 1, "
        "got (2, 3) and (3, 3)",
    ),
    (
        lambda: ConcatOp([tensor([2, 3]), tensor([3])], 0),
        "'graph.concat' expects inputs of equal shapes except along axis 0, "
        "got (2, 3) and (3,)",
    ),
    (
        lambda: ConcatOp([tensor([2]), tensor([2], i32)], 0),
        "'graph.concat' expects the same element type for input 0 and input 1, "
        "got tensor<2xf32> and tensor<2xi32>",
    ),
    (
        lambda: ConcatOp([tensor([])], 0),
        "'graph.concat' axis 0 is out of range for rank 0",
    ),
    (
        lambda: SliceOp(tensor([2, 3]), [0], [1, 2]),
        "'graph.slice' expects as many ends as starts, got [1, 2] and [0]",
    ),
    (
        lambda: SliceOp(tensor([2, 3]), [0], [1], [0, 1]),
        "'graph.slice' expects as many axes as starts, got [0, 1] and [0]",
    ),
    (
        lambda: SliceOp(tensor([2, 3]), [0], [1], None, [1, 1]),
        "'graph.slice' expects as many steps as starts, got [1, 1] and [0]",
    ),
    (
        lambda: SliceOp(tensor([2, 3]), [0], [1], None, [0]),
        "'graph.slice' steps [0] contain a 0",
    ),
    (
        lambda: SliceOp(tensor([2, 3]), [0], [1], [-3]),
        "'graph.slice' axis -3 of axes [-3] is out of range for rank 2",
    ),
    (
        lambda: SliceOp(tensor([2, 3]), [0, 0], [1, 1], [1, -1]),
        "'graph.slice' axes [1, -1] repeat an axis",
    ),
    (
        lambda: GatherOp(tensor([2, 3]), tensor([4], f32)),
        "'graph.gather' expects i32 or i64 indices, got tensor<4xf32>",
    ),
    (
        lambda: GatherOp(tensor([2, 3]), tensor([4], IntegerType(16))),
        "'graph.gather' expects i32 or i64 indices, got tensor<4xi16>",
    ),
    (
        lambda: GatherOp(tensor([2, 3]), tensor([4], i64), 2),
        "'graph.gather' axis 2 is out of range for rank 2",
    ),
    (
        lambda: BroadcastToOp(tensor([2, 3]), [4, 3]),
        "'graph.broadcast_to' cannot broadcast (2, 3) to (4, 3)",
    ),
    (
        lambda: BroadcastToOp(tensor([2, 3]), [3]),
        "'graph.broadcast_to' cannot broadcast (2, 3) to (3,)",
    ),
    (
        lambda: BroadcastToOp(tensor([3]), [-1, 3]),
        "'graph.broadcast_to' expects a static shape, got (-1, 3)",
    ),
    (
        lambda: PadOp(tensor([2, 3]), [1, 1]),
        "'graph.pad' expects 2 * rank = 4 pads for rank 2, got [1, 1]",
    ),
    (
        lambda: PadOp(tensor([2, 3]), [0, -1, 0, 1]),
        "'graph.pad' expects non-negative pads, got [0, -1, 0, 1]",
    ),
    (
        lambda: PadOp(tensor([2]), [0, 1], IntegerAttr(1, i32)),
        "'graph.pad' expects value of the element type f32, got 1 : i32",
    ),
    (
        lambda: ReshapeOp(tensor([2], IntegerType(4)), [2]),
        "'graph.reshape' does not support element type i4 (input)",
    ),
]


@pytest.mark.parametrize(("build", "message"), VERIFIER_CASES)
def test_verifier_messages(build: Callable[[], GraphOp], message: str) -> None:
    with pytest.raises(VerifyException, match=re.escape(message)):
        build()


def test_verifier_checks_the_printed_result_type() -> None:
    op = ReshapeOp.create(
        operands=[tensor([2, 3])],
        properties={"shape": ints_attr([6])},
        result_types=[TensorType(f32, [3, 2])],
    )
    with pytest.raises(
        VerifyException,
        match=re.escape(
            "'graph.reshape' result type tensor<3x2xf32> does not match the "
            "inferred tensor<6xf32>"
        ),
    ):
        op.verify()


# --------------------------------------------------------------------------- #
# Constant folding
# --------------------------------------------------------------------------- #


def constant(values: Any, element: Attribute, shape: list[int]) -> SSAValue:
    dense = numpy_to_dense(np.asarray(values), TensorType(element, shape))
    return arith.ConstantOp(dense).result


def test_gather_folds_constants() -> None:
    op = GatherOp(constant([10, 20, 30], i32, [3]), constant([-1, 0], i64, [2]))
    folded = op.fold()
    assert folded is not None
    expected = numpy_to_dense(np.array([30, 10]), TensorType(i32, [2]))
    assert folded[0] == expected


def test_gather_does_not_fold_out_of_range_indices() -> None:
    data = constant([10, 20, 30], i32, [3])
    assert GatherOp(data, constant([3], i64, [1])).fold() is None
    assert GatherOp(data, constant([-4], i64, [1])).fold() is None


def test_shape_op_of_non_constant_does_not_fold() -> None:
    assert TransposeOp(tensor([2, 3])).fold() is None


# --------------------------------------------------------------------------- #
# Docstring examples
# --------------------------------------------------------------------------- #


def docstring_example(op_type: type[GraphOp]) -> str:
    match = re.search(r"```mlir\n(.*?)```", op_type.__doc__ or "", re.DOTALL)
    assert match is not None, f"{op_type.name} has no ```mlir example"
    return match.group(1)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("op_type", SHAPE_OPS, ids=lambda t: t.name)
def test_docstring_example_is_in_the_filecheck_test(op_type: type[GraphOp]) -> None:
    assert squash(docstring_example(op_type)) in squash(SHAPE_MLIR.read_text())


@pytest.mark.parametrize("op_type", SHAPE_OPS, ids=lambda t: t.name)
def test_docstring_example_round_trips(op_type: type[GraphOp]) -> None:
    example = docstring_example(op_type)
    operands = sorted(set(re.findall(r"%\w+", example.split("=", 1)[1])))
    types = re.search(r": \((.*)\) ->", example)
    assert types is not None
    operand_types = types.group(1).split(", ")
    # Every example names its operands in the order of its operand types.
    names = re.findall(r"%\w+", example.split("=", 1)[1].split("{")[0])
    args = ", ".join(f"{n}: {t}" for n, t in zip(names, operand_types, strict=True))
    assert sorted(names) == operands
    text = f"func.func @example({args}) {{\n{example}  func.return\n}}\n"
    ctx = make_context()
    module = Parser(ctx, text).parse_module()
    module.verify()
    printed = print_op(module)
    reparsed = Parser(ctx, printed).parse_module()
    assert isinstance(reparsed, ModuleOp)
    assert print_op(reparsed) == printed
    generic = print_op(module, generic=True)
    assert print_op(Parser(ctx, generic).parse_module()) == printed
