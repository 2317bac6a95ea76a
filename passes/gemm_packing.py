"""
The packing loops of the GEMM `gemm_codegen.py` emits (BLIS's packed
operands, docs/gemm.md).

`pack_b` copies one K block of B's columns into panels `Bp[p][k][j]` (`nr`
columns each, zero-free: only the columns that exist are written): with
vectors where B is contiguous in `n`, with the GEMM's own panel packer where
B has no stride-1 dimension (a convolution's im2col: `im2col_rows`, set by
`gemm_conv.py`), else element by element along B's stride-1 dimension.
`pack_a` copies one K block of every row of A into row panels `Ap[p][k][i]`
(`mr` rows each). Each panel loop writes disjoint parts of its buffer, so it
may carry `mlc.parallel`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product

from xdsl.dialects import arith, vector
from xdsl.dialects.builtin import (
    DenseArrayBase,
    UnitAttr,
    VectorType,
    f32,
    i64,
)
from xdsl.ir import SSAValue

from mlc.passes.gemm_problem import Gemm, PanelPacker, Schedule
from mlc.passes.loop_emit import Emit, Env
from mlc.support.abi import PARALLEL_ATTR


def pack_b(
    e: Emit, g: Gemm, s: Schedule, bp: SSAValue, env: Env, nc: SSAValue, kc: SSAValue
) -> None:
    """Bp[p][k][j] = B[pc + k, jc + p*nr + j] for the columns that exist."""
    jc, pc = env["jc"], env["pc"]
    panels = e.div(e.add(nc, s.nr - 1), s.nr)

    def panel(e: Emit, p: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        j0 = e.add(jc, e.mul(p, s.nr))
        cols = e.min(e.sub(e.idx(g.n), j0), s.nr)
        if g.b.contiguous_in == "n":
            full = e.lt(e.add(j0, s.nr - 1), g.n)

            def vectors(e: Emit) -> None:
                def row(e: Emit, k: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
                    for v in range(s.nr // s.vl):
                        col = e.add(j0, v * s.vl)
                        src = g.b.index(e, {**env, "k": e.add(pc, k), "n": col})
                        value = e.vload(g.b.ref, src, s.vl)
                        e.vstore(value, bp, [p, k, e.idx(v * s.vl)])
                    return []

                e.loop(0, kc, 1, row)

            e.if_(
                full, vectors, lambda e: _pack_b_scalar(e, g, bp, env, p, j0, cols, kc)
            )
        elif g.pack_panel is not None:
            g.pack_panel(e, s, env, bp, p, j0, cols, kc)
        else:
            _pack_b_scalar(e, g, bp, env, p, j0, cols, kc)
        return []

    # Each panel writes its own Bp[p]: the panels are independent. (Scalar
    # packing stays inline: LLVM vectorizes it only where it sees the
    # pointers cannot alias, which an outlined body's captured ones can.)
    vectors = g.b.contiguous_in == "n" or g.pack_panel is not None
    several = vectors and e.known.get(panels, 2) > 1
    e.loop(0, panels, 1, panel, attrs={PARALLEL_ATTR: UnitAttr()} if several else None)


def _pack_b_scalar(
    e: Emit,
    g: Gemm,
    bp: SSAValue,
    env: Env,
    p: SSAValue,
    j0: SSAValue,
    cols: SSAValue,
    kc: SSAValue,
) -> None:
    """
    Element by element, the loop along B's stride-1 dimension innermost
    (k for a transposed B; else j, which is Bp's own: an im2col row's index
    arithmetic in k is then computed once per row and hoisted)."""
    by_k = g.b.contiguous_in == "k"

    def outer(e: Emit, x: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        def inner(e: Emit, y: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            j, k = (x, y) if by_k else (y, x)
            src = g.b.index(e, {**env, "k": e.add(env["pc"], k), "n": e.add(j0, j)})
            e.store(e.load(g.b.ref, src), bp, [p, k, j])
            return []

        e.loop(0, kc if by_k else cols, 1, inner)
        return []

    e.loop(0, cols if by_k else kc, 1, outer)


def pack_a(e: Emit, g: Gemm, s: Schedule, ap: SSAValue, env: Env, kc: SSAValue) -> None:
    """Ap[p][k][i] = A[p*mr + i, pc + k] for every row: each its own lanes."""
    pc = env["pc"]

    def row(e: Emit, m: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        p = e.div(m, s.mr)
        lane = e.sub(m, e.mul(p, s.mr))

        def depth(e: Emit, k: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            src = g.a.index(e, {**env, "m": m, "k": e.add(pc, k)})
            e.store(e.load(g.a.ref, src), ap, [p, k, lane])
            return []

        e.loop(0, kc, 1, depth)
        return []

    several = g.m > s.mc  # (a single block's few rows are not worth a thread)
    e.loop(0, g.m, 1, row, attrs={PARALLEL_ATTR: UnitAttr()} if several else None)


@dataclass(frozen=True)
class Im2col:
    """A convolution's input seen as the im2col B[k = (c, i, j), pixel]."""

    x: SSAValue
    first: Callable[[Emit, Env], SSAValue]
    """The first input channel of the GEMM's group."""
    window: tuple[int, int, int]
    """(kh, kw, ow): the filter's taps, the output row's width."""
    strides: tuple[int, int]
    dilations: tuple[int, int]
    depth: int
    """K = channels * kh * kw."""


