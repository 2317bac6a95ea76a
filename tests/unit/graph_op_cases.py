"""
One-op graph functions covering every graph op and its main variants, with
inputs that keep each op in its domain: shared by the per-level numeric tests.
"""

from __future__ import annotations

import numpy as np
from helpers import make_context
from xdsl.context import Context
from xdsl.dialects import linalg, math, tensor
from xdsl.dialects.builtin import TensorType
from xdsl.parser import Parser

from mlc.dialects.graph import to_numpy_dtype
from mlc.dialects.graph.base import Array


def tensor_context() -> Context:
    ctx = make_context()
    for dialect in (linalg.Linalg, tensor.Tensor, math.Math):
        ctx.load_dialect(dialect)
    return ctx


def t(shape: str, elem: str = "f32") -> str:
    return f"tensor<{shape}x{elem}>" if shape else f"tensor<{elem}>"


def unary(op: str, elem: str = "f32", attrs: str = "") -> str:
    ty = t("2x3", elem)
    return f"%0 = graph.{op} %a {attrs} : {ty}"


def binary(op: str, lhs: str, rhs: str, out: str) -> str:
    return f"%0 = graph.{op} %a, %b : ({lhs}, {rhs}) -> {out}"


def fn1(op: str, ins: list[str], out: str, attrs: str = "") -> str:
    """A custom-format op whose operands %a, %b, ... have types `ins`."""
    names = ", ".join(f"%{chr(97 + i)}" for i in range(len(ins)))
    return f"%0 = graph.{op} {names} {attrs} : ({', '.join(ins)}) -> {out}"


F = "f32"
CASES: dict[str, tuple[list[str], str, str]] = {}
"""case id -> (argument types, result type, op line)."""


def case(name: str, ins: list[str], out: str, line: str) -> None:
    CASES[name] = (ins, out, line)


for name in (
    "relu",
    "sigmoid",
    "tanh",
    "exp",
    "log",
    "sqrt",
    "rsqrt",
    "neg",
    "abs",
    "erf",
    "gelu",
):
    case(name, [t("2x3")], t("2x3"), unary(name))
case("gelu_tanh", [t("2x3")], t("2x3"), unary("gelu", attrs='{approximate = "tanh"}'))
case("relu_i32", [t("2x3", "i32")], t("2x3", "i32"), unary("relu", "i32"))
case("relu_f16", [t("2x3", "f16")], t("2x3", "f16"), unary("relu", "f16"))
case("tanh_f16", [t("2x3", "f16")], t("2x3", "f16"), unary("tanh", "f16"))
case("abs_i8", [t("2x3", "i8")], t("2x3", "i8"), unary("abs", "i8"))
case("neg_i64", [t("2x3", "i64")], t("2x3", "i64"), unary("neg", "i64"))
case(
    "clip",
    [t("2x3")],
    t("2x3"),
    unary("clip", attrs="{max = 0.5 : f32, min = -0.5 : f32}"),
)
case(
    "clip_ui8",
    [t("2x3", "ui8")],
    t("2x3", "ui8"),
    unary("clip", "ui8", "{max = 2 : ui8}"),
)
for name in ("add", "sub", "mul", "div", "max", "min", "pow"):
    case(name, [t("2x3"), t("3")], t("2x3"), binary(name, t("2x3"), t("3"), t("2x3")))
