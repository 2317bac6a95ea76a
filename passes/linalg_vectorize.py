"""
`linalg-vectorize`: elementwise and reduction `linalg.generic`s on memrefs become
`scf.for` nests whose innermost loop works on `vector<W x T>`.

LLVM's loop vectorizer leaves float reductions scalar without fast-math, and
the scalar nests of `convert-linalg-to-loops` hide the rows a normalization
works on; this pass writes the vector code itself, one generic at a time.

One loop dimension `v` is vectorized. It is chosen in this order:

- the innermost dimension, if it is a *reduction* that every input reads
  contiguously (its last index is `d_v + ...`) or not at all, and the body
  folds each output with one combiner (`addf`, `mulf`, `maximumf`,
  `minimumf`, `maxnumf`, `minnumf`, `addi`, `muli`) of its old value and a
  value computed from the inputs (softmax's max and sum, layer_norm's mean
  and variance, reduce_* along the last axis, a `linear`'s dot products): the
  loop over `v` carries one vector accumulator per output, seeded with the
  combiner's neutral element, and `vector.reduction` folds it into the output
  once the loop is done;
- else the innermost *parallel* dimension that every operand indexes
  contiguously or not at all (elementwise ops, broadcasts, permutations that
  keep the innermost dimension, reductions along other axes, pooling windows
  at stride 1, `matmul` rows): `W` iterations of `v` run at once, loading and
  storing the outputs as vectors.

An operand that does not depend on `v` is loaded as a scalar and broadcast.
The loop order is: the parallel dimensions (outermost first; extent-1
dimensions get no loop), the reduction dimensions, then `v`, whose loop
steps by `W` up to the last full vector, followed, when `W` does not divide
the extent, by one masked step (`vector.create_mask`, `vector.maskedload`,
`vector.maskedstore`; a reduction's lanes past the end take the neutral
element through `arith.select`). The outermost loop of a parallel dimension
(or, with none, the loop over `v` of an elementwise op) carries the unit
attribute `mlc.parallel`.

`W` is `vector-bits` divided by the widest element type among the operands
(`vector-bits=0`, the default, takes the target's width: 512 bits, 16 f32
lanes, on AVX-512; 256, 8 lanes, on AVX2; see `support/target.py`).

A generic stays as it is (for `convert-linalg-to-loops`) when no dimension
qualifies, when an operand is not a static memref of `f32`/`f64`/`i8`-`i64`
(or a scalar of those), when an index is not affine-linear, or when the body
holds anything other than `arith` and `math` ops on scalars (`linalg.index`,
say).

**Input invariant**: memref-level IR (after `bufferize`), generics with
static shapes; named linalg ops are ignored (`linalg-generalize` first).

**Output IR**: for each vectorized generic, an `scf.for` nest with
`memref.load` (broadcast operands), `vector.load`/`store`,
`vector.maskedload`/`maskedstore` and `vector.create_mask` (tails),
`vector.broadcast`, `vector.reduction`, and the body's `arith`/`math` ops on
vectors.

**Invariants**: the result equals the generic's up to the reassociation of
a reduction (lane-wise partial results combined at the end); every memory
access stays in bounds; no scalar loop is emitted for a vectorized generic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, memref, scf, vector
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    NoneAttr,
    UnitAttr,
    VectorType,
)
from xdsl.dialects.linalg.attrs import IteratorType
from xdsl.dialects.linalg.ops import GenericOp, YieldOp
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

COMBINERS: dict[type[Operation], tuple[CombiningKind, Callable[[Attribute], float]]] = {
    arith.AddfOp: (CombiningKind.ADD, lambda _: -0.0),
    arith.MulfOp: (CombiningKind.MUL, lambda _: 1.0),
    arith.MaximumfOp: (CombiningKind.MAXIMUMF, lambda _: float("-inf")),
    arith.MinimumfOp: (CombiningKind.MINIMUMF, lambda _: float("inf")),
    arith.MaxnumfOp: (CombiningKind.MAXNUMF, lambda _: float("-inf")),
    arith.MinnumfOp: (CombiningKind.MINNUMF, lambda _: float("inf")),
    arith.AddiOp: (CombiningKind.ADD, lambda _: 0),
    arith.MuliOp: (CombiningKind.MUL, lambda _: 1),
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
    """Whether the vector form of a body op verifies (xDSL types some ops
    for scalars only: `arith.fptosi`, `arith.sitofp`, ...)."""
    block = Block(arg_types=[VectorType(v.type, [lanes]) for v in op.operands])
    try:
        vector_clone(op, block.args, lanes).verify()
    except Exception:  # noqa: BLE001 - any verifier failure means: stay scalar
        return False
    return True


@dataclass
class _Operand:
    value: SSAValue
    indices: list[Linear]
    """One linear index per memref dimension (empty for a scalar)."""
    is_memref: bool

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
    reduction: bool
    combiners: list[Operation]
    """Per output (reduction plans only): the op folding the output."""


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
        if _lane_bits(element) is None:
            return None
        result.append(
            _Operand(
                value, [i for i in indices if i is not None], isa(type_, MemRefType)
            )
        )
    return result


def _extents(op: GenericOp, operands: list[_Operand]) -> list[int] | None:
    """Each loop dimension's extent, read off an operand indexed by it alone."""
    rank = len(op.iterator_types)
    extents: list[int | None] = [None] * rank
    for operand in operands:
        if not isa(operand.value.type, MemRefType[Attribute]):
            continue
        for index, size in zip(
            operand.indices, operand.value.type.get_shape(), strict=True
        ):
            if len(index) == 1 and next(iter(index.values())) == 1:
                (dim,) = index
                if dim is not None:
                    extents[dim] = size
    if any(e is None or e <= 0 for e in extents) or not extents:
        return None
    return [e for e in extents if e is not None]


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
        if not isinstance(comb, Operation) or type(comb) not in COMBINERS:
            return None
        if comb.parent_block() is not block:
            return None
        if out_arg.uses.get_length() != 1 or out_arg not in comb.operands:
            return None
        if comb.operands[0] is comb.operands[1]:
            return None
        if comb.results[0].uses.get_length() != 1:
            return None
        found.append(comb)
    return found


