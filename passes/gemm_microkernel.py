"""
The micro-kernel of the packed GEMM `gemm_codegen.py` emits: one tile's k
loop over a K block.

`k_loop` carries the tile's `rows x len(lanes)` accumulators (`vector<vl x
f32>`) as `scf.for` iter_args; per k it loads the tile's vectors of `Bp`,
broadcasts each row's element of A and adds one `vector.fma` per
accumulator. The loop carries the schedule (`mlc.gemm`). A vector of at
most `mr/2` valid columns (the last of a row of 49 pixels: one) is computed
transposed when A is packed: per column one `vector<mr x f32>` of the
tile's rows, A's `mr` values at k one `vector.load` of its panel and B's
element broadcast, so one FMA per column and k where the vector took `mr`;
the row vectors are put back together after the loop (`vector.extract`,
`vector.insert`). `prefetcher` emits the cache hints of a tile reading a
weight stored packed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from xdsl.dialects import vector
from xdsl.dialects.builtin import f32
from xdsl.ir import SSAValue

from mlc.passes.gemm_problem import SCHEDULE_ATTR, Gemm, Schedule
from mlc.passes.loop_emit import Emit


def _ceil(x: int, y: int) -> int:
    return -(-x // y)


@dataclass
class Tile:
    """One micro-tile variant: its rows and per-vector valid lanes."""

    rows: int
    lanes: list[int]
    """Valid lanes of each vector column (== vl when full)."""


def slots(t: Tile) -> list[tuple[int, int, int]]:
    """(row, vector column, valid lanes) of each accumulator, row-major."""
    return [(i, v, lanes) for i in range(t.rows) for v, lanes in enumerate(t.lanes)]


def k_loop(
    e: Emit,
    s: Schedule,
    t: Tile,
    bufs: dict[str, SSAValue],
    jp: SSAValue,
    kb0: SSAValue,
    read_a: Callable[[Emit, int, SSAValue], SSAValue],
    init: list[SSAValue],
    kc: SSAValue,
    prefetch: Callable[[Emit, SSAValue], None] | None = None,
    rows_a: Callable[[Emit, SSAValue], SSAValue] | None = None,
) -> list[SSAValue]:
    """
    The k loop: per k, nv loads of Bp, mr broadcasts of A, mr*nv FMAs (and
    `prefetch(e, k)`, a cache hint for what a later tile reads). With
    `rows_a` (A's `mr` rows at k as one vector: a packed A), a vector of at
    most `mr/2` valid columns is computed transposed (`_thin`): one
    `vector<mr>` accumulator of the tile's rows per column, one FMA per
    column and k where the vector took `mr`."""
    nv, per = len(t.lanes), s.nr // s.vl  # a wide tile spans nv/per panels
    thin = _thin(s, t) if rows_a is not None else []
    wide = [v for v in range(nv) if v not in thin]
    columns = [(v, c) for v in thin for c in range(t.lanes[v])]
    carried = [init[i * nv + v] for i in range(t.rows) for v in wide]
    first = len(carried)  # the transposed columns' accumulators follow
    carried += [_column(e, s, t, init, nv, v, c) for v, c in columns]

    def step(e: Emit, k: SSAValue, acc: Sequence[SSAValue]) -> list[SSAValue]:
        kb = e.add(kb0, k)
        at = [(e.add(jp, v // per), e.idx(v % per * s.vl)) for v in range(nv)]
        bvec = [e.vload(bufs["bp"], [at[v][0], kb, at[v][1]], s.vl) for v in wide]
        if prefetch is not None:
            prefetch(e, k)
        out = list(acc)
        for i in range(t.rows if wide else 0):
            a = e.splat(read_a(e, i, k), s.vl)
            for w in range(len(wide)):
                at_w = i * len(wide) + w
                out[at_w] = e.op(vector.FMAOp(a, bvec[w], out[at_w]))
        if columns:
            assert rows_a is not None
            a_rows = rows_a(e, k)
            for n, (v, c) in enumerate(columns):
                b = e.load(bufs["bp"], [at[v][0], kb, e.add(at[v][1], c)])
                b_mr = e.splat(b, s.mr)
                out[first + n] = e.op(vector.FMAOp(a_rows, b_mr, out[first + n]))
        return out

    done = e.loop(0, kc, 1, step, carried, attrs={SCHEDULE_ATTR: s.attr()})
    out: list[SSAValue] = []
    for i, v, _ in slots(t):
        if v in wide:
            out.append(done[i * len(wide) + wide.index(v)])
        else:  # the row's vector back from its columns' lane i
            lanes = [done[first + columns.index((v, c))] for c in range(t.lanes[v])]
            out.append(_row(e, init[i * nv + v], lanes, i))
    return out


def _row(e: Emit, row: SSAValue, columns: list[SSAValue], i: int) -> SSAValue:
    """`row` with lane c set to lane i of `columns[c]` (the others: unstored)."""
    for c, column in enumerate(columns):
        lane = e.op(vector.ExtractOp(column, [i], f32))
        row = e.op(vector.InsertOp(lane, row, [c]))
    return row


def _thin(s: Schedule, t: Tile) -> list[int]:
    """
    The tile's vectors computed transposed: at most `mr/2` valid columns
    (ResNet-18's 7x7 images: 49 pixels, three full vectors and one of a
    single column, which as a vector took `mr` FMAs per k for one column),
    in a full-row tile whose `mr` is a power of two within `vl` lanes."""
    if t.rows != s.mr or s.mr & (s.mr - 1) or s.mr > s.vl:
        return []
    return [v for v, lanes in enumerate(t.lanes) if lanes <= s.mr // 2]


def _column(
    e: Emit, s: Schedule, t: Tile, init: list[SSAValue], nv: int, v: int, c: int
) -> SSAValue:
    """Lane c of vector v of every row's accumulator: one `vector<mr>`."""
    lanes = [e.op(vector.ExtractOp(init[i * nv + v], [c], f32)) for i in range(t.rows)]
    column = e.splat(lanes[0], s.mr)
    for i in range(1, t.rows):
        column = e.op(vector.InsertOp(lanes[i], column, [i]))
    return column


PREFETCH_MAX_READS = 8
"""The most times per call a stored weight is read for its tiles to prefetch
it: one read more often (ResNet-18's 56x56 convolutions read their filter
once per each of 98 column tiles) is in cache but for the first, and its
hints cost 3 % of the convolution."""


def prefetcher(
    e: Emit,
    g: Gemm,
    s: Schedule,
    t: Tile,
    bufs: dict[str, SSAValue],
    ip: SSAValue,
    jp: SSAValue,
    ka: SSAValue,
    kb: SSAValue,
) -> Callable[[Emit, SSAValue], None] | None:
    """
    The cache hints of a tile's k loop: a weight stored packed streams from
    memory (a convolution's filter as A, a `linear`'s weight as B), so the
    tile fetches, per k, the lines of the panel(s) the next tile along it
    reads: the next row panel of A, or the column panels after this tile's.
    Nothing for operands packed per call (in cache already), for a tile of
    fewer rows than `mr` (a GEMV's: its few FMAs per weight line leave no
    time to hide a fetch, and the hints cost more than they save), nor for
    a weight read more than `PREFETCH_MAX_READS` times per call (after the
    first read it comes from the cache).
    """
    if t.rows < s.mr:
        return None
    if g.packed_a:
        if _ceil(g.n, s.nr) > PREFETCH_MAX_READS:  # A is read per column tile
            return None
        ref, after, panels, lines = bufs["ap"], ip, 1, [0]
        last, k0 = _ceil(g.m, s.mr) - 1, ka
    elif g.packed_b:
        if _ceil(g.m, s.mc) > PREFETCH_MAX_READS:  # B is read per row block
            return None
        ref, after = bufs["bp"], jp
        panels = _ceil(len(t.lanes) * s.vl, s.nr)  # panels this tile spans
        last, k0 = _ceil(g.n, s.nr) - 1, kb
        lines = list(range(0, s.nr, 64 // 4))  # one hint per 64-byte line
    else:
        return None
    if last == 0:
        return None
    nexts = [e.min(e.add(after, panels + p), last) for p in range(panels)]

    def prefetch(e: Emit, k: SSAValue) -> None:
        row = e.add(k0, k)
        for panel in nexts:
            for j in lines:
                e.prefetch(ref, [panel, row, e.idx(j)])

    return prefetch


__all__ = ["PREFETCH_MAX_READS", "Tile", "k_loop", "prefetcher", "slots"]