case(
    "add_broadcast_both",
    [t("2x1"), t("1x3")],
    t("2x3"),
    binary("add", t("2x1"), t("1x3"), t("2x3")),
)
case(
    "mul_scalar_i32",
    [t("2x3", "i32"), t("", "i32")],
    t("2x3", "i32"),
    binary("mul", t("2x3", "i32"), t("", "i32"), t("2x3", "i32")),
)
case(
    "div_i32",
    [t("2x3", "i32"), t("2x3", "i32")],
    t("2x3", "i32"),
    binary("div", t("2x3", "i32"), t("2x3", "i32"), t("2x3", "i32")),
)
case(
    "div_ui8",
    [t("2x3", "ui8"), t("2x3", "ui8")],
    t("2x3", "ui8"),
    binary("div", t("2x3", "ui8"), t("2x3", "ui8"), t("2x3", "ui8")),
)
case(
    "max_ui16",
    [t("2x3", "ui16"), t("3", "ui16")],
    t("2x3", "ui16"),
    binary("max", t("2x3", "ui16"), t("3", "ui16"), t("2x3", "ui16")),
)
case(
    "min_i8",
    [t("2x3", "i8"), t("2x3", "i8")],
    t("2x3", "i8"),
    binary("min", t("2x3", "i8"), t("2x3", "i8"), t("2x3", "i8")),
)
case(
    "pow_i32",
    [t("2x3", "i32"), t("2x3", "i32")],
    t("2x3", "i32"),
    binary("pow", t("2x3", "i32"), t("2x3", "i32"), t("2x3", "i32")),
)
case(
    "add_f16",
    [t("2x3", "f16"), t("2x3", "f16")],
    t("2x3", "f16"),
    binary("add", t("2x3", "f16"), t("2x3", "f16"), t("2x3", "f16")),
)
case(
    "where",
    [t("2x3", "i1"), t("2x3"), t("")],
    t("2x3"),
    fn1("where", [t("2x3", "i1"), t("2x3"), t("")], t("2x3")),
)
CAST_PAIRS = [
    ("f32", "i32"),
    ("f32", "ui8"),
    ("f32", "f16"),
    ("f16", "f64"),
    ("i32", "f32"),
    ("ui8", "f32"),
    ("i8", "i64"),
    ("ui8", "i32"),
    ("i64", "i16"),
    ("f32", "i1"),
    ("i32", "i1"),
    ("i1", "f32"),
    ("i1", "i32"),
    ("i8", "ui8"),
]
for src, dst in CAST_PAIRS:
    case(
        f"cast_{src}_{dst}",
        [t("2x3", src)],
        t("2x3", dst),
        f"%0 = graph.cast %a : {t('2x3', src)} to {t('2x3', dst)}",
    )