def plan(op: GenericOp, vector_bits: int) -> _Plan | None:
    """The vectorization of `op`, or None if it stays scalar."""
    if op.res or not op.outputs:
        return None
    operands = _operands(op)
    if operands is None:
        return None
    extents = _extents(op, operands)
    if extents is None:
        return None
    bits = max(
        _lane_bits(
            o.value.type.element_type if isa(o.value.type, MemRefType) else o.value.type
        )
        or 0
        for o in operands
    )
    lanes = max(1, vector_bits // bits)
    if not _body_ok(op.body.block, lanes):
        return None
    outputs = operands[len(op.inputs) :]
    iterators = [t.data for t in op.iterator_types]
    last = len(extents) - 1

    def loads_ok(dim: int, group: Sequence[_Operand]) -> bool:
        return all(
            o.contiguous_in(dim) if o.depends_on(dim) else True for o in group
        ) and all(not o.depends_on(dim) or o.is_memref for o in group)

    if iterators[last] == IteratorType.REDUCTION:
        combiners = _combiners(op)
        inputs = operands[: len(op.inputs)]
        if (
            combiners is not None
            and loads_ok(last, inputs)
            and not any(o.depends_on(last) for o in outputs)
        ):
            return _Plan(op, operands, extents, last, lanes, True, combiners)
    for dim in reversed(range(len(extents))):
        if iterators[dim] != IteratorType.PARALLEL or extents[dim] == 1:
            continue
        if all(o.depends_on(dim) and o.contiguous_in(dim) for o in outputs) and (
            loads_ok(dim, operands)
        ):
            return _Plan(op, operands, extents, dim, lanes, False, [])
    return None


# --------------------------------------------------------------------------- #
# Code generation
# --------------------------------------------------------------------------- #


class _Builder:
    """Appends ops to the current block; index constants go before the nest."""

    def __init__(self) -> None:
        self.blocks: list[Block] = [Block()]
        self.constants: list[Operation] = []
        self.index_constants: dict[int, SSAValue] = {}

    def emit(self, op: Operation) -> SSAValue:
        self.add(op)
        return op.results[0]

    def add(self, op: Operation) -> None:
        self.blocks[-1].add_op(op)

    def index(self, value: int) -> SSAValue:
        if value not in self.index_constants:
            op = arith.ConstantOp.from_int_and_width(value, IndexType())
            self.constants.append(op)
            self.index_constants[value] = op.result
        return self.index_constants[value]

    def ops(self) -> list[Operation]:
        """The constants, then the nest (detached from the builder)."""
        (top,) = self.blocks
        nest = list(top.ops)
        for op in nest:
            op.detach()
        return [*self.constants, *nest]


def _constant(b: _Builder, value: float, type_: Attribute) -> SSAValue:
    if isa(type_, IntegerType):
        return b.emit(arith.ConstantOp(IntegerAttr(int(value), type_)))
    assert isa(type_, AnyFloat)
    return b.emit(arith.ConstantOp(FloatAttr(value, type_)))


@dataclass
class _Emitter:
    """Emits the vectorized generic of one plan."""

    p: _Plan
    b: _Builder
    ivs: dict[int, SSAValue]

    def vtype(self, element: Attribute) -> VectorType[Attribute]:
        return VectorType(element, [self.p.lanes])

    def index_values(self, operand: _Operand, v_index: SSAValue) -> list[SSAValue]:
        values: list[SSAValue] = []
        for index in operand.indices:
            terms: list[SSAValue] = []
            for dim, coef in sorted(
                index.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
            ):
                if dim is None or coef == 0:
                    continue
                iv = v_index if dim == self.p.v else self.ivs.get(dim)
                if iv is None:  # an extent-1 dimension: index 0
                    continue
                if coef != 1:
                    iv = self.b.emit(arith.MuliOp(iv, self.b.index(coef)))
                terms.append(iv)
            const = index.get(None, 0)
            if const or not terms:
                terms.append(self.b.index(const))
            total = terms[0]
            for term in terms[1:]:
                total = self.b.emit(arith.AddiOp(total, term))
            values.append(total)
        return values

    def load(
        self, operand: _Operand, v_index: SSAValue, mask: SSAValue | None
    ) -> SSAValue:
        value = operand.value
        if not operand.is_memref:
            return self.b.emit(vector.BroadcastOp(value, self.vtype(value.type)))
        element = value.type.element_type  # type: ignore[union-attr]
        indices = self.index_values(operand, v_index)
        if not operand.depends_on(self.p.v):
            scalar = self.b.emit(memref.LoadOp.get(value, indices))
            return self.b.emit(vector.BroadcastOp(scalar, self.vtype(element)))
        if mask is None:
            return self.b.emit(vector.LoadOp(value, indices, self.vtype(element)))
        zero = _constant(self.b, 0, element)
        passthru = self.b.emit(vector.BroadcastOp(zero, self.vtype(element)))
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
        self, v_index: SSAValue, mask: SSAValue | None, loaded_outputs: bool
    ) -> dict[SSAValue, SSAValue]:
        """The generic's body on vectors: a map from scalar to vector values."""
        op = self.p.op
        block = op.body.block
        mapping: dict[SSAValue, SSAValue] = {}
        n_in = len(op.inputs)
        for i, arg in enumerate(block.args):
            if i >= n_in and not loaded_outputs:
                continue
            if arg.uses:
                mapping[arg] = self.load(self.p.operands[i], v_index, mask)
        skip = set(self.p.combiners)
        for body_op in block.ops:
            if isinstance(body_op, YieldOp) or body_op in skip:
                continue
            operands: list[SSAValue] = []
            for operand in body_op.operands:
                if operand not in mapping:  # defined outside the generic
                    mapping[operand] = self.b.emit(
                        vector.BroadcastOp(operand, self.vtype(operand.type))
                    )
                operands.append(mapping[operand])
            if isinstance(body_op, arith.ConstantOp):
                scalar = self.b.emit(body_op.clone())
                vec = self.b.emit(vector.BroadcastOp(scalar, self.vtype(scalar.type)))
                mapping[body_op.result] = vec
                continue
            new = vector_clone(body_op, operands, self.p.lanes)
            self.b.add(new)
            for old, result in zip(body_op.results, new.results, strict=True):
                mapping[old] = result
        return mapping


