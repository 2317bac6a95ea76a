"""
Neural-network graph ops: builders, inference, references, verifier messages.

References are checked against hand-computed cases and against straightforward
loop implementations (written independently of `nn.py`, following the PyTorch
and ONNX definitions) on random inputs.
"""

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest
from helpers import make_context, print_op
from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp, TensorType, f16, f32, f64, i32
from xdsl.ir import Block, Region
from xdsl.parser import Parser
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import (
    DYNAMIC,
    NN_OPS,
    AvgPool2DOp,
    BatchNormOp,
    Conv2DOp,
    FusionKind,
    GlobalAvgPool2DOp,
    LayerNormOp,
    LinearOp,
    LogSoftmaxOp,
    MatmulOp,
    MaxPool2DOp,
    SoftmaxOp,
    fusion_kind,
)

NN_MLIR = Path(__file__).parents[3] / "filecheck" / "dialects" / "graph" / "nn.mlir"


def tensor(shape: list[int], element=f32):
    return create_ssa_value(TensorType(element, shape))


def arr(*values, dtype=np.float32):
    return np.array(values, dtype=dtype)


RNG = np.random.default_rng(0)


def rand(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


# --------------------------------------------------------------------------- #
# Builders, inference, traits, docs
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: LinearOp(tensor([2, 3]), tensor([4, 3]), tensor([4])), [2, 4]),
        (lambda: LinearOp(tensor([5, 2, 3]), tensor([4, 3])), [5, 2, 4]),
        (lambda: LinearOp(tensor([3]), tensor([4, 3])), [4]),
        (lambda: LinearOp(tensor([DYNAMIC, 3]), tensor([4, 3])), [DYNAMIC, 4]),
        (lambda: MatmulOp(tensor([2, 3]), tensor([3, 4])), [2, 4]),
        (lambda: MatmulOp(tensor([3]), tensor([3, 4])), [4]),
        (lambda: MatmulOp(tensor([2, 3]), tensor([3])), [2]),
        (lambda: MatmulOp(tensor([3]), tensor([3])), []),
        (lambda: MatmulOp(tensor([5, 1, 2, 3]), tensor([4, 3, 2])), [5, 4, 2, 2]),
        (lambda: MatmulOp(tensor([3]), tensor([7, 3, 2])), [7, 2]),
        (lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3])), [1, 2, 2, 2]),
        (
            lambda: Conv2DOp(
                tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), tensor([2]), pads=[1] * 4
            ),
            [1, 2, 4, 4],
        ),
        (
            lambda: Conv2DOp(
                tensor([2, 4, 7, 7]),
                tensor([6, 2, 3, 3]),
                strides=[2, 3],
                pads=[1, 0, 1, 2],
                dilations=[2, 1],
                groups=2,
            ),
            [2, 6, 3, 3],
        ),
        (
            lambda: Conv2DOp(tensor([DYNAMIC, 1, 5, 5]), tensor([3, 1, 3, 3])),
            [DYNAMIC, 3, 3, 3],
        ),
        (lambda: MaxPool2DOp(tensor([1, 1, 4, 4]), [2, 2]), [1, 1, 3, 3]),
        (
            lambda: MaxPool2DOp(
                tensor([1, 2, 6, 6]),
                [2, 2],
                strides=[2, 2],
                pads=[1, 1, 0, 0],
                dilations=[2, 2],
                ceil_mode=True,
            ),
            [1, 2, 3, 3],
        ),
        (
            lambda: AvgPool2DOp(tensor([1, 1, 4, 4]), [3, 3], strides=[2, 2]),
            [1, 1, 1, 1],
        ),
        (
            lambda: AvgPool2DOp(
                tensor([1, 1, 4, 4]), [3, 3], strides=[2, 2], ceil_mode=True
            ),
            [1, 1, 2, 2],
        ),
        # ceil mode drops a last window that would start in the end padding.
        (
            lambda: AvgPool2DOp(
                tensor([1, 1, 5, 5]),
                [2, 2],
                strides=[2, 2],
                pads=[0, 0, 1, 1],
                ceil_mode=True,
            ),
            [1, 1, 3, 3],
        ),
        (lambda: GlobalAvgPool2DOp(tensor([2, 3, 5, 7])), [2, 3, 1, 1]),
        (
            lambda: BatchNormOp(tensor([2, 3, 4]), *[tensor([3])] * 4, epsilon=1e-3),
            [2, 3, 4],
        ),
        (lambda: LayerNormOp(tensor([2, 3])), [2, 3]),
        (
            lambda: LayerNormOp(tensor([2, 3, 4]), tensor([3, 1]), tensor([4]), axis=1),
            [2, 3, 4],
        ),
        (lambda: LayerNormOp(tensor([2, DYNAMIC]), tensor([3])), [2, DYNAMIC]),
        (lambda: SoftmaxOp(tensor([2, 3]), axis=0), [2, 3]),
        (lambda: LogSoftmaxOp(tensor([2, 3])), [2, 3]),
    ],
)
def test_builders_infer_the_result_type(build, expected):
    op = build()
    op.verify()
    assert op.result.type == TensorType(f32, expected)


