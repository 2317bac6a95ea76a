"""
Ops newer than the opsets mlc imports (CausalConvWithState and
LinearAttention of opset 27, `ai.onnx.preview` FlexAttention over opset 26):
onnx's own node tests, their default-domain opset lowered to `MAX_OPSET` (the
converters do not depend on it), imported and run by the graph-level
interpreter against the stored outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import MAX_OPSET, import_onnx
from mlc.interpreters import run_function

NODE_TESTS = Path(onnx.__file__).parent / "backend" / "test" / "data" / "node"
PREFIXES = (
    "test_causal_conv_with_state",
    "test_linear_attention",
    "test_flexattention",
)
CASES = sorted(
    p.name
    for p in NODE_TESTS.iterdir()
    if p.name.startswith(PREFIXES) and "_expanded" not in p.name
)


def _tensors(path: Path, kind: str) -> list[np.ndarray[Any, Any]]:
    files = sorted(
        path.glob(f"test_data_set_0/{kind}_*.pb"),
        key=lambda p: int(p.stem.split("_")[-1]),
    )
    return [numpy_helper.to_array(onnx.load_tensor(str(f))) for f in files]


def test_cases_found() -> None:
    assert len(CASES) == 13 + 14 + 11


@pytest.mark.parametrize("name", CASES)
def test_node(name: str) -> None:
    path = NODE_TESTS / name
    model = onnx.load(str(path / "model.onnx"))
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            entry.version = min(entry.version, MAX_OPSET)
    imported = import_onnx(model)
    args = [*_tensors(path, "input"), *imported.params.values()]
    actual = run_function(imported.module, imported.entry, args)
    expected = _tensors(path, "output")
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        got = np.asarray(got)
        assert got.dtype == want.dtype
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-5)


def test_subgraph_ops_listed_up_front() -> None:
    """An unsupported op inside a modifier subgraph is listed before converting."""
    model = onnx.load(str(NODE_TESTS / "test_flexattention_soft_cap" / "model.onnx"))
    (attr,) = model.graph.node[0].attribute
    attr.g.node[1].op_type = "Frobnicate"
    for entry in model.opset_import:
        if entry.domain == "":
            entry.version = MAX_OPSET
    with pytest.raises(UnsupportedModelError, match="unsupported ONNX ops: Frobnicate"):
        import_onnx(model)


def test_subgraph_names_do_not_leak() -> None:
    """A subgraph's names shadow the outer ones only while it is converted."""
    model = onnx.load(str(NODE_TESTS / "test_flexattention_score_mod" / "model.onnx"))
    for entry in model.opset_import:
        if entry.domain == "":
            entry.version = MAX_OPSET
    flex = model.graph.node[0]
    flex.output[0] = "scores_out"  # the subgraph's output name, outside it
    add = onnx.helper.make_node("Add", ["scores_out", "scores_out"], ["Y"])
    model.graph.node.append(add)
    path = NODE_TESTS / "test_flexattention_score_mod"
    imported = import_onnx(model)
    args = [*_tensors(path, "input"), *imported.params.values()]
    (got,) = run_function(imported.module, imported.entry, args)
    (want,) = _tensors(path, "output")
    np.testing.assert_allclose(np.asarray(got), 2 * want, rtol=1e-3, atol=1e-5)
