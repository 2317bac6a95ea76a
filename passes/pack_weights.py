"""
`pack-weights`: a contraction's weight is stored in the GEMM's packed layout,
so the GEMM reads it as it is instead of packing it on every call.

The GEMM of `linalg-contraction-kernel` reads B (`C[m, n] += A[m, k] *
B[k, n]`) from panels `Bp[ceil(N/nr)][K][nr]` (docs/gemm.md). When B is known
before the first call — a constant (`memref.get_global` of a constant
global) or an argument of a public function (a bound parameter: a `linear`'s
weight, a matmul's right operand), reached directly or through the arguments
of private functions — this pass changes its type to that layout:

- a constant global gets a packed twin `@<name>_packed<nr>` (numpy, at compile
  time; `support/packing.py`);
- a public function's argument becomes `memref<PxKxnrxf32>` with the
  argument attribute `mlc.packed = {nr, n, type}` (`type`: the weight's own
  memref type; `support/abi.py` `PACKED_ATTR`): the caller passes it packed;
  the runtime packs a parameter once, when it is bound (docs/runtime.md), and
  an exported library's weights file holds it so;
- the arguments of private functions it flows through change type with it;
- every contraction reading it reads it through the map `(.., n, .., k) ->
  (n floordiv nr, k, n mod nr)`: a `linalg.matmul` becomes the equivalent
  `linalg.generic`.

A value is packed only when every use is such a contraction (with the same
`n` dimension) or a call passing it on to an argument that is packed too, and,
for a private function's argument, when every caller passes a packed value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func, memref
from xdsl.dialects.builtin import (
    AffineMapAttr,
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    NoneAttr,
    StringAttr,
    SymbolRefAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.dialects.linalg.attrs import IteratorTypeAttr
from xdsl.ir import BlockArgument, Operation, OpResult, SSAValue
from xdsl.ir.affine import (
    AffineBinaryOpExpr,
    AffineBinaryOpKind,
    AffineConstantExpr,
    AffineDimExpr,
    AffineMap,
)
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import dense_to_numpy, numpy_to_dense
from mlc.passes.gemm_conv import filter_map, is_gemm_conv
from mlc.support.abi import PACKED_ATTR
from mlc.support.packing import PACKED_RANKS, pack_weight, packed_shape
from mlc.support.target import current_target

# --------------------------------------------------------------------------- #
# The packed map, which linalg-contraction-kernel recognizes
# --------------------------------------------------------------------------- #


def packed_map(map_: AffineMap, n: int, k: int, nr: int) -> AffineMap:
    """`(..) -> (dn floordiv nr, dk, dn mod nr)` over `map_`'s dimensions."""
    dn, dk = AffineDimExpr(n), AffineDimExpr(k)
    return AffineMap(map_.num_dims, 0, (dn // nr, dk, dn % nr))


def packed_dims(map_: AffineMap) -> tuple[int, int, int] | None:
    """`(n, k, nr)` of a packed weight's map `(dn floordiv nr, dk, dn mod nr)`."""
    if len(map_.results) != 3:
        return None
    div, dk, mod = map_.results
    parts: list[tuple[int, int]] = []
    for expr, kind in (
        (div, AffineBinaryOpKind.FloorDiv),
        (mod, AffineBinaryOpKind.Mod),
    ):
        if not (
            isinstance(expr, AffineBinaryOpExpr)
            and expr.kind == kind
            and isinstance(expr.lhs, AffineDimExpr)
            and isinstance(expr.rhs, AffineConstantExpr)
        ):
            return None
        parts.append((expr.lhs.position, expr.rhs.value))
    if not isinstance(dk, AffineDimExpr) or parts[0] != parts[1] or parts[0][1] <= 0:
        return None
    return parts[0][0], dk.position, parts[0][1]


# --------------------------------------------------------------------------- #
# Finding the weights
# --------------------------------------------------------------------------- #


@dataclass
class _Use:
    """A contraction reading a weight as B (or a conv, as its filter)."""

    op: linalg.GenericOp | linalg.MatmulOp | linalg.Conv2DNchwFchwOp
    index: int
    n: int
    k: int


@dataclass
class _Weight:
    """A candidate value: its contraction uses, the calls passing it on."""

    value: SSAValue
    n_dim: int | None = None
    """Which dimension of the 2-D memref is the contraction's `n`."""
    uses: list[_Use] = field(default_factory=list[_Use])
    passed_to: list[SSAValue] = field(default_factory=list[SSAValue])
    """Callee arguments this value is passed to."""
    ok: bool = True


def _weight_type(value: SSAValue) -> MemRefType | None:
    """A 2-D weight (a GEMM's B) or a 4-D one (a convolution's filter)."""
    type_ = value.type
    if not isa(type_, MemRefType) or type_.get_element_type() != f32:
        return None
    shape = type_.get_shape()
    if len(shape) not in PACKED_RANKS or min(shape) <= 0:
        return None
    return type_ if isinstance(type_.layout, NoneAttr) else None


def _filter_use(op: Operation, value: SSAValue) -> tuple[_Use, int] | None:
    """The convolution `op` reading `value` as the filter of its GEMM (A)."""
    if not isinstance(op, linalg.Conv2DNchwFchwOp) or not is_gemm_conv(op):
        return None
    if list(op.operands).count(value) != 1 or op.inputs[1] is not value:
        return None
    return _Use(op, 1, 1, 4), 0


def _b_use(op: Operation, value: SSAValue) -> tuple[_Use, int] | None:
    """The contraction `op` reading `value` as its B: the use and its n dim."""
    from mlc.passes.linalg_contraction_kernel import match_contraction

    if not isinstance(op, linalg.GenericOp | linalg.MatmulOp):
        return None
    match = match_contraction(op)
    if match is None or match.gemm.b.ref is not value or value in op.outputs:
        return None
    if list(op.inputs).count(value) != 1:
        return None
    index = list(op.inputs).index(value)
    results = op.get_indexing_maps().data[index].data.results
    dims = [e.position for e in results if isinstance(e, AffineDimExpr)]
    by_name = {name: d for d, name in match.names.items()}
    n, k = by_name["n"], by_name["k"]
    if sorted(dims) != sorted([n, k]):
        return None  # a batched B
    return _Use(op, index, n, k), dims.index(n)


def _callee_arg(
    op: func.CallOp, index: int, funcs: dict[str, func.FuncOp]
) -> SSAValue | None:
    callee = funcs.get(op.callee.root_reference.data)
    if callee is None or not callee.body.blocks:
        return None
    return callee.body.blocks[0].args[index]


def _candidates(
    module: ModuleOp, funcs: dict[str, func.FuncOp]
) -> dict[SSAValue, _Weight]:
    """Every function argument and constant global read, with its uses."""
    values: list[SSAValue] = []
    for function in funcs.values():
        if function.body.blocks:
            values += function.body.blocks[0].args
    for op in module.walk():
        if isinstance(op, memref.GetGlobalOp):
            values.append(op.memref)
    return {v: _uses(v, funcs) for v in values if _weight_type(v) is not None}


def _uses(value: SSAValue, funcs: dict[str, func.FuncOp]) -> _Weight:
    """`value`'s contraction uses and calls; not ok if it has any other use."""
    weight = _Weight(value)
    is_filter = isa(value.type, MemRefType) and value.type.get_num_dims() == 4
    for use in value.uses:
        if isinstance(use.operation, func.CallOp):
            arg = _callee_arg(use.operation, use.index, funcs)
            weight.ok = weight.ok and arg is not None
            weight.passed_to += [arg] if arg is not None else []
            continue
        found = (_filter_use if is_filter else _b_use)(use.operation, value)
        if found is None or (weight.uses and found[1] != weight.n_dim):
            weight.ok = False
            continue
        weight.uses.append(found[0])
        weight.n_dim = found[1]
    return weight


def _callers(module: ModuleOp) -> dict[SSAValue, list[SSAValue]]:
    """Each private function argument -> the values its callers pass."""
    funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, func.FuncOp)}
    passed: dict[SSAValue, list[SSAValue]] = {}
    for op in module.walk():
        if isinstance(op, func.CallOp):
            for index, operand in enumerate(op.arguments):
                arg = _callee_arg(op, index, funcs)
                if arg is not None:
                    passed.setdefault(arg, []).append(operand)
    return passed