case(
    "linear",
    [t("2x3"), t("4x3"), t("4")],
    t("2x4"),
    "%0 = graph.linear %a, %b, %c : ("
    + ", ".join([t("2x3"), t("4x3"), t("4")])
    + f") -> {t('2x4')}",
)
case(
    "linear_no_bias_3d",
    [t("2x2x3"), t("4x3")],
    t("2x2x4"),
    binary("linear", t("2x2x3"), t("4x3"), t("2x2x4")),
)
case(
    "linear_f16",
    [t("2x3", "f16"), t("4x3", "f16")],
    t("2x4", "f16"),
    binary("linear", t("2x3", "f16"), t("4x3", "f16"), t("2x4", "f16")),
)
case(
    "matmul",
    [t("2x3"), t("3x4")],
    t("2x4"),
    binary("matmul", t("2x3"), t("3x4"), t("2x4")),
)
case(
    "matmul_batch_broadcast",
    [t("2x1x2x3"), t("3x3x2")],
    t("2x3x2x2"),
    binary("matmul", t("2x1x2x3"), t("3x3x2"), t("2x3x2x2")),
)
case(
    "matmul_vector",
    [t("3"), t("2x3x4")],
    t("2x4"),
    binary("matmul", t("3"), t("2x3x4"), t("2x4")),
)
case(
    "matmul_matrix_vector",
    [t("2x3"), t("3")],
    t("2"),
    binary("matmul", t("2x3"), t("3"), t("2")),
)
CONV_IN = [t("1x2x4x4"), t("2x2x3x3"), t("2")]
conv_types = ", ".join(CONV_IN)
case(
    "conv2d_pads_bias",
    CONV_IN,
    t("1x2x4x4"),
    f"%0 = graph.conv2d %a, %b, %c {{pads = array<i64: 1, 1, 1, 1>}} : "
    f"({conv_types}) -> {t('1x2x4x4')}",
)
case(
    "conv2d_strides_dilations",
    [t("1x2x5x5"), t("3x2x2x2")],
    t("1x3x2x2"),
    "%0 = graph.conv2d %a, %b {dilations = array<i64: 2, 2>, strides = "
    f"array<i64: 2, 2>}} : ({t('1x2x5x5')}, {t('3x2x2x2')}) -> {t('1x3x2x2')}",
)
case(
    "conv2d_groups",
    [t("1x4x3x3"), t("4x2x2x2")],
    t("1x4x2x2"),
    "%0 = graph.conv2d %a, %b {groups = 2 : i64} : "
    f"({t('1x4x3x3')}, {t('4x2x2x2')}) -> {t('1x4x2x2')}",
)
case(
    "max_pool2d",
    [t("1x2x4x4")],
    t("1x2x2x2"),
    "%0 = graph.max_pool2d %a {kernel = array<i64: 2, 2>, strides = "
    f"array<i64: 2, 2>}} : ({t('1x2x4x4')}) -> {t('1x2x2x2')}",
)
case(
    "max_pool2d_pads_ceil",
    [t("1x1x5x5")],
    t("1x1x3x3"),
    "%0 = graph.max_pool2d %a {ceil_mode = true, kernel = array<i64: 2, 2>, pads = "
    "array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : "
    f"({t('1x1x5x5')}) -> {t('1x1x3x3')}",
)
case(
    "avg_pool2d_exclude_pad",
    [t("1x1x4x4")],
    t("1x1x4x4"),
    "%0 = graph.avg_pool2d %a {kernel = array<i64: 3, 3>, pads = "
    f"array<i64: 1, 1, 1, 1>}} : ({t('1x1x4x4')}) -> {t('1x1x4x4')}",
)
case(
    "avg_pool2d_include_pad_ceil",
    [t("1x2x5x5")],
    t("1x2x3x3"),
    "%0 = graph.avg_pool2d %a {ceil_mode = true, count_include_pad = true, kernel = "
    "array<i64: 3, 3>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} "
    f": ({t('1x2x5x5')}) -> {t('1x2x3x3')}",
)
case(
    "avg_pool2d_f16",
    [t("1x1x4x4", "f16")],
    t("1x1x2x2", "f16"),
    "%0 = graph.avg_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}"
    f" : ({t('1x1x4x4', 'f16')}) -> {t('1x1x2x2', 'f16')}",
)
case(
    "global_avg_pool2d",
    [t("2x2x3x3")],
    t("2x2x1x1"),
    f"%0 = graph.global_avg_pool2d %a : ({t('2x2x3x3')}) -> {t('2x2x1x1')}",
)
BN = [t("1x2x3x3"), t("2"), t("2"), t("2"), t("2")]
case(
    "batch_norm",
    BN,
    t("1x2x3x3"),
    "%0 = graph.batch_norm %a, %b, %c, %d, %e {epsilon = 1.0e-03 : f64} : ("
    + ", ".join(BN)
    + f") -> {t('1x2x3x3')}",
)
case(
    "layer_norm",
    [t("2x3"), t("3"), t("3")],
    t("2x3"),
    f"%0 = graph.layer_norm %a scale(%b : {t('3')}) bias(%c : {t('3')}) : " + t("2x3"),
)
case(
    "layer_norm_axis1_noparams",
    [t("2x2x3")],
    t("2x2x3"),
    f"%0 = graph.layer_norm %a {{axis = 1 : i64}} : {t('2x2x3')}",
)
case("softmax", [t("2x3")], t("2x3"), f"%0 = graph.softmax %a : {t('2x3')}")
case(
    "softmax_axis0_f16",
    [t("2x3", "f16")],
    t("2x3", "f16"),
    f"%0 = graph.softmax %a {{axis = 0 : i64}} : {t('2x3', 'f16')}",
)
case("log_softmax", [t("2x3")], t("2x3"), f"%0 = graph.log_softmax %a : {t('2x3')}")
case(
    "reduce_sum",
    [t("2x3")],
    t("2"),
    "%0 = graph.reduce_sum %a {axes = array<i64: 1>, keepdims = false} : "
    f"({t('2x3')}) -> {t('2')}",
)
case(
    "reduce_sum_i32_all",
    [t("2x3", "i32")],
    t("1x1", "i32"),
    f"%0 = graph.reduce_sum %a : ({t('2x3', 'i32')}) -> {t('1x1', 'i32')}",
)
case(
    "reduce_mean",
    [t("2x3x2")],
    t("2x1x2"),
    "%0 = graph.reduce_mean %a {axes = array<i64: -2>} : "
    f"({t('2x3x2')}) -> {t('2x1x2')}",
)
case(
    "reduce_max_i8",
    [t("2x3", "i8")],
    t("2x1", "i8"),
    "%0 = graph.reduce_max %a {axes = array<i64: -1>} : "
    f"({t('2x3', 'i8')}) -> {t('2x1', 'i8')}",
)
case(
    "reduce_max_ui8",
    [t("2x3", "ui8")],
    t("3", "ui8"),
    "%0 = graph.reduce_max %a {axes = array<i64: 0>, keepdims = false} : "
    f"({t('2x3', 'ui8')}) -> {t('3', 'ui8')}",
)
case(
    "reduce_sum_f16",
    [t("2x3", "f16")],
    t("1x1", "f16"),
    f"%0 = graph.reduce_sum %a : ({t('2x3', 'f16')}) -> {t('1x1', 'f16')}",
)
case(
    "reshape_general",
    [t("2x3")],
    t("3x2"),
    f"%0 = graph.reshape %a {{shape = array<i64: 3, 2>}} : ({t('2x3')}) -> {t('3x2')}",
)
case(
    "reshape_expand",
    [t("6")],
    t("2x3"),
    f"%0 = graph.reshape %a {{shape = array<i64: 2, 3>}} : ({t('6')}) -> {t('2x3')}",
)
case(
    "flatten",
    [t("2x3x2")],
    t("2x6"),
    f"%0 = graph.flatten %a : ({t('2x3x2')}) -> {t('2x6')}",
)
case(
    "squeeze",
    [t("2x1x3")],
    t("2x3"),
    f"%0 = graph.squeeze %a : ({t('2x1x3')}) -> {t('2x3')}",
)
case(
    "unsqueeze",
    [t("2x3", "i64")],
    t("1x2x3x1", "i64"),
    "%0 = graph.unsqueeze %a {axes = array<i64: 0, -1>} : "
    f"({t('2x3', 'i64')}) -> {t('1x2x3x1', 'i64')}",
)
case(
    "squeeze_to_rank_0",
    [t("1x1", "i8")],
    t("", "i8"),
    f"%0 = graph.squeeze %a : ({t('1x1', 'i8')}) -> {t('', 'i8')}",
)
case(
    "unsqueeze_rank_0",
    [t("")],
    t("1x1"),
    f"%0 = graph.unsqueeze %a {{axes = array<i64: 0, 1>}} : ({t('')}) -> {t('1x1')}",
)
case(
    "transpose",
    [t("2x3x2")],
    t("2x2x3"),
    "%0 = graph.transpose %a {perm = array<i64: 0, 2, 1>} : "
    f"({t('2x3x2')}) -> {t('2x2x3')}",
)
case(
    "slice",
    [t("3x4")],
    t("2x2"),
    "%0 = graph.slice %a {ends = array<i64: 9223372036854775807, 4>, starts = "
    "array<i64: 1, 0>, steps = array<i64: 1, 2>} : "
    f"({t('3x4')}) -> {t('2x2')}",
)
case(
    "slice_negative_step",
    [t("3x4", "i32")],
    t("3x2", "i32"),
    "%0 = graph.slice %a {axes = array<i64: 1>, "
    "ends = array<i64: -9223372036854775808>, starts = array<i64: -1>, "
    "steps = array<i64: -2>} : "
    f"({t('3x4', 'i32')}) -> {t('3x2', 'i32')}",
)
case(
    # A unit step over part of one axis beside a negative step on another.
    "slice_mixed_steps",
    [t("1x3x7x7")],
    t("1x3x3x2"),
    "%0 = graph.slice %a {axes = array<i64: 2, 3>, "
    "ends = array<i64: 3, -4611686018427387904>, starts = array<i64: 0, 2>, "
    "steps = array<i64: 1, -2>} : "
    f"({t('1x3x7x7')}) -> {t('1x3x3x2')}",
)
case(
    # INT64_MIN/INT64_MAX and out-of-range bounds clamp, with mixed steps.
    "slice_extreme_bounds",
    [t("4x5x6", "i64")],
    t("2x5x2", "i64"),
    "%0 = graph.slice %a {axes = array<i64: 0, 1, -1>, "
    "ends = array<i64: 9223372036854775807, -9223372036854775808, 4>, "
    "starts = array<i64: -9223372036854775808, 9223372036854775807, -100>, "
    "steps = array<i64: 3, -1, 2>} : "
    f"({t('4x5x6', 'i64')}) -> {t('2x5x2', 'i64')}",
)
case(
    # Negative steps on every axis, one of them taking a single element.
    "slice_all_negative_steps",
    [t("5x4", "f64")],
    t("2x1", "f64"),
    "%0 = graph.slice %a {ends = array<i64: 0, -9223372036854775808>, "
    "starts = array<i64: -2, 9223372036854775807>, steps = array<i64: -2, -4>} : "
    f"({t('5x4', 'f64')}) -> {t('2x1', 'f64')}",
)
case(
    "broadcast_to",
    [t("3x1")],
    t("2x3x2"),
    "%0 = graph.broadcast_to %a {shape = array<i64: 2, 3, 2>} : "
    f"({t('3x1')}) -> {t('2x3x2')}",
)
case(
    "pad",
    [t("2x3")],
    t("3x5"),
    "%0 = graph.pad %a {pads = array<i64: 1, 0, 0, 2>, value = -1.0 : f32} : "
    f"({t('2x3')}) -> {t('3x5')}",
)
case(
    "concat",
    [t("2x1"), t("2x2")],
    t("2x3"),
    f"%0 = graph.concat %a, %b {{axis = -1 : i64}} : ({t('2x1')}, {t('2x2')}) -> "
    + t("2x3"),
)
case(
    "gather",
    [t("3x2"), t("2x2", "i64")],
    t("2x2x2"),
    f"%0 = graph.gather %a, %b : ({t('3x2')}, {t('2x2', 'i64')}) -> {t('2x2x2')}",
)
case(
    "gather_axis1_i32",
    [t("2x3", "i8"), t("2", "i32")],
    t("2x2", "i8"),
    f"%0 = graph.gather %a, %b {{axis = 1 : i64}} : ({t('2x3', 'i8')}, "
    f"{t('2', 'i32')}) -> {t('2x2', 'i8')}",
)

