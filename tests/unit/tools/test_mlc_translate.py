"""mlc-translate: MLIR to LLVM IR, shared-library export, ONNX import, errors."""

from __future__ import annotations

import ctypes
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest

from mlc.runtime.signature import aligned_empty
from mlc.runtime.weights import load_weights, save_weights
from mlc.tools.mlc_opt import main as opt_main
from mlc.tools.mlc_translate import main

PURELIB = Path(sysconfig.get_paths()["purelib"])
LLVM_OPT = PURELIB / "llvm" / "bin" / "opt"
needs_opt = pytest.mark.skipif(
    not os.access(LLVM_OPT, os.X_OK) and not os.environ.get("CI"),
    reason="needs LLVM's opt (the test extra)",
)
needs_cc = pytest.mark.skipif(shutil.which("cc") is None, reason="needs cc")

AFFINE_RELU = """\
func.func @affine_relu(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>)
    -> tensor<2x3xf32> {
  %0 = graph.linear %x, %w, %b
      : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = graph.relu %0 : tensor<2x3xf32>
  func.return %1 : tensor<2x3xf32>
}
"""

RNG = np.random.default_rng(3)
PARAMS = {
    "w": RNG.standard_normal((3, 4)).astype(np.float32),
    "b": RNG.standard_normal(3).astype(np.float32),
}


def reference(x: np.ndarray) -> np.ndarray:
    return np.maximum(x @ PARAMS["w"].T + PARAMS["b"], 0.0)


def translate(
    capsys: pytest.CaptureFixture[str], *argv: str | Path
) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def verify_with_opt(llvm_ir: str) -> None:
    done = subprocess.run(
        [str(LLVM_OPT), "-passes=verify", "-disable-output"],
        input=llvm_ir,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


# -- --mlir-to-llvmir -------------------------------------------------------------- #


@needs_opt
@pytest.mark.parametrize("opt", [[], ["-O0"], ["-O3"]])
def test_graph_level_to_llvm_ir_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], opt: list[str]
):
    source = tmp_path / "affine.mlir"
    source.write_text(AFFINE_RELU)
    code, out, err = translate(capsys, "--mlir-to-llvmir", source, *opt)
    assert (code, err) == (0, "")
    # It allocates, so it returns the out-of-memory status (docs/conventions.md).
    assert re.search(r"define (range\([^)]*\) )?i64 @affine_relu\(ptr noalias", out)
    verify_with_opt(out)


