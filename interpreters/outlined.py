"""
Interpreter functions for the loops `parallelize-loops` outlined: the
context of captured values it fills with `llvm` ops, and the runtime's
`mlc_parallel_for`, run serially (its chunks in order, on one thread), so
that `--check-numerics` runs loop-level code whatever went to threads.

A context (`llvm.alloca`) is a `Slots` map from byte offsets to the Python
values stored there; a pointer into it is a `Pointer` (its slots, a byte
offset), moved by `llvm.getelementptr`'s constant indices. A memref cast to
`!llvm.ptr` (`builtin.unrealized_conversion_cast`), and its address
(`llvm.ptrtoint`), stay the interpreter's buffer itself, which the outlined
body casts back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xdsl.dialects import llvm
from xdsl.dialects.builtin import (
    FixedBitwidthType,
    UnrealizedConversionCastOp,
)
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    impl_external,
    register_impls,
)
from xdsl.ir import Attribute, Operation
from xdsl.utils.exceptions import InterpretationError

from mlc.passes.parallelize_loops import RUNTIME_FUNCTION


@dataclass
class Slots:
    """An `llvm.alloca`'s bytes: the value stored at each offset."""

    values: dict[int, Any] = field(default_factory=dict[int, Any])


@dataclass(frozen=True)
class Pointer:
    slots: Slots
    offset: int


def _size(type_: Attribute) -> int:
    if isinstance(type_, llvm.LLVMPointerType):
        return 8
    if isinstance(type_, FixedBitwidthType):
        return type_.size
    raise InterpretationError(f"no byte size for {type_} in an outlined loop's context")


def _pointer(value: Any, op: Operation) -> Pointer:
    if not isinstance(value, Pointer):
        raise InterpretationError(f"{op.name}: not a pointer into a context")
    return value


@register_impls
class OutlinedLoopFunctions(InterpreterFunctions):
    """The context ops of an outlined loop and `mlc_parallel_for`."""

    @impl(llvm.AllocaOp)
    def run_alloca(
        self, interpreter: Interpreter, op: llvm.AllocaOp, args: PythonValues
    ) -> PythonValues:
        return (Pointer(Slots(), 0),)

    @impl(llvm.GEPOp)
    def run_gep(
        self, interpreter: Interpreter, op: llvm.GEPOp, args: PythonValues
    ) -> PythonValues:
        indices = op.rawConstantIndices.get_values()
        if op.ssa_indices or len(indices) != 1:
            raise InterpretationError(f"{op.name}: only one constant index")
        base = _pointer(args[0], op)
        step = _size(op.elem_type)
        return (Pointer(base.slots, base.offset + indices[0] * step),)

    @impl(llvm.StoreOp)
    def run_store(
        self, interpreter: Interpreter, op: llvm.StoreOp, args: PythonValues
    ) -> PythonValues:
        at = _pointer(args[1], op)
        at.slots.values[at.offset] = args[0]
        return ()

    @impl(llvm.LoadOp)
    def run_load(
        self, interpreter: Interpreter, op: llvm.LoadOp, args: PythonValues
    ) -> PythonValues:
        at = _pointer(args[0], op)
        if at.offset not in at.slots.values:
            raise InterpretationError(f"{op.name}: a context slot never stored")
        return (at.slots.values[at.offset],)

    @impl(llvm.PtrToIntOp)
    def run_ptrtoint(
        self, interpreter: Interpreter, op: llvm.PtrToIntOp, args: PythonValues
    ) -> PythonValues:
        return args

    @impl(llvm.IntToPtrOp)
    def run_inttoptr(
        self, interpreter: Interpreter, op: llvm.IntToPtrOp, args: PythonValues
    ) -> PythonValues:
        return args

    @impl(llvm.AddressOfOp)
    def run_addressof(
        self, interpreter: Interpreter, op: llvm.AddressOfOp, args: PythonValues
    ) -> PythonValues:
        return (op.global_name.root_reference.data,)

    @impl(UnrealizedConversionCastOp)
    def run_cast(
        self,
        interpreter: Interpreter,
        op: UnrealizedConversionCastOp,
        args: PythonValues,
    ) -> PythonValues:
        types = [v.type for v in (*op.operands, *op.results)]
        if any(isinstance(t, llvm.LLVMPointerType) for t in types):
            return args  # a buffer as its address, and back
        return tuple(
            interpreter.cast_value(o.type, r.type, arg)
            for o, r, arg in zip(op.operands, op.results, args, strict=True)
        )

    @impl_external(RUNTIME_FUNCTION)
    def run_parallel_for(
        self, interpreter: Interpreter, op: Operation, args: PythonValues
    ) -> PythonValues:
        body, context, count = args
        interpreter.call_op(body, (context, 0, count))
        return ()


__all__ = ["OutlinedLoopFunctions", "Pointer", "Slots"]