def _is_public_arg(value: SSAValue) -> bool:
    if not isinstance(value, BlockArgument):
        return False
    function = value.block.parent_op()
    return isinstance(function, func.FuncOp) and (
        function.sym_visibility is None or function.sym_visibility.data == "public"
    )


def _is_constant(value: SSAValue, module: ModuleOp) -> bool:
    if not isinstance(value, OpResult) or not isinstance(value.op, memref.GetGlobalOp):
        return False
    found = _global(module, value.op.name_.root_reference.data)
    return (
        found is not None
        and found.constant is not None
        and isinstance(found.initial_value, DenseIntOrFPElementsAttr)
    )


def _global(module: ModuleOp, name: str) -> memref.GlobalOp | None:
    for op in module.ops:
        if isinstance(op, memref.GlobalOp) and op.sym_name.data == name:
            return op
    return None


def _solve(module: ModuleOp) -> dict[SSAValue, _Weight]:
    """The candidates that can be packed: a fixpoint over calls."""
    funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, func.FuncOp)}
    weights = _candidates(module, funcs)
    callers = _callers(module)
    for value, weight in weights.items():
        # A source: a public argument or a constant; else every caller passes one.
        weight.ok = weight.ok and (
            _is_public_arg(value)
            or _is_constant(value, module)
            or (isinstance(value, BlockArgument) and value in callers)
        )
    for weight in weights.values():
        weight.ok = weight.ok and _n_dim(weight, weights) is not None
    changed = True
    while changed:
        changed = False
        for value, weight in weights.items():
            if not weight.ok:
                continue
            targets = [weights.get(arg) for arg in weight.passed_to]
            sources = [weights.get(v) for v in callers.get(value, [])]
            if not _is_public_arg(value) and isinstance(value, BlockArgument):
                if value not in callers:
                    sources = [None]
            elif _is_public_arg(value) and value in callers:
                sources = [None]  # a public function also called inside
            linked = [w for w in (*targets, *sources)]
            if any(w is None or not w.ok for w in linked) or any(
                _n_dim(w, weights) not in (None, _n_dim(weight, weights))
                for w in linked
                if w is not None
            ):
                weight.ok = False
                changed = True
    return {v: w for v, w in weights.items() if w.ok and _n_dim(w, weights) is not None}


