"""
`convert-graph-to-linalg`: every graph op becomes linalg on tensors, with
tensor, arith and math (the tensor level of DESIGN.md).

Preconditions: graph ops over statically shaped ranked tensors (the verifier's
invariants hold). Elementwise families are one parametrised pattern plus a
table of scalar bodies; numpy broadcasting is expressed through indexing maps
(size-1 dims read at constant index 0), never materialized. Contractions, window
ops and normalizations use named linalg ops where xDSL 0.74 has them (`matmul`,
`transpose`, `conv_2d_nchw_fchw`, `pooling_nchw_max`, `fill`) and
`linalg.generic` otherwise, in destination-passing style (`tensor.empty` ->
`linalg.fill` -> `outs`). As the graph references do, f16 nn ops and float
reductions compute in f32 and truncate the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import arith, func, tensor
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    FunctionType,
    IndexType,
    ModuleOp,
    TensorType,
    f32,
    f64,
    i64,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.ir.affine import AffineConstantExpr, AffineDimExpr, AffineExpr
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import Rewriter

from mlc.dialects import graph
from mlc.dialects.graph.base import (
    Elem,
    GraphOp,
    get_bool,
    get_float,
    get_int,
    get_ints,
    get_scalar,
    get_str,
)
from mlc.dialects.graph.nn import DEFAULT_EPSILON, Window
from mlc.dialects.graph.shape import (
    _slice_params,  # pyright: ignore[reportPrivateUsage]
    _slice_range,  # pyright: ignore[reportPrivateUsage]
)
from mlc.lowering.utils import (
    PARALLEL,
    REDUCTION,
    Emitter,
    add,
    constant,
    dims_map,
    div,
    element_of,
    identity_map,
    int_width,
    is_float,
    kind_of,
    located_failure,
    lowest,
    maximum,
    minimum,
    mul,
    require_converted,
    shape_of,
    signless,
    signless_tensor,
    sub,
)

Unary = Callable[[Builder, SSAValue, Elem, GraphOp], SSAValue]
Binary = Callable[[Builder, SSAValue, SSAValue, Elem], SSAValue]


def _graph_element(value: SSAValue) -> Attribute:
    """The element type a graph value had (it may be `uiN`)."""
    type_ = value.type
    assert isinstance(type_, TensorType)
    return cast(Attribute, type_.get_element_type())  # pyright: ignore[reportUnknownMemberType]


def _result(op: GraphOp) -> tuple[tuple[int, ...], Attribute]:
    """The static shape and signless element type of a graph op's result."""
    return shape_of(op.results[0]), element_of(op.results[0])


# --------------------------------------------------------------------------- #
# Elementwise: one pattern per arity, a scalar body per op
# --------------------------------------------------------------------------- #


def _zero_like(b: Builder, x: SSAValue) -> SSAValue:
    return constant(b, 0, x.type)


