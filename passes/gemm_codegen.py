"""
The loop-level code of one packed, register-blocked GEMM (BLIS's schedule).

`emit_gemm` writes, at a builder's insertion point, `C[m, n] (+)= Σ_k A[m, k]
* B[k, n]` for one problem described by `Gemm` (its sizes, how each operand is
read, an optional epilogue) and one `Schedule` (the micro-tile, the cache
blocks, the vector width):

```
scf.for %jc = 0 to N step nc                       // B block: L3
  scf.for %pc = 0 to K step kc                     // K block: the packed depth
    pack B[pc:pc+kc, jc:jc+nc] -> Bp[ceil(nc/nr)][kc][nr]   {mlc.parallel} panels
    pack A[0:M, pc:pc+kc] -> Ap[ceil(M/mr)][kc][mr]         {mlc.parallel} rows
    scf.for %ic = 0 to M step mc                   // A block: L2
      scf.for %jr = 0 to nc step nr                // column tile: its Bp panel in L1
        scf.for %ir = 0 to mc step mr              // row tile
          micro-kernel: mr x nr/vl accumulators as `scf.for` iter_args,
          vector.load of Bp, vector.broadcast of Ap, vector.fma
          (+ memref.prefetch of the next tile's line of a stored weight)
```

The packing loops are `gemm_packing.py`'s, a tile's k loop
`gemm_microkernel.py`'s. A convolution's im2col panel is
packed by its own column tile, right before the row tiles, when the filters
are one A block and the column tiles are the threads' (`_fused_pack`).

The threads share the loop with more iterations: `jr` (the usual case: a
convolution's many pixels, a batch of 64 rows) or `ic` (many A blocks, few
column tiles); it carries `mlc.parallel`. A weight `pack-weights` stored
packed (B, or a convolution's filter as A) is read in place.

Edges need no scalar arithmetic: packing is zero-padded in the row
direction (an `mr`-row panel reads only the rows that exist), the last
column tile uses ceil(cols/vl) vectors, and a partial vector is loaded and stored
through a per-row staging row (`Stage[M][vl]`, a scalar copy of the valid
lanes) instead of a masked access. Every packed buffer is indexed by its
global panel, so the `mlc.parallel` loop writes disjoint parts of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import prod

from xdsl.builder import Builder
from xdsl.dialects import memref
from xdsl.dialects.builtin import MemRefType, StridedLayoutAttr, UnitAttr
from xdsl.ir import Attribute, SSAValue
from xdsl.utils.hints import isa

from mlc.passes.gemm_epilogue import vectorize_body
from mlc.passes.gemm_microkernel import Tile, k_loop, prefetcher, slots
from mlc.passes.gemm_packing import pack_a, pack_b
from mlc.passes.gemm_problem import (
    Epilogue,
    Gemm,
    Operand,
    Schedule,
    by_columns,
)
from mlc.passes.loop_emit import Emit, Env
from mlc.support.abi import PARALLEL_ATTR


def _ceil(x: int, y: int) -> int:
    return -(-x // y)


# --------------------------------------------------------------------------- #
# One tile: its rows of C, the epilogue, the k loop (gemm_microkernel.py)
# --------------------------------------------------------------------------- #


def _load_row(
    e: Emit,
    op: Operand,
    env: Env,
    n0: SSAValue,
    lanes: int,
    s: Schedule,
    stage: SSAValue | None,
) -> SSAValue:
    """A vector of `op` at (row env["m"], columns n0..): direct, or staged."""
    if lanes == s.vl or stage is None:
        return e.vload(op.ref, op.index(e, {**env, "n": n0}), s.vl)
    m = env["m"]

    def copy(e: Emit, j: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        value = e.load(op.ref, op.index(e, {**env, "n": e.add(n0, j)}))
        e.store(value, stage, [m, j])
        return []

    e.loop(0, lanes, 1, copy)
    return e.vload(stage, [m, e.idx(0)], s.vl)


def _store_row(
    e: Emit,
    value: SSAValue,
    op: Operand,
    env: Env,
    n0: SSAValue,
    lanes: int,
    s: Schedule,
    stage: SSAValue | None,
) -> None:
    if lanes == s.vl or stage is None:
        e.vstore(value, op.ref, op.index(e, {**env, "n": n0}))
        return
    m = env["m"]
    e.vstore(value, stage, [m, e.idx(0)])

    def copy(e: Emit, j: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        e.store(e.load(stage, [m, j]), op.ref, op.index(e, {**env, "n": e.add(n0, j)}))
        return []

    e.loop(0, lanes, 1, copy)


def _epilogue_row(
    e: Emit,
    epi: Epilogue,
    acc: SSAValue,
    env: Env,
    n0: SSAValue,
    lanes: int,
    s: Schedule,
    stage: SSAValue | None,
) -> SSAValue:
    """The epilogue body on one accumulator vector (cloned with vector types)."""
    args: list[SSAValue] = []
    for operand, broadcast in zip(epi.inputs, epi.broadcast, strict=True):
        if operand is None:
            args.append(acc)
        elif broadcast:
            args.append(e.splat(e.load(operand.ref, operand.index(e, env)), s.vl))
        else:
            args.append(_load_row(e, operand, env, n0, lanes, s, stage))
    args.append(acc)  # the output's argument, unused by an elementwise body
    return vectorize_body(e.b, epi.body, args, s.vl)


def _start(
    e: Emit,
    g: Gemm,
    s: Schedule,
    env: Env,
    accs: list[tuple[int, SSAValue, int]],
    load_c: Callable[[Emit], list[SSAValue]],
) -> list[SSAValue]:
    """
    The accumulators' first values (`accs`: each one's row, first column and
    valid lanes): C's, or in the first K block `c_init` (`c_rows` at each
    row, `c_cols` at each column)."""
    c_init, c_rows, c_cols, pc = g.c_init, g.c_rows, g.c_cols, env["pc"]
    if c_init is None and c_rows is None and c_cols is None:
        return load_c(e)

    def splat(e: Emit) -> list[SSAValue]:
        if c_cols is not None:
            first: dict[SSAValue, SSAValue] = {}
            for _, n0, lanes in accs:
                if n0 not in first:
                    at = c_cols.index(e, {**env, "n": n0})
                    first[n0] = e.vload_first(c_cols.ref, at, lanes, s.vl)
            return [first[n0] for _, n0, _ in accs]
        if c_rows is None:
            assert c_init is not None
            return [e.splat(c_init, s.vl)] * len(accs)
        per_row: dict[int, SSAValue] = {}
        for i in sorted({i for i, _, _ in accs}):
            at = c_rows.index(e, {**env, "m": e.add(env["m0"], i)})
            per_row[i] = e.splat(e.load(c_rows.ref, at), s.vl)
        return [per_row[i] for i, _, _ in accs]

    # C is one value until the first K block has stored it.
    return list(e.choose(e.cmp(pc, 0, "eq"), splat, load_c))


def _rows_of_ap(
    s: Schedule, bufs: dict[str, SSAValue], ip: SSAValue, ka: SSAValue
) -> Callable[[Emit, SSAValue], SSAValue] | None:
    """
    `rows_a(e, k)`: A[m0 .. m0 + mr, pc + k], one vector of Ap's panel
    `ip` (None: A is read in place)."""
    if "ap" not in bufs:
        return None
    return lambda e, k: e.vload(bufs["ap"], [ip, e.add(ka, k), e.idx(0)], s.mr)


def _kernel(
    e: Emit,
    g: Gemm,
    s: Schedule,
    t: Tile,
    bufs: dict[str, SSAValue],
    env: Env,
    kc: SSAValue,
) -> None:
    """One mr x nr tile at rows env["m0"], columns env["n0"] over one K block."""
    m0, n0 = env["m0"], env["n0"]
    jp = e.div(n0 if g.packed_b else e.sub(n0, env["jc"]), s.nr)
    # The first row of the K block in Ap and Bp: pc in a prepacked weight.
    ka, kb = (env["pc"] if packed else e.idx(0) for packed in (g.packed_a, g.packed_b))
    ip = e.div(m0, s.mr)

    def read_a(e: Emit, i: int, k: SSAValue) -> SSAValue:
        """A[m0 + i, pc + k]: from A itself (unpacked), else its panel in Ap."""
        if "ap" not in bufs:
            at = {**env, "m": e.add(m0, i), "k": e.add(env["pc"], k)}
            return e.load(g.a.ref, g.a.index(e, at))
        return e.load(bufs["ap"], [ip, e.add(ka, k), e.idx(i)])

    prefetch = prefetcher(e, g, s, t, bufs, ip, jp, ka, kb)
    stage = bufs.get("stage")
    cols = [e.add(n0, v * s.vl) for v in range(len(t.lanes))]
    rows = [{**env, "m": e.add(m0, i)} for i in range(t.rows)]
    accs = slots(t)

    def load_c(e: Emit) -> list[SSAValue]:
        return [_load_row(e, g.c, rows[i], cols[v], n, s, stage) for i, v, n in accs]

    init = _start(e, g, s, env, [(i, cols[v], n) for i, v, n in accs], load_c)
    rows_a = _rows_of_ap(s, bufs, ip, ka)
    acc = k_loop(e, s, t, bufs, jp, kb, read_a, init, kc, prefetch, rows_a)

    def store_c(e: Emit) -> None:
        for (i, v, n), value in zip(accs, acc, strict=True):
            _store_row(e, value, g.c, rows[i], cols[v], n, s, stage)

    epi = g.epilogue
    if epi is None:
        store_c(e)
        return

    def finish(e: Emit) -> None:
        if epi.store_c:
            store_c(e)
        for (i, v, n), value in zip(accs, acc, strict=True):
            out = _epilogue_row(e, epi, value, rows[i], cols[v], n, s, stage)
            _store_row(e, out, epi.out, rows[i], cols[v], n, s, stage)

    last = e.cmp(e.add(env["pc"], kc), g.k, "eq")
    e.if_(last, finish, store_c)


def _tiles(g: Gemm, s: Schedule) -> tuple[list[Tile], list[Tile]]:
    """(full-row tiles, edge-row tiles), each [full-column, edge-column]."""
    rem_n = g.n % s.nr
    col_tiles = [[s.vl] * (s.nr // s.vl)] if g.n >= s.nr else []
    if rem_n:
        col_tiles.append([min(s.vl, rem_n - v) for v in range(0, rem_n, s.vl)])
    full = [Tile(s.mr, lanes) for lanes in col_tiles] if g.m >= s.mr else []
    edge = [Tile(g.m % s.mr, lanes) for lanes in col_tiles] if g.m % s.mr else []
    return full, edge


def _column_tiles(
    e: Emit,
    g: Gemm,
    s: Schedule,
    tiles: list[Tile],
    bufs: dict[str, SSAValue],
    env: Env,
    kc: SSAValue,
) -> None:
    """
    A GEMV's (fewer rows than mr) column tiles, `wide` panels at once first:
    as many FMA chains as a full tile. The column loops are parallel."""
    wide = min(4, s.mr // tiles[0].rows)
    end = e.mul(e.div(env["nc"], s.nr * wide), s.nr * wide) if wide > 1 else e.idx(0)
    if wide > 1:
        t = Tile(tiles[0].rows, [s.vl] * (s.nr // s.vl * wide))

        def span(e: Emit, jr: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            _kernel(e, g, s, t, bufs, {**env, "n0": e.add(env["jc"], jr)}, kc)
            return []

        e.loop(0, end, s.nr * wide, span, attrs={PARALLEL_ATTR: UnitAttr()})

    def column(e: Emit, jr: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        n0 = e.add(env["jc"], jr)
        if _fused_pack(g, s):
            assert g.pack_panel is not None
            cols = e.min(e.sub(e.idx(g.n), n0), s.nr)
            g.pack_panel(e, s, env, bufs["bp"], e.div(jr, s.nr), n0, cols, kc)
        _either(
            e,
            g,
            s,
            n0,
            lambda e, i: _kernel(e, g, s, tiles[i], bufs, {**env, "n0": n0}, kc),
            len(tiles),
        )
        return []

    e.loop(end, env["nc"], s.nr, column, attrs={PARALLEL_ATTR: UnitAttr()})


def _either(
    e: Emit,
    g: Gemm,
    s: Schedule,
    n0: SSAValue,
    body: Callable[[Emit, int], None],
    count: int,
) -> None:
    """`body(e, 0)` for a full column tile at `n0`, `body(e, 1)` for the edge one."""
    if count == 1:
        body(e, 0)
        return
    full = e.lt(e.add(n0, s.nr - 1), g.n)
    e.if_(full, lambda e: body(e, 0), lambda e: body(e, 1))


def _block(
    e: Emit, g: Gemm, s: Schedule, bufs: dict[str, SSAValue], env: Env, kc: SSAValue
) -> None:
    """
    The body of the `ic` loop, BLIS's order: per column tile (`jr`, its Bp
    panel in L1), the block's row tiles (`ir`, Ap's block in L2).
    """
    full, edge = _tiles(g, s)
    if not full:
        _column_tiles(e, g, s, edge, bufs, {**env, "m0": env["ic"]}, kc)
        return
    ic = env["ic"]
    mc = e.min(e.sub(e.idx(g.m), ic), s.mc)
    last = e.mul(e.div(mc, s.mr), s.mr)  # rows [ic, ic + last): full tiles
    at_end = e.cmp(e.add(ic, mc), g.m, "eq")

    def tiles(e: Emit, n0: SSAValue, col: int) -> None:
        def row(e: Emit, ir: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            inner = {**env, "m0": e.add(ic, ir), "n0": n0}
            _kernel(e, g, s, full[col], bufs, inner, kc)
            return []

        e.loop(0, last, s.mr, row)
        if edge:
            inner = {**env, "m0": e.idx(g.m - g.m % s.mr), "n0": n0}
            e.if_(at_end, lambda e: _kernel(e, g, s, edge[col], bufs, inner, kc))

    def column(e: Emit, jr: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        n0 = e.add(env["jc"], jr)
        if _fused_pack(g, s):
            assert g.pack_panel is not None
            cols = e.min(e.sub(e.idx(g.n), n0), s.nr)
            g.pack_panel(e, s, env, bufs["bp"], e.div(jr, s.nr), n0, cols, kc)
        _either(e, g, s, n0, lambda e, col: tiles(e, n0, col), len(full))
        return []

    parallel = {PARALLEL_ATTR: UnitAttr()} if by_columns(g, s) else None
    e.loop(0, env["nc"], s.nr, column, attrs=parallel)


def _k_block(
    e: Emit, g: Gemm, s: Schedule, bufs: dict[str, SSAValue], env: Env, kc: SSAValue
) -> None:
    """
    One K block of one B block: pack B and A (unless stored packed), then
    the A blocks (`ic`, parallel unless the column tiles are).
    """
    if not g.packed_b and not _fused_pack(g, s):
        pack_b(e, g, s, bufs["bp"], env, env["nc"], kc)
    if "ap" in bufs and not g.packed_a:
        pack_a(e, g, s, bufs["ap"], env, kc)

    def ic_body(e: Emit, ic: SSAValue, _: object) -> list[SSAValue]:
        _block(e, g, s, bufs, {**env, "ic": ic}, kc)
        return []

    by_rows = g.m > s.mc and not by_columns(g, s)
    e.loop(
        0, g.m, s.mc, ic_body, attrs={PARALLEL_ATTR: UnitAttr()} if by_rows else None
    )


def _fused_pack(g: Gemm, s: Schedule) -> bool:
    """
    Whether each column tile packs its own im2col panel, right before its
    row tiles (one A block, the column tiles shared by the threads: no
    other tile reads that panel), instead of a parallel loop packing the
    whole K block first. The panel is then in L1 when the kernel reads it,
    and the threads meet once per K block instead of twice: a 56x56
    ResNet-18 convolution on two threads, 0.67 -> 0.55 ms."""
    one_block = s.mr <= g.m <= s.mc  # (fewer rows: `_column_tiles`, packed first)
    return g.pack_panel is not None and one_block and by_columns(g, s)


def _reads_a_in_place(g: Gemm, s: Schedule) -> bool:
    """Whether the kernel reads A in place (docs/gemm.md, the schedule)."""
    if s.pack_a or g.a.contiguous_in != "k":
        return False
    return g.m <= 2 * s.mc and (g.k * 4) % 4096 != 0


BATCH_BUFFER_BYTES = 4 << 20
"""The most the per-batch-element copies of the packed buffers may take for
the batch loop to be the threads' loop (else each element's GEMM is)."""


def _parallel_batch(g: Gemm, per_element: int) -> int | None:
    """
    The batch level whose loop the threads share: the first with more than
    one iteration, when each element's packed buffers can have their own copy
    (`per_element` bytes each, `BATCH_BUFFER_BYTES` in all). Several small
    GEMMs (LeNet's convolutions at batch 16, attention's heads) then run
    whole on each thread instead of splitting one small GEMM at a time.
    """
    for level, (_, size) in enumerate(g.batch):
        if size > 1:
            total = prod(size for _, size in g.batch[: level + 1])
            return level if total * per_element <= BATCH_BUFFER_BYTES else None
    return None


def _blocks(e: Emit, g: Gemm, s: Schedule, env: Env, bufs: dict[str, SSAValue]) -> None:
    """The B blocks (`jc`) and, in each, the K blocks (`pc`) of one GEMM."""

    def jc_body(e: Emit, jc: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        nc = e.min(e.sub(e.idx(g.n), jc), s.nc)

        def pc_body(e: Emit, pc: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            left = e.sub(e.idx(g.k), pc)  # kc static when it divides K:
            kc = e.idx(s.kc) if g.k % s.kc == 0 else e.min(left, s.kc)
            _k_block(e, g, s, bufs, {**env, "jc": jc, "pc": pc, "nc": nc}, kc)
            return []

        e.loop(0, g.k, s.kc, pc_body)
        return []

    e.loop(0, g.n, s.nc, jc_body)


def _buffer_shapes(g: Gemm, s: Schedule) -> dict[str, list[int]]:
    """The buffers the GEMM packs into: `Bp`, `Ap` and the staging rows."""
    kc_max = min(s.kc, g.k)
    nc_max = min(s.nc, _ceil(g.n, s.nr) * s.nr)
    shapes: dict[str, list[int]] = {}
    if not g.packed_b:
        shapes["bp"] = [nc_max // s.nr, kc_max, s.nr]
    if not g.packed_a and not _reads_a_in_place(g, s):
        shapes["ap"] = [_ceil(g.m, s.mr), kc_max, s.mr]
    if g.n % s.vl:
        shapes["stage"] = [g.m, s.vl]
    return shapes


def emit_gemm(builder: Builder, g: Gemm, s: Schedule) -> list[SSAValue]:
    """Emit the GEMM at `builder`; returns the buffers to free after it."""
    e = Emit(builder)
    shapes = _buffer_shapes(g, s)
    level = _parallel_batch(g, sum(4 * prod(shape) for shape in shapes.values()))
    copies = [] if level is None else [prod(n for _, n in g.batch[: level + 1])]
    owned = {name: e.alloc([*copies, *shape]) for name, shape in shapes.items()}

    def buffers(e: Emit, copy: SSAValue) -> dict[str, SSAValue]:
        """The packed buffers (of batch element `copy` when each has its own)."""
        bufs = {k: _element(e, r, copy) if copies else r for k, r in owned.items()}
        bufs |= {"bp": g.b.ref} if g.packed_b else {}
        return bufs | ({"ap": g.a.ref} if g.packed_a else {})

    def batch(e: Emit, env: Env, depth: int, copy: SSAValue) -> None:
        if depth == len(g.batch):
            _blocks(e, g, s, env, buffers(e, copy))
            return
        name, size = g.batch[depth]
        within = level is not None and depth <= level  # a copy per element

        def body(e: Emit, iv: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            index = e.add(e.mul(copy, size), iv) if within else copy
            batch(e, {**env, name: iv}, depth + 1, index)
            if depth == level:  # one element's GEMM per thread, whole
                for op in e.b.insertion_point.block.walk():
                    op.attributes.pop(PARALLEL_ATTR, None)
            return []

        attrs = {PARALLEL_ATTR: UnitAttr()} if depth == level else None
        e.loop(0, size, 1, body, attrs=attrs)

    batch(e, {}, 0, e.idx(0))
    return list(owned.values())


def _element(e: Emit, ref: SSAValue, index: SSAValue) -> SSAValue:
    """
    `ref[index]` of a buffer with a leading copy dimension (its other unit
    dimensions kept), a strided view at a dynamic offset."""
    type_ = ref.type
    assert isa(type_, MemRefType[Attribute])
    shape = type_.get_shape()
    strides = [prod(shape[d + 1 :]) for d in range(1, len(shape))]
    layout = StridedLayoutAttr(strides, None)
    result = MemRefType(type_.get_element_type(), shape[1:], layout)
    offsets = [index, *([0] * (len(shape) - 1))]
    sizes, unit = [1, *shape[1:]], [1] * len(shape)
    return e.op(memref.SubviewOp.get(ref, offsets, sizes, unit, result))


__all__ = ["emit_gemm"]
