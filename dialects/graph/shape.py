"""
Data-movement graph ops: reshape, flatten, transpose, squeeze, unsqueeze,
concat, slice, gather, broadcast_to and pad.

Each result element is one input element (or, for `pad`, the pad value), so
they are all `INJECTIVE` (`broadcast_to` is `BROADCAST`). The semantics are
ONNX's, which for these ops are numpy's. Their static parameters are
properties, printed inside the attr-dict:

    %y = graph.transpose %x {perm = array<i64: 1, 0>}
        : (tensor<2x3xf32>) -> tensor<3x2xf32>

`ReshapeLikeOp` (reshape, flatten, squeeze, unsqueeze) marks the ops that keep
the row-major order of the elements and change only the shape; any chain of
them is one reshape, which the canonicalization patterns exploit.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    DenseArrayBase,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    TensorType,
    i64,
)
from xdsl.interfaces import HasCanonicalizationPatternsInterface
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.pattern_rewriter import RewritePattern
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import (
    DYNAMIC,
    Array,
    Fusion,
    FusionKind,
    GraphOp,
    Properties,
    Shape,
    Tensor,
    Value,
    constant_value,
    expect_same_element_type,
    expect_tensor,
    fail,
    fmt_shape,
    get_int,
    get_ints,
    get_scalar,
    int_attr,
    ints_attr,
    is_index_type,
    normalize_axes,
    normalize_axis,
)

# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def _fmt_ints(values: Sequence[int]) -> str:
    """A property's integers as a tuple, -1 printed as -1 (not `?`)."""
    return f"({', '.join(map(str, values))}{',' if len(values) == 1 else ''})"


def _required_ints(op_name: str, props: Properties, name: str) -> tuple[int, ...]:
    values = get_ints(props, name)
    if values is None:
        raise fail(op_name, f"requires the property {name}")
    return values


def _opt_ints(values: Sequence[int] | None) -> DenseArrayBase | None:
    return None if values is None else ints_attr(values)


def _opt_int(value: int | None) -> IntegerAttr | None:
    return None if value is None else int_attr(value)


def _one_input(operands: Sequence[Array | None]) -> Array:
    (x,) = operands
    assert x is not None
    return x


def _product(shape: Sequence[int]) -> int:
    """The element count of a shape, DYNAMIC if any dimension is dynamic."""
    return DYNAMIC if DYNAMIC in shape else prod(shape)


def _transpose_perm(op_name: str, perm: Sequence[int] | None, rank: int) -> Shape:
    """`perm` checked to be a permutation of 0..rank-1; None means reverse."""
    if perm is None:
        return tuple(reversed(range(rank)))
    if sorted(perm) != list(range(rank)):
        raise fail(
            op_name,
            f"perm {list(perm)} is not a permutation of {list(range(rank))}",
        )
    return tuple(perm)


def _squeeze_axes(op_name: str, shape: Shape, axes: Sequence[int] | None) -> Shape:
    """The non-negative axes a squeeze removes; each must have size 1."""
    if axes is None:
        return tuple(i for i, d in enumerate(shape) if d == 1)
    out = normalize_axes(op_name, axes, len(shape))
    for axis in out:
        if shape[axis] not in (1, DYNAMIC):
            raise fail(
                op_name,
                f"cannot squeeze dimension {axis} of size {shape[axis]} in "
                f"{fmt_shape(shape)}",
            )
    return out


def _unsqueeze_axes(op_name: str, rank: int, axes: Sequence[int]) -> Shape:
    """The non-negative positions of the new size-1 dims in the output (ONNX 13)."""
    out_rank = rank + len(axes)
    for axis in axes:
        if not -out_rank <= axis < out_rank:
            raise fail(
                op_name,
                f"axis {axis} is out of range for the result rank {out_rank}",
            )
    return normalize_axes(op_name, axes, out_rank)


def _slice_range(start: int, end: int, step: int, dim: int) -> range:
    """
    The indices ONNX Slice takes along one axis of size `dim`.

    Negative starts and ends count from the end; both are then clamped, to
    [0, dim] for a positive step and to [0, dim - 1] / [-1, dim - 1] for a
    negative one (so INT64_MAX and INT64_MIN mean "to the end").
    """
    if start < 0:
        start += dim
    if end < 0:
        end += dim
    if step > 0:
        return range(min(max(start, 0), dim), min(max(end, 0), dim), step)
    return range(min(max(start, 0), dim - 1), min(max(end, -1), dim - 1), step)


