"""
Properties of random well-formed graph programs: they verify, print -> parse ->
print is the identity in the custom and in the generic form, and with constant
arguments `canonicalize` folds them to what the ops' references compute."""

from typing import Any

import numpy as np
from graph_programs import BUILDERS, Program, programs
from helpers import make_context, print_op
from hypothesis import example, given, settings
from hypothesis import strategies as st
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import TensorType
from xdsl.ir import BlockArgument, SSAValue
from xdsl.parser import Parser
from xdsl.transforms.canonicalize import CanonicalizePass

from mlc.dialects.graph import (
    GRAPH_OPS,
    GatherOp,
    GraphOp,
    constant_value,
    get_int,
    normalize_axis,
    numpy_to_dense,
    to_numpy_dtype,
)

CTX = make_context()
Array = np.ndarray[Any, np.dtype[Any]]


def test_every_graph_op_has_a_builder():
    built = {op for ops in BUILDERS.values() for op in ops}
    assert [op.name for op in GRAPH_OPS if op not in built] == []


@settings(max_examples=300, deadline=None)
@given(programs())
def test_random_programs_round_trip(program: Program):
    module = program.module
    module.verify()
    text = print_op(module)
    reparsed = Parser(CTX, text).parse_module()
    reparsed.verify()
    assert print_op(reparsed) == text
    generic = print_op(module, generic=True)
    assert print_op(Parser(CTX, generic).parse_module()) == text


# --------------------------------------------------------------------------- #
# Constant folding
# --------------------------------------------------------------------------- #


def gathered_size(arg: BlockArgument) -> int | None:
    """The size of the gathered axis when `arg` is a gather's indices, else None."""
    for use in arg.uses:
        op = use.operation
        if isinstance(op, GatherOp) and use.index == 1:
            shape = op.data.type.get_shape()
            return shape[
                normalize_axis(op.name, get_int(op.properties, "axis"), len(shape))
            ]
    return None


def argument_value(arg: BlockArgument, rng: np.random.Generator) -> Array:
    """
    Small random values of `arg`'s type (floats may meet domain errors: NaN on
    both sides); in range where they index a gather, which folds only then.
    """
    assert isinstance(arg.type, TensorType)
    dtype = to_numpy_dtype(arg.type.element_type)
    shape = arg.type.get_shape()
    if (size := gathered_size(arg)) is not None:
        return rng.integers(-size, size, shape).astype(dtype)
    if dtype.kind == "f":
        return rng.uniform(-2, 2, shape).astype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    return rng.integers(0 if dtype.kind == "u" else -4, 5, shape).astype(dtype)


def constant_arguments(function: func.FuncOp, seed: int) -> dict[SSAValue, Array]:
    """Replace every argument by a random constant; the constants' values."""
    rng = np.random.default_rng(seed)
    block = function.body.block
    values: dict[SSAValue, Array] = {}
    for arg in block.args:
        assert isinstance(arg.type, TensorType)
        value = argument_value(arg, rng)
        constant = arith.ConstantOp(numpy_to_dense(value, arg.type))
        block.insert_op_before(constant, block.first_op)
        arg.replace_all_uses_with(constant.result)
        values[constant.result] = value
    return values


def evaluate(function: func.FuncOp, values: dict[SSAValue, Array]) -> Array:
    """The function's result, evaluating each graph op's reference in turn."""
    with np.errstate(all="ignore"):  # as folding does
        for op in function.body.block.ops:
            if isinstance(op, GraphOp):
                operands = [
                    None if v is None else values[v] for v in op.operands_in_order()
                ]
                values[op.results[0]] = op.evaluate(*operands)
    ret = function.body.block.last_op
    assert isinstance(ret, func.ReturnOp)
    return values[ret.arguments[0]]


RTOL = {np.dtype(np.float16): 1e-2, np.dtype(np.float32): 1e-5}

PAD_OF_A_SCALAR = """
func.func @program(%0: tensor<f16>) -> tensor<f16> {
  %1 = graph.pad %0 {pads = array<i64>} : (tensor<f16>) -> tensor<f16>
  func.return %1 : tensor<f16>
}
"""


@settings(max_examples=100, deadline=None)
@given(programs(), st.integers(0, 2**32 - 1))
@example(Program(Parser(CTX, PAD_OF_A_SCALAR).parse_module()), 0)
def test_random_programs_fold_to_the_references(program: Program, seed: int):
    module = program.module
    function = module.body.block.first_op
    assert isinstance(function, func.FuncOp)
    expected = evaluate(function, constant_arguments(function, seed))
    CanonicalizePass().apply(CTX, module)
    module.verify()
    *constants, ret = function.body.block.ops
    assert isinstance(ret, func.ReturnOp)
    assert all(isinstance(op, arith.ConstantOp) for op in constants), print_op(module)
    folded = constant_value(ret.arguments[0])
    assert folded is not None
    assert (folded.dtype, folded.shape) == (expected.dtype, expected.shape)
    if expected.dtype.kind == "f":
        rtol = RTOL.get(expected.dtype, 1e-12)
        np.testing.assert_allclose(folded, expected, rtol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(folded, expected)