def _relu(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    return maximum(b, x, _zero_like(b, x), kind)


def _neg(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    if is_float(x):
        return b.insert(arith.NegfOp(x)).result
    return sub(b, _zero_like(b, x), x)


def _abs(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    if is_float(x):
        return b.insert(mathd.AbsFOp(x)).result
    if kind == Elem.UINT:
        return x
    return b.insert(mathd.AbsIOp(x)).result


def _sigmoid(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    one = constant(b, 1.0, x.type)
    e = b.insert(mathd.ExpOp(b.insert(arith.NegfOp(x)).result)).result
    return div(b, one, add(b, one, e))


def _math(cls: type[Operation]) -> Unary:
    def body(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
        return b.insert(cls.create(operands=[x], result_types=[x.type])).results[0]

    return body


def _gelu(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    half = mul(b, x, constant(b, 0.5, x.type))
    one = constant(b, 1.0, x.type)
    if get_str(op.properties, "approximate", "none") == "tanh":
        cube = mul(b, mul(b, x, x), x)
        inner = add(b, x, mul(b, cube, constant(b, 0.044715, x.type)))
        scaled = mul(b, inner, constant(b, math.sqrt(2 / math.pi), x.type))
        t = b.insert(mathd.TanhOp(scaled)).result
    else:
        scaled = mul(b, x, constant(b, 1 / math.sqrt(2), x.type))
        t = b.insert(mathd.ErfOp(scaled)).result
    return mul(b, half, add(b, one, t))


def _clip(b: Builder, x: SSAValue, kind: Elem, op: GraphOp) -> SSAValue:
    out = x
    lo, hi = get_scalar(op.properties, "min"), get_scalar(op.properties, "max")
    if lo is not None:
        out = maximum(b, out, constant(b, lo, x.type), kind)
    if hi is not None:
        out = minimum(b, out, constant(b, hi, x.type), kind)
    return out


UNARY_BODIES: dict[type[GraphOp], Unary] = {
    graph.ReluOp: _relu,
    graph.GeluOp: _gelu,
    graph.SigmoidOp: _sigmoid,
    graph.TanhOp: _math(mathd.TanhOp),
    graph.ExpOp: _math(mathd.ExpOp),
    graph.LogOp: _math(mathd.LogOp),
    graph.SqrtOp: _math(mathd.SqrtOp),
    graph.RsqrtOp: _math(mathd.RsqrtOp),
    graph.NegOp: _neg,
    graph.AbsOp: _abs,
    graph.ErfOp: _math(mathd.ErfOp),
    graph.ClipOp: _clip,
}


def _div(b: Builder, x: SSAValue, y: SSAValue, kind: Elem) -> SSAValue:
    if is_float(x):
        return div(b, x, y)
    # Integer division by zero yields the dividend (the graph reference).
    zero, one = _zero_like(b, y), constant(b, 1, y.type)
    is_zero = b.insert(arith.CmpiOp(y, zero, "eq")).result
    safe = b.insert(arith.SelectOp(is_zero, one, y)).result
    return div(b, x, safe, kind)


def _pow(b: Builder, x: SSAValue, y: SSAValue, kind: Elem) -> SSAValue:
    if is_float(x):
        return b.insert(mathd.PowFOp(x, y)).result
    # Integer powers go through f64, as the graph reference does.
    fx, fy = (_convert(b, v, kind, f64, Elem.FLOAT) for v in (x, y))
    p = b.insert(mathd.PowFOp(fx, fy)).result
    return _convert(b, p, Elem.FLOAT, x.type, kind)


BINARY_BODIES: dict[type[GraphOp], Binary] = {
    graph.AddOp: lambda b, x, y, k: add(b, x, y),
    graph.SubOp: lambda b, x, y, k: sub(b, x, y),
    graph.MulOp: lambda b, x, y, k: mul(b, x, y),
    graph.DivOp: _div,
    graph.MaxOp: maximum,
    graph.MinOp: minimum,
    graph.PowOp: _pow,
}


@dataclass(frozen=True)
class UnaryLowering(RewritePattern):
    """A unary elementwise op -> `linalg.generic` with the op's scalar body."""

    op_type: type[GraphOp]
    body: Unary

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, self.op_type):
            return
        x = op.operands[0]
        kind = kind_of(_graph_element(x))
        shape, element = _result(op)
        e = Emitter()
        out = e.map([x], shape, element, lambda b, a: [self.body(b, a[0], kind, op)])
        rewriter.replace(op, e.ops, [out])


@dataclass(frozen=True)
class BinaryLowering(RewritePattern):
    """A broadcasting binary op -> `linalg.generic`, broadcast through its maps."""

    op_type: type[GraphOp]
    body: Binary

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, self.op_type):
            return
        kind = kind_of(_graph_element(op.operands[0]))
        shape, element = _result(op)
        e = Emitter()
        out = e.map(
            list(op.operands),
            shape,
            element,
            lambda b, a: [self.body(b, a[0], a[1], kind)],
        )
        rewriter.replace(op, e.ops, [out])


class WhereLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.WhereOp, rewriter: PatternRewriter) -> None:
        shape, element = _result(op)
        e = Emitter()
        out = e.map(
            list(op.operands),
            shape,
            element,
            lambda b, a: [b.insert(arith.SelectOp(a[0], a[1], a[2])).result],
        )
        rewriter.replace(op, e.ops, [out])


def _width(type_: Attribute) -> int:
    if isinstance(type_, Float16Type):
        return 16
    if isinstance(type_, Float32Type):
        return 32
    if isinstance(type_, Float64Type):
        return 64
    return int_width(type_)


def _convert(
    b: Builder, x: SSAValue, src: Elem, target: Attribute, dst: Elem
) -> SSAValue:
    """`x` (of kind `src`) as the signless type `target` (of kind `dst`), as numpy."""
    if x.type == target:
        return x
    to: Any = target  # the signless integer or float type the cast ops expect
    op: Operation
    if dst == Elem.BOOL:
        zero = _zero_like(b, x)
        op = (
            arith.CmpfOp(x, zero, "une") if is_float(x) else arith.CmpiOp(x, zero, "ne")
        )
    elif src == Elem.FLOAT and dst == Elem.FLOAT:
        bigger = _width(to) > _width(x.type)
        op = arith.ExtFOp(x, to) if bigger else arith.TruncFOp(x, to)
    elif src == Elem.FLOAT:
        op = arith.FPToUIOp(x, to) if dst == Elem.UINT else arith.FPToSIOp(x, to)
    elif dst == Elem.FLOAT:
        op = arith.SIToFPOp(x, to) if src == Elem.SINT else arith.UIToFPOp(x, to)
    elif _width(to) > _width(x.type):
        op = arith.ExtSIOp(x, to) if src == Elem.SINT else arith.ExtUIOp(x, to)
    else:
        op = arith.TruncIOp(x, to)
    return b.insert(op).results[0]


class CastLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.CastOp, rewriter: PatternRewriter) -> None:
        src_type = _graph_element(op.input)
        dst_type = _graph_element(op.result)
        src, dst = kind_of(src_type), kind_of(dst_type)
        shape, element = _result(op)
        if signless(src_type) == element:
            rewriter.replace(op, [], [op.input])
            return
        e = Emitter()
        out = e.map(
            [op.input],
            shape,
            element,
            lambda b, a: [_convert(b, a[0], src, element, dst)],
        )
        rewriter.replace(op, e.ops, [out])


# --------------------------------------------------------------------------- #
# f16 computes in f32 (nn ops, float reductions)
# --------------------------------------------------------------------------- #


def _promote(e: Emitter, x: SSAValue) -> SSAValue:
    """An f16 tensor as f32 (other tensors unchanged)."""
    if not isinstance(element_of(x), Float16Type):
        return x
    return e.map(
        [x], shape_of(x), f32, lambda b, a: [b.insert(arith.ExtFOp(a[0], f32)).result]
    )


def _demote(e: Emitter, x: SSAValue, element: Attribute) -> SSAValue:
    """`x` back in the op's element type."""
    if element_of(x) == element:
        return x

    def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
        return [b.insert(arith.TruncFOp(a[0], element)).result]

    return e.map([x], shape_of(x), element, body)


def _copy_body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
    return [a[0]]


def _copy_into(
    e: Emitter, x: SSAValue, maps_to: Sequence[int], shape: Sequence[int]
) -> SSAValue:
    """`x` broadcast along dims `maps_to` of a new tensor of `shape` (an init)."""
    init = e.empty(shape, element_of(x))
    rank = len(shape)
    return e.generic(
        [x],
        init,
        [dims_map(rank, maps_to), identity_map(rank)],
        [PARALLEL] * rank,
        _copy_body,
    )


def _mac(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
    """out += lhs * rhs."""
    return [add(b, a[2], mul(b, a[0], a[1]))]


# --------------------------------------------------------------------------- #
# Contractions
# --------------------------------------------------------------------------- #


class LinearLowering(RewritePattern):
    """`x · wᵀ (+ b)`: a generic reading the weight transposed through its map."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.LinearOp, rewriter: PatternRewriter) -> None:
        shape, element = _result(op)
        e = Emitter()
        x, w = _promote(e, op.input), _promote(e, op.weight)
        ct = element_of(x)
        rank = len(shape)
        if op.bias is None:
            init = e.filled(shape, ct, 0)
        else:
            init = _copy_into(e, _promote(e, op.bias), [rank - 1], shape)
        k = rank
        out = e.generic(
            [x, w],
            init,
            [
                dims_map(rank + 1, [*range(rank - 1), k]),
                dims_map(rank + 1, [rank - 1, k]),
                dims_map(rank + 1, list(range(rank))),
            ],
            [PARALLEL] * rank + [REDUCTION],
            _mac,
        )
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


class MatmulLowering(RewritePattern):
    """numpy matmul: `linalg.matmul` for 2-D x 2-D, else a generic (batch, 1-D)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.MatmulOp, rewriter: PatternRewriter) -> None:
        shape, element = _result(op)
        e = Emitter()
        a, b = _promote(e, op.lhs), _promote(e, op.rhs)
        ct = element_of(a)
        init = e.filled(shape, ct, 0)
        sa, sb = shape_of(a), shape_of(b)
        if len(sa) == 2 and len(sb) == 2:
            out = e.add(linalg.MatmulOp([a, b], [init])).results[0]
            rewriter.replace(op, e.ops, [_demote(e, out, element)])
            return
        rows, cols = len(sa) > 1, len(sb) > 1
        nbatch = len(shape) - rows - cols
        batch = shape[:nbatch]
        k = len(shape)
        row_dim, col_dim = nbatch, nbatch + rows

        def operand_map(s: Sequence[int], tail: list[int]) -> list[int | AffineExpr]:
            own = s[: len(s) - 2] if len(s) > 1 else ()
            exprs: list[int | AffineExpr] = []
            for i, d in enumerate(own):
                j = nbatch - len(own) + i
                exprs.append(AffineConstantExpr(0) if d == 1 and batch[j] != 1 else j)
            return [*exprs, *tail]

        a_map = operand_map(sa, [row_dim, k] if rows else [k])
        b_map = operand_map(sb, [k, col_dim] if cols else [k])
        out = e.generic(
            [a, b],
            init,
            [
                dims_map(k + 1, a_map),
                dims_map(k + 1, b_map),
                dims_map(k + 1, list(range(k))),
            ],
            [PARALLEL] * k + [REDUCTION],
            _mac,
        )
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


def _window_props(op: GraphOp, kernel: Sequence[int]) -> Window:
    props = op.properties
    return Window(
        kernel=tuple(kernel),
        strides=get_ints(props, "strides", (1, 1)) or (1, 1),
        pads=get_ints(props, "pads", (0, 0, 0, 0)) or (0, 0, 0, 0),
        dilations=get_ints(props, "dilations", (1, 1)) or (1, 1),
        ceil_mode=get_bool(props, "ceil_mode", False),
    )


def _pad_window(
    e: Emitter, x: SSAValue, window: Window, out: Sequence[int], value: float
) -> SSAValue:
    """`x` (NCHW) padded as the window needs, including a `ceil_mode` overhang."""
    high = [0, 0]
    for dim in (0, 1):
        size = shape_of(x)[2 + dim]
        needed = (out[dim] - 1) * window.strides[dim] + window.extent(dim)
        overhang = needed - (window.begin(dim) + size + window.end(dim))
        high.append(window.end(dim) + max(0, overhang))
    return e.pad(x, [0, 0, window.begin(0), window.begin(1)], high, value)


def _ints_elements(values: Sequence[int]) -> DenseIntOrFPElementsAttr[Any]:
    return DenseIntOrFPElementsAttr.from_list(
        TensorType(i64, [len(values)]), list(values)
    )


def _tap(d: int, out_dim: int, k_dim: int, stride: int, dilation: int) -> AffineExpr:
    return AffineDimExpr(out_dim) * stride + AffineDimExpr(k_dim) * dilation


class Conv2DLowering(RewritePattern):
    """`tensor.pad`, then `linalg.conv_2d_nchw_fchw` (groups > 1: a generic)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.Conv2DOp, rewriter: PatternRewriter) -> None:
        shape, element = _result(op)
        e = Emitter()
        x, w = _promote(e, op.input), _promote(e, op.weight)
        ct = element_of(x)
        window = _window_props(op, shape_of(w)[2:])
        padded = _pad_window(e, x, window, shape[2:], 0.0)
        if op.bias is None:
            init = e.filled(shape, ct, 0)
        else:
            init = _copy_into(e, _promote(e, op.bias), [1], shape)
        groups = get_int(op.properties, "groups", 1)
        if groups == 1:
            conv = linalg.Conv2DNchwFchwOp(
                [padded, w],
                [init],
                [init.type],
                strides=_ints_elements(window.strides),
                dilations=_ints_elements(window.dilations),
            )
            out = e.add(conv).results[0]
        else:
            # (n, o, oh, ow, c, kh, kw); the input channel is o / og * cg + c.
            cg, og = shape_of(w)[1], shape[1] // groups
            sh, sw = window.strides
            dh, dw = window.dilations
            channel = AffineDimExpr(1) // og * cg + AffineDimExpr(4)
            x_map = dims_map(
                7, [0, channel, _tap(0, 2, 5, sh, dh), _tap(0, 3, 6, sw, dw)]
            )
            out = e.generic(
                [padded, w],
                init,
                [x_map, dims_map(7, [1, 4, 5, 6]), dims_map(7, [0, 1, 2, 3])],
                [PARALLEL] * 4 + [REDUCTION] * 3,
                _mac,
            )
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


# --------------------------------------------------------------------------- #
# Pooling
# --------------------------------------------------------------------------- #


def _window_sum(
    e: Emitter, padded: SSAValue, window: Window, out_shape: Sequence[int]
) -> SSAValue:
    """The sum over each window: a generic with a kernel-shaped dummy operand."""
    ct = element_of(padded)
    init = e.filled(out_shape, ct, 0)
    taps = e.empty(window.kernel, ct)
    sh, sw = window.strides
    x_map = dims_map(6, [0, 1, _tap(0, 2, 4, sh, 1), _tap(0, 3, 5, sw, 1)])
    return e.generic(
        [padded, taps],
        init,
        [x_map, dims_map(6, [4, 5]), dims_map(6, [0, 1, 2, 3])],
        [PARALLEL] * 4 + [REDUCTION] * 2,
        lambda b, a: [add(b, a[2], a[0])],
    )


class MaxPool2DLowering(RewritePattern):
    """Pad with -inf, then `linalg.pooling_nchw_max`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.MaxPool2DOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = _result(op)
        e = Emitter()
        window = _window_props(op, get_ints(op.properties, "kernel") or (1, 1))
        padded = _pad_window(e, op.input, window, shape[2:], -math.inf)
        init = e.filled(shape, element, -math.inf)
        taps = e.empty(window.kernel, element)
        pool = linalg.PoolingNchwMaxOp(
            [padded, taps],
            [init],
            [init.type],
            strides=_ints_elements(window.strides),
            dilations=_ints_elements(window.dilations),
        )
        rewriter.replace(op, e.ops, [e.add(pool).results[0]])


class AvgPool2DLowering(RewritePattern):
    """
    A window sum divided by a window count; the count is the window sum of a
    ones mask padded with zeros (its extent follows `count_include_pad`).
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.AvgPool2DOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = _result(op)
        e = Emitter()
        x = _promote(e, op.input)
        ct = element_of(x)
        window = _window_props(op, get_ints(op.properties, "kernel") or (1, 1))
        total = _window_sum(e, _pad_window(e, x, window, shape[2:], 0.0), window, shape)
        h, w = shape_of(x)[2:]
        if get_bool(op.properties, "count_include_pad", False):
            mh = h + window.begin(0) + window.end(0)
            mw = w + window.begin(1) + window.end(1)
            ones = e.filled([1, 1, mh, mw], ct, 1)
            mask = e.pad(
                ones, [0] * 4, [0, 0, *_overhang(window, (h, w), shape[2:])], 0
            )
        else:
            mask = _pad_window(e, e.filled([1, 1, h, w], ct, 1), window, shape[2:], 0)
        counts = _window_sum(e, mask, window, [1, 1, *shape[2:]])
        out = e.map([total, counts], shape, ct, lambda b, a: [div(b, a[0], a[1])])
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


def _overhang(window: Window, size: Sequence[int], out: Sequence[int]) -> list[int]:
    """Per spatial dim, how far the last window runs past the end padding."""
    result: list[int] = []
    for dim in (0, 1):
        needed = (out[dim] - 1) * window.strides[dim] + window.extent(dim)
        have = window.begin(dim) + size[dim] + window.end(dim)
        result.append(max(0, needed - have))
    return result


class GlobalAvgPool2DLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.GlobalAvgPool2DOp, rewriter: PatternRewriter
    ) -> None:
        element = _result(op)[1]
        e = Emitter()
        x = _promote(e, op.input)
        ct = element_of(x)
        n, c, h, w = shape_of(x)
        total = e.reduce(x, (2, 3), ct, 0, add, keepdims=True)
        count = float(h * w)
        out = e.map(
            [total],
            [n, c, 1, 1],
            ct,
            lambda b, a: [div(b, a[0], constant(b, count, ct))],
        )
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


# --------------------------------------------------------------------------- #
# Normalization and softmax
# --------------------------------------------------------------------------- #


def _eps(op: GraphOp) -> float:
    return get_float(op.properties, "epsilon", DEFAULT_EPSILON)


class BatchNormLowering(RewritePattern):
    """One elementwise generic reading the [C] parameters via `(n, c, …) -> (c)`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.BatchNormOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = _result(op)
        e = Emitter()
        x, scale, bias, mean, var = (_promote(e, v) for v in op.operands)
        ct = element_of(x)
        rank = len(shape)
        eps = _eps(op)

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            xv, s, bv, m, v = a[:5]
            root = b.insert(mathd.SqrtOp(add(b, v, constant(b, eps, ct)))).result
            norm = div(b, sub(b, xv, m), root)
            return [add(b, mul(b, norm, s), bv)]

        param = dims_map(rank, [1])
        out = e.generic(
            [x, scale, bias, mean, var],
            e.empty(shape, ct),
            [identity_map(rank), param, param, param, param, identity_map(rank)],
            [PARALLEL] * rank,
            body,
        )
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


class LayerNormLowering(RewritePattern):
    """Mean and variance as reduction generics, then elementwise generics."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.LayerNormOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = _result(op)
        e = Emitter()
        x = _promote(e, op.input)
        ct = element_of(x)
        rank = len(shape)
        axis = get_int(op.properties, "axis", -1) % rank
        axes = tuple(range(axis, rank))
        count = float(math.prod(shape[axis:]))
        eps = _eps(op)

        def mean_of(v: SSAValue) -> SSAValue:
            total = e.reduce(v, axes, ct, 0, add, keepdims=True)
            return e.map(
                [total],
                shape_of(total),
                ct,
                lambda b, a: [div(b, a[0], constant(b, count, ct))],
            )

        mean = mean_of(x)
        centered = e.map([x, mean], shape, ct, lambda b, a: [sub(b, a[0], a[1])])
        squares = e.map([centered], shape, ct, lambda b, a: [mul(b, a[0], a[0])])
        variance = mean_of(squares)

        def normalize(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            root = b.insert(mathd.SqrtOp(add(b, a[1], constant(b, eps, ct)))).result
            return [div(b, a[0], root)]

        out = e.map([centered, variance], shape, ct, normalize)
        if op.scale is not None:
            scale = _promote(e, op.scale)
            out = e.map([out, scale], shape, ct, lambda b, a: [mul(b, a[0], a[1])])
        if op.bias is not None:
            bias = _promote(e, op.bias)
            out = e.map([out, bias], shape, ct, lambda b, a: [add(b, a[0], a[1])])
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


def _max_combine(b: Builder, x: SSAValue, acc: SSAValue) -> SSAValue:
    return maximum(b, x, acc, Elem.FLOAT)


class SoftmaxLowering(RewritePattern):
    """Stable (log-)softmax: max and sum reductions plus elementwise generics."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, graph.SoftmaxFamilyOp):
            return
        shape, element = _result(op)
        e = Emitter()
        x = _promote(e, op.input)
        ct = element_of(x)
        axis = get_int(op.properties, "axis", -1) % len(shape)
        top = e.reduce(x, (axis,), ct, -math.inf, _max_combine, keepdims=True)
        shifted = e.map([x, top], shape, ct, lambda b, a: [sub(b, a[0], a[1])])
        exps = e.map(
            [shifted], shape, ct, lambda b, a: [b.insert(mathd.ExpOp(a[0])).result]
        )
        total = e.reduce(exps, (axis,), ct, 0, add, keepdims=True)
        if op.LOG:

            def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
                return [sub(b, a[0], b.insert(mathd.LogOp(a[1])).result)]

            out = e.map([shifted, total], shape, ct, body)
        else:
            out = e.map([exps, total], shape, ct, lambda b, a: [div(b, a[0], a[1])])
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


# --------------------------------------------------------------------------- #
# Reductions
# --------------------------------------------------------------------------- #


class ReduceLowering(RewritePattern):
    """reduce_sum / reduce_mean / reduce_max -> a reduction generic."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, graph.ReduceOp):
            return
        shape, element = _result(op)
        kind = kind_of(_graph_element(op.input))
        e = Emitter()
        x = _promote(e, op.input)
        ct = element_of(x)
        rank = len(shape_of(x))
        axes = op.reduced_axes(op.properties, rank)
        keepdims = get_bool(op.properties, "keepdims", True)
        if isinstance(op, graph.ReduceMaxOp):
            out = e.reduce(
                x,
                axes,
                ct,
                0 if kind == Elem.UINT else lowest(ct),
                lambda b, v, acc: maximum(b, v, acc, kind),
                keepdims=keepdims,
            )
        else:
            out = e.reduce(x, axes, ct, 0, add, keepdims=keepdims)
        if isinstance(op, graph.ReduceMeanOp):
            count = float(math.prod(shape_of(x)[a] for a in axes))
            out = e.map(
                [out],
                shape,
                ct,
                lambda b, a: [div(b, a[0], constant(b, count, ct))],
            )
        rewriter.replace(op, e.ops, [_demote(e, out, element)])


# --------------------------------------------------------------------------- #
# Data movement
# --------------------------------------------------------------------------- #


class ReshapeLowering(RewritePattern):
    """reshape / flatten / squeeze / unsqueeze -> collapse_shape / expand_shape."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, graph.ReshapeLikeOp):
            return
        shape, _ = _result(op)
        e = Emitter()
        out = e.reshape(op.operands[0], shape)
        rewriter.replace(op, e.ops, [out])


class TransposeLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.TransposeOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = _result(op)
        rank = len(shape)
        perm = get_ints(op.properties, "perm") or tuple(reversed(range(rank)))
        e = Emitter()
        init = e.empty(shape, element)
        transpose = linalg.TransposeOp(
            op.input, init, DenseArrayBase.from_list(i64, list(perm))
        )
        rewriter.replace(op, e.ops, [e.add(transpose).results[0]])


class SliceLowering(RewritePattern):
    """
    `tensor.extract_slice` with the steps' magnitudes; an axis with a negative
    step is then reversed by a copy generic reading it at `n - 1 - d`.

    The slice starts at the lowest index an axis takes, so a negative step's
    range is taken forwards and reversed; the other axes of the generic read
    the slice as it is (so every axis's loop range equals the result's).
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.SliceOp, rewriter: PatternRewriter) -> None:
        shape, element = _result(op)
        in_shape = shape_of(op.input)
        rank = len(in_shape)
        offsets, strides = [0] * rank, [1] * rank
        reversed_axes: list[int] = []
        for axis, start, end, step in _slice_params(op.name, op.properties, rank):
            r = _slice_range(start, end, step, in_shape[axis])
            offsets[axis] = min(r[0], r[-1]) if r else 0
            strides[axis] = abs(step)
            if step < 0 and len(r) > 1:
                reversed_axes.append(axis)
        e = Emitter()
        out = e.add(
            tensor.ExtractSliceOp.from_static_parameters(
                op.input, offsets, list(shape), strides
            )
        ).results[0]
        if reversed_axes:
            exprs: list[int | AffineExpr] = [
                AffineDimExpr(i) * -1 + (shape[i] - 1) if i in reversed_axes else i
                for i in range(rank)
            ]
            out = e.generic(
                [out],
                e.empty(shape, element),
                [dims_map(rank, exprs), identity_map(rank)],
                [PARALLEL] * rank,
                _copy_body,
            )
        rewriter.replace(op, e.ops, [out])


class BroadcastToLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.BroadcastToOp, rewriter: PatternRewriter
    ) -> None:
        shape, element = _result(op)
        e = Emitter()
        out = e.map([op.input], shape, element, _copy_body)
        rewriter.replace(op, e.ops, [out])


class PadLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.PadOp, rewriter: PatternRewriter) -> None:
        pads = get_ints(op.properties, "pads") or ()
        rank = len(pads) // 2
        value = get_scalar(op.properties, "value") or 0
        e = Emitter()
        out = e.pad(op.input, pads[:rank], pads[rank:], value)
        rewriter.replace(op, e.ops, [out])


class ConcatLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ConcatOp, rewriter: PatternRewriter) -> None:
        shape, element = _result(op)
        axis = get_int(op.properties, "axis") % len(shape)
        result_type = TensorType(element, shape)
        if len(op.operands) == 1:
            rewriter.replace(op, [], [op.operands[0]])
            return
        concat = tensor.ConcatOp(list(op.operands), axis, result_type)
        rewriter.replace(op, [concat], [concat.result])


class GatherLowering(RewritePattern):
    """A generic over the result: `linalg.index` + `tensor.extract` of the data."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.GatherOp, rewriter: PatternRewriter) -> None:
        shape, element = _result(op)
        data, indices = op.operands
        data_shape, index_rank = shape_of(data), len(shape_of(indices))
        axis = get_int(op.properties, "axis") % len(data_shape)
        rank = len(shape)
        e = Emitter()

        def body(b: Builder, a: Sequence[SSAValue]) -> list[SSAValue]:
            idx = b.insert(arith.IndexCastOp(a[0], IndexType())).result
            dim = constant(b, data_shape[axis], IndexType())
            zero = constant(b, 0, IndexType())
            negative = b.insert(arith.CmpiOp(idx, zero, "slt")).result
            wrapped = b.insert(arith.AddiOp(idx, dim)).result
            idx = b.insert(arith.SelectOp(negative, wrapped, idx)).result
            coords = [b.insert(linalg.IndexOp(i)).result for i in range(rank)]
            at = [*coords[:axis], idx, *coords[axis + index_rank :]]
            return [b.insert(tensor.ExtractOp(data, at, element)).result]

        out = e.generic(
            [indices],
            e.empty(shape, element),
            [dims_map(rank, list(range(axis, axis + index_rank))), identity_map(rank)],
            [PARALLEL] * rank,
            body,
        )
        rewriter.replace(op, e.ops, [out])


# --------------------------------------------------------------------------- #
# Pattern list and pass
# --------------------------------------------------------------------------- #


def graph_to_linalg_patterns() -> list[RewritePattern]:
    """Every pattern of `convert-graph-to-linalg` (for composite passes)."""
    return [
        *(UnaryLowering(t, body) for t, body in UNARY_BODIES.items()),
        *(BinaryLowering(t, body) for t, body in BINARY_BODIES.items()),
        WhereLowering(),
        CastLowering(),
        LinearLowering(),
        MatmulLowering(),
        Conv2DLowering(),
        MaxPool2DLowering(),
        AvgPool2DLowering(),
        GlobalAvgPool2DLowering(),
        BatchNormLowering(),
        LayerNormLowering(),
        SoftmaxLowering(),
        ReduceLowering(),
        ReshapeLowering(),
        TransposeLowering(),
        SliceLowering(),
        BroadcastToLowering(),
        PadLowering(),
        ConcatLowering(),
        GatherLowering(),
    ]


def _make_signless(value: SSAValue) -> None:
    new = signless_tensor(value.type)
    if new != value.type:
        Rewriter.replace_value_with_new_type(value, new)


def convert_signatures(module: ModuleOp) -> None:
    """
    Give every value left unsigned after the patterns a signless element type
    (`uiN` -> `iN`): block and function arguments, call results, constants.
    """
    for op in module.walk():
        for region in op.regions:
            for block in region.blocks:
                for arg in block.args:
                    _make_signless(arg)
        for result in op.results:
            _make_signless(result)
        if isinstance(op, arith.ConstantOp) and isinstance(
            value := op.value, DenseIntOrFPElementsAttr
        ):  # the same bytes, read as signless
            op.value = DenseIntOrFPElementsAttr(
                cast(Any, signless_tensor(value.type)), value.data
            )
        if isinstance(op, func.FuncOp):
            ft = op.function_type
            op.function_type = FunctionType.from_lists(
                [signless_tensor(t) for t in ft.inputs.data],
                [signless_tensor(t) for t in ft.outputs.data],
            )


def require_static_shapes(module: ModuleOp, pass_name: str) -> None:
    """Fail `pass_name` at the first graph op with a dynamic dimension."""
    for op in module.walk():
        if not isinstance(op, GraphOp):
            continue
        for value in (*op.operands, *op.results):
            type_ = value.type
            if isinstance(type_, TensorType) and type_.has_static_shape():
                continue
            raise located_failure(
                op,
                f"{pass_name} supports static shapes only: '{op.name}' has "
                f"{value.type}",
            )


@dataclass(frozen=True)
class ConvertGraphToLinalgPass(ModulePass):
    """
    Lower every graph op to linalg on tensors (with tensor, arith and math).

    **Input invariant**: graph ops over statically shaped ranked tensors.

    **Output IR**: the tensor level: `linalg.generic` (elementwise, broadcast
    through indexing maps, reductions, batched/1-D matmul, grouped conv,
    pooling sums, gather), `linalg.matmul`, `transpose`,
    `conv_2d_nchw_fchw`, `pooling_nchw_max`, `fill`; `tensor.empty`, `pad`,
    `extract_slice`, `collapse_shape`, `expand_shape`, `concat`, `extract`;
    arith and math scalars. Unsigned `uiN` become signless `iN` (function
    signatures too) with unsigned arith ops.

    **Invariants**: no graph op survives (the pass fails naming the first
    one); function names and results are unchanged. A dynamic dimension fails
    the pass at the first graph op that has one (static shapes only).
    """

    name = "convert-graph-to-linalg"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        require_static_shapes(op, self.name)
        # Consumers first: a lowered producer's result is already signless, so
        # a consumer must read its operands' unsigned types before that.
        PatternRewriteWalker(
            GreedyRewritePatternApplier(graph_to_linalg_patterns()),
            walk_reverse=True,
            apply_recursively=False,
        ).rewrite_module(op)
        require_converted(op, "graph", self.name)
        convert_signatures(op)


__all__ = [
    "ConvertGraphToLinalgPass",
    "graph_to_linalg_patterns",
]
