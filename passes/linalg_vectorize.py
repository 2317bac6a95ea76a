"""
`linalg-vectorize`: elementwise and reduction `linalg.generic`s on memrefs become
`scf.for` nests whose innermost loop works on `vector<W x T>`.

LLVM vectorizes no float reduction without fast-math, and the scalar nests of
`convert-linalg-to-loops` hide the rows a normalization works on; this pass
writes the vector code itself. One loop dimension `v` is vectorized:

- the innermost dimension if it is a *reduction* every input reads
  contiguously (last index `d_v + ...`) or not at all, and the body folds
  each output with one combiner (`addf`, `mulf`, `maximumf`, `minimumf`,
  `maxnumf`, `minnumf`) of its old value and a value of the inputs (softmax's
  max and sum, layer_norm's moments, reduce_* along the last axis, `linear`'s
  dot products): one vector accumulator per output, seeded with the neutral
  element, folded into the output by `vector.reduction` after the loop;
- else the innermost *parallel* dimension (extent > 1) that every operand
  indexes contiguously or not at all (elementwise ops, broadcasts,
  permutations keeping the innermost dimension, reductions along outer axes,
  stride-1 pooling windows, `matmul` rows): W iterations at once.

An operand independent of `v` is loaded as a scalar and broadcast. Loop
order: the parallel dimensions (extent-1 ones get no loop), the reduction
dimensions, then `v`, stepping by W up to the last full vector, then one
masked step (`vector.create_mask`, `maskedload`, `maskedstore`; a
reduction's lanes past the end take the neutral element by `arith.select`).
The outermost parallel loop (with none, the vector loop of an elementwise
op) carries the unit attribute `mlc.parallel`.

W is `vector-bits` over the widest element type of the operands;
`vector-bits=0` (default) takes the target's (`support/target.py`): 16 f32
lanes on AVX-512, 8 on AVX2. A generic stays for `convert-linalg-to-loops`
when no dimension qualifies, when an operand is not a contiguous static
memref or a scalar of `f32`/`f64`, when an index is not affine-linear, or
when a body op is not an `arith`/`math` op whose vector form verifies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from xdsl.context import Context
from xdsl.dialects import arith, memref, scf, vector
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IndexType,
    IntegerType,
    MemRefType,
    ModuleOp,
    NoneAttr,
    UnitAttr,
    VectorType,
)
from xdsl.dialects.linalg.attrs import IteratorType
from xdsl.dialects.linalg.ops import GenericOp, YieldOp
from xdsl.dialects.utils import FastMathFlag
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.ir.affine import (
    AffineBinaryOpExpr,
    AffineBinaryOpKind,
    AffineConstantExpr,
    AffineDimExpr,
    AffineExpr,
)
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.hints import isa

from mlc.dialects import arith_ext
from mlc.support.abi import PARALLEL_ATTR
from mlc.support.target import current_target

Linear = dict[int | None, int]
"""An affine-linear index: dimension -> coefficient; `None` -> the constant."""

CombiningKind = vector.CombiningKindFlag

COMBINERS: dict[type[Operation], tuple[CombiningKind, float]] = {
    arith.AddfOp: (CombiningKind.ADD, -0.0),
    arith.MulfOp: (CombiningKind.MUL, 1.0),
    arith.MaximumfOp: (CombiningKind.MAXIMUMF, float("-inf")),
    arith.MinimumfOp: (CombiningKind.MINIMUMF, float("inf")),
    arith.MaxnumfOp: (CombiningKind.MAXNUMF, float("-inf")),
    arith.MinnumfOp: (CombiningKind.MINNUMF, float("inf")),
}
"""Reduction combiners: the `vector.reduction` kind and the neutral element."""


# --------------------------------------------------------------------------- #
# Analysis
# --------------------------------------------------------------------------- #


def _linear(expr: AffineExpr) -> Linear | None:
    """`expr` as coefficients per dimension, or None if it is not linear."""
    if isinstance(expr, AffineDimExpr):
        return {expr.position: 1}
    if isinstance(expr, AffineConstantExpr):
        return {None: expr.value}
    if isinstance(expr, AffineBinaryOpExpr):
        lhs, rhs = _linear(expr.lhs), _linear(expr.rhs)
        if lhs is None or rhs is None:
            return None
        if expr.kind == AffineBinaryOpKind.Add:
            return {k: lhs.get(k, 0) + rhs.get(k, 0) for k in lhs.keys() | rhs.keys()}
        if expr.kind == AffineBinaryOpKind.Mul:
            if set(rhs) == {None}:
                return {k: c * rhs[None] for k, c in lhs.items()}
            if set(lhs) == {None}:
                return {k: c * lhs[None] for k, c in rhs.items()}
    return None


def _lane_bits(type_: Attribute) -> int | None:
    """The bits of a vectorizable memory element type (f32, f64), else None."""
    if isa(type_, AnyFloat) and type_.bitwidth in (32, 64):
        return type_.bitwidth
    return None


def vector_clone(op: Operation, operands: Sequence[SSAValue], lanes: int) -> Operation:
    """`op` on `vector<lanes x T>` operands and results (vector-capable class)."""
    kind = arith_ext.REPLACED.get(type(op), type(op))
    return kind.create(
        operands=list(operands),
        result_types=[VectorType(r.type, [lanes]) for r in op.results],
        properties=dict(op.properties),
        attributes=dict(op.attributes),
    )


def _vectorizable(op: Operation, lanes: int) -> bool:
    """Whether `op`'s vector form verifies (not `arith.fptosi`, say)."""
    block = Block(arg_types=[VectorType(v.type, [lanes]) for v in op.operands])
    try:
        vector_clone(op, block.args, lanes).verify()
    except Exception:
        return False
    return True


