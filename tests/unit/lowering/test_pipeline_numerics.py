"""
Numerics at every level: every graph op (each case of `graph_op_cases`) and the
three small example models, interpreted before the pipeline and after each
pass of `graph-to-llvm{to=loop}`, agree with the graph level's numpy
references — the check `mlc-opt --check-numerics` runs, applied to all ops.
"""

from __future__ import annotations

from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from graph_op_cases import CASES, inputs_for, module_text
from graph_programs import Program, argument_value, programs
from helpers import full_context
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.parser import Parser

from mlc.lowering.pipelines import pipeline_passes, pipeline_text
from mlc.tools.check_numerics import NumericsOptions, compare, run_level
from mlc.tools.mlc_opt import main

SMALL_MODELS = sorted((Path(__file__).parents[3] / "examples" / "small").glob("*.mlir"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_op_agrees_at_every_level(name: str) -> None:
    ins, out, line = CASES[name]
    ctx = full_context()
    module = Parser(ctx, module_text(ins, out, line)).parse_module()
    inputs = inputs_for(name, ins, ctx)
    (expected,) = run_level(module, "f", inputs).results
    options = NumericsOptions()
    for pass_ in pipeline_passes("loop"):
        pass_.apply(ctx, module)
        module.verify()
        (actual,) = run_level(module, "f", inputs).results
        error, mismatch = compare(actual, expected, options)
        assert mismatch is None, f"after {pass_.name}: {mismatch.detail} ({error})"
    assert "graph." not in str(module)
    assert "linalg." not in str(module)


@pytest.mark.parametrize("path", SMALL_MODELS, ids=lambda p: p.stem)
def test_small_models_agree_at_every_level(path: Path) -> None:
    err = StringIO()
    with redirect_stdout(StringIO()), redirect_stderr(err):
        code = main(
            [str(path), "-p", pipeline_text("loop"), "--check-numerics", "-o", "-"]
        )
    assert code == 0, err.getvalue()
    assert err.getvalue().splitlines()[-1].endswith("levels agree")


@settings(max_examples=200, deadline=None)
@given(program=programs(max_ops=6), seed=st.integers(0, 2**16))
def test_random_programs_agree_at_the_loop_level(program: Program, seed: int) -> None:
    """Random graph programs (hypothesis) at random small shapes, all levels."""
    ctx = full_context()
    module = program.module
    rng = np.random.default_rng(seed)
    block = module.ops.first.body.block  # pyright: ignore[reportAttributeAccessIssue, reportOptionalMemberAccess, reportUnknownMemberType, reportUnknownVariableType]
    inputs = [argument_value(arg, rng) for arg in block.args]  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType, reportUnknownMemberType]
    expected = run_level(module, "program", inputs).results
    for pass_ in pipeline_passes("loop"):
        pass_.apply(ctx, module)
    module.verify()
    actual = run_level(module, "program", inputs).results
    for got, want in zip(actual, expected, strict=True):
        error, mismatch = compare(got, want, NumericsOptions())
        assert mismatch is None, f"{mismatch.detail} (max abs error {error})"
