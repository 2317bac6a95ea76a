"""
`fuse-parallel-loops`: fuse adjacent independent loop nests over the same
range into one nest.

A softmax over the rows of attention scores lowers to five nests over the
same rows (the max's initial value, the max, `exp(x - max)`, the sum, the
division); each alone is under `parallelize-loops`' `min-work`, so all five
ran serially while the other threads waited (the seq-128 transformer block's
softmax on 2 threads). Fused, the rows are one loop, worth threads, and each
row stays in cache from one step to the next. Layer norm's steps fuse the
same way.

Two sibling `scf.for` loops A and B fuse when
- both carry `mlc.parallel` (the outermost loops of their nests; inside a
  fused body, the loops that became siblings fuse under the same rule
  without it), have the same bounds and step, and carry no values;
- only arith ops, memref views and `memref.get_global` stand between them
  (they move before A);
- their bodies access memory only through `memref.load`/`store` and
  `vector.load`/`store`/`maskedload`/`maskedstore`, beside arith, math,
  vector arithmetic and nested `scf.for`/`scf.if`;
- every memref one of them writes and the other accesses is, in every access
  of both, indexed in one common dimension by the loop's own induction
  variable (the dimension a vector spans only when the step covers its
  lanes): iteration `i` of B then touches only slice `i` of it, which only
  iteration `i` of A touched;
- any other two memrefs of which one is written are distinct allocations or
  arguments, or views of one arena (`memref.view` at constant offsets)
  whose bytes do not overlap (`gemm_epilogue.may_alias`): `buffer-reuse`
  may give a buffer dead after A and one born in B the same bytes, which
  fusing would interleave.

B's body then follows A's in A, B's induction variable replaced by A's. The
values each iteration computes are the same, in the same order: results are
bitwise unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func, memref, scf, vector
from xdsl.dialects.builtin import ModuleOp, VectorType
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.utils.hints import isa

from mlc.passes.gemm_epilogue import may_alias
from mlc.passes.mark_parallel_loops import VIEW_OPS as _VIEWS
from mlc.passes.mark_parallel_loops import constant_int
from mlc.support.abi import PARALLEL_ATTR

_WRITES = (memref.StoreOp, vector.StoreOp, vector.MaskedStoreOp)
_VECTOR = (vector.LoadOp, vector.StoreOp, vector.MaskedLoadOp, vector.MaskedStoreOp)
_MEMORY = (memref.LoadOp, memref.StoreOp, *_VECTOR)


@dataclass(frozen=True)
class _Access:
    ref: SSAValue
    indices: tuple[SSAValue, ...]
    writes: bool
    lanes: int
    """Elements of the last dimension it spans from its index (1: a scalar)."""


def _movable(op: Operation) -> bool:
    """An op that may move from between the loops to before the first."""
    pure_arith = op.name.startswith("arith.")
    return pure_arith or isinstance(op, (*_VIEWS, memref.GetGlobalOp))


def _body_allowed(op: Operation) -> bool:
    dialect = op.name.split(".")[0]
    if dialect in ("arith", "math"):
        return True
    if isinstance(op, (*_MEMORY, *_VIEWS, scf.ForOp, scf.IfOp, scf.YieldOp)):
        return True
    # vector arithmetic (no other vector op touches memory in loop-level IR
    # but gather/scatter/transfer ones, which are refused)
    touches = ("gather", "scatter", "transfer", "expandload", "compressstore")
    return dialect == "vector" and not any(t in op.name for t in touches)


def _accesses(loop: scf.ForOp) -> list[_Access] | None:
    """Every memory access of `loop`'s body, or None: a body that may not fuse."""
    found: list[_Access] = []
    for op in loop.body.walk():
        if not _body_allowed(op):
            return None
        writes = isinstance(op, _WRITES)
        if isinstance(op, memref.LoadOp | memref.StoreOp):
            found.append(_Access(op.memref, tuple(op.indices), writes, 1))
        elif isinstance(op, _VECTOR):
            if isinstance(op, vector.StoreOp):
                data = op.vector
            elif isinstance(op, vector.MaskedStoreOp):
                data = op.value_to_store
            else:
                data = op.results[0]
            lanes = data.type.get_shape()[0] if isa(data.type, VectorType) else 1 << 30
            found.append(_Access(op.base, tuple(op.indices), writes, lanes))
    return found


