"""
graph-fuse: group graph ops by fusion kind, outline each group as a tensor function.

The picture of docs/architecture.md: `graph.linear` followed by `graph.relu`
becomes one private `func.func @linear_relu`, called from the graph function with
`func.call`.
Groups are decided by each op's fusion kind (`mlc.dialects.graph.fusion_kind`, TVM's
op patterns), never by op name, except for one named pattern, the attention core;
the rules are in `GraphFusePass`'s docstring.
`fusion_groups` exposes the grouping alone, so tests can check its invariants.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from xdsl.context import Context
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Block, BlockArgument, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import PassFailedException

from mlc.dialects.graph import (
    FusionKind,
    LinearOp,
    MatmulOp,
    SoftmaxOp,
    TransposeOp,
    fusion_kind,
)
from mlc.support.abi import C_LIBRARY_SYMBOLS

EPILOGUE = frozenset({FusionKind.ELEMENTWISE, FusionKind.BROADCAST})
"""Kinds an output-fusable op absorbs after it and a reduction absorbs before it."""
LOCAL = EPILOGUE | {FusionKind.INJECTIVE}
"""Kinds that chain together: elementwise, broadcast and injective ops."""


class _Rule(Enum):
    """The fusion rules, applied in this order (one fixed point each)."""

    WEIGHT = "a contraction absorbs the 2-D transpose of an argument it reads"
    EPILOGUE = "an output-fusable op absorbs its elementwise consumers"
    PROLOGUE = "a reduction absorbs its elementwise producers"
    CHAIN = "elementwise, broadcast and injective ops fuse together"


def _kinds(ops: Iterable[Operation]) -> set[FusionKind]:
    return {fusion_kind(op) for op in ops}


def _rule_allows(
    rule: _Rule, producer: set[FusionKind], consumer: set[FusionKind]
) -> bool:
    """Whether `rule` lets a group of `producer` kinds fuse into one of `consumer`."""
    if rule is _Rule.WEIGHT:
        return producer == {FusionKind.INJECTIVE} and FusionKind.OUTPUT_FUSABLE in (
            consumer
        )
    if rule is _Rule.EPILOGUE:
        return FusionKind.OUTPUT_FUSABLE in producer and consumer <= EPILOGUE
    if rule is _Rule.PROLOGUE:
        return producer <= EPILOGUE and FusionKind.REDUCTION in consumer
    return producer <= LOCAL and consumer <= LOCAL


# --------------------------------------------------------------------------- #
# Grouping
# --------------------------------------------------------------------------- #


def _users(op: Operation, block: Block) -> Iterator[Operation]:
    """The ops of `block` that use a result of `op` (an op or its ancestor)."""
    for result in op.results:
        for use in result.uses:
            user = block.find_ancestor_op_in_block(use.operation)
            if user is not None:
                yield user


def _weight_layout(producer: Operation, consumer: Operation) -> bool:
    """
    `producer` is a 2-D transpose of a function argument that `consumer`, a
    `linear`, reads as its weight: an argument's layout change, which the
    contraction's lowering reads through its indexing map instead of copying.
    """
    return (
        isinstance(producer, TransposeOp)
        and isinstance(producer.input, BlockArgument)
        and producer.effective_perm() == (1, 0)
        and isinstance(consumer, LinearOp)
        and consumer.weight is producer.result
    )


def _producer(value: SSAValue, block: Block) -> Operation | None:
    """The op of `block` that defines `value`, if any."""
    owner = value.owner
    return owner if isinstance(owner, Operation) and owner.parent is block else None


def uses_stay_inside(group: set[Operation], block: Block) -> bool:
    """
    The multi-use rule: a result used inside `group` is used only inside it, so a
    producer with several uses fuses only when every use is in the same group.
    """
    for op in group:
        for result in op.results:
            users = [u.operation for u in result.uses]
            inside = [block.find_ancestor_op_in_block(u) in group for u in users]
            if any(inside) and not all(inside):
                return False
    return True


def creates_cycle(
    group: set[Operation], block: Block, index: dict[Operation, int] | None = None
) -> bool:
    """
    Whether an op outside `group` depends on a value of `group` and feeds `group`,
    so that outlining `group` into one call would make a cycle. `index` (each op's
    position in `block`) saves recomputing positions.
    """
    index = index or {op: i for i, op in enumerate(block.ops)}
    last = max(index[op] for op in group)
    seen: set[Operation] = set()
    work = [user for op in group for user in _users(op, block) if user not in group]
    while work:
        op = work.pop()
        if op in seen or index[op] > last:
            continue
        seen.add(op)
        for user in _users(op, block):
            if user in group:
                return True
            work.append(user)
    return False


@dataclass
class _Grouping:
    """Groups of one block as a union of op sets; every groupable op is in one."""

    block: Block
    max_size: int | None

    def __post_init__(self) -> None:
        self.index = {op: i for i, op in enumerate(self.block.ops)}
        self.group: dict[Operation, set[Operation]] = {
            op: {op} for op in self.index if fusion_kind(op) is not FusionKind.OPAQUE
        }

    def edges(self) -> Iterator[tuple[Operation, Operation]]:
        """(producer, consumer) pairs of groupable ops, in block order."""
        for consumer in list(self.group):
            for operand in consumer.operands:
                producer = _producer(operand, self.block)
                if producer is not None and producer in self.group:
                    yield producer, consumer

    def try_merge(self, rule: _Rule, producer: Operation, consumer: Operation) -> bool:
        """Merge the groups of an edge when `rule` and the invariants allow it."""
        first, second = self.group[producer], self.group[consumer]
        if first is second or not _rule_allows(rule, _kinds(first), _kinds(second)):
            return False
        union = first | second
        if self.max_size is not None and len(union) > self.max_size:
            return False
        if not uses_stay_inside(union, self.block):
            return False
        if creates_cycle(union, self.block, self.index):
            return False
        for op in union:
            self.group[op] = union
        return True

    def attention_core(self, softmax: Operation) -> set[Operation] | None:
        """
        `matmul -> (elementwise/broadcast ops) -> softmax -> matmul` around
        `softmax`, the second matmul taking the probabilities as its lhs: the
        scores' scale and mask ride along, the ops outside stay inputs.
        """
        users = list(_users(softmax, self.block))
        if len(users) != 1 or not isinstance(users[0], MatmulOp):
            return None
        if users[0].lhs is not softmax.results[0]:
            return None
        path = self.path_to_contraction(softmax.operands[0])
        return None if path is None else {softmax, users[0], *path}

    def path_to_contraction(self, value: SSAValue) -> list[Operation] | None:
        """Single-use elementwise/broadcast ops from `value` up to a matmul."""
        producer = _producer(value, self.block)
        if producer is None or producer not in self.group:
            return None
        if not producer.results[0].has_one_use():
            return None
        if isinstance(producer, MatmulOp):
            return [producer]
        if fusion_kind(producer) not in EPILOGUE:
            return None
        for operand in producer.operands:
            path = self.path_to_contraction(operand)
            if path is not None:
                return [producer, *path]
        return None

    def fuse_attention(self) -> None:
        """Rule 0: each attention core becomes one group (when the invariants hold)."""
        for op in list(self.group):
            if not isinstance(op, SoftmaxOp) or len(self.group[op]) > 1:
                continue
            core = self.attention_core(op)
            if core is None or any(len(self.group[member]) > 1 for member in core):
                continue
            if self.max_size is not None and len(core) > self.max_size:
                continue
            if not uses_stay_inside(core, self.block):
                continue
            if creates_cycle(core, self.block, self.index):
                continue
            for member in core:
                self.group[member] = core

    def run(self) -> list[list[Operation]]:
        self.fuse_attention()
        for rule in _Rule:
            changed = True
            while changed:
                changed = False
                for producer, consumer in self.edges():
                    if rule is _Rule.WEIGHT and not _weight_layout(producer, consumer):
                        continue
                    changed |= self.try_merge(rule, producer, consumer)
        index = self.index.__getitem__
        groups = {id(g): sorted(g, key=index) for g in self.group.values()}
        return sorted(groups.values(), key=lambda ops: index(ops[0]))


def fusion_groups(block: Block, max_size: int | None = None) -> list[list[Operation]]:
    """
    Every graph op of `block` in exactly one group (singletons included), each in
    block order, groups ordered by their first op.
    """
    return _Grouping(block, max_size).run()


def is_outlined(group: Sequence[Operation]) -> bool:
    """A group becomes a tensor function unless it only moves data (injective)."""
    return not _kinds(group) <= {FusionKind.INJECTIVE}


# --------------------------------------------------------------------------- #
# Outlining
# --------------------------------------------------------------------------- #


def _movable_constant(value: SSAValue, group: set[Operation]) -> bool:
    """An `arith.constant` whose every use is in `group` moves into the function."""
    owner = value.owner
    return isinstance(owner, arith.ConstantOp) and all(
        use.operation in group for use in owner.result.uses
    )


def _interface(
    group: Sequence[Operation],
) -> tuple[list[SSAValue], list[arith.ConstantOp], list[SSAValue]]:
    """External inputs (first-use order), constants to move, results used outside."""
    members = set(group)
    inputs: list[SSAValue] = []
    constants: list[arith.ConstantOp] = []
    for op in group:
        for operand in op.operands:
            if isinstance(operand.owner, Operation) and operand.owner in members:
                continue
            if _movable_constant(operand, members):
                assert isinstance(operand.owner, arith.ConstantOp)
                if operand.owner not in constants:
                    constants.append(operand.owner)
            elif operand not in inputs:
                inputs.append(operand)
    outputs: list[SSAValue] = [
        result
        for op in group
        for result in op.results
        if any(use.operation not in members for use in result.uses)
    ]
    return inputs, constants, outputs


def _tensor_function(
    name: str,
    group: Sequence[Operation],
    inputs: Sequence[SSAValue],
    constants: Sequence[arith.ConstantOp],
    outputs: Sequence[SSAValue],
) -> func.FuncOp:
    """A private function computing `outputs` of `group` from `inputs`."""
    input_types = [v.type for v in inputs]
    function = func.FuncOp(
        name, (input_types, [v.type for v in outputs]), visibility="private"
    )
    body = function.body.block
    mapping: dict[SSAValue, SSAValue] = dict(zip(inputs, body.args, strict=True))
    for arg, value in zip(body.args, inputs, strict=True):
        arg.name_hint = value.name_hint
    for op in [*constants, *group]:
        body.add_op(op.clone(mapping))
    body.add_op(func.ReturnOp(*(mapping[v] for v in outputs)))
    return function


def _same_function(new: func.FuncOp, old: Operation) -> bool:
    return (
        isinstance(old, func.FuncOp)
        and old.sym_visibility == StringAttr("private")
        and old.function_type == new.function_type
        and new.body.is_structurally_equivalent(old.body)
    )


@dataclass
class _Symbols:
    """The module's top-level symbols; new tensor functions go before `anchor`."""

    module: ModuleOp
    anchor: Operation

    def place(self, new: func.FuncOp, rewriter: PatternRewriter) -> str:
        """
        Add `new` under its name, or `<name>_<n>` when the name is taken by a
        different function or is a C library function's (a lone `graph.erf`
        must not become `@erf`, which the f64 math lowering calls); a
        structurally equal private function is shared.
        """
        base = new.sym_name.data
        taken = {
            op.properties["sym_name"]
            for op in self.module.ops
            if "sym_name" in op.properties
        }
        for n in range(len(taken) + 2):
            name = base if n == 0 else f"{base}_{n}"
            if name in C_LIBRARY_SYMBOLS:
                continue
            if StringAttr(name) not in taken:
                new.sym_name = StringAttr(name)
                rewriter.insert(new, InsertPoint.before(self.anchor))
                return name
            old = next(
                op
                for op in self.module.ops
                if op.properties.get("sym_name") == StringAttr(name)
            )
            if _same_function(new, old):
                return name
        raise AssertionError("unreachable: some suffix is free")


