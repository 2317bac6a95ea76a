"""
Interpreter functions for 1-D vector code: the ops `linalg-vectorize` emits.

A vector value is a tuple of its lanes' scalars (as the scalar interpreter
represents them: Python floats, ints and bools). The `vector` ops here read
and write `ShapedArray` buffers lane by lane; an `arith` or `math` op on
vectors runs the scalar implementation already registered for its op type
once per lane, on a scalar twin of the op (same properties, element types),
so the lanes get exactly the scalar semantics. `install` registers both on an
interpreter, after the scalar functions, together with the vector-capable
`arith.cmpf`/`cmpi`/`select` of `mlc.dialects.arith_ext`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from xdsl.dialects import vector
from xdsl.dialects.builtin import VectorType
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    OpImplResult,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.interpreters.arith import ArithFunctions
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.ir import Attribute, Block, Operation
from xdsl.utils.exceptions import InterpretationError
from xdsl.utils.hints import isa

from mlc.dialects import arith_ext

Lanes = tuple[Any, ...]


def _lanes(type_: Attribute) -> int:
    assert isa(type_, VectorType[Attribute])
    return type_.get_shape()[0]


def _indices(args: Sequence[Any]) -> list[int]:
    return [int(i) for i in args]


def _at(index: Sequence[int], lane: int) -> list[int]:
    return [*index[:-1], index[-1] + lane]


@register_impls
class VectorFunctions(InterpreterFunctions):
    """`vector.load`/`store`/`maskedload`/`maskedstore`/`create_mask`/`shuffle`/... ."""

    @impl(vector.LoadOp)
    def run_load(
        self, interpreter: Interpreter, op: vector.LoadOp, args: PythonValues
    ) -> PythonValues:
        base = cast(ShapedArray[Any], args[0])
        index = _indices(args[1:])
        n = _lanes(op.result.type)
        return (tuple(base.load(_at(index, k)) for k in range(n)),)

    @impl(vector.StoreOp)
    def run_store(
        self, interpreter: Interpreter, op: vector.StoreOp, args: PythonValues
    ) -> PythonValues:
        value, base = cast(Lanes, args[0]), cast(ShapedArray[Any], args[1])
        index = _indices(args[2:])
        for k, lane in enumerate(value):
            base.store(_at(index, k), lane)
        return ()

    @impl(vector.MaskedLoadOp)
    def run_maskedload(
        self, interpreter: Interpreter, op: vector.MaskedLoadOp, args: PythonValues
    ) -> PythonValues:
        base = cast(ShapedArray[Any], args[0])
        *index_args, mask, passthru = args[1:]
        index = _indices(index_args)
        return (
            tuple(
                base.load(_at(index, k)) if m else p
                for k, (m, p) in enumerate(zip(mask, passthru, strict=True))
            ),
        )

    @impl(vector.MaskedStoreOp)
    def run_maskedstore(
        self, interpreter: Interpreter, op: vector.MaskedStoreOp, args: PythonValues
    ) -> PythonValues:
        base = cast(ShapedArray[Any], args[0])
        *index_args, mask, value = args[1:]
        index = _indices(index_args)
        for k, (m, lane) in enumerate(zip(mask, value, strict=True)):
            if m:
                base.store(_at(index, k), lane)
        return ()

    @impl(vector.CreateMaskOp)
    def run_create_mask(
        self, interpreter: Interpreter, op: vector.CreateMaskOp, args: PythonValues
    ) -> PythonValues:
        n = _lanes(op.mask_vector.type)
        return (tuple(k < int(args[0]) for k in range(n)),)

    @impl(vector.BroadcastOp)
    def run_broadcast(
        self, interpreter: Interpreter, op: vector.BroadcastOp, args: PythonValues
    ) -> PythonValues:
        n = _lanes(op.vector.type)
        source = args[0]
        if isinstance(source, tuple):
            source = cast(Lanes, source)[0]
        return (tuple(source for _ in range(n)),)

    @impl(vector.ShuffleOp)
    def run_shuffle(
        self, interpreter: Interpreter, op: vector.ShuffleOp, args: PythonValues
    ) -> PythonValues:
        lanes = [*cast(Lanes, args[0]), *cast(Lanes, args[1])]
        return (tuple(lanes[k] for k in op.mask.get_values()),)

    @impl(vector.FMAOp)
    def run_fma(
        self, interpreter: Interpreter, op: vector.FMAOp, args: PythonValues
    ) -> PythonValues:
        a, b, c = (cast(Lanes, x) for x in args)
        return (tuple(x * y + z for x, y, z in zip(a, b, c, strict=True)),)

    @impl(vector.ExtractOp)
    def run_extract(
        self, interpreter: Interpreter, op: vector.ExtractOp, args: PythonValues
    ) -> PythonValues:
        lanes = cast(Lanes, args[0])
        return (lanes[_position(op, args[1:])],)

    @impl(vector.InsertOp)
    def run_insert(
        self, interpreter: Interpreter, op: vector.InsertOp, args: PythonValues
    ) -> PythonValues:
        value, lanes = args[0], list(cast(Lanes, args[1]))
        lanes[_position(op, args[2:])] = value
        return (tuple(lanes),)

    @impl(vector.ReductionOp)
    def run_reduction(
        self, interpreter: Interpreter, op: vector.ReductionOp, args: PythonValues
    ) -> PythonValues:
        lanes = list(cast(Lanes, args[0]))
        if len(args) > 1:
            lanes.append(args[1])
        kind = op.kind.data
        combine = _REDUCTIONS.get(kind)
        if combine is None:
            raise InterpretationError(f"vector.reduction <{kind}> is not supported")
        result = lanes[0]
        for lane in lanes[1:]:
            result = combine(result, lane)
        return (result,)


def _position(op: vector.ExtractOp | vector.InsertOp, dynamic: PythonValues) -> int:
    """The one lane a 1-D `vector.extract`/`insert` names (static or an operand)."""
    (position,) = op.get_mixed_position()
    return position if isinstance(position, int) else int(dynamic[0])


def _maximum(a: float, b: float) -> float:
    if a != a or b != b:
        return float("nan")
    return max(a, b)


def _minimum(a: float, b: float) -> float:
    if a != a or b != b:
        return float("nan")
    return min(a, b)


def _maxnum(a: float, b: float) -> float:
    return b if a != a else a if b != b else max(a, b)


def _minnum(a: float, b: float) -> float:
    return b if a != a else a if b != b else min(a, b)


Kind = vector.CombiningKindFlag

_REDUCTIONS: dict[Kind, Callable[[Any, Any], Any]] = {
    Kind.ADD: lambda a, b: a + b,
    Kind.MUL: lambda a, b: a * b,
    Kind.MAXIMUMF: _maximum,
    Kind.MINIMUMF: _minimum,
    Kind.MAXNUMF: _maxnum,
    Kind.MINNUMF: _minnum,
}


@register_impls
class ArithExtFunctions(InterpreterFunctions):
    """The scalar `arith_ext` ops, through xDSL's arith implementations."""

    @impl(arith_ext.CmpfOp)
    def run_cmpf(
        self, interpreter: Interpreter, op: arith_ext.CmpfOp, args: PythonValues
    ) -> PythonValues:
        return _XDSL_ARITH.run_cmpf(interpreter, cast(Any, op), args).values

    @impl(arith_ext.CmpiOp)
    def run_cmpi(
        self, interpreter: Interpreter, op: arith_ext.CmpiOp, args: PythonValues
    ) -> PythonValues:
        return _XDSL_ARITH.run_cmpi(interpreter, cast(Any, op), args).values

    @impl(arith_ext.SelectOp)
    def run_select(
        self, interpreter: Interpreter, op: arith_ext.SelectOp, args: PythonValues
    ) -> PythonValues:
        return (args[1] if args[0] else args[2],)


