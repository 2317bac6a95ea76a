"""
The PyTorch importer's state: the entry block being built from an exported
program, the imported value of each FX node, the nodes PyTorch evaluates at
import, and the helpers the builders (one per aten op, in the op-family
modules) share.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, cast

import numpy as np
import torch
from torch.export import ExportedProgram
from torch.fx import Node
from xdsl.dialects import arith
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.exceptions import VerifyException

from mlc.dialects import graph
from mlc.dialects.graph.base import (
    BFLOAT16,
    Array,
    GraphOp,
    from_numpy_dtype,
    numpy_to_dense,
)
from mlc.frontend.common import supported_dtype, value_shape
from mlc.frontend.model import UnsupportedModelError

Args: TypeAlias = dict[str, Any]
"""An aten call's arguments by schema name: tensors as SSA values, rest as Python."""
Result: TypeAlias = "SSAValue | tuple[SSAValue | None, ...]"
Builder: TypeAlias = Callable[["Importer", Args, "Meta"], Result]


@dataclass(frozen=True)
class Meta:
    """The static shape and element type PyTorch computed for a node's result."""

    shape: tuple[int, ...]
    dtype: np.dtype[Any]

    @property
    def type(self) -> TensorType[Attribute]:
        return TensorType(from_numpy_dtype(self.dtype), self.shape)


def numpy_dtype(dtype: torch.dtype, what: str) -> np.dtype[Any]:
    """The numpy dtype of a torch dtype mlc supports."""
    if dtype == torch.bfloat16:  # numpy has none: ml_dtypes' bfloat16
        return BFLOAT16
    try:
        np_dtype = torch.empty((), dtype=dtype).numpy().dtype
        return supported_dtype(np_dtype, what)
    except (TypeError, RuntimeError, UnsupportedModelError):
        raise UnsupportedModelError(
            f"{what} has dtype {dtype}, which mlc does not support"
        ) from None


def to_numpy(tensor: torch.Tensor) -> Array:
    """A detached CPU copy of `tensor` as a numpy array (bf16: ml_dtypes')."""
    tensor = tensor.detach().cpu().contiguous()
    if tensor.dtype == torch.bfloat16:
        return tensor.view(torch.int16).numpy().copy().view(BFLOAT16)
    return tensor.numpy().copy()


ASSERTIONS = frozenset(
    {
        "aten._assert_tensor_metadata.default",
        "aten._assert_scalar.default",
        "aten._assert_async.msg",
        "aten.sym_constrain_range_for_size.default",
    }
)
"""Checks PyTorch records in the graph; their shapes and types hold by construction."""


# --------------------------------------------------------------------------- #
# The importer
# --------------------------------------------------------------------------- #


