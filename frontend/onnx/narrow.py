"""
ONNX values of the narrow types (`support/narrow_types.py`): 8-, 4- and 2-bit
floats and 4- and 2-bit integers, carried in the graph as their `ui8` storage
byte, and the conversions to and from them, composed from graph ops.

- From a narrow type (`decode`): a 256-entry table of the target type,
  indexed by the byte (`graph.gather`); the table is ml_dtypes' conversion of
  every byte, so it is exact by construction.
- To a narrow float (`encode_float`): integer arithmetic on the source's bits
  (f32, or f64 for f64 and integer sources: one rounding, not two): the
  exponent rebiased and the mantissa rounded to nearest even in one shifted
  add, the target's subnormals by a variable shift of the full significand,
  then overflow (`saturate`: ±max; else ±inf, or NaN where the format has no
  infinity), NaN, and the FNUZ formats' lone NaN `0x80` and missing -0.
  FLOAT8E8M0 follows onnx's `to_float8e8m0` (`round_mode` up, down or
  nearest, on the f32 bits); FLOAT4E2M1 always saturates.
- To a narrow integer (`encode_int`): converted to i64 (floats truncate),
  then its low bits: the ONNX backend tests' wrap-around.

The importer tracks which ONNX names hold narrow values (`Importer.narrow`);
`check_narrow_inputs` refuses other ops reading them, and data movement
(`PASS_THROUGH`) keeps its input's narrow type.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import Array, from_numpy_dtype, is_float_dtype
from mlc.frontend import compose
from mlc.frontend.common import value_dtype
from mlc.frontend.onnx.importer import Node, onnx_dtype
from mlc.support.narrow_types import STORAGE, NarrowFormat, narrow_format

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
I32 = np.dtype(np.int32)
I64 = np.dtype(np.int64)

Target = NarrowFormat | np.dtype[Any]
"""A conversion's target: a narrow type, or a graph element type."""

PASS_THROUGH = {
    "Identity": (0,),
    "Reshape": (0,),
    "Flatten": (0,),
    "Squeeze": (0,),
    "Unsqueeze": (0,),
    "Transpose": (0,),
    "Concat": (),
    "Split": (0,),
    "Slice": (0,),
    "Gather": (0,),
    "Expand": (0,),
    "Tile": (0,),
    "Where": (1, 2),
}
"""Data movement on narrow values, by op: the inputs its outputs take a
narrow type from (all for `()`): the bytes move unchanged."""

READS_NARROW = {"Cast", "CastLike", "QuantizeLinear", "DequantizeLinear"}
"""The ops that convert narrow values (the converters set their outputs' type)."""

SIZE_ONLY = {"Shape", "Size"}
"""Ops that read only a narrow input's shape."""


def onnx_narrow(elem_type: int) -> NarrowFormat | None:
    """The narrow format of an ONNX element type, else None."""
    try:
        dtype = np.dtype(onnx.helper.tensor_dtype_to_np_dtype(elem_type))
    except (KeyError, ValueError, TypeError):
        return None
    return narrow_format(dtype)


def onnx_target(elem_type: int) -> Target:
    """The narrow format or graph dtype of an ONNX element type (else refused)."""
    return onnx_narrow(elem_type) or onnx_dtype(elem_type)


def type_name(fmt: NarrowFormat) -> str:
    """The ONNX name of a narrow type (`FLOAT8E4M3FN`)."""
    return onnx.TensorProto.DataType.Name(
        onnx.helper.np_dtype_to_tensor_dtype(fmt.dtype)
    )


def input_format(node: Node, index: int) -> NarrowFormat | None:
    """The narrow type of a node's input, else None."""
    if not node.has(index):
        return None
    return node.importer.narrow.get(node.proto.input[index])


def storage_array(array: Array) -> tuple[Array, NarrowFormat | None]:
    """An array of a narrow ml_dtypes type as its storage bytes, and its format."""
    fmt = narrow_format(array.dtype)
    if fmt is None:
        return array, None
    return array.view(STORAGE), fmt


def check_narrow_inputs(node: Node) -> None:
    """Refuse a node that would read a narrow input's bytes as numbers."""
    op = node.proto.op_type
    if op in READS_NARROW or op in PASS_THROUGH or op in SIZE_ONLY:
        return
    for index, name in enumerate(node.proto.input):
        fmt = node.importer.narrow.get(name)
        if fmt is not None:
            raise node.error(
                f"input {index} is {type_name(fmt)}, which mlc converts only with "
                "Cast, CastLike, QuantizeLinear and DequantizeLinear (and moves "
                "with data-movement ops)"
            )


