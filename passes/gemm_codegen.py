"""
The loop-level code of one packed, register-blocked GEMM (BLIS's schedule).

`emit_gemm` writes, at a builder's insertion point, `C[m, n] (+)= Σ_k A[m, k]
* B[k, n]` for one problem described by `Gemm` (its sizes, how each operand is
read, an optional epilogue) and one `Schedule` (the micro-tile, the cache
blocks, the vector width):

```
scf.for %jc = 0 to N step nc                       // B block: L3
  scf.for %pc = 0 to K step kc                     // K block: the packed depth
    pack B[pc:pc+kc, jc:jc+nc] -> Bp[ceil(nc/nr)][kc][nr]
    scf.for %ic = 0 to M step mc {mlc.parallel}    // A block: L2, one per thread
      pack A[ic:ic+mc, pc:pc+kc] -> Ap[ceil(M/mr)][kc][mr]
      scf.for %ir (mr rows; {mlc.parallel} when M <= mc) / scf.for %jr (nr columns)
        micro-kernel: mr x nr/vl accumulators as `scf.for` iter_args,
        vector.load of Bp, vector.broadcast of Ap, vector.fma
```

Edges need no scalar arithmetic: packing is zero-padded in the row
direction (an `mr`-row panel reads only the rows that exist), the last
column tile uses ceil(cols/vl) vectors, and a partial vector is loaded and stored
through a per-row staging row (`Stage[M][vl]`, a scalar copy of the valid
lanes) instead of a masked access. Every packed buffer is indexed by its
global panel, so the `mlc.parallel` loop writes disjoint parts of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from xdsl.builder import Builder
from xdsl.dialects import arith, memref, scf, vector
from xdsl.dialects.builtin import (
    DictionaryAttr,
    IndexType,
    IntegerAttr,
    UnitAttr,
    VectorType,
    f32,
    i64,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from mlc.passes.gemm_epilogue import vectorize_body
from mlc.support.abi import ALIGNMENT, PARALLEL_ATTR

SCHEDULE_ATTR = "mlc.gemm"
"""Dictionary attribute on the outermost emitted loop: the schedule used."""

Env = dict[str, SSAValue]
"""Loop-dimension name (`m`, `n`, `k`, batch names) -> its index value."""

IndexFn = Callable[["Emit", Env], list[SSAValue]]
"""Builds the memref indices of an operand element from the dimensions."""


@dataclass(frozen=True)
class Schedule:
    """Every choice of the emitted GEMM; all sizes in elements."""

    mr: int
    """Rows of the micro-tile (accumulator rows, broadcasts per k)."""
    nr: int
    """Columns of the micro-tile, a multiple of `vl`."""
    vl: int
    """Lanes of one vector."""
    mc: int
    """Rows of the packed A block (a multiple of `mr`)."""
    nc: int
    """Columns of the packed B block (a multiple of `nr`)."""
    kc: int
    """Depth of both packed blocks."""

    def attr(self) -> DictionaryAttr:
        return DictionaryAttr(
            {
                key: IntegerAttr(getattr(self, key), i64)
                for key in ("mr", "nr", "vl", "mc", "nc", "kc")
            }
        )


@dataclass
class Operand:
    """How one operand element is read or written: a memref and its indices."""

    ref: SSAValue
    index: IndexFn
    contiguous_in: str | None = None
    """The dimension that is the memref's innermost, stride-1 index, if any."""


@dataclass
class Epilogue:
    """Elementwise code applied to the finished accumulators before the store."""

    inputs: list[Operand | None]
    """Per body argument: the operand it reads, or None for the accumulator."""
    broadcast: list[bool]
    """Per input: read one scalar per row (does not depend on `n`)."""
    body: Block
    """A scalar `linalg.generic` body, vectorized by cloning."""
    out: Operand
    store_c: bool
    """Whether C itself is still read later and must be written too."""


