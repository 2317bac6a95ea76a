"""
Native code agrees with the graph level: every graph op (each case of
`graph_op_cases`) compiled by `mlc.compile` at -O0 and -O3 gives what the
interpreter gives through the ops' numpy references, and so do each op family
and random graph programs (hypothesis) at random small shapes and types.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from graph_op_cases import CASES, inputs_for, module_text
from graph_programs import BUILDERS, Program, argument_value, graph_programs, programs
from helpers import full_context
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.parser import Parser

import mlc
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]


def assert_agrees(got: object, want: Array) -> None:
    assert isinstance(got, np.ndarray)
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    if want.dtype.kind in "biu":
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(
            got.astype(np.float64),
            want.astype(np.float64),
            rtol=1e-4 if want.dtype != np.float16 else 2e-3,
            atol=1e-5 if want.dtype != np.float16 else 1e-3,
            equal_nan=True,
        )


@pytest.mark.parametrize("opt_level", [0, 3])
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_op_agrees_natively(name: str, opt_level: int) -> None:
    ins, out, line = CASES[name]
    text = module_text(ins, out, line)
    ctx = full_context()
    inputs = inputs_for(name, ins, ctx)
    with np.errstate(all="ignore"):
        (want,) = run_function(Parser(ctx, text).parse_module(), "f", inputs)
    compiled = mlc.compile(text, opt_level=opt_level)
    assert_agrees(compiled(*inputs), np.asarray(want))


@settings(max_examples=20, deadline=None)
@given(program=programs(max_ops=4), seed=st.integers(0, 2**16))
def test_random_programs_agree_natively(program: Program, seed: int) -> None:
    module = program.module
    function = module.ops.first
    assert isinstance(function, func.FuncOp)
    rng = np.random.default_rng(seed)
    inputs = [argument_value(arg, rng) for arg in function.body.block.args]
    with np.errstate(all="ignore"):  # log of a negative is NaN, natively too
        (want,) = run_function(module, "program", inputs)
    compiled = mlc.compile(module, opt_level=3)
    assert_agrees(compiled(*inputs), np.asarray(want))


@pytest.mark.parametrize("make", list(BUILDERS), ids=lambda make: make.__name__)
@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_each_op_at_random_shapes_agrees_natively(
    make: Any, data: st.DataObject
) -> None:
    """Every op builder's ops at random shapes and element types, -O0 and -O3."""
    module = data.draw(graph_programs(max_ops=1, only=make))
    function = module.ops.first
    assert isinstance(function, func.FuncOp)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    inputs = [argument_value(arg, rng) for arg in function.body.block.args]
    with np.errstate(all="ignore"):
        (want,) = run_function(module, "program", inputs)
    for opt_level in (0, 3):
        compiled = mlc.compile(module.clone(), opt_level=opt_level)
        assert_agrees(compiled(*inputs), np.asarray(want))
