"""
`linalg-fuse-elementwise`: merge elementwise `linalg.generic` producers into
their consumers at the tensor level (docs/architecture.md, "The pipeline", step 2).

The rule is upstream MLIR's `linalg-fuse-elementwise-ops`
(`ElementwiseOpFusion.cpp`), restricted to single-use producers: a producer
`linalg.generic` whose iterators are all parallel, with one tensor result whose
indexing map is a permutation, and whose only use is an *input* of a consumer
`linalg.generic`, disappears into that consumer. In the consumer's loop space
the producer's iteration point is `inverse(P_out) ∘ C_k` (`P_out` the
producer's output map, `C_k` the consumer's map of the fused operand), so each
producer input `i` is read through `P_i ∘ inverse(P_out) ∘ C_k`; the
producer's scalar body is inlined in place of the consumer's block argument.
Repeated to a fixpoint, a chain of elementwise generics becomes one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import AffineMapAttr, ModuleOp, TensorType
from xdsl.dialects.linalg.attrs import IteratorType
from xdsl.dialects.linalg.ops import GenericOp, IndexOp, YieldOp
from xdsl.ir import Attribute, Block, BlockArgument, Region, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

# ----- helpers --------------------------------------------------------------- #


def _maps(op: GenericOp) -> list[AffineMap]:
    return [attr.data for attr in op.indexing_maps]


def _is_permutation(map_: AffineMap) -> bool:
    """`map_` is a bijection of its dims (`(d0, d1) -> (d1, d0)`), no symbols."""
    dims = [e.position for e in map_.results if isinstance(e, AffineDimExpr)]
    return (
        map_.num_symbols == 0
        and len(dims) == len(map_.results)
        and sorted(dims) == list(range(map_.num_dims))
    )


def _covers_every_loop(maps: Sequence[AffineMap], num_loops: int) -> bool:
    """
    Each loop appears as a plain dimension of some operand's map, so the loop
    bounds follow from the operand shapes (upstream's coverage rule for
    reductions; for a parallel consumer its output map already ensures it).
    """
    covered = {
        e.position for m in maps for e in m.results if isinstance(e, AffineDimExpr)
    }
    return covered == set(range(num_loops))


def _has_tensor_semantics(op: GenericOp) -> bool:
    return all(isinstance(r.type, TensorType) for r in op.results) and all(
        isinstance(v.type, TensorType) for v in op.outputs
    )


def _fusable_producer(value: SSAValue) -> GenericOp | None:
    """The elementwise, single-use, invertible-output generic defining `value`."""
    producer = value.owner
    if not isinstance(producer, GenericOp):
        return None
    if producer.library_call is not None:
        return None
    if len(producer.res) != 1 or len(producer.outputs) != 1:
        return None
    if not _has_tensor_semantics(producer) or not value.has_one_use():
        return None
    if any(it.data != IteratorType.PARALLEL for it in producer.iterator_types):
        return None
    if not _is_permutation(_maps(producer)[-1]):
        return None
    block = producer.body.block
    # The producer's init value must not be read: it is not carried into the
    # fused op (upstream MLIR also fuses only producers whose outs are unused).
    if block.args[len(producer.inputs)].uses:
        return None
    # A `linalg.index` is in the producer's loop space; remapping it is not
    # implemented (and xDSL 0.74's interpreter cannot run it), so do not fuse.
    if any(isinstance(op, IndexOp) for op in block.walk()):
        return None
    return producer


def _inline_bodies(producer: GenericOp, consumer: GenericOp, index: int) -> Region:
    """The fused body: producer's ops, then consumer's, its yield inlined."""
    p_block, c_block = producer.body.block, consumer.body.block
    n_in = len(producer.inputs)
    p_ins = list(p_block.args[:n_in])
    c_args = list(c_block.args)
    arg_owners = [*c_args[:index], *p_ins, *c_args[index + 1 :]]
    block = Block(arg_types=[a.type for a in arg_owners])
    mapper: dict[SSAValue, SSAValue] = {}
    for old, new in zip(arg_owners, block.args, strict=True):
        new.name_hint = old.name_hint
        mapper[old] = new
    for op in p_block.ops:
        if isinstance(op, YieldOp):
            yielded = op.operands[0]
            mapper[c_args[index]] = mapper.get(yielded, yielded)
        else:
            block.add_op(op.clone(mapper))
    for op in c_block.ops:
        block.add_op(op.clone(mapper))
    return Region(block)


def fuse_into_consumer(
    producer: GenericOp, consumer: GenericOp, index: int
) -> GenericOp | None:
    """
    The generic computing `consumer` with `producer` (its input `index`)
    inlined, or None when the loop bounds would no longer follow from the
    fused op's operands, or when `consumer` reads `producer` through a map
    that is not a permutation (fusing would duplicate work).
    """
    p_maps, c_maps = _maps(producer), _maps(consumer)
    if not _is_permutation(c_maps[index]):
        # Read through a projection (a matmul's operand; a batch norm's
        # per-channel scale, broadcast over the image), the producer's body
        # would be recomputed for every point of the loops the map drops:
        # upstream fuses anyway, mlc keeps the producer, whose result is the
        # smaller tensor (and the later epilogue fusion is where an
        # elementwise op meets a contraction).
        return None
    inverse = p_maps[-1].inverse_permutation()
    assert inverse is not None  # _fusable_producer checked the permutation
    to_producer_loops = inverse.compose(c_maps[index])
    inputs = [
        *consumer.inputs[:index],
        *producer.inputs,
        *consumer.inputs[index + 1 :],
    ]
    maps = [
        *c_maps[:index],
        *(m.compose(to_producer_loops) for m in p_maps[:-1]),
        *c_maps[index + 1 :],
    ]
    if not _covers_every_loop(maps, len(consumer.iterator_types)):
        return None
    types: list[Attribute] = [r.type for r in consumer.res]
    return GenericOp(
        inputs,
        consumer.outputs,
        _inline_bodies(producer, consumer, index),
        [AffineMapAttr(m) for m in maps],
        consumer.iterator_types,
        types,
        consumer.doc,
        consumer.library_call,
    )


# ----- patterns -------------------------------------------------------------- #


@dataclass(frozen=True)
class FuseElementwiseProducer(RewritePattern):
    """Fuse the first fusable producer of a generic's inputs into it."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, consumer: GenericOp, rewriter: PatternRewriter) -> None:
        if not _has_tensor_semantics(consumer) or consumer.library_call is not None:
            return
        for index, operand in enumerate(consumer.inputs):
            producer = _fusable_producer(operand)
            if producer is None:
                continue
            fused = fuse_into_consumer(producer, consumer, index)
            if fused is None:
                continue
            rewriter.replace(consumer, fused)
            rewriter.erase(producer)
            return


