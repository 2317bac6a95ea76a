"""
Run mlc IR in pure Python, at any level, to check numerics level by level.

`run_function(module, name, args)` interprets one function of `module` on
numpy arrays and returns its results as numpy arrays;
`run_function_with_buffers` also returns the final contents of its memref
arguments (a bufferized function returns through out-param buffers). Graph
ops run through their numpy references (`interpreters/graph.py`); tensor-
and loop-level IR runs through xDSL's interpreters (arith, math, func,
tensor, linalg, memref, scf, cf, builtin) plus mlc's extensions for what they
lack. Tensors and memrefs are xDSL `ShapedArray`s inside the interpreter and
numpy arrays at its boundary. Interpretation is slow (Python per scalar): use
small shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects import math as xmath
from xdsl.dialects.arith import ConstantOp as ArithConstantOp
from xdsl.dialects.builtin import (
    Builtin,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    MemRefType,
    ModuleOp,
    TensorType,
)
from xdsl.dialects.func import FuncOp
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.interpreters import (
    affine,
    arith,
    builtin,
    cf,
    func,
    math,
    memref,
    scf,
    tensor,
)
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr
from xdsl.ir import Attribute
from xdsl.utils.exceptions import InterpretationError
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import Array, dense_to_numpy, to_numpy_dtype
from mlc.interpreters import vector as vector_functions
from mlc.interpreters.elementwise_math import ElementwiseMathFunctions
from mlc.interpreters.graph import GraphFunctions
from mlc.interpreters.outlined import OutlinedLoopFunctions
from mlc.interpreters.tensor_level import TensorLevelFunctions
from mlc.passes.bufferize import resource_to_dense


def all_functions() -> list[InterpreterFunctions]:
    """xDSL's interpreter functions for the upstream dialects, then mlc's."""
    return [
        builtin.BuiltinFunctions(),
        arith.ArithFunctions(),
        math.MathFunctions(),
        func.FuncFunctions(),
        tensor.TensorFunctions(),
        TensorLevelFunctions(),  # LoopLevelFunctions + the tensor level's ops
        ElementwiseMathFunctions(),
        memref.MemRefFunctions(),
        scf.ScfFunctions(),
        cf.CfFunctions(),
        affine.AffineFunctions(),
        GraphFunctions(),
    ]


def _element_type(type_: Attribute) -> Attribute | None:
    """The element type of a tensor or memref type, None for a scalar type."""
    if isa(type_, TensorType[Attribute]) or isa(type_, MemRefType[Attribute]):
        return type_.get_element_type()
    return None


def to_interpreter(array: Array, type_: Attribute) -> Any:
    """A numpy argument as the interpreter's value of `type_`."""
    element_type = _element_type(type_)
    if element_type is None:
        return np.asarray(array).item()
    assert isa(type_, TensorType[Attribute]) or isa(type_, MemRefType[Attribute])
    values = np.asarray(array, to_numpy_dtype(element_type)).ravel().tolist()
    xtype = cast(Any, element_type)  # a PackableType for every mlc element type
    return ShapedArray(TypedPtr[Any].new(values, xtype=xtype), list(type_.get_shape()))


def from_interpreter(value: Any, type_: Attribute) -> Array:
    """An interpreter value of `type_` as a numpy array."""
    if not isinstance(value, ShapedArray):
        return np.asarray(value)
    shaped = cast(ShapedArray[Any], value)
    element_type = _element_type(type_)
    dtype = None if element_type is None else to_numpy_dtype(element_type)
    return np.asarray(shaped.data, dtype=dtype).reshape(shaped.shape)


def _ieee(fn: Any, x: float) -> float:
    with np.errstate(all="ignore"):
        return float(fn(np.float64(x)))