@dataclass
class _Operand:
    value: SSAValue
    indices: list[Linear]
    """One linear index per memref dimension (empty for a scalar)."""
    is_memref: bool
    bits: int
    """The element type's width."""

    def depends_on(self, dim: int) -> bool:
        return any(index.get(dim, 0) for index in self.indices)

    def contiguous_in(self, dim: int) -> bool:
        """`dim` only in the last index, with coefficient 1."""
        *outer, last = self.indices or [{}]
        return last.get(dim, 0) == 1 and not any(i.get(dim, 0) for i in outer)


@dataclass
class _Plan:
    """How one generic is vectorized."""

    op: GenericOp
    operands: list[_Operand]
    extents: list[int]
    v: int
    lanes: int
    combiners: list[Operation] | None
    """Per output, the op folding it into itself (None: `v` is parallel)."""


def _operands(op: GenericOp) -> list[_Operand] | None:
    result: list[_Operand] = []
    for value, map_attr in zip(
        (*op.inputs, *op.outputs), op.indexing_maps, strict=True
    ):
        indices = [_linear(e) for e in map_attr.data.results]
        if any(i is None for i in indices):
            return None
        type_ = value.type
        if isa(type_, MemRefType[Attribute]):
            if not isinstance(type_.layout, NoneAttr) or any(
                d < 0 for d in type_.get_shape()
            ):
                return None  # only contiguous, static buffers
            element = type_.element_type
        else:
            element = type_
        bits = _lane_bits(element)
        if bits is None:
            return None
        linear = [i for i in indices if i is not None]
        result.append(_Operand(value, linear, isa(type_, MemRefType), bits))
    return result


def _extents(op: GenericOp, operands: list[_Operand]) -> list[int] | None:
    """Each loop dimension's extent, read off an operand indexed by it alone."""
    extents: dict[int | None, int] = {}
    for operand in operands:
        if isa(operand.value.type, MemRefType[Attribute]):
            shape = operand.value.type.get_shape()
            for index, size in zip(operand.indices, shape, strict=True):
                if list(index.values()) == [1]:
                    extents[next(iter(index))] = size
    result = [extents.get(d, 0) for d in range(len(op.iterator_types))]
    return result if result and min(result) > 0 else None