def _n_dim(weight: _Weight, weights: dict[SSAValue, _Weight]) -> int | None:
    """The weight's n dimension: its own uses', else the first callee's."""
    seen: set[SSAValue] = set()
    todo = [weight]
    while todo:
        current = todo.pop()
        if current.n_dim is not None:
            return current.n_dim
        seen.add(current.value)
        todo += [
            weights[a] for a in current.passed_to if a in weights and a not in seen
        ]
    return None


# --------------------------------------------------------------------------- #
# The rewrite
# --------------------------------------------------------------------------- #


def _retype_arg(value: BlockArgument, type_: MemRefType, attr: DictionaryAttr) -> None:
    function = value.block.parent_op()
    assert isinstance(function, func.FuncOp)
    Rewriter.replace_value_with_new_type(value, type_)
    function.update_function_type()
    if function.sym_visibility is None or function.sym_visibility.data == "public":
        count = len(function.function_type.inputs)
        old = (
            list(function.arg_attrs.data)
            if function.arg_attrs is not None
            else [DictionaryAttr({})] * count
        )
        entries = dict(old[value.index].data)
        entries[PACKED_ATTR] = attr
        old[value.index] = DictionaryAttr(entries)
        function.arg_attrs = ArrayAttr(old)


def _repack_global(
    module: ModuleOp, op: memref.GetGlobalOp, nr: int, n_dim: int
) -> MemRefType:
    """A packed twin of `op`'s global (made once); `op` reads it."""
    name = op.name_.root_reference.data
    source = _global(module, name)
    assert source is not None
    assert isinstance(source.initial_value, DenseIntOrFPElementsAttr)
    packed_name = f"{name}_packed{nr}{'t' if n_dim else ''}"
    array = dense_to_numpy(source.initial_value)
    shape = packed_shape(array.shape, nr, n_dim)
    type_ = MemRefType(f32, shape)
    if _global(module, packed_name) is None:
        value = numpy_to_dense(pack_weight(array, nr, n_dim), TensorType(f32, shape))
        twin = memref.GlobalOp.get(
            StringAttr(packed_name),
            type_,
            value,
            sym_visibility=StringAttr("private"),
            constant=source.constant,
            alignment=source.alignment,
        )
        module.body.block.insert_op_after(twin, source)
    op.name_ = SymbolRefAttr(packed_name)
    Rewriter.replace_value_with_new_type(op.memref, type_)
    return type_