def _slice_params(
    op_name: str, props: Properties, rank: int
) -> list[tuple[int, int, int, int]]:
    """(axis, start, end, step) per sliced axis, checked."""
    starts = _required_ints(op_name, props, "starts")
    ends = _required_ints(op_name, props, "ends")
    count = len(starts)
    if len(ends) != count:
        raise fail(
            op_name,
            f"expects as many ends as starts, got {list(ends)} and {list(starts)}",
        )
    axes = get_ints(props, "axes", range(count))
    steps = get_ints(props, "steps", [1] * count)
    assert axes is not None
    assert steps is not None
    if len(axes) != count:
        raise fail(
            op_name,
            f"expects as many axes as starts, got {list(axes)} and {list(starts)}",
        )
    if len(steps) != count:
        raise fail(
            op_name,
            f"expects as many steps as starts, got {list(steps)} and {list(starts)}",
        )
    if 0 in steps:
        raise fail(op_name, f"steps {list(steps)} contain a 0")
    normalized = normalize_axes(op_name, axes, rank)
    return list(zip(normalized, starts, ends, steps, strict=True))


def _pad_widths(op_name: str, props: Properties, rank: int) -> list[tuple[int, int]]:
    """(before, after) per dimension from ONNX-ordered `pads`, checked."""
    pads = _required_ints(op_name, props, "pads")
    if len(pads) != 2 * rank:
        raise fail(
            op_name,
            f"expects 2 * rank = {2 * rank} pads for rank {rank}, got {list(pads)}",
        )
    if any(p < 0 for p in pads):
        raise fail(op_name, f"expects non-negative pads, got {list(pads)}")
    return list(zip(pads[:rank], pads[rank:], strict=True))


def _reshape_like_patterns() -> tuple[RewritePattern, ...]:
    from mlc.dialects.graph.canonicalization import (
        EraseIdentityReshape,
        EraseReshapeRoundTrip,
    )

    return (EraseIdentityReshape(), EraseReshapeRoundTrip())


# --------------------------------------------------------------------------- #
# Families
# --------------------------------------------------------------------------- #


class ShapeOp(GraphOp):
    """
    A one-input data-movement op; subclasses add their fusion kind (traits
    accumulate along the class hierarchy, so this base has none).
    """

    input = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = "$input attr-dict `:` functional-type(operands, results)"


class InjectiveOp(ShapeOp):
    """
    A one-input op each of whose result elements is one input element (or a
    constant, for `pad`).
    """

    traits = traits_def(Fusion(FusionKind.INJECTIVE))


class ReshapeLikeOp(InjectiveOp, HasCanonicalizationPatternsInterface):
    """
    A shape op that keeps the row-major element order (reshape, flatten,
    squeeze, unsqueeze): it is `reshape` to its result's shape.
    """

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        return _reshape_like_patterns()

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x = _one_input(operands)
        return x.reshape(cls.result_shape(x.shape, properties))

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0])
        return TensorType(x.element_type, cls.result_shape(x.get_shape(), properties))

    @classmethod
    def result_shape(cls, shape: Shape, properties: Properties) -> Shape:
        """The result shape for an input of `shape` (DYNAMIC where unknown)."""
        raise NotImplementedError


# --------------------------------------------------------------------------- #
# Reshape-like ops
# --------------------------------------------------------------------------- #


