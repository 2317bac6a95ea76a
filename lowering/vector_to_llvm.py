"""
`convert-vector-to-llvm`: the 1-D vector ops of a vectorized loop level become
LLVM vector instructions and intrinsics.

`vector.load`/`store` on a memref read or write `vector<Nx...>` at the address of
the memref element `[i, j, ...]`, computed as `convert-memref-to-llvm` does
(`ptr + Σ i_k * stride_k`, `element_ptr`), with the element's alignment; the
vector's elements are contiguous, so the innermost stride must be 1.
`vector.broadcast` of a scalar is `insertelement` into lane 0 and a zero-mask
`shufflevector`; `vector.fma` is `llvm.intr.fma`; `vector.reduction` is the
matching `llvm.intr.vector.reduce.*` (float `add`/`mul` with the accumulator,
or the neutral element, as start value; the other kinds combine an accumulator
with the scalar op). `vector.extract`/`insert` of one element and
`vector.shuffle` map one to one. Splat constants (`arith.constant dense<...> :
vector<...>`) are `convert-arith-to-llvm`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from xdsl.context import Context
from xdsl.dialects import llvm, vector
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    VectorType,
    i32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.exceptions import PassFailedException
from xdsl.utils.hints import isa

from mlc.dialects import llvm_ext, llvm_reductions
from mlc.lowering.llvm_common import (
    element_ptr,
    fast_math,
    from_llvm,
    memref_type,
    strides,
    to_llvm,
)
from mlc.lowering.utils import located_failure, require_converted

CombiningKind = vector.CombiningKindFlag


def _fail(op: Operation, message: str) -> PassFailedException:
    return located_failure(op, f"convert-vector-to-llvm: {message}")


def _emit(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    rewriter.insert(op)
    return op.results[0]


def _i64(rewriter: PatternRewriter, value: int) -> SSAValue:
    return _emit(rewriter, llvm.ConstantOp(IntegerAttr(value, i64), i64))


def _vector_1d(op: Operation, type_: Attribute) -> VectorType[Attribute]:
    """`type_` as a 1-D vector type; anything else fails the pass at `op`."""
    if not isa(type_, VectorType[Attribute]) or type_.get_num_dims() != 1:
        raise _fail(op, f"only 1-D vectors are supported, not {type_}")
    if type_.get_num_scalable_dims():
        raise _fail(op, f"scalable vectors are not supported ({type_})")
    return type_


def _vector_address(
    rewriter: PatternRewriter,
    op: Operation,
    base: SSAValue,
    indices: Sequence[SSAValue],
) -> tuple[SSAValue, int]:
    """The address of `base[indices]` and the element alignment."""
    if strides(op, memref_type(base))[-1:] not in ((), (1,)):
        raise _fail(op, f"the innermost dimension of {base.type} is not contiguous")
    ptr, _, align = element_ptr(rewriter, op, base, indices)
    return ptr, align


# --------------------------------------------------------------------------- #
# Builders: op -> its LLVM value (operands already LLVM-typed where needed)
# --------------------------------------------------------------------------- #


def _load(rewriter: PatternRewriter, op: vector.LoadOp) -> SSAValue:
    type_ = _vector_1d(op, op.result.type)
    ptr, align = _vector_address(rewriter, op, op.base, op.indices)
    return _emit(rewriter, llvm.LoadOp(ptr, type_, alignment=align))


def _store(rewriter: PatternRewriter, op: vector.StoreOp) -> None:
    _vector_1d(op, op.vector.type)
    ptr, align = _vector_address(rewriter, op, op.base, op.indices)
    value = to_llvm(rewriter, op.vector)
    rewriter.insert(llvm.StoreOp(value, ptr, alignment=align))


def _maskedload(rewriter: PatternRewriter, op: vector.MaskedLoadOp) -> SSAValue:
    _vector_1d(op, op.result.type)
    ptr, align = _vector_address(rewriter, op, op.base, op.indices)
    mask, passthru = to_llvm(rewriter, op.mask), to_llvm(rewriter, op.pass_thru)
    return _emit(rewriter, llvm_ext.MaskedLoadOp(ptr, mask, passthru, align))


def _maskedstore(rewriter: PatternRewriter, op: vector.MaskedStoreOp) -> None:
    _vector_1d(op, op.value_to_store.type)
    ptr, align = _vector_address(rewriter, op, op.base, op.indices)
    value, mask = to_llvm(rewriter, op.value_to_store), to_llvm(rewriter, op.mask)
    rewriter.insert(llvm.MaskedStoreOp(value, ptr, mask, align))


def _create_mask(rewriter: PatternRewriter, op: vector.CreateMaskOp) -> SSAValue:
    """Lane `k` is set iff `k < n`: a step vector compared with `n` splat."""
    type_ = _vector_1d(op, op.mask_vector.type)
    lanes = type_.get_shape()[0]
    index_type = VectorType(i64, [lanes])
    steps = DenseIntOrFPElementsAttr.from_list(
        cast(Any, index_type), list(range(lanes))
    )
    step = _emit(rewriter, llvm.ConstantOp(steps, index_type))
    bound = splat(rewriter, to_llvm(rewriter, op.mask_dim_sizes[0]), index_type)
    predicate = IntegerAttr(llvm.ICmpPredicateFlag("slt").to_int(), i64)
    return _emit(rewriter, llvm.ICmpOp(step, bound, predicate))


def splat(rewriter: PatternRewriter, scalar: SSAValue, type_: VectorType) -> SSAValue:
    """`scalar` in every lane: insertelement into lane 0, zero-mask shuffle."""
    undef = _emit(rewriter, llvm.UndefOp(type_))
    lane0 = _emit(rewriter, llvm.InsertElementOp(undef, scalar, _i64(rewriter, 0)))
    mask = DenseArrayBase.from_list(i32, [0] * type_.get_shape()[0])
    return _emit(rewriter, llvm.ShuffleVectorOp(lane0, undef, mask, type_))


def _broadcast(rewriter: PatternRewriter, op: vector.BroadcastOp) -> SSAValue:
    type_ = _vector_1d(op, op.vector.type)
    source = to_llvm(rewriter, op.source)
    if source.type == type_:
        return source
    if isa(source.type, VectorType[Attribute]):
        if source.type.get_shape() != (1,):
            raise _fail(op, f"cannot broadcast {source.type} to {type_}")
        scalar = _emit(rewriter, llvm_ext.ExtractElementOp(source, _i64(rewriter, 0)))
        return splat(rewriter, scalar, type_)
    return splat(rewriter, source, type_)


def _fma(rewriter: PatternRewriter, op: vector.FMAOp) -> SSAValue:
    _vector_1d(op, op.res.type)
    a, b, c = (to_llvm(rewriter, v) for v in (op.lhs, op.rhs, op.acc))
    return _emit(rewriter, llvm.FMAOp(a, b, c, fast_math(op)))


def _position(
    rewriter: PatternRewriter, op: vector.ExtractOp | vector.InsertOp
) -> SSAValue:
    """The single lane of a 1-D extract/insert as an `i64` value."""
    positions = op.get_mixed_position()
    if len(positions) != 1:
        raise _fail(op, "only single elements of 1-D vectors are supported")
    position = positions[0]
    if isinstance(position, int):
        if position < 0:
            raise _fail(op, "a poison (negative) position is not supported")
        return _i64(rewriter, position)
    return to_llvm(rewriter, position)


def _extract(rewriter: PatternRewriter, op: vector.ExtractOp) -> SSAValue:
    _vector_1d(op, op.vector.type)
    position = _position(rewriter, op)
    source = to_llvm(rewriter, op.vector)
    return _emit(rewriter, llvm_ext.ExtractElementOp(source, position))


def _insert(rewriter: PatternRewriter, op: vector.InsertOp) -> SSAValue:
    _vector_1d(op, op.dest.type)
    position = _position(rewriter, op)
    dest, source = to_llvm(rewriter, op.dest), to_llvm(rewriter, op.source)
    return _emit(rewriter, llvm.InsertElementOp(dest, source, position))


def _shuffle(rewriter: PatternRewriter, op: vector.ShuffleOp) -> SSAValue:
    type_ = _vector_1d(op, op.result.type)
    _vector_1d(op, op.v1.type)
    v1, v2 = to_llvm(rewriter, op.v1), to_llvm(rewriter, op.v2)
    mask = DenseArrayBase.from_list(i32, list(op.mask.iter_values()))
    return _emit(rewriter, llvm.ShuffleVectorOp(v1, v2, mask, type_))


IntReduction = type[llvm_reductions.IntVectorReduction]
FloatReduction = type[llvm_reductions.FloatVectorReduction]
Combine = Callable[[SSAValue, SSAValue], Operation]

INT_REDUCTIONS: dict[CombiningKind, tuple[IntReduction, Combine]] = {
    CombiningKind.ADD: (llvm_ext.VectorReduceAddOp, llvm.AddOp),
    CombiningKind.MUL: (llvm_ext.VectorReduceMulOp, llvm.MulOp),
    CombiningKind.AND: (llvm_ext.VectorReduceAndOp, llvm.AndOp),
    CombiningKind.OR: (llvm_ext.VectorReduceOrOp, llvm.OrOp),
    CombiningKind.XOR: (llvm_ext.VectorReduceXorOp, llvm.XOrOp),
    CombiningKind.MAXSI: (llvm_ext.VectorReduceSMaxOp, llvm_ext.SMaxOp),
    CombiningKind.MINSI: (llvm_ext.VectorReduceSMinOp, llvm_ext.SMinOp),
    CombiningKind.MAXUI: (llvm_ext.VectorReduceUMaxOp, llvm_ext.UMaxOp),
    CombiningKind.MINUI: (llvm_ext.VectorReduceUMinOp, llvm_ext.UMinOp),
}
"""Integer kinds: the reduction intrinsic and the op combining an accumulator."""

FloatCombine = Callable[[SSAValue, SSAValue, llvm.FastMathAttr], Operation]

FLOAT_REDUCTIONS: dict[CombiningKind, tuple[FloatReduction, FloatCombine]] = {
    CombiningKind.MAXIMUMF: (llvm_ext.VectorReduceFMaximumOp, llvm_ext.MaximumOp),
    CombiningKind.MINIMUMF: (llvm_ext.VectorReduceFMinimumOp, llvm_ext.MinimumOp),
    CombiningKind.MAXNUMF: (llvm_ext.VectorReduceFMaxOp, llvm.VectorFMaxOp),
    CombiningKind.MINNUMF: (llvm_ext.VectorReduceFMinOp, llvm.VectorFMinOp),
}
"""Float min/max kinds: the reduction intrinsic and the combining intrinsic."""


def _reduction(rewriter: PatternRewriter, op: vector.ReductionOp) -> SSAValue:
    source_type = _vector_1d(op, op.vector.type)
    element = source_type.element_type
    kind = op.kind.data
    source = to_llvm(rewriter, op.vector)
    acc = None if op.acc is None else to_llvm(rewriter, op.acc)
    fm = fast_math(op)
    if isa(element, IntegerType):
        if kind not in INT_REDUCTIONS:
            raise _fail(op, f"no '{kind}' reduction of integers")
        reduce, combine = INT_REDUCTIONS[kind]
        result = _emit(rewriter, reduce(source))
        return result if acc is None else _emit(rewriter, combine(result, acc))
    if not isa(element, AnyFloat):
        raise _fail(op, f"no reduction of {element}")
    if kind in (CombiningKind.ADD, CombiningKind.MUL):
        # Ordered (sequential) unless the fast-math flags allow reassociation.
        neutral = -0.0 if kind == CombiningKind.ADD else 1.0
        start = acc or _emit(
            rewriter, llvm.ConstantOp(FloatAttr(neutral, element), element)
        )
        cls = (
            llvm.VectorReduceFAddOp
            if kind == CombiningKind.ADD
            else llvm.VectorReduceFMulOp
        )
        return _emit(rewriter, cls(start, source, fm))
    if kind not in FLOAT_REDUCTIONS:
        raise _fail(op, f"no '{kind}' reduction of floats")
    reduce_f, combine_f = FLOAT_REDUCTIONS[kind]
    result = _emit(rewriter, reduce_f(source, fm))
    return result if acc is None else _emit(rewriter, combine_f(result, acc, fm))


def _replace(rewriter: PatternRewriter, op: Operation, result: SSAValue) -> None:
    """Replace `op`'s result by `result`, cast back for unconverted users."""
    rewriter.replace(op, [], [from_llvm(rewriter, result, op.results[0].type)])


class LoadLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: vector.LoadOp, rewriter: PatternRewriter) -> None:
        _replace(rewriter, op, _load(rewriter, op))


class StoreLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: vector.StoreOp, rewriter: PatternRewriter) -> None:
        _store(rewriter, op)
        rewriter.erase(op)


class MaskedLoadLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: vector.MaskedLoadOp, rewriter: PatternRewriter
    ) -> None:
        _replace(rewriter, op, _maskedload(rewriter, op))


class MaskedStoreLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: vector.MaskedStoreOp, rewriter: PatternRewriter
    ) -> None:
        _maskedstore(rewriter, op)
        rewriter.erase(op)


class CreateMaskLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: vector.CreateMaskOp, rewriter: PatternRewriter
    ) -> None:
        _replace(rewriter, op, _create_mask(rewriter, op))


class BroadcastLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: vector.BroadcastOp, rewriter: PatternRewriter
    ) -> None:
        _replace(rewriter, op, _broadcast(rewriter, op))


class FMALowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: vector.FMAOp, rewriter: PatternRewriter) -> None:
        _replace(rewriter, op, _fma(rewriter, op))


class ReductionLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: vector.ReductionOp, rewriter: PatternRewriter
    ) -> None:
        _replace(rewriter, op, _reduction(rewriter, op))


class ExtractLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: vector.ExtractOp, rewriter: PatternRewriter
    ) -> None:
        _replace(rewriter, op, _extract(rewriter, op))


class InsertLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: vector.InsertOp, rewriter: PatternRewriter) -> None:
        _replace(rewriter, op, _insert(rewriter, op))


class ShuffleLowering(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: vector.ShuffleOp, rewriter: PatternRewriter
    ) -> None:
        _replace(rewriter, op, _shuffle(rewriter, op))


def vector_to_llvm_patterns() -> list[RewritePattern]:
    """Every pattern of `convert-vector-to-llvm`, one per vector op."""
    return [
        LoadLowering(),
        StoreLowering(),
        MaskedLoadLowering(),
        MaskedStoreLowering(),
        CreateMaskLowering(),
        BroadcastLowering(),
        FMALowering(),
        ReductionLowering(),
        ExtractLowering(),
        InsertLowering(),
        ShuffleLowering(),
    ]


class ConvertVectorToLlvmPass(ModulePass):
    """
    Lower the 1-D vector ops of a vectorized loop level to the LLVM dialect.

    **Input invariant**: 1-D fixed-size vectors; `vector.load`/`store` on
    static-shape memrefs whose innermost stride is 1.

    **Output IR**: `vector.load`/`store` → `llvm.getelementptr` +
    `llvm.load`/`store` of the vector type (element alignment);
    `broadcast` → `llvm.insertelement` + `llvm.shufflevector`;
    `fma` → `llvm.intr.fma`; `reduction` → `llvm.intr.vector.reduce.*`;
    `extract`/`insert` → `llvm.extractelement`/`insertelement`;
    `shuffle` → `llvm.shufflevector`; `maskedload`/`maskedstore` →
    `llvm.intr.masked.load`/`store`; `create_mask` → `llvm.icmp slt` of the
    lane numbers and the splat bound. Memref operands are bridged to
    `!llvm.ptr` with `builtin.unrealized_conversion_cast`.

    **Invariants**: no vector op survives; the pass fails naming the first one
    it cannot lower (n-D vectors, transfers, `vector.print`).
    """

    name = "convert-vector-to-llvm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            # No dead-code elimination: an unsupported dead op still fails.
            GreedyRewritePatternApplier(vector_to_llvm_patterns(), dce_enabled=False),
            apply_recursively=False,
        ).rewrite_module(op)
        require_converted(op, "vector", self.name)


__all__ = [
    "FLOAT_REDUCTIONS",
    "INT_REDUCTIONS",
    "ConvertVectorToLlvmPass",
    "splat",
    "vector_to_llvm_patterns",
]
