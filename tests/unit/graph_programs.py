"""
Hypothesis strategies for random well-formed graph programs.

A program is one `func.func` whose body is a random sequence of graph ops built
through their Python builders (so every op's inference is exercised) over
function arguments of random shapes and element types. Each op family
registers a *builder strategy*: given the value pool (which holds the draw
function), it returns a new op or None when it cannot apply. `BUILDERS` maps
each builder to the op classes it makes, so a test can check that every graph
op is covered. `programs` wraps each module so that Hypothesis reports a
failing one as its text.

Shapes are static, of dims 1..4. The one argument a builder always makes
itself is a `gather`'s indices, so the folding test can give it in-range values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import prod
from typing import Any

import numpy as np
from helpers import print_op
from hypothesis import assume
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    TensorType,
    f16,
    f32,
    f64,
    i1,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, BlockArgument, Operation, Region, SSAValue

from mlc.dialects import graph
from mlc.dialects.graph import (
    Elem,
    GatherOp,
    GraphOp,
    element_kind,
    get_int,
    normalize_axis,
    to_numpy_dtype,
)
from mlc.dialects.graph.base import Array

FLOATS: list[Attribute] = [f16, f32, f64]
SIGNED: list[Attribute] = [IntegerType(w) for w in (8, 16, 32, 64)]
UNSIGNED: list[Attribute] = [
    IntegerType(w, Signedness.UNSIGNED) for w in (8, 16, 32, 64)
]
ELEMENT_TYPES: list[Attribute] = [*FLOATS, *SIGNED, *UNSIGNED, i1]
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

Draw = Callable[[st.SearchStrategy[Any]], Any]


def types_of(kinds: Elem) -> list[Attribute]:
    return [
        t for t in ELEMENT_TYPES if (k := element_kind(t)) is not None and k & kinds
    ]


def dims(value: SSAValue) -> list[int]:
    assert isinstance(value.type, TensorType)
    return list(value.type.get_shape())


@dataclass
class Pool:
    """The values a new op may use: function arguments (made on demand) and results."""

    draw: Draw
    block: Block = field(default_factory=Block)

    def values(self) -> list[SSAValue]:
        return [*self.block.args, *(op.results[0] for op in self.block.ops)]

    def new_arg(self, type_: Attribute) -> SSAValue:
        return self.block.insert_arg(type_, len(self.block.args))

    def shape(self, min_rank: int = 0, max_rank: int = 3) -> list[int]:
        rank = self.draw(st.integers(min_rank, max_rank))
        return [self.draw(st.integers(1, 4)) for _ in range(rank)]

    def tensor(
        self, kinds: Elem = Elem.ANY, min_rank: int = 0, max_rank: int = 3
    ) -> SSAValue:
        """An existing value of a matching kind and rank, or a new argument."""
        candidates = [
            v
            for v in self.values()
            if isinstance(v.type, TensorType)
            and (k := element_kind(v.type.element_type)) is not None
            and k & kinds
            and min_rank <= v.type.get_num_dims() <= max_rank
        ]
        if candidates and self.draw(st.booleans()):
            return self.draw(st.sampled_from(candidates))
        element = self.draw(st.sampled_from(types_of(kinds)))
        return self.new_arg(TensorType(element, self.shape(min_rank, max_rank)))

    def like(self, value: SSAValue, shape: list[int] | None = None) -> SSAValue:
        """A new argument with `value`'s element type (and `shape`, default its own)."""
        assert isinstance(value.type, TensorType)
        shape = dims(value) if shape is None else shape
        return self.new_arg(TensorType(value.type.element_type, shape))

    def maybe(self, strategy: st.SearchStrategy[Any]) -> Any:
        """An optional parameter: None (absent) or a draw from `strategy`."""
        return self.draw(st.none() | strategy)

    def flag(self) -> bool | None:
        """An optional boolean property: absent, false or true."""
        return self.draw(st.sampled_from([None, False, True]))


Builder = Callable[[Pool], Operation | None]
BUILDERS: dict[Builder, tuple[type[GraphOp], ...]] = {}
"""Every builder and the op classes it makes."""


def builder(*ops: type[GraphOp]) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        BUILDERS[fn] = ops
        return fn

    return register


# -- shared drawing ----------------------------------------------------------- #