@needs_opt
def test_every_level_translates(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    source = tmp_path / "affine.mlir"
    source.write_text(AFFINE_RELU)
    for level in ("tensor", "loop", "llvm"):
        assert opt_main([str(source), "-p", f"graph-to-llvm{{to={level}}}"]) == 0
        lowered, _ = capsys.readouterr()
        (tmp_path / f"{level}.mlir").write_text(lowered)
        code, out, err = translate(
            capsys, "--mlir-to-llvmir", tmp_path / f"{level}.mlir"
        )
        assert (code, err) == (0, ""), level
        verify_with_opt(out)


def test_output_file_and_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    output = tmp_path / "out.ll"
    source = tmp_path / "a.mlir"
    source.write_text(AFFINE_RELU)
    code, out, err = translate(capsys, "--mlir-to-llvmir", source, "-o", output)
    assert (code, out, err) == (0, "", "")
    assert "define i64 @affine_relu(" in output.read_text()
    stdin = io.TextIOWrapper(io.BytesIO(AFFINE_RELU.encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = translate(capsys, "--mlir-to-llvmir")
    assert (code, err) == (0, "")
    assert out == output.read_text()


# -- errors -------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "func.func @f() {\n  %0 = graph.nope\n}\n",
            ":2:8: error: Operation graph.nope is not registered",
        ),
        (
            "func.func @f(%x: tensor<2xf32>) -> tensor<3xf32> {\n"
            "  %0 = graph.relu %x : tensor<2xf32>\n"
            "  func.return %0 : tensor<2xf32>\n}\n",
            ":3:3: error: ",
        ),
    ],
)
def test_bad_ir_is_one_located_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
):
    source = tmp_path / "bad.mlir"
    source.write_text(text)
    output = tmp_path / "out.ll"
    code, out, err = translate(capsys, "--mlir-to-llvmir", source, "-o", output)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"{source}{message}"), err
    assert not output.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "one of the arguments --mlir-to-llvmir --export-library --import-onnx"),
        (["--mlir-to-llvmir", "--import-onnx"], "not allowed with argument"),
        (["--mlir-to-llvmir", "-O7"], "argument -O: invalid choice: 7"),
        (["--mlir-to-llvmir", "--bogus"], "unrecognized arguments: --bogus"),
        (["--mlir-to-llvmir", "missing.mlir"], "cannot open input file 'missing.mlir'"),
        (["--export-library", "x.mlir"], "--export-library needs -o libNAME.so"),
        (["--import-onnx"], "--import-onnx needs an input file"),
        (["--import-onnx", "--input-shape", "x=2xq", "m.onnx"], "cannot open input"),
    ],
)
def test_command_line_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.mlir").write_text(AFFINE_RELU)
    code, out, err = translate(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.startswith("mlc-translate: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_refuses_to_overwrite_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "a.mlir"
    source.write_text(AFFINE_RELU)
    code, _, err = translate(capsys, "--mlir-to-llvmir", source, "-o", source)
    assert code == 1
    assert (
        err
        == f"mlc-translate: error: refusing to overwrite the input file '{source}'\n"
    )
    assert source.read_text() == AFFINE_RELU


def test_internal_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    from mlc.tools import mlc_translate

    def crash(module: object, timer: object) -> None:
        raise KeyError("boom")

    monkeypatch.delenv("MLC_DEBUG", raising=False)
    monkeypatch.setattr(mlc_translate, "lower_to_llvm", crash)
    source = tmp_path / "a.mlir"
    source.write_text(AFFINE_RELU)
    code, _, err = translate(capsys, "--mlir-to-llvmir", source)
    assert code == 1
    assert err == (
        "mlc-translate: internal error: KeyError: 'boom' (MLC_DEBUG=1 for details)\n"
    )


# -- --export-library ------------------------------------------------------- #


def _load(path: Path, prefix: str) -> ctypes.CDLL:
    library = ctypes.CDLL(str(path))
    getattr(library, f"{prefix}_error").restype = ctypes.c_char_p
    getattr(library, f"{prefix}_init").argtypes = [ctypes.c_char_p]
    return library


def _run_affine(library: ctypes.CDLL, prefix: str, x: np.ndarray) -> np.ndarray:
    assert getattr(library, f"{prefix}_init")(None) == 0
    aligned_x = aligned_empty(x.shape, x.dtype)
    aligned_x[...] = x
    out = aligned_empty((2, 3), np.dtype(np.float32))
    run = getattr(library, f"{prefix}_run")
    assert (
        run(ctypes.c_void_p(aligned_x.ctypes.data), ctypes.c_void_p(out.ctypes.data))
        == 0
    )
    return out


@needs_cc
def test_export_library_binds_the_module_weights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    save_weights(tmp_path / "affine.weights", PARAMS)
    source = tmp_path / "affine.mlir"
    source.write_text(
        'builtin.module attributes {mlc.weights = "affine.weights"} {\n'
        + AFFINE_RELU
        + "}\n"
    )
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = translate(
        capsys, "--export-library", source, "-o", out_dir / "libaffine.so"
    )
    assert (code, out, err) == (0, "", "")
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "libaffine.h",
        "libaffine.so",
        "libaffine.weights",
    ]
    assert list(load_weights(out_dir / "libaffine.weights")) == ["w", "b"]
    header = (out_dir / "libaffine.h").read_text()
    assert "int affine_run(\n    const float *x," in header
    x = RNG.standard_normal((2, 4)).astype(np.float32)
    out_array = _run_affine(_load(out_dir / "libaffine.so", "affine"), "affine", x)
    np.testing.assert_allclose(out_array, reference(x), rtol=1e-5, atol=1e-6)


@needs_cc
def test_export_library_with_prefix_weights_and_opt_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "affine.mlir"
    source.write_text(AFFINE_RELU)
    save_weights(tmp_path / "p.weights", PARAMS)
    library = tmp_path / "libm.so"
    code, _, err = translate(
        capsys,
        "--export-library",
        source,
        "-o",
        library,
        "--prefix",
        "net",
        "--weights",
        tmp_path / "p.weights",
        "-O1",
    )
    assert (code, err) == (0, "")
    x = np.ones((2, 4), np.float32)
    np.testing.assert_allclose(
        _run_affine(_load(library, "net"), "net", x), reference(x), rtol=1e-5
    )


@needs_cc
@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({}, "missing.weights: cannot open weights file"),
        (
            {"w": np.zeros((4, 3), np.float32)},
            "bind: parameter 'w': expected shape (3, 4) and dtype float32, got shape "
            "(4, 3)",
        ),
        ({"v": np.zeros(3, np.float32)}, "bind: 'v' is no input of @affine_relu"),
    ],
)
def test_export_library_weight_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    weights: dict[str, np.ndarray],
    message: str,
):
    name = "p.weights" if weights else "missing.weights"
    if weights:
        save_weights(tmp_path / name, weights)
    source = tmp_path / "affine.mlir"
    source.write_text(
        f'builtin.module attributes {{mlc.weights = "{name}"}} {{\n{AFFINE_RELU}}}\n'
    )
    code, _, err = translate(
        capsys, "--export-library", source, "-o", tmp_path / "libx.so"
    )
    assert code == 1
    assert message in err, err
    assert err.count("\n") == 1
    assert not (tmp_path / "libx.so").exists()