@irdl_op_definition
class ReshapeOp(ReshapeLikeOp):
    """
    Reshape to the static `shape`, in which one -1 is inferred from the
    element count (ONNX's 0, "copy this dimension", is resolved by importers).

    ```mlir
    %y = graph.reshape %x {shape = array<i64: 3, -1>}
        : (tensor<2x3xf32>) -> tensor<3x2xf32>
    ```
    """

    name = "graph.reshape"
    shape = prop_def(DenseArrayBase.constr(i64))

    def __init__(self, input: Value, shape: Sequence[int]) -> None:
        self.init_inferred([input], {"shape": ints_attr(shape)})

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from mlc.dialects.graph.canonicalization import FoldReshapeOfReshape

        return (*_reshape_like_patterns(), FoldReshapeOfReshape())

    @classmethod
    def result_shape(cls, shape: Shape, properties: Properties) -> Shape:
        target = _required_ints(cls.name, properties, "shape")
        if any(d == 0 or d < -1 for d in target):
            raise fail(
                cls.name,
                f"expects a shape of positive sizes and at most one -1, "
                f"got {_fmt_ints(target)}",
            )
        if target.count(-1) > 1:
            raise fail(cls.name, f"shape {_fmt_ints(target)} has more than one -1")
        count = _product(shape)
        if count == DYNAMIC:  # the element count is only known at run time
            return tuple(DYNAMIC if d == -1 else d for d in target)
        known = prod(d for d in target if d != -1)
        inferred = count // known if -1 in target else 1
        if inferred * known != count:
            raise fail(
                cls.name,
                f"cannot reshape {fmt_shape(shape)} ({count} elements) to "
                f"{_fmt_ints(target)}",
            )
        return tuple(inferred if d == -1 else d for d in target)


@irdl_op_definition
class FlattenOp(ReshapeLikeOp):
    """
    Flatten to 2-D: `[prod(dims[:axis]), prod(dims[axis:])]` (ONNX Flatten;
    `axis` in [-rank, rank], default 1).

    ```mlir
    %y = graph.flatten %x {axis = 1 : i64}
        : (tensor<1x1x28x28xf32>) -> tensor<1x784xf32>
    ```
    """

    name = "graph.flatten"
    axis = opt_prop_def(IntegerAttr[I64])

    def __init__(self, input: Value, axis: int | None = None) -> None:
        self.init_inferred([input], {"axis": _opt_int(axis)})

    @classmethod
    def result_shape(cls, shape: Shape, properties: Properties) -> Shape:
        rank = len(shape)
        axis = get_int(properties, "axis", 1)
        if not -rank <= axis <= rank:
            raise fail(cls.name, f"axis {axis} is out of range for rank {rank}")
        axis = axis + rank if axis < 0 else axis
        return (_product(shape[:axis]), _product(shape[axis:]))


@irdl_op_definition
class SqueezeOp(ReshapeLikeOp):
    """
    Remove the size-1 dimensions listed in `axes`, or all of them when `axes`
    is absent.

    ```mlir
    %y = graph.squeeze %x {axes = array<i64: 0>} : (tensor<1x3xf32>) -> tensor<3xf32>
    ```
    """

    name = "graph.squeeze"
    axes = opt_prop_def(DenseArrayBase.constr(i64))

    def __init__(self, input: Value, axes: Sequence[int] | None = None) -> None:
        self.init_inferred([input], {"axes": _opt_ints(axes)})

    @classmethod
    def result_shape(cls, shape: Shape, properties: Properties) -> Shape:
        removed = _squeeze_axes(cls.name, shape, get_ints(properties, "axes"))
        return tuple(d for i, d in enumerate(shape) if i not in removed)


@irdl_op_definition
class UnsqueezeOp(ReshapeLikeOp):
    """
    Insert size-1 dimensions at `axes`, which index the result (ONNX 13+).

    ```mlir
    %y = graph.unsqueeze %x {axes = array<i64: 0, -1>}
        : (tensor<3xf32>) -> tensor<1x3x1xf32>
    ```
    """

    name = "graph.unsqueeze"
    axes = prop_def(DenseArrayBase.constr(i64))

    def __init__(self, input: Value, axes: Sequence[int]) -> None:
        self.init_inferred([input], {"axes": ints_attr(axes)})

    @classmethod
    def result_shape(cls, shape: Shape, properties: Properties) -> Shape:
        axes = _required_ints(cls.name, properties, "axes")
        inserted = _unsqueeze_axes(cls.name, len(shape), axes)
        rest = iter(shape)
        return tuple(
            1 if i in inserted else next(rest) for i in range(len(shape) + len(axes))
        )


# --------------------------------------------------------------------------- #
# Other one-input shape ops
# --------------------------------------------------------------------------- #