def test_builders_keep_the_element_type():
    op = LinearOp(tensor([2, 3], f16), tensor([4, 3], f16))
    assert op.result.type == TensorType(f16, [2, 4])
    op = SoftmaxOp(tensor([2, 3], f64))
    assert op.result.type == TensorType(f64, [2, 3])


def test_absent_properties_are_not_set():
    op = Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]))
    assert dict(op.properties) == {}
    op = LayerNormOp(tensor([2, 3]), bias=tensor([3]))
    assert set(op.properties) == {"operandSegmentSizes"}
    assert op.scale is None
    assert op.bias is not None


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        (LinearOp, FusionKind.OUTPUT_FUSABLE),
        (MatmulOp, FusionKind.OUTPUT_FUSABLE),
        (Conv2DOp, FusionKind.OUTPUT_FUSABLE),
        (MaxPool2DOp, FusionKind.OUTPUT_FUSABLE),
        (AvgPool2DOp, FusionKind.OUTPUT_FUSABLE),
        (GlobalAvgPool2DOp, FusionKind.OUTPUT_FUSABLE),
        (BatchNormOp, FusionKind.BROADCAST),
        (LayerNormOp, FusionKind.REDUCTION),
        (SoftmaxOp, FusionKind.REDUCTION),
        (LogSoftmaxOp, FusionKind.REDUCTION),
    ],
)
def test_fusion_kinds(op, kind):
    x = tensor([1, 2, 3, 3])
    instance = {
        LinearOp: lambda: LinearOp(x, tensor([4, 3])),
        MatmulOp: lambda: MatmulOp(x, tensor([3, 3])),
        Conv2DOp: lambda: Conv2DOp(x, tensor([2, 2, 1, 1])),
        MaxPool2DOp: lambda: MaxPool2DOp(x, [2, 2]),
        AvgPool2DOp: lambda: AvgPool2DOp(x, [2, 2]),
        GlobalAvgPool2DOp: lambda: GlobalAvgPool2DOp(x),
        BatchNormOp: lambda: BatchNormOp(x, *[tensor([2])] * 4),
        LayerNormOp: lambda: LayerNormOp(x),
        SoftmaxOp: lambda: SoftmaxOp(x),
        LogSoftmaxOp: lambda: LogSoftmaxOp(x),
    }[op]()
    assert fusion_kind(instance) == kind


def test_nn_ops_lists_every_op():
    assert set(NN_OPS) == {
        LinearOp,
        MatmulOp,
        Conv2DOp,
        MaxPool2DOp,
        AvgPool2DOp,
        GlobalAvgPool2DOp,
        BatchNormOp,
        LayerNormOp,
        SoftmaxOp,
        LogSoftmaxOp,
    }


@pytest.mark.parametrize("op", NN_OPS, ids=lambda op: op.name)
def test_docstring_example_is_in_the_filecheck_test(op):
    doc = op.__doc__ or ""
    examples = re.findall(r"```mlir\n(.*?)```", doc, re.S)
    assert len(examples) == 1, f"{op.name} needs exactly one ```mlir example"
    lines = [line.strip() for line in examples[0].strip().splitlines()]
    text = NN_MLIR.read_text()
    for line in lines:
        assert line in text, f"{op.name}: {line!r} is not in {NN_MLIR.name}"


def in_function(arg_shapes, build):
    """A module holding `func.func @f(args)` whose body is `build(*args)`."""
    types = [TensorType(f32, shape) for shape in arg_shapes]
    block = Block(arg_types=types)
    block.add_ops([build(*block.args), func.ReturnOp()])
    function = func.FuncOp("f", FunctionType.from_lists(types, []), Region(block))
    return ModuleOp([function])


@pytest.mark.parametrize(
    ("arg_shapes", "build"),
    [
        (
            [[1, 3, 4, 4], [2, 3, 3, 3], [2]],
            lambda x, w, b: Conv2DOp(x, w, b, strides=[1, 1], groups=1),
        ),
        ([[1, 3, 4, 4]], lambda x: MaxPool2DOp(x, [2, 2], ceil_mode=False)),
        (
            [[1, 3, 4, 4]],
            lambda x: AvgPool2DOp(x, [3, 3], pads=[1] * 4, count_include_pad=True),
        ),
        ([[2, 3], [3]], lambda x, b: LayerNormOp(x, None, b, epsilon=1e-3, axis=-1)),
        ([[2, 3], [3]], lambda x, s: LayerNormOp(x, s)),
        ([[2, 3, 4], [3]], lambda x, p: BatchNormOp(x, p, p, p, p, epsilon=0.5)),
        ([[2, 3], [4, 3]], lambda x, w: LinearOp(x, w)),
    ],
)
def test_builder_output_round_trips_in_both_forms(arg_shapes, build):
    module = in_function(arg_shapes, build)
    module.verify()
    text = print_op(module)
    assert "operandSegmentSizes" not in text
    ctx = make_context()
    assert print_op(Parser(ctx, text).parse_module()) == text
    generic = print_op(module, generic=True)
    assert print_op(Parser(ctx, generic).parse_module()) == text


# --------------------------------------------------------------------------- #
# Hand-computed references
# --------------------------------------------------------------------------- #