def _outline(group: Sequence[Operation], symbols: _Symbols, rewriter: PatternRewriter):
    """Replace `group` by a call to its tensor function."""
    inputs, constants, outputs = _interface(group)
    name = "_".join(op.name.partition(".")[2] for op in group)
    callee = symbols.place(
        _tensor_function(name, group, inputs, constants, outputs), rewriter
    )
    call = func.CallOp(callee, inputs, [v.type for v in outputs])
    # The call takes the place of the group's last op: every input is defined
    # before it, and the invariants make that op the group's only output (every
    # other member's result is used inside only), so every outside use follows.
    rewriter.insert(call, InsertPoint.before(group[-1]))
    for old, new in zip(outputs, call.results, strict=True):
        new.name_hint = old.name_hint
        rewriter.replace_all_uses_with(old, new)
    for op in reversed(group):
        rewriter.erase(op)
    for constant in constants:
        if not constant.result.uses:
            rewriter.erase(constant)


# --------------------------------------------------------------------------- #
# Pattern and pass
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class OutlineFusionGroups(RewritePattern):
    """Group the graph ops of a function and outline each group as a call."""

    max_group_size: int | None = None

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: func.FuncOp, rewriter: PatternRewriter) -> None:
        module = op.parent_op()
        if not isinstance(module, ModuleOp) or op.is_declaration:
            return
        symbols = _Symbols(module, op)
        for block in op.body.blocks:
            groups = fusion_groups(block, self.max_group_size)
            if op.sym_visibility == StringAttr("private") and len(groups) <= 1:
                continue  # already a tensor function: fusing is idempotent
            for group in groups:
                if is_outlined(group):
                    _outline(group, symbols, rewriter)