@irdl_op_definition
class TransposeOp(InjectiveOp, HasCanonicalizationPatternsInterface):
    """
    Permute the dimensions: result dimension `i` is input dimension `perm[i]`
    (absent `perm`: reverse them, as ONNX).

    ```mlir
    %y = graph.transpose %x {perm = array<i64: 1, 0>}
        : (tensor<2x3xf32>) -> tensor<3x2xf32>
    ```
    """

    name = "graph.transpose"
    perm = opt_prop_def(DenseArrayBase.constr(i64))

    def __init__(self, input: Value, perm: Sequence[int] | None = None) -> None:
        self.init_inferred([input], {"perm": _opt_ints(perm)})

    def effective_perm(self) -> Shape:
        """`perm`, or the reversal it defaults to."""
        input_type = self.input.type
        assert isa(input_type, TensorType[Attribute])
        return _transpose_perm(
            self.name, get_ints(self.properties, "perm"), len(input_type.get_shape())
        )

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from mlc.dialects.graph.canonicalization import (
            EraseIdentityTranspose,
            FoldTransposeOfTranspose,
        )

        return (EraseIdentityTranspose(), FoldTransposeOfTranspose())

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0])
        shape = x.get_shape()
        perm = _transpose_perm(cls.name, get_ints(properties, "perm"), len(shape))
        return TensorType(x.element_type, [shape[p] for p in perm])

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x = _one_input(operands)
        perm = _transpose_perm(cls.name, get_ints(properties, "perm"), x.ndim)
        return np.transpose(x, perm).copy()


@irdl_op_definition
class SliceOp(InjectiveOp):
    """
    Take `starts[i]:ends[i]:steps[i]` along `axes[i]` (ONNX Slice: negative
    indices count from the end, out-of-range ones clamp, steps may be negative;
    `axes` defaults to 0..n-1 and `steps` to 1).

    ```mlir
    %y = graph.slice %x {starts = array<i64: 1>, ends = array<i64: 9223372036854775807>,
                         axes = array<i64: 1>}
        : (tensor<2x3xf32>) -> tensor<2x2xf32>
    ```
    """

    name = "graph.slice"
    starts = prop_def(DenseArrayBase.constr(i64))
    ends = prop_def(DenseArrayBase.constr(i64))
    axes = opt_prop_def(DenseArrayBase.constr(i64))
    steps = opt_prop_def(DenseArrayBase.constr(i64))

    def __init__(
        self,
        input: Value,
        starts: Sequence[int],
        ends: Sequence[int],
        axes: Sequence[int] | None = None,
        steps: Sequence[int] | None = None,
    ) -> None:
        self.init_inferred(
            [input],
            {
                "starts": ints_attr(starts),
                "ends": ints_attr(ends),
                "axes": _opt_ints(axes),
                "steps": _opt_ints(steps),
            },
        )

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0])
        shape = list(x.get_shape())
        for axis, start, end, step in _slice_params(cls.name, properties, len(shape)):
            if shape[axis] != DYNAMIC:
                shape[axis] = len(_slice_range(start, end, step, shape[axis]))
        return TensorType(x.element_type, shape)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x = _one_input(operands)
        index: list[slice] = [slice(None)] * x.ndim
        for axis, start, end, step in _slice_params(cls.name, properties, x.ndim):
            r = _slice_range(start, end, step, x.shape[axis])
            # A negative step that runs through index 0 stops at -1: numpy's None.
            index[axis] = slice(r.start, r.stop if r.stop >= 0 else None, r.step)
        return x[tuple(index)].copy()