# -- elementwise math and bitwise ---------------------------------------------- #
for name in (
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "asinh",
    "acosh",
    "atanh",
    "floor",
    "ceil",
    "round",
    "trunc",
):
    case(name, [t("2x3")], t("2x3"), unary(name))
case("sin_f64", [t("2x3", "f64")], t("2x3", "f64"), unary("sin", "f64"))
case("atan_f16", [t("2x3", "f16")], t("2x3", "f16"), unary("atan", "f16"))
case("round_f16", [t("2x3", "f16")], t("2x3", "f16"), unary("round", "f16"))
case("mod", [t("2x3"), t("3")], t("2x3"), binary("mod", t("2x3"), t("3"), t("2x3")))
case(
    "mod_fmod_f64",
    [t("2x3", "f64"), t("2x3", "f64")],
    t("2x3", "f64"),
    "%0 = graph.mod %a, %b {fmod = true} : "
    f"({t('2x3', 'f64')}, {t('2x3', 'f64')}) -> {t('2x3', 'f64')}",
)
for name, elem in (
    ("bitwise_and", "i32"),
    ("bitwise_or", "ui8"),
    ("bitwise_xor", "i1"),
    ("shift_left", "ui16"),
    ("shift_right", "ui8"),
    ("shift_right", "i32"),
    ("shift_left", "i64"),
):
    ty = t("2x3", elem)
    case(f"{name}_{elem}", [ty, t("3", elem)], ty, binary(name, ty, t("3", elem), ty))
