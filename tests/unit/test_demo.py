"""examples/demo.py (`make demo`): the level table, the native run and its error."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mlc_examples_demo", ROOT / "examples" / "demo.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_demo_walks_every_level(capsys: pytest.CaptureFixture[str]) -> None:
    demo = load_demo()
    model = ROOT / "examples" / "small" / "mlp_small.mlir"
    assert demo.main([str(model), "--repeat", "3"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert re.search(r"input\s+-\s+6\s+graph.linear 2", rows["input"])
    for level in ("graph", "tensor", "loop", "llvm"):
        assert re.search(rf"{level}\s+\d+\s+\d+\s+\S.*\d ms$", rows[level]), out
    assert "graph.linear" not in rows["tensor"]
    assert "linalg.generic" in rows["tensor"]
    assert "scf.for" in rows["loop"]
    assert "llvm." in rows["llvm"]
    assert "LLVM IR instructions" in rows["native"]
    match = re.search(r"error +max abs (\S+)", out)
    assert match is not None, out
    assert float(match[1]) < 1e-4
    assert re.search(r"run time +median [\d.]+ (µs|ms)", out)