def signed(pool: Pool, axis: int, rank: int) -> int:
    """`axis` (in [0, rank)) as itself or counted from the end."""
    return axis - rank if pool.draw(st.booleans()) else axis


def axis(pool: Pool, rank: int) -> int:
    """An axis in [-rank, rank)."""
    return signed(pool, pool.draw(st.integers(0, rank - 1)), rank)


def opt_axis(pool: Pool, rank: int) -> int | None:
    return axis(pool, rank) if pool.draw(st.booleans()) else None


def axes(
    pool: Pool,
    candidates: Sequence[int],
    rank: int,
    count: int | None = None,
) -> list[int]:
    """Distinct `candidates` (`count` of them, or any number), some negative."""
    order: list[int] = pool.draw(st.permutations(candidates))
    if count is None:
        count = pool.draw(st.integers(0, len(order)))
    return [signed(pool, a, rank) for a in order[:count]]


def broadcast_dims(pool: Pool, shape: Sequence[int]) -> list[int]:
    """A shape that broadcasts to `shape`: some leading dims dropped, some set to 1."""
    drop = pool.draw(st.integers(0, len(shape)))
    return [d if pool.draw(st.booleans()) else 1 for d in shape[drop:]]


def scalar(pool: Pool, element: Attribute) -> Attribute:
    """A small constant attribute of the scalar type `element`."""
    if element in FLOATS:
        return FloatAttr(pool.draw(st.sampled_from([-1.5, 0.0, 6.0])), element)
    kind = element_kind(element)
    low = -3 if kind == Elem.SINT else 0
    high = 1 if kind == Elem.BOOL else 7
    return IntegerAttr(pool.draw(st.integers(low, high)), element)


def epsilon(pool: Pool) -> float | None:
    return pool.maybe(st.sampled_from([0.0, 1e-5, 0.1]))


