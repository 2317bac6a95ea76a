"""
Shared-library export: the C interface, its checks, and the course MLP from C.

Then safety: out of memory is `ERR_MEMORY`, never a crash; an interrupted
export leaves the deployment working (every file renamed into place, weights
first, and the library accepts only the weights it was exported with);
colliding names are refused; `init` refuses what is not a regular file and
keeps its weights when it fails; the entry-point template is warning-free C.

The wrapper and header are first tested around hand-written C functions that
stand in for compiled code (loaded with ctypes), then the real pipeline's MLP
is exported and run by a C program (tests/c/run_mlp.c) built against the
header, and compared with numpy.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import mlc
from mlc.runtime.export import (
    ExportError,
    LibraryInterface,
    build_library,
    c_header,
    check_prefix,
    export_library,
    find_c_compiler,
    library_interface,
    model_config,
    native_symbol,
    prefix_for,
    rename_functions,
    run_source,
    wrapper_source,
)
from mlc.runtime.signature import TensorSpec, aligned_empty
from mlc.runtime.weights import Digest, load_weights, save_weights
from mlc.support.packing import pack_weight

REPO = Path(__file__).resolve().parents[3]
RUN_MLP = REPO / "tests" / "c" / "run_mlp.c"
MLP = REPO / "examples" / "mlp.mlir"
F32 = np.dtype(np.float32)

pytestmark = pytest.mark.skipif(
    shutil.which("cc") is None, reason="needs a C compiler (cc)"
)

OK, ERR_ARGUMENT, ERR_NOT_INITIALIZED, ERR_WEIGHTS = 0, 1, 2, 3


def spec(name: str, shape: tuple[int, ...], dtype: Any = F32) -> TensorSpec:
    return TensorSpec(name, shape, np.dtype(dtype))


def compile_object(tmp_path: Path, source: str) -> bytes:
    (tmp_path / "standin.c").write_text(source)
    subprocess.run(
        ["cc", "-c", "-fPIC", "-O2", "-o", "standin.o", "standin.c"],
        cwd=tmp_path,
        check=True,
    )
    return (tmp_path / "standin.o").read_bytes()


class Library:
    """A built library loaded with ctypes, called like its C interface."""

    def __init__(self, path: Path, prefix: str) -> None:
        self.cdll = ctypes.CDLL(str(path))
        self.prefix = prefix
        getattr(self.cdll, f"{prefix}_error").restype = ctypes.c_char_p
        getattr(self.cdll, f"{prefix}_init").argtypes = [ctypes.c_char_p]

    def init(self, weights: Path | str | None) -> int:
        arg = None if weights is None else str(weights).encode()
        return getattr(self.cdll, f"{self.prefix}_init")(arg)

    def run(self, *pointers: int | None) -> int:
        return getattr(self.cdll, f"{self.prefix}_run")(*map(ctypes.c_void_p, pointers))

    def free(self) -> None:
        getattr(self.cdll, f"{self.prefix}_free")()

    def error(self) -> str:
        return getattr(self.cdll, f"{self.prefix}_error")().decode()


def aligned(array: np.ndarray) -> np.ndarray:
    copy = aligned_empty(array.shape, array.dtype)
    copy[...] = array
    return copy


# -- a stand-in with parameters: out = x @ w.T + b ---------------------------- #

AFFINE_C = """
void aff__mlc_entry(const float *x, const float *w, const float *b, float *out) {
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      float s = b[j];
      for (int k = 0; k < 4; ++k) s += x[i * 4 + k] * w[j * 4 + k];
      out[i * 3 + j] = s;
    }
}
"""
RNG = np.random.default_rng(7)
AFFINE_PARAMS = {
    "w": RNG.standard_normal((3, 4)).astype(np.float32),
    "b": RNG.standard_normal(3).astype(np.float32),
}


def affine_interface(library_name: str = "libaff.so") -> LibraryInterface:
    return library_interface(
        "aff",
        "affine",
        [spec("x", (2, 4)), spec("w", (3, 4)), spec("b", (3,))],
        [spec("out", (2, 3))],
        AFFINE_PARAMS,
        library_name,
    )


@pytest.fixture
def affine(tmp_path: Path) -> Library:
    built = build_library(
        affine_interface(),
        compile_object(tmp_path, AFFINE_C),
        tmp_path / "libaff.so",
        AFFINE_PARAMS,
    )
    assert built.weights == tmp_path / "libaff.weights"
    return Library(built.library, "aff")


def affine_reference(x: np.ndarray) -> np.ndarray:
    return x @ AFFINE_PARAMS["w"].T + AFFINE_PARAMS["b"]


def test_stand_in_runs_with_weights_from_the_file(tmp_path: Path, affine: Library):
    assert affine.init(tmp_path / "libaff.weights") == OK
    x = aligned(RNG.standard_normal((2, 4)).astype(np.float32))
    out = aligned_empty((2, 3), F32)
    assert affine.run(x.ctypes.data, out.ctypes.data) == OK
    np.testing.assert_allclose(out, affine_reference(x), rtol=1e-6)


def test_null_weights_path_finds_the_file_beside_the_library(affine: Library):
    assert affine.init(None) == OK, affine.error()
    x = aligned(np.ones((2, 4), np.float32))
    out = aligned_empty((2, 3), F32)
    assert affine.run(x.ctypes.data, out.ctypes.data) == OK
    np.testing.assert_allclose(out, affine_reference(x), rtol=1e-6)


def test_run_before_init_and_after_free_is_refused(tmp_path: Path, affine: Library):
    x, out = aligned_empty((2, 4), F32), aligned_empty((2, 3), F32)
    assert affine.run(x.ctypes.data, out.ctypes.data) == ERR_NOT_INITIALIZED
    assert affine.error() == "aff_run: aff_init has not succeeded"
    assert affine.init(None) == OK
    affine.free()
    assert affine.run(x.ctypes.data, out.ctypes.data) == ERR_NOT_INITIALIZED


@pytest.mark.parametrize(
    ("x_offset", "out_offset", "null", "message"),
    [
        (4, 0, False, "aff_run: argument 'x' is not 64-byte aligned"),
        (0, 32, False, "aff_run: argument 'out' is not 64-byte aligned"),
        (0, 0, True, "aff_run: argument 'x' is NULL"),
    ],
)
def test_bad_pointers_never_reach_native_code(
    affine: Library, x_offset: int, out_offset: int, null: bool, message: str
):
    assert affine.init(None) == OK
    x = aligned_empty((64,), F32)
    out = aligned_empty((64,), F32)
    out[...] = 42.0
    x_pointer = None if null else x.ctypes.data + x_offset
    assert affine.run(x_pointer, out.ctypes.data + out_offset) == ERR_ARGUMENT
    assert affine.error() == message
    assert (out == 42.0).all()  # nothing was written


def test_output_overlapping_an_input_is_refused(affine: Library):
    assert affine.init(None) == OK
    buffer = aligned_empty((64,), F32)
    assert affine.run(buffer.ctypes.data, buffer.ctypes.data) == ERR_ARGUMENT
    assert affine.error() == "aff_run: output 'out' overlaps 'x'"
    # Nearby but disjoint buffers are fine (x is 32 bytes, out starts at 64).
    assert affine.run(buffer.ctypes.data, buffer.ctypes.data + 64) == OK


def _corrupt(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda d: d / "missing.weights",
            "missing.weights: cannot open weights file: No such file or directory",
        ),
        (
            lambda d: _corrupt(d / "bad.weights", b"NOPE" + bytes(60)),
            "bad.weights: not an mlc weights file (bad magic)",
        ),
        (
            lambda d: _corrupt(
                d / "cut.weights", (d / "libaff.weights").read_bytes()[:40]
            ),
            "cut.weights: invalid weights file: truncated table",
        ),
    ],
)
def test_unreadable_weights_files_are_errors_naming_them(
    tmp_path: Path, affine: Library, make: Callable[[Path], Path], message: str
):
    path = make(tmp_path)
    assert affine.init(path) == ERR_WEIGHTS
    assert affine.error() == f"{tmp_path}/{message}"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {**AFFINE_PARAMS, "w": np.zeros((4, 3), np.float32)},
            "parameter 'w' is not [3][4] f32, 12 elements as the model expects",
        ),
        (
            # Larger than the library's own weights file: refused unread.
            {**AFFINE_PARAMS, "b": np.zeros(3, np.float64)},
            "not this library's weights file (216 bytes, expected 204)",
        ),
        (
            {**AFFINE_PARAMS, "b": np.zeros(3, np.int32)},
            "parameter 'b' is not [3] f32, 3 elements as the model expects",
        ),
        (
            # The right names, dtypes and shapes, other values: another export.
            {"w": np.zeros((3, 4), np.float32), "b": np.zeros(3, np.float32)},
            "not the weights file exported with this library (size or checksum "
            "differs; export the model again)",
        ),
        ({"w": AFFINE_PARAMS["w"]}, "parameter 'b' is missing"),
    ],
)
def test_weights_of_another_model_are_refused(
    tmp_path: Path, affine: Library, params: Mapping[str, np.ndarray], message: str
):
    save_weights(tmp_path / "other.weights", params)
    assert affine.init(tmp_path / "other.weights") == ERR_WEIGHTS
    assert affine.error() == f"{tmp_path}/other.weights: {message}"
    x, out = aligned_empty((2, 4), F32), aligned_empty((2, 3), F32)
    assert affine.run(x.ctypes.data, out.ctypes.data) == ERR_NOT_INITIALIZED


@pytest.mark.parametrize("offset", [65, 1 << 40])
def test_weights_with_a_bad_data_offset_are_refused(
    tmp_path: Path, affine: Library, offset: int
):
    data = bytearray((tmp_path / "libaff.weights").read_bytes())
    # Entry 0 ("w", rank 2): its offset follows the name, dtype, rank and dims.
    struct.pack_into("<Q", data, 16 + 4 + 1 + 4 + 4 + 16, offset)
    (tmp_path / "bad.weights").write_bytes(bytes(data))
    assert affine.init(tmp_path / "bad.weights") == ERR_WEIGHTS
    assert affine.error() == (
        f"{tmp_path}/bad.weights: parameter 'w': bad data offset or size"
    )


def test_extra_tensors_in_the_weights_file_are_refused(tmp_path: Path, affine: Library):
    # As mlc.compile refuses them: a tensor the model does not take means the
    # file is not this model's. (Kept within the size of the real file.)
    extra = {"w": AFFINE_PARAMS["w"], "u": np.ones(3, np.float32)}
    save_weights(tmp_path / "extra.weights", extra)
    assert affine.init(tmp_path / "extra.weights") == ERR_WEIGHTS
    assert affine.error() == (
        f"{tmp_path}/extra.weights: tensor 'u' is not a parameter of this model"
    )


def test_only_the_c_interface_is_exported(tmp_path: Path, affine: Library):
    for name in ("init", "run", "free", "error"):
        assert hasattr(affine.cdll, f"aff_{name}")
    assert not hasattr(affine.cdll, native_symbol("aff"))
    assert not hasattr(affine.cdll, "affine")


def test_the_library_needs_no_python(tmp_path: Path, affine: Library):
    dynamic = subprocess.run(
        ["readelf", "-d", str(tmp_path / "libaff.so")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    needed = {
        line.split("[")[1].split("]")[0]
        for line in dynamic.splitlines()
        if "(NEEDED)" in line
    }
    system = ("libc.", "libm.", "libdl.", "libgcc_s.", "ld-linux")
    assert needed
    assert all(name.startswith(system) for name in needed), needed


# -- a stand-in without parameters, two outputs, integer types ------------------ #

SPLIT_C = """
#include <stdint.h>
void sp__mlc_entry(const int32_t *x, const uint8_t *mask, int32_t *kept,
                   uint8_t *positive) {
  for (int i = 0; i < 5; ++i) {
    kept[i] = mask[i] ? x[i] : 0;
    positive[i] = x[i] > 0;
  }
}
"""


def test_model_without_parameters(tmp_path: Path):
    interface = library_interface(
        "sp",
        "split",
        [spec("x", (5,), np.int32), spec("mask", (5,), np.uint8)],
        [spec("kept", (5,), np.int32), spec("positive", (5,), np.bool_)],
        library_name="libsp.so",
    )
    built = build_library(
        interface, compile_object(tmp_path, SPLIT_C), tmp_path / "libsp.so"
    )
    assert built.weights is None
    assert not (tmp_path / "libsp.weights").exists()
    header = built.header.read_text()
    assert "const int32_t *x," in header
    assert "uint8_t *positive  /* out: [5] i1, one byte 0 or 1, 5 elements */" in header
    assert "sp_init(NULL) succeeds" in header
    library = Library(built.library, "sp")
    x = aligned(np.array([3, -1, 0, 7, -5], np.int32))
    mask = aligned(np.array([1, 1, 0, 0, 1], np.uint8))
    kept = aligned_empty((5,), np.dtype(np.int32))
    positive = aligned_empty((5,), np.dtype(np.bool_))
    pointers = (x.ctypes.data, mask.ctypes.data, kept.ctypes.data, positive.ctypes.data)
    assert library.run(*pointers) == OK  # no init needed
    np.testing.assert_array_equal(kept, [3, -1, 0, 0, -5])
    np.testing.assert_array_equal(positive, [True, False, False, True, False])
    assert library.init(None) == OK
    # Two outputs must not overlap each other either.
    assert (
        library.run(x.ctypes.data, mask.ctypes.data, kept.ctypes.data, kept.ctypes.data)
        == ERR_ARGUMENT
    )
    assert library.error() == "sp_run: output 'kept' overlaps 'positive'"


# -- names, header, interface errors ------------------------------------------------ #


@pytest.mark.parametrize(
    ("path", "prefix"),
    [
        ("libmlp.so", "mlp"),
        ("out/libmodel.so", "model"),
        ("my-net.so", "my_net"),
        ("lib.so", "lib"),
        ("3d.so", "m_3d"),
        ("libint.so", "m_int"),
    ],
)
def test_prefix_from_the_library_name(path: str, prefix: str):
    assert prefix_for(path) == prefix


@pytest.mark.parametrize("prefix", ["int", "a-b", "", "9lives"])
def test_prefix_must_be_a_c_identifier(prefix: str):
    with pytest.raises(ExportError, match="is not a C identifier"):
        check_prefix(prefix)


def test_tensor_names_become_distinct_c_identifiers():
    interface = library_interface(
        "m",
        "main",
        [
            spec("input.1", (1,)),
            spec("int", (1,)),
            spec("input_1", (1,)),
            spec("X", (1,)),
            spec("x", (1,)),
        ],
        [spec("weights_path", (1,))],
    )
    names = [t.c_name for t in (*interface.arguments, *interface.outputs)]
    assert names == ["input_1", "t_int", "input_1_2", "X", "x_4", "weights_path_0"]


def test_header_documents_the_interface(tmp_path: Path):
    header = c_header(affine_interface())
    assert "int aff_init(const char *weights_path);" in header
    assert "const float *x,  /* in: [2][4] f32, 8 elements */" in header
    assert "float *out  /* out: [2][3] f32, 6 elements */);" in header
    assert "#define AFF_X_SIZE 8u" in header
    assert "#define AFF_OUT_SIZE 6u" in header
    assert "AFF_W_SIZE" not in header  # w comes from the weights file
    assert "64-byte aligned" in header
    assert "libaff.weights" in header
    (tmp_path / "use.c").write_text('#include "h.h"\nint main(void) { return 0; }\n')
    (tmp_path / "h.h").write_text(header)
    subprocess.run(
        ["cc", "-std=c99", "-Wall", "-Werror", "-fsyntax-only", "use.c"],
        cwd=tmp_path,
        check=True,
    )


@pytest.mark.parametrize(
    ("arguments", "params", "message"),
    [
        ([spec("x", (2,))], {"y": np.ones(2, np.float32)}, "'y' is no argument"),
        (
            [spec("x", (2,))],
            {"x": np.ones(3, np.float32)},
            r"'x' is float32\[3\], the entry expects float32\[2\]",
        ),
        ([spec("x", (-1, 2))], {}, "dynamic shape"),
        ([spec("x", (2,), np.complex64)], {}, "unsupported dtype complex64"),
        ([spec("x", (2,)), spec("x", (2,))], {}, "two arguments of the same name"),
    ],
)
def test_interface_errors(
    arguments: list[TensorSpec], params: dict[str, np.ndarray], message: str
):
    with pytest.raises(ExportError, match=message):
        library_interface("m", "f", arguments, [spec("o", (1,))], params)


def test_no_c_compiler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CC", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ExportError, match="no C compiler found"):
        find_c_compiler()


def test_cc_environment_variable_is_used(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CC", "gcc")
    assert find_c_compiler() == shutil.which("gcc")


def test_compiler_failure_is_one_error(tmp_path: Path):
    with pytest.raises(ExportError, match="the C compiler failed: "):
        build_library(
            affine_interface(), b"not an object", tmp_path / "libaff.so", AFFINE_PARAMS
        )
    assert list(tmp_path.iterdir()) == []  # no header or weights without a library


def test_bound_parameters_need_values(tmp_path: Path):
    with pytest.raises(ExportError, match="no value for bound parameter 'w'"):
        build_library(affine_interface(), b"", tmp_path / "libaff.so")


def test_missing_output_directory(tmp_path: Path):
    with pytest.raises(ExportError, match="no such directory"):
        build_library(affine_interface(), b"", tmp_path / "no" / "libaff.so")


def test_rename_functions_keeps_declarations():
    llvm_ir = """
