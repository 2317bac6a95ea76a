"""
One GEMM problem and its schedule, as data: what `gemm_codegen.py` emits
code for.

`Gemm` describes `C[b.., m, n] (+)= Σ_k A[b.., m, k] * B[b.., k, n]`: its
sizes, how each operand element is read (`Operand`: a memref and an index
function of the loop variables), an optional `Epilogue` applied to the
finished accumulators, and whether A or B is stored packed already.
`Schedule` is every choice of the emitted code (the micro-tile, the cache
blocks, the vector width); the emitted k loop carries it as the
`mlc.gemm = {mr, nr, vl, mc, nc, kc}` attribute, so the schedule is visible
in the IR `mlc-opt` prints and set by `linalg-contraction-kernel`'s options.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, i64
from xdsl.ir import Block, SSAValue

from mlc.passes.loop_emit import Emit, Env, IndexFn

SCHEDULE_ATTR = "mlc.gemm"
"""Dictionary attribute on the outermost emitted loop: the schedule used."""


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
    pack_a: bool = False
    """Pack A even where the kernel could read it in place (`_reads_a_in_place`)."""

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


PanelPacker = Callable[
    ["Emit", "Schedule", Env, SSAValue, SSAValue, SSAValue, SSAValue, SSAValue], None
]
"""`(e, s, env, bp, p, n0, cols, kc)`: Bp[p][k][j] = B[pc + k, n0 + j], j < cols."""


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
    c_init: SSAValue | None = None
    """C's value before the contraction when it is one scalar (a `linalg.fill`
    the pass removes): the first K block starts its accumulators at it
    instead of loading C."""
    c_rows: Operand | None = None
    """Likewise one value per row (row `m`'s at `index` with `m` set): a
    convolution's bias broadcast over its output, as ONNX gives it."""
    c_cols: Operand | None = None
    """Likewise one value per column (column `n`'s at `index` with `n` set): a
    linear's bias broadcast over its rows."""
    packed_b: bool = False  # B is `Bp[ceil(N/nr)][K][nr]` already (pack-weights)
    packed_a: bool = False  # A is `Ap[ceil(M/mr)][K][mr]` already (a conv's filter)
    pack_panel: PanelPacker | None = None
    """Packs one B panel with vectors where B has no stride-1 dimension
    (a convolution's im2col); else B is packed element by element."""
    k_group: int = 1
    """K blocks that are whole multiples of this are packed faster (a
    convolution's taps `kh·kw`: whole input channels a block); the default
    `kc` becomes one, its blocks near-equal (K = 2304: 9 blocks of 261)."""


COLUMN_SPLIT_SLACK = 1.05
"""How much more uneven than the A blocks' the column tiles' split between
two threads may be and still be the one taken (`by_columns`)."""


def by_columns(g: Gemm, s: Schedule) -> bool:
    """
    Whether the threads share a block's column tiles (jr) rather than the A
    blocks (ic): whichever loop has more iterations, so both threads have
    work and finish together (a convolution's 98 column tiles and one A block,
    or 6 A blocks and two column tiles) — unless the column tiles split
    between two threads more than `COLUMN_SPLIT_SLACK` as unevenly as the
    A blocks: ResNet-18's 14x14 convolutions have 6 full column tiles and
    one of 4 columns (3 : 3.5), and 256 rows in 4 blocks (2 : 2); on two
    threads by rows, 0.63 -> 0.58 ms.
    """
    cols, blocks = min(g.n, s.nc), -(-g.m // s.mc)
    tiles = -(-cols // s.nr)
    if tiles <= blocks:
        return False
    if blocks < 2:
        return True
    edge_vectors = -(-(cols % s.nr) // s.vl) / (s.nr // s.vl)
    columns = [1.0] * (cols // s.nr) + ([edge_vectors] if cols % s.nr else [])
    rows = [float(min(s.mc, g.m - ic)) for ic in range(0, g.m, s.mc)]
    return _uneven(columns) <= COLUMN_SPLIT_SLACK * _uneven(rows)


def _uneven(works: list[float]) -> float:
    """
    The larger of two threads' shares of `works` (the runtime's chunks:
    the first half of the iterations, the rest) over an even share."""
    half = len(works) // 2
    return max(sum(works[:half]), sum(works[half:])) * 2 / sum(works)


__all__ = [
    "COLUMN_SPLIT_SLACK",
    "SCHEDULE_ATTR",
    "Epilogue",
    "Gemm",
    "Operand",
    "PanelPacker",
    "Schedule",
    "by_columns",
]