def _body_ok(block: Block, lanes: int) -> bool:
    """Only scalar `arith`/`math` ops whose vector forms verify."""
    for body_op in block.ops:
        if isinstance(body_op, YieldOp) or isinstance(body_op, arith.ConstantOp):
            continue
        if body_op.regions or body_op.dialect_name() not in ("arith", "math"):
            return False
        for value in (*body_op.operands, *body_op.results):
            if isinstance(value.type, IndexType | VectorType):
                return False
        if not _vectorizable(body_op, lanes):
            return False
    return True


def _combiners(op: GenericOp) -> list[Operation] | None:
    """Per output, the combiner folding it with a value of the inputs."""
    block = op.body.block
    yield_op = block.last_op
    assert isinstance(yield_op, YieldOp)
    out_args = block.args[len(op.inputs) :]
    found: list[Operation] = []
    for out_arg, yielded in zip(out_args, yield_op.operands, strict=True):
        comb = yielded.owner
        if not (
            isinstance(comb, Operation)
            and type(comb) in COMBINERS
            and comb.parent_block() is block
            and out_arg.uses.get_length() == 1
            and out_arg in comb.operands
            and comb.operands[0] is not comb.operands[1]
            and comb.results[0].uses.get_length() == 1
        ):
            return None
        found.append(comb)
    return found


def _loads_ok(dim: int, group: Sequence[_Operand]) -> bool:
    """Each operand of `group` is contiguous in `dim` or independent of it."""
    return all(
        not o.depends_on(dim) or (o.is_memref and o.contiguous_in(dim)) for o in group
    )


def _vector_dim(
    op: GenericOp, operands: list[_Operand], extents: list[int], lanes: int
) -> tuple[int, list[Operation] | None] | None:
    """
    The dimension to vectorize, and the combiners if it is a reduction: the
    innermost reduction, unless it is shorter than half a vector (a pooling
    window) and a parallel dimension qualifies."""
    outputs = operands[len(op.inputs) :]
    iterators = [t.data for t in op.iterator_types]
    last = len(extents) - 1
    reduction: tuple[int, list[Operation] | None] | None = None
    if iterators[last] == IteratorType.REDUCTION and extents[last] > 1:
        combiners = _combiners(op)
        if (
            combiners is not None
            and _loads_ok(last, operands[: len(op.inputs)])
            and not any(o.depends_on(last) for o in outputs)
        ):
            reduction = last, combiners
            if 2 * extents[last] >= lanes:
                return reduction
    for dim in reversed(range(len(extents))):
        if iterators[dim] != IteratorType.PARALLEL or extents[dim] == 1:
            continue
        if all(o.depends_on(dim) for o in outputs) and _loads_ok(dim, operands):
            return dim, None
    return reduction