case("bitwise_not_i8", [t("2x3", "i8")], t("2x3", "i8"), unary("bitwise_not", "i8"))
case("bitwise_not_i1", [t("2x3", "i1")], t("2x3", "i1"), unary("bitwise_not", "i1"))
for src, dst in (
    ("f32", "i32"),
    ("i64", "f64"),
    ("ui16", "f16"),
    ("ui32", "i32"),
    ("i1", "ui8"),
    ("i8", "i1"),
):
    case(
        f"bitcast_{src}_{dst}",
        [t("2x3", src)],
        t("2x3", dst),
        f"%0 = graph.bitcast %a : {t('2x3', src)} to {t('2x3', dst)}",
    )
case(
    "reduce_prod",
    [t("2x3")],
    t("3"),
    "%0 = graph.reduce_prod %a {axes = array<i64: 0>, keepdims = false} : "
    f"({t('2x3')}) -> {t('3')}",
)
case(
    "reduce_prod_i32_all",
    [t("2x3", "i32")],
    t("1x1", "i32"),
    f"%0 = graph.reduce_prod %a : ({t('2x3', 'i32')}) -> {t('1x1', 'i32')}",
)
case(
    "scatter_add_axis1",
    [t("2x5"), t("2x3", "i64"), t("2x3")],
    t("2x5"),
    f'%0 = graph.scatter %a, %b, %c {{axis = 1 : i64, reduction = "add"}} : '
    f"({t('2x5')}, {t('2x3', 'i64')}, {t('2x3')}) -> {t('2x5')}",
)
case(
    "scatter_none_i32",
    [t("4x2", "i32"), t("2x2", "i32"), t("2x2", "i32")],
    t("4x2", "i32"),
    f"%0 = graph.scatter %a, %b, %c : ({t('4x2', 'i32')}, {t('2x2', 'i32')}, "
    f"{t('2x2', 'i32')}) -> {t('4x2', 'i32')}",
)
case(
    "scatter_max_u8",
    [t("3", "ui8"), t("4", "i64"), t("4", "ui8")],
    t("3", "ui8"),
    f'%0 = graph.scatter %a, %b, %c {{reduction = "max"}} : ({t("3", "ui8")}, '
    f"{t('4', 'i64')}, {t('4', 'ui8')}) -> {t('3', 'ui8')}",
)
for name, elem, x_shape, param_shape, zp_elem in (
    ("quantize", "f32", "2x3", "", "ui8"),
    ("quantize_axis_i8", "f32", "2x3", "3", "i8"),
    ("quantize_f16_i16", "f16", "2x3", "", "i16"),
    ("quantize_f64_ui16", "f64", "2x3", "2x1", "ui16"),
    ("quantize_i32", "f32", "2x3", "", "i32"),
):
    case(
        name,
        [t(x_shape, elem), t(param_shape, elem), t(param_shape, zp_elem)],
        t(x_shape, zp_elem),
        fn1(
            "quantize",
            [t(x_shape, elem), t(param_shape, elem), t(param_shape, zp_elem)],
            t(x_shape, zp_elem),
        ),
    )