def test_export_library_bad_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    source = tmp_path / "a.mlir"
    source.write_text(AFFINE_RELU)
    code, _, err = translate(
        capsys, "--export-library", source, "-o", tmp_path / "lib.so", "--prefix", "a-b"
    )
    assert (code, err) == (
        1,
        "mlc-translate: error: symbol prefix 'a-b' is not a C identifier\n",
    )


# -- --import-onnx ---------------------------------------------------------- #


def _onnx_model(path: Path, with_params: bool = True) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])]
    if with_params:
        initializers = [
            numpy_helper.from_array(PARAMS["w"], "fc.weight"),
            numpy_helper.from_array(PARAMS["b"], "fc.bias"),
        ]
        nodes = [
            helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["h"], transB=1),
            helper.make_node("Relu", ["h"], ["y"]),
        ]
    else:
        initializers = []
        outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])]
        nodes = [helper.make_node("Relu", ["x"], ["y"])]
    graph = helper.make_graph(nodes, "net", inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, str(path))


def test_import_onnx_writes_mlir_and_weights_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    _onnx_model(tmp_path / "model.onnx")
    out_dir = tmp_path / "ir"
    out_dir.mkdir()
    code, out, err = translate(
        capsys, "--import-onnx", tmp_path / "model.onnx", "-o", out_dir / "model.mlir"
    )
    assert (code, out, err) == (0, "", "")
    text = (out_dir / "model.mlir").read_text()
    assert text.startswith(
        'builtin.module attributes {mlc.weights = "model.weights"} {\n'
    )
    assert "graph.linear" in text
    weights = load_weights(out_dir / "model.weights")
    np.testing.assert_array_equal(next(iter(weights.values())), PARAMS["w"])
    assert (tmp_path / "model.onnx").exists()