def plan(op: GenericOp, vector_bits: int) -> _Plan | None:
    """The vectorization of `op`, or None if it stays scalar."""
    if op.res or not op.outputs:
        return None
    operands = _operands(op)
    extents = None if operands is None else _extents(op, operands)
    if operands is None or extents is None:
        return None
    bits = max(o.bits for o in operands)
    lanes = max(1, vector_bits // bits)
    choice = _vector_dim(op, operands, extents, lanes)
    if choice is None or not _body_ok(op.body.block, lanes):
        return None
    v, combiners = choice
    return _Plan(op, operands, extents, v, lanes, combiners)


# --------------------------------------------------------------------------- #
# Code generation
# --------------------------------------------------------------------------- #


class _Builder:
    """Appends ops to the current block; index constants go before the nest."""

    def __init__(self, lanes: int) -> None:
        self.lanes = lanes
        self.blocks: list[Block] = [Block()]
        self.constants: list[Operation] = []
        self.index_constants: dict[int, SSAValue] = {}

    def emit(self, op: Operation) -> SSAValue:
        self.blocks[-1].add_op(op)
        return op.results[0]

    def add(self, op: Operation) -> None:
        self.blocks[-1].add_op(op)

    def index(self, value: int) -> SSAValue:
        if value not in self.index_constants:
            op = arith.ConstantOp.from_int_and_width(value, IndexType())
            self.constants.append(op)
            self.index_constants[value] = op.result
        return self.index_constants[value]

    def splat(self, scalar: SSAValue) -> SSAValue:
        return self.emit(
            vector.BroadcastOp(scalar, VectorType(scalar.type, [self.lanes]))
        )

    def splat_constant(self, value: float, type_: Attribute) -> SSAValue:
        assert isa(type_, AnyFloat)
        return self.splat(self.emit(arith.ConstantOp(FloatAttr(value, type_))))

    def mask(self, active: int) -> SSAValue:
        mask_type = VectorType(IntegerType(1), [self.lanes])
        return self.emit(vector.CreateMaskOp([self.index(active)], mask_type))

    def loop(
        self, upper: int, step: int, iter_args: Sequence[SSAValue] = ()
    ) -> tuple[scf.ForOp, Block]:
        """An `scf.for` from 0; its body block is current until `end_loop`."""
        block = Block(arg_types=[IndexType(), *(a.type for a in iter_args)])
        loop = scf.ForOp(
            self.index(0), self.index(upper), self.index(step), iter_args, Region(block)
        )
        self.add(loop)
        self.blocks.append(block)
        return loop, block

    def end_loop(self, *results: SSAValue) -> None:
        self.add(scf.YieldOp(*results))
        self.blocks.pop()

    def ops(self) -> list[Operation]:
        """The constants, then the nest (detached from the builder)."""
        (top,) = self.blocks
        nest = list(top.ops)
        for op in nest:
            op.detach()
        return [*self.constants, *nest]


@dataclass
class _Emitter:
    """Emits the vectorized generic of one plan, inside its outer loops."""

    p: _Plan
    b: _Builder
    ivs: dict[int, SSAValue]

    @property
    def op(self) -> GenericOp:
        return self.p.op

    @property
    def out_args(self) -> Sequence[SSAValue]:
        return self.op.body.block.args[len(self.op.inputs) :]

    @property
    def outputs(self) -> list[_Operand]:
        return self.p.operands[len(self.op.inputs) :]

    def index_values(self, operand: _Operand, v_index: SSAValue) -> list[SSAValue]:
        """`operand`'s indices at `v = v_index` and the outer loops' values."""
        values: list[SSAValue] = []
        for index in operand.indices:
            terms: list[SSAValue] = []
            for dim, coef in index.items():
                iv = v_index if dim == self.p.v else self.ivs.get(cast(int, dim))
                if dim is None or coef == 0 or iv is None:  # iv None: extent 1
                    continue
                if coef != 1:
                    iv = self.b.emit(arith.MuliOp(iv, self.b.index(coef)))
                terms.append(iv)
            if index.get(None, 0) or not terms:
                terms.append(self.b.index(index.get(None, 0)))
            total = terms[0]
            for term in terms[1:]:
                total = self.b.emit(arith.AddiOp(total, term))
            values.append(total)
        return values

    def load(
        self, operand: _Operand, v_index: SSAValue, mask: SSAValue | None
    ) -> SSAValue:
        """`operand` at `v_index`: a vector, or a scalar broadcast."""
        value = operand.value
        if not operand.is_memref:
            return self.b.splat(value)
        indices = self.index_values(operand, v_index)
        if not operand.depends_on(self.p.v):
            return self.b.splat(self.b.emit(memref.LoadOp.get(value, indices)))
        element = cast(MemRefType[Attribute], value.type).element_type
        type_ = VectorType(element, [self.p.lanes])
        if mask is None:
            return self.b.emit(vector.LoadOp(value, indices, type_))
        passthru = self.b.splat_constant(0.0, element)
        return self.b.emit(vector.MaskedLoadOp(value, indices, mask, passthru))

    def store(
        self,
        operand: _Operand,
        v_index: SSAValue,
        value: SSAValue,
        mask: SSAValue | None,
    ) -> None:
        indices = self.index_values(operand, v_index)
        if mask is None:
            self.b.add(vector.StoreOp(value, operand.value, indices))
        else:
            self.b.add(vector.MaskedStoreOp(operand.value, indices, mask, value))

    def body(
        self, v_index: SSAValue, mask: SSAValue | None
    ) -> dict[SSAValue, SSAValue]:
        """The generic's body on vectors: a map from scalar to vector values."""
        block = self.op.body.block
        mapping: dict[SSAValue, SSAValue] = {}
        n_in = len(self.op.inputs) if self.p.combiners is not None else len(block.args)
        for i, arg in enumerate(block.args[:n_in]):
            if arg.uses:
                mapping[arg] = self.load(self.p.operands[i], v_index, mask)
        for body_op in block.ops:
            if isinstance(body_op, YieldOp) or body_op in (self.p.combiners or ()):
                continue
            if isinstance(body_op, arith.ConstantOp):
                mapping[body_op.result] = self.b.splat(self.b.emit(body_op.clone()))
                continue
            operands = [self.vector_of(v, mapping) for v in body_op.operands]
            new = vector_clone(body_op, operands, self.p.lanes)
            self.b.add(new)
            mapping.update(zip(body_op.results, new.results, strict=True))
        return mapping

    def vector_of(self, value: SSAValue, mapping: dict[SSAValue, SSAValue]) -> SSAValue:
        """The vector of a body value (a value from outside is broadcast)."""
        if value not in mapping:
            mapping[value] = self.b.splat(value)
        return mapping[value]

    def elementwise(self) -> scf.ForOp | None:
        """Loop over `v` in steps of W, then a masked step; the loop, if any."""
        extent, lanes = self.p.extents[self.p.v], self.p.lanes
        full = extent - extent % lanes
        loop = None
        if full:
            loop, block = self.b.loop(full, lanes)
            self.elementwise_step(block.args[0], None)
            self.b.end_loop()
        if full != extent:
            self.elementwise_step(self.b.index(full), self.b.mask(extent - full))
        return loop

    def elementwise_step(self, v_index: SSAValue, mask: SSAValue | None) -> None:
        mapping = self.body(v_index, mask)
        yield_op = cast(YieldOp, self.op.body.block.last_op)
        for operand, yielded in zip(self.outputs, yield_op.operands, strict=True):
            self.store(operand, v_index, self.vector_of(yielded, mapping), mask)

    def reduction(self, combiners: list[Operation]) -> None:
        """Vector accumulators over `v`, then one `vector.reduction` each."""
        extent, lanes = self.p.extents[self.p.v], self.p.lanes
        full = extent - extent % lanes
        neutral = [
            self.b.splat_constant(COMBINERS[type(c)][1], arg.type)
            for c, arg in zip(combiners, self.out_args, strict=True)
        ]
        accs = neutral
        if full:
            loop, block = self.b.loop(full, lanes, accs)
            self.b.end_loop(*self.fold(block.args[0], None, block.args[1:], neutral))
            accs = list(loop.results)
        if full != extent:
            accs = self.fold(
                self.b.index(full), self.b.mask(extent - full), accs, neutral
            )
        for comb, operand, acc in zip(combiners, self.outputs, accs, strict=True):
            indices = self.index_values(operand, self.b.index(0))
            old = self.b.emit(memref.LoadOp.get(operand.value, indices))
            # xDSL 0.74's ReductionOp.__init__ types its result as the vector.
            reduction = vector.ReductionOp.create(
                operands=[acc, old],
                result_types=[old.type],
                properties={
                    "kind": vector.CombiningKindAttr(COMBINERS[type(comb)][0]),
                    "fastmath": arith.FastMathFlagsAttr((FastMathFlag.REASSOC,)),
                },
            )
            self.b.add(reduction)
            self.b.add(memref.StoreOp.get(reduction.results[0], operand.value, indices))

    def fold(
        self,
        v_index: SSAValue,
        mask: SSAValue | None,
        accs: Sequence[SSAValue],
        neutral: Sequence[SSAValue],
    ) -> list[SSAValue]:
        """One step of the reduction: each accumulator combined with its value."""
        mapping = self.body(v_index, mask)
        new: list[SSAValue] = []
        combiners = self.p.combiners or []
        for comb, out_arg, acc, zero in zip(
            combiners, self.out_args, accs, neutral, strict=True
        ):
            lhs, rhs = comb.operands
            value = self.vector_of(rhs if lhs is out_arg else lhs, mapping)
            if mask is not None:  # lanes past the end take the neutral element
                value = self.b.emit(arith_ext.SelectOp(mask, value, zero))
            args = [acc, value] if lhs is out_arg else [value, acc]
            new.append(self.b.emit(vector_clone(comb, args, self.p.lanes)))
        return new


def _emit_loops(
    p: _Plan, b: _Builder, dims: list[int], ivs: dict[int, SSAValue]
) -> tuple[scf.ForOp | None, scf.ForOp | None]:
    """
    Loops over `dims` (outermost first) around the vector dimension's code:
    the outermost loop and the vector loop of an elementwise op."""
    if dims:
        loop, block = b.loop(p.extents[dims[0]], 1)
        _, inner = _emit_loops(p, b, dims[1:], {**ivs, dims[0]: block.args[0]})
        b.end_loop()
        return loop, inner
    emitter = _Emitter(p, b, ivs)
    if p.combiners is not None:
        emitter.reduction(p.combiners)
        return None, None
    return None, emitter.elementwise()


@dataclass
class VectorizeGeneric(RewritePattern):
    """A memref-level `linalg.generic` → a vectorized `scf.for` nest."""

    vector_bits: int

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GenericOp, rewriter: PatternRewriter) -> None:
        p = plan(op, self.vector_bits)
        if p is None:
            return
        b = _Builder(p.lanes)
        iterators = [t.data for t in op.iterator_types]
        dims = [d for d in range(len(p.extents)) if d != p.v and p.extents[d] > 1]
        parallel = [d for d in dims if iterators[d] == IteratorType.PARALLEL]
        reduction = [d for d in dims if iterators[d] != IteratorType.PARALLEL]
        outer, vector_loop = _emit_loops(p, b, parallel + reduction, {})
        if parallel and outer is not None:
            outer.attributes[PARALLEL_ATTR] = UnitAttr()
        elif not dims and vector_loop is not None:
            vector_loop.attributes[PARALLEL_ATTR] = UnitAttr()
        rewriter.replace(op, b.ops(), [])


@dataclass(frozen=True)
class LinalgVectorizePass(ModulePass):
    """
    Vectorize elementwise and reduction generics (see the module docstring).

    **Input invariant**: memref-level IR (after `bufferize`); named linalg ops
    are ignored (run `linalg-generalize` first).

    **Output IR**: per vectorized generic, an `scf.for` nest of `memref.load`
    (broadcast operands), `vector.load`/`store`/`maskedload`/`maskedstore`/
    `create_mask`/`broadcast`/`reduction` and the body's ops on vectors.

    **Invariants**: results equal the generic's up to the reassociation of a
    reduction (lane-wise partial sums combined at the end); every access stays
    in bounds; a vectorized generic leaves no scalar loop.
    """

    name = "linalg-vectorize"

    vector_bits: int = 0
    """The vector register width in bits; 0 takes the target's (`MLC_TARGET`)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        bits = self.vector_bits or current_target().vector_bits
        PatternRewriteWalker(
            VectorizeGeneric(bits), apply_recursively=False
        ).rewrite_module(op)


__all__ = [
    "COMBINERS",
    "LinalgVectorizePass",
    "VectorizeGeneric",
    "plan",
    "vector_clone",
]