def test_linear_reference_by_hand():
    x = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    w = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], np.float32)
    b = arr(0.5, -1, 0, 1)
    op = LinearOp(tensor([2, 3]), tensor([4, 3]), tensor([4]))
    expected = np.array([[1.5, 1, 3, 7], [4.5, 4, 6, 16]], np.float32)
    np.testing.assert_array_equal(op.evaluate(x, w, b), expected)
    no_bias = LinearOp(tensor([2, 3]), tensor([4, 3]))
    np.testing.assert_array_equal(no_bias.evaluate(x, w, None), expected - b)


def test_matmul_reference_by_hand():
    a = np.array([[1, 2], [3, 4]], np.float32)
    v = arr(1, -1)
    op = MatmulOp(tensor([2, 2]), tensor([2, 2]))
    np.testing.assert_array_equal(op.evaluate(a, a), [[7, 10], [15, 22]])
    op = MatmulOp(tensor([2]), tensor([2, 2]))
    np.testing.assert_array_equal(op.evaluate(v, a), [-2, -2])
    op = MatmulOp(tensor([2, 2]), tensor([2]))
    np.testing.assert_array_equal(op.evaluate(a, v), [-1, -1])
    op = MatmulOp(tensor([2]), tensor([2]))
    assert op.evaluate(v, v).shape == ()
    assert op.evaluate(v, v) == 2


NINE = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
"""[[0, 1, 2], [3, 4, 5], [6, 7, 8]] as NCHW."""


def test_conv2d_reference_by_hand():
    kernel = np.array([[[[1, 0], [0, -1]]]], np.float32)
    op = Conv2DOp(tensor([1, 1, 3, 3]), tensor([1, 1, 2, 2]))
    np.testing.assert_array_equal(
        op.evaluate(NINE, kernel, None), np.full((1, 1, 2, 2), -4)
    )
    ones = np.ones((1, 1, 3, 3), np.float32)
    op = Conv2DOp(tensor([1, 1, 3, 3]), tensor([1, 1, 3, 3]), tensor([1]), pads=[1] * 4)
    expected = [[8, 15, 12], [21, 36, 27], [20, 33, 24]]
    np.testing.assert_array_equal(
        op.evaluate(NINE, ones, arr(1))[0, 0], np.add(expected, 1)
    )


def test_conv2d_strides_dilations_and_groups_by_hand():
    x = np.arange(25, dtype=np.float32).reshape(1, 1, 5, 5)
    corners = np.ones((1, 1, 2, 2), np.float32)
    # dilation 2: each output sums x[i, j], x[i, j+2], x[i+2, j], x[i+2, j+2].
    op = Conv2DOp(
        tensor([1, 1, 5, 5]), tensor([1, 1, 2, 2]), dilations=[2, 2], strides=[2, 2]
    )
    out = op.evaluate(x, corners, None)
    assert out.shape == (1, 1, 2, 2)
    assert out[0, 0, 0, 0] == 0 + 2 + 10 + 12
    assert out[0, 0, 1, 1] == 12 + 14 + 22 + 24
    # depthwise: two channels, each scaled by its own 1x1 kernel.
    two = np.stack([NINE[0, 0], -NINE[0, 0]])[None]
    op = Conv2DOp(tensor([1, 2, 3, 3]), tensor([2, 1, 1, 1]), groups=2)
    out = op.evaluate(two, np.array([2, 3], np.float32).reshape(2, 1, 1, 1), None)
    np.testing.assert_array_equal(
        out, np.stack([2 * NINE[0, 0], -3 * NINE[0, 0]])[None]
    )


SIXTEEN = np.arange(1, 17, dtype=np.float32).reshape(1, 1, 4, 4)
"""The ONNX pooling test input [[1..4], [5..8], [9..12], [13..16]]."""


def test_max_pool2d_reference_by_hand():
    op = MaxPool2DOp(tensor([1, 1, 4, 4]), [2, 2], strides=[2, 2])
    np.testing.assert_array_equal(op.evaluate(SIXTEEN)[0, 0], [[6, 8], [14, 16]])
    # ONNX test_maxpool_2d_ceil
    op = MaxPool2DOp(tensor([1, 1, 4, 4]), [3, 3], strides=[2, 2], ceil_mode=True)
    np.testing.assert_array_equal(op.evaluate(SIXTEEN)[0, 0], [[11, 12], [15, 16]])
    # Padding acts as -inf: all-negative input never yields a padded 0.
    op = MaxPool2DOp(tensor([1, 1, 4, 4]), [2, 2], pads=[1, 1, 1, 1], strides=[2, 2])
    np.testing.assert_array_equal(
        op.evaluate(-SIXTEEN)[0, 0], [[-1, -2, -4], [-5, -6, -8], [-13, -14, -16]]
    )
    # dilation 2 over a 3x3 input picks the four corners.
    op = MaxPool2DOp(tensor([1, 1, 3, 3]), [2, 2], dilations=[2, 2])
    assert op.evaluate(-NINE)[0, 0, 0, 0] == 0
    assert op.evaluate(NINE)[0, 0, 0, 0] == 8