def _iv_dims(access: _Access, loop: scf.ForOp) -> set[int]:
    """
    The dimensions `access` indexes with `loop`'s induction variable itself;
    the one a vector spans only when the loop's step covers its lanes."""
    iv, last = loop.body.block.args[0], len(access.indices) - 1
    step = constant_int(loop.step) or 0
    return {
        d
        for d, index in enumerate(access.indices)
        if index is iv and (d != last or access.lanes <= step or access.lanes == 1)
    }


def _same_range(a: scf.ForOp, b: scf.ForOp) -> bool:
    for x, y in ((a.lb, b.lb), (a.ub, b.ub), (a.step, b.step)):
        cx, cy = constant_int(x), constant_int(y)
        if x is not y and (cx is None or cx != cy):
            return False
    return True


def _legal(a: scf.ForOp, b: scf.ForOp) -> bool:
    """Whether B's body may run inside A's, iteration by iteration."""
    first, second = _accesses(a), _accesses(b)
    if first is None or second is None:
        return False
    for one, other in ((first, second), (second, first)):
        for written in {x.ref for x in one if x.writes}:
            for access in other:
                if access.ref is not written and may_alias(access.ref, written):
                    return False
            if not any(x.ref is written for x in other):
                continue
            dims: set[int] | None = None
            for access, loop in [(x, a) for x in first] + [(x, b) for x in second]:
                if access.ref is written:
                    found = _iv_dims(access, loop)
                    dims = found if dims is None else dims & found
            if not dims:
                return False
    return True


def _fusable(a: scf.ForOp, b: scf.ForOp, marked: bool) -> bool:
    if marked and not (PARALLEL_ATTR in a.attributes and PARALLEL_ATTR in b.attributes):
        return False
    if a.iter_args or b.iter_args or a.results or b.results:
        return False
    return _same_range(a, b) and _legal(a, b)


def _merge(a: scf.ForOp, b: scf.ForOp, between: list[Operation]) -> None:
    """B's body after A's, in A; the ops `between` them move before A."""
    block = a.parent_block()
    assert block is not None
    for op in between:
        op.detach()
        block.insert_op_before(op, a)
    b.body.block.args[0].replace_all_uses_with(a.body.block.args[0])
    end = a.body.block.last_op
    assert isinstance(end, scf.YieldOp)
    for op in list(b.body.block.ops)[:-1]:
        op.detach()
        a.body.block.insert_op_before(op, end)
    b.detach()
    b.erase()


def fuse_block(block: Block, marked: bool) -> None:
    """Fuse the fusable sibling loops of `block` (`marked`: `mlc.parallel` ones)."""
    first: scf.ForOp | None = None
    between: list[Operation] = []
    for op in list(block.ops):
        if op.parent is not block:
            continue  # moved or erased by an earlier merge
        if isinstance(op, scf.ForOp):
            if first is not None and _fusable(first, op, marked):
                _merge(first, op, between)
                between = []
                fuse_block(first.body.block, marked=False)
                continue
            first, between = op, []
        elif first is not None and _movable(op):
            between.append(op)
        else:
            first, between = None, []


@dataclass(frozen=True)
class FuseParallelLoopsPass(ModulePass):
    """
    Fuse adjacent `mlc.parallel` loop nests over the same range.

    **Input invariant**: loop-level IR after `mark-parallel-loops`; distinct
    memrefs are distinct allocations, arguments, or views of an arena at
    constant offsets (what `bufferize` and `buffer-reuse` produce).

    **Output IR**: the same IR with each maximal run of fusable sibling loops
    (see the module doc) one loop carrying `mlc.parallel`; inside it, the
    loops that became siblings fused by the same rule, recursively.

    **Invariants**: every value is computed as before, in the same order per
    iteration; a loop that is not fusable is left as it is.
    """

    name = "fuse-parallel-loops"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for function in op.walk():
            if isinstance(function, func.FuncOp) and function.body.blocks:
                for block in function.body.blocks:
                    fuse_block(block, marked=True)