case(
    "matmul_integer",
    [t("4x3", "ui8"), t("3x2", "i8"), t("4x1", "ui8"), t("2", "i8")],
    t("4x2", "i32"),
    "%0 = graph.matmul_integer %a, %b lhs_zero_point(%c : tensor<4x1xui8>) "
    "rhs_zero_point(%d : tensor<2xi8>) : (tensor<4x3xui8>, tensor<3x2xi8>) -> "
    "tensor<4x2xi32>",
)
case(
    "matmul_integer_batch",
    [t("2x2x4", "i8"), t("4x3", "i8")],
    t("2x2x3", "i32"),
    "%0 = graph.matmul_integer %a, %b : (tensor<2x2x4xi8>, tensor<4x3xi8>) -> "
    "tensor<2x2x3xi32>",
)
case(
    "conv_integer",
    [t("1x2x4x4", "ui8"), t("4x1x3x3", "ui8"), t("", "ui8"), t("4", "ui8")],
    t("1x4x2x2", "i32"),
    "%0 = graph.conv_integer %a, %b input_zero_point(%c : tensor<ui8>) "
    "weight_zero_point(%d : tensor<4xui8>) {groups = 2 : i64, pads = array<i64: 1, "
    "1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xui8>, "
    "tensor<4x1x3x3xui8>) -> tensor<1x4x2x2xi32>",
)
case(
    "conv_integer_no_zero_points",
    [t("1x1x3x3", "i8"), t("2x1x2x2", "i8")],
    t("1x2x2x2", "i32"),
    "%0 = graph.conv_integer %a, %b : (tensor<1x1x3x3xi8>, tensor<2x1x2x2xi8>) "
    "-> tensor<1x2x2x2xi32>",
)
case(
    "resize_nearest",
    [t("1x2x3x4")],
    t("1x2x6x3"),
    '%0 = graph.resize %a {mode = "nearest", nearest_mode = "round_prefer_ceil", '
    "scales = array<f64: 1.0, 1.0, 2.0, 0.75>, sizes = array<i64: 1, 2, 6, 3>} : "
    f"({t('1x2x3x4')}) -> {t('1x2x6x3')}",
)
case(
    "resize_linear",
    [t("2x3x4")],
    t("2x5x3"),
    '%0 = graph.resize %a {coordinate_mode = "align_corners", mode = "linear", '
    "scales = array<f64: 1.0, 1.6667, 0.75>, sizes = array<i64: 2, 5, 3>} : "
    f"({t('2x3x4')}) -> {t('2x5x3')}",
)
case(
    "resize_cubic_crop",
    [t("1x1x5x5", "f64")],
    t("1x1x3x7", "f64"),
    '%0 = graph.resize %a {coordinate_mode = "tf_crop_and_resize", '
    'extrapolation_value = 2.5 : f64, mode = "cubic", '
    "roi = array<f64: 0.0, 0.0, 0.2, -0.1, 1.0, 1.0, 0.8, 1.3>, "
    "scales = array<f64: 1.0, 1.0, 0.6, 1.4>, sizes = array<i64: 1, 1, 3, 7>} : "
    f"({t('1x1x5x5', 'f64')}) -> {t('1x1x3x7', 'f64')}",
)
case(
    "resize_linear_antialias",
    [t("1x7x9")],
    t("1x3x4"),
    '%0 = graph.resize %a {antialias = true, mode = "linear", '
    "scales = array<f64: 1.0, 0.43, 0.45>, sizes = array<i64: 1, 3, 4>} : "
    f"({t('1x7x9')}) -> {t('1x3x4')}",
)
for mode, padding in (
    ("linear", "zeros"),
    ("nearest", "border"),
    ("cubic", "reflection"),
):
    case(
        f"grid_sample_{mode}_{padding}",
        [t("2x2x3x4"), t("2x3x2x2")],
        t("2x2x3x2"),
        f'%0 = graph.grid_sample %a, %b {{mode = "{mode}", '
        f'padding_mode = "{padding}"}} : ({t("2x2x3x4")}, {t("2x3x2x2")}) -> '
        + t("2x2x3x2"),
    )
