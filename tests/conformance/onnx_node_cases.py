"""
The ONNX backend node tests the conformance suite runs, and how one runs.

A case is a directory `onnx/backend/test/data/node/test_*` of the pinned onnx
wheel: `model.onnx` and `test_data_set_0/{input,output}_*.pb`. It is selected
when every op of its model is one mlc imports; a selected case whose element
types or opset mlc does not support is reported as skipped, with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import numpy_helper

from mlc.frontend.onnx import CONVERTERS, MAX_OPSET, MIN_OPSET
from mlc.frontend.onnx.importer import IMPORT_TIME_OPS, op_key

NODE_TESTS = Path(onnx.__file__).parent / "backend" / "test" / "data" / "node"
XFAIL_FILE = Path(__file__).parent / "onnx_xfail.txt"
RTOL, ATOL = 1e-3, 1e-5

T = onnx.TensorProto
SUPPORTED_TYPES = {
    T.FLOAT, T.DOUBLE, T.FLOAT16, T.BFLOAT16, T.BOOL,
    T.INT8, T.INT16, T.INT32, T.INT64, T.UINT8, T.UINT16, T.UINT32, T.UINT64,
    # The narrow types, carried as their storage bytes (support/narrow_types.py).
    T.FLOAT8E4M3FN, T.FLOAT8E4M3FNUZ, T.FLOAT8E5M2, T.FLOAT8E5M2FNUZ,
    T.FLOAT8E8M0, T.FLOAT4E2M1, T.INT4, T.UINT4, T.INT2, T.UINT2,
}  # fmt: skip
OPS = frozenset(CONVERTERS) | IMPORT_TIME_OPS | {"Range"}
"""
The op types whose node tests are selected: mlc's ONNX op set (converted, or
evaluated at import: `Range` on its fixed operands).
"""
BACKENDS = ("native", "interpreter", "loop")


@dataclass(frozen=True)
class Case:
    """One node test: its name, directory, op types and a skip reason, if any."""

    name: str
    path: Path
    ops: tuple[str, ...]
    skip: str | None


def _element_types(model: onnx.ModelProto) -> set[int]:
    types: set[int] = set()
    graph = model.graph
    for value in (*graph.input, *graph.output, *graph.value_info):
        kind = value.type.WhichOneof("value")
        if kind != "tensor_type":
            types.add(-1)  # sequences, optionals: not tensors
        else:
            types.add(value.type.tensor_type.elem_type)
    for init in graph.initializer:
        types.add(init.data_type)
    for node in graph.node:
        for attr in node.attribute:
            if attr.name == "to":
                types.add(attr.i)
            if attr.HasField("t"):
                types.add(attr.t.data_type)
    return types


def _skip_reason(model: onnx.ModelProto) -> str | None:
    unsupported = _element_types(model) - SUPPORTED_TYPES
    if unsupported:
        names = sorted(
            "non-tensor" if t == -1 else T.DataType.Name(t) for t in unsupported
        )
        return f"element types outside mlc's set: {', '.join(names)}"
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx") and not (
            MIN_OPSET <= entry.version <= MAX_OPSET
        ):
            return f"opset {entry.version} outside {MIN_OPSET}-{MAX_OPSET}"
    return None


def _op_keys(graph: onnx.GraphProto) -> set[str]:
    """The op keys (`domain.Op` outside the default domain), subgraphs included."""
    keys: set[str] = set()
    for node in graph.node:
        keys.add(op_key(node))
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                keys |= _op_keys(attr.g)
    return keys


@cache
def all_cases() -> tuple[Case, ...]:
    """Every node test whose ops are all ones mlc imports, by name."""
    cases: list[Case] = []
    for path in sorted(NODE_TESTS.glob("test_*")):
        model = onnx.load(str(path / "model.onnx"), load_external_data=False)
        ops = tuple(sorted(_op_keys(model.graph)))
        if not ops or any(op not in OPS for op in ops):
            continue
        cases.append(Case(path.name, path, ops, _skip_reason(model)))
    return tuple(cases)


def read_xfails() -> dict[str, str]:
    """The expected failures: `test_name  # reason` per line."""
    xfails: dict[str, str] = {}
    for line in XFAIL_FILE.read_text().splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            xfails[name.strip()] = reason.strip()
    return xfails


def _tensors(path: Path, kind: str) -> list[np.ndarray[Any, Any]]:
    files = sorted(
        path.glob(f"test_data_set_0/{kind}_*.pb"),
        key=lambda p: int(p.stem.split("_")[-1]),
    )
    return [numpy_helper.to_array(onnx.load_tensor(str(f))) for f in files]


def backend() -> str:
    name = os.environ.get("MLC_ONNX_BACKEND", "native")
    if name not in BACKENDS:
        raise ValueError(f"MLC_ONNX_BACKEND must be one of {BACKENDS}, got {name!r}")
    return name


def run_case(case: Case) -> tuple[list[np.ndarray[Any, Any]], list[Any]]:
    """Import, compile and run a case; its (expected, actual) outputs."""
    import mlc
    from mlc.frontend.onnx import constant_operand_inputs

    model = onnx.load(str(case.path / "model.onnx"))
    inputs = _tensors(case.path, "input")
    expected = _tensors(case.path, "output")
    # Shape and axes operands that a node test passes as graph inputs are
    # fixed at import (mlc's shapes are static); the rest are call arguments.
    names = [v.name for v in model.graph.input]
    fixed = set(constant_operand_inputs(model))
    values = {n: a for n, a in zip(names, inputs, strict=False) if n in fixed}
    args = [a for n, a in zip(names, inputs, strict=False) if n not in fixed]
    imported = mlc.frontend.import_onnx(model, input_values=values)
    if backend() == "loop":
        actual = narrow_results(imported, run_loop_level(imported, storage(args)))
    elif backend() == "interpreter":
        from mlc.interpreters import run_function

        params = list(imported.params.values())
        actual: Sequence[Any] = run_function(
            imported.module, imported.entry, [*storage(args), *params]
        )
        actual = narrow_results(imported, actual)
    else:
        compiled = mlc.compile(imported, opt_level=1)  # pyright: ignore
        result = compiled(*args)
        actual = list(result) if isinstance(result, tuple) else [result]
    return expected, list(actual)


def storage(args: list[Any]) -> list[Any]:
    """Narrow-typed arrays as the bytes the graph holds (the interpreters)."""
    from mlc.support.narrow_types import STORAGE, narrow_format

    return [a.view(STORAGE) if narrow_format(a.dtype) else a for a in args]


def narrow_results(imported: Any, results: Sequence[Any]) -> list[Any]:
    """Results marked `mlc.dtype` viewed as their narrow type (as the runtime)."""
    from xdsl.dialects.builtin import StringAttr
    from xdsl.dialects.func import FuncOp

    from mlc.support.abi import DTYPE_ATTR
    from mlc.support.narrow_types import narrow_dtype

    entry = next(
        op
        for op in imported.module.ops
        if isinstance(op, FuncOp) and op.sym_name.data == imported.entry
    )
    attrs = entry.res_attrs.data if entry.res_attrs is not None else ()
    out = [np.asarray(r) for r in results]
    for index, attr in enumerate(attrs):
        name = attr.data.get(DTYPE_ATTR)
        if isinstance(name, StringAttr) and (dtype := narrow_dtype(name.data)):
            out[index] = out[index].view(dtype)
    return out


def run_loop_level(imported: Any, args: list[Any]) -> list[Any]:
    """Lower to the loop level and interpret it (slow: Python per scalar)."""
    from helpers import full_context
    from xdsl.dialects.func import FuncOp

    from mlc.dialects.graph.base import to_numpy_dtype
    from mlc.lowering.pipelines import pipeline_passes
    from mlc.support.pass_runner import run_passes
    from mlc.tools.check_numerics import run_level

    entry = next(
        op
        for op in imported.module.ops
        if isinstance(op, FuncOp) and op.sym_name.data == imported.entry
    )
    dtypes = [to_numpy_dtype(t.element_type) for t in entry.function_type.outputs]
    module = imported.module.clone()
    run_passes(pipeline_passes("loop"), full_context(), module)
    params = list(imported.params.values())
    results = run_level(module, imported.entry, [*args, *params]).results
    # The loop level is signless: unsigned results come back as signed ints.
    return [np.asarray(r).view(d) for r, d in zip(results, dtypes, strict=True)]


def compare(expected: list[np.ndarray[Any, Any]], actual: list[Any]) -> None:
    assert len(actual) == len(expected), (
        f"{len(actual)} outputs, expected {len(expected)}"
    )
    for i, (want, got) in enumerate(zip(expected, actual, strict=True)):
        got = np.asarray(got)
        assert got.shape == want.shape, f"output {i}: shape {got.shape} != {want.shape}"
        assert got.dtype == want.dtype, f"output {i}: dtype {got.dtype} != {want.dtype}"
        if want.dtype.kind in "biu":
            np.testing.assert_array_equal(got, want, err_msg=f"output {i}")
        else:
            np.testing.assert_allclose(
                got, want, rtol=RTOL, atol=ATOL, err_msg=f"output {i}"
            )
