"""
The ONNX importer's state: the entry block being built, the ONNX name
environment, one `Node` per node being converted, and the converter registry
(`CONVERTERS`, filled by `@converter` in the op-family modules).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import prod
from typing import Any, TypeAlias, cast

import numpy as np
import onnx
from onnx import numpy_helper
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    LocationAttr,
    TensorType,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.hints import isa

from mlc.dialects import graph
from mlc.dialects.graph.base import (
    Array,
    GraphOp,
    Tensor,
    dense_to_numpy,
    from_numpy_dtype,
    is_float_dtype,
    numpy_to_dense,
    to_numpy_dtype,
)
from mlc.frontend.common import (
    check_elements,
    first_line,
    supported_dtype,
    tensor_type,
    unique_name,
    value_dtype,
    value_shape,
    value_type,
)
from mlc.frontend.model import UnsupportedModelError
from mlc.support.narrow_types import NarrowFormat

MIN_OPSET = 1
MAX_OPSET = 27

Output: TypeAlias = SSAValue | Array | None
"""A converter's output: an SSA value, a constant known at import time, or absent."""


def onnx_dtype(elem_type: int) -> np.dtype[Any]:
    """The numpy dtype of an ONNX element type mlc supports."""
    name = onnx.TensorProto.DataType.Name(elem_type)
    try:
        dtype = np.dtype(onnx.helper.tensor_dtype_to_np_dtype(elem_type))
    except (KeyError, ValueError, TypeError):
        raise UnsupportedModelError(f"element type {name} is not supported") from None
    try:
        return supported_dtype(dtype, name)
    except UnsupportedModelError:
        raise UnsupportedModelError(f"element type {name} is not supported") from None


def read_tensor(tensor: onnx.TensorProto, what: str) -> Array:
    """A tensor proto's value; its size is checked before anything is allocated."""
    check_elements(list(tensor.dims), what)
    try:
        return numpy_helper.to_array(tensor)
    except Exception as error:  # the data does not match dims and type, or is missing
        raise UnsupportedModelError(
            f"{what} cannot be read ({first_line(error)})"
        ) from None


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


def scalar_attr(value: float | int, like: SSAValue) -> Attribute:
    """`value` as an attribute of `like`'s element type."""
    element = value_type(like).element_type
    if isa(element, IntegerType):
        return IntegerAttr(int(value), element)
    return FloatAttr(float(value), cast(Any, element))


SHAPE_LIKE_ELEMENTS = 64


def is_constant_initializer(array: Array, overridable: bool = False) -> bool:
    """
    Small integer initializers (shapes, axes, indices) are constants, not
    parameters, so the computations on them fold at import. So are
    single-element ones (a GELU's `sqrt(2)`, an attention's scale, an
    epsilon) unless a graph input of the same name may override them: the
    graph's canonicalization patterns then see their values, as onnxruntime's
    optimizer sees every initializer's.
    """
    small_integer = array.dtype.kind in "iub" and array.size <= SHAPE_LIKE_ELEMENTS
    return small_integer or (array.size == 1 and not overridable)


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
    overridable: frozenset[str] = frozenset()
    """Initializers that are graph inputs too: defaults a caller may replace."""
    param_values: dict[str, Array] = field(default_factory=lambda: {})
    used_names: set[str] = field(default_factory=lambda: set())
    narrow: dict[str, NarrowFormat] = field(default_factory=lambda: {})
    """The ONNX names holding a narrow type's storage bytes (`narrow.py`)."""
    location: LocationAttr | None = None

    def unique_name(self, name: str) -> str:
        return unique_name(name, self.used_names)

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
            if is_constant_initializer(array, name in self.overridable):
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
    version: int
    """The version of the node's op at the model's opset (`versions.op_version`)."""

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

    def const(self, value: Array) -> SSAValue:
        """A constant of `value` (`mlc.frontend.compose.Emitter`)."""
        return self.importer.materialize(value)

    def scalar(self, value: float | int, dtype: np.dtype[Any]) -> SSAValue:
        return self.importer.materialize(np.asarray(value, dtype))

    def error(self, message: str) -> UnsupportedModelError:
        return UnsupportedModelError(
            f"{self.importer.source}: node '{self.name}' ({self.proto.op_type}): "
            f"error: {message}"
        )


def as_float(node: Node, x: SSAValue) -> tuple[SSAValue, np.dtype[Any]]:
    """Integer inputs of float-only ops are computed in f64 (exact to 2**53)."""
    dtype = value_dtype(x)
    if is_float_dtype(dtype):
        return x, dtype
    return node.emit(graph.CastOp(x, from_numpy_dtype(np.float64))), dtype


