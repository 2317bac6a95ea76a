"""mlc-run: compile and run a model; inputs, references, one-line errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import full_context, print_op

from mlc.lowering.pipelines import pipeline_passes
from mlc.runtime.signature import Signature, TensorSpec
from mlc.runtime.weights import save_weights
from mlc.support.pass_runner import run_passes
from mlc.tools.mlc_run import (
    compare,
    main,
    parse_mlir,
    random_inputs,
    type_string,
)

ROOT = Path(__file__).resolve().parents[3]
MLP_SMALL = ROOT / "examples" / "small" / "mlp_small.mlir"
MLP_SMALL_SHAPES = {
    "x": (1, 1, 8, 8),
    "w0": (16, 64),
    "b0": (16,),
    "w1": (4, 16),
    "b1": (4,),
}


def mlp_small_numpy(x: Any, w0: Any, b0: Any, w1: Any, b1: Any) -> Any:
    """The small MLP by hand: flatten, linear, relu, linear."""
    h = np.maximum(x.reshape(1, 64) @ w0.T + b0, 0)
    return h @ w1.T + b1


def mlp_small_inputs(seed: int = 3) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    return {
        name: rng.standard_normal(shape).astype(np.float32)
        for name, shape in MLP_SMALL_SHAPES.items()
    }


def save_inputs(tmp_path: Path, arrays: dict[str, Any]) -> list[str]:
    paths: list[str] = []
    for name, array in arrays.items():
        path = tmp_path / f"{name}.npy"
        np.save(path, array)
        paths.append(str(path))
    return paths


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(err: str) -> str:
    """The single line of stderr (an error is always exactly one line)."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------- #
# Running
# --------------------------------------------------------------------------- #


def test_random_inputs_agree_with_numpy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "out.npy"
    argv = [str(MLP_SMALL), "--random-inputs", "--seed", "7"]
    code, out, err = run([*argv, "--save-outputs", str(out_file)], capsys)
    assert code == 0, err
    assert err == ""
    assert "@mlp_small -O3: compiled in " in out
    assert "inputs: 5 random (seed 7)" in out
    assert "result #0 'out0': 1x4xf32" in out
    assert re.search(r"run: median [\d.]+ (µs|ms), min [\d.]+ (µs|ms) \(1 run", out)
    signature = Signature(
        "mlp_small",
        tuple(
            TensorSpec(n, s, np.dtype(np.float32)) for n, s in MLP_SMALL_SHAPES.items()
        ),
        (TensorSpec("out0", (1, 4), np.dtype(np.float32)),),
    )
    inputs = random_inputs(signature, 7)
    np.testing.assert_allclose(
        np.load(out_file), mlp_small_numpy(*inputs), rtol=1e-5, atol=1e-5
    )


def test_input_and_compare_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arrays = mlp_small_inputs()
    reference = tmp_path / "ref.npy"
    np.save(reference, mlp_small_numpy(**arrays))
    inputs = save_inputs(tmp_path, arrays)
    argv = [str(MLP_SMALL), "--input", *inputs, "--compare", str(reference)]
    code, out, err = run([*argv, "--repeat", "5"], capsys)
    assert code == 0, err
    assert "inputs: 5 from --input" in out
    assert "(5 runs after a warm-up)" in out
    match = re.search(r"compare result #0: max abs error (\S+), .*: ok", out)
    assert match is not None, out
    assert float(match[1]) < 1e-5


def test_compare_mismatch_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arrays = mlp_small_inputs()
    reference = tmp_path / "ref.npz"
    np.savez(reference, out0=mlp_small_numpy(**arrays) + 0.01)
    argv = [str(MLP_SMALL), "--input", *save_inputs(tmp_path, arrays)]
    code, out, err = run([*argv, "--compare", str(reference), "--quiet"], capsys)
    assert code == 1
    assert "MISMATCH" in out
    assert "result #0 'out0'" not in out  # --quiet
    assert one_error_line(err).startswith("mlc-run: error: results differ from")
    # A looser tolerance accepts the same results.
    code, _, err = run([*argv, "--compare", str(reference), "--atol", "0.02"], capsys)
    assert code == 0, err


