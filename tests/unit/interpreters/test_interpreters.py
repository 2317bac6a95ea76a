"""`run_function`: graph ops through their references, and memref out-params."""

from __future__ import annotations

import numpy as np
import pytest
from graph_programs import BUILDERS, Builder, Pool
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from xdsl.context import Context
from xdsl.dialects import arith, builtin, func, memref
from xdsl.dialects.builtin import (
    IntegerType,
    MemRefType,
    ModuleOp,
    Signedness,
    TensorType,
    f16,
    f32,
    f64,
    i1,
    i8,
    i32,
    i64,
)
from xdsl.interpreter import Interpreter, PythonValues
from xdsl.ir import Attribute, Operation, Region
from xdsl.parser import Parser

from mlc.dialects.graph import GRAPH_OPS, GatherOp, GraphOp, to_numpy_dtype
from mlc.dialects.graph.base import Array
from mlc.interpreters import (
    all_functions,
    from_interpreter,
    run_function,
    run_function_with_buffers,
    to_interpreter,
)
from mlc.interpreters.graph import GraphFunctions


def make_memref_context() -> Context:
    ctx = Context()
    for dialect in (builtin.Builtin, func.Func, arith.Arith, memref.MemRef):
        ctx.load_dialect(dialect)
    return ctx


CASES = [(make, op) for make, ops in BUILDERS.items() for op in ops]


def random_array(type_: Attribute, rng: np.random.Generator) -> Array:
    assert isinstance(type_, TensorType)
    shape = tuple(type_.get_shape())
    dtype = to_numpy_dtype(type_.get_element_type())
    if dtype.kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(dtype)
    return rng.integers(1, 4, shape).astype(dtype)


def one_op_module(
    data: st.DataObject, make: Builder, op_type: type[GraphOp]
) -> tuple[ModuleOp, func.FuncOp, GraphOp]:
    """A function `@one_op` of one op of `op_type` over its arguments."""
    pool = Pool(data.draw)
    op = make(pool)
    assume(isinstance(op, op_type))
    assert op is not None
    pool.block.add_op(op)
    pool.block.add_op(func.ReturnOp(op.results[0]))
    inputs = [arg.type for arg in pool.block.args]
    function = func.FuncOp("one_op", (inputs, [op.results[0].type]), Region(pool.block))
    return ModuleOp([function]), function, op


def test_every_graph_op_has_a_case():
    assert {op for _, op in CASES} == set(GRAPH_OPS)


@pytest.mark.parametrize(("make", "op_type"), CASES, ids=[op.name for _, op in CASES])
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(data=st.data())
def test_graph_op_through_run_function_equals_evaluate(
    make: Builder, op_type: type[GraphOp], data: st.DataObject
):
    module, function, op = one_op_module(data, make, op_type)
    rng = np.random.default_rng(0)
    args = [random_array(arg.type, rng) for arg in function.args]
    if isinstance(op, GatherOp):  # in-range indices
        args[-1] = np.zeros_like(args[-1])
    with np.errstate(all="ignore"):
        (got,) = run_function(module, "one_op", args)
        operands = dict(zip(function.args, args, strict=True))
        expected = op.evaluate(
            *(None if v is None else operands[v] for v in op.operands_in_order())
        )
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


OUT_PARAMS = """
func.func @store(%x: memref<2xf32>, %n: i32, %out: memref<2xf32> {mlc.out},
                 %flags: memref<2xi1> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %true = arith.constant true
  %v = memref.load %x[%c1] : memref<2xf32>
  %w = arith.addf %v, %v : f32
  memref.store %w, %out[%c0] : memref<2xf32>
  memref.store %true, %flags[%c1] : memref<2xi1>
  func.return
}
"""


def test_run_function_with_buffers_returns_final_memref_contents():
    module = Parser(make_memref_context(), OUT_PARAMS).parse_module()
    x = np.array([1.0, 2.5], np.float32)
    args = [x, np.int32(7), np.zeros(2, np.float32), np.zeros(2, np.bool_)]
    results, finals = run_function_with_buffers(module, "store", args)
    assert results == []
    np.testing.assert_array_equal(finals[0], x)
    assert finals[1] == 7
    np.testing.assert_array_equal(finals[2], np.array([5.0, 0.0], np.float32))
    np.testing.assert_array_equal(finals[3], np.array([False, True]))
    assert run_function(module, "store", args) == []


def test_run_function_with_buffers_tells_listeners():
    class Names(Interpreter.Listener):
        def __init__(self) -> None:
            self.names: list[str] = []

        def did_interpret_op(self, op: Operation, results: PythonValues) -> None:
            self.names.append(op.name)

    listener = Names()
    module = Parser(make_memref_context(), OUT_PARAMS).parse_module()
    args = [np.zeros(2, np.float32), np.int32(0), np.zeros(2, np.float32)]
    run_function_with_buffers(
        module, "store", [*args, np.zeros(2, np.bool_)], [listener]
    )
    assert listener.names.count("memref.store") == 2
    assert listener.names[-1] == "func.return"


@pytest.mark.parametrize(
    "element",
    [f16, f32, f64, i1, i8, i32, i64, IntegerType(8, Signedness.UNSIGNED)],
    ids=str,
)
def test_values_cross_the_interpreter_boundary_unchanged(element: Attribute):
    rng = np.random.default_rng(1)
    for type_ in (TensorType(element, [2, 3]), MemRefType(element, [2, 3])):
        array = random_array(TensorType(element, [2, 3]), rng)
        back = from_interpreter(to_interpreter(array, type_), type_)
        assert back.dtype == array.dtype
        np.testing.assert_array_equal(back, array)


def test_all_functions_include_graph():
    assert any(isinstance(f, GraphFunctions) for f in all_functions())
