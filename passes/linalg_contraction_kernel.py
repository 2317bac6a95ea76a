"""
`linalg-contraction-kernel`: f32 contractions on memrefs become packed,
cache-blocked loops around a register-blocked vector micro-kernel.

A contraction is `linalg.matmul`, `linalg.batch_matmul` or a `linalg.generic`
whose body is `out + a * b` with exactly one reduction dimension `k`, read
through projected-permutation indexing maps: the output's innermost dimension
is `n` (read by one operand, which becomes B; the other is A), another output
dimension read only by A is `m`, and every other output dimension is a batch
dimension read by all three. Transposed operands (a `linear` weight `W[n, k]`)
are just other maps. The code is `gemm_codegen.emit_gemm`'s.

The elementwise `linalg.generic` that consumes the contraction's output next
(bias + activation, residual add) is fused as the epilogue: its body runs on
the accumulators of each finished tile, before the one store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import MemRefType, ModuleOp, f32
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Block, Operation, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.rewriter import InsertPoint
from xdsl.utils.hints import isa

from mlc.dialects.linalg_ext import BatchMatmulOp
from mlc.passes.gemm_codegen import emit_gemm
from mlc.passes.gemm_conv import match_conv
from mlc.passes.gemm_epilogue import (
    c_read_later,
    elementwise_consumer,
    initial_channels,
    initial_columns,
    initial_fill,
    may_alias,
)
from mlc.passes.gemm_problem import Epilogue, Gemm, Operand, Schedule, by_columns
from mlc.passes.loop_emit import Emit, Env
from mlc.passes.pack_weights import packed_dims
from mlc.support.target import Target, current_target

Contraction = linalg.GenericOp | linalg.MatmulOp | BatchMatmulOp


# --------------------------------------------------------------------------- #
# Recognizing a contraction
# --------------------------------------------------------------------------- #


def _dims(map_: AffineMap) -> list[int] | None:
    """The dimension of each result of a projected permutation, else None."""
    dims: list[int] = []
    for expr in map_.results:
        if not isinstance(expr, AffineDimExpr):
            return None
        dims.append(expr.position)
    return dims


def _static_f32(value: SSAValue) -> MemRefType | None:
    type_ = value.type
    if not isa(type_, MemRefType) or type_.get_element_type() != f32:
        return None
    if any(d < 0 for d in type_.get_shape()):
        return None
    return type_


def _is_mul_add(body: Block) -> bool:
    """`^bb(a, b, c): yield c + a * b` (either operand order)."""
    ops = list(body.ops)
    if len(ops) != 3 or not isinstance(ops[2], linalg.YieldOp):
        return False
    mul, add = ops[0], ops[1]
    if not isinstance(mul, arith.MulfOp) or not isinstance(add, arith.AddfOp):
        return False
    a, b, c = body.args
    return {mul.lhs, mul.rhs} == {a, b} and {add.lhs, add.rhs} == {c, mul.result}


def _index_fn(ref: SSAValue, dims: list[int], names: dict[int, str]) -> Operand:
    """An operand read as `ref[names[d] for d in dims]`."""
    keys = [names[d] for d in dims]

    def index(e: Emit, env: Env) -> list[SSAValue]:
        return [env[key] for key in keys]

    type_ = ref.type
    assert isa(type_, MemRefType)
    contiguous = keys[-1] if keys and contiguous_in_last(type_) else None
    return Operand(ref, index, contiguous)


@dataclass
class Match:
    """A recognized contraction: its GEMM (without epilogue) and dim names."""

    gemm: Gemm
    names: dict[int, str]
    out_dims: list[int]
    packed_nr: int = 0
    """B's panel width when B is a weight `pack-weights` packed, else 0."""


def _logical_dims(map_: AffineMap) -> list[int] | None:
    """A projected permutation's dims; a packed weight's read as `B[k, n]`."""
    packed = packed_dims(map_)
    return _dims(map_) if packed is None else [packed[1], packed[0]]