def test_npz_inputs_by_name_and_opt_levels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arrays = mlp_small_inputs(5)
    npz = tmp_path / "inputs.npz"
    np.savez(npz, **dict(reversed(list(arrays.items()))))  # order by name, not file
    expected = mlp_small_numpy(**arrays)
    for level in ("-O0", "-O3"):
        out_file = tmp_path / f"out{level}.npy"
        argv = [str(MLP_SMALL), level, "--input", str(npz), "--quiet"]
        code, out, err = run([*argv, "--save-outputs", str(out_file)], capsys)
        assert code == 0, err
        assert f"@mlp_small {level}:" in out
        np.testing.assert_allclose(np.load(out_file), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("level", ["tensor", "loop", "llvm"])
def test_lower_level_input(
    level: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = parse_mlir(MLP_SMALL)
    run_passes(pipeline_passes(level), full_context(), module)
    model = tmp_path / f"mlp_{level}.mlir"
    model.write_text(print_op(module) + "\n")
    arrays = mlp_small_inputs(17)
    reference = tmp_path / "ref.npy"
    np.save(reference, mlp_small_numpy(**arrays))
    argv = [str(model), "--input", *save_inputs(tmp_path, arrays)]
    code, out, err = run([*argv, "--compare", str(reference)], capsys)
    assert code == 0, err
    assert re.search(r"compare result #0: .*: ok", out)


def test_weights_file_is_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arrays = mlp_small_inputs(11)
    weights = {k: v for k, v in arrays.items() if k != "x"}
    save_weights(tmp_path / "mlp.weights", weights)
    text = MLP_SMALL.read_text().replace(
        "builtin.module {", 'builtin.module attributes {mlc.weights = "mlp.weights"} {'
    )
    model = tmp_path / "mlp.mlir"
    model.write_text(text)
    out_file = tmp_path / "out.npy"
    argv = [str(model), "--input", *save_inputs(tmp_path, {"x": arrays["x"]})]
    code, out, err = run([*argv, "--save-outputs", str(out_file)], capsys)
    assert code == 0, err
    assert "inputs: 1 from --input" in out
    np.testing.assert_allclose(
        np.load(out_file), mlp_small_numpy(**arrays), rtol=1e-5, atol=1e-5
    )


def test_onnx_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import helper, numpy_helper

    arrays = mlp_small_inputs(13)
    weights = [numpy_helper.from_array(arrays[n], n) for n in ("w0", "b0", "w1", "b1")]
    nodes = [
        helper.make_node("Flatten", ["x"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "w0", "b0"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "w1", "b1"], ["y"], transB=1),
    ]
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 1, 8, 8])],
        [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 4])],
        weights,
    )
    model = tmp_path / "mlp.onnx"
    opset = [helper.make_opsetid("", 17)]
    onnx.save(helper.make_model(graph, opset_imports=opset), model)
    reference = tmp_path / "ref.npy"
    np.save(reference, mlp_small_numpy(**arrays))
    argv = [str(model), "--input", *save_inputs(tmp_path, {"x": arrays["x"]})]
    code, out, err = run([*argv, "--compare", str(reference)], capsys)
    assert code == 0, err
    assert "inputs: 1 from --input" in out
    assert re.search(r"compare result #0: .*: ok", out)


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mlc.tools.mlc_run", str(MLP_SMALL), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "compiled in" in result.stdout