@irdl_op_definition
class BroadcastToOp(ShapeOp):
    """
    Broadcast the input to `shape` (numpy `broadcast_to`: dimensions align
    from the right, a size-1 dimension repeats).

    ```mlir
    %y = graph.broadcast_to %x {shape = array<i64: 2, 3>}
        : (tensor<3xf32>) -> tensor<2x3xf32>
    ```
    """

    name = "graph.broadcast_to"
    shape = prop_def(DenseArrayBase.constr(i64))
    traits = traits_def(Fusion(FusionKind.BROADCAST))

    def __init__(self, input: Value, shape: Sequence[int]) -> None:
        self.init_inferred([input], {"shape": ints_attr(shape)})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0])
        shape = x.get_shape()
        target = _required_ints(cls.name, properties, "shape")
        if any(d < 0 for d in target):
            raise fail(cls.name, f"expects a static shape, got {_fmt_ints(target)}")
        aligned = target[len(target) - len(shape) :] if shape else ()
        if len(shape) > len(target) or any(
            d not in (1, t, DYNAMIC) for d, t in zip(shape, aligned, strict=True)
        ):
            raise fail(
                cls.name,
                f"cannot broadcast {fmt_shape(shape)} to {_fmt_ints(target)}",
            )
        return TensorType(x.element_type, target)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x = _one_input(operands)
        return np.broadcast_to(x, _required_ints(cls.name, properties, "shape")).copy()


@irdl_op_definition
class PadOp(InjectiveOp):
    """
    Pad with the constant `value` (default 0): `pads` holds every dimension's
    leading count, then every trailing count (ONNX order).

    ```mlir
    %y = graph.pad %x {pads = array<i64: 0, 1, 0, 2>, value = -1.0 : f32}
        : (tensor<2x3xf32>) -> tensor<2x6xf32>
    ```
    """

    name = "graph.pad"
    pads = prop_def(DenseArrayBase.constr(i64))
    value = opt_prop_def(FloatAttr | IntegerAttr)

    def __init__(
        self,
        input: Value,
        pads: Sequence[int],
        value: float | Attribute | None = None,
    ) -> None:
        if value is not None and not isinstance(value, Attribute):
            value = _scalar_attr(value, SSAValue.get(input).type)
        self.init_inferred([input], {"pads": ints_attr(pads), "value": value})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        x = expect_tensor(cls.name, "input", operand_types[0])
        value = properties.get("value")
        if value is not None and getattr(value, "type", None) != x.element_type:
            raise fail(
                cls.name,
                f"expects value of the element type {x.element_type}, got {value}",
            )
        shape = x.get_shape()
        widths = _pad_widths(cls.name, properties, len(shape))
        return TensorType(
            x.element_type,
            [
                d if d == DYNAMIC else d + b + e
                for d, (b, e) in zip(shape, widths, strict=True)
            ],
        )

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        x = _one_input(operands)
        value = get_scalar(properties, "value")
        fill = np.asarray(0 if value is None else value).astype(x.dtype)
        if x.ndim == 0:  # np.pad cannot pad a 0-d array; its only pads are []
            return x.copy()
        return np.pad(
            x, _pad_widths(cls.name, properties, x.ndim), constant_values=fill
        )


def _scalar_attr(value: float, tensor_type: Attribute) -> FloatAttr | IntegerAttr:
    """`value` as an attribute of the element type of `tensor_type`."""
    element_type = expect_tensor(PadOp.name, "input", tensor_type).element_type
    if isinstance(element_type, Float16Type | Float32Type | Float64Type):
        return FloatAttr(value, element_type)
    assert isa(element_type, IntegerType)
    return IntegerAttr(int(value), element_type)


# --------------------------------------------------------------------------- #
# Multi-operand ops
# --------------------------------------------------------------------------- #


