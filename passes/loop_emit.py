"""
`Emit`: the builder the loop-level kernel passes write their loops with.

`linalg-contraction-kernel` (the GEMM of `gemm_codegen.py`, the convolutions
of `gemm_conv.py`) and `conv-depthwise-kernel` build `scf.for` nests of
`memref`/`vector` ops whose sizes are mostly known when the pass runs. `Emit`
wraps an xDSL `Builder` with the few constructors they need and folds as it
builds: index arithmetic on known values is a constant (one `arith.constant`
per value, at the start of the outermost block), and a loop known to run once
is its body, inline (unless it carries attributes, such as `mlc.parallel`,
which the later passes read).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from xdsl.builder import Builder
from xdsl.dialects import arith, memref, scf, vector
from xdsl.dialects.builtin import (
    DictionaryAttr,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    UnitAttr,
    VectorType,
    f32,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from mlc.dialects.memref_ext import PrefetchOp
from mlc.support.abi import ALIGNMENT

Env = dict[str, SSAValue]
"""Loop-dimension name (`m`, `n`, `k`, batch names) -> its index value."""

IndexFn = Callable[["Emit", Env], list[SSAValue]]
"""Builds the memref indices of an operand element from the dimensions."""


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

    def choose(
        self,
        cond: SSAValue,
        then: Callable[[Emit], Sequence[SSAValue]],
        other: Callable[[Emit], Sequence[SSAValue]],
    ) -> Sequence[SSAValue]:
        """
        The values `then` or `other` computes: an `scf.if` with results, or
        the branch taken when `cond` is known."""
        if cond in self.known:
            return (then if self.known[cond] else other)(self)
        regions: list[Region] = []
        types: list[Attribute] = []
        for branch in (then, other):
            block = Block()
            values = branch(self.nested(block))
            block.add_op(scf.YieldOp(*values))
            types = [v.type for v in values]
            regions.append(Region(block))
        op = scf.IfOp(cond, types, regions[0], regions[1])
        self.b.insert(op)
        return op.results

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

    def mask(self, count: SSAValue | int, vl: int) -> SSAValue:
        """`vector.create_mask`: the first `count` of `vl` lanes."""
        lanes = self.idx(count) if isinstance(count, int) else count
        return self.op(vector.CreateMaskOp([lanes], VectorType(IntegerType(1), [vl])))

    def vload_first(
        self,
        ref: SSAValue,
        indices: Sequence[SSAValue],
        count: SSAValue | int,
        vl: int,
        passthru: SSAValue | None = None,
    ) -> SSAValue:
        """
        The first `count` of `vl` lanes at `ref[indices]`, the others
        `passthru`'s (else 0): one `vector.load` when `count` is all of them,
        else a `vector.maskedload` (whose lanes past `count` are not read)."""
        if isinstance(count, int) and count >= vl:
            return self.vload(ref, indices, vl)
        mask = self.mask(count, vl)
        if passthru is None:
            passthru = self.splat(self.op(arith.ConstantOp(FloatAttr(0.0, f32))), vl)
        return self.op(vector.MaskedLoadOp(ref, indices, mask, passthru))

    def prefetch(self, ref: SSAValue, indices: Sequence[SSAValue]) -> None:
        """A read hint for `ref[indices]`'s cache line (no effect on values)."""
        self.b.insert(PrefetchOp(ref, indices))

    def splat(self, scalar: SSAValue, vl: int) -> SSAValue:
        return self.op(vector.BroadcastOp(scalar, VectorType(f32, [vl])))

    def alloc(self, shape: Sequence[int]) -> SSAValue:
        return self.op(memref.AllocOp.get(f32, ALIGNMENT, shape))


__all__ = ["Emit", "Env", "IndexFn"]