def test_a_reader_that_leaves_early_is_no_error() -> None:
    """`mlc-run m.mlir | head -1`: stdout closes under mlc-run; it stops quietly."""
    with subprocess.Popen(
        [sys.executable, "-m", "mlc.tools.mlc_run", str(MLP_SMALL), "--repeat", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        assert process.wait() == 0, err
    assert err == ""


# --------------------------------------------------------------------------- #
# Errors: one line on stderr, exit 1
# --------------------------------------------------------------------------- #


BAD_IR = """\
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %y : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""

INVALID_IR = """\
func.func @f(%x: tensor<2xf32>) -> tensor<3xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""

TWO_FUNCTIONS = """\
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  func.return %x : tensor<2xf32>
}
func.func @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  func.return %x : tensor<2xf32>
}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BAD_IR, r"bad\.mlir:2:19: error: use of undeclared SSA value name %y"),
        (INVALID_IR, r"bad\.mlir:3:3: error: .*"),
        (TWO_FUNCTIONS, r"mlc-run: error: '.*bad\.mlir' has 2 public functions"),
    ],
)
def test_ir_errors(
    text: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.mlir"
    path.write_text(text)
    code, out, err = run([str(path)], capsys)
    assert code == 1
    assert out == ""
    line = one_error_line(err)
    assert re.fullmatch(rf".*{expected}.*", line), line


def test_two_functions_run_with_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "two.mlir"
    path.write_text(TWO_FUNCTIONS)
    code, out, err = run([str(path), "--entry", "g"], capsys)
    assert code == 0, err
    assert "@g -O3" in out


def usage_cases(tmp_path: Path) -> list[tuple[list[str], str]]:
    """(argv, expected one-line error) pairs for the command-line errors."""
    arrays = mlp_small_inputs()
    inputs = save_inputs(tmp_path, arrays)
    wrong_shape = tmp_path / "wrong.npy"
    np.save(wrong_shape, np.zeros((3, 3), np.float32))
    wrong_dtype = tmp_path / "f64.npy"
    np.save(wrong_dtype, arrays["x"].astype(np.float64))
    not_npy = tmp_path / "junk.npy"
    not_npy.write_bytes(b"not numpy")
    ref_shape = tmp_path / "ref_shape.npy"
    np.save(ref_shape, np.zeros((2, 4), np.float32))
    text_file = tmp_path / "model.txt"
    text_file.write_text("x")
    model = str(MLP_SMALL)
    return [
        ([str(tmp_path / "missing.mlir")], "cannot open input file '.*missing.mlir'"),
        (
            [model, "--entry", "nope"],
            r"no public function @nope in '.*' \(public functions: @mlp_small\)",
        ),
        ([model, "--input", inputs[0]], r"@mlp_small takes 5 inputs \('x', 'w0'"),
        (
            [model, "--input", str(wrong_shape), *inputs[1:]],
            r"input #0 'x' of @mlp_small: expected 1x1x8x8xf32, got 3x3xf32",
        ),
        (
            [model, "--input", str(wrong_dtype), *inputs[1:]],
            r"input #0 'x' of @mlp_small: expected 1x1x8x8xf32, got 1x1x8x8xf64",
        ),
        ([model, "--input", str(not_npy), *inputs[1:]], r"cannot read '.*junk.npy'"),
        ([model, "--input", str(text_file)], r"expected a \.npy or \.npz file"),
        (
            [model, "--compare", str(ref_shape)],
            r"--compare '.*': result #0 has shape 1x4xf32, the reference 2x4xf32",
        ),
        ([str(text_file)], r"unknown model format \(expected \.mlir or \.onnx\)"),
        ([model, "-O7"], r"argument -O: invalid choice: 7"),
        ([model, "--repeat", "0"], r"--repeat must be at least 1, got 0"),
        ([model, "--bogus"], r"unrecognized arguments: --bogus"),
        ([model, "--input", inputs[0], "--random-inputs"], r"cannot be combined"),
        ([], r"the following arguments are required: model"),
    ]


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, expected in usage_cases(tmp_path):
        code, _, err = run(argv, capsys)
        assert code == 1, argv
        line = one_error_line(err)
        assert line.startswith("mlc-run: error: "), line
        assert re.search(expected, line), (argv, line)


def test_model_file_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import helper

    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(b"not a model")
    value = helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 3])
    result = helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [2, 3])
    graph = helper.make_graph(
        [helper.make_node("Bernoulli", ["x"], ["y"])], "g", [value], [result]
    )
    unsupported = tmp_path / "hardmax.onnx"
    opset = [helper.make_opsetid("", 17)]
    onnx.save(helper.make_model(graph, opset_imports=opset), unsupported)
    no_weights = tmp_path / "weights.mlir"
    no_weights.write_text(
        MLP_SMALL.read_text().replace(
            "builtin.module {",
            'builtin.module attributes {mlc.weights = "missing.weights"} {',
        )
    )
    cases = [
        (corrupt, r".*corrupt\.onnx: error: cannot load"),
        (
            unsupported,
            r"\S*hardmax\.onnx: error: unsupported ONNX ops: Bernoulli",
        ),
        (no_weights, r".*missing\.weights: .*No such file or directory"),
    ]
    for path, expected in cases:
        code, out, err = run([str(path)], capsys)
        assert code == 1
        assert out == ""
        line = one_error_line(err)
        assert re.match(expected, line), line
        assert "internal error" not in line


def test_error_from_subprocess_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.mlir"
    path.write_text(BAD_IR)
    result = subprocess.run(
        [sys.executable, "-m", "mlc.tools.mlc_run", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "bad.mlir:2:19: error:" in result.stderr


# --------------------------------------------------------------------------- #
# Pieces
# --------------------------------------------------------------------------- #


def test_compare_tolerances_and_nan() -> None:
    ref = np.array([1.0, np.nan, 100.0], np.float32)
    same = compare(ref.copy(), ref, rtol=1e-4, atol=1e-5)
    assert same.ok
    assert same.max_abs == 0.0
    off = compare(ref + np.float32(0.02), ref, rtol=1e-4, atol=1e-5)
    assert not off.ok
    assert off.max_abs == pytest.approx(0.02, rel=1e-3)
    assert compare(ref + np.float32(0.02), ref, rtol=1e-3, atol=0.02).ok
    nan_out = compare(np.array([np.nan, 0.0, 100.0], np.float32), ref, 1e-4, 1e-5)
    assert not nan_out.ok
    ints = np.array([1, 2, 3], np.int32)
    assert compare(ints, ints, 0.0, 0.0).ok
    assert not compare(ints + 1, ints, 1.0, 1.0).ok  # integers compare exactly


def test_random_inputs_per_dtype() -> None:
    specs = (
        TensorSpec("f", (50,), np.dtype(np.float16)),
        TensorSpec("i", (50,), np.dtype(np.int32)),
        TensorSpec("u", (50,), np.dtype(np.uint8)),
        TensorSpec("b", (50,), np.dtype(np.bool_)),
    )
    f, i, u, b = random_inputs(Signature("e", specs, ()), seed=1)
    assert [a.dtype for a in (f, i, u, b)] == [s.dtype for s in specs]
    assert f.std() > 0.5
    assert i.min() >= -3
    assert i.max() <= 3
    assert u.max() <= 6
    assert set(b.tolist()) == {True, False}
    again = random_inputs(Signature("e", specs, ()), seed=1)
    assert all(np.array_equal(x, y) for x, y in zip((f, i, u, b), again, strict=True))


def test_type_string() -> None:
    assert type_string((1, 10), np.dtype(np.float32)) == "1x10xf32"
    assert type_string((), np.dtype(np.int64)) == "i64"
    assert type_string((2,), np.dtype(np.uint8)) == "2xui8"
    assert type_string((2,), np.dtype(np.bool_)) == "2xi1"


def test_a_weights_file_missing_a_parameter_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arrays = mlp_small_inputs(11)
    weights = {k: v for k, v in arrays.items() if k not in ("x", "w1")}
    save_weights(tmp_path / "mlp.weights", weights)
    model = tmp_path / "mlp.mlir"
    model.write_text(
        MLP_SMALL.read_text().replace(
            "builtin.module {",
            'builtin.module attributes {mlc.weights = "mlp.weights"} {',
        )
    )
    code, out, err = run([str(model)], capsys)
    assert code == 1
    assert out == ""
    line = one_error_line(err)
    assert line.startswith("mlc-run: error: ")
    assert "no value for parameter(s) 'w1'" in line
    assert "--random-inputs" in line
    # Asked for explicitly, the missing parameter is drawn at random.
    code, out, err = run([str(model), "--random-inputs"], capsys)
    assert code == 0, err
    assert "inputs: 2 random" in out


def test_a_recursive_model_is_refused_not_run(tmp_path: Path) -> None:
    model = tmp_path / "recursive.mlir"
    model.write_text(
        "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
        "  %0 = func.call @f(%x) : (tensor<2xf32>) -> tensor<2xf32>\n"
        "  func.return %0 : tensor<2xf32>\n"
        "}\n"
    )
    for level in ("-O0", "-O3"):  # it overflowed the stack at -O0, hung at -O3
        result = subprocess.run(
            [sys.executable, "-m", "mlc.tools.mlc_run", str(model), level],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 1
        assert result.stderr == (
            f"{model}:2:8: error: @f calls itself; mlc does not compile "
            "recursive call graphs\n"
        )