def im2col_rows(im: Im2col) -> PanelPacker:
    """
    Packs an im2col panel of a convolution with width stride 1 or 2 by
    vectors: the panel's pixels in one output row `oh` (columns `ow0..`) read,
    for each k = (c, i, j), the input row `oh*sh + i*dh` from column `ow0*sw
    + j*dw` on, every `sw`-th column: per k and row `nr/vl` masked vector
    stores of masked loads (at stride 2, two loads and a shuffle a vector).
    When K blocks hold whole channels (`kc` a multiple of `kh*kw`,
    `Gemm.k_group`, or all of K) the loop runs over channels with the taps
    unrolled, each tap's source a constant offset from its channel's first
    (ResNet-18's 56x56 convolutions: packing went from 12 % of the time to
    8 %); else k is split into (c, i, j) by divisions per k.
    """
    kh, kw, ow = im.window
    taps = kh * kw

    def pack(
        e: Emit,
        s: Schedule,
        env: Env,
        bp: SSAValue,
        p: SSAValue,
        n0: SSAValue,
        cols: SSAValue,
        kc: SSAValue,
    ) -> None:
        end = e.add(n0, cols)
        whole = s.kc % taps == 0 or s.kc >= im.depth

        def segment(e: Emit, oh: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            row_start = e.mul(oh, ow)
            start = e.op(arith.MaxSIOp(n0, row_start))
            length = e.sub(e.min(end, e.add(row_start, ow)), start)
            j0 = e.sub(start, n0)
            at = (oh, e.sub(start, row_start), length)

            def tap(
                e: Emit, k: SSAValue, c: SSAValue, i: SSAValue, j: SSAValue
            ) -> None:
                _pack_tap(e, s, im, env, (bp, p, k, j0), at, (c, i, j))

            if whole:  # channels, their taps unrolled
                c0 = e.div(env["pc"], taps)

                def channel(
                    e: Emit, cc: SSAValue, _: Sequence[SSAValue]
                ) -> list[SSAValue]:
                    c, k0 = e.add(c0, cc), e.mul(cc, taps)
                    for i, j in product(range(kh), range(kw)):
                        tap(e, e.add(k0, i * kw + j), c, e.idx(i), e.idx(j))
                    return []

                e.loop(0, e.div(kc, taps), 1, channel)
                return []

            def by_k(e: Emit, k: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
                kk = e.add(env["pc"], k)
                c = e.div(kk, taps)
                r = e.sub(kk, e.mul(c, taps))
                i = e.div(r, kw)
                tap(e, k, c, i, e.sub(r, e.mul(i, kw)))
                return []

            e.loop(0, kc, 1, by_k)
            return []

        last_row = e.div(e.add(end, -1), ow)
        e.loop(e.div(n0, ow), e.add(last_row, 1), 1, segment)

    return pack


def _pack_tap(
    e: Emit,
    s: Schedule,
    im: Im2col,
    env: Env,
    dst: tuple[SSAValue, SSAValue, SSAValue, SSAValue],
    at: tuple[SSAValue, SSAValue, SSAValue],
    tap: tuple[SSAValue, SSAValue, SSAValue],
) -> None:
    """
    `Bp[p][k][j0..]` (`dst`) = the run of output row `oh` from column `ow0`
    (`length` pixels: `at`) for tap (c, i, j): input row `oh*sh + i*dh` from
    column `ow0*sw + j*dw`, every `sw`-th column; `nr/vl` masked vectors."""
    (bp, p, k, j0), (oh, ow0, length), (c, i, j) = dst, at, tap
    (sh, sw), (dh, dw) = im.strides, im.dilations
    row = e.add(e.mul(oh, sh), e.mul(i, dh))
    col = e.add(e.mul(ow0, sw), e.mul(j, dw))
    channel = e.add(im.first(e, env), c)
    load = _run_loader(s, im.x, [env["b0"], channel, row], sw)
    for v in range(s.nr // s.vl):

        def copy(e: Emit, v: int = v) -> None:
            lanes = e.sub(length, e.idx(v * s.vl))
            mask = e.mask(lanes, s.vl)
            value = load(e, e.add(col, v * s.vl * sw), lanes)
            index = [p, k, e.add(j0, v * s.vl)]
            e.b.insert(vector.MaskedStoreOp(bp, index, mask, value))

        if v == 0:
            copy(e)
        else:  # only when the row has that many pixels
            e.if_(e.lt(e.idx(v * s.vl), length), copy)


def _run_loader(
    s: Schedule, x: SSAValue, prefix: list[SSAValue], sw: int
) -> Callable[[Emit, SSAValue, SSAValue], SSAValue]:
    """
    `load(e, col, lanes)`: `X[prefix.., col + sw*t]` for lanes `t < lanes`
    (the others 0): one masked load at stride 1; at stride 2 the `2*lanes - 1`
    columns from `col` in two masked loads, their even lanes shuffled out.
    """
    even = DenseArrayBase.from_list(i64, [2 * t for t in range(s.vl)])

    def masked(e: Emit, col: SSAValue, count: SSAValue) -> SSAValue:
        return e.vload_first(x, [*prefix, col], count, s.vl)

    def load(e: Emit, col: SSAValue, lanes: SSAValue) -> SSAValue:
        if sw == 1:
            return masked(e, col, lanes)
        span = e.sub(e.add(lanes, lanes), e.idx(1))  # columns col .. col+2(lanes-1)
        low = masked(e, col, span)
        high = masked(e, e.add(col, s.vl), e.sub(span, e.idx(s.vl)))
        vtype = VectorType(f32, [s.vl])
        return e.op(vector.ShuffleOp(low, high, even, result_type=vtype))

    return load


__all__ = ["Im2col", "im2col_rows", "pack_a", "pack_b"]
