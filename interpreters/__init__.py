"""
Run mlc IR in pure Python, at any level, to check numerics level by level.

`run_function(module, name, args)` interprets one function of `module` on
numpy arrays and returns its results as numpy arrays. Graph ops run through
their numpy references (`interpreters/graph.py`); tensor- and loop-level IR
runs through xDSL's interpreters (arith, math, func, tensor, linalg, memref,
scf, cf, builtin) plus mlc's extensions for what they lack. Tensors and
memrefs are xDSL `ShapedArray`s inside the interpreter and numpy arrays at its
boundary. Interpretation is slow (Python per scalar): use small shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from xdsl.dialects.builtin import MemRefType, ModuleOp, TensorType
from xdsl.interpreter import Interpreter, InterpreterFunctions
from xdsl.interpreters import (
    arith,
    builtin,
    cf,
    func,
    linalg,
    math,
    memref,
    scf,
    tensor,
)
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr
from xdsl.ir import Attribute
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import Array, to_numpy_dtype
from mlc.interpreters.graph import GraphFunctions


def all_functions() -> list[InterpreterFunctions]:
    """xDSL's interpreter functions for the upstream dialects, then mlc's."""
    return [
        builtin.BuiltinFunctions(),
        arith.ArithFunctions(),
        math.MathFunctions(),
        func.FuncFunctions(),
        tensor.TensorFunctions(),
        linalg.LinalgFunctions(),
        memref.MemRefFunctions(),
        scf.ScfFunctions(),
        cf.CfFunctions(),
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


def run_function(module: ModuleOp, name: str, args: Sequence[Array]) -> list[Array]:
    """Interpret `@name` of `module` on `args`; its results, as numpy arrays."""
    interpreter = Interpreter(module)
    for functions in all_functions():
        interpreter.register_implementations(functions)
    function = interpreter.get_op_for_symbol(name)
    input_types = [arg.type for arg in function.regions[0].blocks[0].args]
    inputs = tuple(to_interpreter(a, t) for a, t in zip(args, input_types, strict=True))
    results = interpreter.call_op(name, inputs)
    output_types = [op.type for op in function.regions[0].blocks[0].last_op.operands]  # pyright: ignore[reportOptionalMemberAccess]
    return [from_interpreter(v, t) for v, t in zip(results, output_types, strict=True)]
