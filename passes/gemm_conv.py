"""
`linalg.conv_2d_nchw_fchw` as a GEMM per image, packed through im2col; a
grouped convolution as a GEMM per image and group.

For image `b`, `out[b, f, oh, ow] += Σ_{c,kh,kw} W[f, c, kh, kw] * X[b, c,
oh*sh + kh*dh, ow*sw + kw*dw]` is `C[m, n] += Σ_k A[m, k] * B[k, n]` with `m =
f`, `k = (c, kh, kw)` flattened, `n = (oh, ow)` flattened: A is the filter,
C the output seen as `[N, F, OH*OW]` (a `memref.collapse_shape` view), and B
the im2col matrix, which is never materialized: packing B reads the image
through the index arithmetic above directly into the packed panels. A 1x1
convolution with unit strides is a plain GEMM over the image seen as `[N, C,
H*W]`, whose rows are packed with vector copies.

A grouped convolution (the seven-loop `linalg.generic` `convert-graph-to-linalg`
writes for `graph.conv2d` with `groups > 1`) with `cg > 1` input channels per
group is one such GEMM per image and group `g`: batch dimensions `b0, g`, row
`m` is output channel `g*og + m`, and B reads input channels from `g*cg`.
Depthwise convolutions (`cg == 1`) are `conv-depthwise-kernel`'s.

The next elementwise `linalg.generic` over the output (activation, residual)
is the epilogue, read through the same collapsed views; operands it reads per
output channel (`(d0, d1)` maps) are broadcast per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import product

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import (
    ArrayAttr,
    IntegerAttr,
    MemRefType,
    NoneAttr,
    f32,
    i64,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Block, Operation, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.utils.hints import isa

from mlc.passes.gemm_epilogue import (
    c_read_later,
    elementwise_consumer,
    initial_channels,
    may_alias,
)
from mlc.passes.gemm_packing import Im2col, im2col_rows
from mlc.passes.gemm_problem import Epilogue, Gemm, Operand, PanelPacker
from mlc.passes.loop_emit import Emit, Env


def identity_layout(value: SSAValue) -> MemRefType | None:
    """The type of `value` if it is a static, contiguous f32 memref."""
    type_ = value.type
    if not isa(type_, MemRefType) or type_.get_element_type() != f32:
        return None
    if not isinstance(type_.layout, NoneAttr) or any(d < 0 for d in type_.get_shape()):
        return None
    return type_


def dims_of(map_: AffineMap) -> list[int] | None:
    """The dimension of each result of a projected permutation, else None."""
    dims: list[int] = []
    for expr in map_.results:
        if not isinstance(expr, AffineDimExpr):
            return None
        dims.append(expr.position)
    return dims


def _is_mul_add(body: Block) -> bool:
    """`^bb(x, w, acc): yield acc + x * w` (either operand order)."""
    ops = list(body.ops)
    if len(ops) != 3 or not isinstance(ops[2], linalg.YieldOp):
        return False
    mul, add = ops[0], ops[1]
    if not isinstance(mul, arith.MulfOp) or not isinstance(add, arith.AddfOp):
        return False
    x, w, acc = body.args
    return (
        {mul.lhs, mul.rhs} == {x, w}
        and {add.lhs, add.rhs} == {acc, mul.result}
        and ops[2].operands[0] == add.result
    )


@dataclass(frozen=True)
class GroupedConv:
    """
    The `linalg.generic` `convert-graph-to-linalg` writes for a grouped
    `graph.conv2d`: `out[n, f, oh, ow] += X[n, f floordiv og * cg + c, oh*sh +
    kh*dh, ow*sw + kw*dw] * W[f, c, kh, kw]` (`og` output channels and `cg`
    input channels per group).
    """

    x: SSAValue
    w: SSAValue
    out: SSAValue
    sizes: tuple[int, int, int, int, int, int, int]
    """The loop ranges (N, F, OH, OW, CG, KH, KW)."""
    per_group: int
    """Output channels per group (`og`)."""
    strides: tuple[int, int]
    dilations: tuple[int, int]
    packed: int = 0
    """Rows of a panel when `w` is the filter `pack-weights` stored packed."""


def filter_map(mr: int) -> AffineMap:
    """
    How a convolution (loops n, f, oh, ow, c, kh, kw) reads its filter
    packed as the GEMM's A, `Wp[ceil(F/mr)][C][KH][KW][mr]` with `Wp[p][c][i][j]
    [r] = W[p*mr + r, c, i, j]`: `(f floordiv mr, c, kh, kw, f mod mr)`. Seen
    as `[ceil(F/mr)][C*KH*KW][mr]` it is the kernel's `Ap`.
    """
    f, c, i, j = (AffineDimExpr(d) for d in (1, 4, 5, 6))
    return AffineMap(7, 0, (f // mr, c, i, j, f % mr))


def _packed_rows(w_map: AffineMap, shape: Sequence[int], sizes: Sequence[int]) -> int:
    """The panel rows of a filter read through `filter_map`, else 0."""
    _, f, _, _, cg, kh, kw = sizes
    if len(shape) != 5 or tuple(shape[1:4]) != (cg, kh, kw):
        return 0
    mr = shape[4]
    return mr if shape[0] == -(-f // mr) and w_map == filter_map(mr) else 0


def _window(
    x_map: AffineMap, og: int, cg: int, bounds: Sequence[int]
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(strides, dilations) if `x_map` reads the grouped window (probed)."""
    if x_map.num_dims != 7 or len(x_map.results) != 4:
        return None
    zero = x_map.eval([0] * 7, [])

    def step(dim: int, result: int) -> int:
        point = [0] * 7
        point[dim] = 1
        return x_map.eval(point, [])[result] - zero[result]

    sh, dh, sw, dw = step(2, 2), step(5, 2), step(3, 3), step(6, 3)
    if min(sh, dh, sw, dw) < 1:
        return None
    probes = [range(min(b, 3)) for b in bounds]
    probes[1] = range(min(bounds[1], 2 * og + 2))
    for n, f, oh, ow, c, kh, kw in product(*probes):
        want = (n, f // og * cg + c, oh * sh + kh * dh, ow * sw + kw * dw)
        if x_map.eval([n, f, oh, ow, c, kh, kw], []) != want:
            return None
    return (sh, sw), (dh, dw)


def match_grouped_conv(op: Operation) -> GroupedConv | None:
    """The grouped convolution `op` is (f32, contiguous memrefs), or None."""
    if not isinstance(op, linalg.GenericOp) or op.results or op.get_num_loops() != 7:
        return None
    iterators = [str(it.data) for it in op.get_iterator_types()]
    if (
        len(op.inputs) != 2
        or len(op.outputs) != 1
        or iterators != ["parallel"] * 4 + ["reduction"] * 3
    ):
        return None
    xt, wt, ot = (identity_layout(v) for v in op.operands)
    if xt is None or wt is None or ot is None or not _is_mul_add(op.body.block):
        return None
    x_map, w_map, o_map = (m.data for m in op.get_indexing_maps())
    bounds = op.get_static_loop_ranges()
    n, f, oh, ow, cg, kh, kw = bounds
    packed = _packed_rows(w_map, wt.get_shape(), bounds)
    unpacked = dims_of(w_map) == [1, 4, 5, 6] and wt.get_shape() == (f, cg, kh, kw)
    if not (packed or unpacked) or dims_of(o_map) != [0, 1, 2, 3]:
        return None
    images, channels, height, width = xt.get_shape()
    if images != n or channels % cg or (packed and channels != cg):
        return None
    if f % (channels // cg):
        return None
    og = f // (channels // cg)
    window = _window(x_map, og, cg, bounds)
    if window is None:
        return None
    (sh, sw), (dh, dw) = window
    last_row = (oh - 1) * sh + (kh - 1) * dh
    if last_row >= height or (ow - 1) * sw + (kw - 1) * dw >= width:
        return None
    x, w, out = op.operands
    sizes = (n, f, oh, ow, cg, kh, kw)
    return GroupedConv(x, w, out, sizes, og, (sh, sw), (dh, dw), packed)


def _collapse(b: Builder, value: SSAValue, groups: Sequence[Sequence[int]]) -> SSAValue:
    """A `memref.collapse_shape` view of a contiguous memref."""
    type_ = value.type
    assert isa(type_, MemRefType)
    shape = type_.get_shape()
    new_shape = [_product(shape[i] for i in group) for group in groups]
    view = memref.CollapseShapeOp.create(
        operands=[value],
        result_types=[MemRefType(f32, new_shape)],
        properties={
            "reassociation": ArrayAttr(
                ArrayAttr(IntegerAttr(i, i64) for i in group) for group in groups
            )
        },
    )
    b.insert(view)
    return view.results[0]


def _product(values: Iterable[int]) -> int:
    result = 1
    for v in values:
        result *= v
    return result


Channel = Callable[[Emit, Env], SSAValue]
"""The output channel of GEMM row `m` (of group `g` when grouped)."""


def _channel(groups: int, og: int) -> Channel:
    if groups == 1:
        return lambda e, env: env["m"]
    return lambda e, env: e.add(e.mul(env["g"], og), env["m"])


def _rows(ref: SSAValue, channel: Channel) -> Operand:
    """`ref[b0, f, n]` of a collapsed `[N, F, OH*OW]` view, contiguous in n."""
    return Operand(ref, lambda e, env: [env["b0"], channel(e, env), env["n"]], "n")


@dataclass(frozen=True)
class _Conv:
    """What the GEMM needs of a convolution, grouped or not."""

    x: SSAValue
    w: SSAValue
    out: SSAValue
    images: int
    groups: int
    sizes: tuple[int, int, int, int, int, int]
    """(og, cg, KH, KW, OH, OW): per group output and input channels."""
    strides: tuple[int, int]
    dilations: tuple[int, int]
    packed: int = 0
    """Rows of the packed filter's panels (`pack-weights`), else 0."""


def _conv_of(op: Operation) -> _Conv | None:
    """A `linalg.conv_2d_nchw_fchw`, or a grouped conv with cg > 1, else None."""
    if not isinstance(op, linalg.Conv2DNchwFchwOp):
        conv = match_grouped_conv(op)
        if conv is None or (conv.sizes[4] == 1 and not conv.packed):
            return None  # depthwise: conv-depthwise-kernel's
        n, f, oh, ow, cg, kh, kw = conv.sizes
        og = conv.per_group
        sizes = (og, cg, kh, kw, oh, ow)
        return _Conv(
            conv.x,
            conv.w,
            conv.out,
            n,
            f // og,
            sizes,
            conv.strides,
            conv.dilations,
            conv.packed,
        )
    if op.results:
        return None
    x, w = op.inputs
    (out,) = op.outputs
    xt, wt, ot = (identity_layout(v) for v in (x, w, out))
    if xt is None or wt is None or ot is None:
        return None
    filters, channels, kh, kw = wt.get_shape()
    oh, ow = ot.get_shape()[2:]
    sh, sw = op.strides.get_values()
    dh, dw = op.dilations.get_values()
    sizes = (filters, channels, kh, kw, oh, ow)
    return _Conv(x, w, out, xt.get_shape()[0], 1, sizes, (sh, sw), (dh, dw))


def is_gemm_conv(op: Operation) -> bool:
    """Whether `op` is a convolution this pass makes one GEMM per image."""
    conv = _conv_of(op)
    return conv is not None and conv.groups == 1 and not conv.packed


def match_conv(
    op: Operation, b: Builder, fuse: bool
) -> tuple[Gemm, Operation | None] | None:
    """
    The GEMM of a conv (views inserted at `b`) and the consumer it fuses, or
    None when `op` is not an f32 NCHW/FCHW conv on contiguous memrefs, or
    not grouped with more than one input channel per group. A grouped conv
    is one GEMM per image and group (batch dimensions `b0`, `g`).
    """
    conv = _conv_of(op)
    if conv is None:
        return None
    x, w, out, groups = conv.x, conv.w, conv.out, conv.groups
    og, cg, kh, kw, oh, ow = conv.sizes
    (sh, sw), (dh, dw) = conv.strides, conv.dilations
    channel = _channel(groups, og)
    c3 = _collapse(b, out, [[0], [1], [2, 3]])
    if conv.packed:  # Wp[f floordiv mr][k][f mod mr], read by the kernel as it is
        mr = conv.packed

        def panel(e: Emit, env: Env) -> list[SSAValue]:
            p = e.div(env["m"], mr)
            return [p, env["k"], e.sub(env["m"], e.mul(p, mr))]

        a = Operand(_collapse(b, w, [[0], [1, 2, 3], [4]]), panel)
    else:
        w2 = _collapse(b, w, [[0], [1, 2, 3]])
        a = Operand(w2, lambda e, env: [channel(e, env), env["k"]], "k")

    def first(e: Emit, env: Env) -> SSAValue:
        """The group's first input channel."""
        return e.idx(0) if groups == 1 else e.mul(env["g"], cg)

    pack_panel: PanelPacker | None = None
    if (kh, kw, sh, sw) == (1, 1, 1, 1):
        x3 = _collapse(b, x, [[0], [1], [2, 3]])
        b_op = Operand(
            x3,
            lambda e, env: [env["b0"], e.add(first(e, env), env["k"]), env["n"]],
            "n",
        )
    else:

        def im2col(e: Emit, env: Env) -> list[SSAValue]:
            k, p = env["k"], env["n"]
            c = e.div(k, kh * kw)
            r = e.sub(k, e.mul(c, kh * kw))
            i = e.div(r, kw)
            j = e.sub(r, e.mul(i, kw))
            y = e.div(p, ow)
            xx = e.sub(p, e.mul(y, ow))
            row = e.add(e.mul(y, sh), e.mul(i, dh))
            col = e.add(e.mul(xx, sw), e.mul(j, dw))
            return [env["b0"], e.add(first(e, env), c), row, col]

        b_op = Operand(x, im2col, None)
        if sw in (1, 2):
            im = Im2col(x, first, (kh, kw, ow), (sh, sw), (dh, dw), cg * kh * kw)
            pack_panel = im2col_rows(im)
    batch = [("b0", conv.images)] + ([("g", groups)] if groups > 1 else [])
    gemm = Gemm(
        m=og,
        n=oh * ow,
        k=cg * kh * kw,
        batch=batch,
        a=a,
        b=b_op,
        c=_rows(c3, channel),
        packed_a=conv.packed > 0,
        pack_panel=pack_panel,
        k_group=kh * kw if pack_panel is not None else 1,
    )
    # ONNX's bias, broadcast over the output just before: each row's start.
    starts = initial_channels(op, out)
    if starts is not None and not any(
        may_alias(out, v) for v in (x, w, starts.inputs[0])
    ):
        gemm.c_rows = Operand(starts.inputs[0], lambda e, env: [channel(e, env)])
    return gemm, _epilogue(op, b, gemm, out, channel) if fuse else None


def _epilogue(
    op: Operation, b: Builder, gemm: Gemm, out: SSAValue, channel: Channel
) -> Operation | None:
    """Fuse the next elementwise generic over `out` (4-D), through 3-D views."""
    consumer = elementwise_consumer(op, 4)
    if consumer is None:
        return None
    maps: list[AffineMap] = [m.data for m in consumer.get_indexing_maps()]
    d = consumer.outputs[0]
    if maps[-1] != AffineMap.identity(4) or d.type != out.type:
        return None
    # The fused store writes `d` while the image and the filter are still
    # read: in a `buffer-reuse` arena they may share memory.
    if any(may_alias(d, v) for v in op.operands[:2]):
        return None
    if identity_layout(d) is None:
        return None
    inputs: list[Operand | None] = []
    broadcast: list[bool] = []
    for value, map_ in zip(consumer.inputs, maps, strict=False):
        operand = _epilogue_input(b, value, map_, out, None in inputs, channel)
        if isinstance(operand, bool):
            return None
        inputs.append(operand)
        broadcast.append(operand is not None and operand.contiguous_in is None)
    if None not in inputs:
        return None
    gemm.epilogue = Epilogue(
        inputs=inputs,
        broadcast=broadcast,
        body=consumer.body.block,
        out=_rows(_collapse(b, d, [[0], [1], [2, 3]]), channel),
        store_c=c_read_later(out, consumer),
    )
    return consumer


def _epilogue_input(
    b: Builder,
    value: SSAValue,
    map_: AffineMap,
    out: SSAValue,
    read_c: bool,
    channel: Channel,
) -> Operand | bool | None:
    """One consumer input: None for the conv's output, False when unfusable."""
    identity = AffineMap.identity(4)
    if value == out and map_ == identity and not read_c:
        return None
    if map_ == identity and identity_layout(value) is not None:
        return _rows(_collapse(b, value, [[0], [1], [2, 3]]), channel)
    dims = _per_channel(map_)
    if dims is not None and _static(value):
        return Operand(
            value,
            lambda e, env: [env["b0"] if d == 0 else channel(e, env) for d in dims],
        )
    return False


def _per_channel(map_: AffineMap) -> list[int] | None:
    """The dims of a map reading only d0 (image) and d1 (channel), else None."""
    dims: list[int] = []
    for expr in map_.results:
        if not isinstance(expr, AffineDimExpr) or expr.position > 1:
            return None
        dims.append(expr.position)
    return dims


def _static(value: SSAValue) -> bool:
    type_ = value.type
    return isa(type_, MemRefType) and type_.get_element_type() == f32


__all__ = [
    "GroupedConv",
    "dims_of",
    "filter_map",
    "identity_layout",
    "is_gemm_conv",
    "match_conv",
    "match_grouped_conv",
]