def _operands(op: Operation) -> tuple[list[SSAValue], list[list[int]], int] | None:
    """(A, B, C), their maps' dims and the reduction dim of an f32 mul-add op."""
    if not isinstance(op, Contraction) or len(op.inputs) != 2 or len(op.outputs) != 1:
        return None
    if op.results or not _is_mul_add(op.regions[0].block):
        return None
    refs = [*op.inputs, *op.outputs]
    maps = [_logical_dims(m.data) for m in op.get_indexing_maps()]
    if any(_static_f32(v) is None for v in refs):
        return None
    dims = [m for m in maps if m is not None]
    iterators = [str(it.data) for it in op.get_iterator_types()]
    reduced = [d for d, it in enumerate(iterators) if it == "reduction"]
    if len(dims) != 3 or len(reduced) != 1 or len(dims[2]) < 2:
        return None
    return refs, dims, reduced[0]


def _roles(
    a: list[int], b: list[int], c: list[int], k: int
) -> tuple[int, int, list[int]] | None:
    """(m, n, batch dims) when A reads (batch, m, k), B (batch, k, n), C (.., n)."""
    n = c[-1]
    ms = [d for d in c if d in a and d not in b]
    if n in a or n not in b or k not in a or k not in b or not ms:
        return None
    m = ms[-1]
    batch = [d for d in c if d not in (m, n)]
    if len(set(c)) != len(c) or k in c or any(d not in a and d not in b for d in batch):
        return None
    if set(a) - {m, k, *batch} or set(b) - {n, k, *batch}:
        return None
    return m, n, batch


def match_contraction(op: Operation) -> Match | None:
    """The GEMM of `op`, or None when it is not an f32 contraction we schedule."""
    found = _operands(op)
    if found is None or not isinstance(op, Contraction):
        return None
    refs, (a_dims, b_dims, c_dims), k = found
    packed = [packed_dims(m.data) for m in op.get_indexing_maps()]
    if c_dims[-1] in a_dims and c_dims[-1] not in b_dims:  # C = A*B, read swapped
        a_dims, b_dims = b_dims, a_dims
        refs[0], refs[1] = refs[1], refs[0]
        packed[0], packed[1] = packed[1], packed[0]
    roles = _roles(a_dims, b_dims, c_dims, k)
    if roles is None or packed[0] is not None or packed[2] is not None:
        return None
    m, n, batch = roles
    sizes = op.get_static_loop_ranges()
    names = {m: "m", n: "n", k: "k"} | {d: f"b{i}" for i, d in enumerate(batch)}
    c = _index_fn(refs[2], c_dims, names)
    if c.contiguous_in != "n":
        return None
    gemm = Gemm(
        m=sizes[m],
        n=sizes[n],
        k=sizes[k],
        batch=[(names[d], sizes[d]) for d in batch],
        a=_index_fn(refs[0], a_dims, names),
        b=_index_fn(refs[1], b_dims, names),
        c=c,
        packed_b=packed[1] is not None,
    )
    return Match(gemm, names, c_dims, packed[1][2] if packed[1] else 0)


# --------------------------------------------------------------------------- #
# The epilogue
# --------------------------------------------------------------------------- #


def _epilogue_inputs(
    consumer: linalg.GenericOp, c_ref: SSAValue, names: dict[int, str]
) -> tuple[list[Operand | None], list[bool]] | None:
    """Per input: its operand (None for C, read once, identically), broadcast?"""
    identity = list(range(len(names)))
    maps = [_dims(m.data) for m in consumer.get_indexing_maps()]
    inputs: list[Operand | None] = []
    broadcast: list[bool] = []
    for value, dims in zip(consumer.inputs, maps, strict=False):
        if dims is None or _static_f32(value) is None:
            return None
        if value == c_ref:
            if dims != identity or None in inputs:
                return None
            inputs.append(None)
            broadcast.append(False)
            continue
        operand = _index_fn(value, dims, names)
        uses_n = "n" in [names[d] for d in dims]
        if uses_n and operand.contiguous_in != "n":
            return None
        inputs.append(operand)
        broadcast.append(not uses_n)
    return (inputs, broadcast) if None in inputs else None


def match_epilogue(
    op: Contraction, match: Match
) -> tuple[linalg.GenericOp, Epilogue] | None:
    """The elementwise generic right after `op` that reads its output, fused."""
    c_ref = match.gemm.c.ref
    consumer = elementwise_consumer(op, len(match.out_dims))
    if consumer is None or _dims(consumer.get_indexing_maps().data[-1].data) != list(
        range(len(match.out_dims))
    ):
        return None
    out = consumer.outputs[0]
    if out.type != c_ref.type:
        return None
    # The fused store writes `out` while A and B are still read: in the
    # arena `buffer-reuse` packed for sequential ops they may share memory.
    if any(may_alias(out, ref) for ref in (match.gemm.a.ref, match.gemm.b.ref)):
        return None
    names = {e: match.names[d] for e, d in enumerate(match.out_dims)}
    found = _epilogue_inputs(consumer, c_ref, names)
    if found is None:
        return None
    epilogue = Epilogue(
        inputs=found[0],
        broadcast=found[1],
        body=consumer.body.block,
        out=_index_fn(out, list(range(len(names))), names),
        store_c=c_read_later(c_ref, consumer),
    )
    return consumer, epilogue