@irdl_op_definition
class ConcatOp(GraphOp):
    """
    Join the inputs along `axis`; all other dimensions must agree.

    ```mlir
    %z = graph.concat %x, %y {axis = 1 : i64}
        : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
    ```
    """

    name = "graph.concat"
    inputs = var_operand_def(TensorType)
    result = result_def(TensorType)
    axis = prop_def(IntegerAttr[I64])

    traits = traits_def(Fusion(FusionKind.INJECTIVE))
    assembly_format = "$inputs attr-dict `:` functional-type(operands, results)"

    def __init__(self, inputs: Sequence[Value], axis: int) -> None:
        self.init_inferred([inputs], {"axis": int_attr(axis)})

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        if not operand_types:
            raise fail(cls.name, "expects at least one input")
        named = [
            (f"input {i}", expect_tensor(cls.name, f"input {i}", t))
            for i, t in enumerate(operand_types)
        ]
        expect_same_element_type(cls.name, named)
        first = named[0][1].get_shape()
        axis = normalize_axis(cls.name, get_int(properties, "axis"), len(first))
        out = list(first)
        for _, t in named[1:]:
            shape = t.get_shape()
            if len(shape) != len(first) or any(
                i != axis and DYNAMIC not in (a, b) and a != b
                for i, (a, b) in enumerate(zip(first, shape))
            ):
                raise fail(
                    cls.name,
                    f"expects inputs of equal shapes except along axis {axis}, "
                    f"got {fmt_shape(first)} and {fmt_shape(shape)}",
                )
            out = [b if a == DYNAMIC else a for a, b in zip(out, shape, strict=True)]
        sizes = [t.get_shape()[axis] for _, t in named]
        out[axis] = DYNAMIC if DYNAMIC in sizes else sum(sizes)
        return TensorType(named[0][1].element_type, out)

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        arrays = [x for x in operands if x is not None]
        return np.concatenate(arrays, axis=get_int(properties, "axis"))


@irdl_op_definition
class GatherOp(GraphOp, HasCanonicalizationPatternsInterface):
    """
    Take the slices of `data` along `axis` at `indices` (ONNX Gather; a
    negative index counts from the end): the result shape is
    `data[:axis] + indices + data[axis + 1:]`.

    ```mlir
    %y = graph.gather %x, %i {axis = 1 : i64}
        : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x4xf32>
    ```
    """

    name = "graph.gather"
    data = operand_def(TensorType)
    indices = operand_def(TensorType)
    result = result_def(TensorType)
    axis = opt_prop_def(IntegerAttr[I64])

    traits = traits_def(Fusion(FusionKind.INJECTIVE))
    assembly_format = (
        "$data `,` $indices attr-dict `:` functional-type(operands, results)"
    )

    def __init__(self, data: Value, indices: Value, axis: int | None = None) -> None:
        self.init_inferred([data, indices], {"axis": _opt_int(axis)})

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from mlc.dialects.graph.canonicalization import RewriteGatherAsSlice

        return (RewriteGatherAsSlice(),)

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        data = expect_tensor(cls.name, "data", operand_types[0])
        indices = expect_tensor(cls.name, "indices", operand_types[1])
        if not is_index_type(indices.element_type):
            raise fail(cls.name, f"expects i32 or i64 indices, got {indices}")
        shape = data.get_shape()
        axis = normalize_axis(cls.name, get_int(properties, "axis"), len(shape))
        return TensorType(
            data.element_type,
            [*shape[:axis], *indices.get_shape(), *shape[axis + 1 :]],
        )

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        data, indices = operands
        assert data is not None
        assert indices is not None
        axis = normalize_axis(cls.name, get_int(properties, "axis"), data.ndim)
        wrapped = np.where(indices < 0, indices + data.shape[axis], indices)
        return np.take(data, wrapped, axis=axis)

    def fold(self) -> Sequence[SSAValue | Attribute] | None:
        # Out-of-range constant indices are undefined behaviour (an error in
        # ONNX); leave them to run time rather than fail inside canonicalize.
        indices = constant_value(self.indices)
        data_type = self.data.type
        if indices is None or not isa(data_type, TensorType[Attribute]):
            return None
        shape = data_type.get_shape()
        dim = shape[
            normalize_axis(self.name, get_int(self.properties, "axis"), len(shape))
        ]
        if np.any((indices < -dim) | (indices >= dim)):
            return None
        return super().fold()


SHAPE_OPS: tuple[type[GraphOp], ...] = (
    ReshapeOp,
    FlattenOp,
    SqueezeOp,
    UnsqueezeOp,
    TransposeOp,
    SliceOp,
    BroadcastToOp,
    PadOp,
    ConcatOp,
    GatherOp,
)

__all__ = [
    "SHAPE_OPS",
    "BroadcastToOp",
    "ConcatOp",
    "FlattenOp",
    "GatherOp",
    "InjectiveOp",
    "PadOp",
    "ReshapeLikeOp",
    "ReshapeOp",
    "ShapeOp",
    "SliceOp",
    "SqueezeOp",
    "TransposeOp",
    "UnsqueezeOp",
]