@needs_cc
def test_import_then_export_runs_like_numpy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    _onnx_model(tmp_path / "model.onnx")
    assert (
        main(
            [
                "--import-onnx",
                str(tmp_path / "model.onnx"),
                "-o",
                str(tmp_path / "model.mlir"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "--export-library",
                str(tmp_path / "model.mlir"),
                "-o",
                str(tmp_path / "libnet.so"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    x = RNG.standard_normal((2, 4)).astype(np.float32)
    out = _run_affine(_load(tmp_path / "libnet.so", "net"), "net", x)
    np.testing.assert_allclose(out, reference(x), rtol=1e-5, atol=1e-6)


def test_import_onnx_without_params_goes_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    _onnx_model(tmp_path / "relu.onnx", with_params=False)
    code, out, err = translate(capsys, "--import-onnx", tmp_path / "relu.onnx")
    assert (code, err) == (0, "")
    assert out.startswith("builtin.module {\n")
    assert "graph.relu" in out
    assert "mlc.weights" not in out


def test_import_onnx_with_params_needs_an_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    _onnx_model(tmp_path / "model.onnx")
    code, out, err = translate(capsys, "--import-onnx", tmp_path / "model.onnx")
    assert (code, out) == (1, "")
    assert "give -o FILE.mlir" in err
    assert not (tmp_path / "model.weights").exists()


def test_import_onnx_never_overwrites_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    model = tmp_path / "model.onnx"
    _onnx_model(model)
    before = model.read_bytes()
    code, _, err = translate(
        capsys, "--import-onnx", model, "-o", tmp_path / "m.mlir", "--weights", model
    )
    assert code == 1
    assert "refusing to overwrite the input file" in err
    assert model.read_bytes() == before


def test_import_onnx_of_a_non_onnx_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "not.onnx"
    source.write_text("hello")
    code, out, err = translate(
        capsys, "--import-onnx", source, "-o", tmp_path / "o.mlir"
    )
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not (tmp_path / "o.mlir").exists()


def test_bad_input_shape_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _onnx_model(tmp_path / "m.onnx")
    code, _, err = translate(
        capsys, "--import-onnx", tmp_path / "m.onnx", "--input-shape", "x=2xq"
    )
    assert (code, err) == (
        1,
        "mlc-translate: error: bad --input-shape 'x=2xq' (expected NAME=DxDx...)\n",
    )


@pytest.mark.parametrize(
    ("argv", "clash"),
    [
        # -o out.weights: the weights go beside it, as out.weights.
        (["-o", "out.weights"], "two outputs would be written to the same file"),
        (["-o", "m.mlir", "--weights", "m.mlir"], "two outputs would be written"),
    ],
)
def test_import_onnx_outputs_never_overwrite_each_other(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    clash: str,
):
    monkeypatch.chdir(tmp_path)
    _onnx_model(tmp_path / "model.onnx")
    code, out, err = translate(capsys, "--import-onnx", "model.onnx", *argv)
    assert (code, out) == (1, "")
    assert err.startswith(f"mlc-translate: error: {clash}")
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"]


def test_export_library_never_overwrites_its_weights_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.mlir").write_text(AFFINE_RELU)
    (tmp_path / "libm.weights").write_bytes(b"MLCW")
    code, _, err = translate(
        capsys,
        "--export-library",
        "a.mlir",
        "--weights",
        "libm.weights",
        "-o",
        "libm.so",
    )
    assert code == 1
    assert err == (
        "mlc-translate: error: refusing to overwrite the input file 'libm.weights'\n"
    )
    assert (tmp_path / "libm.weights").read_bytes() == b"MLCW"
    assert not (tmp_path / "libm.so").exists()


def test_an_unsupported_model_names_its_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    onnx = pytest.importorskip("onnx")
    from onnx import helper

    value = helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 3])
    result = helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [2, 3])
    node = helper.make_node("Bernoulli", ["x"], ["y"], name="hm")
    graph = helper.make_graph([node], "g", [value], [result])
    model = tmp_path / "hardmax.onnx"
    opset = [helper.make_opsetid("", 17)]
    onnx.save(helper.make_model(graph, opset_imports=opset), model)
    code, out, err = translate(
        capsys, "--import-onnx", model, "-o", tmp_path / "o.mlir"
    )
    assert (code, out) == (1, "")
    assert err == (
        f"{model}: error: unsupported ONNX ops: Bernoulli (1 node, first 'hm')\n"
    )


def test_export_library_never_overwrites_the_modules_weights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    module = (
        'builtin.module attributes {mlc.weights = "libm.weights"} {\n'
        f"{AFFINE_RELU}}}\n"
    )
    (tmp_path / "a.mlir").write_text(module)
    (tmp_path / "libm.weights").write_bytes(b"MLCW")
    code, _, err = translate(capsys, "--export-library", "a.mlir", "-o", "libm.so")
    assert code == 1
    assert err == (
        "mlc-translate: error: refusing to overwrite the input file 'libm.weights'\n"
    )
    assert (tmp_path / "libm.weights").read_bytes() == b"MLCW"