# --------------------------------------------------------------------------- #
# The schedule
# --------------------------------------------------------------------------- #

DEFAULT_TILES: dict[int, tuple[int, int]] = {512: (8, 32), 256: (6, 16), 128: (6, 8)}
"""Vector bits -> (mr, nr): the micro-tile filling the register file."""


WHOLE_K_PANEL_BYTES = 256 << 10
"""The largest column panel of a stored packed B (`K·nr` floats) read whole
by one tile (`ScheduleContraction.whole_k`), a quarter of an L2; A's block
of rows may take twice that. A 4096-deep panel (512 KB) was 10 % slower
than K blocks of 256 (the 1024-4096-4096-1024 MLP)."""


def default_schedule(target: Target) -> Schedule:
    """The schedule for `target`: its vector width, a tile its registers hold."""
    vl = target.lanes(32)
    mr, nr = DEFAULT_TILES.get(target.vector_bits, (6, 2 * vl))
    return Schedule(mr=mr, nr=nr, vl=vl, mc=mr * 12, nc=nr * 128, kc=256)


def _column_starts(op: Operation, gemm: Gemm) -> linalg.GenericOp | None:
    """
    A bias broadcast along C's rows just before `op` (`initial_columns`),
    now `gemm.c_cols`: the first K block starts each column's sums from it
    instead of a loop writing all of C first and the kernel loading it (the
    seq-128 transformer's four linears each wrote their output that way, on
    one thread)."""
    out = op.operands[-1]
    starts = initial_columns(op, out)
    if starts is None or gemm.c.ref is not out or gemm.c.contiguous_in != "n":
        return None
    bias = starts.inputs[0]
    if any(may_alias(out, v) for v in (gemm.a.ref, gemm.b.ref, bias)):
        return None
    gemm.c_cols = Operand(bias, lambda e, env: [env["n"]])
    return starts


def _scalar_fill(op: Operation, gemm: Gemm) -> linalg.FillOp | None:
    """`op`'s initial fill (`initial_fill`) when A and B cannot be C."""
    out = op.operands[-1]
    if any(may_alias(out, ref) for ref in (gemm.a.ref, gemm.b.ref)):
        return None
    return initial_fill(op, out)


