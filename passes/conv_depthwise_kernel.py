"""
`conv-depthwise-kernel`: f32 depthwise convolutions on memrefs become
register-blocked vector loops along the output width.

A depthwise convolution is the `linalg.generic` `convert-graph-to-linalg`
writes for `graph.conv2d` with `groups` equal to the input channels: seven
loops `(n, f, oh, ow, c, kh, kw)`, a mul-add body, the output read through the
identity, the filter `W[f, c, kh, kw]` with `c` of extent 1, and the padded
image `X[n, f floordiv mult + c, oh*sh + kh*dh, ow*sw + kw*dw]` (`mult` output
channels per input channel; 1 when `groups == C_in == C_out`).

A pooling window (`linalg.pooling_nchw_max`, an average pool's window-sum
generic) is the same loops without a filter: each tap is combined with
`arith.maximumf` or `arith.addf` instead of an FMA (`match_pooling`).

Per channel the filter's taps are broadcast once; the output plane is cut in
tiles of `rows` rows by `vectors` `vector<vl x f32>` columns, whose
accumulators stay in registers while every tap adds `X`'s shifted vectors
(stride 1: one `vector.load`; stride s: s loads whose lanes `vector.shuffle`
gathers). Columns past the row's end use masked loads and stores. The next
elementwise `linalg.generic` over the output (batch norm, clip, a residual)
runs on the finished accumulators before the one store; its ops that read
only per-channel values are computed once per channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product

from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import arith, vector
from xdsl.dialects.builtin import (
    DictionaryAttr,
    FloatAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    UnitAttr,
    f32,
    i64,
)
from xdsl.ir import Block, Operation, SSAValue
from xdsl.ir.affine import AffineMap
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.rewriter import InsertPoint
from xdsl.utils.hints import isa

from mlc.passes.gemm_conv import dims_of, identity_layout, match_grouped_conv
from mlc.passes.gemm_epilogue import (
    c_read_later,
    elementwise_consumer,
    hoist_invariant,
    initial_channels,
    initial_fill,
    may_alias,
    vectorize_body,
)
from mlc.passes.loop_emit import Emit
from mlc.passes.pooling_window import Window, match_pooling
from mlc.passes.window_reads import Padding, gather, match_padding, run
from mlc.support.abi import PARALLEL_ATTR
from mlc.support.target import Target, current_target

SCHEDULE_ATTR = "mlc.dwconv"
"""Dictionary attribute on each channel loop: the tile used."""


# --------------------------------------------------------------------------- #
# Recognizing a depthwise convolution
# --------------------------------------------------------------------------- #


def match_depthwise(op: Operation) -> Window | None:
    """The depthwise convolution `op` is (one input channel per group), or None."""
    conv = match_grouped_conv(op)
    if conv is None or conv.sizes[4] != 1 or conv.packed:
        return None
    n, f, oh, ow, _, kh, kw = conv.sizes
    return Window(
        conv.x,
        conv.w,
        conv.out,
        (n, f, oh, ow, kh, kw),
        conv.per_group,
        conv.strides,
        conv.dilations,
    )


def match_window(op: Operation) -> Window | None:
    """A depthwise convolution or a pooling window (`pooling_window.py`)."""
    return match_depthwise(op) or match_pooling(op)


# --------------------------------------------------------------------------- #
# The epilogue
# --------------------------------------------------------------------------- #


@dataclass
class DwEpilogue:
    """The fused consumer: per body argument how it is read, its output."""

    kinds: list[str]
    """
    Per input: `acc` (the conv's output), `channel` (a scalar per (n, f)) or
    `map` (a tensor read like the output).
    """
    refs: list[SSAValue | None]
    channel_dims: list[list[int]]
    """For `channel` inputs: which of (n, f) index it, in order."""
    body: Block
    out: SSAValue
    store_conv: bool
    """Whether the conv's output is still read later and must be written."""


def match_dw_epilogue(
    op: Operation, out: SSAValue
) -> tuple[Operation, DwEpilogue] | None:
    """The elementwise generic right after `op` over `out`, if it can be fused."""
    consumer = elementwise_consumer(op, 4)
    if consumer is None:
        return None
    maps: list[AffineMap] = [m.data for m in consumer.get_indexing_maps()]
    d = consumer.outputs[0]
    if maps[-1] != AffineMap.identity(4) or d.type != out.type:
        return None
    if identity_layout(d) is None or any(may_alias(d, v) for v in op.operands[:2]):
        return None
    kinds: list[str] = []
    refs: list[SSAValue | None] = []
    channel_dims: list[list[int]] = []
    for value, map_ in zip(consumer.inputs, maps, strict=False):
        dims = dims_of(map_)
        if value == out and map_ == AffineMap.identity(4) and "acc" not in kinds:
            kinds.append("acc")
            refs.append(None)
            channel_dims.append([])
        elif map_ == AffineMap.identity(4) and identity_layout(value) is not None:
            kinds.append("map")
            refs.append(value)
            channel_dims.append([])
        elif dims is not None and all(dim < 2 for dim in dims) and _f32(value, dims):
            kinds.append("channel")
            refs.append(value)
            channel_dims.append(dims)
        else:
            return None
    if "acc" not in kinds:
        return None
    body = consumer.body.block
    return consumer, DwEpilogue(
        kinds, refs, channel_dims, body, d, c_read_later(out, consumer)
    )


def _f32(value: SSAValue, dims: list[int]) -> bool:
    type_ = value.type
    return (
        isa(type_, MemRefType)
        and type_.get_element_type() == f32
        and type_.get_num_dims() == len(dims)
    )


# --------------------------------------------------------------------------- #
# The loops
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class DwSchedule:
    """A tile of `rows` output rows by `vectors` vectors of `vl` lanes."""

    rows: int
    vectors: int
    vl: int

    def attr(self) -> DictionaryAttr:
        return DictionaryAttr(
            {k: IntegerAttr(getattr(self, k), i64) for k in ("rows", "vectors", "vl")}
        )

    def fit(self, oh: int, ow: int) -> DwSchedule:
        """Fewer vectors for narrow rows; the accumulators go to more rows."""
        vectors = min(self.vectors, -(-ow // self.vl))
        rows = min(oh, self.rows * self.vectors // vectors)
        return DwSchedule(rows, vectors, self.vl)


class _Tiles:
    """Emits the loops of one depthwise convolution for one schedule."""

    def __init__(
        self,
        d: Window,
        s: DwSchedule,
        epi: DwEpilogue | None,
        start: SSAValue | None,
        pad: Padding | None = None,
    ) -> None:
        self.d, self.s, self.epi = d, s, epi
        self.start = start
        """The scalar every sum starts from (a fill's) or a vector of one per
        channel (a broadcast's: `initial_channels`), else the output's value."""
        self.pad = pad
        """The padded copy elided: the image is read instead (`window_reads`)."""
        self.x = d.x if pad is None else pad.image

    def emit(self, builder: Builder) -> None:
        e = Emit(builder)
        n, f = self.d.sizes[:2]

        def image(e: Emit, b: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            def channel(e: Emit, c: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
                self._channel(e, b, c)
                return []

            attrs: dict[str, DictionaryAttr | UnitAttr] = {SCHEDULE_ATTR: self.s.attr()}
            if f > 1:
                attrs[PARALLEL_ATTR] = UnitAttr()
            e.loop(0, f, 1, channel, attrs=attrs)
            return []

        e.loop(0, n, 1, image)

    def _channel(self, e: Emit, b: SSAValue, c: SSAValue) -> None:
        """Every tile of output channel `c` of image `b`."""
        kh, kw = self.d.sizes[4:]
        s = self.s
        taps = {
            (i, j): e.splat(e.load(self.d.w, [c, e.idx(0), e.idx(i), e.idx(j)]), s.vl)
            for i in range(kh)
            for j in range(kw)
            if self.d.combine is None  # a pooling window has no weights
        }
        start = self.start
        env = _ChannelEnv(b, c, e.div(c, self.d.mult), taps, {}, {})
        if start is not None:  # a fill's scalar, or the channel's in a vector
            per_channel = isa(start.type, MemRefType)
            env.start = e.splat(e.load(start, [c]) if per_channel else start, s.vl)
        if self.epi is not None:
            self._per_channel(e, env, self.epi)
        if self.pad is not None:
            fill = e.op(arith.ConstantOp(FloatAttr(self.pad.value, f32)))
            env.pad = e.splat(fill, s.vl)
        self._rows(e, env)

    def _rows(self, e: Emit, env: _ChannelEnv) -> None:
        """Row tiles: the run of interior rows in a loop, the others placed."""
        oh, rows = self.d.sizes[2], self.s.rows

        def row(e: Emit, r0: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            self._columns(e, env, r0, rows, None)
            return []

        top, bottom = self._inner(oh, 1, 0)
        full = top + (bottom - top) // rows * rows
        for r0 in range(0, top, rows):
            self._columns(e, env, e.idx(r0), min(rows, top - r0), r0)
        if full > top:
            e.loop(top, full, rows, row)
        if bottom > full:
            self._columns(e, env, e.idx(full), bottom - full, None)
        for r0 in range(bottom, oh, rows):
            self._columns(e, env, e.idx(r0), min(rows, oh - r0), r0)

    def _columns(
        self, e: Emit, env: _ChannelEnv, r0: SSAValue, rows: int, row0: int | None
    ) -> None:
        """One row tile's column tiles: interior ones in a loop, the others placed."""
        s = self.s
        width = s.vectors * s.vl
        first, stop = self._inner(self.d.sizes[3], width, 1)

        def column(e: Emit, c0: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            self._tile(e, env, r0, c0, rows, [s.vl] * s.vectors, stop, row0)
            return []

        for c0 in range(0, first, width):
            self._placed(e, env, r0, c0, rows, row0)
        if stop > first:
            e.loop(first, stop, width, column)
        for c0 in range(stop, self.d.sizes[3], width):
            self._placed(e, env, r0, c0, rows, row0)

    def _inner(self, extent: int, step: int, axis: int) -> tuple[int, int]:
        """
        The run `[first, stop)` of whole tiles of `step` output rows (`axis`
        0) or columns (1) from 0 whose taps all read the image: without
        padding all of them but a last partial tile."""
        if self.pad is None:
            return 0, extent - extent % step
        taps = self.d.sizes[4 + axis]
        stride, dilation = self.d.strides[axis], self.d.dilations[axis]
        low = (self.pad.top, self.pad.left)[axis]
        image = (self.pad.height, self.pad.width)[axis]
        lo = -(-low // stride)  # the first output index whose first tap is in
        hi = (image - 1 + low - (taps - 1) * dilation) // stride + 1
        first = min(-(-lo // step) * step, extent)
        return first, max(first, min(hi, extent) // step * step)

    def _placed(
        self,
        e: Emit,
        env: _ChannelEnv,
        r0: SSAValue,
        c0: int,
        rows: int,
        row0: int | None,
    ) -> None:
        """The column tile at `c0`, placed at compile time (an edge or border)."""
        ow, vl = self.d.sizes[3], self.s.vl
        cols = min(self.s.vectors * vl, ow - c0)
        lanes = [min(vl, cols - v) for v in range(0, cols, vl)]
        border = c0 if self.pad is not None else None
        self._tile(e, env, r0, e.idx(c0), rows, lanes, c0 + cols, row0, border)

    def _per_channel(self, e: Emit, env: _ChannelEnv, epi: DwEpilogue) -> None:
        """The epilogue's per-channel inputs, and what it computes from them."""
        for index, (kind, ref) in enumerate(zip(epi.kinds, epi.refs, strict=True)):
            if kind == "channel" and ref is not None:
                where = [(env.b, env.c)[dim] for dim in epi.channel_dims[index]]
                env.per_channel[index] = e.splat(e.load(ref, where), self.s.vl)
        env.hoisted.update(hoist_invariant(e.b, epi.body, env.per_channel, self.s.vl))

    def _vload(
        self, e: Emit, ref: SSAValue, index: list[SSAValue], lanes: int
    ) -> SSAValue:
        return e.vload_first(ref, index, lanes, self.s.vl)

    def _vstore(
        self, e: Emit, value: SSAValue, ref: SSAValue, index: list[SSAValue], lanes: int
    ) -> None:
        if lanes >= self.s.vl:
            e.vstore(value, ref, index)
        else:
            mask = e.mask(lanes, self.s.vl)
            e.b.insert(vector.MaskedStoreOp(ref, index, mask, value))

    def _tile(
        self,
        e: Emit,
        env: _ChannelEnv,
        r0: SSAValue,
        c0: SSAValue,
        rows: int,
        lanes: list[int],
        last_col: int,
        row0: int | None = None,
        col0: int | None = None,
    ) -> None:
        """
        Output rows r0.., columns c0.. (`lanes` per vector) of one channel.
        With the padding elided, `row0` is `r0` when the tile has rows whose
        taps fall in the padding (left out), `col0` is `c0` when it has such
        columns (read by `gather`)."""
        d, vl = self.d, self.s.vl
        _, _, _, _, kh, kw = d.sizes
        (sh, sw), (dh, dw) = d.strides, d.dilations
        width = self.x.type.get_shape()[3] if isa(self.x.type, MemRefType) else 0
        pad = self.pad
        top, left = (0, 0) if pad is None else (pad.top, pad.left)
        rows_at = [e.add(r0, r) for r in range(rows)]
        cols_at = [e.add(c0, v * vl) for v in range(len(lanes))]

        def out_index(r: int, v: int) -> list[SSAValue]:
            return [env.b, env.c, rows_at[r], cols_at[v]]

        slots = [(r, v) for r in range(rows) for v in range(len(lanes))]
        if self.start is None:
            acc = {
                rv: self._vload(e, d.out, out_index(*rv), lanes[rv[1]]) for rv in slots
            }
        else:
            assert env.start is not None
            acc = dict.fromkeys(slots, env.start)
        # The largest first column of this tile (the loop's last iteration).
        max_c0 = last_col - sum(lanes)
        for i, j in product(range(kh), range(kw)):
            for r, v in slots:
                if pad is not None and row0 is not None:
                    if not 0 <= (row0 + r) * sh + i * dh - top < pad.height:
                        continue  # the row is padding: the tap adds nothing
                row = e.add(e.mul(rows_at[r], sh), i * dh - top)
                if pad is not None and col0 is not None:
                    assert env.pad is not None
                    first = (col0 + v * vl) * sw + j * dw - left
                    cols = [first + t * sw for t in range(lanes[v])]
                    at = [env.b, env.ch, row]
                    xv = gather(e, self.x, at, cols, width, env.pad, vl)
                    if xv is None:
                        continue
                else:
                    col = e.add(e.mul(cols_at[v], sw), j * dw - left)
                    room = width - ((max_c0 + v * vl) * sw + j * dw - left)
                    at = [env.b, env.ch, row]
                    xv = run(e, self.x, at, col, lanes[v], room, vl, sw)
                if d.combine is None:
                    acc[r, v] = e.op(vector.FMAOp(xv, env.taps[i, j], acc[r, v]))
                else:
                    acc[r, v] = e.op(d.combine(acc[r, v], xv))
        self._finish(e, env, acc, out_index, lanes)

    def _finish(
        self,
        e: Emit,
        env: _ChannelEnv,
        acc: dict[tuple[int, int], SSAValue],
        out_index: Callable[[int, int], list[SSAValue]],
        lanes: list[int],
    ) -> None:
        """Store the accumulators, or the epilogue applied to them."""
        epi = self.epi
        if epi is None or epi.store_conv:
            for (r, v), value in acc.items():
                self._vstore(e, value, self.d.out, out_index(r, v), lanes[v])
        if epi is None:
            return
        for (r, v), value in acc.items():
            args: list[SSAValue] = []
            for index, (kind, ref) in enumerate(zip(epi.kinds, epi.refs, strict=True)):
                if kind == "map" and ref is not None:
                    args.append(self._vload(e, ref, out_index(r, v), lanes[v]))
                else:
                    args.append(env.per_channel.get(index, value))
            args.append(value)  # the output's argument, unused
            result = vectorize_body(e.b, epi.body, args, self.s.vl, env.hoisted)
            self._vstore(e, result, epi.out, out_index(r, v), lanes[v])


@dataclass
class _ChannelEnv:
    b: SSAValue
    c: SSAValue
    ch: SSAValue
    """The input channel of output channel `c`."""
    taps: dict[tuple[int, int], SSAValue]
    per_channel: dict[int, SSAValue]
    """The epilogue's per-channel inputs, by argument index, broadcast."""
    hoisted: dict[SSAValue, SSAValue]
    start: SSAValue | None = None
    """The fill value every sum starts from, broadcast."""
    pad: SSAValue | None = None
    """The padding value, broadcast (when the padded copy is elided)."""


# --------------------------------------------------------------------------- #
# The pass
# --------------------------------------------------------------------------- #

DEFAULT_TILES: dict[int, tuple[int, int]] = {512: (4, 2), 256: (3, 2), 128: (2, 2)}
"""Vector bits -> (rows, vectors): accumulators that leave room for the taps."""


def default_schedule(target: Target) -> DwSchedule:
    rows, vectors = DEFAULT_TILES.get(target.vector_bits, (2, 2))
    return DwSchedule(rows, vectors, target.lanes(32))


class ScheduleDepthwise(RewritePattern):
    """A depthwise convolution (and its epilogue) → register-blocked vector loops."""

    def __init__(self, schedule: DwSchedule, fuse: bool) -> None:
        self.schedule = schedule
        self.fuse = fuse

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        d = match_window(op)
        if d is None:
            return
        fused = match_dw_epilogue(op, d.out) if self.fuse else None
        consumer, epi = fused if fused is not None else (None, None)
        # Every element of the output is written by a tile (or, fused and
        # never read again, by none): a fill before is only the sum's start.
        fill = initial_fill(op, d.out) or initial_channels(op, d.out)
        pad = _padding(op, d, epi)
        block = Block()
        schedule = self.schedule.fit(*d.sizes[2:4])
        start = None if fill is None else fill.inputs[0]
        tiles = _Tiles(d, schedule, epi, start, pad)
        tiles.emit(Builder(InsertPoint.at_end(block)))
        for emitted in list(block.ops):
            rewriter.insert(block.detach_op(emitted), InsertPoint.before(op))
        if consumer is not None:
            rewriter.erase(consumer)
        if fill is not None:
            rewriter.erase(fill)
        rewriter.erase(op)
        for padding_op in pad.ops if pad is not None else ():
            rewriter.erase(padding_op)


def _padding(op: Operation, d: Window, epi: DwEpilogue | None) -> Padding | None:
    """The padded copy `op` reads, when it can be elided (`window_reads`)."""
    if d.strides[1] > 2:  # (`gather` reads a run of step 1 or 2)
        return None
    identity = float("-inf") if d.combine is arith.MaximumfOp else 0.0
    writes = [d.out] + ([] if epi is None else [epi.out])
    return match_padding(op, d.x, identity, writes)


@dataclass(frozen=True)
class ConvDepthwiseKernelPass(ModulePass):
    """
    Schedule every f32 depthwise convolution on memrefs as register-blocked
    vector loops along the output width, its elementwise consumer fused.

    **Input invariant**: bufferized IR (memrefs, destination-passing style),
    static shapes; a depthwise convolution is the `linalg.generic` of
    `convert-graph-to-linalg` for `graph.conv2d` with `groups` equal to the
    input channels (seven loops, mul-add body, filter `[F, 1, KH, KW]`,
    image read at `(n, f floordiv mult, oh*sh + kh*dh, ow*sw + kw*dw)`, the
    padding already a padded copy) on f32 memrefs with the identity layout;
    so is a pooling window: `linalg.pooling_nchw_max` or the window-sum
    generic of an average pool (six loops, `out + x` over `X[n, c, oh*sh +
    kh, ow*sw + kw]`). Other generics are left as they are.

    **Output IR**: per convolution, `scf.for` loops over images and output
    channels (the latter `mlc.parallel`, carrying the tile as `mlc.dwconv =
    {rows, vectors, vl}`), over row tiles and column tiles; per tile
    `rows * vectors` `vector<vl x f32>` accumulators loaded from the output
    (or, for a `linalg.fill` of it just before, its scalar broadcast, for a
    per-channel broadcast just before, the channel's value; the fill or the
    broadcast erased), one `vector.fma` per tap and accumulator with the tap's
    weight broadcast once per channel (for a pooling window one
    `arith.maximumf` or `arith.addf`), the input read by `vector.load`
    (stride 1) or loads and `vector.shuffle` (stride > 1),
    `vector.maskedload` / `vector.maskedstore` past the row's end; the fused
    consumer's body cloned on vectors (its per-channel part once per channel)
    before `vector.store`. A padded copy filled with the combine's identity
    (0, -inf) is erased with its fill, and the image read instead: the rows
    and column tiles on its border placed at compile time, taps in the
    padding left out (`window_reads.py`).

    **Invariants**: each output element is its initial value plus the taps'
    products in the loop nest's order (kh, then kw), each product fused into
    one FMA (with the padded copy elided: the taps in the image only); no
    element outside the output (or the consumer's output) is written, none
    outside the image read; channel iterations are independent.

    Options left at 0 take the target's default (`support/target.py`,
    `MLC_TARGET`): `vl` its f32 lanes; a tile of 4 rows x 2 vectors with
    AVX-512, 3 x 2 with AVX2, 2 x 2 with SSE; rows whose vectors are fewer
    than `tile-w` give the spare accumulators to more rows.
    """

    name = "conv-depthwise-kernel"

    tile_h: int = 0
    """Output rows per tile."""
    tile_w: int = 0
    """Vectors per output row of a tile."""
    vl: int = 0
    """Vector lanes."""
    fuse_epilogue: bool = True
    """Apply the next elementwise consumer to the accumulators."""

    def schedule(self) -> DwSchedule:
        base = default_schedule(current_target())
        rows, vectors = self.tile_h or base.rows, self.tile_w or base.vectors
        vl = self.vl or base.vl
        if min(rows, vectors, vl) <= 0:
            raise ValueError(f"{self.name}: tile-h, tile-w and vl must be positive")
        return DwSchedule(rows, vectors, vl)

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        pattern = ScheduleDepthwise(self.schedule(), self.fuse_epilogue)
        PatternRewriteWalker(pattern, apply_recursively=False).rewrite_module(op)


__all__ = [
    "ConvDepthwiseKernelPass",
    "ScheduleDepthwise",
    "match_depthwise",
    "match_window",
]