def window_dim(
    pool: Pool, size: int, dilated: bool, padded: bool, pads_inside: bool
) -> tuple[int, int, int, int]:
    """A kernel size, a dilation and pads (begin, end) along a spatial dim."""
    d = pool.draw(st.integers(1, 2)) if dilated else 1
    k = pool.draw(st.integers(1, 3))
    if not padded:  # the window must fit in the input
        return min(k, (size - 1) // d + 1), d, 0, 0
    extent = d * (k - 1) + 1
    most = extent - 1 if pads_inside else 2
    begin = pool.draw(st.integers(0, most))
    least = max(0, extent - size - begin)  # at least one window
    return k, d, begin, pool.draw(st.integers(least, max(least, most)))


def window(
    pool: Pool, size: Sequence[int], *, dilations: bool, pads_inside: bool
) -> tuple[list[int], dict[str, Any]]:
    """
    A kernel (H, W) and optional strides, pads (and dilations) for an input of
    spatial `size`; `pads_inside`: each pad is below the dilated kernel's
    extent, as pooling requires.
    """
    padded = pool.draw(st.booleans())
    dilated = dilations and pool.draw(st.booleans())
    (kh, dh, top, bottom), (kw, dw, left, right) = (
        window_dim(pool, n, dilated, padded, pads_inside) for n in size
    )
    props: dict[str, Any] = {
        "strides": pool.maybe(st.lists(st.integers(1, 3), min_size=2, max_size=2)),
        "pads": [top, left, bottom, right] if padded else None,
    }
    if dilations:
        props["dilations"] = [dh, dw] if dilated else None
    return [kh, kw], props


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def slice_index(pool: Pool, i: int, dim: int, low: int, high: int) -> int:
    """
    An ONNX Slice start or end meaning index `i` of an axis of size `dim`
    whose indices clamp into [low, high]: plainly, from the end, or from
    beyond the range (where it clamps).
    """
    forms = [i] if i >= 0 else []
    if 0 <= i < dim:
        forms.append(i - dim)
    if i == low:
        forms += [-dim - 2, INT64_MIN]
    if i == high:
        forms += [dim + 2, INT64_MAX]
    return pool.draw(st.sampled_from(forms))


def slice_bounds(pool: Pool, dim: int, step: int) -> tuple[int, int]:
    """A start and an end taking a non-empty slice with `step` of an axis of `dim`."""
    start = pool.draw(st.integers(0, dim - 1))
    if step > 0:
        end = pool.draw(st.integers(start + 1, dim))
        return (
            slice_index(pool, start, dim, 0, dim),
            slice_index(pool, end, dim, 0, dim),
        )
    end = pool.draw(st.integers(-1, start - 1))  # -1: through index 0
    return (
        slice_index(pool, start, dim, 0, dim - 1),
        slice_index(pool, end, dim, -1, dim - 1),
    )


# -- elementwise -------------------------------------------------------------- #

_ELEMENTWISE = (*graph.ELEMENTWISE_OPS, *graph.ELEMENTWISE_MATH_OPS, *graph.BITWISE_OPS)
UNARY_OPS = tuple(
    op
    for op in _ELEMENTWISE
    if issubclass(op, graph.UnaryOp) and op not in (graph.GeluOp, graph.ClipOp)
)
BINARY_OPS = tuple(
    op
    for op in _ELEMENTWISE
    if issubclass(op, graph.BinaryOp) and op is not graph.ModOp
)


@builder(*UNARY_OPS)
def unary(pool: Pool) -> Operation:
    op_type = pool.draw(st.sampled_from(UNARY_OPS))
    return op_type(pool.tensor(op_type.ACCEPTS))


@builder(graph.GeluOp)
def gelu(pool: Pool) -> Operation:
    mode = pool.draw(st.sampled_from([None, "none", "tanh"]))
    return graph.GeluOp(pool.tensor(Elem.FLOAT), mode)


@builder(graph.ClipOp)
def clip(pool: Pool) -> Operation:
    x = pool.tensor(Elem.NUMERIC)
    assert isinstance(x.type, TensorType)
    element = x.type.element_type

    def bound() -> Attribute | None:
        return scalar(pool, element) if pool.draw(st.booleans()) else None

    return graph.ClipOp(x, bound(), bound())


@builder(graph.CastOp)
def cast(pool: Pool) -> Operation:
    return graph.CastOp(pool.tensor(), pool.draw(st.sampled_from(ELEMENT_TYPES)))


def broadcastable(pool: Pool, x: SSAValue) -> SSAValue:
    """A new argument whose shape broadcasts with `x`'s (some dims 1 or dropped)."""
    return pool.like(x, broadcast_dims(pool, dims(x)))


@builder(*BINARY_OPS)
def binary(pool: Pool) -> Operation:
    op_type = pool.draw(st.sampled_from(BINARY_OPS))
    x = pool.tensor(op_type.ACCEPTS)
    y = broadcastable(pool, x)
    return op_type(*((x, y) if pool.draw(st.booleans()) else (y, x)))


@builder(graph.ModOp)
def mod(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT)
    return graph.ModOp(x, broadcastable(pool, x), pool.flag())


@builder(graph.BitcastOp)
def bitcast(pool: Pool) -> Operation:
    x = pool.tensor()
    assert isinstance(x.type, TensorType)
    width = graph.bit_width(x.type.element_type)
    targets = [t for t in ELEMENT_TYPES if graph.bit_width(t) == width]
    return graph.BitcastOp(x, pool.draw(st.sampled_from(targets)))


@builder(graph.WhereOp)
def where(pool: Pool) -> Operation:
    x = pool.tensor()
    condition = pool.new_arg(TensorType(i1, dims(x)))
    return graph.WhereOp(condition, x, broadcastable(pool, x))


# -- nn ----------------------------------------------------------------------- #


@builder(graph.LinearOp)
def linear(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT, min_rank=1)
    n = pool.draw(st.integers(1, 4))
    bias = pool.like(x, [n]) if pool.draw(st.booleans()) else None
    return graph.LinearOp(x, pool.like(x, [n, dims(x)[-1]]), bias)


@builder(graph.MatmulOp)
def matmul(pool: Pool) -> Operation:
    """`x` as lhs or rhs; the other operand 1-D or with broadcastable batch dims."""
    x = pool.tensor(Elem.FLOAT, min_rank=1)
    shape = dims(x)
    x_is_lhs = pool.draw(st.booleans())
    k = shape[-1] if x_is_lhs or len(shape) == 1 else shape[-2]
    if pool.draw(st.booleans()):
        other = [k]
    else:
        batch = broadcast_dims(pool, shape[:-2]) if shape[2:] else pool.shape(0, 1)
        mn = pool.draw(st.integers(1, 4))
        other = [*batch, k, mn] if x_is_lhs else [*batch, mn, k]
    y = pool.like(x, other)
    return graph.MatmulOp(x, y) if x_is_lhs else graph.MatmulOp(y, x)


@builder(graph.Conv2DOp)
def conv2d(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT, 4, 4)
    _, c, h, w = dims(x)
    groups = pool.draw(st.sampled_from(divisors(c)))
    kernel, props = window(pool, (h, w), dilations=True, pads_inside=False)
    out = groups * pool.draw(st.integers(1, 2))
    weight = pool.like(x, [out, c // groups, *kernel])
    bias = pool.like(x, [out]) if pool.draw(st.booleans()) else None
    if groups == 1 and pool.draw(st.booleans()):
        groups = None
    return graph.Conv2DOp(x, weight, bias, groups=groups, **props)


@builder(graph.MaxPool2DOp)
def max_pool2d(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT, 4, 4)
    kernel, props = window(pool, dims(x)[2:], dilations=True, pads_inside=True)
    return graph.MaxPool2DOp(x, kernel, ceil_mode=pool.flag(), **props)


@builder(graph.AvgPool2DOp)
def avg_pool2d(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT, 4, 4)
    kernel, props = window(pool, dims(x)[2:], dilations=False, pads_inside=True)
    return graph.AvgPool2DOp(
        x, kernel, ceil_mode=pool.flag(), count_include_pad=pool.flag(), **props
    )


@builder(graph.GlobalAvgPool2DOp)
def global_avg_pool2d(pool: Pool) -> Operation:
    return graph.GlobalAvgPool2DOp(pool.tensor(Elem.FLOAT, 4, 4))


@builder(graph.BatchNormOp)
def batch_norm(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT, 2, 4)
    scale, bias, mean, var = (pool.like(x, [dims(x)[1]]) for _ in range(4))
    return graph.BatchNormOp(x, scale, bias, mean, var, epsilon(pool))


@builder(graph.LayerNormOp)
def layer_norm(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT, min_rank=1)
    shape = dims(x)
    ax = opt_axis(pool, len(shape))
    normalized = shape[-1 if ax is None else ax :]

    def parameter() -> SSAValue | None:
        if not pool.draw(st.booleans()):
            return None
        return pool.like(x, broadcast_dims(pool, normalized))

    return graph.LayerNormOp(
        x, parameter(), parameter(), axis=ax, epsilon=epsilon(pool)
    )


@builder(graph.SoftmaxOp, graph.LogSoftmaxOp)
def softmax(pool: Pool) -> Operation:
    op_type = pool.draw(st.sampled_from([graph.SoftmaxOp, graph.LogSoftmaxOp]))
    x = pool.tensor(Elem.FLOAT, min_rank=1)
    return op_type(x, opt_axis(pool, len(dims(x))))


# -- reduction ---------------------------------------------------------------- #


@builder(*graph.REDUCTION_OPS)
def reduce(pool: Pool) -> Operation:
    """Axes absent, empty (all) or some, in any order; keepdims absent or set."""
    op_type = pool.draw(st.sampled_from(graph.REDUCTION_OPS))
    x = pool.tensor(op_type.ACCEPTS)
    rank = len(dims(x))
    reduced = None if pool.draw(st.booleans()) else axes(pool, range(rank), rank)
    return op_type(x, reduced, pool.flag())


# -- shape -------------------------------------------------------------------- #


@builder(graph.ReshapeOp)
def reshape(pool: Pool) -> Operation:
    """A random factorization of the element count, maybe with one -1."""
    x = pool.tensor()
    count = prod(dims(x))
    target: list[int] = []
    for _ in range(pool.draw(st.integers(0, 3))):
        target.append(pool.draw(st.sampled_from(divisors(count))))
        count //= target[-1]
    if count > 1 or pool.draw(st.booleans()):
        target.append(count)
    if target and pool.draw(st.booleans()):
        target[pool.draw(st.integers(0, len(target) - 1))] = -1
    return graph.ReshapeOp(x, target)


@builder(graph.FlattenOp)
def flatten(pool: Pool) -> Operation:
    x = pool.tensor()
    rank = len(dims(x))
    axis = st.integers(-rank, rank)  # absent means 1, out of range for rank 0
    return graph.FlattenOp(x, pool.draw(axis) if rank == 0 else pool.maybe(axis))


@builder(graph.SqueezeOp)
def squeeze(pool: Pool) -> Operation:
    x = pool.tensor()
    shape = dims(x)
    ones = [i for i, d in enumerate(shape) if d == 1]
    squeezed = None if pool.draw(st.booleans()) else axes(pool, ones, len(shape))
    return graph.SqueezeOp(x, squeezed)


@builder(graph.UnsqueezeOp)
def unsqueeze(pool: Pool) -> Operation:
    x = pool.tensor()
    count = pool.draw(st.integers(0, 2))
    rank = len(dims(x)) + count
    return graph.UnsqueezeOp(x, axes(pool, range(rank), rank, count))


@builder(graph.TransposeOp)
def transpose(pool: Pool) -> Operation:
    x = pool.tensor()
    return graph.TransposeOp(x, pool.maybe(st.permutations(range(len(dims(x))))))


@builder(graph.ConcatOp)
def concat(pool: Pool) -> Operation:
    """`x` and 0..2 new arguments that differ from it along `axis`, in any order."""
    x = pool.tensor(min_rank=1)
    shape = dims(x)
    ax = axis(pool, len(shape))
    i = ax % len(shape)
    others = [
        pool.like(x, [*shape[:i], pool.draw(st.integers(1, 4)), *shape[i + 1 :]])
        for _ in range(pool.draw(st.integers(0, 2)))
    ]
    return graph.ConcatOp(pool.draw(st.permutations([x, *others])), ax)


@builder(graph.SliceOp)
def slice_(pool: Pool) -> Operation:
    """Non-empty slices of some axes (absent `axes`: the first ones), steps ±1, ±2."""
    x = pool.tensor()
    shape = dims(x)
    count = pool.draw(st.integers(0, len(shape)))
    explicit = pool.draw(st.booleans())
    sliced = axes(pool, range(len(shape)), len(shape), count) if explicit else None
    steps = pool.maybe(
        st.lists(st.sampled_from([1, 2, -1, -2]), min_size=count, max_size=count)
    )
    bounds = [
        slice_bounds(pool, shape[a], step)
        for a, step in zip(sliced or range(count), steps or [1] * count, strict=True)
    ]
    starts = [start for start, _ in bounds]
    ends = [end for _, end in bounds]
    return graph.SliceOp(x, starts, ends, sliced, steps)


@builder(graph.GatherOp)
def gather(pool: Pool) -> Operation:
    data = pool.tensor(min_rank=1)
    indices = TensorType(pool.draw(st.sampled_from([i32, i64])), pool.shape(0, 2))
    return graph.GatherOp(data, pool.new_arg(indices), opt_axis(pool, len(dims(data))))


@builder(graph.ScatterOp)
def scatter(pool: Pool) -> Operation:
    """Any reduction of numeric data; indices of any value (out of range: ignored)."""
    data = pool.tensor(min_rank=1)
    assert isinstance(data.type, TensorType)
    numeric = element_kind(data.type.element_type) & Elem.NUMERIC
    reduction = pool.draw(
        st.sampled_from(graph.SCATTER_REDUCTIONS if numeric else ("none",))
    )
    rank = len(dims(data))
    at = pool.draw(st.integers(0, rank - 1))
    shape = dims(data)
    shape[at] = pool.draw(st.integers(1, 4))
    indices = TensorType(pool.draw(st.sampled_from([i32, i64])), shape)
    updates = pool.like(data, shape)
    return graph.ScatterOp(
        data, pool.new_arg(indices), updates, signed(pool, at, rank), reduction
    )


@builder(graph.BroadcastToOp)
def broadcast_to(pool: Pool) -> Operation:
    """New leading dims, and each size-1 dim stretched (or kept)."""
    x = pool.tensor()
    stretched = [pool.draw(st.integers(1, 4)) if d == 1 else d for d in dims(x)]
    return graph.BroadcastToOp(x, [*pool.shape(0, 2), *stretched])


@builder(graph.PadOp)
def pad(pool: Pool) -> Operation:
    """Pads of 0..2; value absent, an attribute, or a Python number."""
    x = pool.tensor()
    assert isinstance(x.type, TensorType)
    pads = [pool.draw(st.integers(0, 2)) for _ in range(2 * len(dims(x)))]
    value: Attribute | float | None = None
    if pool.draw(st.booleans()):  # an attribute, or a number the builder converts
        value = scalar(pool, x.type.element_type) if pool.draw(st.booleans()) else 1.0
    return graph.PadOp(x, pads, value)


# -- quantized inference ------------------------------------------------------ #

QUANTIZED = [t for t in (*SIGNED, *UNSIGNED) if t.width.data <= 32]
EIGHT_BIT = [IntegerType(8), IntegerType(8, Signedness.UNSIGNED)]


@builder(graph.QuantizeOp)
def quantize(pool: Pool) -> Operation:
    x = pool.tensor(Elem.FLOAT)
    scale = broadcastable(pool, x)
    zp_type = pool.draw(st.sampled_from(QUANTIZED))
    zero_point = pool.new_arg(TensorType(zp_type, broadcast_dims(pool, dims(x))))
    return graph.QuantizeOp(x, scale, zero_point)


def zero_point(pool: Pool, x: SSAValue, shape: list[int]) -> SSAValue | None:
    return pool.like(x, shape) if pool.draw(st.booleans()) else None


@builder(graph.MatmulIntegerOp)
def matmul_integer(pool: Pool) -> Operation:
    """8-bit operands with optional per-tensor, per-row or per-column zero points."""
    a_type, b_type = (pool.draw(st.sampled_from(EIGHT_BIT)) for _ in range(2))
    m, k, n = (pool.draw(st.integers(1, 4)) for _ in range(3))
    batch = pool.shape(0, 1)
    a = pool.new_arg(TensorType(a_type, [*batch, m, k]))
    b = pool.new_arg(TensorType(b_type, [k, n]))
    az = zero_point(pool, a, pool.draw(st.sampled_from([[], [m, 1]])))
    bz = zero_point(pool, b, pool.draw(st.sampled_from([[], [n]])))
    return graph.MatmulIntegerOp(a, b, az, bz)


@builder(graph.ConvIntegerOp)
def conv_integer(pool: Pool) -> Operation:
    x_type, w_type = (pool.draw(st.sampled_from(EIGHT_BIT)) for _ in range(2))
    c, h, w = (pool.draw(st.integers(1, 4)) for _ in range(3))
    x = pool.new_arg(TensorType(x_type, [1, c, h, w]))
    groups = pool.draw(st.sampled_from(divisors(c)))
    kernel, props = window(pool, (h, w), dilations=True, pads_inside=False)
    out = groups * pool.draw(st.integers(1, 2))
    weight = pool.new_arg(TensorType(w_type, [out, c // groups, *kernel]))
    xz = zero_point(pool, x, [])
    wz = zero_point(pool, weight, pool.draw(st.sampled_from([[], [out]])))
    return graph.ConvIntegerOp(x, weight, xz, wz, groups=groups, **props)


# -- resampling ---------------------------------------------------------------- #


@builder(graph.ResizeOp)
def resize(pool: Pool) -> Operation:
    """Random sizes; scales their ratios, or not; every mode and mapping."""
    x = pool.tensor(Elem.FLOAT, min_rank=1)
    shape = dims(x)
    sizes = [pool.draw(st.integers(1, 5)) for _ in shape]
    scales = [
        o / d if pool.draw(st.booleans()) else pool.draw(st.floats(0.3, 3.0))
        for o, d in zip(sizes, shape, strict=True)
    ]
    mode = pool.draw(st.sampled_from(graph.RESIZE_MODES))
    coordinate = pool.draw(st.sampled_from(graph.COORDINATE_MODES))
    roi = None
    if coordinate == "tf_crop_and_resize":
        roi = [pool.draw(st.floats(-0.5, 1.5)) for _ in range(2 * len(shape))]
    return graph.ResizeOp(
        x,
        mode,
        scales,
        sizes,
        coordinate_mode=coordinate,
        nearest_mode=pool.draw(st.sampled_from(graph.NEAREST_MODES)),
        cubic_coeff_a=pool.maybe(st.sampled_from([-0.5, -0.75])),
        exclude_outside=bool(pool.flag()),
        antialias=mode != "nearest" and bool(pool.flag()),
        extrapolation_value=pool.maybe(st.sampled_from([0.0, -1.5])),
        roi=roi,
    )


@builder(graph.GridSampleOp)
def grid_sample(pool: Pool) -> Operation:
    """An input of 1..3 spatial dims; the grid a new argument (finite points)."""
    x = pool.tensor(Elem.FLOAT, min_rank=3, max_rank=5)
    assert isinstance(x.type, TensorType)
    shape = dims(x)
    k = len(shape) - 2
    points = [pool.draw(st.integers(1, 3)) for _ in range(k)]
    grid = pool.new_arg(TensorType(x.type.element_type, [shape[0], *points, k]))
    return graph.GridSampleOp(
        x,
        grid,
        pool.draw(st.sampled_from(graph.GRID_MODES)),
        pool.draw(st.sampled_from(graph.PADDING_MODES)),
        pool.draw(st.booleans()),
    )


# -- programs ----------------------------------------------------------------- #


class Program:
    """A random program whose repr is its text, for Hypothesis's reports."""

    def __init__(self, module: ModuleOp) -> None:
        self.module = module

    def __repr__(self) -> str:
        try:
            return f"Program(<<<\n{print_op(self.module)}>>>)"
        except Exception as error:  # an op that cannot print: say why
            return f"Program(<unprintable: {error!r}>)"


@st.composite
def programs(draw: Draw, max_ops: int = 8) -> Program:
    """`graph_programs`, each wrapped to print readably when a property fails."""
    return Program(draw(graph_programs(max_ops)))


@st.composite
def graph_programs(
    draw: Draw, max_ops: int = 8, only: Builder | None = None
) -> ModuleOp:
    """
    A module holding one function of 1..max_ops random graph ops.

    With `only`, every op comes from that builder (its ops at random shapes and
    element types); a draw where it cannot apply is rejected."""
    pool = Pool(draw)
    # Each builder weighs as many ops as it makes, so every op is about as likely.
    makers = [make for make, ops in BUILDERS.items() for _ in ops]
    if only is not None:
        makers = [only]
    for _ in range(draw(st.integers(1, max_ops))):
        make = draw(st.sampled_from(makers))
        op = make(pool)
        if op is not None:
            assert type(op) in BUILDERS[make], f"{make.__name__} made {op.name}"
            pool.block.add_op(op)
    if not list(pool.block.ops):
        assume(only is None)
        pool.block.add_op(graph.ReluOp(pool.tensor(Elem.FLOAT)))
    result = pool.block.last_op
    assert result is not None
    pool.block.add_op(func.ReturnOp(result.results[0]))
    inputs = [arg.type for arg in pool.block.args]
    function = func.FuncOp(
        "program", (inputs, [result.results[0].type]), Region(pool.block)
    )
    return ModuleOp([function])


# -- inputs ------------------------------------------------------------------- #


def gathered_size(arg: BlockArgument) -> int | None:
    """The size of the gathered axis when `arg` is a gather's indices, else None."""
    for use in arg.uses:
        op = use.operation
        if isinstance(op, GatherOp) and use.index == 1:
            shape = op.data.type.get_shape()
            axis = get_int(op.properties, "axis")
            return shape[normalize_axis(op.name, axis, len(shape))]
    return None


def feeds_integer_pow_base(arg: BlockArgument) -> bool:
    """Integer `0 ** negative` is undefined (as in ONNX and C): avoid zero bases."""
    return any(
        isinstance(use.operation, graph.PowOp) and use.index == 0 for use in arg.uses
    )


def argument_value(arg: BlockArgument, rng: np.random.Generator) -> Array:
    """Small random values of `arg`'s type, in range where they index a gather."""
    assert isinstance(arg.type, TensorType)
    dtype = to_numpy_dtype(arg.type.element_type)
    shape = arg.type.get_shape()
    if (size := gathered_size(arg)) is not None:
        return rng.integers(0, size, shape).astype(dtype)
    if dtype.kind == "f":
        return rng.uniform(-2, 2, shape).astype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    values = rng.integers(0 if dtype.kind == "u" else -4, 5, shape)
    if feeds_integer_pow_base(arg):
        values = np.where(values == 0, 1, values)
    return values.astype(dtype)
