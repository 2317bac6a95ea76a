"""
Real MLIR's own lowering of our tensor-level IR agrees with ours numerically.

Each graph op case and each small example model is lowered by mlc to the
tensor level (`graph-to-llvm{to=tensor}`); upstream `mlir-opt` 22.1.8 (from the
test extra) then bufferizes it (`one-shot-bufferize` across function
boundaries) and lowers it to loops (`convert-linalg-to-loops`). That loop-level
IR, interpreted, must match the graph level's numpy references. In CI the
tool must be there; elsewhere its absence skips the module with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sysconfig
from pathlib import Path

import numpy as np
import pytest
from graph_op_cases import CASES, inputs_for, module_text
from helpers import full_context
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser

from mlc.dialects.graph.base import Array
from mlc.interpreters import run_function
from mlc.lowering.pipelines import pipeline_passes
from mlc.tools.check_numerics import (
    NumericsOptions,
    compare,
    find_entry,
    random_input,
)

MLIR_OPT = Path(sysconfig.get_paths()["purelib"]) / "mlir" / "bin" / "mlir-opt"
SMALL_MODELS = sorted((Path(__file__).parents[3] / "examples" / "small").glob("*.mlir"))
UPSTREAM_TO_LOOPS = [
    "--one-shot-bufferize=bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map",
    "--convert-linalg-to-loops",
    "--canonicalize",
    "--mlir-print-op-generic",
]

if not MLIR_OPT.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"upstream mlir-opt missing in CI: {MLIR_OPT}")
    pytest.skip(
        f"upstream mlir-opt not installed ({MLIR_OPT})", allow_module_level=True
    )


def upstream_loops(tensor_ir: str, ctx: Context) -> ModuleOp:
    done = subprocess.run(
        [str(MLIR_OPT), *UPSTREAM_TO_LOOPS],
        input=tensor_ir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return Parser(ctx, done.stdout).parse_module()


def check_agreement(text: str, entry: str, inputs: list[Array]) -> None:
    ctx = full_context()
    module = Parser(ctx, text).parse_module()
    expected = run_function(module, entry, inputs)
    for pass_ in pipeline_passes("tensor"):
        pass_.apply(ctx, module)
    loops = upstream_loops(str(module), ctx)
    actual = run_function(loops, entry, inputs)
    for got, want in zip(actual, expected, strict=True):
        error, mismatch = compare(got, want, NumericsOptions())
        assert mismatch is None, f"{mismatch.detail} (max abs error {error})"


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_op(name: str) -> None:
    ins, out, line = CASES[name]
    check_agreement(
        module_text(ins, out, line), "f", inputs_for(name, ins, full_context())
    )


@pytest.mark.parametrize("path", SMALL_MODELS, ids=lambda p: p.stem)
def test_small_models(path: Path) -> None:
    module = Parser(full_context(), path.read_text()).parse_module()
    entry = find_entry(module, None)
    rng = np.random.default_rng(0)
    inputs = [
        random_input(arg.type, rng, f"argument #{i}", entry)
        for i, arg in enumerate(entry.body.block.args)
    ]
    check_agreement(path.read_text(), entry.sym_name.data, inputs)
