"""Reduction graph ops: builders, inference, references, verifier messages."""

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    IntegerType,
    Signedness,
    TensorType,
    f16,
    f32,
    i1,
    i8,
    i32,
)
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import (
    DYNAMIC,
    REDUCTION_OPS,
    FusionKind,
    ReduceMaxOp,
    ReduceMeanOp,
    ReduceSumOp,
    dense_to_numpy,
    fusion_kind,
    numpy_to_dense,
)

REDUCTION_MLIR = (
    Path(__file__).parents[3] / "filecheck" / "dialects" / "graph" / "reduction.mlir"
)

ui8 = IntegerType(8, Signedness.UNSIGNED)

X = np.array([[1, 2, 3], [4, 5, 6]], np.float32)


def tensor(shape: list[int], element=f32):
    return create_ssa_value(TensorType(element, shape))


# --------------------------------------------------------------------------- #
# Builders, inference, traits, docs
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("axes", "keepdims", "expected"),
    [
        (None, None, [1, 1, 1]),
        ([], None, [1, 1, 1]),
        ([], False, []),
        (None, False, []),
        ([1], None, [2, 1, 4]),
        ([1], True, [2, 1, 4]),
        ([1], False, [2, 4]),
        ([-1, 0], False, [3]),
        ([2, 0], True, [1, 3, 1]),
    ],
)
def test_builders_infer_the_result_type(axes, keepdims, expected):
    for op_type in REDUCTION_OPS:
        op = op_type(tensor([2, 3, 4]), axes, keepdims)
        op.verify()
        assert op.result.type == TensorType(f32, expected)


def test_rank_0_and_dynamic_inputs():
    assert ReduceSumOp(tensor([])).result.type == TensorType(f32, [])
    op = ReduceMaxOp(tensor([DYNAMIC, 3]), [1], False)
    assert op.result.type == TensorType(f32, [DYNAMIC])
    op = ReduceMaxOp(tensor([DYNAMIC, 3]), [0])
    assert op.result.type == TensorType(f32, [1, 3])


def test_element_types():
    assert ReduceSumOp(tensor([2], i32)).result.type == TensorType(i32, [1])
    assert ReduceMaxOp(tensor([2], ui8)).result.type == TensorType(ui8, [1])
    assert ReduceMeanOp(tensor([2], f16)).result.type == TensorType(f16, [1])


def test_absent_properties_are_not_set():
    assert dict(ReduceSumOp(tensor([2, 3])).properties) == {}
    op = ReduceSumOp(tensor([2, 3]), [], True)
    assert set(op.properties) == {"axes", "keepdims"}


@pytest.mark.parametrize("op", REDUCTION_OPS, ids=lambda op: op.name)
def test_fusion_kind_is_reduction(op):
    assert fusion_kind(op(tensor([2, 3]))) == FusionKind.REDUCTION


@pytest.mark.parametrize("op", REDUCTION_OPS, ids=lambda op: op.name)
def test_docstring_example_is_in_the_filecheck_test(op):
    examples = re.findall(r"```mlir\n(.*?)```", op.__doc__ or "", re.S)
    assert len(examples) == 1, f"{op.name} needs exactly one ```mlir example"
    for line in examples[0].strip().splitlines():
        assert line.strip() in REDUCTION_MLIR.read_text()


# --------------------------------------------------------------------------- #
# References
# --------------------------------------------------------------------------- #


def test_reduce_sum_by_hand():
    op = ReduceSumOp(tensor([2, 3]), [1], False)
    np.testing.assert_array_equal(op.evaluate(X), [6, 15])
    op = ReduceSumOp(tensor([2, 3]))
    np.testing.assert_array_equal(op.evaluate(X), [[21]])
    op = ReduceSumOp(tensor([2, 3]), [], False)
    assert op.evaluate(X).shape == ()
    assert op.evaluate(X) == 21


def test_reduce_mean_by_hand():
    op = ReduceMeanOp(tensor([2, 3]), [0])
    np.testing.assert_array_equal(op.evaluate(X), [[2.5, 3.5, 4.5]])
    op = ReduceMeanOp(tensor([2, 3]), None, False)
    assert op.evaluate(X) == 3.5


def test_reduce_max_by_hand():
    op = ReduceMaxOp(tensor([2, 3]), [-1], False)
    np.testing.assert_array_equal(op.evaluate(-X), [-1, -4])
    op = ReduceMaxOp(tensor([2, 3]), [0])
    np.testing.assert_array_equal(op.evaluate(X), [[4, 5, 6]])


def test_reduce_max_propagates_nan():
    x = np.array([[1, np.nan], [2, 3]], np.float32)
    out = ReduceMaxOp(tensor([2, 2]), [1], False).evaluate(x)
    assert np.isnan(out[0])
    assert out[1] == 3


