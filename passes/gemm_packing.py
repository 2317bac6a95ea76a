"""
The packing loops of the GEMM `gemm_codegen.py` emits (BLIS's packed
operands, docs/gemm.md).

`pack_b` copies one K block of B's columns into panels `Bp[p][k][j]` (`nr`
columns each, zero-free: only the columns that exist are written): with
vectors where B is contiguous in `n`, with the GEMM's own panel packer where
B has no stride-1 dimension (a convolution's im2col, `gemm_conv.py`), else
element by element along B's stride-1 dimension. `pack_a` copies one K block
of every row of A into row panels `Ap[p][k][i]` (`mr` rows each). Each panel
loop writes disjoint parts of its buffer, so it may carry `mlc.parallel`.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import UnitAttr
from xdsl.ir import SSAValue

from mlc.passes.gemm_problem import Gemm, Schedule
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


__all__ = ["pack_a", "pack_b"]
