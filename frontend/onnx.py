"""
The ONNX importer: an ONNX `ModelProto` (opsets 13 to 25) to a graph-dialect module.

`import_onnx(path_or_model)` returns an `ImportedModel` whose entry function
takes the model's graph inputs in order, then one argument per parameter (an
initializer used as data, named after it), and returns the graph outputs in
order. Shapes are static, so whatever an op reads as a shape, axes, pads,
sizes or bounds operand must be known at import: `Constant` nodes, `Shape`,
small integer initializers (which are constants, not parameters) and anything
computed only from them fold at import, through the graph ops' numpy
references or, for ops mlc has no converter for, onnx's reference
implementation. A graph input used so can be fixed with `input_values`
(`constant_operand_inputs` lists them).

Each ONNX op type maps to one converter function in `CONVERTERS`; a converter
builds graph ops from the node's inputs and attributes (per opset version).
Before anything is converted, every node that can be neither converted nor
evaluated at import is listed in one `UnsupportedModelError` (op type, count,
first node). Each imported op carries the ONNX node as its location,
`loc("<node name>"("<op type>"("<file>":0:0)))`, so later diagnostics read
`model.onnx: node 'conv1' (Conv): error: ...`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from math import prod
from pathlib import Path
from typing import Any, TypeAlias, cast

import numpy as np
import onnx
from onnx import numpy_helper
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FileLineColLoc,
    FloatAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    LocationAttr,
    ModuleOp,
    NameLoc,
    StringAttr,
    TensorType,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.transforms.dead_code_elimination import region_dce
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.hints import isa

from mlc.dialects import graph
from mlc.dialects.graph.base import (
    Array,
    GraphOp,
    Tensor,
    dense_to_numpy,
    from_numpy_dtype,
    numpy_to_dense,
    to_numpy_dtype,
)
from mlc.frontend import ImportedModel, UnsupportedModelError
from mlc.support.abi import NAME_ATTR

MIN_OPSET = 13
MAX_OPSET = 25

Output: TypeAlias = SSAValue | Array | None
"""A converter's output: an SSA value, a constant known at import time, or absent."""

# --------------------------------------------------------------------------- #
# Names and types
# --------------------------------------------------------------------------- #