def _folded(comb: Operation, out_arg: SSAValue) -> SSAValue:
    """The operand of a combiner that is not the output's block argument."""
    lhs, rhs = comb.operands
    return rhs if lhs is out_arg else lhs


def _mark_parallel(loop: scf.ForOp) -> None:
    loop.attributes[PARALLEL_ATTR] = UnitAttr()


def _emit_loops(
    p: _Plan,
    b: _Builder,
    dims: list[int],
    ivs: dict[int, SSAValue],
    inner: Callable[[dict[int, SSAValue]], None],
) -> scf.ForOp | None:
    """`scf.for` over `dims` (outermost first) around `inner`; the outermost."""
    if not dims:
        inner(ivs)
        return None
    dim, rest = dims[0], dims[1:]
    block = Block(arg_types=[IndexType()])
    loop = scf.ForOp(b.index(0), b.index(p.extents[dim]), b.index(1), [], Region(block))
    b.add(loop)
    b.blocks.append(block)
    _emit_loops(p, b, rest, {**ivs, dim: block.args[0]}, inner)
    block.add_op(scf.YieldOp())
    b.blocks.pop()
    return loop


def _emit_vector_dim(
    p: _Plan, b: _Builder, ivs: dict[int, SSAValue]
) -> scf.ForOp | None:
    """The loop over `v` (steps of W) and its masked tail; the loop, if any."""
    extent, lanes = p.extents[p.v], p.lanes
    full = extent - extent % lanes
    e = _Emitter(p, b, ivs)
    op = p.op
    out_args = op.body.block.args[len(op.inputs) :]
    yield_op = op.body.block.last_op
    assert isinstance(yield_op, YieldOp)
    loop: scf.ForOp | None = None

    if not p.reduction:

        def step(v_index: SSAValue, mask: SSAValue | None) -> None:
            mapping = e.body(v_index, mask, loaded_outputs=True)
            outputs = p.operands[len(op.inputs) :]
            for operand, yielded in zip(outputs, yield_op.operands, strict=True):
                value = mapping.get(yielded)
                if value is None:  # a value from outside the generic
                    value = b.emit(vector.BroadcastOp(yielded, e.vtype(yielded.type)))
                e.store(operand, v_index, value, mask)

        if full:
            block = Block(arg_types=[IndexType()])
            loop = scf.ForOp(
                b.index(0), b.index(full), b.index(lanes), [], Region(block)
            )
            b.add(loop)
            b.blocks.append(block)
            step(block.args[0], None)
            block.add_op(scf.YieldOp())
            b.blocks.pop()
        if full != extent:
            mask = b.emit(
                vector.CreateMaskOp([b.index(extent - full)], _mask_type(lanes))
            )
            step(b.index(full), mask)
        return loop

    types = [e.vtype(a.type) for a in out_args]
    neutral: list[SSAValue] = []
    for comb, type_ in zip(p.combiners, types, strict=True):
        _, value = COMBINERS[type(comb)]
        scalar = _constant(b, value(type_.element_type), type_.element_type)
        neutral.append(b.emit(vector.BroadcastOp(scalar, type_)))

    def fold(
        v_index: SSAValue, mask: SSAValue | None, accs: Sequence[SSAValue]
    ) -> list[SSAValue]:
        mapping = e.body(v_index, mask, loaded_outputs=False)
        new: list[SSAValue] = []
        for comb, out_arg, acc, zero in zip(
            p.combiners, out_args, accs, neutral, strict=True
        ):
            operand = _folded(comb, out_arg)
            value = mapping.get(operand)
            if value is None:
                value = b.emit(vector.BroadcastOp(operand, e.vtype(operand.type)))
            if mask is not None:
                value = b.emit(arith_ext.SelectOp(mask, value, zero))
            args = [acc, value] if comb.operands[0] is out_arg else [value, acc]
            new.append(b.emit(vector_clone(comb, args, p.lanes)))
        return new

    accs: list[SSAValue] = list(neutral)
    if full:
        block = Block(arg_types=[IndexType(), *types])
        loop = scf.ForOp(b.index(0), b.index(full), b.index(lanes), accs, Region(block))
        b.add(loop)
        b.blocks.append(block)
        block.add_op(scf.YieldOp(*fold(block.args[0], None, block.args[1:])))
        b.blocks.pop()
        accs = list(loop.results)
    if full != extent:
        mask = b.emit(vector.CreateMaskOp([b.index(extent - full)], _mask_type(lanes)))
        accs = fold(b.index(full), mask, accs)
    outputs = p.operands[len(op.inputs) :]
    for comb, operand, acc in zip(p.combiners, outputs, accs, strict=True):
        indices = e.index_values(operand, b.index(0))
        old = b.emit(memref.LoadOp.get(operand.value, indices))
        kind, _ = COMBINERS[type(comb)]
        # xDSL 0.74's ReductionOp.__init__ types its result as the vector.
        reduction = vector.ReductionOp.create(
            operands=[acc, old],
            result_types=[old.type],
            properties={
                "kind": vector.CombiningKindAttr(kind),
                "fastmath": arith.FastMathFlagsAttr((arith.FastMathFlag.REASSOC,))
                if isa(old.type, AnyFloat)
                else arith.FastMathFlagsAttr("none"),
            },
        )
        b.add(reduction)
        b.add(memref.StoreOp.get(reduction.results[0], operand.value, indices))
    return loop