def _rewrite_use(use: _Use, nr: int) -> None:
    op = use.op
    if isinstance(op, linalg.Conv2DNchwFchwOp):
        _replace(op, _packed_conv(op, nr))
        return
    maps = [m.data for m in op.get_indexing_maps()]
    maps[use.index] = packed_map(maps[use.index], use.n, use.k, nr)
    if isinstance(op, linalg.GenericOp):
        op.indexing_maps = ArrayAttr([AffineMapAttr(m) for m in maps])
        return
    generic = linalg.GenericOp(
        list(op.inputs),
        list(op.outputs),
        op.regions[0].clone(),
        [AffineMapAttr(m) for m in maps],
        op.get_iterator_types(),
    )
    _replace(op, generic)


def _packed_conv(op: linalg.Conv2DNchwFchwOp, mr: int) -> linalg.GenericOp:
    """`op` as the seven-loop generic reading its filter through `filter_map`."""
    (sh, sw), (dh, dw) = op.strides.get_values(), op.dilations.get_values()
    d = [AffineDimExpr(i) for i in range(7)]
    x_map = AffineMap(7, 0, (d[0], d[4], d[2] * sh + d[5] * dh, d[3] * sw + d[6] * dw))
    out_map = AffineMap(7, 0, tuple(d[:4]))
    return linalg.GenericOp(
        list(op.inputs),
        list(op.outputs),
        op.regions[0].clone(),
        [AffineMapAttr(m) for m in (x_map, filter_map(mr), out_map)],
        [IteratorTypeAttr.parallel()] * 4 + [IteratorTypeAttr.reduction()] * 3,
    )


def _replace(op: Operation, new: Operation) -> None:
    parent = op.parent_block()
    assert parent is not None
    parent.insert_op_before(new, op)
    op.detach()
    op.erase()


def _drop_unused_globals(module: ModuleOp, names: set[str]) -> None:
    used = {
        op.name_.root_reference.data
        for op in module.walk()
        if isinstance(op, memref.GetGlobalOp)
    }
    for name in names - used:
        found = _global(module, name)
        if found is not None:
            found.detach()
            found.erase()