def mark_outputs(node: Node) -> None:
    """The outputs of data movement on narrow inputs are narrow too."""
    sources = PASS_THROUGH.get(node.proto.op_type)
    if sources is None:
        return
    names = node.proto.input
    picked = [names[i] for i in sources if i < len(names)] if sources else names
    formats = {node.importer.narrow.get(n) for n in picked if n}
    fmt = next(iter(formats)) if len(formats) == 1 else None
    if fmt is None:
        if len(formats) > 1:
            raise node.error("mixes narrow and other element types")
        return
    for out in node.proto.output:
        if out:
            node.importer.narrow[out] = fmt


# --------------------------------------------------------------------------- #
# Integer arithmetic on bit patterns
# --------------------------------------------------------------------------- #


class _Bits:
    """Elementwise integer ops of one signed type, constants broadcast."""

    def __init__(self, node: Node, dtype: np.dtype[Any]) -> None:
        self.node = node
        self.dtype = dtype
        self.width = dtype.itemsize * 8

    def c(self, value: int | SSAValue) -> SSAValue:
        if isinstance(value, SSAValue):
            return value
        return compose.scalar(self.node, value, self.dtype)

    def _bin(self, op: type[Any], a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self.node.emit(op(self.c(a), self.c(b)))

    def and_(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.BitwiseAndOp, a, b)

    def or_(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.BitwiseOrOp, a, b)

    def xor(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.BitwiseXorOp, a, b)

    def shr(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.ShiftRightOp, a, b)

    def shl(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.ShiftLeftOp, a, b)

    def add(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.AddOp, a, b)

    def sub(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.SubOp, a, b)

    def min(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.MinOp, a, b)

    def max(self, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        return self._bin(graph.MaxOp, a, b)

    def flag(self, a: SSAValue) -> SSAValue:
        """1 where a nonnegative `a` is nonzero, else 0."""
        return self.min(a, 1)

    def above(self, a: SSAValue, bound: int) -> SSAValue:
        """1 where `a > bound`, else 0 (`a - bound` must not overflow)."""
        return self.flag(self.max(self.sub(a, bound), 0))

    def select(self, flag: SSAValue, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        """`a` where the 0/1 `flag` is 1, else `b`."""
        cond = compose.cast(self.node, flag, compose.BOOL)
        return self.node.emit(graph.WhereOp(cond, self.c(a), self.c(b)))

    def round_shift(self, v: SSAValue, s: SSAValue | int) -> SSAValue:
        """`v >> s` (`v >= 0`, `s >= 1`) rounded to nearest, ties to even."""
        lsb = self.and_(self.shr(v, s), 1)
        half_less = self.sub(self.shl(1, self.sub(s, 1)), 1)
        return self.shr(self.add(self.add(v, half_less), lsb), s)


# --------------------------------------------------------------------------- #
# Encoding and decoding
# --------------------------------------------------------------------------- #


def _source_bits(
    node: Node, x: SSAValue, e8m0: bool
) -> tuple[_Bits, SSAValue, int, int]:
    """`x`'s bits as iW, with its format's (mantissa bits, exponent bias)."""
    dtype = value_dtype(x)
    if not e8m0 and (dtype == F64 or not is_float_dtype(dtype)):
        bits = _Bits(node, I64)
        x = compose.cast(node, x, F64)
        return bits, node.emit(graph.BitcastOp(x, from_numpy_dtype(I64))), 52, 1023
    bits = _Bits(node, I32)
    x = compose.cast(node, x, F32)
    return bits, node.emit(graph.BitcastOp(x, from_numpy_dtype(I32))), 23, 127


def encode_float(
    node: Node, x: SSAValue, fmt: NarrowFormat, saturate: bool, round_mode: str
) -> SSAValue:
    """The storage bytes of `x` (any numeric type) rounded to float format `fmt`."""
    if fmt.name == "float8_e8m0fnu":
        return _encode_e8m0(node, x, saturate, round_mode)
    b, u, sm, sb = _source_bits(node, x, False)
    w = b.width
    a = b.and_(u, (1 << (w - 1)) - 1)
    sign = b.and_(b.shr(u, w - 1), 1)
    exponent = b.shr(a, sm)
    mantissa = b.and_(a, (1 << sm) - 1)
    m, bias = fmt.mantissa, fmt.bias
    # Normal in the target: rebias the exponent, round off sm - m bits.
    normal = b.round_shift(b.sub(a, (sb - bias) << sm), sm - m)
    # Subnormal in the target: the significand shifted by the exponent's gap.
    hidden = b.shl(b.flag(exponent), sm)
    significand = b.or_(mantissa, hidden)
    shift = b.sub(sm + 1 - m + sb - bias, b.max(exponent, 1))
    shift = b.max(b.min(shift, sm + 2), 1)
    subnormal = b.round_shift(significand, shift)
    is_normal = b.above(exponent, sb - bias)
    code = b.select(is_normal, normal, subnormal)
    special = (1 << (w - 1 - sm)) - 1  # the all-ones exponent
    is_nan = b.above(a, special << sm)
    sign_bit = fmt.bits - 1
    if fmt.always_saturates or saturate:
        magnitude = b.min(code, fmt.max_code)
        overflow = None
    else:
        overflow = b.above(code, fmt.max_code)
        worst = fmt.inf_code if fmt.inf_code is not None else fmt.nan_code
        magnitude = b.select(overflow, worst, code)
    if fmt.fnuz:  # no -0: a zero magnitude drops its sign
        out = b.or_(magnitude, b.shl(b.and_(sign, b.flag(magnitude)), sign_bit))
        lone_nan = is_nan if overflow is None else b.max(is_nan, overflow)
        out = b.select(lone_nan, 1 << sign_bit, out)
    elif fmt.always_saturates:  # FLOAT4E2M1: NaN as ml_dtypes gives it (±0)
        out = b.or_(magnitude, b.shl(sign, sign_bit))
        out = b.select(is_nan, b.shl(b.xor(sign, 1), sign_bit), out)
    else:
        out = b.or_(b.select(is_nan, fmt.nan_code, magnitude), b.shl(sign, sign_bit))
    return compose.cast(node, out, STORAGE)


def _encode_e8m0(node: Node, x: SSAValue, saturate: bool, round_mode: str) -> SSAValue:
    """onnx's `to_float8e8m0` on the f32 bits: the exponent, rounded."""
    b, u, _, _ = _source_bits(node, x, True)
    exponent = b.and_(b.shr(u, 23), 0xFF)
    mantissa = b.and_(u, 0x7FFFFF)
    if round_mode == "down":
        return compose.cast(node, exponent, STORAGE)
    if round_mode == "up":
        up = b.flag(mantissa)
    elif round_mode == "nearest":
        guard = b.and_(b.shr(mantissa, 22), 1)
        rest = b.max(b.flag(b.and_(mantissa, 0x3FFFFF)), b.flag(exponent))
        up = b.and_(guard, rest)
    else:
        raise node.error(f"round_mode '{round_mode}' is not one of up, down, nearest")
    if saturate:  # the largest exponent does not round up to NaN
        up = b.and_(up, b.flag(b.xor(exponent, 0xFE)))
    code = b.min(b.add(exponent, up), 0xFF)
    return compose.cast(node, code, STORAGE)


def encode_int(node: Node, x: SSAValue, fmt: NarrowFormat) -> SSAValue:
    """The storage bytes of `x` as integer format `fmt`: its low bits."""
    wide = compose.cast(node, x, I64)
    low = _Bits(node, I64).and_(wide, (1 << fmt.bits) - 1)
    return compose.cast(node, low, STORAGE)


def decode(
    node: Node, byte: SSAValue, fmt: NarrowFormat, dtype: np.dtype[Any]
) -> SSAValue:
    """Storage bytes of `fmt` as values of `dtype` (a table lookup)."""
    table = node.const(fmt.decode_table(dtype))
    index = compose.cast(node, byte, I32)
    return node.emit(graph.GatherOp(table, index, 0))


def convert(
    node: Node,
    x: SSAValue,
    source: NarrowFormat | None,
    target: Target,
    saturate: bool = True,
    round_mode: str = "up",
) -> SSAValue:
    """`x` (of narrow type `source`, or its own) converted to `target`."""
    if source is not None:
        if target == source:
            return x
        inner = target if isinstance(target, np.dtype) else F32
        x = decode(node, x, source, inner)
    if isinstance(target, np.dtype):
        return compose.cast(node, x, target)
    if target.is_float:
        return encode_float(node, x, target, saturate, round_mode)
    return encode_int(node, x, target)


def cast_node(node: Node, target: Target) -> SSAValue:
    """A Cast or CastLike node to `target`; its output's narrow type recorded."""
    source = input_format(node, 0)
    saturate = bool(int(node.attr("saturate", 1)))
    round_mode = str(node.attr("round_mode", "up"))
    out = convert(node, node.input(0), source, target, saturate, round_mode)
    if isinstance(target, NarrowFormat):
        node.importer.narrow[node.proto.output[0]] = target
    return out