declare ptr @aligned_alloc(i64, i64)
define internal void @helper(ptr %0) {
  ret void
}
define void @free(ptr %0) {
  call void @helper(ptr %0)
  %2 = call ptr @aligned_alloc(i64 64, i64 64)
  ret void
}
define void @"my.model"(ptr %0) {
  call void @free(ptr %0)
  ret void
}
"""
    renamed = rename_functions(llvm_ir, "m", "my.model")
    assert "define void @m__mlc_entry(" in renamed
    assert "define void @m__mlc_fn_free(" in renamed
    assert "call void @m__mlc_fn_free(" in renamed
    assert "define internal void @m__mlc_fn_helper(" in renamed
    assert "call void @m__mlc_fn_helper(" in renamed
    assert "declare ptr @aligned_alloc(" in renamed


def test_rename_functions_needs_the_entry():
    with pytest.raises(ExportError, match="defines no entry function @main"):
        rename_functions("define void @f() {\n  ret void\n}\n", "m", "main")


def test_rename_functions_rejects_bad_ir():
    with pytest.raises(ExportError, match="invalid LLVM IR"):
        rename_functions("define void @f( {", "m", "f")


# -- the course MLP, compiled by the real pipeline, run from C ------------------ #


@pytest.fixture(scope="module")
def mlp_params() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(2024)
    shapes = {"w0": (128, 784), "b0": (128,), "w1": (10, 128), "b1": (10,)}
    return {
        name: (rng.standard_normal(shape) * 0.1).astype(np.float32)
        for name, shape in shapes.items()
    }


def mlp_reference(x: np.ndarray, p: Mapping[str, np.ndarray]) -> np.ndarray:
    hidden = np.maximum(x.reshape(1, 784) @ p["w0"].T + p["b0"], 0.0)
    return hidden @ p["w1"].T + p["b1"]


@pytest.fixture(scope="module")
def exported_mlp(
    tmp_path_factory: pytest.TempPathFactory, mlp_params: dict[str, np.ndarray]
) -> Path:
    from mlc.runtime.compiled import compile as mlc_compile

    directory = tmp_path_factory.mktemp("mlp")
    compiled = mlc_compile(MLP).bind(mlp_params)
    built = export_library(compiled, directory / "libmlp.so")
    assert built.prefix == "mlp"
    subprocess.run(
        [
            "gcc",
            "-std=c11",
            "-Wall",
            "-Werror",
            "-O2",
            "-I",
            str(directory),
            "-o",
            str(directory / "run_mlp"),
            str(RUN_MLP),
            "-L",
            str(directory),
            "-lmlp",
            f"-Wl,-rpath,{directory}",
        ],
        check=True,
    )
    return directory


def run_mlp(
    directory: Path, x: np.ndarray, weights: str, mode: str | None = None
) -> tuple[subprocess.CompletedProcess[str], np.ndarray | None]:
    (directory / "x.bin").write_bytes(x.astype(np.float32).tobytes())
    output = directory / "out.bin"
    output.unlink(missing_ok=True)
    command = [str(directory / "run_mlp"), weights, str(directory / "x.bin")]
    command += [str(output)] + ([mode] if mode else [])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    result = np.fromfile(output, np.float32) if output.exists() else None
    return done, result


def test_mlp_from_c_matches_numpy(
    exported_mlp: Path, mlp_params: dict[str, np.ndarray]
):
    rng = np.random.default_rng(5)
    for _ in range(3):
        x = rng.standard_normal((1, 1, 28, 28)).astype(np.float32)
        done, out = run_mlp(exported_mlp, x, str(exported_mlp / "libmlp.weights"))
        assert done.returncode == 0, done.stderr
        assert out is not None
        np.testing.assert_allclose(
            out.reshape(1, 10), mlp_reference(x, mlp_params), rtol=1e-4, atol=1e-5
        )


def test_mlp_weights_file_holds_the_bound_params(
    exported_mlp: Path, mlp_params: dict[str, np.ndarray]
):
    """The weights file holds each weight as the code reads it: W packed."""
    from mlc.runtime.compiled import compile as mlc_compile

    packing = mlc_compile(MLP).packing
    assert sorted(packing) == ["w0", "w1"]  # the two linears' weights
    loaded = load_weights(exported_mlp / "libmlp.weights")
    assert list(loaded) == ["w0", "b0", "w1", "b1"]
    for name, value in mlp_params.items():
        if name in packing:
            p = packing[name]
            assert loaded[name].shape == (
                -(-value.shape[0] // p.nr),
                784 if name == "w0" else 128,
                p.nr,
            )
            value = pack_weight(value, p.nr, p.n_dim)
        np.testing.assert_array_equal(loaded[name], value)
    header = (exported_mlp / "libmlp.h").read_text()
    assert "int mlp_run(\n    const float *x,  /* in: [1][1][28][28] f32" in header
    assert "float *out0  /* out: [1][10] f32, 10 elements */);" in header


def test_mlp_default_weights_beside_the_library(
    exported_mlp: Path, mlp_params: dict[str, np.ndarray]
):
    x = np.ones((1, 1, 28, 28), np.float32)
    done, out = run_mlp(exported_mlp, x, "-")
    assert done.returncode == 0, done.stderr
    assert out is not None
    np.testing.assert_allclose(
        out.reshape(1, 10), mlp_reference(x, mlp_params), rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize(
    ("mode", "code", "message"),
    [
        ("misaligned", 3, "mlp_run: argument 'x' is not 64-byte aligned (code 1)"),
        ("null", 3, "mlp_run: argument 'x' is NULL (code 1)"),
        ("overlap", 3, "mlp_run: output 'out0' overlaps 'x' (code 1)"),
        ("noinit", 3, "mlp_run: mlp_init has not succeeded (code 2)"),
    ],
)
def test_mlp_bad_calls_are_refused(
    exported_mlp: Path, mode: str, code: int, message: str
):
    x = np.zeros((1, 1, 28, 28), np.float32)
    weights = str(exported_mlp / "libmlp.weights")
    done, out = run_mlp(exported_mlp, x, weights, mode)
    assert (done.returncode, done.stderr.strip()) == (code, message)
    assert out is None


def test_mlp_with_wrong_weights_fails_to_init(exported_mlp: Path):
    wrong = exported_mlp / "wrong.weights"
    save_weights(wrong, {"w0": np.zeros((784, 128), np.float32)})
    done, _ = run_mlp(exported_mlp, np.zeros((1, 1, 28, 28)), str(wrong))
    assert done.returncode == 2
    nr = mlc.compile(MLP).packing["w0"].nr  # pyright: ignore[reportAttributeAccessIssue]
    assert done.stderr.strip() == (
        f"{wrong}: parameter 'w0' is not [{128 // nr}][784][{nr}] f32, 100352 "
        "elements as the model expects"
    )


def test_mlp_without_bound_params_takes_every_input(
    tmp_path: Path, mlp_params: dict[str, np.ndarray]
):
    from mlc.runtime.compiled import compile as mlc_compile

    built = export_library(mlc_compile(MLP), tmp_path / "libfree.so")
    assert built.weights is None
    library = Library(built.library, "free")
    assert library.init(None) == OK
    x = aligned(np.random.default_rng(1).standard_normal((1, 1, 28, 28), np.float32))
    params = [aligned(mlp_params[n]) for n in ("w0", "b0", "w1", "b1")]
    out = aligned_empty((1, 10), F32)
    pointers = [a.ctypes.data for a in (x, *params, out)]
    assert library.run(*pointers) == OK, library.error()
    np.testing.assert_allclose(out, mlp_reference(x, mlp_params), rtol=1e-4, atol=1e-5)


CONV = """
func.func @conv(%x: tensor<1x3x6x7xf32>, %w: tensor<10x3x3x3xf32>) -> tensor<1x10x4x5xf32> {
  %0 = graph.conv2d %x, %w : (tensor<1x3x6x7xf32>, tensor<10x3x3x3xf32>) -> tensor<1x10x4x5xf32>
  func.return %0 : tensor<1x10x4x5xf32>
}
"""  # noqa: E501


def test_a_conv_filter_is_packed_by_init_or_by_run(tmp_path: Path):
    """
    A filter the code reads packed (`[ceil(F/mr)][C][KH][KW][mr]`): bound, the
    weights file holds it packed; unbound, `NAME_run` takes it as the user
    holds it and packs it per call (`mlc_pack_weight`, `W[F][C*KH*KW]`).
    """
    from mlc.runtime.compiled import compile as mlc_compile

    rng = np.random.default_rng(2)
    x = aligned(rng.standard_normal((1, 3, 6, 7), np.float32))
    w = aligned(rng.standard_normal((10, 3, 3, 3), np.float32))
    want = np.einsum(
        "chwij,fcij->fhw",
        np.lib.stride_tricks.sliding_window_view(
            x[0].astype(np.float64), (3, 3), (1, 2)
        ),
        w.astype(np.float64),
    )[None]
    compiled = mlc_compile(CONV)
    packing = compiled.packing["w"]  # pyright: ignore[reportAttributeAccessIssue]
    free = Library(export_library(compiled, tmp_path / "libcfree.so").library, "cfree")
    bound = export_library(compiled.bind(w=w), tmp_path / "libcbound.so")  # pyright: ignore[reportAttributeAccessIssue]
    assert bound.weights is not None
    np.testing.assert_array_equal(
        load_weights(bound.weights)["w"], pack_weight(w, packing.nr, 0)
    )
    held = Library(bound.library, "cbound")
    for library, inputs in ((free, (x, w)), (held, (x,))):
        assert library.init(None) == OK, library.error()
        out = aligned_empty((1, 10, 4, 5), F32)
        pointers = [a.ctypes.data for a in (*inputs, out)]
        assert library.run(*pointers) == OK, library.error()
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


def test_compiled_module_export_library_delegates(
    tmp_path: Path, mlp_params: dict[str, np.ndarray]
):
    from mlc.runtime.compiled import compile as mlc_compile

    compiled = mlc_compile(MLP).bind(w0=mlp_params["w0"], b0=mlp_params["b0"])
    built = compiled.export_library(tmp_path / "libpart.so", prefix="half")
    assert built.prefix == "half"
    assert list(load_weights(tmp_path / "libpart.weights")) == ["w0", "b0"]
    header = (tmp_path / "libpart.h").read_text()
    assert "int half_run(" in header
    assert "const float *w1," in header
    assert "const float *w0" not in header


# -- safety: out of memory, interrupted exports, collisions, the template -- #

ERR_MEMORY = 4

SCALE = """
func.func @scale(%x: tensor<2xf32>, %w: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.mul %x, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = graph.exp %0 : tensor<2xf32>
  %2 = graph.mul %1, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %2 : tensor<2xf32>
}
"""


def export_scale(folder: Path, w: float, name: str = "libscale.so") -> Path:
    compiled = mlc.compile(SCALE).bind(w=np.full(2, w, np.float32))
    return compiled.export_library(folder / name).library


def run_scale(library: Path, weights: Path | None = None) -> tuple[int, str, float]:
    """(init's code, the error, out[0] for x = 0) in a fresh process."""
    script = f"""
import ctypes, numpy as np
from mlc.runtime.signature import aligned_empty
lib = ctypes.CDLL({str(library)!r})
lib.scale_error.restype = ctypes.c_char_p
code = lib.scale_init({None if weights is None else str(weights).encode()!r})
out = aligned_empty((2,), np.dtype(np.float32)); out[...] = -1
x = aligned_empty((2,), np.dtype(np.float32)); x[...] = 0
if code == 0:
    lib.scale_run(ctypes.c_void_p(x.ctypes.data), ctypes.c_void_p(out.ctypes.data))
print(code); print(lib.scale_error().decode()); print(out[0])
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    code, error, value = done.stdout.splitlines()
    return int(code), error, float(value)


def test_out_of_memory_in_the_library_is_err_memory(tmp_path: Path):
    n, m = 2**20, 2**22  # a 16 TiB intermediate
    model = f"""
func.func @big(%x: tensor<{n}x1xf32>, %y: tensor<1x{m}xf32>) -> tensor<1x1xf32> {{
  %0 = graph.matmul %x, %y : (tensor<{n}x1xf32>, tensor<1x{m}xf32>) \
-> tensor<{n}x{m}xf32>
  %1 = graph.reduce_sum %0 {{axes = array<i64: 0, 1>, keepdims = true}} : \
(tensor<{n}x{m}xf32>) -> tensor<1x1xf32>
  func.return %1 : tensor<1x1xf32>
}}
"""
    built = mlc.compile(model).export_library(tmp_path / "libbig.so")
    library = ctypes.CDLL(str(built.library))
    library.big_error.restype = ctypes.c_char_p
    assert library.big_init(None) == OK
    x = aligned(np.ones((n, 1), np.float32))
    y = aligned(np.ones((1, m), np.float32))
    out = aligned_empty((1, 1), F32)
    pointers = [ctypes.c_void_p(a.ctypes.data) for a in (x, y, out)]
    assert library.big_run(*pointers) == ERR_MEMORY
    assert library.big_error().decode() == (
        f"big_run: out of memory: could not allocate a buffer of {n * m * 4} bytes"
    )


def test_a_new_library_refuses_old_weights(tmp_path: Path):
    library = export_scale(tmp_path, 2.0)
    old = (tmp_path / "libscale.weights").read_bytes()
    assert run_scale(library)[0] == OK
    export_scale(tmp_path, 3.0)
    (tmp_path / "libscale.weights").write_bytes(old)  # a stale file beside it
    code, error, _ = run_scale(library)
    assert code == ERR_WEIGHTS
    assert "not the weights file exported with this library" in error


KILLED_EXPORT = """
import os, sys, numpy as np, mlc
calls = [0]
real = os.replace
def replace(*args):
    calls[0] += 1
    if calls[0] == int(sys.argv[2]):
        os._exit(9)
    real(*args)
os.replace = replace
compiled = mlc.compile(sys.argv[3]).bind(w=np.full(2, 3.0, np.float32))
compiled.export_library(os.path.join(sys.argv[1], "libscale.so"))
"""


@pytest.mark.parametrize("killed_at", [1, 2, 3])
def test_an_interrupted_export_never_runs_with_wrong_weights(
    tmp_path: Path, killed_at: int
):
    library = export_scale(tmp_path, 2.0)
    before = run_scale(library)
    assert before[0] == OK
    done = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(tmp_path), str(killed_at), SCALE],
        check=False,
        timeout=300,
    )
    assert done.returncode == 9
    code, error, value = run_scale(library)
    if killed_at == 1:  # nothing renamed yet: the old deployment, unchanged
        assert (code, value) == (OK, before[2])
    elif killed_at == 2:  # new weights, old library: refused, not misused
        assert code == ERR_WEIGHTS
        assert "not the weights file exported with this library" in error
    else:  # new weights and library (header pending): the new model
        assert code == OK
        assert value == pytest.approx(3.0)
    assert library.stat().st_size > 0
    # A killed writer cannot clean up: what it leaves are hidden temporaries.
    visible = {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")}
    assert visible == {"libscale.so", "libscale.h", "libscale.weights"}


def test_an_export_that_fails_leaves_the_old_files(tmp_path: Path):
    library = export_scale(tmp_path, 2.0)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    compiled = mlc.compile(SCALE).bind(w=np.full(2, 3.0, np.float32))
    with pytest.raises(ExportError):
        export_library(compiled, library, cc="/bin/false")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


@pytest.mark.parametrize("name", ["libscale.h", "libscale.weights"])
def test_names_that_collide_are_refused(tmp_path: Path, name: str):
    target = tmp_path / name
    target.write_text("precious")
    compiled = mlc.compile(SCALE).bind(w=np.full(2, 3.0, np.float32))
    with pytest.raises(ExportError, match="would overwrite its own"):
        compiled.export_library(target)
    assert target.read_text() == "precious"


def test_init_on_a_directory_is_a_weights_error(tmp_path: Path, affine: Library):
    assert affine.init(tmp_path) == ERR_WEIGHTS
    assert affine.error() == f"{tmp_path}: not a weights file (not a regular file)"


def test_a_failed_init_keeps_the_loaded_weights(tmp_path: Path, affine: Library):
    assert affine.init(None) == OK
    assert affine.init(tmp_path / "missing.weights") == ERR_WEIGHTS
    x = aligned(np.ones((2, 4), np.float32))
    out = aligned_empty((2, 3), F32)
    assert affine.run(x.ctypes.data, out.ctypes.data) == OK
    expected = x @ AFFINE_PARAMS["w"].T + AFFINE_PARAMS["b"]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_a_data_offset_inside_the_header_is_refused(tmp_path: Path, affine: Library):
    data = bytearray((tmp_path / "libaff.weights").read_bytes())
    struct.pack_into("<Q", data, 16 + 4 + 1 + 4 + 4 + 16, 0)  # entry 0's offset
    (tmp_path / "bad.weights").write_bytes(bytes(data))
    assert affine.init(tmp_path / "bad.weights") == ERR_WEIGHTS
    assert affine.error() == (
        f"{tmp_path}/bad.weights: parameter 'w': data offset 0 lies inside the header"
    )


def test_the_weights_digest_is_in_the_header(tmp_path: Path):
    library = export_scale(tmp_path, 2.0)
    weights = tmp_path / "libscale.weights"
    crc = zlib.crc32(weights.read_bytes())
    header = library.with_name("libscale.h").read_text()
    assert f"#define SCALE_WEIGHTS_CRC32 0x{crc:08X}u" in header
    assert f"#define SCALE_WEIGHTS_SIZE {weights.stat().st_size}ull" in header
    assert load_weights(weights)["w"].tolist() == [2.0, 2.0]


@pytest.mark.parametrize("status", [False, True])
def test_the_template_is_warning_free_c(tmp_path: Path, status: bool):
    interface = dataclasses.replace(affine_interface(), status=status)
    (tmp_path / "libaff.h").write_text(c_header(interface))
    (tmp_path / "mlc_model.h").write_text(
        model_config(interface, "libaff.h", Digest(204, 0x12345678))
    )
    (tmp_path / "mlc_run.inc").write_text(run_source(interface))
    (tmp_path / "mlc_wrapper.c").write_text(wrapper_source())
    subprocess.run(
        [
            "gcc",
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-O2",
            "-fPIC",
            "-c",
            "mlc_wrapper.c",
        ],
        cwd=tmp_path,
        check=True,
    )