@dataclass(frozen=True)
class PackWeightsPass(ModulePass):
    """
    Store every contraction weight known before the first call (a constant,
    a public function's argument) in the packed layout the GEMM reads.

    **Input invariant**: bufferized IR (memrefs); contractions as
    `linalg-contraction-kernel` recognizes them, not yet scheduled.

    **Output IR**: each packable weight `W` (2-D, f32, read only as the B
    operand of contractions, directly or through private functions'
    arguments) is a `memref<ceil(N/nr) x K x nr x f32>`: a constant through a
    packed twin global, a public argument with `mlc.packed = {nr, n,
    type}` (`type`: its unpacked memref type);
    contractions read it through `(.., dn, .., dk) -> (dn floordiv nr, dk, dn
    mod nr)`; a `linalg.matmul` reading one becomes a `linalg.generic`.

    A convolution's filter `W[F, C, KH, KW]` (read only by
    `linalg.conv_2d_nchw_fchw`s that `linalg-contraction-kernel` makes GEMMs,
    where it is A) is stored likewise with `n` its dimension 0, `K = C*KH*KW`
    and `mr` rows a panel, as `memref<ceil(F/mr) x C x KH x KW x mr>` (the
    bytes of `Wp[ceil(F/mr)][K][mr]`); each convolution becomes the
    seven-loop `linalg.generic` (n, f, oh, ow, c, kh, kw) reading it through
    `gemm_conv.filter_map`: `(f floordiv mr, c, kh, kw, f mod mr)`.

    **Invariants**: the contractions compute what they did: `Wp[p][k][j] =
    W(n = p*nr + j, k)`, the padding columns (zeros) are never stored to C;
    a value is packed only when all its uses read it so.

    `nr` (`mr`) 0 is the target's micro-tile width (height): 32 (8) for
    AVX-512, 16 (6) for AVX2, `linalg-contraction-kernel`'s defaults;
    `enabled=false` leaves the IR unchanged (the GEMM then packs on every
    call).
    """

    name = "pack-weights"

    nr: int = 0
    """Columns of a panel: the GEMM's micro-tile width, so a multiple of
    `linalg-contraction-kernel`'s `vl` (else it leaves the contraction to
    `convert-linalg-to-loops`)."""
    mr: int = 0
    """Rows of a packed convolution filter's panel: the GEMM's micro-tile
    height, which `linalg-contraction-kernel` takes from it."""
    enabled: bool = True
    """Pack weights at all (false: the GEMM packs B on every call)."""

    def panels(self) -> tuple[int, int]:
        """(nr, mr): the options, else the target's micro-tile."""
        from mlc.passes.linalg_contraction_kernel import default_schedule

        tile = default_schedule(current_target())
        nr, mr = self.nr or tile.nr, self.mr or tile.mr
        if nr <= 0 or mr <= 0:
            raise ValueError(f"{self.name}: nr={nr} and mr={mr} must be positive")
        return nr, mr

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not self.enabled:
            return
        panel_nr, panel_mr = self.panels()
        weights = _solve(op)
        globals_: set[str] = set()
        for value, weight in weights.items():
            n_dim = _n_dim(weight, weights)
            assert n_dim is not None
            type_ = _weight_type(value)
            assert type_ is not None
            # A 4-D weight is a filter: the GEMM's A, in panels of mr rows.
            nr = panel_mr if type_.get_num_dims() == 4 else panel_nr
            attr = DictionaryAttr(
                {
                    "nr": IntegerAttr(nr, i64),
                    "n": IntegerAttr(n_dim, i64),
                    "type": type_,
                }
            )
            for use in weight.uses:
                _rewrite_use(use, nr)
            if isinstance(value, BlockArgument):
                shape = packed_shape(type_.get_shape(), nr, n_dim)
                _retype_arg(value, MemRefType(f32, shape), attr)
            else:
                assert isinstance(value, OpResult)
                assert isinstance(value.op, memref.GetGlobalOp)
                globals_.add(value.op.name_.root_reference.data)
                _repack_global(op, value.op, nr, n_dim)
        _drop_unused_globals(op, globals_)


__all__ = ["PackWeightsPass", "packed_dims", "packed_map"]