case(
    "grid_sample_3d_aligned",
    [t("1x2x3x3x4"), t("1x2x2x2x3")],
    t("1x2x2x2x2"),
    "%0 = graph.grid_sample %a, %b {align_corners = true, "
    f'padding_mode = "reflection"}} : ({t("1x2x3x3x4")}, {t("1x2x2x2x3")}) -> '
    + t("1x2x2x2x2"),
)


# f16 resamples compute in f32 and round once, as the f64 reference does.
case(
    "resize_cubic_f16",
    [t("1x2x5x6", "f16")],
    t("1x2x7x4", "f16"),
    '%0 = graph.resize %a {mode = "cubic", '
    "scales = array<f64: 1.0, 1.0, 1.4, 0.6667>, sizes = array<i64: 1, 2, 7, 4>} : "
    f"({t('1x2x5x6', 'f16')}) -> {t('1x2x7x4', 'f16')}",
)
case(
    "grid_sample_cubic_f16",
    [t("1x2x5x6", "f16"), t("1x3x4x2", "f16")],
    t("1x2x3x4", "f16"),
    '%0 = graph.grid_sample %a, %b {mode = "cubic", padding_mode = "border"} : '
    f"({t('1x2x5x6', 'f16')}, {t('1x3x4x2', 'f16')}) -> {t('1x2x3x4', 'f16')}",
)


