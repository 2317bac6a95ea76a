"""
Import a PyTorch `nn.Module` as a graph-dialect module.

`import_torch(module, example_inputs)` traces `module.eval()` with
`torch.export.export`, decomposes every aten op the importer does not map
directly (`run_decompositions` with the default table minus `SUPPORTED`), then
walks the FX graph once:

- the user inputs become the entry function's first arguments, in order;
- each parameter and buffer that is used becomes one more argument whose SSA
  name hint is its sanitized qualified name (`fc1.weight` -> `fc1_weight`),
  with its value in `ImportedModel.params` under that name;
- lifted tensor constants, and every value computed from constants only
  (`torch.arange`, `torch.full`, `torch.triu` for a causal mask), become
  `arith.constant`s;
- each aten op becomes graph ops (`OPS` below: one small builder per op);
- the user outputs become `func.return`.

Shapes and element types come from the exporter's fake tensors
(`node.meta["val"]`), so reshapes never have to resolve `-1` and mixed-type
arithmetic casts to the type PyTorch computes. Ops without a builder are all
reported in one error, each with its count and first node.
"""

from __future__ import annotations

import operator
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, cast

import numpy as np
import torch
from torch.export import ExportedProgram
from torch.export.graph_signature import InputKind, OutputKind
from torch.fx import Node
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    TensorType,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.utils.exceptions import VerifyException

from mlc.dialects import graph
from mlc.dialects.graph.base import Array, from_numpy_dtype, numpy_to_dense
from mlc.frontend import ImportedModel, UnsupportedModelError

Args: TypeAlias = dict[str, Any]
"""An aten call's arguments by schema name: tensors as SSA values, rest as Python."""
Result: TypeAlias = "SSAValue | tuple[SSAValue | None, ...]"
Builder: TypeAlias = Callable[["_Importer", Args, "Meta"], Result]


@dataclass(frozen=True)
class Meta:
    """The static shape and element type PyTorch computed for a node's result."""

    shape: tuple[int, ...]
    dtype: np.dtype[Any]

    @property
    def type(self) -> TensorType[Attribute]:
        return TensorType(from_numpy_dtype(self.dtype), self.shape)


_DTYPES: dict[torch.dtype, np.dtype[Any]] = {
    torch.float16: np.dtype(np.float16),
    torch.float32: np.dtype(np.float32),
    torch.float64: np.dtype(np.float64),
    torch.bool: np.dtype(np.bool_),
    torch.int8: np.dtype(np.int8),
    torch.int16: np.dtype(np.int16),
    torch.int32: np.dtype(np.int32),
    torch.int64: np.dtype(np.int64),
    torch.uint8: np.dtype(np.uint8),
}


def numpy_dtype(dtype: torch.dtype, what: str) -> np.dtype[Any]:
    """The numpy dtype of a torch dtype mlc supports."""
    try:
        return _DTYPES[dtype]
    except KeyError:
        raise UnsupportedModelError(
            f"{what} has dtype {dtype}, which mlc does not support"
        ) from None


def to_numpy(tensor: torch.Tensor) -> Array:
    """A detached CPU copy of `tensor` as a numpy array."""
    return tensor.detach().cpu().contiguous().numpy().copy()


_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]")
_NUMBERED = re.compile(r"_(\d+)$")


def sanitize_name(name: str, taken: set[str]) -> str:
    """
    A valid, unused SSA name hint for `name` (recorded in `taken`).

    xDSL drops a trailing `_<digits>` from name hints, so `layers_0` becomes
    `layers0`; a clash gets trailing underscores.
    """
    out = _NAME_CHARS.sub("_", name) or "arg"
    if out[0].isdigit():
        out = "_" + out
    out = _NUMBERED.sub(r"\1", out)
    while out in taken:
        out += "_"
    taken.add(out)
    return out


# --------------------------------------------------------------------------- #
# The importer
# --------------------------------------------------------------------------- #


@dataclass
class _Importer:
    """Builds the entry function's body from an exported program, node by node."""

    program: ExportedProgram
    source: str
    block: Block = field(default_factory=Block)
    values: dict[Node, Result] = field(default_factory=dict[Node, Result])
    constant_nodes: set[Node] = field(default_factory=set[Node])
    """The nodes whose values PyTorch computes at import time."""
    constants: dict[Node, object] = field(default_factory=dict[Node, object])
    """Their values (tensors, or tuples of them)."""
    node: Node | None = None

    # -- building ------------------------------------------------------------ #

    def add(self, op: Operation) -> SSAValue:
        """Append `op` and return its single result."""
        self.block.add_op(op)
        return op.results[0]

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
        builder = OPS[str(node.target)]
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


# --------------------------------------------------------------------------- #
# Builders: elementwise
# --------------------------------------------------------------------------- #

UnaryOpClass: TypeAlias = Callable[[SSAValue], Operation]
BinaryOpClass: TypeAlias = Callable[[SSAValue, SSAValue], Operation]


def _tensor(im: _Importer, value: object, dtype: np.dtype[Any]) -> SSAValue:
    """A tensor operand as `dtype`; a Python scalar becomes a rank-0 constant."""
    if isinstance(value, SSAValue):
        return im.cast(cast(SSAValue[Attribute], value), dtype)
    return im.constant(cast(float, value), dtype)


def _unary(op: UnaryOpClass, operand: str = "self") -> Builder:
    def build(im: _Importer, a: Args, out: Meta) -> Result:
        return im.add(op(_tensor(im, a[operand], out.dtype)))

    return build


