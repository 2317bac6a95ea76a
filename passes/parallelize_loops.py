"""
`parallelize-loops`: run each `mlc.parallel` loop worth it on threads.

An `scf.for` carrying the unit attribute `mlc.parallel` (`support/abi.py`
`PARALLEL_ATTR`: its iterations are independent) whose statically estimated
work reaches `min-work` becomes a call of the parallel-for runtime
(`runtime/parallel.ll`) over an outlined body:

```
func.func private @f_parallel_0(%ctx: !llvm.ptr, %begin: i64, %end: i64)
    // loads each captured value from its 8-byte slot of %ctx, then runs
    // iterations [begin, end) of the loop
...
%ctx = llvm.alloca %n x i64          // in the function's entry block
llvm.store <each captured value>, <its slot>
%fn = llvm.mlir.addressof @f_parallel_0 : !llvm.ptr
func.call @mlc_parallel_for(%fn, %ctx, %trip_count) : (!llvm.ptr, !llvm.ptr, i64) -> ()
```

Captured values are those the loop uses but does not define: a memref
travels as its `!llvm.ptr` (through `builtin.unrealized_conversion_cast`,
which the llvm stage reconciles), an `index` as `i64`, a scalar as itself;
constants are cloned into the body instead. Work is estimated as the number
of ops the loop runs, an `exp`, `erf`, ... as the `MATH_WORK` ops it expands
into, nested loops counted by their static trip counts (a dynamic one counts
`DYNAMIC_TRIP_GUESS`); a loop under `min-work` (the runtime's call costs a
few microseconds) stays serial. A marked loop inside
another marked loop is left to run serially inside its parent's body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import arith, func, llvm, scf
from xdsl.dialects.builtin import (
    AnyFloat,
    FunctionType,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    UnrealizedConversionCastOp,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.hints import isa

from mlc.passes.mark_parallel_loops import constant_int, static_trip_count
from mlc.passes.math_approximate import EXPANSIONS
from mlc.support.abi import PARALLEL_ATTR

RUNTIME_FUNCTION = "mlc_parallel_for"
"""`void mlc_parallel_for(void (*)(void *, i64, i64), void *, i64)`."""

DEFAULT_MIN_WORK = 131072
"""Ops a loop must run before threads pay: 2^17, measured with
`benchmarks/run.py --threads 1,2` once idle workers spin before parking
(`runtime/parallel.py` `SPINS`): from 2^20 to 2^18 the batch-64 course MLP
went 70 -> 49 us and MobileNetV2 4.7 -> 3.8 ms on 2 threads, 1 thread
unchanged; from 2^18 to 2^17 (with `MATH_WORK` and `fuse-parallel-loops`) a
4x128x128 softmax 38 -> 22.5 us and batch-16 LeNet 80-84 -> 70-73 us on 2
threads; at 2^16 the MLP and LeNet got slower (a loop's fork and join
outweigh its work)."""

DYNAMIC_TRIP_GUESS = 16

_EXPANDED = tuple(EXPANSIONS)

MATH_WORK = 32
"""What one `exp`/`tanh`/`erf`/`log`/`sin`/`cos` counts (`math-approximate`'s
`EXPANSIONS`, later in the pipeline: a vector `exp` becomes about 35 arith
ops, `tanh` and `log` about 55, `erf` 70; a scalar one a libm call), so a
softmax's or GELU's loop is not taken for a copy's."""


def estimated_work(loop: scf.ForOp) -> int:
    """The ops `loop` runs: its body's, nested loops by their trip counts."""
    count = static_trip_count(loop)
    if count is None:
        count = _bounded_trip_count(loop) or DYNAMIC_TRIP_GUESS
    return count * _body_work(loop.body)


