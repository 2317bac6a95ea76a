"""
`mark-parallel-loops`: mark the outermost provably independent `scf.for` of
each loop nest with `mlc.parallel` (`support/abi.py` `PARALLEL_ATTR`).

A loop's iterations are independent when, for every memref the loop body
stores to, every `memref.load` and `memref.store` of that memref in the body
indexes one dimension with the loop's induction variable itself, the same
dimension each time: iteration `i` then touches only slice `i` of what is
written, so no iteration reads what another writes. The body may hold only
arith and math ops, `memref.load`/`memref.store`, memref views and nested
`scf.for`/`scf.if`; anything else (a call, an allocation, a vector access)
leaves the loop unmarked. Distinct memref values are taken not to overlap
partially (what `bufferize` and `buffer-reuse` guarantee: temporaries that
share the arena are never live in one loop nest unless they coincide).

Each nest is searched from the outside in: the outermost loop found
independent and of more than one iteration is marked, and its inner loops
are left alone. So elementwise nests, reductions' outer (non-reduced) loops
and contractions' output loops are marked; `parallelize-loops` decides which
of them are worth threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, func, memref, scf
from xdsl.dialects.builtin import IndexType, IntegerAttr, ModuleOp, UnitAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass

from mlc.support.abi import PARALLEL_ATTR

VIEW_OPS = (
    memref.SubviewOp,
    memref.ViewOp,
    memref.CollapseShapeOp,
    memref.ExpandShapeOp,
    memref.CastOp,
    memref.ReinterpretCastOp,
)


def _is_allowed(op: Operation) -> bool:
    dialect = op.name.split(".")[0]
    if dialect in ("arith", "math"):
        return True
    return isinstance(
        op, memref.LoadOp | memref.StoreOp | scf.ForOp | scf.IfOp | scf.YieldOp
    ) or isinstance(op, VIEW_OPS)


def constant_int(value: SSAValue) -> int | None:
    """The value of an integer or index `arith.constant`, else None."""
    owner = value.owner
    if isinstance(owner, arith.ConstantOp) and isinstance(owner.value, IntegerAttr):
        return owner.value.value.data  # pyright: ignore[reportUnknownMemberType]
    return None


def static_trip_count(loop: scf.ForOp) -> int | None:
    """The number of iterations when the bounds and step are constants."""
    lb, ub, step = (constant_int(v) for v in (loop.lb, loop.ub, loop.step))
    if lb is None or ub is None or step is None or step <= 0:
        return None
    return max(0, -(-(ub - lb) // step))


def _accesses(loop: scf.ForOp) -> list[tuple[SSAValue, tuple[SSAValue, ...], bool]]:
    """(memref, indices, is_store) of every access in `loop`'s body, or []."""
    found: list[tuple[SSAValue, tuple[SSAValue, ...], bool]] = []
    for op in loop.body.walk():
        if isinstance(op, memref.LoadOp):
            found.append((op.memref, tuple(op.indices), False))
        elif isinstance(op, memref.StoreOp):
            found.append((op.memref, tuple(op.indices), True))
    return found


def is_independent(loop: scf.ForOp) -> bool:
    """Whether `loop`'s iterations are independent (see the module doc)."""
    if loop.iter_args or not isinstance(loop.body.block.args[0].type, IndexType):
        return False
    if not all(_is_allowed(op) for op in loop.body.walk()):
        return False
    iv = loop.body.block.args[0]
    accesses = _accesses(loop)
    stored = {value for value, _, is_store in accesses if is_store}
    if not stored:
        return False  # nothing written: nothing to gain (and nothing to split)
    for target in stored:
        dims: set[int] = set()
        for value, indices, _ in accesses:
            if value is not target:
                continue
            positions = {i for i, index in enumerate(indices) if index is iv}
            if not positions:
                return False
            dims = positions if not dims else dims & positions
            if not dims:
                return False
    return True


def _mark_nest(loop: scf.ForOp) -> None:
    count = static_trip_count(loop)
    if (count is None or count > 1) and is_independent(loop):
        loop.attributes[PARALLEL_ATTR] = UnitAttr()
        return
    for op in loop.body.walk():
        if isinstance(op, scf.ForOp) and op.parent_op() is loop:
            _mark_nest(op)


def _outer_loops(function: func.FuncOp) -> list[scf.ForOp]:
    loops: list[scf.ForOp] = []
    for op in function.body.walk():
        if isinstance(op, scf.ForOp):
            parent = op.parent_op()
            while parent is not None and not isinstance(
                parent, scf.ForOp | func.FuncOp
            ):
                parent = parent.parent_op()
            if isinstance(parent, func.FuncOp):
                loops.append(op)
    return loops


def _already_marked(loop: scf.ForOp) -> bool:
    return any(
        PARALLEL_ATTR in op.attributes
        for op in loop.walk()
        if isinstance(op, scf.ForOp)
    )


@dataclass(frozen=True)
class MarkParallelLoopsPass(ModulePass):
    """
    Mark the outermost independent loop of each `scf.for` nest `mlc.parallel`.

    **Input invariant**: loop-level IR (`scf.for` nests over `memref.load` and
    `memref.store`, after `convert-linalg-to-loops`); distinct memrefs in one
    nest do not overlap partially.

    **Output IR**: the same IR; in each nest the outermost `scf.for` whose
    iterations are provably independent (see the module doc) and that runs
    more than once carries the unit attribute `mlc.parallel`.

    **Invariants**: nothing but attributes changes; a nest that already has a
    marked loop (another pass's) is left as it is; at most one loop per path
    from a nest's root is marked.
    """

    name = "mark-parallel-loops"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for function in op.walk():
            if isinstance(function, func.FuncOp) and function.body.blocks:
                for loop in _outer_loops(function):
                    if not _already_marked(loop):
                        _mark_nest(loop)