def _mask_type(lanes: int) -> VectorType[Attribute]:
    return VectorType(IntegerType(1), [lanes])


@dataclass
class VectorizeGeneric(RewritePattern):
    """A memref-level `linalg.generic` → a vectorized `scf.for` nest."""

    vector_bits: int

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GenericOp, rewriter: PatternRewriter) -> None:
        p = plan(op, self.vector_bits)
        if p is None:
            return
        b = _Builder()
        iterators = [t.data for t in op.iterator_types]
        dims = [d for d in range(len(p.extents)) if d != p.v and p.extents[d] > 1]
        parallel = [d for d in dims if iterators[d] == IteratorType.PARALLEL]
        reduction = [d for d in dims if iterators[d] != IteratorType.PARALLEL]
        inner_loops: list[scf.ForOp | None] = []

        def inner(ivs: dict[int, SSAValue]) -> None:
            inner_loops.append(_emit_vector_dim(p, b, ivs))

        outer = _emit_loops(p, b, parallel + reduction, {}, inner)
        if parallel and outer is not None:
            _mark_parallel(outer)
        elif not dims and not p.reduction and inner_loops[0] is not None:
            _mark_parallel(inner_loops[0])
        rewriter.replace(op, b.ops(), [])


@dataclass(frozen=True)
class LinalgVectorizePass(ModulePass):
    """Vectorize elementwise and reduction generics (see the module docstring)."""

    name = "linalg-vectorize"

    vector_bits: int = 0
    """The vector register width in bits; 0 takes the target's (`MLC_TARGET`)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        bits = self.vector_bits or current_target().vector_bits
        PatternRewriteWalker(
            VectorizeGeneric(bits), apply_recursively=False
        ).rewrite_module(op)


__all__ = ["COMBINERS", "LinalgVectorizePass", "VectorizeGeneric", "plan"]