@dataclass(frozen=True)
class GraphFusePass(ModulePass):
    """
    Fuse graph ops by fusion kind into private tensor functions called by `func.call`.

    Grouping (TVM's FuseOps, simplified): first one pattern, the attention core
    (as TVM's composite patterns name their ops): `matmul` (the scores), the
    single-use ELEMENTWISE/BROADCAST ops on the way to a `softmax` (scale,
    mask), the `softmax`, and the `matmul` that takes the probabilities as its
    lhs form one group; then a `linear` absorbs the 2-D `transpose` of a
    function argument that is its weight (a parameter laid out for it, as
    `canonicalize` writes an ONNX MatMul by a parameter: its lowering reads the
    argument through its indexing map, so no copy is made and `pack-weights`
    packs the argument itself); then three rules by fusion kind, applied in
    order, each to a fixed point over the producer -> consumer edges of a block:
    1. an OUTPUT_FUSABLE op (linear, matmul, conv2d, pooling) absorbs its
       ELEMENTWISE/BROADCAST consumers, transitively (its epilogue); their other
       operands stay inputs of the group;
    2. a REDUCTION op absorbs its ELEMENTWISE/BROADCAST producers (its prologue);
    3. the remaining ELEMENTWISE, BROADCAST and INJECTIVE ops fuse together.
    Apart from attention cores, a group holds at most one output-fusable or
    reduction op, never both; OPAQUE
    ops (anything that is not a graph op, e.g. a `func.call`) never fuse. Every
    merge must keep two invariants: a result used inside a group is used only
    inside it (a producer with several uses fuses only when all its uses do; a
    use by `func.return` is outside), and no op outside a group both depends on
    the group and feeds it (no cycle). `max-group-size` caps the ops per group.

    Outlining rule: every group with a computing op (anything but INJECTIVE),
    singletons included, becomes a tensor function, so `linear` alone is
    `func.call @linear`; groups of only INJECTIVE ops (reshape, flatten,
    transpose, slice, ...) move data and stay in the graph function, as
    `graph.flatten` does in the walkthrough of docs/architecture.md. A function
    is named from its ops joined by `_` (`@linear_relu`, `@conv2d_add_relu`);
    its arguments are the group's external inputs in first-use order, its
    results the values used outside, in op order. Identical bodies (same types,
    ops and properties) share one function; a name taken by a different symbol
    gets the first free suffix `_1`, `_2`, .... An `arith.constant` used only
    inside one group moves into the function (cloned; the original is erased
    once unused).

    **Input invariant**: `func.func`s whose blocks hold graph ops, constants and
    other ops; values of single-block, graph-level functions.

    **Output IR**: each public function (and each private one with more than one
    group) holds `func.call`s to new private tensor functions (inserted before
    it), `arith.constant`s, INJECTIVE-only graph ops and its foreign ops; each
    tensor function holds one group's graph ops, moved constants and a return.

    **Invariants**: the module computes the same values (checked by
    interpretation); the pass is idempotent: a private function whose graph ops
    form one group is taken as a tensor function and left alone.
    """

    name = "graph-fuse"

    max_group_size: int | None = None
    """At most this many graph ops per group (none: unbounded)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.max_group_size is not None and self.max_group_size < 1:
            raise PassFailedException(
                f"graph-fuse: max-group-size must be at least 1, "
                f"got {self.max_group_size}"
            )
        PatternRewriteWalker(
            OutlineFusionGroups(self.max_group_size), apply_recursively=False
        ).rewrite_module(op)