def test_avg_pool2d_ceil_mode_by_hand():
    # ONNX test_averagepool_2d_ceil
    op = AvgPool2DOp(tensor([1, 1, 4, 4]), [3, 3], strides=[2, 2], ceil_mode=True)
    np.testing.assert_array_equal(op.evaluate(SIXTEEN)[0, 0], [[6, 7.5], [12, 13.5]])


@pytest.mark.parametrize(
    ("include", "expected"),
    [
        (False, [[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]),
        (True, [[0.25, 0.75, 0.5], [1, 2.5, 1.5], [0.75, 1.75, 1]]),
    ],
)
def test_avg_pool2d_count_include_pad_by_hand(include, expected):
    x = np.array([[[[1, 2], [3, 4]]]], np.float32)
    op = AvgPool2DOp(
        tensor([1, 1, 2, 2]), [2, 2], pads=[1] * 4, count_include_pad=include
    )
    np.testing.assert_array_equal(op.evaluate(x)[0, 0], expected)


@pytest.mark.parametrize("include", [False, True])
def test_avg_pool2d_ceil_overhang_is_never_counted(include):
    # [1, 2, 3, 4, 5], kernel 2, stride 2, ceil mode: the last window holds
    # only 5 (onnxruntime, onnx.reference and PyTorch agree on 5.0).
    x = np.arange(1, 6, dtype=np.float32).reshape(1, 1, 1, 5)
    op = AvgPool2DOp(
        tensor([1, 1, 1, 5]),
        [1, 2],
        strides=[1, 2],
        ceil_mode=True,
        count_include_pad=include,
    )
    np.testing.assert_array_equal(op.evaluate(x)[0, 0, 0], [1.5, 3.5, 5.0])


def test_avg_pool2d_matches_pytorch_with_pads_and_ceil_mode():
    # onnx/onnx#5276: AvgPool1d(7, stride 3, padding 3, ceil_mode, count_include_pad)
    # in PyTorch gives the last window's divisor as the taps inside the padded input.
    rows = [
        [2.0903, 4.6493, 1.6320, -3.2051, 4.6975, 4.7296, 3.3653, -1.5815, -2.3832],
        [0.9628, -1.5899, -2.6820, 5.7529, 7.7346, -0.8910, -2.0151, 0.1313, -0.5374],
    ]
    x = np.array(rows, np.float32).reshape(1, 2, 1, 9)
    op = AvgPool2DOp(
        tensor([1, 2, 1, 9]),
        [1, 7],
        strides=[1, 3],
        pads=[0, 3, 0, 3],
        ceil_mode=True,
        count_include_pad=True,
    )
    expected = [[0.7381, 2.5656, 0.8032, -0.0999], [0.3491, 1.0389, 1.4536, -0.4035]]
    np.testing.assert_allclose(op.evaluate(x)[0, :, 0], expected, atol=1e-4)


def test_global_avg_pool2d_reference_by_hand():
    x = np.concatenate([NINE, 2 * NINE], axis=1)
    op = GlobalAvgPool2DOp(tensor([1, 2, 3, 3]))
    np.testing.assert_array_equal(op.evaluate(x), np.array([4, 8]).reshape(1, 2, 1, 1))


def test_batch_norm_reference_by_hand():
    x = np.array([[1, 2], [3, 4]], np.float32)
    scale, bias, mean, var = arr(1, 2), arr(0, 1), arr(2, 3), arr(1, 4)
    op = BatchNormOp(tensor([2, 2]), *[tensor([2])] * 4, epsilon=0.0)
    np.testing.assert_array_equal(
        op.evaluate(x, scale, bias, mean, var), [[-1, 0], [1, 2]]
    )
    # default epsilon 1e-5
    op = BatchNormOp(tensor([2, 2]), *[tensor([2])] * 4)
    out = op.evaluate(x, scale, bias, mean, var)
    assert out[1, 0] == pytest.approx(1 / math.sqrt(1 + 1e-5))


def test_layer_norm_reference_by_hand():
    x = np.array([[1, 2, 3], [-1, -1, -1]], np.float32)
    unit = math.sqrt(1.5)  # (x - 2) / sqrt(2/3)
    op = LayerNormOp(tensor([1, 3]), epsilon=0.0)
    np.testing.assert_allclose(
        op.evaluate(x[:1], None, None)[0], [-unit, 0, unit], rtol=1e-6
    )
    op = LayerNormOp(tensor([1, 3]), tensor([3]), tensor([3]), epsilon=0.0)
    out = op.evaluate(x[:1], arr(1, 2, 3), arr(0, 0, 1))
    np.testing.assert_allclose(out[0], [-unit, 0, 3 * unit + 1], rtol=1e-6)
    # a constant row normalizes to 0 (+ bias) thanks to epsilon
    op = LayerNormOp(tensor([2, 3]), None, tensor([3]))
    np.testing.assert_array_equal(op.evaluate(x, None, arr(0, 0, 1))[1], [0, 0, 1])


def test_layer_norm_normalizes_trailing_dims_from_axis():
    x = np.array([[[1, 2], [3, 4]]], np.float32)  # 1x2x2, axis 1 normalizes 4 values
    op = LayerNormOp(tensor([1, 2, 2]), axis=1, epsilon=0.0)
    unit = 1 / math.sqrt(1.25)
    np.testing.assert_allclose(
        op.evaluate(x, None, None)[0],
        [[-1.5 * unit, -0.5 * unit], [0.5 * unit, 1.5 * unit]],
        rtol=1e-6,
    )


def test_softmax_reference_by_hand():
    x = np.log(arr(1, 2, 3))
    op = SoftmaxOp(tensor([3]))
    np.testing.assert_allclose(op.evaluate(x), [1 / 6, 2 / 6, 3 / 6], rtol=1e-6)
    op = LogSoftmaxOp(tensor([3]))
    np.testing.assert_allclose(op.evaluate(x), np.log([1 / 6, 2 / 6, 3 / 6]), rtol=1e-6)


def test_softmax_is_numerically_stable():
    x = arr(1000, 1000, -1000)
    np.testing.assert_allclose(SoftmaxOp(tensor([3])).evaluate(x), [0.5, 0.5, 0])
    np.testing.assert_allclose(
        LogSoftmaxOp(tensor([3])).evaluate(arr(1000, 0)), [0, -1000]
    )


def test_softmax_axis():
    x = np.array([[0, 0], [0, math.log(3)]], np.float32)
    out = SoftmaxOp(tensor([2, 2]), axis=0).evaluate(x)
    np.testing.assert_allclose(out, [[0.5, 0.25], [0.5, 0.75]], rtol=1e-6)


def test_f16_references_return_f16():
    x = rand(1, 2, 4, 4, dtype=np.float16)
    assert (
        MaxPool2DOp(tensor([1, 2, 4, 4], f16), [2, 2]).evaluate(x).dtype == np.float16
    )
    op = LayerNormOp(tensor([1, 2, 4, 4], f16))
    out = op.evaluate(x, None, None)
    assert out.dtype == np.float16
    np.testing.assert_allclose(out.mean(axis=-1), 0, atol=1e-2)


# --------------------------------------------------------------------------- #
# Random inputs against loop implementations
# --------------------------------------------------------------------------- #


def loop_conv2d(x, w, b, strides, pads, dilations, groups):
    n, _, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    out = np.zeros((n, o, oh, ow), np.float64)
    per_group = o // groups
    for ni, oi, y, z in itertools.product(range(n), range(o), range(oh), range(ow)):
        g = oi // per_group
        total = 0.0 if b is None else float(b[oi])
        for ci, i, j in itertools.product(range(cg), range(kh), range(kw)):
            row = y * strides[0] - pads[0] + i * dilations[0]
            col = z * strides[1] - pads[1] + j * dilations[1]
            if 0 <= row < h and 0 <= col < wd:
                total += float(x[ni, g * cg + ci, row, col]) * float(w[oi, ci, i, j])
        out[ni, oi, y, z] = total
    return out


def pool_out_size(size, kernel, stride, begin, end, dilation, ceil_mode):
    """ONNX / PyTorch output size, written with floats as the specs do."""
    exact = (size + begin + end - dilation * (kernel - 1) - 1) / stride + 1
    out = math.ceil(exact) if ceil_mode else math.floor(exact)
    if ceil_mode and (out - 1) * stride >= size + begin:
        out -= 1
    return out


def loop_max_pool2d(x, kernel, strides, pads, dilations, ceil_mode):
    n, c, h, w = x.shape
    oh = pool_out_size(
        h, kernel[0], strides[0], pads[0], pads[2], dilations[0], ceil_mode
    )
    ow = pool_out_size(
        w, kernel[1], strides[1], pads[1], pads[3], dilations[1], ceil_mode
    )
    out = np.full((n, c, oh, ow), -np.inf)
    for ni, ci, y, z in itertools.product(range(n), range(c), range(oh), range(ow)):
        for i, j in itertools.product(range(kernel[0]), range(kernel[1])):
            row = y * strides[0] - pads[0] + i * dilations[0]
            col = z * strides[1] - pads[1] + j * dilations[1]
            if 0 <= row < h and 0 <= col < w:
                out[ni, ci, y, z] = max(out[ni, ci, y, z], x[ni, ci, row, col])
    return out


def loop_avg_pool2d(x, kernel, strides, pads, ceil_mode, count_include_pad):
    """PyTorch's avg_pool2d divisor (which ONNX AveragePool-19 matches)."""
    n, c, h, w = x.shape
    oh = pool_out_size(h, kernel[0], strides[0], pads[0], pads[2], 1, ceil_mode)
    ow = pool_out_size(w, kernel[1], strides[1], pads[1], pads[3], 1, ceil_mode)
    out = np.zeros((n, c, oh, ow))
    for ni, ci, y, z in itertools.product(range(n), range(c), range(oh), range(ow)):
        h0, w0 = y * strides[0] - pads[0], z * strides[1] - pads[1]
        h1, w1 = min(h0 + kernel[0], h + pads[2]), min(w0 + kernel[1], w + pads[3])
        pool_size = (h1 - h0) * (w1 - w0)
        h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, h), min(w1, w)
        total = x[ni, ci, h0:h1, w0:w1].astype(np.float64).sum()
        divisor = pool_size if count_include_pad else (h1 - h0) * (w1 - w0)
        out[ni, ci, y, z] = total / divisor
    return out