def back(node: Node, out: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    if value_dtype(out) == dtype:
        return out
    return node.emit(graph.CastOp(out, from_numpy_dtype(dtype)))


def coerced_2d(
    node: Node, x: SSAValue, apply: Callable[[Node, SSAValue, int], SSAValue]
) -> SSAValue:
    """
    `apply` along axis 1 of `x` coerced to 2-D at the node's `axis` (default
    1), as Softmax, LogSoftmax and Hardmax before version 13 read their input.
    """
    shape = value_shape(x)
    axis = int(node.attr("axis", 1)) % max(len(shape), 1)
    rows, columns = prod(shape[:axis]), prod(shape[axis:])
    if len(shape) == 2 and axis == 1:
        return apply(node, x, 1)
    flat = node.emit(graph.ReshapeOp(x, [rows, columns]))
    return node.emit(graph.ReshapeOp(apply(node, flat, 1), shape))


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
    "ReduceMin": (1,),
    "ReduceL1": (1,),
    "ReduceL2": (1,),
    "ReduceSumSquare": (1,),
    "ReduceLogSum": (1,),
    "ReduceLogSumExp": (1,),
    "Dropout": (1, 2),
    "Tile": (1,),
    "Trilu": (1,),
    "OneHot": (1,),
    "CumSum": (1,),
    "CumProd": (1,),
    "ReduceProd": (1,),
    "HannWindow": (0,),
    "HammingWindow": (0,),
    "BlackmanWindow": (0,),
    "TopK": (1,),
    "Compress": (1,),
    "NonZero": (0,),
    "Unique": (0,),
    "MaxUnpool": (2,),
    "ConstantOfShape": (0,),
    "Range": (0, 1, 2),
    "RNN": (4,),
    "GRU": (4,),
    "LSTM": (4,),
    "DFT": (1, 2),
    "STFT": (1, 3),
    "MelWeightMatrix": (0, 1, 2, 3, 4),
    "Resize": (1, 2, 3),
    "Upsample": (1,),
    "AffineGrid": (1,),
    "Col2Im": (1, 2),
    "CenterCropPad": (1,),
    "Loop": (0, 1),
}
"""The operands (by op type) that must be known at import time."""


def constant_operand_inputs(model: onnx.ModelProto) -> list[str]:
    """
    The graph inputs that must be known at import time: those the model reads
    as a shape, axes, pads or sizes operand, directly or through other nodes
    (subgraphs too: an `If` output needed so needs its condition and what its
    branches compute it from).
    """
    needed = _needed(model.graph, set())
    return [v.name for v in model.graph.input if v.name in needed]


def _needed(graph: onnx.GraphProto, needed: set[str]) -> set[str]:
    """`needed` and the names of `graph` (or outer ones) they are computed from."""
    needed = set(needed)
    for node in graph.node:
        for index in CONSTANT_OPERANDS.get(node.op_type, ()):
            if index < len(node.input):
                needed.add(node.input[index])
    for node in reversed(graph.node):
        if node.op_type in IMPORT_TIME_OPS:
            continue
        wanted = [i for i, name in enumerate(node.output) if name in needed]
        if wanted:
            needed.update(node.input)
        for attr in node.attribute:
            if attr.type != onnx.AttributeProto.GRAPH:
                continue
            body = attr.g
            outputs = [v.name for v in body.output]
            inner: set[str] = set(outputs) if wanted else set()
            if node.op_type == "If":
                inner = {outputs[i] for i in wanted if i < len(outputs)}
            needed |= _needed(body, inner) - _defined(body)
    return needed


def _defined(graph: onnx.GraphProto) -> set[str]:
    """The names `graph` defines: inputs, initializers, node outputs."""
    names = {v.name for v in graph.input} | {i.name for i in graph.initializer}
    return names | {o for node in graph.node for o in node.output}


def outer_reads(graph: onnx.GraphProto) -> set[str]:
    """The names `graph` (a graph attribute) reads from the scopes around it."""
    defined = {v.name for v in graph.input} | {i.name for i in graph.initializer}
    reads: set[str] = set()
    for node in graph.node:
        reads.update(n for n in node.input if n and n not in defined)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                reads |= outer_reads(attr.g) - defined
        defined.update(node.output)
    return reads | {v.name for v in graph.output if v.name not in defined}


def subgraph_reads(node: onnx.NodeProto) -> set[str]:
    """The outer names a node's graph attributes read (its hidden inputs)."""
    reads: set[str] = set()
    for attr in node.attribute:
        if attr.type == onnx.AttributeProto.GRAPH:
            reads |= outer_reads(attr.g)
    return reads


DEFAULT_DOMAINS = ("", "ai.onnx")


def op_key(node: onnx.NodeProto) -> str:
    """A node's key in `CONVERTERS`: its op type, prefixed by a non-default domain."""
    if node.domain in DEFAULT_DOMAINS:
        return node.op_type
    return f"{node.domain}.{node.op_type}"


Converter: TypeAlias = Callable[[Node], Sequence[Output]]
CONVERTERS: dict[str, Converter] = {}


def converter(*op_types: str) -> Callable[[Converter], Converter]:
    def register(fn: Converter) -> Converter:
        for op_type in op_types:
            CONVERTERS[op_type] = fn
        return fn

    return register


IMPORT_TIME_OPS = frozenset({"Shape", "Size", "Constant", "ConstantOfShape", "EyeLike"})
"""Ops whose outputs are known at import time whatever their inputs (static shapes)."""