_XDSL_ARITH: Any = ArithFunctions()
"""xDSL's scalar implementations (their `@impl` wrappers return `OpImplResult`)."""


def _element(type_: Attribute) -> Attribute:
    if isa(type_, VectorType[Attribute]):
        return type_.element_type
    return type_


def _scalar_twin(op: Operation) -> Operation:
    """`op` on the element types of its operands and results, unattached."""
    block = Block(arg_types=[_element(v.type) for v in op.operands])
    return op.create(
        operands=list(block.args),
        result_types=[_element(r.type) for r in op.results],
        properties=dict(op.properties),
        attributes=dict(op.attributes),
    )


def _lanewise(
    functions: InterpreterFunctions, scalar_impl: Any, twins: dict[int, Operation]
) -> Any:
    def run(
        ft: InterpreterFunctions,
        interpreter: Interpreter,
        op: Operation,
        args: PythonValues,
    ) -> OpImplResult:
        if not any(isinstance(v.type, VectorType) for v in (*op.operands, *op.results)):
            return scalar_impl(functions, interpreter, op, args)
        twin = twins.get(id(op))
        if twin is None:
            twin = twins[id(op)] = _scalar_twin(op)
        n = max(len(cast(Lanes, a)) for a in args if isinstance(a, tuple))
        per_lane = [
            scalar_impl(
                functions,
                interpreter,
                twin,
                tuple(cast(Lanes, a)[k] if isinstance(a, tuple) else a for a in args),
            ).values
            for k in range(n)
        ]
        results = tuple(
            tuple(lane[i] for lane in per_lane) for i in range(len(op.results))
        )
        return OpImplResult(results, None)

    return run


def install(interpreter: Interpreter) -> None:
    """Register vector ops, `arith_ext` ops, and arith/math ops on vectors."""
    interpreter.register_implementations(VectorFunctions())
    interpreter.register_implementations(ArithExtFunctions(), override=True)
    impls = cast(Any, interpreter)._impls._impl_dict  # pyright: ignore
    twins: dict[int, Operation] = {}
    for op_type, (functions, scalar_impl) in list(impls.items()):
        dialect = getattr(op_type, "name", "").split(".")[0]
        if dialect in ("arith", "math"):
            impls[op_type] = (functions, _lanewise(functions, scalar_impl, twins))


__all__ = ["ArithExtFunctions", "VectorFunctions", "install"]