# xdsl-gap(0.74): interp-math-ieee — raises on inf/nan
@register_impls
class IeeeMathFunctions(math.MathFunctions):
    """
    `math.exp`/`sqrt`/`log` with IEEE results (inf, nan) where xDSL 0.74's
    implementations, through Python's `math`, raise (domain or range errors).
    """

    @impl(xmath.ExpOp)
    def run_exp(
        self, interpreter: Interpreter, op: xmath.ExpOp, args: PythonValues
    ) -> PythonValues:
        return (_ieee(np.exp, args[0]),)

    @impl(xmath.SqrtOp)
    def run_sqrt(
        self, interpreter: Interpreter, op: xmath.SqrtOp, args: PythonValues
    ) -> PythonValues:
        return (_ieee(np.sqrt, args[0]),)

    @impl(xmath.LogOp)
    def run_log(
        self, interpreter: Interpreter, op: xmath.LogOp, args: PythonValues
    ) -> PythonValues:
        return (_ieee(np.log, args[0]),)


# xdsl-gap(0.74): interp-dense-constant — scalars only
@register_impls
class DenseConstantFunctions(arith.ArithFunctions):
    """
    `arith.constant dense<...>` (or `dense_resource<...>`, from its parsed blob)
    as a tensor value; scalars as xDSL runs them.

    xDSL 0.74's `arith.constant` implementation only takes scalar attributes;
    `run_function` registers this one over it.
    """

    @impl(ArithConstantOp)
    def run_constant(
        self, interpreter: Interpreter, op: ArithConstantOp, args: PythonValues
    ) -> PythonValues:
        value = op.value
        if isinstance(value, DenseResourceAttr):
            # The parser keeps `dialect_resources` blobs in the builtin dialect.
            blobs = Builtin.get_interface(OpAsmDialectInterface)
            dense = resource_to_dense(value, blobs)
            if isinstance(dense, str):
                raise InterpretationError(dense)
            value = dense
        if isinstance(value, DenseIntOrFPElementsAttr):
            return (to_interpreter(dense_to_numpy(value), op.result.type),)
        # `@impl` wrapped xDSL's method: it returns an `OpImplResult`.
        return super().run_constant(interpreter, op, args).values


def run_function(module: ModuleOp, name: str, args: Sequence[Array]) -> list[Array]:
    """Interpret `@name` of `module` on `args`; its results, as numpy arrays."""
    results, _ = run_function_with_buffers(module, name, args)
    return results


def run_function_with_buffers(
    module: ModuleOp,
    name: str,
    args: Sequence[Array],
    listeners: Sequence[Interpreter.Listener] = (),
) -> tuple[list[Array], list[Array]]:
    """
    Interpret `@name` of `module` on `args`: its results and its final arguments.

    The second list holds each argument's value after the call, as numpy
    arrays: a memref argument's final contents (the interpreter writes into
    the buffers it is given, which is how a bufferized function returns its
    out-params), any other argument as it was passed. `listeners` observe every
    interpreted op (xDSL's `Interpreter.Listener`).
    """
    interpreter = Interpreter(module, listeners=tuple(listeners))
    for functions in all_functions():
        interpreter.register_implementations(functions)
    interpreter.register_implementations(DenseConstantFunctions(), override=True)
    interpreter.register_implementations(IeeeMathFunctions(), override=True)
    vector_functions.install(interpreter)
    interpreter.register_implementations(OutlinedLoopFunctions(), override=True)
    function = interpreter.get_op_for_symbol(name)
    input_types = [arg.type for arg in function.regions[0].blocks[0].args]
    inputs = tuple(to_interpreter(a, t) for a, t in zip(args, input_types, strict=True))
    results = interpreter.call_op(name, inputs)
    if isinstance(function, FuncOp):
        output_types = list(function.function_type.outputs)
    else:
        last = function.regions[0].blocks[0].last_op
        output_types = [] if last is None else [v.type for v in last.operands]
    outputs = [
        from_interpreter(v, t) for v, t in zip(results, output_types, strict=True)
    ]
    finals = [
        from_interpreter(v, t) if isa(t, MemRefType[Attribute]) else np.asarray(a)
        for v, t, a in zip(inputs, input_types, args, strict=True)
    ]
    return outputs, finals