@dataclass
class Importer:
    """Builds the entry function's body from an exported program, node by node."""

    program: ExportedProgram
    source: str
    block: Block = field(default_factory=Block)
    values: dict[Node, Result] = field(default_factory=dict[Node, Result])
    constant_nodes: set[Node] = field(default_factory=set[Node])
    """The nodes whose values PyTorch computes at import time."""
    constants: dict[Node, object] = field(default_factory=dict[Node, object])
    """Their values (tensors, or tuples of them)."""
    ops: Mapping[str, Builder] = field(default_factory=dict[str, Builder])
    """The builder of each aten op, by overload name."""
    node: Node | None = None

    # -- building ------------------------------------------------------------ #

    def add(self, op: Operation) -> SSAValue:
        """Append `op` and return its single result."""
        self.block.add_op(op)
        return op.results[0]

    def emit(self, op: GraphOp) -> SSAValue:
        """`add` (`mlc.frontend.compose.Emitter`)."""
        return self.add(op)

    def const(self, value: Array) -> SSAValue:
        """A constant of `value` with its dtype (`mlc.frontend.compose.Emitter`)."""
        return self.constant(value, value.dtype)

    def constant(self, array: Array | float | bool, dtype: np.dtype[Any]) -> SSAValue:
        """An `arith.constant` tensor holding `array` as `dtype`."""
        value = np.asarray(array, dtype=dtype)
        type_ = TensorType(from_numpy_dtype(dtype), value.shape)
        return self.add(arith.ConstantOp(numpy_to_dense(value, type_)))

    def cast(self, value: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
        """`value` converted to `dtype` (itself when it already has it)."""
        element = from_numpy_dtype(dtype)
        if cast(TensorType[Attribute], value.type).element_type == element:
            return value
        return self.add(graph.CastOp(value, element))

    def fail(self, message: str) -> UnsupportedModelError:
        """An error naming the model and the node being imported."""
        node = self.node
        where = "" if node is None else f" node '{node.name}' ({node.target}):"
        return UnsupportedModelError(f"{self.source}:{where} {message}")

    # -- arguments ----------------------------------------------------------- #

    def operand(self, arg: object) -> Any:
        """A node argument with every FX node replaced by its imported value."""
        if isinstance(arg, Node):
            if arg in self.constants and arg not in self.values:
                tensor = cast(torch.Tensor, self.constants[arg])
                self.values[arg] = self.constant(to_numpy(tensor), node_meta(arg).dtype)
            return self.values[arg]
        if isinstance(arg, list | tuple):
            return [self.operand(a) for a in cast(Sequence[object], arg)]
        return arg

    def bind(self, node: Node) -> Args:
        """The call's arguments by schema name, defaults filled in."""
        target = cast(torch._ops.OpOverload, node.target)  # pyright: ignore[reportPrivateUsage]
        out: Args = {}
        positional = list(node.args)
        for i, arg in enumerate(target._schema.arguments):  # pyright: ignore[reportPrivateUsage]
            if i < len(positional) and not arg.kwarg_only:
                out[arg.name] = self.operand(positional[i])
            elif arg.name in node.kwargs:
                out[arg.name] = self.operand(node.kwargs[arg.name])
            elif arg.has_default_value():
                out[arg.name] = arg.default_value
            else:
                out[arg.name] = None
        return out

    # -- the walk ------------------------------------------------------------ #

    def run(self) -> None:
        for node in self.program.graph.nodes:
            self.node = node
            if node.op != "call_function" or str(node.target) in ASSERTIONS:
                continue
            if node in self.constant_nodes:
                self.constants[node] = self.fold(node)
            elif node.target is operator.getitem:
                self.values[node] = self.getitem(node)
            else:
                self.values[node] = self.build(node)
        self.node = None

    def build(self, node: Node) -> Result:
        builder = self.ops[str(node.target)]
        try:
            return builder(self, self.bind(node), node_meta(node))
        except VerifyException as error:
            # A configuration the graph op rejects (say, pads beyond the window).
            raise self.fail(str(error)) from None

    def getitem(self, node: Node) -> SSAValue:
        source, index = cast(tuple[Node, int], node.args)
        results = self.values[source]
        picked = results[index] if isinstance(results, tuple) else None
        if picked is None:
            raise self.fail(f"output {index} of {source.target} is not supported")
        return picked

    def fold(self, node: Node) -> object:
        """Evaluate a node of constants with PyTorch."""

        def value(arg: object) -> object:
            if isinstance(arg, Node):
                return self.constants[arg]
            if isinstance(arg, list | tuple):
                return [value(a) for a in cast(Sequence[object], arg)]
            return arg

        args = [value(a) for a in node.args]
        kwargs = {k: value(v) for k, v in node.kwargs.items()}
        with torch.no_grad():
            return cast(Callable[..., object], node.target)(*args, **kwargs)


def node_meta(node: Node) -> Meta:
    """The static shape and dtype of a node's (first) tensor result."""
    val = node.meta.get("val")
    if isinstance(val, list | tuple):
        val = cast(Sequence[object], val)[0]
    if not isinstance(val, torch.Tensor):
        raise UnsupportedModelError(
            f"node '{node.name}' has no tensor result ({val!r})"
        )
    try:
        shape = tuple(int(d) for d in val.shape)
    except TypeError:
        raise UnsupportedModelError(
            f"node '{node.name}' has a dynamic shape {tuple(val.shape)}; mlc "
            "imports static shapes"
        ) from None
    return Meta(shape, numpy_dtype(val.dtype, f"node '{node.name}'"))


def as_tensor(im: Importer, value: object, dtype: np.dtype[Any]) -> SSAValue:
    """A tensor operand as `dtype`; a Python scalar becomes a rank-0 constant."""
    if isinstance(value, SSAValue):
        return im.cast(cast(SSAValue[Attribute], value), dtype)
    return im.constant(cast(float, value), dtype)


def scaled(
    im: Importer, value: SSAValue, factor: object, dtype: np.dtype[Any]
) -> SSAValue:
    if factor == 1:
        return value
    return im.add(graph.MulOp(value, im.constant(cast(float, factor), dtype)))


def first_of(results: int, builder: Builder) -> Builder:
    """An op with `results` results of which only the first is supported."""

    def build(im: Importer, a: Args, out: Meta) -> Result:
        first = cast(SSAValue, builder(im, a, out))
        return (first, *(None,) * (results - 1))

    return build


def per_channel(im: Importer, value: SSAValue, rank: int) -> SSAValue:
    """A [C] tensor as [C, 1, ...], to broadcast along dim 1 of a rank-`rank` value."""
    if rank <= 2:
        return value
    return im.add(graph.ReshapeOp(value, (value_shape(value)[0], *(1,) * (rank - 2))))