def random_window_config(rng, dilated):
    kernel = [int(k) for k in rng.integers(1, 4, 2)]
    dilations = [int(d) for d in rng.integers(1, 3, 2)] if dilated else [1, 1]
    extent = [dilations[i] * (kernel[i] - 1) + 1 for i in range(2)]
    pads = [int(rng.integers(0, extent[i % 2])) for i in range(4)]
    strides = [int(s) for s in rng.integers(1, 4, 2)]
    return kernel, strides, pads, dilations


@pytest.mark.parametrize("seed", range(12))
def test_conv2d_matches_loops(seed):
    rng = np.random.default_rng(seed)
    groups = int(rng.choice([1, 2]))
    cg, og = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    kernel, strides, _, dilations = random_window_config(rng, dilated=True)
    pads = [int(p) for p in rng.integers(0, 3, 4)]
    h, w = (int(s) for s in rng.integers(5, 8, 2))
    x = rng.standard_normal((2, cg * groups, h, w)).astype(np.float32)
    wt = rng.standard_normal((og * groups, cg, *kernel)).astype(np.float32)
    b = rng.standard_normal(og * groups).astype(np.float32) if seed % 2 else None
    op = Conv2DOp(
        tensor(list(x.shape)),
        tensor(list(wt.shape)),
        None if b is None else tensor([og * groups]),
        strides=strides,
        pads=pads,
        dilations=dilations,
        groups=groups,
    )
    expected = loop_conv2d(x, wt, b, strides, pads, dilations, groups)
    assert op.result.type == TensorType(f32, list(expected.shape))
    np.testing.assert_allclose(op.evaluate(x, wt, b), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("seed", range(16))
def test_max_pool2d_matches_loops(seed):
    rng = np.random.default_rng(100 + seed)
    kernel, strides, pads, dilations = random_window_config(rng, dilated=True)
    ceil_mode = bool(seed % 2)
    x = rng.standard_normal((1, 2, 7, 6)).astype(np.float32)
    op = MaxPool2DOp(
        tensor([1, 2, 7, 6]),
        kernel,
        strides=strides,
        pads=pads,
        dilations=dilations,
        ceil_mode=ceil_mode,
    )
    expected = loop_max_pool2d(x, kernel, strides, pads, dilations, ceil_mode)
    assert op.result.type == TensorType(f32, list(expected.shape))
    np.testing.assert_array_equal(op.evaluate(x), expected.astype(np.float32))


@pytest.mark.parametrize("seed", range(24))
def test_avg_pool2d_matches_loops(seed):
    rng = np.random.default_rng(200 + seed)
    kernel, strides, pads, _ = random_window_config(rng, dilated=False)
    ceil_mode, include = bool(seed % 2), bool(seed // 2 % 2)
    x = rng.standard_normal((1, 2, 7, 6)).astype(np.float32)
    op = AvgPool2DOp(
        tensor([1, 2, 7, 6]),
        kernel,
        strides=strides,
        pads=pads,
        ceil_mode=ceil_mode,
        count_include_pad=include,
    )
    expected = loop_avg_pool2d(x, kernel, strides, pads, ceil_mode, include)
    assert op.result.type == TensorType(f32, list(expected.shape))
    np.testing.assert_allclose(op.evaluate(x), expected, rtol=1e-5, atol=1e-6)


def test_linear_and_matmul_match_loops():
    x, w, b = rand(3, 2, 4), rand(5, 4), rand(5)
    expected = np.zeros((3, 2, 5))
    for i, j, n in itertools.product(range(3), range(2), range(5)):
        expected[i, j, n] = (
            sum(float(x[i, j, k]) * float(w[n, k]) for k in range(4)) + b[n]
        )
    op = LinearOp(tensor([3, 2, 4]), tensor([5, 4]), tensor([5]))
    np.testing.assert_allclose(op.evaluate(x, w, b), expected, rtol=1e-5, atol=1e-5)

    a, c = rand(2, 1, 3, 4), rand(3, 4, 2)
    expected = np.zeros((2, 3, 3, 2))
    for p, q, m, n in itertools.product(range(2), range(3), range(3), range(2)):
        expected[p, q, m, n] = sum(
            float(a[p, 0, m, k]) * float(c[q, k, n]) for k in range(4)
        )
    op = MatmulOp(tensor([2, 1, 3, 4]), tensor([3, 4, 2]))
    np.testing.assert_allclose(op.evaluate(a, c), expected, rtol=1e-5, atol=1e-5)


def test_normalizations_match_loops():
    x = rand(2, 3, 2, 2)
    scale, bias, mean = rand(3), rand(3), rand(3)
    var = np.abs(rand(3)) + 0.1
    expected = np.zeros(x.shape)
    for idx in itertools.product(*map(range, x.shape)):
        ch = idx[1]
        expected[idx] = (x[idx] - mean[ch]) / math.sqrt(var[ch] + 1e-3) * scale[
            ch
        ] + bias[ch]
    op = BatchNormOp(tensor([2, 3, 2, 2]), *[tensor([3])] * 4, epsilon=1e-3)
    np.testing.assert_allclose(
        op.evaluate(x, scale, bias, mean, var), expected, rtol=1e-5
    )

    s, t = rand(2, 2), rand(2)
    expected = np.zeros(x.shape)
    for n, c in itertools.product(range(2), range(3)):
        values = [float(v) for v in x[n, c].flat]
        mu = sum(values) / 4
        sigma2 = sum((v - mu) ** 2 for v in values) / 4
        for i, j in itertools.product(range(2), range(2)):
            normed = (x[n, c, i, j] - mu) / math.sqrt(sigma2 + 1e-5)
            expected[n, c, i, j] = normed * s[i, j] + t[j]
    op = LayerNormOp(tensor([2, 3, 2, 2]), tensor([2, 2]), tensor([2]), axis=2)
    np.testing.assert_allclose(op.evaluate(x, s, t), expected, rtol=1e-4, atol=1e-5)


def test_softmaxes_match_loops():
    x = rand(3, 4) * 10
    soft, log_soft = np.zeros(x.shape), np.zeros(x.shape)
    for j in range(4):
        column = [float(v) for v in x[:, j]]
        total = sum(math.exp(v) for v in column)
        for i in range(3):
            soft[i, j] = math.exp(column[i]) / total
            log_soft[i, j] = column[i] - math.log(total)
    np.testing.assert_allclose(
        SoftmaxOp(tensor([3, 4]), axis=0).evaluate(x), soft, rtol=1e-5
    )
    out = LogSoftmaxOp(tensor([3, 4]), axis=-2).evaluate(x)
    np.testing.assert_allclose(out, log_soft, rtol=1e-5, atol=1e-5)


# --------------------------------------------------------------------------- #
# Verifier messages
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: LinearOp(tensor([2, 3], i32), tensor([4, 3], i32)),
            "'graph.linear' expects a float element type (bf16, f16, f32, f64) for "
            "input, got tensor<2x3xi32>",
        ),
        (
            lambda: LinearOp(tensor([2, 3]), tensor([4, 3], f16)),
            "'graph.linear' expects the same element type for input and weight",
        ),
        (
            lambda: LinearOp(tensor([2, 3]), tensor([4, 5])),
            "'graph.linear' expects input features 3 to equal weight features 5, "
            "got (2, 3) and (4, 5)",
        ),
        (
            lambda: LinearOp(tensor([2, 3]), tensor([4, 3]), tensor([3])),
            "'graph.linear' expects a bias of shape (4,), got tensor<3xf32>",
        ),
        (
            lambda: LinearOp(tensor([]), tensor([4, 3])),
            "'graph.linear' expects an input of rank >= 1, got tensor<f32>",
        ),
        (
            lambda: LinearOp(tensor([2, 3]), tensor([3])),
            "'graph.linear' expects a weight of rank 2 (N x K), got tensor<3xf32>",
        ),
        (
            lambda: MatmulOp(tensor([2, 3]), tensor([2, 3])),
            "'graph.matmul' expects (MxK)x(KxN), got (2, 3) and (2, 3)",
        ),
        (
            lambda: MatmulOp(tensor([2, 2, 3]), tensor([3, 3, 4])),
            "'graph.matmul' cannot broadcast the batch dims of (2, 2, 3) and (3, 3, 4)",
        ),
        (
            lambda: MatmulOp(tensor([]), tensor([3])),
            "'graph.matmul' expects operands of rank >= 1",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 2, 3, 3])),
            "'graph.conv2d' expects input channels 3 to equal weight channels 2 "
            "x groups 1",
        ),
        (
            lambda: Conv2DOp(tensor([1, 4, 4, 4]), tensor([3, 2, 3, 3]), groups=2),
            "'graph.conv2d' expects output channels 3 to be divisible by groups 2",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), groups=0),
            "'graph.conv2d' expects positive groups, got 0",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), tensor([3])),
            "'graph.conv2d' expects a bias of shape (2,), got tensor<3xf32>",
        ),
        (
            lambda: Conv2DOp(tensor([3, 4, 4]), tensor([2, 3, 3, 3])),
            "'graph.conv2d' expects an input of rank 4 (NCHW), got tensor<3x4x4xf32>",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, 3])),
            "'graph.conv2d' expects a weight of rank 4 (OIHW)",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, DYNAMIC, 3])),
            "'graph.conv2d' expects a static kernel size",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), strides=[1]),
            "'graph.conv2d' expects 2 strides, got [1]",
        ),
        (
            lambda: Conv2DOp(
                tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), strides=[0, 1]
            ),
            "'graph.conv2d' expects positive strides, got [0, 1]",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), pads=[1, 1]),
            "'graph.conv2d' expects 4 pads (top, left, bottom, right), got [1, 1]",
        ),
        (
            lambda: Conv2DOp(
                tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), pads=[0, -1, 0, 0]
            ),
            "'graph.conv2d' expects non-negative pads, got [0, -1, 0, 0]",
        ),
        (
            lambda: Conv2DOp(
                tensor([1, 3, 4, 4]), tensor([2, 3, 3, 3]), dilations=[1, 0]
            ),
            "'graph.conv2d' expects positive dilations, got [1, 0]",
        ),
        (
            lambda: Conv2DOp(tensor([1, 3, 2, 4]), tensor([2, 3, 3, 3])),
            "'graph.conv2d' expects a positive output height, got 0 (input 2, "
            "kernel 3, pads 0+0, stride 1, dilation 1)",
        ),
        (
            lambda: MaxPool2DOp(tensor([1, 1, 4, 4]), [2]),
            "'graph.max_pool2d' expects 2 kernel sizes, got [2]",
        ),
        (
            lambda: MaxPool2DOp(tensor([1, 1, 4, 4]), [0, 2]),
            "'graph.max_pool2d' expects positive kernel sizes, got [0, 2]",
        ),
        (
            lambda: MaxPool2DOp(tensor([1, 1, 4, 4]), [2, 2], pads=[0, 2, 0, 0]),
            "'graph.max_pool2d' expects pads smaller than the kernel window (2, 2), "
            "got [0, 2, 0, 0]",
        ),
        (
            lambda: MaxPool2DOp(tensor([4, 4]), [2, 2]),
            "'graph.max_pool2d' expects an input of rank 4 (NCHW), got tensor<4x4xf32>",
        ),
        (
            lambda: MaxPool2DOp(tensor([1, 1, 4, 2]), [2, 2], dilations=[1, 2]),
            "'graph.max_pool2d' expects a positive output width, got 0",
        ),
        (
            lambda: AvgPool2DOp(tensor([1, 1, 4, 4], i32), [2, 2]),
            "'graph.avg_pool2d' expects a float element type",
        ),
        (
            lambda: AvgPool2DOp(tensor([1, 1, 4, 4]), [3, 3], pads=[0, 0, 0, 3]),
            "'graph.avg_pool2d' expects pads smaller than the kernel window (3, 3), "
            "got [0, 0, 0, 3]",
        ),
        (
            lambda: GlobalAvgPool2DOp(tensor([2, 3, 3])),
            "'graph.global_avg_pool2d' expects an input of rank 4 (NCHW)",
        ),
        (
            lambda: BatchNormOp(tensor([3]), *[tensor([3])] * 4),
            "'graph.batch_norm' expects an input of rank >= 2 (N, C, ...), got "
            "tensor<3xf32>",
        ),
        (
            lambda: BatchNormOp(
                tensor([2, 3]), tensor([3]), tensor([3]), tensor([4]), tensor([3])
            ),
            "'graph.batch_norm' expects mean of shape (3,), got tensor<4xf32>",
        ),
        (
            lambda: BatchNormOp(tensor([2, 3]), *[tensor([3])] * 4, epsilon=-1.0),
            "'graph.batch_norm' expects a non-negative epsilon, got -1.0",
        ),
        (
            lambda: BatchNormOp(
                tensor([2, 3]), tensor([3]), tensor([3]), tensor([3]), tensor([3], f16)
            ),
            "'graph.batch_norm' expects the same element type for input and var",
        ),
        (
            lambda: LayerNormOp(tensor([2, 3]), axis=2),
            "'graph.layer_norm' axis 2 is out of range for rank 2",
        ),
        (
            lambda: LayerNormOp(tensor([2, 3]), tensor([2, 3])),
            "'graph.layer_norm' expects a scale broadcastable to the normalized shape "
            "(3,), got (2, 3)",
        ),
        (
            lambda: LayerNormOp(tensor([2, 3]), None, tensor([4])),
            "'graph.layer_norm' expects a bias broadcastable to the normalized shape "
            "(3,), got (4,)",
        ),
        (
            lambda: LayerNormOp(tensor([2, 3]), epsilon=-0.5),
            "'graph.layer_norm' expects a non-negative epsilon, got -0.5",
        ),
        (
            lambda: LayerNormOp(tensor([2, 3]), tensor([3], f16)),
            "'graph.layer_norm' expects the same element type for input and scale",
        ),
        (
            lambda: SoftmaxOp(tensor([2, 3]), axis=-3),
            "'graph.softmax' axis -3 is out of range for rank 2",
        ),
        (
            lambda: SoftmaxOp(tensor([])),
            "'graph.softmax' axis -1 is out of range for rank 0",
        ),
        (
            lambda: LogSoftmaxOp(tensor([2, 3], i32)),
            "'graph.log_softmax' expects a float element type",
        ),
    ],
)
def test_verifier_messages(build, message):
    with pytest.raises(VerifyException, match=re.escape(message)):
        build()


def test_pads_may_reach_into_the_dilated_window():
    # the dilated window spans 3, so a pad of 2 still leaves an input tap.
    MaxPool2DOp(
        tensor([1, 1, 4, 4]), [2, 2], dilations=[2, 2], pads=[0, 2, 0, 0]
    ).verify()


def test_verify_rejects_a_wrong_result_type():
    ctx = make_context()
    text = """
    func.func @f(%x: tensor<1x1x4x4xf32>) {
      %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>}
          : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
      func.return
    }
    """
    module = Parser(ctx, text).parse_module()
    with pytest.raises(
        VerifyException,
        match=re.escape(
            "'graph.max_pool2d' result type tensor<1x1x2x2xf32> does not match the "
            "inferred tensor<1x1x3x3xf32>"
        ),
    ):
        module.verify()