def _binary(op: BinaryOpClass, reverse: bool = False) -> Builder:
    """`self op other` (with `alpha` scaling `other`), or `other op self`."""

    def build(im: _Importer, a: Args, out: Meta) -> Result:
        lhs = _tensor(im, a["self"], out.dtype)
        rhs = _tensor(im, a["other"], out.dtype)
        rhs = _scaled(im, rhs, a.get("alpha", 1), out.dtype)
        return im.add(op(rhs, lhs) if reverse else op(lhs, rhs))

    return build


def _identity(im: _Importer, a: Args, out: Meta) -> Result:
    return cast(SSAValue, a["self"])


def _dropout(im: _Importer, a: Args, out: Meta) -> Result:
    if a.get("train") and a.get("p"):
        raise im.fail("dropout in training mode; import the module in eval mode")
    return cast(SSAValue, a["input"])


def _first_of(results: int, builder: Builder) -> Builder:
    """An op with `results` results of which only the first is supported."""

    def build(im: _Importer, a: Args, out: Meta) -> Result:
        first = cast(SSAValue, builder(im, a, out))
        return (first, *(None,) * (results - 1))

    return build


def _to_copy(im: _Importer, a: Args, out: Meta) -> Result:
    return im.cast(cast(SSAValue, a["self"]), out.dtype)


def _gelu(im: _Importer, a: Args, out: Meta) -> Result:
    mode = cast(str, a["approximate"])
    return im.add(graph.GeluOp(a["self"], None if mode == "none" else mode))


def _silu(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.MulOp(x, im.add(graph.SigmoidOp(x))))


def _bound(value: object, dtype: np.dtype[Any]) -> Attribute | None:
    """A clip bound as an attribute of `dtype` (None: unbounded)."""
    if value is None:
        return None
    element = from_numpy_dtype(dtype)
    if dtype.kind == "f":
        return FloatAttr(float(cast(float, value)), cast(AnyFloat, element))
    return IntegerAttr(int(cast(float, value)), cast(IntegerType, element))


def _clip(low: str, high: str) -> Builder:
    def build(im: _Importer, a: Args, out: Meta) -> Result:
        x = _tensor(im, a["self"], out.dtype)
        if isinstance(a.get(low), SSAValue) or isinstance(a.get(high), SSAValue):
            raise im.fail("clamp bounds must be numbers, not tensors")
        return im.add(
            graph.ClipOp(
                x, _bound(a.get(low), out.dtype), _bound(a.get(high), out.dtype)
            )
        )

    return build


def _relu6(im: _Importer, a: Args, out: Meta) -> Result:
    return im.add(
        graph.ClipOp(a["self"], _bound(0.0, out.dtype), _bound(6.0, out.dtype))
    )