class ScheduleContraction(RewritePattern):
    """A recognized contraction (and its epilogue) → the packed GEMM loops."""

    def __init__(
        self,
        schedule: Schedule,
        fuse: bool,
        fixed_kc: bool = False,
        fixed_mc: bool = False,
    ) -> None:
        self.schedule = schedule
        self.fuse = fuse
        self.fixed_kc = fixed_kc
        """`kc` was given (`tile-k`): no GEMM takes its whole depth instead."""
        self.fixed_mc = fixed_mc
        """`mc` was given (`tile-m`): it is not evened out (`even_rows`)."""

    def even_rows(self, gemm: Gemm, schedule: Schedule) -> Schedule:
        """
        A blocks of equal rows (up to `mr`), an even number of them, so that
        two threads sharing them (`ic`) get equal halves: 512 rows in blocks
        of 96 split 288 : 224, in blocks of 64 256 : 256 (ResNet-18's 7x7
        convolutions on 2 threads: 0.74 -> 0.67 ms). Of the even counts up
        to twice the default's, the one whose larger half has the fewest
        rows (then the fewest blocks); kept when the threads then share the
        column tiles instead.
        """
        m, mr = gemm.m, schedule.mr
        blocks = -(-m // schedule.mc)
        if self.fixed_mc or blocks < 2:
            return schedule

        def larger_half(count: int) -> tuple[int, int]:
            mc = _round_up(-(-m // count), mr)
            half = -(-m // mc) // 2 * mc
            return max(half, m - half), -mc  # (ties: the fewest blocks)

        counts = range(blocks + blocks % 2, 2 * blocks + 1, 2)
        mc = -min(larger_half(count) for count in counts)[1]
        even = replace(schedule, mc=mc)
        return schedule if by_columns(gemm, even) else even

    def whole_k(self, gemm: Gemm, schedule: Schedule) -> bool:
        """
        Whether a GEMM whose B is a stored packed weight takes all of K in one
        block: nothing of B is packed per call, and with a column panel of B
        within `WHOLE_K_PANEL_BYTES` (A's block of rows within twice that)
        the threads meet once per GEMM instead of once per K block (the
        batch-64 course MLP's first linear, K = 784, 2 threads: 36 -> 32 us).
        """
        k, rows = gemm.k, min(gemm.m, schedule.mc)
        fits = k * max(schedule.nr, rows // 2) * 4 <= WHOLE_K_PANEL_BYTES
        return not self.fixed_kc and k > schedule.kc and fits

    def plan(
        self, op: Contraction | linalg.Conv2DNchwFchwOp, builder: Builder
    ) -> tuple[Gemm, Operation | None, Schedule] | None:
        """`op`'s GEMM, its fused consumer and its schedule; None: not one."""
        schedule = self.schedule
        match = match_contraction(op)
        if match is not None and not isinstance(op, linalg.Conv2DNchwFchwOp):
            gemm, consumer = match.gemm, None
            if match.packed_nr:  # the micro-tile is as wide as the weight's panels
                if match.packed_nr % schedule.vl:
                    return None
                nc = _round_up(schedule.nc, match.packed_nr)
                schedule = replace(schedule, nr=match.packed_nr, nc=nc)
            fused = match_epilogue(op, match) if self.fuse else None
            if fused is not None:
                consumer, gemm.epilogue = fused
            if match.packed_nr and self.whole_k(gemm, schedule):
                schedule = replace(schedule, kc=gemm.k)
            return gemm, consumer, schedule
        conv = match_conv(op, builder, self.fuse)
        if conv is None:
            return None
        gemm, consumer = conv
        if gemm.packed_a:  # the micro-tile is as tall as the filter's panels
            assert isa(gemm.a.ref.type, MemRefType)
            mr = gemm.a.ref.type.get_shape()[-1]
            schedule = replace(schedule, mr=mr, mc=_round_up(schedule.mc, mr))
        group, k = gemm.k_group, gemm.k
        if not self.fixed_kc and k > schedule.kc >= group > 1:
            # As many blocks as `kc` gives, of whole groups, near-equal.
            blocks = -(-k // schedule.kc)
            schedule = replace(schedule, kc=_round_up(-(-k // blocks), group))
        return gemm, consumer, schedule

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, Contraction | linalg.Conv2DNchwFchwOp):
            return
        block = Block()
        builder = Builder(InsertPoint.at_end(block))
        planned = self.plan(op, builder)
        if planned is None:
            return
        gemm, consumer, schedule = planned
        schedule = self.even_rows(gemm, schedule)
        fill = _scalar_fill(op, gemm)
        if fill is not None:
            gemm.c_init = fill.inputs[0]
        starts = initial_channels(op, op.operands[-1]) if gemm.c_rows else None
        if fill is None and starts is None:
            starts = _column_starts(op, gemm)
        buffers = emit_gemm(builder, gemm, schedule)
        dealloc(builder, buffers)
        for emitted in list(block.ops):
            rewriter.insert(block.detach_op(emitted), InsertPoint.before(op))
        if consumer is not None:
            rewriter.erase(consumer)
        rewriter.erase(op)
        if fill is not None:
            rewriter.erase(fill)
        if starts is not None:
            rewriter.erase(starts)


@dataclass(frozen=True)
class LinalgContractionKernelPass(ModulePass):
    """
    Schedule every f32 contraction on memrefs as a packed, register-blocked
    GEMM with its elementwise consumer fused as the epilogue.

    **Input invariant**: bufferized IR (memrefs, destination-passing style);
    static shapes. Contractions are `linalg.matmul`, `linalg.batch_matmul`
    and `linalg.generic`s with a mul-add body, one reduction dimension and
    projected-permutation maps whose output is contiguous in `n`; so are
    `linalg.conv_2d_nchw_fchw` and the grouped convolutions' generics with
    more than one input channel per group (`gemm_conv.py`); others, and
    other element types, are left for the next passes.

    **Output IR**: per contraction, `memref.alloc`s for the packed blocks
    (`Bp[nc/nr][kc][nr]`, `Ap[ceil(M/mr)][kc][mr]`, a staging row per output row
    when `n` is not a multiple of the vector width), `scf.for` loops over the
    batch, `n` blocks (the outermost carries the schedule as `mlc.gemm =
    {mr, nr, vl, mc, nc, kc}`), `k` blocks, and `m` blocks (`mlc.parallel`),
    packing loops, and a micro-kernel: `scf.for` over `k` with `mr*nr/vl`
    `vector<vl x f32>` accumulators as `iter_args`, `vector.load`,
    `vector.broadcast`, `vector.fma`; the epilogue's body cloned on vectors
    before `vector.store`; the `memref.dealloc`s. A scalar `linalg.fill` of
    C right before the contraction is removed: the first `k` block starts the
    accumulators at its value instead of loading C; likewise a convolution
    output's broadcast per channel (ONNX's bias), each row at its channel's.

    **Invariants**: results equal the contraction's up to reassociation of
    the `k` sum (blocks of `kc`, in order; each product fused into one FMA);
    every tile's last store happens after its last `k` block; iterations of
    the `mlc.parallel` loop write disjoint rows of every buffer.

    A of at most two blocks of rows (`M <= 2*mc`) contiguous in `k`, with
    rows not a multiple of 4 KiB, is read in place (no `Ap`; `pack-a=true`
    packs it).

    Options left at 0 take the target's default (`support/target.py`,
    `MLC_TARGET`): `vl` its f32 lanes; `mr`x`nr` 8x32 with AVX-512, 6x16
    with AVX2; `mc` = 12*`mr` (evened out when the threads share the A
    blocks), `nc` = 128*`nr`, `kc` = 256 (whole input channels for an
    im2col; all of K for a stored packed B that fits, docs/gemm.md).
    """

    name = "linalg-contraction-kernel"

    mr: int = 0
    """Micro-tile rows."""
    nr: int = 0
    """Micro-tile columns (a multiple of `vl`)."""
    vl: int = 0
    """Vector lanes."""
    tile_m: int = 0
    """Rows of a packed A block (`mc`, rounded up to a multiple of `mr`)."""
    tile_n: int = 0
    """Columns of a packed B block (`nc`, rounded up to a multiple of `nr`)."""
    tile_k: int = 0
    """Depth of the packed blocks (`kc`); 0: 256, or all of K for a stored
    packed B within `WHOLE_K_PANEL_BYTES`."""
    fuse_epilogue: bool = True
    """Apply the next elementwise consumer to the accumulators."""
    pack_a: bool = False
    """Pack A into panels even when it is one block of rows contiguous in `k`,
    which the kernel otherwise reads in place."""

    def schedule(self) -> Schedule:
        base = default_schedule(current_target())
        vl = self.vl or base.vl
        mr = self.mr or (base.mr if vl == base.vl else 6)
        nr = self.nr or (base.nr if vl == base.vl else 2 * vl)
        if vl <= 0 or nr % vl or mr <= 0:
            raise ValueError(
                f"{self.name}: nr={nr} must be a positive multiple of vl={vl}"
            )
        mc = _round_up(self.tile_m or mr * 12, mr)
        nc = _round_up(self.tile_n or nr * 128, nr)
        kc = self.tile_k or base.kc
        return Schedule(mr=mr, nr=nr, vl=vl, mc=mc, nc=nc, kc=kc, pack_a=self.pack_a)

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        fixed_kc, fixed_mc = self.tile_k != 0, self.tile_m != 0
        pattern = ScheduleContraction(
            self.schedule(), self.fuse_epilogue, fixed_kc, fixed_mc
        )
        PatternRewriteWalker(pattern, apply_recursively=False).rewrite_module(op)


def contiguous_in_last(type_: MemRefType) -> bool:
    """Whether the innermost dimension of `type_` has stride 1."""
    strides = type_.get_strides()
    return bool(strides) and strides[-1] == 1


def dealloc(builder: Builder, buffers: Sequence[SSAValue]) -> None:
    for buffer in buffers:
        builder.insert(memref.DeallocOp.get(buffer))


def _round_up(x: int, y: int) -> int:
    return -(-x // y) * y


__all__ = ["LinalgContractionKernelPass", "ScheduleContraction", "match_contraction"]