@dataclass
class Gemm:
    """One contraction `C[b.., m, n] (+)= Σ_k A[b.., m, k] * B[b.., k, n]`."""

    m: int
    n: int
    k: int
    batch: list[tuple[str, int]]
    """Outer independent dimensions, outermost first."""
    a: Operand
    b: Operand
    c: Operand
    """Accumulated into; must be contiguous in `n`."""
    epilogue: Epilogue | None = None
    attrs: dict[str, DictionaryAttr] = field(default_factory=dict[str, DictionaryAttr])
    packed_b: bool = False  # B is `Bp[ceil(N/nr)][K][nr]` already (pack-weights)


class Emit:
    """A Builder with the few constructors the GEMM needs."""

    def __init__(self, builder: Builder, parent: Emit | None = None):
        self.b = builder
        self.known: dict[SSAValue, int] = {} if parent is None else parent.known
        """Index values known at compile time (folded as the code is built)."""
        self.constants: dict[int, SSAValue] = {} if parent is None else parent.constants
        """One `arith.constant` per index value, at the start of the outermost block."""
        self.prelude = (
            Builder(InsertPoint.at_start(builder.insertion_point.block))
            if parent is None
            else parent.prelude
        )

    def op(self, op: Operation) -> SSAValue:
        self.b.insert(op)
        return op.results[0]

    def idx(self, value: int) -> SSAValue:
        if value not in self.constants:
            constant = arith.ConstantOp(IntegerAttr(value, IndexType()))
            self.prelude.insert(constant)
            self.constants[value] = constant.result
            self.known[constant.result] = value
        return self.constants[value]

    def _fold(
        self,
        x: SSAValue,
        y: SSAValue | int,
        fold: Callable[[int, int], int],
        build: Callable[[SSAValue, SSAValue], Operation],
    ) -> SSAValue:
        y_known = y if isinstance(y, int) else self.known.get(y)
        if x in self.known and y_known is not None:
            return self.idx(fold(self.known[x], y_known))
        return self.op(build(x, self.idx(y) if isinstance(y, int) else y))

    def add(self, x: SSAValue, y: SSAValue | int) -> SSAValue:
        if y == 0 or (not isinstance(y, int) and self.known.get(y) == 0):
            return x
        if self.known.get(x) == 0 and not isinstance(y, int):
            return y
        return self._fold(x, y, lambda p, q: p + q, arith.AddiOp)

    def sub(self, x: SSAValue, y: SSAValue) -> SSAValue:
        if x is y:
            return self.idx(0)
        return self._fold(x, y, lambda p, q: p - q, arith.SubiOp)

    def mul(self, x: SSAValue, y: int) -> SSAValue:
        return x if y == 1 else self._fold(x, y, lambda p, q: p * q, arith.MuliOp)

    def div(self, x: SSAValue, y: int) -> SSAValue:
        return x if y == 1 else self._fold(x, y, lambda p, q: p // q, arith.DivSIOp)

    def min(self, x: SSAValue, y: SSAValue | int) -> SSAValue:
        return self._fold(x, y, min, arith.MinSIOp)

    def cmp(self, x: SSAValue, y: SSAValue | int, predicate: str) -> SSAValue:
        """`arith.cmpi` (`slt` or `eq`), folded to 0/1 when both are known."""

        def fold(p: int, q: int) -> int:
            return int(p < q if predicate == "slt" else p == q)

        return self._fold(x, y, fold, lambda a, b: arith.CmpiOp(a, b, predicate))

    def lt(self, x: SSAValue, y: SSAValue | int) -> SSAValue:
        return self.cmp(x, y, "slt")

    def nested(self, block: Block) -> Emit:
        return Emit(Builder(InsertPoint.at_end(block)), self)

    def loop(
        self,
        lb: SSAValue | int,
        ub: SSAValue | int,
        step: int,
        body: Callable[[Emit, SSAValue, Sequence[SSAValue]], Sequence[SSAValue]],
        iter_args: Sequence[SSAValue] = (),
        attrs: Mapping[str, DictionaryAttr | UnitAttr] | None = None,
    ) -> Sequence[SSAValue]:
        """
        An `scf.for`; `body(emit, iv, iter_args)` returns the yielded values.
        A loop known to run once is its body, inline.
        """
        lo = self.idx(lb) if isinstance(lb, int) else lb
        hi = self.idx(ub) if isinstance(ub, int) else ub
        if lo in self.known and hi in self.known and not attrs:
            if self.known[hi] - self.known[lo] <= 0:
                return list(iter_args)
            if self.known[hi] - self.known[lo] <= step:
                return body(self, lo, iter_args)
        block = Block(arg_types=[IndexType(), *(v.type for v in iter_args)])
        yielded = body(self.nested(block), block.args[0], block.args[1:])
        block.add_op(scf.YieldOp(*yielded))
        op = scf.ForOp(lo, hi, self.idx(step), iter_args, Region(block))
        for key, value in (attrs or {}).items():
            op.attributes[key] = value
        self.b.insert(op)
        return op.results

    def if_(
        self,
        cond: SSAValue,
        then: Callable[[Emit], None],
        other: Callable[[Emit], None] | None = None,
    ) -> None:
        """An `scf.if`; only the branch taken when `cond` is known."""
        if cond in self.known:
            branch = then if self.known[cond] else other
            if branch is not None:
                branch(self)
            return
        regions: list[Region] = []
        for branch in (then, other):
            if branch is None:
                regions.append(Region())
                continue
            block = Block()
            branch(self.nested(block))
            block.add_op(scf.YieldOp())
            regions.append(Region(block))
        self.b.insert(scf.IfOp(cond, [], regions[0], regions[1]))

    def load(self, ref: SSAValue, indices: Sequence[SSAValue]) -> SSAValue:
        return self.op(memref.LoadOp.get(ref, indices))

    def store(
        self, value: SSAValue, ref: SSAValue, indices: Sequence[SSAValue]
    ) -> None:
        self.b.insert(memref.StoreOp.get(value, ref, indices))

    def vload(self, ref: SSAValue, indices: Sequence[SSAValue], vl: int) -> SSAValue:
        return self.op(vector.LoadOp(ref, indices, VectorType(f32, [vl])))

    def vstore(
        self, value: SSAValue, ref: SSAValue, indices: Sequence[SSAValue]
    ) -> None:
        self.b.insert(vector.StoreOp(value, ref, indices))

    def splat(self, scalar: SSAValue, vl: int) -> SSAValue:
        return self.op(vector.BroadcastOp(scalar, VectorType(f32, [vl])))

    def alloc(self, shape: Sequence[int]) -> SSAValue:
        return self.op(memref.AllocOp.get(f32, ALIGNMENT, shape))


def _ceil(x: int, y: int) -> int:
    return -(-x // y)


# --------------------------------------------------------------------------- #
# Packing
# --------------------------------------------------------------------------- #


def _pack_b(
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
        else:
            _pack_b_scalar(e, g, bp, env, p, j0, cols, kc)
        return []

    e.loop(0, panels, 1, panel)


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
    def column(e: Emit, j: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        def depth(e: Emit, k: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            src = g.b.index(e, {**env, "k": e.add(env["pc"], k), "n": e.add(j0, j)})
            e.store(e.load(g.b.ref, src), bp, [p, k, j])
            return []

        e.loop(0, kc, 1, depth)
        return []

    e.loop(0, cols, 1, column)


def _pack_a(
    e: Emit, g: Gemm, s: Schedule, ap: SSAValue, env: Env, mc: SSAValue, kc: SSAValue
) -> None:
    """Ap[p][k][i] = A[ic + i', pc + k] for the rows of the block that exist."""
    ic, pc = env["ic"], env["pc"]

    def row(e: Emit, i: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        m = e.add(ic, i)
        p = e.div(m, s.mr)
        lane = e.sub(m, e.mul(p, s.mr))

        def depth(e: Emit, k: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            src = g.a.index(e, {**env, "m": m, "k": e.add(pc, k)})
            e.store(e.load(g.a.ref, src), ap, [p, k, lane])
            return []

        e.loop(0, kc, 1, depth)
        return []

    e.loop(0, mc, 1, row)


# --------------------------------------------------------------------------- #
# The micro-kernel
# --------------------------------------------------------------------------- #


@dataclass
class Tile:
    """One micro-tile variant: its rows and per-vector valid lanes."""

    rows: int
    lanes: list[int]
    """Valid lanes of each vector column (== vl when full)."""


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


def _slots(t: Tile) -> list[tuple[int, int, int]]:
    """(row, vector column, valid lanes) of each accumulator, row-major."""
    return [(i, v, lanes) for i in range(t.rows) for v, lanes in enumerate(t.lanes)]


def _fmas(
    e: Emit,
    s: Schedule,
    t: Tile,
    bufs: dict[str, SSAValue],
    panels: tuple[SSAValue, SSAValue, SSAValue],
    init: list[SSAValue],
    kc: SSAValue,
) -> Sequence[SSAValue]:
    """The k loop: per k, nv loads of Bp, mr broadcasts of Ap, mr*nv FMAs."""
    ip, jp, k0 = panels  # k0: Bp's first row (pc when B is prepacked, else 0)
    nv, per = len(t.lanes), s.nr // s.vl  # a wide tile spans nv/per panels

    def step(e: Emit, k: SSAValue, acc: Sequence[SSAValue]) -> list[SSAValue]:
        kb = e.add(k0, k)
        at = [(e.add(jp, v // per), e.idx(v % per * s.vl)) for v in range(nv)]
        bvec = [e.vload(bufs["bp"], [p, kb, j], s.vl) for p, j in at]
        out = list(acc)
        for i in range(t.rows):
            a = e.splat(e.load(bufs["ap"], [ip, k, e.idx(i)]), s.vl)
            for v in range(nv):
                out[i * nv + v] = e.op(vector.FMAOp(a, bvec[v], out[i * nv + v]))
        return out

    return e.loop(0, kc, 1, step, init, attrs={SCHEDULE_ATTR: s.attr()})


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
    panels = e.div(m0, s.mr), jp, env["pc"] if g.packed_b else e.idx(0)
    stage = bufs.get("stage")
    cols = [e.add(n0, v * s.vl) for v in range(len(t.lanes))]
    rows = [{**env, "m": e.add(m0, i)} for i in range(t.rows)]
    slots = _slots(t)
    init = [_load_row(e, g.c, rows[i], cols[v], n, s, stage) for i, v, n in slots]
    acc = _fmas(e, s, t, bufs, panels, init, kc)

    def store_c(e: Emit) -> None:
        for (i, v, n), value in zip(slots, acc, strict=True):
            _store_row(e, value, g.c, rows[i], cols[v], n, s, stage)

    epi = g.epilogue
    if epi is None:
        store_c(e)
        return

    def finish(e: Emit) -> None:
        if epi.store_c:
            store_c(e)
        for (i, v, n), value in zip(slots, acc, strict=True):
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
    Each nr-column tile of the B block, full or edge; rows fewer than mr
    (a GEMV) first `wide` panels at once: as many FMA chains as a full tile."""
    wide = min(4, s.mr // tiles[0].rows)
    end = e.mul(e.div(env["nc"], s.nr * wide), s.nr * wide) if wide > 1 else e.idx(0)
    if wide > 1:
        t = Tile(tiles[0].rows, [s.vl] * (s.nr // s.vl * wide))

        def span(e: Emit, jr: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            _kernel(e, g, s, t, bufs, {**env, "n0": e.add(env["jc"], jr)}, kc)
            return []

        e.loop(0, end, s.nr * wide, span)

    def column(e: Emit, jr: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
        n0 = e.add(env["jc"], jr)
        inner = {**env, "n0": n0}
        if len(tiles) == 1:
            _kernel(e, g, s, tiles[0], bufs, inner, kc)
        else:
            e.if_(
                e.lt(e.add(n0, s.nr - 1), g.n),
                lambda e: _kernel(e, g, s, tiles[0], bufs, inner, kc),
                lambda e: _kernel(e, g, s, tiles[1], bufs, inner, kc),
            )
        return []

    e.loop(end, env["nc"], s.nr, column)


def _block(
    e: Emit, g: Gemm, s: Schedule, bufs: dict[str, SSAValue], env: Env, kc: SSAValue
) -> None:
    """The body of the parallel `ic` loop: pack A's block, then its tiles."""
    full, edge = _tiles(g, s)
    ic = env["ic"]
    mc = e.min(e.sub(e.idx(g.m), ic), s.mc)
    _pack_a(e, g, s, bufs["ap"], env, mc, kc)
    end = e.add(ic, mc)
    if full:
        # rows [ic, ic + floor(mc/mr)*mr): full tiles
        last = e.mul(e.div(mc, s.mr), s.mr)

        def row(e: Emit, ir: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            _column_tiles(e, g, s, full, bufs, {**env, "m0": e.add(ic, ir)}, kc)
            return []

        # One A block (M <= mc): its row panels (own rows of C) are parallel.
        rows = g.m <= s.mc and g.m // s.mr > 1
        e.loop(0, last, s.mr, row, attrs={PARALLEL_ATTR: UnitAttr()} if rows else None)
    if edge:
        m0 = e.idx(g.m - g.m % s.mr)
        e.if_(
            e.cmp(end, g.m, "eq"),
            lambda e: _column_tiles(e, g, s, edge, bufs, {**env, "m0": m0}, kc),
        )


def emit_gemm(builder: Builder, g: Gemm, s: Schedule) -> list[SSAValue]:
    """Emit the GEMM at `builder`; returns the buffers to free after it."""
    e = Emit(builder)
    kc_max = min(s.kc, g.k)
    nc_max = min(s.nc, _ceil(g.n, s.nr) * s.nr)
    bufs = {
        "bp": g.b.ref if g.packed_b else e.alloc([nc_max // s.nr, kc_max, s.nr]),
        "ap": e.alloc([_ceil(g.m, s.mr), kc_max, s.mr]),
    }
    if g.n % s.vl:
        bufs["stage"] = e.alloc([g.m, s.vl])

    def batch(e: Emit, env: Env, level: int) -> None:
        if level < len(g.batch):
            name, size = g.batch[level]

            def body(e: Emit, iv: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
                batch(e, {**env, name: iv}, level + 1)
                return []

            e.loop(0, size, 1, body)
            return
        blocks(e, env)

    def blocks(e: Emit, env: Env) -> None:
        def jc_body(e: Emit, jc: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
            nc = e.min(e.sub(e.idx(g.n), jc), s.nc)

            def pc_body(e: Emit, pc: SSAValue, _: Sequence[SSAValue]) -> list[SSAValue]:
                left = e.sub(e.idx(g.k), pc)  # kc static when it divides K:
                kc = e.idx(s.kc) if g.k % s.kc == 0 else e.min(left, s.kc)
                inner = {**env, "jc": jc, "pc": pc, "nc": nc}
                if not g.packed_b:
                    _pack_b(e, g, s, bufs["bp"], inner, nc, kc)

                def ic_body(e: Emit, ic: SSAValue, _: object) -> list[SSAValue]:
                    _block(e, g, s, bufs, {**inner, "ic": ic}, kc)
                    return []

                parallel = {PARALLEL_ATTR: UnitAttr()} if g.m > s.mc else None
                e.loop(0, g.m, s.mc, ic_body, attrs=parallel)
                return []

            e.loop(0, g.k, s.kc, pc_body)
            return []

        e.loop(0, g.n, s.nc, jc_body)

    batch(e, {}, 0)
    return [buffer for buffer in bufs.values() if buffer is not g.b.ref]


__all__ = [
    "SCHEDULE_ATTR",
    "Emit",
    "Epilogue",
    "Gemm",
    "Operand",
    "Schedule",
    "emit_gemm",
]