def _leaky_relu(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    zero = im.constant(0.0, out.dtype)
    positive = im.add(graph.MaxOp(x, zero))
    negative = im.add(graph.MinOp(x, zero))
    slope = im.constant(cast(float, a["negative_slope"]), out.dtype)
    return im.add(graph.AddOp(positive, im.add(graph.MulOp(negative, slope))))


def _where(im: _Importer, a: Args, out: Meta) -> Result:
    condition = _tensor(im, a["condition"], np.dtype(np.bool_))
    lhs = _tensor(im, a["self"], out.dtype)
    rhs = _tensor(im, a["other"], out.dtype)
    return im.add(graph.WhereOp(condition, lhs, rhs))


def _softmax(op: Callable[[SSAValue, int], Operation]) -> Builder:
    def build(im: _Importer, a: Args, out: Meta) -> Result:
        return im.add(op(_tensor(im, a["self"], out.dtype), cast(int, a["dim"])))

    return build


# --------------------------------------------------------------------------- #
# Builders: shapes
# --------------------------------------------------------------------------- #


def _rank(value: SSAValue) -> int:
    return len(cast(TensorType[Attribute], value.type).get_shape())


def _shape(value: SSAValue) -> tuple[int, ...]:
    return tuple(cast(TensorType[Attribute], value.type).get_shape())


def _reshape(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    if _shape(x) == out.shape:
        return x
    return im.add(graph.ReshapeOp(x, out.shape))


def _permute(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    rank = _rank(x)
    return im.add(graph.TransposeOp(x, [d % rank for d in a["dims"]]))


def _transpose(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    rank = _rank(x)
    if rank < 2:
        return x
    perm = list(range(rank))
    d0, d1 = cast(int, a.get("dim0", 0)) % rank, cast(int, a.get("dim1", 1)) % rank
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return im.add(graph.TransposeOp(x, perm))


def _expand(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    if _shape(x) == out.shape:
        return x
    return im.add(graph.BroadcastToOp(x, out.shape))


def _unsqueeze(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.UnsqueezeOp(x, [cast(int, a["dim"]) % (_rank(x) + 1)]))


def _slice(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    dim = cast(int, a["dim"]) % _rank(x)
    size = _shape(x)[dim]
    start = cast(int | None, a["start"])
    end = cast(int | None, a["end"])
    start = 0 if start is None else max(-size, min(start, size))
    end = size if end is None else max(-size, min(end, size))
    return im.add(graph.SliceOp(x, [start], [end], [dim], [cast(int, a["step"])]))


def _select(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    dim = cast(int, a["dim"]) % _rank(x)
    index = cast(int, a["index"]) % _shape(x)[dim]
    sliced = im.add(graph.SliceOp(x, [index], [index + 1], [dim]))
    return im.add(graph.ReshapeOp(sliced, out.shape))


def _split_points(sizes: Sequence[int]) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    start = 0
    for size in sizes:
        points.append((start, start + size))
        start += size
    return points


def _split(im: _Importer, a: Args, out: Meta) -> Result:
    """split.Tensor, split_with_sizes, chunk and unbind: a tuple of slices."""
    x = cast(SSAValue, a["self"])
    dim = cast(int, a.get("dim", 0)) % _rank(x)
    length = _shape(x)[dim]
    if "split_sizes" in a:
        sizes = list(cast(Sequence[int], a["split_sizes"]))
    elif "chunks" in a:
        step = -(-length // cast(int, a["chunks"]))
        sizes = [min(step, length - s) for s in range(0, length, step)]
    else:
        step = cast(int, a.get("split_size", 1))
        sizes = [min(step, length - s) for s in range(0, length, step)]
    unbind = "split_size" not in a and "split_sizes" not in a and "chunks" not in a
    parts: list[SSAValue | None] = []
    for start, end in _split_points(sizes):
        part = im.add(graph.SliceOp(x, [start], [end], [dim]))
        if unbind:
            part = im.add(graph.SqueezeOp(part, [dim]))
        parts.append(part)
    return tuple(parts)


def _cat(im: _Importer, a: Args, out: Meta) -> Result:
    tensors = [im.cast(t, out.dtype) for t in cast(list[SSAValue], a["tensors"])]
    tensors = [t for t in tensors if 0 not in _shape(t)]
    if len(tensors) == 1:
        return tensors[0]
    return im.add(graph.ConcatOp(tensors, cast(int, a["dim"]) % len(out.shape)))


def _embedding(im: _Importer, a: Args, out: Meta) -> Result:
    return im.add(graph.GatherOp(a["weight"], a["indices"], 0))


def _like(value: float | None) -> Builder:
    """zeros_like / ones_like / full_like / new_*: a constant of the result's shape."""

    def build(im: _Importer, a: Args, out: Meta) -> Result:
        fill = a.get("fill_value") if value is None else value
        return im.constant(np.full(out.shape, cast(float, fill)), out.dtype)

    return build


# --------------------------------------------------------------------------- #
# Builders: contractions, windows, normalization, reductions
# --------------------------------------------------------------------------- #


def _linear(im: _Importer, a: Args, out: Meta) -> Result:
    return im.add(graph.LinearOp(a["input"], a["weight"], a["bias"]))


def _matmul(im: _Importer, a: Args, out: Meta) -> Result:
    lhs = cast(SSAValue, a["self"])
    rhs = cast(SSAValue, a.get("mat2", a.get("other")))
    return im.add(graph.MatmulOp(lhs, rhs))


def _scaled(
    im: _Importer, value: SSAValue, factor: object, dtype: np.dtype[Any]
) -> SSAValue:
    if factor == 1:
        return value
    return im.add(graph.MulOp(value, im.constant(cast(float, factor), dtype)))


def _addmm(im: _Importer, a: Args, out: Meta) -> Result:
    """beta * self + alpha * (mat1 @ mat2)."""
    product = im.add(graph.MatmulOp(a["mat1"], a["mat2"]))
    product = _scaled(im, product, a["alpha"], out.dtype)
    bias = _scaled(im, _tensor(im, a["self"], out.dtype), a["beta"], out.dtype)
    return im.add(graph.AddOp(product, bias))


def _pair(value: object) -> list[int]:
    """A 2-D window parameter (int or 1- or 2-list) as two ints."""
    if isinstance(value, int):
        return [value, value]
    values = list(cast(Sequence[int], value))
    return values * 2 if len(values) == 1 else values


def _conv_pads(
    padding: object, kernel: Sequence[int], dilation: Sequence[int]
) -> list[int]:
    """[top, left, bottom, right] for PyTorch's padding (ints, "valid" or "same")."""
    if padding == "valid":
        return [0, 0, 0, 0]
    if padding == "same":
        totals = [d * (k - 1) for d, k in zip(dilation, kernel, strict=True)]
        begin = [t // 2 for t in totals]
        return [*begin, *(t - b for t, b in zip(totals, begin, strict=True))]
    return _pair(padding) * 2


def _conv(im: _Importer, a: Args, out: Meta) -> Result:
    x, weight = cast(SSAValue, a["input"]), cast(SSAValue, a["weight"])
    if a.get("transposed"):
        raise im.fail("transposed convolution is not supported")
    if _rank(x) != 4:
        raise im.fail(f"only 2-D convolution of NCHW inputs is supported, got {x.type}")
    dilation = _pair(a["dilation"])
    pads = _conv_pads(a["padding"], _shape(weight)[2:], dilation)
    return im.add(
        graph.Conv2DOp(
            x,
            weight,
            a["bias"],
            strides=_pair(a["stride"]),
            pads=pads,
            dilations=dilation,
            groups=cast(int, a["groups"]),
        )
    )


def _max_pool(im: _Importer, a: Args, out: Meta) -> Result:
    kernel = _pair(a["kernel_size"])
    stride = _pair(a["stride"]) if a["stride"] else kernel
    pooled = im.add(
        graph.MaxPool2DOp(
            a["self"],
            kernel,
            strides=stride,
            pads=_pair(a["padding"]) * 2,
            dilations=_pair(a["dilation"]),
            ceil_mode=bool(a["ceil_mode"]),
        )
    )
    return pooled


def _avg_pool(im: _Importer, a: Args, out: Meta) -> Result:
    if a["divisor_override"] is not None:
        raise im.fail("avg_pool2d with divisor_override is not supported")
    kernel = _pair(a["kernel_size"])
    stride = _pair(a["stride"]) if a["stride"] else kernel
    return im.add(
        graph.AvgPool2DOp(
            a["self"],
            kernel,
            strides=stride,
            pads=_pair(a["padding"]) * 2,
            ceil_mode=bool(a["ceil_mode"]),
            count_include_pad=bool(a["count_include_pad"]),
        )
    )


def _adaptive_avg_pool(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    if _rank(x) != 4:
        raise im.fail(f"expects an NCHW input, got {x.type}")
    size = _shape(x)[2:]
    target = out.shape[2:]
    if target == (1, 1):
        return im.add(graph.GlobalAvgPool2DOp(x))
    if any(s % t for s, t in zip(size, target, strict=True)):
        raise im.fail(
            f"output size {list(target)} must divide the input size {list(size)}"
        )
    kernel = [s // t for s, t in zip(size, target, strict=True)]
    return im.add(graph.AvgPool2DOp(x, kernel, strides=kernel))


def _batch_norm(im: _Importer, a: Args, out: Meta) -> Result:
    if a.get("training"):
        raise im.fail("batch_norm in training mode; import the module in eval mode")
    x = cast(SSAValue, a["input"])
    channels = (_shape(x)[1],)
    scale = a["weight"] or im.constant(np.ones(channels), out.dtype)
    bias = a["bias"] or im.constant(np.zeros(channels), out.dtype)
    return im.add(
        graph.BatchNormOp(
            x, scale, bias, a["running_mean"], a["running_var"], cast(float, a["eps"])
        )
    )


def _layer_norm(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["input"])
    axis = _rank(x) - len(cast(Sequence[int], a["normalized_shape"]))
    return im.add(
        graph.LayerNormOp(
            x, a["weight"], a["bias"], axis=axis, epsilon=cast(float, a["eps"])
        )
    )


ReduceClass: TypeAlias = Callable[[SSAValue, Sequence[int] | None, bool], Operation]


def _reduce(op: ReduceClass) -> Builder:
    def build(im: _Importer, a: Args, out: Meta) -> Result:
        x = _tensor(im, a["self"], out.dtype)
        dims = cast(Sequence[int] | int | None, a.get("dim"))
        axes = [dims] if isinstance(dims, int) else list(dims or ())
        rank = _rank(x)
        axes = [d % rank for d in axes] if rank else []
        keepdim = bool(a.get("keepdim", False))
        return im.add(op(x, axes or list(range(rank)), keepdim))

    return build


def _var(im: _Importer, a: Args, out: Meta) -> Result:
    """mean((x - mean(x))²) * n / (n - correction) over `dim`."""
    x = _tensor(im, a["self"], out.dtype)
    rank = _rank(x)
    dims = cast(Sequence[int] | None, a["dim"])
    axes = sorted({d % rank for d in dims}) if dims else list(range(rank))
    keepdim = bool(a["keepdim"])
    centered = im.add(graph.SubOp(x, im.add(graph.ReduceMeanOp(x, axes, True))))
    square = im.add(graph.MulOp(centered, centered))
    variance = im.add(graph.ReduceMeanOp(square, axes, keepdim))
    count = int(np.prod([_shape(x)[d] for d in axes]))
    correction = a["correction"]
    correction = 1 if correction is None else cast(float, correction)
    if count - correction <= 0:
        raise im.fail(f"variance of {count} elements with correction {correction}")
    return _scaled(im, variance, count / (count - correction), out.dtype)


def _sdpa(im: _Importer, a: Args, out: Meta) -> Result:
    """softmax(q kᵀ * scale + mask) v, composed from graph ops."""
    q, k, v = (cast(SSAValue, a[n]) for n in ("query", "key", "value"))
    if a["dropout_p"]:
        raise im.fail("attention dropout is not supported; use dropout_p=0")
    if a.get("enable_gqa"):
        raise im.fail("grouped-query attention (enable_gqa) is not supported")
    rank = _rank(k)
    perm = [*range(rank - 2), rank - 1, rank - 2]
    scores = im.add(graph.MatmulOp(q, im.add(graph.TransposeOp(k, perm))))
    scale = a["scale"] or 1 / float(np.sqrt(_shape(q)[-1]))
    scores = _scaled(im, scores, scale, out.dtype)
    mask = _attention_mask(im, a, _shape(q)[-2], _shape(k)[-2], out.dtype)
    if mask is not None:
        scores = im.add(graph.AddOp(scores, mask))
    probs = im.add(graph.SoftmaxOp(scores, -1))
    return im.add(graph.MatmulOp(probs, v))


def _attention_mask(
    im: _Importer, a: Args, rows: int, cols: int, dtype: np.dtype[Any]
) -> SSAValue | None:
    """The additive mask: 0 where attention is allowed, -inf where it is not."""
    if a.get("is_causal"):
        allowed = np.tril(np.ones((rows, cols), dtype=bool))
        return im.constant(np.where(allowed, 0.0, -np.inf), dtype)
    mask = a.get("attn_mask")
    if mask is None:
        return None
    mask = cast(SSAValue, mask)
    if cast(TensorType[Attribute], mask.type).element_type == from_numpy_dtype(
        np.dtype(np.bool_)
    ):
        zero = im.constant(0.0, dtype)
        blocked = im.constant(-np.inf, dtype)
        return im.add(graph.WhereOp(mask, zero, blocked))
    return im.cast(mask, dtype)


# --------------------------------------------------------------------------- #
# Builders: activations and layers composed from graph ops
# --------------------------------------------------------------------------- #
# Each uses an identity that needs no comparison (the graph dialect has none):
# with p = max(x, 0) and n = min(x, 0), x = p + n, |x| = p - n.


def _split_sign(
    im: _Importer, x: SSAValue, dtype: np.dtype[Any]
) -> tuple[SSAValue, SSAValue]:
    """(max(x, 0), min(x, 0))."""
    zero = im.constant(0.0, dtype)
    return im.add(graph.MaxOp(x, zero)), im.add(graph.MinOp(x, zero))


def _exp_minus_one(im: _Importer, x: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    return im.add(graph.SubOp(im.add(graph.ExpOp(x)), im.constant(1.0, dtype)))


def _log_one_plus(im: _Importer, x: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    return im.add(graph.LogOp(im.add(graph.AddOp(im.constant(1.0, dtype), x))))


def _expm1(im: _Importer, a: Args, out: Meta) -> Result:
    return _exp_minus_one(im, _tensor(im, a["self"], out.dtype), out.dtype)


def _log1p(im: _Importer, a: Args, out: Meta) -> Result:
    return _log_one_plus(im, _tensor(im, a["self"], out.dtype), out.dtype)


def _reciprocal(im: _Importer, a: Args, out: Meta) -> Result:
    one = im.constant(1.0, out.dtype)
    return im.add(graph.DivOp(one, _tensor(im, a["self"], out.dtype)))


def _elu(im: _Importer, a: Args, out: Meta) -> Result:
    """scale * (max(x, 0) + alpha * (exp(min(x, 0) * input_scale) - 1))."""
    positive, negative = _split_sign(im, cast(SSAValue, a["self"]), out.dtype)
    negative = _scaled(im, negative, a.get("input_scale", 1.0), out.dtype)
    tail = _exp_minus_one(im, negative, out.dtype)
    tail = _scaled(im, tail, a.get("alpha", 1.0), out.dtype)
    total = im.add(graph.AddOp(positive, tail))
    return _scaled(im, total, a.get("scale", 1.0), out.dtype)


def _selu(im: _Importer, a: Args, out: Meta) -> Result:
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return _elu(im, {"self": a["self"], "alpha": alpha, "scale": scale}, out)


def _celu(im: _Importer, a: Args, out: Meta) -> Result:
    alpha = cast(float, a["alpha"])
    return _elu(im, {"self": a["self"], "alpha": alpha, "input_scale": 1 / alpha}, out)


def _softplus_of(im: _Importer, x: SSAValue, dtype: np.dtype[Any]) -> SSAValue:
    """log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)), which cannot overflow."""
    positive, negative = _split_sign(im, x, dtype)
    minus_abs = im.add(graph.SubOp(negative, positive))
    tail = _log_one_plus(im, im.add(graph.ExpOp(minus_abs)), dtype)
    return im.add(graph.AddOp(positive, tail))


def _softplus(im: _Importer, a: Args, out: Meta) -> Result:
    """
    softplus(beta x) / beta; PyTorch's linear region above `threshold` agrees
    with it to within rounding.
    """
    beta = cast(float, a["beta"])
    x = _scaled(im, cast(SSAValue, a["self"]), beta, out.dtype)
    return _scaled(im, _softplus_of(im, x, out.dtype), 1 / beta, out.dtype)


def _mish(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.MulOp(x, im.add(graph.TanhOp(_softplus_of(im, x, out.dtype)))))


def _log_sigmoid(im: _Importer, a: Args, out: Meta) -> Result:
    """min(x, 0) - log(1 + exp(-|x|))."""
    x = cast(SSAValue, a["self"])
    positive, negative = _split_sign(im, x, out.dtype)
    minus_abs = im.add(graph.SubOp(negative, positive))
    tail = _log_one_plus(im, im.add(graph.ExpOp(minus_abs)), out.dtype)
    return im.add(graph.SubOp(negative, tail))


def _per_channel(im: _Importer, value: SSAValue, rank: int) -> SSAValue:
    """A [C] tensor as [C, 1, ...], to broadcast along dim 1 of a rank-`rank` value."""
    if rank <= 2:
        return value
    return im.add(graph.ReshapeOp(value, (_shape(value)[0], *(1,) * (rank - 2))))


def _prelu(im: _Importer, a: Args, out: Meta) -> Result:
    """max(x, 0) + weight * min(x, 0), the weight per channel (dim 1)."""
    x, weight = cast(SSAValue, a["self"]), cast(SSAValue, a["weight"])
    positive, negative = _split_sign(im, x, out.dtype)
    if _shape(weight) != (1,):
        weight = _per_channel(im, weight, _rank(x))
    return im.add(graph.AddOp(positive, im.add(graph.MulOp(negative, weight))))


def _group_norm(im: _Importer, a: Args, out: Meta) -> Result:
    """Layer norm over [C/G, H, W] per group, then the per-channel affine."""
    x = cast(SSAValue, a["input"])
    n, c = _shape(x)[:2]
    groups = cast(int, a.get("num_groups", c))
    grouped = im.add(graph.ReshapeOp(x, (n, groups, -1)))
    eps = cast(float, a["eps"])
    normalized = im.add(graph.LayerNormOp(grouped, axis=2, epsilon=eps))
    y = im.add(graph.ReshapeOp(normalized, out.shape))
    if a["weight"] is not None:
        y = im.add(graph.MulOp(y, _per_channel(im, a["weight"], len(out.shape))))
    if a["bias"] is not None:
        y = im.add(graph.AddOp(y, _per_channel(im, a["bias"], len(out.shape))))
    return y


def _instance_norm(im: _Importer, a: Args, out: Meta) -> Result:
    if not a["use_input_stats"]:
        return _batch_norm(im, {**a, "training": False}, out)
    return _group_norm(im, a, out)


def _constant_pad(im: _Importer, a: Args, out: Meta) -> Result:
    """PyTorch's pads run (begin, end) from the last dim backwards."""
    x = cast(SSAValue, a["self"])
    pairs = list(cast(Sequence[int], a["pad"]))
    if any(p < 0 for p in pairs):
        raise im.fail("negative padding (cropping) is not supported")
    rank = _rank(x)
    begins, ends = [0] * rank, [0] * rank
    for i in range(len(pairs) // 2):
        begins[rank - 1 - i], ends[rank - 1 - i] = pairs[2 * i], pairs[2 * i + 1]
    value = a.get("value")
    value = 0.0 if value is None else cast(float, value)
    return im.add(graph.PadOp(x, [*begins, *ends], value))


def _upsample_nearest(im: _Importer, a: Args, out: Meta) -> Result:
    """Integer-factor nearest upsampling: repeat each pixel factor x factor times."""
    x = cast(SSAValue, a["input"])
    n, c, h, w = _shape(x)
    oh, ow = out.shape[2:]
    if oh % h or ow % w:
        raise im.fail(
            f"nearest upsampling from {(h, w)} to {(oh, ow)} is not by an "
            "integer factor"
        )
    spread = im.add(graph.ReshapeOp(x, (n, c, h, 1, w, 1)))
    tiled = im.add(graph.BroadcastToOp(spread, (n, c, h, oh // h, w, ow // w)))
    return im.add(graph.ReshapeOp(tiled, out.shape))


def _repeat(im: _Importer, a: Args, out: Meta) -> Result:
    """Tile: each dim d becomes (repeats, d), broadcast, then merged."""
    x = cast(SSAValue, a["self"])
    repeats = list(cast(Sequence[int], a["repeats"]))
    shape = (1,) * (len(repeats) - _rank(x)) + _shape(x)
    spread = im.add(graph.ReshapeOp(x, [v for d in shape for v in (1, d)]))
    tiled = im.add(
        graph.BroadcastToOp(
            spread, [v for r, d in zip(repeats, shape, strict=True) for v in (r, d)]
        )
    )
    return im.add(graph.ReshapeOp(tiled, out.shape))


def _index_select(im: _Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return im.add(graph.GatherOp(x, a["index"], cast(int, a["dim"]) % _rank(x)))


def _clamp_tensor(im: _Importer, a: Args, out: Meta) -> Result:
    y = _tensor(im, a["self"], out.dtype)
    if a["min"] is not None:
        y = im.add(graph.MaxOp(y, _tensor(im, a["min"], out.dtype)))
    if a["max"] is not None:
        y = im.add(graph.MinOp(y, _tensor(im, a["max"], out.dtype)))
    return y


def _amin(im: _Importer, a: Args, out: Meta) -> Result:
    """min = -max(-x)."""
    negated = im.add(graph.NegOp(_tensor(im, a["self"], out.dtype)))
    largest = _reduce(graph.ReduceMaxOp)(im, {**a, "self": negated}, out)
    return im.add(graph.NegOp(cast(SSAValue, largest)))


def _vector_norm(im: _Importer, a: Args, out: Meta) -> Result:
    order = a["ord"]
    x = _tensor(im, a["self"], out.dtype)
    if order == 1:
        return _reduce(graph.ReduceSumOp)(
            im, {**a, "self": im.add(graph.AbsOp(x))}, out
        )
    if order != 2:
        raise im.fail(f"vector norms of order {order} are not supported (1, 2 are)")
    squares = im.add(graph.MulOp(x, x))
    total = _reduce(graph.ReduceSumOp)(im, {**a, "self": squares}, out)
    return im.add(graph.SqrtOp(cast(SSAValue, total)))


# --------------------------------------------------------------------------- #
# The op table
# --------------------------------------------------------------------------- #

OPS: dict[str, Builder] = {
    # elementwise
    "aten.relu.default": _unary(graph.ReluOp),
    "aten.sigmoid.default": _unary(graph.SigmoidOp),
    "aten.tanh.default": _unary(graph.TanhOp),
    "aten.exp.default": _unary(graph.ExpOp),
    "aten.log.default": _unary(graph.LogOp),
    "aten.sqrt.default": _unary(graph.SqrtOp),
    "aten.rsqrt.default": _unary(graph.RsqrtOp),
    "aten.neg.default": _unary(graph.NegOp),
    "aten.abs.default": _unary(graph.AbsOp),
    "aten.erf.default": _unary(graph.ErfOp),
    "aten.gelu.default": _gelu,
    "aten.silu.default": _silu,
    "aten.clamp.default": _clip("min", "max"),
    "aten.hardtanh.default": _clip("min_val", "max_val"),
    "aten.relu6.default": _relu6,
    "aten.leaky_relu.default": _leaky_relu,
    "aten.add.Tensor": _binary(graph.AddOp),
    "aten.add.Scalar": _binary(graph.AddOp),
    "aten.sub.Tensor": _binary(graph.SubOp),
    "aten.sub.Scalar": _binary(graph.SubOp),
    "aten.rsub.Scalar": _binary(graph.SubOp, reverse=True),
    "aten.rsub.Tensor": _binary(graph.SubOp, reverse=True),
    "aten.mul.Tensor": _binary(graph.MulOp),
    "aten.mul.Scalar": _binary(graph.MulOp),
    "aten.div.Tensor": _binary(graph.DivOp),
    "aten.div.Scalar": _binary(graph.DivOp),
    "aten.maximum.default": _binary(graph.MaxOp),
    "aten.minimum.default": _binary(graph.MinOp),
    "aten.pow.Tensor_Scalar": lambda im, a, out: _binary(graph.PowOp)(
        im, {"self": a["self"], "other": a["exponent"]}, out
    ),
    "aten.pow.Tensor_Tensor": lambda im, a, out: _binary(graph.PowOp)(
        im, {"self": a["self"], "other": a["exponent"]}, out
    ),
    "aten.where.self": _where,
    "aten._to_copy.default": _to_copy,
    "aten.to.dtype": _to_copy,
    "aten.type_as.default": _to_copy,
    "aten.softmax.int": _softmax(graph.SoftmaxOp),
    "aten._softmax.default": _softmax(graph.SoftmaxOp),
    "aten.log_softmax.int": _softmax(graph.LogSoftmaxOp),
    "aten._log_softmax.default": _softmax(graph.LogSoftmaxOp),
    # no-ops at inference
    "aten.clone.default": _identity,
    "aten.contiguous.default": _identity,
    "aten.alias.default": _identity,
    "aten.detach.default": _identity,
    "aten.lift_fresh_copy.default": _identity,
    "aten.dropout.default": _dropout,
    "aten.native_dropout.default": _first_of(2, _dropout),
    # shapes
    "aten.view.default": _reshape,
    "aten.reshape.default": _reshape,
    "aten._unsafe_view.default": _reshape,
    "aten.flatten.using_ints": _reshape,
    "aten.unflatten.int": _reshape,
    "aten.squeeze.dim": _reshape,
    "aten.squeeze.dims": _reshape,
    "aten.squeeze.default": _reshape,
    "aten.unsqueeze.default": _unsqueeze,
    "aten.permute.default": _permute,
    "aten.transpose.int": _transpose,
    "aten.t.default": _transpose,
    "aten.expand.default": _expand,
    "aten.slice.Tensor": _slice,
    "aten.select.int": _select,
    "aten.split.Tensor": _split,
    "aten.split_with_sizes.default": _split,
    "aten.chunk.default": _split,
    "aten.unbind.int": _split,
    "aten.cat.default": _cat,
    "aten.embedding.default": _embedding,
    "aten.zeros_like.default": _like(0.0),
    "aten.ones_like.default": _like(1.0),
    "aten.full_like.default": _like(None),
    # contractions, windows, normalization, reductions
    "aten.linear.default": _linear,
    "aten.addmm.default": _addmm,
    "aten.mm.default": _matmul,
    "aten.bmm.default": _matmul,
    "aten.matmul.default": _matmul,
    "aten.conv2d.default": _conv,
    "aten.conv2d.padding": _conv,
    "aten.convolution.default": _conv,
    "aten.max_pool2d.default": _max_pool,
    "aten.max_pool2d_with_indices.default": _first_of(2, _max_pool),
    "aten.avg_pool2d.default": _avg_pool,
    "aten.adaptive_avg_pool2d.default": _adaptive_avg_pool,
    "aten._adaptive_avg_pool2d.default": _adaptive_avg_pool,
    "aten.batch_norm.default": _batch_norm,
    "aten._native_batch_norm_legit_no_training.default": _first_of(3, _batch_norm),
    "aten.layer_norm.default": _layer_norm,
    "aten.native_layer_norm.default": _first_of(3, _layer_norm),
    "aten.mean.dim": _reduce(graph.ReduceMeanOp),
    "aten.mean.default": _reduce(graph.ReduceMeanOp),
    "aten.sum.dim_IntList": _reduce(graph.ReduceSumOp),
    "aten.sum.default": _reduce(graph.ReduceSumOp),
    "aten.amax.default": _reduce(graph.ReduceMaxOp),
    "aten.var.correction": _var,
    "aten.amin.default": _amin,
    "aten.max.dim": _first_of(
        2, lambda im, a, out: _reduce(graph.ReduceMaxOp)(im, a, out)
    ),
    "aten.linalg_vector_norm.default": _vector_norm,
    # composed activations and layers
    "aten.expm1.default": _expm1,
    "aten.log1p.default": _log1p,
    "aten.reciprocal.default": _reciprocal,
    "aten.elu.default": _elu,
    "aten.selu.default": _selu,
    "aten.celu.default": _celu,
    "aten.softplus.default": _softplus,
    "aten.mish.default": _mish,
    "aten.log_sigmoid.default": _log_sigmoid,
    "aten.prelu.default": _prelu,
    "aten._prelu_kernel.default": _prelu,
    "aten.group_norm.default": _group_norm,
    "aten.instance_norm.default": _instance_norm,
    "aten.constant_pad_nd.default": _constant_pad,
    "aten.upsample_nearest2d.vec": _upsample_nearest,
    "aten.repeat.default": _repeat,
    "aten.index_select.default": _index_select,
    "aten.clamp.Tensor": _clamp_tensor,
    "aten.scaled_dot_product_attention.default": _sdpa,
}
"""Every aten op the importer maps, by overload name, to its builder."""

CREATION_OPS = frozenset(
    {
        "aten.arange.default",
        "aten.arange.start",
        "aten.arange.start_step",
        "aten.full.default",
        "aten.zeros.default",
        "aten.ones.default",
        "aten.scalar_tensor.default",
        "aten.eye.default",
        "aten.empty.memory_format",
    }
)
"""Ops without tensor inputs that PyTorch evaluates at import time."""

ASSERTIONS = frozenset(
    {
        "aten._assert_tensor_metadata.default",
        "aten._assert_scalar.default",
        "aten._assert_async.msg",
        "aten.sym_constrain_range_for_size.default",
    }
)
"""Checks PyTorch records in the graph; their shapes and types hold by construction."""

SUPPORTED = frozenset(OPS) | ASSERTIONS


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def _export(module: torch.nn.Module, example_inputs: Sequence[Any]) -> ExportedProgram:
    """Trace `module` in eval mode and decompose what `OPS` does not map."""
    with warnings.catch_warnings():
        # torch 2.13's own pytree code trips its LeafSpec deprecation warning.
        warnings.filterwarnings("ignore", ".*LeafSpec", FutureWarning)
        try:
            program = torch.export.export(module.eval(), tuple(example_inputs))
        except Exception as error:  # torch.export raises many exception types
            lines = str(error).strip().splitlines() or [""]
            raise UnsupportedModelError(
                f"{type(module).__name__}: torch.export could not trace it: "
                f"{type(error).__name__}: {lines[0]}"
            ) from error
        table: Any = torch.export.default_decompositions()
        for op in list(cast(Iterable[object], table.keys())):
            if str(op) in SUPPORTED:
                table.pop(op)
        # torch's annotation of the table's values is partially unknown.
        return program.run_decompositions(table)  # pyright: ignore[reportUnknownMemberType]


def _lifted_constants(program: ExportedProgram) -> dict[str, str]:
    """Placeholder name -> qualified name of each lifted tensor constant."""
    return {
        spec.arg.name: spec.target
        for spec in program.graph_signature.input_specs
        if spec.kind == InputKind.CONSTANT_TENSOR and spec.target is not None
    }


def _constant_nodes(program: ExportedProgram) -> set[Node]:
    """The nodes whose values PyTorch can compute at import time."""
    lifted = _lifted_constants(program)
    constant: set[Node] = set()
    for node in program.graph.nodes:
        if node.op == "placeholder" and node.name in lifted:
            constant.add(node)
        elif node.op == "call_function":
            inputs = node.all_input_nodes
            if all(n in constant for n in inputs) and (
                bool(inputs) or str(node.target) in CREATION_OPS
            ):
                constant.add(node)
    return constant


def check_supported(program: ExportedProgram, source: str) -> None:
    """Raise one error listing every aten op without a builder."""
    constant = _constant_nodes(program)
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for node in program.graph.nodes:
        if node.op != "call_function" or node in constant:
            continue
        name = str(node.target)
        if node.target is operator.getitem or name in SUPPORTED:
            continue
        counts[name] += 1
        first.setdefault(name, node.name)
    if counts:
        listed = ", ".join(
            f"{op} ({count} node{'s' if count > 1 else ''}, first '{first[op]}')"
            for op, count in counts.items()
        )
        raise UnsupportedModelError(f"{source}: unsupported aten ops: {listed}")


def _state_value(program: ExportedProgram, target: str) -> torch.Tensor:
    if target in program.state_dict:
        return cast(torch.Tensor, program.state_dict[target])
    return cast(torch.Tensor, program.constants[target])


@dataclass
class _Arguments:
    """The entry function's arguments: user inputs, then used parameters."""

    nodes: list[Node] = field(default_factory=list[Node])
    names: list[str] = field(default_factory=list[str])
    params: dict[str, Array] = field(default_factory=dict[str, Array])


def _arguments(program: ExportedProgram, constant: set[Node]) -> _Arguments:
    by_name = {n.name: n for n in program.graph.nodes if n.op == "placeholder"}
    taken: set[str] = set()
    out = _Arguments()
    inputs = [
        s for s in program.graph_signature.input_specs if s.kind == InputKind.USER_INPUT
    ]
    states = [
        s
        for s in program.graph_signature.input_specs
        if s.kind in (InputKind.PARAMETER, InputKind.BUFFER)
    ]
    for spec in inputs:
        node = by_name[spec.arg.name]
        if not isinstance(node.meta.get("val"), torch.Tensor):
            if node.users:
                raise UnsupportedModelError(f"input '{node.name}' is not a tensor")
            continue
        out.nodes.append(node)
        out.names.append(sanitize_name(node.name, taken))
    for spec in states:
        node = by_name[spec.arg.name]
        if not node.users or node in constant or spec.target is None:
            continue
        name = sanitize_name(spec.target, taken)
        out.nodes.append(node)
        out.names.append(name)
        meta = node_meta(node)
        out.params[name] = to_numpy(_state_value(program, spec.target)).astype(
            meta.dtype
        )
    return out


def _outputs(program: ExportedProgram) -> list[Node]:
    specs = program.graph_signature.output_specs
    mutated = [s.target for s in specs if s.kind != OutputKind.USER_OUTPUT]
    if mutated:
        raise UnsupportedModelError(
            f"the model's forward mutates {', '.join(str(m) for m in mutated)}; "
            "mlc imports pure functions"
        )
    output = next(n for n in program.graph.nodes if n.op == "output")
    return list(cast(Sequence[Node], output.args[0]))


def import_program(
    program: ExportedProgram, entry: str = "forward", source: str = "the model"
) -> ImportedModel:
    """Build the graph-dialect module of an exported (and decomposed) program."""
    try:
        return _import_program(program, entry, source)
    except UnsupportedModelError as error:
        if str(error).startswith(f"{source}: "):
            raise
        raise UnsupportedModelError(f"{source}: {error}") from None


def _import_program(program: ExportedProgram, entry: str, source: str) -> ImportedModel:
    check_supported(program, source)
    constant = _constant_nodes(program)
    arguments = _arguments(program, constant)
    types = [node_meta(n).type for n in arguments.nodes]
    importer = _Importer(
        program, source, Block(arg_types=types), constant_nodes=constant
    )
    for node, arg, name in zip(
        arguments.nodes, importer.block.args, arguments.names, strict=True
    ):
        arg.name_hint = name
        importer.values[node] = arg
    lifted = _lifted_constants(program)
    for node in program.graph.nodes:
        if node.op == "placeholder" and node.name in lifted:
            importer.constants[node] = _state_value(program, lifted[node.name])
    importer.run()
    results = [cast(SSAValue, importer.operand(n)) for n in _outputs(program)]
    importer.block.add_op(func.ReturnOp(*results))
    function = func.FuncOp(
        entry, (types, [r.type for r in results]), Region(importer.block)
    )
    module = ModuleOp([function])
    module.verify()
    return ImportedModel(module, entry, arguments.params)


def import_torch(
    module: torch.nn.Module, example_inputs: Sequence[Any], *, entry: str = "forward"
) -> ImportedModel:
    """
    Import `module` (traced in eval mode on `example_inputs`) as a graph module.

    The entry function takes the tensor inputs in order, then one argument
    per used parameter or buffer, named by its sanitized qualified name.
    """
    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    program = _export(module, example_inputs)
    return import_program(program, entry, type(module).__name__)