@dataclass(frozen=True)
class DeduplicateGenericInputs(RewritePattern):
    """
    Drop an input of a generic that repeats an earlier one (same value, same
    map), reading the earlier block argument instead; this also turns a
    producer read twice by one consumer into a single-use producer.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GenericOp, rewriter: PatternRewriter) -> None:
        maps = _maps(op)
        seen: dict[tuple[SSAValue, AffineMap], int] = {}
        keep: list[int] = []
        for i, value in enumerate(op.inputs):
            first = seen.setdefault((value, maps[i]), i)
            if first == i:
                keep.append(i)
        if len(keep) == len(op.inputs):
            return
        args = op.body.block.args
        n_in = len(op.inputs)
        for i in range(n_in):
            first = seen[(op.inputs[i], maps[i])]
            if first != i:
                args[i].replace_all_uses_with(args[first])
        kept_args = [args[i] for i in keep] + list(args[n_in:])
        rewriter.replace(op, _rebuilt(op, keep, kept_args, maps))


def _rebuilt(
    op: GenericOp,
    keep: Sequence[int],
    kept_args: Sequence[BlockArgument],
    maps: Sequence[AffineMap],
) -> GenericOp:
    """`op` with only the inputs `keep`, its body moved into a new block."""
    old_block = op.body.block
    block = Block(arg_types=[a.type for a in kept_args])
    for old, new in zip(kept_args, block.args, strict=True):
        new.name_hint = old.name_hint
        old.replace_all_uses_with(new)
    for body_op in list(old_block.ops):
        body_op.detach()
        block.add_op(body_op)
    n_in = len(op.inputs)
    new_maps = [maps[i] for i in keep] + list(maps[n_in:])
    types: list[Attribute] = [r.type for r in op.res]
    return GenericOp(
        [op.inputs[i] for i in keep],
        op.outputs,
        Region(block),
        [AffineMapAttr(m) for m in new_maps],
        op.iterator_types,
        types,
        op.doc,
        op.library_call,
    )


def linalg_fuse_elementwise_patterns() -> list[RewritePattern]:
    """The pass's patterns, for a composite pass or pipeline to merge."""
    return [DeduplicateGenericInputs(), FuseElementwiseProducer()]


# ----- pass ------------------------------------------------------------------ #


@dataclass(frozen=True)
class LinalgFuseElementwisePass(ModulePass):
    """
    Fuse elementwise `linalg.generic` producers into the generics that consume
    them, to a fixpoint (upstream MLIR's `linalg-fuse-elementwise-ops`,
    single-use producers only).

    **Input invariant**: tensor-level IR (docs/architecture.md): `linalg.generic`s on
    ranked tensors with projected-permutation or constant-index indexing maps.

    **Output IR**: the same computation, with every fusable producer gone: a
    producer `linalg.generic` with only parallel iterators, one tensor result
    whose indexing map is a permutation, one use, which is an input of another
    tensor `linalg.generic`, whose body does not read its `outs` value and has
    no `linalg.index`, is replaced inside its consumer by its own inputs (maps
    composed, `P_i ∘ inverse(P_out) ∘ C_k`) and its inlined scalar body. A
    consumer with reduction iterators (a row sum, say) is fused into as well
    when it reads the producer through a permutation, so no producer element
    is computed twice, and every loop is still a plain dimension of some
    operand's map (upstream's coverage rule); a contraction reading the
    producer through a projection (a matmul as a generic) is not.
    Inputs repeated with the same map are read once. A chain of elementwise
    generics becomes one generic.

    **Invariants**: producers with several uses stay (fusion never
    duplicates work across consumers); only generics are rewritten, except
    that, as with MLIR's greedy driver, trivially dead ops (such as the fused
    producers' `tensor.empty` inits) are erased; the pass never fails; the
    result is valid for upstream `mlir-opt`.
    """

    name = "linalg-fuse-elementwise"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier(list(linalg_fuse_elementwise_patterns())),
        ).rewrite_module(op)
