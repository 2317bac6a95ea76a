"""
Quantized-inference graph ops: `quantize` (float to integer, round half to
even, saturating) and the integer contractions `matmul_integer` and
`conv_integer` (8-bit operands minus their zero points, accumulated exactly in
i32), the ops ONNX's QuantizeLinear, MatMulInteger, ConvInteger, QLinearMatMul
and QLinearConv are built from. Dequantization needs no op of its own: it is
`cast`, `sub` and `mul`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    DenseArrayBase,
    IntegerAttr,
    TensorType,
    i32,
    i64,
)
from xdsl.ir import Attribute
from xdsl.irdl import (
    AttrSizedOperandSegments,
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    result_def,
    traits_def,
)

from mlc.dialects.graph.base import (
    DYNAMIC,
    Array,
    Elem,
    Fusion,
    FusionKind,
    GraphOp,
    Properties,
    Shape,
    Tensor,
    Value,
    broadcast_shapes,
    expect_same_element_type,
    expect_tensor,
    fail,
    fmt_shape,
    get_int,
    get_ints,
    int_attr,
    ints_attr,
    required,
    to_numpy_dtype,
)
from mlc.dialects.graph.nn import Window

# --------------------------------------------------------------------------- #
# quantize
# --------------------------------------------------------------------------- #


def quantize_reference(x: Array, scale: Array, zero_point: Array) -> Array:
    """
    `saturate(round_half_even(x / scale) + zero_point)` in the zero point's
    integer type (onnxruntime's QuantizeLinear); NaN becomes the type's lowest
    value.
    """
    info = np.iinfo(zero_point.dtype)
    with np.errstate(all="ignore"):
        t = np.rint((x / scale).astype(np.float64)) + zero_point.astype(np.float64)
    t = np.where(np.isnan(t), info.min, t)
    return np.clip(t, info.min, info.max).astype(zero_point.dtype)


@irdl_op_definition
class QuantizeOp(GraphOp):
    """
    `saturate(round_half_even(input / scale) + zero_point)`: a float tensor to
    the zero point's integer type, the three operands numpy-broadcast. The
    division is in the input's float type (as onnxruntime divides); rounding is
    half to even; results beyond the integer type's range saturate to it, and
    NaN gives its lowest value.

    ```mlir
    %q = graph.quantize %x, %s, %z : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
    ```
    """  # noqa: E501

    name = "graph.quantize"
    input = operand_def(TensorType)
    scale = operand_def(TensorType)
    zero_point = operand_def(TensorType)
    result = result_def(TensorType)
    traits = traits_def(Fusion(FusionKind.BROADCAST))
    assembly_format = (
        "$input `,` $scale `,` $zero_point attr-dict `:` "
        "functional-type(operands, results)"
    )

    def __init__(self, input: Value, scale: Value, zero_point: Value) -> None:
        self.init_inferred([input, scale, zero_point], {})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0], Elem.FLOAT)
        s = expect_tensor(cls.name, "scale", operand_types[1], Elem.FLOAT)
        zp = expect_tensor(cls.name, "zero_point", operand_types[2], Elem.INT)
        expect_same_element_type(cls.name, [("input", x), ("scale", s)])
        if to_numpy_dtype(zp.element_type).itemsize > 4:
            raise fail(cls.name, f"expects a zero point of at most 32 bits, got {zp}")
        shape = broadcast_shapes(cls.name, x.get_shape(), s.get_shape(), zp.get_shape())
        return TensorType(zp.element_type, shape)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x, s, zp = required(operands)
        return quantize_reference(x, s, zp)


# --------------------------------------------------------------------------- #
# Integer contractions
# --------------------------------------------------------------------------- #


def _expect_8bit(op_name: str, what: str, type_: Attribute | None) -> Tensor:
    t = expect_tensor(op_name, what, type_, Elem.INT)
    if to_numpy_dtype(t.element_type).itemsize != 1:
        raise fail(op_name, f"expects 8-bit integers for {what}, got {t}")
    return t


def _expect_zero_point(
    op_name: str, what: str, type_: Attribute | None, of: Tensor, allowed: Shape | None
) -> None:
    """
    An absent zero point, or one of `of`'s element type with one element or
    the `allowed` shape (None: any shape that broadcasts to `of`'s)."""
    if type_ is None:
        return
    zp = expect_tensor(op_name, what, type_, Elem.INT)
    if zp.element_type != of.element_type:
        raise fail(
            op_name,
            f"expects {what} of the element type {of.element_type}, got {zp}",
        )
    shape, target = tuple(zp.get_shape()), tuple(of.get_shape())
    if allowed is None:
        if len(shape) > len(target) or any(
            d not in (1, t) for d, t in zip(shape[::-1], target[::-1], strict=False)
        ):
            raise fail(op_name, f"expects {what} that broadcasts to {of}, got {zp}")
    elif any(d != 1 for d in shape) and shape != allowed:
        raise fail(
            op_name,
            f"expects {what} with one element or of shape {fmt_shape(allowed)}, "
            f"got {zp}",
        )


def _centered(x: Array, zero_point: Array | None) -> Array:
    """`x - zero_point` in i64 (the zero point reshaped by the caller)."""
    out = x.astype(np.int64)
    return out if zero_point is None else out - zero_point.astype(np.int64)


@irdl_op_definition
class MatmulIntegerOp(GraphOp):
    """
    `(lhs - lhs_zero_point) · (rhs - rhs_zero_point)` with numpy `matmul`
    semantics on 8-bit operands, accumulated in i32 (ONNX `MatMulInteger`). A
    zero point broadcasts to its operand: one element, per row of `lhs`
    (`[M, 1]`), per column of `rhs` (`[N]`).

    ```mlir
    %0 = graph.matmul_integer %a, %b lhs_zero_point(%az : tensor<4x1xui8>) rhs_zero_point(%bz : tensor<2xi8>) : (tensor<4x3xui8>, tensor<3x2xi8>) -> tensor<4x2xi32>
    ```
    """  # noqa: E501

    # xdsl-gap(0.74): format-two-optional-operands — refused
    # Each optional zero point carries its type in a keyword group (as
    # `graph.layer_norm`'s scale and bias do).
    name = "graph.matmul_integer"
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    lhs_zero_point = opt_operand_def(TensorType)
    rhs_zero_point = opt_operand_def(TensorType)
    result = result_def(TensorType)
    irdl_options = (ParsePropInAttrDict(), AttrSizedOperandSegments(as_property=True))
    traits = traits_def(Fusion(FusionKind.OUTPUT_FUSABLE))
    assembly_format = (
        "$lhs `,` $rhs (`lhs_zero_point` `(` $lhs_zero_point^ `:` "
        "type($lhs_zero_point) `)`)? (`rhs_zero_point` `(` $rhs_zero_point^ `:` "
        "type($rhs_zero_point) `)`)? attr-dict `:` "
        "`(` type($lhs) `,` type($rhs) `)` `->` type($result)"
    )

    def __init__(
        self,
        lhs: Value,
        rhs: Value,
        lhs_zero_point: Value | None = None,
        rhs_zero_point: Value | None = None,
    ) -> None:
        self.init_inferred([lhs, rhs, lhs_zero_point, rhs_zero_point], {})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        a = _expect_8bit(cls.name, "lhs", operand_types[0])
        b = _expect_8bit(cls.name, "rhs", operand_types[1])
        sa, sb = tuple(a.get_shape()), tuple(b.get_shape())
        if not sa or not sb:
            raise fail(cls.name, f"expects operands of rank >= 1, got {a} and {b}")
        a2 = (1, *sa) if len(sa) == 1 else sa
        b2 = (*sb, 1) if len(sb) == 1 else sb
        if a2[-1] != b2[-2] and DYNAMIC not in (a2[-1], b2[-2]):
            raise fail(
                cls.name,
                f"expects (MxK)x(KxN), got {fmt_shape(sa)} and {fmt_shape(sb)}",
            )
        rows = (a2[-2],) if len(sa) > 1 else ()
        cols = (b2[-1],) if len(sb) > 1 else ()
        _expect_zero_point(cls.name, "lhs_zero_point", operand_types[2], a, None)
        _expect_zero_point(cls.name, "rhs_zero_point", operand_types[3], b, None)
        batch = broadcast_shapes(cls.name, a2[:-2], b2[:-2])
        return TensorType(i32, (*batch, *rows, *cols))

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        a, b, az, bz = operands
        assert a is not None
        assert b is not None
        out = np.matmul(_centered(a, az), _centered(b, bz))
        return np.asarray(out).astype(np.int32)


def conv_window(op_name: str, properties: Properties, kernel: Shape) -> Window:
    """The 2-D window of a conv's `strides`, `pads` and `dilations`, checked."""
    values: dict[str, tuple[int, ...]] = {}
    for name, default, minimum in (
        ("strides", (1, 1), 1),
        ("pads", (0, 0, 0, 0), 0),
        ("dilations", (1, 1), 1),
    ):
        got = get_ints(properties, name, default)
        assert got is not None
        if len(got) != len(default) or any(v < minimum for v in got):
            kind = "positive" if minimum else "non-negative"
            raise fail(
                op_name, f"expects {len(default)} {kind} {name}, got {list(got)}"
            )
        values[name] = got
    return Window(tuple(kernel), values["strides"], values["pads"], values["dilations"])


@irdl_op_definition
class ConvIntegerOp(GraphOp):
    """
    2-D convolution of `(input - input_zero_point)` (NCHW) with
    `(weight - weight_zero_point)` (OIHW, `[O, C/groups, kH, kW]`) on 8-bit
    operands, accumulated in i32 (ONNX `ConvInteger`); padding is zero after
    the zero point is subtracted. The input zero point has one element; the
    weight's one, or one per output channel (shape `[O]`).

    ```mlir
    %0 = graph.conv_integer %x, %w input_zero_point(%xz : tensor<ui8>) weight_zero_point(%wz : tensor<2xui8>) {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<2x1x2x2xui8>) -> tensor<1x2x4x4xi32>
    ```
    """  # noqa: E501

    # xdsl-gap(0.74): format-two-optional-operands — refused
    # Each optional zero point carries its type in a keyword group (as
    # `graph.layer_norm`'s scale and bias do).
    name = "graph.conv_integer"
    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    input_zero_point = opt_operand_def(TensorType)
    weight_zero_point = opt_operand_def(TensorType)
    result = result_def(TensorType)
    strides = opt_prop_def(DenseArrayBase.constr(i64))
    pads = opt_prop_def(DenseArrayBase.constr(i64))
    dilations = opt_prop_def(DenseArrayBase.constr(i64))
    groups = opt_prop_def(IntegerAttr[I64])
    irdl_options = (ParsePropInAttrDict(), AttrSizedOperandSegments(as_property=True))
    traits = traits_def(Fusion(FusionKind.OUTPUT_FUSABLE))
    assembly_format = (
        "$input `,` $weight (`input_zero_point` `(` $input_zero_point^ `:` "
        "type($input_zero_point) `)`)? (`weight_zero_point` `(` "
        "$weight_zero_point^ `:` type($weight_zero_point) `)`)? attr-dict `:` "
        "`(` type($input) `,` type($weight) `)` `->` type($result)"
    )

    def __init__(
        self,
        input: Value,
        weight: Value,
        input_zero_point: Value | None = None,
        weight_zero_point: Value | None = None,
        *,
        strides: Sequence[int] | None = None,
        pads: Sequence[int] | None = None,
        dilations: Sequence[int] | None = None,
        groups: int | None = None,
    ) -> None:
        self.init_inferred(
            [input, weight, input_zero_point, weight_zero_point],
            {
                "strides": None if strides is None else ints_attr(strides),
                "pads": None if pads is None else ints_attr(pads),
                "dilations": None if dilations is None else ints_attr(dilations),
                "groups": None if groups is None else int_attr(groups),
            },
        )

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = _expect_8bit(cls.name, "input", operand_types[0])
        w = _expect_8bit(cls.name, "weight", operand_types[1])
        xs, ws = tuple(x.get_shape()), tuple(w.get_shape())
        if len(xs) != 4 or len(ws) != 4:
            raise fail(
                cls.name,
                f"expects an NCHW input and an OIHW weight, got {x} and {w}",
            )
        groups = get_int(properties, "groups", 1)
        if groups < 1:
            raise fail(cls.name, f"expects positive groups, got {groups}")
        if DYNAMIC not in (xs[1], ws[1]) and xs[1] != ws[1] * groups:
            raise fail(
                cls.name,
                f"expects input channels {xs[1]} to equal weight channels {ws[1]} "
                f"x groups {groups}",
            )
        if ws[0] != DYNAMIC and ws[0] % groups:
            raise fail(
                cls.name,
                f"expects output channels {ws[0]} to be divisible by groups {groups}",
            )
        if DYNAMIC in ws[2:]:
            raise fail(cls.name, f"expects a static kernel size, got {w}")
        _expect_zero_point(cls.name, "input_zero_point", operand_types[2], x, ())
        _expect_zero_point(cls.name, "weight_zero_point", operand_types[3], w, (ws[0],))
        window = conv_window(cls.name, properties, ws[2:])
        oh, ow = window.out_shape(cls.name, xs[2:])
        return TensorType(i32, (xs[0], ws[0], oh, ow))

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x, w, xz, wz = operands
        assert x is not None
        assert w is not None
        groups = get_int(properties, "groups", 1)
        window = conv_window(cls.name, properties, w.shape[2:])
        if wz is not None and wz.size > 1:
            wz = wz.reshape(-1, 1, 1, 1)
        xc = _centered(x, None if xz is None else xz.reshape(()))
        padded, (oh, ow) = window.padded(xc, 0)
        wc = _centered(w, wz)
        cg, og = w.shape[1], w.shape[0] // groups
        out = np.zeros((x.shape[0], w.shape[0], oh, ow), np.int64)
        for g in range(groups):
            xs = padded[:, g * cg : (g + 1) * cg]
            ws = wc[g * og : (g + 1) * og]
            for i in range(w.shape[2]):
                for j in range(w.shape[3]):
                    patch = window.tap(xs, i, j, (oh, ow))
                    out[:, g * og : (g + 1) * og] += np.einsum(
                        "nchw,oc->nohw", patch, ws[:, :, i, j]
                    )
        return out.astype(np.int32)


QUANT_OPS: tuple[type[GraphOp], ...] = (QuantizeOp, MatmulIntegerOp, ConvIntegerOp)

__all__ = [
    "QUANT_OPS",
    "ConvIntegerOp",
    "MatmulIntegerOp",
    "QuantizeOp",
    "conv_window",
    "quantize_reference",
]