def test_reductions_over_no_element():
    """ONNX ReduceMax-18: -inf (or the type's minimum); sum 0; mean NaN."""
    empty = np.zeros((2, 0), np.float32)
    op = ReduceMaxOp(tensor([2, 0]), [1], False)
    np.testing.assert_array_equal(op.evaluate(empty), [-np.inf, -np.inf])
    op = ReduceMaxOp(tensor([2, 0], i32), [1], False)
    assert op.evaluate(np.zeros((2, 0), np.int32))[0] == np.iinfo(np.int32).min
    op = ReduceSumOp(tensor([2, 0]), [1], False)
    np.testing.assert_array_equal(op.evaluate(empty), [0, 0])
    op = ReduceMeanOp(tensor([2, 0]), [1], False)
    assert np.isnan(op.evaluate(empty)).all()


def test_integer_sums_wrap_in_the_input_type():
    op = ReduceSumOp(tensor([2], i8))
    out = op.evaluate(np.array([100, 100], np.int8))
    assert out.dtype == np.int8
    assert out[0] == -56
    op = ReduceSumOp(tensor([2], ui8))
    assert op.evaluate(np.array([200, 100], np.uint8))[0] == 44


def test_f16_mean_accumulates_wider():
    x = np.full(4096, 1000, np.float16)  # the f16 running sum would overflow
    out = ReduceMeanOp(tensor([4096], f16)).evaluate(x)
    assert out.dtype == np.float16
    assert out[0] == 1000


def test_fold_materializes_the_reference():
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    constant = arith.ConstantOp(numpy_to_dense(x, TensorType(i32, [2, 3])))
    op = ReduceSumOp(constant.result, [0], False)
    (folded,) = op.fold() or ()
    np.testing.assert_array_equal(dense_to_numpy(folded), [5, 7, 9])


def loop_reduce(x, axes, keepdims, combine, start):
    """A reduction by explicit iteration over every element."""
    axes = sorted(a % x.ndim for a in axes) if axes else list(range(x.ndim))
    out_shape = [1 if i in axes else d for i, d in enumerate(x.shape)]
    out = np.full(out_shape, start, np.float64)
    count = np.zeros(out_shape)
    for idx in itertools.product(*map(range, x.shape)):
        target = tuple(0 if i in axes else j for i, j in enumerate(idx))
        out[target] = combine(out[target], float(x[idx]))
        count[target] += 1
    if not keepdims:
        out = out.reshape([d for i, d in enumerate(x.shape) if i not in axes])
        count = count.reshape(out.shape)
    return out, count


@pytest.mark.parametrize("seed", range(10))
def test_reductions_match_loops(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    axes = [int(a) for a in rng.choice([-3, -2, -1, 0, 1, 2], rng.integers(0, 3))]
    axes = list({a % 3: a for a in axes}.values())  # no repeated dim
    keepdims = bool(seed % 2)
    total, count = loop_reduce(x, axes, keepdims, lambda a, b: a + b, 0.0)
    largest, _ = loop_reduce(x, axes, keepdims, max, -np.inf)
    shape = list(total.shape)
    for op_type, expected in (
        (ReduceSumOp, total),
        (ReduceMeanOp, total / count),
        (ReduceMaxOp, largest),
    ):
        op = op_type(tensor([2, 3, 4]), axes, keepdims)
        assert op.result.type == TensorType(f32, shape)
        np.testing.assert_allclose(op.evaluate(x), expected, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- #
# Verifier messages
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: ReduceMeanOp(tensor([2, 3], i32)),
            "'graph.reduce_mean' expects a float element type (bf16, f16, f32, f64) "
            "for input, got tensor<2x3xi32>",
        ),
        (
            lambda: ReduceSumOp(tensor([2, 3], i1)),
            "'graph.reduce_sum' expects a numeric element type for input, "
            "got tensor<2x3xi1>",
        ),
        (
            lambda: ReduceMaxOp(tensor([2, 3], i1)),
            "'graph.reduce_max' expects a numeric element type for input",
        ),
        (
            lambda: ReduceSumOp(tensor([2, 3]), [0, 2]),
            "'graph.reduce_sum' axis 2 is out of range for rank 2",
        ),
        (
            lambda: ReduceMeanOp(tensor([2, 3]), [-3]),
            "'graph.reduce_mean' axis -3 is out of range for rank 2",
        ),
        (
            lambda: ReduceMaxOp(tensor([2, 3]), [1, -1]),
            "'graph.reduce_max' axes [1, -1] repeat an axis",
        ),
        (
            lambda: ReduceSumOp(tensor([]), [0]),
            "'graph.reduce_sum' axis 0 is out of range for rank 0",
        ),
    ],
)
def test_verifier_messages(build, message):
    with pytest.raises(VerifyException, match=re.escape(message)):
        build()


def test_reduce_prod_reference_and_empty_product() -> None:
    from mlc.dialects.graph import ReduceProdOp

    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    np.testing.assert_array_equal(ReduceProdOp.reference([x], {}), [[720]])
    axes = ReduceProdOp(create_ssa_value(TensorType(i32, [2, 3])), [1], False)
    np.testing.assert_array_equal(
        ReduceProdOp.reference([x], axes.properties), [6, 120]
    )
    empty = np.zeros((2, 0, 4), np.float32)
    np.testing.assert_array_equal(
        ReduceProdOp.reference([empty], {"axes": axes.properties["axes"]}),
        np.ones((2, 1, 4)),
    )
    assert (
        ReduceProdOp.reference([np.array([300.0], np.float16)], {}).dtype == np.float16
    )