def module_text(ins: list[str], out: str, line: str) -> str:
    args = ", ".join(f"%{chr(97 + i)}: {ty}" for i, ty in enumerate(ins))
    return f"func.func @f({args}) -> {out} {{\n  {line}\n  func.return %0 : {out}\n}}\n"


def random_input(type_text: str, ctx: Context, rng: np.random.Generator) -> Array:
    type_ = Parser(ctx, type_text).parse_type()
    assert isinstance(type_, TensorType)
    shape = tuple(type_.get_shape())
    dtype = to_numpy_dtype(type_.get_element_type())
    if dtype.kind == "f":
        return (rng.standard_normal(shape) + 0.1).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(dtype)
    low = 0 if dtype.kind == "u" else -3
    return rng.integers(low, 4, shape).astype(dtype)


def _in_domain(name: str, arrays: list[Array]) -> None:
    """Move the first operand of a float function into its domain."""
    if name in ("log", "sqrt", "rsqrt", "pow") or name.startswith("cast_f"):
        arrays[0] = np.abs(arrays[0]) + np.asarray(0.5, arrays[0].dtype)
    if name in ("asin", "acos", "atanh"):
        arrays[0] = np.tanh(arrays[0])
    if name == "acosh":
        arrays[0] = np.abs(arrays[0]) + np.asarray(1.0, arrays[0].dtype)
    if name in ("round", "round_f16"):  # halves too
        arrays[0] = (np.round(arrays[0] * 4) / 2).astype(arrays[0].dtype)


def inputs_for(name: str, ins: list[str], ctx: Context) -> list[Array]:
    rng = np.random.default_rng(sum(map(ord, name)))
    arrays = [random_input(ty, ctx, rng) for ty in ins]
    _in_domain(name, arrays)
    if name.startswith("shift"):  # amounts past the width too
        arrays[1] = (arrays[1] % 5 * 4).astype(arrays[1].dtype)
    if name == "pow_i32":
        arrays[1] = np.abs(arrays[1])
    if name.startswith("gather"):
        arrays[1] = arrays[1] % 2 - (arrays[1] % 2) * 2 * (arrays[1] % 3 == 0)
    if name.startswith("scatter"):  # in range, negatives, repeats
        arrays[1] = arrays[1] % 3 - 1
    if name == "batch_norm":
        arrays[4] = np.abs(arrays[4])
    if name.startswith("quantize"):
        # Quarters over a half scale: ties to round to even, values to saturate.
        dtype = arrays[0].dtype
        quarters = rng.integers(-1200, 1200, arrays[0].shape)
        arrays[0] = (quarters / 4).astype(dtype)
        arrays[1] = np.full(arrays[1].shape, 0.5, dtype)
    return arrays