def sanitize(name: str) -> str:
    """An SSA-name-safe form of an ONNX name (letters, digits and `_`)."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not out or not (out[0].isalpha() or out[0] == "_"):
        out = "v_" + out
    # xDSL drops a trailing `_<digits>` from name hints: `layer_0` -> `layer0`.
    while (match := re.search(r"_+(\d+)$", out)) is not None:
        out = out[: match.start()] + match[1]
    return out


def onnx_dtype(elem_type: int) -> np.dtype[Any]:
    """The numpy dtype of an ONNX element type mlc supports."""
    try:
        dtype = np.dtype(onnx.helper.tensor_dtype_to_np_dtype(elem_type))
        from_numpy_dtype(dtype)
    except (KeyError, ValueError, TypeError):
        name = onnx.TensorProto.DataType.Name(elem_type)
        raise UnsupportedModelError(f"element type {name} is not supported") from None
    return dtype


def tensor_type(dtype: np.dtype[Any], shape: Sequence[int]) -> Tensor:
    return TensorType(from_numpy_dtype(dtype), list(shape))


def value_dtype(value: SSAValue) -> np.dtype[Any]:
    return to_numpy_dtype(value_type(value).element_type)


def value_type(value: SSAValue) -> Tensor:
    type_ = value.type
    assert isa(type_, TensorType[Attribute])
    return type_


def value_shape(value: SSAValue) -> tuple[int, ...]:
    return tuple(value_type(value).get_shape())


def constant_of(value: SSAValue) -> Array | None:
    """The value of an `arith.constant` (or of a zero-element tensor), else None."""
    owner = value.owner
    if isinstance(owner, arith.ConstantOp) and isinstance(
        owner.value, DenseIntOrFPElementsAttr
    ):
        return dense_to_numpy(owner.value)
    type_ = value.type
    if isa(type_, TensorType[Attribute]) and prod(type_.get_shape()) == 0:
        return np.empty(type_.get_shape(), to_numpy_dtype(type_.element_type))
    return None


SHAPE_LIKE_ELEMENTS = 64


def is_shape_like(array: Array) -> bool:
    """
    Small integer initializers (shapes, axes, indices) are constants, not
    parameters, so the computations on them fold at import.
    """
    return array.dtype.kind in "iub" and array.size <= SHAPE_LIKE_ELEMENTS


FOLD_ELEMENTS = 1 << 16
"""Ops on constants with at most this many result elements fold at import."""


# --------------------------------------------------------------------------- #
# The import state
# --------------------------------------------------------------------------- #


@dataclass
class Importer:
    """The state of one import: the entry block, the ONNX name environment."""

    model: onnx.ModelProto
    source: str
    opset: int
    block: Block = field(default_factory=Block)
    env: dict[str, SSAValue | Array] = field(default_factory=lambda: {})
    initializers: dict[str, Array] = field(default_factory=lambda: {})
    params: dict[str, SSAValue] = field(default_factory=lambda: {})
    param_values: dict[str, Array] = field(default_factory=lambda: {})
    used_names: set[str] = field(default_factory=lambda: set())
    location: LocationAttr | None = None

    def unique_name(self, name: str) -> str:
        base = sanitize(name)
        out, i = base, 1
        while out in self.used_names:
            out, i = f"{base}v{i}", i + 1
        self.used_names.add(out)
        return out

    def add_argument(self, type_: Attribute, name: str) -> SSAValue:
        arg = self.block.insert_arg(type_, len(self.block.args))
        arg.name_hint = name
        assert arg.name_hint == name, f"name hint {name!r} is not kept by xDSL"
        return arg

    def insert(self, op: Operation) -> None:
        if self.location is not None:
            op.location = self.location
        self.block.add_op(op)

    def materialize(self, array: Array) -> SSAValue:
        type_ = tensor_type(array.dtype, array.shape)
        op = arith.ConstantOp(numpy_to_dense(array, type_))
        self.insert(op)
        return op.result

    def value(self, name: str) -> SSAValue:
        """The SSA value of an ONNX name (a constant or parameter on first use)."""
        found = self.env.get(name)
        if isinstance(found, SSAValue):
            return found
        if found is not None:
            ssa = self.materialize(found)
            self.env[name] = ssa
            return ssa
        if name in self.initializers:
            array = self.initializers[name]
            if is_shape_like(array):
                ssa = self.materialize(array)
                self.env[name] = ssa
                return ssa
            key = self.unique_name(name)
            arg = self.add_argument(tensor_type(array.dtype, array.shape), key)
            self.params[key] = arg
            self.param_values[key] = array
            self.env[name] = arg
            return arg
        raise UnsupportedModelError(f"{self.source}: value '{name}' is never defined")

    def constant(self, name: str) -> Array | None:
        """The value of an ONNX name when it is known at import time."""
        found = self.env.get(name)
        if found is None:
            return self.initializers.get(name)
        if isinstance(found, SSAValue):
            return constant_of(found)
        return found

    def emit(self, op: GraphOp) -> SSAValue | Array:
        """Insert `op`, or fold it to its value when its operands are constants."""
        result_type = cast(Tensor, op.results[0].type)
        count = prod(result_type.get_shape())
        dtype = to_numpy_dtype(result_type.element_type)
        if count == 0:
            op.drop_all_references()
            return np.empty(result_type.get_shape(), dtype)
        operands = op.operands_in_order()
        arrays = [None if v is None else constant_of(v) for v in operands]
        if count <= FOLD_ELEMENTS and all(
            a is not None for a, v in zip(arrays, operands, strict=True) if v
        ):
            with np.errstate(all="ignore"):
                result = op.evaluate(*arrays)
            op.drop_all_references()
            return np.asarray(result, dtype)
        self.insert(op)
        return op.results[0]


# --------------------------------------------------------------------------- #
# A node being converted
# --------------------------------------------------------------------------- #


@dataclass
class Node:
    """One ONNX node with helpers for its converter."""

    importer: Importer
    proto: onnx.NodeProto
    name: str
    attrs: dict[str, Any]

    @property
    def opset(self) -> int:
        return self.importer.opset

    @property
    def num_outputs(self) -> int:
        return len(self.proto.output)

    def wants(self, index: int) -> bool:
        return index < len(self.proto.output) and self.proto.output[index] != ""

    def has(self, index: int) -> bool:
        return index < len(self.proto.input) and self.proto.input[index] != ""

    def input(self, index: int) -> SSAValue:
        return self.importer.value(self.proto.input[index])

    def inputs(self) -> list[SSAValue]:
        return [self.input(i) for i in range(len(self.proto.input)) if self.has(i)]

    def constant(self, index: int) -> Array | None:
        if not self.has(index):
            return None
        return self.importer.constant(self.proto.input[index])

    def required_constant(self, index: int, what: str) -> Array:
        array = self.constant(index)
        if array is None:
            raise self.error(f"input {index} ({what}) must be a constant")
        return array

    def ints_input(self, index: int, what: str) -> list[int] | None:
        """An optional constant integer input (axes, pads, sizes) as a list."""
        if not self.has(index):
            return None
        return [int(v) for v in self.required_constant(index, what).reshape(-1)]

    def attr(self, name: str, default: Any = None) -> Any:
        return self.attrs.get(name, default)

    def shape(self, index: int) -> tuple[int, ...]:
        if not self.has(index):
            raise self.error(f"expects input {index}")
        array = self.constant(index)
        if array is not None:
            return tuple(array.shape)
        return value_shape(self.input(index))

    def dtype(self, index: int) -> np.dtype[Any]:
        array = self.constant(index)
        if array is not None:
            return array.dtype
        return value_dtype(self.input(index))

    def emit(self, op: GraphOp) -> SSAValue:
        """Insert `op` and return its result as an SSA value."""
        return self.value(self.importer.emit(op))

    def value(self, out: SSAValue | Array) -> SSAValue:
        if isinstance(out, SSAValue):
            return out
        return self.importer.materialize(np.asarray(out))

    def scalar(self, value: float | int, dtype: np.dtype[Any]) -> SSAValue:
        return self.importer.materialize(np.asarray(value, dtype))

    def error(self, message: str) -> UnsupportedModelError:
        return UnsupportedModelError(
            f"{self.importer.source}: node '{self.name}' ({self.proto.op_type}): "
            f"error: {message}"
        )


CONSTANT_OPERANDS: dict[str, tuple[int, ...]] = {
    "Reshape": (1,),
    "Slice": (1, 2, 3, 4),
    "Squeeze": (1,),
    "Unsqueeze": (1,),
    "Split": (1,),
    "Pad": (1, 2, 3),
    "Expand": (1,),
    "ReduceSum": (1,),
    "ReduceMean": (1,),
    "ReduceMax": (1,),
    "Dropout": (1, 2),
}
"""The operands (by op type) that must be known at import time."""


def constant_operand_inputs(model: onnx.ModelProto) -> list[str]:
    """
    The graph inputs that must be known at import time: those the model reads
    as a shape, axes, pads or sizes operand, directly or through other nodes.
    """
    needed: set[str] = set()
    for node in model.graph.node:
        for index in CONSTANT_OPERANDS.get(node.op_type, ()):
            if index < len(node.input):
                needed.add(node.input[index])
    for node in reversed(model.graph.node):
        if node.op_type not in IMPORT_TIME_OPS and needed.intersection(node.output):
            needed.update(node.input)
    return [v.name for v in model.graph.input if v.name in needed]


Converter: TypeAlias = Callable[[Node], Sequence[Output]]
CONVERTERS: dict[str, Converter] = {}


def converter(*op_types: str) -> Callable[[Converter], Converter]:
    def register(fn: Converter) -> Converter:
        for op_type in op_types:
            CONVERTERS[op_type] = fn
        return fn

    return register


# --------------------------------------------------------------------------- #
# Elementwise
# --------------------------------------------------------------------------- #

_UNARY: dict[str, type[graph.UnaryOp]] = {
    "Relu": graph.ReluOp,
    "Sigmoid": graph.SigmoidOp,
    "Tanh": graph.TanhOp,
    "Exp": graph.ExpOp,
    "Log": graph.LogOp,
    "Sqrt": graph.SqrtOp,
    "Neg": graph.NegOp,
    "Abs": graph.AbsOp,
    "Erf": graph.ErfOp,
}

_BINARY: dict[str, type[graph.BinaryOp]] = {
    "Add": graph.AddOp,
    "Sub": graph.SubOp,
    "Mul": graph.MulOp,
    "Div": graph.DivOp,
    "Pow": graph.PowOp,
    "Max": graph.MaxOp,
    "Min": graph.MinOp,
}


@converter(*_UNARY)
def _unary(node: Node) -> list[Output]:
    return [node.emit(_UNARY[node.proto.op_type](node.input(0)))]


@converter("Gelu")
def _gelu(node: Node) -> list[Output]:
    approximate = node.attr("approximate", "none")
    return [node.emit(graph.GeluOp(node.input(0), approximate))]


@converter("Reciprocal")
def _reciprocal(node: Node) -> list[Output]:
    x = node.input(0)
    return [node.emit(graph.DivOp(node.scalar(1, value_dtype(x)), x))]


@converter("Add", "Sub", "Mul", "Div", "Max", "Min")
def _binary(node: Node) -> list[Output]:
    op = _BINARY[node.proto.op_type]
    values = node.inputs()
    out = values[0]
    for value in values[1:]:
        out = node.emit(op(out, value))
    return [out]


@converter("Pow")
def _pow(node: Node) -> list[Output]:
    base, exponent = node.input(0), node.input(1)
    if value_dtype(exponent) != value_dtype(base):
        exponent = node.emit(graph.CastOp(exponent, value_type(base).element_type))
    return [node.emit(graph.PowOp(base, exponent))]


@converter("Clip")
def _clip(node: Node) -> list[Output]:
    x = node.input(0)
    bounds: list[Attribute | None] = []
    for index in (1, 2):
        array = node.constant(index)
        if not node.has(index):
            bounds.append(None)
        elif array is not None:
            bounds.append(_scalar_attr(array.reshape(()).item(), x))
        else:
            break
    else:
        return [node.emit(graph.ClipOp(x, bounds[0], bounds[1]))]
    # Bounds computed at run time: max(x, min), then min(., max).
    out = x
    if node.has(1):
        out = node.emit(graph.MaxOp(out, node.input(1)))
    if node.has(2):
        out = node.emit(graph.MinOp(out, node.input(2)))
    return [out]


def _scalar_attr(value: float | int, like: SSAValue) -> Attribute:
    element = value_type(like).element_type
    if isa(element, IntegerType):
        return IntegerAttr(int(value), element)
    return FloatAttr(float(value), cast(Any, element))


@converter("Where")
def _where(node: Node) -> list[Output]:
    return [node.emit(graph.WhereOp(node.input(0), node.input(1), node.input(2)))]


@converter("Cast")
def _cast(node: Node) -> list[Output]:
    x = node.input(0)
    target = onnx_dtype(int(node.attr("to")))
    if target == value_dtype(x):
        return [x]
    return [node.emit(graph.CastOp(x, from_numpy_dtype(target)))]


@converter("Identity")
def _identity(node: Node) -> list[Output]:
    constant = node.constant(0)
    return [constant if constant is not None else node.input(0)]


@converter("Dropout")
def _dropout(node: Node) -> list[Output]:
    x = node.input(0)
    training = node.constant(2)
    ratio = node.constant(1)
    if node.has(2) and training is None:
        raise node.error("input 2 (training_mode) must be a constant")
    if (
        training is not None
        and bool(training.reshape(-1)[0])
        and (ratio is None or float(ratio.reshape(-1)[0]) != 0.0)
    ):
        raise node.error("training-mode dropout (random) is not supported")
    outputs: list[Output] = [x]
    if node.wants(1):
        outputs.append(np.ones(value_shape(x), np.bool_))
    return outputs


@converter("Shape")
def _shape(node: Node) -> list[Output]:
    shape = node.shape(0)
    start, end = node.attr("start", 0), node.attr("end", len(shape))
    return [np.asarray(shape[start:end], np.int64)]


@converter("Size")
def _size(node: Node) -> list[Output]:
    return [np.asarray(prod(node.shape(0)), np.int64)]


@converter("Constant")
def _constant(node: Node) -> list[Output]:
    for name, value in node.attrs.items():
        if name == "value":
            return [numpy_helper.to_array(value)]
        if name in ("value_float", "value_int"):
            dtype = np.float32 if name == "value_float" else np.int64
            return [np.asarray(value, dtype)]
        if name in ("value_floats", "value_ints"):
            dtype = np.float32 if name == "value_floats" else np.int64
            return [np.asarray(list(value), dtype)]
    raise node.error("only tensor, float(s) and int(s) constants are supported")


# --------------------------------------------------------------------------- #
# Contractions
# --------------------------------------------------------------------------- #


@converter("MatMul")
def _matmul(node: Node) -> list[Output]:
    return [node.emit(graph.MatmulOp(node.input(0), node.input(1)))]


@converter("Gemm")
def _gemm(node: Node) -> list[Output]:
    a, b = node.input(0), node.input(1)
    alpha = float(node.attr("alpha", 1.0))
    beta = float(node.attr("beta", 1.0))
    dtype = value_dtype(a)
    if node.attr("transA", 0):
        a = node.emit(graph.TransposeOp(a, (1, 0)))
    c = node.input(2) if node.has(2) and beta != 0.0 else None
    n = value_shape(b)[0 if node.attr("transB", 0) else 1]
    if node.attr("transB", 0):
        vector_bias = (
            c is not None and beta == 1.0 and alpha == 1.0 and value_shape(c) == (n,)
        )
        out = node.emit(graph.LinearOp(a, b, c if vector_bias else None))
        if vector_bias:
            return [out]
    else:
        out = node.emit(graph.MatmulOp(a, b))
    if alpha != 1.0:
        out = node.emit(graph.MulOp(out, node.scalar(alpha, dtype)))
    if c is not None:
        if beta != 1.0:
            c = node.emit(graph.MulOp(c, node.scalar(beta, dtype)))
        out = node.emit(graph.AddOp(out, c))
    return [out]


def _spatial(node: Node, rank: int) -> int:
    """The number of spatial dims of a window op, which must be 1 or 2."""
    spatial = rank - 2
    if spatial not in (1, 2):
        raise node.error(f"{spatial}-D {node.proto.op_type} is not supported")
    return spatial


def _auto_pads(
    node: Node,
    sizes: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
) -> list[int]:
    """ONNX `pads` (begins then ends), from `auto_pad` or the `pads` attribute."""
    spatial = len(sizes)
    auto_pad = str(node.attr("auto_pad", "NOTSET"))
    if auto_pad in ("NOTSET", ""):
        return [int(p) for p in node.attr("pads", [0] * (2 * spatial))]
    if auto_pad == "VALID":
        return [0] * (2 * spatial)
    begins: list[int] = []
    ends: list[int] = []
    for size, k, s, d in zip(sizes, kernel, strides, dilations, strict=True):
        out = -(-size // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
        small, large = total // 2, total - total // 2
        upper = auto_pad == "SAME_UPPER"
        begins.append(small if upper else large)
        ends.append(large if upper else small)
    return begins + ends


@dataclass
class _Window:
    kernel: list[int]
    strides: list[int]
    dilations: list[int]
    pads: list[int]


def _window(node: Node, x_shape: Sequence[int], kernel: Sequence[int]) -> _Window:
    spatial = len(x_shape) - 2
    strides = [int(v) for v in node.attr("strides", [1] * spatial)]
    dilations = [int(v) for v in node.attr("dilations", [1] * spatial)]
    pads = _auto_pads(node, x_shape[2:], kernel, strides, dilations)
    return _Window(list(kernel), strides, dilations, pads)


def _to_2d(node: Node, x: SSAValue, window: _Window) -> tuple[SSAValue, _Window]:
    """A 1-D window op as a 2-D one over (1, W)."""
    if len(value_shape(x)) == 4:
        return x, window
    x = node.emit(graph.UnsqueezeOp(x, (2,)))
    return x, _Window(
        [1, *window.kernel],
        [1, *window.strides],
        [1, *window.dilations],
        [0, window.pads[0], 0, window.pads[1]],
    )


def _from_2d(node: Node, out: SSAValue, spatial: int) -> SSAValue:
    return out if spatial == 2 else node.emit(graph.SqueezeOp(out, (2,)))


@converter("Conv")
def _conv(node: Node) -> list[Output]:
    x, w = node.input(0), node.input(1)
    spatial = _spatial(node, len(value_shape(x)))
    kernel = node.attr("kernel_shape") or value_shape(w)[2:]
    window = _window(node, value_shape(x), kernel)
    if spatial == 1:
        w = node.emit(graph.UnsqueezeOp(w, (2,)))
    x, window = _to_2d(node, x, window)
    bias = node.input(2) if node.has(2) else None
    out = node.emit(
        graph.Conv2DOp(
            x,
            w,
            bias,
            strides=window.strides,
            pads=window.pads,
            dilations=window.dilations,
            groups=int(node.attr("group", 1)),
        )
    )
    return [_from_2d(node, out, spatial)]


def _as_float(node: Node, x: SSAValue) -> tuple[SSAValue, np.dtype[Any]]:
    """Integer inputs of float-only ops are computed in f64 (exact to 2**53)."""
    dtype = value_dtype(x)
    if dtype.kind == "f":
        return x, dtype
    return node.emit(graph.CastOp(x, from_numpy_dtype(np.float64))), dtype


def _back(node: Node, out: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    if value_dtype(out) == dtype:
        return out
    return node.emit(graph.CastOp(out, from_numpy_dtype(dtype)))


def _pool_out_size(
    size: int, k: int, s: int, d: int, pads: tuple[int, int], ceil: bool
) -> int:
    """ONNX's pooled size (ceil_mode drops a window starting in the end pad)."""
    span = size + pads[0] + pads[1] - (d * (k - 1) + 1)
    if not ceil:
        return span // s + 1
    out = -(-span // s) + 1
    return out - 1 if (out - 1) * s >= size + pads[0] else out


def _pool_axis(
    node: Node,
    x: SSAValue,
    axis: int,
    params: tuple[int, int, int, tuple[int, int]],
    ceil: bool,
    kind: str,
) -> SSAValue:
    """Max- or sum-pool `x` along one axis, as a 2-D op over (1, C, L, W)."""
    k, s, d, pads = params
    shape = value_shape(x)
    size = shape[axis]
    out = _pool_out_size(size, k, s, d, pads, ceil)
    if (k, s, d, pads) == (1, 1, 1, (0, 0)):
        return x
    c, w = prod(shape[:axis]), prod(shape[axis + 1 :])
    x4 = node.emit(graph.ReshapeOp(x, (1, c, size, w)))
    if kind == "max":
        pooled = node.emit(
            graph.MaxPool2DOp(
                x4,
                (k, 1),
                strides=(s, 1),
                pads=(pads[0], 0, pads[1], 0),
                dilations=(d, 1),
                ceil_mode=ceil or None,
            )
        )
    else:
        # A sum over the window: a depthwise convolution with a ones kernel,
        # the end padded far enough for ceil_mode's last window.
        end = max(pads[1], (out - 1) * s + d * (k - 1) + 1 - size - pads[0])
        ones = node.value(np.ones((c, 1, k, 1), value_dtype(x)))
        pooled = node.emit(
            graph.Conv2DOp(
                x4,
                ones,
                None,
                strides=(s, 1),
                pads=(pads[0], 0, end, 0),
                dilations=(d, 1),
                groups=c,
            )
        )
    return node.emit(graph.ReshapeOp(pooled, (*shape[:axis], out, *shape[axis + 1 :])))


def _pool_divisor(
    sizes: Sequence[int],
    windows: Sequence[tuple[int, int, int, tuple[int, int]]],
    ceil: bool,
    include_pad: bool,
) -> Array:
    """The element count of every average-pool window, over the spatial dims."""
    counts: list[Array] = []
    for size, (k, s, d, pads) in zip(sizes, windows, strict=True):
        out = _pool_out_size(size, k, s, d, pads, ceil)
        lo, hi = (-pads[0], size + pads[1]) if include_pad else (0, size)
        starts = np.arange(out)[:, None] * s - pads[0] + np.arange(k)[None, :] * d
        counts.append(((starts >= lo) & (starts < hi)).sum(axis=1))
    divisor = counts[0].astype(np.float64)
    for count in counts[1:]:
        divisor = np.multiply.outer(divisor, count)
    return divisor


def _max_pool_indices(
    node: Node, x: SSAValue, window: _Window, pooled: SSAValue
) -> SSAValue:
    """
    MaxPool's Indices output (flat indices into the input, row- or column-major
    by `storage_order`, of each window's first maximum): going through the
    window's taps from the last to the first, take a tap's index where its
    value equals the window's maximum.
    """
    column_major = bool(node.attr("storage_order", 0))
    n, c, h, w = value_shape(x)
    oh, ow = value_shape(pooled)[2:]
    (kh, kw), (sh, sw), (dh, dw) = window.kernel, window.strides, window.dilations
    top, left = window.pads[0], window.pads[1]
    bottom = max(window.pads[2], (oh - 1) * sh + dh * (kh - 1) + 1 - h - top)
    right = max(window.pads[3], (ow - 1) * sw + dw * (kw - 1) + 1 - w - left)
    lowest = np.finfo(value_dtype(x)).min  # never a window's maximum
    padded = node.emit(
        graph.PadOp(
            x, [0, 0, top, left, 0, 0, bottom, right], _scalar_attr(float(lowest), x)
        )
    )
    base = (np.arange(n * c, dtype=np.int64) * h * w).reshape(n, c, 1, 1)
    result: SSAValue | None = None
    for i, j in reversed([(i, j) for i in range(kh) for j in range(kw)]):
        rows = np.arange(oh, dtype=np.int64) * sh - top + i * dh
        cols = np.arange(ow, dtype=np.int64) * sw - left + j * dw
        if column_major:
            flat = rows[:, None] + cols[None, :] * h
        else:
            flat = rows[:, None] * w + cols[None, :]
        index = node.value(base + flat)
        if result is None:
            result = index
            continue
        tap = node.emit(
            graph.SliceOp(
                padded,
                [i * dh, j * dw],
                [i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1],
                [2, 3],
                [sh, sw],
            )
        )
        gap = node.emit(graph.SubOp(pooled, tap))
        differs = node.emit(graph.CastOp(gap, from_numpy_dtype(np.bool_)))
        result = node.emit(graph.WhereOp(differs, result, index))
    assert result is not None
    return result


@converter("MaxPool", "AveragePool")
def _pool(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    if rank - 2 not in (1, 2, 3):
        raise node.error(f"{rank - 2}-D {node.proto.op_type} is not supported")
    window = _window(node, value_shape(x), [int(k) for k in node.attr("kernel_shape")])
    ceil = bool(node.attr("ceil_mode", 0))
    include_pad = bool(node.attr("count_include_pad", 0))
    is_max = node.proto.op_type == "MaxPool"
    x, dtype = _as_float(node, x)
    if rank <= 4 and (is_max or all(d == 1 for d in window.dilations)):
        x2, w2 = _to_2d(node, x, window)
        if is_max:
            op: GraphOp = graph.MaxPool2DOp(
                x2,
                w2.kernel,
                strides=w2.strides,
                pads=w2.pads,
                dilations=w2.dilations,
                ceil_mode=ceil or None,
            )
        else:
            op = graph.AvgPool2DOp(
                x2,
                w2.kernel,
                strides=w2.strides,
                pads=w2.pads,
                ceil_mode=ceil or None,
                count_include_pad=include_pad or None,
            )
        pooled = node.emit(op)
        out = _back(node, _from_2d(node, pooled, rank - 2), dtype)
        if not node.wants(1):
            return [out]
        return [out, _from_2d(node, _max_pool_indices(node, x2, w2, pooled), rank - 2)]
    if node.wants(1):
        raise node.error("the Indices output of 3-D MaxPool is not supported")
    # Separable: pool one spatial axis at a time (max of maxes, sum of sums).
    spatial = rank - 2
    windows = [
        (
            window.kernel[i],
            window.strides[i],
            window.dilations[i],
            (window.pads[i], window.pads[i + spatial]),
        )
        for i in range(spatial)
    ]
    out = x
    for i, params in enumerate(windows):
        out = _pool_axis(node, out, 2 + i, params, ceil, "max" if is_max else "sum")
    if not is_max:
        divisor = _pool_divisor(value_shape(x)[2:], windows, ceil, include_pad)
        divisor = divisor.reshape((1, 1, *divisor.shape)).astype(value_dtype(out))
        out = node.emit(graph.DivOp(out, node.value(divisor)))
    return [_back(node, out, dtype)]


@converter("GlobalAveragePool")
def _global_average_pool(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    if rank == 4:
        return [node.emit(graph.GlobalAvgPool2DOp(x))]
    return [node.emit(graph.ReduceMeanOp(x, list(range(2, rank)), True))]


# --------------------------------------------------------------------------- #
# Normalization and softmax
# --------------------------------------------------------------------------- #


@converter("BatchNormalization")
def _batch_norm(node: Node) -> list[Output]:
    x, scale, bias, mean, var = (node.input(i) for i in range(5))
    epsilon = float(node.attr("epsilon", 1e-5))
    if not node.attr("training_mode", 0):
        return [node.emit(graph.BatchNormOp(x, scale, bias, mean, var, epsilon))]
    # Training mode normalizes with the batch statistics (population variance)
    # and also returns the updated running statistics.
    rank = len(value_shape(x))
    axes = [0, *range(2, rank)]
    batch_mean = node.emit(graph.ReduceMeanOp(x, axes, True))
    centered = node.emit(graph.SubOp(x, batch_mean))
    square = node.emit(graph.MulOp(centered, centered))
    batch_var = node.emit(graph.ReduceMeanOp(square, axes, False))
    batch_mean = node.emit(graph.ReduceMeanOp(x, axes, False))
    y = node.emit(graph.BatchNormOp(x, scale, bias, batch_mean, batch_var, epsilon))
    momentum = float(node.attr("momentum", 0.9))
    dtype = value_dtype(x)

    def running(old: SSAValue, new: SSAValue) -> SSAValue:
        kept = node.emit(graph.MulOp(old, node.scalar(momentum, dtype)))
        added = node.emit(graph.MulOp(new, node.scalar(1 - momentum, dtype)))
        return node.emit(graph.AddOp(kept, added))

    return [y, running(mean, batch_mean), running(var, batch_var)]


@converter("LayerNormalization")
def _layer_norm(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    axis = int(node.attr("axis", -1))
    epsilon = float(node.attr("epsilon", 1e-5))
    bias = node.input(2) if node.has(2) else None
    y = node.emit(graph.LayerNormOp(x, node.input(1), bias, axis=axis, epsilon=epsilon))
    outputs: list[Output] = [y]
    if node.wants(1) or node.wants(2):
        axes = list(range(axis % rank, rank))
        stats_x = x
        if node.attr("stash_type", 1) == 1 and value_dtype(x) == np.float16:
            stats_x = node.emit(graph.CastOp(x, from_numpy_dtype(np.float32)))
        mean = node.emit(graph.ReduceMeanOp(stats_x, axes, True))
        centered = node.emit(graph.SubOp(stats_x, mean))
        square = node.emit(graph.MulOp(centered, centered))
        var = node.emit(graph.ReduceMeanOp(square, axes, True))
        eps = node.scalar(epsilon, value_dtype(var))
        inv = node.emit(graph.RsqrtOp(node.emit(graph.AddOp(var, eps))))
        outputs += [mean, inv]
    return outputs


@converter("Softmax", "LogSoftmax")
def _softmax(node: Node) -> list[Output]:
    op = graph.SoftmaxOp if node.proto.op_type == "Softmax" else graph.LogSoftmaxOp
    return [node.emit(op(node.input(0), int(node.attr("axis", -1))))]


# --------------------------------------------------------------------------- #
# Reductions
# --------------------------------------------------------------------------- #

_REDUCE: dict[str, type[graph.ReduceOp]] = {
    "ReduceMean": graph.ReduceMeanOp,
    "ReduceSum": graph.ReduceSumOp,
    "ReduceMax": graph.ReduceMaxOp,
}


@converter(*_REDUCE)
def _reduce(node: Node) -> list[Output]:
    x = node.input(0)
    # ReduceSum takes axes as an input from opset 13, the others from 18.
    axes_as_input = node.proto.op_type == "ReduceSum" or node.opset >= 18
    if axes_as_input:
        axes = node.ints_input(1, "axes")
    else:
        attr = node.attr("axes")
        axes = None if attr is None else [int(a) for a in attr]
    keepdims = bool(node.attr("keepdims", 1))
    if not axes:
        if node.attr("noop_with_empty_axes", 0):
            return [x]
        axes = list(range(len(value_shape(x))))
    x_in, dtype = x, value_dtype(x)
    if dtype == np.bool_:
        x_in = node.emit(graph.CastOp(x, from_numpy_dtype(np.uint8)))
    out = node.emit(_REDUCE[node.proto.op_type](x_in, axes, keepdims))
    return [_back(node, out, dtype)]


# --------------------------------------------------------------------------- #
# Shape and data movement
# --------------------------------------------------------------------------- #


@converter("Flatten")
def _flatten(node: Node) -> list[Output]:
    return [node.emit(graph.FlattenOp(node.input(0), int(node.attr("axis", 1))))]


@converter("Reshape")
def _reshape(node: Node) -> list[Output]:
    x = node.input(0)
    in_shape = value_shape(x)
    target = node.ints_input(1, "shape") or []
    allowzero = bool(node.attr("allowzero", 0))
    shape = [
        in_shape[i] if d == 0 and not allowzero else d for i, d in enumerate(target)
    ]
    if -1 in shape:
        known = prod(d for d in shape if d != -1)
        shape[shape.index(-1)] = prod(in_shape) // known if known else 0
    if tuple(shape) == in_shape:
        return [x]
    if prod(shape) == 0:
        return [np.empty(shape, value_dtype(x))]
    return [node.emit(graph.ReshapeOp(x, shape))]


@converter("Transpose")
def _transpose(node: Node) -> list[Output]:
    perm = node.attr("perm")
    perm = None if perm is None else [int(p) for p in perm]
    return [node.emit(graph.TransposeOp(node.input(0), perm))]


@converter("Squeeze")
def _squeeze(node: Node) -> list[Output]:
    return [node.emit(graph.SqueezeOp(node.input(0), node.ints_input(1, "axes")))]


@converter("Unsqueeze")
def _unsqueeze(node: Node) -> list[Output]:
    axes = node.ints_input(1, "axes") or []
    return [node.emit(graph.UnsqueezeOp(node.input(0), axes))]


@converter("Concat")
def _concat(node: Node) -> list[Output]:
    values = node.inputs()
    axis = int(node.attr("axis"))
    op = graph.ConcatOp(values, axis)  # verifies all inputs, even empty ones
    filled = [v for v in values if prod(value_shape(v)) != 0]
    if len(filled) in (0, len(values)):
        return [node.importer.emit(op)]
    op.drop_all_references()
    if len(filled) == 1:
        return [filled[0]]
    return [node.emit(graph.ConcatOp(filled, axis))]


@converter("Split")
def _split(node: Node) -> list[Output]:
    x = node.input(0)
    shape = value_shape(x)
    axis = int(node.attr("axis", 0)) % len(shape)
    sizes = node.ints_input(1, "split")
    count = node.num_outputs
    if sizes is None:
        parts = int(node.attr("num_outputs", count))
        chunk = -(-shape[axis] // parts)
        sizes = [min(chunk, shape[axis] - i * chunk) for i in range(parts)]
    outputs: list[Output] = []
    start = 0
    for size in sizes:
        outputs.append(
            node.emit(graph.SliceOp(x, [start], [start + size], [axis], None))
            if size != shape[axis]
            else x
        )
        start += size
    return outputs


@converter("Gather")
def _gather(node: Node) -> list[Output]:
    x, indices = node.input(0), node.input(1)
    return [node.emit(graph.GatherOp(x, indices, int(node.attr("axis", 0))))]


@converter("Slice")
def _slice(node: Node) -> list[Output]:
    x = node.input(0)
    starts = node.ints_input(1, "starts") or []
    ends = node.ints_input(2, "ends") or []
    axes = node.ints_input(3, "axes")
    steps = node.ints_input(4, "steps")
    return [node.emit(graph.SliceOp(x, starts, ends, axes, steps))]


@converter("Expand")
def _expand(node: Node) -> list[Output]:
    x = node.input(0)
    target = node.ints_input(1, "shape") or []
    shape = tuple(np.broadcast_shapes(value_shape(x), tuple(target)))
    if shape == value_shape(x):
        return [x]
    return [node.emit(graph.BroadcastToOp(x, shape))]


@converter("Pad")
def _pad(node: Node) -> list[Output]:
    x = node.input(0)
    rank = len(value_shape(x))
    pads = node.ints_input(1, "pads") or [0] * (2 * rank)
    axes = node.ints_input(3, "axes")
    if axes is not None:
        full = [0] * (2 * rank)
        for i, axis in enumerate(axes):
            full[axis % rank] = pads[i]
            full[axis % rank + rank] = pads[i + len(axes)]
        pads = full
    mode = str(node.attr("mode", "constant"))
    # Negative pads crop.
    if any(p < 0 for p in pads):
        starts = [max(0, -p) for p in pads[:rank]]
        ends = [
            d - max(0, -p) for d, p in zip(value_shape(x), pads[rank:], strict=True)
        ]
        x = node.emit(graph.SliceOp(x, starts, ends))
        pads = [max(0, p) for p in pads]
    if not any(pads):
        return [x]
    if mode == "constant":
        value = node.constant(2)
        fill = None if value is None else _scalar_attr(value.reshape(()).item(), x)
        return [node.emit(graph.PadOp(x, pads, fill))]
    if mode not in ("reflect", "edge", "wrap"):
        raise node.error(f"pad mode '{mode}' is not supported")
    for axis in range(rank):
        x = _pad_axis(node, x, axis, pads[axis], pads[axis + rank], mode)
    return [x]


def _pad_axis(
    node: Node, x: SSAValue, axis: int, before: int, after: int, mode: str
) -> SSAValue:
    """Pad one axis by concatenating slices of `x` (reflect, edge, wrap)."""
    if not before and not after:
        return x
    size = value_shape(x)[axis]

    def piece(start: int, end: int, step: int = 1) -> SSAValue:
        return node.emit(graph.SliceOp(x, [start], [end], [axis], [step]))

    parts: list[SSAValue] = []
    if before:
        if mode == "reflect":
            parts.append(piece(before, 0, -1))
        elif mode == "edge":
            edge = piece(0, 1)
            parts += [edge] * before
        else:
            parts.append(piece(size - before, size))
    parts.append(x)
    if after:
        if mode == "reflect":
            end = size - 2 - after  # below 0: through index 0 (ONNX clamps)
            parts.append(piece(size - 2, end if end >= 0 else -(1 << 62), -1))
        elif mode == "edge":
            edge = piece(size - 1, size)
            parts += [edge] * after
        else:
            parts.append(piece(0, after))
    return node.emit(graph.ConcatOp(parts, axis))


# --------------------------------------------------------------------------- #
# The driver
# --------------------------------------------------------------------------- #


def _default_opset(model: onnx.ModelProto) -> int:
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return int(entry.version)
    return MAX_OPSET


IMPORT_TIME_OPS = frozenset({"Shape", "Size", "Constant", "ConstantOfShape"})
"""Ops whose outputs are known at import time whatever their inputs (static shapes)."""


def foldable_nodes(model: onnx.ModelProto, known: Sequence[str] = ()) -> set[int]:
    """
    The nodes (by index) mlc has no converter for but whose inputs are all
    known at import time (initializers, constants, static shapes, `known`):
    onnx's reference implementation evaluates them at import.
    """
    constant = {init.name for init in model.graph.initializer} | set(known)
    constant.add("")
    foldable: set[int] = set()
    for index, node in enumerate(model.graph.node):
        if node.op_type in IMPORT_TIME_OPS or all(n in constant for n in node.input):
            constant.update(node.output)
            if node.op_type not in CONVERTERS and node.domain in ("", "ai.onnx"):
                foldable.add(index)
    return foldable


def check_supported(
    model: onnx.ModelProto, source: str, known: Sequence[str] = ()
) -> set[int]:
    """
    Raise one `UnsupportedModelError` listing every unsupported op type, with
    its count and first node; return the nodes to evaluate at import time.
    """
    foldable = foldable_nodes(model, known)
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for index, node in enumerate(model.graph.node):
        op_type = node.op_type
        if node.domain not in ("", "ai.onnx"):
            op_type = f"{node.domain}.{op_type}"
        elif op_type in CONVERTERS or index in foldable:
            continue
        counts[op_type] += 1
        first.setdefault(op_type, node.name or f"{node.op_type}_{index}")
    if counts:
        listed = ", ".join(
            f"{op} ({count} node{'s' if count > 1 else ''}, first '{first[op]}')"
            for op, count in counts.items()
        )
        raise UnsupportedModelError(f"{source}: unsupported ONNX ops: {listed}")
    return foldable


def _evaluate(node: Node) -> list[Output]:
    """A node on import-time constants, through onnx's reference implementation."""
    from onnx.reference import ReferenceEvaluator

    names = [n for n in node.proto.input if n]
    arrays = {n: node.importer.constant(n) for n in names}
    missing = [n for n, a in arrays.items() if a is None]
    if missing:
        raise node.error(f"input '{missing[0]}' must be known at import time")
    graph_inputs = [helper_value_info(n, cast(Array, a)) for n, a in arrays.items()]
    outputs = [
        onnx.helper.make_empty_tensor_value_info(n) for n in node.proto.output if n
    ]
    model = onnx.helper.make_model(
        onnx.helper.make_graph([node.proto], "fold", graph_inputs, outputs),
        opset_imports=[onnx.helper.make_opsetid("", node.opset)],
    )
    evaluator: Any = ReferenceEvaluator(model)  # onnx's stubs leave run() untyped
    results = evaluator.run(None, arrays)
    it = iter(cast(list[Array], results))
    return [np.asarray(next(it)) if n else None for n in node.proto.output]


def helper_value_info(name: str, array: Array) -> onnx.ValueInfoProto:
    elem_type = onnx.helper.np_dtype_to_tensor_dtype(array.dtype)
    return onnx.helper.make_tensor_value_info(name, elem_type, list(array.shape))


def _input_type(
    value: onnx.ValueInfoProto,
    source: str,
    input_shapes: Mapping[str, Sequence[int]],
) -> Tensor:
    if not value.type.HasField("tensor_type"):
        raise UnsupportedModelError(f"{source}: input '{value.name}' is not a tensor")
    tensor = value.type.tensor_type
    dtype = onnx_dtype(tensor.elem_type)
    if value.name in input_shapes:
        return tensor_type(dtype, input_shapes[value.name])
    shape: list[int] = []
    for dim in tensor.shape.dim:
        if not dim.HasField("dim_value"):
            raise UnsupportedModelError(
                f"{source}: input '{value.name}' has a dynamic dimension "
                f"'{dim.dim_param or '?'}'; give its shape with input_shapes"
            )
        shape.append(int(dim.dim_value))
    return tensor_type(dtype, shape)


def _node_location(node: onnx.NodeProto, name: str, source: str) -> LocationAttr:
    file_loc = FileLineColLoc(StringAttr(source), IntAttr(0), IntAttr(0))
    return NameLoc(StringAttr(name), NameLoc(StringAttr(node.op_type), file_loc))


def _attribute(attr: onnx.AttributeProto) -> Any:
    """An attribute's Python value; strings are `str`."""
    value = onnx.helper.get_attribute_value(attr)
    if isinstance(value, bytes):
        return value.decode()
    return value


def _convert_node(
    importer: Importer, proto: onnx.NodeProto, index: int, fold: bool
) -> None:
    name = proto.name or f"{proto.op_type}_{index}"
    attrs = {a.name: _attribute(a) for a in proto.attribute}
    node = Node(importer, proto, name, attrs)
    importer.location = _node_location(proto, name, importer.source)
    try:
        convert = _evaluate if fold else CONVERTERS[proto.op_type]
        outputs = list(convert(node))
    except VerifyException as error:
        raise node.error(str(error)) from None
    except UnsupportedModelError:
        raise
    except (ValueError, TypeError, IndexError, KeyError) as error:
        raise node.error(f"{type(error).__name__}: {error}") from None
    for i, out_name in enumerate(proto.output):
        if not out_name:
            continue
        if i >= len(outputs) or outputs[i] is None:
            raise node.error(f"output {i} is not supported")
        importer.env[out_name] = cast(SSAValue | Array, outputs[i])


def load_model(model: str | Path | onnx.ModelProto) -> tuple[onnx.ModelProto, str]:
    """The model proto and the name diagnostics use for it."""
    if isinstance(model, onnx.ModelProto):
        return model, f"{model.graph.name or 'model'}.onnx"
    load = cast(Callable[[str], onnx.ModelProto], onnx.load)
    try:
        return load(str(model)), str(model)
    except Exception as error:  # OSError, protobuf's DecodeError (no public base)
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UnsupportedModelError(f"{model}: error: cannot load: {message}") from None


def import_onnx(
    model: str | Path | onnx.ModelProto,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    input_values: Mapping[str, Array] | None = None,
) -> ImportedModel:
    """
    Import an ONNX model as a graph-dialect module with its parameter values.

    `input_shapes` fixes the shapes of inputs with dynamic dimensions;
    `input_values` fixes the values of graph inputs, which are then constants
    rather than arguments (a shape or axes operand that a model takes as an
    input must be fixed so; `constant_operand_inputs` lists them).
    """
    proto, source = load_model(model)
    opset = _default_opset(proto)
    if not MIN_OPSET <= opset <= MAX_OPSET:
        raise UnsupportedModelError(
            f"{source}: opset {opset} is not supported (mlc imports opsets "
            f"{MIN_OPSET} to {MAX_OPSET})"
        )
    foldable = check_supported(proto, source, list(input_values or {}))
    importer = Importer(proto, source, opset)
    for init in proto.graph.initializer:
        importer.initializers[init.name] = numpy_helper.to_array(init)
    for name, array in (input_values or {}).items():
        importer.env[name] = np.asarray(array)
    for value in proto.graph.input:
        if value.name in importer.initializers or value.name in importer.env:
            continue
        type_ = _input_type(value, source, input_shapes or {})
        importer.env[value.name] = importer.add_argument(
            type_, importer.unique_name(value.name)
        )
    num_inputs = len(importer.block.args)
    for index, node in enumerate(proto.graph.node):
        _convert_node(importer, node, index, index in foldable)
    importer.location = None
    results = [importer.value(out.name) for out in proto.graph.output]
    importer.block.add_op(func.ReturnOp(*results))
    entry = sanitize(proto.graph.name) if proto.graph.name else "main"
    region = Region(importer.block)
    region_dce(region)
    # Parameters no op uses any more (folded away) are dropped.
    for arg in list(importer.block.args[num_inputs:]):
        if arg.first_use is None:
            assert arg.name_hint is not None
            del importer.param_values[arg.name_hint]
            importer.block.erase_arg(arg)
    function = func.FuncOp(
        entry,
        (importer.block.arg_types, [r.type for r in results]),
        region,
        res_attrs=ArrayAttr(
            DictionaryAttr({NAME_ATTR: StringAttr(out.name)})
            for out in proto.graph.output
        ),
    )
    module = ModuleOp([function])
    try:
        module.verify()
    except VerifyException as error:
        raise UnsupportedModelError(f"{source}: error: {error}") from None
    return ImportedModel(module, entry, dict(importer.param_values))


__all__ = [
    "CONSTANT_OPERANDS",
    "CONVERTERS",
    "check_supported",
    "constant_operand_inputs",
    "import_onnx",
    "sanitize",
]
