"""`--input-shape` in mlc-run and mlc-translate, and models with symbolic dims."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mlc.tools import mlc_run, mlc_translate

DYNAMIC_MLIR = """\
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.relu %x : tensor<?x4xf32>
  func.return %0 : tensor<?x4xf32>
}
"""


def run(
    tool: Any, capsys: pytest.CaptureFixture[str], *argv: str | Path
) -> tuple[int, str, str]:
    code = tool.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.strip()


def gemm_onnx(path: Path) -> tuple[Any, Any]:
    """`y = x @ w.T + b` with x of shape (batch, 4): a dim_param input."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(1)
    w = rng.standard_normal((3, 4)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=1)],
        "gemm",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)
    return w, b


# --------------------------------------------------------------------------- #
# mlc-run
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("batch", [2, 5])
def test_mlc_run_takes_the_shapes_from_its_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], batch: int
) -> None:
    model = tmp_path / "gemm.onnx"
    w, b = gemm_onnx(model)
    x = np.random.default_rng(batch).standard_normal((batch, 4)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "ref.npy", x @ w.T + b)
    code, out, err = run(
        mlc_run,
        capsys,
        model,
        "--input",
        tmp_path / "x.npy",
        "--compare",
        tmp_path / "ref.npy",
        "-O1",
    )
    assert code == 0, err
    assert f"result #0 'y': {batch}x3xf32" in out
    assert re.search(r"compare result #0: .*: ok", out)


def test_mlc_run_random_inputs_need_input_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "relu.mlir"
    model.write_text(DYNAMIC_MLIR)
    code, _, err = run(mlc_run, capsys, model)
    assert code == 1
    assert one_line(err) == (
        "mlc-run: error: random inputs: input 'x' (?x4xfloat32) has a symbolic "
        "dimension '?'; give its shape with --input-shape x=Dx4 (or give --input "
        "files)"
    )
    code, out, err = run(mlc_run, capsys, model, "--input-shape", "x=3x4", "-O0")
    assert code == 0, err
    assert "result #0 'out0': 3x4xf32" in out


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("x=3x5", r"input_shapes\['x'\] = \(3, 5\) does not fit 'x: \?x4xfloat32'"),
        ("y=3x4", r"input_shapes names 'y', which is no input of @f"),
        ("x=3xq", r"bad --input-shape 'x=3xq'"),
    ],
)
def test_mlc_run_bad_input_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, message: str
) -> None:
    model = tmp_path / "relu.mlir"
    model.write_text(DYNAMIC_MLIR)
    code, _, err = run(mlc_run, capsys, model, "--input-shape", flag)
    assert code == 1
    assert re.search(message, one_line(err)), err


def test_mlc_run_input_that_contradicts_a_fixed_dim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "gemm.onnx"
    gemm_onnx(model)
    np.save(tmp_path / "x.npy", np.zeros((2, 5), np.float32))
    code, _, err = run(mlc_run, capsys, model, "--input", tmp_path / "x.npy")
    assert code == 1
    assert "dimension 1 is fixed at 4" in one_line(err)


# --------------------------------------------------------------------------- #
# mlc-translate
# --------------------------------------------------------------------------- #


def test_mlc_translate_import_names_its_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "gemm.onnx"
    gemm_onnx(model)
    out_file = tmp_path / "gemm.mlir"
    code, _, err = run(mlc_translate, capsys, "--import-onnx", model, "-o", out_file)
    assert code == 1
    assert one_line(err) == (
        "mlc-translate: error: --import-onnx: input 'x' (batchx4xfloat32) has a "
        "symbolic dimension 'batch'; give its shape with --input-shape x=Dx4"
    )
    code, _, err = run(
        mlc_translate,
        capsys,
        "--import-onnx",
        model,
        "-o",
        out_file,
        "--input-shape",
        "x=6x4",
    )
    assert code == 0, err
    assert "tensor<6x4xf32>" in out_file.read_text()


@pytest.mark.skipif(
    not any(shutil.which(c) for c in ("cc", "gcc", "clang")), reason="no C compiler"
)
def test_mlc_translate_export_library_needs_the_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "relu.mlir"
    model.write_text(DYNAMIC_MLIR)
    library = tmp_path / "librelu.so"
    code, _, err = run(mlc_translate, capsys, "--export-library", model, "-o", library)
    assert code == 1
    assert "give its shape with --input-shape x=Dx4" in one_line(err)
    code, _, err = run(
        mlc_translate,
        capsys,
        "--export-library",
        model,
        "-o",
        library,
        "--input-shape",
        "x=2x4",
    )
    assert code == 0, err
    assert "const float *x" in (tmp_path / "librelu.h").read_text()


def test_mlc_translate_to_llvm_ir_for_a_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "relu.mlir"
    model.write_text(DYNAMIC_MLIR)
    code, _, err = run(mlc_translate, capsys, "--mlir-to-llvmir", model)
    assert code == 1
    assert "supports static shapes only" in one_line(err)
    code, out, err = run(
        mlc_translate, capsys, "--mlir-to-llvmir", model, "--input-shape", "x=2x4"
    )
    assert code == 0, err
    assert "define void @f(" in out
    code, _, err = run(
        mlc_translate, capsys, "--mlir-to-llvmir", model, "--input-shape", "x=2x4x1"
    )
    assert code == 1
    assert one_line(err).endswith(
        "input_shapes['x'] = (2, 4, 1) does not fit 'x: ?x4xfloat32' (rank 3, the "
        "input's is 2)"
    )
