"""
ONNX ops the importer composes from graph ops (activations, comparisons and
logic, reductions, normalizations, data movement): each imported model,
run by the graph-level interpreter, against onnx's reference implementation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(0)


def model_of(
    op: str,
    inputs: list[Array],
    attrs: dict[str, Any] | None = None,
    constants: dict[int, Array] | None = None,
    outputs: int = 1,
    opset: int = 21,
) -> onnx.ModelProto:
    """One `op` node; `constants` are initializers at those input positions."""
    constants = constants or {}
    names = [f"c{i}" if i in constants else f"x{i}" for i in range(len(inputs))]
    graph_inputs = [
        helper.make_tensor_value_info(
            n, helper.np_dtype_to_tensor_dtype(a.dtype), list(a.shape)
        )
        for n, a in zip(names, inputs, strict=True)
        if n.startswith("x")
    ]
    out_names = [f"y{i}" for i in range(outputs)]
    node = helper.make_node(op, names, out_names, name="n", **(attrs or {}))
    graph = helper.make_graph(
        [node],
        "g",
        graph_inputs,
        [helper.make_empty_tensor_value_info(n) for n in out_names],
        [numpy_helper.from_array(a, f"c{i}") for i, a in constants.items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def check(
    op: str,
    *inputs: Array,
    attrs: dict[str, Any] | None = None,
    constant: tuple[int, ...] = (),
    opset: int = 21,
    rtol: float = 1e-5,
    outputs: int = 1,
) -> None:
    constants = {i: inputs[i] for i in constant}
    model = model_of(op, list(inputs), attrs, constants, outputs, opset)
    args = [a for i, a in enumerate(inputs) if i not in constants]
    feeds = {f"x{i}": a for i, a in enumerate(inputs) if i not in constants}
    expected = ReferenceEvaluator(model).run(None, feeds)
    imported = import_onnx(model)
    params = list(imported.params.values())
    actual = run_function(imported.module, imported.entry, [*args, *params])
    for want, got in zip(expected, actual, strict=True):
        got = np.asarray(got)
        assert got.dtype == want.dtype
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6)


def floats(*shape: int) -> Array:
    return RNG.standard_normal(shape).astype(np.float32) * 3


X = floats(2, 3, 4)


@pytest.mark.parametrize(
    ("op", "attrs"),
    [
        ("LeakyRelu", {"alpha": 0.1}),
        ("Elu", {"alpha": 0.7}),
        ("Selu", {}),
        ("Celu", {"alpha": 2.0}),
        ("HardSigmoid", {"alpha": 0.3, "beta": 0.4}),
        ("HardSwish", {}),
        ("Softplus", {}),
        ("Softsign", {}),
        ("Mish", {}),
        ("ThresholdedRelu", {"alpha": 0.5}),
        ("Shrink", {"bias": 0.2, "lambd": 0.7}),
        ("Sign", {}),
    ],
)
def test_activations(op: str, attrs: dict[str, Any]) -> None:
    check(op, X, attrs=attrs, rtol=1e-4)


def test_swish() -> None:
    check("Swish", X, attrs={"alpha": 1.5}, opset=24, rtol=1e-4)


def test_prelu_broadcasts_its_slope() -> None:
    check("PRelu", X, floats(3, 1))


@pytest.mark.parametrize("op", ["Sum", "Mean", "Max", "Min"])
def test_variadic(op: str) -> None:
    check(op, X, floats(3, 4), floats(1, 4))


VALUES = np.array(
    [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 3.4e38, 2.5], np.float32
)


@pytest.mark.parametrize(
    "op", ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"]
)
@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.uint8, np.int64])
def test_comparisons(op: str, dtype: type) -> None:
    if dtype is np.float32:
        # Every pair, including zeros of both signs, infinities and NaN; the
        # largest finite value stays out (mlc equates it with inf).
        values = VALUES[VALUES != np.float32(3.4e38)]
        a, b = np.meshgrid(values, values)
    else:
        info = np.iinfo(dtype)
        values = np.array(
            [info.min, info.min + 1, -1 if info.min else 0, 0, 1, info.max]
        )
        a, b = np.meshgrid(values.astype(dtype), values.astype(dtype))
    check(op, a.astype(dtype), b.astype(dtype))


def test_boolean_logic() -> None:
    a, b = np.meshgrid([False, True], [False, True])
    for op in ("And", "Or", "Xor", "Equal"):
        check(op, a, b)
    check("Not", a)


def test_is_nan_and_is_inf() -> None:
    check("IsNaN", VALUES)
    check("IsInf", VALUES)
    check("IsInf", VALUES, attrs={"detect_negative": 0})
    check("IsInf", VALUES, attrs={"detect_positive": 0})


AXES = np.array([0, 2], np.int64)


@pytest.mark.parametrize(
    "op",
    [
        "ReduceMin",
        "ReduceL1",
        "ReduceL2",
        "ReduceSumSquare",
        "ReduceLogSumExp",
        "ReduceMean",
        "ReduceMax",
    ],
)
@pytest.mark.parametrize("keepdims", [0, 1])
def test_reductions(op: str, keepdims: int) -> None:
    check(op, X, AXES, attrs={"keepdims": keepdims}, constant=(1,), rtol=1e-4)


def test_reduce_log_sum() -> None:
    check("ReduceLogSum", np.abs(X) + 0.1, AXES, constant=(1,), rtol=1e-4)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32])
def test_reduce_min_of_integers_is_exact(dtype: type) -> None:
    info = np.iinfo(dtype)
    x = np.array([[info.min, 3, info.max], [info.max, info.max, 0]], dtype)
    check("ReduceMin", x, np.array([1], np.int64), constant=(1,))


@pytest.mark.parametrize("op", ["ArgMax", "ArgMin"])
@pytest.mark.parametrize("last", [0, 1])
def test_arg_max_and_min_with_ties(op: str, last: int) -> None:
    x = np.array([[1, 5, 5, 0], [2, 2, -1, -1]], np.float32)
    for axis in (0, 1):
        check(op, x, attrs={"axis": axis, "keepdims": 0, "select_last_index": last})
    check(op, X, attrs={"axis": 2})


def test_hardmax_and_global_max_pool() -> None:
    check("Hardmax", X, attrs={"axis": 1})
    check("GlobalMaxPool", floats(2, 3, 4, 5))


def test_normalizations() -> None:
    x = floats(2, 4, 3, 5)
    scale, bias = floats(4), floats(4)
    check("InstanceNormalization", x, scale, bias, attrs={"epsilon": 1e-3}, rtol=1e-4)
    check("GroupNormalization", x, scale, bias, attrs={"num_groups": 2}, rtol=1e-4)
    check("RMSNormalization", x, floats(3, 5), attrs={"axis": 2}, opset=23, rtol=1e-4)
    check("MeanVarianceNormalization", x, rtol=1e-4)
    # onnx.reference sums x, not |x|, for p = 1: positive inputs agree.
    for p in (1, 2):
        check("LpNormalization", np.abs(x), attrs={"axis": 1, "p": p}, rtol=1e-4)
    zeros = np.zeros((2, 3), np.float32)
    with np.errstate(invalid="ignore"):  # the reference divides 0 by 0 first
        check("LpNormalization", zeros, attrs={"axis": 1, "p": 2})
    # onnx.reference's LRN loops over the batch, not the channels: N = C.
    check("LRN", floats(4, 4, 2, 3), attrs={"size": 3, "alpha": 0.1}, rtol=1e-4)


def test_group_normalization_of_opset_18_scales_per_group() -> None:
    x = floats(2, 4, 3)
    check(
        "GroupNormalization",
        x,
        floats(2),
        floats(2),
        attrs={"num_groups": 2},
        opset=18,
        rtol=1e-4,
    )


def test_data_movement() -> None:
    check("Tile", X, np.array([2, 1, 3], np.int64), constant=(1,))
    for upper in (0, 1):
        for k in (-1, 0, 2):
            check(
                "Trilu", X, np.array(k, np.int64), attrs={"upper": upper}, constant=(1,)
            )
    x = floats(1, 8, 2, 3)
    check("DepthToSpace", x, attrs={"blocksize": 2})
    check("DepthToSpace", x, attrs={"blocksize": 2, "mode": "CRD"})
    check("SpaceToDepth", floats(1, 2, 4, 6), attrs={"blocksize": 2})
    check("CastLike", X, np.zeros(1, np.float64), constant=(1,))
    check("EyeLike", floats(3, 4), attrs={"k": 1})
    indices = np.array([[0, 2], [-1, 1]], np.int64)
    values = np.array([-1.0, 5.0], np.float32)
    check("OneHot", indices, np.array(3, np.int64), values, constant=(1,))
    check(
        "OneHot",
        indices,
        np.array(3, np.int64),
        values,
        attrs={"axis": 0},
        constant=(1,),
    )


def test_gather_elements() -> None:
    indices = RNG.integers(-3, 3, (2, 5, 4)).astype(np.int64)
    check("GatherElements", X, indices, attrs={"axis": 1})
    check("GatherElements", X, indices[:, :3, :], attrs={"axis": 2})


def test_lp_normalization_of_other_orders_is_refused() -> None:
    model = model_of("LpNormalization", [X], {"p": 3})
    with pytest.raises(UnsupportedModelError, match=r"node 'n' \(LpNormalization\)"):
        import_onnx(model)


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8])
@pytest.mark.parametrize(("exclusive", "reverse"), [(0, 0), (1, 0), (0, 1), (1, 1)])
def test_cumsum(dtype: type, exclusive: int, reverse: int) -> None:
    x = RNG.integers(0, 50, (3, 7)).astype(dtype)
    attrs = {"exclusive": exclusive, "reverse": reverse}
    for axis in (0, 1):
        check("CumSum", x, np.array(axis, np.int64), attrs=attrs, constant=(1,))


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 1])
def test_losses(reduction: str, weighted: bool, ignore: int | None) -> None:
    scores = floats(3, 4, 2)
    labels = np.array([[0, 1], [3, 1], [2, 2]], np.int64)
    attrs: dict[str, Any] = {"reduction": reduction}
    if ignore is not None:
        attrs["ignore_index"] = ignore
    weights = [np.abs(floats(4)) + 0.5] if weighted else []
    check("SoftmaxCrossEntropyLoss", scores, labels, *weights, attrs=attrs, rtol=1e-4)
    check("NegativeLogLikelihoodLoss", scores, labels, *weights, attrs=attrs, rtol=1e-4)


def test_attention_4d_with_cache_bool_mask_and_softcap() -> None:
    q, k, v = floats(2, 4, 3, 8), floats(2, 2, 5, 8), floats(2, 2, 5, 6)
    past_k, past_v = floats(2, 2, 2, 8), floats(2, 2, 2, 6)
    mask = RNG.random((3, 6)) > 0.3
    mask[:, 0] = True
    check(
        "Attention",
        q,
        k,
        v,
        mask,
        past_k,
        past_v,
        attrs={"softcap": 2.0, "qk_matmul_output_mode": 2},
        opset=23,
        rtol=1e-4,
        outputs=4,
    )


def test_attention_3d_grouped_causal() -> None:
    q, k, v = floats(1, 4, 16), floats(1, 4, 8), floats(1, 4, 8)
    attrs = {"q_num_heads": 4, "kv_num_heads": 2, "is_causal": 1, "scale": 0.3}
    check("Attention", q, k, v, attrs=attrs, opset=23, rtol=1e-4)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint16])
@pytest.mark.parametrize("fmod", [0, 1])
def test_mod_of_integers(dtype: type, fmod: int) -> None:
    a = np.array([7, -7, 7, -7, 0, 5, -128 if dtype is np.int8 else 9], np.int64)
    b = np.array([3, 3, -3, -3, 4, 5, 7], np.int64)
    if np.dtype(dtype).kind == "u":
        a, b = np.abs(a), np.abs(b)
    check("Mod", a.astype(dtype), b.astype(dtype), attrs={"fmod": fmod})


def test_mod_of_float_constants_folds() -> None:
    a, b = np.array([5.5, -5.5], np.float32), np.array([2.0, 2.0], np.float32)
    check("Mod", a, b, attrs={"fmod": 1}, constant=(0, 1))


def test_gather_nd() -> None:
    data = floats(2, 3, 4)
    check("GatherND", data, np.array([[0, 1], [1, -1]], np.int64))
    check("GatherND", data, np.array([[[1]], [[0]]], np.int64))
    batched = np.array([[[1, 3]], [[2, 0]]], np.int64)
    check("GatherND", data, batched, attrs={"batch_dims": 1})


@pytest.mark.parametrize(
    "attrs",
    [
        {"strides": [2, 3], "pads": [1, 0, 0, 2], "output_padding": [1, 0]},
        {"dilations": [2, 1], "pads": [2, 1, 1, 0]},
        {"strides": [2, 2], "auto_pad": "SAME_LOWER"},
    ],
)
def test_conv_transpose(attrs: dict[str, Any]) -> None:
    x, w, b = floats(1, 4, 3, 5), floats(4, 3, 3, 2), floats(3)
    check("ConvTranspose", x, w, b, attrs=attrs, rtol=1e-4)


def test_conv_transpose_1d() -> None:
    # Groups: the conformance suite's test_convtranspose_group_2*.
    check("ConvTranspose", floats(1, 4, 5), floats(4, 2, 3), attrs={"strides": [2]})


@pytest.mark.parametrize(
    "op",
    ["Sin", "Cos", "Tan", "Atan", "Sinh", "Cosh", "Asinh", "Floor", "Ceil", "Round"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unary_math(op: str, dtype: type) -> None:
    x = floats(3, 4).astype(dtype)
    x[0, :] = [-2.5, -0.5, 0.5, 1.5]  # halves round to even
    check(op, x)


@pytest.mark.parametrize("op", ["Asin", "Acos", "Atanh", "Acosh"])
def test_inverse_functions_in_and_out_of_their_domain(op: str) -> None:
    x = np.array([-1.5, -1.0, -0.3, 0.0, 0.7, 1.0, 2.0, 9.0], np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):  # onnx's reference warns
        check(op, x)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_mod_of_floats(dtype: type) -> None:
    a = np.array([[5.5, -5.5, 5.5, -5.5, 4.0, -4.0, 0.25]], dtype)
    b = np.array([[2.0], [-2.0], [0.75]], dtype)
    check("Mod", a, b, attrs={"fmod": 1}, rtol=1e-3)
    # ONNX defines float Mod for fmod = 1 only (onnxruntime refuses 0, onnx's
    # reference computes fmod); mlc reads fmod = 0 as the integer modulus
    # does, the floored remainder with the divisor's sign (numpy, Python).
    model = model_of("Mod", [a, b], {"fmod": 0})
    imported = import_onnx(model)
    (actual,) = run_function(imported.module, imported.entry, [a, b])
    np.testing.assert_array_equal(actual, np.mod(a, b))


@pytest.mark.parametrize("op", ["BitwiseAnd", "BitwiseOr", "BitwiseXor"])
@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int32, np.uint64])
def test_bitwise_logic(op: str, dtype: type) -> None:
    info = np.iinfo(dtype)
    a = RNG.integers(info.min, info.max, (2, 3, 4), dtype=dtype, endpoint=True)
    b = RNG.integers(info.min, info.max, (3, 1), dtype=dtype, endpoint=True)
    check(op, a, b)


def test_bitwise_not() -> None:
    for dtype in (np.int8, np.uint8, np.int64, np.uint32):
        info = np.iinfo(dtype)
        check("BitwiseNot", np.array([info.min, 0, 1, info.max], dtype))


@pytest.mark.parametrize("direction", ["LEFT", "RIGHT"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_bit_shift(direction: str, dtype: type) -> None:
    x = np.array([1, 2, 3, 255, 128, 7], dtype)
    by = np.array([0, 1, 3, 7, 2, 5], dtype)
    check("BitShift", x, by, attrs={"direction": direction}, opset=13)


def test_reduce_prod() -> None:
    x = floats(2, 3, 4) / 2
    for axes, keepdims in (([1], 1), ([-1, 0], 0), ([], 1)):
        check(
            "ReduceProd",
            x,
            np.array(axes, np.int64),
            attrs={"keepdims": keepdims},
            constant=(1,),
            opset=18,
            rtol=1e-4,
        )
    check("ReduceProd", RNG.integers(-3, 4, (3, 5)).astype(np.int32), opset=18)
    check("ReduceProd", x, attrs={"axes": [2], "keepdims": 0}, opset=13, rtol=1e-4)


@pytest.mark.parametrize("op", ["HannWindow", "HammingWindow", "BlackmanWindow"])
@pytest.mark.parametrize("periodic", [0, 1])
def test_windows_fold_at_import(op: str, periodic: int) -> None:
    for size, dtype in ((10, 1), (7, 11), (1, 1)):
        attrs = {"periodic": periodic, "output_datatype": dtype}
        if size == 1 and not periodic:
            continue  # onnx's reference divides by zero
        model = model_of(op, [np.array(size, np.int64)], attrs, {0: np.array(size)})
        (expected,) = ReferenceEvaluator(model).run(None, {})
        imported = import_onnx(model)
        (actual,) = run_function(imported.module, imported.entry, [])
        assert actual.dtype == expected.dtype
        np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-7)


def test_window_of_unknown_size_is_refused() -> None:
    model = model_of("HannWindow", [np.array(4, np.int64)], opset=21)
    with pytest.raises(UnsupportedModelError, match=r"input 0 \(size\) must be a"):
        import_onnx(model)


def test_cumprod_and_bitcast_against_numpy() -> None:
    x = np.array([[1.5, -2.0, 0.5], [3.0, 1.0, -1.0]], np.float32)
    for attrs, expected in (
        ({}, np.cumprod(x, 1)),
        (
            {"exclusive": 1},
            np.concatenate([np.ones((2, 1)), np.cumprod(x, 1)[:, :2]], 1),
        ),
        ({"reverse": 1}, np.cumprod(x[:, ::-1], 1)[:, ::-1]),
    ):
        model = model_of(
            "CumProd", [x, np.array(1, np.int64)], attrs, {1: np.array(1)}, opset=26
        )
        imported = import_onnx(model)
        (actual,) = run_function(imported.module, imported.entry, [x])
        np.testing.assert_allclose(actual, expected.astype(np.float32), rtol=1e-6)
    to_int32 = {"to": onnx.TensorProto.INT32}
    model = model_of("BitCast", [x], to_int32, opset=26)
    imported = import_onnx(model)
    (actual,) = run_function(imported.module, imported.entry, [x])
    np.testing.assert_array_equal(actual, x.view(np.int32))