def _bounded_trip_count(loop: scf.ForOp) -> int | None:
    """
    The most iterations of a loop from a constant to `arith.minsi(x, c)` (a
    GEMM's last, shorter K block) by a constant step: `c` bounds them.
    """
    ub = loop.ub.owner
    if not isinstance(ub, arith.MinSIOp):
        return None
    consts = [constant_int(v) for v in (ub.lhs, ub.rhs)]
    lb, step = constant_int(loop.lb), constant_int(loop.step)
    bound = min((c for c in consts if c is not None), default=None)
    if bound is None or lb is None or step is None or step <= 0:
        return None
    return max(0, -(-(bound - lb) // step))


def _body_work(region: Region) -> int:
    total = 0
    for block in region.blocks:
        for op in block.ops:
            if isinstance(op, scf.ForOp):
                total += estimated_work(op)
            else:
                own = MATH_WORK if isinstance(op, _EXPANDED) else 1
                total += own + sum(_body_work(r) for r in op.regions)
    return total


def _captured(loop: scf.ForOp) -> list[SSAValue]:
    """Values used in `loop` (and its bounds) that it does not define."""
    inside: set[Operation] = set(loop.walk())
    seen: set[SSAValue] = set()
    values: list[SSAValue] = []
    candidates = [loop.lb, loop.step]
    for op in loop.walk():
        if op is not loop:
            candidates.extend(op.operands)
    for value in candidates:
        owner = value.owner
        defined_inside = (
            owner in inside
            if isinstance(owner, Operation)
            else _block_inside(owner, loop)
        )
        if not defined_inside and value not in seen:
            seen.add(value)
            values.append(value)
    return values


def _block_inside(block: Block, loop: scf.ForOp) -> bool:
    parent = block.parent_op()
    while parent is not None:
        if parent is loop:
            return True
        parent = parent.parent_op()
    return False


def _is_constant(value: SSAValue) -> bool:
    return isinstance(value.owner, arith.ConstantOp)


def _slot_type(type_: Attribute) -> Attribute:
    """
    How a captured value of `type_` is stored in its slot: a memref's pointer
    and an index as i64 (the LLVM IR translator types pointers by their
    element, so a slot never holds a `ptr`), a scalar as itself.
    """
    if isinstance(type_, MemRefType | IndexType):
        return i64
    return type_


def _slot_index(slot: int, type_: Attribute) -> int:
    """
    The GEP index of 8-byte slot `slot` over elements of `type_`.

    Each access indexes the slot's own type (the LLVM IR translator types
    its pointers by the GEP's element type), scaled to the 8-byte stride.
    """
    width = type_.bitwidth if isinstance(type_, IntegerType | AnyFloat) else 64
    return slot * 8 // max(1, (width + 7) // 8)


def _supported(value: SSAValue) -> bool:
    type_ = value.type
    if isinstance(type_, MemRefType | IndexType):
        return True
    return type_.name in ("integer_type", "f16", "f32", "f64", "bf16")


def _to_slot(value: SSAValue, rewriter_ops: list[Operation]) -> SSAValue:
    if isinstance(value.type, MemRefType):
        cast = UnrealizedConversionCastOp.get([value], [llvm.LLVMPointerType()])
        address = llvm.PtrToIntOp(cast.results[0], i64)
        rewriter_ops += [cast, address]
        return address.results[0]
    if isinstance(value.type, IndexType):
        cast = arith.IndexCastOp(value, i64)
        rewriter_ops.append(cast)
        return cast.result
    return value


def _from_slot(value: SSAValue, type_: Attribute, ops: list[Operation]) -> SSAValue:
    if isa(type_, MemRefType[Attribute]):
        pointer = llvm.IntToPtrOp(value)
        cast = UnrealizedConversionCastOp.get([pointer.results[0]], [type_])
        ops += [pointer, cast]
        return cast.results[0]
    if isinstance(type_, IndexType):
        cast = arith.IndexCastOp(value, IndexType())
        ops.append(cast)
        return cast.result
    return value


def _index_constant(value: int, ops: list[Operation]) -> SSAValue:
    constant = arith.ConstantOp(IntegerAttr(value, IndexType()))
    ops.append(constant)
    return constant.result


@dataclass
class _Outliner:
    module: ModuleOp
    names: set[str] = field(default_factory=set[str])
    declared: bool = False

    def fresh_name(self, base: str) -> str:
        index = 0
        while f"{base}_parallel_{index}" in self.names:
            index += 1
        name = f"{base}_parallel_{index}"
        self.names.add(name)
        return name

    def declare_runtime(self) -> None:
        if self.declared or RUNTIME_FUNCTION in self.names:
            self.declared = True
            return
        ptr = llvm.LLVMPointerType()
        declaration = func.FuncOp.external(RUNTIME_FUNCTION, [ptr, ptr, i64], [])
        self.module.body.block.add_op(declaration)
        self.names.add(RUNTIME_FUNCTION)
        self.declared = True

    def outline(self, loop: scf.ForOp, function: func.FuncOp) -> None:
        captured = _captured(loop)
        if not all(_supported(v) for v in captured if not _is_constant(v)):
            return
        name = self.fresh_name(function.sym_name.data)
        slots = [v for v in captured if not _is_constant(v)]
        body = self._body(loop, name, captured, slots)
        Rewriter.insert_op(body, InsertPoint.after(function))
        self.declare_runtime()
        self._call(loop, function, name, slots)

    def _body(
        self,
        loop: scf.ForOp,
        name: str,
        captured: list[SSAValue],
        slots: list[SSAValue],
    ) -> func.FuncOp:
        ptr = llvm.LLVMPointerType()
        block = Block(arg_types=[ptr, i64, i64])
        ctx, begin, end = block.args
        ops: list[Operation] = []
        mapping: dict[SSAValue, SSAValue] = {}
        for value in captured:
            owner = value.owner
            if isinstance(owner, arith.ConstantOp):
                clone = owner.clone()
                ops.append(clone)
                mapping[value] = clone.results[0]
        for index, value in enumerate(slots):
            slot_type = _slot_type(value.type)
            gep = llvm.GEPOp(ctx, [_slot_index(index, slot_type)], slot_type)
            load = llvm.LoadOp(gep.result, slot_type)
            ops += [gep, load]
            mapping[value] = _from_slot(load.dereferenced_value, value.type, ops)
        lb, step = mapping[loop.lb], mapping[loop.step]
        first = arith.IndexCastOp(begin, IndexType())
        last = arith.IndexCastOp(end, IndexType())
        lo_mul = arith.MuliOp(first.result, step)
        hi_mul = arith.MuliOp(last.result, step)
        new_lb = arith.AddiOp(lb, lo_mul.result)
        new_ub = arith.AddiOp(lb, hi_mul.result)
        ops += [first, last, lo_mul, hi_mul, new_lb, new_ub]
        new_body = Region()
        loop.body.clone_into(new_body, value_mapper=mapping)
        new_loop = scf.ForOp(new_lb.result, new_ub.result, step, [], new_body)
        ops += [new_loop, func.ReturnOp()]
        block.add_ops(ops)
        function = func.FuncOp(
            name, FunctionType.from_lists([ptr, i64, i64], []), Region(block), "private"
        )
        return function

    def _call(
        self, loop: scf.ForOp, function: func.FuncOp, name: str, slots: list[SSAValue]
    ) -> None:
        ptr = llvm.LLVMPointerType()
        entry = function.body.blocks.first
        assert entry is not None
        size = arith.ConstantOp(IntegerAttr(max(1, len(slots)), i64))
        alloca = llvm.AllocaOp(size.result, i64, alignment=8)
        Rewriter.insert_op([size, alloca], InsertPoint.at_start(entry))
        ops: list[Operation] = []
        for index, value in enumerate(slots):
            stored = _to_slot(value, ops)
            slot_type = _slot_type(value.type)
            gep = llvm.GEPOp(alloca.res, [_slot_index(index, slot_type)], slot_type)
            ops += [gep, llvm.StoreOp(stored, gep.result)]
        count = static_trip_count(loop)
        if count is not None:
            trips = arith.ConstantOp(IntegerAttr(count, i64))
            ops.append(trips)
            trip_value = trips.result
        else:  # ceil((ub - lb) / step), at least 0
            diff = arith.SubiOp(loop.ub, loop.lb)
            one = _index_constant(1, ops)
            adjust = arith.SubiOp(loop.step, one)
            total = arith.AddiOp(diff.result, adjust.result)
            quotient = arith.DivSIOp(total.result, loop.step)
            zero = _index_constant(0, ops)
            clamped = arith.MaxSIOp(quotient.result, zero)
            as_i64 = arith.IndexCastOp(clamped.result, i64)
            ops += [diff, adjust, total, quotient, clamped, as_i64]
            trip_value = as_i64.result
        address = llvm.AddressOfOp(name, ptr)
        call = func.CallOp(
            RUNTIME_FUNCTION, [address.result, alloca.res, trip_value], []
        )
        ops += [address, call]
        Rewriter.insert_op(ops, InsertPoint.before(loop))
        Rewriter.erase_op(loop)


def _outermost_marked(function: func.FuncOp) -> list[scf.ForOp]:
    loops: list[scf.ForOp] = []
    for op in function.body.walk():
        if isinstance(op, scf.ForOp) and PARALLEL_ATTR in op.attributes:
            parent = op.parent_op()
            nested = False
            while parent is not None and parent is not function:
                if isinstance(parent, scf.ForOp) and PARALLEL_ATTR in parent.attributes:
                    nested = True
                parent = parent.parent_op()
            if not nested:
                loops.append(op)
    return loops


@dataclass(frozen=True)
class ParallelizeLoopsPass(ModulePass):
    """
    Turn `mlc.parallel` loops of enough work into parallel-for runtime calls.

    **Input invariant**: loop-level IR; an `scf.for` marked `mlc.parallel`
    has independent iterations, no `iter_args`, and an `index` induction
    variable.

    **Output IR**: each outermost marked loop whose estimated work is at
    least `min_work` replaced by a `func.call @mlc_parallel_for(%fn, %ctx,
    %trip_count)` over `llvm.mlir.addressof` an outlined private
    `func.func @<function>_parallel_<k>(!llvm.ptr, i64, i64)` running
    iterations `[begin, end)`, its captured values passed in an
    `llvm.alloca` of 8-byte slots; `@mlc_parallel_for` declared once.

    **Invariants**: every iteration runs exactly once, with the same values,
    whatever the thread count (bitwise-identical results); loops under
    `min_work`, nested marked loops and loops capturing unsupported values
    (vectors, structs) stay serial and keep their marker.
    """

    name = "parallelize-loops"

    min_work: int = DEFAULT_MIN_WORK

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        outliner = _Outliner(op)
        functions = [f for f in op.ops if isinstance(f, func.FuncOp)]
        outliner.names.update(f.sym_name.data for f in functions)
        for function in functions:
            if not function.body.blocks:
                continue
            for loop in _outermost_marked(function):
                if estimated_work(loop) >= self.min_work:
                    outliner.outline(loop, function)
