"""benchmarks/run.py --quick on the smallest model: checked, timed, tabulated."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_models import all_models  # noqa: E402


def test_quick_run_prints_a_checked_row() -> None:
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--quick",
        "--models",
        "mlp_b1",
        "--budget",
        "0.01",
        "--frameworks",
        "mlc,numpy",  # importing torch alone takes seconds
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1 thread per framework:"
    assert lines[2] == "| model | mlc -O3 | numpy | mlc compile | mlc max abs error |"
    row = next(line for line in lines if line.startswith("| MLP 784→128→10"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert all(re.fullmatch(r"[\d.]+ (µs|ms|s)", c) for c in cells[1:3]), row
    assert float(cells[-1]) < 1e-4  # mlc's max abs error against numpy
    assert "Machine: " in result.stdout


def test_unknown_model_is_one_line() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--models", "x"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("run.py: error: unknown model 'x'")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["mlp_b1", "lenet_b1", "transformer_b1"])
def test_onnx_graphs_agree_with_numpy(name: str) -> None:
    """The onnxruntime column's models, checked without onnxruntime."""
    pytest.importorskip("onnx")
    from onnx.checker import check_model
    from onnx.reference import ReferenceEvaluator

    model = next(m for m in all_models() if m.name == name)
    args = model.arguments()
    proto = model.onnx_model(args)
    check_model(proto, full_check=True)
    (result,) = ReferenceEvaluator(proto).run(None, {model.params[0].name: args[0]})
    np.testing.assert_allclose(result, model.numpy_fn(*args), rtol=1e-4, atol=1e-5)
